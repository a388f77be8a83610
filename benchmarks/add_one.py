"""Adding one table to libraries of several sizes (a benchmark, not a test).

    nice -n 19 .venv/bin/python benchmarks/add_one.py [--sizes 500,2000,10000] [--adds 5]

For each size, a fresh home gets that many distinct tables (`distinct.py`) in one add; their
vectors are put in the embedding cache beforehand as random unit vectors, so the library is built
in minutes rather than the hour the model would take (the store, the lexical index and the ledger
are as large as real ones; `index_build.py` measures the model). Then `--adds` more distinct
tables are added one at a time — their vectors made by the model — in this process with the
workspace open (what the web UI does), and one more with `jixiao library add FILE` in a new
process (`--home DIR`: add to a home `index_build.py --keep DIR` built with the model's vectors).
Prints seconds per add and what the stores hold. Target (issue 15): ≤ 1 s per table at
10,000, and no growth with the library's size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from distinct import checked, generated

from jixiao.documents import table_docs
from jixiao.embed import DIM, Embedder
from jixiao.settings import Settings
from jixiao.workspace import Workspace
from jixiao.writers import json as json_writer

JIXIAO = Path(sys.executable).parent / "jixiao"


def fake_vectors(home: Path, texts: list[str]) -> None:
    """Random unit vectors for `texts` in the home's embedding cache."""
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(texts), DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    cache = Embedder(home / "cache" / "embeddings.sqlite")
    for start in range(0, len(texts), 5000):
        cache.remember(texts[start : start + 5000], vectors[start : start + 5000])


def one_size(size: int, adds: int, tables: list, root: Path, home: Path | None = None) -> None:
    """Build a library of `size` tables (or use `home`, built with real vectors), then add."""
    base, extra = tables[:size], tables[size : size + adds + 1]
    if home is None:
        home = root / f"home-{size}"
        fake_vectors(home, [d.embed_text for t in base for d in table_docs(t)])
        start = time.perf_counter()
        Workspace(Settings(home=home), model=None).add(base)
        built = f"built in {time.perf_counter() - start:6.1f} s (cached vectors)"
    else:
        size = len(Workspace(Settings(home=home), model=None).library.ids())
        built = f"in {home} (its own vectors)"
    start = time.perf_counter()
    ws = Workspace(Settings(home=home), model=None)
    ws.index  # noqa: B018
    opened = time.perf_counter() - start
    times = []
    for t in extra[:-1]:
        start = time.perf_counter()
        ws.add([t])
        times.append(time.perf_counter() - start)
    last = json_writer.write([extra[-1]], root / f"one-{size}.json")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    start = time.perf_counter()
    run = subprocess.run(
        [str(JIXIAO), "library", "add", str(last)],
        env=env | {"JIXIAO_HOME": str(home)},
        capture_output=True,
        text=True,
    )
    command = time.perf_counter() - start
    assert run.returncode == 0, run.stderr
    index = ws.index
    segments = sum(1 for p in (home / "index" / "lexical").iterdir() if p.is_dir())
    print(
        f"{size:>6} tables: {built}; open {opened:5.2f} s; "
        f"add one: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
        f"({adds} adds in process); `jixiao library add` {command:.2f} s; "
        f"{index.collection.count()} documents, {segments} lexical segments",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,10000")
    parser.add_argument("--adds", type=int, default=5)
    parser.add_argument(
        "--home", type=Path, help="add to this built home instead (index_build.py --keep)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    root = Path(tempfile.mkdtemp(prefix="jixiao-add-bench-"))
    if args.home:  # tables the library does not hold: another seed
        extra = generated(args.adds + 1, seed=99)
        try:
            return one_size(0, args.adds, extra, root, args.home)
        finally:
            shutil.rmtree(root)
    tables = checked(max(sizes) + args.adds + 1)
    try:
        for size in sizes:
            # the same added tables at every size: only the library around them changes
            one_size(size, args.adds, tables[:size] + tables[-(args.adds + 1) :], root)
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
