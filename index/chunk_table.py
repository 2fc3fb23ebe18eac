"""The read model's chunk table and how it is laid out on disk (`index.read_model` owns the rest).

The table holds parallel columns, one row per visible chunk. On disk (format 4) it is read
without parsing a large JSON file, so that opening an index for one question stays cheap:

- ``chunks.bin``: the chunk ids, then the chunk texts, as UTF-8 end to end;
- ``table.npz``: integer columns (publication day, lines, characters), the byte offsets of
  each id and text in ``chunks.bin``, and each row's entry in the table's article list;
- the article list (id, source, title, published: what the rows share) goes in the index's
  ``meta.json`` (`article_columns`).

Ids and texts are decoded one at a time when read (`Strings`); a truncated ``chunks.bin`` or
offsets that do not fit it are reported as damage (`ValueError`). Left out: checksums (a file
replaced by bytes of the same length and a valid shape is not detected).

    >>> s = Strings.of(["a", "né", ""])
    >>> list(s), s[1], s[-1], len(s), s[:2]
    (['a', 'né', ''], 'né', '', 3, ['a', 'né'])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import numpy as np

NUMBERS = ("published_day", "start_line", "end_line", "start_char", "end_char")
SHARED = ("article_ids", "sources", "titles", "published")     # per article: stored once per article


class Strings(Sequence[str]):
    """Strings stored end to end in one UTF-8 buffer; each decoded when it is read."""

    def __init__(self, blob: bytes, offsets: Sequence[int]) -> None:
        self._blob = blob
        self._offsets = list(offsets)

    @classmethod
    def of(cls, items: Sequence[str]) -> "Strings":
        encoded = [s.encode("utf-8") for s in items]
        return cls(b"".join(encoded), list(itertools.accumulate(map(len, encoded), initial=0)))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @property
    def blob(self) -> bytes:
        return self._blob

    @property
    def offsets(self) -> list[int]:
        return self._offsets

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"row {i} of {n}")
        i %= n
        return self._blob[self._offsets[i]:self._offsets[i + 1]].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        blob, offsets = self._blob, self._offsets
        return (blob[a:b].decode("utf-8") for a, b in zip(offsets, offsets[1:]))


@dataclass
class ChunkTable:
    ids: Sequence[str]
    article_ids: list[str]
    sources: list[str]
    titles: list[str]
    published: list[str]
    published_day: np.ndarray
    start_line: np.ndarray
    end_line: np.ndarray
    start_char: np.ndarray
    end_char: np.ndarray
    texts: Sequence[str]

    @cached_property
    def position(self) -> dict[str, int]:
        """Chunk id -> row."""
        return {cid: i for i, cid in enumerate(self.ids)}


def save_table(table: ChunkTable, folder: Path) -> dict[str, list[str]]:
    """Write ``chunks.bin`` and ``table.npz`` into `folder`; returns the article columns for meta.json."""
    shared: dict[tuple[str, ...], int] = {}
    rows = [shared.setdefault(key, len(shared)) for key in zip(*(getattr(table, c) for c in SHARED))]
    ids = [s.encode("utf-8") for s in table.ids]
    texts = [s.encode("utf-8") for s in table.texts]
    offsets = np.fromiter(itertools.accumulate(map(len, ids + texts), initial=0), dtype=np.int64,
                          count=len(ids) + len(texts) + 1)
    (folder / "chunks.bin").write_bytes(b"".join(ids + texts))
    np.savez(folder / "table.npz", article_row=np.asarray(rows, dtype=np.int64),
             id_offsets=offsets[:len(ids) + 1], text_offsets=offsets[len(ids):],
             **{name: np.asarray(getattr(table, name), dtype=np.int64) for name in NUMBERS})
    return {name: [key[k] for key in shared] for k, name in enumerate(SHARED)}


def load_table(folder: Path, article_columns: dict[str, Any]) -> ChunkTable:
    """Read what `save_table` wrote; damage raises (`ValueError`, `OSError`, `KeyError`...)."""
    blob = (folder / "chunks.bin").read_bytes()
    with np.load(folder / "table.npz") as npz:
        columns = {name: npz[name] for name in (*NUMBERS, "article_row", "id_offsets", "text_offsets")}
    rows, id_offsets, text_offsets = columns.pop("article_row"), columns.pop("id_offsets"), columns.pop("text_offsets")
    n = len(rows)
    shared = [list(map(str, article_columns[name])) for name in SHARED]
    if (len(id_offsets) != n + 1 or len(text_offsets) != n + 1 or id_offsets[-1] != text_offsets[0]
            or id_offsets[0] != 0 or int(text_offsets[-1]) != len(blob)
            or any(len(c) != n for c in columns.values()) or np.any(np.diff(id_offsets) < 0)
            or np.any(np.diff(text_offsets) < 0) or len({len(c) for c in shared}) > 1
            or (n and not 0 <= int(rows.min()) <= int(rows.max()) < len(shared[0]))):
        raise ValueError("the chunk table's columns do not fit together")
    per_row = rows.tolist()
    expanded = {name: [col[r] for r in per_row] if n else [] for name, col in zip(SHARED, shared)}
    return ChunkTable(ids=Strings(blob, id_offsets.tolist()), texts=Strings(blob, text_offsets.tolist()),
                      **expanded, **columns)
