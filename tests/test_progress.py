"""Ingest progress counts articles: one JSONL file of 300 records is a bar of 300 articles, its total
known before the model embeds anything, with chunks embedded, a rate and an ETA (real model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.config import Config
from qa.ingest import ingest_folder

ARTICLES = 300
COLOURS = ("red", "green", "blue", "amber", "violet")


def _notices(path: Path, n: int) -> Path:
    """A JSONL file of `n` one-chunk records."""
    rows = [{"title": f"Notice {i}", "text": f"Notice {i}\n\nThe lamp on pier {i} was painted {COLOURS[i % 5]} on Monday."}
            for i in range(n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def wire(tmp_path: Path) -> Path:
    """One JSONL file holding ARTICLES records."""
    return _notices(tmp_path / "wire.jsonl", ARTICLES)


def test_the_total_is_the_articles_and_it_is_known_before_embedding(tmp_path: Path, wire: Path, embedder,
                                                                    monkeypatch: pytest.MonkeyPatch):
    events: list[tuple[str, int, int]] = []
    real_embed = embedder.embed_batch

    def embed_batch(texts: list[str]):  # type: ignore[no-untyped-def]
        events.append(("embed", len(texts), 0))
        return real_embed(texts)

    monkeypatch.setattr(embedder, "embed_batch", embed_batch)
    config = Config(index_dir=tmp_path / "idx")
    report = ingest_folder(config, wire, embedder=embedder, on_total=lambda n: events.append(("total", n, 0)),
                           progress=lambda articles, chunks: events.append(("progress", articles, chunks)))
    assert report.added == ARTICLES and not report.failed
    assert events[0] == ("total", ARTICLES, 0)                      # first, before any embedding
    assert [e for e in events if e[0] == "total"] == [events[0]]    # once
    steps = [e for e in events if e[0] == "progress"]
    assert sum(e[1] for e in steps) == ARTICLES
    assert sum(e[2] for e in steps) == report.chunks - report.reused == sum(e[1] for e in events if e[0] == "embed")

    # a second run embeds nothing: every article is counted as it is found unchanged
    steps.clear()
    again = ingest_folder(config, wire, embedder=embedder, on_total=lambda n: steps.append(("total", n, 0)),
                          progress=lambda articles, chunks: steps.append(("progress", articles, chunks)))
    assert again.unchanged == ARTICLES
    assert steps[0] == ("total", ARTICLES, 0)
    assert sum(e[1] for e in steps[1:]) == ARTICLES and sum(e[2] for e in steps[1:]) == 0


def test_failed_records_and_other_files_count_toward_the_total(tmp_path: Path, embedder):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Quarry pond\n\nThe Ashby quarry pond reopened for swimming in July.\n")
    (folder / "b.jsonl").write_text('{"text": "The ferry to Eastmere now runs hourly."}\nnot json\n\n{"title": "no text"}\n')
    (folder / "c.json").write_text(json.dumps([{"text": "The bakery on Mill Lane closed."}, {"text": "Rain fell."}]))
    (folder / "d.md").write_text("")
    totals: list[int] = []
    done: list[int] = []
    report = ingest_folder(Config(index_dir=tmp_path / "idx"), folder, embedder=embedder, on_total=totals.append,
                           progress=lambda articles, _chunks: done.append(articles))
    assert totals == [1 + 3 + 2 + 1]              # a blank JSONL line is no record; an empty file is one failure
    assert sum(done) == totals[0] == report.added + len(report.failed)


def test_the_cli_bar_counts_articles(tmp_path: Path, wire: Path, embedder, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]):
    import tqdm

    import qa.ingest
    from qa.cli import main

    bars: list[tqdm.tqdm] = []

    class Recorded(tqdm.tqdm):  # type: ignore[misc]
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            bars.append(self)

    monkeypatch.setattr(tqdm, "tqdm", Recorded)                                # what `cmd_ingest` imports
    monkeypatch.setattr(qa.ingest, "MiniLMEmbedder", lambda **_: embedder)     # the model already loaded
    assert main(["ingest", str(wire), "--index", str(tmp_path / "idx")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"added {ARTICLES}, updated 0, unchanged 0, removed 0, failed 0; {ARTICLES} chunks embedded in ")
    assert [(bar.total, bar.n, bar.unit) for bar in bars] == [(ARTICLES, ARTICLES, "article")]
    assert f"{ARTICLES}/{ARTICLES} [" in err                      # tqdm's "300/300 [00:03<00:00, 95.1article/s, ..."
    assert "article/s" in err and f"{ARTICLES} chunks embedded" in err and "chunks/s" in err


def test_an_upload_reports_articles_to_the_page(tmp_path: Path, corpus: Path, embedder):
    """`Library.ingest_uploads` (the app's "Add" button) reports (articles done, articles uploaded)."""
    from qa.library import Library

    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, corpus, embedder=embedder)
    library = Library(config, embedder, tmp_path / "uploads", max_upload_bytes=1_000_000)
    notices = _notices(tmp_path / "notices.jsonl", 40)
    note = tmp_path / "note.txt"
    note.write_text("Ferry timetable\n\nThe Eastmere ferry now leaves every hour from pier 4.\n")
    calls: list[tuple[int, int]] = []
    summary, kept, problems = library.ingest_uploads([(notices, "notices.jsonl"), (note, "note.txt")],
                                                     lambda done, total: calls.append((done, total)))
    assert (kept, problems) == (["notices.jsonl", "note.txt"], [])
    assert summary.startswith("added 41, updated 0,"), summary
    assert calls[0] == (0, 41) and calls[-1] == (41, 41)
    assert {total for _, total in calls} == {41}
