"""Short answers: the span of a quoted sentence that answers the question, and how tied it is.

For a question that asks for a kind of thing (a person, an organisation, a place, a date, a
number, an amount, or "which X"), the candidate spans of a parsed sentence are its named
entities of a fitting label, numbers of the right sort, and for "which X" / "what X" the noun
phrases headed by X or by a word close to X (static word vectors). A span that only restates
the question is none (`_restates`): its own words ("Which company makes the Tidecard?" is not
answered by "Tidecard"), its subject named in full ("the Lantern Works Museum of Industry" for
"Who designed the Lantern Works Museum's hall?"), the kind asked for named again, none of it
named ("food products" for "which product"), or the name of another thing the question names
("a radar instrument called DEEPSCAN" for "Which university built the radar instrument?"),
or a name headed by a noun that heads a phrase of the question ("the Harbor Ferries Crew Union"
for "Who speaks for the crew union?"). A title or entity of the asked-for sort answers "which X"
though X does not head it ("which show": "Succession", `qa.focus_labels`). A person asked for by role must come with that role, or
none (`qa.doers.other_role`: "coach Benedikt Ruiz" is no kit manager).

Each span is scored by:

    label     its entity label fits the kind asked for (1), or only loosely (0.5)
    focus     its head, or the noun beside it ("the airline JetBlue"), is the asked-for X
    near      how close it sits, in the sentence's dependency tree, to the question's key
              words that the sentence contains (a word one arc away counts fully, farther
              ones less): a name in another clause of the sentence answers something else
    slot      it stands where the question's asked-for word stands ("the sale of X"), weighted

and each sentence by `cover`, the share of the question's key words (IDF-weighted) it or its
title holds. `cover` and `near` let the composer decline near-topic questions: a sentence can
share the question's topic and hold a date, yet the date belongs to another subject.
The candidates: `qa.span_candidates`; their sort ("when" no length of time, totals not
margins): `qa.span_sorts` over `qa.span_roles`; the question's slot: `qa.span_slot`; a span's
text (trimmed, amounts the tagger split, names): `qa.span_text`. Leaves out: coreference (a
pronoun subject is matched through the article title only) and answers spread over two sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qa.acts import (LIGHT, asked_acts, asks_what_is, contrary_act, other_act, other_counted_act, other_dated_act,
                     other_doer, question_doers, supposed_act)
from qa.doers import (agent_role, asked_title, is_role, lead_roles, narrower_role, other_role, others_title,
                      owned_role, owned_title, speaker_only)
from qa.focus_labels import fits_focus
from qa.gazetteer import COUNTRY_NOUNS, STATE_NOUNS, is_country, is_us_state
from qa.instances import unranked
from qa.key_words import KeyWords, content as _content, key_words
from qa.org_kinds import other_kind
from qa.question import QuestionAnalysis
from qa.span_candidates import candidate_spans
from qa.span_measures import other_owner, titled_person
from qa.span_slot import Chain, chain, slot_match
from qa.span_sorts import COUNTED_KINDS, ROLE_NOUNS, of_sort
from qa.span_text import a_name, answer_text, closeness, names_in, names_noun

_AKIN = 0.12          # static word cosine above which two verbs may name one act (`_akin`)
# verbs that say what their subject is: "X posed the biggest threat" names the threat
_BEING = {"is", "was", "are", "were", "be", "been", "becomes", "became", "become", "remains", "remained", "remain",
          "poses", "posed", "pose", "represents", "represented", "constitutes", "constituted"}
_NAME_LABELS = {"PERSON", "ORG", "NORP", "LOC", "FAC", "PRODUCT"}
_LOOSE = {                       # labels the tagger confuses with the kind asked for: half credit
    "person": {"ORG", "NORP"}, "org": {"PERSON", "NORP", "PRODUCT", "GPE"}, "place": {"NORP", "LOC_NP"},
    "thing": {"PERSON", "DATE", "MONEY", "CARDINAL", "QUANTITY", "PERCENT"},
}


@dataclass(frozen=True)
class Span:
    text: str
    start: int          # character offsets inside the sentence
    end: int
    label: str
    score: float
    cover: float        # share of the question's naming words in the sentence, the text before it or the title
    near: float         # how close the span sits to the key words the sentence holds (1 = one arc)
    placed: float = 0.0  # does it stand in the question's slot (`qa.span_slot`: 1, 0.5 or 0)
    titled: bool = False  # introduced with a role the question names, of no other owner ("Chief executive X")
    bare: bool = False    # a lone common noun for "where" ("in the city"): ties the sentence, names no place


class SpanFinder:
    """Finds the best short-answer span of a parsed sentence.

    `stem` maps a word to its keyword-analyser stem ("" for a stop word); `similar(as, bs)`
    gives the static word-vector cosines of each of the words `as` to each of `bs` (a matrix).
    """

    def __init__(self, stem: Callable[[str], str], similar: Callable[[list[str], list[str]], Any],
                 focus_similarity: float = 0.45, soft_min: float = 0.5, slot_weight: float = 0.5) -> None:
        self._stem = stem
        self._similar = similar
        self._focus_similarity = focus_similarity
        self._soft_min = soft_min
        self._slot_weight = slot_weight

    def key_words(self, analysis: QuestionAnalysis, doc: Any, idf: Callable[[str], float]) -> KeyWords:
        """Content words of the parsed asking sentence (`qa.key_words`)."""
        return key_words(analysis, doc, idf, self._stem)

    def spans(self, analysis: QuestionAnalysis, keys: KeyWords, doc: Any, context: set[str] = frozenset(),
              slot: Chain = (), people: frozenset[str] = frozenset(), act: Any = None,
              act_akin: Callable[[Any, Any], bool] | None = None) -> list[Span]:
        """Candidate spans of one parsed sentence, best first (none for an untyped question).

        `cover` counts the question's naming words (not its verbs, which articles paraphrase);
        one missing from the sentence but in `context` (the stems of the article title and of
        the text just before the sentence: "the plan" of the sentence before) counts as
        covered. It adds nothing to `near`. `people`: surnames named in full earlier in the
        article (`qa.span_text.surnames`); `act`: the question's verb, whose opposite
        ("closed" for "open") a span may not hang from, nor a date from another act (`qa.acts`);
        `act_akin`: the test of one act for a number's verb (`qa.act_states`; else static vectors).
        """
        if not analysis.kind or act is not None and unranked(act.sent, doc, context):
            return []                     # "Which retailer sold the most?": a sentence that ranks nothing
        anchors = self._anchors(keys, doc)
        credit: dict[str, float] = {}
        for _, st, c in anchors:
            credit[st] = max(credit.get(st, 0.0), c)
        total = sum(keys.weights[st] for st in keys.names)
        for st in keys.names & context:
            credit[st] = 1.0
        cover = sum(keys.weights[st] * credit.get(st, 0.0) for st in keys.names) / total if total else 1.0
        out: list[Span] = []
        acts = asked_acts(act.sent) if act is not None else frozenset()      # its asking sentence
        owned = act is not None and owned_role(act.sent, ROLE_NOUNS)
        acting = bool(slot) and slot[0][0] == "subj" and slot[0][1].pos_ == "VERB" and slot[0][1].lower_ not in LIGHT
        asked = set(keys.weights) | ({self._stem(analysis.focus)} if analysis.focus else set())
        leads = lead_roles(analysis.core)         # "Who runs X?": "Chief executive Y" (of no other owner)
        factual = act is not None and asks_what_is(act.sent)                 # not "planning to", "could"
        doers = question_doers(act.sent, analysis.focus) if act is not None else []
        asked_noun = next((t for t in act.sent if t.lower_ == analysis.focus), None) if act is not None else None
        for span, label in candidate_spans(analysis, doc, ROLE_NOUNS, people):
            if self._restates(analysis, keys, span, asked) or contrary_act(span, acts) or (
                    factual and supposed_act(span)) or (
                    # a date's act: another by the static vectors or by the model in context (which puts
                    # opposites such as "end" and "takes effect" close, and "keep paying" far from "closed")
                    analysis.kind == "date" and any(other_dated_act(span, act, self._same_word, a)
                                                    for a in (self._akin, act_akin) if a is not None)) or (
                    analysis.kind in COUNTED_KINDS and (other_counted_act(span, act, act_akin or self._akin)
                                                        or other_doer(span, doers, self._same_word))):
                continue                  # "records began in 1961": not when it was built; "enrolled 386": no drop-outs
            if analysis.focus in COUNTRY_NOUNS and label in _NAME_LABELS and is_country(span.text):
                label = "GPE"                                 # "Sri Lanka" tagged PERSON is still a country
            fit = 1.0 if label in analysis.labels else 0.5 if label in _LOOSE.get(analysis.kind, ()) and (
                analysis.focus or analysis.kind != "thing") else 0.0         # a bare "what": not any date or number
            if not fit and label != "NP" or not of_sort(analysis, span, label, act, self._stem, self._same):
                continue
            if analysis.agent and analysis.kind == "who" and not agent_role(span, ROLE_NOUNS, acting=acting) or (
                    slot and slot[0][0] == "subj" and analysis.kind in ("person", "org")
                    and not agent_role(span, ROLE_NOUNS, named=True)):
                continue                                      # a name in another role ("the People's Choice award")
            if analysis.kind in ("person", "who") and (other_role(analysis.focus, span, label, ROLE_NOUNS, self._same)
                                                        or narrower_role(analysis.focus, analysis.modifiers, span,
                                                                         ROLE_NOUNS, self._same)):
                continue                                      # "coach Benedikt Ruiz" is no kit manager
            if analysis.kind == "org" and other_kind(analysis.focus, span) or other_owner(asked_noun, span) or (
                    analysis.kind in ("org", "place", "thing") and label == "PERSON"
                    and titled_person(span, ROLE_NOUNS)):
                continue                  # "the Transit Board" is no company; a neighbourhood of another town
            asks = lambda w: self._stem(w) in keys.weights or w in leads   # noqa: E731
            # "Who runs X?": an ownerless title ("outgoing mayor Y") is X's only in an article about X
            titled = asked_title(span, ROLE_NOUNS, asks, bool(leads)) and (
                not leads or cover >= 1.0 or owned_title(span, ROLE_NOUNS, asks))
            if not titled and analysis.kind in ("person", "who") and owned and others_title(span, ROLE_NOUNS, asks):
                continue                                      # "their captain" (the Rovers') for the Harriers'
            if not titled and analysis.kind in ("person", "org", "who") and slot and slot[0][0] == "subj" and speaker_only(
                    span, slot[0][1], self._same_word, self._stem, ROLE_NOUNS):
                continue                                      # "..., the agency confirmed" built nothing
            links = chain(span.root) if slot else []
            if not titled and analysis.kind in ("person", "org", "who") and slot and slot[0][0] == "subj" and (
                    links and links[0][0] == "subj" and other_act(span, slot[0][1], links[0][1], self._same_word, self._akin)):
                continue                                      # "led by Dr. X" did not pay for the study
            focus = 1.0 if fits_focus(label, analysis.focus) else self._focus(analysis, span)   # "which show": a title
            if analysis.focus in COUNTRY_NOUNS or analysis.focus in STATE_NOUNS and is_us_state(span.text):
                # "which country": a country's name fits; another place (its capital) does not
                known = all(is_country(e.text) for e in names_in(span)) if analysis.focus in COUNTRY_NOUNS else True
                focus = 1.0 if known else 0.0
                if not known and analysis.focus in COUNTRY_NOUNS and label in ("GPE", "LOC", "LOC_NP"):
                    continue                  # "which nation": not "Nara Prefecture"
            placed = slot_match(slot, links, self._same_word) if slot and self._slot_weight else 0.0
            if analysis.kind == "place" and analysis.focus and label == "LOC_NP" and not focus:
                continue                  # "which continent": not "in a huge step"
            if analysis.kind == "thing" and analysis.focus and not focus and (label == "NP" or placed < 1.0) or (
                    analysis.kind == "thing" and not analysis.focus and not analysis.named and slot and placed < 0.5):
                continue                  # "which rocket" is not answered by any name, unless it stands where asked;
                                          # "What did she pledge?" not by "Granary Hall" (where she spoke)
            if analysis.named and not a_name(span):
                continue                                      # "What is the camera called?": not "small camera"
            near = closeness(span, anchors, keys.weights)
            score = fit + focus + near + self._slot_weight * placed
            text = answer_text(span.text, label, analysis)
            lead = span.text.find(text)
            bare = label == "LOC_NP" and len(span) == 1 and span.root.pos_ == "NOUN"
            out.append(Span(text, span.start_char + lead, span.start_char + lead + len(text), label, score, cover, near,
                            placed, titled, bare))
        out.sort(key=lambda s: (-s.score, s.start))
        return out

    def _restates(self, analysis: QuestionAnalysis, keys: KeyWords, span: Any, asked: set[str]) -> bool:
        """Does the span only restate the question (see the module docstring)? "None of it named":
        no proper noun, no number; "in full": three quarters of its words are the question's."""
        stems = {self._stem(t.lower_) for t in span if _content(t)}
        if not stems or stems <= asked or len(stems) > 1 and len(stems & asked) >= 0.75 * len(stems):
            return True
        focus = self._stem(analysis.focus) if analysis.focus else ""
        naming = [t for t in span if (t.pos_ in ("PROPN", "NUM") or t.like_num) and t.ent_type_ != "NORP"]
        if focus and focus in stems | {self._stem(span.root.lower_)} and not naming:
            return True               # "the wildly popular South Korean show": a people's adjective names no show
        named = names_noun(span)
        if named is None and len(span) > 1 and self._stem(span.root.lower_) in keys.heads:
            named = span.root                 # "Harbor City Regional Transit Board" for "members of the transit board"
        if named is not None and analysis.kind in ("who", "person") and is_role(named, ROLE_NOUNS):
            return False                  # "the survey coordinator, Niamh Oduya" for "Who is the survey coordinator?"
        return (named is not None and not analysis.named and self._stem(named.lower_) in keys.names
                and not self._same(analysis.focus, named.lower_, self._focus_similarity))

    def _anchors(self, keys: KeyWords, doc: Any) -> list[tuple[Any, str, float]]:
        """Tokens of the sentence that are key words: (token, key stem, credit).

        The same stem counts fully; another word at least `soft_min` close in the static
        word vectors ("enrolled" for "participants") at its cosine.
        """
        out = []
        stems = list(keys.weights)
        words = [keys.surface.get(st, st) for st in stems]
        others = []
        for tok in doc:
            if not _content(tok):
                continue
            st = self._stem(tok.lower_)
            if st in keys.weights:
                out.append((tok, st, 1.0))
            elif words:
                others.append(tok)
        if others:                        # one matrix product for the sentence's other words
            sims = self._similar([t.lower_ for t in others], words)
            for tok, row in zip(others, sims):
                k = max(range(len(row)), key=row.__getitem__)
                if row[k] >= self._soft_min:
                    out.append((tok, stems[k], float(row[k])))
        return out

    def _akin(self, a: Any, b: Any) -> bool:
        """Loosely the same act: "ruled" and "found" (static cosine 0.16), not "paid" and "led" (0.02)."""
        return self._stem(a.lower_) == self._stem(b.lower_) or self._similar([a.lower_], [b.lower_])[0][0] >= _AKIN

    def _same_word(self, a: Any, b: Any) -> bool:
        return self._same(a.lower_, b.lower_, self._soft_min)

    def _same(self, word: str, other: str, similarity: float = 0.0) -> bool:
        stem = self._stem(word)
        bar = max(similarity, self._focus_similarity)
        return (bool(stem) and self._stem(other) == stem) or self._similar([word], [other])[0][0] >= bar

    def _focus(self, analysis: QuestionAnalysis, span: Any) -> float:
        """1 when the span is headed by the asked-for noun or sits beside it ("the airline JetBlue")."""
        focus = analysis.focus
        if not focus:
            return 0.0
        near = [span.root] + [t for t in span.root.children if t.dep_ in ("appos", "compound", "amod")]
        if span.root.dep_ in ("appos", "compound", "nmod"):
            near.append(span.root.head)
        if span.root.dep_ == "nsubj" and span.root.head.lower_ in _BEING:     # "climate change posed the biggest threat"
            asked = set(re.findall(r"[a-z]+", analysis.core.lower()))      # not "the most expensive" for "the cheapest"
            near += [t for t in span.root.head.children if t.dep_ in ("attr", "dobj")
                     and all(a.lower_ in asked for a in t.children if a.dep_ == "amod")]
        named = names_noun(span)
        if named is not None:
            near.append(named)                                # "the algae strain, known as D-17"
        best = 0.0
        for tok in near:
            if tok.lower_ == focus or (self._stem(tok.lower_) and self._stem(tok.lower_) == self._stem(focus)):
                return 1.0
            if tok.pos_ == "PROPN" and len(focus) >= 4 and tok.lower_.endswith(focus):
                return 1.0                                    # a name that says what it is: "the Tidecard" for "card"
            if tok.pos_ in ("NOUN", "PROPN"):
                best = max(best, float(self._similar([focus], [tok.lower_])[0][0]))
        return 0.5 if best >= self._focus_similarity else 0.0

