"""The `Retriever` seam: search the library, get hits that say exactly where they come from.

Drafting, chat and the UI ask a `Retriever`; today's implementation is the fused index
(`jixiao.index.Index`), and a test or another store can stand in for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from jixiao.model import Citation

MODES = ("fused", "dense", "lexical")


@dataclass
class Hit:
    """One search result: the document's text and id, its score, and its citation."""

    id: str
    kind: str
    score: float
    text: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def citation(self) -> Citation:
        """Table id + row for tables and indicators; document + passage for policy."""
        m = self.meta
        if self.kind == "policy" or m.get("kind") == "policy":
            return Citation(
                kind="policy",
                document=str(m.get("doc_id", "")),
                passage=self.id,
                title=str(m.get("title", "")),
                heading=str(m.get("heading", "")),
            )
        row = m.get("row")
        return Citation(
            kind="table",
            table_id=str(m.get("table_id", "")),
            row=int(row) if row is not None else None,
            title=str(m.get("project", "")),
        )


class Retriever(Protocol):
    """What every feature that looks things up in the library depends on."""

    def search(
        self,
        query: str,
        kind: str | None = None,
        units: list[str] | None = None,
        k: int = 10,
        mode: str = "fused",
    ) -> list[Hit]:
        """The `k` best hits for `query`, optionally of one kind (table, indicator, policy) and
        from some units, each with its citation."""
        ...
