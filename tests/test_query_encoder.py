"""The torch-free query encoder: the same vectors as sentence-transformers, and a `qa ask` that
never loads torch yet answers exactly as the in-process assistant with the real model does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.query_encoder import MiniLMQueryEncoder
from tests.conftest import DATA, REPO, SAMPLES

LONG_ARTICLE = SAMPLES / "local" / "transit-fares.txt"     # 325 tokens: cut at 256 by both encoders


@pytest.fixture(scope="module")
def encoder() -> MiniLMQueryEncoder:
    return MiniLMQueryEncoder()


def test_vectors_match_sentence_transformers(encoder: MiniLMQueryEncoder, embedder, tokenizer):  # type: ignore[no-untyped-def]
    texts = [
        "How many bolts did engineers replace?",
        "What is the weekly spending cap for Tidecard riders in Harbor City?",
        (DATA / "articles" / "harbor-bridge.txt").read_text(encoding="utf-8"),
        "  Café owners in Zürich said the naïve plan would cost 3.6 million francs (¥500m)…  ",
        "x",
        LONG_ARTICLE.read_text(encoding="utf-8"),
    ]
    assert tokenizer.count(texts[-1]) > encoder.max_seq_length == 256
    ours = encoder.embed_batch(texts)
    reference = embedder.embed_batch(texts)
    assert ours.shape == (len(texts), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-6)
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() >= 0.9999, cosines
    # past the cut, nothing counts
    longer = encoder.embed_batch([texts[-1] + "\nA paragraph added at the end changes nothing."])
    np.testing.assert_array_equal(longer[0], ours[-1])


def test_a_batch_is_its_texts_one_by_one(encoder: MiniLMQueryEncoder):
    texts = ["Who reopened the bridge?", "night ferry Ostra Island schedule and fares for next summer"]
    together = encoder.embed_batch(texts)
    np.testing.assert_array_equal(together, np.vstack([encoder.embed_batch([t]) for t in texts]))
    assert encoder.embed_batch([]).shape == (0, 384)


def test_token_states_come_from_the_pass_that_gives_the_vector(encoder: MiniLMQueryEncoder):
    text = "Café owners in Zürich voted 7 to 2."
    states = encoder.token_states(text)
    np.testing.assert_array_equal(states.vector, encoder.embed_batch([text])[0])
    assert [text[a:b] for a, b in states.offsets] == ["Café", "owners", "in", "Zürich", "voted", "7", "to", "2", "."]
    assert states.states.shape == (len(states.offsets), 384)
    np.testing.assert_allclose(np.linalg.norm(states.states, axis=1), 1.0, rtol=1e-5)


ASK = """
import json, sys
from qa.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
print(json.dumps({"exit": code, "heavy": heavy}))
"""


def test_qa_ask_loads_no_torch_and_answers_as_the_real_model_does(tmp_path: Path, embedder):  # type: ignore[no-untyped-def]
    from index.embed import MiniLMEmbedder
    from qa.assistant import open_assistant
    from qa.config import Config
    from qa.ingest import ingest_folder

    config = Config(index_dir=tmp_path / "idx")
    assert not ingest_folder(config, SAMPLES, embedder=embedder).failed
    question = "What is the weekly spending cap for Tidecard riders in Harbor City?"
    # the real model in fp32, as `qa ask` embeds questions (on a CPU with native bf16 the shared
    # fixture multiplies in bf16, whose question vector differs in the fourth decimal)
    real = embedder if embedder.precision == "fp32" else MiniLMEmbedder(device="cpu", precision="fp32")
    expected = open_assistant(config, embedder=real).ask(question).to_json()

    run = subprocess.run([sys.executable, "-c", ASK, "ask", question, "--index", str(config.index_dir), "--json"],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stderr
    answer, _, status = run.stdout.rstrip("\n").rpartition("\n")
    assert json.loads(status) == {"exit": 0, "heavy": []}
    got = json.loads(answer)
    assert got == expected
    assert [(c["source"], c["start_line"], c["end_line"]) for c in got["citations"]][0] == ("local/transit-fares.txt", 8, 8)
