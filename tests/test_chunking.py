"""Chunker invariants, checked with the model's real tokenizer (as minbpe tests its BPE)."""

from pathlib import Path

import pytest

from index.articles import Article
from index.boilerplate import line_kind
from index.chunking import ChunkSettings, chunk_article, span_text
from index.loaders import load_text
from index.sentences import split_sentences
from tests.conftest import DATA


def _check_invariants(article: Article, chunks, tokenizer, settings=ChunkSettings()):
    for c in chunks:
        # the span rejoins to exactly the chunk's text
        assert c.text == span_text(article.lines, c.start_line, c.start_char, c.end_line, c.end_char)
        lines = article.lines[c.start_line - 1:c.end_line]
        assert c.text.startswith(lines[0][c.start_char:c.start_char + 10])
        # never longer than the model accepts, counted by the real tokenizer
        assert tokenizer.count(c.embed_text) == c.tokens <= settings.chunk_tokens <= 256
        # its substance is text, never only blank/boilerplate lines
        assert any(line_kind(x) == "text" for x in lines)
        assert line_kind(article.lines[c.start_line - 1]) == "text"
        assert line_kind(article.lines[c.end_line - 1]) == "text"
    # every character of every text line is covered by some chunk
    for number, line in enumerate(article.lines, start=1):
        if number < article.body_start or line_kind(line) != "text":
            continue
        covered = [False] * len(line)
        for c in chunks:
            if c.start_line <= number <= c.end_line:
                lo = c.start_char if number == c.start_line else 0
                hi = c.end_char if number == c.end_line else len(line)
                covered[lo:hi] = [True] * (hi - lo)
        assert all(ok or line[i].isspace() for i, ok in enumerate(covered)), f"line {number} not covered"


def test_seed_article_chunks(seed_dir: Path, tokenizer):
    article = load_text((seed_dir / "iran-iraq-militias-missiles.txt").read_text(), "seed.txt")
    chunks = chunk_article(article, tokenizer)
    _check_invariants(article, chunks, tokenizer)
    assert [(c.start_line, c.end_line) for c in chunks][0][0] == 1
    # nothing after the article body: "About The Author"/"Leave a Comment" lines are never chunked
    assert max(c.end_line for c in chunks) == 40
    # consecutive chunks overlap by whole sentences
    for a, b in zip(chunks, chunks[1:]):
        assert (b.start_line, b.start_char) <= (a.end_line, a.end_char)


def test_five_thousand_character_line_is_split_not_truncated(tokenizer):
    sentence = "The committee reviewed budget line {} and approved it without changes"
    line = ", ".join(sentence.format(i) for i in range(80))[:5000]
    assert len(line) == 5000 and "\n" not in line
    article = Article(source="long.txt", lines=(line,), title="Budget review")
    chunks = chunk_article(article, tokenizer)
    assert len(chunks) >= 5
    _check_invariants(article, chunks, tokenizer)
    assert chunks[0].start_char == 0 and chunks[-1].end_char == 5000
    # windows of one sentence meet exactly: no character is lost between them
    for a, b in zip(chunks, chunks[1:]):
        assert b.start_char <= a.end_char + 1


@pytest.mark.parametrize("text, expected", [
    ("Just one line without newline.", [(1, 1)]),
    ("First line.\r\nSecond line.\r\n", [(1, 2)]),
    ("\n\nLeave a Comment\n\nReal sentence here.\n\n", [(5, 5)]),
])
def test_edge_cases(tokenizer, text, expected):
    article = load_text(text, "x.txt")
    chunks = chunk_article(article, tokenizer)
    assert [(c.start_line, c.end_line) for c in chunks] == expected
    _check_invariants(article, chunks, tokenizer)


def test_empty_article_has_no_chunks(tokenizer):
    assert chunk_article(Article("empty.txt", ()), tokenizer) == []
    assert chunk_article(Article("blank.txt", ("", "\u00a0", "Leave a Comment")), tokenizer) == []


def test_crlf_text_has_no_carriage_returns(tokenizer):
    article = load_text("Alpha sentence one.\r\nBeta sentence two.\r\n", "crlf.txt")
    [chunk] = chunk_article(article, tokenizer)
    assert chunk.text == "Alpha sentence one.\nBeta sentence two."


def test_small_chunks_overlap_and_cover(tokenizer):
    article = load_text((DATA / "articles" / "harbor-bridge.txt").read_text(), "harbor-bridge.txt")
    settings = ChunkSettings(chunk_tokens=32, overlap_tokens=15, title_tokens=4)
    chunks = chunk_article(article, tokenizer, settings)
    _check_invariants(article, chunks, tokenizer, settings)
    assert [(c.start_line, c.end_line) for c in chunks] == [(1, 4), (4, 6), (8, 8)]


def test_settings_are_validated():
    with pytest.raises(ValueError):
        ChunkSettings(chunk_tokens=400)
    with pytest.raises(ValueError):
        ChunkSettings(chunk_tokens=64, overlap_tokens=40)


def test_sentence_splitter_keeps_offsets():
    text = "Gen. Ida Moss arrived at 5 p.m. on Monday. “We are ready,” she said. Was it 3.5 km? Yes."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Gen. Ida Moss arrived at 5 p.m. on Monday.", "“We are ready,” she said.", "Was it 3.5 km?", "Yes."]
