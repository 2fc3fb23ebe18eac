"""Hybrid retrieval over a real Chroma index of tests/data with the real model."""

from pathlib import Path

import pytest

from qa.assistant import open_assistant
from qa.config import Config
from qa.filters import Filters, TimePreference
from qa.ingest import ingest_folder, open_store
from qa.retrieval import RetrievalSettings


@pytest.fixture
def assistant(tmp_path: Path, corpus: Path, embedder):
    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, corpus, embedder=embedder)
    return open_assistant(config, embedder=embedder)


def test_hybrid_finds_the_right_lines(assistant):
    [top, *_] = assistant.search("How many bolts did engineers replace on the bridge?", k=3)
    assert (top.source, top.start_line, top.end_line) == ("harbor-bridge.txt", 1, 8)
    assert "214 rusted bolts" in top.text
    assert top.citation == "harbor-bridge.txt:1-8"
    assert top.published == "2024-11-03" and top.title == "Harbor bridge reopens after repairs"


def test_results_are_diverse_across_articles(assistant):
    passages = assistant.search("news", k=5)
    assert sorted(p.source for p in passages) == sorted([   # one passage from each of the five articles
        "harbor-bridge.txt", "https://example.test/news/ferry", "nested/orchard-report.md", "robotics-fair.html",
        "wire.jsonl#2"])


def test_filters_by_source_glob_and_dates(assistant):
    only_md = assistant.search("apples harvest prices", k=5, sources="nested/*")
    assert [p.source for p in only_md] == ["nested/orchard-report.md"]
    ranged = assistant.search("opening hours ferry library", k=5, published_from="2024-07-01", published_to="2024-08-31")
    assert sorted(p.source for p in ranged) == ["https://example.test/news/ferry", "wire.jsonl#2"]
    with pytest.raises(ValueError, match="as_of must be a date as YYYY-MM-DD"):
        assistant.search("x", as_of="last week")
    with pytest.raises(ValueError, match="unknown filter"):
        assistant.search("x", author="me")


def test_as_of_never_returns_later_articles_and_prefers_recent(assistant):
    passages = assistant.search("robotics fair students bridge repairs", k=5, as_of="2024-10-01")
    assert all(p.published <= "2024-10-01" for p in passages)
    assert "harbor-bridge.txt" not in {p.source for p in passages}        # published 2024-11-03
    assert passages[0].source == "robotics-fair.html"


def test_time_weights():
    w = TimePreference(grace_days=7, tau_days=30, floor=0.15, undated=0.5)
    import numpy as np
    days = np.array([20220616, 20220610, 20220517, 0])
    got = w.weights(days, 20220616)
    assert got[0] == got[1] == 1.0                 # within the grace week
    assert got[2] == pytest.approx(0.15 + 0.85 * np.exp(-(30 - 7) / 30))
    assert got[3] == 0.5
    assert Filters.from_kwargs(as_of="2022-06-16", published_to="2022-06-10").latest_day == 20220610


def test_dense_and_bm25_modes(tmp_path: Path, corpus: Path, embedder, assistant):
    for mode in ("dense", "bm25"):
        config = Config(index_dir=assistant.config.index_dir, retrieval=RetrievalSettings(mode=mode))
        other = open_assistant(config, embedder=embedder)
        assert other.search("night ferry to Ostra Island", k=1)[0].source == "https://example.test/news/ferry"
    with pytest.raises(ValueError):
        RetrievalSettings(mode="magic")


def test_uncommitted_chunks_are_never_returned(assistant, embedder):
    """A chunk written by an ingest that died before its manifest commit stays invisible."""
    store = open_store(assistant.config)
    _id, _text, meta = next(c for c in store.all_chunks() if c[2]["source"] == "harbor-bridge.txt")
    text = "The Tallow Street bridge was demolished and replaced by a tunnel."
    store.put_chunks(["orphan:0"], embedder.embed_batch([text]), [text], [dict(meta, content_hash="0" * 64)])
    fresh = open_assistant(assistant.config, embedder=embedder)
    for p in fresh.search("Tallow Street bridge demolished tunnel", k=5):
        assert "tunnel" not in p.text


def test_keyword_index_follows_the_store(tmp_path: Path, corpus: Path, embedder, assistant):
    (corpus / "late.txt").write_text("Late news\n\nA zeppelin landed in the market square on Tuesday.\n")
    ingest_folder(assistant.config, corpus, embedder=embedder)
    fresh = open_assistant(assistant.config, embedder=embedder)
    assert fresh.search("zeppelin", k=1)[0].source == "late.txt"
    # a damaged read-model file is rebuilt from Chroma on open, nothing lost
    (assistant.config.read_model_dir / "meta.json").write_text("{broken")
    again = open_assistant(assistant.config, embedder=embedder)
    assert again.search("zeppelin", k=1)[0].source == "late.txt"
    assert again.chunk_count() == open_store(assistant.config).chunk_count()


def test_chroma_hnsw_path_agrees_with_exact_search(assistant, embedder):
    """Above `exact_limit` dense search goes through Chroma's own index, filters included."""
    config = Config(index_dir=assistant.config.index_dir, retrieval=RetrievalSettings(exact_limit=0))
    via_chroma = open_assistant(config, embedder=embedder)
    for query, filters in [("How many bolts did engineers replace?", {}),
                           ("robotics fair students bridge repairs", {"as_of": "2024-10-01"}),
                           ("apples harvest prices", {"sources": "nested/*"})]:
        exact = [(p.source, p.start_line, p.end_line) for p in assistant.search(query, k=3, **filters)]
        hnsw = [(p.source, p.start_line, p.end_line) for p in via_chroma.search(query, k=3, **filters)]
        assert hnsw == exact, query


def test_hnsw_post_filter_and_its_fallback_agree_with_exact(assistant, embedder, monkeypatch):
    """Above `exact_limit`, HNSW fetches 4 x candidates unfiltered and the filter is applied
    locally; a filter that leaves too few of them falls back to the exact local search over the
    allowed rows. Both give what exact search gives."""
    from index.read_model import ReadModel

    index_dir = assistant.config.index_dir
    exact = open_assistant(Config(index_dir=index_dir, retrieval=RetrievalSettings(candidates=2)), embedder=embedder)
    hnsw = open_assistant(Config(index_dir=index_dir, retrieval=RetrievalSettings(candidates=2, exact_limit=0)),
                          embedder=embedder)
    calls: list[bool] = []
    real = ReadModel.nearest

    def spy(self, vector, k, mask=None):
        calls.append(True)
        return real(self, vector, k, mask)

    monkeypatch.setattr(ReadModel, "nearest", spy)
    for query, filters, falls_back in [("robotics fair students bridge repairs", {"as_of": "2024-10-01"}, False),
                                       ("apples harvest prices", {"sources": "nested/*"}, True)]:
        want = [(p.source, p.start_line, p.end_line) for p in exact.search(query, k=2, **filters)]
        calls.clear()
        got = [(p.source, p.start_line, p.end_line) for p in hnsw.search(query, k=2, **filters)]
        assert got == want, query
        assert bool(calls) == falls_back, query
