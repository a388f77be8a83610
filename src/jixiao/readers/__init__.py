"""Readers: one per format, chosen by file type; `load` reads many files and never stops early."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.errors import Problem, ReadError

if TYPE_CHECKING:  # the model (pydantic) is loaded by the readers themselves, when one reads
    from jixiao.model import Table

Reader = Callable[..., "list[Table]"]
SUFFIXES = (".txt", ".text", ".docx", ".xlsx", ".xlsm", ".json", ".pdf")
# Found in folders too, so the user hears how to convert them instead of nothing at all.
CONVERTIBLE = (".doc", ".xls", ".wps", ".et", ".csv")


def reader_for(path: Path) -> Reader:
    """The reader for a file, by its extension; raises ReadError for formats we do not read."""
    from jixiao.readers import docx, json, pdf, text, xlsx

    suffix = path.suffix.lower()
    readers: dict[str, Reader] = {
        ".txt": text.read,
        ".text": text.read,
        ".docx": docx.read,
        ".xlsx": xlsx.read,
        ".xlsm": xlsx.read,
        ".json": json.read,
        ".pdf": pdf.read,
    }
    if suffix in readers:
        return readers[suffix]
    hints = {
        ".doc": "请用 Word 打开后另存为 .docx",
        ".xls": "请用 Excel 打开后另存为 .xlsx",
        ".wps": "请用 WPS 或 Word 打开后另存为 .docx",
        ".et": "请用 WPS 或 Excel 打开后另存为 .xlsx",
        ".csv": "请用 Excel 打开后另存为 .xlsx（或把各行粘贴到 .txt 文件中）",
    }
    hint = hints.get(suffix, f"请提交以下类型的文件：{'、'.join(SUFFIXES)}")
    raise ReadError(str(path), f"不支持的文件类型“{suffix or '无扩展名'}”；{hint}。")


def read_path(path: Path, problems: list[Problem] | None = None) -> list[Table]:
    """Read one file; raises ReadError with a one-line message when it cannot be read at all."""
    problems = problems if problems is not None else []
    reader = reader_for(path)
    if not path.exists():
        raise ReadError(str(path), "文件不存在；请检查文件名和路径。")
    if path.is_dir():
        raise ReadError(str(path), "这是一个文件夹，不是文件；请指定其中的表格文件。")
    try:
        with _time_budget(FILE_SECONDS):
            return reader(path, problems)
    except ReadError:
        raise
    except _OutOfTime:
        raise ReadError(
            str(path),
            f"读取超过 {FILE_SECONDS} 秒仍未完成，真实的表用不了这么久；"
            "请用 Word 或 Excel 打开并另存后重新提交。",
        ) from None
    except Exception as exc:  # a reader bug must not take down a batch: report it by name
        error = ReadError(
            str(path),
            f"jixiao 处理此文件时出现内部错误（{type(exc).__name__}），其余文件照常处理；"
            "请把此文件反馈给 jixiao 的维护人员。",
        )
        error.problem.internal = True
        raise error from None


FILE_SECONDS = 60  # per file; real tables take well under a second


class _OutOfTime(Exception):
    pass


@contextmanager
def _time_budget(seconds: int) -> Iterator[None]:
    """Stop a reader that runs past `seconds` (main thread only: where a batch runs; a web
    server's threads rely on the size limits)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class LoadResult:
    """Tables read from many files, with every problem met on the way."""

    tables: list[Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    files_failed: int = 0

    @property
    def failed(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named and, for folders, every readable file below them (sorted, recursive)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in SUFFIXES + CONVERTIBLE
                    and not f.name.startswith("~$")
                )
            )
        else:
            files.append(p)
    return files


def load(paths: Iterable[Path], progress: Callable[[Path], None] | None = None) -> LoadResult:
    """Read every file; one that fails is recorded in `problems` and the rest are still read."""
    result = LoadResult()
    for path in expand(paths):
        if progress:
            progress(path)
        try:
            result.tables.extend(read_path(path, result.problems))
            result.files_read += 1
        except ReadError as exc:
            result.problems.append(exc.problem)
            result.files_failed += 1
    return result


def explain(table: Table) -> list[str]:
    """How a table was read, in Chinese, for `parse --explain`: its header rows and columns."""
    src = table.source
    where = src.place(table.project) if src else ""
    lines = [f"{src.file if src else ''} · {where}".strip(" ·")]
    layout = table.layout
    if layout is None:
        lines.append("  未找到指标表头（三级指标 … 指标值），没有读出指标行")
    else:
        rows = "、".join(str(n) for n in layout.header_rows)
        lines.append(f"  表头：第 {rows} 行" if rows else "  表头：未识别，按各列内容推断")
        lines.extend(f"  {line}" for line in layout.explain())
    money = f"{table.budget_total:,.2f} 元" if table.budget_total is not None else "未注明"
    lines.append(
        f"  读出 {len(table.indicators)} 行指标；预算 {money}（表中金额单位：{table.money_unit}）"
    )
    return lines
