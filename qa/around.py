"""The article text around a candidate sentence: all of it before the sentence, or just the bit
before it (its line's, else the line above), read through `lines_of(article_id)`.

    >>> from types import SimpleNamespace
    >>> lines = {"a": ("Title line", "", "First. Second one.")}
    >>> c = SimpleNamespace(article_id="a", line=3, start=7)
    >>> earlier_text(c, lines.get), text_before(c, lines.get)
    ('Title line  First. ', 'First. ')
    >>> text_before(SimpleNamespace(article_id="a", line=3, start=0), lines.get)
    'Title line'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def earlier_text(c: Any, lines_of: Callable[[str], tuple[str, ...]]) -> str:
    """All the article's text before the sentence."""
    lines = lines_of(c.article_id)
    return " ".join(lines[:c.line - 1]) + " " + lines[c.line - 1][:c.start]


def text_before(c: Any, lines_of: Callable[[str], tuple[str, ...]]) -> str:
    """The text just before the sentence: its line's, else the nearest line above with text."""
    lines = lines_of(c.article_id)
    before = lines[c.line - 1][:c.start]
    if not before.strip():
        before = next((lines[i] for i in range(c.line - 2, -1, -1) if lines[i].strip()), "")
    return before
