"""The seed library: 14 real tables of one district justice bureau, shipped with the package."""

from __future__ import annotations

from functools import cache
from importlib import resources

from jixiao.model import Table
from jixiao.readers.text import read_text

SEED_FILE = "000_33e3c13fb73fd403.txt"


@cache
def _seed() -> tuple[Table, ...]:
    text = resources.files("jixiao").joinpath("data/seed", SEED_FILE).read_text(encoding="utf-8")
    return tuple(read_text(text, f"seed/{SEED_FILE}"))


def load_seed() -> list[Table]:
    """The seed tables, freshly copied so callers may change them."""
    return [t.model_copy(deep=True) for t in _seed()]
