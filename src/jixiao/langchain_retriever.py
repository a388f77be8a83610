"""jixiao's retriever as a langchain `BaseRetriever`, so users can put the library into their own
chains: each hit becomes a `Document` whose `metadata` carries its citation (table id + row, or
policy document + passage), a label to show it by, its kind and its score.

    retriever = Workspace().as_retriever(kind="indicator", k=5)
    chain = retriever | format_docs | prompt | chat_model | StrOutputParser()
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from jixiao.retrieval import Hit, Retriever


class LibraryRetriever(BaseRetriever):
    """The `k` best hits of a jixiao `Retriever` (the workspace's index) as documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any  # a jixiao.retrieval.Retriever
    kind: str | None = None  # table, indicator or policy; None: all three
    units: list[str] | None = None  # only these units' tables
    k: int = 5
    mode: str = "fused"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        source: Retriever = self.retriever
        hits = source.search(query, kind=self.kind, units=self.units, k=self.k, mode=self.mode)
        return [document(h) for h in hits]


def document(hit: Hit) -> Document:
    """A hit as a `Document`: its text, and its citation in the metadata."""
    citation = hit.citation
    shown = citation
    if citation.kind == "table" and not citation.title and hit.meta.get("unit"):
        shown = citation.model_copy(update={"title": f"{hit.meta['unit']}（未写项目名称）"})
    return Document(
        page_content=hit.text,
        id=hit.id,
        metadata={
            "citation": citation.model_dump(),
            "label": shown.label(),  # `普法宣传专项经费 第1行`
            "kind": hit.kind,
            "score": hit.score,
        },
    )
