"""A comparing question asked of two things, turned into one plain question about each.

"Which cost more, converting the gasworks or the Aurora-2 mission?" is answered by two
amounts, one in each article, and neither article's sentence says "more". Asked as it stands
of each thing ("Which cost more, the Aurora-2 mission?") the question asks for a thing, not an
amount, and its words ("which", "more") match nothing. So each part asks for the quantity the
comparison is about, the comparative turned into "how" where it stands:

    Which cost more, A or B?                          A cost how much?
    Which study followed its subjects for longer, ... A followed its subjects for how long?
    Which drew the bigger crowd: A or B?              A drew how big a crowd?
    Which company has more employees, A or B?         A has how many employees?
    Which opened earlier, A or B?                     A opened when?
    Which came first, A or B?                         When was A?
    Compare the size of A with the size of B.         What is the size of A?

A yes/no comparison is split on "than" (`than_parts`): "Is A larger than B?" -> "A is how
large?", "Did A cost more than B?" -> "A cost how much?", "Are more A recalled than there are
B?" -> "how many A recalled?".

The parts keep the question's own verb as written, A its subject: an echo question, as the
parser here has no lemmatizer for "How much did A cost?", and "How much A cost?" parses "cost"
as a noun. The part question is never shown (its label, A or B, is). The two things
are what follows the clause's comma or colon, split at its last " or ": the whole of
"converting the gasworks into the Lantern Works Museum", which a parse may cut at "Museum".

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = "Which cost more, converting the gasworks into the museum or the Aurora-2 mission?"
    >>> [(label, asked) for label, asked in comparative_parts(q, p.parse([q])[0])]
    [('converting the gasworks into the museum', 'converting the gasworks into the museum cost how much?'), \
('the Aurora-2 mission', 'the Aurora-2 mission cost how much?')]
    >>> q = "Which drew the bigger crowd: the cup final or the dumpling festival?"
    >>> [asked for _, asked in comparative_parts(q, p.parse([q])[0])]
    ['the cup final drew how big a crowd?', 'the dumpling festival drew how big a crowd?']
    >>> q = "Which study followed its subjects for longer, the coral study or the walking trial?"
    >>> comparative_parts(q, p.parse([q])[0])[0][1]
    'the coral study followed its subjects for how long?'
    >>> q = "What happened first: the heater recall or the mayor's swearing-in?"
    >>> comparative_parts(q, p.parse([q])[0])[1]
    ("the mayor's swearing-in", "When was the mayor's swearing-in?")
    >>> q = "Compare the size of the coral study with the size of the walking trial."
    >>> comparative_parts(q, p.parse([q])[0])
    [('the coral study', 'What is the size of the coral study?'), ('the walking trial', 'What is the size of the walking trial?')]
"""

from __future__ import annotations

import re
from typing import Any

_ALTERNATIVES = re.compile(r"(?P<head>\b(?:which|what|who)\b[^,:;?]*?)\s*[,:;]\s+(?P<a>[^?]+?),?\s+or\s+(?P<b>[^?]+?)\s*[?.]?\s*$",
                           re.I)
_COMPARE = re.compile(r"\s*compare\s+(?P<a>.+?)\s+(?:with|to|against|and)\s+(?P<b>(?:the|its|their|a|an)\b.+?)\s*[?.]?\s*$",
                      re.I)
# a yes/no question's opening auxiliary (and "both"/"each" after it); `qa.parts` asks the same
YES_NO = re.compile(r"^\s*(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could|should)\s+"
                    r"(?:both\s+|each\s+)?", re.I)
_SCALE = r"(?:million|billion|thousand|hundred|trillion)"
_NUMBER = (r"(?:(?P<money>[$€£])\s?[\d.,]+(?:\s+" + _SCALE + r")?|(?:[\d.,]*\d|an?|one|two|three|four|five|six|seven|"
           r"eight|nine|ten|twelve)(?:\s+" + _SCALE + r")?)")
# a bound ("more than 10,000 people", "over a year") or a scale ("millions of dollars"), not a figure
_QUANTITY = re.compile(r"\b(?:(?:(?:more|less|fewer)\s+than|over|under|at\s+(?:least|most))\s+" + _NUMBER + "|"
                       + _SCALE + r"s\s+of)\s+(?P<unit>[a-z]+)\b", re.I)
_MONEY_UNITS = {"dollars", "dollar", "euros", "euro", "pounds", "pound", "yen", "yuan"}
_TIME_UNITS = {"year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "decade",
               "decades", "minute", "minutes"}
_MEASURE_OF = re.compile(r"^(?:the|its|their)\s+[\w-]+\s+of\s+(?=\S)", re.I)
_BASE = {"longer": "long", "shorter": "short", "bigger": "big", "larger": "large", "smaller": "small",
         "higher": "high", "lower": "low", "older": "old", "younger": "young", "greater": "great",
         "heavier": "heavy", "faster": "fast", "slower": "slow", "taller": "tall", "wider": "wide",
         "deeper": "deep", "farther": "far", "further": "far", "hotter": "hot", "colder": "cold",
         "stronger": "strong"}
_PRICE = {"cheaper", "pricier", "dearer", "costlier", "expensive", "costly", "pricey"}
_HAPPEN = {"happened", "happens", "happen", "came", "comes", "come", "occurred", "occurs", "was", "were", "is",
           "are"}
_WHEN = {"earlier", "later", "sooner", "first"}
# a second clause, not a thing compared: "What happened after the vote, and did A or B respond?"
_CLAUSE = re.compile(r"^(?:and|but|or|so|then|did|does|do|is|are|was|were|will|would|can|could|has|have|had|who|what|"
                     r"which|when|where|why|how)\b", re.I)
_AMOUNT = {"more", "less", "fewer"}
_VERB_TAGS = {"VBD", "VBZ", "VBP", "VB", "VBN", "VBG", "MD"}


def comparative_parts(question: str, doc: Any, start: int = 0) -> list[tuple[str, str]]:
    """[(label, part question)] for "Which ...-er, A or B?" and "Compare A with B" (else []); `doc`
    is the question's parse, `start` where its asking sentence begins (after a quiz's lead-in)."""
    m = _COMPARE.match(question, start)
    if m:       # labelled by the thing: "the coral study" of "the size of the coral study"
        return [(_MEASURE_OF.sub("", m[side]), f"What is {m[side]}?") for side in ("a", "b")]
    m = _ALTERNATIVES.search(question, start)
    if m is None or _CLAUSE.match(m["a"]) or _CLAUSE.match(m["b"]):
        return []
    head = [t for t in doc if m.start("head") <= t.idx < m.end("head")]
    asked = _how(head)
    if asked is None:
        return []
    verb, rest = asked
    if rest == "when" and verb.lower() in _HAPPEN:          # "Which came first": "When was A?"
        return [(m[side], f"When was {m[side].strip()}?") for side in ("a", "b")]
    return [(m[side], _question(m[side], verb, rest)) for side in ("a", "b")]


_MEASURE = re.compile(r"^(?:the|its|their)\s+(?:[\w-]+\s+)?(?:value|number|size|amount|cost|price|count|length|"
                      r"share)\s+of\s+(?=\S)", re.I)                     # "the total value of": the label is the thing
_VALUE = re.compile(r"\b(?:value|cost|price|amount|worth|budget|fund|funding|grant|revenue|profit)\b", re.I)
_THAN = re.compile(r"\s+than\s+(?P<b>[^?]+?)\s*[?.]?\s*$", re.I)
_B_LEAD = re.compile(r"^(?:there\s+(?:are|is|were|was|will\s+be)\s+|(?:that|those)\s+of\s+)", re.I)
_B_TAIL = re.compile(r"\s+(?:do|does|did|is|are|was|were|has|have|had)$", re.I)
_FIGURE = re.compile(r"^(?:[$€£]|\d|(?:an?|one|two|three|four|five|six|seven|eight|nine|ten)\b)", re.I)


def than_parts(question: str, doc: Any, start: int = 0) -> list[tuple[str, str]]:
    """[(label, part question)] for a yes/no comparison "Is A larger than B?", "Are more A recalled
    than there are B?", "Did A draw more people than B?" (else []): each side asks for its
    quantity. Not for a bound ("more than 10,000", "larger than $5 million": `asked_quantity`).

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = "Is the relief fund larger than the total value of the refunded fines?"
    >>> than_parts(q, p.parse([q])[0])
    [('the relief fund', 'the relief fund is how much?'), ('the refunded fines', \
'the total value of the refunded fines is how much?')]
    >>> q = "Are more heaters being recalled than there are fines the city may refund?"
    >>> [asked for _, asked in than_parts(q, p.parse([q])[0])]
    ['how many heaters being recalled?', 'how many fines the city may refund?']
    >>> q = "Did the museum opening draw more people than the bird count?"
    >>> [asked for _, asked in than_parts(q, p.parse([q])[0])]
    ['the museum opening draw how many people?', 'the bird count draw how many people?']
    >>> q = "Were more homes evacuated in May than properties inspected in June?"
    >>> [asked for _, asked in than_parts(q, p.parse([q])[0])]
    ['how many homes evacuated in May?', 'how many properties inspected in June?']
    >>> q = "Did more people queue at the museum than visited the festival?"
    >>> [asked for _, asked in than_parts(q, p.parse([q])[0])]
    ['how many people queue at the museum?', 'how many people visited the festival?']
    >>> q = "Did the museum cost more than the probe?"
    >>> [asked for _, asked in than_parts(q, p.parse([q])[0])]
    ['the museum cost how much?', 'the probe cost how much?']
    >>> q = "Did the river crest higher in the update than in the first report?"
    >>> than_parts(q, p.parse([q])[0])
    [('in the update', 'the river crest how high in the update?'), ('in the first report', \
'the river crest how high in the first report?')]
    >>> than_parts("Did more than 10,000 people attend?", None), than_parts("Is it larger than $5 million?", None)
    ([], [])
    """
    yes_no = YES_NO.match(question, start)
    than = _THAN.search(question, start)
    if yes_no is None or than is None or _FIGURE.match(than["b"]) or doc is None:
        return []
    clause = _B_LEAD.match(than["b"].strip()) is not None       # "than there are B": B is counted on its own
    b = _B_TAIL.sub("", _B_LEAD.sub("", than["b"].strip()))
    left = [t for t in doc if yes_no.end() <= t.idx < than.start()]
    comp = next((i for i, t in enumerate(left) if t.tag_ in ("JJR", "RBR") or t.lower_ in _AMOUNT | set(_BASE)), None)
    if comp is None or not b:
        return []
    word, after = left[comp].lower_, left[comp + 1] if comp + 1 < len(left) else None
    if word in _BASE and after is not None and after.pos_ == "ADP" and comp > 0 and b.split()[0].lower() == after.lower_:
        # "Did the river crest higher in the update than in the first report?": the same thing in two places
        base, how = _text(left[:comp]), f"how {_BASE[word]}"
        return [(side, _question(base, how, side)) for side in (_text(left[comp + 1:]), b)]
    aux = question[start:yes_no.end()].split()[0].lower()
    verb = next((i for i in range(comp) if left[i].tag_ in _VERB_TAGS and left[i].dep_ not in ("amod", "compound")
                 and not left[i].dep_.startswith("csubj")), None)      # "Did converting the gasworks cost more"
    counted = left[comp].head if left[comp].head.pos_ in ("NOUN", "PROPN") and left[comp].head.i > left[comp].i else None
    if word in _AMOUNT and (counted is not None or comp == len(left) - 1):
        how = "how much" if counted is None or counted.tag_ in ("NN", "NNP") else "how many"
        b_toks = [t for t in doc if than.start("b") <= t.idx < than.end("b")]
        alike = bool(b_toks) and b_toks[0].pos_ in ("NOUN", "ADJ")     # "more homes evacuated than properties inspected"
        if verb is None and (clause or alike):   # "Are more A recalled than there are B?": each is counted
            a = _text(left[comp + 1:])
            return [(a, f"{how} {a}?"), (b, f"{how} {b}?")]
        if verb is None and counted is not None and b_toks and b_toks[0].tag_ in _VERB_TAGS:
            # "Did more people queue at A than visited B?": the counted thing does each act
            a = _text(left[comp + 1:])
            return [(a, f"{how} {a}?"), (b, f"{how} {counted.text} {b}?")]
        if verb is None or clause:
            return []
        a, rest = _text(left[:verb]), _text(left[verb:comp]) + f" {how} " + _text(left[comp + 1:])
        if counted is not None and alike and b_toks[-1].tag_ == "NNS":
            # "Did the count record more waxwings than robins?": B is another thing counted
            thing = _text(left[comp + 1:])
            return [(thing, _question(a, "", rest)), (b, _question(a, "", rest.replace(thing, b)))]
        # "Did A draw more people than B?", "Did A cost more than B?": A's question, B in A's place
        return [(a, _question(a, "", rest)), (b, _question(b, "", rest))]
    if comp == len(left) - 1 and word in _BASE and comp > 0:
        a = _text(left[:comp])                # "Is A larger than B?": how large (how much, for a value) is each
        return [(_MEASURE.sub("", side), f"{side} {aux} {'how much' if _VALUE.search(side) else f'how {_BASE[word]}'}?")
                for side in (a, b)]
    return []


def _text(tokens: list[Any]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def asked_quantity(question: str) -> str:
    """A yes/no part about a bound or scale of a quantity asks for the quantity: "Are both A expected
    to cost millions of dollars?" -> "A expected to cost how much?", "Did A draw more than 10,000
    people?" -> "A draw how many people?". The line that answers is the one with the amount,
    whatever the verdict, and it does not hold the question's bound. A figure ("raised $40
    million?") is left to be found as written, and any other question is returned as it is.

    >>> asked_quantity("Are both the fare cap expected to cost millions of dollars?")
    'the fare cap expected to cost how much?'
    >>> asked_quantity("Did both the coral study last more than a year?"), asked_quantity("Did it rain?")
    ('the coral study last how long?', 'Did it rain?')
    """
    yes_no, quantity = YES_NO.match(question), _QUANTITY.search(question)
    if yes_no is None or quantity is None:
        return question
    unit = quantity["unit"].lower()
    if quantity["money"] or unit in _MONEY_UNITS:
        how = "how much"
    elif unit in _TIME_UNITS:
        how = "how long"
    else:
        how = f"how many {quantity['unit']}"
    return question[yes_no.end():quantity.start()] + how + question[quantity.end():]


def _how(head: list[Any]) -> tuple[str, str] | None:
    """("cost", "how much") from the tokens of "Which cost more": the verb, and the words after it
    with the comparative turned into "how"; None without a comparative."""
    verb = next((i for i, t in enumerate(head) if i > 0 and t.tag_ in _VERB_TAGS), None)
    if verb is None:
        return None
    comp = next((i for i in range(verb + 1, len(head)) if head[i].tag_ in ("JJR", "RBR")
                 or head[i].lower_ in _WHEN | _AMOUNT | _PRICE | set(_BASE)), None)
    if comp is None:
        return None
    word = head[comp].lower_
    drop = {comp}
    if comp > verb + 1 and head[comp - 1].lower_ in ("the", "a"):
        drop.add(comp - 1)                                   # "the bigger crowd"
    after = head[comp + 1] if comp + 1 < len(head) else None
    if word in _PRICE or word in ("more", "less") and after is not None and after.lower_ in _PRICE:
        return "cost", "how much"                            # "cheaper", "more expensive": the price asked
    if word in ("more", "less") and after is not None and after.tag_ in ("JJ", "RB"):
        how = f"how {after.lower_}"                          # "more popular"
        drop.add(comp + 1)
    elif after is not None and after.tag_ in ("NN", "NNS") and word in _AMOUNT:
        how = f"how {'many' if after.tag_ == 'NNS' else 'much'}"    # "more employees": how many employees
    elif after is not None and after.tag_ in ("NN", "NNS") and word in _BASE:
        how = f"how {_BASE[word]} a"                         # "the bigger crowd": how big a crowd
    elif word in _WHEN:
        how = "when"
    elif word in _AMOUNT:
        how = "how much"
    elif word in _BASE:
        how = f"how {_BASE[word]}"
    else:
        return None
    words = [how + t.whitespace_ if i == comp else t.text_with_ws for i, t in enumerate(head)
             if i > verb and (i == comp or i not in drop)]
    return head[verb].text, "".join(words).strip()


def _question(thing: str, verb: str, rest: str) -> str:
    words = " ".join(w for w in (thing.strip(), verb, rest) if w)
    return re.sub(r"\s+", " ", words).rstrip(" ,;:") + "?"
