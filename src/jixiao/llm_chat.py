"""The model as the assistant's tool loop drives it: a langchain chat model.

`llm.py` keeps the one description of an endpoint (`ModelConfig`) and the `Model` protocol; this
module turns a `Model` into what a langchain tool loop calls:

- an endpoint (`llm.LLM`) becomes `ChatOpenAI` (chat completions; the SDK's retries and time-out);
- any other `Model` — the test model above all — becomes `ModelChat`, a `BaseChatModel` whose
  replies are the model's `chat` replies (scripted `AIMessage`s with tool calls, in tests).

`ChatModel` holds either with its label, how it calls tools (the endpoint's tool calling, or a JSON
plan for servers without it, found out once) and a breaker: after a failure the assistant answers
offline for a while rather than wait on a dead endpoint for every question. This module is
imported only when a model is used, so offline commands never load langchain.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolCall, convert_to_openai_messages
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict

from jixiao.llm import LLM, Model, ModelError, check_allowed
from jixiao.llm_cache import CallCache

RETRY_AFTER = 120.0  # seconds the assistant stays offline after the model failed
_TOOL_WORDS = ("tool", "function")  # an endpoint's refusal of tool definitions mentions these


class ToolsRefused(Exception):
    """The endpoint does not take tool definitions (a llama.cpp server without --jinja …)."""


class ChatModel:
    """A langchain chat model, its label, how it calls tools, and its breaker; thread-safe."""

    def __init__(
        self,
        chat: BaseChatModel,
        label: str,
        tools: str = "auto",
        base_url: str | None = None,
        log: CallCache | None = None,
    ) -> None:
        """`log`: the call log every reply is recorded in (sizes, time, errors; never the key)."""
        self.chat = chat
        self.log = log
        self.label = label
        self.mode = tools  # auto: the endpoint's tool calling; json: a JSON plan of tool calls
        self.base_url = base_url  # checked against JIXIAO_LLM_ALLOW before every call
        self.json_format = True  # whether to ask for JSON mode in plan mode (dropped if refused)
        self._failed: tuple[float, str] | None = None
        self._lock = threading.Lock()

    def unavailable(self) -> str | None:
        """Why the model is not asked now (it failed a moment ago), or None."""
        with self._lock:
            if self._failed and time.monotonic() - self._failed[0] < RETRY_AFTER:
                return self._failed[1]
            self._failed = None
            return None

    def use_json_plan(self) -> None:
        with self._lock:
            self.mode = "json"

    def reply(
        self,
        messages: Sequence[BaseMessage],
        tools: Sequence[BaseTool] | None = None,
        json_mode: bool = False,
        prompt: str = "",
    ) -> AIMessage:
        """One reply of the model; `ToolsRefused` when the endpoint rejects `tools`, `ModelError`
        (the HTTP status or the error's kind, never the key) when it fails otherwise."""
        if self.base_url is not None:
            check_allowed(self.base_url)
        runnable: Any = self.chat
        if tools:
            runnable = self.chat.bind_tools(list(tools))
        elif json_mode and self.json_format:
            runnable = self.chat.bind(response_format={"type": "json_object"})
        start = time.perf_counter()
        try:
            reply = runnable.invoke(list(messages))
        except ModelError as exc:
            self._record(messages, prompt, "", start, str(exc))
            self._fail(str(exc))
            raise
        except Exception as exc:
            status, text = _status(exc), str(exc).lower()
            rejected = status in (400, 404, 422, 500, 501)
            reason = f"HTTP {status}" if status else type(exc).__name__  # never the message
            self._record(messages, prompt, "", start, reason)
            if tools and rejected and any(w in text for w in _TOOL_WORDS):
                raise ToolsRefused(reason) from None
            if json_mode and self.json_format and rejected and "response_format" in text:
                self.json_format = False  # this server has no JSON mode: ask without it
                return self.reply(messages, json_mode=False, prompt=prompt)
            self._fail(reason)
            raise ModelError(reason) from None
        said = reply.text + (
            json.dumps(reply.tool_calls, ensure_ascii=False) if reply.tool_calls else ""
        )
        self._record(messages, prompt, said, start)
        return reply

    def _record(
        self,
        messages: Sequence[BaseMessage],
        prompt: str,
        said: str,
        start: float,
        error: str | None = None,
    ) -> None:
        if self.log is not None:
            sent = convert_to_openai_messages(list(messages))
            self.log.log(self.label, prompt, sent, said, error=error, start=start)

    def _fail(self, reason: str) -> None:
        with self._lock:
            self._failed = (time.monotonic(), reason)


def chat_model(model: Model) -> ChatModel:
    """The langchain chat model for `model`: `ChatOpenAI` for an endpoint, else `ModelChat`."""
    if isinstance(model, LLM):
        from langchain_openai import ChatOpenAI

        config = model.config
        chat = ChatOpenAI(
            model=config.model,
            base_url=config.base_url,
            api_key=config.api_key,
            timeout=config.timeout,
            max_retries=config.max_retries,
            temperature=0,
            max_tokens=config.max_tokens,  # type: ignore[call-arg]  # a reply is bounded
            use_responses_api=False,  # OpenAI-compatible servers speak chat completions
        )
        return ChatModel(chat, model.label, config.tools, config.base_url, model.cache)
    return ChatModel(ModelChat(backend=model), model.label, log=getattr(model, "cache", None))


class ModelChat(BaseChatModel):
    """A jixiao `Model` (the test model, say) as a langchain chat model: messages go to its `chat`
    as OpenAI dicts, its `ChatReply` comes back as an `AIMessage` (content and tool calls)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    backend: Any

    @property
    def _llm_type(self) -> str:
        return "jixiao-model"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable:
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        reply = self.backend.chat(convert_to_openai_messages(messages), kwargs.get("tools"))
        calls = [
            ToolCall(name=c.name, args=c.arguments, id=c.id, type="tool_call")
            for c in reply.tool_calls
        ]
        message = AIMessage(content=reply.content, tool_calls=calls)
        return ChatResult(generations=[ChatGeneration(message=message)])


def _status(exc: Exception) -> int | None:
    return getattr(exc, "status_code", None)
