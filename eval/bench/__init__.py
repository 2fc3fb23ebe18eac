"""Benchmarks: ingest throughput (`ingest`), warm ask/search latency and memory at index sizes
(`scale`), ANN recall of Chroma HNSW settings (`ann`). ``python -m eval.bench`` runs all three,
each in a fresh process. Correctness is `eval.gold`'s job, not theirs."""
