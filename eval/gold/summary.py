"""Summaries of a run: every metric from `eval.gold.metrics`, computed over the rows of `eval.gold.runner`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eval.gold.metrics import (abstention_precision_recall, exact_match, mean, percentile, recall_at_k,
                               reciprocal_rank, token_f1)


def answer_span(row: dict[str, Any]) -> str:
    """The text scored by EM/F1: the short answer ("" when the answer has none, which scores 0)."""
    return row.get("short") or ""


def summarize_retrieval(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Retrieval metrics and latency only (for pipelines that retrieve but do not answer)."""
    with_sources = [r for r in rows if r["answerable"] and r["gold_sources"]]
    latencies = [r["latency_ms"] for r in rows]
    out: dict[str, Any] = {"questions": len(rows), "latency_p50_ms": percentile(latencies, 50),
                           "latency_p95_ms": percentile(latencies, 95)}
    for k in (1, 5, 10):
        out[f"recall@{k}"] = mean([recall_at_k(r["retrieved"], set(r["gold_sources"]), k) for r in with_sources])
    out["mrr@10"] = mean([reciprocal_rank(r["retrieved"], set(r["gold_sources"]), 10) for r in with_sources])
    return out


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    with_sources = [r for r in answerable if r["gold_sources"]]
    with_lines = [r for r in answerable if "line_precision" in r and r["answered"]]
    declined = [not r["answered"] for r in rows]
    unanswerable = [not r["answerable"] for r in rows]
    abstain_p, abstain_r = abstention_precision_recall(declined, unanswerable)
    latencies = [r["latency_ms"] for r in rows]
    out: dict[str, Any] = {
        "questions": len(rows), "answerable": len(answerable), "unanswerable": sum(unanswerable),
        "answered": sum(r["answered"] for r in answerable),
        "correct": sum(r["correct"] for r in answerable),
        "declined_correctly": sum(r["correct"] for r in rows if not r["answerable"]),
        "answer_in_citations": mean([float(r["answer_in_citations"]) for r in answerable]),
        "exact_match": mean([exact_match(answer_span(r), r["gold_answers"]) for r in answerable]),
        "token_f1": mean([token_f1(answer_span(r), r["gold_answers"]) for r in answerable]),
        "short_answers": mean([float(bool(answer_span(r))) for r in answerable]),
        "abstention_precision": abstain_p, "abstention_recall": abstain_r,
        "latency_p50_ms": percentile(latencies, 50), "latency_p95_ms": percentile(latencies, 95),
    }
    for k in (1, 5, 10):
        out[f"recall@{k}"] = mean([recall_at_k(r["retrieved"], set(r["gold_sources"]), k) for r in with_sources])
    out["mrr@10"] = mean([reciprocal_rank(r["retrieved"], set(r["gold_sources"]), 10) for r in with_sources])
    if with_lines:
        out["line_precision"] = mean([r["line_precision"] for r in with_lines])
        out["line_recall"] = mean([r["line_recall"] for r in with_lines])
    near = [r for r in rows if not r["answerable"] and r.get("near_topic")]
    far = [r for r in rows if not r["answerable"] and not r.get("near_topic")]
    if near:
        out["declined_near_topic"] = mean([float(not r["answered"]) for r in near])
    if far:
        out["declined_off_topic"] = mean([float(not r["answered"]) for r in far])
    parts = [r for r in answerable if "parts_cited" in r]
    if parts:
        out["parts_cited"] = mean([float(r["parts_cited"]) for r in parts])
    model = [r for r in rows if "model_sentences" in r]
    if model:               # the generative path: share of the model's sentences our check supported
        sentences = sum(r["model_sentences"] for r in model)
        out["supported_sentences"] = sum(r["model_supported"] for r in model) / sentences if sentences else 0.0
        out["model_answers_used"] = mean([float(r["generated"]) for r in model])
    mc = [r for r in rows if r.get("mc_correct") is not None]
    if mc:
        out["mc_accuracy"] = mean([float(r["mc_correct"]) for r in mc])
    return out
