"""`jixiao library …` and `jixiao search`: the library of past tables and policy, and search."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli_common import (
    FORMAT,
    PATHS,
    OutFormat,
    TextFormat,
    check_out,
    err,
    print_notes,
    problem_line,
    read_only,
    read_with_progress,
    resolve_format,
    screen,
    terminal_progress,
    write_tables,
)
from jixiao.progress import Progress
from jixiao.readers import LoadResult
from jixiao.workspace import Workspace

TABLE_ID = Annotated[
    str, typer.Argument(metavar="表id", help="表的 id（或能唯一确定它的开头几位）。")
]

library_app = typer.Typer(
    help="资料库：往年的表和政策文件（在 JIXIAO_HOME 下，默认 ~/.jixiao）。",
    no_args_is_help=True,
    suggest_commands=False,  # click suggests, in Chinese (jixiao.cli_zh)
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
    paths: PATHS,
) -> None:
    """把表加入资料库（任何能读的格式）；同一张表再加一次不会改变什么。"""
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


LIST_UNIT = Annotated[
    str | None, typer.Option("--unit", metavar="单位", help="只列出名称含这几个字的单位的表。")
]
LIST_YEAR = Annotated[
    int | None, typer.Option("--year", metavar="年度", help="只列出这个预算年度的表。")
]
LIST_LIMIT = Annotated[
    int,
    typer.Option(
        "--limit", metavar="张数", help="屏幕上最多列出的表数（0 为全部；json 总是全部）。"
    ),
]


@library_app.command("list")
def library_list(
    unit: LIST_UNIT = None,
    year: LIST_YEAR = None,
    limit: LIST_LIMIT = 200,
    format: FORMAT = TextFormat.text,
) -> None:
    """列出资料库中的表和政策文件（可按单位、年度筛选）。"""
    ws = _workspace(index=False)
    tables = [t for t in ws.tables() if _listed(t, unit, year)]
    if format is TextFormat.json:
        print(json.dumps([_summary(t) for t in tables], ensure_ascii=False, indent=2))
        return
    from rich.table import Table as RichTable

    view = RichTable(title=f"资料库：{len(tables)} 张表{_filters(unit, year)}")
    view.add_column("id", no_wrap=True)  # ids are copied whole into `show` and `remove`
    for column in ("单位", "项目名称", "年度", "预算数（元）", "指标数"):
        view.add_column(column, overflow="fold")
    for t in tables[:limit] if limit > 0 else tables:
        budget = f"{t.budget_total:,.2f}" if t.budget_total is not None else ""
        view.add_row(
            t.id, t.unit_name, t.project, str(t.year or ""), budget, str(len(t.indicators))
        )
    screen.print(view)
    if 0 < limit < len(tables):
        screen.print(f"只列出前 {limit} 张；用 --unit、--year 缩小范围，或 --limit 0 列出全部。")
    docs = ws.policies()
    if docs:
        screen.print(
            f"政策文件 {len(docs)} 份：" + "；".join(f"{d.title}（{d.doc_id}）" for d in docs)
        )


def _listed(t, unit: str | None, year: int | None) -> bool:
    return (not unit or unit in t.unit_name) and (year is None or t.year == year)


def _filters(unit: str | None, year: int | None) -> str:
    said = ([f"单位含“{unit}”"] if unit else []) + ([f"{year}年度"] if year is not None else [])
    return f"（{'，'.join(said)}）" if said else ""


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
    table_id: TABLE_ID,
    format: Annotated[
        OutFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md、json 显示在屏幕上；docx、xlsx 为原表版式的文件（须给 --out）。"
            "不给时按 --out 的扩展名，否则为 md。",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", metavar="文件", help="写入这个文件。")
    ] = None,
) -> None:
    """显示资料库中的一张表，或另存为 Word、Excel。"""
    fmt = resolve_format(format and format.value, out, tuple(OutFormat), "md", ("docx", "xlsx"))
    check_out(out)
    table = _workspace(index=False).table(table_id)
    write_tables(LoadResult(tables=[table]), OutFormat(fmt), out)


@library_app.command("remove")
def library_remove(table_id: TABLE_ID) -> None:
    """从资料库和索引中删除一张表。"""
    with terminal_progress() as progress:
        table = _workspace(progress=progress).remove(table_id)
    err.print(f"已删除：{table.project}（{table.id}）")


@library_app.command("add-policy")
def library_add_policy(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="路径…", help="政策文件（.txt .md .docx .pdf）或其所在文件夹。"),
    ],
) -> None:
    """加入自己的政策文件，按条或按段切分，供检索和审阅引用。"""
    with terminal_progress() as progress:
        outcomes = _workspace(progress=progress).add_policies(files)
    for doc, new in outcomes:
        if isinstance(doc, Exception):
            err.print(f"错误：{doc}")
        else:
            state = "已添加" if new else "已存在"
            err.print(f"{state}：{doc.title}（{len(doc.chunks)} 段，{doc.doc_id}）")
    added = sum(1 for doc, _ in outcomes if not isinstance(doc, Exception))
    err.print(f"政策文件：{added} 份已在资料库中，{len(outcomes) - added} 份无法读取。")
    if not added:
        raise typer.Exit(2)


@library_app.command("remove-policy")
def library_remove_policy(
    doc_id: Annotated[
        str,
        typer.Argument(metavar="文件id", help="政策文件的 id（见 library list，可只写开头几位）。"),
    ],
) -> None:
    """从资料库和索引中删除一份政策文件。"""
    with terminal_progress() as progress:
        doc = _workspace(progress=progress).remove_policy(doc_id)
    err.print(f"已删除：{doc.title}（{doc.doc_id}）")


@library_app.command("rebuild")
def library_rebuild() -> None:
    """按资料库重建检索索引（程序崩溃或索引损坏之后）。"""
    with terminal_progress() as progress:
        message = _workspace(progress=progress).rebuild()
    err.print(message)


class Kind(StrEnum):
    table = "table"
    indicator = "indicator"
    policy = "policy"


class Mode(StrEnum):
    fused = "fused"
    dense = "dense"
    lexical = "lexical"


def search(
    query: Annotated[str, typer.Argument(metavar="查询", help="要找什么，用自己的话说。")],
    kind: Annotated[
        Kind | None,
        typer.Option(help="table 只找表，indicator 只找指标行，policy 只找政策段落。"),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(metavar="单位", help="只找单位名称中含有这几个字的表（不适用于政策）。"),
    ] = None,
    k: Annotated[
        int,
        typer.Option("--k", "-k", min=1, max=200, metavar="条数", help="显示多少条结果（1–200）。"),
    ] = 10,
    mode: Annotated[
        Mode,
        typer.Option(help="检索方式：fused 融合（实测最好），dense 向量，lexical 关键词。"),
    ] = Mode.fused,
    format: FORMAT = TextFormat.text,
) -> None:
    """在往年的表、指标行和政策段落中检索；每条结果都写明出处。"""
    with terminal_progress() as progress:
        ws = Workspace(model=None, progress=progress)  # opened by the search: see Workspace.search
        hits = ws.search(query, kind=kind.value if kind else None, unit=unit, k=k, mode=mode.value)
    print_notes(ws)
    read_only.set()
    if format is TextFormat.json:
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
        first, *rest = h.text.splitlines()
        print(f"{rank:>2}. 【{kinds.get(h.kind, h.kind)}】{first[:120]}")
        if h.kind == "policy" and rest:  # the passage is the answer, not only its title
            passage = " ".join(rest)
            print(f"    {passage[:300]}{'…' if len(passage) > 300 else ''}")
        print(f"    来源：{h.citation.label()}（{h.id}）")
    if not hits:
        err.print("没有找到结果。")
