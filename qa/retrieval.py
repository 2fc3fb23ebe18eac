"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s), fused, ranked by article, dated.

1. Candidates: the nearest chunks (`index.nearest`) and the best BM25 chunks, both under the
   same filters; hits on chunks that are not visible (an article mid-update) are dropped.
2. Chunk score: reciprocal rank fusion of the two lists.
3. Article score: best chunk + `second_chunk_weight` x second-best chunk + an article-level
   dense signal (the article's title + lead vector, from the manifest collection), times
   the as-of time weight (`qa.filters`). Ranking articles, not just chunks, keeps many
   small chunks of one long article from crowding out the others.
4. Passages: the best chunk of each article in article order, then second chunks, ...
   (diverse across articles); overlapping chunks of one article are merged.

`mode="dense"` or `"bm25"` switches to one list alone (for ablations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

import numpy as np

from index.embed import Embedder
from index.read_model import ReadModel
from index.nearest import NearestNeighbours
from index.store import ChromaStore
from qa.filters import Filters, TimePreference, newest_day, reference_day
from qa.lru import LruCache
from qa.types import Passage

MODES = ("hybrid", "dense", "bm25")


FUSIONS = ("rrf", "scores")


@dataclass(frozen=True)
class RetrievalSettings:
    mode: str = "hybrid"
    fusion: str = "scores"          # "rrf": reciprocal ranks; "scores": cosine + BM25 / best BM25
    candidates: int = 60
    exact_limit: int = 50_000       # up to this many chunks dense search is exact (the local matrix);
    overfetch: int = 4              # above, Chroma's HNSW fetches 4x the candidates, then filters
    rrf_k: int = 60
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    article_weight: float = 0.5
    second_chunk_weight: float = 0.3
    time: TimePreference = field(default_factory=TimePreference)
    # Without an as-of date, a mild preference for the newest news in the index (None: off).
    recency: TimePreference | None = field(default_factory=lambda: TimePreference(
        grace_days=30, tau_days=90, floor=0.3, undated=0.75))

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, got {self.fusion!r}")


@dataclass
class ArticleHit:
    article_id: str
    score: float
    chunks: list[tuple[int, float]]   # (chunk table position, fused chunk score), best first
    similarity: float = 0.0           # best dense cosine similarity among its chunks (0 in bm25 mode)


class HybridRetriever:
    """Implements the `Retriever` protocol over one store + read model."""

    def __init__(self, store: Callable[[], ChromaStore], model: ReadModel, embedder: Embedder,
                 settings: RetrievalSettings = RetrievalSettings()) -> None:
        """`store` opens (or returns) the Chroma store; it is called only for HNSW search."""
        self.model = model
        self._nearest = NearestNeighbours(model, store, settings.exact_limit, settings.overfetch)
        self.embedder = embedder
        self.settings = settings
        self._vectors: LruCache[str, np.ndarray] = LruCache(512)

    def embed_query(self, text: str) -> np.ndarray:
        """Query vectors are cached (follow-up turns re-use their context's vector)."""
        vec = self._vectors.get(text)
        if vec is None:
            vec = self.embedder.embed_batch([text])[0]
            self._vectors.put(text, vec)
        return vec

    def clear_query_cache(self) -> None:
        self._vectors.clear()

    def rank(self, query: str, filters: Filters, limit: int = 20) -> list[ArticleHit]:
        """Articles best first, each with its candidate chunks."""
        if not query.strip():
            raise ValueError("the query is empty")
        s = self.settings
        table = self.model.table
        mask = filters.mask(table.sources, table.published_day)
        chunk_scores: dict[int, float] = {}
        similarity: dict[str, float] = {}
        article_bonus: dict[str, float] = {}
        by_rank = s.fusion == "rrf"
        # BM25 first: the question's vector may still be on its way from the encoder's thread
        found = self.model.search(query, s.candidates, mask) if s.mode in ("hybrid", "bm25") else []
        if s.mode in ("hybrid", "dense"):
            vec = self.embed_query(query)
            for rank, (pos, sim) in enumerate(self._nearest.chunks(vec, s.candidates, mask)):
                aid = table.article_ids[pos]
                similarity[aid] = max(similarity.get(aid, 0.0), sim)
                gain = 1.0 / (s.rrf_k + rank) if by_rank else max(sim, 0.0)
                chunk_scores[pos] = chunk_scores.get(pos, 0.0) + s.dense_weight * gain
            if s.mode == "hybrid" and s.article_weight:
                for rank, (aid, sim) in enumerate(self._nearest.articles(vec, s.candidates, mask)):
                    gain = 1.0 / (s.rrf_k + rank) if by_rank else max(sim, 0.0)
                    article_bonus[aid] = s.article_weight * gain
        if s.mode in ("hybrid", "bm25"):
            top = found[0][1] if found else 1.0
            for rank, (pos, score) in enumerate(found):
                gain = 1.0 / (s.rrf_k + rank) if by_rank else score / top
                chunk_scores[pos] = chunk_scores.get(pos, 0.0) + s.bm25_weight * gain
        by_article: dict[str, list[tuple[int, float]]] = {}
        for pos, score in chunk_scores.items():
            by_article.setdefault(table.article_ids[pos], []).append((pos, score))
        if not by_article:
            return []
        ids = list(by_article)
        days = np.asarray([table.published_day[by_article[a][0][0]] for a in ids], dtype=np.int64)
        if filters.as_of and filters.prefer_recent is True:
            weights = s.time.weights(days, reference_day(filters, table.published_day, mask))
        elif s.recency is not None:
            weights = s.recency.weights(days, newest_day(table.published_day, mask))
        else:
            weights = np.ones(len(ids))
        hits = []
        for aid, weight in zip(ids, weights):
            chunks = sorted(by_article[aid], key=lambda c: -c[1])
            score = chunks[0][1] + (s.second_chunk_weight * chunks[1][1] if len(chunks) > 1 else 0.0)
            score += article_bonus.get(aid, 0.0)
            hits.append(ArticleHit(aid, float(score * weight), chunks, similarity.get(aid, 0.0)))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def dense_is_exact(self) -> bool:
        """Is dense chunk search exact (the local matrix), or Chroma's HNSW (`index.nearest`)?"""
        return self._nearest.chunks_are_exact()

    def retrieve(self, query: str, k: int = 5, **filters: Any) -> list[Passage]:
        if k < 1:
            raise ValueError("k must be at least 1")
        hits = self.rank(query, Filters.from_kwargs(**filters).for_question(query), limit=max(k, 10))
        return self.passages(hits, k)

    def passages(self, hits: list[ArticleHit], k: int, per_article: int = 3) -> list[Passage]:
        """Round-robin over articles (best chunk of each first), overlapping chunks merged."""
        picked: dict[str, list[int]] = {}
        order: list[tuple[str, int]] = []
        for depth in range(per_article):
            for hit in hits:
                if len(order) >= k:
                    break
                if depth < len(hit.chunks):
                    picked.setdefault(hit.article_id, []).append(hit.chunks[depth][0])
                    order.append((hit.article_id, hit.chunks[depth][0]))
        scores = {hit.article_id: hit.score for hit in hits}
        out: list[Passage] = []
        done: set[int] = set()
        for aid, pos in order:
            if pos in done:
                continue
            group = self._overlapping(pos, picked[aid])
            done.update(group)
            out.append(self._passage(group, scores[aid] * (1.0 if len(out) == 0 else 0.999 ** len(out))))
        return out

    def _overlapping(self, pos: int, candidates: list[int]) -> list[int]:
        """`pos` and the picked chunks of its article that overlap it, transitively, in text order."""
        t = self.model.table
        group = {pos}
        grew = True
        while grew:
            grew = False
            for other in candidates:
                if other in group:
                    continue
                if any(_overlaps(t, other, g) for g in group):
                    group.add(other)
                    grew = True
        return sorted(group, key=lambda p: (t.start_line[p], t.start_char[p]))

    def _passage(self, group: list[int], score: float) -> Passage:
        t = self.model.table
        text = t.texts[group[0]]
        end = (int(t.end_line[group[0]]), int(t.end_char[group[0]]))
        for pos in group[1:]:
            text, end = _extend(text, end, t, pos)
        head = group[0]
        return Passage(text=text, source=t.sources[head], start_line=int(t.start_line[head]), end_line=end[0],
                       score=score, title=t.titles[head], published=t.published[head], article_id=t.article_ids[head])


def _overlaps(t: Any, a: int, b: int) -> bool:
    a0, a1 = (t.start_line[a], t.start_char[a]), (t.end_line[a], t.end_char[a])
    b0, b1 = (t.start_line[b], t.start_char[b]), (t.end_line[b], t.end_char[b])
    return a0 < b1 and b0 < a1


def _extend(text: str, end: tuple[int, int], t: Any, pos: int) -> tuple[str, tuple[int, int]]:
    """Append the part of chunk `pos` that lies after position `end` (it starts before `end`)."""
    new_end = (int(t.end_line[pos]), int(t.end_char[pos]))
    if new_end <= end:
        return text, end
    lines = t.texts[pos].split("\n")
    line_index = end[0] - int(t.start_line[pos])
    offset = sum(len(x) + 1 for x in lines[:line_index])
    offset += end[1] - (int(t.start_char[pos]) if line_index == 0 else 0)
    return text + t.texts[pos][offset:], new_end
