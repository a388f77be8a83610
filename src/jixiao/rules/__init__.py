"""Deterministic review: every checkable defect of DOMAIN.md §4, one small rule per code, and the
reviewer's note `check_not_run` (rules/notes.py) on checks a missing field kept from running.

`check(table)` runs every registered rule on one table; findings come in a stable order.
"""

from __future__ import annotations

from jixiao.catalogue import NOTES
from jixiao.model import Finding, Table
from jixiao.rules import cost, facts, goals, notes, structure, values, wording  # noqa: F401  (registers the rules)
from jixiao.rules._context import (
    FRAMEWORKS,
    Context,
    canonical_level1,
    canonical_level2,
    squash,
    squashed_pairs,
)
from jixiao.rules._registry import RULES, Rule

CODES = {r.code: r for r in RULES}
# In registration order, the reviewer's notes (check_not_run) after the defects.
_ORDER = {r.code: i for i, r in enumerate(sorted(RULES, key=lambda r: r.code in NOTES))}


def check(table: Table, rules: list[Rule] | None = None) -> list[Finding]:
    """All rule findings for one table: whole-table findings first, then by row and rule."""
    ctx = Context(table)
    found = [f for r in (rules or RULES) for f in r.check(ctx)]
    found.sort(key=lambda f: (-1 if f.row is None else f.row, _ORDER[f.code]))
    return found


def framework_of(table: Table) -> str:
    """`2021` when 成本 is a level 1 of the table, else `classic` (DOMAIN.md §2)."""
    return Context(table).framework


__all__ = [
    "CODES",
    "FRAMEWORKS",
    "RULES",
    "Rule",
    "canonical_level1",
    "canonical_level2",
    "check",
    "framework_of",
    "squash",
    "squashed_pairs",
]
