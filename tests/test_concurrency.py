"""Many readers at once, and readers while the index changes.

- The real app (in this process, as in test_app.py) over samples/: 5 gradio_client sessions x 2
  questions at once while `/add` uploads an unrelated article; no errors, and every answer equals
  the single-user answer to the same turn before or after the upload (a light `eval.reliability.load_chat`).
- An assistant whose read-model snapshot predates a re-ingest of an article (edited, or removed)
  still answers, without citing lines its stale spans point at.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from eval.reliability.load_chat import UPLOAD_NAME, UPLOAD_TEXT, conversations, mismatches, report, run_load, single_user
from tests.conftest import SAMPLES

pytestmark = [pytest.mark.slow,      # Gradio's queue trips pandas deprecation warnings, not ours
              pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[str]:  # type: ignore[no-untyped-def]
    import app
    from qa.library import Library
    from qa import Config, ingest_folder

    root = tmp_path_factory.mktemp("load")
    config = Config(index_dir=root / "index")
    assert not ingest_folder(config, SAMPLES, embedder=embedder).failed
    library = Library(config, embedder, root / "uploads", max_upload_bytes=100_000)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRADIO_TEMP_DIR", str(tmp_path_factory.mktemp("gradio")))
        demo = app.build_ui(library)
        demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                    max_file_size=100_000, **app.page_options())
        yield f"http://127.0.0.1:{port}/"
        demo.close()


def test_sessions_at_once_with_an_upload_get_the_single_user_answers(app_url: str, tmp_path: Path,
                                                                     no_network) -> None:  # type: ignore[no-untyped-def]
    convs = conversations(turns=2)
    before = single_user(app_url, convs, timeout=60)
    assert sum(a[1] for conv in before for a in conv) >= 8          # mostly answered: the comparison means something
    upload = tmp_path / UPLOAD_NAME
    upload.write_text(UPLOAD_TEXT, encoding="utf-8")
    result = run_load(app_url, convs, sessions=5, upload=upload, timeout=60, deadline=120, upload_after=2)
    after = single_user(app_url, convs, timeout=60)
    wrong = mismatches(result, convs, before, after)
    print(report(result, wrong, 5, sum(b != a for bc, ac in zip(before, after) for b, a in zip(bc, ac))))
    assert result.errors == []
    assert "added 1" in result.upload_report
    assert len(result.latencies) == 10
    assert result.requests_during_upload() > 0
    assert wrong == []
    assert no_network == []


def test_an_assistant_opened_before_a_re_ingest_still_answers(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from qa import Config, ingest_folder, open_assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    article = corpus / "ferry.txt"
    body = [f"Ferry timetable note {i}: boats leave the Quillon pier every {10 + i} minutes." for i in range(12)]
    body[9] = "The Quillon ferry captain is Marguerite Osei, who has sailed the route for ten years."
    article.write_text("Quillon ferry timetable\n\n" + "\n".join(body) + "\n", encoding="utf-8")
    config = Config(index_dir=tmp_path / "index")
    ingest_folder(config, corpus, embedder=embedder)
    question = "Who is the Quillon ferry captain?"
    assert open_assistant(config, embedder).ask(question).citations[0].citation == "ferry.txt:12-12"
    old = open_assistant(config, embedder)            # its snapshot: the article as above, no lines read yet

    article.write_text("Quillon ferry timetable\n\nThe ferry is suspended.\n", encoding="utf-8")   # lines gone
    ingest_folder(config, corpus, embedder=embedder)
    stale = old.ask(question)                         # the snapshot's spans point past the new text
    assert not stale.answered and not stale.citations
    assert open_assistant(config, embedder).search("Quillon ferry")[0].citation == "ferry.txt:1-3"

    article.unlink()                                  # and removed from the store
    ingest_folder(config, corpus, prune=True, embedder=embedder)
    assert not old.ask(question).citations
