"""The Chroma store's lifecycle: embedded under the home or a server, opened, repaired, reset.

A damaged embedded store is set aside and started afresh (the index is rebuilt from the library);
the collection is always opened with our embedding function, so chromadb never downloads one.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

from jixiao.embed import JixiaoE5

COLLECTION = "jixiao_docs"


class Store:
    """A chromadb client and the one collection jixiao uses."""

    def __init__(self, home: Path, url: str | None, embed_cache: Path) -> None:
        self.home = home
        self.url = url
        self.embed_cache = embed_cache
        self.notes: list[str] = []  # what was repaired on the way, for the user
        self.client = self._client()
        self.collection = self.open_collection()

    def _client(self):
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        if self.url:
            u = urlparse(self.url)
            return chromadb.HttpClient(
                host=u.hostname or "127.0.0.1",
                port=u.port or 8000,
                ssl=u.scheme == "https",
                settings=settings,
            )
        path = self.home / "index" / "chroma"
        if not (path / "chroma.sqlite3").exists():
            forget_store(path)  # removed under a running process: do not reuse its old state
        path.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(path), settings=settings)
        except Exception as exc:  # a damaged store: set it aside and start again
            return self._fresh_store(path, exc)

    def _fresh_store(self, path: Path, exc: Exception):
        import chromadb
        from chromadb.config import Settings

        aside = path.with_name(f"chroma.damaged-{int(time.time())}")
        shutil.move(str(path), str(aside))
        self.notes.append(
            f"索引已损坏（{type(exc).__name__}），已移到 {aside.name} 并从资料库重建。"
        )
        path.mkdir(parents=True)
        forget_store(path)
        return chromadb.PersistentClient(
            path=str(path), settings=Settings(anonymized_telemetry=False)
        )

    def open_collection(self):
        """The collection, created if missing; a damaged embedded store is replaced."""
        ef = JixiaoE5(str(self.embed_cache))
        try:
            collection = self.client.get_or_create_collection(
                COLLECTION, embedding_function=ef, metadata={"hnsw:space": "cosine"}
            )
            collection.count()
            return collection
        except Exception as exc:
            if self.url:
                raise
            self.client = self._fresh_store(self.home / "index" / "chroma", exc)
            return self.client.get_or_create_collection(
                COLLECTION, embedding_function=ef, metadata={"hnsw:space": "cosine"}
            )

    def reset(self):
        """Drop the collection and open it empty."""
        try:
            self.client.delete_collection(COLLECTION)
        except Exception:
            pass  # already gone
        self.collection = self.open_collection()
        return self.collection


def forget_store(path: Path) -> None:
    """chromadb keeps one system per store path in the process; drop ours so a fresh store at
    the same path is really opened anew."""
    from chromadb.api.shared_system_client import SharedSystemClient

    for identifier in [i for i in SharedSystemClient._identifier_to_system if str(path) in i]:
        system = SharedSystemClient._identifier_to_system.pop(identifier)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        try:
            system.stop()
        except Exception:
            pass  # a broken store may not stop cleanly; it is being discarded anyway
