"""Gold question files (the seed's JSONL format) -> `GoldQuestion`.

One JSON object a line: ``id``, ``question``, ``answers`` (strings; empty when unanswerable),
``answerable``, ``evidence`` (``{source, start_line, end_line}``; lines may be omitted for
article-level evidence), and optionally ``question_date`` (YYYY-MM-DD, the "today" of the
question), ``choices`` + ``answer_index`` (multiple choice), ``near`` (for an unanswerable
question, how close it is to an article: "missing-fact", "other-subject", "missing-part" or
"off-topic"; unlabelled ones count as off-topic) and ``parts`` (a multi-part question: one
label per evidence entry, each part to be cited).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Evidence:
    source: str
    start_line: int | None = None
    end_line: int | None = None


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    answerable: bool
    evidence: tuple[Evidence, ...]
    question_date: str = ""
    choices: tuple[str, ...] = ()
    answer_index: int | None = None
    near: str = ""
    parts: tuple[str, ...] = ()

    @property
    def near_topic(self) -> bool:
        """An unanswerable question close to an article (right article or right kind of fact)."""
        return not self.answerable and self.near not in ("", "off-topic")


def load_gold(path: Path) -> list[GoldQuestion]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            evidence = tuple(Evidence(e["source"], e.get("start_line"), e.get("end_line")) for e in r.get("evidence") or [])
            out.append(GoldQuestion(
                id=str(r["id"]), question=r["question"], answers=tuple(r.get("answers") or ()),
                answerable=bool(r.get("answerable", bool(r.get("answers")))), evidence=evidence,
                question_date=str(r.get("question_date") or "").replace("/", "-")[:10],
                choices=tuple(r.get("choices") or ()), answer_index=r.get("answer_index"),
                near=str(r.get("near") or ""), parts=tuple(r.get("parts") or ())))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{path}:{number}: not a gold question ({type(err).__name__}: {err})") from None
    return out
