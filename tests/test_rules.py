"""One test per rule: it fires on the defect it names and stays quiet on a sound row."""

from decimal import Decimal

import pytest

from jixiao.catalogue import CATALOGUE
from jixiao.model import Finding, Indicator, Table
from jixiao.rules import CODES, RULES, check
from jixiao.values import parse_value

OUT, E, S = "产出指标", "效益指标", "满意度指标"
GOOD = [
    (OUT, "数量指标", "培训人民调解员人次", "全年培训的调解员人次", "≥300人次"),
    (OUT, "质量指标", "培训考核合格率", "合格人数/参训人数", "≥95%"),
    (OUT, "时效指标", "培训完成时间", "全部培训班结业", "2025年10月31日前"),
    (OUT, "成本指标", "人均培训成本", "培训支出/培训人次", "≤500元/人次"),
    (E, "社会效益指标", "矛盾纠纷调解成功率", "调解成功件数/受理件数", "≥96%"),
    (S, "服务对象满意度指标", "参训调解员满意度", "结业问卷", "≥90%"),
]


def table(
    rows=GOOD,
    budget="150000",
    fiscal=None,
    other=None,
    year=2025,
    weights=None,
    purpose="培训人民调解员",
    goals=("全年培训人民调解员300人次",),
) -> Table:
    indicators = [
        Indicator(
            level1=a,
            level2=b,
            name=c,
            description=d,
            value=parse_value(v),
            weight=Decimal(weights[i]) if weights else None,
        )
        for i, (a, b, c, d, v) in enumerate(rows)
    ]
    return Table(
        project="2025年人民调解员培训项目",
        year=year,
        budget_total=Decimal(budget),
        budget_fiscal=Decimal(fiscal if fiscal is not None else budget),
        budget_other=Decimal(other) if other else None,
        purpose=purpose,
        goals=list(goals),
        indicators=indicators,
    )


def replace(row: int, new: tuple) -> list[tuple]:
    rows = list(GOOD)
    rows[row - 1] = new
    return rows


def codes(t: Table, row: int | None = None) -> set[str]:
    return {f.code for f in check(t) if row is None or f.row == row}


def test_a_sound_table_has_no_findings():
    assert check(table()) == []


def test_every_checkable_code_has_a_rule():
    checkable = {c for c, entry in CATALOGUE.items() if entry.detect[0] in "DH"}
    assert checkable == set(CODES)
    assert len(RULES) == len(CODES)  # one rule per code


def test_findings_are_complete_and_located():
    t = table(replace(4, (OUT, "成本指标", "培训总成本", "全部培训支出", "≤60万元")))
    [f] = [f for f in check(t) if f.code == "cost_exceeds_budget"]
    assert isinstance(f, Finding)
    assert (f.table_id, f.row, f.level2, f.indicator) == (t.id, 4, "成本指标", "培训总成本")
    assert f.severity == "error" and f.origin == "rule"
    assert "60万元" in f.message and "150000元" in f.message
    assert f.suggestion == "将“≤60万元”改为不超过预算数，如“≤15万元”。"
    assert "财预〔2015〕88号" in f.basis


CASES = [
    # (code, row, bad row)
    ("missing_comparator", 2, (OUT, "质量指标", "培训考核合格率", "合格人数/参训人数", "95%")),
    ("missing_unit", 2, (OUT, "质量指标", "培训考核合格率", "合格人数/参训人数", "≥95")),
    ("rate_over_100", 2, (OUT, "质量指标", "培训考核合格率", "合格人数/参训人数", "≥100%")),
    ("wrong_direction", 1, (OUT, "数量指标", "培训人民调解员人次", "全年培训人次", "≤300人次")),
    ("wrong_direction", 4, (OUT, "成本指标", "人均培训成本", "培训支出/培训人次", "≥500元/人次")),
    ("wrong_direction", 2, (OUT, "质量指标", "培训考核合格率", "合格人数/参训人数", "≤95%")),
    ("unit_mismatch", 4, (OUT, "成本指标", "人均培训成本", "培训支出/培训人次", "≤500人/次")),
    ("unit_mismatch", 1, (OUT, "数量指标", "培训调解员人数", "全年培训人数", "≥300个")),
    (
        "vague_value",
        5,
        (E, "社会效益指标", "矛盾纠纷调解成功率", "调解成功件数/受理件数", "显著提高"),
    ),
    (
        "numbers_in_description_only",
        5,
        (E, "社会效益指标", "调解工作成效", "调解成功率96%，履行率95%", "效果显著"),
    ),
    ("unrealistic_target", 6, (S, "服务对象满意度指标", "参训调解员满意度", "结业问卷", "100%")),
    ("low_target", 3, (OUT, "时效指标", "培训按时完成率", "按计划完成的班次/计划班次", "≥60%")),
    ("unmeasurable_percentage", 5, (E, "社会效益指标", "维护社会稳定", "辖区稳定情况", "≥95%")),
    ("cost_indicator_empty", 4, (OUT, "成本指标", "人均培训成本", "培训支出/培训人次", "")),
    ("cost_not_monetary", 4, (OUT, "成本指标", "成本控制", "严格控制支出", "控制在预算内")),
    ("cost_exceeds_budget", 4, (OUT, "成本指标", "培训总成本", "全部支出", "≤2万元/月")),
    ("cost_restates_budget", 4, (OUT, "成本指标", "培训总成本", "全部支出", "≤15万元")),
    (
        "cost_budget_inconsistent",
        4,
        (OUT, "成本指标", "人均培训成本", "培训支出/培训人次", "≤100元/人次"),
    ),
    (
        "satisfaction_wrong_subject",
        6,
        (S, "服务对象满意度指标", "培训工作人员满意度", "问卷", "≥90%"),
    ),
    (
        "satisfaction_subject_unspecified",
        6,
        (S, "服务对象满意度指标", "社会满意度", "年末问卷", "≥90%"),
    ),
    ("satisfaction_misplaced", 5, (E, "社会效益指标", "参训调解员满意度", "结业问卷", "≥90%")),
    ("invalid_category", 5, (E, "工作效益指标", "矛盾纠纷调解成功率", "成功件数/受理件数", "≥96%")),
    (
        "invalid_category",
        2,
        (OUT, "社会效益指标", "矛盾纠纷调解成功率", "成功件数/受理件数", "≥96%"),
    ),
    (
        "indicator_misclassified",
        2,
        (OUT, "质量指标", "培训按时完成率", "按时班次/计划班次", "≥95%"),
    ),
    ("indicator_misclassified", 5, (E, "社会效益指标", "为群众提供调解服务", "调解服务", "≥100次")),
    ("process_indicator_as_output", 2, (OUT, "质量指标", "预算执行率", "支出/预算", "≥95%")),
    ("value_in_name", 1, (OUT, "数量指标", "培训调解员300人次", "全年培训人次", "≥300人次")),
    (
        "name_not_metric",
        5,
        (E, "社会效益指标", "提高调解工作水平", "调解成功件数/受理件数", "≥96%"),
    ),
    (
        "name_description_mismatch",
        5,
        (E, "社会效益指标", "调解案件公开率", "调解员培训次数", "≥96%"),
    ),
    (
        "description_duplicates_name",
        2,
        (OUT, "质量指标", "培训考核合格率", "培训考核、合格率", "≥95%"),
    ),
    ("text_artifact", 2, (OUT, "质量指标", "培训考核合格率", "合格人数，，参训人数", "≥95%")),
    ("text_artifact", 1, (OUT, "数量指标", "培训人民调解员人次", "全年培训人次", "≥**人次")),
    (
        "period_inconsistent",
        3,
        (OUT, "时效指标", "培训完成时间", "全部培训班结业", "2024年10月31日前"),
    ),
]


@pytest.mark.parametrize("code,row,bad", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_its_defect_only(code, row, bad):
    assert code in codes(table(replace(row, bad)), row)
    assert code not in codes(table())


def test_cost_indicator_missing():
    assert "cost_indicator_missing" in codes(table([r for r in GOOD if r[1] != "成本指标"]))


def test_level1_missing_names_the_group():
    [f] = [f for f in check(table([r for r in GOOD if r[0] != S])) if f.code == "level1_missing"]
    assert f.row is None and "满意度指标" in f.message


def test_2021_framework_needs_cost_as_level1_and_accepts_it():
    rows = [("成本指标", "经济成本指标", "人均培训成本", "培训支出/培训人次", "≤500元/人次")]
    rows += [r for r in GOOD if r[1] != "成本指标"]
    assert codes(table(rows)) == set()
    no_satisfaction = [r for r in rows if r[0] != S]
    assert "level1_missing" in codes(table(no_satisfaction))


def test_quantity_as_rate_only():
    rows = replace(1, (OUT, "数量指标", "调解员培训覆盖率", "参训人数/调解员人数", "≥95%"))
    assert "quantity_as_rate_only" in codes(table(rows))


def test_weights_not_summing():
    assert "weights_not_summing" in codes(table(weights=[20, 10, 15, 10, 25, 15]))
    assert "weights_not_summing" not in codes(table(weights=[20, 10, 15, 10, 25, 20]))


def test_budget_breakdown_inconsistent():
    assert "budget_breakdown_inconsistent" in codes(table(fiscal="120000", other="20000"))
    assert "budget_breakdown_inconsistent" not in codes(table(fiscal="130000", other="20000"))


def test_text_artifact_in_purpose():
    [f] = [
        f for f in check(table(purpose="培训人民调解员，，提升能力")) if f.code == "text_artifact"
    ]
    assert f.row is None and "，，" in f.message


def test_cost_exceeds_budget_multiplies_months_and_skips_unit_costs():
    monthly = table(replace(4, (OUT, "成本指标", "培训总成本", "全部支出", "≤1.5万元/月")))
    [f] = [f for f in check(monthly) if f.code == "cost_exceeds_budget"]
    assert "18万元" in f.message and "≤1.25万元/月" in f.suggestion
    per_head = table(replace(4, (OUT, "成本指标", "人均培训成本", "人均", "≤50万元/人")))
    assert "cost_exceeds_budget" not in codes(per_head)


def test_order_is_stable_whole_table_first():
    t = table([r for r in GOOD if r[0] != S], purpose="培训，，调解员")
    found = check(t)
    assert [f.row for f in found][:2] == [None, None]
    assert found == check(t)


def test_cost_given_as_a_rate_is_one_finding_not_two():
    rows = replace(4, (OUT, "成本指标", "成本控制率", "实际支出/预算", "≥95%"))
    assert codes(table(rows), 4) == {"cost_not_monetary"}
