"""Lexical search: BM25 over character n-grams (Chinese needs no word segmenter for this).

The index is a list of immutable segments, each the postings of some documents (numpy arrays:
a query over ~100,000 documents is a few array slices and one `bincount` per segment), with each
document's text and citation, so a hit needs nothing else. Adding documents writes one new
segment; removing marks them deleted in theirs; segments of a similar size are merged eight at a
time, array by array, so adding one table costs the same in a library of any size. Statistics
(document count, lengths, document frequencies) are summed over the segments at query time, so
scores are those of one index over all the documents.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

K1, B = 1.2, 0.75
FANOUT = 8  # segments of one size class merged at once
KINDS = ("table", "indicator", "policy")
MANIFEST = "manifest.json"
# A segment's arrays, one .npy file each.
ARRAYS = ("kind", "unit", "lengths", "ptr", "docs", "tf", "shown", "shown_at")
ARRAYS += ("ids", "ids_at", "terms", "terms_at", "units", "units_at")
VECTORS = "vectors"  # optional: the dense vectors, once every document of the segment has one
_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def tokens(text: str) -> list[str]:
    """CJK characters and their bigrams, plus latin words and numbers, from normalized text."""
    t = unicodedata.normalize("NFKC", text).lower()
    out: list[str] = []
    for run in _CJK.findall(t):
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    out.extend(_WORD.findall(t))
    return out


@dataclass
class Entry:
    """One document as the lexical index keeps it: what is searched, shown and filtered on."""

    id: str
    kind: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


class Segment:
    """Postings of a fixed set of documents (term → documents, term frequencies), with each
    document's kind and unit (filters), length, text and citation."""

    def __init__(self, arrays: dict[str, np.ndarray], name: str = "") -> None:
        self.name = name or uuid.uuid4().hex[:16]
        self.ids = _unpack(arrays["ids"], arrays["ids_at"])
        self.terms = _unpack(arrays["terms"], arrays["terms_at"])
        self.unit_names = _unpack(arrays["units"], arrays["units_at"])
        self.kind, self.unit = arrays["kind"], arrays["unit"]  # small ints: KINDS, unit_names
        self.lengths, self.ptr, self.docs, self.tf = (
            arrays[k] for k in ("lengths", "ptr", "docs", "tf")
        )
        self._shown, self._shown_at = arrays["shown"], arrays["shown_at"]
        self._arrays = arrays
        self.vocab = {t: i for i, t in enumerate(self.terms)}
        # The documents' dense vectors (float32, one row per document, L2-normalized), once
        # every one of them has its vector: the dense channel searched without the store.
        self.vectors: np.ndarray | None = arrays.get(VECTORS)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def id_set(self) -> frozenset[str]:
        return frozenset(self.ids)

    @cached_property
    def position(self) -> dict[str, int]:
        return {i: n for n, i in enumerate(self.ids)}

    def mask(self, ids: Iterable[str]) -> np.ndarray:
        """True for the documents among `ids`."""
        out = np.zeros(len(self), dtype=bool)
        out[[self.position[i] for i in ids]] = True
        return out

    def shown(self, i: int) -> tuple[str, dict[str, Any]]:
        """Document `i`'s text and citation metadata (decoded when a hit needs them)."""
        raw = self._shown[self._shown_at[i] : self._shown_at[i + 1]].tobytes().decode()
        text, _, meta = raw.partition("\0")
        return text, json.loads(meta)

    # --- building ------------------------------------------------------------------------

    @classmethod
    def build(cls, entries: list[Entry]) -> Segment:
        vocab: dict[str, int] = {}
        term: list[int] = []
        doc: list[int] = []
        tf: list[int] = []
        lengths = np.empty(len(entries), dtype=np.float32)
        for d, e in enumerate(entries):
            counts = Counter(tokens(e.text))
            lengths[d] = sum(counts.values())
            term.extend(vocab.setdefault(t, len(vocab)) for t in counts)
            tf.extend(counts.values())
            doc.extend([d] * len(counts))
        units = sorted({e.meta.get("unit", "") for e in entries})
        unit_index = {u: i for i, u in enumerate(units)}
        shown = [f"{e.text}\0{json.dumps(e.meta, ensure_ascii=False)}".encode() for e in entries]
        return cls._assemble(
            [e.id for e in entries],
            np.array([KINDS.index(e.kind) for e in entries], dtype=np.uint8),
            np.array([unit_index[e.meta.get("unit", "")] for e in entries], dtype=np.int32),
            units,
            lengths,
            list(vocab),
            (np.array(term, dtype=np.int64), np.array(doc, dtype=np.int32), np.array(tf)),
            (np.frombuffer(b"".join(shown), dtype=np.uint8), _offsets([len(b) for b in shown])),
        )

    @classmethod
    def merge(cls, segments: list[Segment], deleted: list[frozenset[str]]) -> Segment:
        """One segment with the documents of `segments`, but those `deleted` from each."""
        vocab: dict[str, int] = {}
        units: dict[str, int] = {}
        ids: list[str] = []
        terms, docs, tfs, kinds, unit, lengths, shown, sizes = ([] for _ in range(8))
        vectors = [] if all(s.vectors is not None for s in segments) else None
        for s, gone in zip(segments, deleted, strict=True):
            keep = ~s.mask(gone)
            if vectors is not None:
                vectors.append(np.asarray(s.vectors)[keep])
            position = np.cumsum(keep) - 1 + len(ids)  # a kept document's place in the merge
            to_vocab = np.array([vocab.setdefault(t, len(vocab)) for t in s.terms], dtype=np.int64)
            to_unit = np.array([units.setdefault(u, len(units)) for u in s.unit_names], np.int32)
            live = keep[s.docs]
            terms.append(np.repeat(to_vocab, np.diff(s.ptr))[live])
            docs.append(position[s.docs[live]].astype(np.int32))
            tfs.append(s.tf[live])
            kinds.append(s.kind[keep])
            unit.append(to_unit[s.unit[keep]])
            lengths.append(s.lengths[keep])
            size = np.diff(s._shown_at)
            shown.append(s._shown[np.repeat(keep, size)])
            sizes += size[keep].tolist()
            ids += [i for i, k in zip(s.ids, keep.tolist(), strict=True) if k]
        merged = cls._assemble(
            ids,
            np.concatenate(kinds),
            np.concatenate(unit),
            list(units),
            np.concatenate(lengths),
            list(vocab),
            (np.concatenate(terms), np.concatenate(docs), np.concatenate(tfs)),
            (np.concatenate(shown), _offsets(sizes)),
        )
        if vectors is not None:
            merged.with_vectors(np.concatenate(vectors))
        return merged

    def with_vectors(self, vectors: np.ndarray) -> None:
        """Give the segment its documents' vectors (saved with it)."""
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._arrays[VECTORS] = self.vectors

    def drop_vectors(self, folder: Path) -> None:
        """Forget the vectors (another model's): the segment is searched by the store again."""
        self.vectors = None
        self._arrays.pop(VECTORS, None)
        (folder / self.name / f"{VECTORS}.npy").unlink(missing_ok=True)

    def save_vectors(self, folder: Path, vectors: np.ndarray) -> None:
        """Add the vectors to this segment as saved in `folder` (the one file it lacked)."""
        tmp = folder / self.name / f".{VECTORS}.part.npy"
        np.save(tmp, np.ascontiguousarray(vectors, dtype=np.float32))
        tmp.rename(folder / self.name / f"{VECTORS}.npy")
        self.vectors = np.load(folder / self.name / f"{VECTORS}.npy", mmap_mode="r")
        self._arrays[VECTORS] = self.vectors

    @classmethod
    def _assemble(cls, ids, kind, unit, units, lengths, terms, postings, shown) -> Segment:
        term, doc, tf = postings
        order = np.lexsort((doc, term))  # postings grouped by term, documents ascending
        ptr = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term, minlength=len(terms)), out=ptr[1:])
        arrays = {
            "kind": kind,
            "unit": unit,
            "lengths": lengths,
            "ptr": ptr,
            "docs": doc[order],
            "tf": np.minimum(tf[order], 65535).astype(np.uint16),
            "shown": shown[0],
            "shown_at": shown[1],
        }
        for key, strings in (("ids", ids), ("terms", terms), ("units", units)):
            arrays[key], arrays[f"{key}_at"] = _pack(strings)
        return cls(arrays)

    # --- scoring -------------------------------------------------------------------------

    def df(self, term: str) -> int:
        i = self.vocab.get(term)
        return 0 if i is None else int(self.ptr[i + 1] - self.ptr[i])

    def scores(self, idf: dict[str, float], avg: float) -> np.ndarray | None:
        """BM25 of each document for query terms of these idf, with this average length;
        None when no term occurs here."""
        parts = [(self.vocab[t], w) for t, w in idf.items() if t in self.vocab]
        if not parts:
            return None
        idx = np.concatenate([np.arange(self.ptr[i], self.ptr[i + 1]) for i, _ in parts])
        weight = np.concatenate(
            [np.full(self.ptr[i + 1] - self.ptr[i], w, dtype=np.float32) for i, w in parts]
        )
        docs, tf = self.docs[idx], self.tf[idx].astype(np.float32)
        norm = K1 * (1 - B + B * self.lengths[docs] / avg)
        return np.bincount(
            docs, weights=weight * tf * (K1 + 1) / (tf + norm), minlength=len(self)
        ).astype(np.float32)

    # --- on disk -------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """A folder of .npy files, one per array, made whole under another name first."""
        tmp = folder / f".{self.name}.part"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for key, array in self._arrays.items():
            np.save(tmp / f"{key}.npy", array)
        tmp.rename(folder / self.name)

    @classmethod
    def load(cls, folder: Path, name: str) -> Segment:
        """The segment, its arrays mapped rather than read: a query reads the pages it needs."""
        arrays = {k: np.load(folder / name / f"{k}.npy", mmap_mode="r") for k in ARRAYS}
        if (folder / name / f"{VECTORS}.npy").exists():
            arrays[VECTORS] = np.load(folder / name / f"{VECTORS}.npy", mmap_mode="r")
        return cls(arrays, name)


class Lexical:
    """BM25 over segments, each with the ids deleted from it. Never changed in place: `adding`
    and `removing` return a new index, so a search running meanwhile sees the old one or the
    new, never half of one."""

    def __init__(
        self, parts: Iterable[tuple[Segment, Iterable[str]]] = (), vectors_from: str = ""
    ) -> None:
        self.parts = [(s, frozenset(d)) for s, d in parts]
        self.vectors_from = vectors_from  # the embedding source the segments' vectors come from
        self.size = sum(len(s) for s, _ in self.parts)
        total = sum(float(s.lengths.sum()) for s, _ in self.parts)
        self._avg = total / max(self.size, 1)
        self._dead = [s.mask(d) if d else None for s, d in self.parts]

    # --- what it holds -------------------------------------------------------------------

    def ids(self) -> set[str]:
        """Ids of the documents it holds (deleted ones left out)."""
        return {i for s, d in self.parts for i in (s.id_set - d if d else s.id_set)}

    def units(self) -> set[str]:
        return {u for s, _ in self.parts for u in s.unit_names if u}

    # --- changes -------------------------------------------------------------------------

    def adding(self, entries: list[Entry]) -> Lexical:
        """This index with `entries` added; an id already there is replaced."""
        if not entries:
            return self
        new = {e.id for e in entries}
        parts = [(s, d | (new & s.id_set)) for s, d in self.parts]
        return Lexical([*parts, (Segment.build(entries), frozenset())], self.vectors_from)._merged()

    def removing(self, ids: Iterable[str]) -> Lexical:
        gone = set(ids)
        parts = [(s, d | (gone & s.id_set)) for s, d in self.parts]
        if all(len(d) == len(d0) for (_, d), (_, d0) in zip(parts, self.parts, strict=True)):
            return self
        return Lexical(parts, self.vectors_from)._merged()

    def _merged(self) -> Lexical:
        """Drop segments with nothing left, and merge the segments of a size class once it has
        `FANOUT` of them (smallest class first), leaving out their deleted documents."""
        parts = [(s, d) for s, d in self.parts if len(d) < len(s)]
        while True:
            # Segments with vectors merge among themselves (the merge keeps them), and those
            # still waiting for theirs among themselves: no vector is fetched again for a merge.
            classes: dict[tuple[int, bool], list[tuple[Segment, frozenset[str]]]] = {}
            for p in parts:
                key = (_size_class(len(p[0]) - len(p[1])), p[0].vectors is not None)
                classes.setdefault(key, []).append(p)
            full = [group for _, group in sorted(classes.items()) if len(group) >= FANOUT]
            if not full:
                break
            merged = Segment.merge([s for s, _ in full[0]], [d for _, d in full[0]])
            parts = [p for p in parts if p not in full[0]] + [(merged, frozenset())]
        return self if parts == self.parts else Lexical(parts, self.vectors_from)

    # --- search --------------------------------------------------------------------------

    def top(
        self, query: str, depth: int, kind: str | None = None, units: list[str] | None = None
    ) -> list[tuple[str, float, str, dict[str, Any]]]:
        """The `depth` best documents as (id, BM25 score, text, metadata), optionally of one
        kind and from some units."""
        df = {t: sum(s.df(t) for s, _ in self.parts) for t in set(tokens(query))}
        n = self.size
        idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items() if f}
        if not idf:
            return []
        return self._best(lambda s: s.scores(idf, self._avg), depth, kind, units, positive=True)

    def dense_ready(self, source: str) -> bool:
        """Whether every segment with documents left has vectors from `source`."""
        return (
            bool(self.parts)
            and self.vectors_from == source
            and all(s.vectors is not None for s, d in self.parts if len(d) < len(s))
        )

    def nearest(
        self,
        vector: np.ndarray,
        depth: int,
        kind: str | None = None,
        units: list[str] | None = None,
    ) -> list[tuple[str, float, str, dict[str, Any]]]:
        """The `depth` documents whose vectors are nearest `vector` (cosine, exact), as
        (id, similarity, text, metadata); only when `dense_ready`."""
        q = np.asarray(vector, dtype=np.float32)
        return self._best(
            lambda s: None if s.vectors is None else s.vectors @ q, depth, kind, units
        )

    def _best(
        self,
        score: Callable[[Segment], np.ndarray | None],
        depth: int,
        kind: str | None,
        units: list[str] | None,
        positive: bool = False,
    ) -> list[tuple[str, float, str, dict[str, Any]]]:
        """The `depth` live documents of best `score` (per segment; None: none of it), of one
        kind and some units when asked, only those scoring above 0 when `positive`."""
        found: list[tuple[float, Segment, int]] = []
        for (s, _), dead in zip(self.parts, self._dead, strict=True):
            scores = score(s)
            if scores is None:
                continue
            mask = scores > 0 if positive else np.ones(len(s), dtype=bool)
            if dead is not None:
                mask &= ~dead
            if kind:
                mask &= s.kind == KINDS.index(kind)
            if units:
                wanted = [i for i, u in enumerate(s.unit_names) if u in units]
                mask &= np.isin(s.unit, wanted)
            hits = np.flatnonzero(mask)
            if len(hits) > depth:
                hits = hits[np.argpartition(-scores[hits], depth - 1)[:depth]]
            found += [(float(scores[i]), s, int(i)) for i in hits]
        found.sort(key=lambda f: -f[0])
        return [(s.ids[i], value, *s.shown(i)) for value, s, i in found[:depth]]

    # --- on disk -------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the new segments, then the manifest naming them all (one atomic step), then
        remove the segments it no longer names."""
        folder.mkdir(parents=True, exist_ok=True)
        for s, _ in self.parts:
            if not (folder / s.name).exists():
                s.save(folder)
        manifest = {
            "version": 2,
            "vectors": self.vectors_from,
            "segments": [{"name": s.name, "deleted": sorted(d)} for s, d in self.parts],
        }
        tmp = folder / f".{MANIFEST}.part"
        tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / MANIFEST)
        names = {s.name for s, _ in self.parts}
        for old in folder.iterdir():
            if old.is_dir() and old.name not in names:
                shutil.rmtree(old, ignore_errors=True)  # a reader mapping it keeps its pages
            elif old.suffix == ".npz":
                old.unlink(missing_ok=True)  # a segment as it was saved before

    @classmethod
    def load(cls, folder: Path, known: Lexical | None = None) -> Lexical | None:
        """The saved index, or None when there is none (or it cannot be read); segments
        already in `known` are reused rather than read again."""
        reuse = {s.name: s for s, _ in known.parts} if known else {}
        for _ in range(5):  # a writer may replace segments between the manifest and the files
            try:
                manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
                parts = []
                vectors_from = manifest.get("vectors", "")
                if known is not None and known.vectors_from != vectors_from:
                    reuse = {}  # the vectors changed model: read every segment's afresh
                for p in manifest["segments"]:
                    seg = reuse.get(p["name"])
                    if seg is None or (
                        seg.vectors is None and (folder / p["name"] / f"{VECTORS}.npy").exists()
                    ):
                        seg = Segment.load(folder, p["name"])  # new, or its vectors came since
                    parts.append((seg, p["deleted"]))
                return cls(parts, vectors_from)
            except FileNotFoundError:
                continue
            except (ValueError, KeyError, OSError):
                return None  # damaged: rebuilt from the library
        return None


def _size_class(n: int) -> int:
    return int(math.log(max(n, 1), FANOUT))


def _offsets(sizes: list[int]) -> np.ndarray:
    out = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=out[1:])
    return out


def _pack(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as their UTF-8 bytes end to end and their offsets in characters (numpy's
    fixed-width strings would pad every one to the longest)."""
    joined = "".join(strings).encode()
    return np.frombuffer(joined, dtype=np.uint8), _offsets([len(s) for s in strings])


def _unpack(packed: np.ndarray, at: np.ndarray) -> list[str]:
    joined = packed.tobytes().decode()
    bounds = at.tolist()
    return [joined[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
