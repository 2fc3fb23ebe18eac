"""The evaluation data sets and where their indexes are cached.

- seed: ``../shared/eval-data/seed`` (its articles and gold file);
- samples: our ``samples/`` with ``eval/gold/samples.jsonl``;
- near-topic: ``eval/gold/samples_near_topic.jsonl`` over ``samples/``: unanswerable questions
  next to an article's topic (right article, missing fact; right kind of fact, other subject)
  and answerable near-misses;
- multipart: ``eval/gold/samples_multipart.jsonl`` over ``samples/``: comparisons, "both" and
  yes/no questions whose parts sit in different lines or articles;
- realtimeqa: the RealTime QA dev corpus (every gold + gcs page, deduplicated by URL) and its
  131 gold-article questions (article-level evidence, the question date as as-of date).

Indexes are built on first use under the cache folder and reused (ingest is incremental).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from eval.gold.questions import Evidence, GoldQuestion, load_gold
from qa.config import Config

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("QA_SHARED", REPO.parent / "shared"))
SEED_DIR = SHARED / "eval-data" / "seed"
RTQA_DIR = SHARED / "eval-data" / "realtimeqa_2022_dev"
SAMPLES_DIR = REPO / "samples"
SAMPLES_GOLD = REPO / "eval" / "gold" / "samples.jsonl"
NEAR_TOPIC_GOLD = REPO / "eval" / "gold" / "samples_near_topic.jsonl"
MULTIPART_GOLD = REPO / "eval" / "gold" / "samples_multipart.jsonl"
OUTLETS_CORPUS = REPO / "eval" / "gold" / "outlets_corpus.jsonl"
OUTLETS_GOLD = REPO / "eval" / "gold" / "outlets.jsonl"


def _ensure(config: Config, folder: Path) -> Config:
    from qa.ingest import ingest_folder

    ingest_folder(config, folder)
    return config


def seed_set(cache: Path) -> tuple[str, Config, list[GoldQuestion]]:
    config = _ensure(Config(index_dir=cache / "seed-index"), SEED_DIR / "articles")
    return "seed", config, load_gold(SEED_DIR / "gold.jsonl")


def samples_set(cache: Path) -> tuple[str, Config, list[GoldQuestion]]:
    config = _ensure(Config(index_dir=cache / "samples-index"), SAMPLES_DIR)
    return "samples", config, load_gold(SAMPLES_GOLD)


def near_topic_set(cache: Path) -> tuple[str, Config, list[GoldQuestion]]:
    """Unanswerable questions close to a sample article (and answerable near-misses), over `samples/`."""
    config = _ensure(Config(index_dir=cache / "samples-index"), SAMPLES_DIR)
    return "near-topic", config, load_gold(NEAR_TOPIC_GOLD)


def multipart_set(cache: Path) -> tuple[str, Config, list[GoldQuestion]]:
    """Questions over several sources or parts (comparisons, "both", yes/no), over `samples/`."""
    config = _ensure(Config(index_dir=cache / "samples-index"), SAMPLES_DIR)
    return "multipart", config, load_gold(MULTIPART_GOLD)


def outlets_set(cache: Path) -> tuple[str, Config, list[GoldQuestion]]:
    """Questions that name the outlet an article appeared in ("according to the Harbor Herald"), over
    `samples/` plus four articles of two outlets written for this project (`outlets_corpus.jsonl`)."""
    config = Config(index_dir=cache / "outlets-index")
    for path in articles_paths("outlets", cache):
        _ensure(config, path)
    return "outlets", config, load_gold(OUTLETS_GOLD)


def realtimeqa_questions(gold_only: bool = True) -> list[GoldQuestion]:
    from eval.gold.realtimeqa import load_questions

    return [GoldQuestion(q.question_id, q.question, (q.answer_text,), True, tuple(Evidence(u) for u in q.gold_urls),
                         q.question_date, q.choices, q.answer_index)
            for q in load_questions(RTQA_DIR, gold_only=gold_only)]


def realtimeqa_set(cache: Path, gold_only: bool = True) -> tuple[str, Config, list[GoldQuestion]]:
    from eval.gold.realtimeqa import build_corpus

    corpus = cache / "realtimeqa" / "corpus.jsonl"
    build_corpus(RTQA_DIR, corpus)
    config = _ensure(Config(index_dir=cache / "realtimeqa" / "index"), corpus)
    return "realtimeqa", config, realtimeqa_questions(gold_only)


def articles_paths(name: str, cache: Path) -> list[Path]:
    """Where a named set's articles are (the RealTime QA corpus file is built by `realtimeqa_set`)."""
    return {"seed": [SEED_DIR / "articles"], "samples": [SAMPLES_DIR], "near-topic": [SAMPLES_DIR],
            "multipart": [SAMPLES_DIR], "outlets": [SAMPLES_DIR, OUTLETS_CORPUS],
            "realtimeqa": [cache / "realtimeqa" / "corpus.jsonl"]}[name]


def stock_retriever(name: str, cache: Path, device: str | None = None):
    """The LlamaIndex stock pipeline over a named set's articles, built once under the cache."""
    from eval import stock_pipeline
    from index.articles import Article
    from index.loaders import load_folder

    paths = articles_paths(name, cache)
    name = "samples" if paths == [SAMPLES_DIR] else name     # one stock index for samples/
    folder = cache / ("realtimeqa/stock-index" if name == "realtimeqa" else f"{name}-stock-index")
    articles = [a for path in paths for a in load_folder(path) if isinstance(a, Article)]
    settings = stock_pipeline.StockSettings()
    if not stock_pipeline.built(folder, settings, len(articles)):
        stock_pipeline.build(articles, folder, settings, device=device)
    return stock_pipeline.StockRetriever(folder, device=device)


def named_sets() -> dict[str, Any]:
    """Every named gold set: name -> function(cache) -> (name, config, questions)."""
    return {"seed": seed_set, "samples": samples_set, "near-topic": near_topic_set, "multipart": multipart_set,
            "outlets": outlets_set, "realtimeqa": realtimeqa_set}


def gold_sets(cache: Path) -> list[tuple[str, Config, list[GoldQuestion]]]:
    return [make(cache) for make in named_sets().values()]
