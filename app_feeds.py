"""The "Follow a news feed" panel: a feed's address, "Add", "Check feeds now", the followed
feeds with their last check. Gradio is imported when the panel is built, never at import.

Left out: fetching, the safety rules and ingesting (`qa.library.Library.add_feeds`, which
applies `qa ingest URL`'s checks; private and loopback addresses are refused from the page),
the HTML (`app_views.feeds_html`), keeping feeds current on a timer (`qa watch --every`).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app_page import FiltersPanel
    from qa.library import Library


@dataclass
class FeedPanel:
    url: Any
    follow: Any
    check: Any
    report: Any
    feeds: Any


def feed_panel(library: "Library") -> FeedPanel:
    import gradio as gr

    import app_views as v

    with gr.Accordion("Follow a news feed", open=False):
        with gr.Row():
            url = gr.Textbox(show_label=False, placeholder="https://... RSS or Atom feed (or a page)", scale=4,
                             elem_id="qa-feed-url")
            follow = gr.Button("Add", scale=1, elem_id="qa-feed-add")
            check = gr.Button("Check feeds now", scale=1, elem_id="qa-feed-check")
        report = gr.HTML(elem_id="qa-feed-report")
        feeds = gr.HTML(v.feeds_html(library.feeds()), elem_id="qa-feeds")
    return FeedPanel(url, follow, check, report, feeds)


def wire_feeds(library: "Library", panel: FeedPanel, filters: "FiltersPanel", status: Any) -> None:
    """The "Add" button fetches a feed (or page) with `qa ingest URL`'s checks and follows it;
    "Check feeds now" does what `qa watch` does once. Private and loopback addresses are refused here."""
    import app_views as v
    from qa import QAError

    def refresh(summary: str, problems: list[str]) -> tuple[Any, ...]:
        import gradio as gr

        return (v.upload_report_html(summary, [], problems), v.feeds_html(library.feeds()),
                gr.update(choices=library.sources()), v.status_html(*library.status(), updated=library.last_updated()))

    def on_follow(url: str) -> tuple[Any, ...]:
        url = (url or "").strip()
        if not url:
            return refresh("Type a feed's address first.", [])
        try:
            return refresh(*library.add_feeds([url]))
        except (QAError, OSError) as err:
            return refresh("Nothing was added; the index is unchanged.", [str(err)])

    def on_check() -> tuple[Any, ...]:
        try:
            return refresh(*library.check_feeds())
        except (QAError, OSError) as err:
            return refresh("The feeds could not be checked; the index is unchanged.", [str(err)])

    outputs = [panel.report, panel.feeds, filters.sources, status]
    panel.follow.click(on_follow, [panel.url], outputs, concurrency_limit=1, api_visibility="private")
    panel.url.submit(on_follow, [panel.url], outputs, concurrency_limit=1, api_visibility="private")
    panel.check.click(on_check, None, outputs, concurrency_limit=1, api_visibility="private")
