"""The chat app's parts without a browser: upload checks, HTML escaping, command line, first start."""

from __future__ import annotations

import doctest
import random
import re
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

import app
import qa.library
import qa.uploads
import app_views
from qa.library import clean_filters
from qa.uploads import ALLOWED_SUFFIXES, check_upload, safe_upload_name, stage_uploads
from app_views import Ref
from tests.conftest import REPO

SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(txt|md|markdown|html|htm|jsonl|json|pdf|docx)$")
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def test_doctests_of_the_app_modules():
    for module in (app_views, qa.library, qa.uploads):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__


@pytest.mark.parametrize(("name", "stored"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("/etc/cron.d/evil.md", "evil.md"),
    ("..\\..\\Windows\\win.ini.txt", "win.ini.txt"),
    ("C:/Users/me/My Report (final).HTML", "My_Report_final.html"),
    ("résumé.md", "resume.md"),
    ("新闻.txt", "upload.txt"),
    ("....txt", "upload.txt"),
    (".bashrc.json", "bashrc.json"),
    ("a\x00b\nc.jsonl", "a_b_c.jsonl"),
    (f"{HOSTILE}.txt", "script_img_src_x_onerror_window.__pwned_1.txt"),
    ("x" * 300 + ".md", "x" * 80 + ".md"),
    ("notes.MARKDOWN", "notes.markdown"),            # every suffix `qa ingest` reads (index.loaders)
])
def test_upload_names_are_cleaned(name: str, stored: str, tmp_path: Path):
    assert safe_upload_name(name) == stored
    assert SAFE.match(stored)
    assert (tmp_path / stored).resolve().parent == tmp_path.resolve()


@pytest.mark.parametrize("name", ["report.doc", "notes", "evil.txt.exe", "archive.tar.gz", "../..", "", ".md/x"])
def test_upload_names_of_other_types_are_refused(name: str):
    with pytest.raises(ValueError, match="not an article file"):
        safe_upload_name(name)


def test_any_upload_name_is_refused_or_safe():
    rng = random.Random(4)                   # seeded: names built from the characters that cause trouble
    alphabet = "ab./\\:*?\"<>| \x00\n\té…ﬁ／．~$`'%" + "".join(ALLOWED_SUFFIXES)
    for _ in range(3000):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) + rng.choice(["", *ALLOWED_SUFFIXES])
        try:
            stored = safe_upload_name(name)
        except ValueError:
            continue
        assert SAFE.match(stored) and len(stored) <= 86, (name, stored)


def test_upload_checks_size_emptiness_and_binary(tmp_path: Path):
    ok, empty, big, binary = (tmp_path / n for n in ("ok.txt", "empty.txt", "big.txt", "binary.txt"))
    ok.write_text("A short article.\n")
    empty.write_bytes(b"")
    big.write_bytes(b"a" * 1001)
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    check_upload(ok, max_bytes=1000)
    for path, cause in ((empty, "empty"), (big, "over the 0.001 MB limit"), (binary, "not a text file")):
        with pytest.raises(ValueError, match=cause):
            check_upload(path, max_bytes=1000)


def test_stage_uploads_writes_only_inside_the_folder(tmp_path: Path):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "a.txt").write_text("Article A.\n")
    (incoming / "b.bin").write_bytes(b"\x00\x01")
    dest = tmp_path / "uploads" / "batch"
    files = [(incoming / "a.txt", "../../escape.txt"), (incoming / "a.txt", "/abs/escape.txt"),
             (incoming / "a.txt", "ok.md"), (incoming / "b.bin", "b.txt"), (incoming / "a.txt", "x.exe")]
    staged, refused = stage_uploads(files, dest, max_bytes=1000)
    assert [p.name for p in staged] == ["escape.txt", "escape-2.txt", "ok.md"]     # nothing overwritten
    assert all(p.parent == dest.resolve() for p in staged)
    assert refused == ["b.txt: not a text file", "x.exe: not an article file (allowed: .txt .md .markdown .html .htm .jsonl .json .pdf .docx)"]
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["incoming/a.txt", "incoming/b.bin", "uploads/batch/escape-2.txt", "uploads/batch/escape.txt",
                       "uploads/batch/ok.md"]


def test_clean_filters_drops_what_the_page_leaves_empty():
    assert clean_filters({"sources": [], "published_from": "", "published_to": " ", "as_of": None}) == {}
    assert clean_filters({"sources": ["local/*", " "], "as_of": "2025-06-01"}) == {"sources": ["local/*"],
                                                                                  "as_of": "2025-06-01"}


def test_views_escape_article_text_titles_sources_and_questions():
    lines = ("Title", "", f"Before {HOSTILE}.", f"The quote {HOSTILE} is here. After.", "", "Next line.")
    ref = Ref(f"dir/{HOSTILE}.txt", 4, 4, f"The quote {HOSTILE} is here.", 1, f"T {HOSTILE}", "2025-01-02")
    outputs = [app_views.question_html(HOSTILE), app_views.answer_html(f"{HOSTILE} [1]"),
               app_views.answer_html(HOSTILE, answered=False), app_views.sources_html([ref], True, lambda s: lines),
               app_views.article_html(ref, lines), app_views.upload_report_html(HOSTILE, [HOSTILE], [HOSTILE]),
               app_views.status_html(HOSTILE, 1, 2), app_views.placeholder_html(HOSTILE)]
    for html in outputs:
        assert "<script" not in html and "<img" not in html, html
        assert "&lt;script&gt;" in html
    assert "\n\n" not in outputs[1]                     # one raw-HTML block: Markdown never sees the text
    panel, viewer = outputs[3], outputs[4]
    assert '<mark>The quote &lt;script&gt;' in panel
    assert re.findall(r'data-line="(\d+)"', panel) == ["3", "4", "6"]          # blank lines skipped
    assert re.findall(r'qa-hl" data-line="(\d+)"', viewer) == ["4"]
    assert re.findall(r'data-line="(\d+)"', viewer) == ["1", "2", "3", "4", "5", "6"]


def test_declined_answer_and_its_passages_look_different():
    declined = app_views.answer_html("The articles don't say.", answered=False)
    assert 'class="qa-declined qa-done"' in declined and "No answer in the articles" in declined
    ref = Ref("a.txt", 1, 3)
    panel = app_views.sources_html([ref], False, lambda s: ("One.", "", "Three."))
    assert "qa-sources-declined" in panel and "<mark>" not in panel and "qa-hl" not in panel
    assert ">a.txt:1-3</button>" in panel


def _args(**kw: object) -> Namespace:
    return app.build_parser().parse_args([f"--{k.replace('_', '-')}={v}" for k, v in kw.items()])


def test_exposing_without_auth_warns(capsys: pytest.CaptureFixture[str]):
    options = app.launch_options(_args(host="0.0.0.0"))
    assert options["server_name"] == "0.0.0.0" and options["auth"] is None
    assert "warning: serving on 0.0.0.0 without --auth" in capsys.readouterr().err
    options = app.launch_options(_args(host="0.0.0.0", auth="ann:pw:with:colons"))
    assert options["auth"] == ("ann", "pw:with:colons")
    options = app.launch_options(_args())
    assert (options["server_name"], options["server_port"], options["max_file_size"]) == ("127.0.0.1", 7860, 10_000_000)
    assert capsys.readouterr().err == ""


def test_bad_auth_is_a_usage_error(capsys: pytest.CaptureFixture[str]):
    assert app.main(["--auth", "nopassword"]) == 2
    assert "--auth must be USER:PASSWORD" in capsys.readouterr().err


def test_app_runs_as_a_script():
    done = subprocess.run([sys.executable, "app.py", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--auth USER:PASSWORD" in done.stdout


def test_first_start_ingests_the_samples_once(tmp_path: Path, corpus: Path, embedder,  # type: ignore[no-untyped-def]
                                              capsys: pytest.CaptureFixture[str]):
    from qa import Config, IndexNotFound

    config = Config(index_dir=tmp_path / "index")
    with pytest.raises(IndexNotFound, match="no samples folder"):
        qa.library.open_library(config, embedder, tmp_path / "uploads", 1000, samples=tmp_path / "none")
    library = qa.library.open_library(config, embedder, tmp_path / "uploads", 1000, samples=corpus)
    assert "No index yet: ingesting the bundled samples" in capsys.readouterr().err
    assert "harbor-bridge.txt" in library.sources()
    again = qa.library.open_library(config, embedder, tmp_path / "uploads", 1000, samples=corpus)
    assert capsys.readouterr().err == ""
    assert again.sources() == library.sources()


def test_examples_are_offered_only_for_indexed_samples():
    assert app_views.examples_for(set()) == []
    assert app_views.examples_for({"politics/mayoral-election-result.md"}) == ["Who won the Harbor City mayoral election?"]
    for _question, source in app_views.SAMPLE_EXAMPLES:
        assert (REPO / "samples" / source).exists() or source.startswith("http")

