"""The encoder's passes by text: cached, computed once, and started ahead on the second core.

An answer needs two kinds of model work that do not depend on each other: spaCy parses the
question and the best sentences, and MiniLM runs over the question (its retrieval vector and
word states) and over the quoted sentence (the alignment check and the question-sentence
cosine). Both spend their time in BLAS kernels that release the GIL, so on a 2-core machine the
encoder's pass can run on a background thread while this one parses: `prefetch(text)` starts
it, and a later call for the same text waits for that pass instead of running its own (or,
when the pass has not started, being queued behind others' under load, takes it back and runs
it on its own thread).

The values are the same either way (the same function on the same text); only the order of
work changes. One background thread per cache: it is created on the first `prefetch`.

    >>> calls = []
    >>> cache = StatesCache(lambda text: calls.append(text) or text.upper())
    >>> cache.prefetch("a question"); cache("a question"), cache("a question"), calls
    ('A QUESTION', 'A QUESTION', ['a question'])
    >>> cache.close()
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

from qa.lru import LruCache

V = TypeVar("V")


class StatesCache(Generic[V]):
    def __init__(self, compute: Callable[[str], V], size: int = 64) -> None:
        self._compute = compute
        self._done: LruCache[str, V] = LruCache(size)
        self._pending: dict[str, Future[V]] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def __call__(self, text: str) -> V:
        value = self._done.get(text)
        if value is not None:
            return value
        with self._lock:
            pending = self._pending.get(text)
            if pending is not None and pending.cancel():    # still queued behind other texts: run it here
                del self._pending[text]
                pending = None
        if pending is not None:
            return pending.result()
        return self._run(text)

    def prefetch(self, text: str) -> None:
        """Start the pass over `text` on the background thread, unless it is done or under way."""
        if self._done.get(text) is not None:
            return
        with self._lock:
            if text in self._pending:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="qa-encoder")
            self._pending[text] = self._pool.submit(self._run, text, True)

    def _run(self, text: str, pending: bool = False) -> V:
        try:
            value = self._compute(text)
            self._done.put(text, value)
            return value
        finally:
            if pending:
                with self._lock:
                    self._pending.pop(text, None)

    def clear(self) -> None:
        self._done.clear()

    def close(self) -> None:
        """Stop the background thread (after the pass under way, if any)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
