"""Checks for the exercises of notebook 05 (metrics); see :mod:`course_utils.exercises`.

The checks compute precision, recall and F1 from the confusion matrix with NumPy (the same
definitions as scikit-learn, which ``evaluate``'s F1 calls), so they load no metric; exercise 3
calls the student's ``compute_metrics`` on two batches of four tweets.
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises import Exercise, Outcome, attempted, check
from course_utils.metrics import compare_accuracies, confusion_matrix
from course_utils.schema import LABELS

NEUTRAL = LABELS.index("neutral")
PER_CLASS_KEYS = tuple(f"f1_{name}" for name in LABELS)  # exercise 3's keys
KEPT_KEYS = ("accuracy", "macro_f1")  # what notebook 05's compute_metrics returns already
# Exercise 3's second batch: no tweet is negative, in the labels or in the predictions (1, 2, 1, 2).
NO_NEGATIVE = (np.array([[0.1, 1.0, 0.2], [0.0, 0.3, 1.1], [0.2, 0.9, 0.4], [-0.3, 0.1, 0.8]]),
               np.array([1, 2, 2, 1]))


def _same(answer, truth) -> bool:
    """Scores as the student gives them (maybe rounded to 3 decimals) against the truth."""
    answer, truth = np.asarray(answer, dtype=float), np.asarray(truth, dtype=float)
    return answer.shape == truth.shape and bool(np.all(np.abs(answer - truth) <= 5e-4 + 1e-9))


def per_class(labels, predictions) -> dict[str, np.ndarray]:
    """Precision, recall, F1 and support of each class, from the confusion matrix (0 where undefined)."""
    matrix = confusion_matrix(labels, predictions, len(LABELS))
    diagonal = np.diag(matrix).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.nan_to_num(diagonal / matrix.sum(axis=0))
        recall = np.nan_to_num(diagonal / matrix.sum(axis=1))
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))
    return {"precision": precision, "recall": recall, "f1": f1, "support": matrix.sum(axis=1)}


def scores(labels, predictions) -> dict[str, float]:
    """Accuracy, macro-F1 and weighted F1 of ``predictions`` (every class present in ``labels``)."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    found = per_class(labels, predictions)
    return {"accuracy": float(np.mean(labels == predictions)), "macro_f1": float(found["f1"].mean()),
            "weighted_f1": float((found["f1"] * found["support"]).sum() / found["support"].sum())}


@check("05", 1)
def exercise_1(exercise: Exercise, precision, recall, f1_by_hand, test_labels, keyword_predictions) -> Outcome:
    """Precision, recall and F1 per class of the keyword rule, from its confusion matrix."""
    if not attempted(precision, recall, f1_by_hand):
        return exercise.not_attempted("`precision`, `recall` and `f1_by_hand` (three numbers each, in label "
                                      "order)")
    answers = {name: np.asarray(value, dtype=float) for name, value in
               (("precision", precision), ("recall", recall), ("f1_by_hand", f1_by_hand))}
    for name, values in answers.items():
        if values.shape != (len(LABELS),):
            return exercise.hint("shape", f"`{name}` has the shape {values.shape}; give one number per class, "
                                 f"in label order ({', '.join(LABELS)}).")
        if np.isnan(values).any():
            return exercise.hint("nan", f"`{name}` holds NaN: a class that is never predicted has no "
                                 "precision (0 / 0). Count it as 0, as evaluate does (np.nan_to_num).")
    truth = per_class(test_labels, keyword_predictions)
    if _same(answers["precision"], truth["recall"]) and _same(answers["recall"], truth["precision"]):
        return exercise.hint("swapped", "precision and recall are the wrong way round: precision divides the "
                             "diagonal by the column sums (what was predicted), recall by the row sums.")
    for name in ("precision", "recall"):
        if not _same(answers[name], truth[name]):
            if _same(answers[name], 100 * truth[name]):
                return exercise.hint("percent", f"`{name}` holds percentages; give shares between 0 and 1.")
            sums = "column sums (predicted)" if name == "precision" else "row sums (true)"
            return exercise.hint(f"{name}_wrong", f"`{name}` does not match the keyword rule's matrix: divide "
                                 f"its diagonal by its {sums}. Rows are the true labels.")
    if not _same(answers["f1_by_hand"], truth["f1"]):
        if _same(answers["f1_by_hand"], (truth["precision"] + truth["recall"]) / 2):
            return exercise.hint("arithmetic_mean", "that is the plain mean of precision and recall; F1 is "
                                 "their harmonic mean, 2 * p * r / (p + r).")
        return exercise.hint("f1_wrong", "`f1_by_hand` does not follow from your precision and recall: "
                             "2 * p * r / (p + r), and 0 where both are 0.")
    worked = "\n".join(f"  {name:>8}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}" for name, p, r, f in
                       zip(LABELS, truth["precision"], truth["recall"], truth["f1"], strict=True))
    return exercise.correct("precision from the columns, recall from the rows, F1 their harmonic mean: the "
                            "definitions behind f1.compute(..., average=None).", worked=worked)


@check("05", 2)
def exercise_2(exercise: Exercise, weighted_f1, biggest_gain, predictors, test_labels) -> Outcome:
    """Weighted F1 of every predictor, and which one gains most over its macro-F1."""
    if not attempted(weighted_f1, biggest_gain):
        return exercise.not_attempted("`weighted_f1` (predictor name -> weighted F1) and `biggest_gain` (a "
                                      "predictor's name)")
    weighted_f1 = dict(weighted_f1)
    missing = [name for name in predictors if name not in weighted_f1]
    if missing:
        return exercise.hint("missing_predictor", f"`weighted_f1` has no score for {missing[0]!r}: give one per "
                             "predictor of `predictors`, keyed by its name.")
    truth = {name: scores(test_labels, predictions) for name, predictions in predictors.items()}
    for name, found in truth.items():
        answer = weighted_f1[name]
        if _same(answer, found["weighted_f1"]):
            continue
        if _same(answer, found["macro_f1"]):
            return exercise.hint("macro", f"the score of {name!r} is its macro-F1; pass average=\"weighted\".")
        if _same(answer, found["accuracy"]):
            return exercise.hint("micro", f"the score of {name!r} is its accuracy: average=\"micro\" gives the "
                                 "accuracy when every tweet has one label. Pass average=\"weighted\".")
        if _same(answer, 100 * found["weighted_f1"]):
            return exercise.hint("percent", "those are percentages; give scores between 0 and 1.")
        return exercise.hint("wrong_value", f"the score of {name!r} is not its weighted F1 on test_labels.")
    if biggest_gain not in predictors:
        return exercise.hint("unknown_name", f"{biggest_gain!r} is not a name in `predictors`; give one of "
                             f"{', '.join(map(repr, predictors))}.")
    gains = {name: found["weighted_f1"] - found["macro_f1"] for name, found in truth.items()}
    if gains[biggest_gain] < max(gains.values()) - 5e-4:
        if biggest_gain == max(truth, key=lambda name: truth[name]["weighted_f1"]):
            return exercise.hint("highest_weighted", f"{biggest_gain!r} has the highest weighted F1; the "
                                 "exercise asks which predictor's weighted F1 rises most above its own macro-F1.")
        return exercise.hint("not_biggest", f"{biggest_gain!r} gains {gains[biggest_gain]:+.3f}; another "
                             "predictor gains more. Subtract each one's macro-F1 from its weighted F1.")
    worked = "\n".join(f"  {name:>28}: macro {found['macro_f1']:.3f}, weighted {found['weighted_f1']:.3f}, "
                       f"gain {gains[name]:+.3f}" for name, found in truth.items())
    return exercise.correct("weighted F1 weights each class's F1 by its number of tweets, so it rises most "
                            "above macro-F1 for a predictor whose F1 is high on the biggest class and low on "
                            "the small ones.", worked=worked)


def _call(function, logits, labels) -> tuple[dict | None, str | None]:
    """What the student's ``compute_metrics`` returns for one batch, or the error it raised."""
    try:
        return function((logits, labels)), None
    except Exception as error:  # the student's code: any error becomes a hint
        return None, f"{type(error).__name__}: {error}"


def _per_class_problem(result: dict, labels, logits) -> str | None:
    """The mistake in one batch's result: a name for the first thing wrong, or None."""
    if not isinstance(result, dict):
        return "not_a_dict"
    if any(key not in result for key in PER_CLASS_KEYS):
        listed = any(np.ndim(value) == 1 and len(value) > 1 for value in result.values())
        return "one_key_list" if listed else "missing_keys"
    if any(key not in result for key in KEPT_KEYS):
        return "dropped_keys"
    if any(np.ndim(result[key]) for key in PER_CLASS_KEYS):
        return "not_a_number"
    truth = per_class(labels, np.argmax(logits, axis=-1))["f1"]
    answer = [float(result[key]) for key in PER_CLASS_KEYS]
    if not _same(answer, truth):
        return "names_shifted" if _same(sorted(answer), sorted(truth)) else "wrong_values"
    return None


PER_CLASS_HINTS = {
    "not_a_dict": "your function returns a value of type {kind}; return a dict of numbers, one per key.",
    "one_key_list": "one key holds several numbers; the Trainer logs one number per key: give each class a "
                    "key of its own (f1_negative, f1_neutral, f1_positive).",
    "missing_keys": "the result has the keys {keys}; add f1_negative, f1_neutral and f1_positive.",
    "dropped_keys": "the result lost accuracy or macro_f1 ({keys}); keep them: notebook 06 picks its best "
                    "checkpoint by one of them.",
    "not_a_number": "a per-class key holds an array; give each one a single number (float(value)).",
    "names_shifted": "the three F1 scores are right but under the wrong names: f1.compute(..., average=None) "
                     "lists them in label order (0 negative, 1 neutral, 2 positive).",
    "wrong_values": "the per-class scores do not match the predictions (argmax of the logits): use "
                    "f1.compute(..., average=None).",
}


@check("05", 3)
def exercise_3(exercise: Exercise, compute_metrics_per_class, toy_logits, toy_labels) -> Outcome:
    """A ``compute_metrics`` that also returns one F1 per class, under one key each."""
    if not attempted(compute_metrics_per_class):
        return exercise.not_attempted("`compute_metrics_per_class` (a function, like compute_metrics)")
    if not callable(compute_metrics_per_class):
        return exercise.hint("not_a_function", "`compute_metrics_per_class` is not a function (its type is "
                             f"{type(compute_metrics_per_class).__name__}): define one with def.")
    toy_logits, toy_labels = np.asarray(toy_logits), np.asarray(toy_labels)
    toy, error = _call(compute_metrics_per_class, toy_logits, toy_labels)
    if error:
        return exercise.hint("raises", f"on toy_logits your function raised {error}.")
    problem = _per_class_problem(toy, toy_labels, toy_logits)
    if problem:
        keys = ", ".join(sorted(toy)) if isinstance(toy, dict) else ""
        return exercise.hint(problem, PER_CLASS_HINTS[problem].format(kind=type(toy).__name__, keys=keys))
    logits, labels = NO_NEGATIVE
    gap, error = _call(compute_metrics_per_class, logits, labels)
    if error or _per_class_problem(gap, labels, logits):
        what = f"raised {error}" if error else "gives the wrong per-class scores"
        return exercise.hint("missing_class", f"on a batch with no negative tweet (labels {labels.tolist()}) "
                             f"your function {what}. Without labels=[0, 1, 2], f1.compute lists only the "
                             "classes present, and the names shift: pass labels=[0, 1, 2].")
    results = {"toy_logits": toy, "a batch with no negative tweet": gap}
    worked = "\n".join(f"  {batch}: " + ", ".join(f"{key} {float(value):.3f}" for key, value in result.items()
                                                  if np.ndim(value) == 0)
                       for batch, result in results.items())
    return exercise.correct("one number per key, the three F1 scores under their class names, also on a batch "
                            "where a class is missing.", worked=worked)


@check("05", 4)
def exercise_4(exercise: Exercise, longer_predictions, longer_scores, keyword_predictions, test_labels) -> Outcome:
    """The keyword rule with longer word lists: its predictions and scores on the test tweets."""
    if not attempted(longer_predictions, longer_scores):
        return exercise.not_attempted("`longer_predictions` (one class per test tweet) and `longer_scores` "
                                      "(accuracy and macro_f1)")
    new, old, labels = (np.asarray(values) for values in (longer_predictions, keyword_predictions, test_labels))
    if new.shape != labels.shape:
        return exercise.hint("wrong_length", f"`longer_predictions` has the shape {new.shape}; give one class "
                             f"per test tweet ({len(labels):,}), for test_texts in order.")
    if np.array_equal(new, old):
        return exercise.hint("unchanged", "the new predictions are the old ones: call the rule with the longer "
                             "word lists.")
    if np.any((new == NEUTRAL) & (old != NEUTRAL)):
        return exercise.hint("words_replaced", "some tweets the old rule called negative or positive are "
                             "neutral now: adding words can only make the rule commit more often. Keep the old "
                             "words in the lists.")
    answer = dict(longer_scores)
    if sorted(answer) != sorted(KEPT_KEYS):
        return exercise.hint("score_keys", f"`longer_scores` has the keys {sorted(answer)}; give 'accuracy' "
                             "and 'macro_f1'.")
    truth, before = scores(labels, new), scores(labels, old)
    if not all(_same(answer[key], truth[key]) for key in KEPT_KEYS):
        if all(_same(answer[key], before[key]) for key in KEPT_KEYS):
            return exercise.hint("old_scores", "those are the old rule's scores; score `longer_predictions`.")
        if _same(answer["accuracy"], truth["macro_f1"]) and _same(answer["macro_f1"], truth["accuracy"]):
            return exercise.hint("swapped", "the accuracy and the macro-F1 are the wrong way round.")
        if all(_same(answer[key], 100 * truth[key]) for key in KEPT_KEYS):
            return exercise.hint("percent", "those are percentages; give scores between 0 and 1.")
        return exercise.hint("wrong_scores", "those scores do not match `longer_predictions` on test_labels: "
                             "accuracy.compute and f1.compute(..., average=\"macro\").")
    verdict = compare_accuracies("longer keyword lists vs the notebook's", truth["accuracy"], before["accuracy"],
                                 len(labels))
    rows = [f"  {name:>16}: accuracy {found['accuracy']:.3f}, macro-F1 {found['macro_f1']:.3f}, "
            f"called neutral {int(np.sum(predictions == NEUTRAL)):,}"
            for name, found, predictions in (("notebook's words", before, old), ("longer lists", truth, new))]
    changed = int(np.sum(new != old))
    return exercise.correct(f"the longer lists change {changed:,} of {len(labels):,} answers, none of them to "
                            "neutral, and your scores match the new predictions. Below, both rules side by "
                            "side: does the accuracy move as much as the macro-F1?",
                            worked="\n".join([*rows, str(verdict)]))
