"""The `jixiao` command: the same functions the UI calls, for scripts and batch work."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from jixiao.errors import JixiaoError

app = typer.Typer(
    help="jixiao（绩效）：读取、审阅项目支出绩效目标表，并在资料库中检索。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ReportFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"
    xlsx = "xlsx"


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


from jixiao.cli_common import (  # noqa: E402
    OutFormat,
    check_out,
    err,
    fail,
    problem_line,
    read_with_progress,
    resolve_format,
    review_with_progress,
    save_crash_report,
    screen,
    write_review,
    write_tables,
)
from jixiao.cli_library import library_app, search  # noqa: E402
from jixiao.workspace import Workspace  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
eval_app = typer.Typer(help="Measure quality against hand-written labels.", no_args_is_help=True)


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    format: Annotated[
        OutFormat | None,
        typer.Option(
            "--format", "-f", help="Output format (default: from --out's extension, else json)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write here instead of stdout (required for docx and xlsx)."
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Print, per table, which row was taken as the header and which column became "
            "which field (instead of the tables, unless --out is given).",
        ),
    ] = False,
) -> None:
    """Read 绩效目标表 from .txt, .docx, .xlsx, .json and .pdf files into one typed form.

    Problems are listed on stderr with file and place; a file that cannot be read never stops the
    others. Exit code 0 when any table was read, 2 when nothing could be read.
    """
    fmt = resolve_format(format and format.value, out, tuple(OutFormat), "json", ("docx", "xlsx"))
    check_out(out)
    result = read_with_progress(Workspace(model=None), paths)
    for problem in result.problems:
        err.print(problem_line(problem))
    rows = sum(len(t.indicators) for t in result.tables)
    err.print(
        f"读取了 {len(result.tables)} 张表（{rows} 个指标行），来自 {result.files_read} 个文件；"
        f"{result.files_failed} 个文件无法读取。"
    )
    if not result.tables:
        raise typer.Exit(2)
    if explain:
        from jixiao.readers import explain as explain_table

        print("\n".join(line for t in result.tables for line in explain_table(t)))
        if out is None:
            return
    write_tables(result, OutFormat(fmt), out)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo files.")] = Path(
        "jixiao-demo"
    ),
) -> None:
    """Show the bundled seed library and write it as Word, Excel, Markdown and JSON files."""
    from jixiao.seed import load_seed

    tables = load_seed()
    view = RichTable(title="jixiao 种子库 · the seed library (天津市滨海新区司法局)")
    for column in ("#", "项目名称", "预算数（元）", "指标数", "id"):
        view.add_column(column, overflow="fold")
    for i, t in enumerate(tables, start=1):
        view.add_row(str(i), t.project, f"{t.budget_total:,.2f}", str(len(t.indicators)), t.id)
    screen.print(view)
    from jixiao.writers import docx as docx_writer
    from jixiao.writers import json as json_writer
    from jixiao.writers import markdown as md_writer
    from jixiao.writers import xlsx as xlsx_writer

    out.mkdir(parents=True, exist_ok=True)
    written = [
        docx_writer.write(tables, out / "seed.docx"),
        xlsx_writer.write(tables, out / "seed.xlsx"),
        md_writer.write(tables, out / "seed.md"),
        json_writer.write(tables, out / "seed.json"),
    ]
    screen.print("已写入：" + "，".join(str(p) for p in written))
    screen.print(f"试试：.venv/bin/jixiao parse {out / 'seed.xlsx'} --format md")


@app.command("review")
def review_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Report format (default: from --out's extension, else md): md and json go to "
            "stdout unless --out is given; html and xlsx are files (default jixiao-review.html "
            "/ .xlsx).",
        ),
    ] = None,
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
    fmt = resolve_format(format and format.value, out, tuple(ReportFormat), "md", ())
    check_out(out)
    ws = Workspace(model=None) if no_model else Workspace(use_model_cache=not no_cache)
    result = review_with_progress(ws, paths)
    for problem in result.problems:
        if problem.severity == "warning":
            err.print(problem_line(problem))
    write_review(result, fmt, out, min_severity.value)
    raise typer.Exit(result.exit_code())


@eval_app.command("review")
def eval_review(
    dataset: Annotated[Path, typer.Option(help="Folder of *.labels.jsonl and their tables.")] = REPO
    / "eval/datasets/review",
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Committed scores to compare with (default: eval/baselines/<dataset name>.json)."
        ),
    ] = None,
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
    from jixiao.evaluate import compare, evaluate_review, render, render_by_origin

    ws = Workspace() if model else Workspace(model=None)
    if model and ws.model is None:
        fail("--model needs a model: set JIXIAO_LLM_BASE_URL and JIXIAO_LLM_MODEL")
    try:
        scored = evaluate_review(ws, dataset, use_model=model)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    scores = json.dumps(scored.data, ensure_ascii=False, indent=2)
    print(scores if json_out else render(scored.report))
    baseline = baseline or REPO / "eval" / "baselines" / f"{dataset.name}.json"
    if model:  # model runs are not compared with the rules' baseline
        return None if json_out else print("\n" + render_by_origin(scored.data))
    if update_baseline:
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(scores + "\n", encoding="utf-8")
        return err.print(f"Baseline written to {baseline}")
    changes, regressions = compare(scored.report, baseline)
    err.print("\nAgainst the baseline: " + ("no change" if not changes else ""))
    for line in changes:
        err.print(f"  {line}")
    if regressions:
        err.print(f"{len(regressions)} regression(s).")
        raise typer.Exit(1)


@app.command("codes")
def codes(
    json_out: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
) -> None:
    """列出问题代码目录：每个代码的中文名称、默认严重程度、检查方式和政策依据。"""
    from jixiao.findings import catalogue_rows

    rows = catalogue_rows()
    if json_out:
        return print(json.dumps(rows, ensure_ascii=False, indent=2))
    view = RichTable(title=f"问题代码目录（{len(rows)} 个）")
    for column in ("代码", "名称", "严重程度", "检查方式", "依据"):
        view.add_column(column, overflow="fold")
    for r in rows:
        view.add_row(r["code"], r["title"], r["severity"], r["detect"], r["basis"])
    screen.print(view)


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
        fail(str(exc))
    results = score(items)
    print(json.dumps(results, indent=2) if json_out else render(results, len(items)))


@eval_app.command("layouts")
def eval_layouts(
    dataset: Annotated[
        Path, typer.Option(help="Folder with files/ and expected.tsv (hand-transcribed).")
    ] = REPO / "eval/datasets/real",
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """How many indicator rows (name and value) and budgets the readers recover from real tables.

    Exit code 1 when any row or budget is missed, 2 when the dataset cannot be read.
    """
    from dataclasses import asdict

    from jixiao.evaluate_layouts import render, score

    try:
        scores = score(dataset)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    if json_out:
        print(json.dumps([asdict(s) for s in scores], ensure_ascii=False, indent=2, default=str))
    else:
        print(render(scores))
    if any(
        s.rows_right < s.expected_rows or s.budgets_right < len(s.budgets_expected) for s in scores
    ):
        raise typer.Exit(1)


app.command()(search)
app.add_typer(library_app, name="library")
app.add_typer(eval_app, name="eval")


def main() -> None:
    """The `jixiao` command: errors a user can cause end in one sentence (exit 2), jixiao's own
    failures too (exit 3), with the details saved for a bug report — never a traceback."""
    try:
        app()
    except JixiaoError as exc:
        err.print(f"error: {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("已中断。")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 — the last line of defence
        where = save_crash_report()
        err.print(
            f"error: jixiao 内部错误（{type(exc).__name__}），未能完成。详细信息已保存到 {where}，"
            "请随文件一起反馈。"
        )
        sys.exit(3)
