"""Server mode: a real `chroma run` on 127.0.0.1, ingested into over HTTP."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.errors import StoreError
from qa.config import Config
from qa.ingest import ingest_folder, open_store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = _free_port()
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=30)


def test_ingest_into_a_chroma_server(tmp_path: Path, corpus: Path, embedder, chroma_server: str, no_network: list):
    config = Config(index_dir=tmp_path / "unused", chroma_url=chroma_server)
    report = ingest_folder(config, corpus, embedder=embedder)
    assert (report.added, report.failed) == (5, [])
    store = open_store(config)
    sources = {m["source"] for _, _, m in store.all_chunks()}
    assert sources == {"harbor-bridge.txt", "nested/orchard-report.md", "robotics-fair.html",
                       "https://example.test/news/ferry", "wire.jsonl#2"}
    again = ingest_folder(config, corpus, embedder=embedder)
    assert (again.unchanged, again.chunks) == (5, 0)
    assert not (tmp_path / "unused" / "chroma.sqlite3").exists()   # the vectors live in the server
    assert (tmp_path / "unused" / f"read_model-127-0-0-1-{chroma_server.rsplit(':', 1)[1]}" / "meta.json").exists()
    assert no_network == []


def test_unreachable_server_is_a_clear_error(tmp_path: Path, corpus: Path, embedder):
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreError, match=f"Chroma server at {url} is unreachable"):
        ingest_folder(Config(chroma_url=url), corpus, embedder=embedder)
