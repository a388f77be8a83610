"""What the command modules share: the stderr console, one-sentence failures, progress while
reading and reviewing, and how tables and review results are written out."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from jixiao.progress import NullProgress
from jixiao.progress import Progress as Stages
from jixiao.readers import LoadResult, expand

if TYPE_CHECKING:  # what a command needs is imported by the command (`jixiao --help` needs none)
    from rich.progress import Progress

    from jixiao.findings import ReviewResult
    from jixiao.workspace import Workspace

# Markup off: file names and table text such as `[bold]表.xlsx` or `dir[/]x` are printed as they
# are, never read as styles. Colour is added only around our own words (`problem_line`).
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
screen = Console(highlight=False, markup=False)


# Set by a command that wrote nothing (a search): `jixiao.cli.main` then ends the process without
# the interpreter's teardown, which takes a tenth of a second once chromadb is loaded. The store
# is safe either way: a process killed at any moment leaves it whole (tested).
read_only = threading.Event()


def problem_line(problem) -> Text:
    """`警告：文件，位置：说明` with the severity coloured and the rest verbatim."""
    colour = "red" if problem.severity == "error" else "yellow"
    word = "错误" if problem.severity == "error" else "警告"
    return Text.assemble((word, colour), f"：{problem}")


class OutFormat(StrEnum):
    json = "json"
    md = "md"
    docx = "docx"
    xlsx = "xlsx"


class TextFormat(StrEnum):
    text = "text"
    json = "json"


# The checkout (eval datasets and baselines live there).
REPO = Path(__file__).resolve().parents[2]

# One grammar for every command: the same names, short forms and words in `--help`.
PATHS = Annotated[
    list[Path],
    typer.Argument(metavar="路径…", help="文件或文件夹（文件夹里的表逐层查找）。"),
]
FORMAT = Annotated[
    TextFormat, typer.Option("--format", "-f", help="text 为屏幕上的表格，json 供程序使用。")
]


def command_hint() -> str:
    """How to call jixiao from here: `jixiao` when it is on PATH, else the script beside this
    Python (`.venv/bin/jixiao`, relative when under the current folder)."""
    import shutil

    if shutil.which("jixiao"):
        return "jixiao"
    beside = Path(sys.executable).with_name("jixiao")
    if not beside.exists():
        return f"{sys.executable} -m jixiao"
    try:
        return str(beside.relative_to(Path.cwd()))
    except ValueError:
        return str(beside)


def fail(message: str) -> None:
    """Stop with one sentence and exit code 2."""
    err.print(f"错误：{message}")
    raise typer.Exit(2)


def resolve_format(
    given: str | None,
    out: Path | None,
    allowed: tuple[str, ...],
    default: str,
    files: tuple[str, ...],
) -> str:
    """The output format: `--format` when given, else from `--out`'s extension, else `default`.

    A format that contradicts the extension, or a file format (`files`) without `--out`, is a
    usage error in one sentence — never Markdown written into `报告.xlsx`.
    """
    ext = (
        {"markdown": "md", "htm": "html"}.get(s := out.suffix.lower().lstrip("."), s) if out else ""
    )
    if given is None:
        fmt = ext if ext in allowed else default
    else:
        fmt = given
        if ext in allowed and ext != given:
            fail(f"--format {given} 与 --out 的扩展名 .{ext} 不一致；请去掉其中一个")
    if fmt in files and out is None:
        fail(f"--format {fmt} 写的是文件：请加 --out 文件名.{fmt}")
    return fmt


def check_out(out: Path | None) -> None:
    """Refuse an `--out` that cannot be written, before any work is done."""
    if out is None:
        return
    if out.is_dir():
        fail(f"--out {out} 是一个文件夹；请给出文件名，例如 {out / '报告.xlsx'}")
    if not out.parent.exists():
        fail(f"--out 的文件夹 {out.parent} 不存在；请先建立它")


def save_crash_report() -> Path:
    """Write the current exception's traceback under JIXIAO_HOME/logs; return the file."""
    import datetime as dt
    import traceback

    from jixiao.settings import DEFAULT_HOME

    try:
        from jixiao.settings import Settings

        home = Settings.from_env().home
    except Exception:  # noqa: BLE001 — a bad setting must not hide the crash
        home = DEFAULT_HOME
    logs = home / "logs"
    try:
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
        path.write_text(traceback.format_exc(), encoding="utf-8")
        return path
    except OSError:
        return Path("(无法写入日志)")


def _bar(label: str) -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[name]}"),
        console=err,
        transient=True,
    )


class _TerminalStages:
    """The current stage as one line on stderr: a spinner, its name, a bar when it is counted."""

    def __init__(self, bar: Progress) -> None:
        self._bar = bar
        self._task = None

    def stage(self, label: str, total: int | None = None) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(label, total=total)

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)


@contextmanager
def terminal_progress() -> Iterator[Stages]:
    """Where a long job reports its stages: shown on a terminal while it runs (and erased after),
    nothing at all when stderr is not a terminal (pipes, CI, tests)."""
    if not err.is_terminal:
        yield NullProgress()
        return
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    class Count(ProgressColumn):
        """`3/10` for a counted stage, nothing for an open-ended one."""

        def render(self, task) -> Text:
            return Text("" if task.total is None else f"{int(task.completed)}/{int(task.total)}")

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), Count())
    with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as bar:
        yield _TerminalStages(bar)


def read_with_progress(
    ws: Workspace, paths: list[Path], progress: Stages | None = None
) -> LoadResult:
    """Read files, with a bar on a terminal when there are several; a command that shows its
    stages (`terminal_progress`) passes them, and reading is one more stage."""
    files = expand(paths)
    if progress is not None:
        progress.stage("读取文件", total=len(files))
        return ws.read(files, progress=lambda p: progress.advance())
    if len(files) < 3 or not err.is_terminal:
        return ws.read(files)
    with _bar("读取") as bar:
        task = bar.add_task("read", total=len(files), name="")
        return ws.read(files, progress=lambda p: bar.update(task, advance=1, name=p.name))


def review_with_progress(
    ws: Workspace, paths: list[Path], show_untrusted: bool = False
) -> ReviewResult:
    """Read and review, with bars on a terminal for reading and for the model."""
    loaded = read_with_progress(ws, paths)
    if ws.model is None or not loaded.tables or not err.is_terminal:
        result = ws.review(loaded, show_untrusted=show_untrusted)
    else:
        with _bar("模型审阅") as bar:
            task = bar.add_task("model", total=len(loaded.tables), name="")
            result = ws.review(
                loaded,
                on_model_table=lambda t: bar.update(task, advance=1),
                show_untrusted=show_untrusted,
            )
    print_notes(ws)  # e.g. the index could not be opened for the model's context
    return result


def print_notes(ws: Workspace) -> None:
    for note in ws.notes:
        err.print(note)


def write_tables(result: LoadResult, format: OutFormat, out: Path | None) -> None:
    """Tables as JSON or Markdown (stdout or `out`), or Word / Excel in the seed's layout."""
    check_out(out)
    tables = result.tables
    # Only the writer asked for is imported: python-docx and openpyxl cost a tenth of a second.
    if format is OutFormat.docx:
        from jixiao.writers import docx as docx_writer

        docx_writer.write(tables, out)  # type: ignore[arg-type]
    elif format is OutFormat.xlsx:
        from jixiao.writers import xlsx as xlsx_writer

        xlsx_writer.write(tables, out)  # type: ignore[arg-type]
    else:
        if format is OutFormat.json:
            from jixiao.writers import json as json_writer

            text = json_writer.dumps(tables) + "\n"
        else:
            from jixiao.writers import markdown as md_writer

            text = md_writer.dumps(tables)
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8")
    err.print(f"已写入 {out}")


def write_review(result: ReviewResult, format: str, out: Path | None, min_severity: str) -> None:
    """The report of a review: md/json to stdout unless `out`, html/xlsx to a file."""
    from jixiao.findings import summary
    from jixiao.writers.report import findings_json, markdown, write

    check_out(out)
    shown = result.at_least(min_severity)
    if result.tables:
        if format in ("html", "xlsx") and out is None:
            out = Path(f"jixiao-review.{format}")
        if out is not None:
            write(shown, out, format)
        elif format == "json":
            sys.stdout.write(findings_json(shown.findings) + "\n")
        else:
            sys.stdout.write(markdown(shown))
    err.print(summary(result))
    if out is not None and result.tables:
        err.print(f"报告已写入 {out}")
