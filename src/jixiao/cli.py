"""The `jixiao` command: the same functions the UI calls, for scripts and batch work."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table as RichTable

from jixiao.readers import LoadResult, expand, load
from jixiao.seed import load_seed
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer
from jixiao.writers import markdown as md_writer
from jixiao.writers import xlsx as xlsx_writer

app = typer.Typer(
    help="jixiao (绩效): read, review and draft 项目支出绩效目标表.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class OutFormat(StrEnum):
    json = "json"
    md = "md"
    docx = "docx"
    xlsx = "xlsx"


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    format: Annotated[
        OutFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutFormat.json,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write here instead of stdout (required for docx and xlsx)."
        ),
    ] = None,
) -> None:
    """Read 绩效目标表 from .txt, .docx, .xlsx, .json and .pdf files into one typed form.

    Problems are listed on stderr with file and place; a file that cannot be read never stops the
    others. Exit code 0 when any table was read, 2 when nothing could be read.
    """
    if format in (OutFormat.docx, OutFormat.xlsx) and out is None:
        _fail(f"--format {format.value} writes a file: add --out FILE.{format.value}")
    result = _load_with_progress(paths)
    for problem in result.problems:
        err.print(
            f"[{'red' if problem.severity == 'error' else 'yellow'}]{problem.severity}[/]: "
            f"{problem}",
            markup=True,
        )
    rows = sum(len(t.indicators) for t in result.tables)
    err.print(
        f"Read {len(result.tables)} tables ({rows} indicator rows) from {result.files_read} "
        f"file(s); {result.files_failed} file(s) could not be read."
    )
    if not result.tables:
        raise typer.Exit(2)
    _emit(result, format, out)


def _emit(result: LoadResult, format: OutFormat, out: Path | None) -> None:
    tables = result.tables
    if format is OutFormat.docx:
        docx_writer.write(tables, out)  # type: ignore[arg-type]
    elif format is OutFormat.xlsx:
        xlsx_writer.write(tables, out)  # type: ignore[arg-type]
    else:
        text = (
            json_writer.dumps(tables) + "\n"
            if format is OutFormat.json
            else md_writer.dumps(tables)
        )
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8")
    err.print(f"Wrote {out}")


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo files.")] = Path(
        "jixiao-demo"
    ),
) -> None:
    """Show the bundled seed library and write it as Word, Excel, Markdown and JSON files."""
    tables = load_seed()
    view = RichTable(title="jixiao 种子库 · the seed library (天津市滨海新区司法局)")
    for column in ("#", "项目名称", "预算数（元）", "指标数", "id"):
        view.add_column(column, overflow="fold")
    for i, t in enumerate(tables, start=1):
        view.add_row(str(i), t.project, f"{t.budget_total:,.2f}", str(len(t.indicators)), t.id)
    Console().print(view)
    out.mkdir(parents=True, exist_ok=True)
    written = [
        docx_writer.write(tables, out / "seed.docx"),
        xlsx_writer.write(tables, out / "seed.xlsx"),
        md_writer.write(tables, out / "seed.md"),
        json_writer.write(tables, out / "seed.json"),
    ]
    Console().print("Written: " + ", ".join(str(p) for p in written))
    Console().print("Try: jixiao parse jixiao-demo/seed.xlsx --format md")


def _load_with_progress(paths: list[Path]) -> LoadResult:
    files = expand(paths)
    if len(files) < 20 or not err.is_terminal:
        return load(files)
    with Progress(
        TextColumn("Reading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[name]}"),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("read", total=len(files), name="")
        return load(files, progress=lambda p: bar.update(task, advance=1, name=p.name))


def _fail(message: str) -> None:
    err.print(f"error: {message}")
    raise typer.Exit(2)


def main() -> None:
    app()
