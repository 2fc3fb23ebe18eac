"""Which entity label names a thing of the asked-for kind: "which show" is answered by a title the
tagger calls WORK_OF_ART ("Succession"), "which festival" by an EVENT, "which bill" by a LAW, though
none of them is headed by the asked-for noun.

    >>> fits_focus("WORK_OF_ART", "shows"), fits_focus("EVENT", "holiday"), fits_focus("WORK_OF_ART", "company")
    (True, True, False)
"""

from __future__ import annotations

_NOUNS = {
    "WORK_OF_ART": {"movie", "film", "show", "series", "sitcom", "drama", "comedy", "documentary", "song", "single",
                    "album", "book", "novel", "memoir", "play", "musical", "opera", "podcast", "painting", "poem",
                    "title", "franchise", "programme", "program", "blockbuster", "hit", "thriller"},
    "EVENT": {"event", "holiday", "festival", "tournament", "championship", "race", "war", "storm", "hurricane",
              "typhoon", "cyclone", "competition", "contest", "summit", "conference", "games", "cup", "marathon"},
    "LAW": {"law", "bill", "act", "amendment", "treaty", "legislation", "ruling", "regulation"},
    "PRODUCT": {"product", "device", "phone", "smartphone", "car", "vehicle", "model", "app", "gadget", "console",
                "aircraft", "plane", "jet", "rocket", "vaccine", "drug", "medication", "pill"},
    "LANGUAGE": {"language", "dialect"},
    "MONEY": {"figure", "sum", "milestone", "threshold"},      # "passed which massive figure": "$16 trillion"
    "CARDINAL": {"figure", "milestone", "threshold"},
    "PERCENT": {"figure", "milestone", "threshold"},
}


def fits_focus(label: str, focus: str) -> bool:
    """Does an entity of `label` name a thing of the asked-for noun (singular or plural)?"""
    nouns = _NOUNS.get(label)
    if not nouns or not focus:
        return False
    return (focus in nouns or focus.endswith("s") and focus[:-1] in nouns
            or focus.endswith("ies") and focus[:-3] + "y" in nouns)
