"""The question's key words: the content words of its asking sentence, each weighted by IDF.

Light verbs ("be", "say", "take") and the asked-for noun itself are left out: they say what is
asked, not what the answer sentence must be about. Nouns, adjectives and numbers are the
naming words (`KeyWords.names`) that `cover` and the alignment check (`qa.alignment`) count;
verbs weigh in the search for a span's closeness only, as articles paraphrase them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qa.question import QuestionAnalysis

_LIGHT = {"be", "is", "are", "was", "were", "been", "being", "have", "has", "had", "do", "does", "did", "make", "makes",
          "made", "get", "gets", "got", "take", "takes", "took", "go", "goes", "went", "come", "came", "give", "gave",
          "say", "said", "says", "tell", "told", "become", "became", "happen", "happened", "called", "call", "name",
          "named", "recently", "currently", "week", "year", "today", "far", "according"}


@dataclass(frozen=True)
class KeyWords:
    """The asking sentence's content words (stem -> weight, and a word of each for word vectors)."""

    weights: dict[str, float]
    surface: dict[str, str]
    names: frozenset[str]       # the stems that name things (nouns, adjectives, numbers): what `cover` counts
    heads: frozenset[str] = frozenset()   # the common nouns that head a phrase ("board" of "the transit board")


def content(tok: Any) -> bool:
    """Is the token a content word (a number, or a noun, verb or adjective that is no stop word)?"""
    return tok.like_num or tok.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and not tok.is_stop


def key_words(analysis: QuestionAnalysis, doc: Any, idf: Callable[[str], float], stem: Callable[[str], str]) -> KeyWords:
    """Content words of the parsed asking sentence, less the asked-for noun and light verbs;
    `stem` maps a word to its keyword-analyser stem ("" for none)."""
    weights: dict[str, float] = {}
    surface: dict[str, str] = {}
    names: set[str] = set()
    heads: set[str] = set()
    focus = stem(analysis.focus) if analysis.focus else ""
    for tok in doc:
        if not content(tok) or tok.lower_ in _LIGHT or tok.pos_ == "AUX":
            continue
        st = stem(tok.lower_)
        if st and st != focus:
            weights[st] = idf(st)
            surface.setdefault(st, tok.lower_)
            if tok.pos_ != "VERB":
                names.add(st)
            if tok.pos_ == "NOUN" and tok.dep_ not in ("compound", "amod", "nmod", "poss"):
                heads.add(st)
    return KeyWords(weights, surface, frozenset(names), frozenset(heads))
