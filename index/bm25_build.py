"""Build the BM25 index (`index.bm25_scores`) from each chunk's analysed terms, streaming:
terms become integer ids as they arrive, so a million chunks cost their token ids (4 bytes a
token), not Python lists of strings.

The scores are bm25s 0.3's Lucene variant, computed the same way to the last bit (IDF by
`math.log`, the term-frequency part in float64 with the average document length as bm25s
takes it, stored as float32); tests/test_read_model_format.py checks rows and scores against
bm25s itself.

    >>> b = BM25Builder()
    >>> for terms in (["rain", "rain", "town"], ["town"], []):
    ...     b.add(terms)
    >>> index = b.build()
    >>> index.doc_freq("town"), index.top(["rain"], 1)[0].tolist()
    (2, [0])
"""

from __future__ import annotations

import math
from array import array

import numpy as np

from index.bm25_scores import B, K1, BM25Scores


class BM25Builder:
    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self._ids = array("i")
        self._lengths = array("q")

    def add(self, terms: list[str]) -> None:
        """The next document's terms, in order (repeats count)."""
        vocab = self.vocab
        self._ids.extend([vocab.setdefault(t, len(vocab)) for t in terms])
        self._lengths.append(len(terms))

    def build(self, order: np.ndarray | None = None) -> BM25Scores:
        """The index; `order[row]` is the document (in `add` order) that becomes `row` (default: as added)."""
        lengths = np.frombuffer(self._lengths, dtype=np.int64) if self._lengths else np.zeros(0, dtype=np.int64)
        n, terms_n = len(lengths), len(self.vocab)
        token_ids = np.frombuffer(self._ids, dtype=np.int32) if self._ids else np.zeros(0, dtype=np.int32)
        docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
        if order is not None:
            row_of = np.empty(n, dtype=np.int64)
            row_of[np.asarray(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
            docs = row_of[docs]
            lengths = lengths[order]
        pairs, tf = np.unique(token_ids.astype(np.int64) * max(n, 1) + docs, return_counts=True)   # term-major
        del docs
        term, doc = np.divmod(pairs, max(n, 1))
        df = np.bincount(term, minlength=terms_n)
        indptr = np.zeros(terms_n + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        idf = np.asarray([math.log(1 + (n - d + 0.5) / (d + 0.5)) for d in df.tolist()], dtype=np.float32)
        avg = lengths.mean() if n else np.float64(0.0)
        tf64 = tf.astype(np.float32).astype(np.float64)
        norm = K1 * ((1 - B) + B * lengths[doc].astype(np.float64) / avg) + tf64
        data = (idf[term].astype(np.float64) * (tf64 / norm)).astype(np.float32)
        return BM25Scores(data, doc.astype(np.int32), indptr, dict(self.vocab), n)
