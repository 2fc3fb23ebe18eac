"""Shared fixtures: the real MiniLM model (loaded once), paths, and a network blocker.

Tests that need what a lone clone lacks (the project's ../shared data sets, Debian chromium)
ask for it through `require_shared` / `require_chromium`: when it is missing the test is
skipped with a one-line reason naming what is missing and how to get it; under CI (`CI=true`,
or 1/yes) or `QA_REQUIRE_ALL=1` the same reason is a failure, so nothing is skipped there.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path
from typing import NoReturn

import pytest

from index.offline import apply_offline_defaults

apply_offline_defaults()

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SAMPLES = REPO / "samples"
SHARED = Path(os.environ.get("QA_SHARED", REPO.parent / "shared"))
SEED = SHARED / "eval-data" / "seed"
SEED_ARTICLE = "iran-iraq-militias-missiles.txt"


@pytest.fixture(scope="session")
def embedder():
    from index.embed import MiniLMEmbedder

    model = MiniLMEmbedder(device="cpu")
    model.load()
    return model


@pytest.fixture(scope="session")
def tokenizer():
    from index.embed import tokenizer_path
    from index.tokens import WordPieceTokenizer

    return WordPieceTokenizer(tokenizer_path())

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:  # type: ignore[no-untyped-def]
    """An index of tests/data/articles, built once per test module; tests work on copies of it."""
    from qa.config import Config
    from qa.ingest import ingest_folder

    root = tmp_path_factory.mktemp("built")
    ingest_folder(Config(index_dir=root / "idx"), DATA / "articles", embedder=embedder)
    return root / "idx"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of tests/data/articles."""
    dest = tmp_path / "corpus"
    shutil.copytree(DATA / "articles", dest)
    return dest


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def require_all() -> bool:
    """True under CI (`CI=true`/1/yes) or with `QA_REQUIRE_ALL=1`: a missing requirement fails."""
    return _truthy(os.environ.get("CI")) or _truthy(os.environ.get("QA_REQUIRE_ALL"))


def missing(reason: str) -> NoReturn:
    """Skip the running test with `reason`; a failure instead where everything is required."""
    if require_all():
        pytest.fail(f"{reason} (required: CI or QA_REQUIRE_ALL is set)", pytrace=False)
    pytest.skip(reason)


def require_shared(path: Path, what: str) -> Path:
    """`path` (inside the project's shared/ folder) if it exists; else skip (or fail, see `missing`)."""
    if not path.exists():
        missing(f"{what} missing at {path}: put the project's shared/ folder beside the checkout or set QA_SHARED")
    return path


def require_chromium() -> str:
    """The Debian chromium on PATH (and Playwright to drive it); else skip (or fail, see `missing`)."""
    import importlib.util

    if importlib.util.find_spec("playwright") is None:
        missing("playwright not installed: pip install -e '.[test]' to run the browser tests")
    found = shutil.which("chromium")
    if found is None:
        missing("chromium not found on PATH: apt-get install chromium (Debian) to run the browser tests")
    return found


@pytest.fixture
def seed_dir() -> Path:
    """The seed articles (../shared/eval-data/seed/articles)."""
    require_shared(SEED / "articles" / SEED_ARTICLE, "seed data")
    return SEED / "articles"


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
    elif isinstance(address, (str, bytes)):
        return True  # AF_UNIX socket path
    else:
        return False
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Refuse every connection that is not to loopback; returns the list of attempts refused."""
    refused: list[object] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: object) -> None:
        if not _is_loopback(address):
            refused.append(address)
            raise ConnectionRefusedError(f"network disabled in tests: {address!r}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if not _is_loopback(address):
            refused.append(address)
            return 111
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else host
        if name not in (None, "localhost") and not _is_loopback((name,)):
            refused.append(name)
            raise socket.gaierror(f"network disabled in tests: {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return refused
