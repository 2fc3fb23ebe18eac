"""The `qa` command. An edge like `app.py`: turns errors into one-line messages.

Exit status: 0 all fine, 1 some inputs failed (the rest was ingested), 2 usage or
fatal errors (no index, unreachable server, model mismatch, a full disk or read-only index
folder). Warnings the library logs (a damaged read model rebuilt, a read-only index read
from a copy) are printed as ``qa: warning: ...`` lines on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from qa.flags import add_llm_flags, add_store_flags, config_from_flags
from qa.offline import apply_offline_defaults


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Question answering over a folder of articles, with line citations.")
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="index articles: folders, files (.txt .md .html .json .jsonl .pdf .docx), "
                         "web pages and RSS/Atom feeds")
    ing.add_argument("paths", nargs="*", metavar="PATH_OR_URL",
                     help="folder (searched recursively), single file, http(s) URL of a page or a feed")
    add_store_flags(ing)
    ing.add_argument("--urls", type=Path, default=None, help="a file of URLs, one a line (# comments)")
    ing.add_argument("--allow-private", action="store_true",
                     help="fetch from private, loopback and link-local addresses too (your own network)")
    ing.add_argument("--prune", action="store_true", help="remove articles whose files under PATH are gone")
    ing.add_argument("--rebuild", action="store_true", help="drop the index and build it again from PATH")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    for name, helptext in (("ask", "answer a question with cited lines"), ("search", "show the best passages")):
        cmd = sub.add_parser(name, help=helptext)
        cmd.add_argument("text", metavar="QUESTION" if name == "ask" else "QUERY")
        add_store_flags(cmd)
        cmd.add_argument("--k", type=int, default=5, help="passages to retrieve (default 5)")
        cmd.add_argument("--json", action="store_true", help="print JSON")
        cmd.add_argument("--as-of", default=None, help="the question's 'today' (YYYY-MM-DD): prefer news up to it")
        cmd.add_argument("--source", action="append", default=None, help="only sources matching this glob (repeatable)")
        cmd.add_argument("--from", dest="published_from", default=None, help="published on or after (YYYY-MM-DD)")
        cmd.add_argument("--to", dest="published_to", default=None, help="published on or before (YYYY-MM-DD)")
        if name == "ask":
            add_llm_flags(cmd)
    wat = sub.add_parser("watch", help="keep followed feeds current: check them now (and --every interval)")
    wat.add_argument("feeds", nargs="*", metavar="FEED_URL", help="feeds to follow from now on (added to the list)")
    add_store_flags(wat)
    wat.add_argument("--every", default=None, help="check again after each interval, e.g. 15m, 1h (default: once)")
    wat.add_argument("--allow-private", action="store_true", help="as for qa ingest")
    ev = sub.add_parser("eval", help="score a gold set (seed, samples, realtimeqa, or a gold JSONL file)")
    ev.add_argument("gold", help="seed | samples | near-topic | multipart | outlets | realtimeqa | all (every named set, plus "
                         "summary.json and table.md) | "
                         "path to a gold JSONL file (scored against --index)")
    add_store_flags(ev)
    add_llm_flags(ev)
    ev.add_argument("--out", type=Path, default=Path("eval_results"), help="folder for the JSON and Markdown report")
    ev.add_argument("--cache", type=Path, default=Path(".eval_cache"), help="where named sets keep their indexes")
    ev.add_argument("--json", action="store_true", help="print the summary as JSON")
    ev.add_argument("--no-stock", action="store_true", help="skip the LlamaIndex stock pipeline row (named sets); "
                    "with `all`, its rows are kept from the summary.json already in --out")
    return parser


def _config(args: argparse.Namespace):
    return config_from_flags(args)


def cmd_ingest(args: argparse.Namespace) -> int:
    from qa.cli_ingest import run_ingest

    return run_ingest(args, _config(args))


def cmd_watch(args: argparse.Namespace) -> int:
    from qa.cli_ingest import run_watch

    return run_watch(args, _config(args))


def _filters(args: argparse.Namespace) -> dict:
    return {k: v for k, v in {"as_of": args.as_of, "sources": args.source, "published_from": args.published_from,
                              "published_to": args.published_to}.items() if v}


@contextlib.contextmanager
def _without_torch(args: argparse.Namespace) -> Iterator[None]:
    """Hide torch while a question is answered, unless a GPU or bf16 was asked for.

    A question's vector needs no torch (`index.query_encoder`), but spaCy's `thinc` imports torch
    whenever it is installed (about 2 s on 2 cores) and never uses it for the small English
    pipeline. A ``None`` entry in `sys.modules` makes ``import torch`` raise `ImportError`, which
    thinc takes as "not installed". Removed afterwards, so a later `qa ingest` in the same
    process (tests drive `main` repeatedly) still loads torch; left alone if torch is already in.
    """
    from index.query_encoder import uses_query_encoder

    hide = "torch" not in sys.modules and uses_query_encoder(args.device, args.precision)
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if hide and "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def cmd_ask(args: argparse.Namespace) -> int:
    from qa.assistant import open_assistant

    from qa.pages import add_pages, lines_getter, page_label

    with _without_torch(args):
        assistant = open_assistant(_config(args))
        answer = _with_model(assistant, args).ask(args.text, k=args.k, **_filters(args))
    for note in answer.notes:                  # why a model's answer was not used, what was removed
        print(f"qa: warning: {note}", file=sys.stderr)
    lines_of = lines_getter(assistant)
    if args.json:
        data = answer.to_json()
        add_pages(data["citations"], lines_of)
        add_pages(data["passages"], lines_of)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            page = page_label(lines_of(c.source), c.start_line, c.end_line)
            print(f"  [{c.marker}] {c.citation}" + (f" ({page})" if page else ""))
            print(f"      \"{c.quote}\"")
    return 0


def _with_model(assistant, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The assistant, or with --llm-url one whose answers the model writes and we check (`qa.generative`)."""
    if not args.llm_url:
        return assistant
    from qa.generative.compose import ModelAssistant, settings_from

    return ModelAssistant(assistant, settings_from(_config(args)))


def cmd_search(args: argparse.Namespace) -> int:
    from qa.assistant import open_assistant

    from qa.pages import add_pages, lines_getter, page_label

    with _without_torch(args):
        assistant = open_assistant(_config(args))
        passages = assistant.search(args.text, k=args.k, **_filters(args))
    lines_of = lines_getter(assistant)
    if args.json:
        print(json.dumps(add_pages([p.to_json() for p in passages], lines_of), ensure_ascii=False, indent=2))
        return 0
    for rank, p in enumerate(passages, start=1):
        date = f" ({p.published})" if p.published else ""
        page = page_label(lines_of(p.source), p.start_line, p.end_line)
        print(f"{rank}. {p.citation}{f' ({page})' if page else ''}  score {p.score:.4f}  {p.title}{date}")
        for line in p.text.splitlines():
            if line.strip():
                print(f"     {line}")
    if not passages:
        print("no passages found")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.gold import datasets, report
    from eval.gold import load_gold

    named = datasets.named_sets()
    if args.gold == "all":
        summaries = {}
        earlier = report.read_results(args.out)
        for setname in named:
            result = _eval_one(args, *named[setname](args.cache), stock_of=setname)
            summaries[result["name"]] = result["summary"]
            if args.no_stock:       # the stock pipeline is not ours: its rows carry over from the last full run
                summaries[result["name"]].update(report.stock_rows(earlier.get(result["name"], {})))
        json_path, md_path = report.write_results(summaries, args.out)
        if args.json:
            print(json.dumps(summaries, indent=2))
        else:
            print(report.results_table(summaries))
            print(f"wrote {json_path} and {md_path}")
        return 0
    if args.gold in named:
        result = _eval_one(args, *named[args.gold](args.cache), stock_of=args.gold)
    else:
        path = Path(args.gold)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such gold file (or use {', '.join(named)}, all)")
        result = _eval_one(args, path.stem, _config(args), load_gold(path), stock_of=None)
    if args.json:
        print(json.dumps(result["summary"], indent=2))
    else:
        print(report.markdown(result))
    return 0


def _eval_one(args: argparse.Namespace, name: str, config, questions, stock_of: str | None) -> dict:
    """Run one gold set (with its ablations) and write NAME.json/.md/.png under --out."""
    from tqdm import tqdm

    from eval.gold import datasets, report

    if args.llm_url:        # the generative path, one retrieval mode (qa.generative; eval.gold.report)
        from dataclasses import replace

        config = replace(config, llm_url=args.llm_url, llm_model=args.llm_model, llm_timeout=args.llm_timeout)
    stock = None if (stock_of is None or args.no_stock or args.llm_url) else datasets.stock_retriever(
        stock_of, args.cache, args.device)
    dated = any(q.question_date for q in questions)
    total = len(questions) * ((1 if args.llm_url else 3) * (2 if dated else 1) + (1 if stock else 0))
    with tqdm(total=total, unit="q", file=sys.stderr, disable=args.json, desc=name) as bar:
        result = report.evaluate(name, config, questions, progress=bar, stock=stock)
    paths = report.write(result, args.out)
    if not args.json:
        print(f"wrote {', '.join(str(p) for p in paths)}", file=sys.stderr)
    return result


class _WarningLines(logging.Handler):
    """Our library's warnings as ``qa: warning: ...`` lines on the stderr of the moment."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"qa: warning: {record.getMessage()}", file=sys.stderr)


def _show_warnings() -> None:
    for name in ("index", "qa"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _WarningLines) for h in logger.handlers):
            logger.addHandler(_WarningLines(logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    apply_offline_defaults()
    args = build_parser().parse_args(argv)
    _show_warnings()
    from qa.errors import QAError

    try:
        commands = {"ingest": cmd_ingest, "ask": cmd_ask, "search": cmd_search, "eval": cmd_eval, "watch": cmd_watch}
        return commands[args.command](args)
    except (QAError, OSError, ValueError) as err:
        print(f"qa: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
