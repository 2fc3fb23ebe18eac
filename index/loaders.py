"""Read a folder (or one file) of articles into `Article` records.

Formats: .txt, .md/.markdown, .html/.htm (main text via trafilatura, which drops
navigation, scripts and footers), .jsonl and .json article records, .pdf (`index.pdf_text`:
text layer, page furniture dropped, pages marked) and .docx (`index.docx_text`).

Lines: for .txt/.md the file's own lines (CRLF tolerated, no other line breaks
recognised, so `sed -n Np` agrees); for HTML and JSON the lines of the extracted text.

Every problem becomes a `BadArticle` naming the file (and line for JSONL) and the
cause; loaders never print. Unsupported extensions and hidden files are skipped by
`find_files`. Not handled: legacy .doc, scanned PDFs (no OCR), non-UTF-8 legacy encodings
(a clear error says so).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.articles import Article
from index.boilerplate import line_kind
from index.dates import parse_date
from index.errors import BadArticle

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".jsonl", ".json")
PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
BINARY_SUFFIXES = PDF_SUFFIXES + DOCX_SUFFIXES      # read as bytes by their own loaders
MAX_BINARY_BYTES = 200_000_000                      # a PDF/DOCX larger than this is not read at all
SUPPORTED_SUFFIXES = (TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES   # in this order in messages (app uploads)
                      + PDF_SUFFIXES + DOCX_SUFFIXES)

_TEXT_FIELDS = ("text", "body", "content", "maintext", "article")
_TITLE_FIELDS = ("title", "headline")
_URL_FIELDS = ("url", "link")
_DATE_FIELDS = ("published", "publish_date", "published_at", "date", "pubDate")
_AUTHOR_FIELDS = ("authors", "author", "byline")


def find_files(root: Path) -> list[Path]:
    """Supported files under `root` (or `root` itself), sorted, hidden ones skipped."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such file or folder")
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
            found.append(path)
    return found


def source_name(path: Path, root: Path) -> str:
    if root.is_file():
        return path.name
    return path.relative_to(root).as_posix()


def load_folder(root: Path) -> Iterator[Article | BadArticle]:
    """Every article under `root`, in path order; failures come as `BadArticle` items."""
    for path in find_files(root):
        yield from load_file(path, source_name(path, root))


def load_file(path: Path, source: str) -> list[Article | BadArticle]:
    """The articles of one file (several for JSON/JSONL); errors are returned, not raised."""
    try:
        suffix = path.suffix.lower()
        if suffix in BINARY_SUFFIXES:
            return [load_binary(_read_bytes(path, source, binary=True), source, suffix)]
        data = _read_bytes(path, source)
        if suffix in HTML_SUFFIXES:
            return [load_html(data, source)]
        text = _decode(data, source)
        if suffix == ".jsonl":
            return load_jsonl(text, source)
        if suffix == ".json":
            return load_json(text, source)
        return [load_text(text, source, markdown=suffix != ".txt")]
    except BadArticle as err:
        return [err]


def load_binary(data: bytes, source: str, suffix: str) -> Article:
    """A PDF or Word file's article (their modules are imported only when one is read)."""
    if suffix in PDF_SUFFIXES:
        from index.pdf_text import load_pdf

        return load_pdf(data, source)
    from index.docx_text import load_docx

    return load_docx(data, source)


def _read_bytes(path: Path, source: str, binary: bool = False) -> bytes:
    try:
        if binary and path.stat().st_size > MAX_BINARY_BYTES:
            raise BadArticle(source, f"{path.stat().st_size / 1e6:.0f} MB: over the {MAX_BINARY_BYTES / 1e6:g} MB limit; skipped")
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadArticle(source, "file vanished before it could be read") from None
    except IsADirectoryError:
        raise BadArticle(source, "is a folder, not a file") from None
    except OSError as err:
        raise BadArticle(source, f"cannot read file ({err.strerror or err})") from None
    if not data.strip():
        raise BadArticle(source, "empty file")
    if binary:
        return data
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadArticle(source, "binary file (contains NUL bytes), not text")
    return data


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        label = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise BadArticle(
            source, f"not {label} text (invalid byte 0x{data[err.start]:02x} at offset {err.start}); "
            "convert the file to UTF-8") from None


def split_lines(text: str) -> tuple[str, ...]:
    """Split on "\\n" only (as `sed` does), dropping one trailing "\\r" per line.

    >>> split_lines("a\\r\\nb\\n\\nc\\n")
    ('a', 'b', '', 'c')
    """
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return tuple(p[:-1] if p.endswith("\r") else p for p in parts)


def _require_text(lines: tuple[str, ...], source: str, line: int | None = None) -> None:
    if not any(line_kind(x) == "text" for x in lines):
        raise BadArticle(source, "no article text (only blank or boilerplate lines)", line)


def load_text(text: str, source: str, markdown: bool = False) -> Article:
    """A .txt/.md article: title = front-matter title, first heading or first text line."""
    lines = split_lines(text)
    meta, body_start = _front_matter(lines) if markdown else ({}, 0)
    _require_text(lines[body_start:], source)
    title = meta.get("title", "")
    head = [x.strip() for x in lines[body_start:] if line_kind(x) == "text"]
    if not title:
        headings = [x.lstrip("#").strip() for x in head[:5] if x.startswith("#")] if markdown else []
        title = headings[0] if headings else head[0]
    published = parse_date(meta.get("published") or meta.get("date") or "")
    if not published:
        for line in head[:8]:
            published = parse_date(line)
            if published:
                break
    authors = tuple(a.strip() for a in (meta.get("author") or meta.get("authors") or "").split(",") if a.strip())
    return Article(source=source, lines=lines, title=title[:300], published=published,
                   authors=authors, body_start=body_start + 1)


def _front_matter(lines: tuple[str, ...]) -> tuple[dict[str, str], int]:
    """``---``-fenced ``key: value`` lines at the top of a Markdown file."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[1:60], start=1):
        if line.strip() in ("---", "..."):
            return meta, i + 1
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return {}, 0


def load_html(data: bytes, source: str, url: str = "") -> Article:
    """An HTML page's main text; `url` (a fetched page's final address) helps find its metadata."""
    import trafilatura  # heavy import, needed only for HTML

    doc = trafilatura.bare_extraction(data, url=url or None, with_metadata=True, include_comments=False,
                                      include_tables=True, favor_recall=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise BadArticle(source, "no article text found in the HTML")
    lines = split_lines(text)
    _require_text(lines, source)
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Article(source=source, lines=lines, title=(doc.title or lines[0]).strip()[:300],
                   published=parse_date(doc.date or ""), authors=authors, url=url or doc.url or "")


def load_jsonl(text: str, source: str) -> list[Article | BadArticle]:
    out: list[Article | BadArticle] = []
    for number, raw in enumerate(split_lines(text), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as err:
            out.append(BadArticle(source, f"malformed JSON ({err.msg} at column {err.colno})", number))
            continue
        out.append(_record_or_error(record, source, number, f"{source}#{number}"))
    if not out:
        out.append(BadArticle(source, "no JSON records in file"))
    return out


def load_json(text: str, source: str) -> list[Article | BadArticle]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return [BadArticle(source, f"malformed JSON ({err.msg})", err.lineno)]
    if isinstance(data, dict):
        nested = next((data[k] for k in ("articles", "records", "data", "items") if isinstance(data.get(k), list)), None)
        records = nested if nested is not None else [data]
    elif isinstance(data, list):
        records = data
    else:
        return [BadArticle(source, "JSON is neither an article object nor a list of them")]
    if not records:
        return [BadArticle(source, "no JSON records in file")]
    return [_record_or_error(r, source, None, f"{source}#{i}") for i, r in enumerate(records, start=1)]


def _record_or_error(record: Any, source: str, line: int | None, fallback: str) -> Article | BadArticle:
    try:
        return record_to_article(record, fallback)
    except BadArticle as err:
        return BadArticle(source, err.cause, line)


def _first(record: dict[str, Any], fields: tuple[str, ...]) -> Any:
    return next((record[f] for f in fields if record.get(f) not in (None, "", [])), None)


def record_to_article(record: Any, fallback_source: str) -> Article:
    """One JSON article record -> `Article` (source = its URL, else `fallback_source`)."""
    if not isinstance(record, dict):
        raise BadArticle(fallback_source, "record is not a JSON object")
    text = _first(record, _TEXT_FIELDS)
    if isinstance(text, list):
        text = "\n".join(str(p) for p in text)
    if not isinstance(text, str) or not text.strip():
        raise BadArticle(fallback_source, f"record has no text (looked for {', '.join(_TEXT_FIELDS)})")
    lines = split_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    _require_text(lines, fallback_source)
    url = str(_first(record, _URL_FIELDS) or "").strip()
    title = str(_first(record, _TITLE_FIELDS) or "").strip()
    if not title:
        title = next(x.strip() for x in lines if line_kind(x) == "text")
    authors_raw = _first(record, _AUTHOR_FIELDS) or []
    authors = tuple(str(a).strip() for a in (authors_raw if isinstance(authors_raw, list) else [authors_raw]) if str(a).strip())
    return Article(source=url or fallback_source, lines=lines, title=title[:300],
                   published=parse_date(str(_first(record, _DATE_FIELDS) or "")),
                   authors=authors, url=url)
