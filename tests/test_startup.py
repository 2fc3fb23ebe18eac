import subprocess
import sys

from tests.conftest import REPO


def test_cli_sets_its_defaults_before_numpy_is_imported():
    code = ("import sys, os; from qa.cli import main; assert 'numpy' not in sys.modules; "
            "from index.offline import apply_offline_defaults; apply_offline_defaults(); "
            "import numpy; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['HF_HUB_OFFLINE'])")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("OPENBLAS_NUM_THREADS", "HF_HUB_OFFLINE")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["1", "1"]


def test_public_api_names_resolve():
    import qa

    for name in qa.__all__:
        assert getattr(qa, name) is not None
