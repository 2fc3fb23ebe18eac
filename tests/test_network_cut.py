"""Network cut: every `qa` command and the chat app work with outbound connections refused, and
none of them even tries one.

One child process runs the commands as a user would (`qa ingest`, `qa ask`, `qa search`,
`qa eval GOLD.jsonl`, each through `qa.cli.main` with its own argv, so the model and Chroma are
loaded by the code under test) and starts `python app.py` as its own process, then fetches the
page with a plain HTTP GET to 127.0.0.1. A `sitecustomize.py` on PYTHONPATH, inherited by both
processes, refuses every non-loopback `connect`/`connect_ex`/`getaddrinfo` and logs the attempt.
Where `unshare --net` works (root on Linux) the child also runs in a network namespace of its
own with only loopback up, so even a connection made outside Python's socket module (uvloop,
native code) cannot leave; elsewhere the sitecustomize alone is the cut.

Not here: `tests/test_ingest.py` checks an in-process ingest under the `no_network` fixture and
`tests/test_app.py` what the browser requests; `tests/test_startup.py` checks the offline
environment defaults.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO

SITECUSTOMIZE = '''
"""Refuse every non-loopback connection and name lookup in this process; log each attempt."""
import ipaddress
import os
import socket
import traceback

_LOG = os.environ["QA_NETCUT_LOG"]


def _loopback(host):
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _allowed(address):
    if isinstance(address, (str, bytes)):
        return True                                   # AF_UNIX path
    return isinstance(address, tuple) and bool(address) and _loopback(address[0])


def _refuse(what):
    frames = [f for f in traceback.extract_stack()[:-2] if "sitecustomize" not in f.filename]
    caller = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{what!r} (pid {os.getpid()}, from {caller})\\n")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def connect(self, address):
    if not _allowed(address):
        _refuse(address)
        raise ConnectionRefusedError(111, f"network cut: {address!r}")
    return _connect(self, address)


def connect_ex(self, address):
    if not _allowed(address):
        _refuse(address)
        return 111
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if not _loopback(name):
        _refuse(name)
        raise socket.gaierror(socket.EAI_NONAME, f"network cut: {name!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
'''

DRIVER = '''
import contextlib, http.client, io, json, subprocess, sys, time
from pathlib import Path

from qa.cli import main

work, corpus, gold, port, repo = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
index = str(work / "idx")
results = {}


def qa(name, *args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    results[name] = {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


qa("ingest", "ingest", corpus, "--index", index, "--quiet")
with open(work / "app.log", "w") as app_log:
    app = subprocess.Popen([sys.executable, "app.py", "--index", index, "--port", str(port)], cwd=repo,
                           stdout=app_log, stderr=subprocess.STDOUT)
    try:
        qa("ask", "ask", "How many bolts did engineers replace?", "--index", index, "--json")
        qa("search", "search", "night ferry Ostra Island", "--index", index, "--k", "1", "--json")
        qa("eval", "eval", gold, "--index", index, "--out", str(work / "eval"), "--json")
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and app.poll() is None and "config" not in results:
            try:
                for name, path in (("page", "/"), ("config", "/config")):
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    conn.request("GET", path)
                    response = conn.getresponse()
                    results[name] = {"status": response.status, "body": response.read().decode("utf-8", "replace")}
            except OSError:
                time.sleep(0.3)
    finally:
        app.terminate()
        app.wait(timeout=30)
try:                                   # the cut itself: this one attempt must be refused and logged
    import socket
    with socket.socket() as probe:
        probe.settimeout(2)
        probe.connect(("192.0.2.1", 80))
    results["probe"] = "connected"
except OSError as err:
    results["probe"] = type(err).__name__
(work / "results.json").write_text(json.dumps(results))
'''

GOLD = [
    {"id": "g1", "question": "How many bolts did engineers replace?", "answers": ["214"], "answerable": True,
     "evidence": [{"source": "harbor-bridge.txt", "start_line": 8, "end_line": 8}]},
    {"id": "g2", "question": "Who won the chess championship in Reykjavik?", "answers": [], "answerable": False,
     "evidence": []},
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _own_network_namespace() -> list[str]:
    """The prefix that runs a command with only loopback up, or [] where that is not permitted."""
    if not sys.platform.startswith("linux") or not shutil.which("unshare") or not shutil.which("ip"):
        return []
    prefix = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=30)
    return prefix if probe.returncode == 0 else []


@pytest.mark.slow
def test_every_command_and_the_app_work_with_the_network_cut(tmp_path: Path, corpus: Path):
    cut = tmp_path / "netcut"
    cut.mkdir()
    (cut / "sitecustomize.py").write_text(textwrap.dedent(SITECUSTOMIZE))
    (tmp_path / "driver.py").write_text(DRIVER)
    gold = tmp_path / "tiny.jsonl"
    gold.write_text("".join(json.dumps(q) + "\n" for q in GOLD))
    log = tmp_path / "refused.log"
    # proxies would turn loopback requests into outbound ones: a network cut has none
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(PYTHONPATH=os.pathsep.join([str(cut), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
               QA_NETCUT_LOG=str(log), QA_INDEX=str(tmp_path / "unused-default-index"))
    namespace = _own_network_namespace()
    run = subprocess.run([*namespace, sys.executable, str(tmp_path / "driver.py"), str(tmp_path), str(corpus),
                          str(gold), str(_free_port()), str(REPO)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=540)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    refused = log.read_text().splitlines()
    assert results["probe"] == "ConnectionRefusedError"
    assert len(refused) == 1 and refused[0].startswith("('192.0.2.1', 80) "), \
        f"outbound attempts (own network namespace: {bool(namespace)}):\n" + "\n".join(refused)

    assert results["ingest"]["code"] == 0, results["ingest"]["stderr"]
    assert results["ingest"]["stdout"].startswith("added 5, updated 0, unchanged 0, removed 0, failed 0; ")
    ask = results["ask"]
    assert (ask["code"], ask["stderr"]) == (0, "")
    cited = [(c["source"], c["start_line"], c["end_line"], c["quote"]) for c in json.loads(ask["stdout"])["citations"]]
    assert cited == [("harbor-bridge.txt", 8, 8, "Engineers replaced 214 rusted bolts and repainted the northern span.")]
    search = results["search"]
    assert (search["code"], search["stderr"]) == (0, "")
    assert [(p["source"], p["start_line"], p["end_line"]) for p in json.loads(search["stdout"])] == [
        ("https://example.test/news/ferry", 1, 2)]
    ev = results["eval"]
    assert ev["code"] == 0, ev["stderr"]
    summary = json.loads(ev["stdout"])
    assert {"hybrid", "dense", "bm25"} <= set(summary)
    hybrid = summary["hybrid"]
    assert (hybrid["questions"], hybrid["correct"], hybrid["declined_correctly"]) == (2, 1, 1)
    assert {"tiny.json", "tiny.md"} <= {p.name for p in (tmp_path / "eval").iterdir()}

    assert "config" in results, (tmp_path / "app.log").read_text()[-3000:]
    page, config = results["page"], results["config"]
    assert page["status"] == config["status"] == 200
    assert page["body"].lstrip().lower().startswith("<!doctype html>")
    layout = json.loads(config["body"])
    assert layout["title"] == "Article QA"
    assert {"qa-question", "qa-ask", "qa-chat"} <= {c.get("props", {}).get("elem_id") for c in layout["components"]}
    assert not (tmp_path / "unused-default-index").exists()
