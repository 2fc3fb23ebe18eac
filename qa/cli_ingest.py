"""`qa ingest` (folders, files, URLs, feeds) and `qa watch`: the command bodies, behind `qa.cli`.

Arguments that look like URLs (`index.url_guard.looks_like_url`) are fetched, the rest are
paths. URLs are checked before anything runs: a refused one (a scheme other than http(s), a
private, loopback or link-local address without `--allow-private`) is one ``qa: error:``
line and exit status 2, and nothing is ingested. Exit status otherwise as `qa.cli` says.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa.config import Config


def _targets(args: argparse.Namespace) -> tuple[list[Path], list[str]]:
    from index.url_guard import looks_like_url

    items = list(args.paths)
    if getattr(args, "urls", None):
        text = Path(args.urls).read_text(encoding="utf-8")
        items += [x.strip() for x in text.splitlines() if x.strip() and not x.lstrip().startswith("#")]
    urls = [x for x in items if looks_like_url(x)]
    paths = [Path(x) for x in items if not looks_like_url(x)]
    return paths, urls


def refused(urls: list[str], allow_private: bool) -> list[str]:
    """One line per URL the safety rules refuse (unresolvable names are left to the run)."""
    from index.url_guard import RefusedURL, check_url
    from index.errors import BadArticle

    lines = []
    for url in urls:
        try:
            check_url(url, allow_private)
        except RefusedURL as err:
            lines.append(str(err))
        except BadArticle:
            pass
    return lines


def run_ingest(args: argparse.Namespace, config: Config) -> int:
    from qa.library import ingest_on_console, ingest_urls_on_console

    paths, urls = _targets(args)
    if not paths and not urls:
        raise ValueError("nothing to ingest (the URL file is empty)")
    problems = refused(urls, args.allow_private)
    for line in problems:
        print(f"qa: error: {line}", file=sys.stderr)
    if problems:
        return 2
    failed = False
    for number, path in enumerate(paths):
        report = ingest_on_console(config, path, prune=args.prune, rebuild=args.rebuild and number == 0,
                                   quiet=args.quiet)
        failed = failed or bool(report.failed)
    if urls:
        if args.rebuild and not paths:
            raise ValueError("--rebuild needs a folder to rebuild from")
        report = ingest_urls_on_console(config, urls, allow_private=args.allow_private, quiet=args.quiet)
        failed = failed or bool(report.failed)
    return 1 if failed else 0


def run_watch(args: argparse.Namespace, config: Config) -> int:
    from qa.web_ingest import parse_interval, watch

    problems = refused(list(args.feeds), args.allow_private)
    for line in problems:
        print(f"qa: error: {line}", file=sys.stderr)
    if problems:
        return 2
    every = parse_interval(args.every) if args.every else None
    failed = False

    def show(result) -> None:  # type: ignore[no-untyped-def]
        nonlocal failed
        from qa.feed_list import now_utc

        for url, items in result.feeds:
            print(f"feed {url}: {items} item{'' if items == 1 else 's'}", file=sys.stderr)
        for err in result.report.failed:
            print(f"error: {err}", file=sys.stderr)
        print(f"{now_utc()} {result.report.summary()}", flush=True)
        failed = bool(result.report.failed)

    watch(config, args.feeds, every=every, allow_private=args.allow_private, on_report=show)
    return 1 if failed else 0
