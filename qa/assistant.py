"""`open_assistant(config)`: the object other tools embed (`.ask`, `.search`, `.retriever`).

Its collaborators (store, read model, retriever, composer) are private; what callers need of
them has a name here: `article_lines`, `sources`, `chunk_count`, `embedder`, `clear_query_cache`,
`retriever` (a `Retriever`, e.g. for `qa.llamaindex`), and for `qa.refresh` the snapshot's
revision, the store's, and the loaded parser and word vectors (to share with a fresh assistant).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from fnmatch import fnmatchcase
from collections.abc import Callable, Sequence
from typing import Any

from index.chunking import span_text
from index.embed import Embedder, MiniLMEmbedder, WordVectors
from index.query_encoder import MiniLMQueryEncoder, TokenStates, uses_query_encoder
from index.read_model import ReadModel, is_current, open_current, open_or_build
from index.store import ChromaStore
from qa.article_lines import ArticleLines
from qa.composer import Candidate, ExtractiveComposer, sentence_candidates
from qa.nlp import SentenceParser
from qa.outlets import Outlets, asks_about_sources, without_outlets
from qa.parts import combine_parts, split_by_outlet, split_parts
from qa.config import Config
from qa.conversation import context_for
from qa.filters import Filters
from qa.ingest import open_store
from qa.lexical import named_as
from qa.lru import LruCache
from qa.retrieval import ArticleHit, HybridRetriever
from qa.source_order import at_end, ordered_reference
from qa.states_cache import StatesCache
from qa.types import Answer, Passage


class Assistant:
    """Answers questions from one index. Safe to share between threads for reading.

    Its read model is a snapshot taken when it was opened. While the local index's revision
    token (`index.revision`) is the snapshot's, article texts come from the snapshot and Chroma
    is opened only if HNSW search needs it; once anything was written since (or in server
    mode), they are read from the store. An article re-ingested since the snapshot (an upload replacing it, a
    `qa ingest` beside a running app) has lines the snapshot's spans no longer describe, so its
    chunks are left out of answers until a fresh assistant is opened.
    """

    def __init__(self, store: ChromaStore | Callable[[], ChromaStore], model: ReadModel, embedder: Embedder,
                 config: Config, words: WordVectors | None = None, parser: SentenceParser | None = None) -> None:
        """`store`: the opened store, or a function that opens it (called at most once, when needed)."""
        self.config = config
        self._store = _Once(store) if callable(store) else (lambda: store)
        self._model = model
        self._embedder = embedder
        # word-piece states for the composer (qa.alignment): the numpy encoder's, whatever embeds
        # questions for retrieval (the same model; an fp32 CPU pass of one sentence). When it is the
        # one embedding questions too, a question's vector comes from the pass that gives its states.
        self._encoder = embedder if isinstance(embedder, MiniLMQueryEncoder) else MiniLMQueryEncoder()
        # the encoder's passes, started ahead on the second core while spaCy parses (`qa.states_cache`)
        self._states: StatesCache[TokenStates] = StatesCache(self._encoder.token_states)
        questions = _FromStates(self._states, embedder.max_seq_length) if embedder is self._encoder else embedder
        self._retriever = HybridRetriever(self._store, model, questions, config.retrieval)
        self._composer = ExtractiveComposer(model, config.composer, words, parser, self._states, self._states.prefetch)
        self._parser = parser
        self._words = words
        self._lines: LruCache[str, tuple[str, ...]] = LruCache(256)            # from the store
        self._snapshot_lines: LruCache[str, tuple[str, ...]] = LruCache(256)   # from the read model
        self._outlet_index: Outlets | None = None                              # built on first need

    @property
    def retriever(self) -> HybridRetriever:
        """The hybrid retriever (the `Retriever` protocol: `retrieve(query, k, **filters)`)."""
        return self._retriever

    @property
    def embedder(self) -> Embedder:
        """The embedder questions go through (share it with another assistant on the same model)."""
        return self._embedder

    @property
    def words(self) -> WordVectors | None:
        """The word vectors the composer uses (share them with a fresh assistant)."""
        return self._words

    @property
    def parser(self) -> SentenceParser | None:
        """The spaCy parser, loaded on first use (share it with a fresh assistant)."""
        return self._parser

    @property
    def snapshot_revision(self) -> str | None:
        """The store's revision token the read model is known to match (None: unknown)."""
        return self._model.revision

    def store_revision(self) -> str | None:
        """The store's revision token now (opens the store if it is not open yet; one HTTP call
        in server mode)."""
        return self._store().revision()

    def clear_query_cache(self) -> None:
        """Forget cached question vectors and states (so a timing pass embeds every question again)."""
        self._retriever.clear_query_cache()
        self._states.clear()

    def sources(self) -> list[str]:
        """Every article's source in the snapshot, sorted."""
        sources = self._model.table.sources
        distinct = getattr(sources, "distinct", None)      # the read model's column: once an article
        return distinct() if distinct is not None else sorted(set(sources))

    def chunk_count(self) -> int:
        """Chunks in the snapshot (what retrieval searches)."""
        return len(self._model.table.ids)

    def article_lines(self, article_id: str) -> tuple[str, ...]:
        """The article's stored lines (what citations are checked against)."""
        return self._lines_reader()(article_id)

    def _lines_reader(self) -> ArticleLines:
        """`article_lines` for the span of one question: the snapshot's texts while nothing was
        written to the local index since it was taken (checked once here, not per call), else the
        store's (`_in_snapshot` then leaves re-ingested articles out). Both are cached."""
        if not self.config.chroma_url and is_current(self._model, self.config.index_dir):
            return ArticleLines(self._snapshot_lines, self._model.article_text)
        return ArticleLines(self._lines, lambda aid: self._store().article_text(aid),
                            lambda ids: self._store().article_texts(ids))

    def _in_snapshot(self, lines: tuple[str, ...], pos: int) -> bool:
        """Do the article's stored lines still hold chunk `pos` of the read-model snapshot verbatim?"""
        t = self._model.table
        end_line = int(t.end_line[pos])
        return end_line <= len(lines) and span_text(
            lines, int(t.start_line[pos]), int(t.start_char[pos]), end_line, int(t.end_char[pos])) == t.texts[pos]

    def search(self, query: str, k: int = 5, **filters: Any) -> list[Passage]:
        return self._retriever.retrieve(query, k=k, **filters)

    def ask(self, question: str, history: Sequence[Any] | None = None, k: int = 5, **filters: Any) -> Answer:
        """Answer a question; one over several things ("A or B", "..., and who ...?") is answered part by part."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        if k < 1:
            raise ValueError("k must be at least 1")
        started = time.perf_counter()
        parsed = Filters.from_kwargs(**filters).for_question(question)
        context = context_for(question, history)
        self._states.prefetch(f"{question} {context}" if context else question)   # while spaCy parses it
        doc = self._parser.parse([question])[0] if self._parser else None
        parts = split_parts(question, doc) if doc is not None else []
        reporting = asks_about_sources(question)    # so an outlet it names, or one of its parts names, is one
        if len(parts) < 2 and reporting and not parsed.sources:
            parts = split_by_outlet(question, self._outlets(), doc)   # "Does the Herald say what the Ledger says?"
        if len(parts) < 2:
            return self._ask_one(question, context, parsed, k, started, reporting=reporting)
        answers = [self._ask_one(p.question, " ".join(x for x in (context, p.context) if x), parsed, k, started,
                                 part=True, reporting=reporting) for p in parts]
        answers = [self._about(ordered_reference(p.label)[0], a) if p.phrase else a for p, a in zip(parts, answers)]
        return combine_parts(question, parts, answers, k, (time.perf_counter() - started) * 1000)

    def _outlets(self) -> Outlets:
        """The outlets of the snapshot's URL sources (`qa.outlets`), read once."""
        if self._outlet_index is None:
            sources = self._model.table.sources
            values = getattr(sources, "values", None)          # the read model's column: each article once
            self._outlet_index = Outlets(values if values is not None else set(sources))
        return self._outlet_index

    def _about(self, label: str, answer: Answer) -> Answer:
        """A part's answer only if its first cited line (with its article title) holds half the part's
        words by IDF weight and its article names the part's rarest word (every one of the rarest,
        when several are as rare: "second" and "quarter" of "its second-quarter profit"; "price" of
        "its share price" may stand in another line than "Shares ... rose 6 percent"); or if the
        part is an outlet ("both The Verge and TechCrunch") and the line comes from it."""
        if not answer.answered or not answer.citations:
            return answer
        if any(fnmatchcase(answer.citations[0].source, g) for g in self._outlets().naming(label)):
            return answer
        analyzer, idf = self._model.analyzer, self._model.idf
        first = answer.citations[0]
        found = set(analyzer.terms(f"{first.quote} {first.title}"))
        wanted = {named_as(t, found) for t in analyzer.terms(label)}
        total = sum(idf(t) for t in wanted)
        top = max((idf(t) for t in wanted), default=0.0)
        rarest = {t for t in wanted if idf(t) == top}    # the part's most specific word(s) ("jazz"), all of them
        named = rarest <= found
        if total and not named:                  # the rarest word may stand in another line of the article
            article = next((p.article_id for p in answer.passages if p.source == first.source and p.article_id), "")
            named = bool(article) and rarest <= set(analyzer.terms(" ".join(self._lines_reader()(article))))
        if total and (not named or sum(idf(t) for t in wanted & found) / total < 0.5):
            return replace(answer, answered=False, citations=(), short=None)
        return answer

    def _ask_one(self, question: str, context: str, parsed: Filters, k: int, started: float,
                 part: bool = False, reporting: bool = False) -> Answer:
        """One question (or one part of a question: its wording is ours, so the retrieval similarity
        does not judge it; `_about` checks that its answer names the part instead). `reporting`: the
        whole question speaks of reporting, so an outlet this part names is one (`qa.outlets`)."""
        asked = question
        if reporting and not parsed.sources and (named := self._outlets().named(question, cue=False)):
            # "the TechCrunch article ...": searched among its articles, answered without its name
            question = without_outlets(question, self._outlets(), cue=False) or question
            parsed = replace(parsed, sources=tuple(named))
        question, end = ordered_reference(question)          # "in the update": the latest report
        query = f"{question} {context}" if context else question
        hits = self._retriever.rank(query, parsed, limit=max(k, 10))
        if end and hits:
            hits = [at_end(hits, end, self._model)]
        passages = self._retriever.passages(hits, k)
        retrieved = time.perf_counter()
        lines_of = self._lines_reader()
        candidates = self._candidates(hits, lines_of)
        similarity = 1.0 if self.config.retrieval.mode == "bm25" or part else max(
            (h.similarity for h in hits[:3]), default=0.0)
        result = self._composer.answer(question, context, candidates, similarity, lines_of, ours=part)
        timings = {"retrieve_ms": (retrieved - started) * 1000, "total_ms": (time.perf_counter() - started) * 1000}
        return Answer(asked, result.text, result.answered, result.citations, tuple(passages), query, timings,
                      result.signals, result.short)

    def _candidates(self, hits: list[ArticleHit], lines_of: ArticleLines, articles: int = 3,
                    chunks: int = 3) -> list[Candidate]:
        t = self._model.table
        lines_of.load([hit.article_id for hit in hits[:articles]])     # one round trip to a server
        out: list[Candidate] = []
        seen: set[tuple[str, int, int]] = set()
        for article_rank, hit in enumerate(hits[:articles]):
            try:
                lines = lines_of(hit.article_id)
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


def open_assistant(config: Config | None = None, embedder: Embedder | None = None,
                   words: WordVectors | None = None, parser: SentenceParser | None = None) -> Assistant:
    """Open the index named by `config` (raises `IndexNotFound` when there is none). A local
    index whose read model is current is opened without Chroma (`index.read_model.open_current`).
    `embedder`, `words`, `parser`: ones already loaded (another assistant's), else new ones."""
    config = config or Config()
    model = None if config.chroma_url else open_current(config.read_model_dir, config.index_dir)
    store: ChromaStore | Callable[[], ChromaStore]
    if model is None:
        store = open_store(config)
        model = open_or_build(store, config.read_model_dir)
    else:
        store = lambda: open_store(config)  # noqa: E731
    if embedder is None:      # questions are embedded without torch unless a GPU or bf16 is asked for
        embedder = (MiniLMQueryEncoder() if uses_query_encoder(config.device, config.precision)
                    else MiniLMEmbedder(device=config.device, precision=config.precision))
    return Assistant(store, model, embedder, config, WordVectors() if words is None else words,
                     SentenceParser() if parser is None else parser)


class _FromStates:
    """The `Embedder` contract over the assistant's `StatesCache`: vectors from the cached passes."""

    name = MiniLMQueryEncoder.name
    dim = MiniLMQueryEncoder.dim

    def __init__(self, states: Callable[[str], TokenStates], max_seq_length: int) -> None:
        self._states = states
        self.max_seq_length = max_seq_length

    def embed_batch(self, texts: list[str]) -> Any:
        import numpy as np

        return np.stack([self._states(t).vector for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


class _Once:
    """Calls `open_` on first use and keeps what it returned (thread-safe)."""

    def __init__(self, open_: Callable[[], ChromaStore]) -> None:
        self._open = open_
        self._value: ChromaStore | None = None
        self._lock = threading.Lock()

    def __call__(self) -> ChromaStore:
        with self._lock:
            if self._value is None:
                self._value = self._open()
            return self._value
