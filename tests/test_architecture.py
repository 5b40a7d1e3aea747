"""The package's layers, checked: no import loops, no import from a lower layer into a higher one.

Layers, bottom up (CONTRIBUTING.md draws them): ``base`` (profiles, schema, plan, the pocket
bundle's paths, GPT-2's tokenizer files), ``lesson`` (one module per notebook step), ``experiments``
(the pitfall notebooks' runs), ``exercises`` (the exercise checks), ``commands`` (``course_utils.cli``),
then ``pocket_builder`` beside
the package. A module may import its own layer and the layers below it, never one above; every
import counts, inside functions too. Notebooks may use the first three layers only.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LAYERS = {  # layer -> module names (a trailing ".*" takes a whole subpackage)
    "base": {"course_utils", "course_utils.schema", "course_utils.plan", "course_utils.pocket",
             "course_utils.environment", "course_utils.install",
             "course_utils.gpt2_tokenizer", "course_utils.profiles",
             "course_utils.evaluate_metrics.*"},  # the metric scripts evaluate.load runs offline
    "lesson": {f"course_utils.{name}" for name in (
        "data", "local_files", "tokens", "model", "metrics", "baselines", "training",
        "language_model", "pretraining", "figures", "costs", "records", "run_folders", "widgets", "quiz")},
    "experiments": {"course_utils.pitfalls", "course_utils.pitfalls_fit", "course_utils.pitfalls_data",
                    "course_utils.pitfalls_lm"},
    "exercises": {"course_utils.exercises.*"},  # checks the notebooks' exercises, any step's results
    "commands": {"course_utils.__main__", "course_utils.cli.*"},
    "builder": {"pocket_builder.*"},
}
ORDER = list(LAYERS)
NOTEBOOK_LAYERS = ("base", "lesson", "experiments", "exercises")


def layer_of(module: str, layers: dict[str, set[str]] = LAYERS) -> str | None:
    for layer, names in layers.items():
        for name in names:
            if module == name or (name.endswith(".*") and (module == name[:-2] or module.startswith(name[:-1]))):
                return layer
    return None


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, known: set[str]) -> set[str]:
    """The project modules that ``source`` imports anywhere (module level or inside functions);
    ``from package import module`` counts as importing the module."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known}


def import_graph(root: Path, packages=("course_utils", "pocket_builder")) -> dict[str, set[str]]:
    files = {module_name(path, root): path for package in packages for path in (root / package).rglob("*.py")}
    return {name: imported_modules(path.read_text(encoding="utf-8"), set(files)) - {name}
            for name, path in files.items()}


def upward_imports(graph: dict[str, set[str]], layers: dict[str, set[str]] = LAYERS) -> list[str]:
    order = list(layers)
    problems = []
    for module, targets in sorted(graph.items()):
        here = layer_of(module, layers)
        for target in sorted(targets):
            there = layer_of(target, layers)
            if here and there and order.index(there) > order.index(here):
                problems.append(f"{module} ({here}) imports {target} ({there})")
    return problems


def import_loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, loops, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(loops)


# --------------------------------------------------------------------------------- the checker, on a made-up tree
@pytest.fixture
def toy_tree(tmp_path):
    def write(name: str, text: str) -> None:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    write("course_utils/__init__.py", "")
    write("course_utils/profiles.py", "")
    write("course_utils/data.py", "def f():\n    from course_utils import local_files\n")
    write("course_utils/local_files.py", "from course_utils.data import f\n")
    write("course_utils/model.py", "import course_utils.cli.run\n")
    write("course_utils/cli/__init__.py", "")
    write("course_utils/cli/run.py", "from course_utils.model import x\n")
    write("pocket_builder/__init__.py", "")
    return tmp_path


def test_the_checker_finds_a_loop_inside_functions_too(toy_tree):
    assert import_loops(import_graph(toy_tree)) == [["course_utils.cli.run", "course_utils.model"],
                                                    ["course_utils.data", "course_utils.local_files"]]


def test_the_checker_finds_an_upward_import(toy_tree):
    assert upward_imports(import_graph(toy_tree)) == [
        "course_utils.model (lesson) imports course_utils.cli.run (commands)"]


# --------------------------------------------------------------------------------- the real tree
def test_every_module_has_a_layer():
    unplaced = [module for module in import_graph(REPO) if layer_of(module) is None]
    assert not unplaced, f"add these modules to a layer in LAYERS (and to CONTRIBUTING.md): {unplaced}"


def test_no_import_loops():
    assert import_loops(import_graph(REPO)) == []


def test_no_layer_imports_a_higher_one():
    assert upward_imports(import_graph(REPO)) == []


def test_the_package_never_imports_the_builder():
    graph = import_graph(REPO)
    assert not [(m, t) for m, targets in graph.items() if m.startswith("course_utils")
                for t in targets if t.startswith("pocket_builder")]


def test_the_builder_is_not_installed_with_the_package():
    text = (REPO / "pyproject.toml").read_text()
    assert 'include = ["course_utils*"]' in text


@pytest.mark.parametrize("folder", ["notebooks", "solutions"])
def test_notebooks_use_only_lesson_layers(folder):
    known = set(import_graph(REPO))
    wrong = []
    for path in sorted((REPO / folder).glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        code = "\n".join(line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("!", "%"))
                         else line for line in code.splitlines())
        for module in imported_modules(code, known):
            if layer_of(module) not in NOTEBOOK_LAYERS:
                wrong.append(f"{path.name}: {module}")
    assert not wrong


HEAVY = ("torch", "transformers", "datasets", "evaluate", "accelerate", "peft")


@pytest.mark.parametrize("argv", [["--help"], ["train", "--help"], ["book", "--help"]], ids=" ".join)
def test_help_loads_no_ml_library(argv):
    """``python -m course_utils ... --help`` answers without importing a heavy library (seconds saved
    on every typo); a command module that imports one at its top would fail this."""
    import subprocess
    import sys

    code = ("import sys\nfrom course_utils.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n"
            f"    pass\nprint(sorted(name for name in {HEAVY!r} if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", f"{' '.join(argv)} imported {done.stdout.splitlines()[-1]}"
