"""Fill-in questions ("The Fed's hike was the largest since:", "He fractured his wrist in:"): the
short answer is what the quoted sentence puts after the question's last word, a preposition.

The question ends with a colon (or "...", "___") after a preposition; the sentence must hold that
preposition, after one of the question's words just before it where it has more than one ("the
largest hike since 1994"), and the answer is the phrase the preposition governs (its object), without a
leading article or the quotation marks around it, and without what the sentence adds after it
(an apposition, a clause) but "of" phrases ("the first Sunday of every month").

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> tail = cloze_tail("The ferry council's fare cap was the first since:")
    >>> tail
    ['fare', 'cap', 'was', 'the', 'first', 'since']
    >>> d = p.parse(["It was the first fare cap since 1994, and the first change since June."])[0]
    >>> cloze_span(d, tail).text
    '1994'
    >>> d = p.parse(["He missed the season after fracturing his wrist in a bicycle accident."])[0]
    >>> cloze_span(d, cloze_tail("He will miss the season after fracturing his wrist in:")).text
    'bicycle accident'
    >>> d = p.parse(["The award went to Auntie Bao's Kitchen, a family-run stall from the Northgate market."])[0]
    >>> cloze_span(d, cloze_tail("The festival's award went to:")).text
    "Auntie Bao's Kitchen"
"""

from __future__ import annotations

import re
from typing import Any

_BLANK = re.compile(r"(?:[:…]|\.\.\.|_{2,})\s*$")


def cloze_tail(question: str) -> list[str] | None:
    """The question's last words, lower-cased, when it ends in a blank after a word; else None."""
    if not _BLANK.search(question):
        return None
    words = re.findall(r"[\w'’-]+", _BLANK.sub("", question).lower())
    return words[-6:] if words else None


def cloze_span(doc: Any, tail: list[str]) -> Any:
    """The phrase the question's last word (a preposition) governs in the parsed sentence, or None."""
    last, before = tail[-1], set(tail[:-1])
    best, best_hits = None, -1
    for tok in doc:
        if tok.lower_ != last or tok.dep_ not in ("prep", "agent", "dative"):
            continue
        hits = sum(t.lower_ in before for t in doc[max(0, tok.i - 4):tok.i] if t.is_alpha and not t.is_stop)
        if hits > best_hits:
            best, best_hits = tok, hits
    if best is None or best_hits == 0 and sum(t.lower_ == last for t in doc) > 1:
        return None
    obj = next((c for c in best.children if c.dep_ in ("pobj", "pcomp")), None)
    if obj is None:
        return None
    start, end = obj.left_edge.i, obj.i + 1
    for child in obj.rights:                      # "the first Sunday of every month", not "..., a family-run stall"
        if not (child.dep_ == "prep" and child.lower_ == "of" or child.dep_ in ("compound", "nummod", "amod")):
            break
        end = child.right_edge.i + 1
    while start < end and (doc[start].is_punct or doc[start].dep_ == "det"):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end] if 0 < end - start <= 8 else None
