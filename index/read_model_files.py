"""Files of a saved read model (`index.read_model`) that are not the chunk table or BM25:
the folder swap and its lock, the article texts and the revision note.

- A read model is written to ``FOLDER.new`` and swapped in by rename (the previous one goes to
  ``FOLDER.old`` for the moment of the swap), so a reader sees the old one or the new one.
- Article texts: ``articles.bin`` (UTF-8 end to end) and ``article_offsets.npy``; read
  memory-mapped, a text decoded when asked for.
- ``revision``: "TOKEN FINGERPRINT", the store revision the model was found to match, noted
  beside the fingerprint it was noted for (so a note that lands in a folder swapped in
  meanwhile does not vouch for it).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> save_texts(folder, ["één", "", "two"]); list(load_texts(folder, 3))
    ['één', '', 'two']
    >>> note_revision(folder, "tok", "fp"); noted_revision(folder, "fp"), noted_revision(folder, "other")
    ('tok', None)
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np

from index.chunk_table import Strings, mapped


def replace_folder(folder: Path, fill: Callable[[Path], None]) -> None:
    """Write a new `folder` through `fill(fresh_folder)`, then swap it in by rename."""
    fresh = folder.with_name(folder.name + ".new")
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    fill(fresh)
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def rebuild_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``FOLDER.lock`` (across processes) while `folder` is rebuilt, so
    that processes opening one index at once build it once. Where the lock file cannot be
    created (a read-only index), or there is no `fcntl`, nothing is locked."""
    try:
        import fcntl
        handle = folder.with_name(folder.name + ".lock").open("a")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def save_texts(folder: Path, texts: Sequence[str]) -> None:
    packed = Strings.of(list(texts))
    (folder / "articles.bin").write_bytes(packed.blob)
    np.save(folder / "article_offsets.npy", np.asarray(packed.offsets, dtype=np.int64))


def load_texts(folder: Path, n: int) -> Strings:
    """The `n` article texts; `ValueError` when the files do not fit together."""
    blob = mapped(folder / "articles.bin")
    offsets = np.load(folder / "article_offsets.npy", mmap_mode="r")
    if len(offsets) != n + 1 or (n and (offsets[0] != 0 or int(offsets[-1]) != len(blob)
                                        or np.any(np.diff(offsets) < 0))):
        raise ValueError("the article texts do not fit the article list")
    return Strings(blob, offsets)


def note_revision(folder: Path, revision: str, fingerprint: str) -> None:
    """Best effort: a read-only folder just means the next open checks the manifest again."""
    tmp = folder / "revision.new"
    with suppress(OSError):
        tmp.write_text(f"{revision} {fingerprint}", encoding="utf-8")
        tmp.replace(folder / "revision")
    with suppress(OSError):
        tmp.unlink(missing_ok=True)


def noted_revision(folder: Path, fingerprint: str | None = None) -> str | None:
    """The store revision noted in `folder` (for this fingerprint, when one is given), if any."""
    try:
        revision, _, noted_for = (folder / "revision").read_text(encoding="utf-8").strip().partition(" ")
    except OSError:
        return None
    return revision if revision and (fingerprint is None or noted_for == fingerprint) else None


def remove_legacy(folder: Path) -> None:
    """Remove the folder an older version kept the same data in (``keyword``, ``keyword-HOST``)
    beside `folder` (``read_model``, ``read_model-HOST``): derived data, rebuilt as `folder`."""
    if not folder.name.startswith("read_model"):
        return
    legacy = folder.with_name("keyword" + folder.name[len("read_model"):])
    if (legacy / "meta.json").is_file():
        shutil.rmtree(legacy, ignore_errors=True)
