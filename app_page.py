"""The chat page: one function per panel (chat, filters, uploads, sources and article viewer)
and one per group of events, put together by `build_ui`. Gradio is imported when a page is
built, never at import.

Left out: the command line and launching (`app.py`), the HTML itself and its escaping
(`app_views.py`), everything about the index (`qa.library.Library`, passed in). A new panel is
a `*_panel` function here returning its components, placed in `build_ui`, with a `wire_*`
function for its events. No ``from __future__ import annotations``: Gradio reads the event
handlers' annotations (`gr.SelectData`, `gr.Progress`) at run time.
"""

import datetime
import html
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app_answers import add_api, answer_stream, with_notes

if TYPE_CHECKING:
    from qa.library import Library


@dataclass
class ChatPanel:
    chatbot: Any
    question: Any
    ask: Any
    new_chat: Any


@dataclass
class FiltersPanel:
    sources: Any
    date_from: Any
    date_to: Any
    as_of: Any

    def inputs(self) -> list[Any]:
        return [self.sources, self.date_from, self.date_to, self.as_of]


@dataclass
class UploadPanel:
    files: Any
    add: Any
    report: Any


@dataclass
class SidePanel:
    sources: Any          # the lines each answer rests on
    viewer: Any           # the article at the cited lines
    turns: Any            # gr.State: [{"question", "html", "refs", "answered"}], this browser tab's chat
    refs: Any             # gr.State: the refs the sources panel shows now


def _no_article() -> str:
    import app_views as v

    return v.placeholder_html("Click a citation to open the article at the cited lines.")


def _no_sources() -> str:
    import app_views as v

    return v.placeholder_html("Ask a question: the lines each answer rests on appear here.")


def _messages(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    import app_views as v

    return [m for t in turns for m in ({"role": "user", "content": v.question_html(t["question"])},
                                       {"role": "assistant", "content": t["html"]})]


def chat_panel(library: "Library") -> ChatPanel:
    import gradio as gr

    import app_views as v

    examples = [{"text": q} for q in v.examples_for(set(library.sources()))] or None
    chatbot = gr.Chatbot(label="Chat", height=520, examples=examples, sanitize_html=True,
                         latex_delimiters=[], allow_tags=False, buttons=["copy"], elem_id="qa-chat",
                         placeholder="Ask about the articles. Every answer quotes its lines.")
    with gr.Row():
        question = gr.Textbox(show_label=False, placeholder="Ask a question about the articles",
                              scale=5, elem_id="qa-question", autofocus=True)
        ask = gr.Button("Ask", variant="primary", scale=1, elem_id="qa-ask")
        new_chat = gr.Button("New chat", scale=1, elem_id="qa-new-chat")
    return ChatPanel(chatbot, question, ask, new_chat)


def filters_panel(library: "Library") -> FiltersPanel:
    import gradio as gr

    with gr.Accordion("Filters", open=False):
        sources = gr.Dropdown(library.sources(), multiselect=True, allow_custom_value=True,
                              label="Sources (pick, or type a glob such as local/*; empty: all)")
        with gr.Row():
            date_from = gr.Textbox(label="Published from", placeholder="YYYY-MM-DD")
            date_to = gr.Textbox(label="Published to", placeholder="YYYY-MM-DD")
            as_of = gr.Textbox(lambda: datetime.date.today().isoformat(), placeholder="YYYY-MM-DD",
                               label="As of: prefer news up to this day (clear: no preference)")
    return FiltersPanel(sources, date_from, date_to, as_of)


def upload_panel(library: "Library") -> UploadPanel:
    import gradio as gr

    from qa.uploads import ALLOWED_SUFFIXES

    with gr.Accordion("Add articles", open=False):
        files = gr.File(file_count="multiple", file_types=list(ALLOWED_SUFFIXES), elem_id="qa-upload",
                        label=f"{' '.join(ALLOWED_SUFFIXES)} up to {library.max_upload_bytes / 1e6:g} MB each")
        add = gr.Button("Add to the index", elem_id="qa-add")
        report = gr.HTML(elem_id="qa-upload-report")
    return UploadPanel(files, add, report)


def side_panel() -> SidePanel:
    import gradio as gr

    import app_views as v

    sources = gr.HTML(_no_sources(), js_on_load=v.SOURCES_JS, elem_id="qa-sources")
    viewer = gr.HTML(_no_article(), js_on_load=v.VIEWER_JS, elem_id="qa-viewer")
    return SidePanel(sources, viewer, gr.State([]), gr.State([]))


def build_ui(library: "Library", title: str = "Article QA") -> Any:
    """The page: chat, filters and uploads on the left; sources and the article viewer on the right;
    plus the `/ask` and `/search` API endpoints. Returns the `gr.Blocks`, not launched."""
    import gradio as gr

    import app_feeds
    import app_views as v

    with gr.Blocks(title=title, delete_cache=(3600, 3600)) as demo:
        gr.HTML(f"<h2 style='margin:0'>{html.escape(title)}</h2>")
        status = gr.HTML()
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chat = chat_panel(library)
                filters = filters_panel(library)
                upload = upload_panel(library)
                feeds = app_feeds.feed_panel(library)
            with gr.Column(scale=2):
                side = side_panel()

        def on_load() -> tuple[Any, ...]:
            """What may have changed since the page was built: uploads and feeds from any tab."""
            return (v.status_html(*library.status(), updated=library.last_updated()),
                    gr.update(choices=library.sources()), v.feeds_html(library.feeds()))

        demo.load(on_load, None, [status, filters.sources, feeds.feeds], api_visibility="private")
        wire_chat(library, chat, filters, side)
        wire_upload(library, upload, filters, status)
        app_feeds.wire_feeds(library, feeds, filters, status)
        add_api(library)
    demo.queue(default_concurrency_limit=4)
    return demo


def wire_chat(library: "Library", chat: ChatPanel, filters: FiltersPanel, side: SidePanel) -> None:
    """Asking (streamed), examples, citations opening the article, earlier answers, a new chat."""
    import gradio as gr

    import app_views as v
    from qa import QAError

    def on_ask(text: str, turns: list[dict[str, Any]], src: list[str], d_from: str, d_to: str,
               day: str) -> Iterator[tuple[Any, ...]]:
        """Stream one answer: the question at once, then the words, then sources and state."""
        text = " ".join((text or "").split())
        if not text:
            yield (gr.skip(),) * 6
            return
        pending = _messages(turns) + [{"role": "user", "content": v.question_html(text)},
                                      {"role": "assistant", "content": v.answer_html("Searching the articles ...", stage="pending")}]
        yield "", pending, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            # "As of" left at today's default prefers recent news only for questions about the present;
            # a date the person picked is a date on purpose.
            chosen = (day or "").strip() not in ("", datetime.date.today().isoformat())
            for answer in answer_stream(library, text, [t["question"] for t in turns], sources=src,
                                        published_from=d_from, published_to=d_to, as_of=day,
                                        prefer_recent=True if chosen else "auto"):
                if isinstance(answer, str):       # a language model's raw words, checked when complete
                    pending[-1] = {"role": "assistant", "content": v.answer_html(answer, True, "streaming")}
                    yield gr.skip(), pending, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        except (ValueError, QAError) as err:
            gr.Warning(str(err))
            yield text, _messages(turns), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        for part in ([] if answer.generated else v.stream_prefixes(answer.text)):
            pending[-1] = {"role": "assistant", "content": v.answer_html(part, answer.answered, "streaming")}
            yield gr.skip(), pending, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            time.sleep(0.02)
        shown = v.refs_for(answer)
        turns = turns + [{"question": text, "html": v.answer_html(with_notes(answer), answer.answered),
                          "refs": shown, "answered": answer.answered}]
        yield (gr.skip(), _messages(turns), turns, v.sources_html(shown, answer.answered, library.lines_of),
               shown, _no_article())

    ask_inputs = [chat.question, side.turns, *filters.inputs()]
    ask_outputs = [chat.question, chat.chatbot, side.turns, side.sources, side.refs, side.viewer]
    private = {"api_visibility": "private"}
    for trigger in (chat.question.submit, chat.ask.click):      # "once": no second question while one streams
        trigger(on_ask, ask_inputs, ask_outputs, trigger_mode="once", **private)

    def on_example(evt: gr.SelectData) -> str:
        return evt.value["text"]

    chat.chatbot.example_select(on_example, None, chat.question, **private).then(
        on_ask, ask_inputs, ask_outputs, **private)

    def on_open(shown: list[v.Ref], evt: gr.EventData) -> Any:
        i = getattr(evt, "ref", None)
        if not isinstance(i, int) or not 0 <= i < len(shown):
            return gr.skip()
        return v.article_html(shown[i], library.lines_of(shown[i].source))

    side.sources.click(on_open, [side.refs], side.viewer, **private)

    def on_pick(turns: list[dict[str, Any]], evt: gr.SelectData) -> tuple[Any, Any]:
        """Clicking an earlier message shows that answer's sources again."""
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if not isinstance(index, int) or not 0 <= index // 2 < len(turns):
            return gr.skip(), gr.skip()
        turn = turns[index // 2]
        return v.sources_html(turn["refs"], turn["answered"], library.lines_of), turn["refs"]

    chat.chatbot.select(on_pick, [side.turns], [side.sources, side.refs], **private)

    def on_new_chat() -> tuple[Any, ...]:
        return [], [], _no_sources(), [], _no_article(), ""

    cleared = [chat.chatbot, side.turns, side.sources, side.refs, side.viewer, chat.question]
    chat.new_chat.click(on_new_chat, None, cleared, **private)
    chat.chatbot.clear(on_new_chat, None, cleared, **private)


def wire_upload(library: "Library", upload: UploadPanel, filters: FiltersPanel, status: Any) -> None:
    """The "Add to the index" button, also callable (undocumented) as `/add`."""
    import gradio as gr

    import app_views as v
    from qa import QAError

    def on_add(paths: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        if not paths:
            return v.upload_report_html("Choose files first.", [], []), gr.skip(), gr.skip(), gr.skip()
        progress(0, desc="Ingesting")
        try:
            summary, kept, problems = library.ingest_uploads(
                [(Path(p), Path(p).name) for p in paths],
                lambda done, total: progress((done, total), desc="Ingesting", unit="articles"))
        except QAError as err:
            summary, kept, problems = "Nothing was added; the index is unchanged.", [], [str(err)]
        return (v.upload_report_html(summary, kept, problems), None,
                gr.update(choices=library.sources()), v.status_html(*library.status(), updated=library.last_updated()))

    # Undocumented but callable (`/add`, one at a time): a script adds articles the way the page does.
    upload.add.click(on_add, [upload.files], [upload.report, upload.files, filters.sources, status],
                     concurrency_limit=1, api_name="add", api_visibility="undocumented")
