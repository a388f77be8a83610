"""The defect catalogue of DOMAIN.md §4: the shared vocabulary of findings and labels.

Plus the reviewer's own notes (`NOTES`): codes that are no defect of the table and so never a
label, such as `check_not_run` (a check the table's missing fields kept from running).
"""

from __future__ import annotations

from typing import NamedTuple


class Code(NamedTuple):
    code: str
    title: str  # Chinese, for reports
    detect: str  # D, D/H, H→L or L, as in DOMAIN.md
    note: bool = False  # a note of the reviewer, not a defect of DOMAIN.md §4


CATALOGUE: dict[str, Code] = {
    c.code: c
    for c in [
        Code("vague_value", "指标值无法衡量", "H→L"),
        Code("numbers_in_description_only", "量化目标只写在描述里", "D"),
        Code("missing_comparator", "缺少比较符", "D"),
        Code("missing_unit", "缺少计量单位", "D"),
        Code("unit_mismatch", "单位与指标不符", "D/H"),
        Code("wrong_direction", "比较符方向错误", "D/H"),
        Code("rate_over_100", "比率超过100%", "D"),
        Code("unrealistic_target", "目标不切实际", "H→L"),
        Code("low_target", "目标偏低", "H→L"),
        Code("implausible_value", "数值与事实不符", "L"),
        Code("cost_indicator_missing", "缺少成本指标", "D"),
        Code("cost_indicator_empty", "成本指标为空", "D"),
        Code("cost_exceeds_budget", "成本超过预算", "D"),
        Code("cost_budget_inconsistent", "单位成本与预算不匹配", "D"),
        Code("cost_not_monetary", "成本指标不是金额", "D"),
        Code("cost_restates_budget", "成本指标复述预算", "D/H"),
        Code("satisfaction_wrong_subject", "满意度调查对象错误", "H→L"),
        Code("satisfaction_subject_unspecified", "满意度未写明调查对象", "D"),
        Code("satisfaction_misplaced", "满意度指标位置错误", "D"),
        Code("level1_missing", "缺少一级指标", "D"),
        Code("invalid_category", "指标类别不规范", "D"),
        Code("indicator_misclassified", "指标归类错误", "H→L"),
        Code("process_indicator_as_output", "过程指标当作产出", "D"),
        Code("unmeasurable_percentage", "百分比无法测量", "H→L"),
        Code("value_in_name", "名称中含目标值", "D"),
        Code("name_not_metric", "名称不是指标", "H→L"),
        Code("name_description_mismatch", "名称与描述不符", "H→L"),
        Code("description_duplicates_name", "描述重复名称", "D"),
        Code("text_artifact", "文字残留", "D"),
        Code("indicator_unrelated_to_purpose", "指标与资金用途无关", "L"),
        Code("goal_not_covered", "目标未被指标覆盖", "L"),
        Code("goal_too_generic", "目标空泛", "L"),
        Code("budget_breakdown_inconsistent", "预算构成不符", "D"),
        Code("period_inconsistent", "时间不一致", "D"),
        Code("quantity_as_rate_only", "数量指标只有比率", "D"),
        Code("missing_core_effect", "缺少核心效益指标", "L"),
        Code("weights_not_summing", "权重合计不符", "D"),
        # Not in DOMAIN.md §4 and not a defect: the reviewer says what it could not check.
        Code("check_not_run", "未能完成的核对", "D", note=True),
        # The model could not review the table (its endpoint failed, its reply was cut): the
        # table has the rules' findings only, and every report says so on the table.
        Code("model_not_run", "模型未能审阅", "L", note=True),
    ]
}
NOTES = frozenset(c.code for c in CATALOGUE.values() if c.note)


def family(code: str) -> str:
    """`D` for codes the rules must always catch (D and D/H), `H` for heuristics, `L` for the model."""
    detect = CATALOGUE[code].detect
    return "D" if detect.startswith("D") else detect[0]
