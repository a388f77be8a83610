"""What a brief's own words give a draft: metrics named from goals, cost items with amounts.

The clauses are officers' own, from the seed and the shared real tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.draft_edit import PLACEHOLDER
from jixiao.draft_goals import clause_metric, goal_metric, stated_costs
from jixiao.model import Indicator, Table
from jixiao.rules import check
from jixiao.values import parse_value


@pytest.mark.parametrize(
    ("clause", "level2", "name", "value"),
    [
        ("为群众提供免费法律服务", "数量指标", "免费法律服务提供次数", f"≥{PLACEHOLDER}次"),
        (
            "开展社区矫正对象集中教育学习",  # 对象 is a word, not `对` before a beneficiary
            "数量指标",
            "开展社区矫正对象集中教育学习次数",
            f"≥{PLACEHOLDER}次",
        ),
        ("不断提高法律援助社会知晓率", "社会效益指标", "法律援助社会知晓率", f"≥{PLACEHOLDER}%"),
        (
            "确保社区矫正对象无脱管漏管情况发生",
            "社会效益指标",
            "社区矫正对象脱管漏管发生次数",
            "≤0次",
        ),
        (
            "组织全区人民调解员开展相关培训工作",
            "数量指标",
            "全区人民调解员培训人次",
            f"≥{PLACEHOLDER}人次",
        ),
        (
            "运行维护行政执法监督平台功能",
            "质量指标",
            "行政执法监督平台正常运行率",
            f"≥{PLACEHOLDER}%",
        ),
        (
            "聘请律师、法律工作者到三级公共法律服务中心（站）值班",
            "数量指标",
            "聘请律师、法律工作者人数",
            f"≥{PLACEHOLDER}人",
        ),
        ("更新购置设备等", "数量指标", "更新购置设备数量", f"≥{PLACEHOLDER}台（套）"),
        (
            "实现法律援助应援尽援、应援优援",
            "社会效益指标",
            "法律援助应援尽援率",
            f"≥{PLACEHOLDER}%",
        ),
        ("首站救助发放到位", "质量指标", "首站救助发放到位率", f"≥{PLACEHOLDER}%"),
        (
            "完成对符合规定的村居下设党支部书记发放补贴",
            "数量指标",
            "村居下设党支部书记补贴发放人数",
            f"≥{PLACEHOLDER}人",
        ),
        ("保证补贴资金及时、足额、合规发放", "时效指标", "补贴资金发放及时率", f"≥{PLACEHOLDER}%"),
        (
            "完成第三批法治政府建设综合示范区创建工作",
            "时效指标",
            "第三批法治政府建设综合示范区创建完成时间",
            "2027年12月31日前",
        ),
    ],
)
def test_a_clause_that_names_a_work_gives_a_metric(clause, level2, name, value):
    m = clause_metric(clause, 2027)
    assert m is not None and (m.level2, m.name, m.value) == (level2, name, value)
    assert m.clause == clause
    # The rules read it as a metric with a standard, in its category.
    row = Indicator(level1=m.level1, level2=m.level2, name=m.name, value=parse_value(m.value))
    table = Table(project="x", year=2027, budget_total=Decimal(10000), indicators=[row])
    named = {f.code for f in check(table) if f.row == 1}
    assert not named & {"name_not_metric", "vague_value", "wrong_direction", "unit_mismatch"}


@pytest.mark.parametrize(
    "clause",
    [
        "提升公共法律服务质量",  # an aim: what measures it is a judgement
        "促进司法行政系统业务开展",
        "提高行政执法人员办案效率",  # 效率 is no rate a reviewer could count
        "提升六安城市的知名度和美誉度",  # two things at once
        "组织协调推进全州食品安全重点工作",  # coordinating is no count
        "全年举办1000场法治宣传宣讲活动",  # a figure: the goal's own number, read elsewhere
        "保障各项工作顺利开展",
    ],
)
def test_a_clause_that_states_an_aim_gives_none(clause):
    assert clause_metric(clause, 2027) is None


def test_a_goal_gives_the_metric_of_its_first_clause_that_has_one():
    goal = "提高刑事法律援助服务质量，深入推进认罪认罚从宽工作，做好法律援助工作站律师值班工作"
    m = goal_metric(goal, 2027)
    assert m is not None and m.name == "法律援助工作站律师值班天数"
    assert goal_metric("提升人民调解社会公信力", 2027) is None


def test_amounts_a_brief_states_for_parts_of_the_work_are_cost_items():
    goal = (
        "督促勘察设计单位、咨询单位完成勘察设计费、审查咨询费结算532万元,"
        "以及茶山、常平镇街完成3个项目补助尾款结算387万元。"
    )
    items = stated_costs(goal, Decimal(9190000))
    assert [(c.name, c.yuan) for c in items] == [
        ("勘察设计费、审查咨询费结算", Decimal(5320000)),
        ("3个项目补助尾款结算", Decimal(3870000)),
    ]


def test_a_price_per_unit_or_the_whole_budget_is_no_cost_item():
    per_unit = "送戏进万村,按照明年的任务70个行政村,每村4400元,市级需配套704元/村。"
    assert stated_costs(per_unit, Decimal(50000)) == []
    assert stated_costs("目标4:年度预算总金额3万元", Decimal(30000)) == []
    assert stated_costs("项目资金50万元用于教育帮扶", Decimal(500000)) == []


def test_a_clause_listing_several_figures_gives_a_row_for_each():
    from jixiao.brief import make_brief
    from jixiao.draft_new import goal_figures

    goal = "改善基础实施建设,呼家河至鲍家沟果园路建设2公里、寨山石坪果园路2公里"
    brief = make_brief(project="果园路", budget="500万元", purpose="果园路建设", goals=[goal])
    rows = goal_figures(brief, [])
    assert [(r.name, r.value.raw, r.provenance.kind) for r in rows] == [
        ("呼家河至鲍家沟果园路建设长度", "≥2公里", "from_brief"),
        ("寨山石坪果园路长度", "≥2公里", "from_brief"),
    ]
    # A list of names with one figure stays one clause: 律师、法律工作者 is one object.
    one = make_brief(project="x", budget="1万元", purpose="y", goals=["聘请律师、法律工作者3名"])
    assert [r.name for r in goal_figures(one, [])] == ["聘请律师、法律工作者人数"]


def test_sites_and_buildings_a_goal_counts_give_rows_as_the_review_reads_them():
    from jixiao.brief import make_brief
    from jixiao.draft_new import goal_figures

    goal = "完成3处文物修缮，新建公厕2座"
    brief = make_brief(project="文物保护", budget="50万元", purpose="文物修缮", goals=[goal])
    rows = goal_figures(brief, [])
    assert [r.value.raw for r in rows] == ["≥3处", "≥2座"]
