"""`qa eval`: run a gold set (with ablations) and write a JSON file and a Markdown report.

    qa eval seed|samples|realtimeqa|GOLD.jsonl [--index DIR] [--out DIR] [--json]

Named sets build (or reuse) their cached index under `--cache` (see `eval.gold.datasets`); a
gold JSONL file is scored against `--index`. Each run asks every question with and
without its question date (when the set has dates) in three retrieval modes: hybrid (the
default), dense only and BM25 only; the PNG shows recall@k curves per run and the latency
histogram of the default run. When a stock pipeline index is given (named sets build one, see
`eval.stock_pipeline`), its gold-source recall@k is a further row: it has no dates and no
answer composer, so only its retrieval columns are filled.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from eval.gold.questions import GoldQuestion
from eval.gold.runner import run_questions, run_stock
from eval.gold.summary import summarize, summarize_retrieval

COLUMNS = ("recall@1", "recall@5", "recall@10", "mrr@10", "answer_in_citations", "correct", "declined_correctly",
           "declined_near_topic", "declined_off_topic", "parts_cited", "short_answers", "mc_accuracy",
           "line_precision", "line_recall", "exact_match", "token_f1", "abstention_precision", "abstention_recall",
           "supported_sentences", "model_answers_used", "latency_p50_ms", "latency_p95_ms")


def evaluate(name: str, config: Any, questions: list[GoldQuestion], modes: tuple[str, ...] = ("hybrid", "dense", "bm25"),
             progress: Any = None, stock: Any = None) -> dict[str, Any]:
    from qa.assistant import open_assistant

    dated = any(q.question_date for q in questions)
    runs: dict[str, Any] = {}
    rows_out: dict[str, list[dict[str, Any]]] = {}
    base = open_assistant(config)
    base.embedder.embed_batch(["warm up the model before timing"])
    if config.llm_url:          # a language model writes the answers (qa.generative): one mode, the configured one
        from qa.generative.compose import ModelAssistant, settings_from

        modes, base = (config.retrieval.mode,), ModelAssistant(base, settings_from(config))
    for mode in modes:
        cfg = replace(config, retrieval=replace(config.retrieval, mode=mode))
        assistant = base if mode == config.retrieval.mode else open_assistant(cfg, embedder=base.embedder)
        for use_date in ((True, False) if dated else (True,)):
            label = f"{mode}" + ("" if not dated else (", with date" if use_date else ", no date"))
            label += f", model {config.llm_model or config.llm_url}" if config.llm_url else ""
            assistant.clear_query_cache()      # every pass embeds its questions (fair latency)
            rows = run_questions(assistant, questions, use_date=use_date, progress=progress)
            runs[label] = summarize(rows)
            rows_out[label] = rows
    if stock is not None:
        label = "llamaindex stock" + (", no date" if dated else "")
        rows_out[label] = run_stock(stock, questions, progress=progress)
        runs[label] = summarize_retrieval(rows_out[label])
    return {"name": name, "questions": len(questions), "summary": runs, "rows": rows_out}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if value > 1.5 else f"{value:.3f}"
    return "" if value is None else str(value)


def markdown(result: dict[str, Any]) -> str:
    lines = [f"# Evaluation: {result['name']} ({result['questions']} questions)", "",
             "| run | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    for label, summary in result["summary"].items():
        lines.append(f"| {label} | " + " | ".join(_fmt(summary.get(c)) for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


TABLE = (("r@1", "recall@1"), ("r@5", "recall@5"), ("r@10", "recall@10"), ("MRR@10", "mrr@10"),
         ("answer in cited lines", "answer_in_citations"), ("short EM", "exact_match"), ("short F1", "token_f1"),
         ("MC acc", "mc_accuracy"), ("all parts cited", "parts_cited"), ("p50 ms", "latency_p50_ms"),
         ("p95 ms", "latency_p95_ms"))


def results_table(summaries: dict[str, dict[str, Any]]) -> str:
    """The README's results table, from ``{set name: {run label: summary}}`` (`summary.json`)."""
    lines = ["| set | run | " + " | ".join(h for h, _ in TABLE) + " | correct | declined | near-topic declined |",
             "|---|---|" + "---|" * (len(TABLE) + 3)]
    for name, runs in summaries.items():
        for label, s in runs.items():
            correct = f"{s['correct']}/{s['answerable']}" if "correct" in s else ""
            declined = f"{s['declined_correctly']}/{s['unanswerable']}" if s.get("unanswerable") else ""
            lines.append(f"| {name} | {label} | " + " | ".join(_fmt(s.get(key)) for _, key in TABLE)
                         + f" | {correct} | {declined} | {_fmt(s.get('declined_near_topic'))} |")
    return "\n".join(lines) + "\n"


def read_results(out: Path) -> dict[str, dict[str, Any]]:
    """The `summary.json` of an earlier `qa eval all` in `out` ({} when there is none)."""
    path = out / "summary.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def stock_rows(runs: dict[str, Any]) -> dict[str, Any]:
    """The LlamaIndex stock-pipeline rows of one set's runs."""
    return {label: summary for label, summary in runs.items() if label.startswith("llamaindex stock")}


def write_results(summaries: dict[str, dict[str, Any]], out: Path) -> tuple[Path, Path]:
    """`summary.json` (numbers only, no article text) and `table.md` (the README table)."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "summary.json", out / "table.md"
    json_path.write_text(json.dumps(summaries, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(results_table(summaries), encoding="utf-8")
    return json_path, md_path


def plot(result: dict[str, Any], path: Path) -> None:
    """Recall@k (k = 1..10) per run, and the latency histogram of the first run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from eval.gold.metrics import mean, recall_at_k

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    ks = list(range(1, 11))
    for label, rows in result["rows"].items():
        scored = [r for r in rows if r["answerable"] and r["gold_sources"]]
        if scored:
            left.plot(ks, [mean([recall_at_k(r["retrieved"], set(r["gold_sources"]), k) for r in scored]) for k in ks],
                      marker="o", label=label)
    left.set(title=f"{result['name']}: gold-source recall@k", xlabel="k", ylabel="recall", ylim=(0, 1.02))
    left.legend(fontsize=8)
    first = next(iter(result["rows"].values()), [])
    right.hist([r["latency_ms"] for r in first], bins=30)
    right.set(title=f"latency of ask ({next(iter(result['rows']), '')})", xlabel="ms", ylabel="questions")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write(result: dict[str, Any], out: Path) -> tuple[Path, Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{result['name']}.json"
    md_path = out / f"{result['name']}.md"
    png_path = out / f"{result['name']}.png"
    json_path.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    md_path.write_text(markdown(result), encoding="utf-8")
    plot(result, png_path)
    return json_path, md_path, png_path
