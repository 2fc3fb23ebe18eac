"""The chat app end to end: the real model, a real Chroma index of the seed article in tmp_path,
the real Gradio server (one per module, in this process) and headless Debian Chromium."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import SEED, SEED_ARTICLE, require_chromium, require_shared

pytestmark = [pytest.mark.slow,      # Gradio's queue trips pandas deprecation warnings, not ours
              pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
QUESTION = "Who commands Iran's Quds Force?"
CITATION = f"{SEED_ARTICLE}:34-34"
PAYLOADS = ('<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">')
# An article whose title and cited line carry markup (and a Markdown image pointing off-site).
HOSTILE_ARTICLE = (f"Glimmerfen lantern fair {PAYLOADS[0]} {PAYLOADS[1]}\n\n"
                   "The Glimmerfen lantern fair opened on the riverbank on Saturday with three hundred paper lanterns.\n"
                   f"The chief lantern maker of the Glimmerfen fair is Brannoc Tully {PAYLOADS[0]} {PAYLOADS[1]} "
                   "![pixel](http://203.0.113.9/pixel.png) of Eastmere.\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch(library, **options):  # type: ignore[no-untyped-def]
    import app

    demo = app.build_ui(library)
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                **app.page_options(), **options)
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    from qa.library import Library
    from qa import Config, ingest_folder

    require_shared(SEED / "articles" / SEED_ARTICLE, "seed data")
    root = tmp_path_factory.mktemp("app")
    config = Config(index_dir=root / "index")
    assert not ingest_folder(config, SEED / "articles", embedder=embedder).failed
    return Library(config, embedder, root / "uploads", max_upload_bytes=100_000)


@pytest.fixture(scope="module")
def url(library, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRADIO_TEMP_DIR", str(tmp_path_factory.mktemp("gradio")))   # uploads land in tmp_path
        demo, address = _launch(library, max_file_size=100_000)
        yield address
        demo.close()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, url):  # type: ignore[no-untyped-def]
    """A fresh tab on the app; `page.seen` lists every URL it requested."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.seen = []
    tab.on("request", lambda request: tab.seen.append(request.url))
    tab.goto(url, wait_until="load")
    tab.locator("#qa-question textarea, #qa-question input").first.wait_for()
    yield tab
    context.close()


def _ask(page, question: str):  # type: ignore[no-untyped-def]
    """Ask in the page and wait until the answer is complete; returns its bubble."""
    from playwright.sync_api import expect

    done = page.locator("#qa-chat .qa-done")
    before = done.count()
    page.locator("#qa-question textarea, #qa-question input").first.fill(question)
    page.locator("#qa-ask").click()
    expect(done).to_have_count(before + 1, timeout=60_000)      # the last update: bubble, sources, state
    return done.last


def _assert_local_only(seen: list[str]) -> None:
    assert seen, "no request recorded"
    outside = [u for u in seen if urlparse(u).scheme not in ("data", "blob")
               and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert outside == []


def test_ask_cite_and_open_the_article_at_the_cited_line(page, library, no_network, monkeypatch):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    histories: list[list[str]] = []          # what the page passed as chat history, per question
    real_ask = library.ask

    def ask(question: str, history=(), **kw):  # type: ignore[no-untyped-def]
        histories.append(list(history))
        return real_ask(question, history, **kw)

    monkeypatch.setattr(library, "ask", ask)
    expect(page.locator(".qa-status")).to_contain_text(re.compile(r"\d+ articles? \(\d+ chunks\)"))
    answer = _ask(page, QUESTION)
    expect(answer).to_contain_text("Esmail Qaani")
    expect(answer.locator(".qa-marker").first).to_have_text("[1]")
    cite = page.locator("#qa-sources .qa-cite", has_text=CITATION)
    expect(cite).to_have_count(1)
    expect(page.locator("#qa-sources .qa-hl mark").first).to_contain_text("Esmail Qaani")   # quote in context

    cite.click()
    line = page.locator("#qa-viewer .qa-hl")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Esmail Qaani")
    expect(line.locator(".qa-ln")).to_have_text("34")
    expect(page.locator("#qa-viewer .qa-line").nth(32)).to_have_attribute("data-line", "33")   # numbered from 1
    in_view = """() => { const body = document.querySelector('#qa-viewer .qa-article-body');
        const b = body.getBoundingClientRect(), l = body.querySelector('.qa-hl').getBoundingClientRect();
        return body.scrollTop > 0 && l.top >= b.top && l.bottom <= b.bottom; }"""
    page.wait_for_function(in_view, timeout=5_000)       # scrolled to the cited line

    first_sources = page.locator("#qa-sources .qa-cite").all_inner_texts()
    _ask(page, "Where did he convey his directive?")                   # a follow-up carries the history
    page.locator("#qa-chat .qa-done").first.click()                   # an earlier answer: its sources again
    expect(page.locator("#qa-sources .qa-cite")).to_have_text(first_sources)
    page.locator("#qa-new-chat").click()                              # ... and "New chat" clears it
    expect(page.locator("#qa-chat .qa-done")).to_have_count(0)
    expect(page.locator("#qa-sources .qa-cite")).to_have_count(0)
    _ask(page, QUESTION)
    assert histories == [[], [QUESTION], []]
    _assert_local_only(page.seen)
    assert no_network == []             # and the server reached nothing either


def test_declined_answers_and_filters(page):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    answer = _ask(page, "Who won the Harbor City marathon this year?")
    expect(answer).to_have_class(re.compile(r"\bqa-declined\b"))
    expect(answer).to_contain_text("No answer in the articles")
    expect(page.locator("#qa-sources .qa-sources-declined")).to_have_count(1)

    page.get_by_text("Filters").click()
    page.get_by_label("Published to").fill("2020-01-01")            # the seed article is from 2025-04-09
    expect(_ask(page, QUESTION)).to_have_class(re.compile(r"\bqa-declined\b"))
    expect(page.locator("#qa-sources .qa-cite")).to_have_count(0)
    page.get_by_label("Published to").fill("soon")
    page.locator("#qa-question textarea, #qa-question input").first.fill(QUESTION)
    page.locator("#qa-ask").click()
    expect(page.get_by_text("published_to must be a date")).to_be_visible()
    expect(page.locator("#qa-question textarea, #qa-question input").first).to_have_value(QUESTION)   # kept
    expect(page.locator("#qa-chat .qa-done")).to_have_count(2)
    _assert_local_only(page.seen)


def test_uploaded_markup_is_shown_as_text_and_never_runs(page, library, no_network):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.get_by_text("Add articles").click()
    page.locator("#qa-upload input[type=file]").set_input_files(
        [{"name": f"lanterns {PAYLOADS[1]}.txt", "mimeType": "text/plain", "buffer": HOSTILE_ARTICLE.encode()}])
    expect(page.locator("#qa-upload")).to_contain_text("lanterns", timeout=30_000)         # uploaded
    page.locator("#qa-add").click()
    expect(page.locator("#qa-upload-report")).to_contain_text("added 1", timeout=60_000)
    assert any(s.startswith("lanterns") for s in library.sources())

    answer = _ask(page, "Who is the chief lantern maker of the Glimmerfen fair?")
    expect(answer).to_contain_text("Brannoc Tully")
    for payload in PAYLOADS:
        expect(answer).to_contain_text(payload)
        expect(page.locator("#qa-sources .qa-ref-meta").first).to_contain_text(payload)    # the title
    page.locator("#qa-sources .qa-cite").first.click()
    expect(page.locator("#qa-viewer .qa-article-title")).to_contain_text(PAYLOADS[0])
    expect(page.locator("#qa-viewer .qa-hl")).to_contain_text(PAYLOADS[1])

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("[...document.scripts].filter(s => s.textContent.includes('__pwned')).length") == 0
    _assert_local_only(page.seen)       # the Markdown image was not fetched either
    assert no_network == []


def test_bad_uploads_get_a_message_and_nothing_else_is_lost(library, tmp_path: Path):  # type: ignore[no-untyped-def]
    before = set(library.sources())
    files = {"good.md": b"# Quarry pond\n\nThe Ashby quarry pond reopened for swimming in July.\n",
             "binary.txt": b"GIF89a\x00\x01\x00", "big.txt": b"x" * 200_000, "report.pdf": b"%PDF-1.4",
             "notes.doc": b"old Word", "broken.json": b"{not json", "empty.md": b""}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    summary, kept, problems = library.ingest_uploads([(tmp_path / n, n) for n in files])
    assert kept == ["good.md"]
    assert "added 1" in summary
    text = "\n".join(problems)
    for name, cause in (("binary.txt", "not a text file"), ("big.txt", "limit"), ("report.pdf", "damaged PDF"),
                        ("notes.doc", "not an article file"), ("broken.json", "malformed JSON"), ("empty.md", "empty")):
        assert re.search(rf"{re.escape(name)}.*{cause}|{cause}.*{re.escape(name)}", text), (name, text)
    assert set(library.sources()) == before | {"good.md"}
    stored = {p.name for p in library.upload_dir.iterdir()}
    assert "good.md" in stored and not stored & (set(files) - {"good.md"})
    assert not any(name.startswith(".batch-") for name in stored)        # the staging folder is gone
    assert library.ask(QUESTION).citations[0].citation == CITATION                     # the seed is still there


def test_api_ask_and_search_return_the_cli_json(url, library, no_network):  # type: ignore[no-untyped-def]
    from gradio_client import Client

    client = Client(url, verbose=False)
    got = client.predict(QUESTION, api_name="/ask")
    assert got["answered"] is True
    first = got["citations"][0]
    assert (first["marker"], first["source"], first["start_line"], first["end_line"]) == (1, SEED_ARTICLE, 34, 34)
    assert "Esmail Qaani" in first["quote"]
    assert got == library.ask(QUESTION).to_json()            # what `qa ask --json` prints

    passages = client.predict("Quds Force commander", k=2, api_name="/search")
    assert passages == [p.to_json() for p in library.search("Quds Force commander", k=2)]
    assert passages[0]["source"] == SEED_ARTICLE
    assert client.predict(QUESTION, sources=["elsewhere/*"], api_name="/ask")["answered"] is False
    assert client.predict(QUESTION, published_from="2025-04-01", published_to="2025-04-30",
                          api_name="/ask")["citations"] == got["citations"]
    with pytest.raises(Exception, match="as_of must be a date"):
        client.predict(QUESTION, as_of="yesterday", api_name="/ask")
    assert no_network == []


def test_auth_requires_a_login(browser, library, url):  # type: ignore[no-untyped-def]
    from gradio_client import Client
    from playwright.sync_api import expect

    demo, address = _launch(library, auth=("alice", "s3cret-pw"))
    try:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(address, wait_until="load")
        expect(tab.locator("input[type=password]")).to_be_visible()
        expect(tab.locator("#qa-chat")).to_have_count(0)
        context.close()
        for auth in (None, ("alice", "wrong")):
            with pytest.raises(Exception):
                Client(address, auth=auth, verbose=False).predict(QUESTION, api_name="/ask")
        got = Client(address, auth=("alice", "s3cret-pw"), verbose=False).predict(QUESTION, api_name="/ask")
        assert got["citations"][0]["source"] == SEED_ARTICLE
    finally:
        demo.close()
