"""The review as an Excel workbook: a filterable findings sheet, a summary, and every reviewed
table re-rendered with the offending cells highlighted and the finding as a cell comment."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jixiao.catalogue import CATALOGUE
from jixiao.findings import (
    SEVERITY_ZH,
    ReviewResult,
    by_table,
    finding_field,
    severity_rank,
    summary,
)
from jixiao.model import Finding
from jixiao.safe_text import xml_safe
from jixiao.writers.xlsx import SheetCells, sheet_name, text_cell, write_sheet

FILL = {
    "error": PatternFill("solid", fgColor="F8CBAD"),
    "warning": PatternFill("solid", fgColor="FFE699"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
HEADERS = [
    ("序号", 6),
    ("文件", 28),
    ("表号", 6),
    ("项目名称", 30),
    ("位置", 8),
    ("二级指标", 14),
    ("三级指标", 26),
    ("严重程度", 9),
    ("问题类型", 18),
    ("问题代码", 26),
    ("问题说明", 50),
    ("修改建议", 50),
    ("政策依据", 36),
    ("来源", 8),
]
MAX_TABLE_SHEETS = 300  # beyond this a workbook gets slow to open; the findings sheet has it all


def write(result: ReviewResult, path: Path) -> Path:
    wb = Workbook()
    _findings_sheet(wb.active, result.findings)
    _summary_sheet(wb.create_sheet("汇总"), result)
    used = {"问题清单", "汇总"}
    for i, (table, found) in enumerate(by_table(result)[:MAX_TABLE_SHEETS], start=1):
        ws = wb.create_sheet(sheet_name(i, table, used))
        try:
            _mark(ws, write_sheet(ws, table), found)
        except Exception as exc:  # noqa: BLE001 — one table's sheet must not lose the report
            wb.remove(ws)
            summary_ws = wb["汇总"]
            text_cell(
                summary_ws,
                summary_ws.max_row + 2,
                1,
                f"第 {i} 张表（{table.project}）的标注工作表未能生成（内部错误 "
                f"{type(exc).__name__}）；它的问题仍在“问题清单”中。",
            )
    wb.save(str(path))
    return path


def _findings_sheet(ws, findings: list[Finding]) -> None:
    ws.title = "问题清单"
    for c, (header, width) in enumerate(HEADERS, start=1):
        text_cell(ws, 1, c, header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    for n, f in enumerate(findings, start=1):
        values = [
            n,
            f.file,
            f.table_index + 1,
            f.project,
            f"第{f.row}行" if f.row else "整表",
            f.level2 or "",
            f.indicator or "",
            SEVERITY_ZH[f.severity],
            CATALOGUE[f.code].title if f.code in CATALOGUE else f.code,
            f.code,
            f.message,
            f.suggestion,
            f.basis,
            "规则" if f.origin == "rule" else "模型",
        ]
        for c, v in enumerate(values, start=1):
            cell = text_cell(ws, n + 1, c, v)
            cell.alignment = Alignment(wrap_text=c >= 11, vertical="top")
        ws.cell(n + 1, 8).fill = FILL[f.severity]
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{max(len(findings) + 1, 2)}"


def _summary_sheet(ws, result: ReviewResult) -> None:
    ws.column_dimensions["A"].width = 110
    for r, line in enumerate(summary(result).splitlines(), start=1):
        text_cell(ws, r, 1, line).alignment = Alignment(wrap_text=True)
    if len(result.tables) > MAX_TABLE_SHEETS:
        text_cell(
            ws, r + 2, 1, f"只为前 {MAX_TABLE_SHEETS} 张表生成了标注工作表；全部问题见“问题清单”。"
        )


def _mark(ws, cells: SheetCells, found: list[Finding]) -> None:
    notes: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    for f in found:
        notes[_cell_of(f, cells)].append(f)
    for (r, c), fs in notes.items():
        worst = min(fs, key=lambda f: severity_rank(f.severity))
        cell = ws.cell(r, c)
        cell.fill = FILL[worst.severity]
        text = "\n".join(
            f"【{SEVERITY_ZH[f.severity]}】{f.message}\n建议：{f.suggestion}" for f in fs
        )
        cell.comment = Comment(
            xml_safe(text), "jixiao", width=360, height=min(60 + 60 * len(fs), 480)
        )


def _cell_of(f: Finding, cells: SheetCells) -> tuple[int, int]:
    field = finding_field(f)
    if f.row is None:
        return cells.budget if field == "budget" else cells.project
    return cells.first_indicator_row + f.row - 1, cells.columns[field]
