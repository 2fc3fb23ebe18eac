"""Calibrate the composer's decline thresholds on gold data (not by hand, not per question).

    python -m eval.gold.calibrate [--cache .eval_cache] [--out FILE.json] [--no-priced-thing]

Runs every gold question once with declining switched off, records the signals the decline
rule reads (best sentence coverage, the share of the question missing from the cited
article, dense similarity, whether the asked-for kind of answer is present, and for a
question asking for a kind of thing its best span's `cover` and `near` and the model's
question-sentence cosine, and the share of the question's naming words the quoted sentence
does not align, `qa.alignment`) and whether the answer would be correct, then grid-searches the
thresholds that maximise the mean, over the data sets, of (correct answers + correct
declines) / questions. The data sets: the seed gold, our samples gold, the near-topic and
multi-part sets over the samples, and the RealTime QA dev gold-article questions (asked
with their question date). The chosen values are the defaults in `ComposerSettings`.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from index.offline import apply_offline_defaults

GRID = {
    "min_coverage": [0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4],
    "max_missing": [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0],
    "min_similarity": [-1.0, 0.2, 0.25, 0.3, 0.35, 0.4],
    "require_type": [False, True],
    "min_cover": [0.0, 0.4, 0.5, 0.6],
    "min_near": [0.0, 0.1, 0.15, 0.2],
    "min_answer_similarity": [-1.0, 0.2, 0.3, 0.4],
    "max_unaligned": [0.15, 0.25, 0.35, 0.5, 1.0],
}


def decide(signals: dict[str, float], t: dict[str, Any]) -> bool:
    if "coverage" not in signals:      # a multi-part answer: its parts were decided one by one
        return signals.get("parts_answered", 0.0) >= signals.get("parts", 1.0)
    span_rule = signals.get("span_rule", 0.0) > 0
    if signals.get("unaligned", 0.0) > t["max_unaligned"]:
        return False
    old = (signals["coverage"] >= t["min_coverage"] and signals["missing"] <= t["max_missing"]
           and signals["similarity"] >= t["min_similarity"]
           and (signals["typed"] > 0 or not t["require_type"] or span_rule))
    if not old or not span_rule:
        return old
    return ("cover" in signals and signals["cover"] >= t["min_cover"] and signals["near"] >= t["min_near"]
            and signals.get("answer_similarity", 1.0) >= t["min_answer_similarity"])


def accuracy(rows: list[dict[str, Any]], t: dict[str, Any]) -> float:
    good = 0
    for r in rows:
        answered = decide(r["signals"], t)
        good += (answered and r["correct_if_answered"]) if r["answerable"] else (not answered)
    return good / len(rows) if rows else 0.0


def search(datasets: dict[str, list[dict[str, Any]]],
           current: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, float]]:
    """The thresholds with the best mean accuracy over the data sets.

    Ties (a plateau of equally accurate settings) go to the one fewest grid steps from
    `current` (the defaults): a default moves only when moving it is measured to help.

    >>> rows = [{"answerable": True, "correct_if_answered": True, "signals": {"coverage": 0.5, "missing": 0.2,
    ...          "similarity": 0.5, "typed": 1}}, {"answerable": False, "correct_if_answered": False,
    ...          "signals": {"coverage": 0.12, "missing": 0.2, "similarity": 0.5, "typed": 1}}]
    >>> current = {"min_coverage": 0.1, "max_missing": 0.6, "min_similarity": -1.0, "require_type": True,
    ...            "min_cover": 0.5, "min_near": 0.15, "min_answer_similarity": 0.3, "max_unaligned": 0.25}
    >>> chosen, per = search({"toy": rows}, current)
    >>> chosen["min_coverage"], chosen["max_missing"], chosen["min_cover"], per
    (0.15, 0.6, 0.5, {'toy': 1.0})
    """
    def steps(t: dict[str, Any]) -> int:
        if current is None:
            return 0
        return sum(abs(GRID[k].index(t[k]) - GRID[k].index(current[k])) if current[k] in GRID[k] else 1 for k in GRID)

    best: tuple[float, int, dict[str, Any], dict[str, float]] | None = None
    for values in itertools.product(*GRID.values()):
        t = dict(zip(GRID, values))
        per = {name: accuracy(rows, t) for name, rows in datasets.items()}
        score = round(sum(per.values()) / len(per), 12)
        if best is None or score > best[0] or (score == best[0] and steps(t) < best[1]):
            best = (score, steps(t), t, per)
    assert best is not None
    return best[2], best[3]


def collect(assistant: Any, questions: list[Any]) -> list[dict[str, Any]]:
    from eval.gold.runner import run_question

    rows = []
    for q in questions:
        row = run_question(assistant, q, use_date=True)
        rows.append({"id": q.id, "answerable": q.answerable, "signals": row["signals"],
                     "correct_if_answered": bool(row["correct"]) if q.answerable else False})
    return rows


def main(argv: list[str] | None = None) -> None:
    apply_offline_defaults()
    from eval.gold.datasets import gold_sets
    from qa.assistant import open_assistant
    from qa.scoring import ComposerSettings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(".eval_cache"))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-priced-thing", action="store_true",
                        help="ablation: an amount counts for any 'how much does X cost' question")
    args = parser.parse_args(argv)
    open_everything = ComposerSettings(min_coverage=0.0, max_missing=1.0, min_similarity=-1.0, require_type=False,
                                       priced_thing=not args.no_priced_thing, min_cover=0.0, min_near=0.0,
                                       min_answer_similarity=-0.999, max_unaligned=1.0)
    datasets = {}
    for name, config, questions in gold_sets(args.cache):
        assistant = open_assistant(replace(config, composer=open_everything))
        datasets[name] = collect(assistant, questions)
    current = {k: getattr(ComposerSettings(), k) for k in GRID}
    chosen, per = search(datasets, current)
    print("chosen thresholds:", json.dumps(chosen))
    print("accuracy per data set (answered correctly + declined correctly):",
          json.dumps({k: round(v, 3) for k, v in per.items()}))
    print("current defaults:", json.dumps(current), json.dumps({k: round(accuracy(r, current), 3) for k, r in datasets.items()}))
    if args.out:
        args.out.write_text(json.dumps({"chosen": chosen, "accuracy": per, "rows": datasets}, indent=1))


if __name__ == "__main__":
    main()
