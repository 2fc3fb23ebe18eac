"""The index behind the browser chat: answers, article lines and uploads (no Gradio, no HTML).

`Library` wraps one open `qa` assistant for the page: concurrent reads, one ingest at a time,
and a fresh assistant after each ingest (so the keyword index follows). Uploads pass
`safe_upload_name` and `check_upload` before anything is written, and are written only
inside the upload folder. `open_library` ingests the bundled samples on a first start.

Left out: what the page looks like (`app_views`), Gradio wiring (`app.py`).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from index.articles import article_id_for
from qa import Answer, Config, IndexNotFound, Passage, ingest_folder, open_assistant

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".json")
SAMPLES = Path(__file__).resolve().parent / "samples"


def safe_upload_name(name: str) -> str:
    """The name an uploaded file is stored under: its last path part, in [A-Za-z0-9._-].

    >>> safe_upload_name("../../etc/passwd.txt")
    'passwd.txt'
    >>> safe_upload_name("C:\\\\Users\\\\me\\\\Ünïcode report (final).MD")
    'Unicode_report_final.md'
    >>> safe_upload_name(".hidden.json")
    'hidden.json'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = ascii_name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}"
    if not dot or suffix not in ALLOWED_SUFFIXES:
        raise ValueError(f"{name}: not an article file (allowed: {' '.join(ALLOWED_SUFFIXES)})")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:80].strip("._-")
    return f"{stem or 'upload'}{suffix}"


def check_upload(path: Path, max_bytes: int) -> None:
    """Raise `ValueError` naming the problem unless the file at `path` may be ingested."""
    size = path.stat().st_size
    if size == 0:
        raise ValueError("the file is empty")
    if size > max_bytes:
        raise ValueError(f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit")
    with path.open("rb") as f:
        if b"\x00" in f.read(65536):
            raise ValueError("not a text file")


def stage_uploads(files: Sequence[tuple[Path, str]], dest: Path, max_bytes: int) -> tuple[list[Path], list[str]]:
    """Copy each (temporary path, name as uploaded) that passes the checks into `dest`.

    Returns the copies and one `name: cause` line per file refused. Uploads whose names
    clean to the same name get `-2`, `-3`... so none overwrites another.
    """
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    staged: list[Path] = []
    refused: list[str] = []
    for path, original in files:
        try:
            name = safe_upload_name(original)
            check_upload(path, max_bytes)
        except (ValueError, OSError) as err:
            message = str(err)
            refused.append(message if message.startswith(f"{original}:") else f"{original}: {message}")
            continue
        stem, suffix = os.path.splitext(name)
        target, n = root / name, 1
        while target.exists():
            n += 1
            target = root / f"{stem}-{n}{suffix}"
        if target.resolve().parent != root:      # cannot happen with a cleaned name; never write elsewhere
            refused.append(f"{original}: bad file name")
            continue
        shutil.copyfile(path, target)
        staged.append(target)
    return staged, refused


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

    Each read uses the assistant that is current when it starts, and an ingest replaces the
    assistant in one assignment once it is done: a question answered during an upload sees the
    index as it was before, one asked after sees the upload whole, never a mix.
    """

    def __init__(self, config: Config, embedder: Any, upload_dir: Path, max_upload_bytes: int) -> None:
        self.config = config
        self.upload_dir = upload_dir
        self.max_upload_bytes = max_upload_bytes
        self.assistant = open_assistant(config, embedder=embedder)
        self._ingest_lock = threading.Lock()

    def sources(self) -> list[str]:
        return sorted(set(self.assistant.keyword.table.sources))

    def status(self) -> tuple[str, int, int]:
        """(where the index is, articles, chunks)."""
        sources = self.assistant.keyword.table.sources
        return self.config.chroma_url or str(self.config.index_dir), len(set(sources)), len(sources)

    def lines_of(self, source: str) -> tuple[str, ...] | None:
        try:
            return self.assistant.article_lines(article_id_for(source))
        except KeyError:
            return None

    def ask(self, question: str, history: Sequence[str] = (), k: int = 5, **filters: Any) -> Answer:
        return self.assistant.ask(question, history=list(history), k=k, **clean_filters(filters))

    def search(self, query: str, k: int = 5, **filters: Any) -> list[Passage]:
        return self.assistant.search(query, k=k, **clean_filters(filters))

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

                embedder = self.assistant.retriever.embedder
                report = ingest_folder(self.config, batch, embedder=embedder, progress=step, on_total=count)
                kept = []
                for path in staged:
                    if str(path.resolve()) in report.indexed_files:     # something in it was indexed
                        os.replace(path, self.upload_dir / path.name)
                        kept.append(path.name)
                self.assistant = open_assistant(self.config, embedder=embedder)
                return report.summary(), kept, problems + [str(e) for e in report.failed]
            finally:
                shutil.rmtree(batch, ignore_errors=True)


def open_library(config: Config, embedder: Any, upload_dir: Path, max_upload_bytes: int,
                 samples: Path = SAMPLES) -> Library:
    """Open the index named by `config`; on a first start (no index) ingest `samples` into it first."""
    try:
        return Library(config, embedder, upload_dir, max_upload_bytes)
    except IndexNotFound:
        if not samples.is_dir():
            raise IndexNotFound(f"no index at {config.chroma_url or config.index_dir}, "
                                f"and no samples folder at {samples} to start one") from None
    from tqdm import tqdm

    print(f"No index yet: ingesting the bundled samples from {samples} ...", file=sys.stderr)
    bars: list[Any] = []
    report = ingest_folder(config, samples, embedder=embedder,
                           on_total=lambda n: bars.append(tqdm(total=n, unit="article", file=sys.stderr)),
                           progress=lambda articles, _chunks: bars[0].update(articles))
    for bar in bars:
        bar.close()
    for err in report.failed:
        print(f"error: {err}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return Library(config, embedder, upload_dir, max_upload_bytes)
