"""Two words of one act, judged by the model in context: the question's verb and a sentence's
word are the same act when they share a stem or when their word-piece states (all-MiniLM-L6-v2's
last layer, `index.query_encoder.TokenStates`, each word's pieces averaged) are at least `bar`
close. In context "planted" and "tracked" (of coral colonies) are 0.14 apart and "killed" and
"died" 0.78, where the static word vectors put the first pair closer (0.14 against a bar of 0.12)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import numpy as np

from index.query_encoder import TokenStates


def word_state(states: TokenStates, tok: Any) -> np.ndarray | None:
    """The unit mean of the pieces inside the token's characters (None when it has none)."""
    start, end = tok.idx, tok.idx + len(tok.text)
    rows = [i for i, (a, b) in enumerate(states.offsets) if b > a and a >= start and b <= end]
    if not rows:
        return None
    v = states.states[rows].mean(axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else None


def akin_in_context(states: Callable[[str], TokenStates], stem: Callable[[str], str], bar: float,
                    noun_bar: float, plain: Collection[str] = ()) -> Callable[[Any, Any], bool]:
    """`akin(a, b)` for tokens of two parsed texts (each `tok.doc.text` is what `states` encodes):
    a verb `b` at least `bar` close, another word `noun_bar` ("deaths" for "killed": the last
    layer's states carry the topic, so a noun of it is 0.3 close to any verb about it); a word of
    `plain` ("said", "had") only by its stem."""
    def akin(a: Any, b: Any) -> bool:
        if stem(a.lower_) and stem(a.lower_) == stem(b.lower_):
            return True
        if b.lower_ in plain:
            return False
        va, vb = word_state(states(a.doc.text), a), word_state(states(b.doc.text), b)
        return va is not None and vb is not None and float(va @ vb) >= (bar if b.pos_ == "VERB" else noun_bar)
    return akin
