"""Public data types: `Passage`, `Citation`, `Answer`, and the `Retriever` protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Passage:
    """A retrieved span of one article. Lines are 1-based and inclusive."""

    text: str
    source: str
    start_line: int
    end_line: int
    score: float
    title: str = ""
    published: str = ""
    article_id: str = ""

    @property
    def citation(self) -> str:
        """``source:start-end``, e.g. ``article.txt:20-24``."""
        return f"{self.source}:{self.start_line}-{self.end_line}"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "start_line": self.start_line, "end_line": self.end_line,
                "score": round(self.score, 6), "text": self.text, "title": self.title, "published": self.published}


@dataclass(frozen=True)
class Citation:
    """What stands behind one marker ``[n]``: the cited lines, quoted verbatim."""

    marker: int
    source: str
    start_line: int
    end_line: int
    quote: str
    title: str = ""
    published: str = ""

    @property
    def citation(self) -> str:
        return f"{self.source}:{self.start_line}-{self.end_line}"

    def to_json(self) -> dict[str, Any]:
        return {"marker": self.marker, "source": self.source, "start_line": self.start_line,
                "end_line": self.end_line, "quote": self.quote}


@dataclass(frozen=True)
class ShortAnswer:
    """The answer in a few words, verbatim from the line cited by `marker`.

    `start`/`end` are character offsets inside that line (line `line` of the article), so
    ``article_lines[line - 1][start:end] == text``.
    """

    text: str
    marker: int
    line: int
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "marker": self.marker, "line": self.line, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class CheckedSentence:
    """One sentence of a generated answer and our check of it (`qa.generative.verify`):
    `markers` are the citations it rests on (none when unsupported); `reason` says why not."""

    text: str
    markers: tuple[int, ...]
    supported: bool
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "markers": list(self.markers), "supported": self.supported, "reason": self.reason}


@dataclass(frozen=True)
class Answer:
    """The answer text with inline markers ``[1]``; `answered` is False when the assistant declined.

    `short` is the answer in a few words when the question asks for a person, place, date,
    number or thing and a span of the cited lines gives it (None for why/how questions, or
    when no span is confident); `text` then starts with it.
    """

    question: str
    text: str
    answered: bool
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    query: str = ""                     # what was searched (the question with its context)
    timings: dict[str, float] = field(default_factory=dict)
    signals: dict[str, float] = field(default_factory=dict)   # what the decline decision looked at
    short: ShortAnswer | None = None
    # A language model's answer (`qa.generative`): its sentences as checked, and notes such as why
    # the extractive answer was kept instead. JSON "generated"/"sentences"/"notes" appear only then.
    sentences: tuple[CheckedSentence, ...] = ()
    notes: tuple[str, ...] = ()
    generated: bool = False

    def to_json(self) -> dict[str, Any]:
        out = {"question": self.question, "answer": self.text, "answered": self.answered,
               "short": self.short.to_json() if self.short else None,
               "citations": [c.to_json() for c in self.citations],
               "passages": [p.to_json() for p in self.passages]}
        if self.generated or self.notes:
            out.update(generated=self.generated, sentences=[s.to_json() for s in self.sentences],
                       notes=list(self.notes))
        return out


class Retriever(Protocol):
    def retrieve(self, query: str, k: int = 5, **filters: Any) -> list[Passage]:
        """At most `k` passages, best first. Filters: `sources` (glob or list of globs),
        `published_from`/`published_to` (YYYY-MM-DD), `as_of` (YYYY-MM-DD)."""
        ...


__all__ = ["Passage", "Citation", "ShortAnswer", "CheckedSentence", "Answer", "Retriever"]
