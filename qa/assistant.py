"""`open_assistant(config)`: the object other tools embed (`.ask`, `.search`, `.retriever`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from index.chunking import span_text
from index.embed import Embedder, MiniLMEmbedder, WordVectors
from index.keyword import KeywordIndex, open_or_build
from index.store import ChromaStore
from qa.composer import DECLINE_TEXT, Candidate, ComposerSettings, ExtractiveComposer, sentence_candidates
from qa.config import Config
from qa.conversation import context_for
from qa.filters import Filters
from qa.ingest import open_store
from qa.lru import LruCache
from qa.retrieval import ArticleHit, HybridRetriever
from qa.types import Answer, Passage


class Assistant:
    """Answers questions from one index. Safe to share between threads for reading.

    Its keyword index is a snapshot taken when it was opened; article texts are read from the
    store as needed. An article re-ingested since the snapshot (an upload replacing it, a
    `qa ingest` beside a running app) has lines the snapshot's spans no longer describe, so its
    chunks are left out of answers until a fresh assistant is opened.
    """

    def __init__(self, store: ChromaStore, keyword: KeywordIndex, embedder: Embedder, config: Config,
                 words: WordVectors | None = None) -> None:
        self.config = config
        self.store = store
        self.keyword = keyword
        self.retriever = HybridRetriever(store, keyword, embedder, config.retrieval)
        self.composer = ExtractiveComposer(keyword, config.composer, words)
        self._lines: LruCache[str, tuple[str, ...]] = LruCache(256)

    def article_lines(self, article_id: str) -> tuple[str, ...]:
        """The article's stored lines (what citations are checked against)."""
        lines = self._lines.get(article_id)
        if lines is None:
            text = self.store.article_text(article_id)
            if text is None:
                raise KeyError(article_id)
            lines = tuple(text.split("\n"))
            self._lines.put(article_id, lines)
        return lines

    def _in_snapshot(self, lines: tuple[str, ...], pos: int) -> bool:
        """Do the article's stored lines still hold chunk `pos` of the keyword snapshot verbatim?"""
        t = self.keyword.table
        end_line = int(t.end_line[pos])
        return end_line <= len(lines) and span_text(
            lines, int(t.start_line[pos]), int(t.start_char[pos]), end_line, int(t.end_char[pos])) == t.texts[pos]

    def search(self, query: str, k: int = 5, **filters: Any) -> list[Passage]:
        return self.retriever.retrieve(query, k=k, **filters)

    def ask(self, question: str, history: Sequence[Any] | None = None, k: int = 5, **filters: Any) -> Answer:
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        if k < 1:
            raise ValueError("k must be at least 1")
        started = time.perf_counter()
        parsed = Filters.from_kwargs(**filters)
        context = context_for(question, history)
        query = f"{question} {context}" if context else question
        hits = self.retriever.rank(query, parsed, limit=max(k, 10))
        passages = self.retriever.passages(hits, k)
        retrieved = time.perf_counter()
        candidates = self._candidates(hits)
        scored = self.composer.score(question, context, candidates)
        chosen = self.composer.select(scored, question)
        best = chosen[0] if chosen else None
        signals = {
            "coverage": best.coverage if best else 0.0,
            "typed": 1.0 if best and best.typed else 0.0,
            "missing": self.composer.missing(question, scored),
            "similarity": 1.0 if self.config.retrieval.mode == "bm25" else max((h.similarity for h in hits[:3]), default=0.0),
        }
        timings = {"retrieve_ms": (retrieved - started) * 1000}
        if not self.composer.confident(best, signals["missing"], signals["similarity"]):
            timings["total_ms"] = (time.perf_counter() - started) * 1000
            return Answer(question, DECLINE_TEXT, False, (), tuple(passages), query, timings, signals)
        text, citations = self.composer.compose(chosen, self.article_lines)
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return Answer(question, text, True, citations, tuple(passages), query, timings, signals)

    def _candidates(self, hits: list[ArticleHit], articles: int = 3, chunks: int = 3) -> list[Candidate]:
        t = self.keyword.table
        out: list[Candidate] = []
        seen: set[tuple[str, int, int]] = set()
        for article_rank, hit in enumerate(hits[:articles]):
            try:
                lines = self.article_lines(hit.article_id)
            except KeyError:
                continue              # removed from the store since the snapshot
            for chunk_rank, (pos, _score) in enumerate(hit.chunks[:chunks]):
                if not self._in_snapshot(lines, pos):
                    continue          # re-ingested since the snapshot: its spans point at other text
                for line, a, b in sentence_candidates(lines, (int(t.start_line[pos]), int(t.end_line[pos]))):
                    key = (hit.article_id, line, a)
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append(Candidate(hit.article_id, t.sources[pos], t.titles[pos], t.published[pos],
                                         line, a, b, lines[line - 1][a:b], article_rank, chunk_rank))
        return out


def open_assistant(config: Config | None = None, embedder: Embedder | None = None) -> Assistant:
    """Open the index named by `config` (raises `IndexNotFound` when there is none)."""
    config = config or Config()
    store = open_store(config)
    keyword = open_or_build(store, config.keyword_dir)
    return Assistant(store, keyword, embedder or MiniLMEmbedder(device=config.device, precision=config.precision), config, WordVectors())
