"""The `jixiao` command: the same functions the UI calls, for scripts and batch work."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli_zh import install as install_chinese  # noqa: E402
from jixiao.cli_zh import usage_error  # noqa: E402
from jixiao.errors import JixiaoError

install_chinese()

app = typer.Typer(
    help="jixiao（绩效）：读取、审阅项目支出绩效目标表，并在资料库中检索。\n\n"
    "每个命令都有 --help。例：jixiao review 收到的表/ -o 审阅结果.xlsx",
    no_args_is_help=True,
    suggest_commands=False,  # click suggests, in Chinese (jixiao.cli_zh)
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
    FORMAT,
    PATHS,
    REPO,
    OutFormat,
    TextFormat,
    check_out,
    command_hint,
    err,
    fail,
    problem_line,
    read_only,
    read_with_progress,
    resolve_format,
    review_with_progress,
    save_crash_report,
    screen,
    terminal_progress,
    write_review,
    write_tables,
)
from jixiao.cli_draft import draft_app, eval_draft  # noqa: E402
from jixiao.cli_library import library_app, search  # noqa: E402
from jixiao.workspace import Workspace  # noqa: E402

eval_app = typer.Typer(
    help="按人工标注衡量质量：审阅、检索、读表、起草。",
    no_args_is_help=True,
    suggest_commands=False,
)


@app.command()
def parse(
    paths: PATHS,
    format: Annotated[
        OutFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="输出格式；不给时按 --out 的扩展名，否则为 json。docx、xlsx 为原表版式的文件。",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="文件", help="写入这个文件而不是屏幕（docx、xlsx 必须给）。"
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="逐表说明哪一行被当作表头、哪一列读成了哪个字段（不给 --out 时只显示说明）。",
        ),
    ] = False,
) -> None:
    """读取 Word、Excel、文本、JSON、PDF 中的绩效目标表，转成统一格式或另存。

    读不了的内容逐条列在标准错误输出上，写明文件和位置；一个文件读不了不影响其他文件。退出码：读到任何一张表为 0，什么都没读到为 2。
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
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="文件夹", help="示例文件写到这个文件夹。")
    ] = Path("jixiao-demo"),
) -> None:
    """显示自带的种子库（14 张真实的表），并另存为 Word、Excel 等文件。"""
    from jixiao.seed import load_seed

    tables = load_seed()
    from rich.table import Table as RichTable

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
    screen.print(f"试试：{command_hint()} review {out / 'seed.xlsx'} -o {out / '审阅结果.html'}")


@app.command("review")
def review_command(
    paths: PATHS,
    format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="报告格式；不给时按 --out 的扩展名，否则为 md。md、json 不给 --out 时显示在屏幕上；"
            "html、xlsx 是文件（默认 jixiao-review.html / .xlsx）。",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", metavar="文件", help="报告写入这个文件。")
    ] = None,
    min_severity: Annotated[
        Severity,
        typer.Option(
            "--min-severity",
            help="只列出这一级及更严重的问题（info 提示 < warning 警告 < error 错误）；汇总仍给出全部数目。",
        ),
    ] = Severity.info,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="只用规则审阅，即使配置了模型。")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="重新询问模型，不用缓存的回答。")
    ] = False,
    show_untrusted: Annotated[
        bool,
        typer.Option(
            "--show-untrusted",
            help="也列出模型在实测精确率低于 70% 的问题类型上的判断（默认不列出，汇总中说明；"
            "精确率由审阅评测 eval review 加 --model 测得）。",
        ),
    ] = False,
) -> None:
    """逐条审阅绩效目标表，写出问题报告（Excel、HTML、Markdown 或 JSON）。

    每个问题都有代码、位置（表和行）、中文说明、修改建议和政策依据。读不了的文件列出原因，其余照常审阅。退出码：没有错误级问题为 0，有错误级问题为 1，什么都没读到为 2。
    """
    fmt = resolve_format(format and format.value, out, tuple(ReportFormat), "md", ())
    check_out(out)
    ws = Workspace(model=None) if no_model else Workspace(use_model_cache=not no_cache)
    result = review_with_progress(ws, paths, show_untrusted)
    for problem in result.problems:
        if problem.severity == "warning":
            err.print(problem_line(problem))
    write_review(result, fmt, out, min_severity.value)
    raise typer.Exit(result.exit_code())


@eval_app.command("review")
def eval_review(
    dataset: Annotated[
        Path,
        typer.Option(
            metavar="文件夹",
            help="标注数据集：*.labels.jsonl 及其表格所在的文件夹。",
            show_default="eval/datasets/review",
        ),
    ] = REPO / "eval/datasets/review",
    baseline: Annotated[
        Path | None,
        typer.Option(
            metavar="文件", help="对比的基线分数（默认 eval/baselines/<数据集名>.json）。"
        ),
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="把这次的分数写成新的基线。")
    ] = False,
    format: FORMAT = TextFormat.text,
    model: Annotated[
        bool, typer.Option("--model", help="规则加上已配置的模型一起评分，按来源分开。")
    ] = False,
) -> None:
    """审阅评测：对照人工标注，给出各代码、各类和总体的 P/R/F1。

    列出每个误报和漏报，并与基线比较；有分数下降（退步）时退出码为 1，数据集缺失或没有标注时为 2。
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
    json_out = format is TextFormat.json
    print(scores if json_out else render(scored.report))
    baseline = baseline or REPO / "eval" / "baselines" / f"{dataset.name}.json"
    if model:  # model runs are not compared with the rules' baseline
        return None if json_out else print("\n" + render_by_origin(scored.data))
    if update_baseline:
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(scores + "\n", encoding="utf-8")
        return err.print(f"基线已写入 {baseline}")
    changes, regressions = compare(scored.report, baseline)
    err.print("\n与基线相比：" + ("没有变化" if not changes else ""))
    for line in changes:
        err.print(f"  {line}")
    if regressions:
        err.print(f"退步 {len(regressions)} 项。")
        raise typer.Exit(1)


class CodesFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


@app.command("codes")
def codes(
    format: Annotated[
        CodesFormat,
        typer.Option(
            "--format", "-f", help="text 为屏幕上的表格，json 供程序使用，md 为 Markdown 文档。"
        ),
    ] = CodesFormat.text,
) -> None:
    """问题代码目录：每个代码的名称、默认严重程度、检查方式和政策依据。"""
    from jixiao.findings import catalogue_markdown, catalogue_rows

    rows = catalogue_rows()
    if format is CodesFormat.json:
        return print(json.dumps(rows, ensure_ascii=False, indent=2))
    if format is CodesFormat.md:
        return print(catalogue_markdown(), end="")
    from rich.table import Table as RichTable

    view = RichTable(title=f"问题代码目录（{len(rows)} 个）")
    for column in ("代码", "名称", "严重程度", "检查方式", "依据"):
        view.add_column(column, overflow="fold")
    for r in rows:
        view.add_row(r["code"], r["title"], r["severity"], r["detect"], r["basis"])
    screen.print(view)


@eval_app.command("retrieval")
def eval_retrieval(
    queries: Annotated[
        Path,
        typer.Option(
            metavar="文件",
            help="人工写的查询及其应当找到的文档（jsonl）。",
            show_default="eval/datasets/retrieval.jsonl",
        ),
    ] = REPO / "eval/datasets/retrieval.jsonl",
    format: FORMAT = TextFormat.text,
) -> None:
    """检索评测：向量、关键词、融合三种方式的 Recall@1/5/10 和 MRR。

    在临时目录里用自带的种子库和政策摘要建索引后运行。
    """
    from jixiao.evaluate_retrieval import load_queries, render, score

    try:
        items = load_queries(queries)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    with terminal_progress() as progress:
        results = score(items, progress=progress)
    as_json = format is TextFormat.json
    print(json.dumps(results, indent=2) if as_json else render(results, len(items)))


@eval_app.command("layouts")
def eval_layouts(
    dataset: Annotated[
        Path,
        typer.Option(
            metavar="文件夹",
            help="含 files/ 和人工转录的 expected.tsv 的文件夹。",
            show_default="eval/datasets/real",
        ),
    ] = REPO / "eval/datasets/real",
    format: FORMAT = TextFormat.text,
) -> None:
    """读表评测：其他单位的真实表格读对了多少指标行和预算数。

    有任何一行或一个预算没读对时退出码为 1，数据集读不了时为 2。
    """
    from dataclasses import asdict

    from jixiao.evaluate_layouts import render, score

    try:
        scores = score(dataset)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    if format is TextFormat.json:
        print(json.dumps([asdict(s) for s in scores], ensure_ascii=False, indent=2, default=str))
    else:
        print(render(scores))
    if any(
        s.rows_right < s.expected_rows or s.budgets_right < len(s.budgets_expected) for s in scores
    ):
        raise typer.Exit(1)


app.command()(search)
from jixiao.cli_chat import register as register_chat  # noqa: E402

register_chat(app, eval_app)
app.add_typer(library_app, name="library")
eval_app.command("draft")(eval_draft)
app.add_typer(eval_app, name="eval")
app.add_typer(draft_app, name="draft")


def main() -> None:
    """The `jixiao` command: errors a user can cause end in one sentence (exit 2), jixiao's own
    failures too (exit 3), with the details saved for a bug report — never a traceback."""
    import click

    try:
        code = app(standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError:
        sys.exit(2)  # the help has been shown
    except click.exceptions.UsageError as exc:
        err.print(f"错误：{usage_error(exc)}")
        sys.exit(2)
    except click.exceptions.Abort:
        err.print("已中断。")
        sys.exit(130)
    except JixiaoError as exc:
        err.print(f"错误：{exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("已中断。")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 — the last line of defence
        where = save_crash_report()
        err.print(
            f"错误：jixiao 内部错误（{type(exc).__name__}），未能完成。详细信息已保存到 {where}，"
            "请随文件一起反馈。"
        )
        sys.exit(3)
    code = code if isinstance(code, int) else 0
    if read_only.is_set():  # see cli_common.read_only
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:
                pass  # a reader that closed the pipe (`| head`) wanted no more
        os._exit(code)
    sys.exit(code)
