"""Evaluation of `qa`, one purpose per sub-package (they depend on `qa`; nothing in `qa`/`index`
imports them, except the CLI's `qa eval`, lazily):

- `eval.gold`: answers scored against gold files (runner, metrics, summaries, report, data sets,
  threshold calibration); the gold files themselves live beside the code in ``eval/gold/``;
- `eval.bench`: performance figures (ingest throughput, latency at scale, ANN recall);
  ``python -m eval.bench`` runs them all;
- `eval.reliability`: harnesses that break things on purpose (ingest killed mid-write, many
  chat sessions at once) and check what is left;
- `eval.stock_pipeline`: the LlamaIndex stock pipeline, the yardstick both the gold ablations and
  the ingest benchmark compare against (so it sits here, beside both).
"""
