"""The concept quizzes (issue 20): every quiz file is valid, broken files are refused with the file
and the question named, "Check" answers right and wrong choices, the static copy holds every
question and explanation, and every notebook shows its own quiz once, just before its exercises."""

import copy
import json
import re
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

from course_utils.quiz import (
    QUIZ_DIR,
    RIGHT,
    WRONG,
    QuizError,
    inline_html,
    load_quiz,
    plain,
    quiz,
)
from tests.output_checks import cell_output_problems

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
QUIZZES = sorted(path.stem for path in QUIZ_DIR.glob("*.yaml"))
VALID = {"questions": [
    {"question": "Which token pads GPT-2's batches?",
     "options": [{"text": "`<|endoftext|>`", "correct": True,
                  "explanation": "It is the end-of-text token."},
                 {"text": "`[PAD]`", "explanation": "GPT-2's vocabulary has no such token."}]},
    {"question": "What does padding=\"max_length\" cost?",
     "options": [{"text": "Nothing.", "explanation": "Every padded position is still computed."},
                 {"text": "Wasted computation.", "correct": True,
                  "explanation": "The filler is computed."},
                 {"text": "Accuracy.", "explanation": "The padding is masked out."}]},
]}


def write(folder: Path, data, name: str = "99_made_up") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the course's quizzes
@pytest.mark.parametrize("name", QUIZZES)
def test_every_quiz_file_loads_with_3_to_5_questions_of_one_right_option(name):
    loaded = load_quiz(name)
    assert 3 <= len(loaded.questions) <= 5, f"{name}: {len(loaded.questions)} questions"
    for question in loaded.questions:
        assert len(question.options) >= 2
        assert sum(option.correct for option in question.options) == 1, question.text
        assert all(option.explanation for option in question.options), question.text


def test_every_notebook_has_a_quiz_file_and_every_file_a_notebook():
    assert QUIZZES == [path.stem for path in NOTEBOOKS]


def test_the_quiz_files_are_packaged():
    tomllib = pytest.importorskip("tomllib")
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    globs = settings["package-data"]["course_utils"]
    files = [path.relative_to(QUIZ_DIR.parent).as_posix() for path in QUIZ_DIR.glob("*.yaml")]
    assert files and all(any(fnmatch(file, glob) for glob in globs) for file in files)


# --------------------------------------------------------------------------------- validation
def test_the_made_up_quiz_is_valid(tmp_path):
    write(tmp_path, VALID)
    loaded = load_quiz("99_made_up", folder=tmp_path)
    assert [len(q.options) for q in loaded.questions] == [2, 3]
    assert [o.correct for o in loaded.questions[1].options] == [False, True, False]


def _drop(field, question=1, option=None):
    def change(data):
        entry = data["questions"][question]
        del (entry if option is None else entry["options"][option])[field]
    return change


def _set(field, value, question=1, option=None):
    def change(data):
        entry = data["questions"][question]
        (entry if option is None else entry["options"][option])[field] = value
    return change


def _one_option(data):
    del data["questions"][1]["options"][1:]


def _two_right(data):
    data["questions"][1]["options"][0]["correct"] = True


def _none_right(data):
    data["questions"][1]["options"][1]["correct"] = False


def _misspelt(data):
    option = data["questions"][1]["options"][2]
    option["explaination"] = option.pop("explanation")


BROKEN = {  # mistake -> (how the file is broken, what the error says)
    "missing question text": (_drop("question"), r"missing field\(s\) \['question'\]"),
    "missing options": (_drop("options"), r"missing field\(s\) \['options'\]"),
    "option without text": (_drop("text", option=0), r"option a: missing field\(s\) \['text'\]"),
    "option without explanation": (_drop("explanation", option=2),
                                   r"option c: missing field\(s\) \['explanation'\]"),
    "blank explanation": (_set("explanation", "  ", option=1),
                          r"option b: 'explanation' must be a text"),
    "misspelt explanation": (_misspelt, r"option c: unknown field\(s\) \['explaination'\]"),
    "fewer than 2 options": (_one_option, "needs a list of at least 2 options"),
    "two correct options": (_two_right, "needs exactly one option with 'correct: true', has 2"),
    "no correct option": (_none_right, "needs exactly one option with 'correct: true', has 0"),
    "correct as a string": (_set("correct", "yes", option=1),
                            "option b: 'correct' must be true or false"),
}


@pytest.mark.parametrize("mistake", BROKEN)
def test_a_broken_file_is_refused_naming_the_file_and_the_question(tmp_path, mistake):
    breaks, message = BROKEN[mistake]
    data = copy.deepcopy(VALID)
    breaks(data)
    write(tmp_path, data)
    with pytest.raises(QuizError, match=message) as error:
        load_quiz("99_made_up", folder=tmp_path)
    named = "99_made_up.yaml, question 2"
    assert str(error.value).startswith(named), str(error.value)
    if mistake != "missing question text":
        assert "What does padding" in str(error.value)


def test_a_file_without_a_list_of_questions_or_with_bad_yaml_is_refused(tmp_path):
    for data in ({"questions": []}, {"question": VALID["questions"]}, VALID["questions"]):
        write(tmp_path, data)
        with pytest.raises(QuizError, match=r"^99_made_up.yaml: the file must hold one key"):
            load_quiz("99_made_up", folder=tmp_path)
    (tmp_path / "99_made_up.yaml").write_text("questions:\n  - question: [unclosed\n")
    with pytest.raises(QuizError, match=r"^99_made_up.yaml: not valid YAML"):
        load_quiz("99_made_up", folder=tmp_path)


def test_an_unknown_quiz_name_lists_the_quizzes():
    with pytest.raises(QuizError, match=r"no quiz file 06_trainers.yaml .*'06_trainer'"):
        load_quiz("06_trainers")


# --------------------------------------------------------------------------------- the widget
def test_check_answers_a_wrong_and_a_right_choice_with_that_options_explanation():
    panel = quiz("06_trainer")
    card = panel.cards[0]
    options = card.question.options
    right = next(i for i, option in enumerate(options) if option.correct)
    wrong = next(i for i, option in enumerate(options) if not option.correct)
    assert card.choice.value is None
    card.button.click()
    assert "Pick an option first" in card.feedback.value
    card.choice.value = wrong
    card.button.click()  # runs the handler the browser's click runs
    assert WRONG in card.feedback.value and RIGHT not in card.feedback.value
    assert inline_html(options[wrong].explanation) in card.feedback.value
    assert inline_html(options[right].explanation) not in card.feedback.value
    card.choice.value = right
    card.button.click()
    assert RIGHT in card.feedback.value and WRONG not in card.feedback.value
    assert inline_html(options[right].explanation) in card.feedback.value
    assert panel.cards[1].feedback.value == "", "a click answers its own question only"


def test_the_radio_buttons_are_lettered_like_the_listed_options():
    card = quiz("05_metrics").cards[2]
    assert card.choice.options == (("a", 0), ("b", 1), ("c", 2))
    assert '<ol type="a">' in card.children[0].value


def test_quiz_text_is_escaped_and_backticks_become_code():
    assert inline_html('set `pad_token` <b> & "x"') == (
        'set <code>pad_token</code> &lt;b&gt; &amp; &quot;x&quot;')
    assert plain("set `pad_token`") == "set pad_token"


@pytest.mark.parametrize("name", QUIZZES)
def test_the_static_copy_holds_every_question_option_and_explanation(name):
    panel = quiz(name)
    bundle = panel._repr_mimebundle_()
    page, text = bundle["text/html"], bundle["text/plain"]
    questions = panel.quiz.questions
    assert page.count("<details>") == len(questions)
    for question in questions:
        assert inline_html(question.text) in page and plain(question.text) in text
        for option in question.options:
            assert inline_html(option.text) in page and plain(option.text) in text
            assert inline_html(option.explanation) in page and plain(option.explanation) in text
    assert len(re.findall(r"^ +right: ", text, re.M)) == len(questions)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert cell_output_problems([{"output_type": "display_data", "data": bundle}]) == []


def test_the_junk_check_would_catch_a_quiz_without_its_static_copy():
    panel = quiz("06_trainer")
    bundle = super(type(panel), panel)._repr_mimebundle_()  # what a plain VBox shows
    problems = cell_output_problems([{"output_type": "display_data", "data": bundle}])
    assert problems and problems[0].startswith("a widget with no static fallback")


# --------------------------------------------------------------------------------- the notebooks
QUIZ_CALL = re.compile(r"\bquiz\((['\"])(?P<name>[^'\"]+)\1\)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_shows_its_own_quiz_once_just_before_its_exercises(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells]
    calls = [(i, found["name"]) for i, (cell, text) in enumerate(zip(cells, sources, strict=True))
             if cell["cell_type"] == "code" for found in QUIZ_CALL.finditer(text)]
    assert [name for _, name in calls] == [path.stem], f"{path.name}: quiz calls {calls}"
    at = calls[0][0]
    assert cells[at].get("id") == "quiz-show" and cells[at - 1].get("id") == "quiz"
    assert sources[at - 1].startswith("## Quiz\n")
    exercises = next(i for i, text in enumerate(sources)
                     if re.search(r"^## Exercises\b", text, re.M))
    assert exercises == at + 1, f"{path.name}: the quiz is not right before the exercises"
