"""审核: upload tables (files or a zip) → summary, filterable findings, each table with its
offending cells coloured → the reports to download."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from jixiao.findings import SEVERITY_ZH, ReviewResult, table_key
from jixiao.model import SEVERITIES, Finding
from jixiao.ui import render, uploads
from jixiao.ui.context import Context
from jixiao.ui.progress import file_progress
from jixiao.writers import report

ACCEPTED = [".docx", ".xlsx", ".xlsm", ".txt", ".json", ".pdf", ".zip"]
ALL_SEVERITIES = [SEVERITY_ZH[s] for s in SEVERITIES]


@dataclass
class Reviewed:
    """One session's last review and the folder of its reports."""

    result: ReviewResult
    folder: Path
    files: list[str]  # the report files: xlsx, html, json


def build(ctx: Context) -> None:
    """The tab's components and events, inside the current Blocks."""
    state = gr.State(None)
    with gr.Row():
        with gr.Column(scale=3):
            files = gr.File(
                label="上传收到的绩效目标表（可多选；Word、Excel、PDF、文本、JSON，或一个 zip）",
                file_count="multiple",
                file_types=ACCEPTED,
                elem_id="review-files",
                height=150,
            )
        with gr.Column(scale=1, min_width=220):
            run = gr.Button("开始审核", variant="primary", elem_id="review-run")
            xlsx = gr.DownloadButton("下载 Excel 报告", visible=False, elem_id="review-xlsx")
            html = gr.DownloadButton("下载 HTML 报告", visible=False, elem_id="review-html")
            js = gr.DownloadButton("下载 JSON", visible=False, elem_id="review-json")
    summary = gr.HTML(
        render.note_html("上传文件后自动开始审核：读取每个文件中的每张表，逐条核对指标。"),
        elem_id="review-summary",
    )
    with gr.Column(visible=False) as results:
        with gr.Row():
            severity = gr.CheckboxGroup(
                ALL_SEVERITIES,
                value=ALL_SEVERITIES,
                label="严重程度",
                scale=2,
                elem_id="review-sev",
            )
            code = gr.Dropdown([("全部类型", "")], value="", label="问题类型", scale=2)
            project = gr.Dropdown([("全部表", "")], value="", label="项目", scale=3)
        grid = gr.Dataframe(
            headers=render.FINDING_HEADERS,
            value=[],
            interactive=False,
            wrap=True,
            max_height=360,
            column_widths=["5%", "17%", "16%", "7%", "14%", "23%", "18%"],
            label="问题清单（点一行，下方显示该表并标出该行）",
            elem_id="review-findings",
        )
        table = gr.Dropdown([], label="查看表", elem_id="review-table-choice")
        view = gr.HTML("", elem_id="review-table")

    def on_review(paths, progress=gr.Progress()):
        if not paths:
            raise gr.Error("请先选择要审核的文件。")
        batch = uploads.take(paths, "审核")
        step = file_progress(progress, len(batch.files), "读取并审核")
        before = len(ctx.ws.notes)
        with ctx.progress.to(progress):
            loaded = uploads.shown(ctx.ws.read(batch.files, progress=step), batch.folder)
            loaded.problems = batch.problems + loaded.problems
            loaded.files_failed += len(batch.problems)
            result = ctx.ws.review(loaded)
        progress(None, desc="写出报告")
        out = [
            report.write(result, batch.folder / "审阅结果.xlsx", "xlsx"),
            report.write(result, batch.folder / "审阅结果.html", "html"),
            report.write(result, batch.folder / "审阅结果.json", "json"),
        ]
        done = Reviewed(result, batch.folder, [str(p) for p in out])
        notes = ctx.ws.notes[before:]
        head = render.summary_html(result) + (render.note_html("\n".join(notes)) if notes else "")
        projects = [("全部表", "")] + sorted({(t.project, t.project) for t in result.tables})
        first = _first_table(result)
        return (
            done,
            head,
            gr.update(choices=[("全部类型", "")] + render.code_choices(result.findings), value=""),
            gr.update(choices=projects, value=""),
            gr.update(value=ALL_SEVERITIES),
            render.finding_rows(_filtered(done, ALL_SEVERITIES, "", "")),
            gr.update(choices=_table_choices(result), value=first),
            _table_view(done, first),
            *(gr.update(value=p, visible=True) for p in done.files),
            gr.update(visible=True),
        )

    outputs = [state, summary, code, project, severity, grid, table, view, xlsx, html, js, results]
    files.upload(on_review, [files], outputs, api_name="review", show_progress="full")
    run.click(on_review, [files], outputs, api_name=False, show_progress="full")

    def on_filter(done: Reviewed | None, sev, code_, project_):
        if done is None:
            return []
        return render.finding_rows(_filtered(done, sev, code_, project_))

    for control in (severity, code, project):
        control.change(on_filter, [state, severity, code, project], grid, api_name=False)

    def on_pick(done: Reviewed | None, sev, code_, project_, evt: gr.SelectData):
        if done is None or evt.index is None:
            return gr.update(), gr.update()
        shown = _filtered(done, sev, code_, project_)
        r = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        if not 0 <= r < len(shown):
            return gr.update(), gr.update()
        f = shown[r]
        i = _table_of(done.result, f)
        return gr.update(value=i), _table_view(done, i, f.row)

    grid.select(on_pick, [state, severity, code, project], [table, view], api_name=False)
    table.input(lambda done, i: _table_view(done, i), [state, table], view, api_name="show_table")


def _filtered(done: Reviewed, sev: list[str], code: str, project: str) -> list[Finding]:
    return render.filter_findings(done.result.findings, sev or [], code or "", project or "")


def _table_choices(result: ReviewResult) -> list[tuple[str, str]]:
    counts: dict[tuple, int] = {}
    for f in result.findings:
        key = (f.table_id, f.file, f.table_index)
        counts[key] = counts.get(key, 0) + 1
    return [
        (
            f"{i + 1}. {t.project or t.title or '（无项目名称）'}（问题 {counts.get(table_key(t), 0)}）",
            str(i),
        )
        for i, t in enumerate(result.tables)
    ]


def _first_table(result: ReviewResult) -> str | None:
    """The first table with an error, else the first table."""
    worst = [f for f in result.findings if f.severity == "error"]
    if worst:
        return _table_of(result, worst[0])
    return "0" if result.tables else None


def _table_of(result: ReviewResult, f: Finding) -> str | None:
    key = (f.table_id, f.file, f.table_index)
    return next((str(i) for i, t in enumerate(result.tables) if table_key(t) == key), None)


def _table_view(done: Reviewed | None, choice: str | None, row: int | None = None) -> str:
    if done is None or choice in (None, ""):
        return ""
    t = done.result.tables[int(choice)]
    key = table_key(t)
    found = [f for f in done.result.findings if (f.table_id, f.file, f.table_index) == key]
    where = t.source.place(t.project) if t.source else ""
    head = render.note_html(f"文件：{t.source.file if t.source else ''}　{where}")
    return head + render.table_html(t, found, mark_row=row)
