"""Which lines of an article are substance and which are page furniture.

`line_kind(line)` sorts a line into one of three kinds:

- ``"blank"``: nothing to read: no letter or digit (whitespace, NBSP, control characters,
  rules such as "* * *");
- ``"boilerplate"``: site furniture such as "Leave a Comment", "About The Author",
  "Share this article", "Advertisement", copyright lines, front-matter fences;
- ``"text"``: everything else.

Blank and boilerplate lines are never the substance of a chunk and are never cited.
The list is deliberately conservative: a false "boilerplate" would hide real text.
"""

from __future__ import annotations

import re

_BOILERPLATE = re.compile(
    r"""^(?:
        leave\ a\ (?:comment|reply)
      | about\ the\ author
      | (?:share|print|email|tweet)(?:\ (?:this|the))?(?:\ (?:article|story|post|page))?(?:\ on\ \w+)?
      | advertisement|sponsored(?:\ content)?|ad\ feedback
      | (?:related|recommended|more)(?:\ (?:stories|articles|posts|reading|from\ \w+))?:?
      | read\ more|continue\ reading|click\ here.*|see\ also:?
      | sign\ up.*newsletter.*|subscribe(?:\ now|\ to\ .*)?|follow\ us.*
      | (?:©|\(c\)|copyright)\ .*|all\ rights\ reserved\.?
      | (?:skip\ to\ (?:main\ )?content)|back\ to\ top|log\ ?in|sign\ in|menu|home
      | comments?|\d+\ comments?|tags?:.*
      | (?:content\ )?retrieved\ from:?\ \S+
      | -{3,}|\*{3,}|_{3,}|={3,}
    )\s*[.!:]?$""",
    re.IGNORECASE | re.VERBOSE,
)

_INVISIBLE = "\u00a0\u200b\u200c\u200d\ufeff\u2060"


def line_kind(line: str) -> str:
    """Kind of one line.

    >>> [line_kind(x) for x in ["", "\\u00a0 ", "Leave a Comment", "Iran sent missiles."]]
    ['blank', 'blank', 'boilerplate', 'text']
    """
    stripped = line.strip().strip(_INVISIBLE).strip()
    if not any(ch.isalnum() for ch in stripped):
        return "blank"          # nothing to read: empty, spaces, control characters, rules, dingbats
    if _BOILERPLATE.match(stripped):
        return "boilerplate"
    return "text"

