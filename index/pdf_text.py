"""PDF -> `Article`: the text layer page by page, page furniture dropped, pages marked.

Lines: each page's text lines in the order pypdf extracts them (content-stream order,
which is reading order for single-column documents). Every page starts with one
`PAGE_BREAK` line (a lone form feed, as ``pdftotext`` separates pages): line 1 is page 1's
marker, so the page of line N is the number of marker lines in lines 1..N (`page_of`).
Markers are blank lines to the chunker: never a chunk's substance, never cited.

Page furniture: a line at the top or bottom of a page (first/last two text lines) that
repeats, digits aside, on at least half the pages (and at least two) is a running header or
footer and is dropped; so is a bare page number there ("4", "Page 4", "4 of 12", "- 4 -").

Metadata: title from /Title, else the first text line; date from /CreationDate, else the
first date in the opening lines; authors from /Author.

Refused with one `BadArticle` line each: encrypted (unless the empty password opens it),
damaged, no text layer (scanned), more pages or characters than the caps (a PDF bomb).
Left out: OCR, multi-column layout analysis, hyphen joining (lines stay as extracted).
"""

from __future__ import annotations

import io
import re
from collections import Counter

from index.articles import Article
from index.boilerplate import line_kind
from index.dates import parse_date
from index.errors import BadArticle

PAGE_BREAK = "\f"            # the line that starts each page
MAX_PAGES = 2_000
MAX_CHARS = 5_000_000

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—(\[]?\s*\d{1,5}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,5})?$", re.IGNORECASE)
_EDGE = 2                    # lines at each end of a page that may be furniture


def page_of(lines: tuple[str, ...] | list[str], line: int) -> int | None:
    """The page (1-based) that line `line` of a paged article is on; None for unpaged articles.

    >>> page_of(("\\f", "One.", "\\f", "Two.", "More."), 5), page_of(("Plain.",), 1)
    (2, None)
    """
    count = sum(1 for x in lines[:max(line, 0)] if x == PAGE_BREAK)
    return count or None


def load_pdf(data: bytes, source: str, max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS) -> Article:
    """The article in a PDF file's bytes (see the module docstring for lines and refusals)."""
    import logging

    from pypdf import PdfReader  # imported only when a PDF is read
    from pypdf.errors import PdfReadError

    # pypdf logs each repair of a sloppy file; our one line per refused file says what matters
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise BadArticle(source, "encrypted PDF (needs a password); skipped")
        count = len(reader.pages)
    except BadArticle:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as err:
        raise BadArticle(source, f"damaged PDF ({_short(err)}); skipped") from None
    if count == 0:
        raise BadArticle(source, "damaged PDF (no pages); skipped")
    if count > max_pages:
        raise BadArticle(source, f"{count} pages: over the {max_pages}-page limit; skipped")
    pages: list[list[str]] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as err:   # pypdf raises many kinds on broken content streams
            raise BadArticle(source, f"damaged PDF (page {number}: {_short(err)}); skipped") from None
        total += len(text)
        if total > max_chars:
            raise BadArticle(source, f"more than {max_chars} characters of text: over the limit; skipped")
        pages.append([_clean(x) for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")])
    if not any(line_kind(x) == "text" for page in pages for x in page):
        raise BadArticle(source, "scanned: no text to index; OCR is not included")
    lines = _mark_pages(drop_furniture(pages))
    meta = _metadata(reader)
    head = [x.strip() for x in lines if line_kind(x) == "text"]
    title = meta.get("title") or head[0]
    published = parse_date(_pdf_date(meta.get("created", "")))
    if not published:
        published = next((d for d in (parse_date(x) for x in head[:8]) if d), "")
    authors = tuple(a.strip() for a in re.split(r"[;,]| and ", meta.get("author", "")) if a.strip())
    return Article(source=source, lines=lines, title=title.strip()[:300], published=published, authors=authors)


def _opens_without_password(reader) -> bool:  # type: ignore[no-untyped-def]
    try:
        return bool(reader.decrypt(""))
    except Exception:       # an unsupported cipher is as closed as a password
        return False


def _short(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:120]


def _clean(line: str) -> str:
    """A text line without form feeds or other control characters (they would fake page marks)."""
    return "".join(ch if ch >= " " or ch == "\t" else " " for ch in line).rstrip()


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def drop_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Pages without their running headers/footers and bare page numbers.

    >>> pages = [["Harbor Report", "Rain fell.", "Page 1"], ["Harbor Report", "Sun came.", "Page 2"]]
    >>> drop_furniture(pages)
    [['Rain fell.'], ['Sun came.']]
    """
    edges: list[list[int]] = []
    for page in pages:
        text = [i for i, x in enumerate(page) if line_kind(x) != "blank"]
        edges.append(sorted(set(text[:_EDGE] + text[-_EDGE:])))
    counts = Counter(key for page, idx in zip(pages, edges) for key in {_furniture_key(page[i]) for i in idx})
    need = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, n in counts.items() if n >= need}
    out = []
    for page, idx in zip(pages, edges):
        drop = {i for i in idx if _furniture_key(page[i]) in repeated or _PAGE_NUMBER.match(page[i].strip())}
        kept = [x for i, x in enumerate(page) if i not in drop]
        while kept and not kept[-1].strip():
            kept.pop()
        while kept and not kept[0].strip():
            kept.pop(0)
        out.append(kept)
    return out


def _mark_pages(pages: list[list[str]]) -> tuple[str, ...]:
    lines: list[str] = []
    for page in pages:
        lines.append(PAGE_BREAK)
        lines.extend(page)
    return tuple(lines)


def _metadata(reader) -> dict[str, str]:  # type: ignore[no-untyped-def]
    try:
        info = reader.metadata or {}
        fields = {"title": info.get("/Title"), "author": info.get("/Author"), "created": info.get("/CreationDate")}
    except Exception:          # damaged metadata is no reason to lose the text
        return {}
    return {k: " ".join(str(v).split()) for k, v in fields.items() if v is not None and str(v).strip()}


def _pdf_date(value: str) -> str:
    """A PDF date ("D:20250409120000+02'00'") as ISO, for `parse_date`.

    >>> _pdf_date("D:20250409120000Z"), _pdf_date("2025-04-09")
    ('2025-04-09', '2025-04-09')
    """
    m = re.match(r"^D:(\d{4})(\d{2})(\d{2})", value.strip())
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else value
