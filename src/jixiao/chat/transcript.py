"""The tools by name, as a model calls them, and the record of the calls made for one answer:
the transcript the check of an answer trusts (never the answer's own account of its calls)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from jixiao.chat.answer import ToolRecord
from jixiao.chat.tool_io import (
    Aggregate,
    FindTables,
    ReadRow,
    ReadTable,
    ReviewTable,
    Search,
    ToolResult,
)
from jixiao.chat.tools import Tools


@dataclass
class Spec:
    name: str
    method: str
    input: type[BaseModel]


TOOLS = [
    Spec("find_tables", "find_tables", FindTables),
    Spec("read_table", "read_table", ReadTable),
    Spec("read_row", "read_row", ReadRow),
    Spec("aggregate", "aggregate", Aggregate),
    Spec("search", "search", Search),
    Spec("search_policy", "search_policy", Search),
    Spec("review_table", "review_table", ReviewTable),
]
_BY_NAME = {s.name: s for s in TOOLS}
DOING = {  # what a call does, as the steps of an answer are shown while it is made
    "find_tables": "查找表",
    "read_table": "读表",
    "read_row": "读指标行",
    "aggregate": "计算",
    "search": "检索",
    "search_policy": "检索政策",
    "review_table": "审核表",
}


@dataclass
class Transcript:
    """The tool calls made for one answer, in order, with their results."""

    tools: Tools
    calls: list[tuple[ToolRecord, ToolResult]] = field(default_factory=list)
    on_call: Callable[[ToolRecord], None] | None = None  # told of each call as it is made

    def call(self, name: str, args: BaseModel | dict[str, Any]) -> Any:
        spec = _BY_NAME[name]
        model = args if isinstance(args, BaseModel) else spec.input.model_validate(args)
        result = getattr(self.tools, spec.method)(model)
        record = ToolRecord(
            name=name,
            arguments=model.model_dump(mode="json", exclude_defaults=True),
            summary=result.summary,
            computed=result.computed,
        )
        self.calls.append((record, result))
        if self.on_call is not None:
            self.on_call(record)
        return result

    @property
    def records(self) -> list[ToolRecord]:
        return [r for r, _ in self.calls]
