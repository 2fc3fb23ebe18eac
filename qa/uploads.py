"""Uploaded files, checked before anything is written: names, sizes, text, and staging.

`safe_upload_name` keeps a file's last path part in [A-Za-z0-9._-] and refuses any type the
loaders do not read (`ALLOWED_SUFFIXES` is `index.loaders`' list); `check_upload` refuses
empty and oversized files, binary files posing as text, and a .pdf/.docx that does not start
like one (the loaders then apply their own caps: pages, characters, encrypted, scanned);
`stage_uploads` copies what passes into one folder, never elsewhere, never over another upload.

Left out: ingesting the staged files and keeping the ones that indexed (`qa.library`).
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from index.loaders import SUPPORTED_SUFFIXES

ALLOWED_SUFFIXES: tuple[str, ...] = SUPPORTED_SUFFIXES
_MAGIC = {".pdf": (b"%PDF-", "not a PDF file"), ".docx": (b"PK\x03\x04", "not a Word .docx file")}


def safe_upload_name(name: str) -> str:
    """The name an uploaded file is stored under: its last path part, in [A-Za-z0-9._-].

    >>> safe_upload_name("../../etc/passwd.txt")
    'passwd.txt'
    >>> safe_upload_name("C:\\\\Users\\\\me\\\\Ünïcode report (final).MD")
    'Unicode_report_final.md'
    >>> safe_upload_name(".hidden.json")
    'hidden.json'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = ascii_name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}"
    if not dot or suffix not in ALLOWED_SUFFIXES:
        raise ValueError(f"{name}: not an article file (allowed: {' '.join(ALLOWED_SUFFIXES)})")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:80].strip("._-")
    return f"{stem or 'upload'}{suffix}"


def check_upload(path: Path, max_bytes: int, suffix: str | None = None) -> None:
    """Raise `ValueError` naming the problem unless the file at `path` may be ingested as a
    `suffix` file (default: `path`'s own suffix)."""
    size = path.stat().st_size
    if size == 0:
        raise ValueError("the file is empty")
    if size > max_bytes:
        raise ValueError(f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit")
    kind = (suffix or path.suffix).lower()
    with path.open("rb") as f:
        head = f.read(65536)
    if kind in _MAGIC:
        magic, cause = _MAGIC[kind]
        if magic not in head[:1024]:        # PDF allows a few bytes before its header
            raise ValueError(cause)
    elif b"\x00" in head:
        raise ValueError("not a text file")


def stage_uploads(files: Sequence[tuple[Path, str]], dest: Path, max_bytes: int) -> tuple[list[Path], list[str]]:
    """Copy each (temporary path, name as uploaded) that passes the checks into `dest`.

    Returns the copies and one `name: cause` line per file refused. Uploads whose names
    clean to the same name get `-2`, `-3`... so none overwrites another.
    """
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    staged: list[Path] = []
    refused: list[str] = []
    for path, original in files:
        try:
            name = safe_upload_name(original)
            check_upload(path, max_bytes, os.path.splitext(name)[1])
        except (ValueError, OSError) as err:
            message = str(err)
            refused.append(message if message.startswith(f"{original}:") else f"{original}: {message}")
            continue
        stem, suffix = os.path.splitext(name)
        target, n = root / name, 1
        while target.exists():
            n += 1
            target = root / f"{stem}-{n}{suffix}"
        if target.resolve().parent != root:      # cannot happen with a cleaned name; never write elsewhere
            refused.append(f"{original}: bad file name")
            continue
        shutil.copyfile(path, target)
        staged.append(target)
    return staged, refused
