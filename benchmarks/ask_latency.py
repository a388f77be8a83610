"""Latency of `Workspace.ask` offline, warm (a benchmark, not a test).

    .venv/bin/python benchmarks/ask_latency.py [--questions 100]

The library is the seed plus the 19 real tables of eval/datasets/real/files in a fresh home; the
index is built and the embedding model loaded before timing. The questions are the turns of the
chat eval's gold set (eval/datasets/chat/questions.jsonl), each conversation asked in order, cycled
to the count asked for. Prints p50 / p95 / max / mean per question. Target (issue 13): ≤ 1 s each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from jixiao.chat import Conversation
from jixiao.readers import read_path
from jixiao.settings import Settings
from jixiao.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]


def conversations() -> list[list[str]]:
    path = REPO / "eval/datasets/chat/questions.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["turns"] for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100)
    n = parser.parse_args().questions
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-ask-") as tmp:
        start = time.perf_counter()
        ws = Workspace(Settings(home=Path(tmp)), model=None)
        files = sorted((REPO / "eval/datasets/real/files").iterdir())
        ws.add([t for p in files for t in read_path(p)])
        ws.ask("普法宣传专项经费的预算是多少？")  # the tools are made once, as a server would
        ws.ask("成本指标能不能超过预算？")  # the embedding model is loaded by the first search
        print(f"library of {len(ws.tables())} tables ready in {time.perf_counter() - start:.1f} s")
        times: list[float] = []
        pool = conversations()
        while len(times) < n:
            for turns in pool:
                conversation = Conversation()
                for turn in turns:
                    if len(times) >= n:
                        break
                    t0 = time.perf_counter()
                    ws.ask(turn, conversation)
                    times.append(time.perf_counter() - t0)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    # Both shape the figures on a small shared machine: a busy CPU, and OpenBLAS threads
    # competing for it when a question's embedding is computed.
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"load average {os.getloadavg()[0]:.1f}, OPENBLAS_NUM_THREADS {blas}")
    print(
        f"{len(times)} questions: p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms, "
        f"mean {statistics.mean(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
