"""What a span measures or where it stands: checks of `qa.span_sorts` on one span.

- `other_money(question, span)`: the amount measures another kind of money than the question
  asks for ("How much revenue ...?" is not answered by "net profit of $412 million"). Kinds are
  families of words that name one measure (revenue / sales / turnover; profit / earnings / net
  income; ...), or of verbs that move one ("it cost", "donors gave"); only when both the
  question and the span name one, and they differ, is it other. A forecast's figure ("raised its
  revenue forecast to $22.8 billion") answers no question that asks for no forecast (`expected`).
- `not_located(span)`: a place that is the subject of a verb ("Harbor City acted unlawfully")
  says who did something, not where: a "where" wants a place in a place's phrase ("in
  Kiruvik", "the Kiruvik centre"), a verb's object ("visited Taiwan", "made Mexico City their
  home") or a subject that hosts ("Bali will host the summit").
- `other_owner(focus, span)`: "which neighbourhood of Poddington" is not answered by a
  neighbourhood of Larch Valley.
- `titled_person(span, role_nouns)`: a name introduced with a person's role ("councillor Graham
  Petrakis") answers no "which school / company / place".
- `code_name(span)`: a "place" that is a code ("N7", "B12": route or part numbers the tagger
  labels GPE) names no place.
"""

from __future__ import annotations

import re
from typing import Any

from qa.doers import is_role, titled

_MONEY_FAMILIES = (
    {"revenue", "revenues", "sale", "sales", "turnover", "takings"},
    {"profit", "profits", "earnings", "income"},
    {"loss", "losses", "deficit"},
    {"cost", "costs", "spending", "expense", "expenses", "expenditure", "bill"},
    {"fine", "fines", "penalty", "penalties", "settlement", "compensation"},
    {"salary", "salaries", "wage", "wages", "pay", "bonus", "compensation"},
    {"budget", "budgets"},
    {"debt", "debts", "loan", "loans", "borrowing"},
    {"valuation", "value", "worth", "capitalization"},
    {"donation", "donations", "gift", "grant", "grants"},
    {"tax", "taxes", "tariff", "tariffs", "levy"},
)
# verbs that say which kind of money they move: "it cost $86 million", "donors gave $5 million"
_MONEY_VERBS = {"cost": "cost", "costs": "cost", "spend": "cost", "spent": "cost", "spends": "cost",
                "donate": "donation", "donated": "donation", "donates": "donation", "give": "donation",
                "gave": "donation", "given": "donation", "earn": "income", "earned": "income", "earns": "income"}
_MONEY_WORDS = set().union(*_MONEY_FAMILIES)
_WORD = re.compile(r"[a-z]+")
# what is expected, not what was: "raised its full-year revenue forecast to $22.8 billion"
_EXPECTED = {"forecast", "forecasts", "forecasting", "outlook", "guidance", "projection", "projections", "projects",
             "projected", "expects", "expected", "expectation", "expectations", "target", "targets"}
_ASKS_EXPECTED = re.compile(r"\b(?:forecast|outlook|guidance|project|expect|target|predict|estimat|plan)", re.I)


def _families(word: str) -> set[int]:
    return {i for i, family in enumerate(_MONEY_FAMILIES) if word in family}


def measured_nouns(span: Any) -> list[str]:
    """The money words an amount span measures: "net profit of $412 million" (profit), "$5.7
    billion in revenue", "a $412 million profit", "Revenue rose to $5.7 billion" (the subject
    of the verb the amount is reached through)."""
    root = span.root
    words = [c.lower_ for c in root.children if c.dep_ == "prep" and c.lower_ == "in"
             for c in c.children if c.dep_ == "pobj"]                           # "$5.7 billion in revenue"
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in ("of", "at", "to", "from", "by") and head.head is not head:
        owner = head.head
        if owner.pos_ == "NOUN" and head.lower_ == "of":
            words.append(owner.lower_)                                          # "profit of $412 million"
        elif owner.pos_ in ("VERB", "AUX"):                                     # "Revenue rose to $5.7 billion"
            words += [c.lower_ for c in owner.children if c.dep_ in ("nsubj", "nsubjpass")]
    elif root.dep_ in ("compound", "nmod", "amod", "nummod", "quantmod") and head.pos_ == "NOUN":
        words.append(head.lower_)                                               # "a $412 million profit"
    elif root.dep_ in ("dobj", "attr", "npadvmod") and head.pos_ in ("VERB", "AUX"):  # "revenue was $5.7 billion"
        words += [c.lower_ for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        words += [_MONEY_VERBS[head.lower_]] if head.lower_ in _MONEY_VERBS else []   # "cost $86 million"
    return [w for w in words if w in _MONEY_WORDS]


def other_money(question: str, span: Any) -> bool:
    """Does the amount measure another kind of money than the question names, or is it a forecast's
    the question does not ask for (see the module docstring)?

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["It reported net profit of $412 million, and revenue rose to $5.7 billion."])[0]
    >>> other_money("How much revenue did it bring in?", d[5:8]), other_money("How much revenue?", d[14:17])
    (True, False)
    """
    if not _ASKS_EXPECTED.search(question) and expected(span):
        return True
    words = _WORD.findall(question.lower())
    asked = set().union(*(_families(w) for w in words if w in _MONEY_WORDS))
    if not asked and "much" in words:            # "How much did the donors give?": the verb names it
        asked = set().union(*(_families(_MONEY_VERBS[w]) for w in words if w in _MONEY_VERBS))
    measured = set().union(*(_families(w) for w in measured_nouns(span)))
    return bool(asked and measured and not asked & measured)


def expected(span: Any) -> bool:
    """Is the amount a forecast's: a verb or noun of expectation above it in the sentence ("raised
    its forecast to $22.8 billion", "from a previous range that topped out at $21.9 billion")?"""
    above = set(t.i for t in span.root.ancestors)
    return any(t.lower_ in _EXPECTED and (t.i in above or t.head.i in above) for t in span.sent)


_LOCATING_VERBS = {"host", "hosts", "hosted", "hosting", "stage", "stages", "staged", "welcome", "welcomes", "welcomed",
                   "house", "houses", "housed"}


def not_located(span: Any) -> bool:
    """Is the place a verb's subject rather than where something is (module docstring)?

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["The court ruled that Harbor City acted unlawfully in Westmoor."])[0]
    >>> not_located(d[4:6]), not_located(d[9:10])
    (True, False)
    """
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX") and (
        token.head.lower_ not in _LOCATING_VERBS)


def _owners(token: Any) -> set[str]:
    """The proper names a noun is "of" or "in" ("neighborhood of Larch Valley": {"larch", "valley"})."""
    return {w.lower_ for prep in token.children if prep.dep_ == "prep" and prep.lower_ in ("of", "in")
            for obj in prep.children if obj.dep_ == "pobj" and obj.pos_ == "PROPN"
            for w in obj.subtree if w.pos_ == "PROPN"}


def other_owner(focus: Any, span: Any) -> bool:
    """Does the question's asked-for noun belong to one named place or body ("Which neighbourhood
    of Poddington ...?") and the span's to another ("the Riverside Terrace neighborhood of Larch
    Valley")? `focus`: the question's asked-for token, or None.

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = p.parse(["Which neighbourhood of Poddington was flooded?"])[0]
    >>> d = p.parse(["Most were in the Riverside Terrace neighborhood of Larch Valley."])[0]
    >>> other_owner(q[1], d[4:7]), other_owner(q[1], p.parse(["It was Old Town in Poddington."])[0][2:4])
    (True, False)
    """
    if focus is None:
        return False
    asked = _owners(focus)
    named = _owners(span.root)
    return bool(asked and named and not asked & named)


_HONORIFICS = {"mr", "mrs", "ms", "dr", "gov", "sen", "rep", "president", "prime", "minister", "judge", "sir", "dame"}


def titled_person(span: Any, role_nouns: frozenset[str]) -> bool:
    """Is the name introduced as a person's: a role or title beside it ("two-term councillor Graham
    Petrakis", "Dr. Ada Lee", "Petrakis, the councillor": `qa.doers.titled`)?

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["She defeated two-term councillor Graham Petrakis at Granary Hall."])[0]
    >>> titled_person(d[6:8], frozenset({"councillor"})), titled_person(d[9:11], frozenset({"councillor"}))
    (True, False)
    """
    before = span.doc[span.start - 1] if span.start > 0 else None
    return (before is not None and (is_role(before, role_nouns) or before.lower_.rstrip(".") in _HONORIFICS)) or (
        titled(span.root, role_nouns))


_CODE = re.compile(r"^[A-Z]{0,3}-?\d+[A-Z]?$")


def code_name(span: Any) -> bool:
    """Is the span a code such as "N7" or "A-12" (module docstring)?

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["The N7 will link Eastbank with Quarry Lane."])[0]
    >>> code_name(d[1:2]), code_name(d[6:8])
    (True, False)
    """
    return all(_CODE.match(t.text) for t in span if not t.is_punct and t.lower_ != "the")
