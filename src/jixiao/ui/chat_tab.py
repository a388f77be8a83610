"""问答: questions to the library; every figure copied and cited, each citation clickable to
show the table with its row outlined (or the policy passage); 资料库中没有 said plainly."""

from __future__ import annotations

from html import escape

import gradio as gr

from jixiao.errors import JixiaoError
from jixiao.ui import render
from jixiao.ui.context import Context

WAITING = "正在查阅资料库…"
EXAMPLES = [
    "法援中心工作专项经费的预算是多少？",
    "哪些项目没有满意度指标？",
    "普法宣传有哪些数量指标？",
]


def build(ctx: Context):
    state = gr.State(None)  # (Conversation, last Answer)
    with gr.Row():
        unit = gr.Dropdown([("全部单位", "")], value="", label="只问这个单位的表", scale=3)
        gr.HTML(f"<div class='jx-mode'>回答方式：{escape(ctx.model_label())}</div>")
    chat = gr.Chatbot(
        label="资料库问答",
        height=380,
        elem_id="chat-log",
        placeholder="问资料库里的项目、预算、指标和政策；答案中的数字照表抄录，并注明出处。",
        buttons=["copy"],
    )
    with gr.Row():
        question = gr.Textbox(
            placeholder="例如：法援中心工作专项经费的预算是多少？",
            show_label=False,
            scale=6,
            elem_id="chat-question",
        )
        send = gr.Button("提问", variant="primary", scale=1, elem_id="chat-send")
        clear = gr.Button("新对话", scale=1)
    gr.Examples(EXAMPLES, question, label="可以这样问")
    cites = gr.Radio([], label="出处（点一条查看原表或政策原文）", elem_id="chat-cites")
    cited = gr.HTML("", elem_id="chat-cited")

    def on_ask(q, history, unit_, st):
        q = (q or "").strip()
        if not q:
            raise gr.Error("请先输入问题。")
        history = list(history or [])
        history.append({"role": "user", "content": escape(q)})
        yield "", history + [{"role": "assistant", "content": WAITING}], st, gr.update(), ""
        if not hasattr(ctx.ws, "ask"):
            history.append({"role": "assistant", "content": "问答功能尚未安装。"})
            yield "", history, st, gr.update(choices=[], value=None), ""
            return
        from jixiao.chat import Conversation

        conversation = st[0] if st else Conversation()
        try:
            answer = ctx.ws.ask(q, conversation, unit=unit_ or None)
        except JixiaoError as exc:
            history.append({"role": "assistant", "content": escape(str(exc))})
            yield "", history, st, gr.update(choices=[], value=None), ""
            return
        history.append({"role": "assistant", "content": answer_markdown(answer)})
        labels = [(f"{i + 1}. {c.label}", str(i)) for i, c in enumerate(answer.citations)]
        yield "", history, (conversation, answer), gr.update(choices=labels, value=None), ""

    def on_cite(st, i):
        if not st or i in (None, ""):
            return ""
        return cited_html(ctx, st[1].citations[int(i)])

    ins = [question, chat, unit, state]
    outs = [question, chat, state, cites, cited]
    send.click(on_ask, ins, outs, api_name="ask")
    question.submit(on_ask, ins, outs, api_name=False)
    cites.input(on_cite, [state, cites], cited, api_name="cited")
    clear.click(
        lambda: ([], None, gr.update(choices=[], value=None), ""),
        None,
        [chat, state, cites, cited],
        api_name=False,
    )

    def units():
        names = sorted({t.unit_name for t in ctx.ws.tables() if t.unit_name})
        return gr.update(choices=[("全部单位", "")] + [(n, n) for n in names])

    return units, [unit]


def answer_markdown(answer) -> str:
    """The answer as the chat shows it: its text (escaped: library text is never markup), the
    citations as 〔…〕 lines, and how it was answered."""
    lines = [escape(answer.text).replace("\n", "  \n")]
    if answer.citations:
        lines.append(
            "**出处**  \n"
            + "  \n".join(f"{i + 1}. {escape(c.shown())}" for i, c in enumerate(answer.citations))
        )
    how = "离线（照表检索）" if answer.mode == "offline" else f"模型 {escape(answer.mode)}"
    lines.append(f"<sub>回答方式：{how}</sub>")
    return "\n\n".join(lines)


def cited_html(ctx: Context, c) -> str:
    """What a citation points at: the table with the row outlined, or the passage quoted."""
    cit = c.citation
    if cit.kind == "table" and cit.table_id:
        try:
            table = ctx.ws.table(cit.table_id)
        except JixiaoError as exc:
            return render.note_html(str(exc), "bad")
        return render.note_html(f"引用：{c.label}\n原文：{c.quote}") + render.table_html(
            table, mark_row=cit.row
        )
    return render.passage_html(cit.title, cit.heading, c.quote)
