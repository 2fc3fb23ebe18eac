"""Processes the load harnesses start and watch: `python app.py` and `chroma run` on 127.0.0.1 and a
free port, waited for until they answer; their resident memory (from /proc); and stopping them.

Left out: what is asked of them (`eval.reliability.load_chat`, `eval.reliability.load_servers`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from eval.gold.datasets import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_app(index: Path, work: Path, extra: Sequence[str] = (), name: str = "app") -> tuple[subprocess.Popen, str]:
    """Start `python app.py --index INDEX [extra...]` on 127.0.0.1 and a free port, its output in
    WORK/NAME.log and Gradio's files in WORK/NAME-gradio; returns at once (see `wait_until_up`)."""
    port = free_port()
    (work / f"{name}-gradio").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GRADIO_TEMP_DIR": str(work / f"{name}-gradio"), "GRADIO_ANALYTICS_ENABLED": "False"}
    with (work / f"{name}.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--index", str(index), "--host", "127.0.0.1",
                                 "--port", str(port), *extra], cwd=REPO, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}/"


def wait_until_up(proc: subprocess.Popen, url: str, log: Path, timeout: float = 600) -> None:
    """Return once `url` answers; `RuntimeError` if the process exits first, `TimeoutError` after `timeout`."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[1] if len(proc.args) > 1 else proc.args[0]} exited with "
                               f"{proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s; see {log}")


def start_app(index: Path, work: Path, timeout: float = 600, extra: Sequence[str] = (),
              name: str = "app") -> tuple[subprocess.Popen, str]:
    """`python app.py` on 127.0.0.1 and a free port; returns once the page answers."""
    proc, url = launch_app(index, work, extra, name)
    wait_until_up(proc, url, work / f"{name}.log", timeout)
    return proc, url


def start_chroma(data: Path, work: Path, timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """`chroma run --path DATA --host 127.0.0.1 --port P` (the executable beside this Python's if not
    on PATH); returns once its port accepts connections."""
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    with (work / "chroma.log").open("wb") as log:
        proc = subprocess.Popen([exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}; see {work / 'chroma.log'}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise TimeoutError(f"chroma run did not accept connections within {timeout:.0f} s")


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, RssAnon) of process `pid` in MB, from /proc/PID/status (Linux); NaN where not found."""
    found = {"VmRSS": float("nan"), "RssAnon": float("nan")}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in found:
                found[key] = int(value.split()[0]) / 1024       # kB
    except OSError:
        pass
    return found["VmRSS"], found["RssAnon"]


def stop(proc: subprocess.Popen | None) -> None:
    """Terminate `proc` (SIGTERM, then SIGKILL after 30 s)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)
