"""A short concept quiz at the end of every notebook (issue 20), shown by one call.

Each of the notebooks 01-08 has a "## Quiz" cell just before its exercises: ``quiz("06_trainer")``
shows the multiple-choice questions of ``course_utils/quizzes/06_trainer.yaml``. The student picks
an option per question and presses "Check": the widget says "Correct" or "Not quite" and shows
that option's own explanation (every option has one, right or wrong). Loading a file validates it
(:func:`load_quiz`): a missing or unknown field, fewer than 2 options, not exactly one correct
option or an option without an explanation stops with an error naming the file and the question.

**Why ipywidgets and not jupyterquiz.** ``jupyterquiz`` (PyPI) draws its quiz with JavaScript in a
``text/html`` output. It would be one more dependency; its outputs carry random element ids, so
every run of a notebook changes them; a reader's answer stays in the browser, so no test can click
an option from Python; and a viewer that strips scripts (GitHub, many static book builds) shows
nothing where the quiz was. ipywidgets is already a course dependency (notebooks 03 and 06 show
widgets) and renders in JupyterLab, Notebook 7 and Colab with no extension to install; the answer
is handled in the kernel (``QuestionCard.check``), so tests call the same handler the button calls.

**Layout.** The options are an HTML list (a, b, c, ...) and the choice is a row of radio buttons
named by those letters: ipywidgets draws a radio label as a single line of fixed height, which
would clip or overlap a long option, while HTML wraps it on any screen width.

**Without a live kernel** (an executed copy rendered to a static book) a widget cannot be drawn.
Like ``course_utils.widgets.live_panel``, the quiz's mime bundle also carries a ``text/html``
rendering (every question, its options, and the answer with each option's explanation folded in a
``<details>`` element) and a readable ``text/plain`` one, never the ``VBox(...)`` repr.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from string import ascii_lowercase

import ipywidgets as widgets
import yaml

QUIZ_DIR = Path(__file__).with_name("quizzes")
QUESTION_FIELDS = {"question", "options"}
OPTION_FIELDS = {"text", "explanation", "correct"}
RIGHT, WRONG = "Correct.", "Not quite."


class QuizError(ValueError):
    """A quiz file that cannot be shown as it is; the message names the file and the question."""


@dataclass(frozen=True)
class Option:
    text: str
    explanation: str
    correct: bool


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Quiz:
    name: str
    questions: tuple[Question, ...]


def load_quiz(name: str, folder: Path = QUIZ_DIR) -> Quiz:
    """The validated quiz ``folder/<name>.yaml``: a mapping with one key, ``questions``, a list of
    ``{question: text, options: [{text, explanation, correct: true}, ...]}`` (``correct`` may be
    left out on the wrong options)."""
    path = folder / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        raise QuizError(f"no quiz file {path.name} in {folder}; the quizzes are: {known}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise QuizError(f"{path.name}: not valid YAML: {error}") from error
    entries = data["questions"] if isinstance(data, dict) and set(data) == {"questions"} else None
    if not (isinstance(entries, list) and entries):
        raise QuizError(f"{path.name}: the file must hold one key, 'questions', a list of them")
    return Quiz(name, tuple(_question(path.name, number, entry)
                            for number, entry in enumerate(entries, start=1)))


def _question(file: str, number: int, entry) -> Question:
    """One question of ``file``, checked; errors say ``file, question N ('its start...')``."""
    where = f"{file}, question {number}"
    if isinstance(entry, dict) and isinstance(entry.get("question"), str):
        where += f" ({entry['question'][:50]!r})"
    _mapping(entry, QUESTION_FIELDS, QUESTION_FIELDS, where)
    text = _text(entry, "question", where)
    if not isinstance(entry["options"], list) or len(entry["options"]) < 2:
        raise QuizError(f"{where}: needs a list of at least 2 options")
    options = tuple(_option(f"{where}, option {letter}", option)
                    for letter, option in zip(ascii_lowercase, entry["options"], strict=False))
    correct = sum(option.correct for option in options)
    if correct != 1:
        raise QuizError(f"{where}: needs exactly one option with 'correct: true', has {correct}")
    return Question(text, options)


def _option(where: str, entry) -> Option:
    _mapping(entry, {"text", "explanation"}, OPTION_FIELDS, where)
    correct = entry.get("correct", False)
    if not isinstance(correct, bool):
        raise QuizError(f"{where}: 'correct' must be true or false, not {correct!r}")
    return Option(_text(entry, "text", where), _text(entry, "explanation", where), correct)


def _mapping(entry, required: set[str], allowed: set[str], where: str) -> None:
    """Refuse an entry that is not a mapping, lacks a required field or has a field not in
    ``allowed`` (a misspelt ``explanation`` is caught here)."""
    if not isinstance(entry, dict):
        raise QuizError(f"{where}: must be a mapping with the fields {sorted(required)}")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise QuizError(f"{where}: unknown field(s) {unknown}; the fields are {sorted(allowed)}")
    missing = sorted(field for field in required if entry.get(field) is None)
    if missing:
        raise QuizError(f"{where}: missing field(s) {missing}")


def _text(entry: dict, field: str, where: str) -> str:
    value = entry[field]
    if not isinstance(value, str) or not value.strip():
        raise QuizError(f"{where}: '{field}' must be a text, not {value!r}")
    return value.strip()


def plain(text: str) -> str:
    """Quiz text as plain text: the backticks around code are dropped."""
    return text.replace("`", "")


def inline_html(text: str) -> str:
    """Quiz text as HTML: escaped, with `code` between backticks set in ``<code>``."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def feedback_html(question: Question, choice: int | None) -> str:
    """What "Check" shows: the verdict on option number ``choice`` and that option's explanation."""
    if choice is None:
        return "<i>Pick an option first.</i>"
    option = question.options[choice]
    verdict = (f'<b style="color:#1a7f37">✔ {RIGHT}</b>' if option.correct
               else f'<b style="color:#b35900">✘ {WRONG}</b>')
    return f"<p>{verdict} {inline_html(option.explanation)}</p>"


def question_html(number: int, question: Question) -> str:
    """The question and its options as a lettered list."""
    items = "".join(f"<li>{inline_html(option.text)}</li>" for option in question.options)
    return f'<p><b>{number}. {inline_html(question.text)}</b></p><ol type="a">{items}</ol>'


def quiz_html(quiz: Quiz) -> str:
    """The static rendering: every question with its options, then the answer and every option's
    explanation folded in a ``<details>`` element."""
    parts = []
    for number, question in enumerate(quiz.questions, start=1):
        notes = "".join(
            f"<li><b>{letter}) {'✔ right' if option.correct else '✘ wrong'}:</b> "
            f"{inline_html(option.explanation)}</li>"
            for letter, option in zip(ascii_lowercase, question.options, strict=False))
        parts.append(f"{question_html(number, question)}<details><summary>Answer and explanations"
                     f"</summary><ul>{notes}</ul></details>")
    note = "<p><i>(a static copy: with a live kernel, pick an option and press Check)</i></p>"
    return f'<div class="course-quiz-static">{note}{"".join(parts)}</div>'


def quiz_text(quiz: Quiz) -> str:
    """The plain-text rendering: each question, its options, and under each option whether it is
    right and why."""
    lines = [f"Quiz {quiz.name}: {len(quiz.questions)} questions (a static copy)"]
    for number, question in enumerate(quiz.questions, start=1):
        lines.append(f"{number}. {plain(question.text)}")
        for letter, option in zip(ascii_lowercase, question.options, strict=False):
            lines.append(f"   {letter}) {plain(option.text)}")
            verdict = "right" if option.correct else "wrong"
            lines.append(f"      {verdict}: {plain(option.explanation)}")
    return "\n".join(lines)


class QuestionCard(widgets.VBox):
    """One question: its text and lettered options, a row of radio buttons, "Check", feedback."""

    def __init__(self, number: int, question: Question):
        self.question = question
        self.choice = widgets.RadioButtons(
            options=list(zip(ascii_lowercase, range(len(question.options)), strict=False)),
            value=None, orientation="horizontal", layout=widgets.Layout(width="auto"))
        self.button = widgets.Button(description="Check", tooltip="check the chosen option")
        self.feedback = widgets.HTML()
        self.feedback.add_class("course-quiz-feedback")
        self.button.on_click(self.check)
        super().__init__([widgets.HTML(question_html(number, question)),
                          widgets.HBox([self.choice, self.button]), self.feedback])
        self.add_class("course-quiz-question")

    def check(self, _button: widgets.Button | None = None) -> None:
        """The button's click handler: show the verdict and the chosen option's explanation."""
        self.feedback.value = feedback_html(self.question, self.choice.value)


class QuizPanel(widgets.VBox):
    """The whole quiz: one :class:`QuestionCard` per question, with a static rendering."""

    def __init__(self, quiz: Quiz):
        self.quiz = quiz
        self.cards = [QuestionCard(number, question)
                      for number, question in enumerate(quiz.questions, start=1)]
        super().__init__(self.cards)
        self.add_class("course-quiz")

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs) or {}
        data["text/plain"] = quiz_text(self.quiz)
        data["text/html"] = quiz_html(self.quiz)
        return data


def quiz(name: str) -> QuizPanel:
    """The quiz of notebook ``name`` (its file stem, e.g. ``"06_trainer"``), ready to show."""
    return QuizPanel(load_quiz(name))
