"""Questions no shape fits: a name the library does not have (refused, with the close names
that exist), no project named (asked which), or anything else: the best cited passages and rows,
labelled 搜索结果 — or 资料库中没有… when nothing shares enough of the question's words."""

from __future__ import annotations

from jixiao.chat import intent, names, render, sources
from jixiao.chat.names import SEP
from jixiao.chat.render import ADD_HINT, Reply
from jixiao.chat.tool_io import Search
from jixiao.chat.transcript import Transcript
from jixiao.chat.views import cite_field


def near_miss(calls: Transcript, span: str, close: list[str], unit: bool = False) -> Reply:
    what = "单位" if unit else "项目"
    said = render.without_figures(span)
    by_name = {sources.table_name(t): t for t in calls.tools.tables}
    similar = [by_name[n] for n in close if n in by_name]
    text = f"资料库中没有名为“{said}”的{what}。"
    if similar:
        text += "相近的项目有：" + "、".join(sources.table_name(t) for t in similar) + "。"
    return Reply(text + ADD_HINT, [cite_field(t, "project") for t in similar], "refusal", True)


def clarify(calls: Transcript) -> Reply:
    some = calls.tools.tables[:3]
    text = "没有从问题中认出是哪个项目。请写出项目名称（可以只写其中几个字）"
    if some:
        text += "，例如：" + "、".join(sources.table_name(t) for t in some)
    return Reply(text + "。", [cite_field(t, "project") for t in some], "clarification", True)


def search(calls: Transcript, question: str) -> Reply:
    """The best passages and rows for a question no shape fits, or 资料库中没有…."""
    result = calls.call("search", Search(query=question, k=8))
    # What it asks, not whom: the names of projects and units it mentions say nothing of relevance.
    subjects = [n for t in calls.tools.tables for n in (t.project, t.unit_name)]
    asked = intent.residual(names.strip(question, subjects))
    wanted = {p for w in asked.split(SEP) for p in names.pairs(w)}
    kept = [
        (p, c)
        for p, c in zip(result.passages, result.cited, strict=True)
        if len(wanted & names.pairs(p.text)) >= max(2, 0.4 * len(wanted))
    ][:5]
    if not kept:
        said = render.without_figures(question.strip("？?。 "))
        return Reply(f"资料库中没有与“{said}”相关的内容。{ADD_HINT}", [], "refusal", True)
    lines = ["资料库中没有能直接回答这个问题的字段，以下是最相关的搜索结果："]
    # A policy passage's text starts with its title and heading, which its label already gives.
    lines += [
        f"- 〔{p.label}〕{render.excerpt(p.text.split(chr(10), 1)[-1] if p.kind == 'policy' else p.text)}"
        for p, _ in kept
    ]
    return Reply("\n".join(lines), [c for _, c in kept], "search_results")
