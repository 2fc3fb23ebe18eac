"""Crash consistency of `qa ingest`: kill -9 it at random points, finish the work, check the index.

    python -m eval.reliability.crash_ingest [--runs 10] [--articles DIR] [--rtqa 12] [--seed S] [--work DIR]

The corpus (`eval.reliability.crash_corpus`) is ingested cleanly once per state (base, edited, pruned) into
reference indexes, which also time each kind of ingest. Each run then takes a scenario in turn:

    fresh   an empty index; the ingest is killed anywhere in its indexing
    resume  as fresh, and the ingest of the partial index it left is killed too
    edit    a complete index, a few articles edited; the re-ingest is killed while it writes
    prune   a complete index, articles edited and files deleted; `qa ingest --prune` is killed
            while it writes (chunks, manifest, removals, the read model)

The kill (SIGKILL to the process group) comes a random time after a mark, drawn uniformly
within what followed that mark in the clean run of the same ingest: for fresh/resume from
the start of indexing (the progress bar appears: the index is open) to its last write (the
shortest of the three reference runs); for edit/prune from the first database write to the
last write (a few hundred ms: the window a random kill anywhere would almost never hit). The
RNG seed is printed. The state the kill left is read from a copy of the index. Then
`qa ingest` runs to completion and the run passes when `index_problems` finds nothing (every
article once with its current hash, no orphan or duplicate chunks, read model and Chroma
agree) and the answers to the corpus's questions equal the reference index's.

Prints one line per run and a summary; exit status 1 when any run failed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval.reliability.crash_corpus import STATES, Question, build_corpus, write_state
from eval.reliability.ingest_process import run_ingest

# scenario -> (corpus state, the mark its kill delay counts from; see `run_ingest`)
SCENARIOS = {"fresh": ("base", "indexing"), "resume": ("base", "indexing"), "edit": ("edited", "db-write"),
             "prune": ("pruned", "db-write")}


def describe_state(index: Path, probe: Path, expected: dict[str, str]) -> tuple[str, str]:
    """(kind, words) for what a killed ingest left, read from a copy of the index at `probe`.

    Kinds: not-started (no collections yet), chunks-in-flight (chunks not visible: written before
    their manifest record, or old ones not yet deleted), articles-pending (no chunks in flight, but
    articles still to add, update or prune), read-model-pending (the store is done, the read model
    is not), done.
    """
    from index import read_model
    from index.consistency import leftovers
    from index.errors import StoreError
    from qa.config import Config
    from qa.errors import IndexNotFound
    from qa.ingest import open_store

    if not (index / "chroma.sqlite3").exists():
        return "not-started", "nothing written yet"
    shutil.copytree(index, probe)
    config = Config(index_dir=probe)
    try:
        store = open_store(config)
    except IndexNotFound:
        return "not-started", "database created, no collections yet"
    manifest = store.manifest()
    current = sum(1 for aid, h in expected.items() if aid in manifest and manifest[aid].content_hash == h)
    gone = len(manifest.keys() - expected.keys())          # still to be pruned
    invisible = sum(1 for aid, h in store.chunk_owners().values() if aid not in manifest or manifest[aid].content_hash != h)
    try:
        kw = read_model.load(config.read_model_dir)
        kw_state = "fresh" if kw.fingerprint == read_model.fingerprint(manifest) else "stale"
    except StoreError:
        kw_state = "missing" if not config.read_model_dir.exists() else "unreadable"
    extra = [p.name for p in leftovers(config.read_model_dir)]
    store_done = current == len(expected) and not gone
    kind = ("chunks-in-flight" if invisible else "articles-pending" if not store_done
            else "read-model-pending" if kw_state != "fresh" else "done")
    words = (f"{current}/{len(expected)} articles current, {gone} to prune, {invisible} invisible chunks, "
             f"read model {kw_state}" + (f", {'+'.join(extra)} left" if extra else ""))
    return kind, words


def answer_key(answer: Any) -> tuple:
    """What must not change: the text, whether it answered, and every citation and passage span."""
    return (answer.text, answer.answered, tuple((c.source, c.start_line, c.end_line, c.quote) for c in answer.citations),
            tuple((p.source, p.start_line, p.end_line) for p in answer.passages))


class Answerer:
    """Answers the question list from an index folder, sharing one model and word vectors."""

    def __init__(self, questions: list[Question], embedder: Any = None) -> None:
        from index.embed import MiniLMEmbedder, WordVectors

        self.questions = questions
        self.embedder = embedder or MiniLMEmbedder(device="cpu")
        self.words = WordVectors()

    def answers(self, index: Path) -> list[tuple]:
        from index.read_model import open_or_build
        from qa.assistant import Assistant
        from qa.config import Config
        from qa.ingest import open_store

        config = Config(index_dir=index)
        store = open_store(config)
        assistant = Assistant(store, open_or_build(store, config.read_model_dir), self.embedder, config, self.words)
        return [answer_key(assistant.ask(q.text, **({"as_of": q.as_of} if q.as_of else {}))) for q in self.questions]


def check_index(index: Path, expected: dict[str, str], reference: list[tuple], answerer: Answerer) -> list[str]:
    """Everything wrong with a finished index: `index_problems`, then answers unlike the reference's."""
    from index.consistency import index_problems
    from qa.config import Config
    from qa.ingest import open_store

    config = Config(index_dir=index)
    problems = index_problems(open_store(config), config.read_model_dir, expected)
    got = answerer.answers(index)
    differ = [q.text for q, a, b in zip(answerer.questions, got, reference) if a != b]
    if differ:
        problems.append(f"answers differ from the clean index's: {len(differ)}/{len(got)} ({differ[0]!r}, ...)")
    return problems


def expected_for(corpus: Path) -> dict[str, str]:
    from index.chunking import ChunkSettings
    from index.consistency import expected_articles
    from index.embed import MODEL_NAME

    return expected_articles(corpus, ChunkSettings(), MODEL_NAME)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.reliability.crash_ingest", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=10, help="kill-and-finish runs (default 10)")
    p.add_argument("--articles", type=Path, default=None, help="corpus folder (default: samples + tests + RealTime QA)")
    p.add_argument("--rtqa", type=int, default=12, help="RealTime QA gold questions whose articles join the default corpus")
    p.add_argument("--seed", type=int, default=None, help="RNG seed (default: random, printed)")
    p.add_argument("--work", type=Path, default=None, help="working folder, kept (default: a temporary one, removed)")
    args = p.parse_args(argv)
    from index.offline import apply_offline_defaults

    apply_offline_defaults()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="crash-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        return _crash_runs(args, rng, seed, work, started)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


Finish = Callable[[Path, Path, bool], tuple[int, float, str]]   # (corpus, index, prune) -> (exit, seconds, output)


def finish_with_qa(corpus: Path, index: Path, prune: bool) -> tuple[int, float, str]:
    """The rerun: `qa ingest` to completion."""
    run = run_ingest(corpus, index, prune=prune)
    return (-1 if run.rc is None else run.rc), run.seconds, run.output


def crash_run(scenario: str, corpus: Path, index: Path, complete: Path | None, delays: list[float],
              expected: dict[str, str], reference: list[tuple], answerer: Answerer, probe: Path,
              finish: Finish = finish_with_qa) -> tuple[str, str, list[str]]:
    """One run: ingest `corpus` into `index` (a copy of `complete` for edit/prune), SIGKILL it after
    each of `delays` (seconds after the scenario's mark), `finish` it, check it.
    Returns (state kind, one line of what happened, problems)."""
    from index.consistency import leftovers
    from qa.config import Config
    from qa.errors import QAError

    mark = SCENARIOS[scenario][1]
    if complete is not None:
        shutil.copytree(complete, index)
    prune = scenario == "prune"
    kills = []
    for delay in delays:
        run = run_ingest(corpus, index, prune=prune, kill_after=delay, after=mark)
        since = "after its first database write" if mark == "db-write" else "into indexing"
        kills.append(f"killed {delay:.2f} s {since} (last progress shown: {run.progress or 'none'})"
                     if run.rc is None else f"finished before the kill at {delay:.2f} s (exit {run.rc})")
    kind, words = describe_state(index, probe, expected)
    rc, seconds, output = finish(corpus, index, prune)
    problems = [] if rc == 0 else [f"rerun exited {rc}: {output[-300:]!r}"]
    try:
        problems += check_index(index, expected, reference, answerer)
    except QAError as err:            # e.g. the rerun failed before it made an index
        problems.append(f"cannot check the index: {err}")
    summary = next((line for line in output.splitlines() if line.startswith("added ")), "")
    left = [p.name for p in leftovers(Config(index_dir=index).read_model_dir)]     # harmless, but worth seeing
    line = (f"{scenario:6} {'; '.join(kills)} -> {kind}: {words} | rerun {seconds:.1f} s ({summary}) | "
            + ("ok" if not problems else "FAILED: " + "; ".join(problems))
            + (f" (left beside the index: {', '.join(left)})" if left else ""))
    return kind, line, problems


def _crash_runs(args: argparse.Namespace, rng: random.Random, seed: int, work: Path, started: float) -> int:
    base, corpus = work / "base", work / "corpus"
    questions = build_corpus(base, args.articles, args.rtqa)
    answerer = Answerer(questions)
    expected, reference, seconds, fresh = {}, {}, {}, []
    print(f"seed {seed}; work folder {work}", flush=True)
    for state in STATES:                      # clean references: no crash anywhere
        write_state(base, corpus, state)
        expected[state] = expected_for(corpus)
        run = run_ingest(corpus, work / f"ref-{state}")
        if run.rc != 0:
            raise SystemExit(f"reference ingest of the {state} corpus failed ({run.rc}):\n{run.output[-2000:]}")
        fresh.append(run.window("indexing"))      # every reference is a fresh ingest of about the same corpus
        if state == "base":        # the starting point of edit/prune, copied before anything here opens it
            shutil.copytree(work / "ref-base", work / "complete")
        else:                      # the incremental ingest the scenario kills, timed on a clean run
            control = work / f"control-{state}"
            shutil.copytree(work / "complete", control)
            timed = run_ingest(corpus, control, prune=state == "pruned")
            scenario = "edit" if state == "edited" else "prune"
            seconds[scenario] = timed.window(SCENARIOS[scenario][1])
        reference[state] = answerer.answers(work / f"ref-{state}")
        print(f"reference {state}: {len(expected[state])} articles, {len(open_chunks(work / f'ref-{state}'))} chunks, "
              f"clean ingest {run.seconds:.1f} s", flush=True)
    seconds["fresh"] = seconds["resume"] = min(fresh)   # on a busy machine one run can take twice another
    for state in ("edited", "pruned"):
        write_state(base, corpus, state)
        problems = check_index(work / f"control-{state}", expected[state], reference[state], answerer)
        print(f"control (incremental {state} ingest, no crash): {'ok' if not problems else '; '.join(problems)}")
    print("kill windows (s): " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()), flush=True)

    failures, kinds = 0, Counter()
    names = list(SCENARIOS)
    for number in range(1, args.runs + 1):
        scenario = names[(number - 1) % len(names)]
        state = SCENARIOS[scenario][0]
        write_state(base, corpus, state)
        delays = [rng.uniform(0.0, seconds[scenario]) for _ in range(2 if scenario == "resume" else 1)]
        kind, line, problems = crash_run(
            scenario, corpus, work / "runs" / f"{number:03d}", work / "complete" if state != "base" else None,
            delays, expected[state], reference[state], answerer, work / "probes" / f"{number:03d}")
        kinds[kind] += 1
        failures += bool(problems)
        print(f"run {number}/{args.runs} {line}", flush=True)
    print(f"\nsummary: runs {args.runs}, failures {failures}, corpus {len(expected['base'])} articles "
          f"({len(open_chunks(work / 'ref-base'))} chunks), {len(questions)} questions, seed {seed}, "
          f"states hit {dict(kinds)}, wall {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


def open_chunks(index: Path) -> dict[str, tuple[str, str]]:
    from qa.config import Config
    from qa.ingest import open_store

    return open_store(Config(index_dir=index)).chunk_owners()


if __name__ == "__main__":
    sys.exit(main())
