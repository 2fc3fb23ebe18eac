"""What a question asks for: the kind of answer, the word it is about, and which part is the question.

Pure functions over the question text (no model): the composer uses them to check that a
sentence holds the kind of thing asked for, and the short-answer finder to pick a span.

    kind      "person", "org", "who" (either), "place", "date", "count" (how many), "measure"
              (how long/far/old...), "number", "money", "percent", "thing", or ""
              (why / how / explain questions, which have no short answer)
    labels    the entity labels (spaCy's OntoNotes set) an answer of that kind may carry
    focus     the noun of "which X" / "what X" / "how many X" ("" when there is none)
    core      the sentence of the question that asks (news quizzes put a lead-in first)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from qa.doers import asks_agent

_ORG_NOUNS = {
    "company", "companies", "firm", "retailer", "airline", "brand", "automaker", "carmaker", "bank", "network",
    "carrier", "maker", "manufacturer", "startup", "business", "chain", "corporation", "organization",
    "organisation", "agency", "team", "club", "party", "union", "league", "outlet", "publication", "newspaper",
    "school", "university", "college", "group", "restaurant", "store", "giant", "platform", "app", "service",
    "stall", "court", "board", "committee", "charity", "coalition", "studio", "publisher", "franchise",
    "lab", "laboratory", "institute", "department", "ministry", "regulator", "streamer", "broadcaster",
}
_PERSON_NOUNS = {
    "person", "man", "woman", "judge", "player", "leader", "official", "president", "minister", "actor",
    "actress", "singer", "star", "athlete", "quarterback", "ceo", "executive", "director", "senator", "governor",
    "lawmaker", "rapper", "musician", "author", "candidate", "artist", "coach", "chair", "chairman", "chairwoman",
    "mayor", "scientist", "researcher", "founder", "owner", "billionaire", "celebrity", "king", "queen", "prince",
    "princess", "pope", "politician", "head", "spokesperson", "spokesman", "spokeswoman", "chief", "commander",
    "general", "winner", "champion", "golfer", "pitcher", "boxer", "driver", "writer", "host", "comedian",
    "rider", "skater", "swimmer", "runner", "tennis", "legend", "icon", "designer", "chef", "doctor", "astronaut",
    "manager", "captain", "scorer", "goalkeeper", "striker", "referee", "economist", "analyst", "professor",
    "lawyer", "attorney", "prosecutor", "detective", "officer", "soldier", "victim", "suspect", "son", "daughter",
    "wife", "husband", "mother", "father", "curator", "principal", "teacher", "student", "volunteer", "member",
}
_PLACE_NOUNS = {
    "country", "countries", "nation", "state", "states", "city", "cities", "town", "continent", "region",
    "island", "county", "place", "province", "capital", "location", "territory", "district", "neighborhood",
    "neighbourhood", "village", "area", "port", "river", "sea", "ocean", "mountain", "park", "venue", "stadium",
    "airport", "site", "border",
}
_DATE_NOUNS = {"year", "day", "date", "month", "time", "week", "decade", "century", "season", "hour"}
_PERCENT_NOUNS = {"percentage", "percent", "share", "proportion", "rate"}
_NUMBER_NOUNS = {"number", "amount", "count", "total", "turnout", "score", "age", "margin", "level", "height",
                 "magnitude", "distance", "size", "length", "toll", "temperature", "speed", "population", "majority",
                 "altitude", "depth", "weight", "width", "elevation", "rating", "capacity", "wattage", "voltage",
                 "output"}
_MONEY_NOUNS = {"cost", "price", "fare", "fee", "profit", "revenue", "salary", "budget", "fine", "cap", "worth",
                "value", "sum", "payment", "loss", "losses", "spending", "bill", "fund", "funding", "grant", "wage",
                "income", "sales", "debt", "deficit"}
_PROJECTIONS = {"forecast", "estimate", "target", "guidance", "outlook", "projection", "goal", "expectation"}
_MONEY_VERBS = re.compile(r"\b(?:cost|costs|price|priced|pay|paid|charge|charged|fare|fee|worth|spend|spent|"
                          r"spending|profit|revenue|salary|budget|fine|fined|earn|earned|sold for|raise|raised)\b")

LABELS = {
    "person": frozenset({"PERSON"}),
    "org": frozenset({"ORG"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "date": frozenset({"DATE", "TIME"}),
    "count": frozenset({"CARDINAL", "QUANTITY"}),
    "measure": frozenset({"QUANTITY", "CARDINAL", "DATE", "TIME", "PERCENT", "MONEY"}),
    "number": frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}),
    "money": frozenset({"MONEY"}),
    "percent": frozenset({"PERCENT"}),
    "who": frozenset({"PERSON", "ORG", "NORP"}),
    "thing": frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "ORG", "FAC", "NORP", "LANGUAGE", "GPE", "LOC"}),
}
STRICT_KINDS = frozenset({"count", "measure", "number", "money", "date", "percent"})

_SEVERAL = re.compile(r"\b(?:which|what|name|the)\s+(?:two|three|four|five)\b|\bboth\b")
# things that go by a name of their own: "which rocket" asks "Vega-C", "which hospital" "Northfield General
# Hospital" (where the injured were treated: a place as much as a doer), not "a rocket" or "the hospital"
_TITLED_NOUNS = {"rocket", "spacecraft", "satellite", "ship", "vessel", "show", "series", "movie", "film", "album",
                 "song", "novel", "hurricane", "typhoon", "storm", "hospital", "clinic", "museum", "gallery", "theater",
                 "theatre", "hotel", "zoo", "journal", "newspaper", "magazine"}
_NAMED = re.compile(r"\b(?:called|named|names? of|nicknamed|dubbed|titled)\b")
_WH = re.compile(r"\b(?:who|whom|whose|what|which|when|where|why|how)\b", re.I)
_TRANSPARENT = {"name", "names", "kind", "kinds", "type", "types", "sort", "title", "titles", "brand", "one", "ones"}   # "the name of the ship" asks a ship
_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w'’-]+\s+){0,1}[\w'’-]+)", re.I)
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "of", "following"}

_ALL_NOUNS = (_ORG_NOUNS, _PERSON_NOUNS, _PLACE_NOUNS, _DATE_NOUNS, _PERCENT_NOUNS, _NUMBER_NOUNS, _MONEY_NOUNS)


@dataclass(frozen=True)
class QuestionAnalysis:
    kind: str
    labels: frozenset[str]
    focus: str
    core: str
    agent: bool = False     # a "who" that is the question's subject: the answer must be a doer (`qa.span_roles`)
    named: bool = False     # asks for a name ("What is the probe's camera called?"): "a small camera" is none
    several: bool = False   # asks for two or more ("Which two countries ..."): "Sweden and Finland" is one answer
    modifiers: tuple[str, ...] = ()   # nouns that narrow the asked-for noun: "goalkeeping" of "goalkeeping coach"

    @property
    def strict(self) -> bool:
        """Must the answer sentence hold a number, amount or date?"""
        return self.kind in STRICT_KINDS

    @property
    def short_allowed(self) -> bool:
        return bool(self.kind)


def core_question(question: str) -> str:
    """The sentence that asks, when a quiz question opens with a lead-in.

    >>> core_question("Gas prices hit a record. On average, how much does a gallon cost?")
    'On average, how much does a gallon cost?'
    >>> core_question("Supermarkets in France are struggling to stock which condiment.")
    'Supermarkets in France are struggling to stock which condiment.'
    >>> core_question('It is known as the “PSL.” What does “PSL” stand for?')
    'What does “PSL” stand for?'
    """
    parts = [p for p in re.split(r"(?:(?<=[.?!])|(?<=[.?!][”\"’]))\s+(?=[A-Z“\"])", question.strip()) if p]
    for part in reversed(parts):
        if _WH.search(part):
            return part
    return parts[-1] if parts else question


def _focus_noun(phrase: str) -> str:
    words = [w.lower() for w in re.findall(r"[\w'’-]+", phrase) if w.lower() not in _DETERMINERS]
    return words[-1] if words else ""


def focus_token(doc: Any, determiner: bool = False) -> Any:
    """The noun a parsed question asks about: "which judge", "how many homes", "what is the fare cap"
    (with `determiner`, only the first two kinds)."""
    for tok in doc:
        low = tok.lower_
        if low in ("which", "what", "whose") and tok.dep_ in ("det", "poss") and tok.head.pos_ in ("NOUN", "PROPN"):
            return _through(_compound_head(tok.head))
        if low == "many" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head is not tok:
            return tok.head
    if determiner:
        return None
    for tok in doc:
        if tok.lower_ == "what" and tok.dep_ in ("attr", "nsubj") and tok.head.lemma_ in ("be", "") or (
                tok.lower_ == "what" and tok.head.pos_ == "AUX"):
            subj = [c for c in tok.head.children if c.dep_ in ("nsubj", "attr") and c is not tok
                    and c.pos_ in ("NOUN", "PROPN")]
            if subj:
                return _through(subj[0])
    return None


def _focus_after_wh(doc: Any) -> Any:
    """The noun after "which"/"what" when the parse did not tie them ("which wildly popular show")."""
    known = _ORG_NOUNS | _PERSON_NOUNS | _PLACE_NOUNS | _DATE_NOUNS | _MONEY_NOUNS | _NUMBER_NOUNS | _PERCENT_NOUNS
    for tok in doc:
        if tok.lower_ not in ("which", "what"):
            continue
        for nxt in tok.doc[tok.i + 1:tok.i + 7]:
            if nxt.lower_ in known or nxt.pos_ in ("NOUN", "PROPN") and nxt.head.pos_ not in ("NOUN", "PROPN"):
                return _through(_compound_head(nxt))
            if nxt.pos_ in ("NOUN", "PROPN") and nxt.head.i < tok.i:
                return _through(nxt)        # tied back to a noun before ("the shortage of which festive crop")
            if nxt.pos_ == "VERB" and nxt.tag_ in ("VB", "VBP") and (nxt.i + 1 == len(nxt.doc) or nxt.nbor().pos_ in (
                    "PUNCT", "ADP")):
                return nxt                  # a noun the tagger took for a verb ("the return of which feature?")
            if nxt.pos_ in ("NOUN", "PROPN") and nxt.head.i > nxt.i and nxt.head.i < tok.i + 7:
                continue                    # a compound's first word ("virus outbreak"): take its head
            if nxt.text == "-" and not nxt.whitespace_:
                continue                    # "23-time"
            if nxt.pos_ == "ADP" and nxt.lower_ != "of" or nxt.pos_ == "DET" and nxt.i == tok.i + 1:
                break                       # "do what this week", "support what in rural areas": no "what X"
            if nxt.pos_ in ("ADV", "ADJ", "NUM", "DET", "ADP", "NOUN", "PROPN") or nxt.lower_ in _DETERMINERS:
                continue
            if nxt.pos_ == "VERB" and nxt.dep_ == "amod":
                continue                    # a participle: "which embattled celebrity"
            break
    return None


def _compound_head(noun: Any) -> Any:
    """"which Ivy League university" tied to "League": the noun the compound belongs to."""
    while noun.dep_ in ("compound", "nmod") and noun.head.i > noun.i and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head
    return noun


def answer_token(doc: Any) -> Any:
    """The asked-for noun of a parsed question, however the parser tied "which" to it (or None).
    A "which X" outranks a "what is X": "began what could be her final act by playing in which
    tournament?" asks for a tournament."""
    return focus_token(doc, determiner=True) or _focus_after_wh(doc) or focus_token(doc)


def _through(noun: Any) -> Any:
    if noun.lower_ in _TRANSPARENT:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
    return noun


def analyse(question: str, doc: Any = None) -> QuestionAnalysis:
    """Classify a question; `doc` is its core sentence parsed (`qa.nlp`), which finds the focus noun.

    >>> from qa.nlp import SentenceParser
    >>> def kind(q): return analyse(q, SentenceParser().parse([core_question(q)])[0]).kind
    >>> [kind(q) for q in ["How many homes were evacuated?", "When did it open?", "Who won?",
    ...     "Where is the glacier?", "Which judge ruled?", "What is the fare cap?", "Which airline bought Spirit?",
    ...     "Why did it fall?", "How did they do it?", "Which country was shaken?", "What ancient find was uncovered?",
    ...     "Which two members of the board voted against it?"]]
    ['count', 'date', 'who', 'place', 'person', 'money', 'org', '', '', 'place', 'thing', 'person']
    >>> p = SentenceParser()
    >>> [analyse(q, p.parse([q])[0]).focus for q in ["Which two countries did NATO invite?",
    ...     "How many adults took part?", "What is the name of the new ship?", "What is the fare cap?"]]
    ['countries', 'adults', 'ship', 'cap']
    """
    core = core_question(question)
    q = core.lower()
    focus, modifiers = "", ()
    if doc is not None:
        tok = answer_token(doc)
        focus = tok.lower_ if tok is not None else ""
        modifiers = tuple(c.lower_ for c in tok.children if c.dep_ == "compound" and c.pos_ == "NOUN") if tok else ()
    else:
        m = _HOW_MANY.search(q)
        focus = _focus_noun(m.group(1)) if m else ""
    if re.search(r"\bwhy\b|\bhow (?:did|does|do|is|are|was|were|will|can|could|should|would|has|have)\b"
                 r"|\b(?:explain|describe)\b", q) and not re.search(r"\bhow (?:many|much|long|far|old)\b", q):
        return QuestionAnalysis("", frozenset(), focus, core)
    kind = _kind(q, focus)
    if kind == "thing" and focus in _PROJECTIONS and modifiers:      # "the revenue forecast": an amount
        kind = next((k for k, nouns in (("money", _MONEY_NOUNS), ("number", _NUMBER_NOUNS))
                     if any(_singular(m) in nouns or m in nouns for m in modifiers)), kind)
    titled = kind == "thing" and (focus in _TITLED_NOUNS or _singular(focus) in _TITLED_NOUNS)
    return QuestionAnalysis(kind, LABELS.get(kind, frozenset()), focus, core, doc is not None and asks_agent(doc),
                            bool(_NAMED.search(q)) or titled, bool(_SEVERAL.search(q)), modifiers)


def _singular(noun: str) -> str:
    """A plural's singular, near enough for our noun lists ("members" -> "member", "cities" -> "city")."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3 else noun


def _kind(q: str, focus: str) -> str:
    focus = focus if any(focus in nouns for nouns in _ALL_NOUNS) else _singular(focus)
    if re.search(r"\bhow (?:much|big|large|high|many)\b", q) and re.search(r"\bpercent(?:age)?\b", q):
        return "percent"                  # "How much did profit rise in percentage terms?", "by how big a percentage"
    if _MONEY_VERBS.search(q) and (re.search(r"\bhow much\b", q) or focus in _MONEY_NOUNS):
        return "money"
    if re.search(r"\bhow many\b", q):
        return "count"
    if re.search(r"\bhow (?:long|far|old|big|large|high|tall|fast|deep|heavy)\b", q):
        return "measure"
    if re.search(r"\bhow much\b", q):
        return "number"
    if not focus and re.search(r"\bwhat(?:'s| is| was| are| were)? the (?:most|least|maximum|minimum) (?:a|an|any|each|one|"
                               r"every|someone|anyone)\b", q):
        return "number"                   # "What is the most a household can get?": an amount
    if focus in _PERCENT_NOUNS:
        return "percent"
    if focus in _MONEY_NOUNS or focus in ("amount", "sum", "figure", "total") and any(
            w in _MONEY_NOUNS for w in re.findall(r"[a-z]+", q)):
        return "money"                    # "raise the minimum wage to which hourly amount?": money
    if focus in _NUMBER_NOUNS:
        return "number"
    when = re.search(r"\bwhen\b|\bhow soon\b", q)
    if when and not re.search(r"\b(?:what|which|who|whom|where)\b", q[:when.start()]) or focus in _DATE_NOUNS:
        return "date"                     # not "What did it reach when it arrived?"
    if re.search(r"\bwhere\b", q) or focus in _PLACE_NOUNS:
        return "place"
    if focus in _PERSON_NOUNS:
        return "person"
    if focus in _ORG_NOUNS:
        return "org"
    if re.search(r"\bwho(?:m|se)?\b", q):
        return "who"
    if not focus and re.search(r"\bwhat (?:will|would|does|do|did|could|might|should) (?:[\w'-]+ ){1,6}"
                               r"(?:cost|charge|earn|pay)\b", q):
        return "money"                    # "What will monthly passes cost?"
    if not focus and re.search(r"\bdo(?:es|ing|ne)? what\b|\bwhat (?:happen|(?:will|would|does|do|did|could|might|"
                               r"should|can) (?:[\w'-]+ ){1,6}do\b)", q):
        return ""                         # "The IRS will do what?": an act, not a thing
    if focus or re.search(r"\b(?:what|which)\b", q):
        return "thing"
    return ""
