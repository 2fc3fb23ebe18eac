"""The read model's on-disk format (7) and the revision check that lets an open skip the manifest.

- the chunk table round-trips exactly through ``chunks.bin`` + ``table/`` (non-ASCII text,
  empty strings, an empty table), memory-mapped, each id found by its row; a truncated
  ``chunks.bin`` is damage;
- an open whose read model is noted for the store's clean revision reads no manifest; any
  write through `ChromaStore` (or one cut short: a dirty revision) makes the next open check
  the manifest again, and a stale read model is rebuilt;
- our BM25 build and its saved, memory-mapped index rank as bm25s does;
- a format-3 folder is rebuilt from Chroma with the one-line warning.
Real Chroma and the real model in tmp_path (tests/data/articles).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from index import read_model
from index.errors import StoreError
from index.chunk_table import ChunkTable, Strings, load_table, save_table
from index.store import DIRTY, ChromaStore
from qa import Config
from qa.ingest import open_store


def _table(n: int) -> ChunkTable:
    ints = np.arange(n, dtype=np.int64)
    return ChunkTable(ids=[f"a{i % 2}:h:{i}" for i in range(n)], article_ids=[f"a{i % 2}" for i in range(n)],
                      sources=[f"s{i % 2}.txt" for i in range(n)], titles=["Ça va", ""][:1] * n,
                      published=["2022-06-12"] * n, published_day=ints + 20220612, start_line=ints + 1,
                      end_line=ints + 2, start_char=ints * 0, end_char=ints + 5,
                      texts=[f"naïve café {i}\n“quoted” ✓" if i % 3 else "" for i in range(n)])


@pytest.mark.parametrize("n", [0, 1, 7])
def test_chunk_table_round_trips(tmp_path: Path, n: int) -> None:
    table = _table(n)
    columns = save_table(table, tmp_path)
    back = load_table(tmp_path, json.loads(json.dumps(columns)))
    for name in ("ids", "article_ids", "sources", "titles", "published", "texts"):
        assert list(getattr(back, name)) == list(getattr(table, name)), name
    for name in ("published_day", "start_line", "end_line", "start_char", "end_char"):
        assert np.array_equal(getattr(back, name), getattr(table, name)), name
    assert [back.row_of(cid) for cid in table.ids] == list(range(n)) and back.row_of("a0:h:99") is None
    assert isinstance(back.texts, Strings) and (not n or back.texts[-1] == table.texts[-1])
    assert all(isinstance(getattr(back, c), np.memmap) for c in ("start_line", "end_char"))   # nothing per row in RAM


def test_truncated_chunk_file_is_damage(tmp_path: Path) -> None:
    columns = save_table(_table(5), tmp_path)
    blob = tmp_path / "chunks.bin"
    blob.write_bytes(blob.read_bytes()[:-3])
    with pytest.raises(ValueError, match="do not fit"):
        load_table(tmp_path, columns)


@pytest.fixture
def config(built: Path, tmp_path: Path) -> Config:
    shutil.copytree(built, tmp_path / "idx")
    return Config(index_dir=tmp_path / "idx")


def _counting_manifest(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = ChromaStore.manifest

    def manifest(self: ChromaStore):  # type: ignore[no-untyped-def]
        reads.append(1)
        return real(self)

    monkeypatch.setattr(ChromaStore, "manifest", manifest)
    return reads


def test_an_ingest_leaves_a_clean_revision_the_read_model_is_noted_for(config: Config,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(config)
    revision = store.revision()
    assert revision and not revision.startswith(DIRTY)
    reads = _counting_manifest(monkeypatch)
    index = read_model.open_or_build(store, config.read_model_dir)
    assert index.revision == revision and reads == []              # the ask path reads no manifest
    assert isinstance(index.vectors, np.memmap)


def test_a_write_makes_the_next_open_check_and_rebuild(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(config)
    before = read_model.open_or_build(store, config.read_model_dir)
    gone = sorted(store.manifest())[0]
    store.delete_articles([gone])                                   # stale: the read model still lists it
    reads = _counting_manifest(monkeypatch)
    after = read_model.open_or_build(store, config.read_model_dir)
    assert reads == [1] and gone in before.article_ids and gone not in after.article_ids
    assert after.revision == store.revision()
    assert read_model.load(config.read_model_dir).revision == store.revision()
    assert read_model.open_or_build(store, config.read_model_dir).article_ids == after.article_ids and reads == [1]


def test_a_dirty_revision_proves_nothing(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(config)
    store._mark(DIRTY)                                              # a write cut short by a crash
    reads = _counting_manifest(monkeypatch)
    for _ in range(2):
        assert read_model.open_or_build(store, config.read_model_dir).revision != store.revision()
    assert reads == [1, 1]                                          # each open checks the manifest
    read_model.open_or_build(store, config.read_model_dir, strict=True)   # an ingest makes it whole: clean again
    assert read_model.open_or_build(store, config.read_model_dir).revision == store.revision()
    assert reads == [1, 1, 1]


def test_a_note_for_another_fingerprint_is_ignored(config: Config) -> None:
    store = open_store(config)
    (config.read_model_dir / "revision").write_text(f"{store.revision()} {'0' * 64}", encoding="utf-8")
    assert read_model.load(config.read_model_dir).revision is None


def test_format_3_folder_is_rebuilt_with_a_warning(config: Config, caplog: pytest.LogCaptureFixture) -> None:
    meta_path = config.read_model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["format"] = 3
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(StoreError, match=f"format 3 is not {read_model.FORMAT}"):
        read_model.load(config.read_model_dir)
    with caplog.at_level(logging.WARNING, logger="index.read_model"):
        index = read_model.open_or_build(open_store(config), config.read_model_dir)
    assert [r.getMessage() for r in caplog.records] == [
        f"read model at {config.read_model_dir} is unreadable (ValueError: format 3 is not {read_model.FORMAT}); rebuilt it from the "
        "vector store"]
    assert read_model.load(config.read_model_dir).table.ids[:] == list(index.table.ids)


def test_our_bm25_ranks_as_bm25s_does(tmp_path: Path) -> None:
    """Our streaming build (`BM25Builder`) and the saved, memory-mapped index the ask path reads
    (no bm25s import) against bm25s itself: same rows, same scores to the bit, ties included; a
    folder bm25s saved reads the same too. Documents are added in another order and permuted
    back, as the read model's build does."""
    import bm25s

    from index.bm25_build import BM25Builder
    from index.bm25_scores import load_bm25, save_bm25

    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(40)]
    corpus = [[str(w) for w in rng.choice(words, size=int(rng.integers(1, 12)))] for _ in range(300)] + [["w1"]] * 3
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    model.save(str(tmp_path / "bm25s"), show_progress=False)
    shuffled = rng.permutation(len(corpus))            # added in this order ...
    builder = BM25Builder()
    for doc in shuffled:
        builder.add(corpus[doc])
    order = np.argsort(shuffled)                        # ... row r is the document added at order[r]
    save_bm25(builder.build(order), tmp_path / "ours")
    indexes = {"built": builder.build(order), "saved": load_bm25(tmp_path / "ours"),
               "bm25s folder": load_bm25(tmp_path / "bm25s")}
    assert isinstance(indexes["saved"]._data, np.memmap)
    for n in range(60):
        terms = [str(w) for w in rng.choice(words + ["unknown"], size=int(rng.integers(1, 4)))]
        terms = [t for t in terms if t in indexes["saved"].vocab] or ["w1"]
        k = int(rng.integers(1, 40))
        mask = rng.random(len(corpus)) < 0.7 if n % 2 else None
        docs, scores = model.retrieve([terms], k=k, show_progress=False, weight_mask=mask, n_threads=1)
        for name, index in indexes.items():
            rows, got = index.top(terms, k, mask)
            assert rows.tolist() == docs[0].tolist() and got.tolist() == scores[0].tolist(), name
    assert indexes["saved"].doc_freq("w1") == sum("w1" in doc for doc in corpus)
    assert indexes["saved"].doc_freq("unknown") == 0


def test_bm25_best_is_top_without_zero_scores_and_breaks_ties_by_row():
    """`BM25Scores.best` (what a search uses) selects among the scored rows only: the same rows and
    scores as `top` less its zero-score rows, whenever no two rows tie; tied rows go lowest first."""
    from index.bm25_build import BM25Builder

    rng = np.random.default_rng(11)
    words = [f"w{i}" for i in range(60)]
    builder = BM25Builder()
    corpus = [[str(w) for w in rng.choice(words, size=int(rng.integers(3, 30)))] for _ in range(400)]
    for doc in corpus:
        builder.add(doc)
    index = builder.build(np.arange(len(corpus)))
    checked = 0
    for n in range(80):
        terms = [str(w) for w in rng.choice(words, size=int(rng.integers(1, 4)))]
        k = int(rng.integers(1, 60))
        mask = rng.random(len(corpus)) < 0.6 if n % 2 else None
        rows, scores = index.top(terms, k, mask)
        keep = scores > 0
        got_rows, got_scores = index.best(terms, k, mask)
        assert got_scores.tolist() == sorted(scores[keep].tolist(), reverse=True)
        if len(set(scores[keep].tolist())) == int(keep.sum()):          # no ties: the very same rows
            assert got_rows.tolist() == rows[keep].tolist()
            checked += 1
    assert checked >= 8                # the random draws without ties (the others are checked by score)
    tied = BM25Builder()
    for doc in (["a", "b"], ["c"], ["a", "b"], ["a", "b"]):
        tied.add(doc)
    rows, scores = tied.build(np.arange(4)).best(["a"], 2)
    assert rows.tolist() == [0, 2] and scores[0] == scores[1] > 0
