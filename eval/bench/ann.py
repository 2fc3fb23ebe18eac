"""ANN recall@10 of Chroma HNSW settings against exact search, on real embeddings.

    python -m eval.bench.ann [--cache .eval_cache] [--queries 399]

Vectors: every chunk of the RealTime QA dev index (real MiniLM embeddings; built by
`qa eval realtimeqa`). Queries: the embedded RealTime QA questions (all 399 by default).
For each HNSW setting a fresh Chroma collection (in a temporary folder) is filled with the
same vectors; recall@10 is the share of the exact top 10 (numpy, cosine) that HNSW returns,
averaged over the queries, unfiltered and with the as-of date filter our retriever sends
(``published_day <= question day``). Our settings are `index.store.HNSW`.

It imports `chromadb` directly (Chroma's HNSW is what it measures, on collections of its own);
the product reaches Chroma only through `index.store`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from index.offline import apply_offline_defaults

SETTINGS = {
    "chroma default (M 16, ef_c 100, ef_s 100)": {"space": "cosine"},
    "ours (M 32, ef_c 200, ef_s 200)": None,            # index.store.HNSW
}


def main(argv: list[str] | None = None) -> None:
    apply_offline_defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(".eval_cache"))
    parser.add_argument("--queries", type=int, default=399)
    args = parser.parse_args(argv)

    import chromadb

    from eval.gold.datasets import realtimeqa_set
    from eval.gold.realtimeqa import load_questions
    from eval.gold.datasets import RTQA_DIR
    from index.embed import MiniLMEmbedder
    from index.store import HNSW
    from qa.ingest import open_store

    _name, config, _gold = realtimeqa_set(args.cache)
    store = open_store(config)
    ids, days, vectors = [], [], []
    for cid, _text, meta, vec in store.all_chunks(with_vectors=True):
        ids.append(cid)
        days.append(int(meta["published_day"]))
        vectors.append(vec)
    matrix = np.asarray(vectors, dtype=np.float32)
    day = np.asarray(days)
    questions = load_questions(RTQA_DIR, gold_only=False)[: args.queries]
    queries = MiniLMEmbedder().embed_batch([q.question for q in questions])
    qdays = [int(q.question_date.replace("-", "").replace("/", "")[:8]) for q in questions]
    exact, exact_dated = [], []
    for qv, qd in zip(queries, qdays):
        sims = matrix @ qv
        exact.append(set(np.argsort(-sims)[:10].tolist()))
        masked = np.where(day <= qd, sims, -np.inf)
        exact_dated.append(set(np.argsort(-masked)[:10].tolist()))
    position = {cid: i for i, cid in enumerate(ids)}
    print(f"{len(ids)} real chunk vectors, {len(questions)} real questions as queries")
    print(f"{'HNSW setting':<44}{'build s':>9}{'recall@10':>11}{'dated':>9}{'query ms':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=chromadb.Settings(anonymized_telemetry=False))
        for label, hnsw in SETTINGS.items():
            started = time.perf_counter()
            col = client.create_collection(f"ann{len(client.list_collections())}", embedding_function=None,
                                           configuration={"hnsw": hnsw or HNSW})
            for lo in range(0, len(ids), 5000):
                col.add(ids=ids[lo:lo + 5000], embeddings=matrix[lo:lo + 5000],
                        metadatas=[{"published_day": d} for d in days[lo:lo + 5000]])
            built = time.perf_counter() - started
            recalls, dated, times = [], [], []
            for qv, qd, want, want_dated in zip(queries, qdays, exact, exact_dated):
                t = time.perf_counter()
                got = col.query(query_embeddings=[qv.tolist()], n_results=10, include=[])
                times.append((time.perf_counter() - t) * 1000)
                recalls.append(len({position[i] for i in got["ids"][0]} & want) / 10)
                got = col.query(query_embeddings=[qv.tolist()], n_results=10, include=[],
                                where={"published_day": {"$lte": qd}})
                dated.append(len({position[i] for i in got["ids"][0]} & want_dated) / 10)
            print(f"{label:<44}{built:>9.1f}{np.mean(recalls):>11.4f}{np.mean(dated):>9.4f}"
                  f"{np.median(times):>10.1f}")


if __name__ == "__main__":
    main()
