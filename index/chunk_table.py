"""The read model's chunk table and how it is laid out on disk (`index.read_model` owns the rest).

The table holds parallel columns, one row per visible chunk. On disk (format 4) it is read
without parsing a large JSON file, so that opening an index for one question stays cheap:

- ``chunks.bin``: the chunk ids, then the chunk texts, as UTF-8 end to end;
- ``table/*.npy``: integer columns (publication day, lines, characters), the byte offsets of
  each id and text in ``chunks.bin``, each row's entry in the table's article list, and the
  chunk ids' 64-bit hashes, sorted, with their rows (to find a chunk id's row);
- the article list (id, source, title, published: what the rows share) goes in the index's
  ``meta.json`` (`article_columns`).

Everything per row is memory-mapped and read when asked for, so a process's own memory does
not grow with the corpus (the pages are the OS's file cache, shared between processes):
ids and texts are decoded one at a time (`Strings`), the shared columns are the article
list indexed by the row's entry (`Column`), and a chunk id's row is a binary search over the
hashes (`ChunkTable.row_of`), not a dict of every id. A truncated ``chunks.bin`` or offsets
that do not fit it are reported as damage (`ValueError`). Left out: checksums (a file replaced
by bytes of the same length and a valid shape is not detected).

    >>> s = Strings.of(["a", "né", ""])
    >>> list(s), s[1], s[-1], len(s), s[:2]
    (['a', 'né', ''], 'né', '', 3, ['a', 'né'])
"""

from __future__ import annotations

import hashlib
import itertools
import mmap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import numpy as np

NUMBERS = ("published_day", "start_line", "end_line", "start_char", "end_char")
SHARED = ("article_ids", "sources", "titles", "published")     # per article: stored once per article


class _Rows(Sequence[str]):
    """Row access shared by `Strings` and `Column`: an int (negative counts from the end) or a
    slice; a subclass gives `__len__` and `_at(row)` for 0 <= row < len."""

    def __len__(self) -> int:
        raise NotImplementedError

    def _at(self, i: int) -> str:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"row {i} of {n}")
        return self._at(i % n)


class Strings(_Rows):
    """Strings stored end to end in one UTF-8 buffer (bytes or a memory map); each decoded when read."""

    def __init__(self, blob: Any, offsets: Sequence[int] | np.ndarray) -> None:
        self._blob = blob
        self._offsets = np.asarray(offsets, dtype=np.int64)

    @classmethod
    def of(cls, items: Sequence[str]) -> "Strings":
        encoded = [s.encode("utf-8") for s in items]
        return cls(b"".join(encoded), list(itertools.accumulate(map(len, encoded), initial=0)))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @property
    def blob(self) -> Any:
        return self._blob

    @property
    def offsets(self) -> np.ndarray:
        return self._offsets

    def _at(self, i: int) -> str:
        return bytes(self._blob[int(self._offsets[i]):int(self._offsets[i + 1])]).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        blob, offsets = self._blob, self._offsets.tolist()
        return (bytes(blob[a:b]).decode("utf-8") for a, b in zip(offsets, offsets[1:]))


class Column(_Rows):
    """A per-row column whose values repeat (each article's source...): `values[rows[i]]`.

    >>> c = Column(["a.txt", "b.txt"], np.array([1, 1, 0])); list(c), c[0], c[-1], c[1:], len(c), c.distinct()
    (['b.txt', 'b.txt', 'a.txt'], 'b.txt', 'a.txt', ['b.txt', 'a.txt'], 3, ['a.txt', 'b.txt'])
    """

    def __init__(self, values: list[str], rows: np.ndarray) -> None:
        self.values = values
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def _at(self, i: int) -> str:
        return self.values[int(self.rows[i])]

    def __iter__(self) -> Iterator[str]:
        values = self.values
        return (values[r] for r in self.rows.tolist())

    def distinct(self) -> list[str]:
        """The values some row has, sorted."""
        used = np.unique(self.rows) if len(self.rows) else np.zeros(0, dtype=np.int64)
        return sorted({self.values[r] for r in used.tolist()})


@dataclass
class ChunkTable:
    ids: Sequence[str]
    article_ids: Sequence[str]
    sources: Sequence[str]
    titles: Sequence[str]
    published: Sequence[str]
    published_day: np.ndarray
    start_line: np.ndarray
    end_line: np.ndarray
    start_char: np.ndarray
    end_char: np.ndarray
    texts: Sequence[str]
    id_lookup: tuple[np.ndarray, np.ndarray] | None = None    # (sorted id hashes, their rows)

    def row_of(self, chunk_id: str) -> int | None:
        """The row of `chunk_id` (None: not in the table)."""
        if self.id_lookup is None:
            self.id_lookup = id_lookup(self.ids)
        hashes, rows = self.id_lookup
        h = _hash(chunk_id)
        # the key as the array's own type: a Python int above 2**63 made numpy convert all of
        # `hashes` to float64 on every call (0.8 ms a lookup at 1M rows, 100 ms a 240-hit search)
        i = int(np.searchsorted(hashes, np.uint64(h)))
        while i < len(hashes) and int(hashes[i]) == h:
            row = int(rows[i])
            if self.ids[row] == chunk_id:
                return row
            i += 1
        return None


def _hash(chunk_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(chunk_id.encode("utf-8"), digest_size=8).digest(), "little")


def id_lookup(ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(the ids' 64-bit hashes sorted, the row of each)."""
    hashes = np.fromiter((_hash(cid) for cid in ids), dtype=np.uint64, count=len(ids))
    order = np.argsort(hashes, kind="stable")
    return hashes[order], order.astype(np.int64)


def _shared(table: ChunkTable) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Each row's entry in the article list, and the list: (article id, source, title, published)."""
    columns = [getattr(table, c) for c in SHARED]
    if all(isinstance(c, Column) for c in columns) and all(c.rows is columns[0].rows for c in columns):
        return np.asarray(columns[0].rows, dtype=np.int64), list(zip(*(c.values for c in columns)))
    shared: dict[tuple[str, ...], int] = {}
    rows = [shared.setdefault(key, len(shared)) for key in zip(*columns)]
    return np.asarray(rows, dtype=np.int64), list(shared)


def save_table(table: ChunkTable, folder: Path) -> dict[str, list[str]]:
    """Write ``chunks.bin`` and ``table/`` into `folder`; returns the article columns for meta.json."""
    rows, shared = _shared(table)
    lengths = []
    with (folder / "chunks.bin").open("wb") as out:
        for s in itertools.chain(table.ids, table.texts):
            data = s.encode("utf-8")
            out.write(data)
            lengths.append(len(data))
    n = len(table.ids)
    offsets = np.fromiter(itertools.accumulate(lengths, initial=0), dtype=np.int64, count=len(lengths) + 1)
    hashes, hash_rows = table.id_lookup or id_lookup(table.ids)
    columns = {"article_row": rows, "id_offsets": offsets[:n + 1], "text_offsets": offsets[n:],
               "id_hashes": hashes, "id_hash_rows": hash_rows,
               **{name: np.asarray(getattr(table, name), dtype=np.int64) for name in NUMBERS}}
    (folder / "table").mkdir()
    for name, column in columns.items():
        np.save(folder / "table" / f"{name}.npy", column)
    return {name: [key[k] for key in shared] for k, name in enumerate(SHARED)}


def mapped(path: Path) -> Any:
    """The file's bytes, memory-mapped read-only (b"" when it is empty)."""
    with path.open("rb") as f:
        if path.stat().st_size == 0:
            return b""
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def load_table(folder: Path, article_columns: dict[str, Any]) -> ChunkTable:
    """Read what `save_table` wrote, memory-mapped; damage raises (`ValueError`, `OSError`, `KeyError`...)."""
    blob = mapped(folder / "chunks.bin")
    names = (*NUMBERS, "article_row", "id_offsets", "text_offsets", "id_hashes", "id_hash_rows")
    columns = {name: np.load(folder / "table" / f"{name}.npy", mmap_mode="r") for name in names}
    rows, id_offsets, text_offsets = columns.pop("article_row"), columns.pop("id_offsets"), columns.pop("text_offsets")
    lookup = (columns.pop("id_hashes"), columns.pop("id_hash_rows"))
    n = len(rows)
    shared = [list(map(str, article_columns[name])) for name in SHARED]
    if (len(id_offsets) != n + 1 or len(text_offsets) != n + 1 or id_offsets[-1] != text_offsets[0]
            or id_offsets[0] != 0 or int(text_offsets[-1]) != len(blob)
            or any(len(c) != n for c in (*columns.values(), *lookup)) or np.any(np.diff(id_offsets) < 0)
            or np.any(np.diff(text_offsets) < 0) or len({len(c) for c in shared}) > 1
            or (n and not 0 <= int(rows.min()) <= int(rows.max()) < len(shared[0]))):
        raise ValueError("the chunk table's columns do not fit together")
    return ChunkTable(ids=Strings(blob, id_offsets), texts=Strings(blob, text_offsets), id_lookup=lookup,
                      **{name: Column(values, rows) for name, values in zip(SHARED, shared)}, **columns)
