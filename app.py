"""The browser chat over the articles: `python app.py [--index DIR] [--host H] [--port P] [--auth U:P]`.

Wiring only: command line -> `Config` -> `app_library.Library` (the open index: answers,
article lines, uploads) -> the Gradio page (`build_ui`), whose HTML `app_views` builds and
escapes. This is the one module that knows Gradio. On a first start with no index it ingests
the bundled `samples/`. Besides the page it serves two named API endpoints, `/ask` and
`/search`, that return the JSON of `qa ask --json` / `qa search --json` (`/ask` takes the earlier
questions of a conversation as `history`), and the page's upload as an undocumented `/add`
(files in; report, sources and status out). It binds 127.0.0.1 unless told otherwise and
warns when exposed elsewhere without `--auth`.
"""

import argparse
import datetime
import html
import ipaddress
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.offline import apply_offline_defaults

if TYPE_CHECKING:
    from app_library import Library


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="app.py", description="Browser chat over a folder of articles, with line citations.")
    p.add_argument("--index", type=Path, default=None, help="index folder (default: $QA_INDEX, else ./qa_index)")
    p.add_argument("--chroma-url", default=None, help="use a Chroma server, e.g. http://127.0.0.1:8000")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    p.add_argument("--precision", default="auto", choices=("auto", "fp32", "bf16"),
                   help="CPU embedding precision (default auto: bf16 where the CPU multiplies it natively)")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--auth", default=os.environ.get("QA_AUTH"), metavar="USER:PASSWORD",
                   help="require this login (default: $QA_AUTH)")
    p.add_argument("--uploads", type=Path, default=None, help="where uploaded articles are kept (default: INDEX/uploads)")
    p.add_argument("--max-upload-mb", type=float, default=10, help="largest upload accepted, in MB (default 10)")
    return p


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not (sep and user and password):
        raise ValueError("--auth must be USER:PASSWORD, both non-empty")
    return user, password


def launch_options(args: argparse.Namespace) -> dict[str, Any]:
    """`Blocks.launch` keyword arguments for the command line; warns when the page is exposed."""
    auth = parse_auth(args.auth)
    if not args.max_upload_mb > 0:
        raise ValueError("--max-upload-mb must be more than 0")
    if not is_loopback(args.host) and auth is None:
        print(f"warning: serving on {args.host} without --auth: anyone who can reach this machine can read "
              "the articles and add to them. Use --auth USER:PASSWORD.", file=sys.stderr)
    return {"server_name": args.host, "server_port": args.port, "auth": auth,
            "auth_message": "Sign in to ask the articles." if auth else None,
            "max_file_size": int(args.max_upload_mb * 1e6), **page_options()}


def page_options() -> dict[str, Any]:
    """Launch options every run shares: local fonts only, no SSR, no MCP, the app's CSS."""
    import gradio as gr

    from app_views import CSS

    theme = gr.themes.Default(font=["system-ui", "Segoe UI", "Roboto", "sans-serif"],
                              font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"])
    return {"theme": theme, "css": CSS, "ssr_mode": False, "mcp_server": False, "footer_links": ["api"],
            "show_error": False}


def build_ui(library: "Library", title: str = "Article QA") -> Any:
    """The page: chat, filters and uploads on the left; sources and the article viewer on the right;
    plus the `/ask` and `/search` API endpoints. Returns the `gr.Blocks`, not launched."""
    import gradio as gr

    import app_views as v
    from app_library import ALLOWED_SUFFIXES
    from qa import QAError

    no_article = v.placeholder_html("Click a citation to open the article at the cited lines.")
    no_sources = v.placeholder_html("Ask a question: the lines each answer rests on appear here.")

    def messages(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [m for t in turns for m in ({"role": "user", "content": v.question_html(t["question"])},
                                           {"role": "assistant", "content": t["html"]})]

    def examples() -> list[dict[str, str]] | None:
        return [{"text": q} for q in v.examples_for(set(library.sources()))] or None

    with gr.Blocks(title=title, delete_cache=(3600, 3600)) as demo:
        turns = gr.State([])          # [{"question", "html", "refs", "answered"}], this browser tab's chat
        refs = gr.State([])           # the refs the sources panel shows now
        gr.HTML(f"<h2 style='margin:0'>{html.escape(title)}</h2>")
        status = gr.HTML()
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=520, examples=examples(), sanitize_html=True,
                                     latex_delimiters=[], allow_tags=False, buttons=["copy"], elem_id="qa-chat",
                                     placeholder="Ask about the articles. Every answer quotes its lines.")
                with gr.Row():
                    question = gr.Textbox(show_label=False, placeholder="Ask a question about the articles",
                                          scale=5, elem_id="qa-question", autofocus=True)
                    ask = gr.Button("Ask", variant="primary", scale=1, elem_id="qa-ask")
                    new_chat = gr.Button("New chat", scale=1, elem_id="qa-new-chat")
                with gr.Accordion("Filters", open=False):
                    sources = gr.Dropdown(library.sources(), multiselect=True, allow_custom_value=True,
                                          label="Sources (pick, or type a glob such as local/*; empty: all)")
                    with gr.Row():
                        date_from = gr.Textbox(label="Published from", placeholder="YYYY-MM-DD")
                        date_to = gr.Textbox(label="Published to", placeholder="YYYY-MM-DD")
                        as_of = gr.Textbox(lambda: datetime.date.today().isoformat(), placeholder="YYYY-MM-DD",
                                           label="As of: prefer news up to this day (clear: no preference)")
                with gr.Accordion("Add articles", open=False):
                    files = gr.File(file_count="multiple", file_types=list(ALLOWED_SUFFIXES), elem_id="qa-upload",
                                    label=f"{' '.join(ALLOWED_SUFFIXES)} up to {library.max_upload_bytes / 1e6:g} MB each")
                    add = gr.Button("Add to the index", elem_id="qa-add")
                    upload_report = gr.HTML(elem_id="qa-upload-report")
            with gr.Column(scale=2):
                sources_panel = gr.HTML(no_sources, js_on_load=v.SOURCES_JS, elem_id="qa-sources")
                viewer = gr.HTML(no_article, js_on_load=v.VIEWER_JS, elem_id="qa-viewer")

        filters = [sources, date_from, date_to, as_of]

        def on_load() -> tuple[str, Any]:
            """What may have changed since the page was built: uploads from any tab."""
            return v.status_html(*library.status()), gr.update(choices=library.sources())

        demo.load(on_load, None, [status, sources], api_visibility="private")

        def on_ask(text: str, chat: list[dict[str, Any]], src: list[str], d_from: str, d_to: str,
                   day: str) -> Iterator[tuple[Any, ...]]:
            """Stream one answer: the question at once, then the words, then sources and state."""
            text = " ".join((text or "").split())
            if not text:
                yield (gr.skip(),) * 6
                return
            pending = messages(chat) + [{"role": "user", "content": v.question_html(text)},
                                        {"role": "assistant", "content": v.answer_html("Searching the articles ...", stage="pending")}]
            yield "", pending, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            try:
                answer = library.ask(text, [t["question"] for t in chat], sources=src, published_from=d_from,
                                     published_to=d_to, as_of=day)
            except (ValueError, QAError) as err:
                gr.Warning(str(err))
                yield text, messages(chat), gr.skip(), gr.skip(), gr.skip(), gr.skip()
                return
            for part in v.stream_prefixes(answer.text):
                pending[-1] = {"role": "assistant", "content": v.answer_html(part, answer.answered, "streaming")}
                yield gr.skip(), pending, gr.skip(), gr.skip(), gr.skip(), gr.skip()
                time.sleep(0.02)
            shown = v.refs_for(answer)
            chat = chat + [{"question": text, "html": v.answer_html(answer.text, answer.answered),
                            "refs": shown, "answered": answer.answered}]
            yield (gr.skip(), messages(chat), chat, v.sources_html(shown, answer.answered, library.lines_of),
                   shown, no_article)

        ask_outputs = [question, chatbot, turns, sources_panel, refs, viewer]
        private = {"api_visibility": "private"}
        for trigger in (question.submit, ask.click):        # "once": no second question while one streams
            trigger(on_ask, [question, turns, *filters], ask_outputs, trigger_mode="once", **private)

        def on_example(evt: gr.SelectData) -> str:
            return evt.value["text"]

        chatbot.example_select(on_example, None, question, **private).then(
            on_ask, [question, turns, *filters], ask_outputs, **private)

        def on_open(shown: list[v.Ref], evt: gr.EventData) -> Any:
            i = getattr(evt, "ref", None)
            if not isinstance(i, int) or not 0 <= i < len(shown):
                return gr.skip()
            return v.article_html(shown[i], library.lines_of(shown[i].source))

        sources_panel.click(on_open, [refs], viewer, **private)

        def on_pick(chat: list[dict[str, Any]], evt: gr.SelectData) -> tuple[Any, Any]:
            """Clicking an earlier message shows that answer's sources again."""
            index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            if not isinstance(index, int) or not 0 <= index // 2 < len(chat):
                return gr.skip(), gr.skip()
            turn = chat[index // 2]
            return v.sources_html(turn["refs"], turn["answered"], library.lines_of), turn["refs"]

        chatbot.select(on_pick, [turns], [sources_panel, refs], **private)

        def on_new_chat() -> tuple[Any, ...]:
            return [], [], no_sources, [], no_article, ""

        new_chat.click(on_new_chat, None, [chatbot, turns, sources_panel, refs, viewer, question], **private)
        chatbot.clear(on_new_chat, None, [chatbot, turns, sources_panel, refs, viewer, question], **private)

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
                    gr.update(choices=library.sources()), v.status_html(*library.status()))

        # Undocumented but callable (`/add`, one at a time): a script adds articles the way the page does.
        add.click(on_add, [files], [upload_report, files, sources, status], concurrency_limit=1,
                  api_name="add", api_visibility="undocumented")

        def api_ask(question: str, k: int = 5, as_of: str = "", sources: list[str] | None = None,
                    published_from: str = "", published_to: str = "", history: list[str] | None = None) -> dict:
            """Answer `question` with cited lines; the JSON of `qa ask --json`."""
            try:
                return library.ask(question, history or [], k=k, as_of=as_of, sources=sources or [],
                                   published_from=published_from, published_to=published_to).to_json()
            except (ValueError, QAError) as err:
                raise gr.Error(str(err)) from None

        def api_search(query: str, k: int = 5, as_of: str = "", sources: list[str] | None = None,
                       published_from: str = "", published_to: str = "") -> list[dict]:
            """The best passages for `query`; the JSON of `qa search --json`."""
            try:
                return [p.to_json() for p in library.search(query, k=k, as_of=as_of, sources=sources or [],
                                                            published_from=published_from, published_to=published_to)]
            except (ValueError, QAError) as err:
                raise gr.Error(str(err)) from None

        gr.api(api_ask, api_name="ask")
        gr.api(api_search, api_name="search")
    demo.queue(default_concurrency_limit=4)
    return demo


def main(argv: list[str] | None = None) -> int:
    apply_offline_defaults()            # before Gradio, Chroma or Hugging Face are imported
    args = build_parser().parse_args(argv)
    from app_library import open_library
    from index.embed import MiniLMEmbedder
    from qa import Config, QAError

    config = Config(**({"index_dir": args.index} if args.index else {}), chroma_url=args.chroma_url, device=args.device,
                    precision=args.precision)
    try:
        options = launch_options(args)
        embedder = MiniLMEmbedder(device=config.device, precision=config.precision)
        library = open_library(config, embedder, args.uploads or config.index_dir / "uploads",
                               int(args.max_upload_mb * 1e6))
        print("Loading the model ...", file=sys.stderr)
        embedder.load()                 # now, not on the first question
    except (QAError, ValueError) as err:
        print(f"app: error: {err}", file=sys.stderr)
        return 2
    try:
        build_ui(library).launch(**options)
    except OSError as err:             # e.g. the port is taken
        print(f"app: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
