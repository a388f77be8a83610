"""Turn a stream of rows (from text lines, Word tables, sheets or PDF pages) into tables.

Every format's reader flattens its file into `Row`s in reading order and hands them here, so the
rules for finding a table's header fields, its indicator grid and where one table ends and the next
begins live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from jixiao.errors import Problem
from jixiao.model import Indicator, Source, Table, Value
from jixiao.readers._grid import (
    Column,
    Layout,
    header_of,
    infer_from_content,
    refine_with_subheader,
    resolve,
)
from jixiao.readers._labels import (
    clean,
    field_of,
    inline_fields,
    label_key,
    money_unit_in,
    split_goals,
    title_of,
    unit_line,
    unit_of,
    year_line,
    year_of,
)
from jixiao.values import compose_raw, parse_amount, parse_value

NO_ROWS = "指标表中没有指标行；请检查指标是否已填写。"


@dataclass
class Row:
    """One row of cells in reading order; `line` rows are free paragraphs, never indicators."""

    cells: list[str]
    number: int
    sheet: str | None = None
    line: bool = False


def extract_tables(
    rows: Iterable[Row], file: str, problems: list[Problem], first_index: int = 0
) -> list[Table]:
    """Find every table in `rows`; problems (no header, no rows, unreadable values) are appended.

    `first_index` numbers the tables after those already read from the same file (other sheets).
    """
    rows = list(rows)
    context = _Context(file, problems, rows)
    tables: list[Table] = []
    block: _Block | None = None
    for row in rows:
        artifacts: list[str] = []
        cells = [clean(c, artifacts) for c in row.cells]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if block is None:
            block = _Block(file, first_index + len(tables), row)
        title = title_of(filled[0]) if len(set(filled)) == 1 else None
        # In a flat export the unit and project columns name a new project on its first row;
        # `_by_project` splits there, with the header kept for every project.
        if title or (
            block.header is not None and _starts_table(filled) and not _flat(block.header)
        ):
            # A table ends where the next begins; what a notice above the title said (单位, an
            # amount) stays with the table it introduces, unless it already names a project.
            if block.header is not None or block.fields.get("project"):
                tables.extend(block.finish(context))
                block = _Block(file, first_index + len(tables), row)
            if title:
                block.title = title
                continue
        if block.header is None:
            header = None if row.line else header_of(cells)
            if header:
                block.header, block.header_rows = header, [row.number]
            else:
                block.read_fields(cells, artifacts)
                block.loose.append((cells, row, artifacts))
        elif block.ended or row.line:
            continue
        elif _is_footer(filled):
            block.ended = True
        elif len(filled) >= 3 and len(set(filled)) == 1:
            continue  # one text merged across the grid (附件…, a signature line): no indicator
        elif not block.body and (sub := refine_with_subheader(block.header, cells)):
            block.header = sub
            block.header_rows.append(row.number)
        elif header_of(cells) is None:
            block.body.append((cells, row, artifacts))
    if block is not None and block.has_content():
        tables.extend(block.finish(context))
    return tables


def _flat(header: list[Column]) -> bool:
    """A flat export's header: some column repeats a field (project, unit…) on every row."""
    return any(c.meaning and c.meaning.startswith("field:") for c in header)


def _starts_table(filled: list[str]) -> bool:
    first = filled[0]
    return (
        field_of(first) == "project"
        or unit_line(first) is not None
        or (len(filled) <= 2 and money_unit_in(first) is not None and field_of(first) is None)
    )


_FOOTER = re.compile(
    r"^(?:注|说明|备注|填表说明|填报说明)\s*[:：]|^(?:\d+[.、]\s*)?(?:填表人|填报人|经办人|审核人|联系人|"
    r"单位负责人|财务负责人|项目负责人|上报时间|填报日期|填表日期)\s*[:：]?"
)


def _is_footer(filled: list[str]) -> bool:
    """Lines under the grid: notes, signatures, seals and dates, never indicators."""
    if _FOOTER.match(filled[0]):
        return True
    return any(("盖章" in c or "签字" in c or "签章" in c) and len(c) <= 40 for c in filled)


@dataclass
class _Context:
    """What every table of one file shares: where problems go, and the file's whole text."""

    file: str
    problems: list[Problem]
    rows: list[Row]
    _text: str | None = None

    def text(self) -> str:
        """All the file's text (prose, notices, cells), for evidence such as `500万元`."""
        if self._text is None:
            self._text = "\n".join(c for row in self.rows for c in dict.fromkeys(row.cells) if c)
        return self._text


@dataclass
class _Block:
    """What has been read so far of one table."""

    file: str
    index: int
    start: Row
    title: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    unit_code: str = ""
    money_unit: str | None = None
    header: list[Column] | None = None
    header_rows: list[int] = field(default_factory=list)
    body: list[tuple[list[str], Row, list[str]]] = field(default_factory=list)
    ended: bool = False
    artifacts: list[str] = field(default_factory=list)
    last_label: str | None = None
    amount_column: int | None = None  # the annual column of a money block with 中期 | 年度 heads
    goal_column: int | None = None  # the annual column of a goals block with 中期 | 年度 heads
    loose: list[tuple[list[str], Row, list[str]]] = field(default_factory=list)

    def has_content(self) -> bool:
        return bool(self.body or self.header or self.fields)

    def read_fields(self, cells: list[str], artifacts: list[str]) -> None:
        """Read labelled header fields (`项目名称 | X`, `项目名称：X`, `单位：元`) from one row."""
        self.artifacts.extend(artifacts)
        if self._year_line(cells) or self._amount_columns(cells) or self._goal_columns(cells):
            return
        row_label: str | None = None
        i, n = 0, len(cells)
        while i < n:
            cell = cells[i]
            i += 1
            if not cell:
                continue
            unit = money_unit_in(cell)
            if unit:
                self.money_unit = unit
            name = field_of(cell)
            if name:
                row_label = row_label or name
                j = i
                while j < n and (not cells[j] or cells[j] == cell):
                    j += 1
                if j < n and field_of(cells[j]) is None and not _money_only(cells[j]):
                    if name.startswith("budget") and self.amount_column is not None:
                        # 资金总额 | 258.6 (中期) | 86.375 (年度): the annual column's amount.
                        k = self.amount_column
                        self._set(name, cells[k] if k < n and cells[k] != cell else "")
                    elif name == "goals" and self.goal_column is not None:
                        self._set(name, self._annual_goal(cells, cell))
                        break
                    elif name.startswith("budget") and (inline := inline_fields(cells[j])):
                        for key, value in inline:  # 项目资金 | 年度资金总额:16⏎其中：…16
                            self._set(key, value)
                    else:
                        self._set(name, cells[j])
                    i = j + 1
                    while i < n and cells[i] == cells[j]:  # the rest of a merged value cell
                        i += 1
                continue
            if unit and _money_only(cell):
                continue
            if (code_name := unit_line(cell)) and not self.unit_code:
                self.unit_code, self.fields["unit"] = code_name
            elif inline := inline_fields(cell):
                for key, value in inline:
                    self._set(key, value)
                row_label = row_label or inline[0][0]
            elif not cells[0] and self.last_label:
                # A vertically merged label (预算规模及资金用途) shows only on its first row.
                row_label = self.last_label
                if row_label == "goals" and self.goal_column is not None:
                    self._set(row_label, self._annual_goal(cells, ""))
                    break
                self._set(row_label, cell)
        self.last_label = row_label

    def _year_line(self, cells: list[str]) -> bool:
        """A line or merged cell under the title that only gives the year (`(2022年度)`)."""
        filled = {c for c in cells if c}
        if len(filled) != 1 or (year := year_line(filled.pop())) is None:
            return False
        self._set("year", str(year))
        return True

    def _amount_columns(self, cells: list[str]) -> bool:
        """A money block's column heads (`| 中期资金总额 | 年度资金总额`): remember the annual one.

        Where the heads carry their amounts (`中期资金总额: | 68.50 | 年度资金总额: | 51.35`), the
        column of the annual amount is remembered and the row is read as usual.
        """
        fields = [field_of(c) for c in cells]
        if "-midterm" not in fields or "budget_total" not in fields:
            return False
        annual = max(i for i, f in enumerate(fields) if f == "budget_total")
        if not any(re.search(r"\d", c) for c in cells):
            self.amount_column = annual
            return True
        if annual > fields.index("-midterm"):
            k = next((k for k in range(annual + 1, len(cells)) if cells[k] != cells[annual]), None)
            if k is not None and re.fullmatch(r"\s*\d[\d,]*(?:\.\d+)?\s*", cells[k]):
                self.amount_column = k
        return False

    def _goal_columns(self, cells: list[str]) -> bool:
        """A goals block's column heads (`总体目标 | 中期目标(2024年—2026年) | 年度目标`, or 长期目标
        beside 年度目标): remember
        the annual one, so the goals are the annual text as the budget is the annual amount."""
        mid = annual = None
        for i, cell in enumerate(cells):
            if not cell or len(cell) > 30 or (i and cell == cells[i - 1]):
                continue
            if mid is None and re.match(r"(?:中期|长期).{0,4}目标", label_key(cell)):
                mid = i
            elif mid is not None and field_of(cell) == "goals" and re.search(r"年度|当年", cell):
                annual = i
        if mid is None or annual is None:
            return False
        self.goal_column, self.last_label = annual, "goals"
        return True

    def _annual_goal(self, cells: list[str], label: str) -> str:
        k = self.goal_column
        self.goal_column = None  # one row of texts under the heads
        return cells[k] if k is not None and k < len(cells) and cells[k] != label else ""

    def _set(self, name: str, value: str) -> None:
        if name == "year" and not year_of(value + "年") and not value.isdigit():
            name = "goals"  # a clipped label (`年度` for 年度目标) over prose
        if name.startswith("-"):
            return  # a label we know and keep out of the table (中期资金, 上年结转)
        if value and not self.fields.get(name):
            self.fields[name] = value

    def finish(self, context: _Context) -> list[Table]:
        """The table(s) of this block: one per project in a flat export, else one."""
        if self.header is None and (found := infer_from_content([c for c, _, _ in self.loose])):
            start, self.header = found
            self.body = []
            for item in self.loose[start:]:
                if _is_footer([c for c in item[0] if c]):
                    break
                if not item[1].line:
                    self.body.append(item)
        self.body = _within_side_label(self.header, self.body)
        layout = resolve(self.header, [cells for cells, _, _ in self.body]) if self.header else None
        if layout is not None:
            layout.header_rows = self.header_rows
        groups = _by_project(self.body, layout)
        tables = []
        for offset, (fields, body) in enumerate(groups):
            index = self.index + offset
            tables.append(self._table(context, index, {**self.fields, **fields}, body, layout))
        return tables

    def _table(
        self,
        context: _Context,
        index: int,
        f: dict[str, str],
        body: list[tuple[list[str], Row, list[str]]],
        layout: Layout | None,
    ) -> Table:
        problems, file = context.problems, self.file
        start = body[0][1] if body and index != self.index else self.start
        source = Source(file=file, sheet=start.sheet, table_index=index, row=start.number)
        project = f.get("project", "")
        where = source.model_copy(update={"row": None}).place(project)
        indicators = _indicators(body, layout, file, index) if layout else []
        money_unit = (
            self.money_unit
            or (layout and layout.money_unit())
            or _money_unit_from_evidence(f, context, problems, where)
        )
        budgets = {}
        for key in ("budget_total", "budget_fiscal", "budget_other"):
            text = f.get(key, "")
            budgets[key] = parse_amount(text, money_unit)
            if text and budgets[key] is None:
                problems.append(
                    Problem(
                        file=file,
                        place=where,
                        message=f"预算金额“{text}”不是数字，已留空；请填写数字金额。",
                    )
                )
        if budgets["budget_total"] is None and budgets["budget_fiscal"] is not None:
            # Only the sources are filled in (其中：财政拨款 500): their sum is the amount.
            budgets["budget_total"] = budgets["budget_fiscal"] + (budgets["budget_other"] or 0)
        unit_code, unit_name = unit_of(f, self.unit_code)
        year_text = f.get("year", "")
        year = year_of(year_text) or (int(year_text) if year_text.isdigit() else None)
        table = Table(
            title=self.title,
            unit_code=unit_code,
            unit_name=unit_name,
            project=project,
            year=year or year_of(self.title, project),
            money_unit=money_unit,  # type: ignore[arg-type]
            purpose=f.get("purpose", ""),
            goals=split_goals(f.get("goals", "")),
            indicators=indicators,
            artifacts=self.artifacts,
            source=source,
            **budgets,
        )
        table.set_layout(layout)
        _report(table, layout, problems, file, where)
        return table


def _within_side_label(
    header: list[Column] | None, body: list[tuple[list[str], Row, list[str]]]
) -> list[tuple[list[str], Row, list[str]]]:
    """The grid's rows up to where its merged side label (绩效指标, 项目绩效目标) ends.

    Forms go on below the grid with rows of their own (最近年度绩效评价情况 | 优秀□ 良好□ …);
    the side label changing is where the indicator grid stops.
    """
    if not header or not body:
        return body
    first = body[0][0]
    sides = [
        c.index for c in header if c.text and c.index < len(first) and first[c.index] == c.text
    ]
    for k, (cells, _, _) in enumerate(body):
        if any(i < len(cells) and cells[i] and cells[i] != header[i].text for i in sides):
            return body[:k]
    return body


def _by_project(
    body: list[tuple[list[str], Row, list[str]]], layout: Layout | None
) -> list[tuple[dict[str, str], list]]:
    """Split a flat export (project repeated on every row) into one group per project."""
    if layout is None or "field:project" not in layout.columns:
        return [({}, body)]
    field_cols = {
        m.removeprefix("field:"): cols[0].index
        for m, cols in layout.columns.items()
        if m.startswith("field:")
    }
    groups: dict[str, tuple[dict[str, str], list]] = {}
    last = ""
    for item in body:
        cells = item[0]
        project = cells[field_cols["project"]] if field_cols["project"] < len(cells) else ""
        project = project or last  # a blank (not merged) cell continues the project above
        last = project
        fields, rows = groups.setdefault(project, ({}, []))
        rows.append(item)
        for key, i in field_cols.items():
            if i < len(cells) and cells[i] and key not in fields:
                fields[key] = cells[i]
    # A row of the department's totals above its projects (`820-马踏镇部门 | | 8,827,620.53`)
    # names no project and carries no indicator: it is no table of its own.
    named = {m: cols[0].index for m, cols in layout.columns.items() if m in ("level1", "name")}
    found = [
        g
        for g in groups.values()
        if any(any(i < len(c) and c[i] for i in named.values()) for c, _, _ in g[1])
    ]
    return found or list(groups.values()) or [({}, body)]


def _indicators(
    body: list[tuple[list[str], Row, list[str]]], layout: Layout, file: str, index: int
) -> list[Indicator]:
    """One indicator per body row, merged level-1/level-2 cells filled from the rows above."""
    cols = layout.columns

    def get(cells: list[str], meaning: str) -> str:
        i = layout.index(meaning)
        return cells[i] if i is not None and i < len(cells) else ""

    def value_of(cells: list[str], value_col: int | None, target: bool = True) -> str:
        number = cells[value_col] if value_col is not None and value_col < len(cells) else ""
        if not target:
            # A result reached has the unit of its target but no comparator of its own.
            return compose_raw("", number, get(cells, "unit")) if number.strip() else ""
        if "comparator" in cols or "unit" in cols:
            return compose_raw(get(cells, "comparator"), number, get(cells, "unit"))
        return number

    values = cols.get("value", [])
    midterm = cols.get("midterm", [])
    actual = cols.get("actual", [])
    carry = ("", "", "")
    indicators: list[Indicator] = []
    for cells, row, artifacts in body:
        name, description = get(cells, "name"), get(cells, "description")
        comparator = get(cells, "comparator")
        raws = [value_of(cells, c.index) for c in values] or [""]
        raw = raws[0] if len(raws) == 1 else " | ".join(raws)
        filled = [c for c in cells if c]
        level1, level2 = get(cells, "level1"), get(cells, "level2")
        if not (name or any(raws)):
            continue  # a level-only row, or an empty printed row
        if len(filled) > 1 and len(set(filled)) == 1 and not level1:
            continue  # a note row spanning the grid
        project = get(cells, "field:project")
        carry1, carry2, carry_project = carry
        if project and project != carry_project:
            carry1 = carry2 = ""
        if level1 and level1 != carry1:
            carry2 = ""
        level1 = level1 or carry1
        level2 = level2 or carry2
        carry = (level1, level2, project or carry_project)
        direction = get(cells, "direction") or (
            comparator if comparator in {"正向", "反向"} else ""
        )
        mid_raw = value_of(cells, midterm[0].index) if midterm else ""
        actual_raw = value_of(cells, actual[0].index, target=False) if actual else ""
        value = parse_value(raw) if len(raws) == 1 else _joined_value(raws, raw)
        indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name,
                description=description,
                value=value,
                midterm=parse_value(mid_raw) if mid_raw else None,
                actual=parse_value(actual_raw) if actual_raw else None,
                breakdown={c.text: r for c, r in zip(values, raws, strict=True)}
                if len(values) > 1
                else {},
                weight=_weight(get(cells, "weight")),
                standard=get(cells, "standard") or None,
                direction=direction or None,
                artifacts=artifacts,
                source=Source(file=file, sheet=row.sheet, table_index=index, row=row.number),
            )
        )
    return indicators


def _joined_value(raws: list[str], raw: str) -> Value:
    """One value for a row with a value per region or year (`≥40个 | ≥45个 | ≥50个`).

    The same target everywhere reads as that target. Different targets that share comparator and
    unit read as quantitative with no single number; anything else stays unparsed.
    """
    parts = [parse_value(r) for r in raws]
    if len(set(raws)) == 1:
        return parts[0].model_copy(update={"raw": raw})
    shapes = {(p.kind, p.comparator, p.unit) for p in parts}
    if len(shapes) == 1 and parts[0].kind == "quantitative":
        return Value(
            raw=raw, comparator=parts[0].comparator, unit=parts[0].unit, kind="quantitative"
        )
    return Value(raw=raw, kind="unparsed")


def _money_only(cell: str) -> bool:
    return money_unit_in(cell) is not None and cell.lstrip("金额资").startswith("单位")


def _weight(text: str) -> Decimal | None:
    t = text.strip().rstrip("%％分")
    if not t:
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _money_unit_from_evidence(
    fields: dict[str, str], context: _Context, problems: list[Problem], where: str
) -> str:
    """The money unit of a table that does not state one, from what the file says elsewhere.

    `资金总额 | 500` under a notice that says `下达…500万元`: the same amount written with its unit
    anywhere in the file decides. Without such evidence, a small amount (under 10,000) is read as
    万元, as the 预算管理一体化 forms print it, and the user is told so.
    """
    amount = next(
        (fields[k] for k in ("budget_total", "budget_fiscal") if fields.get(k, "").strip()), ""
    )
    number = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*", amount.replace(",", ""))
    if not number:
        return "万元" if amount.strip().endswith(("万元", "万")) else "元"
    value = Decimal(number[1])
    text = context.text()
    for m in re.finditer(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|元)", text):
        try:
            if Decimal(m[1].replace(",", "")) == value:
                return m[2]
        except InvalidOperation:
            continue
    if value < 10000:
        problems.append(
            Problem(
                file=context.file,
                place=where,
                message=f"表中未注明金额单位，金额“{amount.strip()}”按万元读取；"
                "如单位是元，请在表中注明“单位：元”。",
            )
        )
        return "万元"
    return "元"


def _report(
    table: Table, layout: Layout | None, problems: list[Problem], file: str, where: str
) -> None:
    """Tell the user what could not be read: no grid, an empty grid, values not understood."""
    project = table.project
    if layout is None:
        problems.append(
            Problem(
                file=file,
                place=where,
                message="没有找到指标表头行（三级指标 … 指标值），这张表没有读出指标；"
                "请检查表头是否含“三级指标”和“指标值”。",
            )
        )
        return
    if not table.indicators:
        problems.append(Problem(file=file, place=where, message=NO_ROWS))
        return
    if not layout.header_rows:
        problems.append(
            Problem(
                file=file,
                place=where,
                message="没有识别出指标表头行，已按各列内容推断各列含义；"
                "请用 `jixiao parse --explain` 核对。",
            )
        )
    missing = [m for m in ("name", "value") if m not in layout.columns]
    if "name" in missing and "level2" in layout.columns:
        missing.remove("name")  # two levels only (指标类型 | 指标名称 = 数量指标 …)
    if missing:
        words = {"name": "指标名称（三级指标）", "value": "指标值"}
        problems.append(
            Problem(
                file=file,
                place=where,
                message=f"没有找到{'和'.join(words[m] for m in missing)}所在的列；"
                "请检查表头是否写明这些列。",
            )
        )
    elif all(ind.value.kind == "empty" for ind in table.indicators):
        problems.append(
            Problem(
                file=file,
                place=where,
                message="指标表中的指标值全部为空；请检查指标值填在了哪一列。",
            )
        )
    for ind in table.indicators:
        if ind.value.kind == "unparsed":
            problems.append(
                Problem(
                    file=file,
                    place=ind.source.place(project) if ind.source else where,
                    message=f"指标“{ind.name}”的指标值“{ind.value.raw}”无法识别，已按原文保留；"
                    "请填写具体数值，如“≥10个”。",
                )
            )
