"""Notebook and code hygiene: clean notebooks, no secrets or machine paths, ruff clean."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
SECRET = re.compile(r"hf_[A-Za-z0-9]{30,}|sk-[A-Za-z0-9]{20,}|(api[_-]?key|token)\s*=\s*['\"][^'\"]{12,}", re.I)
MACHINE_PATH = re.compile(r"(?<![\w.])(/work/|/tmp/venv|/root/|/home/\w+|/Users/\w+|[A-Z]:\\\\)")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_clean(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path.name} cell {number} has stored outputs: strip them"
            assert cell.get("execution_count") is None, f"{path.name} cell {number} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_secrets_or_machine_paths(path):
    for number, cell in enumerate(cells(path)):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        assert not SECRET.search(source), f"{path.name} cell {number} looks like it holds a secret"
        assert not MACHINE_PATH.search(source), f"{path.name} cell {number} holds an absolute local path"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_exercises_and_one_banner(path):
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells(path)]
    assert sum("banner(" in s for s in sources) == 1, f"{path.name}: exactly one profile banner"
    if path.parent.name == "notebooks":
        headings = [line for s in sources for line in s.splitlines() if line.startswith("#")]
        assert any("Exercise" in line for line in headings), f"{path.name}: no exercises heading"


def test_every_notebook_has_its_solutions():
    for path in ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"):
        assert (ROOT / "solutions" / f"{path.stem}_solutions.ipynb").exists(), f"no solutions for {path.name}"


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    done = subprocess.run([ruff, "check", "course_utils", "tests", "notebooks", "solutions", "conftest.py",
                           "pocket_builder", "ressources"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


CODE_FOLDERS = ("course_utils", "pocket_builder", "ressources")
MAX_FUNCTION_LINES, MAX_MODULE_LINES = 60, 300


def size_problems(path: Path) -> list[str]:
    """A function over 60 lines, or a module over 300 lines whose docstring gives no reason
    (a sentence with "lines" in it, e.g. "About 350 lines: ...")."""
    import ast

    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    problems = [f"{name}:{node.lineno} {node.name}() has {node.end_lineno - node.lineno + 1} lines"
                for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    lines = source.count("\n")
    if lines > MAX_MODULE_LINES and "lines" not in (ast.get_docstring(tree) or ""):
        problems.append(f"{name} has {lines} lines and no reason for it in its docstring")
    return problems


def test_size_problems_are_found(tmp_path):
    long_function = "def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES
    (tmp_path / "a.py").write_text(long_function)
    assert size_problems(tmp_path / "a.py") == ["a.py:1 f() has 61 lines"]
    (tmp_path / "b.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    assert size_problems(tmp_path / "b.py") == ["b.py has 301 lines and no reason for it in its docstring"]
    (tmp_path / "c.py").write_text('"""About 301 lines: a table."""\n' + "x = 1\n" * MAX_MODULE_LINES)
    assert size_problems(tmp_path / "c.py") == []


def test_functions_and_modules_stay_readable():
    problems = [problem for folder in CODE_FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))
                for problem in size_problems(path)]
    assert not problems, "split these, or say in the module docstring why it is long:\n" + "\n".join(problems)
