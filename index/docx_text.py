"""Word (.docx) -> `Article`: one line per paragraph, in document order.

Lines: body paragraphs (headings included, as their own lines) and the paragraphs of table
cells, in the order they appear; a paragraph's soft line breaks stay inside its line. Title
from the core properties' title, else the first Title/Heading paragraph, else the first text
line; date from the core properties' creation date, else the first date in the opening lines.

Refused with one `BadArticle` line each: not a Word file (damaged zip, no document part),
over the size caps (a zip bomb: the uncompressed parts are summed before anything is parsed),
no text. Left out: legacy .doc, headers/footers, footnotes, comments, text boxes.
"""

from __future__ import annotations

import io
import zipfile

from index.articles import Article
from index.boilerplate import line_kind
from index.dates import parse_date
from index.errors import BadArticle

MAX_UNZIPPED = 200_000_000    # bytes of all parts once uncompressed
MAX_CHARS = 5_000_000


def load_docx(data: bytes, source: str, max_unzipped: int = MAX_UNZIPPED, max_chars: int = MAX_CHARS) -> Article:
    """The article in a .docx file's bytes (see the module docstring)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise BadArticle(source, f"not a Word .docx file ({err}); skipped") from None
    if "word/document.xml" not in names:
        raise BadArticle(source, "not a Word .docx file (no word/document.xml); skipped")
    if size > max_unzipped:
        raise BadArticle(source, f"{size / 1e6:.1f} MB uncompressed: over the {max_unzipped / 1e6:g} MB limit; skipped")
    import docx  # python-docx, imported only when a Word file is read

    try:
        document = docx.Document(io.BytesIO(data))
        lines, headings = _paragraph_lines(document)
        props = document.core_properties
        meta_title, author, created = props.title or "", props.author or "", props.created
    except Exception as err:      # python-docx and lxml raise many kinds on broken parts
        raise BadArticle(source, f"damaged Word file ({' '.join(str(err).split())[:120]}); skipped") from None
    if sum(len(x) for x in lines) > max_chars:
        raise BadArticle(source, f"more than {max_chars} characters of text: over the limit; skipped")
    head = [x.strip() for x in lines if line_kind(x) == "text"]
    if not head:
        raise BadArticle(source, "no article text in the Word file")
    title = meta_title.strip() or (headings[0] if headings else head[0])
    published = created.date().isoformat() if created is not None else ""
    if not published:
        published = next((d for d in (parse_date(x) for x in head[:8]) if d), "")
    authors = tuple(a.strip() for a in author.split(";") if a.strip())
    return Article(source=source, lines=tuple(lines), title=title[:300], published=published, authors=authors)


def _paragraph_lines(document) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """(lines, heading texts) of the body, tables read cell by cell, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    headings: list[str] = []

    def add(paragraph: Paragraph) -> None:
        text = " ".join(paragraph.text.replace("\r", "\n").split("\n")).rstrip()
        text = "".join(ch if ch >= " " or ch == "\t" else " " for ch in text)
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if text.strip() and (style == "Title" or style.startswith("Heading")):
            headings.append(text.strip())
        lines.append(text)

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        add(paragraph)
        else:
            add(block)
    return lines, headings
