"""起草: a new table from a brief, or next year's from this year's → an editable grid (each
row's source and placeholders marked) → re-review on edit → Word, Excel and the diff."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from jixiao.brief import make_brief
from jixiao.draft import Draft, as_awaiting
from jixiao.errors import JixiaoError
from jixiao.ui import render, uploads
from jixiao.ui.context import Context
from jixiao.ui.draft_grid import HEADERS, apply_grid, grid_rows
from jixiao.writers import docx as docx_writer
from jixiao.writers import draft_diff
from jixiao.writers import xlsx as xlsx_writer

FRAMEWORKS = [
    ("按资料库中相近的表", ""),
    ("财预〔2015〕88号", "classic"),
    ("财预〔2021〕101号", "2021"),
]
DIFF_HEADERS = ["位置", "栏目", "原内容", "新内容", "原因"]


@dataclass
class Drafting:
    """One session's drafts (a file may give several), the one in the grid, and its folder."""

    drafts: list[Draft]
    folder: Path
    current: int = 0
    files: list[str] = field(default_factory=list)


def build(ctx: Context) -> None:
    state = gr.State(None)
    with gr.Tabs():
        with gr.Tab("按简介起草新表", id="new"):
            with gr.Row():
                project = gr.Textbox(label="项目名称（必填）", scale=3, elem_id="brief-project")
                unit = gr.Textbox(label="单位", scale=2, elem_id="brief-unit")
                year = gr.Textbox(
                    label="年度", placeholder="如 2026", scale=1, elem_id="brief-year"
                )
                budget = gr.Textbox(
                    label="预算数（必填，如 50万元）", scale=1, elem_id="brief-budget"
                )
            purpose = gr.Textbox(label="资金用途（必填）", lines=2, elem_id="brief-purpose")
            goals = gr.Textbox(label="绩效目标（每行一条）", lines=3, elem_id="brief-goals")
            with gr.Row():
                framework = gr.Dropdown(FRAMEWORKS, value="", label="指标体系")
                like = gr.Dropdown(
                    [("不指定", "")],
                    value="",
                    label="参照资料库中的表（可选）",
                    elem_id="brief-like",
                )
            new = gr.Button("起草新表", variant="primary", elem_id="draft-new")
        with gr.Tab("起草下一年度的表", id="next"):
            with gr.Row():
                source = gr.File(
                    label="今年的表（上传一个文件）",
                    file_count="single",
                    file_types=[".docx", ".xlsx", ".xlsm", ".txt", ".json", ".pdf"],
                    elem_id="next-file",
                    height=120,
                )
                with gr.Column():
                    pick = gr.Dropdown(
                        [("（用上传的文件）", "")],
                        value="",
                        label="或选资料库中的表",
                        elem_id="next-pick",
                    )
                    with gr.Row():
                        next_year = gr.Textbox(label="新年度（默认下一年）", placeholder="如 2026")
                        next_budget = gr.Textbox(label="新预算数（可选，如 20万元）")
            nxt = gr.Button("起草下一年度", variant="primary", elem_id="draft-next")
    summary = gr.HTML("", elem_id="draft-summary")
    which = gr.Dropdown([], label="草稿", visible=False)
    grid = gr.Dataframe(
        headers=HEADERS,
        value=[],
        interactive=True,
        wrap=True,
        static_columns=[0, 6],
        column_widths=["5%", "11%", "13%", "20%", "20%", "13%", "18%"],
        label="草稿（可直接修改单元格；改动后自动重新审核）",
        elem_id="draft-grid",
    )
    with gr.Row():
        docx = gr.DownloadButton("下载 Word", visible=False, elem_id="draft-docx")
        xlsx = gr.DownloadButton("下载 Excel", visible=False, elem_id="draft-xlsx")
        diff_md = gr.DownloadButton("下载来源与变更清单", visible=False, elem_id="draft-diff")
    view = gr.HTML("", elem_id="draft-view")
    diff = gr.Dataframe(
        headers=DIFF_HEADERS,
        value=[],
        interactive=False,
        wrap=True,
        max_height=360,
        column_widths=["20%", "9%", "17%", "24%", "30%"],
        label="来源与变更（每个改动的单元格一行）",
        elem_id="draft-diff-grid",
    )
    outputs = [state, summary, which, grid, view, diff, docx, xlsx, diff_md]

    def choices():
        tables = ctx.ws.tables()
        opts = [(f"{t.project}（{t.year or '年度未注明'}）· {t.id[:8]}", t.id) for t in tables]
        return gr.update(choices=[("不指定", "")] + opts), gr.update(
            choices=[("（用上传的文件）", "")] + opts
        )

    def on_new(
        project_, unit_, year_, budget_, purpose_, goals_, framework_, like_, progress=gr.Progress()
    ):
        try:
            brief = make_brief(
                project=project_,
                unit=unit_,
                year=(year_ or "").strip() or None,
                budget=budget_,
                purpose=purpose_,
                goals=goals_,
                framework=framework_ or None,
                like=like_ or None,
            )
            with ctx.progress.to(progress):
                draft = ctx.ws.draft_new(brief)
        except JixiaoError as exc:
            raise gr.Error(str(exc)) from None
        return _show(Drafting([draft], uploads.session_folder("起草")))

    def on_next(file, pick_, year_, budget_, progress=gr.Progress()):
        if not file and not pick_:
            raise gr.Error("请上传今年的表，或在资料库中选一张表。")
        folder = uploads.session_folder("起草")
        try:
            if pick_:
                what = pick_
            else:
                batch = uploads.take([file], "起草")
                folder, what = batch.folder, batch.files[0]
            with ctx.progress.to(progress):
                drafts = ctx.ws.draft_next(
                    what, year=(year_ or "").strip() or None, budget=budget_ or None
                )
        except JixiaoError as exc:
            raise gr.Error(str(exc).replace(str(folder) + "/", "")) from None
        return _show(Drafting(drafts, folder))

    def on_edit(done: Drafting | None, rows):
        if done is None:
            return (done, *[gr.update()] * (len(outputs) - 1))
        values = rows.values.tolist() if hasattr(rows, "values") else list(rows or [])
        done.drafts[done.current] = apply_grid(done.drafts[done.current], values)
        return _show(done, grid_too=False)

    def on_which(done: Drafting | None, i):
        if done is None or i in (None, ""):
            return (done, *[gr.update()] * (len(outputs) - 1))
        done.current = int(i)
        return _show(done)

    def _show(done: Drafting, grid_too: bool = True):
        d = done.drafts[done.current]
        table = d.table
        found = ctx.ws.review([table], use_model=False).findings  # the rules: instant, offline
        found, waiting = as_awaiting(found)  # a 【请填写】 cell awaits the officer: not an error
        done.files = _write(done)
        heading = draft_diff.summary(done.drafts)
        left = sum(1 for f in found if f.severity == "error")
        status = (
            f"按规则重新审核：错误 {left}，警告 {sum(f.severity == 'warning' for f in found)}，"
            f"提示 {sum(f.severity == 'info' for f in found) - waiting}；"
            f"占位符 {d.placeholders()} 处待填写"
            + (f"（{waiting} 条规则提示随填写消除）。" if waiting else "。")
        )
        many = len(done.drafts) > 1
        return (
            done,
            render.note_html(heading + "\n" + status, "bad" if left else "ok"),
            gr.update(
                choices=[
                    (f"{i + 1}. {x.table.project}", str(i)) for i, x in enumerate(done.drafts)
                ],
                value=str(done.current),
                visible=many,
            ),
            grid_rows(d) if grid_too else gr.update(),
            render.table_html(table, found, provenance=True),
            [
                [
                    c.where,
                    c.field and d.field_label(c.field, c.row is not None),
                    c.before,
                    c.after,
                    c.reason,
                ]
                for c in d.diff()
            ],
            *(gr.update(value=p, visible=True) for p in done.files),
        )

    new.click(
        on_new,
        [project, unit, year, budget, purpose, goals, framework, like],
        outputs,
        api_name="draft_new",
    )
    nxt.click(on_next, [source, pick, next_year, next_budget], outputs, api_name="draft_next")
    grid.input(on_edit, [state, grid], outputs, api_name="draft_edit")
    which.input(on_which, [state, which], outputs, api_name=False)
    return choices, [like, pick]


def _write(done: Drafting) -> list[str]:
    """The drafts as Word and Excel in the seed's layout, and their diff (Excel)."""
    tables = [d.table for d in done.drafts]
    name = _file_stem(tables[0].project) if len(tables) == 1 else "草稿"
    folder = done.folder
    return [
        str(docx_writer.write(tables, folder / f"{name}.docx")),
        str(xlsx_writer.write(tables, folder / f"{name}.xlsx")),
        str(draft_diff.write(done.drafts, folder / f"{name}-来源与变更.xlsx")),
    ]


def _file_stem(project: str) -> str:
    return uploads.safe_name(project or "草稿")[:60] or "草稿"
