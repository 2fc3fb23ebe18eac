"""RSS and Atom feeds: recognise one and list its items (feedparser).

`parse_feed(data, url)` gives the feed's title and its items: each item's link (made
absolute), title, publication date, and its own content (the longest of content/summary,
as HTML) for when the linked page cannot be fetched. `looks_like_feed` tells a feed from
a page by its first element, whatever the server said its content type was.

Left out: fetching (`index.fetch`), turning items into articles (`index.web_articles`),
JSON Feed, podcasts' enclosures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from index.dates import parse_date
from index.errors import BadArticle

_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?[^>]*>\s*)*<(rss|feed|rdf:RDF)\b",
                   re.IGNORECASE | re.DOTALL)
MAX_ITEMS = 500


@dataclass(frozen=True)
class FeedItem:
    link: str
    title: str
    published: str          # YYYY-MM-DD or ""
    content_html: str       # the item's own text (HTML), used when its page cannot be fetched


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    items: tuple[FeedItem, ...]


def looks_like_feed(data: bytes) -> bool:
    """Is this an RSS or Atom document (its first element is <rss>, <feed> or <rdf:RDF>)?

    >>> looks_like_feed(b'<?xml version="1.0"?><rss version="2.0">'), looks_like_feed(b"<!DOCTYPE html><html>")
    (True, False)
    """
    return _ROOT.match(data[:4096].lstrip(b"\xef\xbb\xbf")) is not None


def parse_feed(data: bytes, url: str, max_items: int = MAX_ITEMS) -> Feed:
    """The feed in `data` (fetched from `url`); `BadArticle` when it is not a feed or has no items."""
    import feedparser  # imported only when a feed is read

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True, response_headers={
        "content-location": url})
    if not parsed.get("version") and not parsed.entries:
        raise BadArticle(url, "not an RSS or Atom feed")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries[:max_items]:
        link = urljoin(url, (entry.get("link") or "").strip())
        if not link or link == url or link in seen:
            continue
        seen.add(link)
        items.append(FeedItem(link=link, title=" ".join((entry.get("title") or "").split()),
                              published=_entry_date(entry), content_html=_entry_content(entry)))
    if not items:
        raise BadArticle(url, "feed has no items with links")
    return Feed(url=url, title=" ".join((parsed.feed.get("title") or "").split()), items=tuple(items))


def _entry_date(entry) -> str:  # type: ignore[no-untyped-def]
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return parse_date(entry.get("published") or entry.get("updated") or "")


def _entry_content(entry) -> str:  # type: ignore[no-untyped-def]
    texts = [c.get("value", "") for c in entry.get("content") or []]
    texts.append(entry.get("summary") or "")
    return max(texts, key=len)
