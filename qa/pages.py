"""Pages of a cited span: "p. 4" beside a PDF citation, derived from the stored article lines.

A PDF article's lines carry a page-break line at the start of each page (`index.pdf_text`),
so the page of line N is the number of those lines up to N; `file:line-line` stays exact and
nothing else in the index needs to know about pages. An article without page breaks has no
pages (every other format).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from index.pdf_text import PAGE_BREAK, page_of

__all__ = ["PAGE_BREAK", "page_span", "page_label", "add_pages", "lines_getter", "source_lines"]


def page_span(lines: Sequence[str], start: int, end: int) -> tuple[int, int] | None:
    """(first page, last page) of lines `start`-`end`, or None for an unpaged article.

    >>> page_span(("\\f", "a", "\\f", "b", "c"), 2, 4), page_span(("a", "b"), 1, 2)
    ((1, 2), None)
    """
    first = page_of(tuple(lines), start)
    return None if first is None else (first, page_of(tuple(lines), end) or first)


def page_label(lines: Sequence[str] | None, start: int, end: int) -> str:
    """ "p. 4", "pp. 4-5", or "" (no lines, or an unpaged article).

    >>> page_label(("\\f", "a", "\\f", "b"), 4, 4), page_label(("\\f", "a", "\\f", "b"), 2, 4), page_label(None, 1, 1)
    ('p. 2', 'pp. 1-2', '')
    """
    span = page_span(lines, start, end) if lines else None
    if span is None:
        return ""
    first, last = span
    return f"p. {first}" if first == last else f"pp. {first}-{last}"


def add_pages(records: list[dict], lines_of) -> list[dict]:  # type: ignore[no-untyped-def]
    """JSON citation/passage records with "page" (and "end_page" when the span crosses one) added
    for paged articles; `lines_of(source)` gives an article's stored lines or None."""
    for record in records:
        span = page_span(lines_of(record["source"]) or (), record["start_line"], record["end_line"])
        if span is not None:
            record["page"] = span[0]
            if span[1] != span[0]:
                record["end_page"] = span[1]
    return records


def source_lines(assistant, source: str) -> tuple[str, ...] | None:  # type: ignore[no-untyped-def]
    """An open assistant's stored lines of the article at `source`; None when it is gone."""
    from index.articles import article_id_for

    try:
        return assistant.article_lines(article_id_for(source))
    except KeyError:
        return None


def lines_getter(assistant):  # type: ignore[no-untyped-def]
    """`lines_of(source)` for an open assistant (`source_lines` bound to it)."""
    return functools.partial(source_lines, assistant)
