"""Cold and warm `qa ask` latency on an existing index, with a breakdown of the cold start.

    python -m eval.bench.cold [--index DIR] [--gold FILE.jsonl] [--runs 5]

Cold: ``python -m qa ask QUESTION --index DIR`` in a fresh process, `--runs` times after one
untimed run (so the disk cache is warm, as on a machine in use); wall-clock time of the whole
process, p50 and range. Warm: the same questions asked of one open assistant (`open_assistant`,
as the app holds it) after one untimed question; each question asked once, so neither the
query-vector cache nor the parse cache helps. Breakdown: one more cold run under
``python -X importtime``: the interpreter's own start (``python -c pass``), the imports
grouped by top-level package, and the rest (opening the index, the model and the parser, and
answering). Questions: the first `--runs` + 1 of `--gold` (any JSONL with a ``question`` field,
``question_date`` used as the as-of date when present; default: the samples gold set).
Without `--index`, the bundled samples are ingested into a temporary folder first.

Left out: memory, and anything about answer quality (`eval.gold`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from index.offline import apply_offline_defaults

REPO = Path(__file__).resolve().parents[2]
IMPORT_LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)")


def _questions(gold: Path, n: int) -> list[tuple[str, str | None]]:
    out = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            date = record.get("question_date") or None
            out.append((str(record["question"]), date.replace("/", "-")[:10] if date else None))
    if len(out) < n:
        raise ValueError(f"{gold} holds {len(out)} questions; {n} are needed")
    return out[:n]


def _ask_argv(question: str, as_of: str | None, index: Path) -> list[str]:
    return ["-m", "qa", "ask", question, "--index", str(index), *(["--as-of", as_of] if as_of else [])]


def _timed(argv: Sequence[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=REPO, timeout=600)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {run.returncode}: {run.stderr.strip()[-500:]}")
    return elapsed, run


def import_costs(importtime: str) -> dict[str, float]:
    """Seconds per top-level package from ``-X importtime`` output (outermost imports only).

    >>> import_costs("import time:  5 |  1500 | numpy\\nimport time: 3 | 2000000 | chromadb\\n"
    ...              "import time: 1 | 20 |   chromadb.api\\n")
    {'chromadb': 2.0, 'numpy': 0.0015}
    """
    costs: dict[str, float] = {}
    for line in importtime.splitlines():
        m = IMPORT_LINE.match(line)
        if m and len(m.group(2)) == 1:          # one space: imported by our code, not by another import
            package = m.group(3).split(".")[0]
            costs[package] = costs.get(package, 0.0) + int(m.group(1)) / 1e6
    return dict(sorted(costs.items(), key=lambda kv: -kv[1]))


def cpu() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "unknown CPU"
    model = next((ln.partition(":")[2].strip() for ln in info.splitlines() if ln.startswith("model name")), "unknown")
    flags = next((ln.partition(":")[2].split() for ln in info.splitlines() if ln.startswith("flags")), [])
    return f"{model}, {os.cpu_count()} cores, avx512_bf16 {'yes' if 'avx512_bf16' in flags else 'no'}"


def _spread(seconds: list[float], unit: float, label: str) -> str:
    return (f"p50 {statistics.median(seconds) * unit:.{0 if unit > 1 else 2}f} {label} "
            f"(min {min(seconds) * unit:.{0 if unit > 1 else 2}f}, max {max(seconds) * unit:.{0 if unit > 1 else 2}f}, "
            f"n={len(seconds)})")


def main(argv: list[str] | None = None) -> None:
    apply_offline_defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None, help="an existing index (default: the samples, ingested now)")
    parser.add_argument("--gold", type=Path, default=REPO / "eval" / "gold" / "samples.jsonl")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    questions = _questions(args.gold, args.runs + 1)

    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "idx"
            _timed(["-m", "qa", "ingest", str(REPO / "samples"), "--index", str(index), "--quiet"])
        ask = _ask_argv(*questions[0], index)
        _timed(ask)                                                    # warms the disk cache
        cold = [_timed(ask)[0] for _ in range(args.runs)]
        start = min(_timed(["-c", "pass"])[0] for _ in range(3))
        traced, run = _timed(["-X", "importtime", *ask])
        imports = import_costs(run.stderr)

        from qa.assistant import open_assistant
        from qa.config import Config

        assistant = open_assistant(Config(index_dir=index))
        warm = []
        for n, (question, as_of) in enumerate(questions):        # the first one (untimed) loads the models
            started = time.perf_counter()
            assistant.ask(question, **({"as_of": as_of} if as_of else {}))
            if n:
                warm.append(time.perf_counter() - started)

    print(f"CPU: {cpu()}")
    print(f"index: {'samples (temporary)' if args.index is None else index}, "
          f"{assistant.chunk_count()} chunks; question: {questions[0][0]!r}")
    print(f"cold `qa ask`: {_spread(cold, 1, 's')}")
    print(f"warm ask: {_spread(warm, 1000, 'ms')}")
    print(f"breakdown of one cold run ({traced:.2f} s under -X importtime):")
    print(f"  {'interpreter start':34s} {start:5.2f} s")
    shown = 0.0
    for package, seconds in imports.items():
        if seconds >= 0.05:
            print(f"  {'import ' + package:34s} {seconds:5.2f} s")
            shown += seconds
    rest_imports = sum(imports.values()) - shown
    print(f"  {'other imports':34s} {rest_imports:5.2f} s")
    print(f"  {'open index, model, parser; answer':34s} {traced - start - sum(imports.values()):5.2f} s")


if __name__ == "__main__":
    main()
