"""The manifest record of one article (`ArticleEntry`): what the store keeps per article to decide,
on the next ingest, whether it changed. Leaves out storing it (`index.store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ArticleEntry:
    article_id: str
    source: str
    content_hash: str
    title: str
    published: str
    origin: str      # absolute path of the file it came from
    n_chunks: int
    n_lines: int

    def metadata(self) -> dict[str, Any]:
        return {"source": self.source, "content_hash": self.content_hash, "title": self.title,
                "published": self.published, "published_day": published_day(self.published),
                "origin": self.origin, "n_chunks": self.n_chunks, "n_lines": self.n_lines}

    @classmethod
    def from_record(cls, article_id: str, meta: dict[str, Any]) -> "ArticleEntry":
        return cls(article_id, str(meta["source"]), str(meta["content_hash"]), str(meta.get("title", "")),
                   str(meta.get("published", "")), str(meta.get("origin", "")), int(meta.get("n_chunks", 0)),
                   int(meta.get("n_lines", 0)))


def published_day(published: str) -> int:
    """``"2022-06-12"`` -> ``20220612`` (0 when unknown), for numeric range filters."""
    return int(published.replace("-", "")) if published else 0
