"""BM25 (Lucene variant) over precomputed per-document scores, in bm25s's saved folder layout,
searched without importing `bm25s` (its import pulls in scipy: about 0.15 s of a cold `qa ask`).
`index.bm25_build` builds the arrays; `index.read_model` owns where they live.

The index holds each term's per-document scores as a CSC matrix (``data``, ``indices``,
``indptr``: documents of column t are ``indices[indptr[t]:indptr[t+1]]``) and the term -> column
vocabulary. A term's document frequency is the length of its column. Scoring and top-k
selection repeat bm25s 0.3's numpy backend step for step (`np.add.at` per query term in order,
the weight mask multiplied in, `argpartition` then a flipped `argsort`), so results, ties
included, are the same as bm25s's; tests/test_read_model_format.py compares the two. A saved
index is memory-mapped, the vocabulary included (``terms.bin``: the terms sorted, end to end,
searched by bisection; a folder bm25s wrote has ``vocab.index.json`` instead), so an open
reads nothing per term or document.
Left out: the "non-occurrence" score of the BM25L/BM25+ variants (the Lucene variant has none).
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

K1, B = 1.5, 0.75


class SortedVocab(Mapping[str, int]):
    """term -> column over the terms sorted (`terms`: any sequence of str, e.g. memory-mapped `Strings`).

    >>> v = SortedVocab(["cat", "dog"], np.array([4, 2])); v["dog"], "eel" in v, v.get("ant"), len(v)
    (2, False, None, 2)
    """

    def __init__(self, terms: Any, columns: np.ndarray) -> None:
        self._terms, self._columns = terms, columns

    def __getitem__(self, term: str) -> int:
        i = bisect.bisect_left(self._terms, term)
        if i < len(self._terms) and self._terms[i] == term:
            return int(self._columns[i])
        raise KeyError(term)

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def columns(self) -> int:
        return int(self._columns.max()) + 1 if len(self._columns) else 0


class BM25Scores:
    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, vocab: Mapping[str, int],
                 num_docs: int) -> None:
        self.num_docs = num_docs
        self.vocab = vocab
        self._data, self._indices, self._indptr = data, indices, indptr
        if isinstance(vocab, SortedVocab):
            terms = vocab.columns()
        else:
            terms = max((i for t, i in vocab.items() if t), default=-1) + 1     # bm25s adds "" past the end
        if len(data) != len(indices) or int(indptr[-1]) != len(data) or len(indptr) != terms + 1:
            raise ValueError("BM25 arrays do not fit together")

    def doc_freq(self, term: str) -> int:
        """Documents holding `term` (0: unknown)."""
        col = self.vocab.get(term)
        return 0 if col is None or col + 1 >= len(self._indptr) else int(self._indptr[col + 1] - self._indptr[col])

    def idf(self, term: str) -> float:
        """Lucene's IDF of `term` in this collection (the weight the composer gives a word)."""
        df = self.doc_freq(term)
        return math.log(1 + (self.num_docs - df + 0.5) / (df + 0.5))

    @staticmethod
    def empty_idf() -> float:
        """The IDF of any term in an empty collection."""
        return math.log(2.0)

    def _scores(self, terms: list[str], mask: np.ndarray | None) -> np.ndarray:
        """Every document's score for these terms (unknown terms ignored), 0 where `mask` is False."""
        ids = np.asarray([self.vocab[t] for t in terms if t in self.vocab], dtype=np.int64)
        scores = np.zeros(self.num_docs, dtype=self._data.dtype)
        for start, end in zip(self._indptr[ids], self._indptr[ids + 1]):
            np.add.at(scores, self._indices[start:end], self._data[start:end])
        if mask is not None:
            scores *= mask
        return scores

    def top(self, terms: list[str], k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the best `k` documents for these terms (unknown terms ignored), best first."""
        scores = self._scores(terms, mask)
        best = np.argpartition(scores, -k).take(indices=range(-k, 0))
        best_scores = np.take(scores, best)
        order = np.flip(np.argsort(best_scores))
        return best[order], best_scores[order]

    def best(self, terms: list[str], k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Up to `k` documents with a positive score, best first, ties by row: `top` without its
        zero-score rows, which a search drops anyway, and with ties broken the same way every time.

        Selecting among the scored rows only, not the whole collection: at a million chunks,
        `np.argpartition` over every row took 16 ms a question (a collection is mostly zeros),
        over the scored ones 1-2 ms.
        """
        scores = self._scores(terms, mask)
        rows = np.flatnonzero(scores > 0)
        if len(rows) > k:
            kth = np.partition(scores[rows], len(rows) - k)[len(rows) - k]
            rows = rows[scores[rows] >= kth]               # every row tied with the k-th too
        values = scores[rows]
        order = np.lexsort((rows, -values))[:k]          # best first, then the lower row
        return rows[order], values[order]


def load_bm25(folder: Path) -> BM25Scores:
    """A saved index (bm25s's file names), its arrays memory-mapped; damage raises."""
    params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
    if params.get("method") != "lucene":
        raise ValueError(f"BM25 method {params.get('method')!r} is not 'lucene'")
    if (folder / "terms.bin").exists():
        from index.chunk_table import Strings, mapped

        blob = mapped(folder / "terms.bin")
        offsets = np.load(folder / "term_offsets.npy", mmap_mode="r")
        columns = np.load(folder / "term_columns.npy", mmap_mode="r")
        if (len(offsets) != len(columns) + 1 or int(offsets[0]) != 0 or int(offsets[-1]) != len(blob)
                or np.any(np.diff(offsets) < 0)):
            raise ValueError("the BM25 terms do not fit their offsets")
        vocab: Mapping[str, int] = SortedVocab(Strings(blob, offsets), columns)
    else:
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
    arrays = [np.load(folder / f"{name}.csc.index.npy", mmap_mode="r") for name in ("data", "indices", "indptr")]
    return BM25Scores(*arrays, vocab, int(params["num_docs"]))


def save_bm25(index: BM25Scores, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in (("data", index._data), ("indices", index._indices), ("indptr", index._indptr)):
        np.save(folder / f"{name}.csc.index.npy", array)
    from index.chunk_table import Strings

    terms = sorted(t for t in index.vocab if t)
    packed = Strings.of(terms)
    (folder / "terms.bin").write_bytes(packed.blob)
    np.save(folder / "term_offsets.npy", packed.offsets)
    np.save(folder / "term_columns.npy", np.asarray([index.vocab[t] for t in terms], dtype=np.int64))
    params = {"k1": K1, "b": B, "method": "lucene", "idf_method": "lucene", "dtype": str(index._data.dtype),
              "int_dtype": str(index._indices.dtype), "num_docs": index.num_docs, "backend": "numpy"}
    (folder / "params.index.json").write_text(json.dumps(params, indent=1), encoding="utf-8")
