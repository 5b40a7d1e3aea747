"""The checks of notebook 07's exercises (``course_utils.exercises.tuning``): the solution passes,
each likely mistake gets its own hint.

The exercises train for minutes, so the answers here are built by hand: a :class:`CurveRun` is a
per-epoch history with the scores of the model it returned, a :class:`GridResult` a table of
validation scores. Where each patience stops on these curves was worked out by hand from
``EarlyStoppingCallback``'s rule (a new best is strictly better). One slow test checks that the
checks read two real early-stopping runs, trained tiny.
"""

import pandas as pd
import pytest
from datasets import Dataset, DatasetDict

from course_utils import get_profile, pitfalls, pitfalls_fit
from course_utils.data import load_tweets
from course_utils.exercises import tuning as check
from course_utils.pitfalls_fit import CurveRun, GridResult

# Exercise 1: 12 epochs. Patience 1 stops after epoch 3 (keeps 2), 2 after 6 (keeps 4), 3 after 10
# and 4 after 11 (both keep 7).
ACCURACY = [0.40, 0.45, 0.44, 0.50, 0.49, 0.48, 0.55, 0.52, 0.51, 0.50, 0.49, 0.48]
LOSS = [1.10, 1.00, 0.98, 0.97, 1.02, 1.08, 1.10, 1.15, 1.20, 1.26, 1.31, 1.37]


def run(accuracy, loss, upto=None, kept=None, planned=12, train_size=100, test=0.45, metric="accuracy"):
    """A CurveRun of the first ``upto`` epochs that returned the model of epoch ``kept`` (1-based;
    default: the last)."""
    upto = upto or len(accuracy)
    kept = kept or upto
    history = pd.DataFrame({"epoch": [float(e) for e in range(1, upto + 1)],
                            "train_loss": [1.0 - 0.05 * e for e in range(upto)],
                            "eval_loss": loss[:upto], "eval_accuracy": accuracy[:upto]})
    validation = {"eval_loss": loss[kept - 1], "eval_accuracy": accuracy[kept - 1]}
    return CurveRun(history, planned, validation, {"test_accuracy": test}, metric, train_size)


@pytest.fixture(scope="module")
def data():
    """An ExperimentData with the split sizes the checks read (pocket's pool: 500, 300, 500 rows)."""
    def split(n):
        return Dataset.from_dict({"text": ["a tweet"] * n, "label": [0] * n})

    raw = DatasetDict({"train": split(500), "validation": split(300), "test": split(500)})
    return pitfalls.ExperimentData(get_profile("pocket"), None, raw, None)


def test_exercise_1_patience(data):
    p1, p4 = run(ACCURACY, LOSS, upto=3, kept=2, test=0.44), run(ACCURACY, LOSS, upto=11, kept=7, test=0.47)
    kept = {1: 2, 4: 7}
    assert check.exercise_1(..., ..., ..., data).status == "not attempted"
    assert check.exercise_1(p1, p4, kept, data).status == "correct"
    assert check.exercise_1(p1, p4, {1: 2.0, 4: 7.0}, data).status == "correct"
    wrong = {
        "not_a_run": (p1.history, p4, kept),
        "wrong_epochs": (run(ACCURACY, LOSS, upto=3, kept=2, planned=10), p4, kept),
        "wrong_rows": (p1, run(ACCURACY, LOSS, upto=11, kept=7, train_size=80), kept),
        "not_early_stopping": (p1, run(ACCURACY, LOSS), kept),  # all 12 epochs, the last one returned
        "swapped": (p4, p1, kept),
        "default_patience": (p1, run(ACCURACY, LOSS, upto=6, kept=4), kept),
        "wrong_patience": (p1, run(ACCURACY, LOSS, upto=10, kept=7), kept),
        "kept_keys": (p1, p4, {"patience 1": 2, "patience 4": 7}),
        "stopped_not_kept": (p1, p4, {1: 3, 4: 7}),
        "kept_wrong": (p1, p4, {1: 2, 4: 5}),
        "unreadable": (p1, p4, 7),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_1(*answer, data).mistake == mistake, mistake


# Exercise 2: 8 epochs. By accuracy with patience 2: stops after 6, keeps 4. By loss: stops after 5, keeps 3.
ACCURACY_2 = [0.40, 0.45, 0.44, 0.50, 0.49, 0.48, 0.47, 0.46]
LOSS_2 = [1.10, 1.00, 0.98, 1.05, 1.15, 1.25, 1.35, 1.45]


def test_exercise_2_best_by_loss():
    by_accuracy = run(ACCURACY_2, LOSS_2, upto=6, kept=4, planned=8)
    by_loss = run(ACCURACY_2, LOSS_2, upto=5, kept=3, planned=8, metric="loss")
    assert check.exercise_2(..., ..., ...).status == "not attempted"
    assert check.exercise_2(by_accuracy, by_loss, "earlier").status == "correct"
    other_seed = run(ACCURACY_2, [v + 0.01 for v in LOSS_2], upto=6, kept=4, planned=8)
    wrong = {
        "not_a_run": (by_accuracy, by_loss.history, "earlier"),
        "different_runs": (other_seed, by_loss, "earlier"),
        "swapped": (by_loss, by_accuracy, "earlier"),
        "last_epoch": (by_accuracy, run(ACCURACY_2, LOSS_2, planned=8, metric="loss"), "earlier"),
        "kept_by_accuracy": (by_accuracy, run(ACCURACY_2, LOSS_2, upto=6, kept=4, planned=8), "same"),
        "greater_is_better": (by_accuracy, run(ACCURACY_2, LOSS_2, upto=3, kept=1, planned=8, metric="loss"),
                              "earlier"),
        "kept_other": (by_accuracy, run(ACCURACY_2, LOSS_2, upto=5, kept=2, planned=8, metric="loss"), "earlier"),
        "curve_metric": (by_accuracy, run(ACCURACY_2, LOSS_2, upto=5, kept=3, planned=8), "earlier"),
        "order_word": (by_accuracy, by_loss, 3),
        "order_disagrees": (by_accuracy, by_loss, "later"),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_2(*answer).mistake == mistake, mistake


# Exercise 3: with 50 tweets the validation loss turns up after epoch 3; with 200 it falls to the end.
LOSS_50 = [1.10, 1.05, 1.02, 1.04, 1.08, 1.12, 1.18, 1.24, 1.30, 1.36, 1.42, 1.48]
ACCURACY_50 = [0.40, 0.42, 0.44, 0.45, 0.44, 0.43, 0.43, 0.42, 0.42, 0.41, 0.41, 0.40]
LOSS_200 = [1.05, 0.98, 0.93, 0.90, 0.88, 0.87, 0.86, 0.855, 0.85, 0.848, 0.846, 0.845]
ACCURACY_200 = [0.42, 0.46, 0.50, 0.52, 0.54, 0.55, 0.54, 0.54, 0.53, 0.54, 0.53, 0.53]


def test_exercise_3_more_data(data):
    run_50 = run(ACCURACY_50, LOSS_50, train_size=50, test=0.41)
    run_200 = run(ACCURACY_200, LOSS_200, train_size=200, test=0.52)
    best = {50: 0.45, 200: 0.55}
    assert check.exercise_3(..., ..., ..., ..., data).status == "not attempted"
    assert check.exercise_3(run_50, run_200, False, best, data).status == "correct"
    both_turn = run(ACCURACY_50, LOSS_50, train_size=200)
    wrong = {
        "not_a_run": (run_50, run_200.history, False, best),
        "stopped_early": (run(ACCURACY_50, LOSS_50, upto=5, kept=4, train_size=50), run_200, False, best),
        "wrong_epochs": (run_50, run(ACCURACY_200, LOSS_200, upto=10, planned=10, train_size=200), False, best),
        "swapped": (run(ACCURACY_50, LOSS_50, train_size=200), run(ACCURACY_200, LOSS_200, train_size=50),
                    False, best),
        "same_size": (run_50, run(ACCURACY_200, LOSS_200, train_size=50), False, best),
        "wrong_rows": (run_50, run(ACCURACY_200, LOSS_200, train_size=150), False, best),
        "not_bool": (run_50, run_200, "no", best),
        "about_50": (run_50, run_200, True, best),
        "turns_up_disagrees": (run_50, both_turn, False, best),
        "accuracy_keys": (run_50, run_200, False, {"50": 0.45, "200": 0.55}),
        "last_epoch": (run_50, run_200, False, {50: 0.40, 200: 0.55}),
        "test_split": (run_50, run_200, False, {50: 0.45, 200: 0.52}),
        "percent": (run_50, run_200, False, {50: 45.0, 200: 55.0}),
        "accuracy_wrong": (run_50, run_200, False, {50: 0.33, 200: 0.55}),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_3(*answer, data).mistake == mistake, mistake


def grid_result(accuracies, losses=None, epochs=(1, 3), rates=(1e-3, 3e-3, 9e-3)) -> GridResult:
    settings = [(lr, e) for lr in rates for e in epochs]
    losses = losses or [1.0 - a for a in accuracies]
    table = pd.DataFrame({"learning_rate": [lr for lr, _ in settings], "epochs": [e for _, e in settings],
                          "val_accuracy": accuracies, "val_loss": losses, "seconds": [1.0] * len(settings)})
    best = table.sort_values(["val_accuracy", "val_loss"], ascending=[False, True]).iloc[0].to_dict()
    return GridResult(table, best, None)


def test_exercise_4_is_the_winner_real(data):
    grid = grid_result([0.40, 0.46, 0.50, 0.52, 0.47, 0.43])  # winner: 3e-3 x 3 epochs
    seed_1 = grid_result([0.41, 0.45, 0.53, 0.51, 0.48, 0.44])  # winner: 3e-3 x 1 epoch, 0.02 ahead
    clear = grid_result([0.41, 0.45, 0.62, 0.51, 0.48, 0.44])  # 0.11 ahead, on 300 tweets
    assert check.exercise_4(..., ..., ..., grid, data).status == "not attempted"
    assert check.exercise_4(seed_1, False, False, grid, data).status == "correct"
    assert check.exercise_4(clear, False, True, grid, data).status == "correct"
    fewer = grid_result([0.41, 0.45, 0.53, 0.51], rates=(1e-3, 3e-3))
    wrong = {
        "not_a_grid": (seed_1.table, False, False),
        "other_settings": (fewer, False, False),
        "same_seed": (grid, True, False),
        "not_bool": (seed_1, "no", False),
        "winner_disagrees": (seed_1, True, False),
        "clear_disagrees": (seed_1, False, True),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_4(*answer, grid, data).mistake == mistake, mistake


@pytest.mark.slow
def test_the_checks_read_real_early_stopping_runs(pocket_profile):
    """Two tiny real runs, best by accuracy and best by loss: the check finds their kept epochs
    from what the Trainer returned, and their training rows."""
    tiny = pitfalls.prepare(load_tweets(pocket_profile), pocket_profile, train_size=16, val_size=16, test_size=8)
    runs = {metric: pitfalls_fit.early_stopping_run(tiny, train_size=16, epochs=3, patience=1, metric=metric)
            for metric in ("accuracy", "loss")}
    assert all(r.train_size == 16 and check._kept(r) == r.best_epoch for r in runs.values())
    order = check.ORDER_WORDS[(runs["loss"].best_epoch > runs["accuracy"].best_epoch)
                              - (runs["loss"].best_epoch < runs["accuracy"].best_epoch) + 1]
    assert check.exercise_2(runs["accuracy"], runs["loss"], order).status == "correct"
