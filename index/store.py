"""Chroma storage: a chunk collection and an article manifest collection.

The only module of the product (qa/, index/, app) that imports `chromadb`; eval's yardsticks
(`eval.stock_pipeline`, `eval.bench.ann`) import it to measure it. Embeddings are always passed
in (collections are opened with ``embedding_function=None``, so Chroma's default model can
never run); telemetry is off.

- ``qa_chunks``: one record per chunk, id ``<article_id>:<hash12>:<index>``, the chunk's
  exact text as document, flat metadata (source, lines, chars, title, published...).
- ``qa_articles``: the manifest, one record per article: full text as document, the
  first chunk's vector (title + lead) as embedding, and the article's `content_hash`.

Visibility rule (atomic re-indexing without transactions): a chunk counts only while
its `content_hash` equals its article's manifest hash. Ingest writes new chunks first,
then the manifest record (the commit point), then deletes the old chunks; readers
apply the rule, and `heal()` removes what a crash left behind.

Revision (a cheap "has anything changed?" for readers): every write through this class first
marks the manifest collection's metadata ``revision`` dirty, and sets a fresh clean token once
it is done. A reader that sees the same clean token before and after reading the manifest
knows what it read still holds while the token is unchanged (`index.read_model` skips re-reading
the manifest on open that way); a dirty one (a write in progress, or one a crash cut short)
proves nothing. A local index mirrors the token in a file (`index.revision`) that a reader
checks without opening Chroma. Left out: writers that bypass this class, and two writers at
once of which one crashes (ingest runs one writer at a time).

Failures (a server gone, a full disk, a read-only folder) reach callers as one-line
`StoreError`s naming the index and the way back (`index.failures`); a read-only index
folder is read from a temporary copy, since Chroma opens its database read-write.
"""

from __future__ import annotations

import logging
import shutil
import uuid
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from index.errors import IndexNotFound, ModelMismatch, StoreError
from index.manifest import ArticleEntry, published_day  # noqa: F401  (re-exported)
from index.failures import Guarded, Location, cause, is_read_only, read_only_copy, store_failure
from index.offline import apply_offline_defaults
from index.revision import write_token

CHUNKS = "qa_chunks"
ARTICLES = "qa_articles"
DIRTY = "dirty:"          # revision prefix while a write is in progress (or was cut short)
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 200, "max_neighbors": 32}
log = logging.getLogger(__name__)


def open_client(index_dir: Path | None = None, chroma_url: str | None = None, create: bool = False) -> Any:
    """A Chroma client: HTTP when `chroma_url` is given, else persistent in `index_dir`."""
    apply_offline_defaults()
    import chromadb

    settings = chromadb.Settings(anonymized_telemetry=False)
    if chroma_url:
        parsed = urlparse(chroma_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"--chroma-url must look like http://HOST:PORT, got {chroma_url!r}")
        try:
            client = chromadb.HttpClient(host=parsed.hostname, port=parsed.port or 8000,
                                         ssl=parsed.scheme == "https", settings=settings)
            client.heartbeat()
        except Exception as err:  # chromadb raises assorted network errors
            raise StoreError(f"Chroma server at {chroma_url} is unreachable ({cause(err)}); start it "
                             f"(`chroma run --path DB_FOLDER --host {parsed.hostname} --port {parsed.port or 8000}`) "
                             "or fix --chroma-url") from None
        return client
    if index_dir is None:
        raise ValueError("an index folder or a Chroma URL is needed")
    if not create and not (index_dir / "chroma.sqlite3").exists():
        raise IndexNotFound(f"no index at {index_dir} (run `qa ingest FOLDER --index {index_dir}` first)")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(index_dir), settings=settings)
    except Exception as err:
        if create or not is_read_only(err):
            raise store_failure(Location(index_dir), err) from None
    # Chroma opens its database read-write even to read it: read a private copy instead.
    copy = read_only_copy(index_dir)
    log.warning("the index at %s is read-only; answering from a temporary copy (`qa ingest` needs "
                "write access)", index_dir)
    try:
        client = chromadb.PersistentClient(path=str(copy), settings=settings)
    except Exception as err:
        shutil.rmtree(copy, ignore_errors=True)
        raise store_failure(Location(index_dir), err) from None
    weakref.finalize(client, shutil.rmtree, copy, True)
    return client


class ChromaStore:
    """The two collections, checked against the embedding model on open."""

    def __init__(self, client: Any, model_name: str, dim: int, create: bool = False,
                 location: Location = Location()) -> None:
        self.location = location        # for messages; Chroma's failures arrive as `StoreError`
        self._client = Guarded(client, location)
        self.model_name = model_name
        self.dim = dim
        self._meta = meta = {"embed_model": model_name, "embed_dim": dim}
        names = {c if isinstance(c, str) else c.name for c in self._client.list_collections()}
        if not create and CHUNKS not in names:
            raise IndexNotFound(f"{location} holds no article index (run `qa ingest FOLDER{location.flags}` first)")
        self.chunks = self._collection(CHUNKS, meta, names)
        self.articles = self._collection(ARTICLES, meta, names)
        self.max_batch = int(self._client.get_max_batch_size())

    def _collection(self, name: str, meta: dict[str, Any], names: set[str]) -> Any:
        if name in names:
            col = self._client.get_collection(name, embedding_function=None)
            found = col.metadata or {}
            if (found.get("embed_model"), found.get("embed_dim")) != (meta["embed_model"], meta["embed_dim"]):
                raise ModelMismatch(
                    f"{self.location} was built with {found.get('embed_model')} ({found.get('embed_dim')} dims), "
                    f"not {meta['embed_model']} ({meta['embed_dim']} dims); rebuild it with "
                    f"`qa ingest FOLDER --rebuild{self.location.flags}`")
            return Guarded(col, self.location)
        return Guarded(self._client.create_collection(name, embedding_function=None, metadata=meta,
                                                      configuration={"hnsw": HNSW}), self.location)

    # -- reading -----------------------------------------------------------------
    def manifest(self) -> dict[str, ArticleEntry]:
        out: dict[str, ArticleEntry] = {}
        for ids, metas in self._pages(self.articles, include=["metadatas"]):
            for article_id, meta in zip(ids, metas):
                out[article_id] = ArticleEntry.from_record(article_id, meta)
        return out

    def revision(self) -> str | None:
        """The manifest collection's current revision token (see the module docstring); None for
        an index written before tokens were kept."""
        found = self._client.get_collection(ARTICLES, embedding_function=None).metadata or {}
        return str(found["revision"]) if found.get("revision") else None

    def chunk_count(self) -> int:
        return int(self.chunks.count())

    def chunk_owners(self) -> dict[str, tuple[str, str]]:
        """Every chunk id -> (article_id, content_hash)."""
        out = {}
        for ids, metas in self._pages(self.chunks, include=["metadatas"]):
            for chunk_id, meta in zip(ids, metas):
                out[chunk_id] = (str(meta["article_id"]), str(meta["content_hash"]))
        return out

    def all_chunks(self, with_vectors: bool = False) -> Iterator[tuple]:
        """(id, text, metadata[, vector]) of every stored chunk, visible or not."""
        if not with_vectors:
            for ids, docs, metas in self._pages(self.chunks, include=["documents", "metadatas"]):
                yield from zip(ids, docs, metas)
            return
        for ids, docs, metas, vecs in self._pages(self.chunks, include=["documents", "metadatas", "embeddings"]):
            yield from zip(ids, docs, metas, vecs)

    def article_vectors(self, keep: set[str], with_texts: bool = False) -> tuple:
        """Ids and vectors (and, `with_texts`, full texts) of the manifest records in `keep`, sorted by id."""
        rows = []
        include = ["embeddings", "documents"] if with_texts else ["embeddings"]
        for ids, *columns in self._pages(self.articles, include=include):
            rows.extend(r for r in zip(ids, *columns) if r[0] in keep)
        rows.sort(key=lambda r: r[0])
        matrix = np.asarray([r[1] for r in rows], dtype=np.float32).reshape(len(rows), self.dim)
        if with_texts:
            return [r[0] for r in rows], matrix, [r[2] for r in rows]
        return [r[0] for r in rows], matrix

    def _pages(self, col: Any, include: list[str], page: int = 5000) -> Iterator[tuple]:
        offset = 0
        while True:
            got = col.get(include=include, limit=page, offset=offset)
            ids = got["ids"]
            if not ids:
                return
            yield (ids, *(got[k] for k in include))
            offset += len(ids)

    def embedded_vectors(self, article_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """``embed_key -> vector`` of the stored chunks of these articles (chunks written before
        keys were stored have none and are left out)."""
        out: dict[str, np.ndarray] = {}
        for lo in range(0, len(article_ids), 500):
            got = self.chunks.get(where={"article_id": {"$in": list(article_ids[lo:lo + 500])}},
                                  include=["metadatas", "embeddings"])
            for meta, vec in zip(got["metadatas"], got["embeddings"]):
                key = meta.get("embed_key")
                if key:
                    out[str(key)] = np.asarray(vec, dtype=np.float32)
        return out

    def article_text(self, article_id: str) -> str | None:
        return self.article_texts([article_id]).get(article_id)

    def article_texts(self, article_ids: list[str]) -> dict[str, str]:
        """article id -> text for those of `article_ids` the store has, in one call."""
        got = self.articles.get(ids=list(article_ids), include=["documents"])
        return dict(zip(got["ids"], got["documents"]))

    def nearest_chunk_ids(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None,
                          total: int | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest chunks, best first (no documents fetched)."""
        n = min(k, self.chunk_count() if total is None else total)
        if n == 0:
            return []
        got = self.chunks.query(query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()], n_results=n,
                                where=where or None, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]

    def query_articles(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None,
                       total: int | None = None) -> list[tuple[str, float]]:
        n = min(k, int(self.articles.count()) if total is None else total)
        if n == 0:
            return []
        got = self.articles.query(query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()], n_results=n,
                                  where=where or None, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]

    # -- writing -----------------------------------------------------------------
    def mark_revision(self) -> None:
        """A fresh clean revision token (for the one writer, once the store is whole)."""
        self._mark()

    def _mark(self, prefix: str = "") -> None:
        """Set a new token; a local index mirrors it in a file (`index.revision`): a dirty token is
        written there before Chroma's, a clean one after, so the file never vouches for a write
        still in progress."""
        token = prefix + uuid.uuid4().hex
        folder = None if self.location.chroma_url else self.location.index_dir
        if folder is not None and prefix:
            try:
                write_token(folder, token)
            except OSError as err:
                raise store_failure(self.location, err) from None
        self.articles.modify(metadata={**self._meta, "revision": token})
        if folder is not None and not prefix:
            with suppress(OSError):         # the file keeps the dirty token: readers ask Chroma
                write_token(folder, token)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Revision dirty during the write, a fresh clean token after it (not on failure)."""
        self._mark(DIRTY)
        yield
        self._mark()

    def put_chunks(self, ids: Sequence[str], vectors: np.ndarray, texts: Sequence[str], metas: Sequence[dict[str, Any]]) -> None:
        with self._writing():
            for lo in range(0, len(ids), self.max_batch):
                hi = lo + self.max_batch
                self.chunks.upsert(ids=list(ids[lo:hi]), embeddings=vectors[lo:hi], documents=list(texts[lo:hi]),
                                   metadatas=list(metas[lo:hi]))

    def commit_articles(self, entries: Sequence[ArticleEntry], vectors: np.ndarray, texts: Sequence[str]) -> None:
        """Upsert manifest records: from here on the new chunks are the visible ones."""
        with self._writing():
            for lo in range(0, len(entries), self.max_batch):
                part = entries[lo:lo + self.max_batch]
                self.articles.upsert(ids=[e.article_id for e in part], embeddings=vectors[lo:lo + self.max_batch],
                                     documents=list(texts[lo:lo + self.max_batch]),
                                     metadatas=[e.metadata() for e in part])

    def delete_chunks(self, ids: Sequence[str]) -> None:
        if len(ids):
            with self._writing():
                for lo in range(0, len(ids), self.max_batch):
                    self.chunks.delete(ids=list(ids[lo:lo + self.max_batch]))

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        if len(article_ids):
            with self._writing():
                for lo in range(0, len(article_ids), self.max_batch):
                    self.articles.delete(ids=list(article_ids[lo:lo + self.max_batch]))

    def heal(self, manifest: dict[str, ArticleEntry]) -> int:
        """Delete chunks that are not visible (left by an interrupted ingest); returns how many."""
        expected = sum(e.n_chunks for e in manifest.values())
        if self.chunk_count() == expected:
            return 0
        stale = [cid for cid, (aid, h) in self.chunk_owners().items()
                 if aid not in manifest or manifest[aid].content_hash != h]
        self.delete_chunks(stale)
        return len(stale)


def drop_index(client: Any) -> None:
    """Remove both collections (for `qa ingest --rebuild`)."""
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    for name in (CHUNKS, ARTICLES):
        if name in names:
            client.delete_collection(name)
