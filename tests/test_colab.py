"""Colab badges and the install cell: URLs, stamping, idempotence, harmless outside Colab."""

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from course_utils.cli import badges as colab
from course_utils.cli.badges import (
    badge_markdown,
    badge_url,
    check_badges,
    install_cell_source,
    stamp_all,
    stamp_notebook,
)
from course_utils.environment import repo_root

BASE = f"https://colab.research.google.com/github/{colab.GITHUB_OWNER}/{colab.GITHUB_REPO}/blob/{colab.GITHUB_BRANCH}"


def _write(path, cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def _plain(path):
    return _write(
        path,
        [
            nbformat.v4.new_markdown_cell("# Title\nSome text"),
            nbformat.v4.new_code_cell("print('hello')"),
        ],
    )


def test_badge_url_format(tmp_path):
    root = repo_root()
    assert badge_url(root / "notebooks" / "01_intro.ipynb") == f"{BASE}/notebooks/01_intro.ipynb"
    assert badge_url(root / "solutions" / "03_x.ipynb") == f"{BASE}/solutions/03_x.ipynb"
    assert badge_url("notebooks/01_intro.ipynb") == f"{BASE}/notebooks/01_intro.ipynb"
    assert (
        badge_url(tmp_path / "solutions" / "02.ipynb", root=tmp_path)
        == f"{BASE}/solutions/02.ipynb"
    )
    assert badge_markdown("notebooks/01_intro.ipynb") == (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({BASE}/notebooks/01_intro.ipynb)"
    )


def test_stamp_inserts_once_and_is_idempotent(tmp_path):
    path = _plain(tmp_path / "notebooks" / "01_intro.ipynb")
    assert stamp_notebook(path, root=tmp_path) is True
    nb = nbformat.read(path, as_version=4)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[0].source.splitlines()[0] == badge_markdown("notebooks/01_intro.ipynb")
    assert nb.cells[0].source.endswith("# Title\nSome text")
    assert nb.cells[1].source == install_cell_source("notebooks")
    assert nb.cells[1].outputs == [] and nb.cells[1].execution_count is None
    assert nb.cells[2].source == "print('hello')"
    text = path.read_text()
    assert text.startswith('{\n "cells": [\n  {\n')  # nbformat's 1-space indent

    assert stamp_notebook(path, root=tmp_path) is False  # second run: nothing to do
    assert path.read_text() == text
    assert check_badges(tmp_path) == []


def test_stamp_replaces_wrong_badge_and_old_install_cell(tmp_path):
    path = tmp_path / "solutions" / "02_solution.ipynb"
    wrong = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/someone/fork/blob/dev/notebooks/99.ipynb)"
    old_install = nbformat.v4.new_code_cell(f"{colab.INSTALL_MARKER} (old)\n!pip install something")
    old_install.outputs = [nbformat.v4.new_output("stream", name="stdout", text="done\n")]
    old_install.execution_count = 3
    _write(
        path,
        [
            nbformat.v4.new_markdown_cell(f"{wrong}\n# Solution 2"),
            old_install,
            nbformat.v4.new_code_cell("x = 1"),
        ],
    )
    problems = check_badges(tmp_path)
    assert any("points elsewhere" in p and "solutions/02_solution.ipynb" in p for p in problems)
    assert any("install cell is out of date" in p for p in problems)

    assert stamp_all(tmp_path) == [path]
    nb = nbformat.read(path, as_version=4)
    assert len(nb.cells) == 3
    assert nb.cells[0].source == f"{badge_markdown(path, tmp_path)}\n# Solution 2"
    assert "/solutions/02_solution.ipynb" in nb.cells[0].source
    assert nb.cells[1].source == install_cell_source("solutions")
    assert nb.cells[1].outputs == [] and nb.cells[1].execution_count is None
    assert sum(colab.INSTALL_MARKER in c.source for c in nb.cells) == 1
    assert check_badges(tmp_path) == []
    assert stamp_all(tmp_path) == []


def test_stamp_adds_markdown_cell_when_notebook_starts_with_code(tmp_path):
    path = _write(tmp_path / "notebooks" / "03.ipynb", [nbformat.v4.new_code_cell("y = 2")])
    assert stamp_notebook(path, root=tmp_path)
    nb = nbformat.read(path, as_version=4)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[0].source == badge_markdown(path, tmp_path)
    nbformat.validate(nb)
    assert not stamp_notebook(path, root=tmp_path)


def test_check_badges_finds_missing_and_wrong(tmp_path):
    _plain(tmp_path / "notebooks" / "01_a.ipynb")
    b = _plain(tmp_path / "notebooks" / "02_b.ipynb")
    stamp_notebook(b, root=tmp_path)
    nb = nbformat.read(b, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("02_b.ipynb", "01_a.ipynb")  # copy-paste slip
    nbformat.write(nb, b)
    problems = check_badges(tmp_path)
    assert any("notebooks/01_a.ipynb: no Colab badge" in p for p in problems)
    assert any("notebooks/01_a.ipynb: the first code cell is not" in p for p in problems)
    assert any(p.startswith("notebooks/02_b.ipynb: Colab badge points elsewhere") for p in problems)
    assert len(problems) == 3


def test_install_cell_is_valid_ipython():
    for folder in ("notebooks", "solutions"):
        source = install_cell_source(folder)
        assert source.splitlines()[0].startswith(colab.INSTALL_MARKER)
        python = TransformerManager().transform_cell(source)
        compile(python, "<install cell>", "exec")
        assert "get_ipython().system('git -C /content clone" in python
        assert f"%cd /content/{colab.GITHUB_REPO}/{folder}" in source
        assert (
            f"--branch {colab.GITHUB_BRANCH} https://github.com/{colab.GITHUB_OWNER}/{colab.GITHUB_REPO}.git"
            in source
        )


def test_install_cell_runs_harmlessly_outside_colab(tmp_path):
    from nbclient import NotebookClient

    path = _plain(tmp_path / "notebooks" / "01.ipynb")
    stamp_notebook(path, root=tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import os\nprint(os.getcwd())"))
    NotebookClient(
        nb, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    assert nb.cells[1].outputs == []  # nothing printed, nothing cloned
    assert nb.cells[2].outputs[0].text == "hello\n"
    assert nb.cells[3].outputs[0].text.strip() == str(tmp_path)  # no %cd happened


def test_main_badges(tmp_path, capsys):
    _plain(tmp_path / "notebooks" / "01_a.ipynb")

    class Args:
        check = True
        root = tmp_path

    assert colab.main_badges(Args()) == 1
    Args.check = False
    assert colab.main_badges(Args()) == 0
    assert "stamped notebooks/01_a.ipynb" in capsys.readouterr().out
    Args.check = True
    assert colab.main_badges(Args()) == 0


REPO_NOTEBOOKS = colab.notebook_paths(repo_root())


@pytest.mark.parametrize(
    "path", REPO_NOTEBOOKS, ids=[f"{p.parent.name}/{p.name}" for p in REPO_NOTEBOOKS]
)
def test_repo_notebook_badge(path):
    assert colab.check_notebook(path, repo_root()) == [], "run `python -m course_utils badges`"


def test_repo_badges():
    assert check_badges() == [], "run `python -m course_utils badges`"
