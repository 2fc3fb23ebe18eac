"""The command-line flags naming an index and where its model runs, shared by `qa` and `app.py`:
`--index`, `--chroma-url`, `--device`, `--precision`, the optional language model's `--llm-url`,
`--llm-model`, `--llm-timeout`, and the `Config` they describe.

Importing this module loads nothing heavy (`Config` is imported when one is built), so a
command can parse its arguments and set its environment defaults before numpy is imported.
Left out: each command's own flags.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.config import Config


def add_store_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", type=Path, default=None,
                        help="index folder (default: $QA_INDEX, else ./qa_index)")
    parser.add_argument("--chroma-url", default=None, help="use a Chroma server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    parser.add_argument("--precision", default="auto", choices=("auto", "fp32", "bf16"),
                        help="CPU embedding precision (default auto: bf16 where the CPU multiplies it natively)")


def add_llm_flags(parser: argparse.ArgumentParser) -> None:
    """`--llm-url`, `--llm-model`, `--llm-timeout`: optional answers written by a language model
    (`qa.generative`). The API key is read from $QA_LLM_API_KEY only, never from a flag."""
    parser.add_argument("--llm-url", default=None, metavar="URL",
                        help="an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1: a language model writes the "
                             "answer and every sentence is checked against its cited lines (key: $QA_LLM_API_KEY)")
    parser.add_argument("--llm-model", default="", metavar="NAME", help="the model name to ask for (with --llm-url)")
    parser.add_argument("--llm-timeout", type=float, default=60.0, metavar="SECONDS",
                        help="longest wait for the model's whole answer, then the extractive answer (default 60)")


def config_from_flags(args: argparse.Namespace) -> "Config":
    """The `Config` the flags `add_store_flags` (and `add_llm_flags`, where added) describe
    (every other setting at its default)."""
    from qa.config import Config, default_index_dir

    return Config(index_dir=args.index or default_index_dir(), chroma_url=args.chroma_url, device=args.device,
                  precision=args.precision, llm_url=getattr(args, "llm_url", None) or None,
                  llm_model=getattr(args, "llm_model", "") or "", llm_timeout=getattr(args, "llm_timeout", 60.0))
