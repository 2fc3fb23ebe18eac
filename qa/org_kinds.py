"""A kind of organisation (`other_kind`): "Which company ...?" is not answered by a board, a court,
an agency or a university: an organisation named by its kind answers for that kind."""

from __future__ import annotations

from typing import Any

# kinds of organisation: a name headed by one answers "which X" for X of the same kind only
_KINDS = (
    {"company", "companies", "firm", "business", "corporation", "maker", "manufacturer", "retailer", "carrier",
     "airline", "automaker", "carmaker", "bank", "chain", "brand", "startup", "giant", "network", "streamer",
     "broadcaster", "publisher", "studio", "restaurant", "store", "platform", "app", "service", "outlet",
     "publication", "newspaper", "franchise", "supplier", "producer", "developer", "operator", "group"},
    {"agency", "court", "board", "committee", "ministry", "department", "regulator", "council", "authority",
     "commission", "government", "office", "administration", "bureau", "service", "tribunal"},
    {"university", "college", "school", "institute", "laboratory", "lab", "academy"},
    {"union", "charity", "coalition", "party", "league", "club", "team", "society", "trust", "foundation",
     "association", "federation", "group", "alliance", "movement"},
)


def other_kind(focus: str, span: Any) -> bool:
    """For "which X" with X a kind of organisation: is the name headed by a word of another kind
    ("Which company makes the Tidecard?": not "the Harbor City Regional Transit Board")?

    >>> from qa.nlp import SentenceParser
    >>> d = SentenceParser().parse(["The Harbor City Regional Transit Board and Brightwell Electronics agreed."])[0]
    >>> other_kind("company", d[1:6]), other_kind("board", d[1:6]), other_kind("company", d[7:9])
    (True, False, False)
    """
    asked = [k for k in _KINDS if focus in k]
    named = [k for k in _KINDS if span.root.lower_ in k]
    return bool(asked and named) and not any(k in asked for k in named)
