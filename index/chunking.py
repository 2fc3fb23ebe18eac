"""Cut an article into overlapping, sentence-aware chunks that know their lines.

Why our own splitter and not LlamaIndex's `SentenceSplitter`: the splitter returns
text only, and line numbers are our contract. Mapping its output back to lines would be
a fuzzy search; here every unit (a sentence, or a token window of an over-long
sentence) carries ``(line, start_char, end_char)`` from the start, so a chunk's span is
exact by construction.

Rules:
- only "text" lines (see `index.boilerplate`) after the front matter yield units, so
  blank and boilerplate lines are never a chunk's substance;
- sizes are counted in the embedding model's own WordPiece tokens; the embedded text
  (title + units) never exceeds the model's `max_seq_length`, so nothing is cut silently;
- consecutive chunks share up to `overlap_tokens` of whole trailing units.

A chunk's `text` is the article's exact span: ``lines[start_line-1][start_char:]``,
the lines between, and ``lines[end_line-1][:end_char]``, joined by "\\n".
"""

from __future__ import annotations

from dataclasses import dataclass

from index.articles import Article
from index.boilerplate import line_kind
from index.sentences import split_sentences
from index.tokens import TokenOffsets

CHUNKER_VERSION = "2"  # 2: lines without a letter or digit are no longer units


@dataclass(frozen=True)
class ChunkSettings:
    max_seq_length: int = 256   # the model's limit, [CLS] and [SEP] included
    chunk_tokens: int = 192     # target size of the embedded text, title included
    overlap_tokens: int = 48
    title_tokens: int = 24      # at most this much of the title is embedded with each chunk

    def __post_init__(self) -> None:
        if not 16 <= self.chunk_tokens <= self.max_seq_length:
            raise ValueError(f"chunk_tokens must be between 16 and {self.max_seq_length}")
        if not 0 <= self.overlap_tokens < self.chunk_tokens // 2:
            raise ValueError("overlap_tokens must be >= 0 and < chunk_tokens / 2")
        if not 0 <= self.title_tokens <= self.chunk_tokens // 4:
            raise ValueError("title_tokens must be >= 0 and <= chunk_tokens / 4")

    @property
    def salt(self) -> str:
        return (f"chunker{CHUNKER_VERSION}:{self.max_seq_length}:{self.chunk_tokens}:"
                f"{self.overlap_tokens}:{self.title_tokens}")


@dataclass(frozen=True)
class Unit:
    line: int        # 1-based
    start: int       # character offsets within the line
    end: int
    tokens: int      # WordPiece tokens, no special tokens


@dataclass(frozen=True)
class Chunk:
    index: int
    start_line: int
    end_line: int
    start_char: int  # offset within start_line
    end_char: int    # offset within end_line (exclusive)
    text: str        # the exact span of the article
    embed_text: str  # what the model sees: title, then the units joined by spaces
    tokens: int      # tokens of embed_text, [CLS]/[SEP] included


def span_text(lines: tuple[str, ...] | list[str], start_line: int, start_char: int,
              end_line: int, end_char: int) -> str:
    """The exact text between two (line, char) positions; lines are 1-based.

    >>> span_text(("ab", "cd", "ef"), 1, 1, 3, 1)
    'b\\ncd\\ne'
    """
    if start_line == end_line:
        return lines[start_line - 1][start_char:end_char]
    parts = [lines[start_line - 1][start_char:], *lines[start_line:end_line - 1], lines[end_line - 1][:end_char]]
    return "\n".join(parts)


def article_units(article: Article, tok: TokenOffsets, limit: int) -> list[Unit]:
    """Sentences of the article's text lines; a sentence over `limit` tokens is cut into windows."""
    pieces: list[tuple[int, int, int]] = []
    for number in range(article.body_start, len(article.lines) + 1):
        line = article.lines[number - 1]
        if line_kind(line) != "text":
            continue
        pieces.extend((number, a, b) for a, b in split_sentences(line))
    texts = [article.lines[n - 1][a:b] for n, a, b in pieces]
    units: list[Unit] = []
    for (number, a, _b), offsets in zip(pieces, tok.offsets(texts)):
        if not offsets:
            continue
        for lo, hi in _windows(offsets, limit):
            units.append(Unit(number, a + offsets[lo][0], a + offsets[hi - 1][1], hi - lo))
    return units


def _windows(offsets: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Token index ranges of at most `limit` tokens, cut where a new word starts if possible."""
    out = []
    lo = 0
    while len(offsets) - lo > limit:
        hi = lo + limit
        for cut in range(hi, max(lo + limit // 2, lo + 1), -1):
            if offsets[cut][0] > offsets[cut - 1][1]:  # whitespace before token `cut`
                hi = cut
                break
        out.append((lo, hi))
        lo = hi
    out.append((lo, len(offsets)))
    return out


def chunk_article(article: Article, tok: TokenOffsets, settings: ChunkSettings = ChunkSettings()) -> list[Chunk]:
    """Overlapping chunks of `article`, in text order."""
    title = article.title.strip()
    title_offsets = tok.offsets([title])[0] if title and settings.title_tokens else []
    title_offsets = title_offsets[: settings.title_tokens]
    title = title[: title_offsets[-1][1]] if title_offsets else ""
    # Token counts add up exactly across whitespace for WordPiece, so the budget is exact:
    # [CLS] + title + units + [SEP] <= chunk_tokens.
    budget = settings.chunk_tokens - 2 - len(title_offsets)
    units = article_units(article, tok, budget)
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last, used = first, units[first].tokens
        while last + 1 < len(units) and used + units[last + 1].tokens <= budget:
            last += 1
            used += units[last].tokens
        chunks.append(_make_chunk(article, title, units[first:last + 1], len(chunks), used + len(title_offsets) + 2))
        if last + 1 >= len(units):
            break
        # carry whole trailing units as overlap, but never so many that the next unit can't fit
        room = min(settings.overlap_tokens, budget - units[last + 1].tokens)
        nxt, carried = last + 1, 0
        while nxt - 1 > first and carried + units[nxt - 1].tokens <= room:
            nxt -= 1
            carried += units[nxt].tokens
        first = nxt
    return chunks


def _make_chunk(article: Article, title: str, units: list[Unit], index: int, tokens: int) -> Chunk:
    head, tail = units[0], units[-1]
    body = " ".join(article.lines[u.line - 1][u.start:u.end] for u in units)
    return Chunk(
        index=index, start_line=head.line, end_line=tail.line, start_char=head.start, end_char=tail.end,
        text=span_text(article.lines, head.line, head.start, tail.line, tail.end),
        embed_text=f"{title}\n{body}" if title else body, tokens=tokens,
    )
