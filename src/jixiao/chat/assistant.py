"""Asking the library: a question in, a checked `Answer` out.

The offline answerer (`chat.offline`) is the default, and the fallback when the model fails. With
a model, the tool loop of `chat.tool_loop` answers (it repairs a failing answer first). Whatever
produced an answer, it passes `chat.validate` before anyone sees it; one that fails is replaced by
the plain tool results it was built from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from jixiao.chat import offline, validate
from jixiao.chat.answer import Answer, Cited, ToolRecord
from jixiao.chat.conversation import Conversation
from jixiao.chat.tools import Tools
from jixiao.chat.transcript import Transcript

if TYPE_CHECKING:
    from jixiao.llm_chat import ChatModel

FALLBACK_LIMIT = 10
NOTHING_FOUND = "未能给出可以核对的回答，资料库中也没有查到相关的内容。"
RAW_RESULTS = "未能给出可以逐条核对的回答，以下是查到的原始资料："


def ask(
    tools: Tools,
    question: str,
    conversation: Conversation | None = None,
    model: ChatModel | None = None,
    on_step: Callable[[ToolRecord], None] | None = None,
) -> Answer:
    """Answer `question` from `tools`' library; `conversation` resolves follow-ups and remembers
    this turn; `model` answers when given (offline when it fails, with a note saying so);
    `on_step` is told of each tool call as it is made (the answer is shown only once checked)."""
    question = question.strip()
    if not question:
        return Answer(text="请输入问题。", refused=True, kind="clarification")
    notes: list[str] = []
    if model is not None:
        answer, down = with_model(tools, question, conversation, model, on_step)
        if answer is not None:
            return answer
        notes.append(f"模型 {model.label} 未能回答（{down}），以下为离线回答。")
    calls = Transcript(tools, on_call=on_step)
    reply = offline.respond(calls, question, conversation)
    answer = Answer(
        text=reply.text,
        citations=unique(reply.cited),
        numbers=validate.stated(reply.text),
        tool_calls=calls.records,
        refused=reply.refused,
        kind=reply.kind,
    )
    answer = checked(answer, calls, tools)
    answer.notes = notes + answer.notes
    if conversation is not None:
        conversation.remember(question, answer, reply.focus, reply.listed, reply.asked)
    return answer


def with_model(
    tools: Tools,
    question: str,
    conversation: Conversation | None,
    model: ChatModel,
    on_step: Callable[[ToolRecord], None] | None = None,
) -> tuple[Answer | None, str]:
    """The model's answer (or the plain tool results when it failed the check or was stopped),
    remembered in `conversation`; (None, why) when the model cannot answer now."""
    if (down := model.unavailable()) is not None:
        return None, down
    from jixiao.chat import tool_loop
    from jixiao.chat.model_answer import cited_tables
    from jixiao.llm import ModelError

    try:
        tried = tool_loop.answer(tools, question, conversation, model, on_step)
    except ModelError as exc:
        return None, str(exc)
    answer = tried.answer
    if answer is None or tried.problems:
        head = tool_loop.STOPPED if answer is None else None
        answer = fallback(tried.calls, tried.problems, model.label, head)
    if conversation is not None:
        about = cited_tables(answer)[:5]
        conversation.remember(question, answer, about, about if len(about) > 1 else None)
    return answer, ""


def checked(answer: Answer, calls: Transcript, tools: Tools) -> Answer:
    """The answer when it passes the check, else the plain tool results, with the reasons."""
    computed = [x for _, result in calls.calls for x in result.computed]
    problems = validate.problems(answer, computed, tools.sources)
    if not problems:
        return answer
    return fallback(calls, problems, answer.mode)


def fallback(calls: Transcript, problems: list[str], mode: str, head: str | None = None) -> Answer:
    """The tool results as they are: each cited source's own text under its label, after `head`
    (a sentence saying what happened, in Chinese)."""
    cited = unique([c for _, result in calls.calls for c in result.cited])[:FALLBACK_LIMIT]
    if not cited:
        text = f"{head}资料库中也没有查到相关的内容。" if head else NOTHING_FOUND
        return Answer(
            text=text,
            refused=True,
            tool_calls=calls.records,
            kind="fallback",
            mode=mode,
            notes=problems,
        )
    lines = [f"{head}以下是查到的原始资料：" if head else RAW_RESULTS]
    lines += [f"{c.shown()}{c.quote}" for c in cited]
    text = "\n".join(lines)
    return Answer(
        text=text,
        citations=cited,
        numbers=validate.stated(text),
        tool_calls=calls.records,
        kind="fallback",
        mode=mode,
        notes=problems,
    )


def unique(cited: list[Cited]) -> list[Cited]:
    seen: dict[tuple[str, str], Cited] = {}
    for c in cited:
        seen.setdefault((c.label, c.quote), c)
    return list(seen.values())
