"""Offline-by-default settings for the libraries we load (Hugging Face, Chroma, Gradio), plus
one thread setting for numpy's BLAS.

`apply_offline_defaults()` must run before those libraries are imported; the CLI, the
app and the embedder call it. A value the user already set in the environment wins.
"""

from __future__ import annotations

import os

OFFLINE_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_DATASETS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # Our numpy work is small matrix-vector products right after the model's own threads ran;
    # a multi-threaded OpenBLAS fights them for the cores (ask p50 66 ms -> 36 ms on 2 cores).
    # It only takes effect when set before numpy is imported, as the CLI and app do.
    "OPENBLAS_NUM_THREADS": "1",
}


def apply_offline_defaults() -> None:
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
