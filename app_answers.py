"""Where the page's and the API's answers come from: the library's extractive answer, or, with
`--llm-url`, a language model's answer checked sentence by sentence (`qa.generative`); and the
`/ask` and `/search` endpoints. Gradio is imported inside `add_api` only.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.library import Library


def model_for(library: "Library") -> Any:
    """With `--llm-url`: a `qa.generative` assistant over the library (answers a language model writes
    and our check marks sentence by sentence); None otherwise, and nothing connects anywhere."""
    from qa.generative.compose import ModelAssistant, settings_from

    settings = settings_from(library.config)
    return settings and ModelAssistant(library, settings, lines_of=lambda p: library.lines_of(p.source))


def answer_stream(library: "Library", question: str, history: list[str], **filters: Any) -> Iterator[Any]:
    """A language model's raw text so far (str, while it streams), then the `Answer` (last)."""
    model = model_for(library)
    if model is None:
        yield library.ask(question, history, **filters)
    else:
        yield from model.stream(question, history, **filters)


def with_notes(answer: Any) -> str:
    """The answer's text, then its notes (why the model's answer was not used, markers removed)."""
    return answer.text + "".join(f"\n\nⓘ {note}" for note in answer.notes)


def add_api(library: "Library") -> None:
    """The `/ask` and `/search` endpoints: the JSON of `qa ask --json` and `qa search --json`."""
    import gradio as gr

    from qa import QAError

    def api_ask(question: str, k: int = 5, as_of: str = "", sources: list[str] | None = None,
                published_from: str = "", published_to: str = "", history: list[str] | None = None) -> dict:
        """Answer `question` with cited lines; the JSON of `qa ask --json`."""
        try:
            asker = model_for(library) or library     # with --llm-url: the model's answer, checked
            return asker.ask(question, history or [], k=k, as_of=as_of, sources=sources or [],
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
