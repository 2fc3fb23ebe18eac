"""The `Article` record every loader produces: a source, metadata and the text as lines.

Line numbers are the contract: `lines[i]` is line ``i + 1`` of the article as ingested
(for .txt/.md the file's own lines, for HTML/JSON the lines of the extracted text).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    source: str                      # path relative to the corpus root, or the record's URL
    lines: tuple[str, ...]           # the text, one entry a line, without line terminators
    title: str = ""
    published: str = ""              # ISO date "YYYY-MM-DD", or "" when unknown
    authors: tuple[str, ...] = field(default_factory=tuple)
    url: str = ""
    body_start: int = 1              # first line of the body (after Markdown front matter)

    @property
    def article_id(self) -> str:
        """Stable id derived from the source alone (so an edited file keeps its id)."""
        return article_id_for(self.source)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def content_hash(self, salt: str = "") -> str:
        """Hash of everything that shapes the chunks and their metadata.

        `salt` carries the chunking settings and model name, so changing them re-embeds.
        """
        h = hashlib.sha256()
        for part in (salt, self.source, self.title, self.published, "\x1f".join(self.authors), self.url, self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()


def article_id_for(source: str) -> str:
    """Stable article id for a source.

    >>> article_id_for("a.txt")
    'a-cfc7b4885384957a'
    """
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]
    return f"a-{digest}"
