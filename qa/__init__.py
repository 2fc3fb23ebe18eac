"""Offline question answering over articles, with line-level citations.

Public API: see `__all__`. Everything else is private.
"""

from qa.assistant import Assistant, open_assistant
from qa.config import Config
from qa.errors import BadArticle, IndexNotFound, ModelMismatch, QAError, StoreError
from qa.ingest import ingest_folder
from qa.types import Answer, Citation, Passage, Retriever

__all__ = [
    "Config", "open_assistant", "Assistant", "ingest_folder",
    "Passage", "Citation", "Answer", "Retriever",
    "QAError", "BadArticle", "IndexNotFound", "ModelMismatch", "StoreError",
]
