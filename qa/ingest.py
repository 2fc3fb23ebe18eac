"""Open the parts of an index (store, model, tokenizer) and run an incremental ingest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index import read_model
from index.embed import MODEL_DIM, MODEL_NAME, Embedder, MiniLMEmbedder, tokenizer_path
from index.failures import Guarded, Location, store_failure
from index.store import ChromaStore, drop_index, open_client
from index.sync import Ingester, IngestReport
from index.tokens import WordPieceTokenizer
from qa.config import Config


def open_store(config: Config, create: bool = False) -> ChromaStore:
    client = open_client(config.index_dir, config.chroma_url, create=create)
    return ChromaStore(client, MODEL_NAME, MODEL_DIM, create=create, location=_location(config))


def document_embedder(config: Config) -> Embedder:
    """The sentence-transformers embedder `config` names (device, precision): articles and questions."""
    return MiniLMEmbedder(device=config.device, precision=config.precision)


def _location(config: Config) -> Location:
    return Location(config.index_dir, config.chroma_url)


def ingest_folder(config: Config, root: Path, prune: bool = False, rebuild: bool = False,
                  embedder: Embedder | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  on_total: Callable[[int], None] | None = None) -> IngestReport:
    """Ingest `root` (a folder or one file) into the index named by `config`.

    A write that fails part way (disk full, read-only folder, server gone) raises `StoreError`
    naming the index, the cause and the way back; what was indexed before stays visible (see
    `index.store`) and the next run finishes the work.

    Progress: `on_total(articles)` once, before any embedding (each record of a JSON/JSONL file
    is an article), then `progress(articles, chunks)` increments until the articles add up to it.
    """
    if not root.exists():
        raise FileNotFoundError(f"{root}: no such file or folder")
    if rebuild:
        drop_index(Guarded(open_client(config.index_dir, config.chroma_url, create=True), _location(config)))
    store = open_store(config, create=True)
    ingester = Ingester(store, embedder or document_embedder(config),
                        WordPieceTokenizer(tokenizer_path()), config.chunking)
    try:
        report = ingester.run(root, prune=prune, progress=progress, on_total=on_total)
        read_model.open_or_build(store, config.read_model_dir, strict=True)   # BM25 follows the store's new content
    except OSError as err:
        if err.filename is not None and config.index_dir.resolve() not in Path(err.filename).resolve().parents:
            raise            # not ours to explain: e.g. an input folder that cannot be listed
        raise store_failure(Location(config.index_dir), err) from err   # a local write: the folder, even in server mode
    return report
