"""Search a BM25 index that `bm25s` saved, without importing `bm25s` (its import pulls in
scipy: about 0.15 s of a cold `qa ask`). `index.read_model` builds and saves with `bm25s`.

The saved index holds each term's precomputed per-document scores (a CSC matrix: ``data``,
``indices``, ``indptr``) and the term -> column vocabulary. Scoring and top-k selection repeat
bm25s 0.3's numpy backend step for step (`np.add.at` per query term in order, the weight mask
multiplied in, `argpartition` then a flipped `argsort`), so results, ties included, are the
same; tests/test_read_model_format.py compares the two. Left out: the "non-occurrence" score
of the BM25L/BM25+ variants (the index uses the Lucene variant, which has none).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class SavedBM25:
    """A bm25s index folder, memory-mapped."""

    def __init__(self, folder: Path) -> None:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") != "lucene":
            raise ValueError(f"BM25 method {params.get('method')!r} is not 'lucene'")
        self.num_docs = int(params["num_docs"])
        self._dtype = np.dtype(params["dtype"])
        self._int_dtype = np.dtype(params["int_dtype"])
        self.vocab: dict[str, int] = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        self._data = np.load(folder / "data.csc.index.npy", mmap_mode="r")
        self._indices = np.load(folder / "indices.csc.index.npy", mmap_mode="r")
        self._indptr = np.load(folder / "indptr.csc.index.npy")
        terms = max((i for t, i in self.vocab.items() if t), default=-1) + 1     # bm25s adds "" past the end
        if len(self._data) != len(self._indices) or int(self._indptr[-1]) != len(self._data) \
                or len(self._indptr) != terms + 1:
            raise ValueError("BM25 arrays do not fit together")

    def top(self, terms: list[str], k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the best `k` documents for these terms (unknown terms ignored), best first."""
        ids = np.asarray([self.vocab[t] for t in terms if t in self.vocab], dtype=self._int_dtype)
        scores = np.zeros(self.num_docs, dtype=self._dtype)
        starts, ends = self._indptr[ids], self._indptr[ids + 1]
        for start, end in zip(starts, ends):
            np.add.at(scores, self._indices[start:end], self._data[start:end])
        if mask is not None:
            scores *= mask
        best = np.argpartition(scores, -k).take(indices=range(-k, 0))
        best_scores = np.take(scores, best)
        order = np.flip(np.argsort(best_scores))
        return best[order], best_scores[order]
