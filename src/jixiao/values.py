"""The value grammar: comparator + number + unit, dates and qualitative text; money in 元.

`parse_value("≤7.2万元/年")` → Value(comparator="≤", number=7.2, unit="万元/年", kind="quantitative").
The raw text is always kept; text the grammar cannot read becomes kind `unparsed`, never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from jixiao.model import MONEY_FACTORS, Comparator, Value, in_range

# Longest spellings first so `大于等于` wins over `大于`.
_PREFIX_COMPARATORS: list[tuple[str, Comparator]] = sorted(
    [
        (">=", "≥"),
        ("≥", "≥"),
        ("≧", "≥"),
        ("=>", "≥"),
        ("大于等于", "≥"),
        ("大于或等于", "≥"),
        ("不低于", "≥"),
        ("不少于", "≥"),
        ("不小于", "≥"),
        ("至少", "≥"),
        ("达到", "≥"),
        ("<=", "≤"),
        ("≤", "≤"),
        ("≦", "≤"),
        ("=<", "≤"),
        ("小于等于", "≤"),
        ("小于或等于", "≤"),
        ("不高于", "≤"),
        ("不超过", "≤"),
        ("不多于", "≤"),
        ("不大于", "≤"),
        ("最多", "≤"),
        ("控制在", "≤"),
        ("==", "="),
        ("=", "="),
        ("═", "="),
        ("等于", "="),
        (">", ">"),
        ("大于", ">"),
        ("高于", ">"),
        ("超过", ">"),
        ("<", "<"),
        ("小于", "<"),
        ("低于", "<"),
        ("少于", "<"),
    ],
    key=lambda p: -len(p[0]),
)
_SUFFIX_COMPARATORS: list[tuple[str, Comparator]] = [
    ("及以上", "≥"),
    ("以上", "≥"),
    ("及以下", "≤"),
    ("以下", "≤"),
    ("以内", "≤"),
    ("之内", "≤"),
]

# Any comparator a value may hold, wherever it stands in the text (`每年返本不低于20%`), and ±.
COMPARATOR_WORD = re.compile(
    "|".join(re.escape(s) for s, _ in _PREFIX_COMPARATORS + _SUFFIX_COMPARATORS) + "|±"
)

# Canonical spellings of units; anything else short and digit-free is kept as written.
_UNIT_ALIASES = {
    "百分比": "%",
    "％": "%",
    "%%": "%",
    "百分点": "%",
    "万": "万元",
    "千": "千元",
    "亿": "亿元",
    "元/每人": "元/人",
    "万元/每人": "万元/人",
    "元/每件": "元/件",
    "万元/每年": "万元/年",
    "元/每年": "元/年",
    "元/每月": "元/月",
    "人/每次": "人/次",
}
KNOWN_UNITS = frozenset(
    "% 人 人次 人/次 个 件 场 次 期 项 套 台 家 户 所 篇 份 条 册 本 张 名 批 处 座 宗 起 元 万元 千元 亿元 "
    "元/人 万元/人 元/年 万元/年 元/月 万元/月 元/件 元/次 工作日 天 日 月 年 小时 分钟 平方米 亩 公里 "
    "米 千米 吨 课时 学时 期/月 次/年 次/月 场/年 万亩 万人 万人次 公顷 立方米 万立方米 km 人/天 "
    "万平方米 个/次 批次 门 村 组 单 篇/年".split()
)

_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_QUANT = re.compile(rf"^{_NUMBER}\s*(?P<unit>[^\d\s]{{0,8}}?)\s*$")
_FREQUENCY = re.compile(
    rf"^每\s*(?P<period>年|季度|季|月|周|天|日|学期)\s*(?:至少|不少于)?\s*{_NUMBER}\s*(?P<unit>[^\d\s]{{1,4}})$"
)
_DATE = re.compile(
    r"^(?:(?:\d{4}\s*年)?\s*(?:\d{1,2}|[一二三四五六七八九十]+)\s*月(?:\s*\d{1,2}\s*日|底|末|中旬|上旬|下旬)?"
    r"|\d{4}\s*年(?:底|末|内|度)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|年底|年末|年内)"
    r"\s*(?:前|之前|以前|前完成|完成|内完成|以内)?"
    # What is due by then: `12月底到位`, `12月31日前拨付到位`.
    r"(?:(?:拨付|支付|发放|资金)?到位|拨付完毕|发放完毕|完工|竣工|验收)?$"
    # A deadline counted from an event: `培训结束后1个月内`, `接到报修后24小时内`.
    r"|^.{1,12}后\d+(?:个)?(?:月|天|日|工作日|小时)(?:内|以内)(?:完成)?$"
)
# A period as the wild writes it: `2023.07-2024.01`, `2020年1月--2020年11月`, `1-12月`.
_POINT = r"(?:\d{4}(?:年|[./])\d{1,2}(?:月\d{1,2}日|月|[./]\d{1,2}日?)?|\d{4}年|\d{1,2}月(?:\d{1,2}日)?|\d{1,2})"
_DATE_RANGE = re.compile(rf"^{_POINT}(?:-{{1,2}}|—{{1,2}}|~|至|到){_POINT}(?:前|内|期间)?$")
_PLACEHOLDER = re.compile(r"\*{2,}|＊{2,}|x{2,}|X{2,}")


def parse_value(raw: str) -> Value:
    """Read comparator, number, unit and kind from a target value; keep `raw` verbatim."""
    text = _normalize(raw)
    if not text:
        return Value(raw=raw, kind="empty")
    if _DATE.match(text) or (_DATE_RANGE.match(text) and re.search(r"[年月./]", text)):
        return Value(raw=raw, kind="date")
    freq = _FREQUENCY.match(text)
    if freq and in_range(_decimal(freq["number"])):
        unit = f"{freq['unit']}/{freq['period']}"
        return Value(raw=raw, number=_decimal(freq["number"]), unit=unit, kind="quantitative")

    comparator, rest = _split_comparator(text)
    if _PLACEHOLDER.search(rest):
        return Value(raw=raw, comparator=comparator, kind="unparsed")
    quant = _QUANT.match(rest)
    if quant and not in_range(_decimal(quant["number"])):
        return Value(raw=raw, comparator=comparator, kind="unparsed")  # beyond any real target
    if quant:
        unit = canonical_unit(quant["unit"])
        if unit is None or _plausible_unit(unit):
            return Value(
                raw=raw,
                comparator=comparator,
                number=_decimal(quant["number"]),
                unit=unit,
                kind="quantitative",
            )
    if rest and canonical_unit(rest) in KNOWN_UNITS:
        return Value(raw=raw, comparator=comparator, kind="unparsed")  # template residue: `公里`
    if not re.search(r"\d", text) and comparator is None:
        return Value(raw=raw, kind="qualitative")
    return Value(raw=raw, comparator=comparator, kind="unparsed")


def compose_raw(comparator: str | None, number: str | None, unit: str | None) -> str:
    """Join split comparator / number / unit columns into one value text (`≥` `6` `人` → `≥6人`)."""
    comp = (comparator or "").strip()
    if comp in {"定性", "定量", "正向", "反向", "-", "—", "/"}:
        comp = ""
    num = (number or "").strip()
    unit = (unit or "").strip()
    if unit in {"-", "—", "/", "无"}:
        unit = ""
    if unit[:1].isdigit():
        # Not a unit but a number (an Excel date serial copied into the unit column): keep both.
        return f"{comp}{num} {unit}" if num else f"{comp}{unit}"
    if unit and num.endswith(unit):
        unit = ""
    return f"{comp}{num}{unit}"


def canonical_unit(unit: str | None) -> str | None:
    """Canonical spelling of a unit (`百分比` → `%`, `万` → `万元`, `元/每人` → `元/人`)."""
    if unit is None:
        return None
    u = unit.strip().replace("／", "/")
    if not u:
        return None
    u = _UNIT_ALIASES.get(u, u)
    base, sep, per = u.partition("/")
    if sep:
        base = _UNIT_ALIASES.get(base, base)
        per = per.removeprefix("每")
        return f"{base}/{per}"
    return u


def parse_amount(text: str, money_unit: str = "元") -> Decimal | None:
    """Read a budget cell (`1,170,000.00`, `117万元`) as 元; None when blank or not a number."""
    t = _normalize(text).replace(",", "")
    if not t:
        return None
    # `854万(高标准农田建设400万元,…)`: the amount, then its breakdown in brackets.
    t = re.sub(r"(?<=[\d元万])[(（][^()（）]*[)）]$", "", t)
    m = re.match(r"^(\d+(?:\.\d+)?)\s*(元|万元|万|千元|亿元)?$", t)
    if not m:
        return None
    unit = canonical_unit(m[2]) or money_unit
    try:
        amount = Decimal(m[1]) * MONEY_FACTORS[unit]
    except (InvalidOperation, KeyError):
        return None
    return amount if in_range(amount) else None


def _normalize(raw: str) -> str:
    # NFKC folds full-width digits, ％ ＞ ＝ and ideographic spaces; ═ and ≧ need explicit help.
    t = unicodedata.normalize("NFKC", raw).replace("═", "=").replace("≧", "≥").replace("≦", "≤")
    t = t.replace("，", ",").strip()
    return re.sub(r"\s+", "", t)


def _split_comparator(text: str) -> tuple[Comparator | None, str]:
    found: Comparator | None = None
    for spelling, comp in _PREFIX_COMPARATORS:
        if text.startswith(spelling):
            found, text = comp, text[len(spelling) :]
            break
    # `90%以上`, and `控制在5万元以内` where the prefix and the suffix say the same thing.
    for spelling, comp in _SUFFIX_COMPARATORS:
        if text.endswith(spelling):
            return found or comp, text[: -len(spelling)]
    return found, text


def _plausible_unit(unit: str) -> bool:
    if unit in KNOWN_UNITS:
        return True
    # Short units we have not listed (`人/次`, `所`, `万人次`) are still units; punctuation is not,
    # except a unit with its alternative in brackets (`台（套）`).
    if re.fullmatch(r"[^\d\s()（）]{1,3}[(（][^\d\s()（）]{1,3}[)）]", unit):
        return True
    return len(unit) <= 5 and not re.search(r"[,.;:!?、。；：！？()（）]", unit)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


_DATE_SERIAL = re.compile(r"[1-9]\d,?\d{3}")


def excel_serial(raw: str) -> tuple[str, date] | None:
    """`44,561` → ("44,561", 2021-12-31): a date Excel kept as its serial number (2000–2050) and
    a file shows as a number, also after a comparator and written again where the unit was to
    be (`=44,561 44,561`). Whether a number is a date is the caller's reading (a deadline's)."""
    tokens = set(raw.strip().lstrip("=＝≥≤<>").split())
    if len(tokens) != 1:
        return None
    [serial] = tokens
    if not _DATE_SERIAL.fullmatch(serial) or not 36526 <= int(serial.replace(",", "")) <= 55153:
        return None
    return serial, date(1899, 12, 30) + timedelta(days=int(serial.replace(",", "")))
