"""The `qa` command as a user runs it: a real subprocess, real model, real Chroma."""

import json
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


def test_ask_and_search_json(tmp_path: Path, corpus: Path):
    index = str(tmp_path / "idx")
    assert qa("ingest", str(corpus), "--index", index, "--quiet").returncode == 0
    ask = qa("ask", "How many bolts did engineers replace?", "--index", index, "--json")
    assert ask.returncode == 0, ask.stderr
    payload = json.loads(ask.stdout)
    assert set(payload) == {"question", "answer", "answered", "short", "citations", "passages"}
    assert payload["answered"] is True
    first = payload["citations"][0]
    assert (first["marker"], first["source"], first["start_line"], first["end_line"]) == (1, "harbor-bridge.txt", 8, 8)
    assert first["quote"] == "Engineers replaced 214 rusted bolts and repainted the northern span."
    assert "[1]" in payload["answer"]

    search = qa("search", "night ferry Ostra Island", "--index", index, "--k", "2", "--json")
    assert search.returncode == 0, search.stderr
    results = json.loads(search.stdout)
    assert len(results) == 2
    assert set(results[0]) == {"source", "start_line", "end_line", "score", "text", "title", "published"}
    assert (results[0]["source"], results[0]["start_line"], results[0]["end_line"]) == ("https://example.test/news/ferry", 1, 2)
    assert results[0]["published"] == "2024-08-02"

    text = qa("ask", "How many bolts did engineers replace?", "--index", index)
    assert "Sources:\n  [1] harbor-bridge.txt:8-8" in text.stdout


def test_ask_without_an_index_exits_2(tmp_path: Path):
    run = qa("ask", "anything?", "--index", str(tmp_path / "none"))
    assert run.returncode == 2
    assert run.stderr.strip() == f"qa: error: no index at {tmp_path / 'none'} (run `qa ingest FOLDER --index {tmp_path / 'none'}` first)"
