"""Short-answer span rules on real parses (spaCy's small English pipeline), one sentence each:
the span of the kind asked for, in the role asked for (`qa.spans`, `qa.span_roles`,
`qa.gazetteer`)."""

from __future__ import annotations

import pytest

from index.analyzer import Analyzer
from index.embed import WordVectors
from qa.nlp import SentenceParser
from qa.question import analyse, core_question
from qa.spans import SpanFinder


@pytest.fixture(scope="module")
def finder():
    analyzer, words, parser = Analyzer(), WordVectors(), SentenceParser()

    def stem(word: str) -> str:
        terms = analyzer.terms(word)
        return terms[0] if len(terms) == 1 else ""

    def similar(a: list[str], b: list[str]):
        return words.vectors(a) @ words.vectors(b).T

    spans = SpanFinder(stem, similar)

    def best(question: str, sentence: str) -> str | None:
        analysis = analyse(question, parser.parse([core_question(question)])[0])
        keys = spans.key_words(analysis, parser.parse([analysis.core])[0], lambda _t: 1.0)
        found = spans.spans(analysis, keys, parser.parse([sentence])[0])
        return found[0].text if found else None

    return best


@pytest.mark.parametrize("question, sentence, expected", [
    # "which country": the country, not its capital
    ("What country elected its first leftist president this week?",
     "Voters in Bogota chose Gustavo Ramirez on Sunday, making him Colombia's first leftist president.", "Colombia"),
    # "which state": the state, not the county
    ("Dozens of people were missing after flooding in which state?",
     "Dozens of people were missing in Buchanan County, Virginia, after the flooding.", "Virginia"),
    # a bare "who" as subject wants a doer, not a name inside another phrase
    ("Who founded the Kestrel Bakery?",
     "The People's Choice award went to the Kestrel Bakery, which Mei Tan founded in 2019.", "Mei Tan"),
    # ... and markup that garbles the parse around the name does not refuse it
    ("Who is the chief lantern maker of the fair?",
     'The chief lantern maker of the fair is Brannoc Tully <script>x=1</script> <img src=x onerror="y"> of Eastmere.',
     "Brannoc Tully"),
    # "when" is a point in time, not a length of it, and not the day the news was reported
    ("When will the ferry route open?",
     "The ferry, which will run every 20 minutes, will open in June, the council said on Monday.", "June"),
    # an amount, not a count of things
    ("How much was each of the parking fines?",
     "The driver received 14 fines in two months, each of them for $65.", "$65"),
    # a total, not a margin
    ("How many votes did Ortega receive?",
     "Ortega won by 1,874 votes, receiving 9,210 votes in all.", "9,210"),
    # "which two countries": both, joined as the sentence joins them
    ("Which two countries did the alliance invite to join this week?",
     "On Wednesday, the alliance formally invited Norway and Portugal to join.", "Norway and Portugal"),
    # one country asked for: one of them
    ("Which country did the alliance invite first?",
     "On Wednesday, the alliance formally invited Norway and Portugal to join.", "Norway"),
    # a word that only rounds a figure is not part of it; a bound is
    ("How many heaters are being recalled?", "The company is recalling about 210,000 heaters.", "210,000"),
    ("How many heaters are being recalled?", "The company is recalling more than 210,000 heaters.", "more than 210,000"),
    # an amount the tagger split from its currency
    ("How much did the mission cost?", "The mission cost about 640 million euros in all.", "640 million euros"),
    # "how many X" counts X, the last noun after the number, not another thing of X's sort
    ("How many waxwings did they record?", "Participants recorded 8,950 Bohemian waxwings.", "8,950"),
    ("How many sparrows did they record?", "Participants recorded 8,950 Bohemian waxwings.", None),
    # a question asking for a name takes a name ("known as D-17"), not a description
    ("What is the algae strain called?", "Colonies carrying the algae strain, known as D-17, recovered.", "D-17"),
    ("What is the camera on the probe called?", "The probe also carries a small camera built by students.", None),
])
def test_the_span_of_the_kind_and_role_asked_for(finder, question, sentence, expected):
    assert finder(question, sentence) == expected
