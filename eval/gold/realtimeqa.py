"""The RealTime QA 2022 dev layout (../shared/eval-data/realtimeqa_2022_dev): corpus and questions.

`build_corpus` pools every gold and gcs search result, deduplicated by URL, into one JSONL
file of article records that `qa ingest` reads (the copy stays in a cache folder outside
version control: the data is third-party). For a URL seen several times the gold text wins
(the gcs copy of a gold page is sometimes only ad-feedback boilerplate), else the longest
text; the title comes from whichever record has one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RTQuestion:
    question_id: str
    question: str
    question_date: str              # YYYY-MM-DD
    choices: tuple[str, ...]
    answer_index: int
    answer_text: str
    evidence_text: str
    gold_urls: tuple[str, ...]
    has_gold_article: bool


def _iso(date: str) -> str:
    return date.replace("/", "-")[:10]


def load_questions(data_dir: Path, gold_only: bool = False) -> list[RTQuestion]:
    out = []
    for line in (data_dir / "dev_questions.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        q = RTQuestion(r["question_id"], r["question"], _iso(r["question_date"]), tuple(r["choices"]),
                       int(r["answer_index"][0]), r["answer_text"][0], r.get("evidence_text", ""),
                       tuple(r.get("gold_article_urls") or ()), bool(r["has_gold_article"]))
        if q.has_gold_article or not gold_only:
            out.append(q)
    return out


def corpus_records(data_dir: Path) -> list[dict[str, Any]]:
    best: dict[str, dict[str, Any]] = {}
    titles: dict[str, str] = {}
    for kind in ("gold", "gcs"):
        for path in sorted((data_dir / "past" / "2022").glob(f"*_{kind}.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                for result in json.loads(line).get("search_result") or []:
                    url, text = result.get("url"), result.get("text") or ""
                    if not url:
                        continue
                    if result.get("title"):
                        titles.setdefault(url, result["title"])
                    if not text.strip():
                        continue
                    current = best.get(url)
                    if current is None or (kind == "gcs" and current["kind"] == "gcs" and len(text) > len(current["text"])):
                        best[url] = {"kind": kind, "text": text, "published": _iso(result.get("publish_date") or ""),
                                     "authors": result.get("authors") or []}
    return [{"url": url, "title": titles.get(url, ""), "published": r["published"], "authors": r["authors"],
             "text": r["text"]} for url, r in sorted(best.items())]


def build_corpus(data_dir: Path, out_file: Path) -> int:
    """Write the pooled corpus as JSONL (only when it changed); returns the record count."""
    records = corpus_records(data_dir)
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    if not out_file.exists() or out_file.read_text(encoding="utf-8") != payload:
        out_file.write_text(payload, encoding="utf-8")
    return len(records)
