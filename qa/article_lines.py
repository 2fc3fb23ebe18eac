"""An article's stored lines, for the span of one question: cached, and fetched together.

Citations are checked against the lines an article has in the store. With a local index whose
read model is current they come from the read model's snapshot; with a `chroma run` server
they come from the server, a round trip each. `ArticleLines.load` fetches the ones a question
will read (its best three articles) in one call, so an `ask` against a server waits on one round
trip for them, not three.

    >>> reads = []
    >>> texts = {"a": "one\\ntwo", "b": "three"}
    >>> lines = ArticleLines(LruCache(8), texts.get, lambda ids: reads.append(ids) or {i: texts[i] for i in ids})
    >>> lines.load(["a", "b"]); lines("a"), lines("b"), reads
    (('one', 'two'), ('three',), [['a', 'b']])
    >>> lines("c")
    Traceback (most recent call last):
    ...
    KeyError: 'c'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qa.lru import LruCache


class ArticleLines:
    def __init__(self, cache: LruCache[str, tuple[str, ...]], read: Callable[[str], str | None],
                 read_many: Callable[[list[str]], dict[str, str]] | None = None) -> None:
        self._cache, self._read, self._read_many = cache, read, read_many

    def __call__(self, article_id: str) -> tuple[str, ...]:
        """The article's lines (`KeyError` when the store no longer has it)."""
        lines = self._cache.get(article_id)
        if lines is None:
            text = self._read(article_id)
            if text is None:
                raise KeyError(article_id)
            lines = tuple(text.split("\n"))
            self._cache.put(article_id, lines)
        return lines

    def load(self, article_ids: Sequence[str]) -> None:
        """Fetch those of `article_ids` not cached yet in one call (when the source can; a missing
        article is left to `__call__`, which raises)."""
        missing = list(dict.fromkeys(a for a in article_ids if self._cache.get(a) is None))
        if self._read_many is None or len(missing) < 2:
            return
        for article_id, text in self._read_many(missing).items():
            self._cache.put(article_id, tuple(text.split("\n")))
