"""Offline question answering over articles, with line-level citations.

Public API: see `__all__`. Everything else is private. Names are imported on first use, so
``import qa`` (and the `qa` command starting up) loads nothing heavy, and the command can set
its environment defaults before numpy, torch or Chroma are imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Config": "qa.config", "open_assistant": "qa.assistant", "Assistant": "qa.assistant",
    "ingest_folder": "qa.ingest", "Passage": "qa.types", "Citation": "qa.types", "Answer": "qa.types",
    "Retriever": "qa.types", "QAError": "qa.errors", "BadArticle": "qa.errors", "IndexNotFound": "qa.errors",
    "ModelMismatch": "qa.errors", "StoreError": "qa.errors",
}

__all__ = list(_EXPORTS)

if TYPE_CHECKING:
    from qa.assistant import Assistant, open_assistant
    from qa.config import Config
    from qa.errors import BadArticle, IndexNotFound, ModelMismatch, QAError, StoreError
    from qa.ingest import ingest_folder
    from qa.types import Answer, Citation, Passage, Retriever


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
