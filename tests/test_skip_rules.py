"""The skip rules of `tests/conftest.py`: a missing ../shared data set or chromium skips a test with
a reason that says how to get it, except under CI (`CI=true`) or `QA_REQUIRE_ALL=1`, where it fails.

Each case runs pytest in a subprocess on a small generated test file (no model is loaded), with
QA_SHARED pointing at an empty folder and a PATH on which there is no chromium.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import conftest
from tests.conftest import REPO

TESTS = """
import pytest

from tests.conftest import SEED, require_chromium, require_shared


@pytest.fixture
def seed():
    return require_shared(SEED / "articles", "seed data")


def test_shared_in_the_body():
    require_shared(SEED / "articles", "seed data")


def test_shared_in_a_fixture(seed):
    pass


def test_chromium():
    require_chromium()


def test_without_requirements():
    pass
"""
SEED_REASON = "seed data missing at {shared}/eval-data/seed/articles: put the project's shared/ folder " \
              "beside the checkout or set QA_SHARED"
CHROMIUM_REASON = "chromium not found on PATH: apt-get install chromium (Debian) to run the browser tests"


@pytest.fixture(scope="module")
def lone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the generated tests, an empty shared/ and an empty bin/ (the PATH)."""
    root = tmp_path_factory.mktemp("lone")
    (root / "test_generated.py").write_text(TESTS, encoding="utf-8")
    (root / "shared").mkdir()
    (root / "bin").mkdir()
    return root


def _pytest(root: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "QA_REQUIRE_ALL", "QA_SHARED", "PYTEST_ADDOPTS")}
    clean.update(QA_SHARED=str(root / "shared"), PATH=str(root / "bin"), PYTHONPATH=str(REPO), **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", "test_generated.py"],
                          cwd=root, env=clean, capture_output=True, text=True, timeout=120)


def _counts(run: subprocess.CompletedProcess) -> dict[str, int]:
    last = run.stdout.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (passed|skipped|failed|errors?)", last)}


def test_missing_data_and_chromium_are_skipped_with_the_reason(lone: Path):
    run = _pytest(lone)
    assert run.returncode == 0, run.stdout + run.stderr
    assert _counts(run) == {"passed": 1, "skipped": 3}
    skips = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    seed = SEED_REASON.format(shared=lone / "shared")
    assert len(skips) == 3 and sum(line.endswith(seed) for line in skips) == 2, skips
    assert any(line.endswith(CHROMIUM_REASON) for line in skips), skips


@pytest.mark.parametrize("env", [{"CI": "true"}, {"QA_REQUIRE_ALL": "1"}])
def test_ci_or_require_all_turns_the_skips_into_failures(lone: Path, env: dict[str, str]):
    run = _pytest(lone, **env)
    assert run.returncode == 1, run.stdout + run.stderr
    # a requirement asked for in a fixture fails the test at set-up: pytest counts that as an error
    assert _counts(run) == {"passed": 1, "failed": 2, "error": 1}, run.stdout
    assert "SKIPPED" not in run.stdout
    assert SEED_REASON.format(shared=lone / "shared") in run.stdout
    assert CHROMIUM_REASON in run.stdout


@pytest.mark.parametrize(("ci", "require_all", "expected"), [
    ("true", None, True), ("1", None, True), ("YES", None, True), (None, "1", True), ("false", "true", True),
    (None, None, False), ("false", None, False), ("0", "0", False), ("", "", False)])
def test_which_settings_require_everything(monkeypatch: pytest.MonkeyPatch, ci: str | None, require_all: str | None,
                                            expected: bool):
    for name, value in (("CI", ci), ("QA_REQUIRE_ALL", require_all)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert conftest.require_all() is expected
