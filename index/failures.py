"""How storage failures reach the user: one line naming the index, the cause and the way back.

- `Location`: where an index lives (a folder or a Chroma server), as words and as CLI flags.
- `store_failure(location, err)`: the `StoreError` for a failed read or write (disk full,
  read-only folder, a server that went away, anything else).
- `Guarded`: wraps a Chroma client or collection so that its failures arrive as that
  `StoreError` instead of a library exception (bad arguments still raise `ValueError`).
- `read_only_copy`: a private temporary copy of a read-only index folder, for reading
  (Chroma opens its database read-write even to read it).

Chroma itself is imported only by `index.store`; errors are classified here by type and text.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import StoreError

KEPT = "what was indexed before is kept"
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


@dataclass(frozen=True)
class Location:
    """An index folder, or a Chroma server (whose read model cache still lives in `index_dir`)."""

    index_dir: Path | None = None
    chroma_url: str | None = None

    def __str__(self) -> str:
        """How messages name it.

        >>> str(Location(Path("idx"))), str(Location(chroma_url="http://127.0.0.1:8000"))
        ('the index at idx', 'Chroma server at http://127.0.0.1:8000')
        """
        if self.chroma_url:
            return f"Chroma server at {self.chroma_url}"
        return f"the index at {self.index_dir}" if self.index_dir else "this index"

    @property
    def flags(self) -> str:
        """The `qa` option that names this index (empty when unknown)."""
        if self.chroma_url:
            return f" --chroma-url {self.chroma_url}"
        return f" --index {self.index_dir}" if self.index_dir else ""


def cause(err: BaseException) -> str:
    """``"TypeName: message"`` on one line."""
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def is_disk_full(err: BaseException) -> bool:
    text = str(err).lower()       # sqlite: "database or disk is full"; Chroma's own files: the OS message
    return getattr(err, "errno", None) in FULL_ERRNOS or "disk is full" in text or "no space left" in text


def is_read_only(err: BaseException) -> bool:
    text = str(err).lower()
    return (getattr(err, "errno", None) in READ_ONLY_ERRNOS or "readonly database" in text
            or "read-only file system" in text or "permission denied" in text)


def store_failure(location: Location, err: BaseException) -> StoreError:
    """The one-line error for a failed read or write, with the way back.

    >>> print(store_failure(Location(Path("idx")), OSError(28, "No space left on device")))
    the index at idx: the disk is full (OSError: [Errno 28] No space left on device); free some space and run `qa ingest` again (what was indexed before is kept)
    """
    if location.chroma_url:
        return StoreError(f"{location} failed ({cause(err)}); check that the server is running "
                          f"(`chroma run`), then run the command again ({KEPT})")
    if is_disk_full(err):
        return StoreError(f"{location}: the disk is full ({cause(err)}); free some space and run "
                          f"`qa ingest` again ({KEPT})")
    if is_read_only(err):
        return StoreError(f"{location} is read-only ({cause(err)}); make the folder writable, or ingest "
                          f"into another folder with --index ({KEPT})")
    return StoreError(f"{location} failed ({cause(err)}); if this persists, rebuild it with "
                      f"`qa ingest FOLDER --rebuild{location.flags}`")


class Guarded:
    """A proxy for a Chroma client or collection: its methods' failures become `store_failure`s.

    `ValueError` and `TypeError` pass through (a bad argument is the caller's bug, not the
    store's); attributes that are not methods are returned as they are.
    """

    def __init__(self, target: Any, location: Location) -> None:
        self._target = target
        self._location = location

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return value
        return self._guard(value)

    def _guard(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except (ValueError, TypeError):
                raise
            except Exception as err:  # Chroma raises its own, httpx's and sqlite's errors
                raise store_failure(self._location, err) from err
        return call


def read_only_copy(index_dir: Path) -> Path:
    """Copy the Chroma files of `index_dir` (not the read model or uploads) to a new temporary
    folder; the caller removes it."""
    copy = Path(tempfile.mkdtemp(prefix="qa-readonly-"))

    def chroma_only(folder: str, names: list[str]) -> list[str]:
        if Path(folder) != index_dir:
            return []
        return [n for n in names if n != "chroma.sqlite3" and not _is_uuid(n)]

    try:
        shutil.copytree(index_dir, copy, ignore=chroma_only, dirs_exist_ok=True)
    except BaseException:
        shutil.rmtree(copy, ignore_errors=True)
        raise
    return copy


def _is_uuid(name: str) -> bool:
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True
