"""Is a candidate span of the sort the question asks for? Checks of `qa.spans` on the span alone.

- A date that names a date ("late-night" tagged DATE does not answer "when"), a year for "what
  year", not a length of time ("every 20 minutes") nor the day the news was reported;
- for "how long", a length with its unit ("three years", not "four times faster");
- a figure that holds a number, is no ratio, score or margin, and counts the thing asked for
  ("how many minutes": not "three hours"; "how many people": not "two new hubs");
- for a name, place or thing, not what something is compared with ("larger than Florida");
- for "where", a place where something is, not a verb's subject, nor a code ("N7");
  an amount of the money asked for, not another ("net profit" for revenue): `qa.span_measures`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from qa.lexical import GENERIC_COUNTS, PERSON_COUNTS, person_like
from qa.question import _PERSON_NOUNS, _PLACE_NOUNS, QuestionAnalysis
from qa.span_roles import (MARGIN_QUESTION, MULTIPLIER_QUESTION, TIME_UNIT, asks_report, compared, counts_things,
                           has_length_unit, holds_number, in_score, is_duration, is_margin, multiplier, reported_date)
from qa.span_measures import code_name, not_located, other_money
from qa.span_text import NUMBER_LABELS, ROLES, counted_nouns

COUNTED_KINDS = ("count", "number", "money", "measure")   # not "percent": see qa.acts
_NAMED_KINDS = ("person", "who", "org", "place", "thing")
ROLE_NOUNS = frozenset(ROLES | _PERSON_NOUNS)
# A date span must name a date: "late-night" or "19th-century" tagged DATE does not answer "when".
_DATE_WORD = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\b(?:mon|tues|wednes|thurs|"
                        r"fri|satur|sun)day\b|\b(?:today|yesterday|tomorrow|tonight|next|last|this|ago|earlier|later|"
                        r"spring|summer|autumn|fall|winter|weekend)\b", re.I)
_BY_FOCUS = {"year": re.compile(r"\b\d{4}\b|\byear\b"), "month": re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bmonth\b", re.I),
    "day": re.compile(r"\d|day\b", re.I)}
_GENERIC = GENERIC_COUNTS | {"ones", "units"}
# "how many X": the number's noun must be X or a near-synonym ("houses" 0.56, "ballots" 0.55 in the
# static vectors), not another thing of X's sort ("waxwings" for "sparrows" 0.46)
_COUNTED_SIMILARITY = 0.5
_IN_UNIT = re.compile(r"\bin (watts|kilowatts|megawatts|volts|meters|metres|feet|miles|kilometers|kilometres|kilograms|"
                      r"pounds|tons|tonnes|degrees|liters|litres|gallons|barrels|acres|hectares)\b", re.I)
_WHERE = re.compile(r"\bwhere\b", re.I)
_HOW_LONG = re.compile(r"\bhow long\b", re.I)
_HOW_FAST = re.compile(r"\bhow fast\b|\b(?:at )?what speed\b", re.I)
# a speed's unit, in the span or just after it ("17,000 mph", "100 kilometers per hour", "a rate of 5 percent")
_SPEED = re.compile(r"\b(?:mph|km/h|kph|knots?|mach)\b|\bper[- ](?:hour|minute|second|day|year)\b|\ban hour\b|"
                    r"\ba second\b|%|\bpercent\b", re.I)


def of_sort(analysis: QuestionAnalysis, span: Any, label: str, act: Any, stem: Callable[[str], str],
            same: Callable[[str, str, float], bool]) -> bool:
    """Is the span of the sort asked for (see the module docstring)? `act`: the question's verb;
    `stem`, `same(word, other, similarity)`: the finder's stem and near-synonym tests."""
    if label in ("DATE", "TIME") and analysis.kind == "date":
        if is_duration(span) or reported_date(span) and not asks_report(analysis.core, act):
            return False                                # "every 20 minutes", "said on Wednesday": not the "when"
        pattern = _BY_FOCUS.get(analysis.focus, _DATE_WORD)
        return bool(pattern.search(span.text))
    if analysis.kind == "measure" and _HOW_FAST.search(analysis.core):
        after = span.doc[span.end:span.end + 6].text
        return bool(_SPEED.search(f"{span.text} {after}"))   # "100 km per hour", not "a 41-day journey"
    if label in ("DATE", "TIME") and analysis.kind == "measure":
        return any(t.like_num for t in span)            # "how long": "41 days", not "Wednesday"
    if analysis.kind == "measure" and _HOW_LONG.search(analysis.core):
        return has_length_unit(span)                    # "three years", not "four times faster"
    if label in NUMBER_LABELS and analysis.kind in COUNTED_KINDS + ("percent",) and not holds_number(span):
        return False                                    # "a little more than" (tagged CARDINAL) is no count
    if analysis.kind in _NAMED_KINDS and compared(span):
        return False                                    # "larger than the state of Florida" is not where it is
    if analysis.kind == "place" and (code_name(span) or analysis.focus not in _PLACE_NOUNS
                                     and _WHERE.search(analysis.core) and not_located(span)):
        return False                                    # "the N7", "Harbor City acted": not where it is
    if analysis.kind in ("money", "number") and label == "MONEY" and other_money(analysis.core, span):
        return False                                    # "net profit of $412 million" is no revenue
    if analysis.kind in COUNTED_KINDS and multiplier(span) and not MULTIPLIER_QUESTION.search(analysis.core):
        return False                                    # "four times faster" is no size of the study
    if analysis.kind == "number" and label == "CARDINAL" and counts_things(span, analysis.core):
        return False                                    # "how much was each fine?" is no "14 fines"
    if (analysis.kind == "count" and span.end < len(span.doc) and span.doc[span.end].text == "-"
            and not span[-1].whitespace_):
        return False                                    # "two-term councillor" counts no people
    if len(span) == 1 and in_score(span):
        return False                                    # "a 1-1 draw", "won 4-3": a score, no quantity
    if analysis.kind in ("count", "number", "measure") and is_margin(span) and not MARGIN_QUESTION.search(analysis.core):
        return False                                    # "won by 1,874 votes" is no total
    unit = _IN_UNIT.search(analysis.core)
    if unit and analysis.kind in COUNTED_KINDS and label in NUMBER_LABELS:
        # "in watts": the figure comes with that unit ("1,500 watts"), not "210,000" heaters
        return unit.group(1)[:4] in f"{span.text} {span.doc[span.end:span.end + 2].text}".lower()
    if analysis.kind == "count" and analysis.focus == "times":       # "how many times": "three times", not "two members"
        return any(t.lower_ in ("times", "time") for t in (*span, *span.doc[span.end:span.end + 1]))
    if analysis.kind == "count" and analysis.focus in PERSON_COUNTS:
        nouns = counted_nouns(span, tallies=True)       # "how many people": not "two new hubs"
        return not nouns or any(person_like(t.lower_) or t.lower_ in ROLE_NOUNS for t in nouns)
    if analysis.kind == "count" and TIME_UNIT.fullmatch(analysis.focus):
        unit = stem(analysis.focus)                # "how many minutes": not "three hours", nor the year "2023"
        return any(stem(t.lower_) == unit for t in counted_nouns(span)) or not counted_nouns(span) and (
            span.root.ent_type_ not in ("DATE", "TIME"))
    if analysis.kind == "count" and analysis.focus and analysis.focus not in _GENERIC:
        return any(same(analysis.focus, t.lower_, _COUNTED_SIMILARITY) for t in counted_nouns(span))
    return True
