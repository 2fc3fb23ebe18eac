"""The project's error hierarchy (re-exported by `qa.errors`).

    QAError                 anything this project raises on purpose
    ├── BadArticle          one input file/record could not be read (names file, line, cause)
    ├── IndexNotFound       no index at the given place
    ├── ModelMismatch       the index was built with another embedding model
    ├── StoreError          the vector store (Chroma) or the BM25 file failed or is unreachable
    └── CitationError       a quote did not match the stored article lines (a bug, never shown as an answer)

Bad arguments raise `ValueError`. The CLI and the UI turn these into one-line messages.
"""

from __future__ import annotations


class QAError(Exception):
    """Base class of every error this project raises on purpose."""


class BadArticle(QAError):
    """An input file or record that cannot be ingested.

    `str(err)` is one line: ``path[:line]: cause``.
    """

    def __init__(self, path: str, cause: str, line: int | None = None) -> None:
        self.path = path
        self.cause = cause
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {cause}")


class IndexNotFound(QAError):
    """There is no index at the given place (run `qa ingest` first)."""


class ModelMismatch(QAError):
    """The index was built with a different embedding model or dimension."""


class StoreError(QAError):
    """The vector store or the read model failed, is unreachable or is corrupt."""


class CitationError(QAError):
    """A quote or short answer did not match the stored article lines: a bug, never a user error."""
