"""The deterministic check of a generated answer, sentence by sentence (no second model call).

1. The answer is split into sentences; markers ``[n]``, ``[n, m]``, ``[n][m]`` after a sentence
   (before or after its full stop) belong to it. A marker that names no evidence item is removed.
2. A sentence is *supported* only if it cites at least one evidence item, and in the stored
   lines of the items it cites
   - every number, date, amount and proper name of the sentence occurs (numbers compared as
     digits, "eleven" = 11, "1,200" = 1200; names case-insensitively, a possessive 's dropped), and
   - at least `MIN_OVERLAP` of its distinct content words occur (Snowball stems, stop words
     left out; 0.5, calibrated on the samples: `python -m eval.gold.support_rule`).
   A sentence whose supported words and facts are all the question's own ("The latest count of
   homes evacuated is [2].": the marker took the answer's place) says nothing and is not supported;
   nor is one whose cited lines hold none of the question's content words (an article's "answer
   every question with 42", quoted back for a question about bolts).
3. A supported sentence cites, of each evidence item it named, the lines from the first to the
   last that hold one of its words; an item holding none of them is not cited.

Left out: prompting (`prompt`), the fallback and the `Answer` (`compose`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.generative.prompt import Evidence

MIN_OVERLAP = 0.5

STOP = frozenset("""
a an the and or but if then than so as of to in on at by for with from into onto over under about after before
between during through without within against among per via up down out off is are was were be been being am has
have had having do does did done doing will would shall should can could may might must it its it's this that
these those there here which who whom whose what when where why how he she they them his her hers their theirs
him we us our you your i me my not no nor also just only very more most less least much many some any all each
both either neither other another such same own too again once while because although though whether yet still
even ever said says say according reported told one ones new like well
""".split())

_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split()) if w != "_"}
_NUMBER_WORDS.update({w: str(10 * n) for n, w in enumerate("_ _ _ thirty forty fifty sixty seventy eighty ninety".split())
                      if w != "_"})
_MARKERS = re.compile(r"\s*\[(?:evidence\s*)?(\d+(?:\s*[,;]\s*(?:evidence\s*)?\d+)*)\]", re.IGNORECASE)
_BOUNDARY = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\[\"'“‘(]?[A-Z0-9])|\n+")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr.", "Sr.", "No.", "Inc.", "Co.", "Corp.", "vs.")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,]*(?:\.\d+)?")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the model's answer: its text without markers and the evidence numbers it named."""

    text: str
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Check:
    """The verdict on one sentence; `spans` are (evidence number, first line, last line) to cite."""

    sentence: Sentence
    supported: bool
    reason: str = ""
    spans: tuple[tuple[int, int, int], ...] = ()
    dropped: tuple[int, ...] = field(default=())       # markers that named no evidence


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with the markers that follow them (before or after the full stop).

    >>> [(s.text, s.numbers) for s in split_sentences("It reopened on Sunday [1]. Crews replaced 214 bolts. [2][3]")]
    [('It reopened on Sunday.', (1,)), ('Crews replaced 214 bolts.', (2, 3))]
    """
    pieces = [p for p in _BOUNDARY.split(text) if p and p.strip()]
    merged: list[str] = []
    for piece in pieces:        # "Mr. Smith": a boundary after an abbreviation is none
        if merged and merged[-1].rstrip().endswith(_ABBREVIATIONS):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    out: list[Sentence] = []
    for piece in merged:
        lead = re.match(r"^(?:\s*\[[^\]]*\])+", piece)
        if lead and out and _MARKERS.fullmatch(lead.group(0)):      # "... bolts. [1] Next": [1] is the last one's
            prev = out.pop()
            out.append(Sentence(prev.text, prev.numbers + _numbers_in(lead.group(0))))
            piece = piece[lead.end():]
        numbers = _numbers_in(piece)
        body = " ".join(_BULLET.sub("", _MARKERS.sub("", piece)).split())
        body = re.sub(r"\s+([.!?,;:])", r"\1", body)
        if body.strip(" .!?,;:"):
            out.append(Sentence(body, numbers))
        elif out and numbers:
            out[-1] = Sentence(out[-1].text, out[-1].numbers + numbers)
    return out


def _numbers_in(text: str) -> tuple[int, ...]:
    found: list[int] = []
    for m in _MARKERS.finditer(text):
        for n in re.findall(r"\d+", m.group(1)):
            if int(n) not in found:
                found.append(int(n))
    return tuple(found)


def _tokens(text: str) -> list[str]:
    return [t.rstrip("'’").removesuffix("'s").removesuffix("’s") for t in _WORD.findall(text)]


def facts(text: str) -> set[str]:
    """Numbers (as digits) and proper names (lower-cased) that the text states.

    >>> sorted(facts("The Tallow Street bridge cost $1,200 over eleven weeks."))
    ['11', '1200', 'street', 'tallow']
    """
    words = _tokens(text)
    out: set[str] = set()
    for i, w in enumerate(words):
        if w[0].isdigit():
            out.add(w.replace(",", "").rstrip("."))
        elif w.lower() in _NUMBER_WORDS:
            out.add(_NUMBER_WORDS[w.lower()])
        elif w[0].isupper() and (w.lower() not in STOP or w == "May" and i > 0):
            follows_name = i + 1 < len(words) and words[i + 1][:1].isupper()
            if i > 0 or follows_name or w.isupper() and len(w) > 1:
                out.add(w.lower())
    return out


def _known(text: str) -> set[str]:
    """Everything a fact may match in the cited lines: numbers as digits, every word lower-cased."""
    out: set[str] = set()
    for w in _tokens(text):
        low = w.lower()
        out.add(w.replace(",", "").rstrip(".") if w[0].isdigit() else low)
        out.update(part for part in low.split("-") if part)
        if low in _NUMBER_WORDS:
            out.add(_NUMBER_WORDS[low])
    return out


def content_stems(text: str) -> set[str]:
    """Distinct Snowball stems of the content words.

    >>> sorted(content_stems("Engineers replaced the rusted bolts"))
    ['bolt', 'engin', 'replac', 'rust']
    """
    import Stemmer

    words = [w.lower() for w in _tokens(text) if not w[0].isdigit()]
    words = [w for w in words if len(w) > 2 and w not in STOP and w not in _NUMBER_WORDS]
    return set(Stemmer.Stemmer("english").stemWords(words))


def check_sentence(sentence: Sentence, evidence: dict[int, Evidence], question: str = "") -> Check:
    """Is the sentence supported by the evidence items it names? (The rule is in the module docstring.)"""
    cited = [n for n in sentence.numbers if n in evidence]
    dropped = tuple(n for n in sentence.numbers if n not in evidence)
    if not cited:
        why = "it cites no evidence" if not dropped else f"it cites evidence that does not exist ({_list(dropped)})"
        return Check(sentence, False, why, dropped=dropped)
    lines = [line for n in cited for line in evidence[n].lines]
    known = _known("\n".join(lines))
    missing = sorted(facts(sentence.text) - known)
    if missing:
        return Check(sentence, False, f"{_list(missing)} not in the cited lines", dropped=dropped)
    words = content_stems(sentence.text)
    found = words & content_stems("\n".join(lines))
    if not words or len(found) < MIN_OVERLAP * len(words):
        return Check(sentence, False, f"too few of its words are in the cited lines ({len(found)} of {len(words)})",
                     dropped=dropped)
    wanted = found | (facts(sentence.text) & known)
    asked = content_stems(question)
    if asked and not asked & content_stems("\n".join(lines)):
        return Check(sentence, False, "the cited lines have none of the question's words", dropped=dropped)
    if question and not wanted - asked - _known(question):
        return Check(sentence, False, "it only repeats the question", dropped=dropped)
    spans = []
    for n in cited:
        e = evidence[n]
        hits = [i for i, line in enumerate(e.lines) if (content_stems(line) | _known(line)) & wanted]
        if hits:
            spans.append((n, e.start_line + hits[0], e.start_line + hits[-1]))
    return Check(sentence, True, "", tuple(spans), dropped)


def _list(items: tuple[int, ...] | list[str]) -> str:
    return ", ".join(f"[{i}]" if isinstance(i, int) else repr(i) for i in items)


def check_answer(text: str, evidence: list[Evidence], question: str = "") -> list[Check]:
    by_number = {e.number: e for e in evidence}
    return [check_sentence(s, by_number, question) for s in split_sentences(text)]
