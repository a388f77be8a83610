"""资料库: the past tables (filter by unit and year), one table in its layout, search with the
retrieval mode, adding tables and policy documents by upload, removing, rebuilding the index."""

from __future__ import annotations

import gradio as gr

from jixiao.errors import JixiaoError
from jixiao.model import Table
from jixiao.policy import PolicyDoc
from jixiao.ui import render, uploads
from jixiao.ui.context import Context

LIST_HEADERS = ["编号", "单位", "项目名称", "年度", "预算数（万元）", "指标数"]
KINDS = [("全部", ""), ("表", "table"), ("指标", "indicator"), ("政策", "policy")]
MODES = [("融合（推荐）", "fused"), ("语义向量", "dense"), ("关键词", "lexical")]
ALL = ("全部", "")


def build(ctx: Context):
    chosen = gr.Textbox(visible=False)  # the id of the table on view (the API's /remove takes it)
    with gr.Row():
        unit = gr.Dropdown([ALL], value="", label="单位", scale=3, elem_id="lib-unit")
        year = gr.Dropdown([ALL], value="", label="年度", scale=1, elem_id="lib-year")
        refresh = gr.Button("刷新", scale=1)
    listing = gr.Dataframe(
        headers=LIST_HEADERS,
        value=[],
        interactive=False,
        wrap=True,
        max_height=320,
        column_widths=["10%", "22%", "40%", "8%", "12%", "8%"],
        label="资料库中的表（点一行查看）",
        elem_id="lib-list",
    )
    with gr.Row():
        remove = gr.Button("从资料库删除所查看的表", size="sm", scale=0, elem_id="lib-remove")
        status = gr.HTML("", elem_id="lib-status")
    view = gr.HTML("", elem_id="lib-view")
    with gr.Accordion("检索往年的表、指标和政策", open=True):
        with gr.Row():
            query = gr.Textbox(label="查什么（用自己的话）", scale=4, elem_id="lib-query")
            kind = gr.Radio(KINDS, value="", label="范围", scale=2)
            mode = gr.Radio(MODES, value="fused", label="检索方式", scale=2)
        go = gr.Button("检索", variant="primary", elem_id="lib-search")
        hits = gr.HTML("", elem_id="lib-hits")
    with gr.Accordion("添加往年的表和政策文件、重建索引", open=False, elem_id="lib-more"):
        with gr.Row():
            add_tables = gr.File(
                label="添加往年的表（可多选，或一个 zip）",
                file_count="multiple",
                file_types=[".docx", ".xlsx", ".xlsm", ".txt", ".json", ".pdf", ".zip"],
                elem_id="lib-add",
                height=120,
            )
            add_policy = gr.File(
                label="添加政策文件（.txt .md .docx .pdf）",
                file_count="multiple",
                file_types=[".txt", ".md", ".docx", ".pdf"],
                elem_id="lib-add-policy",
                height=120,
            )
        rebuild = gr.Button("重建检索索引", size="sm")
        policies = gr.HTML("")
        with gr.Row():
            policy_pick = gr.Dropdown([], label="已添加的政策文件", scale=3, elem_id="lib-policy")
            drop_policy = gr.Button("删除所选政策文件", size="sm", scale=1)

    def on_list(unit_, year_):
        tables = ctx.ws.tables()
        units = sorted({t.unit_name for t in tables if t.unit_name})
        years = sorted({t.year for t in tables if t.year}, reverse=True)
        shown = [
            t
            for t in tables
            if (not unit_ or t.unit_name == unit_) and (not year_ or str(t.year) == str(year_))
        ]
        return (
            gr.update(choices=[ALL] + [(u, u) for u in units]),
            gr.update(choices=[ALL] + [(str(y), str(y)) for y in years]),
            [_row(t) for t in shown],
            *_policies(ctx),
        )

    list_outs = [unit, year, listing, policies, policy_pick]
    refresh.click(on_list, [unit, year], list_outs, api_name="library")
    unit.input(on_list, [unit, year], list_outs, api_name=False)
    year.input(on_list, [unit, year], list_outs, api_name=False)

    def on_view(evt: gr.SelectData):
        row = evt.row_value or []
        if not row:
            return "", ""
        return _show(ctx, str(row[0]))

    listing.select(on_view, None, [chosen, view], api_name=False)

    def on_remove(table_id, unit_, year_, progress=gr.Progress()):
        if not table_id:
            raise gr.Error("请先在上面的列表中点一张表。")
        try:
            with ctx.progress.to(progress):
                table = ctx.ws.remove(table_id)
        except JixiaoError as exc:
            raise gr.Error(str(exc)) from None
        msg = render.note_html(f"已从资料库删除：{table.project}（{table.id}）", "ok")
        return ("", "", msg, *on_list(unit_, year_))

    remove.click(
        on_remove, [chosen, unit, year], [chosen, view, status, *list_outs], api_name="remove"
    )

    def on_search(q, kind_, mode_, unit_, progress=gr.Progress()):
        if not (q or "").strip():
            raise gr.Error("请输入要检索的内容。")
        try:
            with ctx.progress.to(progress):
                found = ctx.ws.search(
                    q.strip(),
                    kind=kind_ or None,
                    unit=(unit_ or None) if kind_ != "policy" else None,
                    k=10,
                    mode=mode_ or "fused",
                )
        except JixiaoError as exc:
            raise gr.Error(str(exc)) from None
        return render.hits_html(found)

    go.click(on_search, [query, kind, mode, unit], hits, api_name="search")
    query.submit(on_search, [query, kind, mode, unit], hits, api_name=False)

    def on_add(paths, unit_, year_, progress=gr.Progress()):
        if not paths:
            return (gr.update(), *[gr.update()] * len(list_outs))
        batch = uploads.take(paths, "资料库")
        with ctx.progress.to(progress):
            loaded = uploads.shown(ctx.ws.read(batch.files), batch.folder)
            added, present = ctx.ws.add(loaded.tables) if loaded.tables else ([], [])
        lines = [
            f"新增 {len(added)} 张表，资料库中已有 {len(present)} 张（内容相同，未重复加入）。"
        ]
        lines += [f"- {t.project}（{t.id[:8]}）" for t in added]
        failed = batch.problems + loaded.failed
        lines += [f"未能读取：{p}" for p in failed]
        msg = render.note_html("\n".join(lines), "bad" if failed else "ok")
        return (msg, *on_list(unit_, year_))

    add_tables.upload(on_add, [add_tables, unit, year], [status, *list_outs], api_name="add")

    def on_add_policy(paths, progress=gr.Progress()):
        if not paths:
            return gr.update(), gr.update(), gr.update()
        batch = uploads.take(paths, "政策")
        try:
            with ctx.progress.to(progress):
                outcomes = ctx.ws.add_policies(batch.files)
        except JixiaoError as exc:
            raise gr.Error(str(exc)) from None
        lines = []
        for doc, new in outcomes:
            if isinstance(doc, PolicyDoc):
                state = "已加入" if new else "已在资料库中"
                lines.append(f"{state}：{doc.title}（{len(doc.chunks)} 段）")
            else:
                lines.append(f"未能读取：{str(doc).replace(str(batch.folder) + '/', '')}")
        bad = any(not isinstance(d, PolicyDoc) for d, _ in outcomes)
        return render.note_html("\n".join(lines), "bad" if bad else "ok"), *_policies(ctx)

    policy_outs = [status, policies, policy_pick]
    add_policy.upload(on_add_policy, [add_policy], policy_outs, api_name="add_policy")

    def on_drop_policy(doc_id, progress=gr.Progress()):
        if not doc_id:
            raise gr.Error("请先选择要删除的政策文件。")
        try:
            with ctx.progress.to(progress):
                doc = ctx.ws.remove_policy(doc_id)
        except JixiaoError as exc:
            raise gr.Error(str(exc)) from None
        return render.note_html(f"已删除政策文件：{doc.title}", "ok"), *_policies(ctx)

    drop_policy.click(on_drop_policy, [policy_pick], policy_outs, api_name="remove_policy")

    def on_rebuild(progress=gr.Progress()):
        with ctx.progress.to(progress):
            said = ctx.ws.rebuild()
        return render.note_html(said or "索引已重建。", "ok")

    rebuild.click(on_rebuild, None, status, api_name="rebuild")
    return on_list, list_outs


def _row(t: Table) -> list:
    budget = f"{t.budget_total / 10000:,.2f}" if t.budget_total is not None else ""
    return [t.id[:8], t.unit_name, t.project or t.title, t.year or "", budget, len(t.indicators)]


def _show(ctx: Context, table_id: str) -> tuple[str, str]:
    try:
        table = ctx.ws.table(table_id)
    except JixiaoError as exc:
        return "", render.note_html(str(exc), "bad")
    findings = ctx.ws.review([table], use_model=False).findings
    return table.id, render.table_html(table, findings)


def _policies(ctx: Context) -> tuple[str, dict]:
    """The policy documents users added: a note listing them, and the choices to remove one."""
    docs = ctx.ws.policies()
    choices = [(f"{d.title}（{d.doc_id[:8]}）", d.doc_id) for d in docs]
    return _policies_html(docs), gr.update(choices=choices, value=None)


def _policies_html(docs: list[PolicyDoc]) -> str:
    if not docs:
        return render.note_html("资料库中还没有用户添加的政策文件（内置的政策要点始终可检索）。")
    items = "\n".join(f"{d.title}（{len(d.chunks)} 段，编号 {d.doc_id[:8]}）" for d in docs)
    return render.note_html("已添加的政策文件：\n" + items)
