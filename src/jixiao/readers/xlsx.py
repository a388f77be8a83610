"""Excel (.xlsx): one or many tables per sheet and per workbook, merged cells, split columns.

The package's XML is read directly with lxml, as for Word: shared strings, each sheet's cells and
merged ranges, and the number formats that make a cell a percentage or a date. That is the same
text openpyxl gives, without building its object model — several times faster on a batch — and
only the cells that exist are held, however far away a stray cell sits.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from jixiao.errors import Problem, ReadError
from jixiao.model import Table
from jixiao.readers._rows import Row, extract_tables
from jixiao.readers.container import (
    MAX_ROWS,
    MAX_TABLE_CELLS,
    check_part,
    open_zip,
    read_part,
)

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
# Built-in number formats that are dates (ECMA-376 §18.8.30) and percentages.
_BUILTIN_DATES = set(range(14, 23)) | {45, 46, 47}
_BUILTIN_PERCENT = {9, 10}


def read(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read every table on every sheet of a workbook; a sheet without one is reported, not fatal."""
    problems = problems if problems is not None else []
    file = str(path)
    with open_zip(path, "Excel") as archive:
        try:
            book = _Workbook(archive, file)
            sheets = [(name, _rows(book, name, target)) for name, target in book.sheets]
        except ReadError:
            raise
        except _TooLarge as exc:
            raise ReadError(file, str(exc)) from None
        except (
            KeyError,
            etree.XMLSyntaxError,
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
        ) as exc:
            raise ReadError(
                file,
                f"工作簿已损坏，无法打开（{type(exc).__name__}）；"
                "请用 Excel 打开并另存，或重新发送文件。",
            ) from None
    for name in book.missing:
        problems.append(
            Problem(
                file=file,
                place=f"工作表 {name}",
                message="工作簿列出了这张工作表，但其内容缺失（文件已损坏）；"
                "请用 Excel 打开并保存，或重新发送文件。",
                severity="error",
            )
        )
    for name, refs in book.uncached.items():
        shown = "、".join(refs[:5]) + (" …" if len(refs) > 5 else "")
        problems.append(
            Problem(
                file=file,
                place=f"工作表 {name}",
                message=f"{len(refs)} 个公式单元格没有保存计算结果（{shown}），已按公式原文读取；"
                "请用 Excel 打开并保存文件，以保存计算结果。",
            )
        )
    tables: list[Table] = []
    empty_sheets: list[str] = []
    for name, rows in sheets:
        if not rows:
            continue
        found = extract_tables(rows, file, problems, first_index=len(tables))
        if not found:
            empty_sheets.append(name)
        tables.extend(found)
    message = (
        "没有找到指标表头行（三级指标 … 指标值），已跳过这张工作表；"
        "如果其中有指标，请检查表头是否含“三级指标”和“指标值”。"
    )
    if not tables:
        names = "、".join(f"“{n}”" for n in empty_sheets)
        raise ReadError(
            file,
            f"没有找到绩效目标表：工作表{names}上没有指标表头行（三级指标 … 指标值）；"
            "请确认提交的是绩效目标表，且表头含“三级指标”和“指标值”。"
            if names
            else "没有找到绩效目标表：所有工作表都是空的；请确认提交的文件是否正确。",
        )
    for name in empty_sheets:
        problems.append(Problem(file=file, place=f"工作表 {name}", message=message))
    return tables


class _Workbook:
    """The parts of a workbook every sheet needs: names, shared strings, number formats."""

    def __init__(self, archive: zipfile.ZipFile, file: str) -> None:
        self.archive = archive
        self.file = file
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise KeyError("xl/workbook.xml")
        workbook = etree.fromstring(read_part(archive, "xl/workbook.xml", file), _PARSER)
        rels = etree.fromstring(read_part(archive, "xl/_rels/workbook.xml.rels", file), _PARSER)
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
        self.sheets: list[tuple[str, str]] = []
        self.missing: list[str] = []  # sheets the workbook lists whose part is not in the file
        self.uncached: dict[str, list[str]] = {}  # per sheet, formula cells with no saved result
        for sheet in workbook.iter(f"{_M}sheet"):
            target = targets.get(sheet.get(f"{_R}id"), "")
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            if "worksheets/" not in part:
                continue  # chart sheets hold no cells
            if part in names:
                self.sheets.append((sheet.get("name", ""), part))
            else:
                self.missing.append(sheet.get("name", ""))
        pr = workbook.find(f"{_M}workbookPr")
        self.epoch = (
            dt.datetime(1904, 1, 1)
            if pr is not None and pr.get("date1904") in {"1", "true"}
            else dt.datetime(1899, 12, 30)
        )
        self.strings = _shared_strings(archive, file) if "xl/sharedStrings.xml" in names else []
        self.styles = _styles(archive, file) if "xl/styles.xml" in names else []


def _shared_strings(archive: zipfile.ZipFile, file: str) -> list[str]:
    root = etree.fromstring(read_part(archive, "xl/sharedStrings.xml", file), _PARSER)
    return [_inline_text(si) for si in root.iterchildren(f"{_M}si")]


def _inline_text(si) -> str:
    """Text of a string item: its `t`, or its rich-text runs; phonetic hints (`rPh`) left out."""
    parts = []
    for child in si:
        if child.tag == f"{_M}t":
            parts.append(child.text or "")
        elif child.tag == f"{_M}r":
            t = child.find(f"{_M}t")
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)


def _styles(archive: zipfile.ZipFile, file: str) -> list[str]:
    """Per cell style index: "percent", "date" or ""."""
    root = etree.fromstring(read_part(archive, "xl/styles.xml", file), _PARSER)
    custom = {
        int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(f"{_M}numFmt")
    }
    xfs = root.find(f"{_M}cellXfs")
    kinds = []
    for xf in xfs.iterchildren(f"{_M}xf") if xfs is not None else []:
        fmt = int(xf.get("numFmtId", "0") or 0)
        code = custom.get(fmt, "")
        if fmt in _BUILTIN_PERCENT or "%" in code:
            kinds.append("percent")
        elif fmt in _BUILTIN_DATES or (code and _is_date_code(code)):
            kinds.append("date")
        else:
            kinds.append("")
    return kinds


def _is_date_code(code: str) -> bool:
    # Quoted text, escapes and [colour]/[$-locale] sections say nothing about dates.
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return bool(re.search(r"[dmyhs]", bare, re.IGNORECASE)) and "General" not in bare


def _rows(book: _Workbook, name: str, part: str) -> list[Row]:
    """The sheet's rows with text, read as a stream: a sheet too large is refused as soon as it
    shows it, before it is held in memory."""
    cells: dict[int, dict[int, str]] = {}
    merges: list[str] = []
    check_part(book.archive, part, book.file)
    with book.archive.open(part) as stream:
        events = etree.iterparse(
            stream,
            events=("end",),
            tag=(f"{_M}row", f"{_M}mergeCell"),
            huge_tree=True,
            resolve_entities=False,
            no_network=True,
        )
        r_index = 0
        for _, el in events:
            if el.tag == f"{_M}mergeCell":
                merges.append(el.get("ref", ""))
                continue
            r_index += 1
            _read_row(book, name, el, int(el.get("r") or r_index), cells)
            el.clear()
            while el.getprevious() is not None:  # rows already read: free them
                del el.getparent()[0]
    if not cells:
        return []
    _fill_merges(cells, merges, name)
    width = max(max(row) for row in cells.values())
    if width * len(cells) > MAX_TABLE_CELLS:
        raise _TooLarge(
            f"工作表 {name} 有 {len(cells):,} 行 × {width:,} 列，超过任何绩效目标表"
            f"（上限 {MAX_TABLE_CELLS:,} 个单元格）；请删去表格以外的内容后重新提交。"
        )
    return [
        Row(cells=[cells[n].get(c, "") for c in range(1, width + 1)], number=n, sheet=name)
        for n in sorted(cells)
    ]


def _read_row(book: _Workbook, name: str, row, number: int, cells: dict) -> None:
    col = 0
    for c in row.iterchildren(f"{_M}c"):
        ref = _REF.match(c.get("r", ""))
        col = _column(ref[1]) if ref else col + 1
        text = _cell_text(book, c)
        if not text:
            continue
        if number not in cells and len(cells) >= MAX_ROWS:
            raise _TooLarge(
                f"工作表 {name} 有文字的行超过 {MAX_ROWS:,} 行，超过任何绩效目标表；"
                "请确认提交的文件是否正确。"
            )
        cells.setdefault(number, {})[col] = text
        if c.find(f"{_M}f") is not None and c.find(f"{_M}v") is None:
            book.uncached.setdefault(name, []).append(c.get("r", "?"))


class _TooLarge(Exception):
    pass


def _fill_merges(cells: dict[int, dict[int, str]], merges: list[str], sheet: str) -> None:
    """Every cell of a merged range repeats its top-left text, within the rows that hold text."""
    last_row = max(cells)
    last_col = max(max(row) for row in cells.values())
    filled = 0
    for ref in merges:
        first, _, last = ref.partition(":")
        a, b = _REF.match(first), _REF.match(last or first)
        if not (a and b):
            continue
        r1, c1 = int(a[2]), _column(a[1])
        r2, c2 = min(int(b[2]), last_row), min(_column(b[1]), last_col)
        top = cells.get(r1, {}).get(c1, "")
        if not top:
            continue
        filled += max(0, r2 - r1 + 1) * max(0, c2 - c1 + 1)
        if filled > MAX_TABLE_CELLS:
            raise _TooLarge(
                f"工作表 {sheet} 的合并单元格（{ref}）覆盖超过 {MAX_TABLE_CELLS:,} 个单元格，"
                "超过任何绩效目标表；请取消多余的合并后重新提交。"
            )
        for r in range(r1, r2 + 1):
            row = cells.get(r)
            if row is None:
                if r == r1:
                    continue
                row = cells[r] = {}
            for c in range(c1, c2 + 1):
                row[c] = top


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cell_text(book: _Workbook, c) -> str:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        is_ = c.find(f"{_M}is")
        return _inline_text(is_) if is_ is not None else ""
    v = c.find(f"{_M}v")
    raw = v.text if v is not None and v.text is not None else ""
    if not raw:
        # A formula never calculated (no saved result), as `=100%` typed into a cell becomes:
        # its text is what the author wrote.
        f = c.find(f"{_M}f")
        return f"={f.text}" if f is not None and f.text else ""
    if kind == "s":
        i = int(raw)
        return book.strings[i] if 0 <= i < len(book.strings) else ""
    if kind in {"str", "e"}:
        return raw
    if kind == "b":
        return "是" if raw.strip() in {"1", "true"} else "否"
    if kind == "d":
        try:
            return _date(dt.datetime.fromisoformat(raw))
        except ValueError:
            return raw
    style = int(c.get("s", "0") or 0)
    fmt = book.styles[style] if style < len(book.styles) else ""
    try:
        # As openpyxl reads it: integers exactly, other numbers through a float.
        number = Decimal(raw) if re.fullmatch(r"-?\d+", raw) else Decimal(repr(float(raw)))
    except (InvalidOperation, ValueError):
        return raw
    if fmt == "percent":
        return f"{_number(number * 100)}%"
    if fmt == "date":
        try:
            return _date(book.epoch + dt.timedelta(days=float(number)))
        except (OverflowError, ValueError):
            return _number(number)
    return _number(number)


def _date(value: dt.datetime) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _number(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")
