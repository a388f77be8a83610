"""Scoring for `jixiao eval retrieval`: recall@k and MRR of each channel on hand-written queries.

Relevant documents are written by hand as `table:N`, `indicator:N:ROW` (N = the seed table's
number, 1-14) or `note:SLUG`, and resolved to index ids here, so the labels survive id changes.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jixiao.index import open_index
from jixiao.progress import NullProgress, Progress
from jixiao.retrieval import MODES
from jixiao.seed import load_seed

CUTOFFS = (1, 5, 10)


@dataclass
class Query:
    text: str
    relevant: set[str]


def load_queries(path: Path) -> list[Query]:
    """The queries, with labels resolved to index ids; a label that resolves to nothing fails."""
    seed = load_seed()
    queries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        relevant = set()
        for label in item["relevant"]:
            kind, _, rest = label.partition(":")
            if kind == "note":
                relevant.add(label)
                continue
            number, _, row = rest.partition(":")
            table = seed[int(number) - 1]
            if kind == "indicator" and not 1 <= int(row) <= len(table.indicators):
                raise ValueError(f"{path}:{n}: {label} is not a row of table {number}")
            relevant.add(f"table:{table.id}" if kind == "table" else f"indicator:{table.id}:{row}")
        queries.append(Query(item["query"], relevant))
    return queries


def score(
    queries: list[Query], home: Path | None = None, progress: Progress | None = None
) -> dict[str, dict[str, float]]:
    """recall@1/5/10 and MRR per channel, on the seed library in a fresh home.

    The stages (building the index, then the queries) report to `progress` (the command line
    passes its terminal display).
    """
    progress = progress or NullProgress()
    with tempfile.TemporaryDirectory(prefix="jixiao-eval-") as tmp:
        _, index, _ = open_index(home or Path(tmp), url="", progress=progress)
        index.embedder.load(progress)  # before the queries' stage, which it would interrupt
        progress.stage("检索评测", total=len(MODES) * len(queries))
        results: dict[str, dict[str, float]] = {}
        for mode in MODES:
            sums = {f"recall@{k}": 0.0 for k in CUTOFFS} | {"mrr": 0.0}
            for q in queries:
                ranked = [h.id for h in index.search(q.text, k=max(CUTOFFS), mode=mode)]
                for k in CUTOFFS:
                    sums[f"recall@{k}"] += len(q.relevant & set(ranked[:k])) / len(q.relevant)
                first = next((i for i, d in enumerate(ranked, start=1) if d in q.relevant), None)
                sums["mrr"] += 1 / first if first else 0.0
                progress.advance()
            results[mode] = {m: round(v / len(queries), 4) for m, v in sums.items()}
        return results


def render(results: dict[str, dict[str, float]], n: int) -> str:
    metrics = [f"recall@{k}" for k in CUTOFFS] + ["mrr"]
    lines = [f"{n} queries", f"{'channel':<10}" + "".join(f"{m:>11}" for m in metrics)]
    for mode, row in results.items():
        lines.append(f"{mode:<10}" + "".join(f"{row[m]:>11.3f}" for m in metrics))
    return "\n".join(lines)
