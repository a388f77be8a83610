"""How a table appears in tool results: its brief, its rows, citations of a field or a row,
and which rows a few words (or a figure) point at."""

from __future__ import annotations

import re

from jixiao.chat import categories, sources
from jixiao.chat.answer import Cited
from jixiao.chat.names import pairs
from jixiao.chat.numbers import figures
from jixiao.chat.tool_io import RowView, TableBrief
from jixiao.model import Table


def brief(t: Table) -> TableBrief:
    return TableBrief(
        table_id=t.id,
        name=sources.table_name(t),
        project=t.project,
        unit=t.unit_name,
        year=year_of(t),
        budget_total=t.budget_total,
        money_unit=t.money_unit,
        indicators=len(t.indicators),
    )


def row_view(t: Table, n: int) -> RowView:
    ind = t.indicators[n - 1]
    return RowView(
        row=n,
        level1=ind.level1,
        level2=ind.level2,
        name=ind.name,
        description=ind.description,
        value=ind.value.raw,
        midterm=ind.midterm.raw if ind.midterm else None,
        weight=f"{ind.weight.normalize():f}" if ind.weight is not None else None,
    )


def cite_row(t: Table, n: int) -> Cited:
    return Cited(
        citation=sources.cite_row(t, n),
        label=sources.label(t, n),
        quote=sources.row_text(t.indicators[n - 1]),
    )


def cite_field(t: Table, name: str) -> Cited:
    """A citation of one field of a table (its line, as `sources.field_lines` writes it)."""
    lines = sources.field_lines(t)
    quote = lines.get(name) or lines.get("project") or lines.get("unit", "")
    return Cited(citation=sources.cite_table(t), label=sources.label(t, field=name), quote=quote)


_UNIT_HINTS = {
    "场": "场",
    "人": "人",
    "次": "次",
    "个": "个",
    "件": "件",
    "率": "%",
    "%": "%",
    "钱": "元",
    "费": "元",
    "天": "天",
    "期": "期",
    "篇": "篇",
}


def best_rows(t: Table, query: str, k: int = 3) -> list[int]:
    """The rows whose name (and description) share the most of `query`'s character pairs, a
    unit the query hints at (`多少场` → 场) breaking ties; none when nothing is shared."""
    q = pairs(query)
    hinted = {u for w, u in _UNIT_HINTS.items() if w in query}
    scored = []
    for n, ind in enumerate(t.indicators, start=1):
        name = pairs(ind.name)
        shared = len(q & name) + 0.5 * len(q & pairs(ind.description) - name)
        unit = ind.value.unit or ""
        hint = (
            0.5
            if hinted and any(h in unit or (h == "元" and ind.value.yuan) for h in hinted)
            else 0.0
        )
        if shared:
            scored.append((shared + hint, n))
    scored.sort(key=lambda x: (-x[0], x[1]))
    if not scored:
        return []
    top = scored[0][0]
    return [n for s, n in scored[:k] if s >= 0.75 * top]


def rows_saying(t: Table, text: str, category: str | None = None) -> list[int]:
    """The rows (of `category`, when given) whose name, description or value says `text`: a
    figure (`80%`) by its number and unit in the value, anything else as a substring."""
    wanted = figures(text)
    rows = categories.rows_in(t, category) if category else range(1, len(t.indicators) + 1)
    out = []
    for n in rows:
        ind = t.indicators[n - 1]
        if len(wanted) == 1 and wanted[0].text == text.strip():
            said = figures(ind.value.raw)
            hit = any(f.number == wanted[0].number and f.unit == wanted[0].unit for f in said)
        else:
            hit = any(text in x for x in (ind.name, ind.description, ind.value.raw))
        if hit:
            out.append(n)
    return out


def year_of(t: Table) -> int | None:
    if t.year:
        return t.year
    m = re.match(r"^(20\d\d)年?", t.project)
    return int(m[1]) if m else None
