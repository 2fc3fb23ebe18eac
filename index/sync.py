"""Incremental ingest: a folder of articles -> chunks -> vectors -> the store.

Per article a content hash (text, metadata, chunk settings) decides: unchanged
articles are skipped without embedding, changed ones get new chunks, `prune=True`
removes articles whose file is gone. A changed article's chunks whose embedded text is
the same as before (most of them, after a one-line edit) keep their stored vectors: each
chunk records `embed_key`, a hash of the exact text the model saw, and only new texts
go to the model. Work is batched across articles so the model
sees large batches; each batch is written in the order that keeps every article whole
(new chunks, then the manifest record, then old chunks' removal: see `index.store`).

While the model embeds one batch, a single writer thread stores the one before (Chroma's
inserts and its HNSW updates run in native code), so the store's time hides behind the
model's; batches are still written one after another, in order, and a write error surfaces
in the run that caused it.

Progress is reported through callbacks (from the calling thread) so the CLI owns the progress bar:
`on_total(n)` once, before anything is embedded, with the number of articles the run will go
through (a JSON/JSONL file counts its records), then `progress(articles, chunks)` increments as
articles are settled (unchanged, failed, or embedded with their batch) and chunks embedded.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.articles import Article
from index.chunking import Chunk, ChunkSettings, chunk_article
from index.embed import Embedder
from index.errors import BadArticle
from index.loaders import JSON_SUFFIXES, find_files, load_file, source_name
from index.store import ArticleEntry, ChromaStore, published_day
from index.tokens import TokenOffsets

Progress = Callable[[int, int], None]   # (articles done, chunks embedded) increments


def count_articles(path: Path) -> int:
    """How many items (articles and failures) `load_file` gives for `path`, for the progress total.

    A text or HTML file always gives one (its article or why it failed), so it is not read
    here; a JSON/JSONL file is read once more to count its records.
    """
    if path.suffix.lower() not in JSON_SUFFIXES:
        return 1
    return len(load_file(path, path.name))


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[BadArticle] = field(default_factory=list)
    chunks: int = 0          # chunks written in this run
    reused: int = 0          # of those, chunks whose vector was kept (embedded text unchanged)
    tokens: int = 0          # tokens the model embedded in this run
    healed: int = 0          # invisible chunks left by an interrupted run and removed
    indexed_files: set[str] = field(default_factory=set)   # files (absolute) with at least one article indexed
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.healed)

    def summary(self) -> str:
        return (f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"removed {self.removed}, failed {len(self.failed)}; {self.chunks - self.reused} chunks embedded"
                + (f", {self.reused} kept their vectors" if self.reused else "") + f" in {self.seconds:.1f} s")


@dataclass
class _Pending:
    article: Article
    chunks: list[Chunk]
    content_hash: str
    origin: str
    is_update: bool


def chunk_id(article_id: str, content_hash: str, index: int) -> str:
    return f"{article_id}:{content_hash[:12]}:{index}"


def embed_key(text: str) -> str:
    """Names the exact text the model embedded (the collection fixes the model)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def chunk_metadata(article: Article, content_hash: str, chunk: Chunk) -> dict[str, Any]:
    return {"embed_key": embed_key(chunk.embed_text), "article_id": article.article_id,
            "content_hash": content_hash, "source": article.source, "title": article.title, "published": article.published,
            "published_day": published_day(article.published), "chunk_index": chunk.index,
            "start_line": chunk.start_line, "end_line": chunk.end_line,
            "start_char": chunk.start_char, "end_char": chunk.end_char, "tokens": chunk.tokens}


class Ingester:
    """Holds the parts one ingest run needs; `run(root)` does the work."""

    def __init__(self, store: ChromaStore, embedder: Embedder, tokenizer: TokenOffsets,
                 settings: ChunkSettings = ChunkSettings(), batch_chunks: int = 1024) -> None:
        if settings.max_seq_length > embedder.max_seq_length:
            raise ValueError(f"chunks of {settings.max_seq_length} tokens exceed the model's "
                             f"max_seq_length {embedder.max_seq_length}")
        self.store = store
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.settings = settings
        self.salt = f"{settings.salt}:{embedder.name}"
        self.batch_chunks = batch_chunks

    def run(self, root: Path, prune: bool = False, progress: Progress | None = None,
            on_total: Callable[[int], None] | None = None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        files = find_files(root)
        if on_total:
            on_total(sum(count_articles(path) for path in files))
        manifest = self.store.manifest()
        report.healed = self.store.heal(manifest)
        old_chunks = _LazyChunks(self.store, manifest)   # read only when something changes
        seen: dict[str, str] = {}                 # source -> origin, this run
        failed_origins: set[str] = set()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-ingest-writer") as writer:
            writing = self._read_files(files, root, manifest, report, seen, failed_origins, old_chunks, writer, progress)
            self._collect(writing, report)
        if prune:
            self._prune(root, manifest, seen, failed_origins, old_chunks, report)
        report.seconds = time.perf_counter() - started
        return report

    def _read_files(self, files: list[Path], root: Path, manifest: dict[str, ArticleEntry], report: IngestReport,
                    seen: dict[str, str], failed_origins: set[str], old_chunks: "_LazyChunks",
                    writer: ThreadPoolExecutor, progress: Progress | None) -> Future | None:
        """Reads, chunks and embeds; hands each embedded batch to `writer`. Returns the last write."""
        pending: list[_Pending] = []
        pending_chunks = 0
        writing: Future | None = None
        try:
            for path in files:
                origin = str(path.resolve())
                for item in load_file(path, source_name(path, root)):
                    if isinstance(item, BadArticle):
                        report.failed.append(item)
                        failed_origins.add(origin)
                        if progress:
                            progress(1, 0)
                        continue
                    if item.source in seen:
                        report.failed.append(BadArticle(item.source, f"duplicate source (already read from {seen[item.source]}); skipped"))
                        if progress:
                            progress(1, 0)
                        continue
                    seen[item.source] = origin
                    report.indexed_files.add(origin)
                    content_hash = item.content_hash(self.salt)
                    entry = manifest.get(item.article_id)
                    if entry is not None and entry.content_hash == content_hash:
                        report.unchanged += 1
                        if progress:
                            progress(1, 0)
                        continue
                    chunks = chunk_article(item, self.tokenizer, self.settings)
                    pending.append(_Pending(item, chunks, content_hash, origin, entry is not None))
                    pending_chunks += len(chunks)
                    if pending_chunks >= self.batch_chunks:
                        writing = self._flush(pending, old_chunks, report, progress, writer, writing)
                        pending, pending_chunks = [], 0
            return self._flush(pending, old_chunks, report, progress, writer, writing)
        except BaseException:
            if writing is not None:
                writing.exception()     # let the write in flight finish before the error leaves the run
            raise

    def _collect(self, writing: Future | None, report: IngestReport) -> None:
        """Waits for a batch's write; counts it (re-raises its error)."""
        if writing is None:
            return
        added, updated, written = writing.result()
        report.added += added
        report.updated += updated
        report.chunks += written

    def _flush(self, pending: list[_Pending], old_chunks: "_LazyChunks", report: IngestReport,
               progress: Progress | None, writer: ThreadPoolExecutor, writing: Future | None) -> Future | None:
        """Embeds a batch, waits for the previous batch's write, then starts this one's."""
        if not pending:
            return writing
        chunks = [c for p in pending for c in p.chunks]
        # an updated article's chunks whose embedded text is unchanged keep their stored vector
        known = self.store.embedded_vectors([p.article.article_id for p in pending if p.is_update])
        keys = [embed_key(c.embed_text) for c in chunks]
        todo = [c for c, key in zip(chunks, keys) if key not in known]
        fresh = iter(self.embedder.embed_batch([c.embed_text for c in todo]))
        vectors = np.stack([known[key] if key in known else next(fresh) for key in keys]) if chunks \
            else np.zeros((0, self.embedder.dim), dtype=np.float32)
        report.reused += len(chunks) - len(todo)
        report.tokens += sum(c.tokens for c in todo)          # tokens the model embedded
        stale_before = {p.article.article_id: old_chunks.get(p.article.article_id, []) for p in pending if p.is_update}
        if progress:
            progress(len(pending), len(todo))        # the batch's articles are embedded; its write follows
        self._collect(writing, report)
        return writer.submit(self._write, pending, vectors, stale_before)

    def _write(self, pending: list[_Pending], vectors: np.ndarray,
               stale_before: dict[str, list[str]]) -> tuple[int, int, int]:
        """Stores one embedded batch (writer thread): chunks, then the manifest record, then stale chunks."""
        ids, docs, metas = [], [], []
        for p in pending:
            for c in p.chunks:
                ids.append(chunk_id(p.article.article_id, p.content_hash, c.index))
                docs.append(c.text)
                metas.append(chunk_metadata(p.article, p.content_hash, c))
        self.store.put_chunks(ids, vectors, docs, metas)
        # The article vector is its first chunk's (title + lead): no extra model call.
        firsts, offset = [], 0
        for p in pending:
            firsts.append(offset)
            offset += len(p.chunks)
        entries = [ArticleEntry(p.article.article_id, p.article.source, p.content_hash, p.article.title,
                                p.article.published, p.origin, len(p.chunks), len(p.article.lines)) for p in pending]
        self.store.commit_articles(entries, vectors[firsts], [p.article.text for p in pending])
        new_ids = set(ids)
        stale = [cid for old in stale_before.values() for cid in old if cid not in new_ids]
        self.store.delete_chunks(stale)
        updated = sum(p.is_update for p in pending)
        return len(pending) - updated, updated, len(ids)

    def _prune(self, root: Path, manifest: dict[str, ArticleEntry], seen: dict[str, str],
               failed_origins: set[str], old_chunks: "_LazyChunks", report: IngestReport) -> None:
        """Remove articles that came from files under `root` and are no longer there."""
        base = root.resolve()
        gone: list[str] = []
        for entry in manifest.values():
            origin = Path(entry.origin)
            if entry.source in seen or entry.origin in failed_origins:
                continue
            if origin == base or base in origin.parents:
                gone.append(entry.article_id)
        self.store.delete_articles(gone)          # commit point: the article disappears at once
        self.store.delete_chunks([cid for aid in gone for cid in old_chunks.get(aid, [])])
        report.removed = len(gone)


class _LazyChunks:
    """Chunk ids per article as stored before this run, read from the store on first use."""

    def __init__(self, store: ChromaStore, manifest: dict[str, ArticleEntry]) -> None:
        self._store = store
        self._manifest = manifest
        self._by_article: dict[str, list[str]] | None = None

    def get(self, article_id: str, default: list[str]) -> list[str]:
        if self._by_article is None:
            self._by_article = {}
            if self._manifest:
                for cid, (aid, _h) in self._store.chunk_owners().items():
                    self._by_article.setdefault(aid, []).append(cid)
        return self._by_article.get(article_id, default)
