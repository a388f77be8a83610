"""The `jixiao` command: the same functions the UI calls, for scripts and batch work."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table as RichTable

from jixiao.readers import LoadResult, expand, load
from jixiao.review import ReviewResult, summary
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


class ReportFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"
    xlsx = "xlsx"


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


REPO = Path(__file__).resolve().parents[2]
eval_app = typer.Typer(help="Measure quality against hand-written labels.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


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


@app.command("review")
def review_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    format: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="Report format: md and json go to stdout unless --out is given; html and xlsx "
            "are files (default jixiao-review.html / .xlsx).",
        ),
    ] = ReportFormat.md,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report here.")] = None,
    min_severity: Annotated[
        Severity,
        typer.Option("--min-severity", help="Report only findings at this severity or worse."),
    ] = Severity.info,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Rules only, even when a model is configured.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Ask the model again instead of using cached replies."),
    ] = False,
) -> None:
    """Review 绩效目标表 against every rule of the defect catalogue and write a report.

    Every finding has a code, a place (table and row), a message in Chinese, a suggested fix and
    the policy it rests on. A file that cannot be read is listed with the reason; the rest are
    still reviewed. Exit code: 0 no errors found, 1 at least one `error` finding, 2 nothing could
    be read.
    """
    from jixiao.writers.report import findings_json, markdown, write

    result = _review_with_progress(paths, None if no_model else _model(no_cache))
    for problem in result.problems:
        if problem.severity == "warning":
            err.print(f"[yellow]warning[/]: {problem}", markup=True)
    shown = result.at_least(min_severity.value)
    if result.tables:
        if format in (ReportFormat.html, ReportFormat.xlsx) and out is None:
            out = Path(f"jixiao-review.{format.value}")
        if out is not None:
            write(shown, out, format.value)
        elif format is ReportFormat.json:
            sys.stdout.write(findings_json(shown.findings) + "\n")
        else:
            sys.stdout.write(markdown(shown))
    err.print(summary(result))
    if out is not None and result.tables:
        err.print(f"报告已写入 {out}")
    raise typer.Exit(result.exit_code())


@eval_app.command("review")
def eval_review(
    dataset: Annotated[Path, typer.Option(help="Folder of *.labels.jsonl and their tables.")] = REPO
    / "eval/datasets/review",
    baseline: Annotated[Path, typer.Option(help="Committed scores to compare with.")] = REPO
    / "eval/baselines/review.json",
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Write these scores as the new baseline.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    model: Annotated[
        bool, typer.Option("--model", help="Score rules + the configured model, by origin.")
    ] = False,
) -> None:
    """Score the reviewer against the labeled issues: P/R/F1 per code, severity, family, overall.

    Lists every false positive and false negative and compares with the baseline; exits 1 when a
    score fell (a regression), 0 otherwise.
    """
    import json

    from jixiao.evaluate import compare, load_labels, load_sources, predict, render, score
    from jixiao.rules import check

    try:
        labels = load_labels(dataset)
        tables = load_sources(dataset, labels)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    reviewer = check
    llm = _model() if model else None
    if model and llm is None:
        _fail("--model needs a model: set JIXIAO_LLM_BASE_URL and JIXIAO_LLM_MODEL")
    if llm is not None:
        from jixiao.review_model import assess

        def reviewer(table):
            rules = check(table)
            return rules + assess(table, rules, llm).findings

    predictions = predict(tables, reviewer)
    report = score(labels, predictions)
    scores = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    print(scores if json_out else render(report))
    if llm is not None:
        from jixiao.prompts import load as load_prompt

        print(f"\nmodel {llm.config.label}, prompt {load_prompt('review').label}")
        for origin in ("rule", "model"):
            part = score(labels, [p for p in predictions if p.finding.origin == origin]).micro
            print(
                f"origin {origin:<6} TP {part.tp:>4} FP {part.fp:>4}  precision "
                f"{part.precision:.3f}  recall {part.recall:.3f}  F1 {part.f1:.3f}"
            )
        return
    if update_baseline:
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(scores + "\n", encoding="utf-8")
        err.print(f"Baseline written to {baseline}")
        return
    changes, regressions = compare(report, baseline)
    err.print("\nAgainst the baseline: " + ("no change" if not changes else ""))
    for line in changes:
        err.print(f"  {line}")
    if regressions:
        err.print(f"{len(regressions)} regression(s).")
        raise typer.Exit(1)


library_app = typer.Typer(
    help="The library of past tables and policy documents (under JIXIAO_HOME, default ~/.jixiao).",
    no_args_is_help=True,
)
app.add_typer(library_app, name="library")


def _open():
    from jixiao.index import open_index

    library, index, notes = open_index()
    for note in notes:
        err.print(note)
    return library, index


@library_app.command("add")
def library_add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of tables.")],
) -> None:
    """Import tables from any readable format; re-adding the same table changes nothing."""
    loaded = _load_with_progress(paths)
    for problem in loaded.problems:
        err.print(f"{problem.severity}: {problem}")
    library, index = _open()
    with library.lock():
        added, present = library.add(loaded.tables)
        index.sync(library)
    err.print(
        f"新增 {len(added)} 张表，{len(present)} 张已在资料库中（未改动）；"
        f"{loaded.files_failed} 个文件无法读取。资料库共 {len(library.ids())} 张表。"
    )
    if not loaded.tables:
        raise typer.Exit(2)


@library_app.command("list")
def library_list(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the tables in the library."""
    library, _ = _open()
    tables = library.tables()
    if json_out:
        rows = [
            {
                "id": t.id,
                "unit": t.unit_name,
                "project": t.project,
                "year": t.year,
                "budget_total": str(t.budget_total) if t.budget_total is not None else None,
                "indicators": len(t.indicators),
            }
            for t in tables
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    view = RichTable(title=f"资料库：{len(tables)} 张表")
    for column in ("id", "单位", "项目名称", "预算数（元）", "指标数"):
        view.add_column(column, overflow="fold")
    for t in tables:
        budget = f"{t.budget_total:,.2f}" if t.budget_total is not None else ""
        view.add_row(t.id, t.unit_name, t.project, budget, str(len(t.indicators)))
    Console().print(view)
    docs = library.policies()
    if docs:
        Console().print(
            f"政策文件 {len(docs)} 份：" + "；".join(f"{d.title}（{d.doc_id}）" for d in docs)
        )


@library_app.command("show")
def library_show(
    table_id: Annotated[str, typer.Argument(help="A table id (or a unique prefix of one).")],
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.md,
) -> None:
    """Show one table."""
    library, _ = _open()
    table = library.get(table_id)
    if table is None:
        _fail(f"no table with id '{table_id}' in the library (see `jixiao library list`)")
    text = (
        json_writer.dumps([table]) + "\n" if format is OutFormat.json else md_writer.dumps([table])
    )
    sys.stdout.write(text)


@library_app.command("remove")
def library_remove(table_id: Annotated[str, typer.Argument(help="A table id.")]) -> None:
    """Remove a table from the library and the index."""
    library, index = _open()
    table = library.remove(table_id)
    if table is None:
        _fail(f"no table with id '{table_id}' in the library (see `jixiao library list`)")
    with library.lock():
        index.sync(library)
    err.print(f"已删除：{table.project}（{table.id}）")


@library_app.command("add-policy")
def library_add_policy(
    files: Annotated[list[Path], typer.Argument(help="Policy documents: .txt .md .docx .pdf")],
) -> None:
    """Add your own policy documents, chunked by article or paragraph, title kept on each chunk."""
    from jixiao.errors import ReadError
    from jixiao.policy import read_policy

    library, index = _open()
    failed = 0
    for path in files:
        try:
            doc = read_policy(path)
        except ReadError as exc:
            err.print(f"error: {exc}")
            failed += 1
            continue
        new = library.add_policy(doc)
        err.print(
            f"{'已添加' if new else '已存在'}：{doc.title}（{len(doc.chunks)} 段，{doc.doc_id}）"
        )
    with library.lock():
        index.sync(library)
    if failed == len(files):
        raise typer.Exit(2)


@library_app.command("rebuild")
def library_rebuild() -> None:
    """Rebuild the search index from the library (after a crash or a damaged index)."""
    library, index = _open()
    with library.lock():
        err.print(index.rebuild(library))


class Kind(StrEnum):
    table = "table"
    indicator = "indicator"
    policy = "policy"


class Mode(StrEnum):
    fused = "fused"
    dense = "dense"
    lexical = "lexical"


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    kind: Annotated[
        Kind | None, typer.Option(help="Only tables, indicator rows or policy.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option(help="Only tables of units whose name contains this.")
    ] = None,
    k: Annotated[int, typer.Option("--k", help="How many results.")] = 10,
    mode: Annotated[
        Mode, typer.Option(help="Retrieval channel (fused is best measured).")
    ] = Mode.fused,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Search past tables, indicator rows and policy passages; every hit names its source."""
    library, index = _open()
    units = None
    if unit:
        units = index.units(library, unit)
        if not units:
            _fail(f"no unit in the library matches '{unit}'")
    hits = index.search(query, kind=kind.value if kind else None, units=units, k=k, mode=mode.value)
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
                    }
                    for h in hits
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for rank, h in enumerate(hits, start=1):
        where = h.meta.get("title") if h.kind == "policy" else h.meta.get("project")
        print(
            f"{rank:>2}. [{h.kind}] {h.score:.3f} {h.id}\n    {h.text.splitlines()[0][:120]}\n"
            f"    来源：{where}"
        )
    if not hits:
        err.print("没有找到结果。")


@eval_app.command("retrieval")
def eval_retrieval(
    queries: Annotated[
        Path, typer.Option(help="Hand-written queries with their relevant documents.")
    ] = REPO / "eval/datasets/retrieval.jsonl",
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Recall@1/5/10 and MRR of the dense, lexical and fused channels, side by side.

    Runs on the bundled seed library and policy notes in a fresh temporary home.
    """
    from jixiao.evaluate_retrieval import load_queries, render, score

    try:
        items = load_queries(queries)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    results = score(items)
    print(json.dumps(results, indent=2) if json_out else render(results, len(items)))


def _model(no_cache: bool = False):
    """The configured model (JIXIAO_LLM_*), or None: offline."""
    from jixiao import settings
    from jixiao.llm import LLM, config_from_env
    from jixiao.llm_cache import CallCache

    config = config_from_env()
    if config is None:
        return None
    return LLM(
        config, cache=CallCache(settings.home() / "cache" / "llm.sqlite"), use_cache=not no_cache
    )


def _context_from_library():
    """Policy passages and similar past tables for the model, from the library's index."""
    try:
        from jixiao.index import open_index

        _, index, _ = open_index()
    except Exception as exc:  # the review goes on without context rather than not at all
        err.print(f"资料库索引不可用，模型审阅不带参考资料（{type(exc).__name__}）。")
        return None

    def context(table):
        query = f"{table.project} {table.purpose}"
        policy = index.search(query, kind="policy", k=3)
        similar = [
            h for h in index.search(query, kind="table", k=4) if h.meta.get("table_id") != table.id
        ][:2]
        return ("\n\n".join(h.text for h in policy), "\n\n".join(h.text for h in similar))

    return context


def _review_with_progress(paths: list[Path], llm=None) -> ReviewResult:
    from jixiao.review import add_model_judgement, review_loaded

    result = review_loaded(_load_with_progress(paths))
    if llm is None or not result.tables:
        return result
    context = _context_from_library()
    if not err.is_terminal:
        add_model_judgement(result, llm, context)
        return result
    with Progress(
        TextColumn("模型审阅"), BarColumn(), MofNCompleteColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task("model", total=len(result.tables))
        add_model_judgement(result, llm, context, on_table=lambda t: bar.update(task, advance=1))
    return result


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


def main() -> None:
    app()
