"""The service the app and the `qa` command share beyond asking: an open index for a page
(sources, article lines, answers), uploads ingested into it, and ingests shown on a console.

`Library` wraps one open assistant: concurrent reads, one ingest at a time, and a fresh
assistant after each ingest (so the read model follows), or once another process (a second app
on the same Chroma server, `qa ingest` from the command line) has written to the store: checked
before a read at most every `Config.refresh_s` seconds (`qa.refresh`). Uploads pass
`qa.uploads`' checks before anything is written, and are written only inside the upload folder. `open_library`
ingests a samples folder on a first start. `ingest_on_console` runs an ingest with a progress
bar on stderr and prints its report (the CLI's `qa ingest` and the app's first start).

Left out: what the page looks like and Gradio (`app.py`, `app_views.py`); argument parsing.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from index.embed import Embedder
from index.sync import IngestReport
from qa.assistant import Assistant
from qa.config import Config
from qa.errors import IndexNotFound
from qa.ingest import document_embedder, ingest_folder
from qa.pages import source_lines
from qa.refresh import FreshAssistant
from qa.types import Answer, Passage
from qa.uploads import stage_uploads


def clean_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Drop empty filter values (the page sends "" and [] for "no filter").

    >>> clean_filters({"as_of": " 2025-01-02 ", "sources": ["", "local/*"], "published_from": ""})
    {'as_of': '2025-01-02', 'sources': ['local/*']}
    """
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in filters.items()}
    if out.get("sources"):
        out["sources"] = [s.strip() for s in out["sources"] if s and s.strip()]
    return {k: v for k, v in out.items() if v}


class Library:
    """The open index behind the page. Reads are concurrent; ingests run one at a time.

    Each read uses the assistant that is current when it starts, and an ingest (here or in
    another process) replaces the assistant in one assignment once it is done: a question answered
    during an upload sees the index as it was before, one asked after sees the upload whole,
    never a mix. Another process's write is seen by the first read `config.refresh_s` seconds or
    more after the last check.
    """

    def __init__(self, config: Config, embedder: Embedder, upload_dir: Path, max_upload_bytes: int) -> None:
        self.config = config
        self.upload_dir = upload_dir
        self.max_upload_bytes = max_upload_bytes
        self._embedder = embedder
        self._fresh = FreshAssistant(config, embedder, config.refresh_s)
        self._ingest_lock = threading.Lock()

    @property
    def _assistant(self) -> Assistant:
        """The assistant for one read: a fresh one when the store changed (see `qa.refresh`)."""
        return self._fresh.current()

    @property
    def reopens(self) -> int:
        """Assistants opened since the first (after an ingest here or a write elsewhere)."""
        return self._fresh.reopens

    def load_model(self) -> None:
        """Load the embedding model now rather than on the first question."""
        load = getattr(self._embedder, "load", None)
        if load is not None:
            load()

    def sources(self) -> list[str]:
        return self._assistant.sources()

    def status(self) -> tuple[str, int, int]:
        """(where the index is, articles, chunks)."""
        assistant = self._assistant
        return self.config.chroma_url or str(self.config.index_dir), len(assistant.sources()), assistant.chunk_count()

    def lines_of(self, source: str) -> tuple[str, ...] | None:
        return source_lines(self._assistant, source)

    def ask(self, question: str, history: Sequence[str] = (), k: int = 5, **filters: Any) -> Answer:
        return self._assistant.ask(question, history=list(history), k=k, **clean_filters(filters))

    def search(self, query: str, k: int = 5, **filters: Any) -> list[Passage]:
        return self._assistant.search(query, k=k, **clean_filters(filters))

    def ingest_uploads(self, files: Sequence[tuple[Path, str]],
                       progress: Callable[[int, int], None] | None = None) -> tuple[str, list[str], list[str]]:
        """Check, store and ingest uploaded files: (summary, names stored, one line per problem).

        `progress(articles done, articles in the upload)` follows the ingest (a JSON/JSONL file
        counts its records).

        A file that cannot be read as a whole is not kept; the index keeps everything else.
        """
        with self._ingest_lock:
            batch = self.upload_dir / f".batch-{uuid.uuid4().hex[:12]}"   # hidden: folder scans skip it
            try:
                staged, problems = stage_uploads(files, batch, self.max_upload_bytes)
                if not staged:
                    return "Nothing was added.", [], problems
                done = total = 0

                def count(articles: int) -> None:
                    nonlocal total
                    total = articles
                    if progress:
                        progress(0, total)

                def step(articles: int, _chunks: int) -> None:
                    nonlocal done
                    done += articles
                    if progress:
                        progress(done, total)

                report = ingest_folder(self.config, batch, embedder=self._embedder, progress=step, on_total=count)
                kept = []
                for path in staged:
                    if str(path.resolve()) in report.indexed_files:     # something in it was indexed
                        os.replace(path, self.upload_dir / path.name)
                        kept.append(path.name)
                self._fresh.reopen()
                if report.changed:
                    note_index_updated(self.config)
                return report.summary(), kept, problems + [str(e) for e in report.failed]
            finally:
                shutil.rmtree(batch, ignore_errors=True)

    def feeds(self) -> list[tuple[str, str, str]]:
        """The followed feeds: (url, title, last checked), in the order they were added."""
        from qa.feed_list import FeedList

        return [(f.url, f.title, f.last_checked) for f in FeedList.load(self.config.index_dir).feeds]

    def last_updated(self) -> str:
        """When an ingest last changed the index (UTC ISO time), "" when not recorded."""
        from qa.feed_list import FeedList

        return FeedList.load(self.config.index_dir).index_updated

    def add_feeds(self, urls: Sequence[str], allow_private: bool = False) -> tuple[str, list[str]]:
        """Fetch and ingest feeds or pages (a feed is followed from then on): (summary, one line per problem).

        The same checks as `qa ingest URL`: http(s) only, public addresses unless `allow_private`.
        """
        from qa.web_ingest import ingest_urls

        with self._ingest_lock:
            result = ingest_urls(self.config, urls, allow_private=allow_private, embedder=self._embedder)
            if result.report.changed:
                self._fresh.reopen()
            return result.report.summary(), [str(e) for e in result.report.failed]

    def check_feeds(self, allow_private: bool = False) -> tuple[str, list[str]]:
        """Check every followed feed now (what `qa watch` does once)."""
        urls = [url for url, _title, _checked in self.feeds()]
        if not urls:
            return "No feeds followed yet.", []
        return self.add_feeds(urls, allow_private=allow_private)


def open_library(config: Config, embedder: Embedder | None, upload_dir: Path, max_upload_bytes: int,
                 samples: Path) -> Library:
    """Open the index named by `config`; on a first start (no index) ingest `samples` into it first.

    `embedder` None: the document embedder `config` names (it serves questions and uploads).
    """
    embedder = embedder or document_embedder(config)
    try:
        return Library(config, embedder, upload_dir, max_upload_bytes)
    except IndexNotFound:
        if not samples.is_dir():
            raise IndexNotFound(f"no index at {config.chroma_url or config.index_dir}, "
                                f"and no samples folder at {samples} to start one") from None
    print(f"No index yet: ingesting the bundled samples from {samples} ...", file=sys.stderr)
    ingest_on_console(config, samples, embedder=embedder, summary_to=sys.stderr)
    return Library(config, embedder, upload_dir, max_upload_bytes)


class _ConsoleProgress:
    """A progress bar on stderr (articles, chunks embedded and chunks/s), made once the articles are counted."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bars: list[Any] = []      # made once the articles are counted, so errors before it print alone
        self.chunks = 0

    def on_total(self, n: int) -> None:   # articles (a JSONL file counts its records), known before any embedding
        from tqdm import tqdm

        self.bars.append(tqdm(total=n, unit="article", disable=self.quiet, file=sys.stderr, dynamic_ncols=True))

    def progress(self, articles: int, embedded: int) -> None:
        self.chunks += embedded
        bar = self.bars[-1]
        elapsed = bar.format_dict["elapsed"]
        bar.set_postfix_str(f"{self.chunks} chunks embedded, {self.chunks / elapsed if elapsed else 0.0:.0f} chunks/s",
                            refresh=False)
        printed = bar.update(articles)
        if embedded and not printed:         # held back by tqdm's miniters/mininterval: show the batch anyway
            bar.refresh()

    def close(self) -> None:
        for bar in self.bars:
            bar.close()


def ingest_on_console(config: Config, root: Path, *, prune: bool = False, rebuild: bool = False,
                      embedder: Embedder | None = None, quiet: bool = False,
                      summary_to: TextIO | None = None) -> IngestReport:
    """`ingest_folder` with a progress bar on stderr (articles, chunks embedded and chunks/s);
    then one ``error: ...`` line per failed input on stderr and the summary on `summary_to`
    (default stdout)."""
    bar = _ConsoleProgress(quiet)
    try:
        report = ingest_folder(config, root, prune=prune, rebuild=rebuild, embedder=embedder,
                               progress=bar.progress, on_total=bar.on_total)
    finally:
        bar.close()
    _print_report(report, summary_to)
    if report.changed:
        note_index_updated(config)
    return report


def ingest_urls_on_console(config: Config, urls: Sequence[str], *, allow_private: bool = False,
                           embedder: Embedder | None = None, quiet: bool = False,
                           summary_to: TextIO | None = None) -> IngestReport:
    """`qa.web_ingest.ingest_urls` shown like `ingest_on_console`, plus one line per feed read."""
    from qa.web_ingest import ingest_urls

    bar = _ConsoleProgress(quiet)
    try:
        result = ingest_urls(config, urls, allow_private=allow_private, embedder=embedder,
                             progress=bar.progress, on_total=bar.on_total)
    finally:
        bar.close()
    for url, items in result.feeds:
        print(f"feed {url}: {items} item{'' if items == 1 else 's'}", file=sys.stderr)
    _print_report(result.report, summary_to)
    return result.report


def _print_report(report: IngestReport, summary_to: TextIO | None) -> None:
    for err in report.failed:
        print(f"error: {err}", file=sys.stderr)
    print(report.summary(), file=summary_to or sys.stdout)


def note_index_updated(config: Config) -> None:
    """Record that the index changed now (shown by the app as "updated ..."); never fails an ingest."""
    from qa.feed_list import FeedList, now_utc

    try:
        FeedList.load(config.index_dir).updated(now_utc()).save()
    except OSError:
        pass            # a read-only index folder: the record is a nicety, the ingest is done
