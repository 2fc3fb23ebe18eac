"""URLs -> `Article`s: a page (HTML, PDF, Word, plain text) or a feed's items.

`read_url(fetcher, url)` fetches `url`; a page becomes one article whose source is its final
URL (after redirects), with the main text and publication date trafilatura/htmldate find; an
RSS/Atom feed becomes its items' articles: each item's linked page, fetched the same way
(a few at a time), or, when that page cannot be fetched or read, the item's own content
(source: the item's link). A page's missing title or date is taken from its feed item.

Failures are `BadArticle` items naming the URL and the cause; nothing here raises for one
bad page. Left out: the index (`qa.web_ingest` stages these articles and ingests them).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from index.articles import Article
from index.boilerplate import line_kind
from index.errors import BadArticle
from index.feeds import Feed, FeedItem, looks_like_feed, parse_feed
from index.fetch import DOCX_TYPES, FEED_TYPES, HTML_TYPES, PDF_TYPES, Fetched, Fetcher
from index.loaders import load_html, load_text

_WORKERS = 4


@dataclass(frozen=True)
class WebRead:
    """What one URL gave: the feed it is (None for a page) and the articles or failures."""

    url: str
    feed: Feed | None
    items: tuple[Article | BadArticle, ...]


def read_url(fetcher: Fetcher, url: str) -> WebRead:
    """The articles at `url` (a page or a feed); a failure of `url` itself is one `BadArticle` item."""
    try:
        fetched = fetcher.fetch(url)
        if fetched.content_type in FEED_TYPES or looks_like_feed(fetched.body[:4096]):
            feed = parse_feed(fetched.body, fetched.url)
            return WebRead(url, feed, tuple(feed_articles(fetcher, feed)))
        return WebRead(url, None, (article_from_page(fetched),))
    except BadArticle as err:
        return WebRead(url, None, (err,))


def article_from_page(fetched: Fetched) -> Article:
    """One fetched page's article, source = its final URL."""
    source = fetched.url
    if fetched.content_type in HTML_TYPES:
        return load_html(fetched.body, source, url=source)
    if fetched.content_type in PDF_TYPES or fetched.content_type in DOCX_TYPES:
        from index.loaders import load_binary

        suffix = ".pdf" if fetched.content_type in PDF_TYPES else ".docx"
        return replace(load_binary(fetched.body, source, suffix), url=source)
    if fetched.content_type in FEED_TYPES:
        raise BadArticle(source, "a feed inside a feed is not followed")
    try:
        text = fetched.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadArticle(source, "plain text that is not UTF-8") from None
    return replace(load_text(text, source), url=source)


def feed_articles(fetcher: Fetcher, feed: Feed) -> list[Article | BadArticle]:
    """Each item's article, in the feed's order (pages fetched a few at a time)."""
    with ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="qa-feed") as pool:
        return list(pool.map(lambda item: _item_article(fetcher, item), feed.items))


def _item_article(fetcher: Fetcher, item: FeedItem) -> Article | BadArticle:
    try:
        fetched = fetcher.fetch(item.link)
        if fetched.content_type in FEED_TYPES or looks_like_feed(fetched.body[:4096]):
            raise BadArticle(item.link, "the item links to a feed, not an article")
        article = article_from_page(fetched)
    except BadArticle as err:
        lines = html_fragment_lines(item.content_html)
        if not any(line_kind(x) == "text" for x in lines):
            return BadArticle(item.link, f"{err.cause}; the feed has no text for it either")
        return Article(source=item.link, lines=lines, title=item.title or lines[0].strip(),
                       published=item.published, url=item.link)
    return replace(article, title=article.title or item.title, published=article.published or item.published)


_BLOCKS = ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre", "section")


def html_fragment_lines(fragment: str) -> tuple[str, ...]:
    """The text of a small HTML fragment (a feed item's content), one line per block.

    >>> html_fragment_lines("<p>Rain <b>fell</b>.</p><p>Roads closed.</p>")
    ('Rain fell.', 'Roads closed.')
    """
    if not fragment.strip():
        return ()
    import lxml.html  # installed with trafilatura

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:          # not markup after all: plain text
        return tuple(x.strip() for x in fragment.splitlines() if x.strip())
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    text = root.text_content()
    return tuple(" ".join(x.split()) for x in text.split("\n") if x.strip())
