"""Is a candidate span in the role the question asks about? Two checks on the parse.

- **Agent.** "Who started the stall?" asks for whoever did it: the answer is the subject of a
  clause ("Mei Tan started it"), the agent of a passive ("founded by Mei Tan"), a name set
  beside a noun ("its founder, Mei Tan"), the complement of a copula, or a name introduced with
  its role ("outgoing mayor Theodore Nakashima"). A name that only sits inside a phrase of the
  sentence ("the People's Choice award", "in the Great Winter Bird Count", the object "beating
  Port Alder Rovers") belongs to something else. Only for a bare "who" that is the question's
  subject ("Who started ...?", "Who is the director of ...?"), not "Who did they beat?" and
  not "which X" (whose noun decides instead).
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
- **The role asked for** (`other_role`): "Which judge ...?" is not answered by the District
  Court, nor "the kit manager" by "coach Benedikt Ruiz": a name introduced with another role
  (`titles`) answers for that role only.
- **A reason for "why"** (`states_reason`): a sentence that gives no cause or purpose does not
  answer a "why".
- **A quantity, not a score** (`in_score`, `has_length_unit`): a side of "a 1-1 draw" counts
  nothing; "how long" takes a unit of time or distance, not "four times faster".
- **Date, not duration.** "When will the N7 run?" is not answered by "every 20 minutes" or
  "two days": a span of a number and a unit of time names a length, unless it is placed in
  time ("in three weeks", "two years ago").

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = p.parse(["Who started the Kestrel Bakery?"])[0]
    >>> asks_agent(q), asks_agent(p.parse(["Who did the Harriers beat?"])[0])
    (True, False)
    >>> d = p.parse(["The award went to Kestrel Bakery, which Mei Tan started in 2019."])[0]
    >>> agent_role(d[8:10]), agent_role(d[4:6])          # "Mei Tan", "Kestrel Bakery"
    (True, False)
    >>> d = p.parse(["The hub will open next year, the company said on Wednesday."])[0]
    >>> reported_date(d[4:6]), reported_date(d[11:12])  # "next year", "Wednesday"
    (False, True)
    >>> d = p.parse(["She won by 1,874 votes, with 9,210 votes in all."])[0]
    >>> is_margin(d[3:4]), is_margin(d[7:8])             # "1,874", "9,210"
    (True, False)
    >>> d = p.parse(["He received 14 fines of $65 each."])[0]
    >>> counts_things(d[2:3], "How much was each fine?"), counts_things(d[2:3], "How many fines did he get?")
    (True, False)
    >>> d = p.parse(["Buses will run every 20 minutes, starting in three weeks."])[0]
    >>> is_duration(d[3:6]), is_duration(d[9:11])        # "every 20 minutes", "three weeks" (after "in")
    (True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_AGENT_DEPS = {"nsubj", "nsubjpass", "appos", "attr", "ROOT", "csubj", "agent"}
_BY = {"by", "from"}         # "founded by X"; "taking over from X" (with its role, see below)
TIME_UNIT = re.compile(r"\b(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century)s?\b", re.I)
_PLACED = re.compile(r"\b(?:ago|later|earlier|since|until|till|before|after|next|last|this|today|tomorrow|yesterday)\b"
                     r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{4}\b"
                     r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_PLACING_PREPS = {"in", "within", "after", "by", "for", "since", "until", "from", "over", "during"}


def asks_agent(question_doc: Any) -> bool:
    """Is the question's "who" its subject (or the complement of "is": "Who is the chair of X?")?"""
    for tok in question_doc:
        if tok.lower_ == "who":
            return tok.dep_ in ("nsubj", "nsubjpass", "attr")
    return False


def agent_role(span: Any, role_nouns: frozenset[str] | set[str] = frozenset()) -> bool:
    """Does the span stand where a doer is named (see the module docstring)? `role_nouns`
    extend the built-in sense of a role title ("mayor", "founder"). Only roles that clearly
    name something else are refused (an object, a place or thing a preposition introduces, a
    modifier of an ordinary noun), so a parse garbled by odd text does not refuse a name."""
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:     # "X and Y founded it": Y counts as X
        root = root.head
    if root.dep_ in _AGENT_DEPS or _titled(root, role_nouns):
        return True
    head = root.head
    if root.dep_ in ("dobj", "iobj", "dative"):
        return False                                          # "beating Port Alder Rovers"
    if root.dep_ == "pobj":
        return head.lower_ == "by"                            # "founded by X", not "in the X Count"
    if root.dep_ in ("compound", "poss", "amod", "nmod") and head.pos_ == "NOUN" and head.is_alpha:
        return _is_role(head, role_nouns)                     # "founder Mei Tan", not "the X award"
    return True


def _titled(root: Any, role_nouns: frozenset[str] | set[str]) -> bool:
    """A name with a role title beside it: "outgoing mayor Theodore Nakashima", "Nakashima, the mayor"."""
    return any(c.dep_ in ("compound", "appos", "amod", "nmod") and _is_role(c, role_nouns) for c in root.children)


def _is_role(tok: Any, role_nouns: frozenset[str] | set[str]) -> bool:
    return tok.pos_ == "NOUN" and (tok.lower_ in role_nouns or tok.lower_.endswith(("er", "or", "ist", "ian", "ent")))


# person nouns that take in other roles: a goalkeeper is a player, a chair a member or an official
_ANY_ROLE = {"person", "man", "woman", "member", "official", "leader", "head", "chief", "player", "athlete", "star",
             "legend", "icon", "winner", "champion", "executive", "people", "individual", "staff", "celebrity"}


def other_role(focus: str, span: Any, label: str, role_nouns: frozenset[str], same: Callable[[str, str], bool]) -> bool:
    """For "which X" / "the name of the X" with X a role: is the name introduced with another role
    ("Which kit manager": "coach Benedikt Ruiz"), or tagged as no person ("Which judge": "the
    Westmoor District Court")? Not for a role that takes in others (a goalkeeper is a player).
    `same(focus, word)`: are the two words the same role (stem or close in meaning)."""
    singular = focus[:-1] if focus.endswith("s") else focus
    if not focus or singular in _ANY_ROLE or focus in _ANY_ROLE or not {focus, singular} & role_nouns:
        return False
    given = titles(span, role_nouns)
    if any(same(focus, t.lower_) for t in given):
        return False                      # "their captain, Dominik Arslan", even if tagged an organisation
    return bool(given) or label in ("ORG", "NORP")


def titles(span: Any, role_nouns: frozenset[str] | set[str] = frozenset()) -> list[Any]:
    """The role words a name is introduced with ("Harriers coach Benedikt Ruiz", "Ruiz, the coach",
    "the coach, Benedikt Ruiz"), outside the span itself.

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["Harriers coach Benedikt Ruiz dedicated the trophy to the club."])[0]
    >>> [t.text for t in titles(d[2:4], {"coach"})]
    ['coach']
    """
    root = span.root
    inside = range(span.start, span.end)
    out = [c for t in span for c in t.children if c.dep_ in ("compound", "appos", "amod", "nmod") and c.i not in inside
           and (_is_role(c, role_nouns) or c.pos_ == "PROPN" and c.lower_ in role_nouns)]    # "Goalkeeper Amara ..."
    if root.dep_ == "appos" and _is_role(root.head, role_nouns):
        out.append(root.head)
    return out


def asked_title(span: Any, role_nouns: frozenset[str] | set[str], asked: Callable[[str], bool]) -> bool:
    """Is the name introduced with a role the question names (`asked(word)`), of no other owner:
    "Chief executive Henrik Osei-Larsen" for "Who is Corvane's chief executive?", not "their
    captain" or "Rovers manager" (a possessive, or a name the question lacks, owns the role)?

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["Rovers took the lead through their captain, Dominik Arslan."])[0]
    >>> asked_title(d[8:10], {"captain"}, lambda w: w == "captain")
    False
    >>> d = SentenceParser().parse(["Chief executive Henrik Osei-Larsen told analysts."])[0]
    >>> asked_title(d[2:6], {"executive"}, lambda w: w in ("chief", "executive"))
    True
    """
    return any(asked(t.lower_) and not any(c.dep_ == "poss" or c.dep_ == "compound" and c.pos_ == "PROPN"
                                           and not asked(c.lower_) for c in t.children)
               for t in titles(span, role_nouns))


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
REPORTING_QUESTION = re.compile(r"\b(?:announc|report|confirm|said|say|tell|told|reveal|disclos|publish|state[ds]?\b)", re.I)
MARGIN_QUESTION = re.compile(r"\bby how (?:many|much)\b|\bmargin\b|\bmore than\b|\bfewer\b|\bdifference\b|"
                             r"\bhow many more\b|\bbeat\b|\bwon by\b", re.I)


def _governor(span: Any) -> Any:
    """The verb a span hangs from (through prepositions and noun modifiers), or None."""
    node = span.root
    for _ in range(6):
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def reported_date(span: Any) -> bool:
    """Does the date belong to a verb of saying or reporting (see the module docstring)?"""
    verb = _governor(span)
    return verb is not None and verb.lower_ in _REPORTING


def is_margin(span: Any) -> bool:
    """Is the number the object of "by" ("won by 1,874 votes", "up by 5")?"""
    node = span.root
    if node.dep_ in ("nummod", "quantmod") and node.head.i != node.i:
        node = node.head                                  # "1,874 votes": the noun carries the role
    return node.dep_ == "pobj" and node.head.lower_ == "by"


_HOW_MUCH = re.compile(r"\bhow much\b", re.I)


def counts_things(span: Any, question: str) -> bool:
    """For a "how much" question: is the number a count of things ("14 fines")?"""
    root = span.root
    return bool(_HOW_MUCH.search(question)) and root.dep_ == "nummod" and root.head.tag_ == "NNS"
