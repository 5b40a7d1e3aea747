"""The concept quizzes (issues 20, 29): every quiz file is valid, broken files are refused with the
file and the question named, each option carries the feedback "Check" shows (the browser tests press
it), the static copy holds every question and explanation, the output needs no widget library, and
every notebook shows its own quiz once, just before its exercises."""

import copy
import json
import re
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from course_utils.cli.book import REMOTE_LOAD
from course_utils.quiz import (
    QUIZ_DIR,
    RIGHT,
    WRONG,
    QuizError,
    feedback_html,
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


# --------------------------------------------------------------------------------- the HTML quiz
class Parts(HTMLParser):
    """The quiz's radio buttons and Check buttons, with their attributes, in page order."""

    def __init__(self):
        super().__init__()
        self.radios, self.buttons, self.scripts = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "radio":
            self.radios.append(attrs)
        elif tag == "button":
            self.buttons.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)


def parts(name: str) -> Parts:
    found = Parts()
    found.feed(quiz(name)._repr_mimebundle_()["text/html"])
    return found


@pytest.mark.parametrize("name", QUIZZES)
def test_each_option_carries_its_verdict_and_explanation_for_check(name):
    """What the page shows on "Check" is rendered here (feedback_html): each radio button carries
    its own option's feedback, and "Check" with nothing chosen asks for a choice."""
    questions = load_quiz(name).questions
    found = parts(name)
    assert len(found.buttons) == len(questions) and len(found.scripts) == 1
    radios = iter(found.radios)
    for number, question in enumerate(questions, start=1):
        for index, option in enumerate(question.options):
            radio = next(radios)
            assert radio["name"] == f"course-quiz-{name}-{number}" and radio["value"] == str(index)
            assert radio["data-feedback"] == feedback_html(question, index)
            verdict = RIGHT if option.correct else WRONG
            assert verdict in radio["data-feedback"] and inline_html(option.explanation) in radio["data-feedback"]
    assert next(radios, None) is None
    assert all("Pick an option first" in button["data-feedback"] for button in found.buttons)


def test_the_radio_buttons_are_lettered_like_the_listed_options():
    page = quiz("05_metrics")._repr_mimebundle_()["text/html"]
    question = page.split('<div class="course-quiz-question">')[3]  # the third question
    assert re.findall(r"<li>(\w)\) ", question) == ["a", "b", "c"]
    assert re.findall(r'value="(\d)"[^>]*> (\w)</label>', question) == [("0", "a"), ("1", "b"), ("2", "c")]


def test_quiz_text_is_escaped_and_backticks_become_code():
    assert inline_html('set `pad_token` <b> & "x"') == (
        'set <code>pad_token</code> &lt;b&gt; &amp; &quot;x&quot;')
    assert plain("set `pad_token`") == "set pad_token"


@pytest.mark.parametrize("name", QUIZZES)
def test_the_static_copy_holds_every_question_option_and_explanation(name):
    view = quiz(name)
    bundle = view._repr_mimebundle_()
    page, text = bundle["text/html"], bundle["text/plain"]
    questions = view.quiz.questions
    assert page.count('<details class="course-quiz-answers">') == len(questions)
    for question in questions:
        assert inline_html(question.text) in page and plain(question.text) in text
        for option in question.options:
            assert inline_html(option.text) in page and plain(option.text) in text
            assert inline_html(option.explanation) in page and plain(option.explanation) in text
    assert len(re.findall(r"^ +right: ", text, re.M)) == len(questions)
    assert cell_output_problems([{"output_type": "display_data", "data": bundle}]) == []


def test_the_quiz_needs_no_widget_library_and_is_the_same_on_every_run():
    """No ipywidgets view (Colab's 7.7.1 front end and static pages draw plain HTML), no random
    element ids (an executed copy does not change between runs), nothing loaded from elsewhere."""
    first, second = quiz("06_trainer")._repr_mimebundle_(), quiz("06_trainer")._repr_mimebundle_()
    assert set(first) == {"text/plain", "text/html"} and first == second
    assert not REMOTE_LOAD.search(first["text/html"]) and " src=" not in first["text/html"]
    assert 'style="display:none"' in first["text/html"].split('class="course-quiz-live"')[1][:30]


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
