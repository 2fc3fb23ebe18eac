"""The `qa` command. An edge like `app.py`: turns errors into one-line messages.

Exit status: 0 all fine, 1 some inputs failed (the rest was ingested), 2 usage or
fatal errors (no index, unreachable server, model mismatch).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index.offline import apply_offline_defaults


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", type=Path, default=None,
                   help="index folder (default: $QA_INDEX, else ./qa_index)")
    p.add_argument("--chroma-url", default=None, help="use a Chroma server, e.g. http://127.0.0.1:8000")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Question answering over a folder of articles, with line citations.")
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="index a folder of articles (.txt .md .html .json .jsonl)")
    ing.add_argument("path", type=Path, help="folder (searched recursively) or a single file")
    _store_args(ing)
    ing.add_argument("--prune", action="store_true", help="remove articles whose files under PATH are gone")
    ing.add_argument("--rebuild", action="store_true", help="drop the index and build it again from PATH")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _config(args: argparse.Namespace):
    from qa.config import Config, default_index_dir

    return Config(index_dir=args.index or default_index_dir(), chroma_url=args.chroma_url, device=args.device)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from qa.ingest import ingest_folder

    bars: list[tqdm] = []           # made once the file list is known, so errors before it print alone
    chunks = 0

    def on_total(n: int) -> None:
        bars.append(tqdm(total=n, unit="file", disable=args.quiet, file=sys.stderr, dynamic_ncols=True))

    def progress(files: int, embedded: int) -> None:
        nonlocal chunks
        chunks += embedded
        bar = bars[0]
        elapsed = bar.format_dict["elapsed"]
        bar.set_postfix_str(f"{chunks} chunks, {chunks / elapsed if elapsed else 0.0:.0f} chunks/s", refresh=False)
        bar.update(files)

    try:
        report = ingest_folder(_config(args), args.path, prune=args.prune, rebuild=args.rebuild,
                               progress=progress, on_total=on_total)
    finally:
        for bar in bars:
            bar.close()
    for err in report.failed:
        print(f"error: {err}", file=sys.stderr)
    print(report.summary())
    return 1 if report.failed else 0


def main(argv: list[str] | None = None) -> int:
    apply_offline_defaults()
    args = build_parser().parse_args(argv)
    from qa.errors import QAError

    try:
        return {"ingest": cmd_ingest}[args.command](args)
    except (QAError, FileNotFoundError, ValueError) as err:
        print(f"qa: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
