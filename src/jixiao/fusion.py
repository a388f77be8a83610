"""Reciprocal rank fusion: one ranking from several, without comparing their scores."""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def fuse(rankings: Sequence[Sequence[str]], k: int) -> list[tuple[str, float]]:
    """The `k` best ids over `rankings` (each best first), scored Σ 1 / (RRF_K + rank)."""
    fused: dict[str, float] = {}
    for ranked in rankings:
        for rank, doc_id in enumerate(ranked):
            fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(fused.items(), key=lambda item: -item[1])[:k]
