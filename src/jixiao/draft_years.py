"""Moving a table's years to next year: `2023年12月31日前`, `2023.07-2024.01`, `2023-2025年`
and `2023年度` move; `≥2023人次`, `2023元` and `财预〔2015〕88号` do not.

A four-digit number is a year when its context says so (年 after it, a month after a dot or
dash, another year across a range sign) and it lies near the table's year (one year before to
three after): `自2015年以来` and `2035年远景目标` stay as written.
"""

from __future__ import annotations

import re
from collections import Counter

from jixiao.model import Table

WINDOW = (-1, 3)  # the years that move, relative to the table's year
_CANDIDATE = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?![\d,])")
_COMPARATOR = re.compile(
    r"(?:[≥≤<>=＞＜≧≦═]|大于|小于|不少于|不低于|不超过|不高于|约|共|计|达)\s*$"
)
_DATE_AFTER = re.compile(
    r"^(?:\s*年|[./-](?:0?[1-9]|1[0-2])(?!\d)|\s*(?:-{1,2}|—{1,2}|~|至|到)\s*(?:19|20)\d{2})"
)
_RANGE_BEFORE = re.compile(
    r"(?:19|20)\d{2}(?:年|[./-]\d{1,2}(?:[./-]\d{1,2})?)?\s*(?:-{1,2}|—{1,2}|~|至|到)\s*$"
)
# After a year written alone (`2025金安国际网球公开赛`), what would make it a count instead.
_UNIT_AFTER = re.compile(
    r"^\s*(?:%|％|人|次|个|件|场|元|万|千|亿|平|亩|公|米|吨|台|套|户|所|份|条|册|本|张|名|批|处|座|宗|"
    r"起|项|期|篇|课|学|天|日|月|小|分|只|单|门|村|组|家|种|株|棵|km|m|多|余)"
)


def year_spans(text: str, year: int | None, alone: bool = True) -> list[tuple[int, int, int]]:
    """(start, end, year) of every year in `text` that moves with the table's `year`; `alone`:
    whether a year may stand without 年 or a date beside it (not in a value, where `2023` alone
    is as likely a count)."""
    spans = []
    for m in _CANDIDATE.finditer(text):
        found = int(m[1])
        if year is not None and not WINDOW[0] <= found - year <= WINDOW[1]:
            continue
        before, after = text[: m.start()], text[m.end() :]
        if before.rstrip().endswith(("〔", "[", "［", "【", "（", "(")) and after.startswith(
            ("〕", "]", "］", "】", "）", ")")
        ):
            continue  # a document number: 财预〔2021〕101号
        if _DATE_AFTER.match(after) or _RANGE_BEFORE.search(before):
            spans.append((m.start(), m.end(), found))
        elif _COMPARATOR.search(before):
            continue  # `≥2023人次`, `共2023个`: a count
        elif alone and year is not None and not _UNIT_AFTER.match(after):
            spans.append((m.start(), m.end(), found))  # `2025金安国际网球公开赛`, `2024`
    return spans


def shift_text(text: str, year: int | None, delta: int, alone: bool = True) -> str:
    """`text` with every year that moves shifted by `delta`."""
    if not delta or not text:
        return text
    out, last = [], 0
    for start, end, found in year_spans(text, year, alone):
        out += [text[last:start], str(found + delta)]
        last = end
    return "".join(out) + text[last:]


def table_texts(table: Table) -> list[str]:
    """Every text of a table that may name a year."""
    texts = [table.title, table.project, table.purpose, *table.goals]
    for ind in table.indicators:
        texts += [ind.name, ind.description, ind.value.raw]
        texts += [*ind.breakdown, *ind.breakdown.values()]
        if ind.midterm is not None:
            texts.append(ind.midterm.raw)
    return texts


def infer_year(table: Table) -> int | None:
    """The table's year, or the year its texts name most (as dates), or None."""
    if table.year is not None:
        return table.year
    seen = Counter(
        found
        for text in table_texts(table)
        for m in re.finditer(r"((?:19|20)\d{2})\s*年", text)
        if 1990 <= (found := int(m[1])) <= 2100
    )
    return max(seen, key=lambda y: (seen[y], -y)) if seen else None
