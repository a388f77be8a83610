"""Review throughput (a benchmark, not a test).

    .venv/bin/python benchmarks/review_throughput.py [--tables 10000] [--docx 1000]

Prints tables/s for the rules alone in memory, for reading + reviewing one-table JSON files from
disk, and for `jixiao review` against `jixiao parse` on the same Word files. Targets (issue 3):
rules alone ≥ 5,000 tables/s in memory; docx review within 1.2× of parse.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from jixiao.evaluate import load_labels, load_sources
from jixiao.model import Table
from jixiao.readers import load
from jixiao.review import review
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer

REPO = Path(__file__).resolve().parents[1]


def generated(n: int) -> list[Table]:
    """`n` distinct tables varied from the 30 labeled ones (seed and hand-made)."""
    dataset = REPO / "eval/datasets/review"
    pool = [t for ts in load_sources(dataset, load_labels(dataset)).values() for t in ts]
    rng = random.Random(7)
    out = []
    for i in range(n):
        t = pool[i % len(pool)].model_copy(deep=True)
        t.project = f"{t.project}（{i:05d}）"
        scale = Decimal(rng.uniform(0.6, 1.4))
        for field in ("budget_total", "budget_fiscal", "budget_other"):
            amount = getattr(t, field)
            if amount is not None:
                setattr(t, field, (amount * scale).quantize(Decimal("0.01")))
        out.append(t)
    return out


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10.0f} tables/s  ({count} in {seconds:.2f} s)"


def cli(*args: str) -> float:
    exe = Path(sys.executable).parent / "jixiao"
    start = time.perf_counter()
    subprocess.run([str(exe), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=10_000)
    parser.add_argument("--docx", type=int, default=1000)
    args = parser.parse_args()
    tables = generated(args.tables)
    review(tables[:50])  # warm caches
    start = time.perf_counter()
    findings = review(tables)
    print(
        f"rules alone, in memory:        {rate(len(tables), time.perf_counter() - start)}"
        f"  {len(findings) / len(tables):.1f} findings/table  (target ≥ 5,000)"
    )

    root = Path(tempfile.mkdtemp(prefix="jixiao-review-bench-"))
    try:
        for i, t in enumerate(tables):
            json_writer.write([t], root / f"t{i:05d}.json")
        start = time.perf_counter()
        loaded = load([root])
        review(loaded.tables)
        print(
            f"json from disk, read + review: {rate(len(loaded.tables), time.perf_counter() - start)}"
        )

        docx_dir = root / "docx"
        docx_dir.mkdir()
        for i, t in enumerate(tables[: args.docx]):
            docx_writer.write([t], docx_dir / f"t{i:04d}.docx")
        start = time.perf_counter()
        loaded = load([docx_dir])
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        review(loaded.tables)
        rules_s = time.perf_counter() - start
        print(f"docx read (in process):        {rate(args.docx, read_s)}")
        print(
            f"docx read + review:            {rate(args.docx, read_s + rules_s)}"
            f"  = {(read_s + rules_s) / read_s:.2f}× reading"
        )
        parse_s = min(cli("parse", str(docx_dir), "--format", "json") for _ in range(2))
        review_s = min(cli("review", str(docx_dir), "--format", "json") for _ in range(2))
        print(f"jixiao parse  (command):       {rate(args.docx, parse_s)}")
        print(
            f"jixiao review (command):       {rate(args.docx, review_s)}"
            f"  = {review_s / parse_s:.2f}× parse (target ≤ 1.2×)"
        )
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
