"""Word (.docx): header fields above or inside the table, merged cells, several tables a file.

The document XML is read directly with lxml rather than through python-docx's object model: the
same cells, several times faster, which matters when a bureau sends hundreds of files at once.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from lxml import etree

from jixiao.errors import Problem, ReadError
from jixiao.model import Table
from jixiao.readers._rows import Row, extract_tables
from jixiao.readers.container import MAX_ROWS, MAX_TABLE_CELLS, NO_TABLE, open_zip, read_part

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_VAL = f"{_W}val"
_SDT = f"{_W}sdt"


def read(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read every table in a .docx file."""
    problems = problems if problems is not None else []
    with open_zip(path, "Word") as archive:
        try:
            xml = read_part(archive, "word/document.xml", str(path))
        except KeyError:
            raise ReadError(
                str(path),
                "不是 Word 文档（其中没有 word/document.xml）；请用 Word 打开后另存为 .docx。",
            ) from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise ReadError(
                str(path), f"文件已损坏（{type(exc).__name__}）；请重新导出或重新发送文件。"
            ) from None
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise ReadError(
            str(path),
            f"文档内容（XML）已损坏（{type(exc).__name__}）；请用 Word 打开并另存后重新提交。",
        ) from None
    body = root.find(f"{_W}body")
    try:
        rows = list(_rows(body)) if body is not None else []
    except _TooLarge as exc:
        raise ReadError(str(path), str(exc)) from None
    tables = extract_tables(rows, str(path), problems)
    if not tables:
        raise ReadError(str(path), NO_TABLE)
    return tables


def _rows(body) -> list[Row]:
    rows: list[Row] = []
    word_table = 0
    for child in _blocks(body):
        if child.tag == _P:
            text = _text(child).strip()
            if text:
                rows.append(Row(cells=[text], number=len(rows) + 1, line=True))
        elif child.tag == _TBL:
            word_table += 1
            for r, cells in enumerate(_grid(child), start=1):
                rows.append(Row(cells=cells, number=r, sheet=f"Word table {word_table}"))
    return rows


def _blocks(parent):
    """Paragraphs and tables in order, looking inside content controls (`w:sdt`)."""
    for child in parent:
        if child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        else:
            yield child


class _TooLarge(Exception):
    pass


MAX_SPAN = 1000  # columns one cell may span; real forms use a few dozen at most


def _count(element, name: str, default: int) -> int:
    """A `w:val` count (gridSpan, gridBefore), checked: no number → default, huge → refused."""
    try:
        n = int(element.get(_VAL, str(default)))
    except ValueError:
        return default
    if n < 0 or n > MAX_SPAN:
        raise _TooLarge(
            f"Word 表格中有单元格声明 {name} = {n}（最多 {MAX_SPAN} 列），文件可能已损坏；"
            "请用 Word 打开并另存后重新提交。"
        )
    return n


def _grid(tbl) -> list[list[str]]:
    """The table as a rectangle of texts: spanned and vertically merged cells repeat their text."""
    grid: list[list[str]] = []
    cells = 0
    for tr in tbl.iter(_TR):
        if tr.getparent() is not tbl:
            continue  # rows of nested tables are read as text of their cell
        row: list[str] = []
        trpr = tr.find(f"{_W}trPr")
        before = trpr.find(f"{_W}gridBefore") if trpr is not None else None
        if before is not None:
            row.extend([""] * _count(before, "gridBefore", 0))
        for tc in tr.iterchildren(_TC):
            span, vmerge = 1, None
            tcpr = tc.find(f"{_W}tcPr")
            if tcpr is not None:
                gs = tcpr.find(f"{_W}gridSpan")
                if gs is not None:
                    span = max(1, _count(gs, "gridSpan", 1))
                vm = tcpr.find(f"{_W}vMerge")
                if vm is not None:
                    vmerge = vm.get(_VAL, "continue")
            col = len(row)
            if vmerge == "continue" and grid and col < len(grid[-1]):
                text = grid[-1][col]
            else:
                # Every paragraph of the cell, those in content controls and nested tables too.
                text = "\n".join(t for p in tc.iter(_P) if (t := _text(p).strip()))
            row.extend([text] * span)
        cells += len(row)
        if len(grid) >= MAX_ROWS:
            raise _TooLarge(
                f"Word 表格超过 {MAX_ROWS:,} 行，超过任何绩效目标表；请确认提交的文件是否正确。"
            )
        if cells > MAX_TABLE_CELLS:
            raise _TooLarge(
                f"Word 表格超过 {MAX_TABLE_CELLS:,} 个单元格，超过任何绩效目标表；"
                "请确认提交的文件是否正确。"
            )
        grid.append(row)
    return grid


def _text(p) -> str:
    parts: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)
