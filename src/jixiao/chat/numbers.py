"""Numbers as an answer states them: money written exactly from the table, and the figures a text
contains, read back so a check can ask where each one came from.

Money is compared in 元 (`541900元` is `54.19万元`); any other figure by its value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model import MONEY_FACTORS
from jixiao.values import KNOWN_UNITS, canonical_unit

WAN = MONEY_FACTORS["万元"]
# Longest first, so `万元/年` is read before `万元` and `人次` before `人`.
_UNITS = sorted(KNOWN_UNITS | set(MONEY_FACTORS) | {"万"}, key=lambda u: -len(u))
_TOKEN = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d])")


@dataclass(frozen=True)
class Figure:
    """One number in a text: as written (with its unit), its value, its unit, and its value in
    元 when the unit is money."""

    text: str
    number: Decimal
    unit: str
    yuan: Decimal | None
    after: str = ""  # the text right after the number (a few characters)


def figures(text: str) -> list[Figure]:
    """Every number in `text` with the unit written right after it (the longest known unit, or
    none), and its value in 元 when that unit is money."""
    t = unicodedata.normalize("NFKC", text)
    out = []
    for m in _TOKEN.finditer(t):
        after = t[m.end() : m.end() + 8].lstrip(" ")
        unit = next((u for u in _UNITS if after.startswith(u)), "")
        number = Decimal(m[1])
        base = canonical_unit(unit.split("/", 1)[0]) or ""  # a bare 万 is 万元, as in values
        yuan = number * MONEY_FACTORS[base] if base in MONEY_FACTORS else None
        out.append(Figure(m[1] + unit, number, unit, yuan, after))
    return out


def wan(yuan: Decimal) -> str:
    """An amount in 元 as 万元, exact, without trailing zeros: 541900 → `54.19`."""
    return format((yuan / WAN).normalize(), "f")


def money(yuan: Decimal | None, money_unit: str = "元") -> str:
    """An amount as the table states it, with the other unit beside it where it is short:
    `541900.00元（54.19万元）`; a table kept in 万元 first in 万元: `164万元（1640000.00元）`."""
    if yuan is None:
        return "未填"
    in_yuan = f"{yuan.quantize(Decimal('0.01'))}元"
    in_wan = f"{wan(yuan)}万元"
    short = len(in_wan.split(".", 1)[1]) <= 6 if "." in in_wan else True  # ≤ 4 decimals
    if money_unit == "万元":
        return f"{in_wan}（{in_yuan}）"
    return f"{in_yuan}（{in_wan}）" if short else in_yuan


def supports(source: Figure, stated: Figure) -> bool:
    """Whether a figure of a source supports one an answer states: money by its value in 元
    (`541900.00元` supports `54.19万元`), any other figure by its value."""
    if stated.yuan is not None:
        return source.yuan == stated.yuan
    return source.number == stated.number
