"""Ingest into a real Chroma (PersistentClient in tmp_path) with the real MiniLM model."""

from pathlib import Path

import numpy as np
import pytest

from index.boilerplate import line_kind
from index.chunking import span_text
from index.embed import MODEL_DIM, MODEL_NAME
from index.errors import IndexNotFound, ModelMismatch
from index.store import ChromaStore, open_client
from qa.config import Config
from qa.ingest import ingest_folder, open_store
from tests.conftest import SEED_ARTICLE


def _chunks(store: ChromaStore) -> dict[str, tuple[str, dict]]:
    return {cid: (text, meta) for cid, text, meta in store.all_chunks()}


def test_seed_article_chunks_match_the_file(tmp_path: Path, seed_dir: Path, embedder):
    config = Config(index_dir=tmp_path / "idx")
    report = ingest_folder(config, seed_dir, embedder=embedder)
    assert (report.added, report.updated, report.unchanged, report.failed) == (1, 0, 0, [])
    store = open_store(config)
    file_lines = (seed_dir / SEED_ARTICLE).read_text(encoding="utf-8").split("\n")
    chunks = _chunks(store)
    assert len(chunks) == report.chunks >= 4
    for text, meta in chunks.values():
        assert meta["source"] == SEED_ARTICLE
        lines = file_lines[meta["start_line"] - 1:meta["end_line"]]
        assert text == span_text(lines, 1, meta["start_char"], len(lines), meta["end_char"])
        assert any(line_kind(x) == "text" for x in lines)
    covered = {n for _, m in chunks.values() for n in range(m["start_line"], m["end_line"] + 1)}
    assert {16, 20, 24, 34, 38} <= covered                 # the lines the seed questions rest on
    assert not covered & {44, 46}                           # "About The Author", "Leave a Comment"
    [entry] = store.manifest().values()
    assert (entry.source, entry.published, entry.n_chunks) == (SEED_ARTICLE, "2025-04-09", len(chunks))
    assert store.article_text(entry.article_id) == "\n".join(file_lines).removesuffix("\n")
    # several articles in one call (what `qa.article_lines` asks a server for): unknown ids are left out
    assert store.article_texts([entry.article_id, "no-such-article"]) == {
        entry.article_id: "\n".join(file_lines).removesuffix("\n")}
    assert store.article_text("no-such-article") is None


def test_vectors_are_normalised_and_collection_records_the_model(tmp_path: Path, corpus: Path, embedder):
    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, corpus, embedder=embedder)
    store = open_store(config)
    got = store.chunks.get(include=["embeddings"])
    norms = np.linalg.norm(np.asarray(got["embeddings"]), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-3)
    assert store.chunks.metadata == {"embed_model": MODEL_NAME, "embed_dim": MODEL_DIM}
    # Chroma's default embedding function is never attached, so it can never run
    with pytest.raises(ValueError):
        store.chunks.query(query_texts=["bridge"], n_results=1)


def test_incremental_sync_edit_and_prune(tmp_path: Path, corpus: Path, embedder):
    config = Config(index_dir=tmp_path / "idx")
    first = ingest_folder(config, corpus, embedder=embedder)
    assert (first.added, first.failed) == (5, [])
    before = _chunks(open_store(config))

    again = ingest_folder(config, corpus, embedder=embedder)
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, 5, 0)

    path = corpus / "harbor-bridge.txt"
    path.write_text(path.read_text().replace("214 rusted bolts", "215 rusted bolts"))
    edited = ingest_folder(config, corpus, embedder=embedder)
    assert (edited.added, edited.updated, edited.unchanged) == (0, 1, 4)
    after = _chunks(open_store(config))
    changed = {cid for cid in before.keys() ^ after.keys()}
    assert {before.get(c, after.get(c))[1]["source"] for c in changed} == {"harbor-bridge.txt"}
    assert edited.chunks == sum(1 for _, m in after.values() if m["source"] == "harbor-bridge.txt")
    assert any("215 rusted bolts" in t for t, _ in after.values())
    assert not any("214 rusted bolts" in t for t, _ in after.values())

    (corpus / "nested" / "orchard-report.md").unlink()
    kept = ingest_folder(config, corpus, embedder=embedder)       # without --prune nothing is removed
    assert kept.removed == 0 and len(_chunks(open_store(config))) == len(after)
    pruned = ingest_folder(config, corpus, prune=True, embedder=embedder)
    assert pruned.removed == 1
    final = _chunks(open_store(config))
    assert set(after) - set(final) == {c for c, (_, m) in after.items() if m["source"] == "nested/orchard-report.md"}
    assert "nested/orchard-report.md" not in {e.source for e in open_store(config).manifest().values()}


def test_bad_inputs_are_skipped_and_nothing_indexed_is_lost(tmp_path: Path, corpus: Path, embedder):
    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, corpus, embedder=embedder)
    before = _chunks(open_store(config))
    (corpus / "harbor-bridge.txt").write_bytes(b"Caf\xe9 garbage\n")   # an indexed file turns bad
    (corpus / "empty.md").write_bytes(b"")
    (corpus / "image.html").write_bytes(b"\x89PNG\x00\x00")
    (corpus / "wire.jsonl").write_text((corpus / "wire.jsonl").read_text() + "{oops\n")
    (corpus / "fresh.txt").write_text("Fresh news\n\nThe council approved a new skate park on Monday.\n")
    victim = corpus / "nested" / "orchard-report.md"

    report = ingest_folder(config, corpus, prune=True, embedder=embedder,
                           on_total=lambda n: victim.unlink())            # vanishes mid-run
    assert sorted(str(e) for e in report.failed) == [
        "empty.md: empty file",
        "harbor-bridge.txt: not UTF-8 text (invalid byte 0xe9 at offset 3); convert the file to UTF-8",
        "image.html: binary file (contains NUL bytes), not text",
        "nested/orchard-report.md: file vanished before it could be read",
        "wire.jsonl:3: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
    ]
    assert (report.added, report.removed) == (1, 0)
    after = _chunks(open_store(config))
    assert set(before) <= set(after)                      # every old chunk is still there, unchanged
    assert {m["source"] for _, m in after.values()} >= {"harbor-bridge.txt", "nested/orchard-report.md", "fresh.txt"}


def test_interrupted_write_is_invisible_then_healed(tmp_path: Path, corpus: Path, embedder):
    """Chunks written without their manifest commit (a crash) are removed by the next run."""
    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, corpus, embedder=embedder)
    store = open_store(config)
    good = _chunks(store)
    some_id, (text, meta) = next(iter(good.items()))
    orphan_meta = dict(meta, content_hash="f" * 64)
    store.put_chunks(["orphan:1"], embedder.embed_batch(["orphan text"]), ["orphan text"], [orphan_meta])
    assert len(_chunks(store)) == len(good) + 1
    report = ingest_folder(config, corpus, embedder=embedder)
    assert (report.healed, report.chunks) == (1, 0)
    assert set(_chunks(open_store(config))) == set(good)


def test_missing_index_and_other_model_are_clear_errors(tmp_path: Path, corpus: Path, embedder):
    with pytest.raises(IndexNotFound, match="no index at"):
        open_store(Config(index_dir=tmp_path / "nothing"))
    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, corpus, embedder=embedder)
    client = open_client(config.index_dir)
    with pytest.raises(ModelMismatch, match="built with sentence-transformers/all-MiniLM-L6-v2 \\(384 dims\\)"):
        ChromaStore(client, "other/model", 768)


def test_rebuild_starts_from_scratch(tmp_path: Path, corpus: Path, embedder):
    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, corpus, embedder=embedder)
    (corpus / "harbor-bridge.txt").unlink()
    report = ingest_folder(config, corpus, rebuild=True, embedder=embedder)
    assert (report.added, report.unchanged) == (4, 0)
    assert "harbor-bridge.txt" not in {e.source for e in open_store(config).manifest().values()}


def test_ingest_works_with_the_network_cut(tmp_path: Path, corpus: Path, no_network: list):
    """Fresh model load, HTML extraction, Chroma: all offline. Non-loopback connects are refused."""
    from index.embed import MiniLMEmbedder

    config = Config(index_dir=tmp_path / "idx")
    report = ingest_folder(config, corpus, embedder=MiniLMEmbedder(device="cpu"))
    assert (report.added, report.failed) == (5, [])
    assert no_network == []       # nothing even tried


def test_report_names_the_files_that_indexed_something(tmp_path: Path, embedder):
    """Whole-file failures are told apart from files where only some records failed."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = {"a.txt": "A title\n\nA sentence about the harbour.\n", "b.jsonl": '{"text": "One record."}\n{oops\n',
             "c.json": '[{"text": "Kept record."}, {}]', "d.json": '{"articles": [{}, {}]}', "e.json": "{oops",
             "f.txt": ""}
    for name, text in files.items():
        (folder / name).write_text(text)
    report = ingest_folder(Config(index_dir=tmp_path / "idx"), folder, embedder=embedder)
    assert sorted(Path(p).name for p in report.indexed_files) == ["a.txt", "b.jsonl", "c.json"]
    again = ingest_folder(Config(index_dir=tmp_path / "idx"), folder, embedder=embedder)
    assert sorted(Path(p).name for p in again.indexed_files) == ["a.txt", "b.jsonl", "c.json"]   # unchanged count too


class _Counting:
    """Our own seam: the real model, counting the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.max_seq_length = inner, inner.name, inner.dim, inner.max_seq_length
        self.texts: list[str] = []

    def embed_batch(self, texts):
        self.texts.extend(texts)
        return self.inner.embed_batch(texts)


def test_editing_one_line_embeds_only_the_chunks_that_changed(tmp_path: Path, embedder):
    from index.sync import embed_key

    folder = tmp_path / "articles"
    folder.mkdir()
    lines = ["Ferry timetable review", ""] + [
        f"Paragraph {i}: the harbour ferry on route {i} carried {100 + i} passengers on its {i}th crossing of the week."
        for i in range(1, 61)]
    path = folder / "ferries.txt"
    path.write_text("\n".join(lines) + "\n")
    config = Config(index_dir=tmp_path / "idx")
    first = ingest_folder(config, folder, embedder=embedder)
    assert first.chunks > 6 and first.reused == 0

    lines[31] = lines[31].replace("carried 130 passengers", "carried 131 passengers")
    path.write_text("\n".join(lines) + "\n")
    counting = _Counting(embedder)
    edited = ingest_folder(config, folder, embedder=counting)
    stored = open_store(config)
    rows = {m["chunk_index"]: (t, m, v) for _cid, t, m, v in stored.all_chunks(with_vectors=True)}
    touched = [i for i, (t, m, _v) in rows.items() if m["start_line"] <= 32 <= m["end_line"]]
    assert 1 <= len(touched) <= 2 and edited.updated == 1
    assert edited.reused == edited.chunks - len(touched) and edited.chunks == len(rows)
    assert len(counting.texts) == len(touched) and all("carried 131 passengers" in t for t in counting.texts)
    # every stored vector, kept or new, is the model's vector of the chunk's embedded text
    assert len({m["embed_key"] for _t, m, _v in rows.values()}) == len(rows)
    fresh = embedder.embed_batch(counting.texts)
    assert [embed_key(t) for t in counting.texts] == [rows[i][1]["embed_key"] for i in sorted(touched)]
    assert np.allclose(np.stack([rows[i][2] for i in sorted(touched)]), fresh, atol=1e-5)


def test_bf16_embeddings_match_fp32(embedder):
    """The CPU bf16 autocast path (the default where the CPU has native bf16) keeps the vectors."""
    from index.embed import MiniLMEmbedder, cpu_has_native_bf16

    texts = ["Esmail Qaani commands Iran's Quds Force.", "The river crested at 6.2 metres on Sunday.",
             "Harbor City will cap weekly fares at $28 for Tidecard riders. " * 12]
    fp32 = MiniLMEmbedder(device="cpu", precision="fp32")
    bf16 = MiniLMEmbedder(device="cpu", precision="bf16")
    a, b = fp32.embed_batch(texts), bf16.embed_batch(texts)
    assert (fp32.precision, bf16.precision) == ("fp32", "bf16")
    assert b.dtype == np.float32 and np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    assert (a * b).sum(axis=1).min() > 0.9995
    assert embedder.precision == ("bf16" if cpu_has_native_bf16() else "fp32")
    with pytest.raises(ValueError, match="precision"):
        MiniLMEmbedder(precision="int8")
