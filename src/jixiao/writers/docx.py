"""Write tables to a Word file in the seed's layout, ready to submit."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

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

_BUDGET_COLUMNS = 7
# Grid column widths (cm) for the 7-column layout: labels narrow, amounts and texts wider.
_WIDTHS_CM = [2.0, 2.3, 2.9, 2.2, 2.9, 1.8, 2.4]


def write(tables: list[Table], path: Path) -> Path:
    """Write `tables` to `path`, one titled table after another, merged level cells and all."""
    doc = Document()
    _set_font(doc)
    for i, table in enumerate(tables):
        if i:
            doc.add_page_break()
        _write_table(doc, table)
    doc.save(str(path))
    return path


def _write_table(doc, table: Table) -> None:
    if table.title:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(xml_safe(table.title))
        run.bold = True
        run.font.size = Pt(14)
    if unit := unit_text(table):
        doc.add_paragraph(xml_safe(unit))
    doc.add_paragraph(f"单位：{table.money_unit}")
    if year := year_text(table):
        doc.add_paragraph(year)

    columns = indicator_columns(table)
    width = max(_BUDGET_COLUMNS, len(columns))
    header_rows = 5
    grid = doc.add_table(rows=header_rows + len(table.indicators), cols=width)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER

    _spanning_row(grid, 0, "项目名称", table.project)
    budget = budget_cells(table)
    for c, text in enumerate(budget):
        grid.cell(1, c).text = xml_safe(text)
    if width > len(budget):
        grid.cell(1, len(budget) - 1).merge(grid.cell(1, width - 1))
    _spanning_row(grid, 2, "", table.purpose)
    grid.cell(1, 0).merge(grid.cell(2, 0))
    _spanning_row(grid, 3, "绩效目标", "\n".join(goals_text(table)))

    spans = _spans(len(columns), width)
    _grid_row(grid, 4, [header for _, header in columns], spans, bold=True)
    for r, ind in enumerate(table.indicators, start=header_rows):
        _grid_row(grid, r, [cell_text(ind, attr) for attr, _ in columns], spans)

    _set_widths(grid, width)
    # Merge level-1 runs, then level-2 runs inside each level-1 run, as Word tables do.
    level1 = [ind.level1 for ind in table.indicators]
    level2 = [f"{ind.level1}\x00{ind.level2}" for ind in table.indicators]
    for col, keys in ((0, level1), (1, level2)):
        for first, last in groups(keys):
            if last > first:
                text = grid.cell(header_rows + first, col).text
                merged = grid.cell(header_rows + first, col).merge(
                    grid.cell(header_rows + last, col)
                )
                merged.text = xml_safe(text)


def _set_widths(grid, width: int) -> None:
    grid.autofit = False
    widths = _WIDTHS_CM if width == _BUDGET_COLUMNS else [16.5 / width] * width
    for c, column in enumerate(grid.columns):
        column.width = Cm(widths[c])
        for cell in column.cells:
            cell.width = Cm(widths[c])


def _spanning_row(grid, r: int, label: str, text: str) -> None:
    if label:
        grid.cell(r, 0).text = xml_safe(label)
    merged = grid.cell(r, 1).merge(grid.cell(r, len(grid.columns) - 1))
    merged.text = xml_safe(text)


def _spans(n: int, width: int) -> list[int]:
    """Grid columns each indicator column takes: the spare ones go to name and description."""
    spans = [1] * n
    spare, k = width - n, 0
    widest = [2, 3] if n > 3 else list(range(n))
    while spare > 0:
        spans[widest[k % len(widest)]] += 1
        spare -= 1
        k += 1
    return spans


def _grid_row(grid, r: int, texts: list[str], spans: list[int], bold: bool = False) -> None:
    c = 0
    for text, span in zip(texts, spans, strict=True):
        cell = grid.cell(r, c)
        if span > 1:
            cell = cell.merge(grid.cell(r, c + span - 1))
        cell.text = xml_safe(text)
        if bold:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        c += span


def _set_font(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
