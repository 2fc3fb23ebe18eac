"""Reading a choice the way a reader would: a number however it is written, a place by its adjective.

Multiple-choice options are written one way ("6", "$12.6 million", "China") and articles
another ("six", "$12,600,000", "Chinese"). `amount` reads a number, an amount of money or a
percentage into a value and a kind; `same_amount` says whether two such readings name the same
quantity (within a rounding margin: "405 million euros" is the "$400 million" of a choice list);
`adjective_of` says whether a word is the adjective of a place name ("Chinese" of "China",
"European" of "Europe").

    >>> amount("six"), amount("$12,600,000"), amount("$12.6 million"), amount("60%")
    ((6.0, ''), (12600000.0, 'money'), (12600000.0, 'money'), (60.0, 'percent'))
    >>> same_amount(amount("405 million euro"), amount("$400 million")), same_amount(amount("10"), amount("$13"))
    (True, False)
    >>> adjective_of("chinese", "china"), adjective_of("european", "europe"), adjective_of("euros", "europe")
    (True, True, False)
"""

from __future__ import annotations

import re

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
          "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12}
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
           "trillion": 1e12, "tn": 1e12}
_MONEY = re.compile(r"[$€£¥]|\b(?:dollars?|euros?|pounds?|yen|yuan|rupees?|cents?)\b", re.I)
_PERCENT = re.compile(r"%|\bper ?cent\b|\bpercentage points?\b", re.I)
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|trillion|bn|mn|tn|[kmb])?\b", re.I)
_WORD = re.compile(r"\b(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")(?:[- ](one|two|three|four|five|six|"
                   r"seven|eight|nine))?\b\s*(thousand|million|billion|trillion)?", re.I)
_ROUNDING = 1.15          # "405 million" against "$400 million": one choice list never sits this close


def amount(text: str) -> tuple[float, str] | None:
    """(value, kind) of the first number written in `text`, kind "money", "percent" or ""."""
    kind = "money" if _MONEY.search(text) else "percent" if _PERCENT.search(text) else ""
    m = _NUMBER.search(text)
    if m:
        value = float(m.group(1).replace(",", ""))
        scale = (m.group(2) or "").lower()
        return value * _SCALES.get(scale, 1.0), kind
    m = _WORD.search(text)
    if m:
        value = float(_UNITS[m.group(1).lower()] + (_UNITS[m.group(2).lower()] if m.group(2) else 0))
        return value * _SCALES.get((m.group(3) or "").lower(), 1.0), kind
    return None


def same_amount(a: tuple[float, str] | None, b: tuple[float, str] | None) -> bool:
    """Do two readings name the same quantity (same kind where both have one, values within rounding)?"""
    if a is None or b is None or a[0] <= 0 or b[0] <= 0:
        return False
    if a[1] and b[1] and a[1] != b[1]:
        return False
    return max(a[0], b[0]) / min(a[0], b[0]) <= _ROUNDING


_ADJECTIVE_ENDINGS = ("ese", "ian", "an", "n", "ish", "i")


def adjective_of(word: str, place: str) -> bool:
    """Is the lower-cased `word` the adjective of the one-word `place` (its stem plus an ending)?"""
    if len(place) < 4 or word == place:
        return False
    for stem in {place, place[:-1]} if place[-1] in "aeiouy" else {place}:
        rest = word[len(stem):] if word.startswith(stem) else None
        if rest in _ADJECTIVE_ENDINGS:
            return True
    return False
