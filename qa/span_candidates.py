"""The candidate spans of one parsed sentence for the kind of thing a question asks for (`qa.spans`
scores them): its named entities, less a dateline's place ("WASHINGTON —") and a compass word
alone; names joined by "and" for a question asking for several; numbers the tagger left
untagged; for a place, the object of "in"/"at" ("in the market square", a venue tagged as an
organisation); for a doer, a plural
role noun ("built by students"); for "which X", noun phrases and titles in quotation marks.
"""

from __future__ import annotations

import re

from typing import Any

from qa.span_roles import TIME_UNIT
from qa.span_text import currency, trim, whole_name

_OPENING, _CLOSING = {"“", '"', "‘"}, {"”", '"', "’"}
_DASHES = {"-", "–", "—", "--"}
_COMPASS = {"north", "south", "east", "west", "the north", "the south", "the east", "the west"}
_COUNTED = re.compile(r"\b(?:which|what|name)\s+(?:two|three|four|five)\b", re.I)
_AT_PLACE = {"in", "at", "near", "inside", "outside", "into", "onto", "across", "along", "off"}


def candidate_spans(analysis: Any, doc: Any, role_nouns: frozenset[str],
                    known: frozenset[str] = frozenset()) -> list[tuple[Any, str]]:
    """A parsed sentence's candidate spans for the kind asked (`qa.question.QuestionAnalysis`), with
    their labels: its entities, numbers, and the noun phrases a kind takes (a place "in the market
    square", "which X", a doer "built by students": a plural of `role_nouns`), and for a person a
    word of `known` (`surnames` of the text before) that no entity holds ("Petrakis conceded")."""
    out = [(trim(whole_name(ent), ent.label_), ent.label_) for ent in doc.ents
           if not dateline(ent) and ent.text.lower() not in _COMPASS]   # "the authoritarian North" names no place
    if analysis.several:                  # "Sweden and Finland" before "Sweden" alone (a tie goes to the first)
        # "Which two members ...?" is not answered by one name: only the names joined
        out = joined(doc) + ([] if _COUNTED.search(analysis.core) else out)
    if analysis.kind in ("money", "number", "percent", "count", "measure"):
        out = [currency(s, lab) for s, lab in out]
        # "How many years was the sentence?": the 12 of "12 years" (tagged DATE) counts years
        timed = analysis.kind == "count" and bool(TIME_UNIT.fullmatch(analysis.focus))
        tagged = {t.i for ent in doc.ents if not (timed and ent.label_ in ("DATE", "TIME")) for t in ent}
        out += [(doc[t.i:t.i + 1], "CARDINAL") for t in doc if t.like_num and t.i not in tagged]  # "four" untagged
    if analysis.kind in ("person", "who"):  # "built by students": a doer need not be a name
        taken = {t.i for s, _ in out for t in s}
        out += [(doc[c.root.i:c.root.i + 1], "PERSON") for c in doc.noun_chunks if c.root.dep_ == "pobj"
                and c.root.head.dep_ == "agent" and c.root.tag_ == "NNS" and c.root.i not in taken
                and c.root.lower_[:-1] in role_nouns]
        out += [(doc[t.i:t.i + 1], "PERSON") for t in doc if t.text in known and t.i not in taken]
    if analysis.kind == "place":          # "in the market square": a place need not be a name
        # "at the Larch Valley Community Sports Hall" (tagged ORG): a venue is a place where it stands
        out = [(s, "LOC_NP" if lab == "ORG" and s.root.dep_ == "pobj" and s.root.head.lower_ in _AT_PLACE else lab)
               for s, lab in out]
        taken = {(s.start, s.end) for s, _ in out}
        dated = {t.i for ent in doc.ents if ent.label_ in ("DATE", "TIME") for t in ent}
        for chunk in doc.noun_chunks:
            chunk = trim(chunk)
            root = chunk.root if len(chunk) else None
            if (root is not None and root.dep_ == "pobj" and root.head.lower_ in _AT_PLACE
                    and (chunk.start, chunk.end) not in taken and not dated & {t.i for t in chunk}
                    and root.pos_ != "PRON"):
                out.append((chunk, "LOC_NP"))
    if analysis.focus and analysis.kind == "thing":
        out += [q for q in quoted_titles(doc) if all((q[0].start, q[0].end) != (s.start, s.end) for s, _ in out)]
        taken = {(s.start, s.end) for s, _ in out}
        for chunk in doc.noun_chunks:
            chunk = trim(chunk)
            if len(chunk) and (chunk.start, chunk.end) not in taken and chunk.root.pos_ != "PRON":
                out.append((chunk, "NP"))
    return out


def quoted_titles(doc: Any) -> list[tuple[Any, str]]:
    """Short capitalised phrases in quotation marks, which the tagger often misses as titles
    ("“Succession,” the HBO drama"): WORK_OF_ART spans, without the comma inside the quotes.

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["“Quiet Harbour,” the drama, won; she said “it was very early days” then."])[0]
    >>> [(s.text, label) for s, label in quoted_titles(d)]
    [('Quiet Harbour', 'WORK_OF_ART')]
    """
    out = []
    for i, tok in enumerate(doc):
        if tok.text not in _OPENING:
            continue
        close = next((j for j in range(i + 1, min(i + 9, len(doc))) if doc[j].text in _CLOSING), None)
        if close is None:
            continue
        end = close
        while end > i + 1 and doc[end - 1].is_punct:
            end -= 1
        inner = doc[i + 1:end]
        if 1 <= len(inner) <= 6 and inner[0].text[:1].isupper() and sum(t.is_alpha and t.is_lower for t in inner) <= 1:
            out.append((inner, "WORK_OF_ART"))
    return out


def joined(doc: Any) -> list[tuple[Any, str]]:
    """Named entities of one label listed with "," and "and" ("Sweden and Finland", "N4, N7 and
    N9"), as one span: each list that ends in "and"."""
    ents, out = list(doc.ents), []
    for i, first in enumerate(ents):
        for a, b in zip(ents[i:], ents[i + 1:]):
            link = [t.lower_ for t in doc[a.end:b.start]]
            if b.label_ != first.label_ or link not in (["and"], [",", "and"], [","]):
                break
            if link != [","]:
                out.append((trim(doc[first.start:b.end], first.label_), first.label_))
                break
    return out


def dateline(span: Any) -> bool:
    """Is the span the place of a dateline ("WASHINGTON —", "GARDINER, Mont. —"): capitals at
    the start of the text, before a dash? It says where the report was filed, not what it reports.

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> d = p.parse(["LONDON – Protesters met in London on Tuesday."])[0]
    >>> e = p.parse(["WILMINGTON, Del. — A diner found a pearl in Wilmington."])[0]
    >>> [dateline(x) for x in d.ents if x.label_ == "GPE"], [dateline(x) for x in e.ents]
    ([True, False], [True, True, False])
    """
    doc = span.doc
    if not len(doc) or not doc[0].text.isupper() or len(doc[0].text) < 2:
        return False
    dash = next((t.i for t in doc[:7] if t.text in _DASHES), None)
    return dash is not None and span.end <= dash


