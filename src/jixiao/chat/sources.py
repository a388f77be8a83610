"""What a citation points at, as text: a table's fields, one indicator row, a policy passage.

Tools quote these texts and the check of an answer reads them again from the library, so a
citation is only ever believed for what its source really says. The same wording gives the label
people read: `普法宣传专项经费 · 数量指标 · 法治宣传宣讲活动`.
"""

from __future__ import annotations

from jixiao.chat.numbers import money
from jixiao.model import Citation, Indicator, Table
from jixiao.policy import Chunk

FIELDS = {
    "project": "项目名称",
    "unit": "单位",
    "year": "年度",
    "budget_total": "预算数",
    "budget_fiscal": "财政资金",
    "budget_other": "其他资金",
    "purpose": "资金用途",
    "goals": "绩效目标",
}


def table_name(t: Table) -> str:
    """The name people call a table by: its project, or its unit when the project is blank."""
    return t.project or f"{t.unit_name or t.id}（未写项目名称）"


def field_lines(t: Table) -> dict[str, str]:
    """Each field the table fills, as one line `预算数：250000.00元（25万元）`."""
    values = {
        "project": t.project,
        "unit": f"{t.unit_code}{t.unit_name}".strip(),
        "year": f"{t.year}年" if t.year else "",
        "budget_total": money(t.budget_total, t.money_unit) if t.budget_total is not None else "",
        "budget_fiscal": money(t.budget_fiscal, t.money_unit)
        if t.budget_fiscal is not None
        else "",
        "budget_other": money(t.budget_other, t.money_unit) if t.budget_other else "",
        "purpose": t.purpose,
        "goals": "；".join(t.goals),
    }
    return {k: f"{FIELDS[k]}：{v}" for k, v in values.items() if v}


def table_text(t: Table) -> str:
    return "\n".join(field_lines(t).values())


def row_text(ind: Indicator) -> str:
    """One indicator row: `产出指标｜数量指标｜法治宣传宣讲活动｜法治宣传宣讲活动次数｜≥1000场`."""
    parts = [ind.level1, ind.level2, ind.name, ind.description, ind.value.raw]
    text = "｜".join(p.strip() for p in parts)
    if ind.midterm is not None and ind.midterm.raw:
        text += f"｜中期目标：{ind.midterm.raw}"
    if ind.weight is not None:
        text += f"｜权重：{ind.weight.normalize():f}"
    return text


def label(t: Table, row: int | None = None, field: str | None = None) -> str:
    """How a citation reads: `项目 · 二级指标 · 三级指标`, or `项目 · 预算数` for a field."""
    if row is not None:
        ind = t.indicators[row - 1]
        parts = [table_name(t), ind.level2 or ind.level1, ind.name or f"第{row}行"]
        return " · ".join(p for p in parts if p)
    return " · ".join(p for p in (table_name(t), FIELDS.get(field or "", "")) if p)


def cite_table(t: Table) -> Citation:
    return Citation(kind="table", table_id=t.id, title=table_name(t))


def cite_row(t: Table, row: int) -> Citation:
    return Citation(kind="table", table_id=t.id, row=row, title=table_name(t))


def cite_passage(c: Chunk) -> Citation:
    return Citation(
        kind="policy", document=c.doc_id, passage=c.id, title=c.title, heading=c.heading
    )


def passage_text(c: Chunk) -> str:
    return f"{c.title}｜{c.heading}\n{c.text}" if c.heading else f"{c.title}\n{c.text}"


class Sources:
    """The library's tables and policy passages by id: what each citation says."""

    def __init__(self, tables: list[Table], chunks: list[Chunk]) -> None:
        self.tables = {t.id: t for t in tables}
        self.chunks = {c.id: c for c in chunks}

    def table(self, citation: Citation) -> Table | None:
        return self.tables.get(citation.table_id) if citation.kind == "table" else None

    def text(self, citation: Citation) -> str | None:
        """The cited source's text; None when the citation points at nothing that exists."""
        if citation.kind == "policy":
            chunk = self.chunks.get(citation.passage)
            return passage_text(chunk) if chunk else None
        t = self.tables.get(citation.table_id)
        if t is None:
            return None
        if citation.row is None:
            return table_text(t)
        if not 1 <= citation.row <= len(t.indicators):
            return None
        return row_text(t.indicators[citation.row - 1])
