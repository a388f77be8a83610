"""Index build on distinct tables, and query latency (a benchmark, not a test).

    nice -n 19 .venv/bin/python benchmarks/index_build.py [--tables 10000] [--keep DIR]

Generates distinct tables (`distinct.py`: the share of distinct texts is printed and checked),
adds them to a fresh home through `Workspace.add` (what `jixiao library add` does once the files
are read), and prints: each stage as it starts; when another process's `jixiao search --mode
lexical` first finds the last table (a probe every few seconds, its own CPU left out); the full
build in wall seconds, CPU-seconds, tables/s and passages/s; peak RSS; then a new process's open
and query latency p50/p95 per channel.
Targets (issue 15): 10,000 tables fully built ≤ 20 min on this 2-core machine, searchable
lexically within 2 min of the start; fused p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from distinct import checked

from jixiao.settings import Settings
from jixiao.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
JIXIAO = Path(sys.executable).parent / "jixiao"


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def cpu_seconds(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


class Timeline:
    """A `Progress` that prints each stage with the seconds since the start."""

    def __init__(self, start: float) -> None:
        self.start = start
        self.stages: list[tuple[float, str]] = []

    def stage(self, label: str, total: int | None = None) -> None:
        at = time.perf_counter() - self.start
        self.stages.append((at, label))
        print(f"  {at:8.1f} s  {label}" + (f" ({total})" if total is not None else ""), flush=True)

    def advance(self, n: int = 1) -> None:
        pass


class Probe(threading.Thread):
    """Another process searching lexically, every `every` seconds, until it finds `project`."""

    def __init__(self, home: Path, project: str, table_id: str, start: float, every: float):
        super().__init__(daemon=True)
        self.home, self.project, self.table_id = home, project, table_id
        self.start_at, self.every = start, every
        self.found_at: float | None = None
        self.took: float | None = None
        self.cpu = 0.0  # the probes' own CPU, left out of the build's
        self.stop = threading.Event()

    def run(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
        env["JIXIAO_HOME"] = str(self.home)
        while not self.stop.is_set():
            began = time.perf_counter()
            proc = subprocess.Popen(
                [str(JIXIAO), "search", self.project, "--mode", "lexical", "-k", "1", "-f", "json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            out = proc.stdout.read() if proc.stdout else b""
            _, _, usage = os.wait4(proc.pid, 0)
            self.cpu += usage.ru_utime + usage.ru_stime
            try:
                hits = json.loads(out or b"[]")
            except ValueError:
                hits = []
            if hits and hits[0]["citation"].get("table_id") == self.table_id:
                self.found_at = time.perf_counter() - self.start_at
                self.took = time.perf_counter() - began
                print(
                    f"  {self.found_at:8.1f} s  another process finds the last table by keyword",
                    flush=True,
                )
                return
            self.stop.wait(self.every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=10_000)
    parser.add_argument("--probe-every", type=float, default=5.0, metavar="SECONDS")
    parser.add_argument("--keep", type=Path, help="build in this home and keep it (for add_one.py)")
    args = parser.parse_args()
    tables = checked(args.tables)
    passages = sum(1 + len(t.indicators) for t in tables)
    home = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-index-bench-"))
    Workspace(Settings(home=home), model=None).index  # noqa: B018 — the seed, before the clock
    try:
        cpu0, child0 = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        timeline = Timeline(start)
        probe = Probe(home, tables[-1].project, tables[-1].id, start, args.probe_every)
        probe.start()
        ws = Workspace(Settings(home=home), model=None, progress=timeline)
        ws.add(tables)
        build = time.perf_counter() - start
        probe.stop.set()
        probe.join()
        cpu = cpu_seconds(resource.RUSAGE_SELF) - cpu0
        cpu += cpu_seconds(resource.RUSAGE_CHILDREN) - child0 - probe.cpu
        embedded = ws.index.embedder.embedded
        print(
            f"full build:         {build:8.1f} s wall, {cpu:8.1f} CPU-s  "
            f"({len(tables) / build:.1f} tables/s, {passages / build:.1f} passages/s, "
            f"{passages / cpu:.1f} passages per CPU-s; {embedded} texts embedded)  "
            f"(target ≤ 1200 s at 10,000)",
            flush=True,
        )
        found = (
            f"{probe.found_at:8.1f} s after the start (that search took {probe.took:.2f} s)"
            if probe.found_at is not None
            else "   never during the build"
        )
        print(f"lexically found:    {found}  (target ≤ 120 s at 10,000)")
        print(
            f"peak RSS:           {peak_rss_mb(resource.RUSAGE_SELF):8.0f} MB this process, "
            f"{peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB the largest child"
        )
        print(
            f"on disk:            index {size_mb(home / 'index'):.0f} MB, embedding cache "
            f"{size_mb(home / 'cache'):.1f} MB, library {size_mb(home / 'library'):.0f} MB"
        )
        latency(home)
    finally:
        if args.keep is None:
            shutil.rmtree(home)


def latency(home: Path) -> None:
    """A new process's view: open (nothing to add), then each query embedded afresh."""
    queries = [
        json.loads(line)["query"]
        for line in (REPO / "eval/datasets/retrieval.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    start = time.perf_counter()
    ws = Workspace(Settings(home=home), model=None)
    ws.index  # noqa: B018
    print(f"open + check:       {time.perf_counter() - start:8.2f} s (in process, nothing to add)")
    for mode in ("fused", "dense", "lexical"):
        ws.search("预热", mode=mode)  # warm the model, not the queries
        times = []
        for q in queries:
            t0 = time.perf_counter()
            ws.search(q, k=10, mode=mode)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"query {mode:<8}      p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms"
            f"  ({len(times)} queries; target p95 ≤ 100 ms for fused)"
        )


if __name__ == "__main__":
    main()
