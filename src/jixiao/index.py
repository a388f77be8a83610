"""The retrieval index: chromadb (dense, bundled e5 model) + character BM25, fused by rank.

Documents (`jixiao.documents`) are derived from the library, so the index can always be rebuilt
from it; the Chroma store's lifecycle is `jixiao.store`, what it holds `jixiao.ledger`. The two
channels follow the library apart: the lexical index takes new tables at once (one new segment,
whatever the library's size), and the dense channel catches up as vectors are made, by the writer
that added them, outside the writers' lock — so new tables can be found by keyword at once, and
a search, in this process or another, never waits for vectors. `JIXIAO_CHROMA_URL` switches
from the embedded store to a Chroma server with no other change.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

import numpy as np

from jixiao.corpus import Library
from jixiao.documents import Doc, policy_docs, table_docs
from jixiao.embed import Embedder
from jixiao.embed_endpoint import Endpoint, endpoint_from
from jixiao.fusion import fuse
from jixiao.ledger import COLLECTION, EmbeddingLock, Ledger
from jixiao.lexical import MANIFEST, Entry, Lexical
from jixiao.model import Table
from jixiao.policy import Chunk, builtin_notes
from jixiao.progress import NullProgress, Progress
from jixiao.retrieval import Hit
from jixiao.settings import Settings

__all__ = ["COLLECTION", "Index", "open_index"]
REPAIR_TEXTS = 256  # new vectors an open makes itself (≈ 15 s); a larger gap is left to a writer
_REPAIR_TABLES = 2000  # tables an open reads to see how many new vectors they need
_STEP_DOCS = 512  # documents embedded, then stored, at a time while catching up
DENSE_STAGE = "建立索引（向量；已可按关键词检索）"


BESIDE_WITHIN = 5  # rows of one table among the first this many hits bring its summary up


def with_tables_beside_rows(top: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """`top` with a table's summary moved up to just after its first row when two or more of its
    rows are among the first `BESIDE_WITHIN` hits: the query is about that project (its name is
    in every row's text), and a project's rows are no answer to 网络系统租赁费的项目 without it."""
    out = list(top)
    counts: dict[str, int] = {}
    for doc, _ in out[:BESIDE_WITHIN]:
        if doc.startswith("indicator:"):
            table_id = doc.split(":")[1]
            counts[table_id] = counts.get(table_id, 0) + 1
    for table_id in (t for t, n in counts.items() if n >= 2):
        ids = [doc for doc, _ in out]
        first = next(n for n, doc in enumerate(ids) if doc.startswith(f"indicator:{table_id}:"))
        at = ids.index(f"table:{table_id}") if f"table:{table_id}" in ids else None
        if at is None or at < first:
            continue
        doc, _ = out.pop(at)
        out.insert(first + 1, (doc, out[first][1]))
    return out


class Index:
    """Dense and lexical search over the library under `home` (a `Retriever`); its slow steps
    (loading the model, embedding, building the lexical index) report to `progress`."""

    def __init__(
        self,
        home: Path,
        url: str | None = None,
        progress: Progress | None = None,
        endpoint: Endpoint | None = None,
    ) -> None:
        """`url`: a Chroma server; `endpoint`: where vectors come from instead of the bundled
        model."""
        self.home = home
        self.url = url
        self.progress = progress or NullProgress()
        self.progress.stage("打开索引")
        self.embedder = Embedder(home / "cache" / "embeddings.sqlite", endpoint)
        self.notes: list[str] = []  # what was repaired on the way, for the user
        self._store = None  # opened when first needed: a search on a library in step needs no store
        self.ledger_path = home / "index" / "dense.json"
        if url or not _store_looks_whole(home):
            self.store  # noqa: B018 — a server, or a store to create or repair: now
        self.lexical_dir = home / "index" / "lexical"
        self._embedding = EmbeddingLock(home / "index" / ".embedding.lock")
        self._lex: Lexical | None = None
        self._lex_stamp: tuple[int, int] | None = None  # the manifest's version `_lex` was read at
        self._held: tuple[set[str], set[str]] = (set(), set())  # the ledger, for ranking
        self._held_stamp: tuple[int, int] | None = None
        for old in ("lexical.npz", "lexical.json"):  # the one-piece index of before: rebuilt
            (home / "index" / old).unlink(missing_ok=True)

    @property
    def store(self):
        """The Chroma store (chromadb is imported and the collection opened on first use),
        opened anew when another process has written to it since (the ledger says so)."""
        if self._store is None:
            from jixiao.store import Store

            self._store = Store(self.home, self.url, self.embedder.cache_path, self.notes)
        self._store.current(_stamp(self.ledger_path))
        return self._store

    @property
    def collection(self):
        return self.store.collection

    # --- keeping in step with the library ------------------------------------------------

    def sync(self, library: Library, embed: int | None = REPAIR_TEXTS) -> str:
        """Bring both channels in step with the library; the caller holds the writers' lock.

        Cheap when nothing changed: ids are compared, and only tables the index lacks are read.
        Missing vectors are made here when at most `embed` texts need the model (None: any
        number; 0: none, not even from the cache) and no one else is making them; otherwise the
        note says the dense channel is catching up.
        """
        ids = library.ids()
        chunks = _chunks(library)
        lexical = self._lexical_now()
        held = lexical.ids()
        have = {i.split(":", 1)[1] for i in held if i.startswith("table:")}
        missing = [t for tid in sorted(ids - have) if (t := library.get(tid)) is not None]
        extra = have - ids
        policy = {i for i in held if not i.startswith(("table:", "indicator:"))}
        gone = [i for i in held if _table_of(i) in extra] if extra else []
        gone += sorted(policy - {c.id for c in chunks})
        new = [d for t in missing for d in table_docs(t)]
        new += [d for d in policy_docs(chunks) if d.id not in policy]
        if new or gone:
            self.progress.stage("建立索引（关键词）")
            self._save_lexical(lexical.removing(gone).adding(_entries(new)))
        # embed=0: the caller makes the vectors itself, after it lets go of the lock
        lag = self.catch_up(library, {t.id: t for t in missing}, limit=embed) if embed != 0 else ""
        notes = []
        if missing or extra:
            notes.append(f"索引已与资料库同步：新增 {len(missing)} 张表，移除 {len(extra)} 张表。")
        if lag:
            notes.append(lag)
        return "\n".join(notes)

    def add_tables(self, tables: list[Table]) -> None:
        """Tables just written to the library join the lexical index (the caller holds the
        writers' lock); `catch_up` makes their vectors."""
        lexical = self._lexical_now()
        held = lexical.ids()
        new = [d for t in tables if f"table:{t.id}" not in held for d in table_docs(t)]
        if new:
            self._save_lexical(lexical.adding(_entries(new)))

    def making_vectors(self):
        """Held by a writer from its first table to its last vector (take it before the
        writers' lock): an open meanwhile leaves the missing vectors to it."""
        return self._embedding.held(wait=True)

    def catch_up(
        self, library: Library, known: dict[str, Table] | None = None, limit: int | None = None
    ) -> str:
        """Make and store the vectors the library's tables and policy passages lack; `known`
        tables need not be read again. The writers' lock is taken only to store each step.

        With a `limit` (an open's repair), nothing is made when more than `limit` texts need
        the model, or when another thread or process is making vectors: the note returned
        says what is left.
        """
        with self._embedding.held(wait=limit is None) as mine:
            with library.lock():
                if (
                    self._store is None  # (an open store is checked: it may be new or repaired)
                    and self._in_step(library)
                    and self._lexical_now().dense_ready(self.embedder.source)
                ):
                    return ""  # nothing missing, the vectors beside the keywords: no store needed
                ledger = self._ledger()
                ids = library.ids()
                chunks = _chunks(library)
                stale = ledger.policy - {c.id for c in chunks}
                self._drop(ledger, set(ledger.tables) - ids, stale)
                pending = sorted(ids - set(ledger.tables))
                passages = [d for d in policy_docs(chunks) if d.id not in ledger.policy]
                if not pending and not passages:
                    self._vectors_beside_keywords(ledger)
                    return ""
                if not mine or (limit is not None and len(pending) > _REPAIR_TABLES):
                    return _lag_note(len(pending), len(passages), busy=not mine)
                known = known or {}
                tables = [t for tid in pending if (t := known.get(tid) or library.get(tid))]
                docs = [d for t in tables for d in table_docs(t)] + passages
                texts = [d.embed_text for d in docs]
                if limit is not None and self.embedder.uncached(texts) > limit:
                    return _lag_note(len(pending), len(passages), busy=False)
            self._store_vectors(library, docs)
        return ""

    def _store_vectors(self, library: Library, docs: list[Doc]) -> None:
        """Embed `docs` and store them a step at a time, each table's documents in one step."""
        self.progress.stage(DENSE_STAGE, total=len(docs))
        steps: list[list[Doc]] = [[]]
        for d in docs:
            if len(steps[-1]) >= _STEP_DOCS and _table_of(d.id) != _table_of(steps[-1][-1].id):
                steps.append([])
            steps[-1].append(d)
        with self.embedder.workers() if len(docs) > _STEP_DOCS else nullcontext():
            for step in steps:
                vectors = self.embedder.passages([d.embed_text for d in step])
                with library.lock():
                    ledger = self._ledger()
                    present = {t for d in step if (t := _table_of(d.id)) and library.has(t)}
                    keep = [i for i, d in enumerate(step) if _table_of(d.id) in present | {""}]
                    if keep:  # a table removed meanwhile is not stored
                        self.collection.upsert(
                            ids=[step[i].id for i in keep],
                            embeddings=vectors[keep],
                            documents=[step[i].text for i in keep],
                            metadatas=[step[i].meta for i in keep],
                        )
                    # Set, not added: storing a table twice (two writers) counts it once.
                    stored = Counter(t for i in keep if (t := _table_of(step[i].id)))
                    ledger.tables.update(stored)
                    ledger.policy.update(step[i].id for i in keep if not _table_of(step[i].id))
                    self._save_ledger(ledger)
                self.progress.advance(len(step))
        with library.lock():
            self._vectors_beside_keywords(self._ledger())

    def rebuild(self, library: Library) -> str:
        """Drop both channels and index the whole library again (vectors come from the cache
        where it has them). Waits for anyone making vectors; takes the writers' lock itself."""
        with self._embedding.held(wait=True):
            with library.lock():
                self.progress.stage("清空索引")
                self.store.reset()
                self._save_lexical(Lexical())
                self._save_ledger(Ledger(str(self.collection.id), self.embedder.source))
                self.sync(library, embed=0)
            self.catch_up(library)
        return f"索引已重建：{self.collection.count()} 个文档。"

    # --- the two channels' state ----------------------------------------------------------

    def _ledger(self) -> Ledger:
        """The ledger of the current collection; rebuilt from the store when it cannot be
        trusted (a crash between storing and writing it, a store reset or replaced)."""
        source = self.embedder.source
        ledger = Ledger.load(self.ledger_path, self.collection, source)
        if ledger is None:
            self.store.collection = self.store.open_collection()  # reset by another process?
            ledger = Ledger.load(self.ledger_path, self.collection, source)
        if ledger is None:
            ledger = Ledger.of(self.collection, source)
            self._save_ledger(ledger)
        if ledger.model != source:  # one model's vectors cannot be searched with another's
            self.store.reset()
            ledger = Ledger(str(self.collection.id), source)
            self._save_ledger(ledger)
            self.notes.append(f"向量来源已改为 {source}，向量索引重新建立。")
        return ledger

    def _save_ledger(self, ledger: Ledger) -> None:
        """Write the ledger after this process changed the store (so it is not taken for
        another process's change, which makes the store be opened anew)."""
        ledger.save(self.ledger_path)
        if self._store is not None:  # (not `self.store`: it would take this write for another's)
            self._store.known_as(_stamp(self.ledger_path))

    def _in_step(self, library: Library) -> bool:
        """Whether the ledger's file says every table and passage of the library has its
        vectors, from the current source (read without opening the store)."""
        ledger = Ledger.as_saved(self.ledger_path)
        return (
            ledger is not None
            and ledger.model == self.embedder.source
            and set(ledger.tables) == library.ids()
            and ledger.policy == {c.id for c in _chunks(library)}
        )

    def _vectors_beside_keywords(self, ledger: Ledger) -> None:
        """Give each lexical segment its documents' vectors (from the store) once the store has
        them all, so a search needs no store (the caller holds the writers' lock)."""
        lexical = self._lexical_now()
        source = self.embedder.source
        changed = lexical.vectors_from != source  # (the manifest says what the index holds)
        if changed:  # none yet, or another model's: start again
            for seg, _ in lexical.parts:
                seg.drop_vectors(self.lexical_dir)
            lexical.vectors_from = source
        for seg, dead in lexical.parts:
            if seg.vectors is not None or len(dead) == len(seg):
                continue
            live = [i for i in seg.ids if i not in dead]
            if not all(
                _table_of(i) in ledger.tables if _table_of(i) else i in ledger.policy for i in live
            ):
                continue  # still being made
            got: dict[str, list[float]] = {}
            for start in range(0, len(live), 5000):
                res = self.collection.get(ids=live[start : start + 5000], include=["embeddings"])
                got.update(zip(res["ids"], res["embeddings"], strict=True))
            if len(got) < len(live):
                continue  # the store lacks some: the next catch-up stores them
            vectors = np.zeros((len(seg), len(next(iter(got.values())))), dtype=np.float32)
            for n, doc_id in enumerate(seg.ids):
                if doc_id in got:
                    vectors[n] = got[doc_id]
            seg.save_vectors(self.lexical_dir, vectors)
            changed = True
        if changed:
            self._save_lexical(lexical)  # a new manifest: other processes read the vectors

    def _drop(self, ledger: Ledger, tables: set[str], passages: set[str]) -> None:
        """Remove from the store what the library no longer has (the caller holds the lock)."""
        for tid in tables:
            self.collection.delete(where={"table_id": tid})
            del ledger.tables[tid]
        if passages:
            self.collection.delete(ids=sorted(passages))
            ledger.policy -= passages
        if tables or passages:
            self._save_ledger(ledger)

    def _lexical_now(self) -> Lexical:
        """The lexical index as saved (another process may have added to it); segments already
        read are reused."""
        stamp = _stamp(self.lexical_dir / MANIFEST)
        if self._lex is None or stamp != self._lex_stamp:
            self._lex = Lexical.load(self.lexical_dir, self._lex) or Lexical()
            self._lex_stamp = stamp
        return self._lex

    def _save_lexical(self, lexical: Lexical) -> None:
        lexical.save(self.lexical_dir)
        self._lex = lexical  # one assignment: a search sees the old index or the new
        self._lex_stamp = _stamp(self.lexical_dir / MANIFEST)

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
            return lexical[:k]
        by_id = {h.id: h for h in lexical}
        by_id.update({h.id: h for h in dense})
        ranked, scores = [h.id for h in dense], [h.score for h in dense]
        waiting = self._without_vectors([h.id for h in lexical])
        for rank, h in enumerate(lexical):
            # Until its vector is made, a document is ranked by its keywords in both channels,
            # not outvoted by every document the dense channel already knows.
            if h.id in waiting and ranked:
                at = min(rank, len(ranked))
                ranked.insert(at, h.id)
                scores.insert(at, scores[min(at, len(scores) - 1)])
        top = fuse(
            [ranked, [h.id for h in lexical]],
            len(by_id),
            scores=[scores, [h.score for h in lexical]],
        )
        if kind is None:
            top = with_tables_beside_rows(top)
        return [Hit(i, by_id[i].kind, score, by_id[i].text, by_id[i].meta) for i, score in top[:k]]

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
        lexical = self._lexical_now()
        if lexical.dense_ready(self.embedder.source):  # exact, from the vectors beside the keywords
            return [
                Hit(i, meta.get("kind", ""), score, text, meta)
                for i, score, text, meta in lexical.nearest(vector, depth, kind, units)
            ]
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

    def _without_vectors(self, doc_ids: list[str]) -> set[str]:
        """Which of `doc_ids` have no vector yet (by the ledger as last written)."""
        stamp = _stamp(self.ledger_path)
        if stamp is None:
            return set()
        if stamp != self._held_stamp:
            try:
                data = json.loads(self.ledger_path.read_text(encoding="utf-8"))
                self._held = (set(data["tables"]), set(data["policy"]))
            except (OSError, ValueError, KeyError):
                return set()
            self._held_stamp = stamp
        tables, policy = self._held
        return {
            i for i in doc_ids if (_table_of(i) not in tables if _table_of(i) else i not in policy)
        }

    def _lexical_hits(self, query: str, kind, units, depth: int) -> list[Hit]:
        lexical = self._lexical_now()  # read once: an add may swap it meanwhile
        return [
            Hit(i, meta.get("kind", ""), score, text, meta)
            for i, score, text, meta in lexical.top(query, depth, kind, units)
        ]

    def units(self, library: Library, fragment: str) -> list[str]:
        """Unit names in the library containing `fragment` (users type part of a name)."""
        names = self._lexical_now().units()
        return sorted(n for n in names if fragment in n or fragment in n.replace("天津市", ""))


def _store_looks_whole(home: Path) -> bool:
    """Whether the embedded store's database is there and starts as SQLite does: a store that
    does not is opened at once (created, or set aside as damaged and rebuilt)."""
    try:
        with open(home / "index" / "chroma" / "chroma.sqlite3", "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _stamp(path: Path) -> tuple[int, int] | None:
    """Which version of a file this is (it is replaced whole, so a new inode is a new version)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _chunks(library: Library) -> list[Chunk]:
    return builtin_notes() + [c for doc in library.policies() for c in doc.chunks]


def _entries(docs: list[Doc]) -> list[Entry]:
    return [Entry(d.id, d.kind, d.text, d.meta) for d in docs]


def _table_of(doc_id: str) -> str:
    """The table a document id belongs to (`table:ID`, `indicator:ID:ROW`), else ""."""
    kind, _, rest = doc_id.partition(":")
    return rest.split(":", 1)[0] if kind in ("table", "indicator") else ""


def _lag_note(tables: int, passages: int, busy: bool) -> str:
    what = f"{tables} 张表" + (f"、{passages} 段政策" if passages else "")
    how = (
        "另一个导入正在补齐"
        if busy
        else "运行 `jixiao library rebuild` 可补齐（算过的向量取自缓存，不会重算）"
    )
    return f"向量索引还缺 {what}，检索暂以关键词为主；{how}。"


def open_index(
    home: Path | None = None, url: str | None = None, progress: Progress | None = None
) -> tuple[Library, Index, list[str]]:
    """The library and its index under `home`, brought into step; notes say what was repaired."""
    settings = Settings.from_env()
    home = home or settings.home
    library = Library(home)
    with library.lock():  # see Workspace: the store is created and checked under the lock
        url = url if url is not None else settings.chroma_url
        index = Index(home, url, progress, endpoint_from(settings))
        note = index.sync(library)
    notes = index.notes + library.problems + ([note] if note else [])
    return library, index, notes
