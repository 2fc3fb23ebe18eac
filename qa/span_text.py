"""The text of a candidate span, and where it sits: helpers of `qa.spans` over one spaCy parse.

- `trim`: drop a leading determiner or possessive, a role title before a name, and a word that
  only rounds a figure ("about", "an estimated"), take in a currency sign the tagger left out;
- `currency`: an amount the tagger split ("$28" tagged CARDINAL, "about 640 million" + "euros");
- `whole_name`: a name the tagger cut short ("Denver" of "the Denver Broncos");
- `a_name`: does a span hold a name (for "What is X called?");
- `distance`: arcs between two tokens of a parse; `closeness`: of a span to the key words;
- `names_in`: the names a joined span holds ("Sweden and Finland"; joining: `qa.span_candidates`);
- `answer_text`: the short answer's text of a span (an age, a year, a figure without its bound);
- `given`: a name the question holds already, before its asking sentence too (no answer).

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["The mission cost about 640 million euros, said Goalkeeper Amara Delacroix."])[0]
    >>> span, label = currency(d[3:6], "CARDINAL")
    >>> span.text, label
    ('about 640 million euros', 'MONEY')
    >>> trim(d[9:12], "PERSON").text, a_name(d[0:2]), a_name(d[10:12])
    ('Amara Delacroix', False, True)
"""

from __future__ import annotations

import re
from typing import Any

from qa.doers import role_word
from qa.lexical import CURRENCY_WORDS

ROLES = frozenset({"goalkeeper", "judge", "president", "minister", "prime", "chancellor", "senator", "governor", "mayor",
          "coach", "captain", "striker", "defender", "midfielder", "chief", "executive", "ceo", "director", "chair",
          "chairman", "chairwoman", "professor", "prof", "dr", "mr", "mrs", "ms", "sir", "dame", "lord", "lady",
          "general", "gen", "colonel", "sergeant", "officer", "inspector", "detective", "author", "lead", "former",
          "rep", "sen", "gov", "king", "queen", "prince", "princess", "pope", "councillor", "councilor", "spokesman",
          "spokeswoman", "spokesperson", "star", "singer", "actor", "actress", "quarterback", "secretary", "justice",
          "provost", "dean", "commissioner"})
DOLLAR = re.compile(r"[$€£¥]\s?\d")
NUMBER_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
# Words that only say a figure is rounded: the short answer is the figure (the quote keeps the
# word). Bounds ("more than", "up to", "nearly", "at least") change the figure's meaning and stay.
_SCALE_SUFFIXES = {"m", "bn", "b", "k", "mn", "tn"}
_ROUGHLY = {"about", "around", "approximately", "roughly", "some", "estimated"}


def distance(a: Any, b: Any) -> int:
    """Arcs between two tokens of one parse (their paths up to the lowest common ancestor)."""
    if a.i == b.i:
        return 0
    up_a = {a.i: 0}
    node, steps = a, 0
    while node.head.i != node.i:
        node, steps = node.head, steps + 1
        up_a[node.i] = steps
    node, steps = b, 0
    while node.i not in up_a:
        if node.head.i == node.i:
            return 99                       # different sentences of one doc
        node, steps = node.head, steps + 1
    return steps + up_a[node.i]


def closeness(span: Any, anchors: list[tuple[Any, str, float]], weights: dict[str, float]) -> float:
    """Weighted mean closeness (1 / arcs beyond the first) of the sentence's key words to the span."""
    inside = {t.i for t in span}
    best: dict[str, float] = {}
    mass: dict[str, float] = {}
    for tok, st, c in anchors:
        if tok.i in inside:
            continue
        w = weights[st] * c
        mass[st] = max(mass.get(st, 0.0), w)
        best[st] = max(best.get(st, 0.0), w / (1 + max(0, distance(span.root, tok) - 1)))
    total = sum(mass.values())
    # No key word in the sentence itself ("The trial enrolled 386 adults", the study named in
    # the title): nothing to measure closeness to; `cover` decides whether it is tied, and the span
    # is taken as half near, so it does not outrank a span close to the key words of a sentence
    # that holds them (1.0 before session 18; 0.0 lost 5 of RealTime QA's answers).
    return sum(best.values()) / total if total else 0.5


def currency(span: Any, label: str) -> tuple[Any, str]:
    """An amount the tagger did not see as one: "$28" tagged CARDINAL, "about 640 million" before "euros"."""
    if DOLLAR.search(span.text):
        return span, "MONEY"
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if label == "CARDINAL" and after is not None and after.lower_ in CURRENCY_WORDS:
        return span.doc[span.start:span.end + 1], "MONEY"
    return span, label


def whole_name(ent: Any) -> Any:
    """A name the tagger cut short: "Denver" of "the Denver Broncos" (a compound of the proper noun after it)."""
    doc, end = ent.doc, ent.end
    root = ent.root
    while (root.dep_ == "compound" and root.head.i == end and root.head.pos_ == "PROPN"
           and not root.head.ent_type_ and root.head.lower_.rstrip(".") not in ROLES):
        root, end = root.head, end + 1      # not into a title: "Columbia Mathematics Professor Ann Lee"
    return doc[ent.start:end] if end > ent.end else ent


def a_name(span: Any) -> bool:
    """Does the span hold a name: a proper noun, a capitalised word inside the sentence, or a code ("D-17")?"""
    return any(t.pos_ == "PROPN" or t.i > t.sent.start and t.text[:1].isupper() or any(ch.isdigit() for ch in t.text)
               for t in span)


def trim(span: Any, label: str = "") -> Any:
    """Drop a leading determiner or possessive ("the CozyPod 1500" -> "CozyPod 1500"), a trailing
    possessive ending ("Saudi Arabia's" -> "Saudi Arabia"), a role
    before a name ("Goalkeeper Amara Delacroix" -> "Amara Delacroix"), and take in a currency
    sign the tagger left out of an amount ("$" + "28")."""
    doc, start, end = span.doc, span.start, span.end
    while start < end - 1 and (doc[start].dep_ in ("det", "poss", "case", "punct") and doc[start].lower_ != "no"
                               and not (doc[start].dep_ == "poss" and doc[start].pos_ == "PROPN")   # "People's Choice"
                               or label == "PERSON" and doc[start].lower_.rstrip(".") in ROLES):
        start += 1
    if start > 0 and doc[start - 1].text in ("$", "€", "£", "¥") and doc[start].like_num:
        start -= 1
    while start < end - 1 and label == "MONEY" and doc[start].pos_ in ("NOUN", "PROPN") and not doc[start].like_num:
        start += 1                          # "couple $233,610" (of "cost a married couple $233,610") -> "$233,610"
    while start < end - 1 and label in NUMBER_LABELS and doc[start].lower_ in _ROUGHLY:
        start += 1                          # "about 640 million euros" -> "640 million euros"; not "more than"
    if label in NUMBER_LABELS and end < len(doc) and not doc[end - 1].whitespace_ and doc[end].lower_ in _SCALE_SUFFIXES:
        end += 1                            # "£7m": the "m" is part of the amount
    while end > start + 1 and doc[end - 1].lower_ in ("'s", "’s", "'", "’"):
        end -= 1                            # "Saudi Arabia's Ministry": the name is "Saudi Arabia"
    return doc[start:end]


_APPROXIMATE = re.compile(r"\b(?:approximately|roughly|about|around)\s+how\b", re.I)
_BOUND = re.compile(r"^(?:more than|over|up to|nearly|almost|at least|less than|fewer than|under)\s+", re.I)
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d{2}\b")
_AGE = re.compile(r"(\d+)[- ]years?[- ]old$|^(?:the )?age (?:of )?(\d+)$")


def answer_text(text: str, label: str, analysis: Any) -> str:
    """The short answer's text of a span asked for by `analysis` (`qa.question.QuestionAnalysis`):
    the age of "17-year-old", "just 15 years old" or "the age of 89" for "how old", the year of a full date for "which year", a figure
    without its bound ("more than") for "approximately how many"."""
    text = text.strip(" ,.;:")
    age = _AGE.search(text)
    year = _YEAR.search(text)
    if age and analysis.kind == "measure":
        return next(g for g in age.groups() if g)
    if year and analysis.kind == "date" and analysis.focus == "year":
        return year.group()
    if label in NUMBER_LABELS and _APPROXIMATE.search(analysis.core):
        return _BOUND.sub("", text)
    return text


def names_in(span: Any) -> list[Any]:
    """The names a joined span holds ("Sweden and Finland": Sweden, Finland); a lone name itself."""
    return list(span.ents) if len(span.ents) > 1 else [span]


_CALLING = {"called", "named", "nicknamed", "dubbed", "titled", "known"}


def names_noun(span: Any) -> Any:
    """The noun a span is the name of, if the sentence gives it as one: "a radar instrument called
    DEEPSCAN" (instrument), "the engine, Old Marguerite," (engine); else None."""
    root = span.root
    head = root.head
    if root.dep_ == "appos" and head.pos_ in ("NOUN", "PROPN"):
        return head
    if head.lower_ == "as" and head.head.lower_ == "known":
        head = head.head
    if head.lower_ in _CALLING and head.dep_ == "acl" and head.head.pos_ == "NOUN":
        return head.head
    return None


_RUN = re.compile(r"(?:([a-z][a-z-]*),? )?((?:Dr|Mr|Mrs|Ms|Prof)\. )?((?:[A-Z][a-z]+ )+)([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b")
_HONORIFICS = {"professor", "sir", "dame"}


def surnames(text: str, role_nouns: frozenset[str] | set[str]) -> frozenset[str]:
    """The surnames of people introduced in `text` with a role or an honorific ("councillor Graham
    Petrakis", "Judge Amadou Kessler", "Dr. Keoni Alvarado"), so that a later sentence opening
    with the bare surname names that person however the tagger reads it. A name with no title
    ("Eastbank Harriers won") may be a team's.

    >>> sorted(surnames("Eastbank Harriers beat Port Alder Rovers; councillor Graham Petrakis and Dr. Keoni Alvarado. "
    ...                 "Then captain Dominik Arslan. The Harriers won.", {"councillor", "captain"}))
    ['Alvarado', 'Arslan', 'Petrakis']
    """
    out = set()
    for before, honorific, first, last in _RUN.findall(text):
        lead = first.split()[0].lower()
        role = role_word(before, role_nouns) and (before in role_nouns or len(before) > 4)   # not "for", "her"
        if role or honorific or lead in _HONORIFICS or lead in role_nouns:
            out.add(last)
    return frozenset(out)


_TALLIES = {"number", "total", "count", "tally"}


def counted_nouns(span: Any, tallies: bool = False) -> list[Any]:
    """The nouns a number span counts: its head ("386 adults"), its own nouns, the last noun of
    the run after it ("8,950 Bohemian waxwings"), the whole of a part ("47 of the homes", "289
    properties, of which 47"), and with `tallies` what a tally it gives counts ("the number of
    evacuated homes had risen to 512": homes, though in which places and by what act it does not say)."""
    nouns = [span.root.head] if span.root.dep_ in ("nummod", "quantmod", "amod") else []
    nouns += [t for t in span if t.pos_ in ("NOUN", "PROPN")]
    verb = span.root.head.head if span.root.dep_ == "pobj" and span.root.head.lower_ in ("to", "at") else (
        span.root.head if span.root.dep_ in ("dobj", "attr") else None)
    tally = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if (
        tallies and verb is not None) else None
    if tally is not None and tally.lower_ in _TALLIES:    # "the number of evacuated homes had risen to 512"
        nouns += [t for of in tally.children if of.dep_ == "prep" and of.lower_ == "of"
                  for t in of.children if t.dep_ == "pobj" and t.pos_ == "NOUN"]
    for of in (c for c in span.root.children if c.dep_ == "prep" and c.lower_ == "of" and span.root.like_num):
        whole = next((c for c in of.children if c.dep_ == "pobj"), None)     # "47 of the homes"
        if whole is not None and whole.lower_ in ("which", "whom") and span.root.head.dep_ == "relcl":
            whole = span.root.head.head                 # "289 properties, of which 47 were ...": properties
        nouns += [whole] if whole is not None and whole.pos_ in ("NOUN", "PROPN") else []
    run = []
    for t in span.doc[span.end:span.end + 3]:
        if t.pos_ not in ("NOUN", "PROPN", "ADJ"):
            break
        run.append(t)
    return nouns + [t for t in run if t.pos_ in ("NOUN", "PROPN")][-1:]


def given(span: str, question: str) -> bool:
    """Does the question hold the span's name already, in a sentence before the one that asks
    ("King Charles III became Britain's new monarch ... Who is next in line?": not "Charles")?

    >>> given("Charles", "King Charles III became king. Who is next in line?"), given("Charles", "Who is next?")
    (True, False)
    """
    words = re.findall(r"\w+", span)
    return bool(words) and words[0][:1].isupper() and re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b",
                                                               question) is not None
