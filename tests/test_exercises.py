"""Every exercise answers back (issue 20): each notebook's exercises are laid out as heading,
answer cell (with a ``...`` placeholder) and check cell; the check exists in the notebook's
module of :mod:`course_utils.exercises`; the solutions call the same checks. What each check
recognises is tested in ``tests/test_exercises_<module>.py``; that a shipped notebook's checks say
"not attempted" and a solution's say "correct" is checked on every executed cell (conftest.py)."""

import importlib
import json
import re
from pathlib import Path

import pytest

from course_utils.exercises import Exercise, Outcome, attempted, check

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
IMPORT = re.compile(r"^from course_utils\.exercises import (\w+) as check$", re.M)
HEADING = re.compile(r"^### Exercise (\d+) · \S")


def cells(path: Path) -> list[tuple[str, str]]:
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def exercise_layout(path: Path) -> tuple[str | None, dict[int, list[str]]]:
    """The check module a notebook imports and ``{exercise: [its code cells]}`` after "## Exercises"."""
    module, layout, current, started = None, {}, None, False
    for kind, text in cells(path):
        started = started or (kind == "markdown" and text.startswith("## Exercises"))
        if not started:
            continue
        heading = HEADING.match(text) if kind == "markdown" else None
        if heading:
            current = int(heading[1])
            layout[current] = []
        elif kind == "code" and current is None and IMPORT.search(text):
            module = IMPORT.search(text)[1]
        elif kind == "code" and current is not None:
            layout[current].append(text)
    return module, layout


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_an_answer_cell_and_a_check(path):
    module, layout = exercise_layout(path)
    assert module, f"{path.name}: no `from course_utils.exercises import <module> as check` under ## Exercises"
    assert sorted(layout) == list(range(1, len(layout) + 1)) and layout, f"{path.name}: exercises {sorted(layout)}"
    checks = importlib.import_module(f"course_utils.exercises.{module}")
    for number, code in layout.items():
        assert len(code) >= 2 and "..." in code[0], f"{path.name} exercise {number}: answer cell with `...` first"
        assert code[-1].strip().startswith(f"check.exercise_{number}("), \
            f"{path.name} exercise {number}: the last cell is the check, one line"
        assert callable(getattr(checks, f"exercise_{number}", None)), f"{module}.exercise_{number} is missing"
    defined = {name for name in vars(checks) if re.fullmatch(r"exercise_\d+", name)}
    assert defined == {f"exercise_{n}" for n in layout}, f"{module}: checks without an exercise"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solutions_run_the_same_checks(path):
    module, layout = exercise_layout(path)
    solution = "\n".join(text for kind, text in cells(ROOT / "solutions" / f"{path.stem}_solutions.ipynb")
                         if kind == "code")
    assert f"from course_utils.exercises import {module} as check" in solution
    missing = [n for n in layout if f"check.exercise_{n}(" not in solution]
    assert not missing, f"{path.stem}: the solutions never call the checks of exercises {missing}"


def test_outcomes_print_one_line_and_name_the_mistake(capsys):
    exercise = Exercise("09", 2)
    hint = exercise.hint("wrong_column", "use the   `text`\n column")
    assert capsys.readouterr().out == "[check] exercise 09.2 hint: use the `text` column\n"
    assert (hint.status, hint.mistake) == ("hint", "wrong_column")
    exercise.correct("right", worked="a table\n")
    assert capsys.readouterr().out == "[check] exercise 09.2 correct: right\na table\n"
    assert exercise.not_attempted("`x`").status == "not attempted"


def test_placeholders_and_unreadable_answers():
    assert not attempted(1, ...) and not attempted(None) and attempted(0, "", [])

    @check("09", 1)
    def exercise_1(exercise, answer) -> Outcome:
        return exercise.correct(f"{answer['key']}")

    assert exercise_1({"key": 1}).status == "correct"
    unreadable = exercise_1([1])
    assert (unreadable.status, unreadable.mistake) == ("hint", "unreadable")
    assert "TypeError" in unreadable.message and "list" in unreadable.message


def test_executed_check_cells_must_say_what_their_folder_expects():
    from tests.output_checks import exercise_check_problems

    def out(text):
        return [{"output_type": "stream", "name": "stdout", "text": text}]

    line = "[check] exercise 02.1 not attempted: replace the `...`\n"
    assert exercise_check_problems("check.exercise_1(a, b)", out(line), "not attempted") == []
    assert exercise_check_problems("check.exercise_1(a, b)", out(line), "correct") == \
        ["exercise 02.1 says 'not attempted', not 'correct'"]
    assert exercise_check_problems("check.exercise_1(a)", out("nothing\n"), "correct") == \
        ["0 [check] lines for 1 check calls"]
    assert exercise_check_problems("x = 1", out("anything"), "correct") == []
