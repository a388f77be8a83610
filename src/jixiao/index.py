"""The retrieval index: chromadb (dense, bundled e5 model) + character BM25, fused by rank.

Documents (`jixiao.documents`) are derived from the library, so the index can always be rebuilt
from it; the Chroma store's lifecycle is `jixiao.store`. The lexical index is replaced as a whole
when it is rebuilt, so a search running meanwhile uses the previous one, never none.
`JIXIAO_CHROMA_URL` switches from the embedded store to a Chroma server with no other change.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from jixiao.corpus import Library
from jixiao.documents import Doc, policy_docs, table_docs
from jixiao.embed import Embedder
from jixiao.fusion import fuse
from jixiao.lexical import Lexical
from jixiao.policy import Chunk, builtin_notes
from jixiao.progress import NullProgress, Progress
from jixiao.retrieval import Hit
from jixiao.settings import Settings
from jixiao.store import COLLECTION, Store

__all__ = ["COLLECTION", "Index", "open_index"]
_BATCH = 2000


class _LexicalState:
    """A lexical index and the per-document filters that go with it, swapped in as one."""

    def __init__(self, lexical: Lexical, meta: dict) -> None:
        self.lexical = lexical
        self.filters = {k: np.array(meta[k]) for k in ("kind", "unit")}


class Index:
    """Dense and lexical search over the library under `home` (a `Retriever`); its slow steps
    (loading the model, embedding, building the lexical index) report to `progress`."""

    def __init__(
        self, home: Path, url: str | None = None, progress: Progress | None = None
    ) -> None:
        self.home = home
        self.url = url
        self.progress = progress or NullProgress()
        self.progress.stage("打开索引")
        self.embedder = Embedder(home / "cache" / "embeddings.sqlite")
        self.store = Store(home, url, self.embedder.cache_path)
        self.notes = self.store.notes
        self._lex: _LexicalState | None = None

    @property
    def collection(self):
        return self.store.collection

    def upsert(self, docs: list[Doc]) -> None:
        texts = [d.embed_text for d in docs]
        vectors = self.embedder.passages(texts, self.progress, "建立索引（向量）")
        for start in range(0, len(docs), _BATCH):
            batch = docs[start : start + _BATCH]
            self.collection.upsert(
                ids=[d.id for d in batch],
                embeddings=vectors[start : start + _BATCH],
                documents=[d.text for d in batch],
                metadatas=[d.meta for d in batch],
            )

    def delete_table(self, table_id: str) -> None:
        self.collection.delete(where={"table_id": table_id})

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
        self.progress.stage("清空索引")
        self.store.reset()
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
                    self._lex = _LexicalState(Lexical.load(path), meta)
                    return
            except (ValueError, OSError, KeyError):
                pass  # unreadable: build it again below
        self.progress.stage("建立索引（关键词）")
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
        self._lex = _LexicalState(lexical, meta)  # one assignment: searches see old or new

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
        by_id = {h.id: h for h in lexical}
        by_id.update({h.id: h for h in dense})
        top = fuse(
            [[h.id for h in dense], [h.id for h in lexical]],
            k,
            scores=[[h.score for h in dense], [h.score for h in lexical]],
        )
        return self._with_text(
            [Hit(i, by_id[i].kind, score, by_id[i].text, by_id[i].meta) for i, score in top]
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
        vector = self.embedder.query(query, self.progress)
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
        state = self._lex  # read once: a rebuild may swap it meanwhile
        if state is None:
            return []
        scores = state.lexical.scores(query)
        mask = np.ones(len(scores), dtype=bool)
        if kind:
            mask &= state.filters["kind"] == kind
        if units:
            mask &= np.isin(state.filters["unit"], units)
        scores = np.where(mask, scores, 0.0)
        n = min(depth, int((scores > 0).sum()))
        if n == 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        ids = state.lexical.ids
        return [Hit(ids[i], str(state.filters["kind"][i]), float(scores[i]), "") for i in top]

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
        state = self._lex
        if state is not None:
            names = {str(u) for u in state.filters["unit"] if u}
        else:
            names = {t.unit_name for t in library.tables()}
        return sorted(n for n in names if fragment in n or fragment in n.replace("天津市", ""))


def open_index(
    home: Path | None = None, url: str | None = None, progress: Progress | None = None
) -> tuple[Library, Index, list[str]]:
    """The library and its index under `home`, brought into step; notes say what was repaired."""
    settings = Settings.from_env()
    home = home or settings.home
    library = Library(home)
    with library.lock():  # see Workspace: the store is created and checked under the lock
        index = Index(home, url if url is not None else settings.chroma_url, progress)
        note = index.sync(library)
    notes = index.notes + library.problems + ([note] if note else [])
    return library, index, notes
