"""The embedding model's own WordPiece tokenizer, used to size chunks exactly.

Loaded from the model folder's ``tokenizer.json`` with the `tokenizers` library alone
(no torch), with padding and truncation switched off so counts are the true ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class TokenOffsets(Protocol):
    def offsets(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        """Character spans of each text's tokens, special tokens excluded."""
        ...


class WordPieceTokenizer:
    def __init__(self, tokenizer_json: Path) -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(tokenizer_json))
        self._tok.no_padding()
        self._tok.no_truncation()

    def offsets(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        if not texts:
            return []
        return [enc.offsets for enc in self._tok.encode_batch(texts, add_special_tokens=False)]

    def count(self, text: str) -> int:
        """Tokens of `text` including the model's [CLS] and [SEP]."""
        return len(self.offsets([text])[0]) + 2
