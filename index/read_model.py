"""The read model persisted beside Chroma: everything a question needs, in one snapshot.

BM25 (`index.bm25_scores`), the chunk table, an exact copy of the chunk and article vectors,
and the articles' full texts, all memory-mapped once saved: an open reads two small JSON files
and maps the rest, so a process's own memory does not grow with the corpus (the mapped pages
are the OS's file cache, shared by every process that opens the same index). Built from the
store's *visible* chunks (see `index.store`), so it agrees with Chroma by construction. It carries the manifest fingerprint it was built from; a
reader that finds a different fingerprint (an ingest elsewhere, a crash between the two
writes) rebuilds it, and one that finds a damaged file rebuilds it with a logged warning (it
is derived data: nothing is lost). It is written to a fresh folder and swapped in by rename;
a reader that cannot write there (read-only folder, full disk) keeps the rebuilt model in
memory.

The chunk table (ids, sources, lines, texts, dates as parallel columns) lets the retriever
turn hits into passages without another round trip, and document frequencies give the
answer composer its IDF weights. Nearest-neighbour search over the vectors is
`index.nearest` (exact here, or Chroma's HNSW above a size limit). With the store's revision
token mirrored beside a local index (`index.revision`), `open_current` opens a model that is
known to match the store without importing Chroma, and the article texts answer from it.
The build (`index.read_model_build`) streams the store's chunks once; nothing here imports
`bm25s`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from collections.abc import Sequence
from typing import Any

import numpy as np

from index.analyzer import Analyzer
from index.bm25_scores import BM25Scores, load_bm25, save_bm25
from index.chunk_table import ChunkTable, Column, load_table, save_table
from index.errors import StoreError
from index.failures import cause
from index.read_model_files import (load_texts, note_revision, noted_revision, rebuild_lock, remove_legacy,
                                     replace_folder, save_texts)
from index.revision import adopt, read_token
from index.store import DIRTY, ArticleEntry, ChromaStore

FORMAT = 7       # 3: chunk table in meta.json; 4: no stop list; 5: no article texts; 6: table.npz, doc_freq
                 # in meta.json (older ones are rebuilt)
log = logging.getLogger(__name__)


def fingerprint(manifest: dict[str, ArticleEntry]) -> str:
    h = hashlib.sha256()
    for article_id in sorted(manifest):
        h.update(f"{article_id}:{manifest[article_id].content_hash}\n".encode())
    return h.hexdigest()


class ReadModel:
    """BM25 + the chunk table + an exact copy of the chunk and article vectors (row-aligned) + the
    article texts (aligned with `article_ids`)."""

    def __init__(self, fingerprint: str, table: ChunkTable, bm25: BM25Scores | None, analyzer: Analyzer,
                 vectors: np.ndarray, article_ids: list[str], article_vectors: np.ndarray,
                 article_texts: Sequence[str], revision: str | None = None) -> None:
        self.fingerprint = fingerprint
        self.revision = revision                # the store's revision it is known to match (None: unknown)
        self.table = table
        self._bm25 = bm25                       # None: no chunks
        self.analyzer = analyzer
        self.vectors = vectors                  # (chunks, dim), rows as in `table`
        self.article_ids = article_ids
        self.article_vectors = article_vectors  # (articles, dim)
        self.article_texts = article_texts
        self.article_row = {aid: i for i, aid in enumerate(article_ids)}
        # for each chunk row, its article's row in `article_vectors` (-1: none)
        self._chunk_article_row = _article_rows(table.article_ids, self.article_row)

    def article_text(self, article_id: str) -> str | None:
        """The article's full text as the snapshot holds it (None: not in it)."""
        row = self.article_row.get(article_id)
        return None if row is None else self.article_texts[row]

    def nearest(self, vector: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Exact cosine search: (table position, similarity) of the best `k` allowed chunks."""
        return _top(self.vectors, vector, k, mask)

    def nearest_articles(self, vector: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        return [(self.article_ids[i], s) for i, s in _top(self.article_vectors, vector, k, mask)]

    def article_mask(self, chunk_mask: np.ndarray | None) -> np.ndarray | None:
        """Articles allowed by a chunk mask (a filter allows all of an article's chunks or none)."""
        if chunk_mask is None:
            return None
        allowed = np.zeros(len(self.article_ids), dtype=bool)
        rows = self._chunk_article_row[chunk_mask]
        allowed[rows[rows >= 0]] = True
        return allowed

    def idf(self, term: str) -> float:
        """Lucene's IDF of an analysed term over the chunks (`index.bm25_scores`)."""
        return self._bm25.idf(term) if self._bm25 is not None else BM25Scores.empty_idf()

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(table position, BM25 score) of the best `k` chunks, best first; zero scores dropped."""
        if self._bm25 is None:
            return []
        terms = [t for t in self.analyzer.terms(query) if self._bm25.doc_freq(t)]
        if not terms:
            return []
        k = min(k, len(self.table.ids))
        docs, scores = self._bm25.best(terms, k, mask)
        return [(int(d), float(s)) for d, s in zip(docs, scores)]


def _top(matrix: np.ndarray, vector: np.ndarray, k: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
    if matrix.shape[0] == 0:
        return []
    scores = matrix @ np.asarray(vector, dtype=matrix.dtype)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    k = min(k, scores.shape[0])
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(int(i), float(scores[i])) for i in best if np.isfinite(scores[i])]


def _article_rows(article_ids: Sequence[str], row: dict[str, int]) -> np.ndarray:
    """Each chunk row's article row (-1: none), from the table's article list when it has one."""
    if isinstance(article_ids, Column):
        per_entry = np.asarray([row.get(a, -1) for a in article_ids.values], dtype=np.int64)
        return per_entry[np.asarray(article_ids.rows, dtype=np.int64)] if len(article_ids) else per_entry[:0]
    return np.asarray([row.get(a, -1) for a in article_ids], dtype=np.int64)


def build(store: ChromaStore, manifest: dict[str, ArticleEntry]) -> ReadModel:
    """Build from the store's visible chunks, in memory (`_write` saves it; `index.read_model_build`)."""
    from index.read_model_build import build_parts

    table, vectors, bm25, analyzer, article_ids, article_vectors, article_texts = build_parts(store, manifest)
    return ReadModel(fingerprint(manifest), table, bm25 if len(table.ids) else None, analyzer, vectors, article_ids,
                     article_vectors, article_texts)


def _write(index: ReadModel, folder: Path) -> None:
    def fill(fresh: Path) -> None:
        if index._bm25 is not None:
            save_bm25(index._bm25, fresh / "bm25")
        np.save(fresh / "vectors.npy", index.vectors)
        np.save(fresh / "article_vectors.npy", index.article_vectors)
        articles = save_table(index.table, fresh)
        save_texts(fresh, index.article_texts)
        meta = {"format": FORMAT, "fingerprint": index.fingerprint,
                "stopwords": sorted(index.analyzer.stopwords),
                "article_ids": index.article_ids, "article_columns": articles}
        (fresh / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if index.revision:
            note_revision(fresh, index.revision, index.fingerprint)

    replace_folder(folder, fill)


def _note_revision(index: ReadModel, folder: Path, revision: str) -> None:
    """Record that `index` matches the store at `revision` (`index.read_model_files`)."""
    index.revision = revision
    note_revision(folder, revision, index.fingerprint)


def load(folder: Path) -> ReadModel:
    """Read a read model; any damage is a `StoreError` (callers rebuild). The vectors are
    memory-mapped (read-only)."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"format {meta.get('format')} is not {FORMAT}")
        table = load_table(folder, meta["article_columns"])
        bm25 = load_bm25(folder / "bm25") if len(table.ids) else None
        if bm25 is not None and bm25.num_docs != len(table.ids):
            raise ValueError("BM25 document count does not match the chunk table")
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        article_vectors = np.load(folder / "article_vectors.npy", mmap_mode="r")
        if vectors.shape[0] != len(table.ids) or article_vectors.shape[0] != len(meta["article_ids"]):
            raise ValueError("vector rows do not match the chunk table")
        article_texts = load_texts(folder, len(meta["article_ids"]))
        revision = noted_revision(folder, meta["fingerprint"])
    except FileNotFoundError:
        raise StoreError(f"no read model at {folder}") from None
    except Exception as err:
        raise StoreError(f"read model at {folder} is unreadable ({cause(err)})") from None
    return ReadModel(meta["fingerprint"], table, bm25, Analyzer(meta["stopwords"]), vectors,
                     list(meta["article_ids"]), article_vectors, article_texts, revision)


def open_current(folder: Path, index_dir: Path) -> ReadModel | None:
    """The saved read model when the local index's mirrored revision (`index.revision`) is the
    clean one it was noted to match: nothing was written since, so it is the store's content
    and Chroma need not be opened. None otherwise (missing, damaged, stale or unknown)."""
    token = read_token(index_dir)
    if not _clean(token) or noted_revision(folder) != token:
        return None
    try:
        model = load(folder)
    except StoreError:
        return None
    return model if is_current(model, index_dir) else None


def is_current(model: ReadModel, index_dir: Path) -> bool:
    """Was nothing written to the local index at `index_dir` since `model` was noted to match it
    (its mirrored token is `model`'s clean revision)? One small file read."""
    return _clean(model.revision) and read_token(index_dir) == model.revision


def _adopt(store: ChromaStore, token: str) -> None:
    """A local index written before its token was mirrored starts the mirror (`index.revision.adopt`)."""
    if not store.location.chroma_url and store.location.index_dir is not None:
        adopt(store.location.index_dir, token)


def _clean(revision: str | None) -> bool:
    return bool(revision) and not str(revision).startswith(DIRTY)


def open_or_build(store: ChromaStore, folder: Path, manifest: dict[str, ArticleEntry] | None = None,
                  strict: bool = False) -> ReadModel:
    """The read model for the store's current content, rebuilt when missing, stale or damaged
    (damage is logged as a warning). A rebuilt index that cannot be saved is used from memory
    with a warning, or, when `strict` (an ingest), the `OSError` is raised.

    Without `manifest`, an index recorded as matching the store's current clean revision is
    returned without reading the manifest (`index.store` explains the token); otherwise the
    manifest's fingerprint decides, and a match read between two equal clean revisions is
    recorded for the next open. An ingest (`strict`, the one writer) gives an index written
    before revisions were kept, or one a crash left dirty, a clean one: it has just made the
    store whole."""
    if strict and manifest is None and not _clean(store.revision()):
        store.mark_revision()
    before = store.revision() if manifest is None else None
    index, manifest = _saved(store, folder, before, manifest, warn=True)
    if index is not None:
        return index
    with rebuild_lock(folder):      # several processes on one index: one builds, the others read its result
        index, manifest = _saved(store, folder, before, manifest, warn=False)
        if index is not None:
            return index
        manifest = store.manifest() if manifest is None else manifest
        index = build(store, manifest)
        if _clean(before) and store.revision() == before:
            index.revision = before
            _adopt(store, str(before))
        try:
            _write(index, folder)
            remove_legacy(folder)
        except OSError as err:
            if strict:
                raise
            log.warning("could not save the rebuilt read model to %s (%s); using it from memory", folder, cause(err))
    return index


def _saved(store: ChromaStore, folder: Path, before: str | None, manifest: dict[str, ArticleEntry] | None,
           warn: bool) -> tuple[ReadModel | None, dict[str, ArticleEntry] | None]:
    """The saved read model when it matches the store (by revision, else by the manifest's
    fingerprint), and the manifest if it was read."""
    try:
        index = load(folder)
        if _clean(before) and index.revision == before:
            _adopt(store, str(before))
            return index, manifest
        manifest = store.manifest() if manifest is None else manifest
        if index.fingerprint == fingerprint(manifest):
            if _clean(before) and store.revision() == before:
                _note_revision(index, folder, str(before))
                _adopt(store, str(before))
            return index, manifest
    except StoreError as err:
        if warn and folder.exists():       # damaged, not merely missing (a first open in server mode)
            log.warning("%s; rebuilt it from the vector store", err)
    return None, manifest
