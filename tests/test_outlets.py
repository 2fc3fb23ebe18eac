"""Questions that name the outlet an article appeared in (`qa.outlets`): searched among that
outlet's articles, answered without its name, one part per outlet when two are compared.

Real model, real Chroma, `samples/` plus four articles of two outlets written for this project
(`eval/gold/outlets_corpus.jsonl`); the gold set `eval/gold/outlets.jsonl`. Nothing needs ../shared.
"""

from __future__ import annotations

import pytest

from eval.gold import load_gold
from eval.gold.runner import run_question
from eval.gold.summary import summarize
from qa.assistant import open_assistant
from qa.config import Config
from qa.ingest import ingest_folder
from qa.nlp import SentenceParser
from qa.outlets import Outlets, outlet_names, without_outlets
from qa.parts import split_by_outlet
from tests.conftest import REPO, SAMPLES

GOLD = REPO / "eval" / "gold"
HERALD = "https://www.harborherald.example/"
LEDGER = "https://baysideledger.example/"
SOURCES = ["https://www.theverge.com/2023/9/1/ai", "https://techcrunch.com/2023/10/05/x",
           "https://edition.cnn.com/2022/06/01/x", "https://www.theage.com.au/national/x", "local/notes.txt",
           "https://example.org/news/2025/01/12/x"]


@pytest.mark.parametrize("source, names", [
    ("https://www.theverge.com/2023/9/1/ai", {"theverge"}),
    ("https://edition.cnn.com/2022/06/01/x", {"cnn"}),
    ("https://covid.cdc.gov/covid-data-tracker/", {"cdc"}),     # a subdomain is no outlet ("COVID")
    ("https://abcnews.go.com/US/x", {"abcnews"}),
    ("https://www.theage.com.au/national/x", {"theage"}),
    ("https://example.org/news/x", set()),          # a reserved example host names no outlet
    ("local/notes.txt", set()),                     # a file path has no outlet
])
def test_an_outlet_is_named_by_its_host(source, names):
    assert outlet_names(source) == names


@pytest.mark.parametrize("question, named", [
    ("Does the TechCrunch article report a higher valuation than The Verge?",
     ["https://techcrunch.com/*", "https://www.theverge.com/*"]),
    ("According to an article from CNN, who won the vote?", ["https://edition.cnn.com/*"]),
    ("Does The Age's article say the vote passed?", ["https://www.theage.com.au/*"]),
    ("What did CNN.com report about the vote?", ["https://edition.cnn.com/*"]),    # a name written as its host
    ("Which Verge gadget is the cheapest?", []),           # no word of reporting: the name is not a source
    ("Who reported the outage, according to the article?", []),   # no outlet named
])
def test_the_outlets_a_question_names(question, named):
    assert Outlets(SOURCES).named(question) == named


@pytest.mark.parametrize("question, without", [
    ("According to an article from CNN, who won the vote?", "Who won the vote?"),
    ("Who faces trial, as reported by both The Verge and TechCrunch?", "Who faces trial?"),
    ("How much did Acme raise, according to the TechCrunch article?", "How much did Acme raise?"),
])
def test_a_question_is_answered_without_the_outlets_name(question, without):
    assert without_outlets(question, Outlets(SOURCES)) == without


def test_two_compared_outlets_make_two_parts():
    parts = split_by_outlet("Does the TechCrunch article give the same valuation as The Verge?", Outlets(SOURCES))
    assert [(p.label, p.question) for p in parts] == [
        ("the TechCrunch", "Does the TechCrunch article give the same valuation as?"),
        ("The Verge", "Does give the same valuation as The Verge?")]
    assert split_by_outlet("Does the TechCrunch article say so?", Outlets(SOURCES)) == []


@pytest.mark.parametrize("question, parts", [
    # a second clause without its own subject takes the first's ("Which individual")
    ("Which individual inflated the value of an apartment, according to 'The Age', and is also accused of "
     "hiding a loss, as reported by TechCrunch?",
     ["Which individual inflated the value of an apartment, according to 'The Age'?",
      "Which individual is also accused of hiding a loss, as reported by TechCrunch?"]),
    # a second clause that starts with its verb ("and plans to hire") takes the first's subject too
    ("Which company makes trays, according to TechCrunch, and plans to hire 60 people, as reported by The Verge?",
     ["Which company makes trays, according to TechCrunch?",
      "Which company plans to hire 60 people, as reported by The Verge?"]),
    # the same outlet twice, either side of "before": each report is looked for on its own
    ("Did the TechCrunch report on Acme's round come before the TechCrunch article on Zenith's layoffs?",
     ["Did the TechCrunch report on Acme's round come?", "the TechCrunch article on Zenith's layoffs?"]),
    # a second clause that is a question of its own stays one
    ("Does the TechCrunch article report a $5 million round, and does The Verge say the firm will hire?",
     ["Does the TechCrunch article report a $5 million round?", "does The Verge say the firm will hire?"]),
])
def test_two_outlets_in_two_clauses_make_a_part_each(question, parts):
    doc = SentenceParser().parse([question])[0]
    assert [p.question for p in split_by_outlet(question, Outlets(SOURCES), doc)] == parts


@pytest.fixture(scope="module")
def outlets(tmp_path_factory, embedder):
    config = Config(index_dir=tmp_path_factory.mktemp("outlets") / "idx")
    ingest_folder(config, SAMPLES, embedder=embedder)
    ingest_folder(config, GOLD / "outlets_corpus.jsonl", embedder=embedder)
    return open_assistant(config, embedder=embedder)


def test_a_fact_only_the_other_outlet_reports_is_declined(outlets):
    answer = outlets.ask("How many people does Kelpworks employ, according to the Harbor Herald?")
    assert not answer.answered and answer.citations == (), answer.text      # only the Ledger gives 85
    answer = outlets.ask("How many people does Kelpworks employ, according to the Bayside Ledger?")
    assert answer.short is not None and answer.short.text == "85"
    assert answer.citations[0].citation == f"{LEDGER}business/2025/09/02/kelpworks-closes-series-b:7-7"
    assert answer.question == "How many people does Kelpworks employ, according to the Bayside Ledger?"


def test_each_outlet_is_cited_for_its_part(outlets):
    answer = outlets.ask("Which venture firm led the Kelpworks funding round, according to both the Harbor Herald "
                         "and the Bayside Ledger?")
    assert answer.answered and [c.citation for c in answer.citations] == [
        f"{HERALD}2025/09/03/kelpworks-raises-40-million:1-1",
        f"{LEDGER}business/2025/09/02/kelpworks-closes-series-b:3-3"], answer.text
    assert answer.short is not None and answer.short.text == "Tidewater Ventures"    # both parts agree: it leads
    assert answer.text.startswith("Tidewater Ventures [1]\n") and answer.short.marker == 1
    assert answer.text.endswith("Every part's line names Tidewater Ventures.")


def test_outlets_gold_set_bars(outlets):
    """Measured: 12 of 13 answerables correct, 4 of 4 near-topic unanswerables declined, every part
    cited for 6 of 8 (the code before `qa.outlets`: 3 of 13, 1 of 4, 0 of 8; 11 of 13 before session
    11's rule that a span headed by the question's own noun restates it: "the Harbor Ferries Crew
    Union" does not say who speaks for the crew union)."""
    rows = [run_question(outlets, q, use_date=True) for q in load_gold(GOLD / "outlets.jsonl")]
    summary = summarize(rows)
    assert summary["answerable"] == 13 and summary["unanswerable"] == 4
    assert summary["declined_near_topic"] == 1.0, [r["id"] for r in rows if not r["answerable"] and r["answered"]]
    assert summary["correct"] >= 12, [r["id"] for r in rows if r["answerable"] and not r["correct"]]
    assert summary["parts_cited"] >= 6 / 8, [r["id"] for r in rows if r.get("parts_cited") is False]


def test_a_question_about_when_shows_each_parts_publication_date(outlets):
    answer = outlets.ask("Was the Bayside Ledger's report on the Kelpworks funding round published before the "
                         "Harbor Herald's?")
    assert [c.citation for c in answer.citations] == [
        f"{LEDGER}business/2025/09/02/kelpworks-closes-series-b:1-1",
        f"{HERALD}2025/09/03/kelpworks-raises-40-million:1-1"], answer.text
    lines = answer.text.splitlines()
    assert lines[0].startswith("the Bayside Ledger: ") and lines[0].endswith("[1] (published 2025-09-02)")
    assert lines[1].startswith("the Harbor Herald: ") and lines[1].endswith("[2] (published 2025-09-03)")
    assert "yours to draw" in lines[2]
