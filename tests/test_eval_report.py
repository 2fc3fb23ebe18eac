"""`qa eval`: one command writes the JSON and Markdown report; ablation rows included."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_qa_eval_seed_writes_report(tmp_path: Path, seed_dir: Path):      # `qa eval seed` reads ../shared
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "qa", "eval", "seed", "--cache", str(tmp_path / "cache"),
                          "--out", str(out), "--json"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    # the seed gold has no question dates; the LlamaIndex stock pipeline is the last row
    assert list(summary) == ["hybrid", "dense", "bm25", "llamaindex stock"]
    stock = summary["llamaindex stock"]
    assert (stock["questions"], stock["recall@1"], stock["mrr@10"]) == (14, 1.0, 1.0)   # one article: always found
    assert "answer_in_citations" not in stock
    hybrid = summary["hybrid"]
    assert (hybrid["questions"], hybrid["answerable"], hybrid["unanswerable"]) == (14, 11, 3)
    assert hybrid["recall@1"] == 1.0 and hybrid["correct"] >= 10 and hybrid["declined_correctly"] == 3
    assert hybrid["abstention_recall"] == 1.0
    saved = json.loads((out / "seed.json").read_text())
    assert [r["id"] for r in saved["rows"]["hybrid"]] == [f"s{i:02d}" for i in range(1, 15)]
    assert saved["summary"] == summary
    report = (out / "seed.md").read_text()
    assert report.startswith("# Evaluation: seed (14 questions)")
    assert "| hybrid | 1.000 | 1.000 | 1.000 | 1.000 |" in report
    assert (out / "seed.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_qa_eval_gold_file_with_choices(tmp_path: Path, seed_dir: Path):
    """A user's own gold file against an index: multiple choice is scored from the cited evidence."""
    subprocess.run([sys.executable, "-m", "qa", "ingest", str(seed_dir), "--index", str(tmp_path / "ix"), "--quiet"],
                   check=True, cwd=REPO, capture_output=True, timeout=600)
    gold = tmp_path / "mine.jsonl"
    rows = [{"id": "m1", "question": "Who commands Iran's Quds Force?", "answers": ["Esmail Qaani"], "answerable": True,
             "evidence": [{"source": "iran-iraq-militias-missiles.txt", "start_line": 34, "end_line": 34}],
             "choices": ["Qassem Soleimani", "Esmail Qaani", "Ali Khamenei"], "answer_index": 1},
            {"id": "m2", "question": "Where did Qaani deliver his directive to the militia leaders?", "answers": ["Baghdad"],
             "answerable": True, "evidence": [{"source": "iran-iraq-militias-missiles.txt"}],
             "choices": ["Baghdad", "Tehran", "Damascus", "Beirut"], "answer_index": 0}]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "qa", "eval", str(gold), "--index", str(tmp_path / "ix"),
                          "--out", str(tmp_path / "out"), "--json"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert list(summary) == ["hybrid", "dense", "bm25"]        # no articles folder given: no stock row
    assert summary["hybrid"]["mc_accuracy"] == 1.0
    saved = json.loads((tmp_path / "out" / "mine.json").read_text())
    assert [(r["id"], r["mc_choice"], r["mc_correct"]) for r in saved["rows"]["hybrid"]] == [("m1", 1, True), ("m2", 0, True)]
    # line metrics use only the entry with lines (m1); m2's article-level evidence counts for recall
    assert [("line_precision" in r) for r in saved["rows"]["hybrid"]] == [True, False]
