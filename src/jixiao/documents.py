"""What the index holds: documents at three grains, all derived from the library.

A table summary, each indicator row with its table's context, each policy chunk — so the index can
always be rebuilt from the library, and every document carries what a citation needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.model import Table
from jixiao.policy import Chunk

KINDS = ("table", "indicator", "policy")


@dataclass
class Doc:
    id: str
    kind: str
    text: str  # shown to users and searched lexically
    embed_text: str  # what the dense vector is made of
    meta: dict[str, Any]


def table_docs(t: Table) -> list[Doc]:
    """The summary and one document per indicator row, each carrying its table's context."""
    tid = t.id  # computed from the whole table: once, not once per row
    base = {"table_id": tid, "project": t.project, "unit": t.unit_name, "unit_code": t.unit_code}
    if t.year is not None:
        base["year"] = t.year
    budget = f"{t.budget_total:f}元" if t.budget_total is not None else "未填"
    goals = "；".join(t.goals)
    summary = (
        f"{t.unit_name}｜{t.project}｜预算数{budget}\n资金用途：{t.purpose}\n绩效目标：{goals}"
    )
    # The dense vector of a summary is made of what the money does (purpose and goals): project
    # names are matched by the lexical channel, and texts that recur are embedded once.
    docs = [
        Doc(
            f"table:{tid}",
            "table",
            summary,
            f"{t.purpose} {goals}".strip() or t.project,
            {**base, "kind": "table"},
        )
    ]
    for n, ind in enumerate(t.indicators, start=1):
        own = f"{ind.level2}｜{ind.name}：{ind.value.raw}（{ind.description}）"
        docs.append(
            Doc(
                f"indicator:{tid}:{n}",
                "indicator",
                f"{t.project}｜{ind.level1}｜{own}",
                own,
                {**base, "kind": "indicator", "row": n, "level1": ind.level1, "level2": ind.level2},
            )
        )
    return docs


def policy_docs(chunks: list[Chunk]) -> list[Doc]:
    return [
        Doc(
            c.id,
            "policy",
            f"{c.title}｜{c.heading}\n{c.text}" if c.heading else f"{c.title}\n{c.text}",
            f"{c.heading} {c.text}".strip(),
            {
                "kind": "policy",
                "title": c.title,
                "heading": c.heading,
                "source": c.source,
                "doc_id": c.doc_id,
            },
        )
        for c in chunks
    ]
