"""Warm `ask`/`search` latency and memory at a given index size (10k, 100k, 1M chunks).

    python -m eval.bench.scale build --size 100000 [--cache .eval_cache]
    python -m eval.bench.scale time --size 100000 [--cache .eval_cache]

How a size is made from the real RealTime QA dev index (39.6k chunks of 2,502 articles, built
by `qa eval realtimeqa`): below its size, the first articles (by id) until the size is reached;
above it, the real articles plus copies of them under other ids and sources (``copy-2/...``),
each copy's vectors the real ones plus Gaussian noise (sigma 0.02 a dimension, then
re-normalised: cosine about 0.93 to the original), and its dates moved back 371 days per copy,
so the index looks like a multi-year archive. Texts are the real texts (BM25 postings grow
with the copies). Everything goes through our store API and read model, as an ingest would,
minus the model calls. `time` runs in a fresh process: it opens the index, warms up on five
questions, then times the 131 gold-subset questions with their dates (`ask`, then `search`),
each pass with an empty query-vector cache, and prints one JSON line with p50/p95 and the
process's peak resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time
from pathlib import Path
from typing import Any

from index.offline import apply_offline_defaults

# numpy is imported inside the functions: `main` first sets OPENBLAS_NUM_THREADS=1 (a BLAS
# thread pool fighting the model's threads doubles `ask` latency), which only works before numpy loads.

NOISE = 0.02
SHIFT_DAYS = 371


def _shift(published: str, days: int) -> str:
    if not published:
        return published
    day = dt.date.fromisoformat(published[:10]) - dt.timedelta(days=days)
    return day.isoformat() + published[10:]


def _real(cache: Path) -> tuple[Any, dict[str, Any], dict[str, list[tuple]], dict[str, tuple[str, Any]]]:
    import numpy as np

    from eval.gold.datasets import realtimeqa_set
    from qa.ingest import open_store

    _name, config, _questions = realtimeqa_set(cache)
    store = open_store(config)
    manifest = store.manifest()
    chunks: dict[str, list[tuple]] = {}
    for cid, text, meta, vec in store.all_chunks(with_vectors=True):
        entry = manifest.get(meta["article_id"])
        if entry is not None and entry.content_hash == meta["content_hash"]:
            chunks.setdefault(meta["article_id"], []).append((cid, text, meta, np.asarray(vec, dtype=np.float32)))
    articles = {}
    for ids, docs, vecs in store._pages(store.articles, include=["documents", "embeddings"]):
        for aid, doc, vec in zip(ids, docs, vecs):
            articles[aid] = (doc, np.asarray(vec, dtype=np.float32))
    return store, manifest, chunks, articles


def build(size: int, cache: Path) -> Path:
    from dataclasses import replace

    import numpy as np

    from index import read_model
    from qa.config import Config
    from qa.ingest import open_store

    folder = cache / f"scale-{size}"
    config = Config(index_dir=folder)
    if (folder / "built.json").exists():
        return folder
    started = time.perf_counter()
    _store, manifest, chunks, articles = _real(cache)
    rng = np.random.default_rng(size)
    store = open_store(config, create=True)
    ids = sorted(chunks)
    total, copy = 0, 0
    batch: list[tuple] = []
    entries: list[tuple] = []

    def flush() -> None:
        if batch:
            store.put_chunks([b[0] for b in batch], np.stack([b[3] for b in batch]), [b[1] for b in batch],
                             [b[2] for b in batch])
            batch.clear()
        if entries:
            store.commit_articles([e[0] for e in entries], np.stack([e[2] for e in entries]), [e[1] for e in entries])
            entries.clear()

    def noisy(vec: Any) -> Any:
        if copy == 0:
            return vec
        v = vec + rng.normal(0.0, NOISE, vec.shape).astype(np.float32)
        return v / np.linalg.norm(v)

    while total < size:
        for aid in ids:
            if total >= size:
                break
            entry = manifest[aid]
            new_id = aid if copy == 0 else f"{aid}~{copy + 1}"
            source = entry.source if copy == 0 else f"copy-{copy + 1}/{entry.source}"
            published = _shift(entry.published, SHIFT_DAYS * copy)
            for cid, text, meta, vec in chunks[aid]:
                meta = dict(meta, article_id=new_id, source=source, published=published,
                            published_day=int(published[:10].replace("-", "")) if published else 0)
                batch.append((cid if copy == 0 else f"{new_id}:{cid.split(':', 1)[1]}", text, meta, noisy(vec)))
            text, avec = articles[aid]
            entries.append((replace(entry, article_id=new_id, source=source, published=published,
                                    origin=f"synthetic:{copy}"), text, noisy(avec)))
            total += len(chunks[aid])
            if len(batch) >= 4000:
                flush()
        copy += 1
    flush()
    written = time.perf_counter() - started
    read_model.open_or_build(store, config.read_model_dir, strict=True)
    info = {"size": size, "chunks": store.chunk_count(), "copies": copy, "write_s": written,
            "total_s": time.perf_counter() - started}
    (folder / "built.json").write_text(json.dumps(info), encoding="utf-8")
    return folder


def measure(size: int, cache: Path) -> dict[str, Any]:
    from eval.gold.datasets import realtimeqa_questions
    from eval.gold.metrics import percentile
    from qa.assistant import open_assistant
    from qa.config import Config

    questions = realtimeqa_questions()
    started = time.perf_counter()
    assistant = open_assistant(Config(index_dir=cache / f"scale-{size}"))
    for q in questions[:5]:
        assistant.ask(q.question, as_of=q.question_date)
    opened = time.perf_counter() - started
    ask_ms, search_ms = [], []
    assistant.clear_query_cache()
    for q in questions:
        t = time.perf_counter()
        assistant.ask(q.question, as_of=q.question_date)
        ask_ms.append((time.perf_counter() - t) * 1000)
    assistant.clear_query_cache()
    for q in questions:
        t = time.perf_counter()
        assistant.search(q.question, k=5, as_of=q.question_date)
        search_ms.append((time.perf_counter() - t) * 1000)
    return {"size": size, "chunks": assistant.chunk_count(), "open_s": round(opened, 1),
            "dense": "exact" if assistant.retriever.dense_is_exact() else "chroma-hnsw",
            "ask_p50_ms": round(percentile(ask_ms, 50), 1), "ask_p95_ms": round(percentile(ask_ms, 95), 1),
            "search_p50_ms": round(percentile(search_ms, 50), 1), "search_p95_ms": round(percentile(search_ms, 95), 1),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str] | None = None) -> None:
    apply_offline_defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("build", "time"))
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--cache", type=Path, default=Path(".eval_cache"))
    args = parser.parse_args(argv)
    if args.action == "build":
        folder = build(args.size, args.cache)
        print((folder / "built.json").read_text(encoding="utf-8"))
    else:
        print(json.dumps(measure(args.size, args.cache)))


if __name__ == "__main__":
    main()
