"""Configuration, in one place: environment variables JIXIAO_*."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOME = Path.home() / ".jixiao"


def home() -> Path:
    """Where the library, the index and caches live: $JIXIAO_HOME, default ~/.jixiao."""
    return Path(os.environ.get("JIXIAO_HOME") or DEFAULT_HOME).expanduser()


def chroma_url() -> str | None:
    """A Chroma server (`http://127.0.0.1:8000`) to use instead of the embedded store."""
    return os.environ.get("JIXIAO_CHROMA_URL") or None
