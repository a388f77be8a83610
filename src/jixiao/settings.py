"""Configuration, in one place: every setting, its environment variable and its default.

Front ends build one `Settings` (from the environment, or given by a test) and hand it to the
`Workspace`; nothing else reads the environment for configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from jixiao.errors import JixiaoError

DEFAULT_HOME = Path.home() / ".jixiao"

# field: (environment variables, first set wins; what it is) — the README's table is this one.
VARIABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "home": (("JIXIAO_HOME",), "where the library, the index, caches and logs live"),
    "chroma_url": (("JIXIAO_CHROMA_URL",), "a Chroma server instead of the embedded store"),
    "embed_url": (
        ("JIXIAO_EMBED_URL",),
        "an OpenAI-compatible embeddings endpoint (…/v1) serving multilingual-e5, instead of "
        "the bundled model",
    ),
    "embed_model": (("JIXIAO_EMBED_MODEL",), "the model name at that endpoint"),
    "embed_api_key": (("JIXIAO_EMBED_API_KEY",), "its key, if it needs one"),
    "llm_base_url": (
        ("JIXIAO_LLM_BASE_URL", "OPENAI_BASE_URL"),
        "an OpenAI-compatible endpoint; unset: offline",
    ),
    "llm_model": (("JIXIAO_LLM_MODEL", "OPENAI_MODEL"), "the model name at that endpoint"),
    "llm_api_key": (("JIXIAO_LLM_API_KEY", "OPENAI_API_KEY"), "its key, if it needs one"),
    "llm_timeout": (("JIXIAO_LLM_TIMEOUT",), "seconds to wait for one model reply"),
    "llm_retries": (("JIXIAO_LLM_RETRIES",), "retries of a failed model call, with backoff"),
    "llm_concurrency": (("JIXIAO_LLM_CONCURRENCY",), "model calls at once (1 for a local server)"),
    "llm_max_tokens": (
        ("JIXIAO_LLM_MAX_TOKENS",),
        "the longest reply a model may write, in tokens; a longer one is cut there and that "
        "table is reported (a local server does not stop a reply nobody waits for)",
    ),
    "llm_review": (
        ("JIXIAO_LLM_REVIEW",),
        "how the model reviews a table: checklist (one prompt per table, for a strong model) or "
        "questions (one narrow question per judgement code, with labeled examples, for a small "
        "local model)",
    ),
    "llm_tools": (
        ("JIXIAO_LLM_TOOLS",),
        "how the assistant's model calls tools: auto (tool calling; a JSON plan when the endpoint "
        "refuses tools) or json (always a JSON plan, for servers without tool calling)",
    ),
}


class SettingsError(JixiaoError):
    """A setting with a value jixiao cannot use."""

    code = "bad_setting"


class Settings(BaseModel):
    """Everything configurable, with its default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    home: Path = DEFAULT_HOME
    chroma_url: str | None = None
    embed_url: str | None = None
    embed_model: str = "intfloat/multilingual-e5-small"
    embed_api_key: SecretStr = SecretStr("not-needed")
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_timeout: float = 120.0
    llm_retries: int = 3
    llm_concurrency: int = 4
    llm_max_tokens: int = Field(default=1024, ge=16)
    llm_review: Literal["checklist", "questions"] = "checklist"
    llm_tools: Literal["auto", "json"] = "auto"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from JIXIAO_* (and the standard OPENAI_*) variables; defaults for the rest."""
        env = os.environ if env is None else env
        values = {}
        for name, (variables, _) in VARIABLES.items():
            value = next((env[v] for v in variables if env.get(v)), None)
            if value is not None:
                values[name] = value
        try:
            settings = cls(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0])
            var = VARIABLES[name][0][0]
            need = {
                "float_parsing": "应为数字",
                "int_parsing": "应为整数",
                "literal_error": "应为 "
                + str(first.get("ctx", {}).get("expected", ""))
                .replace("'", "")
                .replace(" or ", " 或 "),
                "greater_than_equal": f"应不小于 {first.get('ctx', {}).get('ge', '')}",
            }.get(first["type"], "格式不对")
            raise SettingsError(f"环境变量 {var} 的值“{values.get(name)}”不可用：{need}") from None
        return settings.model_copy(update={"home": settings.home.expanduser()})

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def model_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
