"""Is a candidate span of the sort and instance the question asks about? Checks on the parse.

Who did it, in which role: `qa.doers`.

- **The event's date, not the report's.** "When will Corvane move?" is not answered by
  "Corvane reported ... on Wednesday": a date that belongs to a verb of saying or reporting
  dates the news, unless the question asks when something was said or reported.
- **A total, not a margin.** "How many votes did she receive?" is not answered by "won by
  1,874 votes": a number after "by" is a difference, unless the question asks for one ("by
  how many", "margin", "more than").
- **An amount, not a count.** "How much was each fine?" is not answered by "14 fines": a
  number counting a plural noun says how many, not how much.
- **The instance asked about** (another year, an earlier one, another quarter or day):
  `qa.instances`.
- **A reason for "why"** (`states_reason`): a sentence that gives no cause or purpose does not
  answer a "why".
- **A quantity, not a score** (`in_score`, `has_length_unit`): a side of "a 1-1 draw" counts
  nothing; "how long" takes a unit of time or distance, not "four times faster".
- **The thing itself, not what it is compared with** (`compared`): "Where is the glacier?" is
  not answered by "larger than the state of Florida".
- **A figure that holds a number** (`holds_number`): the tagger's "a little more than" (of
  "a little more than three hours") is no count.
- **Date, not duration.** "When will the N7 run?" is not answered by "every 20 minutes" or
  "two days": a span of a number and a unit of time names a length, unless it is placed in
  time ("in three weeks", "two years ago").

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> d = p.parse(["The hub will open next year, the company said on Wednesday."])[0]
    >>> reported_date(d[4:6]), reported_date(d[11:12])  # "next year", "Wednesday"
    (False, True)
    >>> d = p.parse(["She won by 1,874 votes, with 9,210 votes in all."])[0]
    >>> is_margin(d[3:4]), is_margin(d[7:8])             # "1,874", "9,210"
    (True, False)
    >>> d = p.parse(["He received 14 fines of $65 each."])[0]
    >>> counts_things(d[2:3], "How much was each fine?"), counts_things(d[2:3], "How many fines did he get?")
    (True, False)
    >>> d = p.parse(["The glacier is larger than the state of Florida, in Antarctica."])[0]
    >>> compared(d[7:8]), compared(d[10:11])             # "Florida", "Antarctica"
    (True, False)
    >>> d = p.parse(["That is a little more than three hours."])[0]
    >>> holds_number(d[2:6]), holds_number(d[3:7])       # "a little more than", "little more than three"
    (False, True)
    >>> d = p.parse(["Buses will run every 20 minutes, starting in three weeks."])[0]
    >>> is_duration(d[3:6]), is_duration(d[9:11])        # "every 20 minutes", "three weeks" (after "in")
    (True, False)
"""

from __future__ import annotations

import re
from typing import Any

from qa.acts import LIGHT, acts_as_verb

TIME_UNIT = re.compile(r"\b(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century)s?\b", re.I)
_PLACED = re.compile(r"\b(?:ago|later|earlier|since|until|till|before|after|next|last|this|today|tomorrow|yesterday)\b"
                     r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{4}\b"
                     r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_PLACING_PREPS = {"in", "within", "after", "by", "for", "since", "until", "from", "over", "during"}


_REASON_WORDS = {"because", "due", "owing", "thanks", "amid", "citing", "cited", "reason", "reasons", "cause", "causes",
                 "caused", "blame", "blamed", "blames", "attributed", "risk", "risks", "fear", "fears", "feared", "concern",
                 "concerns", "result", "resulted", "driven", "fuelled", "fueled", "prompted", "sparked", "triggered",
                 "spurred", "response", "protest", "so", "therefore", "thus", "order", "aimed", "meant", "intended",
                 "purpose", "why"}
_REASON_PREPS = {"over", "after", "following", "for"}       # "recalled over fire risks"
WHY = re.compile(r"\bwhy\b", re.I)


def states_reason(doc: Any) -> bool:
    """Does the parsed sentence give a reason: a word of cause ("because", "due to", "amid", "so
    severe that", "blamed"), a clause of "since"/"as", a cause led by a preposition ("recalled over
    fire risks", "after reports that"), or a purpose ("to save money")? A "why" question is not
    answered by a sentence that gives none ("who did not seek re-election").

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> states_reason(p.parse(["The SUVs were recalled over fire risks."])[0])
    True
    >>> states_reason(p.parse(["She takes over from Nakashima, who did not seek re-election."])[0])
    False
    """
    for tok in doc:
        low = tok.lower_
        if low in _REASON_WORDS:
            return True
        if low in ("since", "as") and tok.dep_ == "mark":
            return True
        if low in _REASON_PREPS and tok.dep_ in ("prep", "agent", "mark") and tok.head.pos_ in ("VERB", "AUX", "ADJ"):
            return True
        if low == "to" and tok.dep_ == "aux" and tok.head.dep_ in ("advcl", "xcomp") and tok.head.head.pos_ == "VERB" \
                and tok.head.head.lower_ not in ("want", "wants", "wanted", "plan", "plans", "planned", "is", "was"):
            return True
    return False


_COMPARED_UP = {"pobj", "prep", "compound", "appos", "conj", "cc", "nmod", "amod"}


def compared(span: Any) -> bool:
    """Is the span what something is compared with ("larger than the state of Florida", "other
    than France")? Up its chain of prepositions and noun modifiers to a "than"."""
    tok = span.root
    for _ in range(5):
        if tok.lower_ == "than":
            return True
        if tok.dep_ not in _COMPARED_UP or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


_NUMBER_WORDS = {"dozen", "dozens", "half", "hundreds", "thousands", "millions", "billions", "score", "scores"}


def holds_number(span: Any) -> bool:
    """Does a figure's span hold a number: a digit, a number word ("three", "dozen")?"""
    return any(t.like_num or t.pos_ == "NUM" or t.lower_ in _NUMBER_WORDS or any(ch.isdigit() for ch in t.text)
               for t in span)


_SCORE = re.compile(r"^\d+-\d+$")
_LENGTH_UNIT = re.compile(r"\b(?:\d[\d,.]*\s?)?(?:k?m|cm|mm|(?:kilo|centi|milli)?met(?:er|re)s?|miles?|feet|foot|"
                          r"inch(?:es)?|yards?)\b", re.I)


def in_score(span: Any) -> bool:
    """Is the one-token number a side of a score or range written "1-1", "4-3"?

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["After a 1-1 draw, a crowd of 52,480 cheered."])[0]
    >>> [t.text for t in d if t.like_num and in_score(d[t.i:t.i + 1])]
    ['1', '1']
    """
    doc, i = span.doc, span.start
    return bool(_SCORE.match(doc[i:min(i + 3, len(doc))].text) or i >= 2 and _SCORE.match(doc[i - 2:i + 1].text))


def has_length_unit(span: Any) -> bool:
    """Does the span, or the word after it, carry a unit of time or distance, as "how long" asks
    ("three years", "41-day", "12 km"), and not a bare count ("1,200" colonies, "four times")?"""
    after = span.doc[span.end].text if span.end < len(span.doc) else ""
    return bool(TIME_UNIT.search(span.text) or _LENGTH_UNIT.search(f"{span.text} {after}"))


MULTIPLIER_QUESTION = re.compile(r"\bhow many times\b|\bby what factor\b|\bhow much (?:faster|slower|more|less|"
                                 r"higher|lower|bigger|larger|smaller)\b", re.I)


def multiplier(span: Any) -> bool:
    """Is the span a ratio ("four times faster", "twice as many", "three times the rate"), which
    answers "how many times" but no count, size or amount?

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["Corals recovered four times faster, and 1,200 colonies were tracked."])[0]
    >>> multiplier(d[2:3]), multiplier(d[7:8])
    (True, False)
    """
    doc, end = span.doc, span.end
    words = [t.lower_ for t in span] + [doc[i].lower_ for i in range(end, min(end + 2, len(doc)))]
    times = next((i for i, w in enumerate(words) if w in ("times", "twice", "thrice", "fold")), None)
    if times is None or times + 1 >= len(words) and words[times] not in ("twice", "thrice"):
        return False
    after = doc[span.start + times + 1] if span.start + times + 1 < len(doc) else None
    return after is None or after.tag_ in ("JJR", "RBR") or after.lower_ in ("as", "more", "less", "the", "that", "what")


def is_duration(span: Any) -> bool:
    """A length of time rather than a point in it (see the module docstring)."""
    text = span.text
    if not (TIME_UNIT.search(text) and any(t.like_num for t in span) or text.lower().startswith("every ")):
        return False
    if _PLACED.search(text):
        return False
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    return text.lower().startswith("every ") or before not in _PLACING_PREPS


_REPORTING = {"say", "said", "says", "report", "reported", "reports", "announce", "announced", "announces", "confirm",
              "confirmed", "confirms", "tell", "told", "tells", "state", "stated", "add", "added", "note", "noted",
              "disclose", "disclosed", "reveal", "revealed", "publish", "published", "write", "wrote"}
# a question about a report: the date it was said on is the answer (results and earnings are reported)
REPORTING_QUESTION = re.compile(r"\b(?:announc|report|confirm|said|say|tell|told|reveal|disclos|publish|state[ds]?\b|"
                                r"results\b|earnings\b)", re.I)


def asks_report(core: str, act: Any = None) -> bool:
    """Does the question ask about a report, so that the day a fact was said on answers "when"?
    Not when its own verb (`act`, parsed) is another act: "When did Brightwell first receive reports
    of overheating?" is not answered by "the company said in a statement on Wednesday".

    >>> asks_report("When were Corvane's third-quarter results?"), asks_report("When did it rain?")
    (True, False)
    """
    return bool(REPORTING_QUESTION.search(core)) and not (
        act is not None and act.pos_ == "VERB" and act.lower_ not in LIGHT and not REPORTING_QUESTION.search(act.lower_))


MARGIN_QUESTION = re.compile(r"\bby how (?:many|much)\b|\bmargin\b|\bmore than\b|\bfewer\b|\bdifference\b|"
                             r"\bhow many more\b|\bbeat\b|\bwon by\b|\babove\b|\bbelow\b|\b(?:higher|lower|"
                             r"greater|bigger|larger|smaller|less|longer|shorter|taller) than\b", re.I)
# "1.5 meters above the level", "3,000 more than last year": a difference from something else
_ABOVE = re.compile(r"^(?:above|below)\b|^(?:higher|lower|more|less|fewer|greater|bigger|larger|smaller|longer|"
                    r"shorter|taller) than\b", re.I)


def _governor(span: Any) -> Any:
    """The verb a span hangs from (through prepositions and noun modifiers, `acts_as_verb`), or None."""
    node = span.root
    for _ in range(6):
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
        if acts_as_verb(node):
            return node
    return None


def reported_date(span: Any) -> bool:
    """Does the date belong to a verb of saying or reporting (see the module docstring)?"""
    verb = _governor(span)
    return verb is not None and verb.lower_ in _REPORTING


def is_margin(span: Any) -> bool:
    """Is the number the object of "by" ("won by 1,874 votes", "up by 5"), or one set above or
    below another ("1.5 meters above the level at which ...", "3,000 more than in 2021")?"""
    if _ABOVE.match(span.doc[span.end:span.end + 2].text):
        return True
    node = span.root
    if node.dep_ in ("nummod", "quantmod") and node.head.i != node.i:
        node = node.head                                  # "1,874 votes": the noun carries the role
    return node.dep_ == "pobj" and node.head.lower_ == "by"


_HOW_MUCH = re.compile(r"\bhow much\b", re.I)


def counts_things(span: Any, question: str) -> bool:
    """For a "how much" question: is the number a count of things ("14 fines")?"""
    root = span.root
    return bool(_HOW_MUCH.search(question)) and root.dep_ == "nummod" and root.head.tag_ == "NNS"
