"""Write tables to an Excel workbook in the seed's layout, one sheet per table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jixiao.model import Table
from jixiao.safe_text import xml_safe
from jixiao.writers._layout import (
    budget_cells,
    cell_text,
    goals_text,
    groups,
    indicator_columns,
    unit_text,
    year_text,
)

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_WIDTHS = [12, 16, 28, 30, 14, 14, 14, 10]


def write(tables: list[Table], path: Path) -> Path:
    """Write `tables` to `path`: one sheet per table, merged level cells, amounts as numbers."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for i, table in enumerate(tables, start=1):
        ws = wb.create_sheet(sheet_name(i, table, used))
        write_sheet(ws, table)
    if not tables:
        wb.create_sheet("绩效目标表")
    wb.save(str(path))
    return path


@dataclass
class SheetCells:
    """Where `write_sheet` put things, so a report can mark the cells a finding is about."""

    project: tuple[int, int]
    budget: tuple[int, int]
    first_indicator_row: int
    columns: dict[str, int]


def write_sheet(ws, table: Table) -> SheetCells:
    """Render one table on `ws` in the seed's layout."""
    columns = indicator_columns(table)
    width = max(7, len(columns))
    last = get_column_letter(width)
    r = 1
    if table.title:
        text_cell(ws, r, 1, table.title).font = Font(bold=True, size=14)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A{r}:{last}{r}")
        r += 1
    text_cell(ws, r, 1, unit_text(table))
    text_cell(ws, r, width, f"单位：{table.money_unit}")
    r += 1
    if year := year_text(table):
        text_cell(ws, r, 1, year)
        r += 1
    top = r
    text_cell(ws, r, 1, "项目名称")
    text_cell(ws, r, 2, table.project)
    ws.merge_cells(f"B{r}:{last}{r}")
    r += 1
    for c, text in enumerate(budget_cells(table), start=1):
        amount = c in (3, 5, 7) and text
        text_cell(ws, r, c, float(text) if amount else text)
        if amount:
            ws.cell(r, c).number_format = "#,##0.00" if table.money_unit == "元" else "General"
    text_cell(ws, r + 1, 2, table.purpose)
    ws.merge_cells(f"A{r}:A{r + 1}")
    ws.merge_cells(f"B{r + 1}:{last}{r + 1}")
    r += 2
    text_cell(ws, r, 1, "绩效目标")
    text_cell(ws, r, 2, "\n".join(goals_text(table)))
    ws.merge_cells(f"B{r}:{last}{r}")
    r += 1
    for c, (_, header) in enumerate(columns, start=1):
        text_cell(ws, r, c, header).font = Font(bold=True)
    first_row = r + 1
    for ind in table.indicators:
        r += 1
        for c, (attr, _) in enumerate(columns, start=1):
            text = cell_text(ind, attr)
            text_cell(ws, r, c, float(text) if attr == "weight" and text else text)
    level1 = [ind.level1 for ind in table.indicators]
    level2 = [f"{ind.level1}\x00{ind.level2}" for ind in table.indicators]
    for col, keys in (("A", level1), ("B", level2)):
        for a, b in groups(keys):
            if b > a:
                ws.merge_cells(f"{col}{first_row + a}:{col}{first_row + b}")
    for row in ws.iter_rows(min_row=top, max_row=r, max_col=width):
        for cell in row:
            cell.border = _BOX
            cell.alignment = _WRAP
    widths = (_WIDTHS + [14] * width)[:width]
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    _fit_row_heights(ws, top, r, widths)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return SheetCells(
        project=(top, 2),
        budget=(top + 1, 3),
        first_indicator_row=first_row,
        columns={attr: c for c, (attr, _) in enumerate(columns, start=1)},
    )


def _fit_row_heights(ws, first: int, last: int, widths: list[int]) -> None:
    """Grow rows so wrapped text shows: Excel does not size rows holding merged cells itself."""
    room = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == rng.max_row:
            room[(rng.min_row, rng.min_col)] = sum(widths[rng.min_col - 1 : rng.max_col])
    for r in range(first, last + 1):
        lines = max(
            (
                _lines(value, room.get((r, c), widths[c - 1]) - 1)
                for c in range(1, len(widths) + 1)
                if isinstance(value := ws.cell(r, c).value, str) and value
            ),
            default=1,
        )
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines


def _lines(text: str, room: int) -> int:
    # A CJK character takes about two width units of a column.
    def width(part: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in part)

    return sum(max(1, -(-width(part) // max(room, 1))) for part in text.split("\n"))


def text_cell(ws, row: int, col: int, value):
    """Set a cell: text made XML-safe and stored as text, never as a formula (`=HYPERLINK(…)` in
    a project name stays the words it is)."""
    cell = ws.cell(row, col)
    if isinstance(value, str):
        cell.value = xml_safe(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def sheet_name(i: int, table: Table, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", xml_safe(f"{i}.{table.project or '绩效目标表'}"))[:31]
    name, k = base, 2
    while name in used:
        name = f"{base[:28]}~{k}"
        k += 1
    used.add(name)
    return name
