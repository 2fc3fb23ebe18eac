"""The corpus the crash test ingests, in its three states, and the questions asked of it.

- `build_corpus(dest, articles, rtqa)`: a copy of `articles`, or by default our `samples/`,
  `tests/data/articles` and the gold articles of the first `rtqa` RealTime QA questions (read
  from ../shared, written only into `dest`, one JSON record a file).
- `write_state(base, corpus, state)`: the folder as it is before the ingest under test:
  ``base`` unchanged; ``edited`` with a correction line inserted half way down a few
  articles (every later line moves) and an update appended; ``pruned`` as edited, with two
  other files deleted.
- The questions: the corpus's gold questions (as-of dates kept) plus one per edited article
  that only the edited text answers.

Left out: running the ingest and checking it (`eval.reliability.crash_ingest`).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from eval.gold.datasets import REPO, RTQA_DIR, SAMPLES_DIR, SAMPLES_GOLD
from eval.gold.questions import load_gold
from index.loaders import find_files

STATES = ("base", "edited", "pruned")
EDITS = (("Kestrel", 731), ("Juniper", 4096), ("Obsidian", 58))   # (ledger name, number) per edited file
EDITABLE = (".txt", ".md", ".json")


@dataclass(frozen=True)
class Question:
    text: str
    as_of: str = ""


def build_corpus(dest: Path, articles: Path | None = None, rtqa: int = 12) -> list[Question]:
    """Write the base corpus into `dest` (created) and return its questions."""
    if articles is not None:
        shutil.copytree(articles, dest)
        return _title_questions(dest)
    shutil.copytree(SAMPLES_DIR, dest / "samples")
    shutil.copytree(REPO / "tests" / "data" / "articles", dest / "tests")
    questions = [Question(q.question) for q in load_gold(SAMPLES_GOLD)]
    if rtqa and RTQA_DIR.is_dir():
        from eval.gold.realtimeqa import corpus_records, load_questions

        picked = load_questions(RTQA_DIR, gold_only=True)[:rtqa]
        wanted = {u for q in picked for u in q.gold_urls}
        records = [r for r in corpus_records(RTQA_DIR) if r["url"] in wanted]
        (dest / "rtqa").mkdir()
        for number, record in enumerate(records):
            (dest / "rtqa" / f"article-{number:03d}.json").write_text(json.dumps(record, ensure_ascii=False),
                                                                       encoding="utf-8")
        questions += [Question(q.question, q.question_date) for q in picked]
    return questions + edit_questions()


def edit_questions() -> list[Question]:
    return [Question(f"What is the {name} ledger number?") for name, _ in EDITS]


def _title_questions(root: Path, count: int = 12) -> list[Question]:
    from index.articles import Article
    from index.loaders import load_file, source_name

    titles = [a.title for path in find_files(root) for a in load_file(path, source_name(path, root))
              if isinstance(a, Article) and a.title]
    return [Question(t) for t in titles[:count]] + edit_questions()


def _edit_targets(base: Path) -> tuple[list[Path], list[Path]]:
    """(files to edit, files to delete), relative to the corpus root, chosen the same way every time."""
    files = [p.relative_to(base) for p in find_files(base)]
    editable = [p for p in files if p.suffix in EDITABLE and (p.suffix != ".json" or _single_record(base / p))]
    step = max(1, len(editable) // len(EDITS))
    edits = editable[::step][:len(EDITS)]
    deletes = [p for p in reversed(files) if p not in edits][:2]
    return edits, deletes


def _single_record(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("text"), str)


def _edited_text(text: str, name: str, number: int) -> str:
    lines = text.split("\n")
    at = len(lines) // 2                  # in the body, past any header or front matter
    lines[at:at] = [f"Correction: the {name} ledger number is {number}, the desk confirmed.", ""]
    return "\n".join(lines).rstrip("\n") + f"\n\nUpdate: the {name} ledger was closed on Friday.\n"


def write_state(base: Path, corpus: Path, state: str) -> None:
    """Make `corpus` hold `base` in `state` (one of `STATES`)."""
    if state not in STATES:
        raise ValueError(f"state must be one of {', '.join(STATES)}, got {state!r}")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(base, corpus)
    if state == "base":
        return
    edits, deletes = _edit_targets(base)
    for rel, (name, number) in zip(edits, EDITS):
        path = corpus / rel
        if rel.suffix == ".json":
            record = json.loads(path.read_text(encoding="utf-8"))
            record["text"] = _edited_text(record["text"], name, number)
            path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(_edited_text(path.read_text(encoding="utf-8"), name, number), encoding="utf-8")
    if state == "pruned":
        for rel in deletes:
            (corpus / rel).unlink()
