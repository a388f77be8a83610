"""The check every answer passes before anyone sees it, offline or from a model.

- every citation exists in the library and its source really contains what it is cited for
  (each line of its quote: the evidence check of model review, `jixiao.evidence`);
- every number the text states occurs in a cited source (money compared in 元, so `54.19万元`
  is supported by `541900.00元`), or was computed by a tool call actually made (a sum, a count).

An answer that fails is repaired (model path) or replaced by the plain tool results (`fallback`).
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.chat.answer import Answer, Cited
from jixiao.chat.numbers import Figure, figures, supports
from jixiao.chat.sources import Sources
from jixiao.evidence import occurs


def problems(answer: Answer, computed: Iterable[str], sources: Sources) -> list[str]:
    """What is wrong with `answer`, one Chinese sentence each; empty when it may be shown.

    `computed`: the figures the tool calls made for it computed (from the transcript, never from
    the answer's own account of its calls)."""
    found = [p for c in answer.citations if (p := citation_problem(c, sources))]
    for figure in unsupported(answer.text, answer.citations, computed):
        found.append(f"数字“{figure.text}”不在所引用的资料中，也不是工具计算的结果")
    return found


def citation_problem(cited: Cited, sources: Sources) -> str | None:
    """Why a citation cannot be believed, or None."""
    text = sources.text(cited.citation)
    if text is None:
        return f"引用〔{cited.label}〕指向资料库中不存在的表、行或段落"
    lines = [line for line in cited.quote.splitlines() if line.strip()]
    missing = next((line for line in lines if not occurs(line, text)), None)
    if not lines or missing is not None:
        shown = (missing or cited.quote)[:60]
        return f"引用〔{cited.label}〕的原文中没有“{shown}”"
    return None


def unsupported(text: str, cited: Iterable[Cited], computed: Iterable[str]) -> list[Figure]:
    """The figures of `text` that no cited source and no computed result contains."""
    known: list[Figure] = []
    for c in cited:
        known += figures(c.quote) + figures(c.citation.title) + figures(c.label)
    for value in computed:
        known += figures(value)
    return [f for f in figures(text) if not any(supports(k, f) for k in known)]


def stated(text: str) -> list[str]:
    """The figures a text states, as written (`≥1000场` is stated as `1000场`)."""
    return list(dict.fromkeys(f.text for f in figures(text)))
