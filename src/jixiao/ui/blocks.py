"""The app: a first screen that says what the tool does and where to start, then the four tabs
审核 · 起草 · 问答 · 资料库 over one shared `Workspace`."""

from __future__ import annotations

from html import escape

import gradio as gr

from jixiao.ui import chat_tab, draft_tab, library_tab, review_tab
from jixiao.ui.context import Context

TITLE = "绩效目标表 审核与编制助手"


def intro_html(ctx: Context) -> str:
    tables = len(ctx.ws.library.ids())
    return f"""
<div id="jx-header">
<h1>{TITLE}</h1>
<p>用于审核、起草和查询<b>项目支出绩效目标表</b>：逐条核对指标（目标值、单位、成本与预算、指标体系），
指出问题、给出修改建议和政策依据；按简介或上一年度的表起草新表；在往年的表和政策中查找。
全部在本机运行，不联网。资料库现有 {tables} 张往年的表。</p>
<ol>
<li><b>审核</b>：上传收到的表（Word、Excel、PDF，可多选或打包成 zip），自动给出问题清单和审核报告。</li>
<li><b>起草</b>：填写项目简介起草新表，或上传今年的表起草下一年度的表，可在网页上修改后下载 Word / Excel。</li>
<li><b>问答</b>：用中文提问，答案中的数字照表抄录并注明出处。</li>
<li><b>资料库</b>：查看、检索、添加往年的表和政策文件。</li>
</ol>
<p>模型：{escape(ctx.model_label())}</p>
</div>"""


def build(ctx: Context) -> gr.Blocks:
    """The whole app; every handler calls `ctx.ws` and renders what it returns."""
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as app:
        header = gr.HTML(intro_html(ctx), elem_id="jx-intro")
        with gr.Tabs(elem_id="jx-tabs"):
            with gr.Tab("审核", id="review", elem_id="tab-review"):
                review_tab.build(ctx)
            with gr.Tab("起草", id="draft", elem_id="tab-draft"):
                draft_choices, draft_dropdowns = draft_tab.build(ctx)
            with gr.Tab("问答", id="chat", elem_id="tab-chat"):
                chat_filters, chat_dropdowns = chat_tab.build(ctx)
            with gr.Tab("资料库", id="library", elem_id="tab-library"):
                listing, list_outputs = library_tab.build(ctx)
        # Each page load reads the library afresh: another session may have added to it.
        app.load(lambda: intro_html(ctx), None, header, api_name=False)
        app.load(draft_choices, None, draft_dropdowns, api_name=False)
        app.load(chat_filters, None, chat_dropdowns, api_name=False)
        app.load(lambda: listing("", ""), None, list_outputs, api_name=False)
    return app
