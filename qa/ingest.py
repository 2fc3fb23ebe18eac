"""Open the parts of an index (store, model, tokenizer) and run an incremental ingest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index import keyword
from index.embed import MODEL_DIM, MODEL_NAME, Embedder, MiniLMEmbedder, tokenizer_path
from index.store import ChromaStore, drop_index, open_client
from index.sync import Ingester, IngestReport
from index.tokens import WordPieceTokenizer
from qa.config import Config


def open_store(config: Config, create: bool = False) -> ChromaStore:
    client = open_client(config.index_dir, config.chroma_url, create=create)
    return ChromaStore(client, MODEL_NAME, MODEL_DIM, create=create)


def ingest_folder(config: Config, root: Path, prune: bool = False, rebuild: bool = False,
                  embedder: Embedder | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  on_total: Callable[[int], None] | None = None) -> IngestReport:
    """Ingest `root` (a folder or one file) into the index named by `config`."""
    if not root.exists():
        raise FileNotFoundError(f"{root}: no such file or folder")
    if rebuild:
        drop_index(open_client(config.index_dir, config.chroma_url, create=True))
    store = open_store(config, create=True)
    ingester = Ingester(store, embedder or MiniLMEmbedder(device=config.device),
                        WordPieceTokenizer(tokenizer_path()), config.chunking)
    report = ingester.run(root, prune=prune, progress=progress, on_total=on_total)
    keyword.open_or_build(store, config.keyword_dir)      # BM25 follows the store's new content
    return report
