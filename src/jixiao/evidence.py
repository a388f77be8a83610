"""The evidence check every model output passes: a quote is believed only where it occurs in the
text it claims to come from (whitespace aside). Model review and the assistant share it."""

from __future__ import annotations

import re
import unicodedata


def occurs(quote: str, text: str) -> bool:
    """Whether `quote` occurs in `text`, ignoring whitespace and full-/half-width differences;
    an empty quote occurs nowhere."""
    needle = _norm(quote)
    return bool(needle) and needle in _norm(text)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
