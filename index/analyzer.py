"""The keyword analyser the read model and the answer composer share: lower-case word tokens,
English stop and question words removed, Snowball stems (PyStemmer). Leaves out BM25 itself
(`index.read_model`, `index.bm25_scores`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Question and function words on top of bm25s's English list: they carry no topic.
EXTRA_STOPWORDS = frozenset("""
    how what when where which who whom whose why was were is are am be been being did do does done doing
    has have had having would could should can will may might must shall its it's their theirs there
    these those this that than then also so such very just much many after before over under about
    into onto out up down off again further once here all any both each few more most other some own
    same too only nor not no yes our ours your yours his her hers him she he they them we us you me my
    recently according said says say latest
""".split())


class Analyzer:
    """Lower-case word tokens, English stop and question words removed, Snowball-stemmed."""

    def __init__(self, stopwords: Iterable[str] | None = None) -> None:
        """`stopwords`: the whole list (a saved index's); default bm25s's English list + ours."""
        import Stemmer

        if stopwords is None:
            from bm25s.stopwords import STOPWORDS_EN
            stopwords = set(STOPWORDS_EN) | EXTRA_STOPWORDS
        self._stem = Stemmer.Stemmer("english").stemWords
        self.stopwords = frozenset(stopwords)
        self._stop = self.stopwords
        self._word = re.compile(r"(?u)\b\w\w+\b")

    def is_stopword(self, word: str) -> bool:
        return re.sub(r"\W", "", word.lower()) in self._stop

    def words(self, text: str) -> list[str]:
        """Lower-case content words (stop words removed), unstemmed."""
        return [w for w in self._word.findall(text.lower()) if w not in self._stop]

    def terms(self, text: str) -> list[str]:
        return self._stem(self.words(text))

    def pairs(self, text: str) -> list[tuple[str, str]]:
        """(stem, word) for each content word."""
        words = self.words(text)
        return list(zip(self._stem(words), words))
