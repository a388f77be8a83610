"""Fixing last year's defects in a draft: each deterministic finding fixed with the rule's own
suggestion where it is a concrete value, and with an explicit 【请填写】 placeholder where the
fix needs a fact only the officer has (a cost breakdown, a unit, a missing indicator).

Rule suggestions that are not machine-usable as they stand, and what is done instead:
- `missing_comparator` on a year (`2021年全年`, `2025年年底前`): the rule reads the year as a
  number and suggests `≥2021年全年`; the value is rewritten as a date instead.
- `missing_comparator` on `100%` offers two values (`=100%` or `≥95%`): `=100%` keeps last year's
  figure, and the reason names the other choice.
- `value_in_name` suggests a name ending in `数量` whatever the measure: the figure is removed from
  the name instead (the value keeps its own).
- `invalid_category` lists the allowed labels: the one the label names (`数量指标 (必填硬性指标)`
  → 数量指标) or shares most characters with is taken; a tie or no match is left for the officer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_FLOOR, Decimal

from jixiao.draft_edit import PLACEHOLDER, ROW_FIELDS, Editor
from jixiao.model import Finding, Indicator, Value
from jixiao.rules.structure import PLACEHOLDER_NOTE
from jixiao.rules.wording import STAR_MARK, VALUE_IN_NAME
from jixiao.values import excel_serial

_QUOTED = re.compile(r"[改为如写]“([^”]+)”")
_LIST = re.compile(r"改为(.+?)之一")
_NOTE = re.compile(r"\s*[（(][^）)]*[）)]\s*")
# The level 2 a new row of a missing level 1 goes under.
DEFAULT_LEVEL2 = {
    "产出指标": "数量指标",
    "成本指标": "经济成本指标",
    "效益指标": "社会效益指标",
    "满意度指标": "服务对象满意度指标",
}
COST_PLACEHOLDER = f"≤{PLACEHOLDER}万元"

Fix = Callable[[Editor, Finding, Indicator | None], bool]


def quoted(suggestion: str) -> str | None:
    """The concrete value a suggestion proposes (`改为“≥20个”。` → `≥20个`), or None."""
    m = _QUOTED.search(suggestion)
    if not m or "XX" in m[1] or "…" in m[1]:
        return None
    return m[1]


def why(f: Finding, what: str = "") -> str:
    return f"修正{f.code}：{what or f.message}"


# --- values ------------------------------------------------------------------------------------


def missing_comparator(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    v = ind.value
    if v.number is not None and 1990 <= v.number <= 2100 and (v.unit or "").startswith("年"):
        year = int(v.number)
        date = f"{year}年1月—{year}年12月" if "全年" in v.raw else f"{year}年12月31日前"
        return ed.cell(ind, "value", date, why(f, f"“{v.raw}”是时限，改写成日期"), f.code)
    fix = quoted(f.suggestion) or ""
    if fix.startswith("=100%"):
        return ed.cell(
            ind, "value", "=100%", why(f, "保留去年的100%，确需全部达到；否则可设为≥95%"), f.code
        )
    if "|" in v.raw and fix:
        fix = " | ".join(fix[0] + part.strip() for part in v.raw.split("|"))
    return bool(fix) and ed.cell(ind, "value", fix, why(f, "补上比较符"), f.code)


def missing_unit(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    fix = quoted(f.suggestion)
    if fix:
        return ed.cell(ind, "value", fix, why(f, "补上计量单位"), f.code)
    text = f"{ind.value.raw.strip()}【请填写单位】"
    return ed.cell(ind, "value", text, why(f, "单位须由填报人给出"), f.code)


def concrete(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    """wrong_direction, cost_exceeds_budget, period_inconsistent, numbers_in_description_only:
    the rule's suggestion is the new value."""
    fix = quoted(f.suggestion)
    return bool(fix) and ed.cell(ind, "value", fix, why(f), f.code)


def unit_mismatch(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    fix = quoted(f.suggestion)
    if fix and f.suggestion.startswith("改为"):
        return ed.cell(ind, "value", fix, why(f), f.code)
    v = ind.value
    if f.suggestion.startswith("成本指标"):
        text = COST_PLACEHOLDER
    elif f.suggestion.startswith("改用金额单位"):  # 物业费 | 8个: a sum of money
        text = f"{v.comparator or '≤'}{PLACEHOLDER}万元"
    elif f.suggestion.startswith("写明计量对象"):  # 补助标准 | 40万元: per what is the officer's
        text = f"{v.comparator or '≤'}{v.number.normalize():f}{v.unit}/{PLACEHOLDER}"
    else:
        text = f"{v.comparator or '≥'}{PLACEHOLDER}%"
    return ed.cell(
        ind, "value", text, why(f, f"去年“{v.raw}”的单位与名称不符，请按名称填写"), f.code
    )


def rate_over_100(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    v = ind.value
    text = "=100%" if v.number == 100 else f"≥{PLACEHOLDER}%"
    return ed.cell(ind, "value", text, why(f, "比率不超过100%"), f.code)


def cost_placeholder(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    """cost_indicator_empty, cost_not_monetary, cost_restates_budget: the amount is the officer's."""
    return ed.cell(ind, "value", COST_PLACEHOLDER, why(f, f.suggestion), f.code)


def cost_budget_inconsistent(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    m = re.search(r"单位成本约为([\d.]+(?:万元|元)/\S+?)。", f.suggestion)
    if not m:
        return False
    comparator = ind.value.comparator or "≤"
    return ed.cell(
        ind, "value", f"{comparator}{m[1]}", why(f, "按预算和计划数量反推单位成本"), f.code
    )


# --- names and descriptions --------------------------------------------------------------------


def value_in_name(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    name = VALUE_IN_NAME.sub("", ind.name)
    name = re.sub(r"(?:及以上|以上|及以下|以下)$", "", name.strip(" ，,。(（）)")).strip()
    if len(re.sub(r"\W", "", name)) < 2:
        name = f"{PLACEHOLDER}指标名称"
    return ed.cell(ind, "name", name, why(f, "名称只说衡量什么，目标值写在指标值里"), f.code)


def satisfaction_subject(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    fix = quoted(f.suggestion)
    return bool(fix) and ed.cell(ind, "name", fix, why(f, "写明调查对象"), f.code)


def description_duplicates_name(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    text = f"{ind.name}（{PLACEHOLDER}统计范围或计算方法）"
    return ed.cell(ind, "description", text, why(f, "描述应写明口径"), f.code)


def text_artifact(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    reason = why(f, "删去复制残留，未填的占位符换成【请填写】")
    if ind is None:
        t = ed.table
        changed = ed.table_field("project", clean(t.project), reason, f.code)
        changed |= ed.table_field("purpose", clean(t.purpose), reason, f.code)
        changed |= ed.table_field("goals", [clean(g) for g in t.goals], reason, f.code)
        return ed.table_field("artifacts", [], reason, f.code) or changed
    changed = False
    if (day := excel_date(ind.value.raw)) and "Excel日期序列号" in f.message:
        changed |= ed.cell(ind, "value", f"{day}前", why(f, f"日期序列号即{day}"), f.code)
    for field in ("name", "description", "value"):
        text = ind.value.raw if field == "value" else getattr(ind, field)
        if field == "name":  # a template's mark before it, its value's hint after it: gone
            text = PLACEHOLDER_NOTE.sub("", STAR_MARK.sub("", text)).strip() or text
        changed |= ed.cell(ind, field, clean(text), reason, f.code)
    if ind.artifacts:
        ed.clear_artifacts(ind, reason, f.code)
        changed = True
    return changed


def clean(text: str) -> str:
    """Residue out: `**`, `xx`, 待定 → 【请填写】, doubled punctuation once, `指标1` → placeholder."""
    text = re.sub(r"\*{2,}|＊{2,}|(?<![A-Za-z])[xX×]{2,}(?![A-Za-z])|待定|待填", PLACEHOLDER, text)
    text = re.sub(r"([，。；、,;：:])\1+", r"\1", text)
    text = re.sub(r"^指标\d+[:：]\s*(?=\S)", "", text, flags=re.M)  # a template's `指标1:` prefix
    return re.sub(r"^指标\d+$", f"{PLACEHOLDER}指标名称", text, flags=re.M)


def excel_date(raw: str) -> str | None:
    """`44,561` → `2021年12月31日`: the date an Excel serial number stands for."""
    found = excel_serial(raw)
    return f"{found[1].year}年{found[1].month}月{found[1].day}日" if found else None


def process_indicator(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    reason = why(f, f"“{ind.name}”是预算执行过程指标，请换成项目本身的产出或效益")
    ed.cell(ind, "name", f"{PLACEHOLDER}产出或效益指标名称", reason, f.code)
    ed.cell(ind, "description", f"{PLACEHOLDER}统计范围或计算方法", reason, f.code)
    return ed.cell(ind, "value", PLACEHOLDER, reason, f.code)


# --- categories and rows -----------------------------------------------------------------------


def invalid_category(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    field = "level1" if f.message.startswith("一级指标") else "level2"
    label = getattr(ind, field)
    if m := re.search(r"移到“(.+?)”下", f.suggestion):  # a level 2 under another level 1
        ed.cell(ind, "level1", m[1], why(f), f.code)
        _regroup(ed, ind)
        return True
    allowed = _LIST.search(f.suggestion)
    choice = best_label(label, allowed[1].split("、") if allowed else [])
    if choice:
        return ed.cell(ind, field, choice, why(f, f"“{label}”改为规范名称"), f.code)
    ask = f"【请选择规范名称：{label}】" if label else f"【请选择{ROW_FIELDS[field]}】"
    return ed.cell(ind, field, ask, why(f, "类别须由填报人从规范名称中选定"), f.code)


def best_label(label: str, allowed: list[str]) -> str | None:
    """The allowed label `label` means: the one it contains once its notes are stripped, else the
    one sharing most characters with it (ties: the one named first); None when none fits."""
    core = re.sub(r"\s+", "", _NOTE.sub("", label)).removesuffix("指标")
    named = [a for a in allowed if a.removesuffix("指标") and a.removesuffix("指标") in core]
    if named:
        return min(named, key=lambda a: core.index(a.removesuffix("指标")))
    scored = [(len(set(a.removesuffix("指标")) & set(core)), a) for a in allowed]
    best = max((s for s, _ in scored), default=0)
    tops = [a for s, a in scored if s == best]
    return tops[0] if best >= 2 and len(tops) == 1 else None


def satisfaction_misplaced(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    ed.cell(ind, "level1", "满意度指标", why(f), f.code)
    ed.cell(ind, "level2", "服务对象满意度指标", why(f), f.code)
    _regroup(ed, ind)
    return True


def _regroup(ed: Editor, ind: Indicator) -> None:
    """Move a row whose level 1 changed next to the other rows of that level 1."""
    same = [i for i, r in enumerate(ed.table.indicators) if r.level1 == ind.level1 and r is not ind]
    if same:
        ed.move_row(ind, same[-1] + 1 if same[-1] < ed.table.indicators.index(ind) else same[-1])


def level1_missing(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    for group in f.evidence.split("、"):
        _add(ed, group, DEFAULT_LEVEL2.get(group, ""), f, f"补充{group}")
    return True


def cost_indicator_missing(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    m = re.search(r"“(.+?)-(.+?)”", f.suggestion)
    level1, level2 = (m[1], m[2]) if m else ("产出指标", "成本指标")
    _add(ed, level1, level2, f, "补充成本指标", name=f"{PLACEHOLDER}单位成本或支出项目")
    return True


def quantity_as_rate_only(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    level1 = next(r.level1 for r in ed.table.indicators if "数量" in r.level2)
    level2 = next(r.level2 for r in ed.table.indicators if "数量" in r.level2)
    _add(ed, level1, level2, f, "补充计划完成的绝对数量")
    return True


def _add(ed: Editor, level1: str, level2: str, f: Finding, what: str, name: str = "") -> None:
    rows = ed.table.indicators
    if "满意度" in level1:
        name, value = "服务对象满意度", f"≥{PLACEHOLDER}%"
    elif "成本" in level1 + level2:
        value = COST_PLACEHOLDER
    else:
        value = f"≥{PLACEHOLDER}"
    same = [
        i for i, r in enumerate(rows) if r.level1 == level1 and (not level2 or r.level2 == level2)
    ]
    at = same[-1] + 1 if same else (0 if level1.startswith(("产出", "成本")) else len(rows))
    new = Indicator(
        level1=level1,
        level2=level2,
        name=name or f"{PLACEHOLDER}指标名称",
        description=f"{PLACEHOLDER}统计范围或计算方法",
        value=Value(raw=value, kind="unparsed"),
    )
    ed.add_row(new, at, why(f, what), f.code, note=f"{what}：填写指标名称、口径和目标值")


def budget_breakdown(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    """预算数 above 财政资金 with no 其他资金: the rest is other funds. The other way round (财政资金
    above 预算数) only the officer knows which figure is wrong."""
    t = ed.table
    if t.budget_total is None or t.budget_fiscal is None or t.budget_other:
        return False
    if t.budget_fiscal >= t.budget_total:
        return False
    rest = t.budget_total - t.budget_fiscal
    return ed.table_field(
        "budget_other", rest, why(f, "其他资金＝预算数－财政资金，请核对"), f.code
    )


def weights(ed: Editor, f: Finding, ind: Indicator | None) -> bool:
    """Weights scaled to sum to 100, in their proportions (largest remainders get the rounding)."""
    rows = [r for r in ed.table.indicators if r.weight is not None]
    total = sum((r.weight for r in rows), Decimal(0))
    if not total or any(r.weight != r.weight.to_integral_value() for r in rows):
        return False
    exact = [r.weight * 100 / total for r in rows]
    new = [e.to_integral_value(rounding=ROUND_FLOOR) for e in exact]
    for i in sorted(range(len(rows)), key=lambda i: new[i] - exact[i])[: int(100 - sum(new))]:
        new[i] += 1
    reason = why(f, f"权重按原比例调整为合计100分（原合计{total.normalize():f}分），请核对")
    for r, w in zip(rows, new, strict=True):
        if w != r.weight:
            before = f"{r.weight.normalize():f}"
            r.weight = w
            ed.note_change(r, "weight", before, f"{w.normalize():f}", reason, f.code)
    return True


FIXES: dict[str, Fix] = {
    "budget_breakdown_inconsistent": budget_breakdown,
    "weights_not_summing": weights,
    "missing_comparator": missing_comparator,
    "missing_unit": missing_unit,
    "wrong_direction": concrete,
    "cost_exceeds_budget": concrete,
    "period_inconsistent": concrete,
    "numbers_in_description_only": concrete,
    "unit_mismatch": unit_mismatch,
    "rate_over_100": rate_over_100,
    "cost_indicator_empty": cost_placeholder,
    "cost_not_monetary": cost_placeholder,
    "cost_restates_budget": cost_placeholder,
    "cost_budget_inconsistent": cost_budget_inconsistent,
    "value_in_name": value_in_name,
    "satisfaction_subject_unspecified": satisfaction_subject,
    "description_duplicates_name": description_duplicates_name,
    "text_artifact": text_artifact,
    "process_indicator_as_output": process_indicator,
    "invalid_category": invalid_category,
    "satisfaction_misplaced": satisfaction_misplaced,
    "level1_missing": level1_missing,
    "cost_indicator_missing": cost_indicator_missing,
    "quantity_as_rate_only": quantity_as_rate_only,
}
# Fixes that add or move rows: one a round, after the cell fixes, so row numbers stay true.
STRUCTURAL = {
    "level1_missing",
    "cost_indicator_missing",
    "quantity_as_rate_only",
    "satisfaction_misplaced",
    "invalid_category",
}


def scaled_cap(value: Value, factor: Decimal) -> str:
    """A total-cost cap scaled by `factor`, in its own unit, rounded down to the fen:
    `≤30.28万元` × 0.8 → `≤24.22万元`."""
    unit = value.unit or "元"
    places = Decimal("0.000001") if unit.startswith("万元") else Decimal("0.01")
    number = (value.number * factor).quantize(places, rounding=ROUND_FLOOR)
    if unit.startswith("万元"):
        number = number.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return f"{value.comparator or '≤'}{number.normalize():f}{unit}"
