"""A model's answer as the assistant reads it, and what is wrong with it.

The model answers JSON — `{"answer", "citations": [{"source": "S3", "quote": …}], "refused"}` —
citing sources by the numbers its tool results gave them (`langchain_tools.Ledger`). Each becomes
the library's own citation quoted as the model quotes it, so `chat.validate` checks the model's
claim (its quote is in that row; its figures are in what it cites or what a tool computed), never
a text the assistant chose for it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jixiao.chat import validate
from jixiao.chat.answer import Answer, Cited
from jixiao.chat.conversation import Conversation
from jixiao.chat.langchain_tools import Ledger
from jixiao.chat.transcript import Transcript
from jixiao.llm import first_json

HISTORY = 6  # earlier turns the model sees


class SourceQuote(BaseModel):
    model_config = ConfigDict(extra="ignore")

    source: str
    quote: str = ""  # empty: the whole source


class ModelAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    answer: str
    citations: list[SourceQuote] = Field(default_factory=list)
    refused: bool = False


def read_answer(
    content: str, calls: Transcript, ledger: Ledger, mode: str, looked: bool = True
) -> tuple[Answer, list[str]]:
    """The `Answer` a reply gives and its problems (one Chinese sentence each; none: it may be
    shown); `looked`: whether the model has called any tool for it (even one that failed)."""
    try:
        data = first_json(content)
    except ValueError:
        data = None
    try:
        said = ModelAnswer.model_validate(data)
    except ValidationError:
        text = content.strip()
        answer = Answer(text=text, numbers=validate.stated(text), mode=mode, kind="answer")
        if isinstance(data, dict):  # `{"calls": []}`: done looking, but no answer written
            return answer, [
                "回复中没有 answer：查够了就输出回答 JSON（answer、citations、refused）"
            ]
        return answer, ["回复不是要求的 JSON 对象（answer、citations、refused）"]
    problems: list[str] = []
    cited: list[Cited] = []
    for c in said.citations:
        source = ledger.get(c.source)
        if source is None:
            problems.append(f"引用的来源“{c.source}”不在工具结果中")
            continue
        quote = c.quote.strip() or source.quote
        cited.append(source.model_copy(update={"quote": quote}))
    text = said.answer.strip()
    answer = Answer(
        text=text,
        citations=_unique(cited),
        numbers=validate.stated(text),
        tool_calls=calls.records,
        refused=said.refused,
        mode=mode,
        kind="refusal" if said.refused else "answer",
    )
    if not looked:  # 资料库中没有… is a guess too when nothing was looked up
        problems.append("还没有查资料库：请先调用工具（如 find_tables 按项目名称找表）再回答")
    if not text:
        problems.append("回答正文是空的")
    elif not said.refused and not cited:
        problems.append("回答没有注明出处：citations 中应写出所依据的来源编号")
    computed = [x for _, result in calls.calls for x in result.computed]
    problems += validate.problems(answer, computed, calls.tools.sources)
    return answer, problems


def earlier_turns(conversation: Conversation | None) -> list[tuple[str, str]]:
    """The last turns as (question, answer) texts, the answer ending with the tables it cited
    (name and id), so a follow-up can go straight to them."""
    if conversation is None:
        return []
    out = []
    for turn in conversation.turns[-HISTORY:]:
        tables: dict[str, str] = {}
        for c in turn.answer.citations:
            if c.citation.kind == "table":
                tables.setdefault(c.citation.table_id, c.citation.title)
        text = turn.answer.text
        if tables:
            text += (
                "\n（涉及的表：" + "；".join(f"{n} table_id={i}" for i, n in tables.items()) + "）"
            )
        out.append((turn.question, text))
    return out


def cited_tables(answer: Answer) -> list[str]:
    """The table ids an answer cites, in order: what a follow-up is about."""
    ids = [c.citation.table_id for c in answer.citations if c.citation.kind == "table"]
    return list(dict.fromkeys(i for i in ids if i))


def _unique(cited: list[Cited]) -> list[Cited]:
    seen: dict[tuple[str, str], Cited] = {}
    for c in cited:
        seen.setdefault((c.citation.model_dump_json(), c.quote), c)
    return list(seen.values())
