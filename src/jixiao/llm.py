"""The only module that talks to a language model: any OpenAI-compatible chat endpoint.

Structured output is JSON mode + a pydantic model: the first JSON value in the reply is parsed
(small models keep talking after it), validated, and on failure the validation errors go back to
the model for a bounded number of repairs; what still fails is reported with the last raw reply.
Calls are retried with backoff on 429/5xx and time-outs, cached in SQLite (errors never), and
limited in concurrency by the caller's thread pool. API keys never appear in messages or logs.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urlparse

from pydantic import BaseModel, SecretStr, ValidationError

from jixiao.llm_cache import CallCache
from jixiao.prompts import Prompt
from jixiao.prompts import load as load_prompt

T = TypeVar("T", bound=BaseModel)
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

    @property
    def label(self) -> str:
        return f"{self.model} @ {self.base_url}"


def config_from_env() -> ModelConfig | None:
    """The endpoint from JIXIAO_LLM_* (or the standard OPENAI_* variables); None: offline."""
    env = os.environ
    base_url = env.get("JIXIAO_LLM_BASE_URL") or env.get("OPENAI_BASE_URL")
    model = env.get("JIXIAO_LLM_MODEL") or env.get("OPENAI_MODEL")
    if not base_url or not model:
        return None
    key = env.get("JIXIAO_LLM_API_KEY") or env.get("OPENAI_API_KEY") or "not-needed"
    tuning = {
        name: kind(env[var])
        for name, var, kind in (
            ("timeout", "JIXIAO_LLM_TIMEOUT", float),
            ("concurrency", "JIXIAO_LLM_CONCURRENCY", int),
            ("max_retries", "JIXIAO_LLM_RETRIES", int),
        )
        if env.get(var)
    }
    return ModelConfig(base_url=base_url, model=model, api_key=SecretStr(key), **tuning)


class ModelError(Exception):
    """A model call that failed for good; one sentence, never the key."""


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


@dataclass
class LLM:
    config: ModelConfig
    cache: CallCache | None = None
    use_cache: bool = True
    max_repairs: int = 2
    stats: dict[str, int] = field(default_factory=lambda: {"calls": 0, "cached": 0, "retries": 0})

    def __post_init__(self) -> None:
        from openai import OpenAI

        # Retries are ours (logged, counted, with backoff); the SDK's are turned off.
        self._client = OpenAI(
            base_url=self.config.base_url,
            api_key=self.config.api_key.get_secret_value(),
            timeout=self.config.timeout,
            max_retries=0,
        )
        self._json_mode = True

    def complete(self, messages: list[dict[str, str]], **params) -> tuple[str, bool]:
        """The reply text for `messages` (from the cache when allowed); (text, cached)."""
        _check_allowed(self.config.base_url)
        params = {"temperature": 0, **params}
        key = None
        if self.cache is not None:
            key = self.cache.key(self.config.base_url, self.config.model, messages, params)
            if self.use_cache and (hit := self.cache.get(key)) is not None:
                self.stats["cached"] += 1
                return hit, True
        text = self._call_with_retries(messages, params)
        if self.cache is not None and key is not None:
            self.cache.put(key, text)
        return text, False

    def structured(self, prompt: Prompt, schema: type[T], **variables: str) -> Structured[T]:
        """Ask with `prompt`, parse and validate into `schema`, repairing a bounded number of
        times; never raises for a bad reply (the result says what went wrong)."""
        messages = [{"role": "user", "content": prompt.render(**variables)}]
        schema_text = json.dumps(schema.model_json_schema(), ensure_ascii=False)
        result: Structured[T] = Structured(None, "", prompt.label)
        repair = load_prompt("repair")
        for attempt in range(self.max_repairs + 1):
            try:
                raw, cached = self.complete(messages, schema=schema_text)
            except ModelError as exc:
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

    def _call_with_retries(self, messages: list[dict[str, str]], params: dict) -> str:
        import openai

        # The schema is part of the cache key, not of the request (JSON mode carries no schema).
        params = {k: v for k, v in params.items() if k != "schema"}
        delay = 1.0
        last = ""
        for attempt in range(self.config.max_retries + 1):
            try:
                self.stats["calls"] += 1
                extra = {"response_format": {"type": "json_object"}} if self._json_mode else {}
                reply = self._client.chat.completions.create(
                    model=self.config.model, messages=messages, **params, **extra
                )
                text = (reply.choices[0].message.content or "") if reply.choices else ""
                if not text.strip():
                    raise ModelError("the model returned an empty reply")
                return text
            except openai.BadRequestError as exc:
                if self._json_mode and "response_format" in str(exc):
                    self._json_mode = False  # this server has no JSON mode: ask without it
                    continue
                raise ModelError(
                    f"the model endpoint rejected the request ({_status(exc)})"
                ) from None
            except (
                openai.RateLimitError,
                openai.InternalServerError,
                openai.APITimeoutError,
                openai.APIConnectionError,
                ModelError,
            ) as exc:
                last = _status(exc)
            except openai.APIStatusError as exc:
                raise ModelError(f"the model endpoint refused the call ({_status(exc)})") from None
            if attempt < self.config.max_retries:
                self.stats["retries"] += 1
                _sleep(delay)
                delay = min(delay * 2, 20.0)
        raise ModelError(
            f"the model endpoint {self.config.base_url} failed "
            f"{self.config.max_retries + 1} times ({last})"
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


def _check_allowed(base_url: str) -> None:
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
