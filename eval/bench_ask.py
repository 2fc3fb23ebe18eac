"""Latency of `ask` and `search` in a warm process over the RealTime QA dev index.

    python -m eval.bench_ask [--cache .eval_cache] [--repeat 1]

Builds (or reuses) the dev index, opens one assistant, warms it with a few questions, then
times every gold-subset question with its question date as as-of date (then `search` on the
same questions, the query-vector cache emptied before each pass so every call embeds its
query), printing p50/p95/max in milliseconds and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from index.offline import apply_offline_defaults


def main(argv: list[str] | None = None) -> None:
    apply_offline_defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(".eval_cache"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)

    from eval.datasets import realtimeqa_set
    from eval.metrics import percentile
    from qa.assistant import open_assistant

    _name, config, questions = realtimeqa_set(args.cache)
    started = time.perf_counter()
    assistant = open_assistant(config)
    for q in questions[:5]:
        assistant.ask(q.question, as_of=q.question_date)
    warm = time.perf_counter() - started
    ask_ms, search_ms = [], []
    for _ in range(args.repeat):
        # each pass starts with an empty query-vector cache, so every call embeds its question
        assistant.retriever.clear_query_cache()
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q.question, as_of=q.question_date)
            ask_ms.append((time.perf_counter() - t) * 1000)
        assistant.retriever.clear_query_cache()
        for q in questions:
            t = time.perf_counter()
            assistant.search(q.question, k=5, as_of=q.question_date)
            search_ms.append((time.perf_counter() - t) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chunks = len(assistant.keyword.table.ids)
    print(f"index: {chunks} chunks, {len(set(assistant.keyword.table.article_ids))} articles; "
          f"open + warm-up {warm:.1f} s; questions: {len(ask_ms)}")
    for name, values in (("ask", ask_ms), ("search", search_ms)):
        print(f"{name:<7} p50 {percentile(values, 50):6.1f} ms   p95 {percentile(values, 95):6.1f} ms   "
              f"max {max(values):6.1f} ms")
    print(f"peak resident memory: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
