"""Exercise checks: every exercise of notebooks 01-08 answers back (issue 20).

Each notebook ends with its exercises; under each exercise's answer cell a check cell calls one
function of the notebook's module here (``from course_utils.exercises import data as check``,
then ``check.exercise_1(longest_text, longest_label)``). The function inspects what the student
produced and prints exactly one line:

- ``[check] exercise 02.1 correct: <why it is right>`` (open-ended exercises then print a worked
  comparison below it),
- ``[check] exercise 02.1 hint: <what the check sees, and what to look at>`` for a mistake it
  recognises (never the solution), or
- ``[check] exercise 02.1 not attempted: ...`` while a placeholder ``...`` is left in.

It returns the :class:`Outcome` (already printed, so a notebook shows it once); tests read its
``status`` and ``mistake``. A check reads only what it is given and the profile's sizes: each
runs in well under a second. Writing a new one: see CONTRIBUTING.md, "Adding an exercise".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

STATUSES = ("correct", "hint", "not attempted")


@dataclass(frozen=True)
class Outcome:
    """What a check found: ``status`` is one of :data:`STATUSES`; ``mistake`` names the mistake a
    hint is about (tests assert it), ``None`` otherwise."""

    exercise: str
    status: str
    message: str
    mistake: str | None = None

    @property
    def line(self) -> str:
        return f"[check] exercise {self.exercise} {self.status}: {self.message}"

    def _ipython_display_(self) -> None:
        """Shown already when it was made; a check cell's return value adds nothing."""


def same_score(answer, truth: float) -> bool:
    """A score, share or epoch as the student gives it (maybe rounded to 3 decimals) against the truth."""
    return abs(float(answer) - float(truth)) <= 5e-4 + 1e-9


def is_yes_no(answer) -> bool:
    """Whether a yes/no answer is one: True or False (a NumPy bool too)."""
    return isinstance(answer, bool | np.bool_)


def attempted(*answers) -> bool:
    """False while any answer is still the placeholder ``...`` (or ``None``)."""
    return all(answer is not ... and answer is not None for answer in answers)


class Exercise:
    """Builds (and prints) the outcome of one exercise, e.g. ``Exercise("02", 1)``."""

    def __init__(self, notebook: str, number: int):
        self.name = f"{notebook}.{number}"

    def _report(self, status: str, message: str, mistake: str | None = None) -> Outcome:
        outcome = Outcome(self.name, status, " ".join(message.split()), mistake)
        print(outcome.line)
        return outcome

    def correct(self, why: str, worked: str | None = None) -> Outcome:
        """Right; ``worked`` is a comparison printed below the line (open-ended exercises)."""
        outcome = self._report("correct", why)
        if worked:
            print(worked.rstrip())
        return outcome

    def hint(self, mistake: str, text: str) -> Outcome:
        """A recognised mistake: ``mistake`` is its short name, ``text`` what to look at."""
        return self._report("hint", text, mistake)

    def difference_mistake(self, answer, truth: float, reversed_as: str) -> Outcome | None:
        """The hint for a difference of two accuracies given the other way round (``reversed_as``
        says what it is then) or in percentage points; None when it is neither."""
        if same_score(answer, -truth):
            return self.hint("sign", reversed_as)
        if same_score(answer, 100 * truth):
            return self.hint("percent", "that is in percentage points; give the difference of the two accuracies "
                             "as it is, between -1 and 1.")
        return None

    def not_attempted(self, what: str) -> Outcome:
        return self._report("not attempted", f"replace the `...` in the answer cell: {what}")


def check(notebook: str, number: int) -> Callable:
    """Decorator for a check ``f(exercise, *answers)``: passes it an :class:`Exercise` and turns an
    answer the check cannot read (wrong type, missing key or column) into a hint that says so,
    instead of a traceback from inside the check."""

    def wrap(function: Callable) -> Callable:
        @functools.wraps(function)
        def checked(*answers, **options) -> Outcome:
            exercise = Exercise(notebook, number)
            try:
                return function(exercise, *answers, **options)
            except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:
                kinds = ", ".join(type(a).__name__ for a in answers)
                return exercise.hint(
                    "unreadable",
                    f"the check could not read your answer ({type(error).__name__}: {error}); it got "
                    f"{kinds or 'nothing'}. Compare what you passed with what the exercise asks for.")

        return checked

    return wrap
