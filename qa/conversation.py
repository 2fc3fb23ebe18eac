"""Follow-up questions without an LLM: carry the conversation's subject into the search.

A question is a follow-up when it leans on earlier turns: it has an anaphoric word ("it",
"they", "she", "that", "there"...) or fewer than three content words. Its context is the
previous question together with that question's own context, so a chain of follow-ups
keeps pointing at the first subject. The context is searched with the question and scored
at a lower weight than the question's own words by the composer.

`history` may hold earlier questions as strings, ``{"role": "user", "content": ...}``
messages (Gradio's format), or `Answer` objects; assistant messages are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

ANAPHORA = {
    "it", "its", "they", "them", "their", "theirs", "he", "him", "his", "she", "her", "hers",
    "this", "that", "these", "those", "there", "then", "such", "the same", "former", "latter",
}
_WORD = re.compile(r"[A-Za-z']+")
_QUESTION_WORDS = {"who", "what", "when", "where", "which", "why", "how", "whom", "whose", "did", "does",
                   "do", "is", "are", "was", "were", "will", "can", "could", "should", "would", "much", "many"}
_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "by", "with", "at", "from", "be", "been",
         "about", "as", "into", "than", "so", "any", "some", "more", "most", "also", "get", "got", "has", "have", "had"}


def user_questions(history: Sequence[Any] | None) -> list[str]:
    out: list[str] = []
    for turn in history or ():
        if isinstance(turn, str):
            out.append(turn)
        elif isinstance(turn, dict):
            if turn.get("role") == "user" and isinstance(turn.get("content"), str):
                out.append(turn["content"])
        elif hasattr(turn, "question"):
            out.append(str(turn.question))
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            out.append(turn[0])           # (user, assistant) pairs
    return [q for q in out if q.strip()]


def is_follow_up(question: str) -> bool:
    """Does the question lean on earlier turns?

    >>> is_follow_up("Who commands it?"), is_follow_up("Who commands Iran's Quds Force?")
    (True, False)
    """
    words = [w.lower().strip("'") for w in _WORD.findall(question)]
    if any(w in ANAPHORA for w in words):
        return True
    content = [w for w in words if w not in _QUESTION_WORDS and w not in _STOP and len(w) > 1]
    return len(content) < 2


def context_for(question: str, history: Sequence[Any] | None, depth: int = 2) -> str:
    """The earlier questions this one leans on ("" when it stands alone).

    >>> context_for("Who commands it?", ["What is Iran's Quds Force doing in Iraq?"])
    "What is Iran's Quds Force doing in Iraq?"
    """
    questions = user_questions(history)
    if not questions or not is_follow_up(question):
        return ""
    parts: list[str] = []
    current = question
    for previous in reversed(questions):
        if len(parts) >= depth or not is_follow_up(current) and parts:
            break
        parts.append(previous)
        current = previous
    return " ".join(reversed(parts))
