"""Questions over several things: split them into parts, each answered and cited on its own.

"Which drew the bigger crowd: the Continental Cup final or the dumpling festival?" needs
one sentence about each event; "Who won the election, and whom will she replace?" is two
questions. From the question's parse (`qa.nlp`):

- two coordinated noun phrases ("A or B", "both A and B", "between A and B") in a question
  that compares or asks about both: one part per phrase, each the question with the other
  phrase taken out;
- "compare A with B": the same, A and B being the compared phrases;
- "Which cost more, A or B?", "Compare the size of A with ...": each part asks for the quantity
  compared ("A cost how much?", `qa.comparatives`);
- two coordinated clauses ("..., and whom will she replace?") or "A ..., while B ...": one
  part per clause (the second keeps the first's words as context, for its pronouns);
- two outlets named ("Does the Herald give the same fare as the Ledger?", `qa.outlets`): one
  part per outlet, each searched among that outlet's articles.

A question with one part is left alone. `combine_parts` writes the answer: per part, its label
and best sentence with its citation (markers renumbered across parts), or that the articles
don't say; for a yes/no or comparing question, that the verdict is the reader's to draw from
the cited lines; for a question about when ("published before ..."), each line's article date.
It counts as answered only when every part is. Leaves out: three or more parts, and parts that
are lists inside one noun phrase ("the N4, N7 and N9 routes").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from dataclasses import dataclass
from typing import Any

from qa.comparatives import YES_NO, asked_quantity, comparative_parts, than_parts
from qa.composer import DECLINE_TEXT
from qa.outlets import Outlets, without_outlets
from qa.question import core_question
from qa.types import Answer, Citation, Passage

_MULTI = re.compile(r"\b(?:both|compare|compared|comparing|versus|vs\.?|between|either|each|"
                    r"more|less|fewer|bigger|larger|smaller|higher|lower|longer|shorter|earlier|later|first|"
                    r"older|newer|cheaper|greater|most|least|same|differ\w*)\b|\w+er than\b", re.I)
_WHEN_BETWEEN = re.compile(r"\s+(?:before|after|earlier than|later than|prior to|following)\s+", re.I)
_JOIN = re.compile(r"\s*[,;]?\s+(?:and|while|but|whereas)\s+(?:also\s+)?", re.I)
# a clause that goes on without its own subject ("... and is also accused of"), not a new question
# ("and does The Verge say")
_AUX = r"(?:is|was|are|were|has|have|had|did|does|do|will|would|can|could)"
_CONTINUES = re.compile(r"(?i:" + _AUX + r")\s+(?!(?i:the|a|an|its|his|her|their|this|that|these|those)\b|[A-Z])")
_WH_HEAD = re.compile(r"((?:which|what|who)\b(?:\s+[\w'-]+){0,4}?)\s+(?=" + _AUX + r"\b)", re.I)
_NOT_IN_PHRASE = {"ccomp", "csubj", "advcl", "punct", "nsubj", "nsubjpass", "relcl", "acl", "mark", "aux", "auxpass",
                  "cc", "conj", "dep", "parataxis"}
_WH = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how"}


@dataclass(frozen=True)
class Part:
    label: str          # the phrase or clause this part is about, as written in the question
    question: str       # what is asked and searched for this part
    context: str = ""   # words of the other parts its pronouns may refer to
    phrase: bool = False  # one of two compared phrases (its label names what it is about), not a clause


def split_parts(question: str, doc: Any) -> list[Part]:
    """The parts of a parsed question (one part: the question itself).

    >>> from qa.nlp import SentenceParser
    >>> q = "Which drew the bigger crowd: the Continental Cup final or the dumpling festival?"
    >>> [p.question for p in split_parts(q, SentenceParser().parse([q])[0])]
    ['the Continental Cup final drew how big a crowd?', 'the dumpling festival drew how big a crowd?']
    >>> q = "Who won the mayoral election, and whom will she replace as mayor?"
    >>> [p.question for p in split_parts(q, SentenceParser().parse([q])[0])]
    ['Who won the mayoral election?', 'whom will she replace as mayor?']
    >>> q = "Who won the mayoral election?"
    >>> [p.question for p in split_parts(q, SentenceParser().parse([q])[0])]
    ['Who won the mayoral election?']
    >>> q = "Are both the ferry upgrade and the bridge repair expected to cost millions of dollars?"
    >>> [p.question for p in split_parts(q, SentenceParser().parse([q])[0])][0]   # the clause is both phrases'
    'the ferry upgrade expected to cost how much?'
    >>> q = "Rising prices push families to seek cheaper rent and a better life abroad. Where are they moving?"
    >>> len(split_parts(q, SentenceParser().parse([q])[0]))         # a lead-in's "and" is no second part
    1
    """
    whole = [Part(question.strip(), question.strip())]
    core = core_question(question)          # a quiz's lead-in ("... cheaper rent and a better life.") is not split
    start = max(question.rfind(core), 0)
    compared = comparative_parts(question, doc, start) or than_parts(question, doc, start)
    if compared:
        return [Part(label.strip(), asked, phrase=True) for label, asked in compared]
    parts = _clauses(question, doc, start) or (_phrases(question, doc, start) if _MULTI.search(core) else None)
    return parts or whole


def split_by_outlet(question: str, outlets: Outlets, doc: Any = None) -> list[Part]:
    """One part per outlet a question names, when it names two or more ("Does the Herald give the
    same fare as the Ledger?"): each part is the question without the other outlets' mentions, or,
    with two outlet mentions (the same outlet twice too) in two clauses or on either side of
    "before"/"after", each side (`doc`, the question's parse, finds the asking subject a clause
    without its own takes: "Which individual"). None (an empty list) otherwise."""
    mentions = outlets.mentions(question)
    distinct = len({frozenset(globs) for _, _, globs in mentions})
    if len(mentions) == 2:
        (a0, a1, _), (b0, b1, _) = mentions
        # "..., according to A, and is also Y, as reported by B?"; "Did A's report on X come before B's on Y?"
        cuts = list(_JOIN.finditer(question, a1, b0)) or list(_WHEN_BETWEEN.finditer(question, a1, b0))
        if cuts:
            first, second = question[:cuts[-1].start()].strip(" ,;"), question[cuts[-1].end():].strip()
            head = _asking_subject(first, doc)
            continues = _continues(second, cuts[-1].end(), doc)
            if continues and head:
                second = f"{head} {second}"                   # the second clause's subject is the first's
            # "... before the Herald's?": nothing but the outlet on one side, so the whole question is each part's
            alone = len(without_outlets(second, outlets, cue=False).strip(" ?").split()) < 2
            if len(first.split()) >= 3 and not alone and not (continues and not head):
                return [Part(question[a0:a1], _ask(first), phrase=True),
                        Part(question[b0:b1], _ask(second), phrase=True)]
    if distinct < 2:
        return []
    return [Part(question[a:b], without_outlets(question, outlets, keep=i), phrase=True)
            for i, (a, b, _) in enumerate(mentions)]


def _continues(text: str, at: int, doc: Any = None) -> bool:
    """Does the clause starting at character `at` go on without a subject of its own ("... and plans
    to hire ...", "... and is also accused of ..."), rather than ask anew ("and does The Verge say")?"""
    tok = next((t for t in doc if t.idx == at), None) if doc is not None else None
    if tok is None:
        return bool(_CONTINUES.match(text))
    verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
    return verb.pos_ in ("VERB", "AUX") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") and c.idx >= at for c in verb.children)


def _asking_subject(text: str, doc: Any = None) -> str:
    """ "Which individual" of "Which individual inflated ...": the wh-word and the subject it asks for."""
    for tok in doc if doc is not None else ():
        if tok.lower_ in ("which", "what", "who") and tok.idx < len(text):
            subject = tok if tok.dep_ in ("nsubj", "nsubjpass") else tok.head
            if subject.dep_ in ("nsubj", "nsubjpass") and subject.i >= tok.i:
                return doc.text[tok.idx:subject.idx + len(subject.text)]
            return ""
    head = _WH_HEAD.match(text)
    return head.group(1) if head else ""


def _clauses(question: str, doc: Any, start: int = 0) -> list[Part] | None:
    """Two coordinated questions ("..., and whom will she replace?") or "A ..., while B ..."."""
    for tok in doc:
        if tok.lower_ == "while" and tok.dep_ in ("mark", "advmod", "cc") and tok.i > 2 and tok.idx >= start:
            cut = tok.idx
            first, second = question[:cut].rstrip(" ,;"), question[cut + len(tok.text):].strip()
            if len(second.split()) >= 3:
                return [Part(first, _ask(first)), Part(second, _ask(second), first)]
    for tok in doc:
        if (tok.dep_ != "conj" or tok.pos_ not in ("VERB", "AUX") or tok.head.pos_ not in ("VERB", "AUX")
                or tok.head.idx < start):
            continue
        sub = list(tok.subtree)
        if not any(t.lower_ in _WH for t in sub):
            continue                        # "... and went home": one question
        cc = [t for t in tok.head.children if t.dep_ == "cc" and t.i < sub[0].i]
        start = cc[-1].i if cc else sub[0].i
        first = question[:doc[start].idx].rstrip(" ,;")
        second = question[sub[0].idx:].strip()
        if len(first.split()) >= 3 and len(second.split()) >= 3:
            return [Part(first, _ask(first)), Part(second, _ask(second), first)]
    return None


def _phrases(question: str, doc: Any, start: int = 0) -> list[Part] | None:
    """Two compared or coordinated noun phrases: the question once about each."""
    pair = _coordinated(doc, start) or _compared(doc, start)
    if pair is None:
        return None
    (a0, a1), (b0, b1), (join0, join1) = pair
    text_a, text_b = question[a0:a1], question[b0:b1]
    without_b = question[:join0].rstrip(" ,") + question[b1:]
    without_a = question[:a0] + question[b0:b1] + question[b1:]
    return [Part(text_a.strip(), asked_quantity(_clean(without_b)), phrase=True),
            Part(text_b.strip(), asked_quantity(_clean(without_a)), phrase=True)]


def _coordinated(doc: Any, start: int = 0) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]] | None:
    for tok in doc:
        if (tok.dep_ != "conj" or tok.pos_ not in ("NOUN", "PROPN", "ADP") or tok.head.pos_ in ("VERB", "AUX")
                or tok.head.idx < start):
            continue
        head = tok.head
        cc = [t for t in head.children if t.dep_ in ("cc", "preconj") and t.lower_ in ("or", "and") and t.i < tok.i]
        if not cc:
            continue
        b = list(tok.subtree)
        for child in tok.children:            # "B expected to cost ...": the clause is both phrases', not B's
            if child.dep_ in ("acl", "relcl", "advcl") and child.i > tok.i:
                cut = {t.i for t in child.subtree}
                b = [t for t in b if t.i not in cut]
        inside = {t.i for t in head.subtree}
        for child in head.children:
            if child.dep_ in _NOT_IN_PHRASE and child.i < cc[-1].i:
                inside -= {t.i for t in child.subtree}
        a = []
        for i in range(cc[-1].i - 1, -1, -1):       # the phrase: the run of the head's words just before "or"
            t = doc[i]
            if i not in inside or t.dep_ == "preconj" or t.lower_ in ("both", "either"):
                break
            a.insert(0, t)
        if not a:
            continue
        a_start = a[0].idx
        if a[0].dep_ == "det" and a[0].lower_ in _WH:
            continue                        # "which X or Y" asks for one of them: one question
        return ((a_start, a[-1].idx + len(a[-1].text)), (b[0].idx, b[-1].idx + len(b[-1].text)),
                (cc[-1].idx, b[0].idx))
    return None


def _compared(doc: Any, start: int = 0) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]] | None:
    """ "compare A with/to/and B": A is the verb's object, B the object of its "with"."""
    for tok in doc:
        if tok.idx < start:
            continue
        if tok.lemma_.lower() not in ("compare",) and tok.lower_ not in ("compare", "compared", "comparing"):
            continue
        objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")]
        for obj in objects:
            for prep in obj.subtree:
                if prep.dep_ == "prep" and prep.lower_ in ("with", "to", "against") and prep.head.i != tok.i:
                    target = [c for c in prep.children if c.dep_ == "pobj"]
                    if target:
                        a = [t for t in obj.subtree if t.i < prep.i]
                        b = list(target[0].subtree)
                        return ((a[0].idx, a[-1].idx + len(a[-1].text)), (b[0].idx, b[-1].idx + len(b[-1].text)),
                                (prep.idx, b[0].idx))
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("with", "to", "against"):
                    target = [t for t in c.children if t.dep_ == "pobj"]
                    if target:
                        a, b = list(obj.subtree), list(target[0].subtree)
                        return ((a[0].idx, a[-1].idx + len(a[-1].text)), (b[0].idx, b[-1].idx + len(b[-1].text)),
                                (c.idx, b[0].idx))
    return None


def _ask(text: str) -> str:
    text = text.strip().rstrip(" ,;.")
    return text if text.endswith("?") else f"{text}?"


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([?.,:;])", r"\1", text)
    return _ask(text) if not text.endswith((".", "?")) else text


# a question about when things appeared: each part's line shows its article's date
_TEMPORAL = re.compile(r"\b(?:before|after|earlier|later|first|prior|sooner|older|newer|published|dated)\b", re.I)


def combine_parts(question: str, parts: Sequence[Part], answers: Sequence[Answer], k: int, total_ms: float) -> Answer:
    """One answer from the answers to each part (see the module docstring)."""
    lines: list[str] = []
    citations: list[Citation] = []
    dated = bool(_TEMPORAL.search(question))
    for part, answer in zip(parts, answers):
        if not answer.answered or not answer.citations:
            lines.append(f"{part.label}: the articles don't say.")
            continue
        first = answer.citations[0]
        marker = len(citations) + 1
        citations.append(replace(first, marker=marker))
        lead = f"{answer.short.text}: " if answer.short and answer.short.marker == first.marker else ""
        when = f" (published {first.published[:10]})" if dated and first.published else ""
        lines.append(f"{part.label}: {lead}{first.quote} [{marker}]{when}")
    answered = len(citations) == len(parts)
    # every part answered with the same short answer ("Tidewater Ventures", by both outlets): it leads
    shorts = [a.short for a in answers if a.citations and a.short is not None and a.short.marker == a.citations[0].marker]
    agreed = answered and len(shorts) == len(parts) and len({s.text.casefold() for s in shorts}) == 1
    short = replace(shorts[0], marker=1) if agreed else None
    if not citations:
        lines = [DECLINE_TEXT]
    elif short is not None:
        lines = [f"{short.text} [1]", ""] + lines + [f"Every part's line names {short.text}."]
    elif YES_NO.match(question.strip()) or _MULTI.search(question):
        lines.append("No single sentence answers the question as a whole: the comparison is yours to draw "
                     "from the cited lines." if answered else
                     "The articles don't cover every part, so the question cannot be answered from them.")
    passages: list[Passage] = []
    for rank in range(k):                               # interleave the parts' passages, best first
        for answer in answers:
            if rank < len(answer.passages) and answer.passages[rank].citation not in {p.citation for p in passages}:
                passages.append(answer.passages[rank])
    signals = {"parts": float(len(parts)), "parts_answered": float(len(citations))}
    return Answer(question, "\n".join(lines), answered, tuple(citations), tuple(passages[:k * len(parts)]),
                  " | ".join(a.query for a in answers), {"total_ms": total_ms}, signals, short)
