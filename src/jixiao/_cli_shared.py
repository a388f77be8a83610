"""What the command modules share: the stderr console, one-sentence failures, reading files
with a progress bar, and the table output formats."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from jixiao.readers import LoadResult, expand, load

err = Console(stderr=True, highlight=False, soft_wrap=True)


class OutFormat(StrEnum):
    json = "json"
    md = "md"
    docx = "docx"
    xlsx = "xlsx"


def _load_with_progress(paths: list[Path]) -> LoadResult:
    files = expand(paths)
    if len(files) < 20 or not err.is_terminal:
        return load(files)
    with Progress(
        TextColumn("读取"),
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
