"""The `qa` command as a user runs it: a real subprocess, real model, real Chroma."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def qa(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_ingest_then_reingest(tmp_path: Path, corpus: Path):
    index = str(tmp_path / "idx")
    first = qa("ingest", str(corpus), "--index", index)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("added 5, updated 0, unchanged 0, removed 0, failed 0; ")
    assert "chunks/s" in first.stderr                     # the progress bar
    second = qa("ingest", str(corpus), "--index", index, "--quiet")
    assert second.returncode == 0
    assert second.stdout.startswith("added 0, updated 0, unchanged 5, removed 0, failed 0; 0 chunks embedded")
    assert second.stderr == ""


def test_failed_inputs_exit_1_with_one_line_each(tmp_path: Path, corpus: Path):
    (corpus / "broken.jsonl").write_text('{"text": "ok record"}\nnot json\n')
    (corpus / "empty.txt").write_text("")
    run = qa("ingest", str(corpus), "--index", str(tmp_path / "idx"), "--quiet")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "error: broken.jsonl:2: malformed JSON (Expecting value at column 1)",
        "error: empty.txt: empty file",
    ]
    assert run.stdout.startswith("added 6, updated 0, unchanged 0, removed 0, failed 2; ")


def test_usage_errors_exit_2(tmp_path: Path):
    missing = qa("ingest", str(tmp_path / "nope"), "--index", str(tmp_path / "idx"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"qa: error: {tmp_path / 'nope'}: no such file or folder"
    assert qa("ingest").returncode == 2                      # argparse: PATH missing
    assert qa("frobnicate").returncode == 2
    bad_url = qa("ingest", str(tmp_path), "--chroma-url", "localhost:8000")
    assert bad_url.returncode == 2 and "http://HOST:PORT" in bad_url.stderr
