"""Does a candidate span stand in the sentence where the question's "which X" stands in the question?

The asked-for word of a question sits in a grammatical slot: "Which official *tested* positive?"
asks for the subject of "tested"; "approved the *sale of* which team?" for what "sale of" takes;
"Which celebrity was *found* liable?" for the one found (a passive subject is the verb's object).
A span that fills the same slot in the sentence ("Biden tested positive", "the sale of the Denver
Broncos", "found Bill Cosby liable") is the answer far more often than another name of the
right kind elsewhere in it ("taking the drug Paxlovid", "from the Pat Bowlen Trust").

A slot is a chain of (relation, head word) links from the word up to the first verb, at most
three: a prepositional object is named by its preposition ("prep:of"); a passive subject and
the subject of a small clause ("found X liable") count as objects; a passive's agent ("by X")
counts as the subject. A subject is also the subject of the verbs joined to its own ("X has
not found it and is offering ..."). `slot_match` is 1 when the first links agree (same
relation, heads the same word or close in meaning), 0.5 when the span's first link agrees with
a later one of the question's ("unveil a generation of which product" against "unveil its
iPhone"), else 0. Verbs that go with any subject ("be", "say", "have") never make a match.

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = p.parse(["NFL owners approved the sale of which football team?"])[0]
    >>> s = p.parse(["Owners approved the sale of the Denver Broncos from the Pat Bowlen Trust."])[0]
    >>> [(rel, head.text) for rel, head in chain(question_word(q))]
    [('prep:of', 'sale'), ('obj', 'approved')]
    >>> same = lambda a, b: a.lower_ == b.lower_
    >>> slot_match(chain(question_word(q)), chain(s[6]), same), slot_match(chain(question_word(q)), chain(s[11]), same)
    (1.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qa.question import answer_token

Chain = list[tuple[str, Any]]

_INSIDE = {"compound", "appos", "conj", "flat", "nummod", "quantmod"}   # still the same noun phrase
_SMALL_CLAUSE = {"ccomp", "xcomp", "oprd"}
_ANY_SUBJECT = {"be", "is", "are", "was", "were", "been", "being", "have", "has", "had", "say", "says", "said",
                "do", "does", "did", "according", "tell", "told", "add", "added"}


def question_word(doc: Any) -> Any:
    """The question's asked-for word: the X of "which X", "how many X", else "who"/"what" itself."""
    tok = answer_token(doc)
    if tok is not None:
        return tok
    for tok in doc:
        if tok.lower_ in ("who", "whom", "what") and tok.dep_ != "det":
            return tok
    return None


def chain(tok: Any, limit: int = 3) -> Chain:
    """The (relation, head) links from a word up to its first verb (see the module docstring)."""
    if tok is None:
        return []
    while tok.dep_ in _INSIDE and tok.head.i != tok.i:
        tok = tok.head
    out: Chain = []
    while len(out) < limit and tok.head.i != tok.i:
        rel, head = tok.dep_, tok.head
        if rel == "pobj" and head.pos_ == "ADP":
            rel = "subj" if head.dep_ == "agent" else f"prep:{head.lower_}"
            head = head.head
        elif rel in ("nsubjpass", "dobj"):
            rel = "obj"
        elif rel == "nsubj" and head.pos_ == "ADJ" and head.dep_ in _SMALL_CLAUSE and head.head.i != head.i:
            rel, head = "obj", head.head                     # "found X liable": X is what was found
        elif rel == "nsubj":
            rel = "subj"
        out.append((rel, head))
        if head.pos_ in ("VERB", "AUX"):
            break
        tok = head
    return out


def slot_match(asked: Chain, span: Chain, same: Callable[[Any, Any], bool]) -> float:
    """1 when the first links agree, 0.5 when the span's first agrees with a later one, else 0."""
    if not span or span[0][1].lower_ in _ANY_SUBJECT:
        return 0.0
    rel_s, head_s = span[0]
    heads = [head_s] + (list(head_s.conjuncts) if rel_s == "subj" else [])   # "X has not ... and is offering"
    for i, (rel_q, head_q) in enumerate(asked):
        if rel_q == rel_s and head_q.lower_ not in _ANY_SUBJECT and any(same(head_q, h) for h in heads):
            return 1.0 if i == 0 else 0.5
    return 0.0
