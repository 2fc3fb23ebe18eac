"""Ingest throughput: our pipeline, raw `SentenceTransformer.encode`, the LlamaIndex stock pipeline.

    python -m eval.bench.ingest [--articles 300] [--data ../shared/eval-data/realtimeqa_2022_dev] [--no-stock]

Takes the first N articles (by URL) of the RealTime QA dev corpus, ingests them end to end
(load JSONL, chunk, embed, write to Chroma, build BM25) into a fresh temporary index; times
the bare `encode` call of the same model on exactly the same chunk texts (fp32, as a plain call
runs; and, where the pipeline embeds in bf16, the same call under its autocast); then indexes the
same articles with the LlamaIndex stock pipeline (`eval.stock_pipeline`: from_documents +
ChromaVectorStore + SentenceSplitter + HuggingFaceEmbedding, same model) at our chunk size
(192 tokens, overlap 48; its tokens are tiktoken's; titles cut to 120 characters and the URL not
embedded, or its splitter refuses 192-token chunks for pages with huge URLs or titles); then re-ingests the unchanged corpus.
Prints seconds, chunks/s, tokens/s (tokens the model embedded; for the stock pipeline the
MiniLM tokens of its chunks' embedded text, cut at 256 like the model does) and the ratios.
The corpus copy lives in a temporary folder and is deleted afterwards (the data is third-party).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from index.offline import apply_offline_defaults


def main(argv: list[str] | None = None) -> None:
    apply_offline_defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "eval-data" / "realtimeqa_2022_dev")
    parser.add_argument("--device", default=None)
    parser.add_argument("--precision", default="auto", choices=("auto", "fp32", "bf16"))
    parser.add_argument("--no-stock", action="store_true", help="skip the LlamaIndex stock pipeline")
    args = parser.parse_args(argv)

    from eval.gold.realtimeqa import corpus_records
    from index.chunking import chunk_article
    from index.embed import MiniLMEmbedder, tokenizer_path
    from index.loaders import record_to_article
    from index.tokens import WordPieceTokenizer
    from qa.config import Config
    from qa.ingest import ingest_folder

    records = [r for r in corpus_records(args.data) if len(r["text"]) > 200][: args.articles]
    embedder = MiniLMEmbedder(device=args.device, precision=args.precision)
    embedder.embed_batch(["warm up the model"] * 8)
    tokenizer = WordPieceTokenizer(tokenizer_path())
    config_chunking = Config().chunking
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        (corpus / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        config = Config(index_dir=Path(tmp) / "index", device=args.device)

        started = time.perf_counter()
        report = ingest_folder(config, corpus, embedder=embedder)
        ours = time.perf_counter() - started

        texts = [c.embed_text for r in records for c in chunk_article(record_to_article(r, "x"), tokenizer, config_chunking)]
        model = embedder.load()
        started = time.perf_counter()
        plain = model.encode(texts, batch_size=embedder._batch_size, normalize_embeddings=True, convert_to_numpy=True,
                             show_progress_bar=False)
        raw = time.perf_counter() - started
        raw_same = None
        if embedder.precision == "bf16":    # the same encode call under the pipeline's autocast
            started = time.perf_counter()
            mixed = embedder.embed_batch(texts)
            raw_same = time.perf_counter() - started
            cosine = (mixed * plain).sum(axis=1)

        started = time.perf_counter()
        again = ingest_folder(config, corpus, embedder=embedder)
        reingest = time.perf_counter() - started

        stock = None
        if not args.no_stock:
            from eval import stock_pipeline

            articles = [record_to_article(r, "x") for r in records]
            settings = stock_pipeline.StockSettings(chunk_size=config_chunking.chunk_tokens,
                                                    chunk_overlap=config_chunking.overlap_tokens, title_chars=120,
                                                    embed_source=False)
            stock = stock_pipeline.build(articles, Path(tmp) / "stock", settings, device=args.device)
            stock["tokens"] = stock_pipeline.embedded_tokens(Path(tmp) / "stock", tokenizer, embedder.max_seq_length,
                                                             embed_source=False)

    assert len(texts) == report.chunks, (len(texts), report.chunks)
    tokens = report.tokens
    print(f"device: {embedder.device}; precision: {embedder.precision}; articles: {len(records)}; "
          f"chunks: {report.chunks}; tokens: {tokens}")
    print(f"{'':<36}{'seconds':>10}{'chunks/s':>12}{'tokens/s':>12}")
    print(f"{'our ingest (end to end)':<36}{ours:>10.1f}{report.chunks / ours:>12.1f}{tokens / ours:>12.0f}")
    print(f"{'raw encode, same chunks (fp32)':<36}{raw:>10.1f}{report.chunks / raw:>12.1f}{tokens / raw:>12.0f}")
    if raw_same is not None:
        print(f"{'raw encode, same chunks (bf16)':<36}{raw_same:>10.1f}{report.chunks / raw_same:>12.1f}"
              f"{tokens / raw_same:>12.0f}   (cosine to fp32: mean {cosine.mean():.6f}, min {cosine.min():.6f})")
    if stock:
        print(f"{'LlamaIndex stock pipeline':<28}{stock['seconds']:>10.1f}{stock['chunks'] / stock['seconds']:>12.1f}"
              f"{stock['tokens'] / stock['seconds']:>12.0f}   ({stock['chunks']} chunks, {stock['tokens']} tokens)")
    print(f"ratio ours / raw encode (fp32): {raw / ours:.2f}")
    if raw_same is not None:
        print(f"ratio ours / raw encode (bf16, the pipeline's own precision): {raw_same / ours:.2f}")
    if stock:
        print(f"ratio ours / stock pipeline (same articles, time): {stock['seconds'] / ours:.2f}")
    print(f"re-ingest unchanged: {reingest:.2f} s ({100 * reingest / ours:.1f} % of first ingest), "
          f"{again.chunks} chunks embedded")


if __name__ == "__main__":
    main()
