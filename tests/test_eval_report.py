"""`qa eval`: one command writes the JSON and Markdown report; ablation rows included."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_qa_eval_seed_writes_report(tmp_path: Path):
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "qa", "eval", "seed", "--cache", str(tmp_path / "cache"),
                          "--out", str(out), "--json"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert list(summary) == ["hybrid", "dense", "bm25"]          # the seed gold has no question dates
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
