"""Nearest neighbours of a question vector, chunks and articles: the one place that decides
between exact search over the read model's vectors and Chroma's HNSW index.

Up to `exact_limit` rows the search is exact: a matrix product over the read model's
memory-mapped vectors with the filter applied as a mask (a few ms at 40k chunks; Chroma's
HNSW with a `where` filter took ~250 ms a query here). Above it, Chroma's HNSW fetches
`overfetch` x the wanted count unfiltered and the allowed rows are kept; when too few survive
(a selective filter), the exact search over the allowed rows answers instead. Chroma is
reached through `store`, a function called only when HNSW is used, so an index small enough
for exact search is answered without opening (or importing) Chroma.

Rows are read-model rows: chunk hits are (table position, cosine similarity), article hits
are (article id, cosine similarity), best first. Ids Chroma returns that the snapshot does
not hold (an article being re-indexed) are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from index.read_model import ReadModel

if TYPE_CHECKING:
    from index.store import ChromaStore


class NearestNeighbours:
    def __init__(self, model: ReadModel, store: Callable[[], "ChromaStore"], exact_limit: int = 50_000,
                 overfetch: int = 4) -> None:
        self._model = model
        self._store = store
        self.exact_limit = exact_limit
        self.overfetch = overfetch

    def chunks_are_exact(self) -> bool:
        """Is chunk search exact (the local matrix), or Chroma's HNSW (above `exact_limit`)?"""
        return len(self._model.table.ids) <= self.exact_limit

    def articles_are_exact(self) -> bool:
        # one vector per article: 100k chunks are ~6k articles, a 0.5 ms product (HNSW took 5 ms)
        return len(self._model.article_ids) <= self.exact_limit

    def chunks(self, vector: np.ndarray, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(table position, cosine) of the `n` nearest chunks allowed by `mask`."""
        model = self._model
        if self.chunks_are_exact():
            return model.nearest(vector, n, mask)
        table = model.table
        total = len(table.ids)

        def hnsw(k: int) -> list[tuple[int, float]]:
            found = self._store().nearest_chunk_ids(vector, k, None, total)
            rows = [(table.row_of(cid), sim) for cid, sim in found]
            return [(row, sim) for row, sim in rows if row is not None]

        return post_filtered(hnsw, lambda: model.nearest(vector, n, mask), n, mask, self.overfetch)

    def articles(self, vector: np.ndarray, n: int, chunk_mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(article id, cosine of its title + lead vector) of the `n` nearest articles that have a
        chunk allowed by `chunk_mask`."""
        model = self._model
        allowed = model.article_mask(chunk_mask)
        if self.articles_are_exact():
            return model.nearest_articles(vector, n, allowed)
        row, ids = model.article_row, model.article_ids
        total = len(ids)

        def hnsw(k: int) -> list[tuple[int, float]]:
            return [(row[aid], sim) for aid, sim in self._store().query_articles(vector, k, None, total) if aid in row]

        def exact() -> list[tuple[int, float]]:
            return [(row[aid], sim) for aid, sim in model.nearest_articles(vector, n, allowed)]

        return [(ids[r], sim) for r, sim in post_filtered(hnsw, exact, n, allowed, self.overfetch)]


def post_filtered(hnsw: Callable[[int], list[tuple[int, float]]], exact: Callable[[], Any], n: int,
                  mask: np.ndarray | None, overfetch: int) -> list[tuple[int, float]]:
    """HNSW with the filter applied afterwards (see the module docstring).

    >>> hnsw = lambda k: [(0, 0.9), (1, 0.8), (2, 0.7), (3, 0.6)][:k]
    >>> post_filtered(hnsw, lambda: "exact", 1, np.array([False, True, True, True]), 2)
    [(1, 0.8)]
    >>> post_filtered(hnsw, lambda: "exact", 2, np.array([True, False, False, False]), 2)
    'exact'
    """
    if mask is None:
        return hnsw(n)
    kept = [(row, sim) for row, sim in hnsw(n * overfetch) if mask[row]]
    if len(kept) >= n:
        return kept[:n]
    return exact()
