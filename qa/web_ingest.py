"""Ingest web pages and feeds, and keep followed feeds current (`qa ingest URL`, `qa watch`).

`ingest_urls` fetches each URL (`index.web_articles`: a page, or every item of a feed),
writes the articles as JSON records (their URL as the source) into a staging folder inside
the index folder, and ingests that folder with the usual incremental ingest: an article whose
text and metadata did not change is not embedded again, a changed one replaces its chunks.
Feeds met on the way join the index's feed list (`qa.feed_list`) with their check time.
`watch` checks every followed feed now and, given `every`, again after each interval.

Left out: the safety rules (`index.url_guard`, `index.fetch`), printing (`qa.library`).
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from index.articles import Article
from index.embed import Embedder
from index.errors import BadArticle
from index.sync import IngestReport
from qa.config import Config
from qa.feed_list import FeedList, now_utc

Progress = Callable[[int, int], None]


@dataclass
class WebReport:
    report: IngestReport
    feeds: list[tuple[str, int]] = field(default_factory=list)   # (feed URL, items) read in this run
    fetched: int = 0                                       # articles fetched (before the ingest)


def parse_interval(text: str) -> float:
    """Seconds in "90s", "15m", "2h" or a bare number of minutes.

    >>> parse_interval("15m"), parse_interval("90s"), parse_interval("2h"), parse_interval("5")
    (900.0, 90.0, 7200.0, 300.0)
    """
    raw = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600}
    unit = units.get(raw[-1:], None)
    number = raw[:-1] if unit else raw
    try:
        seconds = float(number) * (unit or 60)
    except ValueError:
        raise ValueError(f"{text!r} is not an interval (examples: 90s, 15m, 2h)") from None
    if seconds < 10:
        raise ValueError(f"{text!r}: the interval must be at least 10 s")
    return seconds


def ingest_urls(config: Config, urls: Sequence[str], *, allow_private: bool = False,
                embedder: Embedder | None = None, limits=None,  # type: ignore[no-untyped-def]
                progress: Progress | None = None, on_total: Callable[[int], None] | None = None) -> WebReport:
    """Fetch `urls` (pages or feeds) and ingest what they give; see the module docstring."""
    from index.fetch import FetchLimits, Fetcher
    from index.web_articles import read_url

    articles: list[Article] = []
    failed: list[BadArticle] = []
    feeds: FeedList = FeedList.load(config.index_dir)
    read_feeds: list[tuple[str, int]] = []
    with Fetcher(allow_private=allow_private, limits=limits or FetchLimits()) as fetcher:
        for url in dict.fromkeys(urls):
            read = read_url(fetcher, url)
            when = now_utc()
            if read.feed is not None:
                feeds = feeds.checked(url, when, read.feed.title, len(read.feed.items))
                read_feeds.append((url, len(read.feed.items)))
            elif url in feeds.urls():
                feeds = feeds.checked(url, when, error=str(read.items[0].cause) if read.items else "")
            for item in read.items:
                (failed if isinstance(item, BadArticle) else articles).append(item)  # type: ignore[arg-type]
    report = _ingest_articles(config, _unique(articles), embedder, progress, on_total)
    report.failed[:0] = failed
    if report.changed:
        feeds = feeds.updated(now_utc())
    if read_feeds or report.changed or feeds.feeds:
        feeds.save()
    return WebReport(report, read_feeds, len(articles))


def _unique(articles: list[Article]) -> list[Article]:
    """One article per source (two feed items can lead to the same final URL)."""
    seen: dict[str, Article] = {}
    for article in articles:
        if article.source in seen:
            continue
        seen[article.source] = article
    return list(seen.values())


def _ingest_articles(config: Config, articles: list[Article], embedder: Embedder | None,
                     progress: Progress | None, on_total: Callable[[int], None] | None) -> IngestReport:
    if not articles:
        if on_total:
            on_total(0)
        return IngestReport()
    from qa.ingest import ingest_folder

    staging = config.index_dir / "web" / f".staging-{uuid.uuid4().hex[:12]}"
    staging.mkdir(parents=True, exist_ok=True)
    try:
        with (staging / "pages.jsonl").open("w", encoding="utf-8") as out:
            for a in articles:
                out.write(json.dumps({"url": a.source, "title": a.title, "published": a.published,
                                      "authors": list(a.authors), "text": a.text}, ensure_ascii=False) + "\n")
        return ingest_folder(config, staging, embedder=embedder, progress=progress, on_total=on_total)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def watch(config: Config, urls: Sequence[str] = (), *, every: float | None = None, allow_private: bool = False,
          embedder: Embedder | None = None, on_report: Callable[[WebReport], None] | None = None,
          rounds: int | None = None, sleep: Callable[[float], None] = time.sleep) -> list[WebReport]:
    """Check `urls` plus every followed feed now, then every `every` seconds (once when None).

    `rounds` caps the number of checks (tests); `on_report` gets each round's report. A feed or
    page that cannot be fetched is a failure in that round's report and is tried again in the
    next; an error of the index itself (disk full, server gone) ends the watch.
    """
    if embedder is None:
        from qa.ingest import document_embedder

        embedder = document_embedder(config)
    reports: list[WebReport] = []
    done = 0
    while True:
        targets = list(dict.fromkeys([*urls, *FeedList.load(config.index_dir).urls()]))
        if not targets:
            raise ValueError("no feeds to watch: give a feed URL (it is remembered for later runs)")
        result = ingest_urls(config, targets, allow_private=allow_private, embedder=embedder)
        reports.append(result)
        if on_report:
            on_report(result)
        done += 1
        if every is None or (rounds is not None and done >= rounds):
            return reports
        sleep(every)
