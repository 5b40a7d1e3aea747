"""Each solution answers the exercise as it is written (issue 19): every ``name=value`` that an
exercise states in code (between backticks) is used by the code of its solution's section, either
written the same way or as ``name=`` with the value among the literals it loops over
(``for k in (0, 3, 9): ... k=k``). A placeholder value (``...``) states nothing."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
PARAMETER = re.compile(r"\b(\w+)=([\w.\"'/-]+|\([^()`]*\))")
NOT_IN_CODE = {  # (notebook, exercise, parameter) -> why the solution states it differently
    ("07_overfitting_and_tuning", 2, 'metric_for_best_model="loss"'):
        'the solution passes metric="loss" to early_stopping_run, which sets exactly this',
    ("07_overfitting_and_tuning", 2, "greater_is_better=False"):
        'the solution passes metric="loss" to early_stopping_run, which sets exactly this',
}


def cells(path):
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def exercise_parameters(markdown: str) -> dict[int, list[str]]:
    """``{exercise number: ["name=value", ...]}`` from the numbered items under "## Exercises"."""
    text = markdown.split("## Exercises", 1)[1]
    # Items of a numbered list ("1. **Title.** ...") or one heading per exercise ("### Exercise 1 · Title").
    items = re.split(r"^(?:### Exercise (?=\d+ ·))?(\d+)(?:\. | ·[^\n]*\n)", text, flags=re.M)[1:]
    found = {}
    for number, body in zip(items[::2], items[1::2], strict=True):
        code = " ".join(re.findall(r"`([^`]+)`", body))
        found[int(number)] = [f"{name}={value}" for name, value in PARAMETER.findall(code) if value != "..."]
    return found


def uses(code: str, parameter: str) -> bool:
    """Whether ``code`` passes ``parameter`` (``name=value``) literally, or passes ``name=`` and holds
    the value as a literal of its own."""
    name, value = parameter.split("=", 1)
    if re.sub(r"\s+", "", parameter) in re.sub(r"\s+", "", code):
        return True
    return f"{name}=" in code and re.search(rf"(?<![\w.]){re.escape(value)}(?![\w.])", code) is not None


def solution_code(path: Path) -> dict[int, str]:
    """``{exercise number: its code}``: the code cells under each "## Exercise N" / "## N." heading,
    after the set-up cells above the first one (shared by every exercise)."""
    sections, current, setup = {}, None, ""
    for kind, text in cells(path):
        heading = re.match(r"## (?:Exercise )?(\d+)\b", text)
        if kind == "markdown" and heading:
            current = int(heading[1])
            sections[current] = setup
        elif kind == "code" and current is None:
            setup += "\n" + text
        elif kind == "code":
            sections[current] += "\n" + text
    return sections


def test_parameters_are_read_from_exercise_items():
    found = exercise_parameters("## Exercises\n\n1. **A.** Run `f(data, train_size=400, epochs=12)`.\n"
                                "2. **B.** Use `k=0`, `3` and `seed=1` with `words=(\"a\", \"b\")`.\n")
    assert found == {1: ["train_size=400", "epochs=12"], 2: ["k=0", "seed=1", 'words=("a", "b")']}
    assert exercise_parameters("## Exercises\n1. Add `train_rows=...` to it.\n") == {1: []}
    assert exercise_parameters("## Exercises\n\n### Exercise 1 · A\n\nRun `f(k=3)`.\n\n"
                               "### Exercise 2 · B\n\nUse `seed=1`.\n") == {1: ["k=3"], 2: ["seed=1"]}


def test_a_parameter_is_used_literally_or_through_a_loop():
    assert uses("run(data, train_size=400)", "train_size=400")
    assert uses("for k in (0, 3, 9):\n    f(k=k)", "k=0")
    assert not uses("for k in (3, 9):\n    f(k=k)", "k=0")
    assert not uses("run(data, train_size=50)\nrun(data, train_size=200)", "train_size=400")
    assert not uses("x = 400\nrun(data, epochs=12)", "train_size=400")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solutions_use_the_parameters_their_exercises_state(path):
    markdown = "\n".join(text for kind, text in cells(path) if kind == "markdown")
    solutions = solution_code(ROOT / "solutions" / f"{path.stem}_solutions.ipynb")
    missing = []
    for number, parameters in exercise_parameters(markdown).items():
        missing += [f"exercise {number}: {p}" for p in parameters
                    if (path.stem, number, p) not in NOT_IN_CODE and not uses(solutions.get(number, ""), p)]
    assert not missing, f"{path.stem}: the solution does not use what the exercise asks: {missing}"


def test_every_allowance_is_still_needed():
    for stem, number, parameter in NOT_IN_CODE:
        markdown = "\n".join(text for kind, text in cells(ROOT / "notebooks" / f"{stem}.ipynb") if kind == "markdown")
        assert parameter in exercise_parameters(markdown).get(number, []), (stem, number, parameter)
