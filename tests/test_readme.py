from tests.conftest import REPO


def _bash_blocks(text: str) -> list[str]:
    parts = text.split("```bash\n")[1:]
    return [p.split("```")[0].strip() for p in parts]


def test_readme_has_the_two_setup_lines_and_ci_runs_the_test_line():
    readme = (REPO / "README.md").read_text()
    setup = readme.split("## Set-up")[1].split("\n## ")[0]
    run_line, test_line = _bash_blocks(setup)
    assert "\n" not in run_line and "\n" not in test_line
    for line in (run_line, test_line):
        assert "pip install torch==2.13.0 && pip install -e " in line     # torch first: no CUDA build
    assert "pytest" in test_line
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert test_line in ci


def test_readme_results_table_is_the_committed_report():
    """The table between the README's results markers is `table.md` as `qa eval all` wrote it,
    and `table.md` is what `eval.gold.report.results_table` renders from the committed `summary.json`."""
    import json

    from eval.gold.report import results_table

    results = REPO / "docs" / "results"
    summaries = json.loads((results / "summary.json").read_text())
    assert list(summaries) == ["seed", "samples", "near-topic", "multipart", "outlets", "realtimeqa"]
    table = (results / "table.md").read_text()
    assert results_table(summaries) == table
    readme = (REPO / "README.md").read_text()
    block = readme.split("<!-- results:start -->\n")[1].split("<!-- results:end -->")[0]
    assert block == table


def test_readme_lists_exactly_the_public_names():
    import re

    import qa

    readme = (REPO / "README.md").read_text()
    listed = readme.split("Public names (`qa.__all__`):")[1].split("\n\n")[0]
    assert re.findall(r"`(\w+)`", listed) == qa.__all__
