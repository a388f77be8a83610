"""The assistant's answer: text, what it cites and for what, the numbers it states, the tools it
called. Offline and model answers are the same type and pass the same check (`chat.validate`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jixiao.model import Citation

OFFLINE = "offline"


class Cited(BaseModel):
    """A citation and the text of its source it is cited for (`quote`, verbatim)."""

    model_config = ConfigDict(extra="forbid")

    citation: Citation
    label: str  # `普法宣传专项经费 · 数量指标 · 法治宣传宣讲活动`, shown as 〔…〕
    quote: str

    def shown(self) -> str:
        return f"〔{self.label}〕"


class ToolRecord(BaseModel):
    """One tool call made for an answer: its name, arguments and what it computed."""

    model_config = ConfigDict(extra="forbid")

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    summary: str = ""  # in Chinese, one line: what it found
    computed: list[str] = Field(default_factory=list)  # figures the tool derived (sums, counts)


class Answer(BaseModel):
    """What the user sees, and everything needed to check it."""

    model_config = ConfigDict(extra="forbid")

    text: str
    citations: list[Cited] = Field(default_factory=list)
    numbers: list[str] = Field(default_factory=list)  # the figures the text states
    tool_calls: list[ToolRecord] = Field(default_factory=list)
    refused: bool = False  # the library has nothing to answer with (资料库中没有…)
    mode: str = OFFLINE  # `offline`, or the model's label
    kind: str = "answer"  # answer, search_results, refusal, clarification, fallback
    notes: list[str] = Field(default_factory=list)  # checks that failed and what was done

    def sources_text(self) -> str:
        """The citations one per line, as printed under an answer."""
        return "\n".join(c.shown() for c in self.citations)
