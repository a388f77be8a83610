"""Asking the library: a question in, a checked `Answer` out.

The offline answerer (`chat.offline`) is the default and the fallback. Whatever produced an
answer, it passes `chat.validate` before anyone sees it; one that fails is replaced by the plain
tool results it was built from (the model path will first try to repair it).
"""

from __future__ import annotations

from jixiao.chat import offline, validate
from jixiao.chat.answer import Answer, Cited
from jixiao.chat.conversation import Conversation
from jixiao.chat.tools import Tools
from jixiao.chat.transcript import Transcript

FALLBACK_LIMIT = 10


def ask(tools: Tools, question: str, conversation: Conversation | None = None) -> Answer:
    """Answer `question` from `tools`' library; `conversation` resolves follow-ups and remembers
    this turn."""
    question = question.strip()
    if not question:
        return Answer(text="请输入问题。", refused=True, kind="clarification")
    calls = Transcript(tools)
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
    if conversation is not None:
        conversation.remember(question, answer, reply.focus, reply.listed, reply.asked)
    return answer


def checked(answer: Answer, calls: Transcript, tools: Tools) -> Answer:
    """The answer when it passes the check, else the plain tool results, with the reasons."""
    computed = [x for _, result in calls.calls for x in result.computed]
    problems = validate.problems(answer, computed, tools.sources)
    if not problems:
        return answer
    return fallback(calls, problems, answer.mode)


def fallback(calls: Transcript, problems: list[str], mode: str) -> Answer:
    """The tool results as they are: each cited source's own text under its label."""
    cited = unique([c for _, result in calls.calls for c in result.cited])[:FALLBACK_LIMIT]
    if not cited:
        text = "未能给出可以核对的回答，资料库中也没有查到相关的内容。"
        return Answer(text=text, refused=True, kind="fallback", mode=mode, notes=problems)
    lines = ["未能给出可以逐条核对的回答，以下是查到的原始资料："]
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
