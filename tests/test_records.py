"""Run records: what ran where, merged by --only, read back for the progress lines."""

import json
from pathlib import Path

import pytest

from course_utils import records
from course_utils.cli import results as tables
from course_utils.cli.run import NotebookResult

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def results_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    return tmp_path


def result(name, seconds, status="ok"):
    return NotebookResult(name=name, status=status, seconds=seconds, headline="x=1")


def test_write_and_read_back(results_dir):
    path = records.write_run("pocket", "python -m course_utils run",
                             [result("01_a.ipynb", 12.34), result("02_b.ipynb", 5)])
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


def test_readme_tables_match_the_records(monkeypatch):
    """The README's notebook times and benchmark rows are generated from results/ (python -m
    course_utils results)."""
    monkeypatch.delenv("COURSE_RESULTS_DIR")
    assert tables.stale_tables() == [], "run `python -m course_utils results` and commit README.md"
    readme = tables.readme_tables()
    assert "| 06_trainer |" in readme["notebook-times"] and "measured on" in readme["notebook-times"]
    assert len(readme["bench"].splitlines()) >= 3, "no benchmark recorded: run `python -m course_utils bench`"


BENCH_RESULT = {
    "train_speedup": 50.7, "eval_speedup": 64.6, "seed_train_samples_per_second": 0.043,
    "course_train_samples_per_second": 2.18, "seed_eval_samples_per_second": 0.189,
    "course_eval_samples_per_second": 12.2, "seed_tokens_per_real_token": 66.1,
    "course_tokens_per_real_token": 1.56, "seed_peak_memory_mb": 6158, "course_peak_memory_mb": 3931,
    "model_short": "GPT-2 124M shape, random weights", "weights": "random-gpt2", "device": "cpu",
    "threads": 2, "load_average": [0.1, 1.9]}


def test_a_bench_record_becomes_a_readme_row_and_a_sentence(results_dir, tmp_path):
    from course_utils.records import bench_sentences

    path = records.write_bench("python -m course_utils bench", BENCH_RESULT)
    assert path == results_dir / "bench" / "random-gpt2-cpu.json"
    records.write_bench("python -m course_utils bench --accuracy", {**BENCH_RESULT, "seed_accuracy": 0.5})
    assert sorted(p.name for p in (results_dir / "bench").iterdir()) == ["random-gpt2-cpu-accuracy.json",
                                                                          "random-gpt2-cpu.json"]
    rows = tables.bench_table().splitlines()[2:]  # the --accuracy run times too few tweets: left out
    assert len(rows) == 1 and ("| 0.043 / 2.18 | **51x** | 0.189 / 12.2 | **65x** | "
                               "66.1 / 1.56 | 6,158 / 3,931 |") in rows[0]
    sentence = bench_sentences()[0]
    assert "0.043 tweets/s" in sentence and "(51x)" in sentence and "`python -m course_utils bench`" in sentence
    readme = tmp_path / "README.md"
    readme.write_text("a\n<!-- notebook-times:begin -->\nold\n<!-- notebook-times:end -->\nb\n"
                      "<!-- bench:begin -->\nold\n<!-- bench:end -->\nc\n")
    assert tables.stale_tables(readme) == ["notebook-times", "bench"]
    assert tables.update_readme(readme) and tables.stale_tables(readme) == []
    assert not tables.update_readme(readme)
    assert readme.read_text().startswith("a\n") and readme.read_text().endswith("c\n")


def test_no_bench_record_says_how_to_make_one(results_dir):
    from course_utils.records import bench_sentences

    assert "python -m course_utils bench" in bench_sentences()[0] and len(bench_sentences()) == 1


def test_times_table_from_records(results_dir):
    records.write_run("pocket", "run", [result("01_a.ipynb", 12.34), result("02_b.ipynb", 60, "failed")])
    table = tables.times_table()
    assert table.splitlines()[0] == "| notebook | pocket |"
    assert "| 01_a | 12 s |" in table and "| 02_b | 60 s (failed) |" in table
    assert "**1.2 min**" in table


# What each notebook's introduction says it costs, checked against the recorded runs.
COST_CLAIMS = (  # phrase in the introduction -> (recorded run, seconds it must stay under)
    ("econds on the pocket profile", ("pocket", 60)),
    ("Seconds: no model runs here", ("small-rehearsal", 60)),
    ("under a minute with `gpt2` on 2 CPU cores", ("small-rehearsal", 60)),
    ("a few minutes with `gpt2` on a 2-core CPU", ("small-rehearsal", 300)),
    ("the notebook fits in a few minutes", ("small-rehearsal", 300)),
)


@pytest.mark.parametrize("notebook", sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")))
def test_what_a_notebook_says_it_costs_matches_the_records(notebook, monkeypatch):
    monkeypatch.delenv("COURSE_RESULTS_DIR")
    intro = " ".join("".join(json.loads((REPO / "notebooks" / notebook).read_text())["cells"][0]["source"]).split())
    checked = [(phrase, label, limit) for phrase, (label, limit) in COST_CLAIMS if phrase in intro]
    assert checked, f"{notebook}: its introduction states no cost this test knows; add the phrase to COST_CLAIMS"
    for phrase, label, limit in checked:
        seconds = records.last_seconds(label, notebook)
        assert seconds is not None and seconds < limit, (
            f"{notebook} says '{phrase}' but its last {label} run took {seconds} s")
