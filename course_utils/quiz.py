"""A short concept quiz at the end of every notebook (issue 20), shown by one call.

Each of the notebooks 01-08 has a "## Quiz" cell just before its exercises: ``quiz("06_trainer")``
shows the multiple-choice questions of ``course_utils/quizzes/06_trainer.yaml``. The student picks
an option per question and presses "Check": the quiz says "Correct" or "Not quite" and shows
that option's own explanation (every option has one, right or wrong). Loading a file validates it
(:func:`load_quiz`): a missing or unknown field, fewer than 2 options, not exactly one correct
option or an option without an explanation stops with an error naming the file and the question.

**Plain HTML and a few lines of JavaScript, no widget (issue 29).** The quiz is one ``text/html``
output that carries its own script, so it answers wherever a notebook's HTML runs scripts: Colab
(whatever its ipywidgets: Colab ships 7.7.1, whose widgets the course's 8.x code would not draw),
JupyterLab, Notebook 7, VS Code, and the course book's and slide decks' static pages, with no
kernel at all. Where scripts are stripped (GitHub's viewer, a notebook opened untrusted), the
same output still reads as a static copy: the lettered options and, folded in a ``<details>``
element, the answer with every option's explanation; the script hides that fold when it runs.

**Why not jupyterquiz.** ``jupyterquiz`` (PyPI) also draws a quiz with JavaScript in an output, but
it is one more package to install in Colab, its outputs carry random element ids (every run of a
notebook would rewrite the executed copies and the book), it reads its own JSON format rather than
questions validated here with the file and question named, and where scripts are stripped it shows
nothing. Ours needs nothing beyond the standard library and PyYAML: its element names come from the
quiz's file name and question number, so an executed copy is the same on every run, and each
option's feedback is rendered here in Python (:func:`feedback_html`), where the tests read it.

**Layout.** The options are an HTML list (a, b, c, ...) and the choice is a row of radio buttons
named by those letters, so a long option wraps on any screen width.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from string import ascii_lowercase

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
    """The question and its options as a list lettered in its text (a front end's stylesheet may
    number an ``<ol type="a">``, as the classic Notebook does, while the buttons say a, b, c)."""
    items = "".join(f"<li>{letter}) {inline_html(option.text)}</li>"
                    for letter, option in zip(ascii_lowercase, question.options, strict=False))
    return f'<p><b>{number}. {inline_html(question.text)}</b></p><ul style="list-style:none">{items}</ul>'


def answers_html(question: Question) -> str:
    """The answer and every option's explanation, folded in a ``<details>`` element (what a reader
    without scripts opens; the script hides it and answers "Check" instead)."""
    notes = "".join(
        f"<li><b>{letter}) {'✔ right' if option.correct else '✘ wrong'}:</b> "
        f"{inline_html(option.explanation)}</li>"
        for letter, option in zip(ascii_lowercase, question.options, strict=False))
    return (f'<details class="course-quiz-answers"><summary>Answer and explanations</summary>'
            f"<ul>{notes}</ul></details>")


def choices_html(name: str, number: int, question: Question) -> str:
    """The row of lettered radio buttons, "Check" and the feedback line; hidden until the script
    shows it. Each button carries the feedback for its option (:func:`feedback_html`)."""
    group = html.escape(f"course-quiz-{name}-{number}")
    radios = "".join(
        f'<label style="margin-right:1em"><input type="radio" name="{group}" value="{index}" '
        f'data-feedback="{html.escape(feedback_html(question, index))}"> {letter}</label>'
        for index, letter in zip(range(len(question.options)), ascii_lowercase, strict=False))
    return (f'<div class="course-quiz-live" style="display:none">{radios}'
            f'<button type="button" class="course-quiz-check" '
            f'data-feedback="{html.escape(feedback_html(question, None))}">Check</button>'
            f'<div class="course-quiz-feedback" aria-live="polite"></div></div>')


# Shows the radio buttons, hides the folded answers and answers "Check" with the chosen option's
# feedback, for every quiz on the page not yet set up (a page may show the same output twice).
QUIZ_SCRIPT = """<script>
(function () {
  document.querySelectorAll(".course-quiz:not([data-ready])").forEach(function (quiz) {
    quiz.setAttribute("data-ready", "yes");
    quiz.querySelectorAll(".course-quiz-question").forEach(function (card) {
      var button = card.querySelector(".course-quiz-check");
      var feedback = card.querySelector(".course-quiz-feedback");
      card.querySelector(".course-quiz-live").style.display = "";
      card.querySelector(".course-quiz-answers").style.display = "none";
      button.addEventListener("click", function () {
        var chosen = card.querySelector("input[type=radio]:checked");
        feedback.innerHTML = (chosen || button).getAttribute("data-feedback");
      });
    });
    quiz.querySelector(".course-quiz-note").textContent = "Pick an option, then press Check.";
  });
})();
</script>"""


def quiz_html(quiz: Quiz) -> str:
    """The quiz as one self-contained HTML block: every question with its lettered options, the
    radio buttons and "Check" (shown by the script), and the folded answers (the static copy)."""
    cards = "".join(
        f'<div class="course-quiz-question">{question_html(number, question)}'
        f"{choices_html(quiz.name, number, question)}{answers_html(question)}</div>"
        for number, question in enumerate(quiz.questions, start=1))
    note = ('<p class="course-quiz-note"><i>(a static copy: open the answers below each question, '
            "or run the notebook to pick an option and press Check)</i></p>")
    return (f'<div class="course-quiz" data-quiz="{html.escape(quiz.name)}">{note}{cards}'
            f"{QUIZ_SCRIPT}</div>")


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


@dataclass(frozen=True)
class QuizView:
    """What a notebook cell shows for a quiz: its HTML (with the script) and a plain-text copy."""

    quiz: Quiz

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": quiz_text(self.quiz), "text/html": quiz_html(self.quiz)}


def quiz(name: str) -> QuizView:
    """The quiz of notebook ``name`` (its file stem, e.g. ``"06_trainer"``), ready to show."""
    return QuizView(load_quiz(name))
