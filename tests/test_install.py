"""Colab as it ships (issue 29): the install cell's function, the requirement files, and the
``colab`` command that checks them against Colab's published package list.

The real run under Colab's versions is the Colab lane (``.ci/colab-lane``): these tests hold the
pieces it relies on."""

import subprocess
import sys

import pytest
from packaging.requirements import Requirement

from course_utils.cli import colab
from course_utils.cli.badges import install_cell_source
from course_utils.environment import repo_root
from course_utils.install import (
    REQUIREMENTS,
    Change,
    InstallError,
    canonical,
    changes_from_report,
    imported_and_changed,
    install,
    requirement_lines,
    summary,
)

ROOT = repo_root()
CONSTRAINTS = ROOT / colab.CONSTRAINTS


# ------------------------------------------------------------------------ the requirement files
def names(path) -> set[str]:
    return {canonical(Requirement(line).name) for line in requirement_lines(path)}


def test_the_install_cell_installs_no_test_or_book_tool_and_no_jupyter_front_end():
    lesson = names(ROOT / REQUIREMENTS)
    assert {"transformers", "datasets", "evaluate", "vadersentiment", "ipywidgets", "pyyaml"} <= lesson
    assert not (colab.TOOLS | {"jupyterlab", "notebook"}) & lesson


def test_each_file_builds_on_the_one_below():
    lesson, course = names(ROOT / REQUIREMENTS), names(ROOT / "requirements.txt")
    dev = names(ROOT / "requirements-dev.txt")
    assert lesson < course < dev
    assert {"jupyterlab", "nbclient", "ipykernel"} <= course - lesson
    assert {"pytest", "nbval", "playwright", "ruff"} <= dev - course


def test_requirement_lines_read_included_files_and_drop_comments_and_options(tmp_path):
    (tmp_path / "base.txt").write_text("# a comment\nnumpy>=1  # why\n-e .\n--find-links x\n\n")
    (tmp_path / "top.txt").write_text("-r base.txt\npandas\n")
    assert requirement_lines(tmp_path / "top.txt") == ["numpy>=1", "pandas"]


def test_the_install_cell_calls_the_install_function_after_putting_the_clone_on_the_path():
    source = install_cell_source("notebooks")
    path_at, import_at = source.index("sys.path.insert(0,"), source.index("from course_utils.install import install")
    assert path_at < import_at < source.index('install("/content/')
    assert "pip install" not in source  # pip runs inside install(), which reports what it did


# ------------------------------------------------------------------------ install()
REPORT = {"install": [
    {"metadata": {"name": "evaluate", "version": "0.4.6"}},
    {"metadata": {"name": "ipywidgets", "version": "8.1.9"}},
    {"metadata": {"name": "course-utils", "version": "0.1.0"}},
    {"metadata": {"name": "numpy", "version": "2.1.3"}},  # reinstalled as it was: not a change
]}
BEFORE = {"ipywidgets": "7.7.1", "numpy": "2.1.3", "course-utils": "0.1.0.dev0"}


def test_the_report_gives_what_was_added_and_what_was_changed():
    changes = changes_from_report(REPORT, BEFORE)
    assert changes == [Change("evaluate", None, "0.4.6"), Change("ipywidgets", "7.7.1", "8.1.9"),
                       Change("course-utils", "0.1.0.dev0", "0.1.0")]
    line = summary(changes, 23.4)
    assert line == ("[install] added evaluate 0.4.6; changed ipywidgets 7.7.1 -> 8.1.9, "
                    "course-utils 0.1.0.dev0 -> 0.1.0 (23 s)")
    assert summary([], 1.2) == "[install] added nothing (all there already); changed nothing that was installed (1 s)"


def test_a_changed_package_the_kernel_imported_asks_for_a_restart_but_the_course_itself_does_not():
    changes = changes_from_report(REPORT, BEFORE)
    assert imported_and_changed(changes, modules={"ipywidgets": object(), "course_utils": object()}) == [
        Change("ipywidgets", "7.7.1", "8.1.9")]
    assert imported_and_changed(changes, modules={"course_utils": object(), "evaluate": object()}) == []


def test_install_runs_pip_and_prints_one_line(tmp_path, capsys):
    (tmp_path / "needs.txt").write_text("pip\n")  # installed already: pip adds nothing, offline
    assert install(tmp_path, "needs.txt") == []
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("[install] added nothing (all there already); changed nothing")


def test_a_pip_failure_is_one_error_with_pips_last_lines(tmp_path):
    (tmp_path / "needs.txt").write_text("./no-such-folder\n")
    with pytest.raises(InstallError, match=r"(?s)pip could not install needs.txt \(exit \d\).*no-such-folder"):
        install(tmp_path, "needs.txt")


def test_ipython_shows_an_install_error_as_one_line_not_a_traceback():
    error = InstallError("restart it (Runtime > Restart session)")
    assert error._render_traceback_() == ["InstallError: restart it (Runtime > Restart session)"]


# ------------------------------------------------------------------------ the colab command
def test_the_committed_list_names_its_source_and_date_and_holds_colabs_versions():
    head = CONSTRAINTS.read_text(encoding="utf-8").splitlines()[:3]
    assert "googlecolab/backend-info" in head[0] and "2026-08-19" in head[0] and "Apache" in head[1]
    versions = colab.read_versions(CONSTRAINTS.read_text(encoding="utf-8"))
    assert versions["ipywidgets"] == "7.7.1" and versions["transformers"] == "5.15.0"
    assert "evaluate" not in versions
    assert (ROOT / "colab" / "LICENSE").is_file()


def test_every_requirement_of_the_install_cell_keeps_colabs_version_or_adds_a_missing_one():
    found = colab.verdicts(colab.read_versions(CONSTRAINTS.read_text(encoding="utf-8")), ROOT / REQUIREMENTS)
    assert {v.word for v in found} <= {"keeps", "adds"}, [v.line() for v in found if v.word not in ("keeps", "adds")]
    assert {v.requirement.name for v in found if v.word == "adds"} == {"evaluate", "vaderSentiment"}


def test_a_requirement_colab_does_not_meet_is_an_upgrade_or_a_downgrade(tmp_path):
    (tmp_path / "req.txt").write_text("ipywidgets>=8.1,<9\nnumpy<2\ntorch>=2.2\nnew-thing\n")
    found = colab.verdicts({"ipywidgets": "7.7.1", "numpy": "2.1.3", "torch": "2.11.0+cu128"}, tmp_path / "req.txt")
    assert [v.word for v in found] == ["UPGRADES", "DOWNGRADES", "keeps", "adds"]
    assert "Colab has 7.7.1" in found[0].line() and "not in Colab" in found[3].line()


def test_read_versions_takes_freeze_and_list_formats():
    text = ("# pip freeze\nTorch==2.11.0+cu128\nnvidia_cublas 13.0\nPackage Version\n------- -------\n"
            "pyzmq @ file:///x\n\nhuggingface-hub>=1\n")
    assert colab.read_versions(text) == {"torch": "2.11.0+cu128", "nvidia-cublas": "13.0", "pyzmq": "",
                                         "huggingface-hub": ""}


def test_compare_names_each_change_removal_and_tool():
    before = {"ipywidgets": "7.7.1", "numpy": "2.1.3", "pytest": "8.4.2"}
    after = {"ipywidgets": "8.1.9", "pytest": "8.4.2", "evaluate": "0.4.6", "nbval": "0.11.0"}
    assert colab.compare(before, after) == ["ipywidgets 7.7.1 -> 8.1.9", "numpy 2.1.3 -> removed",
                                            "nbval 0.11.0 added (a test or book tool)"]
    assert colab.compare(before, {**before, "evaluate": "0.4.6"}) == []


def run_colab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course_utils", "colab", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_the_command_checks_the_committed_list(tmp_path):
    done = run_colab()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[colab] 0 of 16 requirements would change a package Colab has" in done.stdout
    assert "moved" not in done.stdout  # the committed list against itself


def test_a_newer_list_that_breaks_a_requirement_fails_and_is_not_written(tmp_path):
    newer = tmp_path / "pip-freeze.gpu.txt"
    newer.write_text(CONSTRAINTS.read_text(encoding="utf-8").replace("transformers==5.15.0", "transformers==6.0.0"))
    before = CONSTRAINTS.read_bytes()
    done = run_colab("--freeze", str(newer))
    assert done.returncode == 1
    assert "DOWNGRADES transformers" in done.stdout and "moved      transformers       5.15.0 -> 6.0.0" in done.stdout
    assert CONSTRAINTS.read_bytes() == before
    refused = run_colab("--freeze", str(newer), "--write")
    assert refused.returncode == 2 and "--write needs --freeze FILE and --source TEXT" in refused.stderr


def test_the_lane_comparison_fails_on_a_change(tmp_path):
    (tmp_path / "before.txt").write_text("ipywidgets==7.7.1\nnumpy==2.1.3\n")
    (tmp_path / "after.txt").write_text("ipywidgets==8.1.9\nnumpy==2.1.3\nevaluate==0.4.6\n")
    done = run_colab("--compare", str(tmp_path / "before.txt"), str(tmp_path / "after.txt"))
    assert done.returncode == 1 and "[colab] CHANGED ipywidgets 7.7.1 -> 8.1.9" in done.stdout
    assert "added 1: evaluate 0.4.6" in done.stdout
    (tmp_path / "after.txt").write_text("ipywidgets==7.7.1\nnumpy==2.1.3\nevaluate==0.4.6\n")
    assert run_colab("--compare", str(tmp_path / "before.txt"), str(tmp_path / "after.txt")).returncode == 0

