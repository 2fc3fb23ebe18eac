"""Our retriever inside a LlamaIndex query engine, with no LLM and the network cut."""

from pathlib import Path

from qa.assistant import open_assistant
from qa.config import Config
from qa.ingest import ingest_folder


def test_retriever_in_a_llamaindex_query_engine(tmp_path: Path, corpus: Path, embedder, no_network: list):
    from llama_index.core import Settings
    from llama_index.core.llms import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine

    from qa.llamaindex import LlamaIndexRetriever

    config = Config(index_dir=tmp_path / "idx")
    ingest_folder(config, corpus, embedder=embedder)
    assistant = open_assistant(config, embedder=embedder)
    retriever = LlamaIndexRetriever(assistant.retriever, k=2)
    # response_mode="no_text" would ignore `llm=` and reach for Settings.llm (OpenAI), so the
    # synthesizer is the default "compact" one with our explicit no-op LLM.
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())
    response = engine.query("How many bolts were replaced on the Tallow Street bridge?")
    nodes = response.source_nodes
    assert len(nodes) == 2
    top = nodes[0]
    assert top.node.metadata["source"] == "harbor-bridge.txt"
    assert (top.node.metadata["start_line"], top.node.metadata["end_line"]) == (1, 8)
    assert top.node.metadata["citation"] == "harbor-bridge.txt:1-8"
    assert "214 rusted bolts" in top.node.get_content()
    assert top.score == assistant.search("How many bolts were replaced on the Tallow Street bridge?", k=2)[0].score
    assert nodes[1].node.metadata["source"] != "harbor-bridge.txt"
    assert Settings._llm is None                   # the global Settings were never touched
    assert no_network == []
