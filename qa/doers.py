"""Is a name the one the question asks for: the doer, in the role asked, not who only speaks?

- **Agent.** "Who started the stall?" asks for whoever did it: the answer is the subject of a
  clause ("Mei Tan started it"), the agent of a passive ("founded by Mei Tan"), a name set
  beside a noun ("its founder, Mei Tan"), the complement of a copula, or a name introduced with
  its role ("outgoing mayor Theodore Nakashima"). A name that only sits inside a phrase of the
  sentence ("the People's Choice award", "in the Great Winter Bird Count", the object "beating
  Port Alder Rovers") belongs to something else. Only for a bare "who" that is the question's
  subject ("Who started ...?", "Who is the director of ...?"), not "Who did they beat?" and
  not "which X" (whose noun decides instead).
- **The role asked for** (`other_role`): "Which judge ...?" is not answered by the District
  Court, nor "the kit manager" by "coach Benedikt Ruiz": a name introduced with another role
  (`titles`) answers for that role only.
- **The doer, not the speaker** (`speaker_only`): "Which company built the Aurora-2 probe?" is
  not answered by "..., the Northern Space Agency confirmed": who says a fact did not do what
  the question asks, unless what they say holds the question's verb ("Daily Harvest said it
  received ...", "X, who chairs the board, said"), their title is its verb ("Board chair X said"
  for "Who chairs the board?"), or the question asks for something said.
- **The leader asked for** (`lead_roles`): "Who runs / heads / is in charge of X?" asks for a
  name with a leading title of X ("Chief executive Henrik Osei-Larsen" in an article about
  Corvane, "Rovers manager Ilse Brandvold"), "Who coaches X?" for its coach (or manager). A
  title of another owner ("Harriers coach", "school principal") or none, in an article not
  about X ("outgoing mayor Y" for "the elections office"), is not X's.
- **The act asked**: see `qa.acts` ("Who paid for the study?" is not answered by "led by X").
- **A kind of organisation**: see `qa.org_kinds` ("Which company ...?" is not answered by a board).

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = p.parse(["Who started the Kestrel Bakery?"])[0]
    >>> asks_agent(q), asks_agent(p.parse(["Who did the Harriers beat?"])[0])
    (True, False)
    >>> d = p.parse(["The award went to Kestrel Bakery, which Mei Tan started in 2019."])[0]
    >>> agent_role(d[8:10]), agent_role(d[4:6])          # "Mei Tan", "Kestrel Bakery"
    (True, False)
    >>> d = p.parse(["She takes over from outgoing mayor Theodore Nakashima."])[0]
    >>> agent_role(d[6:8], {"mayor"}), agent_role(d[6:8], {"mayor"}, acting=True)
    (True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_AGENT_DEPS = {"nsubj", "nsubjpass", "appos", "attr", "ROOT", "csubj", "agent"}
def asks_agent(question_doc: Any) -> bool:
    """Is the question's "who" its subject (or the complement of "is": "Who is the chair of X?")?"""
    for tok in question_doc:
        if tok.lower_ == "who":
            return tok.dep_ in ("nsubj", "nsubjpass", "attr")
    return False


def agent_role(span: Any, role_nouns: frozenset[str] | set[str] = frozenset(), named: bool = False,
               acting: bool = False) -> bool:
    """Does the span stand where a doer is named (see the module docstring)? `role_nouns`
    extend the built-in sense of a role title ("mayor", "founder"); `named`: the question names
    the doer's kind ("Which stall took the prize?"), so a name that something goes "to" counts
    ("the prize went to X"; not "around the Moon", "the far side of the Moon"); `acting`: the
    question asks who did an act ("Who conceded the race?"), so a title does not make a name
    in another phrase ("taking over from outgoing mayor X") a doer. Only roles that clearly
    name something else are refused (an object, a place or thing a preposition introduces, a
    modifier of an ordinary noun), so a parse garbled by odd text does not refuse a name."""
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:     # "X and Y founded it": Y counts as X
        root = root.head
    while root.dep_ == "appos" and root.head.i != root.i and not is_role(root.head, role_nouns):
        root = root.head                                      # "in the journal X" stands where "journal" does
    if root.dep_ in _AGENT_DEPS or titled(root, role_nouns) and not (acting and root.dep_ == "pobj"):
        return True
    head = root.head
    if root.dep_ in ("dobj", "iobj", "dative"):
        return False                                          # "beating Port Alder Rovers"
    if root.dep_ == "pobj":                                   # "founded by X", not "in the X Count"
        return head.lower_ == "by" or named and head.lower_ == "to"                # "the prize went to X"
    if root.dep_ in ("compound", "poss", "amod", "nmod") and head.pos_ == "NOUN" and head.is_alpha:
        return is_role(head, role_nouns)                      # "founder Mei Tan", not "the X award"
    return True


def titled(root: Any, role_nouns: frozenset[str] | set[str]) -> bool:
    """A name with a role title beside it: "outgoing mayor Theodore Nakashima", "Nakashima, the mayor"."""
    return any(c.dep_ in ("compound", "appos", "amod", "nmod") and is_role(c, role_nouns) for c in root.children)


def is_role(tok: Any, role_nouns: frozenset[str] | set[str]) -> bool:
    return tok.pos_ == "NOUN" and role_word(tok.lower_, role_nouns)


def role_word(word: str, role_nouns: frozenset[str] | set[str]) -> bool:
    """A role noun of the list, or one shaped like a doer's ("organizer", "director", "biologist")."""
    return word in role_nouns or word.endswith(("er", "or", "ist", "ian", "ent"))


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


_PLAIN = {"team", "club", "head", "chief", "senior", "lead", "top"}   # "team captain" is the captain


def narrower_role(focus: str, modifiers: tuple[str, ...], span: Any, role_nouns: frozenset[str] | set[str],
                  same: Callable[[str, str], bool]) -> bool:
    """Is the asked role narrower than the name's title: "the goalkeeping coach" asked, "Harriers
    coach Benedikt Ruiz" found, and "goalkeeping" nowhere in the sentence? `same` as for `other_role`.

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["Harriers coach Benedikt Ruiz dedicated the trophy to the club."])[0]
    >>> same = lambda a, b: a == b
    >>> narrower_role("coach", ("goalkeeping",), d[2:4], {"coach"}, same), narrower_role("coach", (), d[2:4], {"coach"}, same)
    (True, False)
    """
    wanted = [m for m in modifiers if m not in _PLAIN]
    if not wanted or not any(same(focus, t.lower_) for t in titles(span, role_nouns)):
        return False
    words = {t.lower_ for t in span.sent}
    return not all(any(same(m, w) for w in words) for m in wanted)


def titles(span: Any, role_nouns: frozenset[str] | set[str] = frozenset()) -> list[Any]:
    """The role words a name is introduced with ("Harriers coach Benedikt Ruiz", "Ruiz, the coach",
    "the coach, Benedikt Ruiz"), outside the span itself.

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["Harriers coach Benedikt Ruiz dedicated the trophy to the club."])[0]
    >>> [t.text for t in titles(d[2:4], {"coach"})]
    ['coach']
    >>> d = SentenceParser().parse(["The case was brought by a delivery driver, Ronan Fairweather, who paid."])[0]
    >>> [t.text for t in titles(d[9:11], {"driver"})]
    ['driver']
    """
    root = span.root
    inside = range(span.start, span.end)
    out = [c for t in span for c in t.children if c.dep_ in ("compound", "appos", "amod", "nmod") and c.i not in inside
           and (is_role(c, role_nouns) or c.pos_ == "PROPN" and c.lower_ in role_nouns)]     # "Goalkeeper Amara ..."
    if root.dep_ == "appos" and is_role(root.head, role_nouns):
        out.append(root.head)
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].text == "," and is_role(doc[span.start - 2], role_nouns) and (
            doc[span.start - 2] not in out):
        out.append(doc[span.start - 2])   # "a delivery driver, Ronan Fairweather," however the parser ties it
    return out


def asked_title(span: Any, role_nouns: frozenset[str] | set[str], asked: Callable[[str], bool],
                strict: bool = False) -> bool:
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
    >>> d = SentenceParser().parse(["Harriers coach Benedikt Ruiz dedicated the trophy to the club."])[0]
    >>> asked_title(d[2:4], {"coach"}, lambda w: w == "coach"), asked_title(d[2:4], {"coach"}, lambda w: w != "x")
    (False, True)
    """
    return any(asked(t.lower_) and not any(_other_owner(c, asked, role_nouns, strict) for c in t.children)
               for t in titles(span, role_nouns))


def owned_role(question: Any, role_nouns: frozenset[str] | set[str]) -> bool:
    """Does the parsed question name whose role it asks for ("the captain of Eastbank Harriers",
    "the Rovers' coach"), not only the role ("the two coaches in the final")?"""
    return any(is_role(t, role_nouns) and any(c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ == "of"
                                              for c in t.children) for t in question)


def others_title(span: Any, role_nouns: frozenset[str] | set[str], asked: Callable[[str], bool]) -> bool:
    """Is the name introduced with the asked role of another owner ("their captain, Dominik
    Arslan", where "their" is the Rovers, for "Who is the captain of Eastbank Harriers?")?
    Only for a question whose role has an owner (`owned_role`)."""
    return any(asked(t.lower_) and any(_other_owner(c, asked, role_nouns, True) for c in t.children)
               for t in titles(span, role_nouns))


def owned_title(span: Any, role_nouns: frozenset[str] | set[str], asked: Callable[[str], bool]) -> bool:
    """Is a role title of the name owned by a word the question names ("Rovers manager", "their
    captain" after "Rovers took the lead")? An ownerless one ("Chief executive X") owns nothing."""
    return any(c.dep_ in ("compound", "nmod", "nsubj", "poss") and asked(_resolved(c).lower_)
               for t in titles(span, role_nouns) for c in t.children)


def _resolved(word: Any) -> Any:
    """A possessive pronoun's stand-in: the sentence's subject ("their" in "Rovers took ... their captain")."""
    if word.dep_ == "poss" and word.pos_ == "PRON":
        return next((t for t in word.sent if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), word)
    return word


def _other_owner(word: Any, asked: Callable[[str], bool], role_nouns: frozenset[str] | set[str], strict: bool) -> bool:
    """Does this word beside a role title name another owner of the role ("their", "Harriers
    coach"; with `strict`, any noun: "school principal")? "Their" stands for the sentence's subject."""
    if word.dep_ == "poss":
        if word.pos_ != "PRON":
            return not asked(word.lower_)            # "the trust's survey coordinator" for "the Trust's ..."
        return not strict or not asked(_resolved(word).lower_)   # "Rovers ... their captain"
    return word.dep_ in ("compound", "nmod", "nsubj") and not asked(word.lower_) and word.lower_ not in role_nouns and (
        word.pos_ == "PROPN" or word.is_title or strict and word.pos_ == "NOUN")    # "Harriers coach"


# "Who runs X?" asks for whoever holds a leading role in X ("Chief executive Henrik Osei-Larsen");
# "Who coaches X?" for its coach (or manager), not its captain
_LEADS = re.compile(r"\bwho\s+(?:(runs|leads|heads|is\s+in\s+charge\s+of|is\s+(?:the\s+)?(?:head|boss|leader)\s+of)|"
                    r"(manages|coaches|directs|chairs|captains|owns))\b", re.I)
_LEAD_ROLES = frozenset({"director", "chief", "executive", "ceo", "head", "manager", "chair", "chairman", "chairwoman",
                         "chairperson", "president", "coach", "captain", "leader", "boss", "principal", "commissioner",
                         "superintendent", "editor", "owner", "founder", "governor", "mayor"})
_ROLE_OF = {"manages": {"manager"}, "coaches": {"coach", "manager"}, "directs": {"director"}, "owns": {"owner"},
            "chairs": {"chair", "chairman", "chairwoman", "chairperson"}, "captains": {"captain"}}


def lead_roles(question: str) -> frozenset[str]:
    """The role nouns a "Who runs / coaches / is in charge of X?" asks for (none for another question).

    >>> sorted(lead_roles("Who coaches Port Alder Rovers?")), "executive" in lead_roles("Who runs Corvane?")
    (['coach', 'manager'], True)
    """
    m = _LEADS.search(question)
    if m is None:
        return frozenset()
    return _LEAD_ROLES if m.group(1) else frozenset(_ROLE_OF[m.group(2).lower()])

SAYS = {"say", "said", "says", "tell", "told", "tells", "confirm", "confirmed", "confirms", "note", "noted", "notes",
         "add", "added", "adds", "explain", "explained", "explains", "write", "wrote", "writes"}
# verbs a speaker does by speaking: "Which group criticised the rise?" is answered by who said so
_SPEAKING = {"tell", "told", "confirm", "announc", "acknowledg", "admit", "claim", "comment", "speak", "spoke",
             "spoken", "state", "warn", "urg", "criticis", "critic", "prais", "welcom", "complain", "argu", "deni",
             "describ", "call", "insist", "report", "repli", "respond", "testifi", "ask", "predict", "estim", "promis",
             "pledg", "vow", "threaten", "suggest", "recommend", "blame", "accus", "note", "explain", "add", "wrote",
             "written", "express", "declar", "reveal", "disclos"}    # stems (`index.analyzer`); "say" is a stop word


def speaker_only(span: Any, asked_verb: Any, same: Callable[[Any, Any], bool], stem: Callable[[str], str],
                 role_nouns: frozenset[str] | set[str] = frozenset()) -> bool:
    """Is the span only the one who says the sentence's fact, while the question asks who did
    `asked_verb` (a verb of the question's asked-for word, see the module docstring)?
    `same(a, b)`: are two tokens the same word or close in meaning; `stem`: a word's stem;
    `role_nouns` as for `titles`.

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = p.parse(["Which company built the probe?"])[0]
    >>> d = p.parse(["The probe entered orbit on Wednesday, the Northern Space Agency confirmed."])[0]
    >>> e = p.parse(["Daily Harvest said it built the probe."])[0]
    >>> same = lambda a, b: a.lower_ == b.lower_
    >>> speaker_only(d[7:11], q[2], same, str.lower), speaker_only(e[0:2], q[2], same, str.lower)
    (True, False)
    """
    if asked_verb is None or asked_verb.pos_ != "VERB" or stem(asked_verb.lower_) in _SPEAKING | {""}:
        return False
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    verb = root.head
    if root.dep_ != "nsubj" or verb.lower_ not in SAYS:
        return False
    inside = range(span.start, span.end)
    if any(same(asked_verb, t) for t in titles(span, role_nouns)):
        return False                      # "Board chair Odile Ranganathan said ..." for "Who chairs the board?"
    return not any(t.pos_ in ("VERB", "AUX") and t.i not in inside and same(asked_verb, t) for t in verb.subtree)
