"""A local index whose read model is current is answered without importing Chroma.

- every write through `ChromaStore` mirrors the store's revision token in ``INDEX/revision``
  (dirty while it writes, clean after), so the file always names the store's token;
- `open_current` returns the saved read model only while that token is the clean one the read
  model was noted for; a write since (or a dirty token) sends the open back through Chroma;
- the read model's article texts are the store's, byte for byte;
- an index written before the mirror starts it on its first clean open (never over a writer's token);
- `qa ask` in a fresh process answers with exactly the citations of the Chroma path and never
  imports `chromadb`; after a write it opens Chroma again and still answers.
Real Chroma and the real model in tmp_path (tests/data/articles).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index import read_model
from index.revision import read_token
from index.store import DIRTY
from qa import Config, open_assistant
from qa.ingest import open_store

REPO = Path(__file__).resolve().parents[1]
QUESTION = "How many bolts did engineers replace?"


@pytest.fixture
def config(built: Path, tmp_path: Path) -> Config:
    shutil.copytree(built, tmp_path / "idx")
    return Config(index_dir=tmp_path / "idx")


def test_the_mirrored_token_follows_every_write(config: Config) -> None:
    store = open_store(config)
    assert read_token(config.index_dir) == store.revision() and not store.revision().startswith(DIRTY)
    assert read_model.open_current(config.read_model_dir, config.index_dir) is not None
    store._mark(DIRTY)                                   # a write in progress (or cut short)
    assert read_token(config.index_dir) == store.revision() and store.revision().startswith(DIRTY)
    assert read_model.open_current(config.read_model_dir, config.index_dir) is None
    store.mark_revision()                                # clean again, but not the token the model was noted for
    assert read_token(config.index_dir) == store.revision()
    assert read_model.open_current(config.read_model_dir, config.index_dir) is None
    read_model.open_or_build(store, config.read_model_dir)   # checks the manifest, notes the new token
    assert read_model.open_current(config.read_model_dir, config.index_dir).revision == store.revision()


def test_the_snapshot_holds_the_stores_article_texts(config: Config) -> None:
    store = open_store(config)
    model = read_model.open_current(config.read_model_dir, config.index_dir)
    assert model is not None and sorted(model.article_ids) == sorted(store.manifest())
    for article_id in model.article_ids:
        assert model.article_text(article_id) == store.article_text(article_id)
    assert model.article_text("no-such-article") is None


def test_a_missing_or_foreign_mirror_means_chroma_is_asked(config: Config) -> None:
    (config.index_dir / "revision").unlink()
    assert read_model.open_current(config.read_model_dir, config.index_dir) is None
    (config.index_dir / "revision").write_text("0123456789abcdef", encoding="utf-8")
    assert read_model.open_current(config.read_model_dir, config.index_dir) is None


def _ask_in_fresh_process(index: Path) -> dict:
    code = ("import json, sys; from qa.cli import main; "
            f"rc = main(['ask', {QUESTION!r}, '--index', {str(index)!r}, '--json']); "
            "print('CHROMADB', 'chromadb' in sys.modules, file=sys.stderr); sys.exit(rc)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stderr
    return {"answer": json.loads(run.stdout), "chromadb": "CHROMADB True" in run.stderr}


def test_qa_ask_on_a_current_index_never_imports_chroma(config: Config, embedder) -> None:  # type: ignore[no-untyped-def]
    expected = open_assistant(config, embedder)          # in this process
    (config.index_dir / "revision").rename(config.index_dir / "revision.off")
    through_chroma = open_assistant(config, embedder).ask(QUESTION)   # no mirror: the Chroma path
    (config.index_dir / "revision.off").rename(config.index_dir / "revision")
    assert [c.citation for c in expected.ask(QUESTION).citations] == [c.citation for c in through_chroma.citations]
    assert [c.citation for c in through_chroma.citations] == ["harbor-bridge.txt:8-8"]

    cold = _ask_in_fresh_process(config.index_dir)
    assert cold["chromadb"] is False
    assert [f"{c['source']}:{c['start_line']}-{c['end_line']}" for c in cold["answer"]["citations"]] == \
        [c.citation for c in through_chroma.citations]
    assert cold["answer"]["answer"] == through_chroma.text and through_chroma.citations

    open_store(config).mark_revision()                   # a write since the snapshot: Chroma is opened again
    again = _ask_in_fresh_process(config.index_dir)
    assert again["chromadb"] is True and again["answer"]["answer"] == through_chroma.text


def test_an_index_from_before_the_mirror_adopts_it_on_its_first_open(config: Config) -> None:
    store = open_store(config)
    (config.index_dir / "revision").unlink()            # as an index written by an older version
    assert read_model.open_current(config.read_model_dir, config.index_dir) is None
    read_model.open_or_build(store, config.read_model_dir)   # before == after, clean: the mirror starts
    assert read_token(config.index_dir) == store.revision()
    assert read_model.open_current(config.read_model_dir, config.index_dir) is not None
    store._mark(DIRTY)                                   # a writer's token always replaces the file
    read_model.open_or_build(store, config.read_model_dir)
    assert read_token(config.index_dir) == store.revision() and store.revision().startswith(DIRTY)


def test_the_folder_of_an_older_version_is_removed_once_the_read_model_is_rebuilt(config: Config) -> None:
    legacy = config.index_dir / "keyword"
    config.read_model_dir.rename(legacy)                # as left by a version that called it the keyword index
    assert (legacy / "meta.json").is_file()
    model = read_model.open_or_build(open_store(config), config.read_model_dir)
    assert not legacy.exists() and (config.read_model_dir / "meta.json").is_file() and model.table.ids
