"""The notebook runner: statuses, headline, errors, executed copies, profile, filtering."""

import nbformat
import pytest

from course_utils.cli.run import (
    NotebookResult,
    find_headline,
    find_notebooks,
    format_summary,
    main_run,
    run_notebooks,
)


def _write(path, *sources, markdown="# A notebook"):
    cells = [nbformat.v4.new_markdown_cell(markdown)]
    cells += [nbformat.v4.new_code_cell(src) for src in sources]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """Two notebooks run once for the module: 01 succeeds, 02 fails in its 2nd code cell."""
    root = tmp_path_factory.mktemp("series")
    nb_dir, out_dir = root / "notebooks", root / "build" / "notebooks"
    nb_dir.mkdir()
    _write(
        nb_dir / "01_good.ipynb",
        "import os\nprint('[headline] accuracy=0.1')",
        "print('profile=' + os.environ['COURSE_PROFILE'])\nprint('cwd=' + os.getcwd())",
        "print('[headline] accuracy=0.5')",
    )
    _write(nb_dir / "02_bad.ipynb", "x = 1", "raise ValueError('bad shape\\nsecond line')", "x = 2")
    _write(nb_dir / "notes.ipynb", "raise SystemExit('not part of the series')")
    results = run_notebooks(profile="small", notebooks_dir=nb_dir, out_dir=out_dir, timeout=60)
    return nb_dir, out_dir, results


@pytest.mark.slow
def test_statuses_headline_and_error(series):
    _, _, results = series
    assert [r.name for r in results] == ["01_good.ipynb", "02_bad.ipynb"]
    good, bad = results
    assert (good.status, good.error, good.headline) == ("ok", None, "accuracy=0.5")
    assert bad.status == "failed"
    # cells: 0 markdown, 1 "x = 1", 2 the raise (the 2nd code cell)
    assert bad.error == "cell 2: ValueError: bad shape"
    assert bad.headline is None
    assert all(r.seconds > 0 for r in results)


def test_executed_copies_profile_and_cwd(series):
    nb_dir, out_dir, results = series
    assert sorted(p.name for p in out_dir.iterdir()) == ["01_good.ipynb", "02_bad.ipynb"]
    good = nbformat.read(out_dir / "01_good.ipynb", as_version=4)
    text = "".join(o.get("text", "") for o in good.cells[2].outputs)
    assert "profile=small" in text  # --profile reached the kernel
    assert f"cwd={nb_dir.resolve()}" in text
    assert find_headline(good) == "accuracy=0.5"
    bad = nbformat.read(out_dir / "02_bad.ipynb", as_version=4)
    assert bad.cells[1].execution_count == 1  # partially executed copy saved
    assert bad.cells[2].outputs[0].output_type == "error"
    assert bad.cells[3].execution_count is None  # nothing ran after the failure
    # sources untouched
    assert all(not c.get("outputs") for c in nbformat.read(nb_dir / "01_good.ipynb", 4).cells[1:])


def test_only_filter(series):
    nb_dir, _, _ = series
    assert [p.name for p in find_notebooks(nb_dir, "bad")] == ["02_bad.ipynb"]
    assert [p.name for p in find_notebooks(nb_dir, "0[1]_*")] == ["01_good.ipynb"]
    assert find_notebooks(nb_dir, "nothing") == []


@pytest.mark.slow
def test_only_runs_the_matching_notebook(tmp_path):
    _write(tmp_path / "01_a.ipynb", "print('[headline] f1=0.25')")
    _write(tmp_path / "02_b.ipynb", "raise RuntimeError('should not run')")
    results = run_notebooks(
        only="01", notebooks_dir=tmp_path, out_dir=tmp_path / "out", progress=False
    )
    assert [(r.name, r.status, r.headline) for r in results] == [("01_a.ipynb", "ok", "f1=0.25")]


def test_headline_from_displayed_string():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="[headline] accuracy=0.2\nother\n"),
        nbformat.v4.new_output(
            "execute_result", data={"text/plain": "'[headline] loss=1.5'"}, execution_count=1
        ),
        nbformat.v4.new_output(
            "stream", name="stdout", text="  headline accuracy=0.9\n[headline] no value\n"
        ),
    ]
    assert find_headline(nb) == "loss=1.5"


def test_summary_text(series):
    _, _, results = series
    text = format_summary(results)
    lines = text.splitlines()
    assert lines[0].split() == ["notebook", "status", "seconds", "headline"]
    assert "01_good.ipynb" in lines[2] and "ok" in lines[2] and "accuracy=0.5" in lines[2]
    assert "02_bad.ipynb" in lines[3] and "failed" in lines[3]
    total = sum(r.seconds for r in results)
    assert f"total: 2 notebooks, 1 ok, 1 failed, {total:.1f} s" in text
    assert "FAILED 02_bad.ipynb: cell 2: ValueError: bad shape" in text


def test_summary_total_formatting():
    results = [
        NotebookResult("01_a.ipynb", "ok", 61.0, "accuracy=0.7"),
        NotebookResult("02_b.ipynb", "ok", 64.2),
    ]
    text = format_summary(results)
    assert "125.2 s (2 min 05 s)" in text
    assert "02_b.ipynb  ok" in text and text.splitlines()[3].endswith("-")


def test_main_run_no_match(tmp_path, capsys):
    class Args:
        profile = "pocket"
        only = "zz"
        notebooks_dir = tmp_path

    assert main_run(Args()) == 2
    out = capsys.readouterr().out
    assert "profile=pocket" in out and "No notebook matching 'zz'" in out


@pytest.mark.slow
def test_main_run_reports_the_failing_cell(tmp_path, capsys):
    _write(tmp_path / "01_ok.ipynb", "print('[headline] accuracy=0.75')")
    _write(tmp_path / "02_fail.ipynb", "1 / 0")

    class Args:
        profile = "pocket"
        only = None
        notebooks_dir = tmp_path
        out_dir = tmp_path / "out"

    assert main_run(Args()) == 1
    out = capsys.readouterr().out
    assert "accuracy=0.75" in out
    assert "first: 02_fail.ipynb, cell 1: ZeroDivisionError: division by zero" in out
    Args.only = "01"
    assert main_run(Args()) == 0


@pytest.mark.slow
def test_progress_lines_name_the_cell_and_the_last_recorded_time(tmp_path, capsys, monkeypatch):
    from course_utils.cli import run as runner

    monkeypatch.setattr(runner, "PROGRESS_EVERY", 0.3)
    _write(tmp_path / "01_slow.ipynb", "x = 1", "import time\ntime.sleep(1.5)")
    result = runner.run_notebook(tmp_path / "01_slow.ipynb", tmp_path / "out", progress=True, last_seconds=42)
    assert result.ok
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[run]")]
    assert any("01_slow.ipynb: code cell 2/2," in line and "so far; last recorded run 42.0 s" in line
               for line in lines), lines


def test_run_labels_name_profile_rehearsal_and_trim(monkeypatch):
    from course_utils.cli.run import run_label
    from course_utils.environment import REHEARSAL_SWITCH
    from course_utils.plan import PLANS
    from course_utils.profiles import get_profile

    monkeypatch.delenv(REHEARSAL_SWITCH, raising=False)
    assert run_label(get_profile("pocket")) == "pocket"
    assert run_label(get_profile("small")) == "small"
    monkeypatch.setenv(REHEARSAL_SWITCH, "1")
    assert run_label(get_profile("full")) == "full-rehearsal"
    assert run_label(get_profile("small").replace(plan=PLANS["tiny"])) == "small-rehearsal-trimmed"
    assert run_label(get_profile("pocket")) == "pocket"  # nothing stands in for the pocket bundle


@pytest.mark.slow
def test_main_run_records_the_times(tmp_path, capsys, monkeypatch):
    from course_utils import records
    from course_utils.cli import run as runner

    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setattr(runner, "default_notebooks_dir", lambda: tmp_path / "nbs")
    monkeypatch.setattr(runner, "default_out_dir", lambda label="pocket": tmp_path / "out")
    (tmp_path / "nbs").mkdir()
    _write(tmp_path / "nbs" / "01_ok.ipynb", "print('[headline] accuracy=0.75')")

    class Args:
        profile = "pocket"
        only = None

    assert main_run(Args()) == 0
    record = records.read_run("pocket")
    assert record["notebooks"]["01_ok.ipynb"]["headline"] == "accuracy=0.75"
    assert 0 < records.last_seconds("pocket", "01_ok.ipynb") <= record["total_seconds"]
    assert "Times recorded in" in capsys.readouterr().out


STOP_SCRIPT = """
import sys
from types import SimpleNamespace
from pathlib import Path
from course_utils.cli.run import main_run
root = Path(sys.argv[1])
sys.exit(main_run(SimpleNamespace(profile="pocket", only=None, notebooks_dir=root / "nbs",
                                  out_dir=root / "out", timeout=120)))
"""


def _kernels() -> set[int]:
    """Process ids of the ipykernel processes running now (Linux /proc)."""
    from pathlib import Path

    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"ipykernel" in (entry / "cmdline").read_bytes():
                    found.add(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.slow
def test_sigterm_stops_the_whole_run_and_its_kernel(tmp_path):
    """Under `timeout` (SIGTERM) the runner names the notebook, shuts its kernel down, starts no
    later notebook and exits non-zero."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    (tmp_path / "nbs").mkdir()
    _write(tmp_path / "nbs" / "01_slow.ipynb", "print('started', flush=True)", "import time\ntime.sleep(60)")
    _write(tmp_path / "nbs" / "02_never.ipynb", "print('[headline] ran=1')")
    before = _kernels()
    runner = subprocess.Popen([sys.executable, "-c", STOP_SCRIPT, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    lines = []
    for line in runner.stdout:  # wait until the slow cell runs
        lines.append(line)
        if "01_slow.ipynb ..." in line:
            break
    time.sleep(6)
    runner.send_signal(signal.SIGTERM)
    out = "".join(lines) + runner.stdout.read()
    assert runner.wait(timeout=60) == 130, out
    assert "Interrupted while running 01_slow.ipynb (interrupted in cell 2)" in out
    assert "02_never" not in out
    time.sleep(1)
    assert _kernels() - before == set(), "the kernel was left running"
