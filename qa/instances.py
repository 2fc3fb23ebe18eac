"""Is the quoted sentence about another instance of the thing asked about?

A question can name which one it means: a year ("the 2022 Cup"), an earlier one ("the previous
election", "its original budget"), a period by its ordinal ("second-quarter revenue"), a day
("on the Saturday"). A sentence about the same kind of thing in another year, the current one,
another quarter or over other days does not answer it, however close its words are. Each check
is a plain test on the words: it asks only that the question's own instance be named where the
sentence, its title or the text before it say which one they report.

    >>> other_year("Who won the 2022 Cup?", "The Blues won the Cup in 2019."), other_year(
    ...     "Who won the 2022 Cup?", "The Hawks won their first Cup since 2001 in June.")
    (True, False)
"""

from __future__ import annotations

import re
from typing import Any

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_IN_YEAR = re.compile(r"\bin (?:19|20)\d\d\b", re.I)
_PRESENT = re.compile(r"\b(?:this (?:week|month|year)|today|recently|currently|right now)\b", re.I)


def other_year(question: str, sentence: str, published: str = "") -> bool:
    """Does the sentence place its event "in" a year, when the question names another one (and the
    sentence does not name it too: "their first Cup since 2001" only dates a record), or, for a
    question about the present ("this week"), a year before its article's (`published`, ISO)?

    >>> other_year("Who won this week?", "Chile elected a leftist in 2021.", "2022-06-20")
    True
    >>> other_year("Who won this week?", "Chile, in 2021, and Peru in 2022.", "2022-06-20")
    False
    """
    years = set(_YEAR.findall(question))
    if not years and published[:4].isdigit() and _PRESENT.search(question):
        return bool(_IN_YEAR.search(sentence)) and all(y < published[:4] for y in _YEAR.findall(sentence))
    return bool(years and _IN_YEAR.search(sentence) and not years & set(_YEAR.findall(sentence)))


# a figure joined to its word: "7.0-magnitude", "magnitude-7.8", "17-year-old", "a 20-for-1 split"
_FIGURED = (re.compile(r"\b(\d[\d,.]*)-([a-z]+)\b", re.I), re.compile(r"\b([a-z]+)[- ](\d[\d,.]*\d|\d)\b", re.I))
_FIGURE_WORDS = re.compile(r"^(?:magnitude|year|month|week|day|hour|minute|mile|foot|meter|metre|story|storey|point|"
                           r"percent|degree|seat|member|vote|game|ton|tonne|pound|acre|inch|carat)s?$", re.I)


def _figures(text: str) -> set[tuple[str, str]]:
    out = set()
    for number, word in [m.groups() for m in _FIGURED[0].finditer(text)] + [
            m.groups()[::-1] for m in _FIGURED[1].finditer(text)]:
        if _FIGURE_WORDS.match(word):
            out.add((number.rstrip(".,"), word.lower().rstrip("s")))
    return out


def other_figure(question: str, sentence: str) -> bool:
    """Does the sentence give another figure of a thing the question gives one of ("a magnitude-7.8
    earthquake" for "the 7.0-magnitude earthquake", "the 15-year-old" for "the 17-year-old"), and
    not the question's?

    >>> other_figure("Which country did a 7.0-magnitude earthquake hit?", "A magnitude-7.8 earthquake hit Ecuador.")
    True
    >>> other_figure("Which country did a 7.0-magnitude earthquake hit?", "The 7.0-magnitude quake hit Luzon.")
    False
    """
    asked = _figures(question)
    if not asked:
        return False
    given = _figures(sentence)
    words = {w for _, w in asked}
    return bool({g for g in given if g[1] in words} - asked) and not any(n in sentence for n, _ in asked)


_LAST_YEAR = re.compile(r"\blast year(?:'s|’s)?\b|\ba year (?:ago|earlier|before)\b|\b(?:the )?previous year\b|"
                        r"\bthe year before\b|\ba year prior\b", re.I)


def other_last_year(question: str, text: str, published: str = "") -> bool:
    """Does the question ask about last year's instance ("How many stalls took part in last
    year's festival?") while the text (the quoted sentence and the text before it) speaks of no
    earlier year: neither "last year" or the like nor the year before the article's (`published`)?

    >>> other_last_year("How many stalls were at last year's festival?", "More than 70 stalls served food.", "2025-09-13")
    True
    >>> other_last_year("How many came last year?", "It beat last year's attendance of 36,000.", "2025-09-13")
    False
    >>> other_last_year("How many came last year?", "In 2024, 36,000 came.", "2025-09-13")
    False
    """
    if not _LAST_YEAR.search(question):
        return False
    prior = str(int(published[:4]) - 1) if published[:4].isdigit() else ""
    return not (_LAST_YEAR.search(text) or prior and prior in text)


_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5"}
_NUMBERED = re.compile(r"\b([A-Z][A-Za-z]+)[- ](\d{1,3}|I{1,3}|IV|V)\b")


def other_numbered(question: str, text: str) -> bool:
    """Does the question name a numbered thing ("the Aurora-1 mission", "Artemis II") that the text
    (the quoted sentence, its title and the text before it) does not name, while it names another
    of the same name ("Aurora-2")?

    >>> other_numbered("What did the Aurora-1 mission cost?", "Aurora-2 enters lunar orbit. The mission cost ...")
    True
    >>> other_numbered("What did Aurora-2 cost?", "Aurora-2 enters lunar orbit."), other_numbered("Who won?", "Aurora-2")
    (False, False)
    >>> other_numbered("When did Artemis I launch?", "The Artemis 1 rocket lifted off.")
    False
    """
    asked = {(m.group(1).lower(), _ROMAN.get(m.group(2), m.group(2))) for m in _NUMBERED.finditer(question)}
    named = {(m.group(1).lower(), _ROMAN.get(m.group(2), m.group(2))) for m in _NUMBERED.finditer(text)}
    return any(a not in named and any(n[0] == a[0] for n in named) for a in asked)


_OTHER_INSTANCE = {"previous", "prior", "original", "preceding"}
_ORDINAL_PERIOD = re.compile(r"\b(first|second|third|fourth|final)[- ](quarter|half|round|stage|leg|term|phase|wave|"
                             r"period|set|game|day|week)s?\b", re.I)


_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)


def other_day(question: str, words: set[str]) -> bool:
    """Does the question ask about one weekday ("on the Saturday") that the quoted sentence, its
    title and the text before it (`words`, lower-cased) do not name, while they name another?

    >>> other_day("How many people came on the Saturday?", {"visitors", "over", "two", "days", "said", "sunday"})
    True
    >>> other_day("How many came on Saturday?", {"on", "saturday", "sunday"}), other_day("How many came?", {"sunday"})
    (False, False)
    """
    asked = {d.lower() for d in _WEEKDAY.findall(question)}
    given = {w[:-3] for w in words if _WEEKDAY.fullmatch(w)}
    return bool(asked and given and not asked & given)


def other_ordinal(question: str, sentence: str) -> bool:
    """Does the sentence give another ordinal of the period the question names ("third-quarter net
    profit" for "second-quarter revenue"), and not the question's own?

    >>> other_ordinal("What was the second-quarter revenue?", "Third-quarter profit was $412 million.")
    True
    >>> other_ordinal("What was the third-quarter profit?", "Third-quarter profit was $412 million.")
    False
    >>> other_ordinal("What was the second-quarter revenue?", "Profit was $412 million.")
    False
    """
    asked = {(o.lower(), p.lower()) for o, p in _ORDINAL_PERIOD.findall(question)}
    given = {(o.lower(), p.lower()) for o, p in _ORDINAL_PERIOD.findall(sentence)}
    return bool(asked and not asked & given and {p for _, p in asked} & {p for _, p in given})


def other_instance(question_doc: Any, words: set[str]) -> str:
    """The word by which the question asks about another instance of a thing than the one an
    article reports ("the previous election", "its original budget"), when `words` (the lower-cased
    words of the quoted sentence, its title and the text before it) lack it; else ""."""
    for tok in question_doc:
        if tok.lower_ in _OTHER_INSTANCE and tok.dep_ == "amod" and tok.lower_ not in words:
            return tok.lower_
    return ""


# words that rank: a sentence naming the most, the first or the record of something
_RANKING = {"most", "least", "top", "record", "lead", "leads", "led", "leading", "leader", "first", "last", "best",
            "worst", "favorite", "favourite", "highest", "lowest", "largest", "biggest", "smallest"}
# superlatives that ask no rank: a prize ("the award for best drama series"), the latest report
_NO_RANK = {"best", "worst", "latest", "newest", "earliest", "oldest", "last", "first"}


def unranked(question_doc: Any, sentence_doc: Any, context: set[str] | frozenset[str] = frozenset()) -> bool:
    """Does the question ask for the one that ranks first ("Which retailer sold the most
    heaters?", "the biggest increase") while the sentence ranks nothing (no superlative, no
    "record", "top" or "leads"), nor does the text just before it or the title (`context`, their
    lower-cased words or stems)? Such a sentence names one of them, not the one asked for.

    >>> from qa.nlp import SentenceParser
    >>> p = SentenceParser()
    >>> q, r, s = p.parse(["Which retailer sold the most heaters?", "The heaters were sold at hardware stores.",
    ...                    "Harbor Hardware sold the most heaters."])
    >>> unranked(q, r), unranked(q, s)
    (True, False)
    """
    asks = any(t.tag_ in ("JJS", "RBS") and t.lower_ not in _NO_RANK for t in question_doc)
    return asks and not _RANKING & context and not any(t.tag_ in ("JJS", "RBS") or t.lower_ in _RANKING
                                                       for t in sentence_doc)
