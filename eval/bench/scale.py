"""Warm `ask`/`search` latency and memory at a given index size (10k, 100k, 1M chunks).

    python -m eval.bench.scale build --size 1000000 [--cache .eval_cache]
    python -m eval.bench.scale time --size 1000000 [--cache .eval_cache] [--server] [--index DIR]

How a size is made from the real RealTime QA dev index (39.6k chunks of 2,502 articles, built
by `qa eval realtimeqa`): below its size, the first articles (by id) until the size is reached;
above it, the real articles plus copies of them under other ids and sources (``copy-2/...``),
each copy's vectors the real ones plus Gaussian noise (sigma 0.02 a dimension, then
re-normalised: cosine about 0.93 to the original), and its dates moved back 371 days per copy,
so the index looks like a multi-year archive. Texts are the real texts (BM25 postings grow
with the copies). Everything goes through our store API and read model, as an ingest would,
minus the model calls; the read model is then built from the store and timed apart
(`built.json`: `write_s`, `read_model_s`).

`time` runs in a fresh process: it opens the index (timed: `open_s`, and until the first
answer, which loads Chroma's HNSW index when it is used, spaCy and the encoder:
`open_and_first_answer_s`), warms up on four more questions, then times the 131 gold-subset
questions four times, each pass with an empty query-vector cache and an empty parse cache (since
session 11: the undated pass had reused the dated pass's parses of the same questions and
sentences): `ask` with their dates, `ask` without, `search` with, `search` without.
It prints one JSON line with p50/p95 and the process's memory from /proc: peak and current
resident set, split into anonymous memory (the process's own) and file pages (the
memory-mapped read model: the OS's page cache, shared between processes, reported apart).
`--server` starts `chroma run` on 127.0.0.1 over the same folder and answers through it
(HNSW search then runs in the server, whose resident memory is reported too); the server-mode
read model folder is a hard-linked copy of the local one (same content, same revision).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import tempfile
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
    done = folder / "built.json"
    info = json.loads(done.read_text(encoding="utf-8")) if done.exists() else {}
    if "read_model_s" in info:
        return folder
    if info:      # the store is written: (re)build the read model only
        started = time.perf_counter()
        store = open_store(config)
        read_model.open_or_build(store, config.read_model_dir, strict=True)
        info["read_model_s"] = round(time.perf_counter() - started, 1)
        done.write_text(json.dumps(info), encoding="utf-8")
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
    info = {"size": size, "chunks": store.chunk_count(), "copies": copy,
            "write_s": round(time.perf_counter() - started, 1)}
    done.write_text(json.dumps(info), encoding="utf-8")
    return build(size, cache)


def _memory(pid: int | str = "self") -> dict[str, int]:
    """MiB from /proc/PID/status: peak and current resident set, anonymous and file-backed parts."""
    names = {"VmHWM": "peak_rss_mib", "VmRSS": "rss_mib", "RssAnon": "anon_mib", "RssFile": "file_mib"}
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in names:
            out[names[key]] = int(value.split()[0]) // 1024
    return out


def measure(size: int, cache: Path, server: bool = False, index: Path | None = None) -> dict[str, Any]:
    """`index`: time this index instead of the synthetic one of `size` (the real dev index: 40k)."""
    from eval.gold.datasets import realtimeqa_questions
    from eval.gold.metrics import percentile
    from eval.reliability.app_process import start_chroma, stop
    from qa.assistant import open_assistant
    from qa.config import Config

    questions = realtimeqa_questions()
    folder = index or cache / f"scale-{size}"
    config = Config(index_dir=folder)
    proc = None
    if server:
        proc, url = start_chroma(folder, Path(tempfile.mkdtemp(prefix="scale-chroma-")), timeout=300)
        config = Config(index_dir=folder, chroma_url=url)
        if not config.read_model_dir.exists():
            shutil.copytree(folder / "read_model", config.read_model_dir, copy_function=os.link)
    try:
        started = time.perf_counter()
        assistant = open_assistant(config)
        opened = time.perf_counter() - started
        assistant.ask(questions[0].question, as_of=questions[0].question_date)
        first = time.perf_counter() - started        # + Chroma and its HNSW index, spaCy, the encoder
        for q in questions[1:5]:
            assistant.ask(q.question, as_of=q.question_date)
        result: dict[str, Any] = {"size": size, "chunks": assistant.chunk_count(), "open_s": round(opened, 2),
                                  "open_and_first_answer_s": round(first, 1), "server": server,
                                  "dense": "exact" if assistant.retriever.dense_is_exact() else "chroma-hnsw"}
        for name, call in (("ask", assistant.ask), ("search", assistant.search)):
            for dated in (True, False):
                assistant.clear_query_cache()
                if assistant.parser is not None:
                    assistant.parser.clear()      # a new question's parse is never cached: nor this pass's
                times = []
                for q in questions:
                    t = time.perf_counter()
                    call(q.question, as_of=q.question_date if dated else None)
                    times.append((time.perf_counter() - t) * 1000)
                key = f"{name}_{'dated' if dated else 'undated'}"
                result[key] = {"p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1)}
        result["memory"] = _memory()
        if proc is not None:
            result["server_memory"] = _memory(proc.pid)
        return result
    finally:
        stop(proc)


def main(argv: list[str] | None = None) -> None:
    apply_offline_defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("build", "time"))
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--cache", type=Path, default=Path(".eval_cache"))
    parser.add_argument("--server", action="store_true", help="answer through a `chroma run` server (time)")
    parser.add_argument("--index", type=Path, help="time this index instead (time), e.g. the real dev index")
    args = parser.parse_args(argv)
    if args.action == "build":
        folder = build(args.size, args.cache)
        print((folder / "built.json").read_text(encoding="utf-8"))
    else:
        print(json.dumps(measure(args.size, args.cache, args.server, args.index)))


if __name__ == "__main__":
    main()
