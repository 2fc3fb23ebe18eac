"""LlamaIndex adapter: our `Retriever` as a `llama_index.core` `BaseRetriever`.

Only this module imports `llama_index`. It never touches LlamaIndex's global `Settings`
(whose defaults reach for OpenAI); callers building a query engine pass `llm=` themselves.
Each node carries the citation metadata: source, start_line, end_line, title, published.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from qa.types import Passage, Retriever


def passage_node(passage: Passage) -> NodeWithScore:
    node = TextNode(
        id_=f"{passage.source}:{passage.start_line}-{passage.end_line}",
        text=passage.text,
        metadata={"source": passage.source, "start_line": passage.start_line, "end_line": passage.end_line,
                  "title": passage.title, "published": passage.published, "citation": passage.citation},
        excluded_embed_metadata_keys=["start_line", "end_line", "citation"],
        excluded_llm_metadata_keys=["start_line", "end_line"],
    )
    return NodeWithScore(node=node, score=passage.score)


class LlamaIndexRetriever(BaseRetriever):
    """Wraps any `Retriever`; `k` and filters (e.g. ``as_of="2022-06-16"``) are fixed per instance."""

    def __init__(self, retriever: Retriever, k: int = 5, **filters: Any) -> None:
        super().__init__()
        self._inner = retriever
        self._k = k
        self._filters = filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [passage_node(p) for p in self._inner.retrieve(query_bundle.query_str, k=self._k, **self._filters)]
