"""The dense channel's ledger: which tables and policy passages have their vectors in the Chroma
collection, kept in a file beside it, and a lock held by whoever is making vectors.

Opening the index compares the library's ids with the ledger's instead of asking the store for
every id (the store's own count and collection id say whether the ledger can be trusted). A
table is written to the ledger only after all its documents are stored, so after a crash the
ledger may lack a table the store has (it is stored again, from the vector cache) but never
claims one the store lacks.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

COLLECTION = "jixiao_docs"  # the one chromadb collection jixiao uses


class Ledger:
    """Tables (with their number of documents) and policy passages in one collection, and what
    made their vectors (`model`: the bundled model's name, or an endpoint's address and model)."""

    def __init__(
        self,
        collection_id: str,
        model: str,
        tables: dict[str, int] | None = None,
        policy: set[str] | None = None,
    ) -> None:
        self.collection_id = collection_id
        self.model = model
        self.tables = dict(tables or {})
        self.policy = set(policy or ())

    @property
    def count(self) -> int:
        """Documents the collection holds when the ledger is right."""
        return sum(self.tables.values()) + len(self.policy)

    @classmethod
    def load(cls, path: Path, collection, model: str) -> Ledger | None:
        """The saved ledger when it describes `collection`, else None (rebuild it with `of`);
        `model` is what made the vectors of a ledger written before it said so."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            ledger = cls(
                data["collection"], data.get("model", model), data["tables"], set(data["policy"])
            )
            if ledger.collection_id != str(collection.id) or ledger.count != collection.count():
                return None
        except Exception:  # noqa: BLE001 — unreadable, or a collection another process dropped
            return None
        return ledger

    @classmethod
    def as_saved(cls, path: Path) -> Ledger | None:
        """The ledger as its file says, not checked against the store (None when unreadable):
        enough to see that nothing is missing without opening the store."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["collection"], data["model"], data["tables"], set(data["policy"]))
        except Exception:  # noqa: BLE001 — unreadable or of an older shape: check the store
            return None

    @classmethod
    def of(cls, collection, model: str) -> Ledger:
        """The ledger read from the collection itself (every id: slow on a large store), whose
        vectors `model` is taken to have made."""
        tables: dict[str, int] = {}
        policy: set[str] = set()
        for doc_id in collection.get(include=[])["ids"]:
            kind, _, rest = doc_id.partition(":")
            if kind in ("table", "indicator"):
                tid = rest.split(":", 1)[0]
                tables[tid] = tables.get(tid, 0) + 1
            else:
                policy.add(doc_id)
        return cls(str(collection.id), model, tables, policy)

    def save(self, path: Path) -> None:
        data = {
            "collection": self.collection_id,
            "model": self.model,
            "tables": self.tables,
            "policy": sorted(self.policy),
        }
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)


class EmbeddingLock:
    """Held by the one thread, of any process, making vectors for the index; re-entrant within
    that thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = threading.RLock()
        self._depth = 0

    @contextmanager
    def held(self, wait: bool) -> Iterator[bool]:
        """True inside when this thread holds the lock; without `wait`, False when another does."""
        if not self._thread.acquire(blocking=wait):
            yield False
            return
        try:
            if self._depth:  # this thread holds the file lock already
                self._depth += 1
                try:
                    yield True
                finally:
                    self._depth -= 1
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
                except BlockingIOError:
                    yield False
                    return
                self._depth = 1
                try:
                    yield True
                finally:
                    self._depth = 0
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        finally:
            self._thread.release()
