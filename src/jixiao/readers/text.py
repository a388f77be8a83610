"""Text in the seed's layout: tab-indented cells, blank lines between rows, titles unindented.

This is what a Word file of 绩效目标表 becomes when its text is extracted: every cell on its own
line behind a tab, rows separated by blank lines, merged level-1/level-2 cells only on the first
row of their group, and extra paragraphs of a cell (goals `2.…`, `3.…`) on unindented lines.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import Problem, ReadError
from jixiao.model import Table
from jixiao.readers._labels import title_of
from jixiao.readers._rows import Row, extract_tables
from jixiao.readers.container import EMPTY, MAX_ROWS, NO_TABLE, check_size


def read(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read every table in a text file of the seed's layout."""
    text = _decode(path)
    return read_text(text, str(path), problems)


def read_text(text: str, file: str, problems: list[Problem] | None = None) -> list[Table]:
    """Read every table in `text`; `file` names it in messages."""
    problems = problems if problems is not None else []
    rows = _rows(text)
    if len(rows) > MAX_ROWS:
        raise ReadError(
            file, f"文本超过 {MAX_ROWS:,} 行，超过任何绩效目标表；请确认提交的文件是否正确。"
        )
    tables = extract_tables(rows, file, problems)
    if not tables:
        raise ReadError(file, NO_TABLE)
    return tables


def _rows(text: str) -> list[Row]:
    rows: list[Row] = []
    pasted: set[int] = set()  # rows pasted whole: a line after one is not more of its cell
    current: Row | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count("\t") >= 2 or ("\t" in line and not line.startswith("\t")):
            # A row pasted from Excel: its cells separated by tabs on one line.
            current = None
            rows.append(Row(cells=[c.strip() for c in line.split("\t")], number=number))
            pasted.add(len(rows) - 1)
            continue
        if "\t" in line:
            cell = line.split("\t", 1)[1]
            if current is None:
                current = Row(cells=[], number=number)
                rows.append(current)
            current.cells.append(cell)
            continue
        current = None
        stripped = line.strip()
        if not stripped:
            continue
        if title_of(stripped):
            rows.append(Row(cells=[stripped], number=number, line=True))
        elif rows and rows[-1].cells and not rows[-1].line and len(rows) - 1 not in pasted:
            # A further paragraph of the cell above (goal 2., 3. …).
            rows[-1].cells[-1] += "\n" + stripped
        else:
            rows.append(Row(cells=[stripped], number=number, line=True))
    return rows


def _decode(path: Path) -> str:
    check_size(path)
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(str(path), EMPTY)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 without its byte-order mark: the text it decodes to is readable.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                decoded = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            sample = decoded[:2000]
            readable = sum(1 for ch in sample if ch.isprintable() or ch in "\t\r\n")
            if readable >= 0.95 * len(sample):
                return decoded
        raise ReadError(
            str(path), "这是二进制文件，不是文本；请确认文件类型，或另存为 .txt 后重新提交。"
        )
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(
        str(path), "文本编码无法识别（不是 UTF-8 或 GB18030）；请另存为 UTF-8 编码后重新提交。"
    )
