"""One act or two, judged by the model in context (`qa.act_states`): the real MiniLM encoder's
word-piece states and spaCy's parses, sentence by sentence."""

from __future__ import annotations

import numpy as np
import pytest

from index.analyzer import Analyzer
from index.query_encoder import MiniLMQueryEncoder
from qa.act_states import akin_in_context, word_state
from qa.acts import PLAIN_VERBS, _act_verb, content_act, other_counted_act, other_dated_act
from qa.nlp import SentenceParser
from qa.span_slot import chain, question_word


@pytest.fixture(scope="module")
def parts():
    analyzer, encoder, parser = Analyzer(), MiniLMQueryEncoder(), SentenceParser()
    akin = akin_in_context(encoder.token_states, lambda w: "".join(analyzer.terms(w)[:1]), 0.3, 0.45, PLAIN_VERBS)
    return parser, akin, encoder


def _asked(parser, question: str):
    doc = parser.parse([question])[0]
    act = next((h for _, h in chain(question_word(doc)) if h.pos_ == "VERB"), next(iter(doc.sents)).root)
    return content_act(doc, act)


@pytest.mark.parametrize("question, verb", [
    ("How many reusable bowls did the dumpling festival buy?", "buy"),     # not the light "did"
    ("How many people had to be rescued by boat?", "rescued"),             # not "had"
    ("How many stalls sold out at the festival?", "sold"),
    ("How many coral colonies were planted on the reef?", "planted"),
])
def test_the_questions_own_verb(parts, question, verb):
    assert _asked(parts[0], question).text == verb


@pytest.mark.parametrize("question, sentence, number, other", [
    # another act: the number hangs from a verb the question does not ask about
    ("How many coral colonies were planted on the Tamarind Shoals reef?",
     "The research team, led by marine biologist Dr. Keoni Alvarado of the Pacific Reef Institute, tracked "
     "1,200 coral colonies on the Tamarind Shoals reef over three years.", "1,200", True),
    ("How many visitors did the dumpling festival turn away?",
     "The annual Saltmarsh Quay Dumpling Festival attracted an estimated 48,000 visitors over two days.", "48,000",
     True),
    ("How many reusable bowls did the festival buy?", "Volunteers washed about 9,000 reusable bowls each day.",
     "9,000", True),
    # the same act in other words, or the same verb
    ("How many people were killed in the earthquake?",
     "At least 1,000 people died when the earthquake struck eastern Afghanistan.", "1,000", False),
    ("How many people were arrested at the protest?", "Police detained 31 protesters at the protest on Saturday.",
     "31", False),
    ("How many visitors did the dumpling festival attract?",
     "The annual Saltmarsh Quay Dumpling Festival attracted an estimated 48,000 visitors over two days.", "48,000",
     False),
])
def test_a_number_of_another_act_in_context(parts, question, sentence, number, other):
    parser, akin, _ = parts
    doc = parser.parse([sentence])[0]
    tok = next(t for t in doc if t.text == number)
    assert other_counted_act(doc[tok.i:tok.i + 1], _asked(parser, question), akin) is other, _act_verb(tok)


def test_a_word_state_is_the_mean_of_its_pieces(parts):
    parser, _, encoder = parts
    doc = parser.parse(["Volunteers washed about 9,000 reusable bowls."])[0]
    states = encoder.token_states(doc.text)
    word = doc[4]                                      # "reusable": three pieces
    pieces = [i for i, (a, b) in enumerate(states.offsets) if word.idx <= a < b <= word.idx + len(word.text)]
    mean = states.states[pieces].mean(axis=0)
    assert len(pieces) >= 2 and np.allclose(word_state(states, word), mean / np.linalg.norm(mean), atol=1e-6)
    assert word_state(states, doc[1]) @ word_state(states, word) < 0.99      # "washed" is another word


@pytest.mark.parametrize("question, sentence, date, other", [
    # a date of another act: the shelter's closing says nothing of when the payments end
    ("Until what date will the council keep paying for the hotel rooms?",
     "The emergency shelter at the school closed on Tuesday, and the families have moved to hotels.", "Tuesday", True),
    # the same act in other words
    ("When did the new museum open to visitors?", "The museum welcomed its first visitors on Saturday.",
     "Saturday", False),
    ("When did the museum open?", "The museum opened its doors on Saturday inside a restored gasworks.",
     "Saturday", False),
])
def test_a_date_of_another_act_in_context(parts, question, sentence, date, other):
    parser, akin, _ = parts
    doc, asked = parser.parse([sentence])[0], parser.parse([question])[0]
    act = next((h for _, h in chain(question_word(asked)) if h.pos_ == "VERB"), next(iter(asked.sents)).root)
    tok = next(t for t in doc if t.text == date)
    same = lambda a, b: a.lower_[:4] == b.lower_[:4]                      # noqa: E731
    assert other_dated_act(doc[tok.i:tok.i + 1], act, same, akin) is other, (act, _act_verb(tok))
