"""Review throughput (a benchmark, not a test).

    .venv/bin/python benchmarks/review_throughput.py [--tables 10000] [--docx 1000]

Generates distinct tables (`distinct.py`; the share of distinct texts is printed and checked) and
prints tables/s and CPU-seconds for the rules alone in memory, for reading + reviewing one-table
JSON files from disk, and for `jixiao review` against `jixiao parse` on the same JSON files and on
Word files (each command's CPU and peak RSS). Targets (issues 3 and 15): rules alone ≥ 5,000
tables/s in memory; review within 1.2× of parse.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from distinct import checked

from jixiao.readers import load
from jixiao.review import review
from jixiao.writers import docx as docx_writer
from jixiao.writers import json as json_writer

REPO = Path(__file__).resolve().parents[1]


def rate(count: int, seconds: float, cpu: float | None = None) -> str:
    spent = f", {cpu:.2f} CPU-s" if cpu is not None else ""
    return f"{count / seconds:>10.0f} tables/s  ({count} in {seconds:.2f} s{spent})"


def cpu_now() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cli(*args: str) -> tuple[float, float, float]:
    """Wall seconds, CPU-seconds and peak RSS (MB) of one `jixiao` command."""
    exe = Path(sys.executable).parent / "jixiao"
    start = time.perf_counter()
    proc = subprocess.Popen([str(exe), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compare(what: str, folder: Path, count: int) -> None:
    """`jixiao parse` and `jixiao review` on the same files, best of two runs each."""
    parse = min(cli("parse", str(folder), "--format", "json") for _ in range(2))
    review_ = min(cli("review", str(folder), "--format", "json") for _ in range(2))
    for name, (wall, cpu, rss) in (("parse ", parse), ("review", review_)):
        print(f"jixiao {name} {what:<6} (command): {rate(count, wall, cpu)}  peak RSS {rss:.0f} MB")
    print(f"  review = {review_[0] / parse[0]:.2f}× parse on {what} (target ≤ 1.2×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=10_000)
    parser.add_argument("--docx", type=int, default=1000)
    args = parser.parse_args()
    tables = checked(args.tables)
    review(tables[:50])  # warm caches
    start, cpu = time.perf_counter(), cpu_now()
    findings = review(tables)
    print(
        f"rules alone, in memory:        "
        f"{rate(len(tables), time.perf_counter() - start, cpu_now() - cpu)}"
        f"  {len(findings) / len(tables):.1f} findings/table  (target ≥ 5,000)"
    )

    root = Path(tempfile.mkdtemp(prefix="jixiao-review-bench-"))
    try:
        for i, t in enumerate(tables):
            json_writer.write([t], root / f"t{i:05d}.json")
        start, cpu = time.perf_counter(), cpu_now()
        loaded = load([root])
        review(loaded.tables)
        wall = time.perf_counter() - start
        print(f"json from disk, read + review: {rate(len(loaded.tables), wall, cpu_now() - cpu)}")
        compare("json", root, len(tables))

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
        compare("docx", docx_dir, args.docx)
        print(
            f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
