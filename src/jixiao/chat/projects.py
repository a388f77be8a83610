"""Questions across projects: which match the conditions (unit, year, a review finding, a category
they lack or have, a budget range, a name they share), how many, their total, the highest."""

from __future__ import annotations

from jixiao.catalogue import CATALOGUE
from jixiao.chat import render, sources
from jixiao.chat.categories import NAMES
from jixiao.chat.intent import Intent
from jixiao.chat.render import Reply
from jixiao.chat.tool_io import Aggregate, FindTables, ReviewTable
from jixiao.chat.transcript import Transcript
from jixiao.chat.views import cite_field, cite_row, rows_saying
from jixiao.model import Table

LIMIT = 30  # projects listed one per line; a longer list says how many it left out


def across_projects(
    calls: Transcript,
    it: Intent,
    named: list[Table],
    units: list[str],
    base: list[str] | None,
) -> Reply:
    """List, count, sum or rank the projects the question's conditions select."""
    c = it.conditions
    row = c.row
    if row and (named_units := calls.tools.names.units_spelled(row)):
        units, row = named_units, None  # 单位名称里带“六安市”: a unit, not a row's words
        c.row = None
    ids = base or ([t.id for t in named] if named and not units else None)
    args = FindTables(
        units=units or None,
        year=c.year,
        finding=c.findings[0] if c.findings else None,
        lacks=c.lacks[0] if c.lacks else None,
        has=c.has[0] if c.has else None,
        row_has=row,
        budget_above=c.above,
        budget_below=c.below,
        table_ids=ids,
        k=500,
    )
    found = calls.call("find_tables", args)
    tables = [calls.tools.table(b.table_id) for b in found.tables]
    if not tables:
        cited = [cite_field(t, "project") for t in named]
        text = f"资料库中没有{describe(it, units, False)}的项目。"
        refused = bool(c.year or (units and not c.any()))  # the library lacks them, not a defect
        return Reply(text, cited, "refusal" if refused else "answer", refused)
    what = describe(it, units)
    listed = [t.id for t in tables]
    if it.count_indicators:
        key = it.categories[0] if it.categories else None
        agg = calls.call(
            "aggregate", Aggregate(op="count", of="rows", table_ids=listed, category=key)
        )
        title = NAMES[key] if key else "指标"
        head = f"{what}的{found.computed[0]}项目共有{agg.text}{title}："
        lines = [f"- {i.name}：{i.text}" for i in agg.items]
        return Reply("\n".join([head, *lines]), agg.cited, listed=listed)
    of = next((f for f in it.fields if f.startswith("budget")), "budget_total")
    if it.total or it.extreme:
        return _aggregate(calls, it, tables, of, what, listed)
    head = f"{what}的项目共{found.computed[0]}："
    if c.findings:
        body, cited = _with_findings(calls, tables, c.findings[0])
    elif row:
        body, cited = _with_rows(tables, row, c.has[0] if c.has else None)
    else:
        body, cited = render.tables_list(tables[:LIMIT], of)
        if c.year:
            cited += [cite_field(t, "year") for t in tables[:LIMIT]]
    more = "\n（另有未列出的项目，请加条件缩小范围。）" if len(tables) > LIMIT else ""
    return Reply(f"{head}\n{body}{more}", cited, listed=listed)


def _aggregate(
    calls: Transcript, it: Intent, tables: list[Table], of: str, what: str, listed: list[str]
) -> Reply:
    op = "sum" if it.total else it.extreme or "max"
    agg = calls.call("aggregate", Aggregate(op=op, of=of, table_ids=listed))
    label = sources.FIELDS[of]
    if op == "sum":
        count = next((x for x in agg.computed if x.endswith("个")), "")
        head = f"{what}的{count}项目{label}合计{agg.text}："
        unknown = [i.name for i in agg.items if i.value is None]
        lines = [f"- {i.name}：{i.text}" for i in agg.items if i.value is not None]
        if unknown:
            lines.append("未填" + label + "、未计入：" + "、".join(unknown))
        return Reply("\n".join([head, *lines]), agg.cited, listed=listed)
    word = "最高" if op == "max" else "最低"
    picked = [c for c in agg.cited if agg.text.startswith(c.citation.title)][:1]
    focus = [c.citation.table_id for c in picked]
    text = f"{what}的项目中{label}{word}的是{agg.text}。"
    return Reply(text, picked or agg.cited, focus=focus, listed=listed)


def _with_findings(calls: Transcript, tables: list[Table], code: str) -> render.Block:
    """Each table with the rows the finding is about, and its budget."""
    lines, cited = [], []
    for t in tables[:LIMIT]:
        outcome = calls.call("review_table", ReviewTable(table_id=t.id, min_severity="info"))
        rows = [f.row for f in outcome.findings if f.code == code]
        budget = sources.field_lines(t).get("budget_total", "预算数：未填")
        lines.append(f"- {sources.table_name(t)}：" + budget.replace("：", " ", 1))
        cited.append(cite_field(t, "budget_total"))
        for n in dict.fromkeys(r for r in rows if r):
            lines.append("  " + render.row_line(t, n))
            cited.append(cite_row(t, n))
    return "\n".join(lines), cited


def _with_rows(tables: list[Table], text: str, category: str | None) -> render.Block:
    """Each table with its rows that say `text`."""
    lines, cited = [], []
    for t in tables[:LIMIT]:
        lines.append(f"- {sources.table_name(t)}")
        for n in rows_saying(t, text, category):
            lines.append("  " + render.row_line(t, n))
            cited.append(cite_row(t, n))
    return "\n".join(lines), cited


def describe(it: Intent, units: list[str], year: bool = True) -> str:
    """The conditions in words; the year only where the tables found state it (an answer states
    no figure it cannot cite), the budget bound never."""
    c = it.conditions
    parts = []
    if units:
        parts.append("、".join(units))
    if c.year:
        parts.append(f"{c.year}年" if year else "问题所说年度")
    if c.findings:
        parts.append(f"有“{CATALOGUE[c.findings[0]].title}”问题")
    parts += [f"没有{NAMES[k]}" for k in c.lacks[:1]]
    parts += [f"有{NAMES[k]}" for k in c.has[:1] if not c.row]
    if c.row:
        kind = NAMES[c.has[0]] if c.has else "指标"
        parts.append(f"{kind}写明“{render.without_figures(c.row) or '所问数值'}”")
    if c.above is not None:
        parts.append("预算数高于所问金额")
    if c.below is not None:
        parts.append("预算数低于所问金额")
    return "、".join(parts) if parts else "资料库中"
