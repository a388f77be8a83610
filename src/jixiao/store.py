"""The Chroma store's lifecycle: embedded under the home or a server, opened, repaired, reset.

A damaged embedded store is set aside and started afresh (the index is rebuilt from the library);
the collection is always opened with our embedding function, so chromadb never downloads one.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from jixiao.embed import Embedder
from jixiao.errors import JixiaoError
from jixiao.ledger import COLLECTION

# What damage looks like: sqlite's own words for a broken file, and chromadb's for missing parts.
_DAMAGE = ("not a database", "malformed", "corrupt", "no such table", "nothing found on disk")
# Per home, the ledger's version this process's chromadb view matches (see Store.current).
_SEEN: dict[str, object] = {}


class IndexUnavailable(JixiaoError):
    """The index cannot be opened (a server that is down, a store in use) — not damage."""

    code = "index_unavailable"


@register_embedding_function
class JixiaoE5(EmbeddingFunction[Documents]):
    """chromadb's view of the bundled model; registered under a name, so a reopened collection
    finds it instead of reaching for chromadb's default (which downloads a model)."""

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


def _damaged(exc: Exception) -> bool:
    """Only evidence of damage sets a store aside; any other failure is reported as it is."""
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in _DAMAGE)


class Store:
    """A chromadb client and the one collection jixiao uses."""

    def __init__(
        self, home: Path, url: str | None, embed_cache: Path, notes: list[str] | None = None
    ) -> None:
        self.home = home
        self.url = url
        self.embed_cache = embed_cache
        self.notes: list[str] = (
            notes if notes is not None else []
        )  # what was repaired, for the user
        self.client = self._client()
        self.collection = self.open_collection()

    def _client(self):
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        if self.url:
            u = urlparse(self.url)
            try:
                return chromadb.HttpClient(
                    host=u.hostname or "127.0.0.1",
                    port=u.port or 8000,
                    ssl=u.scheme == "https",
                    settings=settings,
                )
            except Exception as exc:  # noqa: BLE001 — chromadb raises several kinds
                raise self._unreachable(exc) from None
        path = self.home / "index" / "chroma"
        if not (path / "chroma.sqlite3").exists():
            forget_store(path)  # removed under a running process: do not reuse its old state
        path.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(path), settings=settings)
        except Exception as exc:
            if not _damaged(exc):
                raise IndexUnavailable(f"索引无法打开（{type(exc).__name__}）：{exc}") from None
            return self._fresh_store(path, exc)  # set the damaged store aside and start again

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
                raise self._unreachable(exc) from None
            if not _damaged(exc):
                raise IndexUnavailable(f"索引无法打开（{type(exc).__name__}）：{exc}") from None
            self.client = self._fresh_store(self.home / "index" / "chroma", exc)
            return self.client.get_or_create_collection(
                COLLECTION, embedding_function=ef, metadata={"hnsw:space": "cosine"}
            )

    def _unreachable(self, exc: Exception) -> IndexUnavailable:
        return IndexUnavailable(
            f"无法连接 Chroma 服务器 {self.url}（JIXIAO_CHROMA_URL，{type(exc).__name__}）；"
            "请启动它，或取消这个设置改用内置索引"
        )

    def known_as(self, version: object) -> None:
        """Record that this process's view of the store matches `version` of the ledger (it
        has just written both)."""
        _SEEN[str(self.home)] = version

    def current(self, version: object) -> None:
        """Open the embedded store anew when the ledger is at another `version` than this
        process last saw: another process wrote to the store, and chromadb keeps what it read
        in memory, per process (a stale reader cannot fetch vectors stored since, and searches
        without them). The old client is left to whoever still holds it, not stopped."""
        if self.url or _SEEN.get(str(self.home), version) == version:
            _SEEN[str(self.home)] = version
            return  # a server is one reader for every process; or nothing changed
        _SEEN[str(self.home)] = version
        forget_store(self.home / "index" / "chroma", stop=False)
        self.client = self._client()
        self.collection = self.open_collection()

    def reset(self):
        """Drop the collection and open it empty."""
        try:
            self.client.delete_collection(COLLECTION)
        except Exception:
            pass  # already gone
        self.collection = self.open_collection()
        return self.collection


def forget_store(path: Path, stop: bool = True) -> None:
    """chromadb keeps one system per store path in the process; drop ours so a fresh store at
    the same path is really opened anew (`stop`: and shut the old one down)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    for identifier in [i for i in SharedSystemClient._identifier_to_system if str(path) in i]:
        system = SharedSystemClient._identifier_to_system.pop(identifier)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        if not stop:
            continue
        try:
            system.stop()
        except Exception:
            pass  # a broken store may not stop cleanly; it is being discarded anyway
