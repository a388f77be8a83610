"""问答: questions to the library; every figure copied and cited, each citation clickable to
show the table with its row outlined (or the policy passage); 资料库中没有 said plainly."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from html import escape

import gradio as gr

from jixiao.chat.transcript import DOING
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
        units, years = filter_choices(ctx)  # again at each page load: the library grows
        unit = gr.Dropdown(units, value="", label="只问这个单位的表", scale=3)
        year = gr.Dropdown(years, value="", label="只问这个年度的表", scale=2)
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

    def on_ask(q, history, unit_, year_, st):
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
        asking = Asking(ctx, q, conversation, unit_ or None, int(year_) if year_ else None)
        for steps in asking.steps():  # each lookup as it is made; the answer once checked
            shown = WAITING + "\n\n" + "  \n".join(escape(s) for s in steps)
            yield "", history + [{"role": "assistant", "content": shown}], st, gr.update(), ""
        if asking.error is not None:
            history.append({"role": "assistant", "content": escape(str(asking.error))})
            yield "", history, st, gr.update(choices=[], value=None), ""
            return
        answer = asking.answer
        history.append({"role": "assistant", "content": answer_markdown(answer)})
        labels = [(f"{i + 1}. {c.label}", str(i)) for i, c in enumerate(answer.citations)]
        yield "", history, (conversation, answer), gr.update(choices=labels, value=None), ""

    def on_cite(st, i):
        if not st or i in (None, ""):
            return ""
        return cited_html(ctx, st[1].citations[int(i)])

    ins = [question, chat, unit, year, state]
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

    def filters():
        units, years = filter_choices(ctx)
        return gr.update(choices=units), gr.update(choices=years)

    return filters, [unit, year]


def filter_choices(ctx: Context) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The units and the budget years of the library's tables, each after a choice of all."""
    tables = ctx.ws.tables()
    names = sorted({t.unit_name for t in tables if t.unit_name})
    years = sorted({t.year for t in tables if t.year}, reverse=True)
    return (
        [("全部单位", "")] + [(n, n) for n in names],
        [("全部年度", "")] + [(f"{y}年", str(y)) for y in years],
    )


class Asking:
    """One question answered in a thread, its lookups told as they are made."""

    def __init__(self, ctx: Context, question: str, conversation, unit, year) -> None:
        self.answer = None
        self.error: JixiaoError | None = None
        self._said: queue.Queue = queue.Queue()
        args = (question, conversation)
        kw = {"unit": unit, "year": year, "on_step": self._said.put}
        threading.Thread(target=self._run, args=(ctx, args, kw), daemon=True).start()

    def _run(self, ctx: Context, args, kw) -> None:
        try:
            self.answer = ctx.ws.ask(*args, **kw)
        except JixiaoError as exc:
            self.error = exc
        except Exception as exc:  # noqa: BLE001 — said in the chat, in one sentence
            self.error = JixiaoError(f"回答时出错（{type(exc).__name__}），请换个问法或稍后再试。")
        finally:
            self._said.put(None)

    def steps(self) -> Iterator[list[str]]:
        """The lines said so far, after each new lookup."""
        lines: list[str] = []
        while (record := self._said.get()) is not None:
            lines.append(f"· {DOING.get(record.name, record.name)}：{record.summary}")
            yield lines


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
