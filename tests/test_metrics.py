"""Metric functions on hand-made cases with hand-computed values."""

import pytest

from eval.gold.metrics import (abstention_precision_recall, contains_answer, exact_match, line_precision_recall,
                               normalize_answer, percentile, pick_choice, recall_at_k, reciprocal_rank, spans_overlap, token_f1)


def test_recall_and_mrr():
    run = ["a.txt", "b.txt", "gold.txt", "c.txt"]
    assert [recall_at_k(run, {"gold.txt"}, k) for k in (1, 2, 3, 10)] == [0.0, 0.0, 1.0, 1.0]
    assert reciprocal_rank(run, {"gold.txt"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(run, {"gold.txt"}, k=2) == 0.0
    assert recall_at_k(run, set(), 5) == 0.0


def test_line_precision_recall():
    cited = [("a.txt", 10, 12), ("b.txt", 1, 1)]          # 4 cited lines
    gold = [("a.txt", 11, 14)]                            # 4 gold lines, 2 shared (11, 12)
    assert line_precision_recall(cited, gold) == (0.5, 0.5)
    assert line_precision_recall([], gold) == (0.0, 0.0)
    assert spans_overlap(cited, gold) and not spans_overlap([("a.txt", 1, 10)], gold)


def test_squad_normalisation_em_f1():
    assert normalize_answer("The “Squid Game”!") == "squid game"
    assert exact_match("squid game", ["“Squid Game”"]) == 1.0
    assert exact_match("Squid", ["Squid Game"]) == 0.0
    # prediction "the house sparrow was seen" -> [house, sparrow, was, seen]; gold [house, sparrow]
    # precision 2/4, recall 2/2, F1 = 2 * 0.5 * 1 / 1.5 = 2/3
    assert token_f1("the house sparrow was seen", ["house sparrow"]) == pytest.approx(2 / 3)
    assert token_f1("nothing", ["house sparrow"]) == 0.0


def test_contains_answer_respects_word_boundaries():
    assert contains_answer("He won 1,874 votes, said The Times.", ["the Times"])
    assert not contains_answer("Timeshare rules changed.", ["Times"])
    assert not contains_answer("anything", [""])


def test_abstention():
    declined = [True, True, False, False]
    unanswerable = [True, False, True, False]
    assert abstention_precision_recall(declined, unanswerable) == (0.5, 0.5)
    assert abstention_precision_recall([False], [False]) == (0.0, 0.0)


def test_percentile():
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile([10, 20], 95) == pytest.approx(19.5)
    assert percentile([], 50) == 0.0


def test_pick_choice_whole_match_beats_partial_and_rank_weighs():
    evidence = ["Officials said Joe Manchin would vote no.", "Joe Biden spoke in Ohio on Tuesday."]
    # "Joe Biden": whole match in text 2 -> 1/2 = 0.5; "Joe Manchin": whole match in text 1 -> 1.0
    assert pick_choice(["Joe Biden", "Joe Manchin", "Kamala Harris"], evidence) == 1
    # partial: "New York Times" shares 1 of 3 words with text 1 ("times" absent; "new" absent) -> only
    # "york": 0.5 * 1/3 = 0.1667; "Boston Globe" -> 0; so the partial one wins
    assert pick_choice(["Boston Globe", "New York Times"], ["A York paper said so."]) == 1
    assert pick_choice(["Boston Globe", "Chicago Tribune"], ["Nothing here."]) is None
    assert pick_choice([], ["text"]) is None


def test_pick_choice_ties_go_to_wider_support_then_earlier_choice():
    # both whole-match at rank 0 (1.0); "Rome" also appears at rank 1 -> more supporting texts
    assert pick_choice(["Paris", "Rome"], ["Paris and Rome met.", "Rome agreed."]) == 1
    assert pick_choice(["Paris", "Rome"], ["Paris and Rome met."]) == 0


def test_pick_choice_reads_the_short_answer_as_a_quantity():
    # a number word, a written-out amount and a near amount in another currency each pick their choice
    assert pick_choice(["3", "4", "5", "6"], ["detained for six months"], short="six") == 3
    amounts = ["$126,000", "$408,000", "$4.8 million", "$12.6 million"]
    assert pick_choice(amounts, ["the card made $4.8 million less"], short="$12,600,000") == 3
    assert pick_choice(["$40,000", "$100,000", "$1 million", "$400 million"], [], short="405 million euro") == 3
    # no choice within rounding, or another kind of quantity: the texts decide as before
    assert pick_choice(["$13", "$15", "$22"], ["a $22 wage floor"], short="10") == 2
    assert pick_choice(["20%", "60%"], ["up 60% from a year ago"], short="$5") == 1
    assert pick_choice(["20%", "60%"], ["nothing"], short="the board") is None


def test_pick_choice_counts_a_places_adjective_as_the_place():
    assert pick_choice(["United States", "China"], ["Chinese citizens' data", "US officials said"]) == 1
    assert pick_choice(["Asia", "Europe"], ["the European Union said"]) == 1
    # a word that only starts like the place is not its adjective
    assert pick_choice(["Europe", "Asia"], ["paid in euros in Asia"]) == 1
