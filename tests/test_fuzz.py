"""Property-based tests: loaders only ever return articles or `BadArticle`; chunker invariants hold."""

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index.articles import Article
from index.boilerplate import line_kind
from index.chunking import ChunkSettings, chunk_article, span_text
from index.errors import BadArticle
from index.loaders import load_file

SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl"]
FAST = settings(max_examples=60, deadline=None, database=None,  # write nothing outside tmp_path
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_escape_as_other_errors(tmp_path: Path, data: bytes, suffix: str):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    items = load_file(path, path.name)
    assert items and all(isinstance(i, (Article, BadArticle)) for i in items)
    for item in items:
        if isinstance(item, BadArticle):
            assert str(item).startswith(path.name) and "\n" not in str(item)


@FAST
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]),
       suffix=st.sampled_from(SUFFIXES))
def test_random_text_in_random_encodings(tmp_path: Path, text: str, encoding: str, suffix: str):
    path = tmp_path / f"y{suffix}"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        return
    items = load_file(path, path.name)
    assert items and all(isinstance(i, (Article, BadArticle)) for i in items)


@FAST
@given(depth=st.integers(min_value=1, max_value=400), word=st.text(alphabet="abc <>&\"'", min_size=1, max_size=20))
def test_deeply_nested_html(tmp_path: Path, depth: int, word: str):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * depth + f"<p>{word} is a sentence of some length.</p>" + "</div>" * depth
                    + "</body></html>")
    [item] = load_file(path, "deep.html")
    assert isinstance(item, (Article, BadArticle))


@FAST
@example(lines=["\x1b"], title="")              # found by CI: a control character alone is not text
@example(lines=["* * *", "—", "Real words here."], title="")
@given(lines=st.lists(st.one_of(st.text(max_size=300), st.sampled_from(["", " ", "Leave a Comment", "A short line."]),
                                st.text(alphabet="ab. ", min_size=500, max_size=3000)), max_size=30),
       title=st.text(max_size=80))
def test_chunker_invariants(tokenizer, lines: list[str], title: str):
    lines = [x.replace("\n", " ").replace("\r", " ") for x in lines]
    article = Article(source="fuzz.txt", lines=tuple(lines), title=title)
    cfg = ChunkSettings()
    chunks = chunk_article(article, tokenizer, cfg)
    for c in chunks:
        assert c.text == span_text(article.lines, c.start_line, c.start_char, c.end_line, c.end_char)
        assert tokenizer.count(c.embed_text) <= cfg.chunk_tokens <= 256
        assert line_kind(article.lines[c.start_line - 1]) == "text"
    covered = {(c.start_line, c.end_line) for c in chunks}
    text_lines = [n for n, x in enumerate(lines, 1) if line_kind(x) == "text"]
    for n in text_lines:
        assert any(a <= n <= b for a, b in covered), f"line {n} not in any chunk"
