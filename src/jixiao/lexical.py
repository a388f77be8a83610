"""Lexical search: BM25 over character n-grams (Chinese needs no word segmenter for this).

Postings are numpy arrays, so a query over ~100,000 documents is a few array slices and one
`bincount`. The index saves to and loads from one `.npz` file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np

K1, B = 1.2, 0.75
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


class Lexical:
    """BM25 over a fixed list of documents; rebuild to change it."""

    def __init__(
        self,
        ids: list[str],
        vocab: dict[str, int],
        ptr: np.ndarray,
        docs: np.ndarray,
        weights: np.ndarray,
    ) -> None:
        self.ids = ids
        self.vocab = vocab
        self.ptr, self.docs, self.weights = ptr, docs, weights

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> Lexical:
        counts = [Counter(tokens(t)) for t in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        avg = float(lengths.mean()) if len(lengths) else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for d, c in enumerate(counts):
            for term, tf in c.items():
                postings.setdefault(term, []).append((d, tf))
        vocab = {term: i for i, term in enumerate(postings)}
        ptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        doc_list: list[int] = []
        tf_list: list[int] = []
        for i, plist in enumerate(postings.values()):
            ptr[i + 1] = ptr[i] + len(plist)
            for d, tf in plist:
                doc_list.append(d)
                tf_list.append(tf)
        docs = np.array(doc_list, dtype=np.int32)
        tf = np.array(tf_list, dtype=np.float32)
        df = np.diff(ptr).astype(np.float32)
        n = max(len(ids), 1)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        term_of_posting = np.repeat(np.arange(len(vocab)), np.diff(ptr))
        norm = K1 * (1 - B + B * lengths[docs] / avg) if len(docs) else tf
        weights = (idf[term_of_posting] * tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        return cls(list(ids), vocab, ptr, docs, weights)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (zeros where nothing matches)."""
        parts = [self.vocab[t] for t in set(tokens(query)) if t in self.vocab]
        if not parts:
            return np.zeros(len(self.ids), dtype=np.float32)
        idx = np.concatenate([np.arange(self.ptr[i], self.ptr[i + 1]) for i in parts])
        return np.bincount(
            self.docs[idx], weights=self.weights[idx], minlength=len(self.ids)
        ).astype(np.float32)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part.npz")
        np.savez(
            tmp,
            ptr=self.ptr,
            docs=self.docs,
            weights=self.weights,
            meta=np.frombuffer(
                json.dumps(
                    {"ids": self.ids, "vocab": list(self.vocab)}, ensure_ascii=False
                ).encode(),
                dtype=np.uint8,
            ),
        )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Lexical:
        with np.load(path) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            vocab = {term: i for i, term in enumerate(meta["vocab"])}
            return cls(meta["ids"], vocab, data["ptr"], data["docs"], data["weights"])
