"""`jixiao draft …`: drafting 绩效目标表, starting with next year's from this year's."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli_common import OutFormat, check_out, err, fail, resolve_format, write_tables
from jixiao.readers import LoadResult
from jixiao.workspace import Workspace

draft_app = typer.Typer(
    help="起草绩效目标表：由今年的表起草下一年度的表，并列出每处改动及原因。",
    no_args_is_help=True,
    suggest_commands=False,
)


@draft_app.command("next")
def draft_next(
    source: Annotated[
        str,
        typer.Argument(
            metavar="文件或编号", help="今年的表（任何能读的格式），或资料库中表的编号。"
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="文件", help="草稿写入这个文件（docx、xlsx、md 或 json）。"
        ),
    ],
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
    diff: Annotated[
        Path | None,
        typer.Option(
            "--diff",
            metavar="文件",
            help="变更清单写入这个文件（md 或 xlsx）：每处改动的前后和原因。",
        ),
    ] = None,
    format: Annotated[
        OutFormat | None,
        typer.Option("--format", "-f", help="草稿的格式；不给时按 --out 的扩展名。"),
    ] = None,
) -> None:
    """由今年的表起草下一年度的表：年份顺延，预算和成本按新预算调整，确定性问题按规则的建议修正。

    需要填报人给出的数字写成【请填写】占位符，绝不编造；启发式问题只列出，不自动修改。摘要显示在标准错误输出上。
    """
    from jixiao.writers import draft_diff

    fmt = resolve_format(format and format.value, out, tuple(OutFormat), "json", ("docx", "xlsx"))
    check_out(out)
    if diff is not None and diff.suffix.lower() not in (".md", ".xlsx"):
        fail(f"--diff {diff} 的扩展名应为 .md 或 .xlsx")
    check_out(diff)
    drafts = Workspace(model=None).draft_next(source, year=year, budget=budget)
    write_tables(LoadResult(tables=[d.table for d in drafts]), OutFormat(fmt), out)
    if diff is not None:
        draft_diff.write(drafts, diff)
        err.print(f"变更清单已写入 {diff}")
    err.print(draft_diff.summary(drafts))
