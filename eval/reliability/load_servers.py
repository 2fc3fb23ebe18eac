"""Several app processes on one `chroma run` server, with `qa ingest` writing in the middle.

    python -m eval.reliability.load_chat --chroma-server --processes 3 --sessions 20

1. `chroma run --path WORK/chroma --host 127.0.0.1 --port P`; `qa ingest samples/ --chroma-url`;
2. `--processes` apps, `python app.py --chroma-url URL --index WORK/index` (one read-model folder on
   disk for all of them), started together;
3. single-user answers from every app (`eval.reliability.load_chat.single_user`, one client
   per app, the apps side by side): each must equal app 1's;
4. load: the sessions spread round-robin over the apps; once half as many requests as sessions
   are done, one new article is ingested by the command line (`qa ingest --chroma-url`, a fourth
   process: no app wrote it, so each must notice the store's new revision by its refresh);
5. once the refresh interval (`Config.refresh_s`) has passed, every app is asked a question only
   the new article answers, and must cite its exact line;
6. single-user answers again from every app: each must equal app 1's.

Every load answer must equal app 1's single-user answer from before or after the ingest. Prints,
per app, resident memory (VmRSS and RssAnon from /proc) once up, once warm (after its first
single-user answers: spaCy and the word vectors load on first use), after the load and after the
refresh, requests and p50/p95 latency; then errors, mismatches and wall time. Exit status 1 on
any error, mismatch, or app that did not answer from the new article.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from eval.gold.datasets import REPO
from eval.reliability.app_process import launch_app, memory_mb, start_chroma, stop, wait_until_up
from eval.reliability.load_chat import (UPLOAD_NAME, UPLOAD_TEXT, LoadResult, ask, client, conversations,
                                        mismatches, percentile, report, run_load, single_user)

NEW_QUESTION = "How many quartz bowls did the Vellmoor glass harmonica guild tune?"
NEW_CITATION = (UPLOAD_NAME, 6, 6)          # "The Vellmoor glass harmonica guild met ... forty-two quartz bowls."
MOMENTS = ("up", "warm", "after load", "after refresh")


@dataclass
class ServersRun:
    """What one run found; `failures()` lists what makes it fail."""

    urls: list[str] = field(default_factory=list)
    memory: dict[str, list[tuple[float, float]]] = field(default_factory=dict)   # moment -> per app (VmRSS, RssAnon) MB
    load: LoadResult = field(default_factory=LoadResult)
    wrong: list[str] = field(default_factory=list)         # load answers unlike app 1's, apps unlike app 1
    seen: list[tuple | None] = field(default_factory=list)  # per app: the new question's first citation
                                                            # (source, start_line, end_line); None: declined
    changed: int = 0                                        # single-user answers the new article changed
    startup_s: float = 0.0

    def failures(self) -> list[str]:
        out = list(self.load.errors) + self.wrong
        if "added 1" not in self.load.upload_report:
            out.append(f"the ingest did not add the article: {self.load.upload_report[:200]!r}")
        out += [f"app {i + 1} answered {NEW_QUESTION!r} from {got}, not {NEW_CITATION}"
                for i, got in enumerate(self.seen) if got != NEW_CITATION]
        if len(self.seen) < len(self.urls):
            out.append(f"only {len(self.seen)} of {len(self.urls)} apps were asked {NEW_QUESTION!r}")
        return out

    def lines(self, sessions: int) -> list[str]:
        out = [f"{len(self.urls)} apps up in {self.startup_s:.0f} s"]
        for i in range(len(self.urls)):
            ms = [v * 1000 for (n, _t), v in self.load.seconds.items() if n % len(self.urls) == i]
            mem = ", ".join(f"{m} {self.memory[m][i][0]:.0f}/{self.memory[m][i][1]:.0f}" for m in MOMENTS
                            if m in self.memory)
            seen = self.seen[i] if i < len(self.seen) else None
            out.append(f"app {i + 1}: VmRSS/RssAnon MB {mem}; {len(ms)} requests, p50 {percentile(ms, 0.5):.0f} ms, "
                       f"p95 {percentile(ms, 0.95):.0f} ms; new article cited as {seen}")
        out.append(f"ingest: {self.load.upload_report[:200]!r}")
        out.append(report(self.load, self.wrong, sessions, self.changed))
        return out


def qa_ingest(path: Path, chroma_url: str, index: Path, timeout: float = 600) -> str:
    """`python -m qa ingest PATH --chroma-url URL --index INDEX --quiet`: its summary line, or
    `RuntimeError` with its output when it fails."""
    done = subprocess.run([sys.executable, "-m", "qa", "ingest", str(path), "--chroma-url", chroma_url,
                           "--index", str(index), "--quiet"], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"qa ingest exited with {done.returncode}: {(done.stderr or done.stdout)[-500:]}")
    return done.stdout.strip()


def each_app(urls: list[str], convs: list[list[str]], timeout: float) -> list[list[list[tuple]]]:
    """Single-user answers from every app (one client per app, the apps side by side)."""
    with ThreadPoolExecutor(len(urls)) as pool:
        return list(pool.map(lambda url: single_user(url, convs, timeout), urls))


def turns_apart(a: list[list[tuple]], b: list[list[tuple]]) -> int:
    """How many turns two single-user passes answered differently."""
    return sum(x != y for ca, cb in zip(a, b) for x, y in zip(ca, cb))


def first_citation(reply: dict) -> tuple | None:
    """(source, start_line, end_line) of an `/ask` reply's first citation; None when it declined."""
    if not reply["answered"] or not reply["citations"]:
        return None
    c = reply["citations"][0]
    return c["source"], c["start_line"], c["end_line"]


def check_servers(work: Path, processes: int, sessions: int, turns: int, timeout: float = 60,
                  deadline: float = 900, ingest: Callable[[Path, str, Path], str] = qa_ingest,
                  seed: Callable[[Path, str, Path], str] | None = None,
                  progress: Callable[[str], None] = lambda line: None) -> ServersRun:
    """Run steps 1-6 of the module docstring in `work` (left there; the caller removes it).
    `ingest(path, chroma_url, index)` writes the new article to the server mid-way (default: the
    command line); `seed` the samples before the apps start (default: `ingest`)."""
    from qa.config import Config

    began = time.monotonic()

    def note(line: str) -> None:
        progress(f"[{time.monotonic() - began:5.0f} s] {line}")

    run = ServersRun()
    chroma: subprocess.Popen | None = None
    apps: list[subprocess.Popen] = []
    try:
        chroma, chroma_url = start_chroma(work / "chroma", work)
        index = work / "index"
        note(f"chroma run at {chroma_url}; samples: {(seed or ingest)(REPO / 'samples', chroma_url, index)}")
        started = time.monotonic()
        for i in range(processes):
            proc, url = launch_app(index, work, ["--chroma-url", chroma_url], name=f"app-{i + 1}")
            apps.append(proc)
            run.urls.append(url)
        for i, (proc, url) in enumerate(zip(apps, run.urls)):
            wait_until_up(proc, url, work / f"app-{i + 1}.log")
        run.startup_s = time.monotonic() - started
        run.memory["up"] = [memory_mb(p.pid) for p in apps]
        note(f"{processes} apps up in {run.startup_s:.0f} s: {' '.join(run.urls)}")
        convs = conversations(turns)[:sessions]      # only those the load asks
        before = each_app(run.urls, convs, timeout)                    # each app's first answers
        run.memory["warm"] = [memory_mb(p.pid) for p in apps]
        note("single-user answers from every app")
        new = work / "new"
        new.mkdir()
        (new / UPLOAD_NAME).write_text(UPLOAD_TEXT, encoding="utf-8")
        run.load = run_load(run.urls, convs, sessions, None, timeout, deadline, upload_after=max(1, sessions // 2),
                            write=lambda: ingest(new, chroma_url, index))
        run.memory["after load"] = [memory_mb(p.pid) for p in apps]
        note(f"load done; ingest: {run.load.upload_report[:80]!r}")
        time.sleep(Config().refresh_s + 0.5)        # every app's next read checks the store
        for url in run.urls:
            try:
                run.seen.append(first_citation(ask(client(url), NEW_QUESTION, [], timeout)))
            except Exception as err:  # reported, not raised: the other apps are still checked
                run.load.errors.append(f"{url}: the new question: {type(err).__name__}: {err}")
                run.seen.append(None)
        run.memory["after refresh"] = [memory_mb(p.pid) for p in apps]
        after = each_app(run.urls, convs, timeout)
        note("single-user answers again from every app")
        run.wrong = mismatches(run.load, convs, before[0], after[0])
        run.wrong += [f"app {i + 1}'s single-user answers {when} differ from app 1's in {turns_apart(a, ones[0])} turns"
                      for when, ones in (("before", before), ("after", after)) for i, a in enumerate(ones)
                      if a != ones[0]]
        run.changed = turns_apart(before[0], after[0])
        return run
    finally:
        for proc in apps:
            stop(proc)
        stop(chroma)


def run_servers(processes: int, sessions: int, turns: int, timeout: float, deadline: float) -> int:
    """`check_servers` in a temporary folder, printed; exit status 0 when nothing failed."""
    work = Path(tempfile.mkdtemp(prefix="load-servers-"))
    try:
        began = time.monotonic()
        run = check_servers(work, processes, sessions, turns, timeout, deadline,
                            progress=lambda line: print(line, flush=True))
        failed = run.failures()
        for line in failed[:10]:
            print(f"  {line}")
        for line in run.lines(sessions):
            print(line)
        print(f"whole run {time.monotonic() - began:.0f} s")
        if failed:
            for log in sorted(work.glob("app-*.log")):
                print(f"--- {log.name}\n{log.read_text(encoding='utf-8', errors='replace')[-1500:]}")
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
