"""`Config`: every setting in one frozen dataclass, built at the edges (CLI, app, tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from index.chunking import ChunkSettings
from qa.scoring import ComposerSettings
from qa.retrieval import RetrievalSettings


def default_index_dir() -> Path:
    return Path(os.environ.get("QA_INDEX") or "qa_index")


@dataclass(frozen=True)
class Config:
    index_dir: Path = field(default_factory=default_index_dir)
    chroma_url: str | None = None      # server mode: http://HOST:PORT of a `chroma run` server
    device: str | None = None          # "cpu", "cuda"; None picks CUDA when present
    precision: str = "auto"            # CPU matmuls: "auto" (bf16 where the CPU has it natively), "fp32", "bf16"
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    composer: ComposerSettings = field(default_factory=ComposerSettings)
    llm_url: str | None = None         # optional: an OpenAI-compatible API (…/v1) writes answers (qa.generative)
    llm_model: str = ""                # the model name sent to it; its key only from $QA_LLM_API_KEY
    llm_timeout: float = 60.0          # seconds for the model's whole reply, then the extractive answer
    refresh_s: float = 2.0             # a running app checks the store for others' writes this often (0: every read)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index_dir", Path(self.index_dir))
        if not self.refresh_s >= 0:
            raise ValueError("refresh_s must be 0 or more")

    @property
    def read_model_dir(self) -> Path:
        """Where the read model (BM25, chunk table, vectors) lives: in the index folder; in server mode a local cache per server."""
        if self.chroma_url:
            safe = "".join(ch if ch.isalnum() else "-" for ch in self.chroma_url.split("://", 1)[-1])
            return self.index_dir / f"read_model-{safe.strip('-')}"
        return self.index_dir / "read_model"
