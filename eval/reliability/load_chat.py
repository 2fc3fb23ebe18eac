"""Concurrent chat sessions against the real app, with an upload in the middle.

    python -m eval.reliability.load_chat [--sessions 20] [--turns 4] [--index DIR] [--timeout 60] [--deadline 900]
    python -m eval.reliability.load_chat --chroma-server [--processes 3] [--sessions 20] ...

Starts `python app.py --index X --port P` on 127.0.0.1 (X: a copy of DIR, so the upload leaves
DIR alone; by default a new folder, which the app fills with `samples/` on its first start) and:

1. single-user answers: every conversation asked turn by turn through `/ask` (the earlier
   questions passed as `history`, as the chat page does), one request at a time;
2. load: `--sessions` gradio_client sessions start together, each asking one conversation's
   turns in order; meanwhile one `/add` uploads an article written here, unrelated to them;
3. single-user answers again, now from the index that holds the upload.

Each load answer (text + citations) must equal the single-user answer to the same turn from
before or from after the upload: an upload shifts BM25's statistics, so a few answers may
change with it, but a request must see the index as it was before or after, never a mix.
Conversations: `eval/gold/samples_conversation.json` and the gold questions of
`eval/gold/samples.jsonl`, each followed by follow-ups written here. Prints sessions, requests,
errors, mismatches, p50/p95 latency and wall time; exit status 1 on any error or mismatch.

With `--chroma-server` (`eval.reliability.load_servers`): `--processes` apps share one `chroma run`
server and one read-model folder, the sessions are spread over them round-robin, the new article
is ingested mid-way by `qa ingest --chroma-url` (no app wrote it: each must notice it by its
refresh), and every app must then answer from it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.gold.datasets import REPO, SAMPLES_GOLD
from eval.gold.questions import load_gold
from eval.reliability.app_process import start_app, stop

# Gold question id -> follow-ups that lean on it ("it", "there", "he"...).
FOLLOW_UPS = {
    "q01": ["When does it take effect?", "How much does a single bus ride cost?", "Which new routes were approved?"],
    "q03": ["What was the highest level recorded there?", "Where are they staying?", "When did the water peak?"],
    "q14": ["Where is it planning to open its new cold-storage hubs?", "How many employees does it have?", "And revenue?"],
    "q17": ["What is it going to map at the south pole?", "When is it scheduled to land?", "Who built it?"],
    "q06": ["What did the judge order the city to do?", "Will it appeal?", "How many fines were issued?"],
    "q12": ["Why was it recalled?", "What should owners do?", "How many were sold?"],
}
UPLOAD_NAME = "glass-harmonica-guild.txt"
UPLOAD_TEXT = """Glass harmonica guild tunes its bowls for the winter recital

Published: 2024-01-15
By Load Test Desk

The Vellmoor glass harmonica guild met in the old granary to tune forty-two quartz bowls.
Each bowl was ground by hand until its rim sang a clean note when touched with a wet finger.
The guild's eldest member, a retired lens maker, checked every bowl against a brass tuning fork.
Rehearsals for the recital take place on Tuesday evenings, and visitors may listen from the gallery.
"""


def conversations(turns: int = 4) -> list[list[str]]:
    """The chat scripts: the gold conversation, then gold questions with their follow-ups."""
    gold = json.loads((REPO / "eval" / "gold" / "samples_conversation.json").read_text(encoding="utf-8"))
    out = [[t["question"] for t in gold["turns"]][:turns]]
    by_id = {q.id: q.question for q in load_gold(SAMPLES_GOLD)}
    out += [[by_id[qid], *follow][:turns] for qid, follow in FOLLOW_UPS.items()]
    return out


@dataclass
class LoadResult:
    answers: dict[tuple[int, int], tuple] = field(default_factory=dict)   # (session, turn) -> answer_key
    latencies: list[float] = field(default_factory=list)                  # seconds, completed requests
    windows: list[tuple[float, float]] = field(default_factory=list)      # (start, end) of each request
    seconds: dict[tuple[int, int], float] = field(default_factory=dict)   # (session, turn) -> latency
    errors: list[str] = field(default_factory=list)
    upload: tuple[float, float] | None = None                            # when the upload ran
    upload_report: str = ""
    wall: float = 0.0

    def requests_during_upload(self) -> int:
        if self.upload is None:
            return 0
        lo, hi = self.upload
        return sum(1 for a, b in self.windows if a < hi and b > lo)


def answer_key(reply: dict[str, Any]) -> tuple:
    """What must not change: the answer text and its citations (the `/ask` JSON)."""
    return reply["answer"], reply["answered"], json.dumps(reply["citations"], sort_keys=True)


def client(url: str) -> Any:
    from gradio_client import Client

    return Client(url, verbose=False, analytics_enabled=False, download_files=False)


def ask(session: Any, question: str, history: list[str], timeout: float) -> dict[str, Any]:
    job = session.submit(question, history=history, api_name="/ask")
    try:
        return job.result(timeout=timeout)
    except TimeoutError:
        job.cancel()
        raise TimeoutError(f"no answer in {timeout:.0f} s") from None


def single_user(url: str, convs: list[list[str]], timeout: float) -> list[list[tuple]]:
    session = client(url)
    return [[answer_key(ask(session, q, conv[:i], timeout)) for i, q in enumerate(conv)] for conv in convs]


def run_load(url: str | Sequence[str], convs: list[list[str]], sessions: int, upload: Path | None,
             timeout: float = 60, deadline: float = 600, upload_after: int = 0,
             write: Callable[[], str] | None = None) -> LoadResult:
    """`sessions` clients at once, session i asking `convs[i % len(convs)]` of app `url[i % len(url)]`
    (a list of apps: spread round-robin); `upload` is added over the first app's `/add` once
    `upload_after` requests have completed (so that it overlaps the rest), or instead `write()` is
    run then (it returns a report; an exception is an error)."""
    urls = [url] if isinstance(url, str) else list(url)
    result = LoadResult()
    lock = threading.Lock()
    done = threading.Condition(lock)
    writes = bool(upload or write)
    start = threading.Barrier(sessions + (1 if writes else 0))
    began = time.monotonic()
    stop_at = began + deadline

    def session_run(number: int) -> None:
        conv = convs[number % len(convs)]
        try:
            session = client(urls[number % len(urls)])
        except Exception as err:  # the run reports every failure; it does not stop at the first
            with lock:
                result.errors.append(f"session {number}: no client ({type(err).__name__}: {err})")
            start.abort()
            return
        try:
            start.wait()
        except threading.BrokenBarrierError:
            return                      # another session could not start; it reported why
        for turn, question in enumerate(conv):
            left = stop_at - time.monotonic()
            if left <= 0:
                with lock:
                    result.errors.append(f"session {number}: the run's deadline passed before turn {turn + 1}")
                return
            t0 = time.monotonic()
            try:
                key = answer_key(ask(session, question, conv[:turn], min(timeout, left)))
            except Exception as err:
                with lock:
                    result.errors.append(f"session {number} turn {turn + 1}: {type(err).__name__}: {err}")
                return
            t1 = time.monotonic()
            with done:
                result.answers[(number, turn)] = key
                result.latencies.append(t1 - t0)
                result.seconds[(number, turn)] = t1 - t0
                result.windows.append((t0, t1))
                done.notify_all()

    def upload_run() -> None:
        from gradio_client import handle_file

        session = client(urls[0]) if write is None else None
        try:
            start.wait()
        except threading.BrokenBarrierError:
            return
        with done:
            done.wait_for(lambda: len(result.latencies) >= upload_after or result.errors, timeout=deadline)
        t0 = time.monotonic()
        try:
            if write is not None:
                result.upload_report = write()
            else:
                job = session.submit([handle_file(str(upload))], api_name="/add")
                result.upload_report = str(job.result(timeout=max(1.0, stop_at - t0))[0])
        except Exception as err:
            with lock:
                result.errors.append(f"upload: {type(err).__name__}: {err}")
        result.upload = (t0, time.monotonic())

    threads = [threading.Thread(target=session_run, args=(n,), daemon=True) for n in range(sessions)]
    if writes:
        threads.append(threading.Thread(target=upload_run, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, stop_at + timeout - time.monotonic()))
    if any(t.is_alive() for t in threads):
        result.errors.append("the run's deadline passed with requests still open")
    result.wall = time.monotonic() - began
    return result


def mismatches(result: LoadResult, convs: list[list[str]], before: list[list[tuple]],
               after: list[list[tuple]]) -> list[str]:
    out = []
    for (number, turn), key in sorted(result.answers.items()):
        conv = number % len(convs)
        if key not in (before[conv][turn], after[conv][turn]):
            out.append(f"session {number} turn {turn + 1} ({convs[conv][turn]!r}): {key[0][:80]!r}")
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def report(result: LoadResult, wrong: list[str], sessions: int, changed: int) -> str:
    ms = [x * 1000 for x in result.latencies]
    return (f"sessions {sessions}, requests {len(result.latencies)}, errors {len(result.errors)}, mismatches "
            f"{len(wrong)}, p50 {percentile(ms, 0.5):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, wall "
            f"{result.wall:.1f} s; {result.requests_during_upload()} requests overlapped the upload "
            f"({(result.upload[1] - result.upload[0]) if result.upload else 0:.1f} s), "
            f"{changed} single-user answers changed with it")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.reliability.load_chat", description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=20, help="simultaneous chat sessions (default 20)")
    p.add_argument("--turns", type=int, default=4, help="questions per session, at most 4 (default 4)")
    p.add_argument("--index", type=Path, default=None, help="index to serve (copied first; default: samples/)")
    p.add_argument("--timeout", type=float, default=60, help="seconds one request may take (default 60)")
    p.add_argument("--deadline", type=float, default=900, help="seconds the load phase may take (default 900)")
    p.add_argument("--processes", type=int, default=1, help="app processes, with --chroma-server (default 1)")
    p.add_argument("--chroma-server", action="store_true",
                   help="samples/ in a `chroma run` server shared by the apps; the new article through `qa ingest`")
    args = p.parse_args(argv)
    if args.sessions < 1 or not 1 <= args.turns <= 4 or args.processes < 1:
        raise SystemExit("--sessions and --processes must be >= 1 and --turns 1..4")
    if args.chroma_server:
        if args.index:
            raise SystemExit("--index is not used with --chroma-server (it ingests samples/ into the server)")
        from eval.reliability.load_servers import run_servers

        return run_servers(args.processes, args.sessions, args.turns, args.timeout, args.deadline)
    if args.processes > 1:
        raise SystemExit("--processes needs --chroma-server (apps share a store through a Chroma server)")
    work = Path(tempfile.mkdtemp(prefix="load-chat-"))
    proc = None
    try:
        index = work / "index"
        if args.index:
            shutil.copytree(args.index, index)
        started = time.monotonic()
        proc, url = start_app(index, work)
        print(f"app up at {url} in {time.monotonic() - started:.0f} s (log: {work / 'app.log'})", flush=True)
        convs = conversations(args.turns)
        before = single_user(url, convs, args.timeout)
        upload = work / UPLOAD_NAME
        upload.write_text(UPLOAD_TEXT, encoding="utf-8")
        result = run_load(url, convs, args.sessions, upload, args.timeout, args.deadline,
                          upload_after=max(1, args.sessions // 2))
        after = single_user(url, convs, args.timeout)
        wrong = mismatches(result, convs, before, after)
        changed = sum(b != a for bc, ac in zip(before, after) for b, a in zip(bc, ac))
        for line in result.errors[:10] + wrong[:10]:
            print(f"  {line}")
        print(f"upload: {result.upload_report[:200]!r}")
        print(report(result, wrong, args.sessions, changed))
        failed = bool(result.errors or wrong or "added 1" not in result.upload_report)
        if failed:
            print((work / "app.log").read_text(encoding="utf-8", errors="replace")[-3000:])
        return 1 if failed else 0
    finally:
        stop(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
