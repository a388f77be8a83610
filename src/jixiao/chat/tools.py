"""The assistant's tools over the typed library: find tables, read a table or a row, aggregate,
search, review. Plain methods taking and returning the pydantic models of `chat.tool_io`, every
result citing its sources; `chat.transcript.TOOLS` lists them by name for a model's tool loop (and
a langchain wrapper).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jixiao.catalogue import CATALOGUE
from jixiao.chat import categories, sources
from jixiao.chat.answer import Cited
from jixiao.chat.names import Names
from jixiao.chat.numbers import figures, money
from jixiao.chat.tool_io import (
    AggItem,
    Aggregate,
    AggregateResult,
    FindingView,
    FindTables,
    Passage,
    ReadRow,
    ReadTable,
    ReviewOutcome,
    ReviewTable,
    RowList,
    Search,
    SearchResult,
    TableList,
    TableView,
)
from jixiao.chat.views import (
    best_rows,
    brief,
    cite_field,
    cite_row,
    row_view,
    rows_saying,
    year_of,
)
from jixiao.errors import NotFound
from jixiao.model import SEVERITIES, Finding, Table
from jixiao.policy import Chunk
from jixiao.retrieval import Retriever

Reviewer = Callable[[list[Table]], list[Finding]]


class Tools:
    """The tools over one library's tables, policy passages, retriever and reviewer."""

    def __init__(
        self,
        tables: list[Table],
        chunks: list[Chunk],
        retriever: Retriever | None = None,
        reviewer: Reviewer | None = None,
        units: list[str] | None = None,
    ) -> None:
        self.tables = tables
        self.units = units  # the retriever's unit filter, when the caller limited the units
        self.sources = sources.Sources(tables, chunks)
        self.names = Names(tables)
        self.retriever = retriever
        self.reviewer = reviewer
        self._findings: dict[str, list[Finding]] | None = None

    def table(self, table_id: str) -> Table:
        t = self.sources.tables.get(table_id)
        if t is None:
            raise NotFound(f"资料库中没有编号为 {table_id} 的表")
        return t

    # --- the tools -------------------------------------------------------------------------

    def find_tables(self, args: FindTables) -> TableList:
        found = [t for t in self.tables if args.table_ids is None or t.id in args.table_ids]
        result = TableList()
        if args.name:
            match = self.names.match(args.name)
            result.unexplained, result.by_unit = match.unexplained, match.by_unit
            ids = {t.id for t in match.tables} if not match.unexplained else set()
            found = [t for t in found if t.id in ids]
            if not ids:
                result.near = match.close or self.names.close(args.name)
        if args.unit:
            found = [t for t in found if args.unit in t.unit_name]
        if args.units:
            found = [t for t in found if t.unit_name in args.units]
        if args.year:
            found = [t for t in found if year_of(t) == args.year]
        if args.finding:
            found = [t for t in found if any(f.code == args.finding for f in self.findings(t))]
        if args.lacks:
            found = [t for t in found if not categories.rows_in(t, args.lacks)]
        if args.has:
            found = [t for t in found if categories.rows_in(t, args.has)]
        if args.row_has:
            found = [t for t in found if rows_saying(t, args.row_has, args.has)]
        if args.budget_above is not None:
            found = [t for t in found if (t.budget_total or 0) > args.budget_above]
        if args.budget_below is not None:
            found = [
                t
                for t in found
                if t.budget_total is not None and t.budget_total < args.budget_below
            ]
        if args.text and self.retriever is not None:
            hits = self.retriever.search(args.text, kind=None, units=self.units, k=args.k)
            order = [i for i in dict.fromkeys(str(h.meta.get("table_id", "")) for h in hits) if i]
            keep = {t.id: t for t in found}
            found = [keep[i] for i in order if i in keep]
        result.tables = [brief(t) for t in found[: args.k]]
        result.cited = [cite_field(t, "project") for t in found[: args.k]]
        result.computed = [f"{len(found)}个"]
        result.summary = f"找到 {len(found)} 张表"
        return result

    def read_table(self, args: ReadTable) -> TableView:
        t = self.table(args.table_id)
        lines = sources.field_lines(t)
        wanted = args.fields or list(lines)
        view = TableView(table=brief(t))
        for name in wanted:
            if name in lines:
                view.fields[name] = lines[name].split("：", 1)[1]
                view.cited.append(cite_field(t, name))
        if args.rows:
            rows = (
                categories.rows_in(t, args.category)
                if args.category
                else range(1, len(t.indicators) + 1)
            )
            for n in rows:
                view.rows.append(row_view(t, n))
                view.cited.append(cite_row(t, n))
        view.summary = (
            f"{sources.table_name(t)}：{len(view.fields)} 个字段，{len(view.rows)} 个指标行"
        )
        return view

    def read_row(self, args: ReadRow) -> RowList:
        t = self.table(args.table_id)
        if args.row is not None:
            if args.row > len(t.indicators):
                raise NotFound(f"{sources.table_name(t)} 只有 {len(t.indicators)} 个指标行")
            rows = [args.row]
        else:
            rows = best_rows(t, args.query or "", args.k)
        out = RowList(table=brief(t), rows=[row_view(t, n) for n in rows])
        out.cited = [cite_row(t, n) for n in rows]
        out.summary = f"{sources.table_name(t)}：{len(rows)} 个指标行"
        return out

    def aggregate(self, args: Aggregate) -> AggregateResult:
        tables = [self.table(i) for i in args.table_ids]
        out = AggregateResult(op=args.op, of=args.of)
        for t in tables:
            if args.of in ("rows", "tables"):
                rows = (
                    categories.rows_in(t, args.category)
                    if args.category
                    else list(range(1, len(t.indicators) + 1))
                )
                value: Decimal | None = Decimal(len(rows)) if args.of == "rows" else Decimal(1)
                text = f"{len(rows)}个" if args.of == "rows" else sources.table_name(t)
                out.cited += (
                    [cite_row(t, n) for n in rows]
                    if args.of == "rows"
                    else [cite_field(t, "project")]
                )
            else:
                value = getattr(t, args.of)
                text = money(value, t.money_unit)
                out.cited.append(cite_field(t, args.of))
            out.items.append(
                AggItem(table_id=t.id, name=sources.table_name(t), value=value, text=text)
            )
        _combine(out, tables)
        return out

    def search(self, args: Search) -> SearchResult:
        out = SearchResult()
        if self.retriever is None:
            return out
        for hit in self.retriever.search(args.query, kind=args.kind, units=self.units, k=args.k):
            c = hit.citation
            text = self.sources.text(c)
            if text is None:
                continue  # the index is ahead of or behind the library: cite only what exists
            t = self.sources.table(c)
            label = sources.label(t, c.row) if t else c.label()
            out.cited.append(Cited(citation=c, label=label, quote=text))
            out.passages.append(Passage(kind=hit.kind, label=label, text=text, score=hit.score))
        out.summary = f"检索到 {len(out.passages)} 条"
        return out

    def search_policy(self, args: Search) -> SearchResult:
        return self.search(Search(query=args.query, kind="policy", k=args.k))

    def review_table(self, args: ReviewTable) -> ReviewOutcome:
        t = self.table(args.table_id)
        limit = SEVERITIES.index(args.min_severity)
        out = ReviewOutcome(table=brief(t))
        for f in self.findings(t):
            if SEVERITIES.index(f.severity) > limit:
                continue
            title = CATALOGUE[f.code].title if f.code in CATALOGUE else f.code
            out.findings.append(
                FindingView(
                    row=f.row,
                    where=f.where(),
                    code=f.code,
                    title=title,
                    severity=f.severity,
                    message=f.message,
                    suggestion=f.suggestion,
                )
            )
            out.cited.append(cite_row(t, f.row) if f.row else cite_field(t, "project"))
            out.computed += [g.text for g in figures(f.message + f.suggestion)]
        out.computed.append(f"{len(out.findings)}个")
        out.summary = f"{sources.table_name(t)}：{len(out.findings)} 个问题"
        return out

    def findings(self, t: Table) -> list[Finding]:
        """The rules' findings on a table, computed once for all the tables (tables never change:
        an edited table has another id)."""
        grouped = self._findings
        if grouped is None:
            if self.reviewer is None:
                return []
            grouped = {table.id: [] for table in self.tables}  # one batch: the rules are cheap
            for f in self.reviewer(self.tables):
                grouped.setdefault(f.table_id, []).append(f)
            self._findings = grouped  # one assignment: threads asking at once see whole lists
        return grouped.get(t.id, [])


def _combine(out: AggregateResult, tables: list[Table]) -> None:
    """The aggregate's value and its wording, from the items."""
    known = [i for i in out.items if i.value is not None]
    unit = "元" if out.of.startswith("budget") else "个"
    money_unit = "万元" if tables and all(t.money_unit == "万元" for t in tables) else "元"

    def say(v: Decimal) -> str:
        return money(v, money_unit) if unit == "元" else f"{v}个"

    if out.op in ("sum", "count"):
        per_table = out.op == "sum" or out.of == "rows"  # rows are counted per table, then added
        value = sum((i.value for i in known), Decimal(0)) if per_table else Decimal(len(out.items))
        out.value, out.text = value, say(value) if out.op == "sum" else f"{value}个"
    elif out.op in ("max", "min") and known:
        pick = (max if out.op == "max" else min)(known, key=lambda i: i.value)  # type: ignore[arg-type, return-value]
        out.value, out.text = pick.value, f"{pick.name}：{pick.text}"
    elif out.op == "compare" and len(known) >= 2:
        ranked = sorted(known, key=lambda i: -i.value)  # type: ignore[operator]
        diff = ranked[0].value - ranked[-1].value  # type: ignore[operator]
        out.value, out.text = diff, say(diff)
        out.items = ranked + [i for i in out.items if i.value is None]
    out.computed = [out.text] if out.text else []
    if out.of == "rows":
        out.computed += [i.text for i in out.items]  # each table's count is computed too
    if out.op == "sum":
        out.computed.append(f"{len(known)}个")
    out.summary = f"{out.op} {out.of}：{out.text or '无可计算的值'}"
