"""Run gold questions through an assistant and collect one row per question (no scoring here
beyond what each row needs; summaries are in `eval.gold.report`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from eval.gold.questions import GoldQuestion
from eval.gold.metrics import contains_answer, line_precision_recall, pick_choice, spans_overlap


def distinct_sources(passages: Sequence[Any]) -> list[str]:
    seen: list[str] = []
    for p in passages:
        if p.source not in seen:
            seen.append(p.source)
    return seen


def run_question(assistant: Any, q: GoldQuestion, use_date: bool, k: int = 10) -> dict[str, Any]:
    filters = {"as_of": q.question_date} if use_date and q.question_date else {}
    started = time.perf_counter()
    answer = assistant.ask(q.question, k=k, **filters)
    latency = (time.perf_counter() - started) * 1000
    cited = [(c.source, c.start_line, c.end_line) for c in answer.citations]
    gold_lines = [(e.source, e.start_line, e.end_line) for e in q.evidence if e.start_line is not None]
    gold_sources = {e.source for e in q.evidence}
    quotes = " ".join(c.quote for c in answer.citations)
    row: dict[str, Any] = {
        "id": q.id, "question": q.question, "question_date": q.question_date, "answerable": q.answerable,
        "gold_answers": list(q.answers), "gold_sources": sorted(gold_sources),
        "answered": answer.answered, "answer": answer.text,
        "citations": [c.to_json() for c in answer.citations],
        "retrieved": distinct_sources(answer.passages), "latency_ms": latency, "signals": dict(answer.signals),
        "answer_in_citations": bool(answer.answered and q.answers and contains_answer(quotes, q.answers)),
        "cites_gold_article": bool(gold_sources & {c[0] for c in cited}),
        "short": answer.short.text if answer.short else "", "near_topic": q.near_topic,
    }
    if "model_sentences" in answer.signals:       # a language model wrote it (qa.generative): what our check kept
        row.update(generated=answer.generated, model_sentences=int(answer.signals["model_sentences"]),
                   model_supported=int(answer.signals["model_supported"]))
    if len(q.parts) > 1:
        row["parts_cited"] = all(spans_overlap(cited, [(e.source, e.start_line, e.end_line)]) if e.start_line
                                 else e.source in {c[0] for c in cited} for e in q.evidence)
    if gold_lines:
        precision, recall = line_precision_recall(cited, gold_lines)
        row.update(line_precision=precision, line_recall=recall, lines_overlap=spans_overlap(cited, gold_lines))
    if q.choices and q.answer_index is not None:
        # our short answer first (the span we would name), then the quoted lines, then the passages
        evidence = ([answer.short.text] if answer.short else []) + [c.quote for c in answer.citations] + [
            p.text for p in answer.passages]
        row["mc_choice"] = pick_choice(q.choices, evidence, answer.short.text if answer.short else "")
        row["mc_correct"] = row["mc_choice"] == q.answer_index
    overlap_ok = row.get("lines_overlap", row["cites_gold_article"])
    row["correct"] = (bool(answer.answered and overlap_ok and row["answer_in_citations"]) if q.answerable
                      else not answer.answered)
    return row


def run_stock(stock: Any, questions: Sequence[GoldQuestion], k: int = 10, progress: Any = None) -> list[dict[str, Any]]:
    """Rows for the LlamaIndex stock pipeline: retrieval only (it has no dates and no answers)."""
    rows = []
    for q in questions:
        started = time.perf_counter()
        retrieved = stock.sources(q.question, k=k)
        rows.append({"id": q.id, "question": q.question, "answerable": q.answerable,
                     "gold_sources": sorted({e.source for e in q.evidence}), "retrieved": retrieved,
                     "latency_ms": (time.perf_counter() - started) * 1000})
        if progress is not None:
            progress.update(1)
    return rows


def run_questions(assistant: Any, questions: Sequence[GoldQuestion], use_date: bool = True, k: int = 10,
                  progress: Any = None) -> list[dict[str, Any]]:
    rows = []
    for q in questions:
        rows.append(run_question(assistant, q, use_date, k))
        if progress is not None:
            progress.update(1)
    return rows
