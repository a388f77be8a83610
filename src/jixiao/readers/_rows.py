"""Turn a stream of rows (from text lines, Word tables, sheets or PDF pages) into tables.

Every format's reader flattens its file into `Row`s in reading order and hands them here, so the
rules for finding a table's header fields, its indicator grid and where one table ends and the next
begins live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from jixiao.errors import Problem
from jixiao.model import Indicator, Source, Table
from jixiao.readers._labels import (
    clean,
    field_of,
    header_columns,
    inline_field,
    money_unit_in,
    split_goals,
    title_of,
    unit_line,
    year_of,
)
from jixiao.values import compose_raw, parse_amount, parse_value


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
        if title or (block.columns is not None and _starts_table(filled)):
            if block.has_content():
                _flush(block, tables, problems)
                block = _Block(file, first_index + len(tables), row)
            if title:
                block.title = title
                continue
        if block.columns is None:
            columns = None if row.line else header_columns(cells)
            if columns:
                block.columns = columns
            else:
                block.read_fields(cells, artifacts)
        elif not row.line and header_columns(cells) is None:
            block.add_indicator(cells, row, artifacts)
    if block is not None and block.has_content():
        _flush(block, tables, problems)
    return tables


def _starts_table(filled: list[str]) -> bool:
    first = filled[0]
    return (
        field_of(first) == "project"
        or unit_line(first) is not None
        or (len(filled) <= 2 and money_unit_in(first) is not None and field_of(first) is None)
    )


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
    columns: dict[str, int] | None = None
    indicators: list[Indicator] = field(default_factory=list)
    artifacts: list[str] = field(default_factory=list)
    last_label: str | None = None
    carry: tuple[str, str] = ("", "")

    def has_content(self) -> bool:
        return bool(self.title or self.fields.get("project") or self.indicators or self.columns)

    def read_fields(self, cells: list[str], artifacts: list[str]) -> None:
        """Read labelled header fields (`项目名称 | X`, `项目名称：X`, `单位：元`) from one row."""
        self.artifacts.extend(artifacts)
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
                    self._set(name, cells[j])
                    i = j + 1
                    while i < n and cells[i] == cells[j]:  # the rest of a merged value cell
                        i += 1
                continue
            if unit and _money_only(cell):
                continue
            if (code_name := unit_line(cell)) and not self.unit_code:
                self.unit_code, self.fields["unit"] = code_name
            elif inline := inline_field(cell):
                self._set(*inline)
                row_label = row_label or inline[0]
            elif not cells[0] and self.last_label:
                # A vertically merged label (预算规模及资金用途) shows only on its first row.
                self._set(self.last_label, cell)
                row_label = self.last_label
        self.last_label = row_label

    def _set(self, name: str, value: str) -> None:
        if value and not self.fields.get(name):
            self.fields[name] = value

    def add_indicator(self, cells: list[str], row: Row, artifacts: list[str]) -> None:
        """Read one indicator row, filling merged level-1/level-2 cells from the rows above."""
        assert self.columns is not None
        cols = self.columns

        def get(col: str) -> str:
            i = cols.get(col)
            return cells[i] if i is not None and i < len(cells) else ""

        name, description = get("name"), get("description")
        comparator = get("comparator")
        if "comparator" in cols or "unit" in cols:
            raw = compose_raw(comparator, get("value"), get("unit"))
        else:
            raw = get("value")
        filled = [c for c in cells if c]
        if not (name or raw) or (len(filled) > 1 and len(set(filled)) == 1 and not get("level1")):
            return  # a level-only or note row spanning the grid
        level1, level2 = get("level1"), get("level2")
        carry1, carry2 = self.carry
        if level1 and level1 != carry1:
            carry2 = ""
        level1 = level1 or carry1
        level2 = level2 or carry2
        self.carry = (level1, level2)
        direction = get("direction") or (comparator if comparator in {"正向", "反向"} else "")
        self.indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name,
                description=description,
                value=parse_value(raw),
                weight=_weight(get("weight")),
                standard=get("standard") or None,
                direction=direction or None,
                artifacts=artifacts,
                source=Source(
                    file=self.file, sheet=row.sheet, table_index=self.index, row=row.number
                ),
            )
        )


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


def _flush(block: _Block, tables: list[Table], problems: list[Problem]) -> None:
    f = block.fields
    money_unit = block.money_unit or "元"
    source = Source(
        file=block.file, sheet=block.start.sheet, table_index=block.index, row=block.start.number
    )
    project = f.get("project", "")
    where = source.model_copy(update={"row": None}).place(project)
    budgets = {}
    for key in ("budget_total", "budget_fiscal", "budget_other"):
        text = f.get(key, "")
        budgets[key] = parse_amount(text, money_unit)
        if text and budgets[key] is None:
            problems.append(
                Problem(
                    file=block.file,
                    place=where,
                    message=f"budget cell '{text}' is not a number; left blank",
                )
            )
    unit_code, unit_name = block.unit_code, f.get("unit", "")
    if not unit_code and (code_name := unit_line(unit_name)):
        unit_code, unit_name = code_name  # `主管部门 | 343101天津市…司法局`
    year_text = f.get("year", "")
    year = year_of(year_text) or (int(year_text) if year_text.isdigit() else None)
    table = Table(
        title=block.title,
        unit_code=unit_code,
        unit_name=unit_name,
        project=project,
        year=year or year_of(project, block.title),
        money_unit=money_unit,  # type: ignore[arg-type]
        purpose=f.get("purpose", ""),
        goals=split_goals(f.get("goals", "")),
        indicators=block.indicators,
        artifacts=block.artifacts,
        source=source,
        **budgets,
    )
    if block.columns is None:
        problems.append(
            Problem(
                file=block.file,
                place=where,
                message=(
                    "no indicator header row (三级指标 … 指标值) found; the table has no indicators"
                ),
            )
        )
    elif not table.indicators:
        problems.append(
            Problem(file=block.file, place=where, message="the indicator grid has no rows")
        )
    for ind in table.indicators:
        if ind.value.kind == "unparsed":
            problems.append(
                Problem(
                    file=block.file,
                    place=ind.source.place(project) if ind.source else where,
                    message=(
                        f"value '{ind.value.raw}' of '{ind.name}' could not be read; kept as text"
                    ),
                )
            )
    tables.append(table)
