"""How long `draft new` takes warm (index open, embedding model loaded) on briefs never seen.

Every brief is distinct (its purpose and goals carry words no other brief has), so each query is
embedded for real: the figure is not a cache's. Target (issue 12): ≤ 2 s per draft.

    .venv/bin/python benchmarks/draft_new.py [--briefs 30]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from jixiao.brief import Brief, brief_from_table
from jixiao.settings import Settings
from jixiao.workspace import Workspace

WORDS = "街道 社区 村居 学校 企业 园区 窗口 热线 平台 队伍 培训 宣讲 调解 援助 矫正 帮教 普法 服务 设备 运维".split()


def distinct_briefs(tables, n: int, seed: int = 7) -> list[Brief]:
    rng = random.Random(seed)
    briefs = []
    for i in range(n):
        b = brief_from_table(tables[i % len(tables)])
        extra = "、".join(rng.sample(WORDS, 3))
        goals = [f"{g}（覆盖{extra}，第{i}批）" for g in b.goals] or [f"提升{extra}工作水平"]
        briefs.append(
            b.model_copy(
                update={"purpose": f"{b.purpose}；重点用于{extra}（第{i}批）", "goals": goals}
            )
        )
    return briefs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        ws = Workspace(Settings(home=Path(tmp)), model=None)
        start = time.perf_counter()
        ws.index.embedder.load()
        print(f"index built and model loaded: {time.perf_counter() - start:.1f} s")
        briefs = distinct_briefs(ws.tables(), args.briefs)
        embedded = ws.index.embedder.embedded
        times = []
        cpu = time.process_time()
        for b in briefs:
            t0 = time.perf_counter()
            ws.draft_new(b)
            times.append(time.perf_counter() - t0)
        cpu = time.process_time() - cpu
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(
            f"{len(times)} distinct briefs, {ws.index.embedder.embedded - embedded} texts embedded"
        )
        print(
            f"draft new: mean {statistics.mean(times):.3f} s, p50 {statistics.median(times):.3f} s, "
            f"p95 {p95:.3f} s, max {times[-1]:.3f} s; {cpu / len(times):.3f} CPU-s per draft"
        )


if __name__ == "__main__":
    main()
