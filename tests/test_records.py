"""Run records: what ran where, merged by --only, read back for the progress lines."""

import json

import pytest

from course_utils import records
from course_utils.runner import NotebookResult


@pytest.fixture(autouse=True)
def results_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    return tmp_path


def result(name, seconds, status="ok"):
    return NotebookResult(name=name, status=status, seconds=seconds, headline="x=1")


def test_write_and_read_back(results_dir):
    path = records.write_run("pocket", "python -m course_utils run", [result("01_a.ipynb", 12.34), result("02_b.ipynb", 5)])
    assert path == results_dir / "runs" / "pocket.json"
    record = json.loads(path.read_text())
    assert record["total_seconds"] == pytest.approx(17.3) and record["command"] == "python -m course_utils run"
    assert record["machine"]["cores"] >= 1 and record["machine"]["transformers"]
    assert records.last_seconds("pocket", "01_a.ipynb") == pytest.approx(12.3)
    assert records.last_seconds("pocket", "09_none.ipynb") is None
    assert records.last_seconds("small", "01_a.ipynb") is None


def test_partial_runs_update_only_their_notebooks():
    records.write_run("pocket", "run", [result("01_a.ipynb", 10), result("02_b.ipynb", 20)])
    records.write_run("pocket", "run --only 02", [result("02_b.ipynb", 25, "failed")], partial=True)
    record = records.read_run("pocket")
    assert record["notebooks"]["01_a.ipynb"]["seconds"] == 10
    assert record["notebooks"]["02_b.ipynb"] == {"status": "failed", "seconds": 25, "headline": "x=1", "error": None}
    records.write_run("pocket", "run", [result("02_b.ipynb", 21)])  # a whole run replaces the record
    assert list(records.read_run("pocket")["notebooks"]) == ["02_b.ipynb"]


def test_a_broken_record_reads_as_none(results_dir):
    (results_dir / "runs").mkdir()
    (results_dir / "runs" / "pocket.json").write_text("{not json")
    assert records.read_run("pocket") is None and records.last_seconds("pocket", "01_a.ipynb") is None


def test_readme_table_matches_the_records(monkeypatch):
    """The README's notebook times are generated from results/runs (python -m course_utils results)."""
    monkeypatch.delenv("COURSE_RESULTS_DIR")
    block = records.readme_table()
    assert block == records.times_table(), "run `python -m course_utils results` and commit README.md"
    assert "| 06_trainer |" in block and "measured on" in block


def test_times_table_from_records(results_dir):
    records.write_run("pocket", "run", [result("01_a.ipynb", 12.34), result("02_b.ipynb", 60, "failed")])
    table = records.times_table()
    assert table.splitlines()[0] == "| notebook | pocket |"
    assert "| 01_a | 12 s |" in table and "| 02_b | 60 s (failed) |" in table
    assert "**1.2 min**" in table
