"""Find and normalise publication dates: ISO strings, "Apr 9, 2025", "9 April 2025".

Only dates are kept (``YYYY-MM-DD``); times and zones are dropped because the as-of
logic works in days.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_ISO = re.compile(r"(?<!\d)(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?!\d)")
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def _make(y: str, m: int | None, d: str) -> str:
    if m is None:
        return ""
    try:
        return date(int(y), m, int(d)).isoformat()
    except ValueError:
        return ""


def parse_date(text: str) -> str:
    """First date found in `text` as ``YYYY-MM-DD``, else "".

    >>> parse_date("Apr 9, 2025, 5:53 AM"), parse_date("2022-06-12T10:00:00Z"), parse_date("soon")
    ('2025-04-09', '2022-06-12', '')
    """
    if not text:
        return ""
    m = _ISO.search(text)
    if m:
        found = _make(m.group(1), int(m.group(2)), m.group(3))
        if found:
            return found
    m = _MDY.search(text)
    if m:
        found = _make(m.group(3), _MONTHS.get(m.group(1)[:3].lower()), m.group(2))
        if found:
            return found
    m = _DMY.search(text)
    if m:
        return _make(m.group(3), _MONTHS.get(m.group(2)[:3].lower()), m.group(1))
    return ""
