"""What a trained ``Trainer`` kept, read for the checks of notebook 06 (:mod:`course_utils.exercises.trainer`).

A check never trains or scores again: it reads a run's ``args`` and ``state.log_history`` (the
training loss and validation scores of every epoch, then any ``evaluate`` call made on it).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from pathlib import Path

from course_utils.exercises import Exercise, Outcome


def evals(trainer, metric: str = "accuracy") -> list[dict]:
    """The validation scores the Trainer logged, one per step (an extra ``evaluate()`` at the same
    step is left out), in the order they were logged."""
    by_step = {}
    for log in trainer.state.log_history:
        if f"eval_{metric}" in log:
            by_step.setdefault(log["step"], log)
    return list(by_step.values())


def last_logged(trainer, key: str) -> float | None:
    """The last value of ``key`` in the log history (``"loss"``: the last epoch's training loss)."""
    values = [log[key] for log in trainer.state.log_history if key in log]
    return values[-1] if values else None


def epoch_of(log: dict) -> float:
    return round(float(log["epoch"]), 3)


def trainer_problem(exercise: Exercise, name: str, run, lesson=None) -> Outcome | None:
    """A hint when ``run`` is not a trained Trainer of its own (``lesson``: notebook 06's)."""
    if run is lesson:
        return exercise.hint("overwritten", f"`{name}` is the lesson's `trainer` itself: running section 5 "
                             "again replaced it. Give the new Trainer its own name, and run sections 2 to 5 "
                             "once more to get the lesson's `trainer` back.")
    if not (hasattr(run, "args") and hasattr(run, "state")):
        return exercise.hint("not_a_trainer", f"`{name}` is a {type(run).__name__}: give the Trainer itself, "
                             "after .train(), whose state holds the logged scores.")
    if not evals(run):
        return exercise.hint("not_trained", f"`{name}` has no validation scores in its log history: call "
                             f"{name}.train(), with eval_strategy=\"epoch\" as in section 4.")
    return None


def reused(run, lesson) -> bool:
    """Whether ``run`` is the lesson's finished run, reloaded: the same folder, or the same scores."""
    return (Path(run.args.output_dir).resolve() == Path(lesson.args.output_dir).resolve()
            or evals(run) == evals(lesson))


def scored_split(metrics: Mapping, prefix: str, splits: Mapping) -> str | None:
    """Which of ``splits`` (name -> dataset) an ``evaluate`` call scored, by its number of rows (its
    speed figures: rows per second x seconds): a name, ``""`` for none of them, ``None`` if unknown
    (no figures, or a run so short that the seconds, rounded to 4 decimals, are too coarse)."""
    runtime, speed = metrics.get(f"{prefix}_runtime"), metrics.get(f"{prefix}_samples_per_second")
    if not (runtime and speed) or runtime < 0.01:
        return None
    in_order = sorted(splits, key=lambda name: name != prefix)  # the split the prefix names, if sizes tie
    return next((name for name in in_order if math.isclose(runtime * speed, len(splits[name]), rel_tol=0.02)), "")


def is_number(value) -> bool:
    """A number as a student gives it (a NumPy number from a table too), not a bool or a string."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def logged_by(trainer, metrics: Mapping, key: str) -> bool:
    """Whether the Trainer logged ``metrics[key]``: the scores came from an ``evaluate`` call on it."""
    return any(key in log and log[key] == metrics[key] for log in trainer.state.log_history)


def first_no_better(scores: list[dict], key: str, greater: bool) -> int | None:
    """The index of the first evaluation that does not beat the best before it (patience 1 stops there)."""
    best = scores[0][key]
    for index, log in enumerate(scores[1:], 1):
        if not (log[key] > best if greater else log[key] < best):
            return index
        best = log[key]
    return None


def best_accuracy(trainer) -> float:
    """The highest validation accuracy of the run (what the kept checkpoint scored)."""
    return max(log["eval_accuracy"] for log in evals(trainer))


def last_accuracy(trainer) -> float:
    """The validation accuracy of the run's last epoch."""
    return evals(trainer)[-1]["eval_accuracy"]


def lowest_loss_first(trainer) -> float | None:
    """Minus the last training loss: the highest for the run that fits its training tweets best."""
    loss = last_logged(trainer, "loss")
    return None if loss is None else -loss


def test_accuracy(trainer) -> float | None:
    """The last test accuracy an ``evaluate(..., metric_key_prefix="test")`` on the run logged."""
    return last_logged(trainer, "test_accuracy")


def picked(choice: float, runs: dict[float, object], score) -> bool:
    """Whether ``choice`` is a key of ``runs`` whose run has the highest ``score(run)``; False where a
    run has no such score (``None``)."""
    scores = {key: score(run) for key, run in runs.items()}
    if None in scores.values():
        return False
    top = max(scores.values())
    return any(math.isclose(choice, key, rel_tol=1e-6) for key, value in scores.items() if value == top)
