"""PDF and Word articles: lines, pages, metadata, refusals; a mixed folder ingested in one run and
asked with the real model (PDF citations name their page, .txt citations still match `sed`)."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest

from index.errors import BadArticle
from index.loaders import SUPPORTED_SUFFIXES, load_file
from index.pdf_text import PAGE_BREAK, load_pdf, page_of
from qa.pages import add_pages, page_label
from qa.uploads import check_upload, stage_uploads
from tests.pdf_maker import encrypt_pdf, make_pdf

HEADER = "Riverside Council Bulletin"
PAGES = [
    [HEADER, "Bridge Repairs Finish Early", "Crews finished the Mill Lane bridge repairs on 3 March.",
     "The work came in under its budget of two million pounds.", "Page 1 of 3"],
    [HEADER, "The bridge reopens to buses on Monday.", "Cyclists get a new painted lane on the east side.",
     "Page 2 of 3"],
    [HEADER, "The council thanked residents for their patience.", "Page 3 of 3"],
]
INFO = {"Title": "Bridge Repairs Finish Early", "CreationDate": "D:20250304091500Z", "Author": "Nia Fenwick"}


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.created = datetime.datetime(2025, 2, 11, 8, 30)
    document.core_properties.author = "Omar Castell"
    document.add_heading("Harbour Pool Reopens", level=1)
    document.add_paragraph("The Harbour Pool reopened on Saturday after a new roof was fitted.")
    document.add_heading("Opening hours", level=2)
    document.add_paragraph("It opens at six every weekday morning for lane swimming.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_pdf_lines_pages_and_metadata():
    article = load_pdf(make_pdf(PAGES, INFO), "bulletin.pdf")
    assert article.lines == (
        PAGE_BREAK, "Bridge Repairs Finish Early", "Crews finished the Mill Lane bridge repairs on 3 March.",
        "The work came in under its budget of two million pounds.",
        PAGE_BREAK, "The bridge reopens to buses on Monday.", "Cyclists get a new painted lane on the east side.",
        PAGE_BREAK, "The council thanked residents for their patience.")       # header and page numbers gone
    assert (article.title, article.published, article.authors) == (INFO["Title"], "2025-03-04", ("Nia Fenwick",))
    assert [page_of(article.lines, n) for n in (2, 4, 6, 7, 9)] == [1, 1, 2, 2, 3]
    assert page_label(article.lines, 6, 6) == "p. 2" and page_label(article.lines, 3, 6) == "pp. 1-2"
    assert page_label(("Plain text.",), 1, 1) == ""


def test_pdf_without_metadata_takes_title_and_date_from_text():
    article = load_pdf(make_pdf([["Flood Warning Lifted", "Published 14 June 2025", "The river fell overnight."]],
                                compress=False), "warning.pdf")
    assert (article.title, article.published) == ("Flood Warning Lifted", "2025-06-14")
    assert article.lines == (PAGE_BREAK, "Flood Warning Lifted", "Published 14 June 2025", "The river fell overnight.")


def test_a_pdf_opened_by_the_empty_password_is_read():
    article = load_pdf(encrypt_pdf(make_pdf(PAGES, INFO), ""), "open.pdf")
    assert article.lines[1] == "Bridge Repairs Finish Early"


@pytest.mark.parametrize(("data", "limits", "message"), [
    (lambda: encrypt_pdf(make_pdf(PAGES), "s3cret"), {}, "locked.pdf: encrypted PDF (needs a password); skipped"),
    (lambda: make_pdf([[], []]), {}, "locked.pdf: scanned: no text to index; OCR is not included"),
    (lambda: make_pdf(PAGES)[:300], {}, "locked.pdf: damaged PDF (Stream has ended unexpectedly); skipped"),
    (lambda: make_pdf(PAGES), {"max_pages": 2}, "locked.pdf: 3 pages: over the 2-page limit; skipped"),
    (lambda: make_pdf(PAGES), {"max_chars": 120},
     "locked.pdf: more than 120 characters of text: over the limit; skipped"),
])
def test_bad_pdfs_get_one_line_each(data, limits, message):  # type: ignore[no-untyped-def]
    with pytest.raises(BadArticle) as caught:
        load_pdf(data(), "locked.pdf", **limits)
    assert str(caught.value) == message


def test_docx_paragraphs_and_headings_are_lines(tmp_path: Path):
    path = tmp_path / "pool.docx"
    path.write_bytes(_docx_bytes())
    [article] = load_file(path, "pool.docx")
    assert article.lines == ("Harbour Pool Reopens", "The Harbour Pool reopened on Saturday after a new roof was fitted.",
                             "Opening hours", "It opens at six every weekday morning for lane swimming.")
    assert (article.title, article.published, article.authors) == ("Harbour Pool Reopens", "2025-02-11", ("Omar Castell",))
    (tmp_path / "fake.docx").write_bytes(b"this is not a zip file at all")
    [bad] = load_file(tmp_path / "fake.docx", "fake.docx")
    assert str(bad) == "fake.docx: not a Word .docx file (File is not a zip file); skipped"


def test_uploads_take_pdf_and_docx_with_checks(tmp_path: Path):
    assert SUPPORTED_SUFFIXES[-2:] == (".pdf", ".docx")
    incoming = tmp_path / "in"
    incoming.mkdir()
    (incoming / "a").write_bytes(make_pdf(PAGES))
    (incoming / "b").write_bytes(_docx_bytes())
    (incoming / "c").write_bytes(b"<html>not a pdf</html>")
    (incoming / "d").write_bytes(b"%PDF-1.4 but not really a zip")
    staged, refused = stage_uploads([(incoming / "a", "Report.PDF"), (incoming / "b", "pool.docx"),
                                     (incoming / "c", "fake.pdf"), (incoming / "d", "fake.docx")],
                                    tmp_path / "batch", max_bytes=1_000_000)
    assert [p.name for p in staged] == ["Report.pdf", "pool.docx"]
    assert refused == ["fake.pdf: not a PDF file", "fake.docx: not a Word .docx file"]
    with pytest.raises(ValueError, match="not a text file"):     # text types keep the binary check
        check_upload(incoming / "b", 1_000_000, ".txt")


def test_add_pages_marks_json_records():
    lines = (PAGE_BREAK, "a", PAGE_BREAK, "b", "c")
    records = [{"source": "x.pdf", "start_line": 4, "end_line": 5}, {"source": "x.pdf", "start_line": 2, "end_line": 4},
               {"source": "y.txt", "start_line": 1, "end_line": 1}]
    add_pages(records, {"x.pdf": lines, "y.txt": ("plain",)}.get)
    assert records == [{"source": "x.pdf", "start_line": 4, "end_line": 5, "page": 2},
                       {"source": "x.pdf", "start_line": 2, "end_line": 4, "page": 1, "end_page": 2},
                       {"source": "y.txt", "start_line": 1, "end_line": 1}]


def _mixed_folder(root: Path) -> None:
    root.mkdir()
    (root / "bulletin.pdf").write_bytes(make_pdf(PAGES, INFO))
    (root / "pool.docx").write_bytes(_docx_bytes())
    (root / "market.html").write_text(
        "<html><head><title>Night Market Returns</title></head><body><article><h1>Night Market Returns</h1>"
        "<p>The Quayside night market returns on Friday with forty food stalls.</p></article></body></html>")
    (root / "library.md").write_text("# Library Adds Sunday Hours\n\nThe Elm Street library now opens on Sundays "
                                     "from ten until four.\n")
    (root / "school.txt").write_text("School Roof Fixed\n\nStorm damage to the Oakfield school roof was repaired.\n"
                                     "Pupils return to the upper classrooms on Wednesday.\n")
    (root / "wire.jsonl").write_text(json.dumps({"title": "Ferry Fares Frozen", "url": "https://news.example/ferry",
                                                 "text": "Ferry fares to Gull Island stay at four pounds this year."}) + "\n")


def test_mixed_folder_ingests_in_one_run_and_cites_pdf_pages(tmp_path: Path, embedder, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    import qa.ingest
    from qa.cli import main

    monkeypatch.setattr(qa.ingest, "document_embedder", lambda config: embedder)
    root = tmp_path / "mixed"
    _mixed_folder(root)
    index = str(tmp_path / "idx")
    assert main(["ingest", str(root), "--index", index, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("added 6, updated 0, unchanged 0, removed 0, failed 0; ")

    assert main(["ask", "When does the bridge reopen to buses?", "--index", index]) == 0
    answer = capsys.readouterr().out
    assert "  [1] bulletin.pdf:6-6 (p. 2)\n" in answer
    assert '"The bridge reopens to buses on Monday."' in answer

    assert main(["ask", "When does the bridge reopen to buses?", "--index", index, "--json"]) == 0
    cited = json.loads(capsys.readouterr().out)["citations"][0]
    assert (cited["source"], cited["start_line"], cited["end_line"], cited["page"]) == ("bulletin.pdf", 6, 6, 2)

    assert main(["ask", "When do pupils return to the upper classrooms?", "--index", index, "--json"]) == 0
    cited = json.loads(capsys.readouterr().out)["citations"][0]
    assert (cited["source"], "page" in cited) == ("school.txt", False)
    start, end = cited["start_line"], cited["end_line"]
    sed = (root / "school.txt").read_text().split("\n")[start - 1:end]     # sed -n START,ENDp school.txt
    assert cited["quote"] in "\n".join(sed)
    assert (start, end) == (4, 4)
