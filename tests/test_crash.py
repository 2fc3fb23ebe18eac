"""Crash consistency of `qa ingest`: kill -9 it part way, run it again, and the index is whole.

A light version of `python -m eval.reliability.crash_ingest` on samples/ + tests/data/articles: a fresh
ingest killed at a random point of its indexing, then an edit + `--prune` ingest killed at a
random point of its writes (chunks, manifest, removals, read model). Each time the ingest
then runs to completion (here in this process, through `ingest_folder`, which `qa ingest` calls:
it saves a model load per run), `index_problems` must find nothing and the answers must equal
those of an index built without a crash. The real model, real Chroma in tmp_path, a real
`qa ingest` subprocess killed with SIGKILL.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from eval.reliability.crash_corpus import Question, build_corpus, edit_questions, write_state
from eval.reliability.crash_ingest import Answerer, crash_run, expected_for
from index.consistency import index_problems

pytestmark = pytest.mark.slow
SEED = 20251124


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Question]]:
    """(base corpus, the corpus folder every ingest here reads: prune needs one path, the questions)."""
    root = tmp_path_factory.mktemp("crash")
    questions = build_corpus(root / "base", rtqa=0)
    return root / "base", root / "corpus", questions


@pytest.fixture(scope="module")
def answerer(folders: tuple[Path, Path, list[Question]], embedder) -> Answerer:  # type: ignore[no-untyped-def]
    """Every other gold question (time) and the questions only the edited articles answer."""
    edits = edit_questions()
    return Answerer([q for q in folders[2] if q not in edits][::2] + edits, embedder)


@pytest.fixture(scope="module")
def clean(folders: tuple[Path, Path, list[Question]], embedder, answerer: Answerer) -> Callable[[str], tuple[Path, list[tuple]]]:  # type: ignore[no-untyped-def]
    """state -> (an index of that corpus state built without a crash, its answers)."""
    from qa import Config, ingest_folder
    from qa.ingest import open_store

    built: dict[str, tuple[Path, list[tuple]]] = {}

    def get(state: str) -> tuple[Path, list[tuple]]:
        if state not in built:
            base, corpus, _ = folders
            write_state(base, corpus, state)
            config = Config(index_dir=base.parent / f"clean-{state}")
            assert not ingest_folder(config, corpus, embedder=embedder).failed
            assert index_problems(open_store(config), config.read_model_dir, expected_for(corpus)) == []
            built[state] = config.index_dir, answerer.answers(config.index_dir)
        return built[state]

    return get


def _in_process(embedder):  # type: ignore[no-untyped-def]
    from qa import Config, ingest_folder

    def finish(corpus: Path, index: Path, prune: bool) -> tuple[int, float, str]:
        started = time.perf_counter()
        report = ingest_folder(Config(index_dir=index), corpus, prune=prune, embedder=embedder)
        return int(bool(report.failed)), time.perf_counter() - started, report.summary()

    return finish


@pytest.mark.parametrize("scenario, state, window", [("fresh", "base", 6.0), ("prune", "pruned", 0.3)])
def test_kill_9_then_rerun_leaves_a_whole_index(scenario: str, state: str, window: float, tmp_path: Path,
                                                folders: tuple[Path, Path, list[Question]], clean,
                                                answerer: Answerer) -> None:  # type: ignore[no-untyped-def]
    base, corpus, _ = folders
    complete = clean("base")[0] if state != "base" else None    # edit/prune start from a complete index
    reference = clean(state)[1]
    assert sum(answered for _text, answered, *_ in reference) >= 8     # so that comparing them means something
    write_state(base, corpus, state)
    delay = random.Random(f"{SEED}-{scenario}").uniform(0.0, window)
    kind, line, problems = crash_run(scenario, corpus, tmp_path / "index", complete, [delay], expected_for(corpus),
                                     reference, answerer, tmp_path / "probe", finish=_in_process(answerer.embedder))
    print(f"seed {SEED}: {line}")
    assert problems == []
