"""PDF with a text layer (best effort): ruled tables via pdfplumber, text lines around them.

Scans have no text layer; they are reported as such rather than read as empty.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from jixiao.errors import Problem, ReadError
from jixiao.model import Table
from jixiao.readers._rows import Row, extract_tables
from jixiao.readers.container import EMPTY, check_size


def read(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read every table in a PDF that has a text layer."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    problems = problems if problems is not None else []
    file = str(path)
    if path.stat().st_size == 0:
        raise ReadError(file, EMPTY)
    check_size(path)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    rows: list[Row] = []
    chars = 0
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ReadError(
                    file,
                    f"PDF 有 {len(pdf.pages)} 页（jixiao 最多读取 {MAX_PAGES} 页）；"
                    "请只提交绩效目标表所在的页。",
                )
            for number, page in enumerate(pdf.pages, start=1):
                _check_page(page, file, number)
                chars += len(page.chars)
                rows.extend(_page_rows(page, f"page {number}"))
    except ReadError:
        raise
    except PDFPasswordIncorrect:
        raise ReadError(file, "PDF 设有密码，无法读取；请提交不带密码的副本。") from None
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise ReadError(
            file, f"PDF 已损坏，无法读取（{type(exc).__name__}）；请重新导出或重新发送文件。"
        ) from None
    if chars == 0:
        raise ReadError(
            file,
            "PDF 没有文字层（可能是扫描件）；请提交 Word 或 Excel 原件，或先做文字识别（OCR）。",
        )
    tables = extract_tables(rows, file, problems)
    if not tables:
        raise ReadError(file, "PDF 的文字中没有找到绩效目标表；请提交 Word 或 Excel 原件。")
    return tables


MAX_PAGES = 200
# Drawing instructions of one page, unpacked: a dense form page is well under 0.5 MB.
MAX_PAGE_BYTES = 2 * 1024 * 1024


def _check_page(page, file: str, number: int) -> None:
    """Refuse a page whose drawing instructions are larger than any form's (a page of 200,000
    lines takes minutes to lay out and is not a table)."""
    size = 0
    for stream in page.page_obj.contents or []:
        data = stream.get_data() if hasattr(stream, "get_data") else b""
        size += len(data)
        if size > MAX_PAGE_BYTES:
            raise ReadError(
                file,
                f"第 {number} 页的绘图指令超过 {MAX_PAGE_BYTES // (1024 * 1024)} MB，"
                "超过任何表格，未读取；请提交 Word 或 Excel 原件。",
            )


def _unwrap(cell: str) -> str:
    # A PDF cell's line breaks are mostly where the text wrapped, not the author's: join them,
    # but keep a break before a numbered item (`2.…`) so goals stay apart.
    return re.sub(r"\s*\n\s*(?!\d+[.、．])", "", cell.strip())


def _page_rows(page, sheet: str) -> list[Row]:
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    items: list[tuple[float, list[Row]]] = []
    for t in found:
        grid = [[_unwrap(c or "") for c in row] for row in t.extract()]
        items.append((t.bbox[1], [Row(cells=cells, number=0, sheet=sheet) for cells in grid]))
    for line in page.extract_text_lines():
        mid = (line["top"] + line["bottom"]) / 2
        if any(b[1] <= mid <= b[3] and b[0] <= line["x0"] <= b[2] for b in boxes):
            continue
        items.append(
            (line["top"], [Row(cells=[line["text"].strip()], number=0, sheet=sheet, line=True)])
        )
    items.sort(key=lambda item: item[0])
    rows = [row for _, group in items for row in group]
    for i, row in enumerate(rows, start=1):
        row.number = i
    return rows
