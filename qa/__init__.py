"""Offline question answering over articles, with line-level citations.

Public API: see `__all__`. Everything else is private.
"""

from qa.config import Config
from qa.errors import BadArticle, IndexNotFound, ModelMismatch, QAError, StoreError
from qa.ingest import ingest_folder

__all__ = ["Config", "ingest_folder", "QAError", "BadArticle", "IndexNotFound", "ModelMismatch", "StoreError"]
