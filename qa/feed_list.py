"""The feeds an index follows, with each one's last check, and when the index last changed.

Kept in ``feeds.json`` in the index folder (written whole to a temporary file, then renamed,
so a crash leaves the old list or the new one)::

    {"feeds": [{"url": ..., "title": ..., "added": ..., "last_checked": ..., "items": 12,
                "last_error": ""}],
     "index_updated": "2025-04-09T10:15:00+00:00"}

Times are UTC ISO strings. `FeedList` is a value: `load`, change with `checked` / `updated`,
`save`. Left out: fetching and ingesting (`qa.web_ingest`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

FILE_NAME = "feeds.json"


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class FeedState:
    url: str
    title: str = ""
    added: str = ""
    last_checked: str = ""
    items: int = 0
    last_error: str = ""


@dataclass(frozen=True)
class FeedList:
    feeds: tuple[FeedState, ...] = ()
    index_updated: str = ""
    path: Path | None = field(default=None, compare=False)

    @classmethod
    def load(cls, index_dir: Path) -> "FeedList":
        """The list saved in `index_dir` (an empty one when there is none or it cannot be read)."""
        path = Path(index_dir) / FILE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            feeds = tuple(FeedState(**{k: v for k, v in f.items() if k in FeedState.__dataclass_fields__})
                          for f in data.get("feeds", []) if isinstance(f, dict) and f.get("url"))
            return cls(feeds, str(data.get("index_updated", "")), path)
        except (OSError, ValueError, TypeError, AttributeError):
            return cls((), "", path)

    def save(self) -> None:
        if self.path is None:
            raise ValueError("this feed list has no file to be saved to")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        data = {"feeds": [f.__dict__ for f in self.feeds], "index_updated": self.index_updated}
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def urls(self) -> list[str]:
        return [f.url for f in self.feeds]

    def checked(self, url: str, when: str, title: str = "", items: int = 0, error: str = "") -> "FeedList":
        """The list with `url` (added if new) marked as checked at `when`.

        >>> FeedList().checked("http://a/feed", "T1", "A", 3).checked("http://a/feed", "T2", error="timed out").feeds
        (FeedState(url='http://a/feed', title='A', added='T1', last_checked='T2', items=3, last_error='timed out'),)
        """
        old = next((f for f in self.feeds if f.url == url), None)
        if old is None:
            state = FeedState(url, title, when, when, items, error)
            return replace(self, feeds=self.feeds + (state,))
        state = replace(old, title=title or old.title, last_checked=when, last_error=error,
                        items=items if not error else old.items)
        return replace(self, feeds=tuple(state if f.url == url else f for f in self.feeds))

    def updated(self, when: str) -> "FeedList":
        return replace(self, index_updated=when)
