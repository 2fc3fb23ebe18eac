"""Evaluation and benchmark scripts (depend on `qa`; nothing in `qa`/`index` imports them)."""
