"""The offline judgement rules (goals, placement, implausible figures), on rows and goals of real
tables: each fires on the defect a reviewer labeled and stays quiet on a sound neighbour."""

from decimal import Decimal

import pytest

from jixiao.model import Indicator, Table
from jixiao.rules import CODES, check
from jixiao.values import parse_value

OUT, E, S = "产出指标", "效益指标", "满意度指标"
# 濮阳市档案馆库房消防设备改造安装工程 (real-dev X16), its quantities and deadline.
ARCHIVE = [
    (OUT, "数量指标", "七氟丙烷式灭火装置及药剂", "", "10套"),
    (OUT, "数量指标", "烟感、温感控制设备", "", "160个"),
    (OUT, "质量指标", "项目(工程)验收合格率", "", "100%"),
    (OUT, "时效指标", "项目完工时间", "", "2021年12月31日"),
]
ARCHIVE_GOAL = "完成市档案馆5个标准档案库房消防设备的升级改造安装工作,增强消防救援力量,保证馆库和档案实体安全。"
# 法援中心工作专项经费 (seed table 14), its rows that bear on the goal.
LEGAL_AID = [
    (OUT, "数量指标", "法律援助案件数量", "法律援助全年案件总数", "≥900件"),
    (OUT, "质量指标", "法律援助基本对象覆盖率", "法律援助基本对象覆盖率", "≥95%"),
    (E, "社会效益指标", "法律援助对象合法权益保障率", "获得援助的对象占比", "≥95%"),
    (S, "服务对象满意度指标", "受援人满意度", "援助对象满意度", "≥90%"),
]
LEGAL_AID_GOAL = "加强法律援助宣传，不断提高法律援助社会知晓率"


def table(rows, goals=(), purpose="") -> Table:
    return Table(
        project="项目",
        purpose=purpose,
        goals=list(goals),
        indicators=[
            Indicator(level1=a, level2=b, name=c, description=d, value=parse_value(v))
            for a, b, c, d, v in rows
        ],
    )


def found(code: str, t: Table):
    return [f for f in check(t, [CODES[code]])]


@pytest.mark.parametrize(
    "goal",
    [
        "为推进宗教活动场所规范化管理,提升我市宗教工作管理水平,",  # real-dev X07
        "完成我市建成区的绿化养护工作,改善了城市生态环境,提升城市品位,提高人民群众满意度,"
        "保障绿化养护的稳定正常运行,促进城市园林绿化事业的发展。",  # X08
        "目标1:维护辖区各安置小区安全巡逻、环境卫生及物业日常管理",  # X14
        "组织协调推进全州食品安全重点工作;承办州食品安全委员会会议及中央活动;"
        "承担州政府食品安全委员会的日常工作。",  # X01, shortened
    ],
)
def test_goal_too_generic_on_slogans_duties_and_work_reports(goal):
    [f] = found("goal_too_generic", table(ARCHIVE, [goal]))
    assert f.row is None and "口号、职责或工作内容" in f.message and "可衡量" in f.suggestion


@pytest.mark.parametrize(
    "goal",
    [
        ARCHIVE_GOAL,  # a figure
        "完成对符合规定的村居下设党支部书记发放补贴,激发为民办事的热情。",  # X04: a deliverable
        "社区矫正工作正常开展，确保社区矫正对象无脱管漏管情况发生",  # seed 3: a checkable state
        "完成第三批法治政府建设综合示范区创建工作",  # seed 7: a one-off deliverable
        "提升司法所规范化建设，提高司法所业务能力，更新购置设备等",  # seed 4
        LEGAL_AID_GOAL,  # a named rate
        "中期目标(2024年—2026年)",  # a heading read where the goal should be (X09)
    ],
)
def test_goal_too_generic_quiet_on_targets(goal):
    assert found("goal_too_generic", table(ARCHIVE, [goal])) == []


def test_goal_not_covered_names_a_figure_no_row_carries():
    [f] = found("goal_not_covered", table(ARCHIVE, [ARCHIVE_GOAL]))
    assert "“5个”" in f.message and "完成市档案馆5个标准档案库房" in f.message
    covered = ARCHIVE + [(OUT, "数量指标", "改造标准档案库房数", "", "5个")]
    assert found("goal_not_covered", table(covered, [ARCHIVE_GOAL])) == []


def test_goal_not_covered_names_a_rate_no_row_names():
    [f] = found("goal_not_covered", table(LEGAL_AID, [LEGAL_AID_GOAL]))
    assert "“知晓率”" in f.message and "知晓率≥XX%" in f.suggestion
    covered = LEGAL_AID + [(E, "社会效益指标", "法律援助社会知晓率", "抽样调查", "≥70%")]
    assert found("goal_not_covered", table(covered, [LEGAL_AID_GOAL])) == []


def test_goal_not_covered_reads_figures_as_a_reviewer_does():
    # real-dev X03: 1 person hired has no row; 8 travellers is row 1 (its unit missing);
    # the date is a deadline and 3万元 money, left to other rules; 目标1 is a list number.
    rows = [
        (OUT, "数量指标", "出差人数", "", "=8"),
        (OUT, "成本指标", "劳务人员总成本", "", "=2万元"),
        (OUT, "成本指标", "年度预算总成本", "", "=3万元"),
    ]
    goal = "目标1:聘用人员1人,出差8人 目标3:2021年12月31日前完成 目标4:年度预算总金额3万元"
    [f] = found("goal_not_covered", table(rows, [goal]))
    assert f.evidence == "1人"
    # `1.30个` heading a list item is item 1, 30 committees; 2名法律顾问 is named by a cost row.
    rows = [
        (OUT, "数量指标", "补贴调解委员会个数", "", "≥30个"),
        (OUT, "成本指标", "法律顾问费", "", "≤5万元/人"),
    ]
    assert found("goal_not_covered", table(rows, ["1.30个调解委员会按时获得补贴"])) == []
    assert found("goal_not_covered", table(rows, ["聘用2名法律顾问对政策决策提供指导"])) == []


def test_goal_not_covered_leaves_efficiency_and_satisfaction_alone():
    goal = "提高行政执法人员办案效率，群众满意率达到较高水平"
    assert found("goal_not_covered", table(LEGAL_AID, [goal])) == []


MISPLACED = [
    # real-dev X09 r6: a count under quality
    ((OUT, "质量指标", "实验室仪器维修维护", "", "≥4次"), "数量指标"),
    # X14 r5: the work done (清算) under an effect
    (
        (
            E,
            "经济效益指标",
            "指标1:清算8个安置小区本年度物业费和历史的遗留物业费(≥**%)。",
            "",
            "≥95%",
        ),
        "产出指标",
    ),
    # X14 r7: people's surroundings under ecological effect
    (
        (
            E,
            "生态效益指标",
            "指标1:优化安置小区生活环境,提高居民生活质量,营造安全舒适的居住环境。",
            "",
            "显著提高",
        ),
        "社会效益指标",
    ),
]


@pytest.mark.parametrize("row,home", MISPLACED)
def test_indicator_misclassified_by_what_the_row_measures(row, home):
    [f] = found("indicator_misclassified", table([row]))
    assert home in f.suggestion and f.message.startswith("请核实")


@pytest.mark.parametrize(
    "row",
    [
        (OUT, "质量指标", "农产品例行监测合格率", "", "≥98%"),
        (OUT, "数量指标", "实验室仪器维修维护", "", "≥4次"),
        (E, "生态效益指标", "是否对当地生态环境造成影响", "", "否"),
        (E, "生态效益指标", "", "改善城市生态环境,保持生态平衡、保护自然环境", "是"),
        (E, "社会效益指标", "群众矛盾纠纷化解率", "化解件数/排查件数", "≥90%"),
    ],
)
def test_indicator_misclassified_quiet_where_the_row_belongs(row):
    assert found("indicator_misclassified", table([row])) == []


def test_implausible_value_knows_how_many_towns_a_county_has():
    # seed table 2: a district bureau's legal services reaching 400 towns and streets.
    rows = [(OUT, "数量指标", "公共法律服务涉及街乡镇数量", "公共法律服务涉及街乡镇数量", "≥400个")]
    t = table(rows).model_copy(update={"unit_name": "天津市滨海新区司法局"})
    [f] = found("implausible_value", t)
    assert f.row == 1 and "十几到几十个" in f.message and "村居" in f.suggestion
    city = t.model_copy(update={"unit_name": "天津市司法局"})
    region = t.model_copy(update={"unit_name": "新疆维吾尔自治区司法厅"})
    villages = table([(OUT, "数量指标", "公共法律服务涉及村居数量", "", "≥400个")])
    villages = villages.model_copy(update={"unit_name": "天津市滨海新区司法局"})
    few = table([(OUT, "数量指标", "公共法律服务涉及街乡镇数量", "", "≥21个")])
    few = few.model_copy(update={"unit_name": "天津市滨海新区司法局"})
    for quiet in (city, region, villages, few):
        assert found("implausible_value", quiet) == []


def test_a_figure_that_counts_the_places_listed_before_it_is_scope_not_a_target():
    goal = "在甲林场、乙林场、丙林场 3 个林场实施营造林8万亩"
    rows = [(OUT, "数量指标", "实施营造林总面积", "", "≥80000亩")]
    assert not found("goal_not_covered", table(rows, [goal]))
    # A count that is not the list's length is still a promise of its own.
    [f] = found("goal_not_covered", table(rows, ["在甲林场、乙林场 3 个林场实施营造林8万亩"]))
    assert "3 个" in f.message


def test_a_row_counting_the_goal_s_figure_covers_it_even_with_its_value_unfilled():
    # Real X19: the goal's 9200人 has its row (服务人口数, 万人) whose number was never filled in;
    # that is the row's defect, not an uncovered goal.
    goal = "改善提升9200人饮水条件。"
    served = (OUT, "数量指标", "指标3:农村饮水工程覆盖服务人口数", "", "万人")
    assert not found("goal_not_covered", table([served], [goal]))
    dikes = (OUT, "数量指标", "指标1:新建堤防、护岸长度", "", "公里")
    assert found("goal_not_covered", table([dikes], [goal]))


@pytest.mark.parametrize("name", ["保障在职职工人数(人)", "打造品牌赛事种类", "完成培训人次"])
def test_a_verb_before_what_is_counted_is_a_quantity_name(name):
    assert not found("name_not_metric", table([(OUT, "数量指标", name, "", "≥10人")]))


@pytest.mark.parametrize("name", ["保障社会稳定", "完成年度工作任务", "提高群众法律知晓率"])
def test_aims_and_work_reports_still_are_not_metrics(name):
    assert found("name_not_metric", table([(OUT, "数量指标", name, "", "≥95%")]))


def test_a_description_repeated_on_every_row_is_boilerplate_not_a_mismatch():
    rows = [
        (OUT, "数量指标", n, "该指标值数据合理", "≥1个")
        for n in ("林业产业", "林木采伐监管", "野生动植物保护")
    ]
    assert not found("name_description_mismatch", table(rows))
    # The same description on one row alone is read as that row's.
    assert found("name_description_mismatch", table(rows[:1] + ARCHIVE))


def test_a_description_giving_the_computation_is_the_metric_s_scope():
    row = (E, "经济效益指标", "亩均粮食增产", "项目区与建设前三年平均产量之差", "≥50公斤")
    assert not found("name_description_mismatch", table([row]))


def test_a_row_saying_the_slot_does_not_apply_is_not_misplaced():
    row = (E, "生态效益指标", "本项目不适用此指标", "", "无")
    assert not found("indicator_misclassified", table([row]))
    social = (E, "生态效益指标", "群众就医便利程度", "", "≥90%")
    assert found("indicator_misclassified", table([social]))


@pytest.mark.parametrize(
    "name, desc",
    [
        ("项目资金使用合规性", "反映项目资金使用合规情况"),  # real-dev X07
        ("宗教管理经费补助县数量", "反映宗教管理经费补助县数量情况"),
    ],
)
def test_a_description_that_only_wraps_the_name_repeats_it(name, desc):
    assert found("description_duplicates_name", table([(OUT, "质量指标", name, desc, "=100%")]))


def test_a_description_that_adds_scope_inside_the_wrapper_is_its_own():
    row = (OUT, "质量指标", "资金使用合规性", "反映项目资金按规定用途使用的情况", "=100%")
    assert not found("description_duplicates_name", table([row]))


@pytest.mark.parametrize("name", ["寨山石坪村新建水泥路1条", "新建公厕3座", "改造2处文物"])
def test_a_count_of_roads_buildings_or_sites_in_the_name_is_a_value_in_it(name):
    [f] = found("value_in_name", table([(OUT, "数量指标", name, "", "=1条")]))
    assert "写了目标值" in f.message


def test_a_satisfaction_name_with_its_target_still_names_no_respondent():
    row = (S, "服务对象满意度指标", "满意度95%以上", "", "≧95%")  # real-dev X04
    assert found("satisfaction_subject_unspecified", table([row]))
    assert not found(
        "satisfaction_subject_unspecified",
        table([(S, "服务对象满意度指标", "村民满意度95%以上", "", "≧95%")]),
    )


@pytest.mark.parametrize(
    "level1, level2",
    [("产出值", "数量值"), ("效益指标", "社会效益目标"), ("项目效益指标", "社会效益指标")],
)
def test_local_words_for_a_category_are_the_category(level1, level2):
    row = (level1, level2, "受益人数", "", "≥10人")
    assert not found("invalid_category", table([row]))


def test_satisfaction_filed_under_effects_is_one_defect_not_three():
    rows = [
        (OUT, "数量指标", "改造学校数", "", "≥1所"),
        (E, "社会效益指标", "受益学生人数", "", "≥100人"),
        (E, "社会公众或服务对象满意度指标", "学生家长满意度", "", "≥90%"),
    ]
    t = table(rows)
    assert [f.row for f in found("satisfaction_misplaced", t)] == [3]
    assert not found("invalid_category", t)
    assert not found("level1_missing", t)


@pytest.mark.parametrize(
    "name",
    [
        "服务周期内,市民对空气质量改善的满意程度",  # a scope, then the metric
        "补助各类瓜果蔬菜种植数量,黄金蜜(葡萄)种植数量(≥**株)",  # two counts
        "保障期限",  # a duty's time
        "指标1:维护及时性",
        "指标1:维护成本",
    ],
)
def test_names_that_end_in_what_is_measured_are_metrics(name):
    assert not found("name_not_metric", table([(OUT, "质量指标", name, "", "≥90%")]))


@pytest.mark.parametrize(
    "name",
    [
        "提升人民群众司法满意度",  # a change to bring about, though a rate ends it
        "控制在预算成本内",
        "消除安全隐患",
        "按时发放",
        "教学条件改善、办学水平提高",
        "增加就业机会,提高农民收入。",
    ],
)
def test_aims_requirements_and_changes_are_not_metrics(name):
    assert found("name_not_metric", table([(E, "社会效益指标", name, "", "≥95%")]))


def goal_table(project, goals, purpose=""):
    t = table(ARCHIVE, goals, purpose)
    return t.model_copy(update={"project": project})


@pytest.mark.parametrize(
    "project, goal",
    [
        ("村组干部报酬", "按时发放村组干部报酬"),  # real-fresh FB04: the project's work said again
        ("雾炮车抑尘降尘服务", "2024通过采购雾炮车抑尘降尘服务,持续改善我市空气质量"),  # FA06
        ("教育系统基础设施建设", "按工作计划完成教育局重点项目建设经费预算安排"),  # FB02
        (
            "薄弱学校改造补助资金",
            "全面改善薄弱学校办学条件,扩大基础教育资源,进一步提高均衡发展水平。",
        ),
    ],
)
def test_goals_that_restate_the_project_spend_the_budget_or_only_aim_are_generic(project, goal):
    assert found("goal_too_generic", goal_table(project, [goal]))


def test_a_goal_that_says_how_much_beyond_the_project_name_is_a_target():
    goal = "按时发放村组干部报酬,全年发放230人"
    assert not found("goal_too_generic", goal_table("村组干部报酬", [goal]))


def test_months_and_cost_shares_are_no_goal_figures():
    purpose = "共计77个机柜,租赁周期为36个月;县级财政负担20%计"
    rows = [(OUT, "数量指标", "机柜数量", "", "≥77个")]
    assert not found("goal_not_covered", table(rows, [], purpose))


def test_a_price_per_item_without_its_money_unit_is_a_missing_unit_not_a_mismatch():
    row = (OUT, "成本指标", "黄金蜜补助成本", "", "≤28.40/株")  # real-fresh FA05
    assert found("missing_unit", table([row])) and not found("unit_mismatch", table([row]))


@pytest.mark.parametrize(
    "name, value",
    [("村组干部230人", "≥230个"), ("受益脱贫户、监测户人口数", "≥10户")],
)
def test_a_unit_other_than_the_one_the_name_counts_in_is_a_mismatch(name, value):
    assert found("unit_mismatch", table([(OUT, "数量指标", name, "", value)]))


def test_a_rate_given_as_a_fraction_of_比例_is_a_rate():
    row = (OUT, "质量指标", "视频监控在线率", "", "≥0.97比例")
    assert not found("unit_mismatch", table([row]))


def test_a_deadline_with_what_is_due_is_a_date():
    row = (OUT, "时效指标", "补助发放时间", "", "12月底到位")
    assert parse_value("12月底到位").kind == "date"
    assert not found("missing_comparator", table([row]))


@pytest.mark.parametrize("name", ["干警满意度", "医护人员满意度"])
def test_the_unit_s_own_police_or_medical_staff_are_the_wrong_subject(name):
    assert found("satisfaction_wrong_subject", table([(S, "服务对象满意度指标", name, "", "≥90%")]))


@pytest.mark.parametrize("name", ["预算资金当年下达率", "资金支付及时率", "经费有效使用情况"])
def test_the_unit_s_fiscal_steps_are_process_not_output(name):
    t = table([(OUT, "时效指标", name, "", "=100%")])
    assert found("process_indicator_as_output", t)
    assert not found("unmeasurable_percentage", t)  # one defect, one finding


def test_a_template_star_before_a_name_is_residue():
    row = (OUT, "质量指标", "*贫困地区旅游基础设施建设质量达标率", "", "=100%")
    assert found("text_artifact", table([row]))


def test_a_share_asked_in_the_satisfaction_group_is_surveyed():
    row = (S, "服务对象满意度指标", "指标1:提升群众安全感", "", "≥90%")
    assert not found("unmeasurable_percentage", table([row]))


def test_an_ecological_effect_of_work_that_touches_no_nature_is_unrelated():
    eco = (E, "生态效益指标", "保护生态环境卫生", "", "≥95%")  # real-fresh FB04
    pay = table([eco], ["按时发放村组干部报酬"]).model_copy(update={"project": "村组干部报酬"})
    [f] = found("indicator_unrelated_to_purpose", pay)
    assert f.row == 1 and "生态效益" in f.message
    # Planting can restore an ecology; a row saying there is none is no claim.
    farm = table([eco], ["种植黄金蜜葡萄17600株"]).model_copy(update={"project": "设施农业种植"})
    assert not found("indicator_unrelated_to_purpose", farm)
    none = (E, "生态效益指标", "是否对当地生态环境造成影响", "", "否")
    assert not found(
        "indicator_unrelated_to_purpose",
        pay.model_copy(update={"indicators": table([none]).indicators}),
    )


def test_an_unfilled_template_item_sharing_no_word_with_the_project_is_a_leftover():
    rows = [
        (OUT, "数量指标", "指标1:新建堤防、护岸长度", "", "公里"),  # real X19
        (OUT, "数量指标", "指标3:农村饮水工程覆盖服务人口数", "", "万人"),
        (OUT, "数量指标", "指标5:新建堤防数量", "", "≥2座"),  # filled in: the unit's own
    ]
    t = table(rows, ["改善提升9200人饮水条件。"]).model_copy(
        update={"project": "农村饮水安全巩固提升"}
    )
    assert [f.row for f in found("indicator_unrelated_to_purpose", t)] == [1]


def test_a_rate_of_a_standard_reached_under_quantities_is_misplaced():
    row = (OUT, "数量指标", "种植作物成活率(≥**%)", "", ">=85%")  # real-fresh FA05
    [f] = found("indicator_misclassified", table([row]))
    assert "质量" in f.message
    assert not found(
        "indicator_misclassified", table([(OUT, "数量指标", "助餐服务覆盖率", "", "≥80%")])
    )


def test_a_timeliness_row_that_speaks_of_no_time_is_misplaced():
    row = (OUT, "时效指标", "教育均衡化发展", "", "有效")  # real-fresh FB06
    assert found("indicator_misclassified", table([row]))
    for sound in [("保洁作业频次", "每日1次"), ("补助发放", "全年"), ("项目完成时间", "年底前")]:
        assert not found(
            "indicator_misclassified", table([(OUT, "时效指标", *sound[:1], "", sound[1])])
        )


def test_money_spent_in_a_form_without_categories_is_a_cost():
    # real-fresh2 FC01 (重庆 一般性项目): no level columns; 发放金额 is the project's cost.
    rows = [("", "", "发放金额", "", "≥9.31万元"), ("", "", "领取补助人数", "", "≥100人")]
    t = table(rows).model_copy(update={"budget_total": Decimal("93100")})
    assert found("wrong_direction", t) and found("cost_restates_budget", t)


@pytest.mark.parametrize("name, value", [("按月发放", "=1次"), ("是否按时足额发放", "≥95%")])
def test_a_manner_of_paying_or_a_yes_no_question_given_a_number_is_not_a_metric(name, value):
    assert found("name_not_metric", table([(OUT, "时效指标", name, "", value)]))


def test_a_character_misread_before_a_value_s_digits_is_residue():
    row = (OUT, "质量指标", "资金使用效率", "", "二100百分比")
    assert found("text_artifact", table([row]))


def test_a_benefit_filed_as_a_social_or_environmental_cost_is_misplaced():
    rows = [
        ("成本指标", "社会成本指标", "对当地文物保护、文化传承影响", "", "长远"),
        ("成本指标", "生态环境成本指标", "提升博物馆绿化水平", "", "提升"),
        ("成本指标", "生态环境成本指标", "施工扬尘投诉次数", "", "≤2次"),
    ]
    assert [f.row for f in found("indicator_misclassified", table(rows))] == [1, 2]


def test_an_effects_group_with_no_effect_misses_the_core_effect():
    # real-fresh FA03: its effects are an output's rate and a period; FA01: only a satisfaction.
    out = [(OUT, "数量指标", "雾炮车配备车辆数", "", "≥10辆")]
    for effects in (
        [
            (E, "社会效益指标", "清扫保洁覆盖率", "", "≥95%"),
            (E, "可持续影响指标", "保障期限", "", "11个月"),
        ],
        [(E, "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "", "≥85%")],
    ):
        [f] = found("missing_core_effect", table(out + effects))
        assert f.row is None and "主要效果" in f.message
    real = (E, "生态效益指标", "空气质量优良天数比例", "", "≥80%")
    assert not found("missing_core_effect", table(out + [real]))
    assert not found("missing_core_effect", table(out))  # no group at all: level1_missing's


@pytest.mark.parametrize("name", ["返本分红分几年", "如何落实资产收益分配", "补助发放多少户"])
def test_a_name_put_as_a_question_is_not_a_metric(name):
    # real-fresh3 FD01: 返本分红分几年 | =5年.
    [f] = found("name_not_metric", table([(OUT, "时效指标", name, "", "=5年")]))
    assert "问句" in f.message
    assert not found("name_not_metric", table([(OUT, "时效指标", "返本分红年限", "", "=5年")]))


def test_a_value_that_is_a_sentence_of_figures_without_a_comparator():
    # real-fresh3 FD01 and real-fresh FB07: figures inside a sentence, no ≥ ≤ = anywhere.
    for name, value, figures, fix in [
        (
            "返本分红比例",
            "第一年按总投资额返本20%,分红按8%分红",
            "20%、8%都没有比较符",
            "（如≥20%）",
        ),
        (
            "成本控制",
            "严格按照预算标准1000元/人给补助对象兑付补助",
            "1000元/人没有",
            "“≤1000元/人”",
        ),
        ("培训次数", "全年12次", "12次没有比较符", "改为“≥12次”"),
    ]:
        [f] = found("missing_comparator", table([(OUT, "质量指标", name, "", value)]))
        assert figures in f.message and fix in f.suggestion
        # Which of several figures is the target is the officer's call: no value to paste.
        assert ("无法按一个数考核" in f.message) == ("“" not in f.suggestion)
    for sound in [
        "第一年返本不低于20%",
        "±3%以内",
        "按合同约定",
        "二100百分比",
        "3-5个",
        "20%～30%",
    ]:
        assert not found("missing_comparator", table([(OUT, "质量指标", "比例", "", sound)]))


def _unit_cost_table(cost: str, count: str, budget: str) -> Table:
    rows = [
        (OUT, "数量指标", "入股合作社个数", "", count),
        (OUT, "成本指标", "补助合作社平均标准", "", cost),
    ]
    return table(rows).model_copy(update={"budget_total": Decimal(budget)})


def test_a_unit_cost_whose_planned_quantity_costs_more_than_the_budget():
    # real-fresh3 FD01: 23万元/个 × 10个 = 230万元 against 214.06万元.
    [f] = found("cost_exceeds_budget", _unit_cost_table("=23万元/个", "=10个", "2140600"))
    assert "23万元/个×10个＝230万元" in f.message and "214.06万元" in f.message
    assert "21.4万元/个" in f.suggestion
    # 1.8万元/处 × 45处 = 81万元 against 80万元: 1.78万元 rounds to 1.8, so no overrun is shown.
    assert not found("cost_exceeds_budget", _unit_cost_table("≤1.8万元/处", "45处", "800000"))
    # Within the budget, or far beyond it (then the figures do not fit at all: inconsistent).
    assert not found("cost_exceeds_budget", _unit_cost_table("=20万元/个", "=10个", "2140600"))
    far = _unit_cost_table("=23万元/个", "=100个", "2140600")
    assert not found("cost_exceeds_budget", far) and found("cost_budget_inconsistent", far)


def test_a_sum_of_money_counted_in_items_and_a_standard_per_nothing_are_unit_mismatches():
    # real-dev X14 (安置小区物业费 | 8个) and X17 (硬化水泥砼公路补助标准 | 万元).
    for name, value, why in [
        ("安置小区物业费", "8个", "是一笔钱"),
        ("硬化水泥砼公路补助标准", "≤40万元", "是单位标准"),
    ]:
        [f] = found("unit_mismatch", table([(OUT, "数量指标", name, "", value)]))
        assert why in f.message
    for name, value in [
        ("安置小区物业费", "≤8万元"),
        ("硬化水泥砼公路补助标准", "≤40万元/公里"),
        ("人均补助标准", "≤500元"),
        ("安置小区个数", "8个"),
    ]:
        assert not found("unit_mismatch", table([(OUT, "数量指标", name, "", value)]))
