"""Scoring as pure functions (pyserini-style: runs and gold kept apart, checked on hand-made cases).

Every function takes plain values, so each is tested on hand-computed examples in
`tests/test_metrics.py`.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

from eval.gold.values import adjective_of, amount, same_amount

Span = tuple[str, int, int]          # (source, start_line, end_line), inclusive


def recall_at_k(retrieved: Sequence[str], gold: set[str], k: int) -> float:
    """1.0 when any of the first `k` retrieved sources is a gold source, else 0.0."""
    return 1.0 if gold and any(s in gold for s in retrieved[:k]) else 0.0


def reciprocal_rank(retrieved: Sequence[str], gold: set[str], k: int = 10) -> float:
    """1 / rank of the first gold source within the first `k` (0.0 when none)."""
    for rank, source in enumerate(retrieved[:k], start=1):
        if source in gold:
            return 1.0 / rank
    return 0.0


def _lines(spans: Sequence[Span]) -> set[tuple[str, int]]:
    return {(src, n) for src, a, b in spans for n in range(a, b + 1)}


def line_precision_recall(cited: Sequence[Span], gold: Sequence[Span]) -> tuple[float, float]:
    """Share of cited lines that are gold lines, and of gold lines that are cited."""
    c, g = _lines(cited), _lines(gold)
    hit = len(c & g)
    return (hit / len(c) if c else 0.0, hit / len(g) if g else 0.0)


def spans_overlap(cited: Sequence[Span], gold: Sequence[Span]) -> bool:
    return bool(_lines(cited) & _lines(gold))


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lower-case, drop punctuation (curly quotes too) and articles, squeeze spaces.

    >>> normalize_answer("The  “Squid Game”!")
    'squid game'
    """
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation) | set("“”‘’«»—–"))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def contains_answer(text: str, answers: Sequence[str]) -> bool:
    """Does `text` contain one of `answers`, after normalisation?"""
    norm = f" {normalize_answer(text)} "
    return any(a.strip() and f" {normalize_answer(a)} " in norm for a in answers if normalize_answer(a))


def exact_match(prediction: str, answers: Sequence[str]) -> float:
    return max((1.0 if normalize_answer(prediction) == normalize_answer(a) else 0.0 for a in answers), default=0.0)


def token_f1(prediction: str, answers: Sequence[str]) -> float:
    """Best SQuAD token F1 of `prediction` against any gold answer."""
    best = 0.0
    pred = normalize_answer(prediction).split()
    for answer in answers:
        gold = normalize_answer(answer).split()
        common = sum((Counter(pred) & Counter(gold)).values())
        if not pred or not gold or not common:
            continue
        p, r = common / len(pred), common / len(gold)
        best = max(best, 2 * p * r / (p + r))
    return best


def abstention_precision_recall(declined: Sequence[bool], unanswerable: Sequence[bool]) -> tuple[float, float]:
    """Precision: declines that were right to decline; recall: unanswerables that were declined."""
    pairs = list(zip(declined, unanswerable))
    tp = sum(1 for d, u in pairs if d and u)
    n_declined = sum(1 for d, _ in pairs if d)
    n_unanswerable = sum(1 for _, u in pairs if u)
    return (tp / n_declined if n_declined else 0.0, tp / n_unanswerable if n_unanswerable else 0.0)


def pick_choice(choices: Sequence[str], evidence: Sequence[str], short: str = "") -> int | None:
    """The choice best supported by `evidence` (texts, best first), or None when none is.

    When the `short` answer reads as a number, an amount or a percentage (`eval.gold.values`),
    the choice naming the same quantity is picked ("six" picks "6", "$12,600,000" picks
    "$12.6 million"). Otherwise a choice's support in one text is 1.0 when the whole normalised
    choice occurs in it (or the text holds the adjective of a one-word place: "Chinese" for
    "China"), else half the share of its distinct words that occur there; a text at rank r
    (from 0) weighs 1 / (r + 1), and a choice scores its best weighted support. Ties go to the
    choice whose support comes from more texts, then to the earlier choice.

    >>> pick_choice(["Paris", "Rome"], ["The summit moved to Rome.", "Paris hosted it in 2019."])
    1
    >>> pick_choice(["Paris", "Rome"], ["Nothing relevant here."]) is None
    True
    >>> pick_choice(["3", "6"], ["six months"], short="six"), pick_choice(["Japan", "China"], ["Chinese data"])
    (1, 1)
    """
    value = amount(short) if short else None
    if value is not None:
        close = [(max(v[0], value[0]) / min(v[0], value[0]), i) for i, v in enumerate(map(amount, choices))
                 if v is not None and same_amount(v, value)]
        if close:
            return min(close)[1]
    texts = [f" {normalize_answer(t)} " for t in evidence]
    best: tuple[float, int, int] | None = None
    pick = None
    for index, choice in enumerate(choices):
        norm = normalize_answer(choice)
        words = set(norm.split())
        if not words:
            continue
        supports = []
        for rank, text in enumerate(texts):
            if f" {norm} " in text or len(words) == 1 and any(adjective_of(w, norm) for w in set(text.split())):
                support = 1.0
            else:
                support = 0.5 * sum(1 for w in words if f" {w} " in text) / len(words)
            supports.append(support / (rank + 1))
        score = (max(supports, default=0.0), sum(1 for s in supports if s > 0), -index)
        if score[0] > 0 and (best is None or score > best):
            best, pick = score, index
    return pick


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100].

    >>> percentile([10, 20, 30, 40], 50)
    25.0
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
