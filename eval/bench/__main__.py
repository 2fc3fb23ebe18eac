"""Every performance figure of the README in one run, each part in a fresh process.

    python -m eval.bench [--articles 300] [--sizes 10000,100000] [--cache .eval_cache] [--skip ingest,scale,ann]

1. ingest throughput: ours, raw `encode` on the same chunks, the LlamaIndex stock pipeline on
   the same articles, and re-ingest of the unchanged corpus (`eval.bench.ingest`);
2. warm `ask`/`search` p50/p95 and resident memory at each index size (`eval.bench.scale`,
   which says how sizes beyond the real 39.6k chunks are made);
3. ANN recall@10 of Chroma HNSW settings against exact search on real embeddings (`eval.bench.ann`).

The RealTime QA dev index must exist or is built first (`qa eval realtimeqa` builds it too).
Run it on a quiet machine: other processes on the two cores skew every figure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def _run(module: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{module} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--cache", type=Path, default=Path(".eval_cache"))
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: ingest, scale, ann")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))

    if "ingest" not in skip:
        print("== ingest ==", flush=True)
        print(_run("eval.bench.ingest", "--articles", str(args.articles)), flush=True)
    if "scale" not in skip:
        print("== ask / search at scale (warm process, 131 questions, with / without their dates) ==", flush=True)
        print(f"{'chunks':>9} {'dense':>12} {'ask p50/p95 dated':>18} {'undated':>12} {'search dated':>13} "
              f"{'undated':>12} {'anon MiB':>9} {'file MiB':>9} {'open s':>7}")
        for size in (int(s) for s in args.sizes.split(",")):
            _run("eval.bench.scale", "build", "--size", str(size), "--cache", str(args.cache))
            r = json.loads(_run("eval.bench.scale", "time", "--size", str(size), "--cache", str(args.cache)).splitlines()[-1])
            cells = [f"{r[k]['p50_ms']}/{r[k]['p95_ms']}" for k in ("ask_dated", "ask_undated", "search_dated",
                                                                    "search_undated")]
            print(f"{r['chunks']:>9} {r['dense']:>12} {cells[0]:>18} {cells[1]:>12} {cells[2]:>13} {cells[3]:>12} "
                  f"{r['memory']['anon_mib']:>9} {r['memory']['file_mib']:>9} {r['open_s']:>7}", flush=True)
    if "ann" not in skip:
        print("\n== ANN recall@10, Chroma HNSW vs exact, real embeddings ==", flush=True)
        print(_run("eval.bench.ann", "--cache", str(args.cache)), flush=True)


if __name__ == "__main__":
    main()
