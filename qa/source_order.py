"""A question that names one of several reports by its order: "in the first flood report", "in the
update", "according to the later article".

`ordered_reference` finds such a phrase, returns the question without its wrapper words (the
topic words stay: "in the first Millbrook flood report" leaves "Millbrook flood") and which end
of the articles it asks for (none when the question names two: it asks about both). The
assistant then answers from the earliest or the latest published of the retrieved articles on
the best hit's story (`at_end`).

    >>> ordered_reference("how many homes evacuated in the first Millbrook flood report?")
    ('how many homes evacuated Millbrook flood?', 'earliest')
    >>> ordered_reference("how many properties inspected in the update?")
    ('how many properties inspected?', 'latest')
    >>> ordered_reference("According to the update, how many homes had been evacuated?")
    ('how many homes had been evacuated?', 'latest')
    >>> ordered_reference("How many in the first report, and how many by the later update?")[1] is None
    True
    >>> ordered_reference("What does the Harbor Herald article say the pass costs?")
    ('What does the Harbor Herald article say the pass costs?', None)
"""

from __future__ import annotations

import re
from typing import Any

_EARLY = {"first", "earlier", "earliest", "original", "initial", "previous", "older", "oldest"}
_LATE = {"second", "later", "latest", "newer", "newest", "follow-up", "recent", "most recent"}
_ORDERS = "|".join(sorted(_EARLY | _LATE, key=lambda w: (-len(w), w)))      # "most recent" before "recent"
_REFERENCE = re.compile(rf"\s*\b(?:in|from|according to|by) the (?:({_ORDERS}) )?((?:[\w'-]+ ){{0,4}}?)"
                        r"(report|article|story|piece|update)\b", re.I)


def ordered_reference(question: str) -> tuple[str, str | None]:
    """The question without an ordered reference to a report, and "earliest", "latest" or None."""
    found = list(_REFERENCE.finditer(question))
    if len(found) != 1:
        return question, None                   # "in the first report ..., and by the later update?": both
    m = found[0]
    order, inner, noun = (m.group(1) or "").lower(), m.group(2).strip(), m.group(3).lower()
    end = "earliest" if order in _EARLY else "latest" if order in _LATE or noun == "update" else None
    if end is None:
        return question, None
    rest = f" {inner}" if inner else ""
    return (question[:m.start()] + rest + question[m.end():]).strip(" ,;:"), end


def at_end(hits: list[Any], end: str, model: Any, same_story: float = 0.5) -> Any:
    """The earliest or latest published of the `hits` (`qa.retrieval.ArticleHit`, best first) on
    the best hit's story: articles whose vectors in the read `model` are at least `same_story`
    close to its own (the flood and its update, not the earnings report)."""
    rows = [model.article_row.get(h.article_id) for h in hits]
    if rows[0] is None:
        return hits[0]
    top = model.article_vectors[rows[0]]
    story = [h for h, r in zip(hits, rows) if r is not None and float(model.article_vectors[r] @ top) >= same_story]
    return (min if end == "earliest" else max)(story, key=lambda h: int(model.table.published_day[h.chunks[0][0]]))
