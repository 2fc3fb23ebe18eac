"""Errors raised by the library (defined in `index.errors`, the lower layer).

    QAError
    ├── BadArticle      an input file/record cannot be ingested (names file, line, cause)
    ├── IndexNotFound   no index where one was expected
    ├── ModelMismatch   index built with another embedding model
    ├── StoreError      Chroma or the read model failed, is unreachable or corrupt
    └── CitationError   a quote did not match the stored article lines (a bug)

Bad arguments raise `ValueError`.
"""

from index.errors import BadArticle, CitationError, IndexNotFound, ModelMismatch, QAError, StoreError

__all__ = ["QAError", "BadArticle", "IndexNotFound", "ModelMismatch", "StoreError", "CitationError"]
