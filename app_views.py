"""What the browser chat (`app.py`) shows, as HTML strings; no Gradio here.

Pure functions from answers and article lines to HTML, testable without a browser. The one
rule: every string that comes from an article (text, title, source), a file name or the user
goes through `html.escape` before it is placed in HTML; nothing is ever inserted as markup.
Chat bubbles are single raw-HTML blocks (one `<div>`, no blank line), so the chat's Markdown
renderer never parses article text either (no links, no images, no LaTeX from articles).

Left out: layout and wiring (`app_page.py`, `app.py`), the index and uploads (`qa.library`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import escape

from qa import Answer
from qa.pages import PAGE_BREAK, page_label

# Example questions offered for the bundled samples, each shown only when its article is indexed.
SAMPLE_EXAMPLES = (
    ("Who won the Harbor City mayoral election?", "politics/mayoral-election-result.md"),
    ("What is the latest count of homes evacuated because of the Millbrook River flood?",
     "local/river-flood-update.txt"),
    ("How much net profit did Corvane Logistics make in the third quarter?", "business/corvane-q3-earnings.html"),
    ("Which Brightwell heater model is affected by the recall?", "tech/space-heater-recall.html"),
)


def examples_for(sources: set[str]) -> list[str]:
    return [question for question, source in SAMPLE_EXAMPLES if source in sources]


# -- chat bubbles --------------------------------------------------------------------------

_MARKER = re.compile(r"\[(\d+)\]")


def question_html(question: str) -> str:
    return f'<div class="qa-question">{escape(question)}</div>'


def answer_html(text: str, answered: bool = True, stage: str = "done") -> str:
    """The answer bubble: escaped text, markers `[n]` styled, a declined answer marked as such.
    `stage` is "pending" (searching), "streaming" (words still arriving) or "done".

    >>> answer_html("Qaani <b>leads</b> it. [1]")
    '<div class="qa-answer qa-done">Qaani &lt;b&gt;leads&lt;/b&gt; it. <sup class="qa-marker">[1]</sup></div>'
    """
    body = _MARKER.sub(r'<sup class="qa-marker">[\1]</sup>', escape(text)).replace("\n", "<br>")
    if stage == "pending":
        return f'<div class="qa-answer qa-pending">{body}</div>'
    if not answered:
        label = '<span class="qa-declined-label">No answer in the articles</span>'
        return f'<div class="qa-declined qa-{stage}">{label}{body}</div>'
    return f'<div class="qa-answer qa-{stage}">{body}</div>'


def stream_prefixes(text: str, words: int = 4) -> Iterator[str]:
    """Growing prefixes of `text`, a few words at a time (the last one is `text`).

    >>> list(stream_prefixes("a b c d e f", words=4))
    ['a b c d', 'a b c d e f']
    """
    parts = text.split(" ")
    for end in range(words, len(parts) + words, words):
        yield " ".join(parts[:end])


# -- sources panel and article viewer -----------------------------------------------------

@dataclass(frozen=True)
class Ref:
    """One entry of the sources panel: the lines behind a marker, or (when declined) a passage."""

    source: str
    start_line: int
    end_line: int
    quote: str = ""
    marker: int | None = None
    title: str = ""
    published: str = ""

    @property
    def citation(self) -> str:
        return f"{self.source}:{self.start_line}-{self.end_line}"

    @property
    def label(self) -> str:
        return f"[{self.marker}] {self.citation}" if self.marker is not None else self.citation


def refs_for(answer: Answer, passages: int = 3) -> list[Ref]:
    """The citations of an answer; for a declined one, its best passages (not cited)."""
    if answer.answered:
        return [Ref(c.source, c.start_line, c.end_line, c.quote, c.marker, c.title, c.published)
                for c in answer.citations]
    return [Ref(p.source, p.start_line, p.end_line, "", None, p.title, p.published) for p in answer.passages[:passages]]


def _clip(text: str, width: int = 240) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _marked(text: str, quote: str, width: int = 600) -> str:
    """The line escaped, with the quote (or, if it is not there, the whole line) in `<mark>`.

    >>> _marked("A <b> B. C.", "<b> B.")
    'A <mark>&lt;b&gt; B.</mark> C.'
    """
    if not text.strip():
        return ""
    at = text.find(quote) if quote else -1
    if at < 0:
        return f"<mark>{escape(_clip(text, width))}</mark>"
    before, after = text[:at], text[at + len(quote):]
    if len(text) > width:       # keep the quote whole, trim what surrounds it
        before = ("…" + before[-120:].lstrip()) if len(before) > 120 else before
        after = (after[:120].rstrip() + "…") if len(after) > 120 else after
    return f"{escape(before)}<mark>{escape(quote)}</mark>{escape(after)}"


def context_rows(lines: Sequence[str], start: int, end: int, around: int = 1) -> list[int]:
    """Line numbers to show for lines `start`-`end`: its non-blank lines and `around` more each side.

    >>> context_rows(["a", "", "b", "c", "", "d"], 4, 4)
    [3, 4, 6]
    """
    before = [n for n in range(start - 1, 0, -1) if lines[n - 1].strip()][:around]
    after = [n for n in range(end + 1, len(lines) + 1) if lines[n - 1].strip()][:around]
    inside = [n for n in range(start, end + 1) if lines[n - 1].strip()]
    return sorted(before) + inside + after


def _row(number: int, body: str, cited: bool) -> str:
    cls = "qa-line qa-hl" if cited else "qa-line"
    return (f'<div class="{cls}" data-line="{number}"><span class="qa-ln">{number}</span>'
            f'<span class="qa-tx">{body or "&nbsp;"}</span></div>')


def _context(ref: Ref, lines: Sequence[str]) -> str:
    end = min(ref.end_line, len(lines))
    if ref.marker is None:      # a passage that was not cited: its first lines, nothing marked
        shown = [n for n in range(ref.start_line, end + 1) if lines[n - 1].strip()][:3]
        return "".join(_row(n, escape(_clip(lines[n - 1])), False) for n in shown)
    return "".join(_row(n, _marked(lines[n - 1], ref.quote), True) if ref.start_line <= n <= end
                   else _row(n, escape(_clip(lines[n - 1])), False)
                   for n in context_rows(lines, ref.start_line, end))


def sources_html(refs: Sequence[Ref], answered: bool, lines_of: Callable[[str], Sequence[str] | None]) -> str:
    """The sources panel: each citation a button, its quoted lines highlighted in some context."""
    head = "Sources" if answered else "Not cited: the closest passages found"
    if not refs:
        head = "Sources" if answered else "No sources: nothing in the articles matches this question."
    items = []
    for i, ref in enumerate(refs):
        lines = lines_of(ref.source)
        meta = " · ".join(p for p in (page_label(lines, ref.start_line, ref.end_line), ref.title, ref.published) if p)
        items.append(f'<div class="qa-ref"><button type="button" class="qa-cite" data-ref="{i}" '
                     f'title="Open the article at these lines">{escape(ref.label)}</button>'
                     f'<div class="qa-ref-meta">{escape(meta)}</div>'
                     f'<div class="qa-context" data-ref="{i}">{_context(ref, lines) if lines else ""}</div></div>')
    cls = "qa-sources" if answered else "qa-sources qa-sources-declined"
    return f'<div class="{cls}"><div class="qa-sources-head">{head}</div>{"".join(items)}</div>'


def article_html(ref: Ref, lines: Sequence[str] | None) -> str:
    """The whole article with line numbers, the cited lines highlighted (the page scrolls to them)."""
    if lines is None:
        return f'<div class="qa-article-empty">{escape(ref.source)} is no longer in the index.</div>'
    where = " · ".join(p for p in (ref.source, ref.published, f"lines {ref.start_line}-{ref.end_line}",
                                   page_label(lines, ref.start_line, ref.end_line)) if p)
    head = (f'<div class="qa-article-head"><div class="qa-article-title">{escape(ref.title or ref.source)}</div>'
            f'<div class="qa-article-source">{escape(where)}</div></div>')
    rows: list[str] = []
    page = 0
    for n, text in enumerate(lines, start=1):
        if text == PAGE_BREAK:        # a PDF page starts: a visible mark instead of an empty row
            page += 1
            rows.append(f'<div class="qa-line qa-page" data-line="{n}" data-page="{page}">page {page}</div>')
        elif ref.start_line <= n <= ref.end_line:
            rows.append(_row(n, _marked(text, ref.quote, width=10**9), True))
        else:
            rows.append(_row(n, escape(text), False))
    return f'<div class="qa-article">{head}<div class="qa-article-body">{"".join(rows)}</div></div>'


def placeholder_html(text: str) -> str:
    return f'<div class="qa-placeholder">{escape(text)}</div>'


def upload_report_html(summary: str, added: Sequence[str], problems: Sequence[str]) -> str:
    """What an upload did: the summary, the files kept, one line per problem."""
    ok = "".join(f"<li>{escape(name)}</li>" for name in added)
    bad = "".join(f'<li class="qa-error">{escape(p)}</li>' for p in problems)
    return (f'<div class="qa-upload-report"><div>{escape(summary)}</div>'
            f'{f"<ul>{ok}</ul>" if ok else ""}{f"<ul>{bad}</ul>" if bad else ""}</div>')


def status_html(where: str, articles: int, chunks: int, updated: str = "") -> str:
    """The line under the title; `updated` (UTC ISO time of the last change) shown when known."""
    when = f' Updated <time datetime="{escape(updated)}">{escape(_when(updated))}</time>.' if updated else ""
    return (f'<div class="qa-status">{articles} article{"" if articles == 1 else "s"} ({chunks} chunks) in '
            f'<code>{escape(where)}</code>.{when} '
            f'Every answer quotes the lines it rests on as <code>source:start-end</code>.</div>')


def _when(iso: str) -> str:
    """An ISO time as "2025-04-09 10:15 UTC" (the text as given when it is not one).

    >>> _when("2025-04-09T10:15:07+00:00"), _when("soon")
    ('2025-04-09 10:15 UTC', 'soon')
    """
    import datetime

    try:
        moment = datetime.datetime.fromisoformat(iso).astimezone(datetime.timezone.utc)
    except ValueError:
        return iso
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def feeds_html(feeds: Sequence[tuple[str, str, str]]) -> str:
    """The followed feeds: title (or URL), URL, last checked; escaped, never links."""
    if not feeds:
        return '<div class="qa-feeds qa-placeholder">No feeds followed yet.</div>'
    rows = "".join(f'<li><span class="qa-feed-title">{escape(title or url)}</span> '
                   f'<code>{escape(url)}</code> <span class="qa-ref-meta">checked {escape(_when(checked))}</span></li>'
                   for url, title, checked in feeds)
    return f'<div class="qa-feeds"><ul>{rows}</ul></div>'


CSS = """
.qa-question { white-space: pre-wrap; }
.qa-marker { color: var(--color-accent); font-weight: 600; }
.qa-pending { opacity: .6; font-style: italic; }
.qa-streaming::after { content: '▍'; opacity: .5; }
.qa-declined { border-left: 4px solid #d97706; padding-left: .6em; color: var(--body-text-color-subdued); font-style: italic; }
.qa-declined-label { display: block; font-style: normal; font-weight: 600; color: #b45309; font-size: .85em; }
.qa-error { color: #b91c1c; }
.qa-status { font-size: .9em; color: var(--body-text-color-subdued); }
.qa-sources-head { font-weight: 600; margin-bottom: .4em; }
.qa-sources-declined .qa-sources-head { color: #b45309; }
.qa-ref { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .5em .6em; margin-bottom: .6em; }
.qa-cite { font-family: var(--font-mono); font-size: .85em; color: var(--color-accent); background: none; border: none;
           padding: 0; cursor: pointer; text-align: left; text-decoration: underline; word-break: break-all; }
.qa-ref-meta { font-size: .8em; color: var(--body-text-color-subdued); margin: .15em 0 .3em; }
.qa-context { cursor: pointer; font-size: .85em; }
.qa-line { display: flex; gap: .7em; line-height: 1.45; }
.qa-ln { flex: 0 0 2.8em; text-align: right; color: var(--body-text-color-subdued); font-family: var(--font-mono);
         font-size: .85em; user-select: none; }
.qa-tx { flex: 1; white-space: pre-wrap; overflow-wrap: anywhere; }
.qa-line mark { background: #fde68a; color: inherit; padding: 0 .1em; }
.qa-article .qa-hl { background: #fef3c7; }
.qa-article-title { font-weight: 600; }
.qa-article-source { font-size: .8em; color: var(--body-text-color-subdued); font-family: var(--font-mono); word-break: break-all; }
.qa-article-body { position: relative; max-height: 460px; overflow-y: auto; margin-top: .5em; font-size: .88em;
                   border-top: 1px solid var(--border-color-primary); padding-top: .4em; }
.qa-page { justify-content: center; font-size: .8em; color: var(--body-text-color-subdued);
           border-top: 1px dashed var(--border-color-primary); margin: .4em 0; }
.qa-feeds ul { margin: .2em 0; padding-left: 1.2em; font-size: .9em; }
.qa-placeholder, .qa-article-empty { color: var(--body-text-color-subdued); font-size: .9em; }
"""

# Sources panel: a click on a citation (or its lines) tells Python which one, by position.
SOURCES_JS = """
element.addEventListener('click', (event) => {
  const hit = event.target.closest('[data-ref]');
  if (hit && element.contains(hit)) trigger('click', {ref: Number(hit.dataset.ref)});
});
"""

# Article viewer: after each new article, scroll its body to the first highlighted line.
VIEWER_JS = """
watch('value', () => {
  const body = element.querySelector('.qa-article-body');
  const line = element.querySelector('.qa-hl');
  if (!body || !line) return;
  body.scrollTop = Math.max(0, line.offsetTop - body.clientHeight / 3);
  element.scrollIntoView({block: 'nearest'});
});
"""
