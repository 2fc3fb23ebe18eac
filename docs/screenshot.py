"""Retake docs/screenshot.png from a running app on the bundled samples.

    python app.py --index /tmp/qa_samples &     # first start ingests samples/
    python docs/screenshot.py http://127.0.0.1:7860 docs/screenshot.png

Uses Debian's chromium (apt-get install chromium); nothing is downloaded.
"""

import sys

from playwright.sync_api import expect, sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    done = page.locator("#qa-chat .qa-done")
    before = done.count()
    page.locator("#qa-question textarea, #qa-question input").first.fill(question)
    page.locator("#qa-ask").click()
    expect(done).to_have_count(before + 1, timeout=60_000)


def main(url: str, out: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url, wait_until="load")
        ask(page, "Who won the Harbor City mayoral election?")
        ask(page, "What was the turnout?")
        page.locator("#qa-sources .qa-cite").first.click()
        expect(page.locator("#qa-viewer .qa-hl").first).to_be_visible()
        page.wait_for_timeout(500)
        page.screenshot(path=out, full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
