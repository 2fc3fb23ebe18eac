"""The store's revision token mirrored in a file beside a local index (``INDEX/revision``).

`index.store` sets a new token in Chroma on every write (dirty while it writes, clean after)
and mirrors it here, so that a reader can tell "nothing changed since the read model was
built" without importing or opening Chroma (about a second of a cold `qa ask`). The file is
written dirty before Chroma's token and clean after it, and replaced atomically, so a clean
token in the file is never newer than the store's content. Missing or unreadable: unknown
(the reader asks Chroma). Server mode (`--chroma-url`) has no such file.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> read_token(folder) is None
    True
    >>> write_token(folder, "abc"); read_token(folder)
    'abc'
"""

from __future__ import annotations

import os
from pathlib import Path

NAME = "revision"


def read_token(index_dir: Path) -> str | None:
    try:
        token = (index_dir / NAME).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return token or None


def write_token(index_dir: Path, token: str) -> None:
    """Replace the mirrored token (atomic rename); `OSError` when the folder cannot be written."""
    tmp = index_dir / f"{NAME}.{os.getpid()}.tmp"
    try:
        tmp.write_text(token, encoding="utf-8")
        tmp.replace(index_dir / NAME)
    finally:
        tmp.unlink(missing_ok=True)


def adopt(index_dir: Path, token: str) -> bool:
    """Start the mirror of an index written before it was kept: create the file with `token`
    (a clean token a reader saw before and after reading the store) only if there is none, so
    a writer's token, which always replaces the file, is never overwritten. Best effort."""
    try:
        fd = os.open(index_dir / NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token)
    return True
