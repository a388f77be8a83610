"""Excel (.xlsx): one or many tables per sheet and per workbook, merged cells, split columns."""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from jixiao.errors import Problem, ReadError
from jixiao.model import Table
from jixiao.readers._container import open_zip
from jixiao.readers._rows import Row, extract_tables


def read(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read every table on every sheet of a workbook; a sheet without one is reported, not fatal."""
    problems = problems if problems is not None else []
    file = str(path)
    with open_zip(path, "Excel"):
        pass  # explains empty, truncated, password-protected and old .xls files
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise ReadError(
            file, f"the workbook is damaged and cannot be opened ({type(exc).__name__})"
        ) from None
    tables: list[Table] = []
    empty_sheets: list[str] = []
    try:
        for ws in wb.worksheets:
            rows = _rows(ws)
            if not rows:
                continue
            found = extract_tables(rows, file, problems, first_index=len(tables))
            if not found:
                empty_sheets.append(ws.title)
            tables.extend(found)
    finally:
        wb.close()
    message = "no indicator header row (三级指标 … 指标值) found; sheet skipped"
    if not tables:
        names = ", ".join(f"'{n}'" for n in empty_sheets) or "(all sheets are empty)"
        raise ReadError(
            file,
            f"no 绩效目标表 found: no indicator header row (三级指标 … 指标值) on sheet {names}",
        )
    for name in empty_sheets:
        problems.append(Problem(file=file, place=f"sheet {name}", message=message))
    return tables


def _rows(ws) -> list[Row]:
    grid: list[list[str]] = [[_text(cell) for cell in row] for row in ws.iter_rows()]
    for rng in ws.merged_cells.ranges:
        top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else ""
        for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
            row = grid[r]
            for c in range(rng.min_col - 1, min(rng.max_col, len(row))):
                row[c] = top
    return [
        Row(cells=cells, number=i, sheet=ws.title)
        for i, cells in enumerate(grid, start=1)
        if any(cells)
    ]


def _text(cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float, Decimal)):
        if "%" in (cell.number_format or ""):
            return f"{_number(Decimal(str(v)) * 100)}%"
        return _number(Decimal(str(v)))
    if isinstance(v, dt.datetime):
        return f"{v.year}年{v.month}月{v.day}日"
    if isinstance(v, dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    return str(v)


def _number(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")
