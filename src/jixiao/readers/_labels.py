"""The words of a 绩效目标表: header-field labels, grid column names, cell cleaning, goals."""

from __future__ import annotations

import re

# Header fields above or inside the table, by normalized label (see `label_key`).
FIELD_LABELS: dict[str, str] = {
    **dict.fromkeys(["项目名称"], "project"),
    **dict.fromkeys(
        [
            "预算数",
            "年度资金总额",
            "资金总额",
            "预算金额",
            "项目预算",
            "年度预算数",
            "预算总额",
            "年度预算",
            "项目资金总额",
            "资金总额合计",
            "预算资金",
        ],
        "budget_total",
    ),
    **dict.fromkeys(
        ["财政资金", "财政拨款", "本级财政资金", "财政性资金", "一般公共预算资金", "当年财政拨款"],
        "budget_fiscal",
    ),
    **dict.fromkeys(["其他资金", "其他来源资金"], "budget_other"),
    **dict.fromkeys(
        ["预算规模及资金用途", "资金用途", "项目概况", "项目内容", "主要内容", "项目资金用途"],
        "purpose",
    ),
    **dict.fromkeys(
        [
            "绩效目标",
            "年度绩效目标",
            "年度目标",
            "总体目标",
            "年度总体目标",
            "实施目标",
            "项目绩效目标",
        ],
        "goals",
    ),
    **dict.fromkeys(
        ["单位名称", "预算单位", "主管部门", "实施单位", "预算单位名称", "申报单位", "部门名称"],
        "unit",
    ),
    **dict.fromkeys(["年度", "预算年度"], "year"),
}

# Indicator-grid columns: the first pattern a header cell contains decides its meaning.
COLUMN_PATTERNS: list[tuple[str, str]] = [
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
    ("指标描述", "description"),
    ("指标解释", "description"),
    ("指标说明", "description"),
    ("指标内容", "description"),
    ("指标性质", "comparator"),
    ("比较符", "comparator"),
    ("运算符", "comparator"),
    ("度量单位", "unit"),
    ("计量单位", "unit"),
    ("指标方向", "direction"),
    ("权重", "weight"),
    ("分值", "weight"),
    ("绩效标准", "standard"),
    ("设定依据", "standard"),
    ("指标值", "value"),
    ("目标值", "value"),
    ("指标名称", "name"),
]

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_MONEY_UNIT = re.compile(r"(?:金额|资金)?单位\s*[:：]\s*(万元|元)")
_UNIT_LINE = re.compile(r"^(\d{6})\s*([^\d\s].*)$")
_TITLE = re.compile(r"^\s*(?:\d+\s*[.、．]\s*)?(.*绩效目标(?:申报)?表)\s*$")
_INLINE_FIELD = re.compile(r"^([^:：]{2,12})\s*[:：]\s*(.+)$")


def clean(text: str | None, artifacts: list[str]) -> str:
    """Strip a cell and remove extraction residue such as `[bookmark: _GoBack]`, recording it."""
    if not text:
        return ""
    found = _BOOKMARK.findall(text)
    if found:
        artifacts.extend(found)
        text = _BOOKMARK.sub("", text)
    return text.strip()


def label_key(text: str) -> str:
    """Normalize a label cell: no spaces, no `其中`, no colon, no money unit in brackets."""
    t = re.sub(r"\s+", "", text)
    t = re.sub(r"[（(](?:万元|元)[)）]", "", t)
    t = t.removeprefix("其中").lstrip(":：").rstrip(":：")
    return t


def field_of(text: str) -> str | None:
    """The header field a label cell names (`其中：财政    资金` → `budget_fiscal`), else None."""
    return FIELD_LABELS.get(label_key(text)) if text and len(text) <= 24 else None


def inline_field(text: str) -> tuple[str, str] | None:
    """`项目名称：X` in one cell → ("project", "X")."""
    m = _INLINE_FIELD.match(text)
    if m and (field := field_of(m[1])):
        return field, m[2].strip()
    return None


def money_unit_in(text: str) -> str | None:
    """`单位：元` / `金额单位：万元` / `预算数（万元）` → the money unit named, else None."""
    m = _MONEY_UNIT.search(text)
    if m:
        return m[1]
    m = re.search(r"[（(](万元|元)[)）]", text)
    return m[1] if m and len(text) <= 24 else None


def unit_line(text: str) -> tuple[str, str] | None:
    """`343101天津市滨海新区司法局` → ("343101", "天津市滨海新区司法局")."""
    m = _UNIT_LINE.match(text)
    return (m[1], m[2].strip()) if m else None


def title_of(text: str) -> str | None:
    """A table title (`1.XX经费绩效目标表`) without its running number, else None."""
    m = _TITLE.match(text)
    return m[1].strip() if m and len(text) <= 200 else None


def column_of(header_cell: str) -> str | None:
    """The meaning of an indicator-grid header cell (`绩效指标描述` → `description`)."""
    t = re.sub(r"\s+", "", header_cell)
    if not t or len(t) > 20:
        return None
    if "中期" in t and ("指标值" in t or "目标值" in t):
        return "value_midterm"
    for pattern, column in COLUMN_PATTERNS:
        if pattern in t:
            return column
    return None


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Map column meanings to positions when `cells` is an indicator-grid header row."""
    columns: dict[str, int] = {}
    for i, cell in enumerate(cells):
        column = column_of(cell)
        if column and column not in columns:
            columns[column] = i
    if "name" in columns and ("value" in columns or "level1" in columns):
        return columns
    return None


def split_goals(text: str) -> list[str]:
    """Numbered goals `1.… 2.…` (one per line or inline) → their texts, numbers removed."""
    text = text.strip()
    if not text:
        return []
    marks = [m for m in re.finditer(r"(?:^|(?<=[\s；;。]))(\d{1,2})\s*[.、．)）](?!\d)", text)]
    expected, starts = 1, []
    for m in marks:
        if int(m[1]) == expected:
            starts.append(m)
            expected += 1
    if not starts:
        return [line.strip() for line in text.splitlines() if line.strip()]
    goals = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        goal = re.sub(r"\s*\n\s*", "", text[m.end() : end]).strip()
        if goal:
            goals.append(goal)
    return goals


def year_of(*texts: str) -> int | None:
    """The first `20XX年` in the project name or title, as the table's year."""
    for text in texts:
        m = re.search(r"(20\d{2})\s*年", text or "")
        if m:
            return int(m[1])
    return None
