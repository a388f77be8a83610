"""The retrieval index: chromadb (dense, bundled e5 model) + character BM25, fused by rank.

Documents come at three grains — a table summary, each indicator row with its table's context,
each policy chunk — all derived from the library, so the index can always be rebuilt from it.
`JIXIAO_CHROMA_URL` switches from the embedded store to a Chroma server with no other change.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from jixiao.corpus import Library
from jixiao.embed import Embedder, JixiaoE5
from jixiao.lexical import Lexical
from jixiao.model import Table
from jixiao.policy import Chunk, builtin_notes

COLLECTION = "jixiao_docs"
KINDS = ("table", "indicator", "policy")
MODES = ("fused", "dense", "lexical")
RRF_K = 60
_BATCH = 2000


@dataclass
class Doc:
    id: str
    kind: str
    text: str  # shown to users and searched lexically
    embed_text: str  # what the dense vector is made of
    meta: dict[str, Any]


@dataclass
class Hit:
    id: str
    kind: str
    score: float
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


def table_docs(t: Table) -> list[Doc]:
    """The summary and one document per indicator row, each carrying its table's context."""
    base = {"table_id": t.id, "project": t.project, "unit": t.unit_name, "unit_code": t.unit_code}
    if t.year is not None:
        base["year"] = t.year
    budget = f"{t.budget_total:f}元" if t.budget_total is not None else "未填"
    goals = "；".join(t.goals)
    summary = (
        f"{t.unit_name}｜{t.project}｜预算数{budget}\n资金用途：{t.purpose}\n绩效目标：{goals}"
    )
    # The dense vector of a summary is made of what the money does (purpose and goals): project
    # names are matched by the lexical channel, and texts that recur are embedded once.
    docs = [
        Doc(
            f"table:{t.id}",
            "table",
            summary,
            f"{t.purpose} {goals}".strip() or t.project,
            {**base, "kind": "table"},
        )
    ]
    for n, ind in enumerate(t.indicators, start=1):
        own = f"{ind.level2}｜{ind.name}：{ind.value.raw}（{ind.description}）"
        docs.append(
            Doc(
                f"indicator:{t.id}:{n}",
                "indicator",
                f"{t.project}｜{ind.level1}｜{own}",
                own,
                {**base, "kind": "indicator", "row": n, "level1": ind.level1, "level2": ind.level2},
            )
        )
    return docs


def policy_docs(chunks: list[Chunk]) -> list[Doc]:
    return [
        Doc(
            c.id,
            "policy",
            f"{c.title}｜{c.heading}\n{c.text}" if c.heading else f"{c.title}\n{c.text}",
            f"{c.heading} {c.text}".strip(),
            {
                "kind": "policy",
                "title": c.title,
                "heading": c.heading,
                "source": c.source,
                "doc_id": c.doc_id,
            },
        )
        for c in chunks
    ]


class Index:
    """Dense and lexical search over the library under `home`."""

    def __init__(self, home: Path, url: str | None = None) -> None:
        self.home = home
        self.url = url
        self.notes: list[str] = []  # what happened on the way, for the user
        self.embedder = Embedder(home / "cache" / "embeddings.sqlite")
        self._lexical: Lexical | None = None
        self._filters: dict[str, list] = {}
        self.client = self._client()
        self.collection = self._open_collection()

    # --- store ---------------------------------------------------------------------------

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
            _forget_store(path)  # removed under a running process: do not reuse its old state
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
        _forget_store(path)
        return chromadb.PersistentClient(
            path=str(path), settings=Settings(anonymized_telemetry=False)
        )

    def _open_collection(self):
        ef = JixiaoE5(str(self.embedder.cache_path))
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

    def upsert(self, docs: list[Doc]) -> None:
        for start in range(0, len(docs), _BATCH):
            batch = docs[start : start + _BATCH]
            vectors = self.embedder.passages([d.embed_text for d in batch])
            self.collection.upsert(
                ids=[d.id for d in batch],
                embeddings=vectors,
                documents=[d.text for d in batch],
                metadatas=[d.meta for d in batch],
            )
        self._lexical = None

    def delete_table(self, table_id: str) -> None:
        self.collection.delete(where={"table_id": table_id})
        self._lexical = None

    def _ids(self, kind: str) -> set[str]:
        return set(self.collection.get(where={"kind": kind}, include=[])["ids"])

    # --- keeping in step with the library ------------------------------------------------

    def sync(self, library: Library) -> str:
        """Add what the library has and the index lacks, drop what the library no longer has.

        Cheap when nothing changed: it compares ids only, and loads just the tables it must add.
        """
        ids = library.ids()
        have = {i.split(":", 1)[1] for i in self._ids("table")}
        missing = [t for tid in sorted(ids - have) if (t := library.get(tid)) is not None]
        extra = have - ids
        docs = [d for t in missing for d in table_docs(t)]
        chunks = self._chunks(library)
        have_policy = self._ids("policy")
        docs += [d for d in policy_docs(chunks) if d.id not in have_policy]
        if docs:
            self.upsert(docs)
        for tid in extra:
            self.delete_table(tid)
        stale = have_policy - {c.id for c in chunks}
        if stale:
            self.collection.delete(ids=list(stale))
        self._refresh_lexical(library, ids, chunks)
        if missing or extra:
            return f"索引已与资料库同步：新增 {len(missing)} 张表，移除 {len(extra)} 张表。"
        return ""

    def rebuild(self, library: Library) -> str:
        """Drop the collection and index the whole library again."""
        try:
            self.client.delete_collection(COLLECTION)
        except Exception:
            pass
        self.collection = self._open_collection()
        (self.home / "index" / "lexical.json").unlink(missing_ok=True)
        self.sync(library)
        return f"索引已重建：{self.collection.count()} 个文档。"

    @staticmethod
    def _chunks(library: Library) -> list[Chunk]:
        return builtin_notes() + [c for doc in library.policies() for c in doc.chunks]

    def _refresh_lexical(self, library: Library, ids: set[str], chunks: list[Chunk]) -> None:
        """Load the saved lexical index when it matches the library, else build and save it."""
        key = "\n".join(sorted(ids)) + "\n" + "\n".join(sorted(c.id for c in chunks))
        generation = hashlib.sha1(key.encode()).hexdigest()
        path = self.home / "index" / "lexical.npz"
        meta_path = self.home / "index" / "lexical.json"
        if path.exists() and meta_path.exists():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                if meta.get("generation") == generation:
                    self._use_lexical(Lexical.load(path), meta)
                    return
            except (ValueError, OSError, KeyError):
                pass  # unreadable: build it again below
        docs = [d for t in library.tables() for d in table_docs(t)] + policy_docs(chunks)
        lexical = Lexical.build([d.id for d in docs], [d.text for d in docs])
        lexical.save(path)
        meta = {
            "generation": generation,
            "kind": [d.kind for d in docs],
            "unit": [d.meta.get("unit", "") for d in docs],
        }
        tmp = meta_path.with_suffix(".part")
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp.replace(meta_path)
        self._use_lexical(lexical, meta)

    def _use_lexical(self, lexical: Lexical, meta: dict) -> None:
        self._lexical = lexical
        self._filters = {k: np.array(meta[k]) for k in ("kind", "unit")}

    # --- search --------------------------------------------------------------------------

    def search(
        self,
        query: str,
        kind: str | None = None,
        units: list[str] | None = None,
        k: int = 10,
        mode: str = "fused",
    ) -> list[Hit]:
        """The `k` best documents for `query`, optionally of one kind and from some units."""
        depth = max(k * 3, 30)
        dense = self._dense(query, kind, units, depth) if mode in ("fused", "dense") else []
        lexical = (
            self._lexical_hits(query, kind, units, depth) if mode in ("fused", "lexical") else []
        )
        if mode == "dense":
            return dense[:k]
        if mode == "lexical":
            return self._with_text(lexical[:k])
        fused: dict[str, float] = {}
        by_id = {h.id: h for h in lexical}
        by_id.update({h.id: h for h in dense})
        for ranked in (dense, lexical):
            for rank, h in enumerate(ranked):
                fused[h.id] = fused.get(h.id, 0.0) + 1.0 / (RRF_K + rank + 1)
        top = sorted(fused, key=lambda i: -fused[i])[:k]
        return self._with_text(
            [Hit(i, by_id[i].kind, fused[i], by_id[i].text, by_id[i].meta) for i in top]
        )

    def _where(self, kind: str | None, units: list[str] | None) -> dict | None:
        clauses: list[dict] = []
        if kind:
            clauses.append({"kind": kind})
        if units:
            clauses.append({"unit": {"$in": units}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def _dense(self, query: str, kind, units, depth: int) -> list[Hit]:
        vector = self.embedder.query(query)
        res = self.collection.query(
            query_embeddings=[vector],
            n_results=depth,
            where=self._where(kind, units),
            include=["documents", "metadatas", "distances"],
        )
        return [
            Hit(i, m.get("kind", ""), 1.0 - d, doc, m)
            for i, doc, m, d in zip(
                res["ids"][0],
                res["documents"][0],
                res["metadatas"][0],
                res["distances"][0],
                strict=True,
            )
        ]

    def _lexical_hits(self, query: str, kind, units, depth: int) -> list[Hit]:
        if self._lexical is None:
            return []
        scores = self._lexical.scores(query)
        mask = np.ones(len(scores), dtype=bool)
        if kind:
            mask &= self._filters["kind"] == kind
        if units:
            mask &= np.isin(self._filters["unit"], units)
        scores = np.where(mask, scores, 0.0)
        n = min(depth, int((scores > 0).sum()))
        if n == 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        ids = self._lexical.ids
        return [Hit(ids[i], str(self._filters["kind"][i]), float(scores[i]), "") for i in top]

    def _with_text(self, hits: list[Hit]) -> list[Hit]:
        need = [h.id for h in hits if not h.text]
        if need:
            got = self.collection.get(ids=need, include=["documents", "metadatas"])
            found = {
                i: (d, m)
                for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            }
            for h in hits:
                if not h.text and h.id in found:
                    h.text, h.meta = found[h.id]
        return hits

    def units(self, library: Library, fragment: str) -> list[str]:
        """Unit names in the library containing `fragment` (users type part of a name)."""
        if self._filters:
            names = {str(u) for u in self._filters["unit"] if u}
        else:
            names = {t.unit_name for t in library.tables()}
        return sorted(n for n in names if fragment in n or fragment in n.replace("天津市", ""))


def open_index(
    home: Path | None = None, url: str | None = None
) -> tuple[Library, Index, list[str]]:
    """The library and its index under `home`, brought into step; notes say what was repaired."""
    from jixiao import settings

    home = home or settings.home()
    library = Library(home)
    index = Index(home, url if url is not None else settings.chroma_url())
    with library.lock():
        note = index.sync(library)
    notes = index.notes + library.problems + ([note] if note else [])
    return library, index, notes


def _forget_store(path: Path) -> None:
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
