"""Does the quoted sentence name what the question names? Word by word, in the model's own terms.

A near-topic question shares an article's topic and the kind of answer, but not its subject:
"How many homes were evacuated in Poddington?" against "340 homes had been evacuated ... most of
them in Riverside Terrace", "When will the N7 night bus start running?" against a date for "the
new night routes". Every other word lines up; the one that names the subject does not.

Each naming word of the question (a noun or proper noun among its key words, `qa.spans`) is
matched against the word pieces of the sentence, both encoded by all-MiniLM-L6-v2
(`index.query_encoder.MiniLMQueryEncoder.token_states`, the passes that give the question's and
the sentence's vectors anyway): its alignment is the best cosine of its pieces' last hidden states
to any piece of the sentence (the mean over its pieces).
Contextual states let a paraphrase count ("people" / "adults") where a different thing of the same
sort does not ("Poddington" / "Larch Valley"). A run of proper nouns is one name, aligned as the
mean of its words ("the Great Winter Bird Count" / "the Bird Count").

A word of the article's title counts as aligned: the title names a subject the sentence leaves
out ("The trial enrolled 386 adults" under "Walking after meals ..."). A word of the text just
before the sentence counts only as a modifier ("Tidecard riders": "Under the plan, passengers
..." after a paragraph on the Tidecard's fare cap), not as the thing asked about or the place of
the event ("homes evacuated in Poddington" is not answered by "340 homes ... in Larch Valley"
because the paragraph above names both towns). A modifier named anywhere earlier in the article
counts too when the sentence holds the noun it modifies (the end of its chain of modifiers): "the
cap will cost ..." after "the Tidecard fare cap" (a definite noun that points back), but not "the
new night routes" for "the N7 night bus". Measured on the gold sets, crediting every word
of the text before answered one more near-topic question and no more answerable ones; crediting
none lost an answerable sample. The rule's holes: a parse that takes the subject for a modifier
("the N7 night bus route cost"), and a different thing close in meaning ("headquarters" / "hubs").
Words that name the source, not the fact ("according to the White House", "the follow-up article
says"), are left out.

`unaligned` is the share of the naming weight (IDF) whose alignment is under `min_alignment`
(`min_proper` for a name, which is rarely paraphrased: "Scotland" sits at 0.3 from
"Scandinavia"). For a question asking for a kind of thing (`ComposerSettings.tie_kinds`: a
person, a date, a count...) the composer declines above `ComposerSettings.max_unaligned`. An
open question ("What is the Quds Force doing in Iraq?") is answered in other words than its own
and is not checked; a "why" is (it names the event whose reason it asks: "Why were there no
injuries in the heater fires?" is not answered by the recall's reason). Verbs are not checked: the model's states for verbs of one meaning
("passed" / "surpassed") are too far apart to tell a paraphrase from another event (measured on
the gold sets: see `eval/gold/calibrate.py`).

    >>> from qa.nlp import SentenceParser
    >>> from index.query_encoder import MiniLMQueryEncoder
    >>> from qa.key_words import KeyWords
    >>> q = SentenceParser().parse(["How many homes were evacuated in Poddington?"])[0]
    >>> keys = KeyWords({"home": 1.0, "evacu": 2.0, "poddington": 2.5}, {}, frozenset({"home", "poddington"}))
    >>> stems = {"homes": "home", "evacuated": "evacu", "poddington": "poddington"}
    >>> encode = MiniLMQueryEncoder().token_states
    >>> a = NameAlignment(lambda w: stems.get(w, w))
    >>> qs = encode(q.text)
    >>> round(a.unaligned(q, qs, keys, encode("Officials said 340 homes in Larch Valley were evacuated.")), 2)
    0.71
    >>> a.unaligned(q, qs, keys, encode("Officials said 340 homes in Poddington were evacuated."))
    0.0
    >>> a.unaligned(q, qs, keys, encode("Officials said 340 homes were evacuated."), title={"poddington"})
    0.0
    >>> round(a.unaligned(q, qs, keys, encode("Officials said 340 homes were evacuated."), before={"poddington"}), 2)
    0.71
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from index.query_encoder import TokenStates
from qa.key_words import KeyWords


_MODIFIERS = {"compound", "amod", "poss", "nmod"}
_SAYING = {"say", "said", "says", "report", "reported", "reports", "write", "wrote", "writes", "tell", "told", "tells"}


def _source(tok: Any) -> bool:
    """Does the word name where the fact comes from: "according to X", "the follow-up article says"?
    (Not a named speaker: in "Putin said he would reward women" Putin is also the fact's subject.)"""
    node = tok
    while node.head.i != node.i:
        if node.lower_ == "according" or node.dep_ == "nsubj" and node.pos_ == "NOUN" and node.head.lower_ in _SAYING:
            return True
        node = node.head
    return node.lower_ == "according"


def _modified(tok: Any) -> Any:
    """The noun a modifier belongs to, through a chain of modifiers ("N7" of "the N7 night bus": "bus")."""
    node = tok
    while node.dep_ in _MODIFIERS and node.head.i != node.i:
        node = node.head
    return node


class NameAlignment:
    def __init__(self, stem: Callable[[str], str], min_alignment: float = 0.3, min_proper: float = 0.4) -> None:
        self._stem = stem
        self.min_alignment = min_alignment
        self.min_proper = min_proper

    def unaligned(self, question: Any, asked: TokenStates, keys: KeyWords, sentence: TokenStates,
                  title: Collection[str] = (), before: Collection[str] = (),
                  earlier: Callable[[], Collection[str]] = tuple, said: Collection[str] = ()) -> float:
        """Share of the question's naming weight that the sentence does not align.

        `question`: the parsed asking sentence (a doc, or a span of one); `asked`: the states of
        that doc's whole text, where its tokens' offsets point; `title`, `before`: the stems of the
        article title and of the text before the sentence (which count for a modifier only: see
        the module docstring); `earlier()`, `said`: the stems of all the article's text before the
        sentence (read only if a modifier needs them) and of the sentence itself: a modifier named
        earlier counts when the sentence holds the noun it modifies ("the cap" after "the Tidecard
        fare cap").
        """
        units = self._names(question, keys)
        if not units:
            return 0.0
        if not len(asked.states) or not len(sentence.states):
            return 1.0
        best = (asked.states @ sentence.states.T).max(axis=1)    # each question piece's closest piece
        total = missed = 0.0
        read: list[Collection[str]] = []

        def named_earlier(stem: str) -> bool:                     # `earlier()` is read once, when first needed
            if not read:
                read.append(earlier())
            return stem in read[0]

        for tokens, weight in units:
            scores = []
            for tok in tokens:
                pieces = [i for i, (a, b) in enumerate(asked.offsets)
                          if a >= tok.idx and b <= tok.idx + len(tok.text) and b > a]
                st = self._stem(tok.lower_)
                aligned = not pieces or st in title or tok.dep_ in _MODIFIERS and (
                    st in before or self._stem(_modified(tok).lower_) in said and named_earlier(st))
                scores.append(1.0 if aligned else float(best[pieces].mean()))
            total += weight
            bar = self.min_proper if tokens[0].pos_ == "PROPN" else self.min_alignment
            if sum(scores) / len(scores) < bar:
                missed += weight
        return missed / total if total else 0.0

    def _names(self, question: Any, keys: KeyWords) -> list[tuple[list[Any], float]]:
        """The question's naming words as units (a run of proper nouns is one) with their IDF weight."""
        units: list[tuple[list[Any], float]] = []
        last = -2
        for tok in question:
            st = self._stem(tok.lower_)
            if st not in keys.weights or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if _source(tok):
                continue                                      # the source of the fact, not its subject
            weight = keys.weights[st]
            if units and tok.pos_ == "PROPN" and units[-1][0][-1].pos_ == "PROPN" and tok.i == last + 1:
                units[-1] = (units[-1][0] + [tok], units[-1][1] + weight)
            else:
                units.append(([tok], weight))
            last = tok.i
        return units
