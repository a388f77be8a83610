"""The indicator grid: which row is its header and which column means what.

Units publish the same 绩效目标表 under many header wordings, column orders and two-row headers, so
a header is recognised by scoring its cells against a vocabulary of meanings, and the mapping is then
checked against what the columns hold: a column of `≥ ≤ =` is the comparator whatever its header
says, a column of `数量指标 / 质量指标` is the level-2 category, a column that only repeats its own
header is a merged side label. `Layout` records what was decided so `parse --explain` can show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# Meanings a grid column can carry; beside them, `field:…` meanings (project …) appear in flat
# exports, where every indicator row repeats the project it belongs to.
GRID_MEANINGS = (
    "level1",
    "level2",
    "name",
    "description",
    "comparator",
    "value",
    "actual",
    "unit",
    "direction",
    "weight",
    "standard",
)

# Names of the meanings, as a budget officer would say them (for `parse --explain`).
MEANING_NAMES = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标（名称）",
    "description": "指标说明",
    "comparator": "比较符",
    "value": "指标值",
    "midterm": "中期指标值",
    "actual": "实际完成值",
    "unit": "计量单位",
    "direction": "指标方向",
    "weight": "权重",
    "standard": "设定依据",
    "field:project": "项目名称（每行重复）",
    "field:unit": "单位名称（每行重复）",
    "field:budget_total": "预算金额（每行重复）",
    "field:goals": "绩效目标（每行重复）",
    "field:purpose": "资金用途（每行重复）",
}

# Header vocabulary: (pattern on the normalized cell, meaning, rank). The first pattern that matches
# decides; among several columns of one meaning, the lowest rank wins (三级指标 over 指标名称).
_VOCABULARY: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(p), meaning, rank)
    for p, meaning, rank in [
        (r"^(?:项目)?(?:名称|项目名称)$", "field:project", 0),
        (
            r"^(?:预算单位|单位名称|部门名称|预算单位名称|部门\(单位\)名称|主管部门)$",
            "field:unit",
            0,
        ),
        (
            r"(?:预算|资金总额|项目金额)(?:金额|总额|数)?$|^项目(?:预算|金额)",
            "field:budget_total",
            0,
        ),
        (r"绩效目标$|^年度目标$|^总体目标$", "field:goals", 0),
        (r"^(?:项目)?资金用途$|^项目概况$", "field:purpose", 0),
        (r"一级指标|^一级$|^指标类型$|^指标类别$", "level1", 0),
        (r"二级指标|^二级$", "level2", 0),
        (r"三级指标|^三级$", "name", 0),
        (r"^(?:绩效)?指标名称", "name", 1),
        (r"^指标内容$", "name", 2),
        (r"^绩效指标$|^指标$", "name", 3),
        (r"指标值说明|指标解释|指标说明|指标描述|^说明$|^指标值(?:的)?解释", "description", 0),
        (r"绩效标准|评分标准|评价标准", "description", 1),
        (r"指标性质|计算符号|比较符|运算符|^符号$|比较方式|^计算方法$", "comparator", 0),
        (r"度量单位|计量单位|^单位$|指标值单位|^指标单位$", "unit", 0),
        (r"指标方向", "direction", 0),
        (r"权重|分值", "weight", 0),
        (r"设定依据|标准或依据|^依据$|^指标标准$", "standard", 0),
        # Last year's (or, in a 自评表, this year's) result printed beside the target.
        (r"^(?!.*(?:说明|原因|分析|偏差)).*(?:实际|完成值|完成情况)", "actual", 0),
        (r"指标值|目标值|实现值|^数值$|计划水平|^年度数值$|^年度指标$", "value", 0),
    ]
]

_ANY_WORD = re.compile("|".join(p.pattern for p, _, _ in _VOCABULARY))

_COMPARATOR_TOKEN = re.compile(
    r"^(?:[≥≤=＝><≧≦═]|>=|<=|=>|=<|==|大于等于|小于等于|大于|小于|等于|不低于|不高于|不少于|不超过)$"
)
_DIRECTION_TOKEN = re.compile(r"^(?:正向|反向|正向指标|反向指标|定性|定量|中性)$")
_LEVEL2_TOKEN = re.compile(r"^.{0,12}(?:数量|质量|时效|成本|效益|满意度?|影响|进度|规模)指标$")
_STANDARD_TOKEN = re.compile(r"^(?:计划|行业|历史|其他|国家|地方)?标准$|^其他$")
_MIDTERM = re.compile(r"中期|长期")
_PREVIOUS = re.compile(r"实际|上年|完成值|基期|已完成")
_ANNUAL = re.compile(r"年度|当年|预期|计划|本年|20\d\d年")


@dataclass
class Column:
    """One header cell read as a meaning."""

    index: int
    text: str
    meaning: str | None
    rank: int = 0
    period: str = ""  # "mid", "previous", "annual" or ""
    group: int | None = None  # columns under one merged header cell share a group
    filled: bool = True  # whether any body row has text in this column


@dataclass
class Layout:
    """How a grid was read: its header rows and the column that became each field."""

    header_rows: list[int] = field(default_factory=list)
    columns: dict[str, list[Column]] = field(default_factory=dict)
    ignored: list[Column] = field(default_factory=list)

    def index(self, meaning: str) -> int | None:
        cols = self.columns.get(meaning)
        return cols[0].index if cols else None

    def money_unit(self) -> str | None:
        """The money unit a flat export's budget column names (`年度预算(万元)`), else None."""
        for col in self.columns.get("field:budget_total", []):
            m = re.search(r"[（(](万元|元)[)）]", col.text)
            if m:
                return m[1]
        return None

    def explain(self) -> list[str]:
        """One line per column, in Chinese, as `parse --explain` prints it."""
        lines = []
        mapped = sorted(
            ((c, meaning) for meaning, cols in self.columns.items() for c in cols),
            key=lambda p: p[0].index,
        )
        for col, meaning in mapped:
            if not col.text:  # read from the content, no header cell
                lines.append(
                    f"列 {_letter(col.index)}（无表头，按内容）→ {MEANING_NAMES.get(meaning, meaning)}"
                )
                continue
            lines.append(
                f"列 {_letter(col.index)}「{col.text}」→ {MEANING_NAMES.get(meaning, meaning)}"
            )
        for col in sorted(self.ignored, key=lambda c: c.index):
            lines.append(f"列 {_letter(col.index)}「{col.text}」→ （未使用）")
        return lines


def normalize_header(text: str) -> str:
    """A header cell without spaces, line breaks, stars and fill-in notes (`（必填）`)."""
    t = re.sub(r"\s+", "", text)
    t = t.lstrip("*＊")
    return re.sub(r"[（(](?:必填|选填|万元|元|%|％)[^)）]*[)）]", "", t)


def read_header_cell(index: int, text: str) -> Column:
    """The meaning of one header cell (`预期2022年实现值` → value, annual)."""
    meaning, rank, period = _meaning_of(text)
    return Column(index, text, meaning, rank, period)


@lru_cache(maxsize=4096)
def _meaning_of(text: str) -> tuple[str | None, int, str]:
    # Cached: every body row is also checked for a repeated header, and cells repeat a lot.
    t = normalize_header(text)
    if not t or len(t) > 24:
        return None, 0, ""
    period = ""
    if _MIDTERM.search(t):
        period = "mid"
    elif _PREVIOUS.search(t):
        period = "previous"
    elif _ANNUAL.search(t):
        period = "annual"
    if _ANY_WORD.search(t):
        for pattern, meaning, rank in _VOCABULARY:
            if pattern.search(t):
                return meaning, rank, period
    return None, 0, period


def header_of(cells: list[str]) -> list[Column] | None:
    """The columns of `cells` when it is an indicator-grid header row, else None.

    A header names the indicator (三级指标 / 指标名称 …) and at least one of its value or its
    categories; a row of header-field labels (项目名称 | X) never qualifies.
    """
    columns = [read_header_cell(i, c) for i, c in enumerate(cells)]
    _group(columns)
    meanings = {c.meaning for c in columns if c.meaning}
    grid = meanings & set(GRID_MEANINGS)
    if len(grid) < 2:
        return None
    if "name" in grid and grid & {"value", "level1", "level2", "comparator"}:
        return columns
    if "level2" in grid and "value" in grid:
        return columns
    return None


def refine_with_subheader(columns: list[Column], cells: list[str]) -> list[Column] | None:
    """Read a second header row under merged cells (`指标值` over `符号 | 数值 | 单位`).

    Returns the refined columns when `cells` is such a row, else None. Every column either repeats
    the row above (a vertical merge), is empty, or sits under a merged cell of the row above.
    """
    changed = False
    for col in columns:
        below = cells[col.index] if col.index < len(cells) else ""
        if not below or below == col.text:
            continue
        if col.group is None:
            return None
        changed = True
    if not changed:
        return None
    refined: list[Column] = []
    for col in columns:
        below = cells[col.index] if col.index < len(cells) else ""
        if col.group is None or not below or below == col.text:
            refined.append(col)
            continue
        sub = read_header_cell(col.index, below)
        if sub.meaning in GRID_MEANINGS:
            # 三级指标 | 目标值 under 中期指标 / 年度指标: the half says which period.
            sub.group, sub.period = col.group, sub.period or col.period
            refined.append(sub)
        else:
            # A region or a year under 区域目标值 / 指标值: one value column each.
            period = sub.period or col.period
            refined.append(Column(col.index, below, col.meaning, col.rank, period, col.group))
    return refined


def _group(columns: list[Column]) -> None:
    """Mark runs of one text over adjacent columns (a horizontally merged header cell)."""
    group = 0
    for i, col in enumerate(columns):
        if not col.text:
            continue
        if i > 0 and columns[i - 1].text == col.text:
            if columns[i - 1].group is None:
                group += 1
                columns[i - 1].group = group
            col.group = columns[i - 1].group


def _letter(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        name = chr(65 + r) + name
    return name


def resolve(columns: list[Column], body: list[list[str]]) -> Layout:
    """Decide which column is which field, using what the body rows hold as evidence."""
    layout = Layout()
    candidates: list[Column] = []
    for col in columns:
        if not col.text and col.meaning is None:
            continue
        cells = [row[col.index] for row in body if col.index < len(row) and row[col.index]]
        if cells and all(c == col.text for c in cells):
            layout.ignored.append(col)  # a merged side label (绩效指标 / 绩 / 项目绩效目标)
            continue
        meaning = _by_content(col, cells)
        if meaning is None:
            layout.ignored.append(col)
            continue
        col.meaning, col.filled = meaning, bool(cells)
        candidates.append(col)

    by_meaning: dict[str, list[Column]] = {}
    for col in candidates:
        by_meaning.setdefault(col.meaning, []).append(col)  # type: ignore[arg-type]
    for meaning, cols in by_meaning.items():
        chosen = _choose(cols)
        layout.columns[meaning] = chosen
        rest = [c for c in cols if c not in chosen]
        if meaning == "name" and "description" not in by_meaning:
            # 指标内容 beside a 三级指标 column describes the indicator.
            layout.columns["description"] = [c for c in rest if c.rank == 2][:1]
            rest = [c for c in rest if c not in layout.columns["description"]]
        if meaning == "value" and rest:
            # The mid-term value (中期 / 长期, or the first of two equal halves) is kept beside.
            main = chosen[0]
            mid = [c for c in rest if c.period == "mid"] or [
                c
                for c in rest
                if c.period != "previous"
                and c.index < main.index
                and (c.group is None or c.group != main.group)
            ]
            if mid:
                layout.columns["midterm"] = mid[:1]
                rest = [c for c in rest if c is not mid[0]]
        layout.ignored.extend(rest)
    layout.columns = {m: cols for m, cols in layout.columns.items() if cols}
    return layout


def _by_content(col: Column, cells: list[str]) -> str | None:
    """The meaning of a column from its cells, where they say more than the header does."""
    meaning = col.meaning
    if not cells:
        return meaning
    share = lambda pattern: sum(1 for c in cells if pattern.match(c.strip())) / len(cells)  # noqa: E731
    if meaning in {"comparator", "direction", "unit", "description", "standard"}:
        if share(_COMPARATOR_TOKEN) >= 0.8:
            return "comparator"
        if share(_DIRECTION_TOKEN) >= 0.8:
            return "direction" if meaning != "comparator" or _has_polarity(cells) else meaning
    if meaning == "description" and col.rank == 1 and share(_STANDARD_TOKEN) >= 0.8:
        return "standard"
    if meaning == "name" and share(_LEVEL2_TOKEN) >= 0.8 and all(len(c) <= 16 for c in cells):
        return "level2"
    return meaning


def _has_polarity(cells: list[str]) -> bool:
    return any(c.strip().startswith(("正向", "反向")) for c in cells)


def _choose(cols: list[Column]) -> list[Column]:
    """The column(s) that carry a meaning when several headers claim it.

    The annual half beats the mid-term one and last year's actuals; a filled column beats an empty
    one; a stronger header word (三级指标) beats a weaker one (指标名称); of two equal halves, the
    later one (templates print the mid-term half first). Columns under one merged header with
    equal standing (one per region or year) are all kept, in order.
    """
    if len(cols) == 1:
        return cols
    order = {"annual": 3, "": 2, "mid": 1, "previous": 0}

    def key(c: Column) -> tuple[int, int, int, int]:
        return (order[c.period], int(c.filled), -c.rank, c.index)

    best = max(cols, key=key)
    if best.group is not None:
        same = [c for c in cols if c.group == best.group and key(c)[:3] == key(best)[:3]]
        if len(same) > 1:
            return sorted(same, key=lambda c: c.index)
    return [best]


_LEVEL1_TOKEN = re.compile(r"^(?:预期)?(?:产出|效益|效果|满意度|成本|社会效益|经济效益)指标?$")
_VALUE_LIKE = re.compile(
    r"[≥≤=><≧≦%％]|\d|^(?:是|否|无|有|良好|优|好|显著|明显|提升|提高|全年|长期|及时)"
)


def infer_from_content(rows: list[list[str]]) -> tuple[int, list[Column]] | None:
    """Columns of a grid printed without a header row we recognise, read from what it holds.

    A column of 产出指标 / 效益指标 / 满意度指标 is level 1, the column of 数量指标 / 质量指标 … beside
    it level 2, the next column with text the name, and of the columns after it the one with most
    value-like cells (`≥95%`, `20个`, `2024年12月`) the value. Returns the first grid row and
    the columns, or None when no such grid is there.
    """
    start = next(
        (k for k, cells in enumerate(rows) if any(_LEVEL1_TOKEN.match(c) for c in cells)), None
    )
    if start is None:
        return None
    grid = rows[start:]
    width = max(len(r) for r in grid)

    def column(i: int) -> list[str]:
        return [r[i] for r in grid if i < len(r) and r[i]]

    def share(i: int, pattern: re.Pattern[str]) -> float:
        cells = column(i)
        return sum(1 for c in cells if pattern.search(c)) / len(cells) if cells else 0.0

    level1 = next((i for i in range(width) if share(i, _LEVEL1_TOKEN) >= 0.6), None)
    if level1 is None or sum(1 for r in grid if level1 < len(r) and r[level1]) < 3:
        return None
    level2 = next((i for i in range(level1 + 1, width) if share(i, _LEVEL2_TOKEN) >= 0.6), None)
    after = (level2 if level2 is not None else level1) + 1
    name = next(
        (i for i in range(after, width) if column(i) and column(i) != column(after - 1)), None
    )
    if name is None:
        return None
    rest = [i for i in range(name + 1, width) if column(i) and column(i) != column(name)]
    if not rest:
        return None
    value = max(rest, key=lambda i: (share(i, _VALUE_LIKE), -i))
    columns = [Column(level1, "", "level1"), Column(name, "", "name"), Column(value, "", "value")]
    if level2 is not None:
        columns.append(Column(level2, "", "level2"))
    between = [i for i in rest if i < value]
    if between:
        columns.append(Column(between[0], "", "description"))
    return start, sorted(columns, key=lambda c: c.index)
