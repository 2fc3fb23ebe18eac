"""Writes made by another process reach a running service (`qa.refresh`, issue #17 item 3).

- `FreshAssistant` on a local index, with a clock of our own: nothing changed, no reopen (the
  same assistant object); another writer's ingest is seen at the first read once `refresh_s`
  has passed, not before; a dirty revision token keeps the open snapshot until it is clean.
- `Library` (refresh on every read) sees an article `qa ingest` added from another process.
- Three real apps on one real `chroma run` server, 6 sessions spread over them while `qa ingest`
  adds an article (`eval.reliability.load_servers`): no errors, every load answer equals a
  single-process answer, and every app cites the new article's exact line.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO, SAMPLES, missing

KELP = """Kelp farm off Tarrow Point harvests its first crop

Published: 2024-03-02

The Tarrow Point kelp farm harvested nine tonnes of sugar kelp in its first season.
The farm's forty longlines are anchored two kilometres offshore.
"""
KELP_QUESTION = "How many tonnes of sugar kelp did the Tarrow Point farm harvest?"


def _kelp_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "kelp-farm.txt").write_text(KELP, encoding="utf-8")
    return folder


def _cites_kelp(assistant) -> bool:  # type: ignore[no-untyped-def]
    answer = assistant.ask(KELP_QUESTION)
    return answer.answered and answer.citations[0].citation == "kelp-farm.txt:5-5"


def test_fresh_assistant_reopens_once_another_writer_changed_the_index(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from index.revision import read_token, write_token
    from qa.config import Config
    from qa.ingest import ingest_folder
    from qa.refresh import FreshAssistant

    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, DATA / "articles", embedder=embedder)
    now = [0.0]
    fresh = FreshAssistant(config, embedder, refresh_s=2.0, clock=lambda: now[0])
    first = fresh.current()
    assert not _cites_kelp(first)
    now[0] = 5.0
    assert fresh.current() is first and fresh.reopens == 0          # nothing written: the same snapshot

    ingest_folder(Config(index_dir=config.index_dir), _kelp_folder(tmp_path), embedder=embedder)   # another writer
    now[0] = 6.0
    assert fresh.current() is first                                  # checked at 5.0: not again before 7.0
    clean = read_token(config.index_dir)
    write_token(config.index_dir, "dirty:" + "0" * 32)               # as while a write is in progress
    now[0] = 7.5
    assert fresh.current() is first                                  # dirty: keep the snapshot
    write_token(config.index_dir, str(clean))
    now[0] = 10.0
    second = fresh.current()
    assert second is not first and fresh.reopens == 1 and fresh.token == clean
    assert _cites_kelp(second)
    assert second.embedder is first.embedder and second.parser is first.parser and second.words is first.words
    now[0] = 20.0
    assert fresh.current() is second and fresh.reopens == 1


def test_library_sees_an_article_qa_ingest_added_from_another_process(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from qa.config import Config
    from qa.ingest import ingest_folder
    from qa.library import Library

    config = Config(index_dir=tmp_path / "idx", refresh_s=0)
    ingest_folder(config, DATA / "articles", embedder=embedder)
    library = Library(config, embedder, tmp_path / "uploads", max_upload_bytes=100_000)
    assert library.search(KELP_QUESTION, k=1)[0].source != "kelp-farm.txt"
    assert "kelp-farm.txt" not in library.sources() and library.reopens == 0
    done = subprocess.run([sys.executable, "-m", "qa", "ingest", str(_kelp_folder(tmp_path)), "--index",
                           str(config.index_dir), "--quiet"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    answer = library.ask(KELP_QUESTION)
    assert answer.answered and [c.citation for c in answer.citations][:1] == ["kelp-farm.txt:5-5"]
    assert "kelp-farm.txt" in library.sources() and library.reopens == 1
    assert library.status()[1] == 6 and library.reopens == 1        # nothing written since: no reopen


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated")
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
def test_three_apps_on_one_chroma_server_see_a_cli_ingest(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from eval.reliability.load_servers import NEW_CITATION, check_servers
    from qa.config import Config
    from qa.ingest import ingest_folder

    if not (shutil.which("chroma") or Path(sys.executable).with_name("chroma").exists()):
        missing("the `chroma` command is not installed: pip install -e '.[test]'")
    if not (SAMPLES / "wire.jsonl").exists():
        missing(f"the bundled samples are missing at {SAMPLES}")

    def seed(path: Path, chroma_url: str, index: Path) -> str:     # the samples, with the loaded model (faster)
        return ingest_folder(Config(index_dir=index, chroma_url=chroma_url), path, embedder=embedder).summary()

    run = check_servers(tmp_path, processes=3, sessions=6, turns=2, timeout=60, deadline=300, seed=seed,
                        progress=print)                             # the new article: `qa ingest`, as the script
    print("\n".join(run.lines(6)))
    assert run.failures() == []
    assert run.seen == [NEW_CITATION] * 3                            # every app: glass-harmonica-guild.txt:6-6
    assert len(run.load.latencies) == 12 and "added 1" in run.load.upload_report
