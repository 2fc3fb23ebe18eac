"""Build the read model (`index.read_model`) from the store's visible chunks, streaming.

Each chunk is taken once from Chroma's pages: its vector goes into one preallocated matrix,
its terms straight into the BM25 builder as integer ids (`index.bm25_build`), its article
fields into a shared article list (one entry per article, not per chunk). Rows are then put
in (source, chunk index) order. A million chunks need their texts, vectors and token ids in
memory once (about 5 GB), not Python lists of every term.
"""

from __future__ import annotations

from array import array

import numpy as np

from index.analyzer import Analyzer
from index.bm25_build import BM25Builder
from index.chunk_table import SHARED, ChunkTable, Column, Strings
from index.store import ArticleEntry, ChromaStore

NUMBERS = ("published_day", "start_line", "end_line", "start_char", "end_char", "chunk_index")


def build_parts(store: ChromaStore, manifest: dict[str, ArticleEntry]) -> tuple:
    """(table, vectors, BM25 index, analyzer, article ids, article vectors, article texts)."""
    analyzer = Analyzer()
    bm25 = BM25Builder()
    vectors = np.empty((store.chunk_count(), store.dim), dtype=np.float32)
    ids: list[str] = []
    texts: list[str] = []
    shared: dict[tuple[str, ...], int] = {}
    article_row = array("q")
    numbers = {name: array("q") for name in NUMBERS}
    for cid, text, meta, vec in store.all_chunks(with_vectors=True):
        entry = manifest.get(meta["article_id"])
        if entry is None or entry.content_hash != meta["content_hash"] or len(ids) >= len(vectors):
            continue
        vectors[len(ids)] = vec
        ids.append(cid)
        texts.append(text)
        key = (meta["article_id"], meta["source"], meta["title"], meta["published"])
        article_row.append(shared.setdefault(key, len(shared)))
        for name in NUMBERS:
            numbers[name].append(int(meta[name]))
        bm25.add(analyzer.terms(f"{meta['title']}\n{text}"))
    n = len(ids)
    keys = list(shared)
    rows = np.frombuffer(article_row, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    columns = {name: np.frombuffer(col, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
               for name, col in numbers.items()}
    rank_of = {source: rank for rank, source in enumerate(sorted({k[1] for k in keys}))}
    source_rank = np.asarray([rank_of[k[1]] for k in keys], dtype=np.int64)
    chunk_index = columns.pop("chunk_index")
    order = np.lexsort((chunk_index, source_rank[rows])) if n else np.zeros(0, dtype=np.int64)
    picked = rows[order]
    table = ChunkTable(ids=Strings.of([ids[i] for i in order]), texts=Strings.of([texts[i] for i in order]),
                       **{name: Column([k[j] for k in keys], picked) for j, name in enumerate(SHARED)},
                       **{name: col[order] for name, col in columns.items()})
    del ids, texts
    article_ids, article_vectors, article_texts = store.article_vectors(set(manifest), with_texts=True)
    return (table, vectors[:n][order], bm25.build(order), analyzer, article_ids, article_vectors,
            Strings.of(article_texts))
