"""Query vectors without torch: all-MiniLM-L6-v2's forward pass in numpy.

`MiniLMQueryEncoder` gives the vectors `index.embed.MiniLMEmbedder` (sentence-transformers,
fp32) gives, from the same installed model folder (cosine 0.9999999 on 200 RealTime QA
questions and a 256-token text), but it is ready in about 0.1 s where importing
sentence-transformers and torch takes about 12 s on 2 cores: a cold ``qa ask`` needs neither.
The tokenizer is the model's ``tokenizer.json`` (the `tokenizers` package); the weights are
memory-mapped from ``model.safetensors`` (`index.weights`), nothing copied.

The pipeline is the model's own (``modules.json``): a BERT encoder (6 layers, 12 heads, exact
erf GELU), mean pooling over the attention mask, L2 normalisation. Input is cut to the model's
``max_seq_length`` (256 tokens counting [CLS] and [SEP]) on the right, as sentence-transformers
does. Each text runs alone, unpadded, so a vector never depends on its batch neighbours.

Left out: bulk speed. A question takes a few milliseconds, a 256-token text a few hundred;
ingest keeps `MiniLMEmbedder`, whose batched torch kernels are far faster on many chunks. So is
a GPU, and bf16: `uses_query_encoder` says when a caller asked for those explicitly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.embed import MODEL_DIM, MODEL_NAME, model_max_seq_length, model_path, tokenizer_path
from index.weights import read_tensors


@dataclass(frozen=True)
class TokenStates:
    offsets: list[tuple[int, int]]      # each word piece's characters in the text
    states: np.ndarray                  # pieces x 384, unit rows
    vector: np.ndarray                  # the text's embedding (mean pooled, unit length)


def uses_query_encoder(device: str | None, precision: str) -> bool:
    """Whether a query embedder asked for with these settings can be the numpy encoder: yes,
    unless a GPU or bf16 was named explicitly (a vector in fp32 on the CPU is the reference the
    others approximate: bf16 autocast is cosine 0.99996 to it).

    >>> uses_query_encoder(None, "auto"), uses_query_encoder("cpu", "fp32"), uses_query_encoder("cuda", "auto")
    (True, True, False)
    """
    return (device is None or device == "cpu") and precision != "bf16"


def _erf(x: np.ndarray) -> np.ndarray:
    """erf within 1.5e-7 (Abramowitz & Stegun 7.1.26), about float32's own resolution.

    >>> [round(float(v), 6) for v in _erf(np.array([-1.0, 0.0, 0.5, 2.0], dtype=np.float32))]
    [-0.842701, 0.0, 0.5205, 0.995322]
    """
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's GELU, ``x * Phi(x)`` (config.json ``"hidden_act": "gelu"``: the erf form, not tanh)."""
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * weight + bias


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class MiniLMQueryEncoder:
    """all-MiniLM-L6-v2 in numpy, for questions: the `Embedder` contract (`embed_batch`).

    Loaded on the first `embed_batch` (or `load()`). Safe to share between threads once loaded.
    """

    name = MODEL_NAME
    dim = MODEL_DIM

    def __init__(self) -> None:
        self.max_seq_length = model_max_seq_length()
        self._tokenizer: Any = None
        self._w: dict[str, np.ndarray] = {}
        self._layers = 0
        self._heads = 0
        self._eps = 0.0

    def load(self) -> None:
        if self._tokenizer is not None:
            return
        from tokenizers import Tokenizer

        folder = model_path()
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if (config.get("model_type"), config.get("hidden_act"), config.get("position_embedding_type")) != (
                "bert", "gelu", "absolute"):
            raise ValueError(f"{folder}: not the BERT variant MiniLMQueryEncoder implements")
        self._w = read_tensors(folder / "model.safetensors")
        self._layers = int(config["num_hidden_layers"])
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config["layer_norm_eps"])
        tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        tokenizer.no_padding()        # the file pads to 128 and cuts at 128; sentence-transformers does neither
        tokenizer.enable_truncation(max_length=self.max_seq_length)   # counts [CLS] and [SEP]; cuts the end
        self._tokenizer = tokenizer

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        encodings = self._tokenizer.encode_batch(list(texts))
        vectors = np.stack([self._hidden(np.asarray(enc.ids, dtype=np.int64)).mean(axis=0) for enc in encodings])
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)

    def token_states(self, text: str) -> TokenStates:
        """The text's word pieces as character spans and their last hidden states, unit length
        ([CLS] and [SEP] left out), with the text's vector (`embed_batch`'s, from the same pass).
        What `qa.alignment` compares word by word."""
        self.load()
        enc = self._tokenizer.encode(text)
        hidden = self._hidden(np.asarray(enc.ids, dtype=np.int64))
        vector = hidden.mean(axis=0)
        states = hidden[1:-1]
        states = states / np.maximum(np.linalg.norm(states, axis=1, keepdims=True), 1e-12)
        return TokenStates([tuple(o) for o in enc.offsets[1:-1]], states.astype(np.float32),
                           (vector / np.linalg.norm(vector)).astype(np.float32))

    def _hidden(self, ids: np.ndarray) -> np.ndarray:
        """The last hidden states of one unpadded token sequence (its mask is all ones)."""
        w, eps, heads = self._w, self._eps, self._heads
        n = ids.shape[0]
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        head_dim = x.shape[1] // heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        for i in range(self._layers):
            p = f"encoder.layer.{i}."

            def dense(h: np.ndarray, name: str) -> np.ndarray:
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q, k, v = (dense(x, f"attention.self.{m}").reshape(n, heads, head_dim).transpose(1, 0, 2)
                       for m in ("query", "key", "value"))
            context = (_softmax(q @ k.transpose(0, 2, 1) * scale) @ v).transpose(1, 0, 2).reshape(n, heads * head_dim)
            x = _layer_norm(dense(context, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], eps)
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(dense(inner, "output.dense") + x, w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"], eps)
        return x
