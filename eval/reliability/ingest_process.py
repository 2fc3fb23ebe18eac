"""`qa ingest` in a subprocess that can be killed at a chosen moment of its work.

`run_ingest(corpus, index, kill_after=..., after=mark)` starts `python -m qa ingest` in its own
process group, watches it, and SIGKILLs the group `kill_after` seconds after a mark:

    indexing   the progress bar appeared on stderr (the index is open, the files are listed)
    db-write   the first change to the Chroma database after that (a batch is being written)

It also records "last-write" (the last change to the database or the read-model folders), so a
clean run tells how long the writes last. Left out: what the kill left and whether the index is
whole afterwards (`eval.reliability.crash_ingest`, `index.consistency`).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BAR = re.compile(rb"\| *\d+/\d+ \[")        # tqdm's "| 3/31 [": the ingest has opened the index
WATCHED = ("chroma.sqlite3", "chroma.sqlite3-journal", "chroma.sqlite3-wal", "read_model", "read_model.new", "read_model.old")


@dataclass
class IngestRun:
    rc: int | None                # None: killed
    seconds: float                # from start to exit or kill
    marks: dict[str, float]       # "indexing", "db-write", "last-write" -> seconds from start
    progress: str                 # the last progress-bar text seen
    output: str                   # stdout + stderr

    def window(self, mark: str) -> float:
        """How long the work after `mark` went on: to its last write (else to the exit)."""
        return self.marks.get("last-write", self.seconds) - self.marks.get(mark, 0.0)


def _files(index: Path) -> tuple:
    out = []
    for name in WATCHED:
        try:
            st = (index / name).stat()
            out.append((st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def run_ingest(corpus: Path, index: Path, prune: bool = False, kill_after: float | None = None,
               after: str = "indexing", timeout: float = 900) -> IngestRun:
    """`qa ingest corpus --index index`; with `kill_after`, SIGKILL it that long after the mark `after`:
    "indexing" (its progress bar appeared: the index is open, the files listed) or "db-write" (the
    first change to the database after that: the first batch of chunks is being written)."""
    cmd = [sys.executable, "-m", "qa", "ingest", str(corpus), "--index", str(index), *(["--prune"] if prune else [])]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    err_chunks: list[bytes] = []
    out_chunks: list[bytes] = []
    marks: dict[str, float] = {}

    def read(stream: Any, into: list[bytes], watch: bool) -> None:
        for chunk in iter(lambda: stream.read1(4096), b""):
            into.append(chunk)
            if watch and "indexing" not in marks and BAR.search(b"".join(into[-3:])):
                marks["indexing"] = time.monotonic() - started

    readers = [threading.Thread(target=read, args=(proc.stderr, err_chunks, True), daemon=True),
               threading.Thread(target=read, args=(proc.stdout, out_chunks, False), daemon=True)]
    for t in readers:
        t.start()
    files, at_indexing = _files(index), None
    while (rc := proc.poll()) is None:
        now = time.monotonic() - started
        if "indexing" in marks:
            current = _files(index)
            at_indexing = at_indexing or current
            if current != files:
                marks["last-write"] = now
                if current[:3] != at_indexing[:3]:
                    marks.setdefault("db-write", now)
            files = current
        if kill_after is not None and after in marks and now - marks[after] >= kill_after:
            os.killpg(proc.pid, signal.SIGKILL)     # the group we started: the ingest and any helpers
            proc.wait()
            rc = None
            break
        if now > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise TimeoutError(f"{' '.join(cmd)} ran over {timeout:.0f} s")
        time.sleep(0.003)
    seconds = time.monotonic() - started
    for t in readers:
        t.join(timeout=5)
    err = b"".join(err_chunks).decode("utf-8", "replace")
    bars = [p for p in err.replace("\r", "\n").split("\n") if BAR.search(p.encode())]
    return IngestRun(rc, seconds, dict(marks), bars[-1].strip() if bars else "",
                     b"".join(out_chunks).decode("utf-8", "replace") + err)
