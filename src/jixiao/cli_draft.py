"""`jixiao draft …`: drafting 绩效目标表, starting with next year's from this year's."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli_common import (
    FORMAT,
    REPO,
    OutFormat,
    TextFormat,
    check_out,
    err,
    fail,
    resolve_format,
    terminal_progress,
    write_tables,
)
from jixiao.readers import LoadResult
from jixiao.workspace import Workspace

draft_app = typer.Typer(
    help="起草绩效目标表：由项目简介起草新表，或由今年的表起草下一年度的表，并列出每行的来源。",
    no_args_is_help=True,
    suggest_commands=False,
)


class FrameworkChoice(StrEnum):
    classic = "classic"
    current = "2021"


OUT = Annotated[
    Path,
    typer.Option(
        "--out", "-o", metavar="文件", help="草稿写入这个文件（docx、xlsx、md 或 json）。"
    ),
]
DIFF = Annotated[
    Path | None,
    typer.Option(
        "--diff", metavar="文件", help="变更清单写入这个文件（md 或 xlsx）：每处改动的前后和原因。"
    ),
]
FORMAT_OUT = Annotated[
    OutFormat | None,
    typer.Option("--format", "-f", help="草稿的格式；不给时按 --out 的扩展名。"),
]


@draft_app.command("new")
def draft_new(
    out: OUT,
    project: Annotated[
        str | None, typer.Option("--project", metavar="名称", help="项目名称。")
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option("--budget", metavar="金额", help="预算数，如 1200000（元）或 120万元。"),
    ] = None,
    purpose: Annotated[
        str | None, typer.Option("--purpose", metavar="文字", help="资金用途：这笔钱做什么。")
    ] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(
            "--goal", metavar="文字", help="一项绩效目标；可写多次，每项目标都会有指标衡量。"
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", metavar="名称", help="预算单位名称。")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", metavar="年份", help="预算年度；不给时为明年。")
    ] = None,
    framework: Annotated[
        FrameworkChoice | None,
        typer.Option(
            "--framework",
            help="指标体系：classic（财预〔2015〕88号）或 2021（成本为一级指标）；不给时随最相近的往年表。",
        ),
    ] = None,
    like: Annotated[
        str | None, typer.Option("--like", metavar="表id", help="参照资料库中的这张表起草。")
    ] = None,
    brief: Annotated[
        Path | None,
        typer.Option(
            "--brief",
            metavar="文件",
            help="项目简介文件（JSON 或 YAML，键为 project、unit、year、budget、purpose、goals、framework）；命令行给出的项优先。",
        ),
    ] = None,
    diff: DIFF = None,
    format: FORMAT_OUT = None,
) -> None:
    """由项目简介起草一张新的绩效目标表：指标取自资料库中最相近项目的指标，成本按预算拆分。

    比率、时限等可参照的值注明出处；数量等只有填报人知道的数字写成【请填写】占位符，绝不编造。配置了模型时由模型起草，再经规则检查和修正。
    """
    from jixiao.brief import load_brief, make_brief
    from jixiao.writers import draft_diff

    fmt = resolve_format(format and format.value, out, tuple(OutFormat), "json", ("docx", "xlsx"))
    check_out(out)
    check_diff(diff)
    fields = dict(
        project=project,
        budget=budget,
        purpose=purpose,
        goals=goal,
        unit=unit,
        year=year,
        framework=framework and framework.value,
        like=like,
    )
    the_brief = load_brief(brief, **fields) if brief else make_brief(**fields)
    with terminal_progress() as progress:
        ws = Workspace(progress=progress)
        draft = ws.draft_new(the_brief)
    write_tables(LoadResult(tables=[draft.table]), OutFormat(fmt), out)
    for note in ws.notes:
        err.print(note)
    if diff is not None:
        draft_diff.write([draft], diff)
        err.print(f"每行来源已写入 {diff}")
    err.print(draft_diff.summary([draft]))


def check_diff(diff: Path | None) -> None:
    if diff is not None and diff.suffix.lower() not in (".md", ".xlsx"):
        fail(f"--diff {diff} 的扩展名应为 .md 或 .xlsx")
    check_out(diff)


@draft_app.command("next")
def draft_next(
    source: Annotated[
        str,
        typer.Argument(
            metavar="文件或编号", help="今年的表（任何能读的格式），或资料库中表的编号。"
        ),
    ],
    out: OUT,
    year: Annotated[
        int | None,
        typer.Option("--year", metavar="年份", help="草稿的年度；不给时为原表年度的下一年。"),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget",
            metavar="金额",
            help="新的预算数，如 1200000（元）或 120万元；总成本上限随之按比例调整。",
        ),
    ] = None,
    diff: DIFF = None,
    format: FORMAT_OUT = None,
) -> None:
    """由今年的表起草下一年度的表：年份顺延，预算和成本按新预算调整，确定性问题按规则的建议修正。

    需要填报人给出的数字写成【请填写】占位符，绝不编造；启发式问题只列出，不自动修改。摘要显示在标准错误输出上。
    """
    from jixiao.writers import draft_diff

    fmt = resolve_format(format and format.value, out, tuple(OutFormat), "json", ("docx", "xlsx"))
    check_out(out)
    check_diff(diff)
    drafts = Workspace(model=None).draft_next(source, year=year, budget=budget)
    write_tables(LoadResult(tables=[d.table for d in drafts]), OutFormat(fmt), out)
    if diff is not None:
        draft_diff.write(drafts, diff)
        err.print(f"变更清单已写入 {diff}")
    err.print(draft_diff.summary(drafts))


def eval_draft(
    extra: Annotated[
        Path | None,
        typer.Option(
            "--with",
            metavar="文件夹",
            help="把这个文件夹里的表也放进资料库，一并留一法评测（如 eval/datasets/real/files）。",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(metavar="文件", help="对比的基线（默认 eval/baselines/draft.json）。"),
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="把这次的分数写成新的基线。")
    ] = False,
    model: Annotated[
        bool, typer.Option("--model", help="用已配置的模型起草（不与基线比较）。")
    ] = False,
    format: FORMAT = TextFormat.text,
) -> None:
    """起草评测：留一法起草每张表的新表（错误、二级指标、目标覆盖、成本、占位符、原表指标命中），
    并对每张表起草下一年度（遗留问题、未顺延的年份、丢失的行）。

    有分数比基线差时退出码为 1。
    """
    from jixiao.evaluate_draft import compare, render, run

    the_model = Workspace().model if model else None
    if model and the_model is None:
        fail("--model 需要先配置模型：设置 JIXIAO_LLM_BASE_URL 和 JIXIAO_LLM_MODEL")
    with terminal_progress() as progress:
        new, nxt, totals = run(extra, the_model, progress)
    print(
        json.dumps(totals, ensure_ascii=False, indent=2)
        if format is TextFormat.json
        else render(new, nxt, totals)
    )
    name = "draft-with-real" if extra is not None else "draft"
    baseline = baseline or REPO / "eval" / "baselines" / f"{name}.json"
    if model:
        return
    if update_baseline or not baseline.exists():
        baseline.write_text(json.dumps(totals, ensure_ascii=False, indent=2) + "\n", "utf-8")
        err.print(f"基线已写入 {baseline}")
    elif worse := compare(totals, baseline):
        err.print("比基线差：" + "；".join(worse))
        raise typer.Exit(1)
