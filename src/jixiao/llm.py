"""The only module that talks to a language model: the `Model` protocol every feature asks, and
its implementation for any OpenAI-compatible chat endpoint.

Structured output is JSON mode + a pydantic model: the first JSON value in the reply is parsed
(small models keep talking after it), validated, and on failure the validation errors go back to
the model for a bounded number of repairs; what still fails is reported with the last raw reply.
Calls are retried with backoff on 429/5xx and time-outs, cached in SQLite (errors never), logged
there too, and limited in concurrency by the caller's thread pool. API keys never appear in
messages or logs. The test model (`jixiao.testing`) shares everything here but the HTTP call.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar
from urllib.parse import urlparse

from pydantic import BaseModel, Field, SecretStr, ValidationError

from jixiao.errors import JixiaoError
from jixiao.llm_cache import CallCache
from jixiao.prompts import Prompt
from jixiao.prompts import load as load_prompt
from jixiao.settings import Settings

T = TypeVar("T", bound=BaseModel)
Messages = list[dict[str, Any]]
# Tests set this to the only endpoints they may call; any other call then fails loudly.
ALLOW_ENV = "JIXIAO_LLM_ALLOW"
_sleep = time.sleep  # the backoff's clock, replaceable in tests


class ModelConfig(BaseModel):
    base_url: str
    model: str
    api_key: SecretStr = SecretStr("not-needed")
    timeout: float = 120.0
    max_retries: int = 3
    concurrency: int = 4
    max_tokens: int = 1024  # every reply is bounded: a runaway one would hold a local server
    tools: Literal["auto", "json"] = "auto"  # how the assistant's tool loop calls tools

    @property
    def label(self) -> str:
        return f"{self.model} @ {self.base_url}"


def config_from(settings: Settings) -> ModelConfig | None:
    """The endpoint the settings name; None: offline."""
    if not settings.model_configured:
        return None
    return ModelConfig(
        base_url=settings.llm_base_url,  # type: ignore[arg-type]
        model=settings.llm_model,  # type: ignore[arg-type]
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_retries,
        concurrency=settings.llm_concurrency,
        max_tokens=settings.llm_max_tokens,
        tools=settings.llm_tools,
    )


class ModelError(JixiaoError):
    """A model call that failed for good; one sentence, never the key."""

    code = "model_unavailable"


class ReplyCut(JixiaoError):
    """A reply that reached the `max_tokens` bound: that one answer is lost, the endpoint is fine
    (so, unlike a `ModelError`, it does not stop the batch)."""

    code = "model_reply_cut"


class ToolCall(BaseModel):
    """One tool the model asks to run, with its arguments."""

    id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class ChatReply(BaseModel):
    """A chat turn from the model: text, or tool calls to run before it answers."""

    content: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)


class Model(Protocol):
    """What every feature that asks a model depends on."""

    label: str
    concurrency: int

    def structured(self, messages: Messages, schema: type[T], prompt: str = "") -> Structured[T]:
        """A reply parsed and validated into `schema` (repaired a bounded number of times)."""
        ...

    def chat(self, messages: Messages, tools: list[dict[str, Any]] | None = None) -> ChatReply:
        """One chat turn, with the tools (OpenAI function schemas) the model may call."""
        ...

    def stats(self) -> dict[str, int]:
        """Calls, cached replies and retries so far."""
        ...


def ask(model: Model, prompt: Prompt, schema: type[T], **variables: str) -> Structured[T]:
    """Render `prompt` with `variables` and ask `model` for a `schema` answer."""
    messages = [{"role": "user", "content": prompt.render(**variables)}]
    return model.structured(messages, schema, prompt=prompt.label)


@dataclass
class Structured(Generic[T]):
    """The outcome of one structured call: the value, or why not, with the last raw reply."""

    value: T | None
    raw: str
    prompt: str  # name@hash
    repairs: int = 0
    calls: int = 0
    error: str | None = None
    cached: bool = False


class CompletionModel:
    """A model reached by text completions: structured output, repair loop, cache, log, stats.

    Subclasses supply `_reply(messages, params)` (one uncached call) and `label`; counters are
    kept under a lock because the review asks from a thread pool.
    """

    label = "model"
    concurrency = 1
    max_repairs = 2

    def __init__(self, cache: CallCache | None = None, use_cache: bool = True) -> None:
        self.cache = cache
        self.use_cache = use_cache
        self._stats = {"calls": 0, "cached": 0, "retries": 0}
        self._stats_lock = threading.Lock()
        # A circuit breaker: once the endpoint has failed a call (after its retries), the rest of
        # the batch is not sent to it; `stopped` says why, once.
        self.stopped: str | None = None

    def stats(self) -> dict[str, int]:
        with self._stats_lock:
            return dict(self._stats)

    def _count(self, name: str, n: int = 1) -> None:
        with self._stats_lock:
            self._stats[name] += n

    def _reply(self, messages: Messages, params: dict) -> str:
        raise NotImplementedError

    def complete(self, messages: Messages, prompt: str = "", **params) -> tuple[str, bool]:
        """The reply text for `messages` (from the cache when allowed); (text, cached)."""
        params = {"temperature": 0, **params}
        key = None
        if self.cache is not None:
            key = self.cache.key(self.label, messages, params)
            if self.use_cache and (hit := self.cache.get(key)) is not None:
                self._count("cached")
                self.cache.log(self.label, prompt, messages, hit, cached=True)
                return hit, True
        if self.stopped is not None:
            raise ModelError(f"已停止调用模型：{self.stopped}")
        start = time.perf_counter()
        try:
            text = self._reply(messages, params)
        except (ModelError, ReplyCut) as exc:
            if isinstance(exc, ModelError):
                self.stopped = self.stopped or str(exc)
            if self.cache is not None:
                self.cache.log(self.label, prompt, messages, "", error=str(exc), start=start)
            raise
        if self.cache is not None and key is not None:
            self.cache.put(key, text)
            self.cache.log(self.label, prompt, messages, text, start=start)
        return text, False

    def structured(self, messages: Messages, schema: type[T], prompt: str = "") -> Structured[T]:
        """Ask, parse and validate into `schema`, repairing a bounded number of times; never
        raises for a bad reply (the result says what went wrong)."""
        schema_text = json.dumps(schema.model_json_schema(), ensure_ascii=False)
        result: Structured[T] = Structured(None, "", prompt)
        repair = load_prompt("repair")
        for attempt in range(self.max_repairs + 1):
            try:
                raw, cached = self.complete(messages, prompt=prompt, schema=schema_text)
            except (ModelError, ReplyCut) as exc:
                result.error = str(exc)
                return result
            result.calls += 1
            result.raw, result.cached = raw, result.cached or cached
            try:
                result.value = schema.model_validate(first_json(raw))
                result.error = None
                return result
            except (ValueError, ValidationError) as exc:
                result.error = _short(exc)
            if attempt < self.max_repairs:
                result.repairs += 1
                messages = messages + [
                    {"role": "assistant", "content": raw},
                    {
                        "role": "user",
                        "content": repair.render(errors=result.error, schema=schema_text),
                    },
                ]
        return result

    def chat(self, messages: Messages, tools: list[dict[str, Any]] | None = None) -> ChatReply:
        raise NotImplementedError


class LLM(CompletionModel):
    """Any OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp server, DeepSeek, OpenAI …)."""

    def __init__(
        self,
        config: ModelConfig,
        cache: CallCache | None = None,
        use_cache: bool = True,
        max_repairs: int = 2,
    ) -> None:
        from openai import OpenAI

        super().__init__(cache, use_cache)
        self.config = config
        self.max_repairs = max_repairs
        self.label = config.label
        self.concurrency = max(1, config.concurrency)
        # Retries are ours (logged, counted, with backoff); the SDK's are turned off.
        self._client = OpenAI(
            base_url=config.base_url,
            api_key=config.api_key.get_secret_value(),
            timeout=config.timeout,
            max_retries=0,
        )
        self._json_mode = True

    def _reply(self, messages: Messages, params: dict) -> str:
        check_allowed(self.config.base_url)
        return self._call_with_retries(messages, params)

    def chat(self, messages: Messages, tools: list[dict[str, Any]] | None = None) -> ChatReply:
        import openai

        check_allowed(self.config.base_url)
        try:
            self._count("calls")
            reply = self._client.chat.completions.create(
                model=self.config.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=0,
                max_tokens=self.config.max_tokens,
                **({"tools": tools} if tools else {}),
            )
        except openai.OpenAIError as exc:
            raise ModelError(f"模型服务调用失败（{_status(exc)}）") from None
        message = reply.choices[0].message if reply.choices else None
        if message is None:
            raise ModelError("模型返回了空回复")
        calls = []
        for call in message.tool_calls or []:
            try:
                arguments = json.loads(call.function.arguments or "{}")
            except json.JSONDecodeError:
                arguments = {}
            calls.append(ToolCall(id=call.id, name=call.function.name, arguments=arguments))
        return ChatReply(content=message.content or "", tool_calls=calls)

    def _call_with_retries(self, messages: list[dict[str, str]], params: dict) -> str:
        import openai

        # The schema is part of the cache key, not of the request (JSON mode carries no schema).
        params = {k: v for k, v in params.items() if k != "schema"}
        delay = 1.0
        last = ""
        for attempt in range(self.config.max_retries + 1):
            try:
                self._count("calls")
                extra = {"response_format": {"type": "json_object"}} if self._json_mode else {}
                reply = self._client.chat.completions.create(
                    model=self.config.model,
                    messages=messages,
                    max_tokens=self.config.max_tokens,
                    **params,
                    **extra,
                )
                text = (reply.choices[0].message.content or "") if reply.choices else ""
                if reply.choices and reply.choices[0].finish_reason == "length":
                    raise ReplyCut(
                        f"模型的回复写到 {self.config.max_tokens} 个词元的上限被截断"
                        "（JIXIAO_LLM_MAX_TOKENS），这一问没有结果"
                    )
                if not text.strip():
                    raise ModelError("模型返回了空回复")
                return text
            except openai.BadRequestError as exc:
                if self._json_mode and "response_format" in str(exc):
                    self._json_mode = False  # this server has no JSON mode: ask without it
                    continue
                raise ModelError(f"模型服务不接受这次请求（{_status(exc)}）") from None
            except (
                openai.RateLimitError,
                openai.InternalServerError,
                openai.APITimeoutError,
                openai.APIConnectionError,
                ModelError,
            ) as exc:
                last = _status(exc)
            except openai.APIStatusError as exc:
                raise ModelError(f"模型服务拒绝了调用（{_status(exc)}）") from None
            if attempt < self.config.max_retries:
                self._count("retries")
                _sleep(delay)
                delay = min(delay * 2, 20.0)
        raise ModelError(
            f"模型服务 {self.config.base_url} 调用 {self.config.max_retries + 1} 次都失败（{last}）"
        )


def first_json(text: str):
    """The first JSON object or array in `text`, ignoring what comes before and after."""
    decoder = json.JSONDecoder()
    for i, ch in enumerate(text):
        if ch in "{[":
            try:
                value, _ = decoder.raw_decode(text, i)
                return value
            except json.JSONDecodeError:
                continue
    raise ValueError("the reply contains no JSON value")


def check_allowed(base_url: str) -> None:
    """Fail loudly when tests allow model calls only to other endpoints (`JIXIAO_LLM_ALLOW`)."""
    allowed = os.environ.get(ALLOW_ENV)
    if allowed is None:
        return
    if base_url not in allowed.split(","):
        raise RuntimeError(
            f"unplanned model call to {urlparse(base_url).netloc or base_url} "
            f"(tests allow only {allowed or 'none'})"
        )


def _status(exc: Exception) -> str:
    code = getattr(exc, "status_code", None)
    name = type(exc).__name__
    return f"HTTP {code}" if code else name


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:8]
        )
    return str(exc)
