from pathlib import Path

import pytest

from index.errors import BadArticle
from index.loaders import find_files, load_file, load_folder, split_lines
from tests.conftest import DATA


def _by_source(root: Path) -> dict:
    return {a.source: a for a in load_folder(root)}


def test_every_format_in_a_folder_recursively():
    found = _by_source(DATA / "articles")
    assert sorted(found) == ["harbor-bridge.txt", "https://example.test/news/ferry", "nested/orchard-report.md",
                             "robotics-fair.html", "wire.jsonl#2"]
    assert all(not isinstance(a, BadArticle) for a in found.values())


def test_txt_lines_are_the_files_own_lines():
    art = _by_source(DATA / "articles")["harbor-bridge.txt"]
    file_lines = (DATA / "articles" / "harbor-bridge.txt").read_text().split("\n")
    assert list(art.lines) == file_lines[:-1]
    assert art.lines[7] == "Engineers replaced 214 rusted bolts and repainted the northern span."
    assert (art.title, art.published, art.body_start) == ("Harbor bridge reopens after repairs", "2024-11-03", 1)


def test_markdown_front_matter_gives_metadata_and_is_not_body():
    art = _by_source(DATA / "articles")["nested/orchard-report.md"]
    assert (art.title, art.published, art.authors, art.body_start) == (
        "Orchard harvest beats forecast", "2024-10-20", ("Test Desk",), 6)
    assert art.lines[7] == "Growers in the Pell Valley picked 9,400 tonnes of apples this autumn."


def test_html_main_text_without_scripts_or_navigation():
    art = _by_source(DATA / "articles")["robotics-fair.html"]
    text = art.text
    assert "Corrin High School won the regional robotics fair" in text
    assert "trackingId" not in text and "should-never-appear" not in text
    assert "Sport" not in text and "All rights reserved" not in text
    assert (art.title, art.published) == ("Students win robotics fair", "2024-09-15")


def test_jsonl_records_url_or_file_and_line_as_source():
    found = _by_source(DATA / "articles")
    ferry = found["https://example.test/news/ferry"]
    assert ferry.lines == ("The night ferry to Ostra Island returns on Friday.", "Tickets go on sale at the harbour office.")
    assert (ferry.title, ferry.published, ferry.authors) == ("Night ferry returns", "2024-08-02", ("Test Desk",))
    library = found["wire.jsonl#2"]
    assert (library.title, library.published, library.authors) == ("Library extends hours", "2024-07-30", ())


def test_utf16_with_bom_is_read(tmp_path: Path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Wide title\n\nA sentence in UTF-16.\n".encode("utf-16"))
    [art] = load_file(path, "wide.txt")
    assert art.lines == ("Wide title", "", "A sentence in UTF-16.")


def test_split_lines_keeps_sed_numbering():
    assert split_lines("a\r\nb\n\nc") == ("a", "b", "", "c")
    assert split_lines("one line") == ("one line",)
    # form feeds and unicode separators are not line breaks for sed, so not for us either
    assert split_lines("a\x0cb\u2028c\n") == ("a\x0cb\u2028c",)


@pytest.mark.parametrize("name, content, cause", [
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"\n \n\t\n", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes), not text"),
    ("latin1.txt", b"Caf\xe9 opens today.\n", "not UTF-8 text (invalid byte 0xe9 at offset 3); convert the file to UTF-8"),
    ("furniture.txt", b"Leave a Comment\n\nAbout The Author\n", "no article text (only blank or boilerplate lines)"),
    ("odd.txt", b"\xff\xfeA\x00B", "not UTF-16 text (invalid byte 0x42 at offset 4); convert the file to UTF-8"),
    ("nothing.html", b"<html><body><script>x()</script></body></html>", "no article text found in the HTML"),
    ("list.json", b"[]", "no JSON records in file"),
])
def test_bad_files_give_one_clear_error(tmp_path: Path, name: str, content: bytes, cause: str):
    path = tmp_path / name
    path.write_bytes(content)
    [err] = load_file(path, name)
    assert isinstance(err, BadArticle)
    assert (err.path, err.cause, err.line) == (name, cause, None)
    assert str(err) == f"{name}: {cause}"


def test_malformed_jsonl_line_is_named_and_the_rest_is_read(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "First record body."}\n{"text": broken\n\n{"title": "no body"}\n{"text": "Last one."}\n')
    items = load_file(path, "feed.jsonl")
    assert [str(i) if isinstance(i, BadArticle) else i.source for i in items] == [
        "feed.jsonl#1",
        "feed.jsonl:2: malformed JSON (Expecting value at column 10)",
        "feed.jsonl:4: record has no text (looked for text, body, content, maintext, article)",
        "feed.jsonl#5",
    ]


def test_vanished_file(tmp_path: Path):
    [err] = load_file(tmp_path / "gone.txt", "gone.txt")
    assert str(err) == "gone.txt: file vanished before it could be read"


def test_find_files_skips_hidden_and_unsupported(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "a.TXT").write_text("Upper case suffix.")
    assert [p.name for p in find_files(tmp_path)] == ["a.TXT"]
    with pytest.raises(FileNotFoundError):
        find_files(tmp_path / "missing")
