"""`ModelAssistant`: answers written by a language model, every sentence checked against its cited lines.

The flow for one question: the wrapped assistant's extractive answer first (it retrieves the
passages and is the fallback); the passages' stored lines become numbered evidence; the model
answers (streamed in the chat, whole in the CLI and the API); `verify` checks each sentence.
Supported sentences keep markers that cite the stored lines, quoted verbatim; unsupported ones
are shown marked (``⚠ unverified: ...``, JSON ``"supported": false``) without a citation. When
no sentence is supported, the model declines, or the endpoint fails (down, slow, refusing,
nonsense), the extractive answer is returned with a one-line note saying why.

Left out: HTTP (`client`), the prompt's wording (`prompt`), the rule itself (`verify`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from qa.composer import verify_quote
from qa.conversation import context_for
from qa.generative.client import ChatClient, ModelError, ModelSettings
from qa.generative.prompt import NO_ANSWER, Evidence, build_messages
from qa.generative.verify import Check, check_answer
from qa.types import Answer, CheckedSentence, Citation, Passage

UNVERIFIED = "⚠ unverified: "
LinesOf = Callable[[Passage], Sequence[str] | None]


def gather_evidence(answer: Answer, lines_of: LinesOf, max_chars: int = 12000) -> list[Evidence]:
    """The passages' stored lines, numbered from 1 in retrieval order, then any line the extractive
    answer cites outside them; stops before `max_chars` of text."""
    items: list[Evidence] = []
    size = 0
    spans = [(p, p.start_line, p.end_line) for p in answer.passages]
    for c in answer.citations:
        p = next((p for p in answer.passages if p.source == c.source), None)
        inside = any(q.source == c.source and q.start_line <= c.start_line and c.end_line <= q.end_line
                     for q in answer.passages)
        if p is not None and not inside:
            spans.append((p, c.start_line, c.end_line))
    for p, start, end in spans:
        lines = lines_of(p)
        if not lines or not 1 <= start <= end <= len(lines):
            continue                       # gone from the store since it was retrieved
        chunk = tuple(lines[start - 1:end])
        size += sum(len(line) for line in chunk)
        if items and size > max_chars:
            break
        items.append(Evidence(len(items) + 1, p.source, start, chunk, p.article_id, p.title, p.published))
    return items


def _fallback(extractive: Answer, note: str, checks: Sequence[Check] = ()) -> Answer:
    signals = {**extractive.signals, "model_sentences": float(len(checks)),
               "model_supported": float(sum(c.supported for c in checks))}
    return replace(extractive, notes=extractive.notes + (f"{note}; this is the extractive answer.",),
                   signals=signals)


def verified_answer(extractive: Answer, text: str, evidence: list[Evidence], lines_of: LinesOf,
                    finish_reason: str = "") -> Answer:
    """The model's `text` checked sentence by sentence against `evidence` (see the module docstring)."""
    notes: list[str] = []
    checks = check_answer(text, evidence, extractive.query or extractive.question)   # the question with its context
    if finish_reason == "length" and checks and not checks[-1].sentence.text.endswith((".", "!", "?", '"', "”")):
        checks = checks[:-1]
        notes.append("the model reached its token limit; its unfinished last sentence is left out")
    if not checks or all(c.sentence.text.strip().lower() == NO_ANSWER.lower() for c in checks):
        return _fallback(extractive, "the language model found no answer in the evidence", checks)
    if not any(c.supported for c in checks):
        return _fallback(extractive, "none of the language model's sentences is supported by the lines it cites", checks)
    by_number = {e.number: e for e in evidence}
    markers: dict[tuple[int, int, int], int] = {}
    citations: list[Citation] = []
    shown: list[str] = []
    sentences: list[CheckedSentence] = []
    for check in checks:
        own: list[int] = []
        for span in check.spans:
            if span not in markers:
                e = by_number[span[0]]
                quote = "\n".join(e.lines[span[1] - e.start_line:span[2] - e.start_line + 1])
                citation = Citation(len(markers) + 1, e.source, span[1], span[2], quote, e.title, e.published)
                article = lines_of(Passage("", e.source, e.start_line, e.end_line, 0.0, article_id=e.article_id))
                verify_quote(tuple(article or ()), citation)
                markers[span] = citation.marker
                citations.append(citation)
            own.append(markers[span])
        body = check.sentence.text
        if check.supported:
            shown.append(f"{body} " + "".join(f"[{m}]" for m in own))
        else:
            shown.append(UNVERIFIED + body)
        sentences.append(CheckedSentence(body, tuple(own), check.supported, check.reason))
        if check.dropped:
            notes.append(f"markers {', '.join(f'[{n}]' for n in check.dropped)} named no evidence and were removed")
    signals = {**extractive.signals, "model_sentences": float(len(checks)),
               "model_supported": float(sum(c.supported for c in checks))}
    return replace(extractive, text=" ".join(shown), answered=True, citations=tuple(citations), short=None,
                   signals=signals, sentences=tuple(sentences), notes=tuple(notes), generated=True)


def lines_from(assistant: Any) -> LinesOf:
    """Stored lines of a passage's article through an `Assistant` (`article_lines`)."""
    def lines_of(p: Passage) -> Sequence[str] | None:
        try:
            return assistant.article_lines(p.article_id)
        except KeyError:
            return None
    return lines_of


class ModelAssistant:
    """An assistant whose answers a language model writes and `verify` checks.

    `assistant` needs ``ask(question, history, k=k, **filters) -> Answer`` (an `Assistant`, or the
    app's `Library`); `lines_of(passage)` gives the stored lines of a passage's article
    (default: ``assistant.article_lines(passage.article_id)``).
    """

    def __init__(self, assistant: Any, settings: ModelSettings, lines_of: LinesOf | None = None,
                 client: ChatClient | None = None) -> None:
        self.assistant = assistant
        self.client = client or ChatClient(settings)
        self._lines_of = lines_of or lines_from(assistant)

    def stream(self, question: str, history: Sequence[Any] | None = None, k: int = 5,
               **filters: Any) -> Iterator[str | Answer]:
        """The model's raw text so far (str) as it streams, then the verified `Answer` (last)."""
        extractive, messages, evidence, started = self._prepare(question, history, k, filters)
        if messages is None:
            yield extractive
            return
        shown = ""
        try:
            pieces = self.client.stream(messages)
            while True:
                try:
                    shown += next(pieces)
                except StopIteration as stop:
                    reply = stop.value
                    break
                yield shown
        except ModelError as err:
            yield _fallback(extractive, str(err))
            return
        yield self._finish(extractive, reply.text, evidence, reply.finish_reason, started)

    def ask(self, question: str, history: Sequence[Any] | None = None, k: int = 5, **filters: Any) -> Answer:
        """The verified answer (the reply read whole, not streamed)."""
        extractive, messages, evidence, started = self._prepare(question, history, k, filters)
        if messages is None:
            return extractive
        try:
            reply = self.client.complete(messages)
        except ModelError as err:
            return _fallback(extractive, str(err))
        return self._finish(extractive, reply.text, evidence, reply.finish_reason, started)

    def _prepare(self, question: str, history: Sequence[Any] | None, k: int,
                 filters: dict[str, Any]) -> tuple[Answer, list[dict[str, str]] | None, list[Evidence], float]:
        started = time.perf_counter()
        extractive = self.assistant.ask(question, list(history or []), k=k, **filters)
        evidence = gather_evidence(extractive, self._lines_of)
        if not evidence:
            return _fallback(extractive, "no article lines were found to give the language model"), None, [], started
        context = context_for(question.strip(), history)
        return extractive, build_messages(question.strip(), evidence, [context] if context else None), evidence, started

    def _finish(self, extractive: Answer, text: str, evidence: list[Evidence], finish_reason: str,
                started: float) -> Answer:
        answer = verified_answer(extractive, text, evidence, self._lines_of, finish_reason)
        return replace(answer, timings={**answer.timings, "with_model_ms": (time.perf_counter() - started) * 1000})

    # What eval and the app use of an assistant besides `ask`, passed through.
    @property
    def embedder(self) -> Any:
        return self.assistant.embedder

    def clear_query_cache(self) -> None:
        self.assistant.clear_query_cache()

    def search(self, query: str, k: int = 5, **filters: Any) -> list[Passage]:
        return self.assistant.search(query, k=k, **filters)


def settings_from(config: Any) -> ModelSettings | None:
    """The model settings a `Config` names (None without `llm_url`: nothing connects)."""
    if not getattr(config, "llm_url", None):
        return None
    return ModelSettings(config.llm_url, config.llm_model or "", config.llm_timeout)
