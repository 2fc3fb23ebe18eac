"""Faults: a Chroma server that is down or goes away, a read-only index folder, a full disk, an
index built with another model, a damaged read model.

Each must end in one `qa: error: ...` line (exit 2) that names the index, the cause and the
way back, never a traceback, and never lose what was indexed before. Real parts throughout:
the MiniLM model, Chroma in tmp_path, a real `chroma run` server, real subprocesses where a
real process matters (a closed port, a read-only mount). Faults Chroma cannot be made to
produce on demand (a full disk, or a read-only folder where no read-only mount can be made) are
raised from our own seams (`ChromaStore.commit_articles`, the read model writer).
"""

from __future__ import annotations

import errno
import functools
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from index.embed import MODEL_NAME
from index.errors import StoreError
from index.read_model import open_or_build
from index.store import ChromaStore, open_client
from index.sync import Ingester
from qa.assistant import open_assistant
from qa.config import Config
from qa.ingest import ingest_folder, open_store
from tests.conftest import REPO, SAMPLES

BOLTS = "How many bolts did engineers replace?"
KEPT = "(what was indexed before is kept)"
CORPUS_SOURCES = {"harbor-bridge.txt", "nested/orchard-report.md", "robotics-fair.html",
                  "https://example.test/news/ferry", "wire.jsonl#2"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _qa_process(*args: str, wrap: list[str] | None = None, tmp: Path | None = None) -> subprocess.Popen:
    """`qa ARGS...` as a real process (optionally under `wrap`, with its temporary files in `tmp`)."""
    env = {**os.environ, "TMPDIR": str(tmp)} if tmp else None
    return subprocess.Popen([*(wrap or []), sys.executable, "-m", "qa", *args], cwd=REPO, text=True, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


CLI = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], embedder) -> Iterator[CLI]:  # type: ignore[no-untyped-def]
    """`qa ARGS...` in this process (the session's model instead of a fresh load): (exit, stdout, stderr)."""
    from qa import cli as qa_cli

    monkeypatch.setattr("qa.ingest.MiniLMEmbedder", lambda device=None, precision="auto": embedder)
    monkeypatch.setattr("qa.assistant.MiniLMEmbedder", lambda device=None, precision="auto": embedder)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = qa_cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    for name in ("index", "qa"):      # the warning printer `main` installs: leave no trace
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if type(h).__name__ == "_WarningLines"]:
            logger.removeHandler(handler)


@pytest.fixture
def index_copy(built: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "idx"
    shutil.copytree(built, dest)
    return dest


def _answer_json(cli: CLI, index: Path, question: str = BOLTS) -> dict:
    code, out, err = cli("ask", question, "--index", index, "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


def _answer(payload: dict) -> tuple:
    """What `qa ask --json` answered: the text and the citations (not the runner-up passages)."""
    return payload["answer"], payload["answered"], payload["citations"]


def _visible_chunk_ids(store: ChromaStore) -> set[str]:
    manifest = store.manifest()
    return {cid for cid, (aid, h) in store.chunk_owners().items() if aid in manifest and manifest[aid].content_hash == h}


# -- a. Chroma server down or gone ------------------------------------------------------------

def test_closed_port_fails_each_command_in_one_line(tmp_path: Path, corpus: Path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    where = ("--chroma-url", url, "--index", str(tmp_path / "cache"))
    procs = [_qa_process("ask", BOLTS, *where), _qa_process("search", "bolts", *where),
             _qa_process("ingest", str(corpus), *where)]
    for code, out, err in map(_finish, procs):
        assert (code, out) == (2, "")
        assert "Traceback" not in err and len(err.splitlines()) == 1
        assert err.startswith(f"qa: error: Chroma server at {url} is unreachable (")
        assert err.endswith(f"); start it (`chroma run --path DB_FOLDER --host 127.0.0.1 --port {port}`) "
                            "or fix --chroma-url\n")
    assert not (tmp_path / "cache").exists()            # nothing written for a server that is not there


def _start_chroma(path: Path, port: int) -> subprocess.Popen:
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("chroma run did not start within 60 s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def test_server_that_goes_away_mid_ingest_and_after_opening(tmp_path: Path, corpus: Path, embedder,
                                                             monkeypatch: pytest.MonkeyPatch):
    """A real server stops while an ingest writes (after the new chunks, before their commit) and
    while an assistant has the index open; started again, it holds everything indexed before."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    refused = f"[Errno {errno.ECONNREFUSED}] {os.strerror(errno.ECONNREFUSED)}"
    gone = (f"Chroma server at {url} failed (ConnectError: {refused}); check that the "
            f"server is running (`chroma run`), then run the command again {KEPT}")
    config = Config(index_dir=tmp_path / "cache", chroma_url=url)
    server = _start_chroma(tmp_path / "server-data", port)
    try:
        ingest_folder(config, corpus, embedder=embedder)
        assistant = open_assistant(config, embedder=embedder)
        (corpus / "late.txt").write_text("Late news\n\nA zeppelin landed in the market square on Tuesday.\n")
        real_commit = ChromaStore.commit_articles

        def server_dies_first(store, *args):  # type: ignore[no-untyped-def]
            _stop(server)
            return real_commit(store, *args)

        with monkeypatch.context() as patch:
            patch.setattr(ChromaStore, "commit_articles", server_dies_first)
            with pytest.raises(StoreError) as mid_ingest:
                ingest_folder(config, corpus, embedder=embedder)
    finally:
        _stop(server)
    assert str(mid_ingest.value) == gone
    # retrieval runs on the local read model; an answer needs the article's lines from the server
    assert assistant.search("rusted bolts", k=1)[0].citation == "harbor-bridge.txt:1-8"
    with pytest.raises(StoreError) as after_open:
        assistant.ask(BOLTS)
    assert str(after_open.value) == gone

    server = _start_chroma(tmp_path / "server-data", port)          # the way back: start it again
    try:
        answer = open_assistant(config, embedder=embedder).ask(BOLTS)
        assert sorted(e.source for e in open_store(config).manifest().values()) == sorted(CORPUS_SOURCES)
        rerun = ingest_folder(config, corpus, embedder=embedder)
    finally:
        _stop(server)
    assert [c.citation for c in answer.citations] == ["harbor-bridge.txt:8-8"]
    assert (rerun.added, rerun.unchanged, rerun.healed) == (1, 5, 1)     # the orphaned chunk of late.txt


# -- b. read-only index folder ---------------------------------------------------------------

def _read_only_wrapper(index: Path) -> list[str]:
    """How to run a command that sees `index` read-only: plain chmod for a normal user; as root
    (whom chmod does not stop) a read-only bind mount in a private mount namespace."""
    if os.geteuid() != 0:
        for folder, dirs, files in os.walk(index):
            for name in files:
                os.chmod(Path(folder) / name, 0o444)
            os.chmod(folder, 0o555)
        return []
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    wrap = ["unshare", "--mount", "sh", "-c", script, "sh", str(index)]
    probe = subprocess.run([*wrap, "sh", "-c", f'! touch "{index}/probe" 2>/dev/null'], capture_output=True)
    if probe.returncode != 0 or (index / "probe").exists():
        pytest.skip("running as root, where chmod does not stop writes, and a read-only bind mount "
                    "(unshare --mount) is not permitted here; test_keyword_write_refused covers the "
                    "ingest message through our own seam")
    return wrap


def _writable_again(index: Path) -> None:
    if os.geteuid() != 0:
        for folder, dirs, files in os.walk(index):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(Path(folder) / name, 0o644)


def test_read_only_index_answers_and_refuses_ingest(cli: CLI, index_copy: Path, corpus: Path, tmp_path: Path):
    before = _answer_json(cli, index_copy)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    keyword = index_copy / "read_model"
    (keyword / "meta.json").write_text("{damaged")        # so the reader must also rebuild and cannot save
    wrap = _read_only_wrapper(index_copy)
    try:
        ask = _qa_process("ask", BOLTS, "--index", str(index_copy), "--json", wrap=wrap, tmp=tmp)
        (corpus / "late.txt").write_text("Late news\n\nA zeppelin landed in the market square on Tuesday.\n")
        ingest = _qa_process("ingest", str(corpus), "--index", str(index_copy), "--quiet", wrap=wrap)
        (a_code, a_out, a_err), (i_code, i_out, i_err) = _finish(ask), _finish(ingest)
    finally:
        _writable_again(index_copy)
    assert a_code == 0, a_err
    assert json.loads(a_out) == before
    lines = a_err.splitlines()
    assert lines[0] == (f"qa: warning: the index at {index_copy} is read-only; answering from a temporary copy "
                        "(`qa ingest` needs write access)")
    assert lines[1].startswith(f"qa: warning: read model at {keyword} is unreadable (JSONDecodeError: ")
    assert lines[1].endswith("; rebuilt it from the vector store")
    assert lines[2].startswith(f"qa: warning: could not save the rebuilt read model to {keyword} (")
    assert lines[2].endswith("); using it from memory") and len(lines) == 3
    assert (i_code, i_out) == (2, "") and "Traceback" not in i_err
    assert i_err.startswith(f"qa: error: the index at {index_copy} is read-only (")
    assert i_err.endswith(f"); make the folder writable, or ingest into another folder with --index {KEPT}\n")
    assert len(i_err.splitlines()) == 1
    assert list(tmp.iterdir()) == []                         # the temporary copy is gone
    code, out, err = cli("ask", BOLTS, "--index", index_copy, "--json")   # writable again: repaired, nothing lost
    assert (code, json.loads(out)) == (0, before) and err.endswith("; rebuilt it from the vector store\n")
    assert _answer_json(cli, index_copy) == before


# -- c. disk full ----------------------------------------------------------------------------

def _full_after(calls: int, real: Callable) -> Callable:
    """`real`, except that call number `calls + 1` and later raise ENOSPC."""
    count = [0]

    def write(*args, **kwargs):  # type: ignore[no-untyped-def]
        count[0] += 1
        if count[0] > calls:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    return write


def test_disk_full_mid_ingest_keeps_the_index_and_a_rerun_finishes(cli: CLI, index_copy: Path, corpus: Path,
                                                                   embedder, monkeypatch: pytest.MonkeyPatch):
    config = Config(index_dir=index_copy)
    before = _answer_json(cli, index_copy)
    old = {e.source: e.content_hash for e in open_store(config).manifest().values()}
    shutil.copytree(SAMPLES / "local", corpus / "added")       # sorts before the edited article
    added = {f"added/{p.name}" for p in (corpus / "added").iterdir()}
    bridge = corpus / "harbor-bridge.txt"
    bridge.write_text(bridge.read_text().replace("214 rusted bolts", "215 rusted bolts"))
    with monkeypatch.context() as patch:    # small batches; the second batch's commit finds the disk full
        patch.setattr("qa.ingest.Ingester", functools.partial(Ingester, batch_chunks=4))
        patch.setattr(ChromaStore, "commit_articles", _full_after(1, ChromaStore.commit_articles))
        code, out, err = cli("ingest", corpus, "--index", index_copy, "--quiet")
    assert (code, out) == (2, "")
    assert err == (f"qa: error: the index at {index_copy}: the disk is full (OSError: [Errno 28] No space left on "
                   f"device); free some space and run `qa ingest` again {KEPT}\n")

    store = open_store(config)
    after = {e.source: e.content_hash for e in store.manifest().values()}
    assert {s: h for s, h in after.items() if s in old} == old        # every old article, in its old version
    assert 0 < len(after.keys() - old.keys()) < len(added)            # the first batch, no more
    assert store.chunk_count() > len(_visible_chunk_ids(store))        # the failed batch's chunks: invisible
    assert _answer(_answer_json(cli, index_copy)) == _answer(before)   # answered as before, no warning

    code, out, err = cli("ingest", corpus, "--index", index_copy, "--quiet")      # the way back
    assert (code, err) == (0, "")
    assert out.startswith(f"added {len(added - after.keys())}, updated 1, unchanged {len(after) - 1}, removed 0, failed 0; ")
    store = open_store(config)
    manifest = store.manifest()
    assert sorted(e.source for e in manifest.values()) == sorted(CORPUS_SOURCES | added)   # each article once
    visible = _visible_chunk_ids(store)
    assert store.chunk_count() == len(visible) == sum(e.n_chunks for e in manifest.values())   # healed
    keyword = open_or_build(store, config.read_model_dir)                         # what open_assistant reads
    assert set(keyword.table.ids) == visible                                   # BM25 and Chroma agree
    assert sorted(set(keyword.table.sources)) == sorted(CORPUS_SOURCES | added)
    quote = _answer_json(cli, index_copy)["citations"][0]["quote"]
    assert quote == "Engineers replaced 215 rusted bolts and repainted the northern span."


@pytest.mark.parametrize("fault, message", [
    (OSError(errno.ENOSPC, "No space left on device"),
     "{index}: the disk is full (OSError: [Errno 28] No space left on device); free some space and run "
     "`qa ingest` again " + KEPT),
    (PermissionError(errno.EACCES, "Permission denied", "{keyword}.new"),
     "{index} is read-only (PermissionError: [Errno 13] Permission denied: '{keyword}.new'); make the folder "
     "writable, or ingest into another folder with --index " + KEPT),
])
def test_keyword_write_refused(cli: CLI, index_copy: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch,
                               fault: OSError, message: str):
    """The vectors are stored, then the read model cannot be written: a clear error, and the next
    reader rebuilds the read model from Chroma."""
    before = _answer_json(cli, index_copy)
    keyword = index_copy / "read_model"
    if fault.filename:
        fault = type(fault)(fault.errno, fault.strerror, fault.filename.format(keyword=keyword))
    (corpus / "late.txt").write_text("Late news\n\nA zeppelin landed in the market square on Tuesday.\n")

    def refuse(index, folder):  # type: ignore[no-untyped-def]
        raise fault

    with monkeypatch.context() as patch:
        patch.setattr("index.read_model._write", refuse)
        code, out, err = cli("ingest", corpus, "--index", index_copy, "--quiet")
    assert (code, out) == (2, "")
    assert err == "qa: error: " + message.format(index=f"the index at {index_copy}", keyword=keyword) + "\n"
    assert _answer(_answer_json(cli, index_copy)) == _answer(before)
    late = _answer_json(cli, index_copy, "Where did the zeppelin land?")
    assert [(c["source"], c["start_line"]) for c in late["citations"]] == [("late.txt", 3)]
    assert cli("ingest", corpus, "--index", index_copy, "--quiet")[1].startswith("added 0, updated 0, unchanged 6, ")


# -- d. another model ------------------------------------------------------------------------

class OtherModel:
    """A deterministic 768-dimension embedder with another name: an index 'built with another model'."""

    name = "other/model-768"
    dim = 768
    max_seq_length = 256

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(self.dim) for t in texts]
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dim)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True).clip(1e-9)


def test_index_of_another_model_names_both_and_the_rebuild(cli: CLI, tmp_path: Path, corpus: Path, tokenizer):
    index = tmp_path / "idx"
    other = ChromaStore(open_client(index, create=True), OtherModel.name, OtherModel.dim, create=True)
    assert Ingester(other, OtherModel(), tokenizer).run(corpus).added == 5
    chunks = other.chunk_count()
    expected = (f"qa: error: the index at {index} was built with other/model-768 (768 dims), not {MODEL_NAME} "
                f"(384 dims); rebuild it with `qa ingest FOLDER --rebuild --index {index}`\n")
    for args in (("ask", BOLTS), ("search", "bolts"), ("ingest", corpus, "--quiet")):
        assert cli(*args, "--index", index) == (2, "", expected)
    again = ChromaStore(open_client(index), OtherModel.name, OtherModel.dim)
    assert again.chunk_count() == chunks and len(again.manifest()) == 5          # untouched

    code, out, err = cli("ingest", corpus, "--index", index, "--rebuild", "--quiet")     # the way back
    assert (code, err) == (0, "") and out.startswith("added 5, updated 0, unchanged 0, removed 0, failed 0; ")
    cited = [(c["source"], c["start_line"], c["end_line"]) for c in _answer_json(cli, index)["citations"]]
    assert cited == [("harbor-bridge.txt", 8, 8)]


# -- e. damaged read model ----------------------------------------------------------------

def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * (path.stat().st_size // 256 + 1))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("name, damage", [("meta.json", _truncate), ("bm25/term_offsets.npy", _garbage),
                                          ("bm25/terms.bin", _truncate), ("vectors.npy", _truncate),
                                          ("bm25/indptr.csc.index.npy", _empty), ("article_vectors.npy", _garbage),
                                          ("table/text_offsets.npy", _truncate)])
def test_damaged_keyword_index_is_rebuilt_with_a_warning(cli: CLI, index_copy: Path, name: str,
                                                         damage: Callable[[Path], None]):
    keyword = index_copy / "read_model"
    before = _answer_json(cli, index_copy)
    damage(keyword / name)
    code, out, err = cli("ask", BOLTS, "--index", index_copy, "--json")
    assert code == 0 and json.loads(out) == before
    assert err.startswith(f"qa: warning: read model at {keyword} is unreadable (")
    assert err.endswith("); rebuilt it from the vector store\n") and len(err.splitlines()) == 1
    assert _answer_json(cli, index_copy) == before            # repaired on disk: no warning the second time
