"""Answers a person can trust (issue #14): declining near the topic, short answers, multi-part questions.

Real model, real Chroma, our own samples and gold sets (eval/gold/samples_near_topic.jsonl,
eval/gold/samples_multipart.jsonl): nothing here needs ../shared.
"""

import json
import os
import subprocess
import sys

import pytest

from eval.gold import load_gold
from eval.gold.runner import run_question
from eval.gold.summary import summarize
from qa.assistant import open_assistant
from qa.config import Config
from qa.ingest import ingest_folder
from tests.conftest import REPO, SAMPLES

GOLD = REPO / "eval" / "gold"


@pytest.fixture(scope="module")
def samples(tmp_path_factory, embedder):
    config = Config(index_dir=tmp_path_factory.mktemp("trust") / "idx")
    ingest_folder(config, SAMPLES, embedder=embedder)
    return open_assistant(config, embedder=embedder)


def _summary(assistant, name):
    rows = [run_question(assistant, q, use_date=True) for q in load_gold(GOLD / name)]
    return rows, summarize(rows)


@pytest.mark.parametrize("question", [
    "When will the new stadium open?",                 # a date of the right kind, for another subject
    "Which company makes the Tidecard?",               # the right article, the fact is not there
    "Who is the chief executive of Brightwell Electronics?",   # only Corvane's chief executive is named
    "What was the original budget for converting the gasworks?",   # another instance: the cost, not the budget
    "What was the turnout in the previous Harbor City mayoral election?",   # not this election's 58 percent
    "What was Corvane's second-quarter revenue?",      # the third quarter's profit is another period
    "Who started Auntie Bao's Kitchen?",               # a name inside "the People's Choice award" is no founder
    "Who is the director of the Fenland Ornithological Trust?",  # "in the Great Winter Bird Count" is no director
    "When will Corvane move into its new headquarters?",   # "reported ... on Wednesday" dates the news
    "How many votes did Lucia Ortega-Blum receive in total?",  # "by 1,874 votes" is her margin
    "How many heaters were sold in Canada?",           # the recall's figures name no country (qa.alignment)
    "What is the name of the Lantern Works Museum's cafe?",   # a name is asked: "the museum" is none
    "How many waxwings were counted in Scotland?",     # "Scandinavia" is another name (qa.alignment)
    "How many robins were counted in the Great Winter Bird Count?",   # 8,950 counts waxwings
    "What was the name of the Harriers kit manager who died in January?",  # "coach Benedikt Ruiz" is another role
    "Why did Theodore Nakashima decide not to run again for mayor?",   # "who did not seek re-election" gives no reason
    "Why did the Harriers' long-serving kit manager die?",
    "When will the N7 night bus start running?",       # "N7" named earlier modifies "bus", not the "night routes"
    "Why were there no injuries in the Brightwell heater fires?",   # the recall's reason names no injuries
    "How many people went to the dumpling festival on the Saturday?",  # "over two days, ... said on Sunday"
    "Who captains Eastbank Harriers?",                 # "their captain, Dominik Arslan" is the Rovers'
    "Which company built the Aurora-2 probe?",         # "..., the Northern Space Agency confirmed" built nothing
    "Who designed the Lantern Works Museum's new exhibition hall?",   # its director only speaks
    "How many hubs does Corvane currently operate?",   # "would open two new hubs next year" is a plan
    "How much did the court fine Harbor City?",        # "may have to refund ... $4.3 million" is a supposition
    "How many fines did the city cancel?",             # "a delivery driver, Ronan Fairweather, who received 14 fines"
    "Which retailer sold the most CozyPod heaters?",   # "sold ... at hardware stores" ranks no retailer
    "Who runs the Harbor City elections office?",      # "outgoing mayor Theodore Nakashima" runs the city
    "Who heads the Pacific Reef Institute?",           # "led by ... Alvarado of the Institute" led the team
    "Who paid for the study of heat-tolerant algae on the Tamarind Shoals reef?",   # "led by Dr. Alvarado" paid nothing
    "Who represented Harbor City in court in the street-sweeper camera case?",     # the judge "found", not represented
    "Which spokesperson for the city attorney's office commented on the parking fines ruling?",  # "a delivery driver, X"
    "What is the name of the Harriers' goalkeeping coach?",   # "Harriers coach Benedikt Ruiz": no goalkeeping coach
    "Who funded the coral algae study?",               # "published ... in the journal Marine Frontiers" funded nothing
    # a date of another act (qa.acts): "records began there in 1961", the shelter "closed on Tuesday",
    # the probe "entered orbit on Wednesday", the board "voted on Thursday"
    "In what year was the Calder Bridge built?",
    "When did the emergency shelter open?",
    "When did the Aurora-2 probe leave lunar orbit?",
    "When does the fare cap end?",
    "How many people will work at Corvane's new Fennick hub?",   # "two new cold-storage hubs" counts no people
    # a number of another act (qa.acts): "enrolled 386 adults", "two independent candidates sharing the remainder"
    "How many people dropped out of the walking-after-meals trial?",
    "How many people attended Ortega-Blum's victory speech?",
    # the day a fact was said on ("said in a statement on Wednesday") dates no receiving of reports
    "When did Brightwell first receive reports of overheating?",
    # "the revenue forecast" asks an amount: the full-year one is not the fourth quarter's
    "What was Corvane's revenue forecast for the fourth quarter?",
    # a number of another act, judged in context (qa.act_states): "tracked 1,200 coral colonies",
    # "attracted an estimated 48,000 visitors", "raised its full-year revenue forecast to ..."
    "How many coral colonies were planted on the Tamarind Shoals reef?",
    "How many visitors did the dumpling festival turn away?",
    "How much did Corvane pay for its new cold-storage hubs?",
    # a thing with a name of its own (a rocket, a hospital), an amount, two names: none in the article
    "Which rocket launched the Aurora-2 probe?",
    "Which hospital treated the families rescued by boat from Larch Valley?",
    "What is the most a single household can get from the state flood relief fund?",
    "Which two members of the transit board voted against the weekly fare cap?",   # "the Fair Fare Coalition welcomed"
    "When do applications for the Millbrook flood relief fund close?",   # "applications opening on June 16"
    "How fast was Aurora-2 travelling when it entered lunar orbit?",     # "a 41-day journey" is no speed
])
def test_near_topic_questions_are_declined(samples, question):
    answer = samples.ask(question, as_of="2025-12-31")
    assert not answer.answered and answer.citations == () and answer.short is None, (answer.text, answer.signals)
    assert "don't say" in answer.text
    assert answer.passages                          # the closest passages are still shown, not cited


@pytest.mark.parametrize("question, short, cited", [
    ("How many adults were in the walking study?", "386", "health/post-meal-walking-study.md:11-11"),
    ("What was the turnout in the Harbor City mayoral election?", "58 percent", "politics/mayoral-election-result.md:13-13"),
    ("Who won the Harbor City mayoral election?", "Lucia Ortega-Blum", "politics/mayoral-election-result.md:9-9"),
    ("When does the Harbor City weekly fare cap take effect?", "May 5", "local/transit-fares.txt:8-8"),
    ("How much net profit did Corvane Logistics make in the third quarter?", "$412 million",
     "business/corvane-q3-earnings.html:1-1"),
    ("What is the algae strain that helps corals recover called?", "D-17", "science/coral-algae-study.md:15-15"),
    ("What is the name of the contactless fare card in Harbor City?", "Tidecard", "local/transit-fares.txt:6-6"),
    ("How much did the Aurora-2 lunar mission cost?", "640 million euros",      # CARDINAL + "euros", less "about"
     "https://example.org/news/2025/10/02/aurora-2-enters-lunar-orbit:5-5"),
    ("How many waxwings did the volunteers record?", "8,950",                         # "8,950 Bohemian waxwings"
     "https://example.org/news/2025/01/12/winter-bird-count-waxwings:2-2"),
    # "how long" takes a length of time or of distance, not "1,200" colonies or "four times faster"
    ("How long did researchers track the coral colonies?", "three years", "science/coral-algae-study.md:11-11"),
    ("How long did the coral algae study last?", "three years", "science/coral-algae-study.md:11-11"),
    # a side of a score ("a 1-1 draw") is no quantity
    ("How big a crowd did the Continental Cup final draw?", "52,480",
     "https://example.org/news/2025/04/27/harriers-win-continental-cup-final:5-5"),
    # a number whose verb is close to the asked one ("study" / "tracked"), or a light one ("took part", "get")
    ("How many coral colonies did the researchers study?", "1,200", "science/coral-algae-study.md:11-11"),
    ("How many adults took part in the walking trial?", "386", "health/post-meal-walking-study.md:11-11"),
    ("How many fines did Ronan Fairweather get?", "14", "local/parking-fines-ruling.txt:10-10"),
    # "the highest level": a sentence that ranks ("the highest reading since 1961"), not the first peak's
    ("What was the highest level recorded for the Millbrook River at the Calder Bridge gauge during the flooding?",
     "6.8 meters", "local/river-flood-update.txt:8-8"),
    # "how many weeks": a number of weeks, not the year "2023"
    ("How many weeks did colonies with the D-17 strain take to regain their color?", "11",
     "science/coral-algae-study.md:15-15"),
    # a question about what may happen is answered by what the sentence supposes
    ("How much could Harbor City have to refund after the camera ruling?", "$4.3 million",
     "local/parking-fines-ruling.txt:12-12"),
    # a forecast, estimate or target of an amount is an amount, not "full-year"
    ("What is Corvane's full-year revenue forecast?", "between $22.4 billion and $22.8 billion",
     "business/corvane-q3-earnings.html:4-4"),
    # a fill-in question: what the cited sentence puts after its last word
    ("Former employees had not been inside the Lantern Works buildings since the gasworks closed in:", "1971",
     "culture/lantern-works-museum-opening.html:6-6"),
    ("The Lantern Works steam engine will be fired up for visitors on:", "first Sunday of every month",
     "culture/lantern-works-museum-opening.html:4-4"),
    ("The dumpling festival's People's Choice award went to:", "Auntie Bao's Kitchen", "local/dumpling-festival.txt:10-10"),
    # the question's own verb, though the tagger reads "attract" as a noun; a hospital by its name;
    # "of which 47" counts the properties before it
    ("How many visitors did the dumpling festival attract?", "48,000", "local/dumpling-festival.txt:6-6"),
    ("Which hospital ran the post-meal walking trial?", "Northfield University Hospital",
     "health/post-meal-walking-study.md:11-11"),
    ("How many properties were declared unsafe after the Millbrook River flood?", "47",
     "local/river-flood-update.txt:10-10"),
    # "with applications opening on June 16" (the parser's noun "opening" is the clause's verb)
    ("When do applications for the Larch Valley relief fund open?", "June 16", "local/river-flood-update.txt:14-14"),
])
def test_short_answer_first_verbatim_from_the_cited_line(samples, question, short, cited):
    answer = samples.ask(question)
    assert answer.answered and answer.short is not None, (answer.text, answer.signals)
    assert answer.short.text == short
    first = answer.citations[answer.short.marker - 1]
    assert first.citation == cited
    article = next(p for p in answer.passages if p.source == first.source)
    line = samples.article_lines(article.article_id)[answer.short.line - 1]
    assert answer.short.line == first.start_line and line[answer.short.start:answer.short.end] == short
    assert answer.text.startswith(f"{short} [{answer.short.marker}]")
    payload = answer.to_json()
    assert payload["short"] == {"text": short, "marker": 1, "line": first.start_line,
                                "start": answer.short.start, "end": answer.short.end}
    json.dumps(payload)


@pytest.mark.parametrize("question, short", [
    ("Which judge ruled the street-sweeper camera fines unlawful?", "Amadou Kessler"),   # not the District Court
    ("What is the name of the Rovers captain who scored in the Continental Cup final?", "Dominik Arslan"),
    ("Which coach dedicated the Continental Cup trophy to the club's kit manager?", "Benedikt Ruiz"),
    # the role named with the name answers, though the sentence is about the company's hubs
    ("Who is Corvane's chief executive?", "Henrik Osei-Larsen"),
    # "Who runs / coaches / captains X?": a name with that leading title, of X (not "Harriers coach Y")
    ("Who runs Corvane Logistics?", "Henrik Osei-Larsen"),
    ("Who coaches Port Alder Rovers?", "Ilse Brandvold"),
    ("Who captains Port Alder Rovers?", "Dominik Arslan"),         # "Rovers took the lead ... their captain"
    ("Who is in charge of the Saltmarsh Quay Dumpling Festival?", "Sunniva Okafor"),
    ("Who built the camera that Aurora-2 carries?", "students"),   # "built by students at ..." (no name)
    ("Who is the Harriers' head coach?", "Benedikt Ruiz"),          # "head" narrows no coach
    # "Petrakis conceded ...": the bare surname of "councillor Graham Petrakis", not "outgoing mayor X"
    ("Who conceded the Harbor City mayoral race?", "Petrakis"),
    # "The trust's survey coordinator, Niamh Oduya, ...": the trust is the question's, the role is asked
    ("Who coordinates the Fenland Ornithological Trust's survey?", "Niamh Oduya"),
])
def test_a_role_asked_for_is_the_role_the_name_comes_with(samples, question, short):
    answer = samples.ask(question)
    assert answer.answered and answer.short is not None and answer.short.text == short, answer.text


@pytest.mark.parametrize("question, short, cited", [
    # "the cap" of line 12 is the "Tidecard fare cap" the article named on line 6
    ("How much is the Tidecard fare cap expected to cost?", "$3.6 million", "local/transit-fares.txt:12-12"),
    ("When did the Harbor City gasworks shut down?", "1971", "culture/lantern-works-museum-opening.html:6-6"),
])
def test_a_modifier_named_earlier_in_the_article_counts(samples, question, short, cited):
    answer = samples.ask(question)
    assert answer.answered and answer.short is not None and answer.short.text == short, answer.text
    assert answer.citations[0].citation == cited


def test_why_is_answered_by_a_sentence_that_gives_a_reason(samples):
    answer = samples.ask("Why were some families taken out of their houses by boat during the Millbrook flood?")
    assert answer.answered and answer.citations[0].citation == "local/river-flood.txt:8-8", answer.text


def test_why_questions_have_no_short_answer(samples):
    answer = samples.ask("Why did the transit board approve the weekly fare cap?")
    assert answer.short is None and answer.to_json()["short"] is None


def test_near_topic_gold_set_bars(samples):
    """Our near-topic set (205 unanswerable, 100 answerable near-misses): the bars CI holds us to.

    Measured with the calibrated thresholds: 181 of 201 near-topic declined (0.900), 4 of 4
    off-topic declined, 88 of 100 answerables correct. n286-n305 (14 unanswerable in varied phrasings, 6 answerable) were
    written by a third helper at the end of session 18, after all its other rules, and run once
    with the session's start code and the code then: 7 of 14 declined and 5 of 6 answerables
    with both (held-out declining near the topic is about 0.5 on such questions). Then a
    numbered name the text does not give ("the Aurora-1 mission" in an article on Aurora-2,
    `qa.instances.other_numbered`) and money a verb names ("how much did donors give" is not
    what the conversion cost) made it 9 of 14 (n07, "how much is the grant giving", declined
    too), and a date's verb judged against the question's by the model in context, as a
    figure's is (`qa.act_states`: "keep paying" is not "closed"): 10 of 14. Still answered:
    this year's count for last year's, another group's
    figure ("did not walk at all" against "walked once a day"), another doer's date (the
    Harriers' win for when the Rovers last won). n262-n285 (17 unanswerable weighted to the hardest
    kinds, 7 answerable) were written by a second helper in session 18 after the rules below and
    run once with the session's start code and the code then: 12 of 17 declined and 6 of 7 with
    both; then "how many times" wants a count of times (not "two members"), "in watts" a figure
    in watts, a name introduced with a person's role ("councillor Graham Petrakis") answers no
    "which school", a journal is asked by its name, a rating is a number, and a bare "what"
    is not answered by a name outside its slot ("Granary Hall" for what she pledged): 16 of 17,
    6 of 7 (missed: "Bohemian" for which Scandinavian country; the museum's opening days,
    declined). n240-n261 (15 unanswerable of mixed kinds, 7
    answerable) were written at the start of session 18 by a helper that saw neither the code
    nor its answers, and run once with the session's start code: 11 of 15 declined, 6 of 7
    answerables correct, though three of those six had a wrong short ("Thursday" for the day she
    takes office, the profit for the revenue, "Earth" for where the control centre is). Then
    "where" is not answered by a verb's subject ("Harbor City acted"), nor a "place" by a code
    ("N7"), an amount by another kind of money or a forecast's figure (`qa.span_measures`), a
    neighbourhood of Poddington by one of Larch Valley, a level by a difference ("1.5 meters
    above"), and a venue tagged an organisation "at" which something is is a place (n09's
    shelter): 14 of 15, 5 of 7 (n255 declined rather than wrong). Session 17: 140 of 155 and
    72 of 80 (its start code 128 of 155, 72 of 80).
    n226-n239 (10 unanswerable of mixed kinds, 4 answerable) were written at the end of session
    17 and run once with its start code and its code then: 5 of 10 declined and 3 of 4
    answerables with both (missed: "which supermarket's car park", answered without a short;
    this flood's "Tuesday" for the last flood before this year; the 2017 final's attendance;
    "Moon", tagged a person, for which university; a "41-day" journey for how fast); then a word
    the parser hangs as a clause is a verb ("with applications opening on June 16": the date is
    not the announcement's, n239 answered, and n12's "close" is its opposite) and "how fast"
    asks for a speed (n234): 6 of 10, 4 of 4. Session 17 judged a figure's verb against the
    question's in context (`qa.act_states`: "tracked" is not "planted", n163; "attracted" not
    "turn away", n159; "raised its forecast to" not "pay", n143), took the question's own verb
    when the parser hangs the figure from "did" or "had" (n162 "did the festival buy", n08 "had to
    be rescued", with "the number of evacuated homes" counting no people), asked a thing with a
    name of its own ("which hospital", n137; "which rocket", n71) by its name,
    "the most a household can get" for an amount (n14) and "which two members" for two names
    joined (n01): on n01-n196, 108 -> 117 of 125 declined, 64 -> 63 answerables (n15 lost: its
    short had been "340", evacuated homes, for the homes declared unsafe; it is now declined).
    n197-n211 (12 unanswerable, 3 answerable) were written before those rules and run once with
    the session's start code and its code after them: 11 of 12 declined and 2 of 3 answerables
    with both (missed: "386" adults for their average age; "until the end of the month" for
    "until when"). n212-n225 (8 unanswerable figures of another act, 6 answerable figures asked
    with another verb of the same act: "lined up" / "queued", "joined" / "took part") were
    written after the rules, to test them, and run once: the start code declined 4 of 8, the
    code then 6 of 8, answerables 3 of 6 with both (no paraphrase lost). n183-n196 (10 unanswerable, 4 answerable) were
    written in session 16 after its rule that a fact the sentence only supposes ("would open",
    "may have to refund") does not answer a question about what is or was (`qa.acts.supposed_act`:
    n91, n175, and with a longer reach up the heads n150, declined; on n01-n182, 97 of 115) and run once with it and with the session's start
    code: 8 of 10 declined and 4 of 4 answerables cited with both (missed: "received 14 fines" for
    how many the city refunded, "in two months" for how long the case lasted); then "how many
    weeks" no longer takes the year "2023" (n194's short: "11"), and a count done by a named doer
    the question does not name is no answer (`qa.acts.other_doer`: n158 and n183, "a delivery
    driver, Ronan Fairweather, who received 14 fines" for the city's cancelled or refunded fines):
    10 of 10; then a question asking for the one that ranks first ("sold the most") is not
    answered by a sentence that ranks nothing (`qa.instances.unranked`: n145). n171-n182 (8 unanswerable of several kinds, 4
    answerable) were written at the end of session 14 and run once with its start code and its
    code then: 5 of 8 declined and 4 of 4 answerables right with both (missed: a reporting day for
    "first receive reports", "two new hubs" for how many it operates now, the full-year forecast
    for the fourth quarter's); then a question whose own verb is another act than reporting
    ("receive reports of X") no longer takes the day a fact was said on (n172), and "the revenue
    forecast" asks for an amount (n177, whose short had been "full-year"): 7 of 8. n158-n170 (8 unanswerable, 5 answerable, all but
    two of them counts) were written in session 14 after the rule that a number of another act
    is no answer (`qa.acts.other_counted_act`: n40, n85 declined) and run once with it and
    with the session's start code: 4 of 8 declined and 5 of 5 answerables right with both.
    The four it misses hang from a verb the static vectors put near a word of the sentence
    ("planted" / "tracked", "cancel" / "fines") or one the parser reads as a noun; a stricter
    test (the exact verb or a close one) declined one more of them but lost n166 ("study" /
    "tracked") and a multi-part part. On n01-n157: 83 of 99 (81 before session 14). n143-n157 (11 unanswerable, 4 answerable) were
    written later in session 13 and run once: 7 of 11 declined and 3 of 4 answerables right
    with both the session's start code and the code then (n156's short wrong with both:
    "Saturday", the museum's opening, for when the gasworks closed); then a "how many people"
    count of things ("two new hubs") became no answer (n144), "the trust's survey coordinator,
    X" an answer to "Who coordinates the Trust's survey?" (n154), the contrary act a question
    word ("close", tagged a noun) and "What altitude ... when it arrived?" no date question:
    8 of 11, 4 of 4 (n156 answers 1971). On n01-n142: 73 of 88 (71 before session 13's date rule, `qa.acts`: "records
    began there in 1961" does not date the bridge's building, n16, n136). n130-n142 were written in session 13 before its
    surname and appositive rules and run once: the session's start code declined 5 of their 9
    unanswerables, the code then 6, answerables 4 of 4 with both (n140's short wrong with both:
    "outgoing mayor Theodore Nakashima" for "Who conceded the race?"); now 7 of 9 (n130: "in
    the journal Marine Frontiers" funded nothing) and n140 answers "Petrakis". On n01-n129:
    64 of 79 (60 of 79 before session 13's rules: the doer
    of another act, "led by Dr. Alvarado" for "Who paid for the study?", is no answer, n34,
    n122; "a delivery driver, X," is X's title however the parser ties it, n106; "the
    goalkeeping coach" is not answered by a plain "coach", n103). Session 12 made the speaker rule (who says a fact did
    not do what is asked), "Who runs / coaches / is in charge of X?" (a name with a leading title
    of X), the doer for "which company built X" and "built by students": on n01-n117, 54 of 72
    declined (52 before), 38 of 41 answerables (36; n62 is lost: "..., the Fenland Ornithological
    Trust said" no longer answers "Which organisation runs the count?"). n118-n129 were written
    after the first version of those rules and run once, untuned, against the session's start
    code and that version: unanswerables 4 of 7 declined with both, answerables 4 of 5 and 5 of
    5; two refinements made from that run (an ownerless title and a "their" resolved to the
    sentence's subject) took them to 6 of 7 (no longer held out). Session 11's second batch, n108-n117, was written
    after its rules and run once, untuned: 3 of 6 unanswerables declined (the session's start
    code: 2 of 6), 3 of 4 answerables right with both; then the alignment check was extended to
    "why" questions (n112, n115, n117 declined: 6 of 6 now, no longer held out). Session 11 added n96-n107 (7 answerables of the
    shapes its rules touch: "why", a role named with the name; 5 unanswerables, run before the
    rules were final: the session's start code declined 1 of 5, the code then 2 of 5, now 3);
    a name introduced with another role ("coach Benedikt Ruiz" for "the kit manager") is no
    answer, nor a "why" answered by a sentence that gives no reason (39 of 61 before), and a
    modifier named earlier in the article counts for "the cap" (n53 answered). Session 10:
    n78-n95 were written in session 10 and run as they
    were, in two batches, before any rule was made from them: the session's start code declines
    3 of n78-n87 and 3 of n88-n95 (34 of 61 in all); the code when n88-n95 were written declined
    5 of those 8. Now "a radar instrument called DEEPSCAN" is no answer to "which university",
    "the previous election" is not answered by this one's turnout, nor "second-quarter revenue"
    by the third quarter's profit. Before the
    alignment check (qa.alignment) and the rule that a question asking for a name gets a name:
    18/43, 4/4, 25/30; before the span tie rule: 9/43, 3/4, 22/30.
    """
    rows, summary = _summary(samples, "samples_near_topic.jsonl")
    assert summary["unanswerable"] == 205 and summary["answerable"] == 100
    assert summary["declined_near_topic"] >= 181 / 201, summary
    assert summary["declined_off_topic"] == 1.0, [r["id"] for r in rows if not r["answerable"] and r["answered"]]
    assert summary["correct"] >= 88, [r["id"] for r in rows if r["answerable"] and not r["correct"]]


def test_multipart_gold_set_bars(samples):
    """Every part's gold lines cited: 35 of 42 when measured. m42-m45 were written in session 14
    after its rules and run once: 2 of 4 with both its start code and its code then; then the
    date of a company's reported results became the answer to when the results came (m44),
    and "Did more people queue at A than visited B?" is split into its two counts (m45). 35 of 42.
    On m01-m41: 31 of 38 (30 before session 14's rule that a ratio, "four times faster", is no
    size: m11). m38-m41 were written in session 13
    after its rules and run once: 3 of 4 with both the session's start code and the code then
    (m40, "crest higher in the update than in the first report", is now split into its two
    reports and declined: the first report says "peaked"; it cited an earnings line before).
    On m01-m37: 27 of 34 (26 before a report named by its order,
    "in the first ... report", "in the update", was read as the earliest or latest article on the
    story, `qa.source_order`, m36; 24 before a doer noun stood for its
    verb, "the walkers'" named by "walked", m32, and a noun made from a verb for the verb, "the
    conversion" named by "Converting", with a part's own wording no longer judged by the model's
    cosine, m28). Session 11 split yes/no comparisons
    ("Is A larger than B?", "Are more A recalled than there are B?", m12 and m14) and added
    m33-m37, written before they were run: the session's start code cites every part of 3 of 5,
    the first run of the split 3 (an empty label for "Did converting the gasworks cost more"),
    after that fix 4 (m36's "in the first ... report" names a source, not the homes). Before:
    19 of 29 (session 11: m15's "Tidecard fare cap"
    part is answered by "the cap" of a later line, m08's crowd is no side of "a 1-1 draw"; 17 of 29 in session 10, which asked each part of
    a comparing question for its quantity, let a part's rarest word stand anywhere in its article,
    and added m25-m32, written before they were run: the code before it cites every part of 11 of
    29; 7 of 21 before session 7's amount, count and hash-seed fixes); the split questions below
    must keep their exact parts."""
    rows, summary = _summary(samples, "samples_multipart.jsonl")
    assert summary["answerable"] == 42
    assert summary["parts_cited"] >= 35 / 42, [r["id"] for r in rows if r.get("parts_cited") is False]
    assert summary["correct"] >= 37, [r["id"] for r in rows if r["answerable"] and not r["correct"]]


@pytest.mark.parametrize("question, cited", [
    ("Who won the Harbor City mayoral election, and whom will she replace as mayor?",
     ["politics/mayoral-election-result.md:9-9", "politics/mayoral-election-result.md:21-21"]),
    ("Which was higher at the Calder Bridge gauge, the Millbrook River's first peak or its second crest?",
     ["local/river-flood.txt:10-10", "local/river-flood-update.txt:8-8"]),
    # the compared things are all of "converting ... Museum" (a parse cuts it at "Museum"), each asked
    # for its amount: "the Aurora-2 mission cost how much?"
    ("Which cost more, converting the gasworks into the Lantern Works Museum or the Aurora-2 mission?",
     ["culture/lantern-works-museum-opening.html:3-3",
      "https://example.org/news/2025/10/02/aurora-2-enters-lunar-orbit:5-5"]),
    # "the walkers'" part is cited by the line where the adults "walked": a doer noun is its verb
    ("Which fell by a bigger percentage, the walkers' post-meal glucose peak or coral growth in cooler years?",
     ["health/post-meal-walking-study.md:13-13", "science/coral-algae-study.md:17-17"]),
    # "the conversion" is named by "Converting ..."; the part's wording ("... took how long?") is ours,
    # so the model's cosine of it and the sentence does not judge it
    ("Which took longer, the Aurora-2 probe's journey to the Moon or the conversion of the Lantern Works gasworks?",
     ["https://example.org/news/2025/10/02/aurora-2-enters-lunar-orbit:1-1",
      "culture/lantern-works-museum-opening.html:3-3"]),
    # a report named by its order: "the first ... report" is the earliest on the story, "the update" the latest
    ("Were more homes evacuated in the first Millbrook flood report than properties inspected in the update?",
     ["local/river-flood.txt:8-8", "local/river-flood-update.txt:10-10"]),
])
def test_multipart_question_cites_each_part(samples, question, cited):
    answer = samples.ask(question)
    assert answer.answered and [c.citation for c in answer.citations] == cited, answer.text
    assert [c.marker for c in answer.citations] == [1, 2]
    assert answer.text.count("[1]") == 1 and answer.text.count("[2]") == 1


@pytest.mark.parametrize("question, firsts, cited", [
    ("Are more Brightwell heaters being recalled than there are street-sweeper camera fines Harbor City may have "
     "to refund?", ["Brightwell heaters being recalled: 210,000: ",
                    "street-sweeper camera fines Harbor City may have to refund: 61,000: "],
     ["tech/space-heater-recall.html:2-2", "local/parking-fines-ruling.txt:12-12"]),
    ("Is Corvane's third-quarter net profit larger than the cost of the Aurora-2 mission?",
     ["Corvane's third-quarter net profit: $412 million: ", "the Aurora-2 mission: 640 million euros: "],
     ["business/corvane-q3-earnings.html:1-1", "https://example.org/news/2025/10/02/aurora-2-enters-lunar-orbit:5-5"]),
    # two acts of the counted thing; "queue" is named by "queued", "visited" by "visitors"
    ("Did more people queue on the Lantern Works Museum's opening day than visited the dumpling festival?",
     ["people queue on the Lantern Works Museum's opening day: More than 2,000: ",
      "visited the dumpling festival: 48,000: "],
     ["culture/lantern-works-museum-opening.html:6-6", "local/dumpling-festival.txt:6-6"]),
])
def test_a_yes_no_comparison_gives_each_sides_quantity(samples, question, firsts, cited):
    answer = samples.ask(question)
    assert answer.answered and [c.citation for c in answer.citations] == cited, answer.text
    assert all(f in answer.text for f in firsts), answer.text
    assert "the comparison is yours to draw" in answer.text


def test_comparing_question_leads_each_part_with_its_quantity(samples):
    # each part asks "... rose how much in percentage terms?": a percentage, not "Corvane Logistics"
    answer = samples.ask("Which rose more in percentage terms, Corvane's third-quarter profit or Corvane's shares?")
    assert answer.answered, answer.text
    assert [c.citation for c in answer.citations] == ["business/corvane-q3-earnings.html:1-1",
                                                      "business/corvane-q3-earnings.html:5-5"], answer.text
    assert "Corvane's third-quarter profit: 18 percent: " in answer.text
    assert "Corvane's shares: 6 percent: " in answer.text
    assert "the comparison is yours to draw" in answer.text


def test_results_are_dated_by_their_report(samples):
    # "Corvane Logistics reported third-quarter net profit ... on Wednesday": the results' day
    answer = samples.ask("Which happened first, the opening of the Lantern Works Museum or Corvane's third-quarter results?")
    assert answer.answered, answer.text
    assert [c.citation for c in answer.citations] == ["culture/lantern-works-museum-opening.html:2-2",
                                                      "business/corvane-q3-earnings.html:1-1"], answer.text


def test_a_size_is_a_count_not_a_ratio(samples):
    # "recovered up to four times faster" is a ratio: the coral study's size is its 1,200 colonies
    answer = samples.ask("Compare the size of the coral algae study with the size of the walking-after-meals trial.")
    assert answer.answered, answer.text
    assert [c.citation for c in answer.citations] == ["science/coral-algae-study.md:11-11",
                                                      "health/post-meal-walking-study.md:11-11"], answer.text
    assert "the coral algae study: 1,200: " in answer.text and "the walking-after-meals trial: 386: " in answer.text
    # asked for, a ratio is the answer
    ratio = samples.ask("How many times faster did corals with the heat-tolerant algae recover from bleaching?")
    assert ratio.answered and ratio.short is not None and ratio.short.text == "four", ratio.text
    assert ratio.citations[0].citation == "science/coral-algae-study.md:9-9", ratio.text


@pytest.mark.parametrize("question", [
    "What happened after the vote, and did the board or the mayor respond?",   # a second clause, not two things
    "Which team won the Continental Cup, the Harriers or the Rovers?",          # one of them asked for: no quantity
])
def test_questions_that_compare_nothing_are_not_split_by_quantity(samples, question):
    from qa.comparatives import comparative_parts

    assert comparative_parts(question, samples.parser.parse([question])[0]) == []


def test_yes_no_part_about_a_bound_cites_the_amount(samples):
    """"expected to cost millions of dollars?" asks each part "... cost how much?": the line with the
    amount, not the ruling's opening line (as before session 10). The fare cap's part is still
    declined: its line says "the cap", and the alignment check wants "Tidecard" (a known miss)."""
    answer = samples.ask("Are both the Tidecard fare cap and the street-sweeper fine ruling expected to cost "
                         "millions of dollars?")
    assert "the street-sweeper fine ruling: $4.3 million: " in answer.text, answer.text
    assert "local/parking-fines-ruling.txt:12-12" in [c.citation for c in answer.citations]


def test_yes_no_over_two_parts_leaves_the_verdict_to_the_reader(samples):
    answer = samples.ask("Did more people go to the Saltmarsh Quay Dumpling Festival or to the Harbor City Jazz Festival?")
    assert not answer.answered                      # the jazz festival is in no article
    assert "the Harbor City Jazz Festival: the articles don't say." in answer.text
    (cited,) = answer.citations
    assert cited.source == "local/dumpling-festival.txt" and cited.start_line == cited.end_line
    lines = (SAMPLES / "local" / "dumpling-festival.txt").read_text(encoding="utf-8").split("\n")
    assert cited.quote in lines[cited.start_line - 1]


def test_the_chats_default_as_of_prefers_recent_news_only_for_questions_about_now(samples):
    """The chat leaves "As of" at today: a fare question must still find the transit story first,
    not the newest article (measured on the 49 answerable samples + near-topic questions: top-1
    gold source 39 with the preference always on, 47 with "auto")."""
    question = "What is the weekly spending cap for Tidecard riders in Harbor City?"
    auto = samples.ask(question, as_of="2025-12-31", prefer_recent="auto")
    assert auto.passages[0].source == "local/transit-fares.txt"
    assert [c.citation for c in auto.citations][:1] == ["local/transit-fares.txt:8-8"]
    from qa.filters import Filters

    auto_filters = Filters.from_kwargs(as_of="2025-12-31", prefer_recent="auto")
    assert auto_filters.for_question(question).prefer_recent is False
    assert auto_filters.for_question("What is the latest count of evacuated homes?").prefer_recent is True
    with pytest.raises(ValueError, match="prefer_recent"):
        samples.ask(question, as_of="2025-12-31", prefer_recent="sometimes")


def test_a_when_question_is_not_answered_by_a_length_of_time(samples):
    answer = samples.ask("When will the N7 night bus start running?", as_of="2025-12-31")
    assert answer.short is None or "minutes" not in answer.short.text, answer.short


def test_answers_do_not_depend_on_the_hash_seed(samples):
    """Two processes answer alike (app processes on one server must agree, #17): a tie between
    equally rare words used to be broken by set order, so "its second-quarter profit" was found in
    the third-quarter line under some PYTHONHASHSEED values and not under others."""
    question = "How did Corvane's third-quarter profit compare with its second-quarter profit?"
    outputs = []
    for seed in ("1", "8", "10"):
        done = subprocess.run([sys.executable, "-m", "qa", "ask", question, "--index", str(samples.config.index_dir),
                               "--json"], capture_output=True, text=True, timeout=300, cwd=REPO,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr[-2000:]
        payload = json.loads(done.stdout)
        outputs.append((payload["answered"], payload["answer"], payload["citations"]))
    assert outputs[0] == outputs[1] == outputs[2]
    answered, text, citations = outputs[0]
    assert not answered and "its second-quarter profit: the articles don't say." in text
    assert [c["source"] for c in citations] == ["business/corvane-q3-earnings.html"]


@pytest.mark.parametrize("question, short, cited", [
    ("When did the emergency shelter at the sports hall close?", "Tuesday", "local/river-flood-update.txt:12-12"),
    ("When did the Aurora-2 probe enter lunar orbit?", "Wednesday",
     "https://example.org/news/2025/10/02/aurora-2-enters-lunar-orbit:1-1"),
    # "close" (tagged a noun) is still the act asked: not "opened its doors on Saturday"
    ("When did the gasworks that now houses the Lantern Works Museum close?", "1971",
     "culture/lantern-works-museum-opening.html:6-6"),
])
def test_a_date_of_the_act_asked_is_kept(samples, question, short, cited):
    # the acts whose opposites are declined above ("open", "leave") are answered by their own date
    _assert_short_first(samples, question, short, cited)


def _assert_short_first(samples, question, short, cited):
    answer = samples.ask(question, as_of="2025-12-31")
    assert answer.short is not None and answer.short.text == short, answer.text
    assert answer.citations[0].citation == cited


@pytest.mark.parametrize("question, short, cited", [
    ("How many homes had been evacuated according to the first report?", "340", "local/river-flood.txt:8-8"),
    ("How high did the Millbrook River rise at the Calder Bridge gauge according to the later report?", "6.8 meters",
     "local/river-flood-update.txt:8-8"),
])
def test_a_report_named_by_its_order_is_the_earliest_or_latest_on_the_story(samples, question, short, cited):
    _assert_short_first(samples, question, short, cited)



_MARATHON = """---
title: Mitchell Takes the Lakeside Marathon at Her First Attempt
published: 2025-06-20
---

# Mitchell Takes the Lakeside Marathon at Her First Attempt

Tomas Reyes won the Lakeside Marathon in 2021, setting a course record that still stands.

On Sunday, Sarah Mitchell won the Lakeside Marathon at her first attempt at the distance, pulling away from the leaders in the last two kilometres.

About 6,000 runners finished the race, the organisers said.
"""


@pytest.fixture(scope="module")
def marathon(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("present")
    (folder / "lakeside-marathon.md").write_text(_MARATHON, encoding="utf-8")
    config = Config(index_dir=tmp_path_factory.mktemp("present-index") / "idx")
    ingest_folder(config, folder, embedder=embedder)
    return open_assistant(config, embedder=embedder)


@pytest.mark.parametrize("question, short, line", [
    ("Who won the Lakeside Marathon this week?", "Sarah Mitchell", 10),
    ("Who won the Lakeside Marathon recently?", "Sarah Mitchell", 10),   # not the 2021 winner
    ("Who won the Lakeside Marathon in 2021?", "Tomas Reyes", 8),
])
def test_a_question_about_now_is_not_answered_by_an_earlier_years_event(marathon, question, short, line):
    answer = marathon.ask(question, as_of="2025-06-20")
    assert answer.short is not None and answer.short.text == short
    assert answer.citations[0].citation == f"lakeside-marathon.md:{line}-{line}"
