"""Retrieval filters and the as-of date preference.

Filters (keyword arguments of `Retriever.retrieve`):
- ``sources``: a glob or list of globs over article sources (``"local/*"``, ``"*cnn.com*"``);
- ``published_from`` / ``published_to``: an inclusive date range (articles without a date are
  left out when a range is given);
- ``prefer_recent``: with ``as_of``, whether recent articles are preferred (True, the default
  when a date is given on purpose), not (False: ``as_of`` only excludes later articles), or
  "auto": only when the question asks about the present ("latest", "now", "this week",
  "currently"...), which is what the chat uses while its "As of" box holds today's default.
- ``as_of``: the "today" of the question. Articles published after it are never returned,
  so none can outrank one from before it. Among the rest, recent ones are preferred:

      weight(d) = 1                                          d <= grace days before the reference
                = floor + (1 - floor) * exp(-(d - grace) / tau)   older

  where the reference day is the newest article date on or before `as_of` (so "today" over an
  old corpus means "the latest news there"). Articles without a date get `undated`. The
  constants were chosen on the RealTime QA dev questions (see `eval/`), not per question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase
from collections.abc import Sequence
from typing import Any

import numpy as np

from index.store import published_day


def parse_day(value: str | date | None, name: str) -> str:
    """Validate a YYYY-MM-DD date (or a `date`), returning it as ISO text ("" for None/"")."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def _day_number(day: int) -> int:
    """20220612 -> days since 0001-01-01 (for differences)."""
    return date(day // 10000, day // 100 % 100, day % 100).toordinal()


@dataclass(frozen=True)
class TimePreference:
    grace_days: float = 7.0
    tau_days: float = 2.0
    floor: float = 0.1
    undated: float = 0.5

    def weights(self, days: np.ndarray, reference: int) -> np.ndarray:
        """Weights for articles published on `days` (YYYYMMDD ints, 0 = unknown)."""
        out = np.full(days.shape, self.undated, dtype=np.float64)
        known = days > 0
        if not known.any() or reference <= 0:
            return out
        ref = _day_number(reference)
        ages = np.array([ref - _day_number(int(d)) for d in days[known]], dtype=np.float64)
        over = np.maximum(ages - self.grace_days, 0.0)
        out[known] = self.floor + (1.0 - self.floor) * np.exp(-over / self.tau_days)
        return out


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()
    published_from: str = ""
    published_to: str = ""
    as_of: str = ""
    prefer_recent: bool | str = True    # with as_of: True, False, or "auto" (decided from the question)

    @classmethod
    def from_kwargs(cls, **filters: Any) -> "Filters":
        unknown = set(filters) - {"sources", "source", "published_from", "published_to", "as_of", "prefer_recent"}
        if unknown:
            raise ValueError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        sources = filters.get("sources", filters.get("source")) or ()
        if isinstance(sources, str):
            sources = (sources,)
        made = cls(tuple(str(s) for s in sources), parse_day(filters.get("published_from"), "published_from"),
                   parse_day(filters.get("published_to"), "published_to"), parse_day(filters.get("as_of"), "as_of"))
        if made.published_from and made.published_to and made.published_from > made.published_to:
            raise ValueError("published_from is after published_to")
        prefer = filters.get("prefer_recent", True)
        if prefer not in (True, False, "auto"):
            raise ValueError(f"prefer_recent must be true, false or 'auto', not {prefer!r}")
        return replace(made, prefer_recent=prefer)

    def for_question(self, question: str) -> "Filters":
        """`prefer_recent="auto"` made definite: recent news is preferred when the question asks about now."""
        if self.prefer_recent != "auto":
            return self
        return replace(self, prefer_recent=asks_about_now(question))

    @property
    def latest_day(self) -> int:
        """The last allowed publication day (YYYYMMDD), 0 for no limit."""
        days = [published_day(d) for d in (self.published_to, self.as_of) if d]
        return min(days) if days else 0

    def source_matches(self, source: str) -> bool:
        return not self.sources or any(fnmatchcase(source, g) for g in self.sources)

    def mask(self, sources: Sequence[str], days: np.ndarray) -> np.ndarray | None:
        """Boolean mask over parallel (source, day) arrays; None when nothing is filtered. `sources`
        may be a column of repeated values (`values`, `rows`: the read model's), matched once a value."""
        if not (self.sources or self.published_from or self.published_to or self.as_of):
            return None
        keep = np.ones(len(sources), dtype=bool)
        values, rows = getattr(sources, "values", None), getattr(sources, "rows", None)
        if self.sources and values is not None and rows is not None:
            keep &= np.asarray([self.source_matches(s) for s in values] or [False], dtype=bool)[rows]
        elif self.sources:
            allowed = {s for s in set(sources) if self.source_matches(s)}
            keep &= np.fromiter((s in allowed for s in sources), dtype=bool, count=len(sources))
        if self.published_from:
            keep &= days >= published_day(self.published_from)
        if self.published_to:
            keep &= (days <= published_day(self.published_to)) & (days > 0)
        if self.as_of:
            keep &= days <= published_day(self.as_of)    # undated (0) stays
        return keep


def newest_day(days: np.ndarray, mask: np.ndarray | None) -> int:
    """The newest known publication day among the allowed chunks (0 when none is dated)."""
    usable = days[(mask if mask is not None else np.ones(len(days), dtype=bool)) & (days > 0)]
    return int(usable.max()) if usable.size else 0


def reference_day(filters: Filters, days: np.ndarray, mask: np.ndarray | None) -> int:
    """The day recency is measured from: the newest allowed article date on/before as_of."""
    return newest_day(days, mask) if filters.as_of else 0


__all__ = ["Filters", "TimePreference", "newest_day", "parse_day", "reference_day"]


_NOW = re.compile(r"\b(?:latest|newest|now|nowadays|currently|current|today|tonight|yesterday|this (?:week|month|year|"
                  r"weekend|morning|season)|last (?:week|month|night)|recent|recently|so far|still|at the moment|"
                  r"upcoming|next|lately|ongoing|as of)\b", re.I)


def asks_about_now(question: str) -> bool:
    """Does the question ask about the present?

    >>> asks_about_now("What is the latest count of homes evacuated?"), asks_about_now("Who won the election?")
    (True, False)
    """
    return bool(_NOW.search(question))
