"""`jixiao library …` and `jixiao search`: the library of past tables and policy, and search."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from jixiao.cli_common import (
    OutFormat,
    err,
    print_notes,
    problem_line,
    read_with_progress,
    screen,
    terminal_progress,
)
from jixiao.progress import Progress
from jixiao.workspace import Workspace

library_app = typer.Typer(
    help="The library of past tables and policy documents (under JIXIAO_HOME, default ~/.jixiao).",
    no_args_is_help=True,
)


def _workspace(index: bool = True, progress: Progress | None = None) -> Workspace:
    """The library's workspace, opened now so what it repaired on the way is said first; listing
    and showing tables open the library only (they work with a Chroma server down). Slow steps
    report to `progress` (`terminal_progress`)."""
    ws = Workspace(model=None, progress=progress)
    ws.index if index else ws.library  # noqa: B018
    print_notes(ws)
    return ws


@library_app.command("add")
def library_add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of tables.")],
) -> None:
    """Import tables from any readable format; re-adding the same table changes nothing."""
    with terminal_progress() as progress:
        ws = _workspace(progress=progress)
        loaded = read_with_progress(ws, paths, progress)
        added, present = ws.add(loaded.tables)
    for problem in loaded.problems:
        err.print(problem_line(problem))
    err.print(
        f"新增 {len(added)} 张表，{len(present)} 张已在资料库中（未改动）；"
        f"{loaded.files_failed} 个文件无法读取。资料库共 {len(ws.library.ids())} 张表。"
    )
    if not loaded.tables:
        raise typer.Exit(2)


@library_app.command("list")
def library_list(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the tables in the library."""
    ws = _workspace(index=False)
    tables = ws.tables()
    if json_out:
        print(json.dumps([_summary(t) for t in tables], ensure_ascii=False, indent=2))
        return
    view = RichTable(title=f"资料库：{len(tables)} 张表")
    view.add_column("id", no_wrap=True)  # ids are copied whole into `show` and `remove`
    for column in ("单位", "项目名称", "预算数（元）", "指标数"):
        view.add_column(column, overflow="fold")
    for t in tables:
        budget = f"{t.budget_total:,.2f}" if t.budget_total is not None else ""
        view.add_row(t.id, t.unit_name, t.project, budget, str(len(t.indicators)))
    screen.print(view)
    docs = ws.policies()
    if docs:
        screen.print(
            f"政策文件 {len(docs)} 份：" + "；".join(f"{d.title}（{d.doc_id}）" for d in docs)
        )


def _summary(t) -> dict:
    budget = str(t.budget_total) if t.budget_total is not None else None
    return {
        "id": t.id,
        "unit": t.unit_name,
        "project": t.project,
        "year": t.year,
        "budget_total": budget,
        "indicators": len(t.indicators),
    }


@library_app.command("show")
def library_show(
    table_id: Annotated[str, typer.Argument(help="A table id (or a unique prefix of one).")],
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.md,
) -> None:
    """Show one table."""
    from jixiao.writers import json as json_writer
    from jixiao.writers import markdown as md_writer

    table = _workspace(index=False).table(table_id)
    text = (
        json_writer.dumps([table]) + "\n" if format is OutFormat.json else md_writer.dumps([table])
    )
    sys.stdout.write(text)


@library_app.command("remove")
def library_remove(table_id: Annotated[str, typer.Argument(help="A table id.")]) -> None:
    """Remove a table from the library and the index."""
    with terminal_progress() as progress:
        table = _workspace(progress=progress).remove(table_id)
    err.print(f"已删除：{table.project}（{table.id}）")


@library_app.command("add-policy")
def library_add_policy(
    files: Annotated[list[Path], typer.Argument(help="Policy documents: .txt .md .docx .pdf")],
) -> None:
    """Add your own policy documents, chunked by article or paragraph, title kept on each chunk."""
    with terminal_progress() as progress:
        outcomes = _workspace(progress=progress).add_policies(files)
    failed = 0
    for doc, new in outcomes:
        if isinstance(doc, Exception):
            err.print(f"error: {doc}")
            failed += 1
        else:
            state = "已添加" if new else "已存在"
            err.print(f"{state}：{doc.title}（{len(doc.chunks)} 段，{doc.doc_id}）")
    if failed == len(files):
        raise typer.Exit(2)


@library_app.command("rebuild")
def library_rebuild() -> None:
    """Rebuild the search index from the library (after a crash or a damaged index)."""
    with terminal_progress() as progress:
        message = _workspace(progress=progress).rebuild()
    err.print(message)


class SearchFormat(StrEnum):
    text = "text"
    json = "json"


class Kind(StrEnum):
    table = "table"
    indicator = "indicator"
    policy = "policy"


class Mode(StrEnum):
    fused = "fused"
    dense = "dense"
    lexical = "lexical"


def search(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    kind: Annotated[
        Kind | None, typer.Option(help="Only tables, indicator rows or policy.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option(help="Only tables of units whose name contains this.")
    ] = None,
    k: Annotated[
        int, typer.Option("--k", "-k", min=1, max=200, help="How many results (1–200).")
    ] = 10,
    mode: Annotated[
        Mode, typer.Option(help="Retrieval channel (fused is best measured).")
    ] = Mode.fused,
    format: Annotated[SearchFormat, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """Search past tables, indicator rows and policy passages; every hit names its source."""
    with terminal_progress() as progress:
        ws = _workspace(progress=progress)
        hits = ws.search(query, kind=kind.value if kind else None, unit=unit, k=k, mode=mode.value)
    if format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": h.id,
                        "kind": h.kind,
                        "score": round(h.score, 4),
                        "text": h.text,
                        "source": h.meta,
                        "citation": h.citation.model_dump(exclude_defaults=True),
                    }
                    for h in hits
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    kinds = {"table": "表", "indicator": "指标", "policy": "政策"}
    for rank, h in enumerate(hits, start=1):
        # The rank says how good a hit is; the fused score (0.03…) means nothing to a reader.
        print(
            f"{rank:>2}. 【{kinds.get(h.kind, h.kind)}】{h.text.splitlines()[0][:120]}\n"
            f"    来源：{h.citation.label()}（{h.id}）"
        )
    if not hits:
        err.print("没有找到结果。")
