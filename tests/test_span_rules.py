"""Short-answer span rules on real parses (spaCy's small English pipeline), one sentence each:
the span of the kind asked for, in the role asked for (`qa.spans`, `qa.span_roles`,
`qa.gazetteer`)."""

from __future__ import annotations

import pytest

from index.analyzer import Analyzer
from index.embed import WordVectors
from qa.nlp import SentenceParser
from qa.question import analyse, core_question
from qa.span_slot import chain, question_word
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

    def best(question: str, sentence: str, whole: bool = False):
        analysis = analyse(question, parser.parse([core_question(question)])[0])
        asking = parser.parse([analysis.core])[0]
        keys = spans.key_words(analysis, asking, lambda _t: 1.0)
        found = spans.spans(analysis, keys, parser.parse([sentence])[0], slot=chain(question_word(asking)))
        return (found[0] if whole else found[0].text) if found else None

    return best


@pytest.mark.parametrize("question, sentence, expected", [
    # "What is the X?": what a sentence says is X ("posed the X"), not an appositive tacked on
    ("What is the biggest risk to the harbour, according to the engineers?",
     "The engineers said that rising tides posed the biggest risk to the harbour, a change in tone from last year.",
     "rising tides"),
    # ... and only the X the question means: "the most expensive borough" is not "the cheapest"
    ("Which borough is the cheapest to rent in?",
     "Westfield is the most expensive borough to rent in, while Eastmoor is the cheapest.", None),
    # "which country": the country, not its capital
    ("What country elected its first leftist president this week?",
     "Voters in Bogota chose Gustavo Ramirez on Sunday, making him Colombia's first leftist president.", "Colombia"),
    # ... and no other place when the sentence names no country
    ("Which nation's former leader was shot at a campaign event?",
     "The former leader was shot while giving a speech in Nara Prefecture on Friday.", None),
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
    # ... unless the question asks for an approximate figure
    ("Approximately how many heaters are being recalled?", "The company is recalling more than 210,000 heaters.",
     "210,000"),
    # the magnitude asked for
    ("A strong earthquake struck the coast. What was the magnitude of the quake?",
     "A magnitude 6.1 earthquake struck the northern coast early on Monday.", "6.1"),
    # a name that is no "attraction" still answers when it stands where the attraction stands
    ("Which tourist attraction announced that its tours will resume in July?",
     "The Glasshouse Museum announced on Monday that its tours will resume in July.", "Glasshouse Museum"),
    # an amount the tagger split from its currency
    ("How much did the mission cost?", "The mission cost about 640 million euros in all.", "640 million euros"),
    # "how many X" counts X, the last noun after the number, not another thing of X's sort
    ("How many waxwings did they record?", "Participants recorded 8,950 Bohemian waxwings.", "8,950"),
    ("How many sparrows did they record?", "Participants recorded 8,950 Bohemian waxwings.", None),
    # a question asking for a name takes a name ("known as D-17"), not a description
    ("What is the algae strain called?", "Colonies carrying the algae strain, known as D-17, recovered.", "D-17"),
    ("What is the camera on the probe called?", "The probe also carries a small camera built by students.", None),
    # the span in the question's slot: what "the sale of" takes, not where the team came from
    ("Regulators this week approved the sale of which hockey team?",
     "Regulators approved the sale of the Harbour City Gulls on Tuesday from the Ostrander Family Trust to a group "
     "of local owners.", "Harbour City Gulls"),
    # "how many years": the number of a span the tagger calls a date
    ("How many years was his prison sentence?", "The former coach was sentenced to 12 years in federal prison.", "12"),
    # a name without its possessive ending; an age without "-year-old"
    ("Which country announced the toy ban this week?",
     "Officials from Norway's trade ministry announced the toy ban on Tuesday.", "Norway"),
    ("A teenage pilot crossed four continents in a glider. How old is he?",
     "The 17-year-old pilot landed his glider in Ostend on Friday after crossing four continents.", "17"),
    ("How old is the pilot?", "The pilot, who is just 15 years old, landed in Ostend on Friday.", "15"),
    ("How old was the actress?", "The actress died at the age of 89, her son said.", "89"),
    # a country the tagger calls a person is still a country
    ("Which country is now bankrupt, according to its prime minister?",
     "Sri Lanka is bankrupt, its prime minister told lawmakers on Tuesday.", "Sri Lanka"),
    # the kind asked for named again ("new features" for "which feature") is none of it; a name of it is
    ("Which feature did Apple add to the iPhone?", "Apple added the Quick Unsend feature to the iPhone.", "Quick Unsend"),
    ("Which feature did Apple add to the iPhone?", "Apple added new features to the iPhone.", None),
    # ... a people's adjective names none of it either, and "show" counts though spaCy lists it as a stop word
    ("Which wildly popular show was renewed for a new season?",
     "Netflix said on Sunday that the wildly popular South Korean show was renewed for a second season.", None),
    # the name of a thing the question names is not the answer to another "which X"; for "called" it is
    ("Which university built the probe's radar instrument?",
     "The probe will map ice using a radar instrument called DEEPSCAN.", None),
    ("What is the probe's radar instrument called?",
     "The probe will map ice using a radar instrument called DEEPSCAN.", "DEEPSCAN"),
    # the question's own subject, named in full, does not answer it
    ("Who designed the Lantern Works Museum's new hall?", "The Lantern Works Museum of Industry opened on Saturday.",
     None),
    # a number in a compound modifier counts no people
    ("How many people attended her speech?", "The two-term councillor thanked supporters at her speech.", None),
    # what a thing is compared with is not where, or which, it is
    ("Where is the Halvard ice shelf located?", "The Halvard ice shelf is larger than the state of Vermont.", None),
    ("Where is the Halvard ice shelf located?",
     "The Halvard ice shelf, larger than the state of Vermont, lies off the coast of Greenland.", "Greenland"),
    # a figure the tagger found with no number in it ("a little more than") counts nothing; the unit asked
    # for is the one counted: three hours are not a number of minutes
    ("How many minutes did the storm warning last?", "The storm warning lasted a little more than three hours.", None),
    ("How many minutes did the storm warning last?", "The storm warning lasted 187 minutes in all.", "187"),
    # a compass word alone ("the authoritarian North") names no country
    ("Which country declared victory over the virus?",
     "Analysts said the authoritarian North declared victory over the virus on Thursday.", None),
    # a dateline says where the report was filed, not where the event was
    ("Where did the protesters glue themselves to a painting?",
     "LONDON – Protesters glued themselves to a painting on Tuesday.", None),
    # "which year" takes the year of a full date; an amount keeps its scale ("£7m")
    ("The country split from the union in which year?",
     "The country declared independence from the union on Aug. 24, 1991, after a failed coup.", "1991"),
    ("How much has her fund raised for research?",
     "Her fund has gone on to raise more than £7m for research.", "more than £7m"),
    # an amount does not begin with the noun before it ("a married couple $233,610")
    # a title in quotation marks, or an entity of the asked-for sort, answers "which show", "which festival"
    ("Which show won the award for best drama series?",
     "“Quiet Harbour,” the drama about a fishing family, won the award for best drama series.", "Quiet Harbour"),
    ("Household debt passed which massive figure this quarter?",
     "Household debt surpassed $16 trillion for the first time, the central bank said on Tuesday.", "$16 trillion"),
    ("Which holiday did the country celebrate this week?",
     "India celebrated Independence Day on Monday with parades.", "Independence Day"),
    ("How much does it cost to raise a child?",
     "The agency estimated that it cost a middle-income, married couple $233,610 to raise a child.", "$233,610"),
    # session 17: "which two" needs names joined; a hospital by its name; a clause's verb; a speed
    ("Which two countries did NATO invite to join?", "NATO invited Sweden and Finland to join the alliance.",
     "Sweden and Finland"),
    ("Which three countries did the minister visit?", "The minister visited France, Germany and Italy last week.",
     "France, Germany and Italy"),
    # one name does not answer "which two"
    ("Which two countries did NATO invite to join?", "NATO invited Sweden to join the alliance.", None),
    ("Which hospital treated the injured?", "The injured were treated at Northfield General Hospital, officials said.",
     "Northfield General Hospital"),
    ("Which hospital ran the walking trial?", "The trial, run by Northfield University Hospital, enrolled 386 adults.",
     "Northfield University Hospital"),
    ("Which hospital treated the injured?", "The injured were treated at the hospital, officials said.", None),
    # a word the parser hangs as a clause ("applications opening on", tagged a noun) is a verb:
    # the date is not the announcement's
    ("When do applications for the relief fund open?", "The state announced a relief fund of $12 million, with "
     "applications opening on June 16.", "June 16"),
    # "how fast" asks a speed: not the length of a journey
    ("How fast was the probe travelling when it reached the Moon?", "The probe entered orbit at the end of a 41-day "
     "journey.", None),
    ("How fast is the new internet service?", "The company says the service reaches 25 gigabits per second.", "25"),
    # session 18 (`qa.span_measures`): "where" is not a verb's subject, but a place one visits is
    ("Where is the Kessling County Court located?", "The Kessling County Court ruled on Monday that Brightford acted "
     "unlawfully when it closed the library.", None),
    ("Where is the appeals court based?", "The appeals court, based in Oakdale, ruled against the city.", "Oakdale"),
    ("Where did the senator travel last week?", "The senator visited Taiwan last week despite warnings.", "Taiwan"),
    # a venue the tagger calls an organisation is where something is
    ("Where did the band play on Saturday?", "The band played at the Hollowmere Arts Centre on Saturday.",
     "Hollowmere Arts Centre"),
    # another kind of money, or a forecast, is no answer to "how much revenue"
    ("How much revenue did the bakery chain report?", "The bakery chain reported net profit of $14 million.", None),
    ("How much revenue did the bakery chain report?", "The bakery chain said revenue rose to $90 million.",
     "$90 million"),
    ("How much revenue did the bakery chain report?", "The bakery chain raised its revenue forecast to $95 million.",
     None),
    # a verb that names the money: what something cost is not what donors gave
    ("How much money did the donors give toward the new library?", "Building the library took two years and cost "
     "$12 million, most of it raised from donors.", None),
    ("How much money did the donors give toward the new library?", "Donors gave $9 million toward the new library.",
     "$9 million"),
    ("What revenue does the bakery chain forecast?", "The bakery chain raised its revenue forecast to $95 million.",
     "$95 million"),
    # a level set above another is a difference, not the level
    ("What level did the lake reach?", "The lake peaked on Sunday, roughly 0.8 meters above the level at which "
     "flooding begins.", None),
    ("What level did the lake reach?", "The lake reached 4.1 meters, 0.8 meters above its usual spring level.",
     "4.1 meters"),
    # "how many times" counts times; "in watts" wants watts (a rating is a number)
    ("How many times has the ferry broken down this winter?", "The two members who voted against the plan said "
     "the ferry had broken down repeatedly.", None),
    ("How many times has the ferry broken down this winter?", "The ferry has broken down four times this winter.",
     "four"),
    ("What is the power rating of the Zephyr 900 heater in watts?", "The company is recalling about 40,000 Zephyr 900 "
     "heaters.", None),
    ("What is the power rating of the Zephyr 900 heater in watts?", "The Zephyr 900 heater draws 1,500 watts at full "
     "power.", "1,500"),
    # a name introduced with a person's role is no school
    ("At which school did Ines Varga teach before she ran for mayor?", "Former teacher Ines Varga won the election, "
     "defeating two-term councillor Pavel Drummond.", None),
    # a bare "what" is answered in its slot, not by the place the sentence also names
    ("What did the mayor promise to publish within 100 days?", "In her speech at the Corn Exchange, the mayor "
     "promised to publish an audit of the housing backlog within 100 days.", None),
    ("What did the mayor promise to publish within 100 days?", "The mayor promised to publish the Eastmere Housing "
     "Audit within 100 days.", "Eastmere Housing Audit"),
    ("How far above its usual level did the lake rise?", "The lake rose 0.8 meters above its usual spring level.",
     "0.8 meters"),
])
def test_the_span_of_the_kind_and_role_asked_for(finder, question, sentence, expected):
    assert finder(question, sentence) == expected


@pytest.mark.parametrize("question, focus", [
    ("Which Ivy League university acknowledged submitting inaccurate data?", "university"),   # not "league"
    ("Which embattled celebrity was found liable in a fraud case?", "celebrity"),            # past "embattled"
    ("NFL owners approved the sale of which football team?", "team"),
    # the noun after "which" however the tagger read it: a verb, or tied back to a noun before it
    ("Harbor Ferries announced this week the return of which feature?", "feature"),
    ("The town is facing a shortage of which festive crop?", "crop"),
    ("Which 23-time grand slam champion is set to retire?", "champion"),
    # a bare "what" before a date or a place phrase asks for no "what X"
    ("The tax agency announced it will do what this week?", ""),
    ("The ministry is directing $40 million to support what in rural towns?", ""),
])
def test_the_asked_for_noun_of_a_compound_or_after_a_participle(question, focus):
    assert analyse(question, SentenceParser().parse([core_question(question)])[0]).focus == focus


@pytest.mark.parametrize("question, kind", [
    ("What will monthly ferry passes cost from July?", "money"),     # "what ... cost" asks for an amount
    ("What did the club pay for the striker?", "money"),
    ("What will the new ferry route connect?", "thing"),
    # a "when" clause after the asking word does not ask for a date
    ("What altitude did the Aurora-2 probe reach when it arrived at the Moon?", "number"),
    ("When did the probe reach the Moon?", "date"),
    ("What is the most a single household can get from the fund?", "number"),   # an amount
    # "do what" asks for an act, which has no short answer
    ("The tax agency announced it will do what this week?", ""),
    ("What did the harbour council do after the flood?", ""),
    # an amount of a wage, price or fee is money; an amount of rain is not
    ("The new law could raise the minimum wage to which hourly amount?", "money"),
    ("What amount of rain fell on the city on Sunday?", "number"),
])
def test_the_kind_of_answer_asked_for(question, kind):
    assert analyse(question, SentenceParser().parse([core_question(question)])[0]).kind == kind


def test_a_name_the_tagger_cut_short_is_taken_whole():
    from qa.span_text import whole_name
    parse = SentenceParser().parse
    doc = parse(["The owners approved the sale of the Denver Broncos Tuesday from the estate of its late owner."])[0]
    assert [(e.text, whole_name(e).text) for e in doc.ents if e.label_ != "DATE"] == [("Denver", "Denver Broncos")]
    # only up to the phrase's head: not into the role title before a person's name
    doc = parse(["A Chicago professor, Columbia Mathematics Professor Ann Lee, questioned the rankings."])[0]
    assert [whole_name(e).text for e in doc.ents] == ["Chicago", "Columbia Mathematics", "Ann Lee"]


def test_a_bare_place_noun_ties_the_sentence_but_is_not_shown(finder):
    # "in the city" stands where the place stands, but names none: the composer quotes the
    # sentence without a short answer; a named place is shown
    bare = finder("Where was the rally held?", "Officials said the rally was held in the city on Saturday.", whole=True)
    named = finder("Where was the rally held?", "Officials said the rally was held in Boise on Saturday.",
                   whole=True)
    assert (bare.text, bare.bare) == ("city", True)
    assert (named.text, named.bare) == ("Boise", False)


def test_a_name_the_question_holds_is_no_answer():
    """A name the question gives before its asking sentence ("King Charles III became ... Who is
    next in line?") is not its answer, however it scores; a name it does not hold is."""
    from qa.span_text import given
    assert given("Charles", "King Charles III became king after his mother died. Who is next in line?")
    assert given("Better Call Saul", 'The finale of "Better Call Saul" aired. What series is it a spin-off of?')
    assert not given("Charles", "Who is next in line to the throne?")
    assert not given("Wimbledon", "Roger Federer will retire after the Laver Cup. Which Grand Slam has he won most?")
    assert not given("minister", "The minister resigned. Who replaced the minister?")    # no name: left to `_restates`


def test_a_thing_with_a_name_of_its_own_is_asked_by_name():
    parse = SentenceParser().parse
    named = [analyse(q, parse([q])[0]).named for q in ("Which rocket launched the probe?", "Which show won?",
                                                        "Which hospital ran the trial?", "Which product is in short supply?",
                                                        "In which journal was the study published?")]
    assert named == [True, True, True, False, True]


def test_of_which_counts_the_noun_before(finder):
    assert finder("How many properties were declared unsafe?", "Assessors had inspected 289 properties, of which "
                  "47 were declared unsafe to live in.") == "47"
