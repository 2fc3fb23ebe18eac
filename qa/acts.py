"""Does a span stand for the act the question asks about, not another one?

- **The doer of another act** (`other_act`): "Who paid for the study?" is not answered by "The
  team, led by Dr. Keoni Alvarado, ...": the doer of another act (the subject or passive agent
  of another content verb) answers only when a word of the sentence is the question's verb or
  close to it ("funding from").
- **The date of another act** (`other_dated_act`): "In what year was the Calder Bridge built?"
  is not answered by "records began there in 1961": a date hangs from the verb it dates, and
  one of another act (not close to the question's verb, which the sentence lacks) dates
  something else. "Happen", "take place" and the like ask for any act.
- **The number of another act** (`other_counted_act`): "How many people dropped out of the
  trial?" is not answered by "The trial enrolled 386 adults": a count, amount or measure hangs
  from the verb it counts, and one of another act counts something else, unless a word of the
  sentence is close to the question's verb (a looser test than for dates: figures are often
  given with a paraphrase, "tracked 1,200 coral colonies" for "study"). Measured: two more
  near-topic declines (n40, n85) and one short answer put right (outlets o10: the monthly pass's
  "$96 to $110", not the single fare's "$3.75" it was "raised from"), nothing lost on the six
  gold sets; held out (n158-n170), no gain and no loss: its looseness lets "planted" pass for
  "tracked". A percentage is left out ("up 18 percent" hangs from "reported", not from "rose").
- **The contrary act** (`contrary_act`): "When did the shelter open?" is not answered by "The
  shelter closed on Tuesday", nor "How much did shares rise?" by "shares fell 6 percent": a
  span tied to a verb of the opposite act answers the opposite question, whatever the word
  vectors say (opposites sit close in them: "opened" and "closed" are used alike).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from qa.doers import SAYS

# verbs that name no act of their own ("Who is ...?", "What did they get?")
LIGHT = {"be", "is", "are", "was", "were", "been", "being", "have", "has", "had", "do", "does", "did", "get", "gets",
         "got", "go", "goes", "went", "become", "became", "becomes"}
PLAIN_VERBS = frozenset(LIGHT | SAYS)     # verbs that name no act of their own


def other_act(span: Any, asked_verb: Any, doer_of: Any, same: Callable[[Any, Any], bool],
              akin: Callable[[Any, Any], bool] | None = None) -> bool:
    """Does the span do another act than the question's `asked_verb` (see the module docstring)?
    `doer_of`: the verb the span is the subject or passive agent of (`qa.span_slot.chain`), or
    None; `same` as for `speaker_only`; `akin` (default `same`), a looser test for the doer's own
    verb ("found" for "ruled").

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = p.parse(["Who paid for the study?"])[0]
    >>> d = p.parse(["The team, led by Dr. Keoni Alvarado, tracked 1,200 colonies."])[0]
    >>> same = lambda a, b: a.lower_ == b.lower_
    >>> other_act(d[6:8], q[1], d[3], same), other_act(d[6:8], d[3], d[3], same)
    (True, False)
    """
    if asked_verb is None or asked_verb.pos_ != "VERB" or asked_verb.lower_ in LIGHT:
        return False
    return _another(span, asked_verb, doer_of, same, akin, ("VERB", "NOUN"))


def _another(span: Any, asked_verb: Any, verb: Any, same: Callable[[Any, Any], bool],
             akin: Callable[[Any, Any], bool] | None, kinds: tuple[str, ...]) -> bool:
    """Is `verb` (the span's own) a content verb of another act than `asked_verb`, with no word of
    the sentence outside the span (of a part of speech in `kinds`) naming the asked act?"""
    if verb is None or verb.pos_ != "VERB" or verb.lower_ in LIGHT or verb.lower_ in SAYS or (akin or same)(asked_verb, verb):
        return False
    inside = range(span.start, span.end)
    return not any(t.pos_ in kinds and t.i not in inside and same(asked_verb, t) for t in span.sent)


# pairs of opposite acts, by their forms (irregular ones included: "rose"/"fell", "won"/"lost")
_OPPOSITES = (
    ({"open", "opens", "opened", "opening", "reopen", "reopens", "reopened"},
     {"close", "closes", "closed", "closing", "shut", "shuts"}),
    ({"start", "starts", "started", "begin", "begins", "began", "begun", "launch", "launched", "launches"},
     {"end", "ends", "ended", "finish", "finishes", "finished", "stop", "stops", "stopped", "halt", "halted"}),
    ({"rise", "rises", "rose", "risen", "increase", "increases", "increased", "grow", "grows", "grew", "grown",
      "climb", "climbs", "climbed", "gain", "gains", "gained", "jump", "jumped", "surge", "surged"},
     {"fall", "falls", "fell", "fallen", "decrease", "decreases", "decreased", "shrink", "shrinks", "shrank",
      "drop", "drops", "dropped", "decline", "declines", "declined", "slip", "slipped", "plunge", "plunged"}),
    ({"win", "wins", "won"}, {"lose", "loses", "lost"}),
    ({"buy", "buys", "bought", "acquire", "acquires", "acquired"}, {"sell", "sells", "sold"}),
    ({"hire", "hires", "hired"}, {"fire", "fires", "fired", "lay", "laid", "dismiss", "dismissed"}),
    ({"arrive", "arrives", "arrived", "enter", "enters", "entered", "join", "joins", "joined"},
     {"leave", "leaves", "left", "depart", "departs", "departed", "exit", "exits", "exited", "quit", "quits"}),
    ({"approve", "approves", "approved", "accept", "accepts", "accepted"},
     {"reject", "rejects", "rejected", "refuse", "refuses", "refused", "veto", "vetoed"}),
    ({"impose", "imposes", "imposed", "introduce", "introduces", "introduced"},
     {"lift", "lifts", "lifted", "scrap", "scraps", "scrapped", "abolish", "abolished"}),
)


def acts_as_verb(tok: Any) -> bool:
    """A verb, or a noun the parser hangs as a clause ("with applications opening on June 16")."""
    return tok.pos_ in ("VERB", "AUX") or tok.dep_ in ("acl", "relcl", "advcl") and tok.pos_ == "NOUN"


def _act_verb(tok: Any, steps: int = 4) -> Any:
    """The verb a span hangs from: up the heads through nouns and prepositions (at most `steps`)."""
    for _ in range(steps):
        if acts_as_verb(tok) or tok.head.i == tok.i:
            return tok if acts_as_verb(tok) else None
        tok = tok.head
    return None


_DO = {"do", "does", "did", "will", "would", "can", "could"}


def asked_acts(question_doc: Any) -> frozenset[str]:
    """The words of a parsed question that may name its act: its verbs and adjectives ("open"),
    and the last word of a do-question the parser left without a verb ("When did X close?")."""
    words = {t.lower_ for t in question_doc if t.pos_ in ("VERB", "ADJ") and t.lower_ not in LIGHT}
    tail = [t for t in question_doc if t.is_alpha]
    if tail and any(t.lower_ in _DO for t in question_doc):
        words.add(tail[-1].lower_)
    return frozenset(words)


def contrary_act(span: Any, acts: frozenset[str]) -> bool:
    """Does the span hang from a verb of the act opposite to one of the question's `acts`
    (`asked_acts`; see the module docstring), which neither the question nor the sentence names?

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = asked_acts(p.parse(["When did the emergency shelter open?"])[0])
    >>> d = p.parse(["The emergency shelter at the sports hall closed on Tuesday."])[0]
    >>> contrary_act(d[9:10], q), contrary_act(d[9:10], frozenset({"closed"}))
    (True, False)
    """
    verb = _act_verb(span.root)
    if not acts or verb is None:
        return False
    found = verb.lower_
    for one, other in _OPPOSITES:
        for mine, theirs in ((one, other), (other, one)):
            if found in theirs and acts & mine and not acts & theirs:
                return not any(t.lower_ in mine for t in span.sent)
    return False


_ANY_ACT = LIGHT | {"happen", "happens", "happened", "occur", "occurs", "occurred", "take", "takes", "took", "taken",
                    "place", "held", "hold", "holds", "give", "gives", "gave", "given", "make", "makes", "made"}
# ("give birth to how many children?": the act is the noun's)


def other_dated_act(span: Any, asked_verb: Any, same: Callable[[Any, Any], bool],
                    akin: Callable[[Any, Any], bool] | None = None) -> bool:
    """Does the date `span` hang from a verb of another act than the question's `asked_verb` (see
    the module docstring)? `same` and `akin` as for `other_act`; the asked word may be tagged an
    adjective ("When did it open?").

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = p.parse(["In what year was the Calder Bridge built?"])[0]
    >>> d = p.parse(["The river crested at the gauge, the highest reading since records began there in 1961."])[0]
    >>> same = lambda a, b: a.lower_ == b.lower_
    >>> other_dated_act(d[15:16], q[7], same), other_dated_act(d[15:16], d[12], same)
    (True, False)
    """
    if asked_verb is None or asked_verb.lower_ in _ANY_ACT:
        return False
    return _another(span, asked_verb, _act_verb(span.root), same, akin, ("VERB", "NOUN", "ADJ"))


def other_counted_act(span: Any, asked_verb: Any, akin: Callable[[Any, Any], bool]) -> bool:
    """Does the number `span` hang from a verb of another act than the question's `asked_verb`, a
    verb the parser tagged as one (see the module docstring)? `akin` as for `other_act`, here also
    the test for the rest of the sentence.

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q = p.parse(["How many people dropped out of the trial?"])[0]
    >>> d = p.parse(["The trial enrolled 386 adults aged 45 to 70."])[0]
    >>> akin = lambda a, b: a.lower_[:4] == b.lower_[:4]
    >>> other_counted_act(d[3:5], q[3], akin), other_counted_act(d[3:5], d[2], akin)
    (True, False)
    """
    if asked_verb is None or asked_verb.pos_ != "VERB" and not _verb_read_as_noun(asked_verb) or (
            asked_verb.lower_ in _ANY_ACT):
        return False
    return _another(span, asked_verb, _act_verb(span.root), akin, akin, ("VERB", "NOUN", "ADJ"))


_SIZE_OF = re.compile(r"\bhow (?:big|large|small) an? [\w-]+", re.I)


def asks_size(question: str) -> bool:
    """"How big a crowd did the final draw?" asks the crowd's size: its verb ("draw" a crowd,
    "packed" the stadium) is not the act the figure must be of."""
    return _SIZE_OF.search(question) is not None


def _verb_read_as_noun(tok: Any) -> bool:
    """"buy" of "How many bowls did the festival buy?", tagged a noun, the object of "did"."""
    return tok.dep_ == "dobj" and tok.head.lemma_ == "do" and tok.tag_ == "NN"


def content_act(question: Any, act: Any) -> Any:
    """The question's own verb when `act` (the verb its asked-for word hangs from) is a light one
    or none: "buy" of "How many bowls did the festival buy?" (tagged a noun, the object of "did"),
    "rescued" of "had to be rescued", "sold" of "How many stalls sold out?" (on a NOUN root)."""
    if act is not None and act.pos_ == "VERB" and act.lower_ not in LIGHT:
        return act
    words = [t for t in question if not t.is_punct]
    last = words[-1] if words else None
    if last is not None and _verb_read_as_noun(last):
        return last                                   # "did the festival buy?": "buy", not a noun
    verbs = [t for t in question if t.pos_ == "VERB" and t.lower_ not in LIGHT and t.tag_ != "MD"
             and t.dep_ not in ("amod", "compound", "relcl") and (t.dep_ != "acl" or t.head.dep_ == "ROOT")]
    below = [t for t in verbs if act is not None and act in t.ancestors]
    return (below or verbs or [act])[0]


_SUPPOSING = {"would", "may", "might", "could", "'d"}        # not "will": a schedule states a fact ("will open in May")
_AHEAD = re.compile(r"\b(?:will|would|could|may|might|shall|should|can|plan(?:s|ned|ning)?|due|expect(?:s|ed)?|set to|"
                    r"going to|intend(?:s|ed)?|aim(?:s|ed)?|hope(?:s|d)?|next|upcoming|future|soon)\b", re.I)


def asks_what_is(question: Any) -> bool:
    """Does the question ask what is or was, not what is planned, due or possible (`_AHEAD`)?"""
    return not _AHEAD.search(question.text)


def supposed_act(span: Any) -> bool:
    """Does the span hang from an act the sentence only foresees or supposes ("would open two new
    hubs next year", "may have to refund 61,000 fines")? No answer to a question that asks what
    is or was (`asks_what_is`: "How many hubs does it operate?").

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q, f = p.parse(["How many hubs does Corvane operate?", "How many hubs is Corvane planning to open?"])
    >>> d = p.parse(["He said the company would open two new hubs next year."])[0]
    >>> supposed_act(d[7:8]), asks_what_is(q), asks_what_is(f)
    (True, True, False)
    """
    verb = _act_verb(span.root, 6)          # "would lower its orbit to an altitude of 100 kilometers"
    while verb is not None:
        if any(c.dep_ == "aux" and c.lower_ in _SUPPOSING for c in verb.children):
            return True
        verb = verb.head if verb.dep_ == "xcomp" else None
    return False


_ASKING = {"who", "whom", "what", "which", "how", "many", "much"}


def question_doers(question: Any, focus: str) -> list[Any]:
    """The doers the question names: subjects of its content verbs, with their compounds ("the
    city" of "How many fines did the city cancel?"), not its asked-for noun `focus` nor "profit
    was"."""
    asked = [t for t in question if t.dep_ == "nsubj" and t.head.pos_ == "VERB" and t.head.lower_ not in LIGHT
             and t.pos_ in ("NOUN", "PROPN") and t.lower_ not in _ASKING and t.lower_ != focus]
    return [w for t in asked for w in (t, *(c for c in t.children if c.dep_ == "compound"))]


def other_doer(span: Any, doers: list[Any], same: Callable[[Any, Any], bool]) -> bool:
    """Is the number `span` the object of an act done by a named doer none of the question's
    `doers` (`question_doers`) stands for ("a delivery driver, Ronan Fairweather, who received 14
    fines" does not say how many fines the city cancelled)? `same` as for `other_act`.

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q, r = p.parse(["How many fines did the city cancel?", "How many fines did Ronan Fairweather get?"])
    >>> d = p.parse(["The case was brought by a driver, Ronan Fairweather, who received 14 fines."])[0]
    >>> same = lambda a, b: a.lower_ == b.lower_
    >>> other_doer(d[12:13], question_doers(q, "fines"), same), other_doer(d[12:13], question_doers(r, "fines"), same)
    (True, False)
    """
    verb = _act_verb(span.root)
    doer = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    if doer is not None and doer.pos_ == "PRON" and verb.dep_ == "relcl":
        doer = verb.head                                  # "Ronan Fairweather, who received ..."
    if not doers or doer is None or span.start <= doer.i < span.end:
        return False
    near = [doer, *(c for c in doer.children if c.dep_ in ("compound", "appos", "poss"))]
    if doer.dep_ == "appos":
        near += [doer.head, *(c for c in doer.head.children if c.dep_ == "compound")]
    edge = doer.left_edge.i
    if edge >= 1 and doer.doc[edge - 1].text == ",":      # "a delivery driver, Ronan Fairweather": the title too
        near += [t for t in doer.doc[max(edge - 4, 0):edge - 1] if t.pos_ in ("NOUN", "PROPN")]
    if not any(t.pos_ == "PROPN" for t in near):
        return False
    return not any(same(w, t) for w in doers for t in near)
