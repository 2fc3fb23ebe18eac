"""Calibrate the generative answers' support rule (`qa.generative.verify.MIN_OVERLAP`) on the samples.

    python -m eval.gold.support_rule

For every answerable question of the samples and near-topic gold sets, a claim is made from the
question and its gold answer ("Who runs Corvane Logistics?" + "Henrik Osei-Larsen" -> "runs
Corvane Logistics Henrik Osei-Larsen"). Each claim is checked, at each overlap threshold, against
three kinds of cited lines:

- right: the gold lines with three lines either side and the article's first line (about what a
  retrieved passage holds): a good rule supports nearly all;
- other article: the first lines of every other sample article (a wrong marker): none;
- far line: any single line of the right article at least four lines from the gold lines (a
  right article, wrong line): few (a name or number the article repeats can be enough).

Left out: the model itself (its answers are scored by `qa eval ... --llm-url`).
"""

from __future__ import annotations

import re
from pathlib import Path

from eval.gold.datasets import NEAR_TOPIC_GOLD, SAMPLES_DIR, SAMPLES_GOLD
from eval.gold.questions import load_gold
from qa.generative.verify import _known, content_stems, facts

_ASKING = re.compile(r"^(what|who|when|where|which|how many|how much|how long|how)\s+"
                     r"((is|was|are|were|did|does|do|will|has|have)\s+)?", re.IGNORECASE)


def supports(claim: str, text: str, threshold: float) -> bool:
    words = content_stems(claim)
    return not facts(claim) - _known(text) and len(words & content_stems(text)) >= threshold * len(words)


def _window(lines: list[str], start: int, end: int, around: int) -> str:
    keep = sorted({0} | set(range(max(0, start - 1 - around), min(len(lines), end + around))))
    return "\n".join(lines[i] for i in keep)


def cases() -> list[tuple[str, str, list[str], list[str]]]:
    """(claim, right lines, other articles' first lines, far lines) per answerable gold question."""
    from index.loaders import load_folder

    articles = {a.source: a.text.split("\n") for a in load_folder(SAMPLES_DIR) if hasattr(a, "text")}
    out = []
    for q in load_gold(SAMPLES_GOLD) + load_gold(NEAR_TOPIC_GOLD):
        e = next((e for e in q.evidence if e.start_line and e.source in articles), None)
        if not q.answerable or e is None or e.end_line is None:
            continue
        lines = articles[e.source]
        claim = f"{_ASKING.sub('', q.question.rstrip('?'))} {q.answers[0]}"
        others = [_window(other, 1, 1, 6) for source, other in articles.items() if source != e.source]
        far = [line for i, line in enumerate(lines, 1) if abs(i - e.start_line) > 3 and line.strip()]
        out.append((claim, _window(lines, e.start_line, e.end_line, 3), others, far))
    return out


def main() -> None:
    rows = cases()
    print("| threshold | right lines supported | other article supported | a far line supported |")
    print("|---|---|---|---|")
    for threshold in (0.4, 0.5, 0.6, 0.7, 0.8):
        right = sum(supports(c, r, threshold) for c, r, _, _ in rows)
        other = sum(any(supports(c, x, threshold) for x in o) for c, _, o, _ in rows)
        far = sum(any(supports(c, x, threshold) for x in f) for c, _, _, f in rows)
        print(f"| {threshold} | {right}/{len(rows)} | {other}/{len(rows)} | {far}/{len(rows)} |")


if __name__ == "__main__":
    main()
