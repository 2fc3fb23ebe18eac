"""`apply_offline_defaults()`: offline-by-default settings for the libraries the edges load
(Hugging Face, Chroma, Gradio) and one BLAS thread; see `index.offline`. Call it before they
are imported. Re-exported here so the app reaches it through `qa`, never `index`."""

from __future__ import annotations

from index.offline import OFFLINE_DEFAULTS, apply_offline_defaults

__all__ = ["OFFLINE_DEFAULTS", "apply_offline_defaults"]
