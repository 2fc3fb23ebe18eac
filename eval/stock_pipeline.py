"""The LlamaIndex stock pipeline: the baseline our ablations and benchmarks compare against.

What a LlamaIndex user gets from the tutorial, with the same model as ours:
``VectorStoreIndex.from_documents`` + ``ChromaVectorStore`` (a persistent Chroma in its own
folder) + ``SentenceSplitter`` (defaults: 1024 tiktoken tokens, overlap 200; the tiktoken and
NLTK files ship inside llama-index-core, so nothing is downloaded) + ``HuggingFaceEmbedding``
on the installed all-MiniLM-L6-v2 (its default batch of 10). One `Document` per article with
``source`` and ``title`` as metadata (LlamaIndex embeds metadata with the text by default).
LlamaIndex's global ``Settings`` are never touched: the embedding model and the splitter are
passed explicitly, and no LLM is involved (retrieval only).

Not part of the product: only `eval` uses this module (`eval.gold.datasets` for the stock row of
the gold reports, `eval.bench.ingest` for ingest throughput). It imports `chromadb` and
`llama_index` directly because they are what it measures; the product reaches Chroma only
through `index.store` and LlamaIndex only through `qa.llamaindex`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from index.articles import Article

COLLECTION = "stock_llamaindex"


@dataclass(frozen=True)
class StockSettings:
    chunk_size: int = 1024         # SentenceSplitter default (tiktoken tokens)
    chunk_overlap: int = 200       # SentenceSplitter default
    embed_batch_size: int = 10     # HuggingFaceEmbedding default
    title_chars: int | None = None  # cut titles to this many characters (SentenceSplitter refuses
                                    # chunks smaller than their metadata: some pages have huge titles)
    embed_source: bool = True       # False: the source (URL) is kept as metadata but not embedded


def embed_model(device: str | None = None, batch_size: int = 10) -> Any:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from index.embed import model_path

    return HuggingFaceEmbedding(model_name=str(model_path()), device=device or "cpu", embed_batch_size=batch_size)


def documents(articles: Sequence[Article], title_chars: int | None = None, embed_source: bool = True) -> list[Any]:
    from llama_index.core import Document

    hidden = [] if embed_source else ["source"]
    return [Document(text=a.text, doc_id=a.article_id, metadata={"source": a.source, "title": a.title[:title_chars]},
                     excluded_embed_metadata_keys=hidden, excluded_llm_metadata_keys=hidden) for a in articles]


def _vector_store(folder: Path, fresh: bool) -> Any:
    import chromadb
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chromadb.PersistentClient(path=str(folder), settings=chromadb.Settings(anonymized_telemetry=False))
    if fresh and COLLECTION in {c.name for c in client.list_collections()}:
        client.delete_collection(COLLECTION)
    return ChromaVectorStore(chroma_collection=client.get_or_create_collection(COLLECTION, embedding_function=None))


def build(articles: Sequence[Article], folder: Path, settings: StockSettings = StockSettings(),
          device: str | None = None) -> dict[str, Any]:
    """Index `articles` into `folder` the stock way; returns timing and counts (also saved as stock.json)."""
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    folder.mkdir(parents=True, exist_ok=True)
    model = embed_model(device, settings.embed_batch_size)
    model.get_text_embedding("warm up the model")
    storage = StorageContext.from_defaults(vector_store=_vector_store(folder, fresh=True))
    splitter = SentenceSplitter(chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap)
    started = time.perf_counter()
    VectorStoreIndex.from_documents(documents(articles, settings.title_chars, settings.embed_source), storage_context=storage, embed_model=model,
                                    transformations=[splitter], show_progress=False)
    seconds = time.perf_counter() - started
    info = {"articles": len(articles), "chunks": storage.vector_store._collection.count(), "seconds": seconds,
            "settings": asdict(settings)}
    (folder / "stock.json").write_text(json.dumps(info), encoding="utf-8")
    return info


def built(folder: Path, settings: StockSettings, articles: int) -> bool:
    try:
        info = json.loads((folder / "stock.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    try:
        saved = StockSettings(**info.get("settings", {}))      # fields added later take their defaults
    except TypeError:
        return False
    return saved == settings and info.get("articles") == articles


class StockRetriever:
    """``sources(query, k)``: the distinct sources of the stock retriever's top-`k` nodes, best first."""

    def __init__(self, folder: Path, device: str | None = None) -> None:
        from llama_index.core import VectorStoreIndex

        self._model = embed_model(device)
        index = VectorStoreIndex.from_vector_store(_vector_store(folder, fresh=False), embed_model=self._model)
        self._index = index

    def sources(self, query: str, k: int = 10) -> list[str]:
        nodes = self._index.as_retriever(similarity_top_k=k).retrieve(query)
        out: list[str] = []
        for n in nodes:
            source = n.node.metadata.get("source", "")
            if source not in out:
                out.append(source)
        return out


def embedded_tokens(folder: Path, tokenizer: Any, max_tokens: int, embed_source: bool = True) -> int:
    """MiniLM tokens the stock pipeline embedded: each node's text with its metadata header
    (LlamaIndex's default embed format), cut at the model's limit as the model cuts it."""
    import chromadb

    client = chromadb.PersistentClient(path=str(folder), settings=chromadb.Settings(anonymized_telemetry=False))
    got = client.get_collection(COLLECTION, embedding_function=None).get(include=["documents", "metadatas"])
    texts = [(f"source: {meta.get('source', '')}\n" if embed_source else "") + f"title: {meta.get('title', '')}\n\n{doc}"
             for doc, meta in zip(got["documents"], got["metadatas"])]
    return sum(min(max_tokens, len(spans) + 2) for spans in tokenizer.offsets(texts))
