"""`Config`: every setting in one frozen dataclass, built at the edges (CLI, app, tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from index.chunking import ChunkSettings


def default_index_dir() -> Path:
    return Path(os.environ.get("QA_INDEX") or "qa_index")


@dataclass(frozen=True)
class Config:
    index_dir: Path = field(default_factory=default_index_dir)
    chroma_url: str | None = None      # server mode: http://HOST:PORT of a `chroma run` server
    device: str | None = None          # "cpu", "cuda"; None picks CUDA when present
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
