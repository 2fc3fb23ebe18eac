"""Web pages and feeds from a server on 127.0.0.1 that the test starts: fetching limits, the
address and scheme guard, RSS and Atom feeds kept current (only new or changed items embedded),
`qa watch` with its last-checked time. Nothing reaches beyond loopback (`no_network`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import BadArticle
from index.fetch import FetchLimits, Fetcher
from index.url_guard import RefusedURL, check_url
from qa.config import Config
from qa.web_ingest import ingest_urls
from tests.pdf_maker import make_pdf
from tests.web_server import Route, Site, serve


def _page(title: str, day: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title><meta property='article:published_time' content='{day}'></head>"
            f"<body><nav>Home | Local | Sport</nav><article><h1>{title}</h1>{body}</article>"
            "<footer>Contact us</footer></body></html>")


PAGES = {
    "/news/dam.html": _page("Lark Valley Dam Opens", "2025-05-01", "The Lark Valley dam opened on Tuesday after six years of work.",
                            "It holds forty million cubic metres of water for the valley's farms."),
    "/news/tram.html": _page("Tram Line Reaches Airport", "2025-05-02", "The number 9 tram now runs to the airport every eight minutes.",
                             "The extension cost 120 million euros."),
    "/news/choir.html": _page("Choir Wins Regional Prize", "2025-05-03", "The Eastgate youth choir won the regional prize in Dunmore.",
                              "Forty singers travelled to the final."),
}


@pytest.fixture
def site(no_network):  # type: ignore[no-untyped-def]
    site = Site()
    server, _thread = serve(site)
    for path, html in PAGES.items():
        site.page(path, html)
    yield site
    server.shutdown()
    server.server_close()
    assert no_network == []          # nothing but loopback was reached


@pytest.fixture
def use_embedder(embedder, monkeypatch):  # type: ignore[no-untyped-def]
    """The session's model for the CLI's ingests (so each run does not load it again)."""
    import qa.ingest

    monkeypatch.setattr(qa.ingest, "document_embedder", lambda config: embedder)
    return embedder


def _rss(site: Site, paths: list[str]) -> str:
    items = "".join(f"<item><title>Item {n}</title><link>{site.url(p)}</link>"
                    f"<pubDate>Thu, 0{n + 1} May 2025 10:00:00 GMT</pubDate></item>" for n, p in enumerate(paths))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Valley News</title>'
            f"<link>{site.url('/')}</link>{items}</channel></rss>")


def _counts(report) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    return report.added, report.updated, report.unchanged, report.chunks - report.reused


def test_feed_second_run_embeds_nothing_third_embeds_the_new_item_and_the_changed_page(tmp_path, site, embedder):  # type: ignore[no-untyped-def]
    config = Config(index_dir=tmp_path / "idx")
    site.page("/feed.xml", _rss(site, ["/news/dam.html", "/news/tram.html"]), "application/rss+xml")
    first = ingest_urls(config, [site.url("/feed.xml")], allow_private=True, embedder=embedder)
    assert (first.feeds, first.report.failed) == ([(site.url("/feed.xml"), 2)], [])
    assert _counts(first.report)[:3] == (2, 0, 0)
    second = ingest_urls(config, [site.url("/feed.xml")], allow_private=True, embedder=embedder)
    assert _counts(second.report) == (0, 0, 2, 0)               # nothing embedded

    site.page("/feed.xml", _rss(site, ["/news/dam.html", "/news/tram.html", "/news/choir.html"]), "application/rss+xml")
    site.page("/news/tram.html", PAGES["/news/tram.html"].replace("every eight minutes", "every six minutes"))
    third = ingest_urls(config, [site.url("/feed.xml")], allow_private=True, embedder=embedder)
    assert _counts(third.report)[:3] == (1, 1, 1)               # the new item and the changed page, nothing else
    assert third.report.failed == []

    from qa.assistant import open_assistant

    assistant = open_assistant(config, embedder=embedder)
    assert assistant.sources() == sorted(site.url(p) for p in PAGES)
    answer = assistant.ask("How often does the number 9 tram run to the airport?")
    assert answer.citations[0].source == site.url("/news/tram.html")
    assert answer.citations[0].quote == "The number 9 tram now runs to the airport every six minutes."
    state = json.loads((tmp_path / "idx" / "feeds.json").read_text())
    assert [(f["url"], f["title"], f["items"]) for f in state["feeds"]] == [(site.url("/feed.xml"), "Valley News", 3)]
    assert state["feeds"][0]["last_checked"] >= state["feeds"][0]["added"] and state["index_updated"]


def test_cli_ingests_a_feed_then_embeds_nothing(tmp_path, site, use_embedder, capsys):  # type: ignore[no-untyped-def]
    from qa.cli import main

    site.page("/feed.xml", _rss(site, list(PAGES)), "application/rss+xml")
    index = str(tmp_path / "idx")
    assert main(["ingest", site.url("/feed.xml"), "--allow-private", "--index", index, "--quiet"]) == 0
    first = capsys.readouterr()
    assert first.out.startswith("added 3, updated 0, unchanged 0, removed 0, failed 0; ")
    assert first.err == f"feed {site.url('/feed.xml')}: 3 items\n"
    assert main(["ingest", site.url("/feed.xml"), "--allow-private", "--index", index, "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("added 0, updated 0, unchanged 3, removed 0, failed 0; 0 chunks embedded")


def test_atom_feed_item_whose_page_fails_is_read_from_the_feed(tmp_path, site, embedder):  # type: ignore[no-untyped-def]
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Notes</title><id>urn:harbour</id><updated>2025-06-02T09:00:00Z</updated>
<entry><title>Dam</title><id>urn:1</id><link href="{site.url('/news/dam.html')}"/><updated>2025-06-01T09:00:00Z</updated></entry>
<entry><title>Ferry Timetable Changes</title><id>urn:2</id><link href="{site.url('/news/ferry.html')}"/>
<updated>2025-06-02T09:00:00Z</updated>
<content type="html">&lt;p&gt;The Gull Island ferry leaves at seven from June.&lt;/p&gt;&lt;p&gt;The last boat returns at nine.&lt;/p&gt;</content></entry>
<entry><title>Broken</title><id>urn:3</id><link href="{site.url('/news/broken.html')}"/><updated>2025-06-02T09:00:00Z</updated></entry>
</feed>"""
    site.page("/atom.xml", atom, "application/atom+xml")
    site.routes["/news/broken.html"] = Route(b"oops", status=500)
    result = ingest_urls(Config(index_dir=tmp_path / "idx"), [site.url("/atom.xml")], allow_private=True, embedder=embedder)
    assert [str(e) for e in result.report.failed] == [
        f"{site.url('/news/broken.html')}: HTTP 500 Internal Server Error; the feed has no text for it either"]
    assert result.report.added == 2
    from qa.assistant import open_assistant

    assistant = open_assistant(Config(index_dir=tmp_path / "idx"), embedder=embedder)
    from index.articles import article_id_for

    assert assistant.article_lines(article_id_for(site.url("/news/ferry.html"))) == (
        "The Gull Island ferry leaves at seven from June.", "The last boat returns at nine.")


def test_a_page_is_ingested_under_its_final_url_with_its_date(tmp_path, site, embedder):  # type: ignore[no-untyped-def]
    site.redirect("/short/1", "/moved/1")
    site.redirect("/moved/1", "/news/choir.html", status=301)
    config = Config(index_dir=tmp_path / "idx")
    first = ingest_urls(config, [site.url("/short/1")], allow_private=True, embedder=embedder)
    assert (first.report.added, first.report.failed) == (1, [])
    from qa.assistant import open_assistant

    passage = open_assistant(config, embedder=embedder).search("youth choir regional prize", k=1)[0]
    assert (passage.source, passage.published, passage.title) == (
        site.url("/news/choir.html"), "2025-05-03", "Choir Wins Regional Prize")
    again = ingest_urls(config, [site.url("/news/choir.html")], allow_private=True, embedder=embedder)
    assert _counts(again.report) == (0, 0, 1, 0)


def test_a_pdf_on_the_web_keeps_its_pages(tmp_path, site, embedder):  # type: ignore[no-untyped-def]
    pdf = make_pdf([["Budget Summary", "The town will spend more on roads."], ["Parks get a new fund of ten thousand."]])
    site.page("/files/budget.pdf", pdf, "application/pdf")
    config = Config(index_dir=tmp_path / "idx")
    assert ingest_urls(config, [site.url("/files/budget.pdf")], allow_private=True, embedder=embedder).report.added == 1
    from index.articles import article_id_for
    from qa.assistant import open_assistant
    from qa.pages import page_label

    lines = open_assistant(config, embedder=embedder).article_lines(article_id_for(site.url("/files/budget.pdf")))
    assert lines.index("Parks get a new fund of ten thousand.") == 4 and page_label(lines, 5, 5) == "p. 2"


def _fetch_error(site: Site, path: str, **limits) -> str:  # type: ignore[no-untyped-def]
    with Fetcher(allow_private=True, limits=FetchLimits(**limits)) as fetcher:
        with pytest.raises(BadArticle) as caught:
            fetcher.fetch(site.url(path))
    return caught.value.cause


def test_fetch_limits(site):  # type: ignore[no-untyped-def]
    site.routes["/slow.html"] = Route(b"<p>late</p>", delay=3.0)
    site.routes["/error.html"] = Route(b"down", status=500)
    site.routes["/image.png"] = Route(b"\x89PNG....", content_type="image/png")
    site.routes["/big.html"] = Route(b"<p>" + b"x" * 5000 + b"</p>")
    for n in range(4):
        site.redirect(f"/loop/{n}", f"/loop/{n + 1}")
    site.redirect("/to-file", "file:///etc/passwd")
    assert _fetch_error(site, "/slow.html", read_timeout=0.5) == "timed out"
    assert _fetch_error(site, "/missing.html") == "HTTP 404 Not Found"
    assert _fetch_error(site, "/error.html") == "HTTP 500 Internal Server Error"
    assert _fetch_error(site, "/image.png") == "content type image/png is not an article (HTML, PDF, Word, plain text, RSS or Atom)"
    assert _fetch_error(site, "/big.html", max_bytes=1000) == "0.0 MB: over the 0.001 MB limit"
    assert _fetch_error(site, "/loop/0", max_redirects=2) == "more than 2 redirects"
    assert _fetch_error(site, "/to-file") == "refused: only http and https URLs are fetched, not file:"


def test_guard_refuses_private_addresses_and_other_schemes():
    for url, cause in [
        ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address; "
                                                     "use --allow-private to fetch from your own network"),
        ("http://127.0.0.1:8080/", "refused: 127.0.0.1 is a loopback address; use --allow-private to fetch from your own network"),
        ("http://[::ffff:192.168.1.9]/", "refused: ::ffff:192.168.1.9 is a private address; "
                                         "use --allow-private to fetch from your own network"),
        ("ftp://files.example/a.txt", "refused: only http and https URLs are fetched, not ftp:"),
        ("http://user:pw@news.example/", "refused: URLs with a user name or password are not fetched"),
    ]:
        with pytest.raises(RefusedURL) as caught:
            check_url(url)
        assert caught.value.cause == cause
    assert check_url("http://127.0.0.1:8080/x", allow_private=True).addresses == ("127.0.0.1",)


@pytest.mark.parametrize(("url", "line"), [
    ("http://169.254.169.254/", "qa: error: http://169.254.169.254/: refused: 169.254.169.254 is a link-local address; "
                                "use --allow-private to fetch from your own network\n"),
    ("file:///etc/passwd", "qa: error: file:///etc/passwd: refused: only http and https URLs are fetched, not file:\n"),
])
def test_cli_refuses_with_one_line_and_exit_2(tmp_path, no_network, capsys, url, line):  # type: ignore[no-untyped-def]
    from qa.cli import main

    assert main(["ingest", url, "--index", str(tmp_path / "idx")]) == 2
    captured = capsys.readouterr()
    assert (captured.err, captured.out) == (line, "")
    assert no_network == [] and not (tmp_path / "idx").exists()        # nothing fetched, nothing written


def test_watch_checks_followed_feeds_and_records_the_time(tmp_path, site, use_embedder, capsys):  # type: ignore[no-untyped-def]
    from qa.cli import main
    from qa.web_ingest import watch

    site.page("/feed.xml", _rss(site, ["/news/dam.html"]), "application/rss+xml")
    index = tmp_path / "idx"
    assert main(["watch", site.url("/feed.xml"), "--allow-private", "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert out.split(" ", 1)[1].startswith("added 1, updated 0, unchanged 0, removed 0, failed 0; ")
    checked = json.loads((index / "feeds.json").read_text())["feeds"][0]["last_checked"]

    site.page("/feed.xml", _rss(site, ["/news/dam.html", "/news/choir.html"]), "application/rss+xml")
    naps: list[float] = []
    reports = watch(Config(index_dir=index), every=900, allow_private=True, embedder=use_embedder,
                    rounds=2, sleep=naps.append)                            # the remembered feed, twice
    assert [_counts(r.report)[:3] for r in reports] == [(1, 0, 1), (0, 0, 2)] and naps == [900]
    state = json.loads((index / "feeds.json").read_text())["feeds"]
    assert [f["url"] for f in state] == [site.url("/feed.xml")] and state[0]["last_checked"] >= checked


def test_the_app_library_follows_a_feed_and_shows_when_it_changed(tmp_path, site, embedder):  # type: ignore[no-untyped-def]
    import app_views
    from qa.library import Library

    config = Config(index_dir=tmp_path / "idx")
    ingest_urls(config, [site.url("/news/dam.html")], allow_private=True, embedder=embedder)
    library = Library(config, embedder, tmp_path / "uploads", 1_000_000)
    site.page("/feed.xml", _rss(site, ["/news/choir.html"]).replace("Valley News", "<b>Valley</b> News"),
              "application/rss+xml")
    summary, problems = library.add_feeds([site.url("/feed.xml")])            # the page refuses loopback
    assert problems == [f"{site.url('/feed.xml')}: refused: 127.0.0.1 is a loopback address; "
                        "use --allow-private to fetch from your own network"] and summary.startswith("added 0")
    summary, problems = library.add_feeds([site.url("/feed.xml")], allow_private=True)
    assert (summary.startswith("added 1, "), problems) == (True, [])
    assert site.url("/news/choir.html") in library.sources()                  # the new assistant sees it
    [(url, title, checked)] = library.feeds()
    assert (url, title) == (site.url("/feed.xml"), "<b>Valley</b> News") and checked
    shown = app_views.feeds_html(library.feeds())
    assert "&lt;b&gt;Valley&lt;/b&gt; News" in shown and "<b>" not in shown
    assert "Updated " in app_views.status_html(*library.status(), updated=library.last_updated())
