"""Index build and query latency at scale (a benchmark, not a test).

    .venv/bin/python benchmarks/index_build.py [--tables 10000]

Builds the library and index for generated tables (varied from the 30 labeled ones) in a fresh
home and prints build time, on-disk size, peak memory and query latency p50/p95 per channel.
Targets (issue 4): build ≤ 10 minutes on this 2-core machine, fused p95 ≤ 100 ms at this size.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from jixiao.corpus import Library
from jixiao.index import Index

REPO = Path(__file__).resolve().parents[1]


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main() -> None:
    from review_throughput import generated  # same generator as the review benchmark

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=10_000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="jixiao-index-bench-"))
    try:
        tables = generated(args.tables)
        rows = sum(len(t.indicators) for t in tables)
        print(f"{len(tables)} tables, {rows} indicator rows", flush=True)
        start = time.perf_counter()
        library = Library(home)
        library.add(tables)
        print(f"library write:    {time.perf_counter() - start:8.1f} s", flush=True)
        start = time.perf_counter()
        index = Index(home)
        with library.lock():
            index.sync(library)
        build = time.perf_counter() - start
        print(
            f"index build:      {build:8.1f} s  ({index.collection.count()} documents, "
            f"{index.embedder.embedded} texts embedded, the rest from the cache)  "
            f"(target ≤ 600 s)",
            flush=True,
        )
        print(
            f"on disk:          index {size_mb(home / 'index'):.0f} MB, embedding cache "
            f"{size_mb(home / 'cache'):.1f} MB, library {size_mb(home / 'library'):.0f} MB"
        )
        print(
            f"peak memory:      {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )

        queries = [
            json.loads(line)["query"]
            for line in (REPO / "eval/datasets/retrieval.jsonl")
            .read_text(encoding="utf-8")
            .splitlines()
            if line.strip()
        ]
        fresh = Index(home)  # a new process's view: loads the saved lexical index
        start = time.perf_counter()
        with library.lock():
            fresh.sync(library)
        print(
            f"open + check:     {time.perf_counter() - start:8.2f} s (a new process, nothing to add)"
        )
        for mode in ("fused", "dense", "lexical"):
            fresh.search("预热", mode=mode)  # warm the model, not the queries
            times = []
            for q in queries:  # each query embedded afresh, as a user's would be
                t0 = time.perf_counter()
                fresh.search(q, k=10, mode=mode)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"query {mode:<8}    p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms"
                f"  ({len(times)} queries; target p95 ≤ 100 ms for fused)"
            )
    finally:
        shutil.rmtree(home)


if __name__ == "__main__":
    main()
