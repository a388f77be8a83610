"""A model for tests and demonstrations: scripted replies, or a function of the messages.

It stands in for a model's intelligence only. Structured output, repairs, caching, the call log
and the counters are the same code the real endpoint runs (`llm.CompletionModel`); every call is
kept in `calls` so a test can see exactly what a feature sent.

    model = TestModel(['{"findings": []}'])             # replies in order
    model = TestModel(lambda messages: '{"findings": []}')  # or computed from the messages
    model = TestModel()                                  # the smallest valid answer to any schema

`JIXIAO_LLM_BASE_URL=test:` selects it from the environment (the wheel test and demos use this).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from typing import Any

from jixiao.llm import ChatReply, CompletionModel, Messages, ModelError
from jixiao.llm_cache import CallCache

Reply = str | dict | list | ChatReply
Script = Sequence[Reply] | Callable[[Messages], Reply]


class TestModel(CompletionModel):
    """Answers from a script; `calls` records every list of messages it was sent."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        script: Script | None = None,
        label: str = "test-model",
        concurrency: int = 4,
        cache: CallCache | None = None,
        use_cache: bool = False,
    ) -> None:
        """`cache`: where calls are logged (and, with `use_cache`, replies replayed from)."""
        super().__init__(cache, use_cache=use_cache)
        self.label = label
        self.concurrency = concurrency
        self.calls: list[Messages] = []
        self._script = script
        self._lock = threading.Lock()

    def _next(self, messages: Messages, schema: str | None) -> Reply:
        with self._lock:
            n = len(self.calls)
            self.calls.append(messages)
        self._count("calls")
        if self._script is None:
            return minimal(json.loads(schema)) if schema else "好的。"
        if callable(self._script):
            return self._script(messages)
        if n >= len(self._script):
            raise ModelError(f"the test model has no reply number {n + 1}")
        return self._script[n]

    def _reply(self, messages: Messages, params: dict) -> str:
        reply = self._next(messages, params.get("schema"))
        if isinstance(reply, ChatReply):
            return reply.content
        return reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)

    def chat(self, messages: Messages, tools: list[dict[str, Any]] | None = None) -> ChatReply:
        reply = self._next(messages, None)
        if isinstance(reply, ChatReply):
            return reply
        return ChatReply(content=reply if isinstance(reply, str) else json.dumps(reply))


def minimal(schema: dict, defs: dict | None = None) -> Any:
    """The smallest value a JSON schema accepts: empty lists, first enum values, zeros."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return minimal(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return minimal(schema[key][0], defs)
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: minimal(props[name], defs) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal(schema["items"], defs) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "x" * schema.get("minLength", 0)
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None
