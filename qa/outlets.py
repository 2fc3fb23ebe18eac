"""Questions that name where an article appeared: "the TechCrunch article", "according to The Verge".

An article ingested from a URL (a web page, a JSON record with a `url`) has that URL as its
source; its outlet is named by the host's registered name, not a subdomain:
"https://www.theverge.com/2023/..." is "theverge", "https://edition.cnn.com/..." is "cnn",
"https://www.theage.com.au/..." is "theage". A question
names an outlet when a capitalised run of its words, joined and lower-cased ("The Verge" ->
"theverge", or "verge" without its article), is such a name and the question speaks of
reporting at all ("article", "report", "according to", "published"...): "Which Apple product
..." is about Apple, not about apple.com's pages.

Such a question (or part of one: "..., while the Fortune article says ...") is searched among
that outlet's articles only, and answered as if the outlet's name were not in it: the article
never names itself, so "TechCrunch" would otherwise count as a word of the question the article
lacks, and decline it.

    >>> outlets = Outlets(["https://www.theverge.com/2023/9/1/ai", "https://techcrunch.com/x", "local/notes.txt"])
    >>> outlets.named("Does the TechCrunch article report a higher valuation than The Verge?")
    ['https://techcrunch.com/*', 'https://www.theverge.com/*']
    >>> outlets.named("Which Verge gadget is cheapest?")      # no word of reporting: not a source
    []
    >>> without_outlets("Does the TechCrunch article report that Acme raised $5 million?", outlets)
    'Does report that Acme raised $5 million?'
    >>> without_outlets("According to The Verge, who founded Acme?", outlets)
    'Who founded Acme?'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

_CUE = re.compile(r"\b(?:articles?|reports?|reported|reporting|according|published|stor(?:y|ies)|coverage|piece|"
                  r"outlets?|wrote|writes|say|says|said|claims?|suggests?|posts?|columns?|gives?|gave|states?|stated|"
                  r"mentions?|mentioned|quotes?|quoted|cites?|cited|describes?|described|notes?|noted|indicates?|"
                  r"indicated)\b", re.I)
_RUN = re.compile(r"(?:\b[Tt]he\s+)?\b[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*)*")
# host labels that name no outlet: subdomains and public suffixes
_GENERIC = {"www", "edition", "amp", "m", "mobile", "news", "en", "eu", "uk", "us", "www2", "com", "org", "net", "co",
            "gov", "edu", "io", "info", "biz", "tv", "me", "ai", "app", "blog", "blogs", "go", "example"}
_QUOTES = "'\"‘’“”"
_NOUN = r"(?:articles?|reports?|stor(?:y|ies)|piece|coverage|post|column|reporting)"
# what goes with the name: "according to (an article from) (both)", "as reported by", "the ... article"
_BEFORE = re.compile(r"(?:\b(?:(?:as\s+)?(?:according\s+to|reported\s+by|published\s+(?:by|in|on))\s+)?"
                     r"(?:(?:an?|the)\s+" + _NOUN + r"\s+(?:from|by|in|on)\s+)?(?:both\s+)?(?:the\s+)?)$", re.I)
_AFTER = re.compile(r"^(?:['’]s?)?(?:\s+(?:articles?|stor(?:y|ies)|piece|coverage|column)\b)?\s*,?", re.I)


def asks_about_sources(question: str) -> bool:
    """Does the question speak of reporting at all ("article", "according to", "published")?"""
    return bool(_CUE.search(question))


def outlet_names(source: str) -> set[str]:
    """The name a URL source's host goes by: its registered name, not a subdomain
    ("https://edition.cnn.com/x" and "https://covid.cdc.gov/x" -> {"cnn"}, {"cdc"}); none for a path."""
    if "://" not in source:
        return set()
    labels = (urlsplit(source).hostname or "").lower().split(".")
    while len(labels) > 1 and (labels[-1] in _GENERIC or len(labels[-1]) == 2):
        labels.pop()                                    # ".com", ".co.uk", ".com.au"
    name = labels[-1] if labels else ""
    if name in _GENERIC and len(labels) > 1:           # "abcnews.go.com"
        name = labels[-2]
    return {name} if len(name) >= 3 and name not in _GENERIC else set()


def _keys(run: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, joined lower-cased form) of a capitalised run and of its contiguous sub-runs, longest first."""
    words = [(m.start() + offset, m.end() + offset, re.sub(r"['’]s?$", "", m.group(0)))
             for m in re.finditer(r"\S+", run)]
    out = []
    for size in range(min(len(words), 6), 0, -1):      # an outlet name has a few words, never a long run
        for start in range(len(words) - size + 1):
            chosen = words[start:start + size]
            joined = re.sub(r"[^a-z0-9]", "", "".join(w for _, _, w in chosen).lower())
            if len(joined) >= 3:
                out.append((chosen[0][0], chosen[-1][0] + len(chosen[-1][2]), joined))
    return out


class Outlets:
    """The outlets of an index's URL sources, by name."""

    def __init__(self, sources: Iterable[str]) -> None:
        self._prefixes: dict[str, set[str]] = {}
        for source in sources:
            parts = urlsplit(source) if "://" in source else None
            if parts is None or not parts.hostname:
                continue
            netloc = re.sub(r"([*?\[])", r"[\1]", parts.netloc)        # a glob: its own characters escaped
            prefix = f"{parts.scheme}://{netloc}/*"
            for name in outlet_names(source):
                self._prefixes.setdefault(name, set()).add(prefix)

    def mentions(self, question: str, cue: bool = True) -> list[tuple[int, int, set[str]]]:
        """(start, end, source globs) of each outlet the question names (see the module docstring);
        `cue=False`: whether or not it speaks of reporting (a part's label: "The Verge")."""
        if not self._prefixes or cue and not asks_about_sources(question):
            return []
        out = []
        for m in _RUN.finditer(question):
            for start, end, key in _keys(m.group(0), m.start()):
                bare = re.sub(r"(?:com|net|org)$", "", key) if re.search(r"\.(?:com|net|org)\b", m.group(0)) else key
                found = (self._prefixes.get(bare) or self._prefixes.get(key)
                         or (self._prefixes.get(key[3:]) if key.startswith("the") else None))
                if found:
                    if 0 < start and end < len(question) and question[start - 1] in _QUOTES and question[end] in _QUOTES:
                        start, end = start - 1, end + 1               # "according to 'The Age'"
                    out.append((start, end, found))
                    break
        return out

    def naming(self, label: str) -> set[str]:
        """Source globs of the outlet a part's label names ("The Verge", "the TechCrunch article")."""
        return {g for _, _, globs in self.mentions(label, cue=False) for g in globs}

    def named(self, question: str, cue: bool = True) -> list[str]:
        """Source globs of the outlets the question names, sorted (none: not restricted); `cue=False`
        for a part of a question whose other part speaks of reporting."""
        return sorted({g for _, _, globs in self.mentions(question, cue) for g in globs})


def without_outlets(question: str, outlets: Outlets, keep: int | None = None, cue: bool = True) -> str:
    """The question with each outlet mention taken out ("the TechCrunch article", "According to The Verge,"),
    but the `keep`-th."""
    out, last = [], 0
    for number, (start, end, _) in enumerate(outlets.mentions(question, cue)):
        if number == keep:
            continue
        before = _BEFORE.search(question[last:start])
        cut = last + before.start() if before else start
        after = _AFTER.match(question[end:])
        out.append(question[last:cut])
        last = end + (after.end() if after else 0)
    if not out:
        return question
    out.append(question[last:])
    text = re.sub(r"\s+", " ", "".join(out)).strip(" ,")
    text = re.sub(r"\s+(?:and|or)(?=\s*(?:[?.,;:]|$))", "", text)    # "... by both X and Y": nothing left to join
    text = re.sub(r"\s+([?.,;:])", r"\1", text)
    text = re.sub(r"[,;:]+(?=[?.!]|$)", "", text)
    return text[:1].upper() + text[1:] if text[:1].islower() and not out[0].strip() else text
