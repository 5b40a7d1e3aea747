"""Checks for the exercises of notebook 07 (overfitting and tuning); see :mod:`course_utils.exercises`.

Every exercise trains, so no check trains again: a check reads the :class:`CurveRun` or
:class:`GridResult` the student got back. Which patience stopped a run is found by replaying
``EarlyStoppingCallback``'s rule on the run's own validation curve; which epoch a run kept, from
the validation scores of the model it returned (``run.validation``), matched to its history.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from course_utils.exercises import Exercise, Outcome, attempted, check, is_yes_no, same_score
from course_utils.metrics import compare_accuracies, standard_error
from course_utils.pitfalls_fit import CurveRun, GridResult

EPOCHS, PATIENCE_ROWS = 12, 100  # the epochs of exercises 1 and 3, the training rows of exercise 1
ORDER_WORDS = ("earlier", "same", "later")
SAME_PATH = 2e-3  # one seed's runs retrace the same validation losses (notebook 07 checks it); a margin for GPUs


def _curve(run: CurveRun, metric: str) -> pd.Series:
    """The run's validation ``metric`` per epoch, signed so that higher is better."""
    values = run.history.set_index("epoch")[f"eval_{metric}"]
    return -values if metric == "loss" else values


def _best(run: CurveRun, metric: str) -> float:
    """The epoch with the best validation ``metric`` (the first one on a tie, as the Trainer keeps)."""
    return float(_curve(run, metric).idxmax())


def _kept(run: CurveRun) -> float:
    """The epoch whose validation scores the returned model has: the epoch the run kept."""
    if "eval_loss" not in run.validation:
        return run.best_epoch
    history = run.history.set_index("epoch")
    gap = (history["eval_loss"] - run.validation["eval_loss"]).abs()
    if "eval_accuracy" in run.validation:
        gap = gap + (history["eval_accuracy"] - run.validation["eval_accuracy"]).abs()
    return float(gap.idxmin())


def _stopped_with(run: CurveRun, patience: int) -> bool:
    """Whether the run ends where ``EarlyStoppingCallback(patience)`` ends it on its own curve (a new
    best is strictly better; ``patience`` evaluations in a row without one stop), or at its planned end."""
    best, waited = None, 0
    for epoch, value in _curve(run, run.metric).items():
        best, waited = (value, 0) if best is None or value > best else (best, waited + 1)
        if waited >= patience:
            return epoch == run.last_epoch
    return run.last_epoch == run.planned_epochs


def _rows(data, wanted: int) -> int:
    """How many training rows a run asked for ``wanted`` of them gets (the pool may be smaller)."""
    return min(wanted, len(data.raw["train"]))


def _run_problem(exercise: Exercise, name: str, run, maker: str, epochs: int, rows: int | None) -> Outcome | None:
    """A hint when ``run`` is not a CurveRun of ``epochs`` planned epochs on ``rows`` tweets (if given)."""
    if not isinstance(run, CurveRun):
        return exercise.hint("not_a_run", f"`{name}` is a {type(run).__name__}: give what "
                             f"pitfalls_fit.{maker} returns (its history, its scores).")
    if run.planned_epochs != epochs:
        return exercise.hint("wrong_epochs", f"`{name}` was planned for {run.planned_epochs:g} epochs; the "
                             f"exercise asks for epochs={epochs}.")
    if rows is not None and run.train_size is not None and run.train_size != rows:
        return exercise.hint("wrong_rows", f"`{name}` trained on {run.train_size} tweets; the exercise asks "
                             f"for {rows} here.")
    return None


@check("07", 1)
def exercise_1(exercise: Exercise, run_patience_1, run_patience_4, kept_epochs, data) -> Outcome:
    """Early stopping with patience 1 and 4: where each stopped, which epoch each kept."""
    if not attempted(run_patience_1, run_patience_4, kept_epochs):
        return exercise.not_attempted("`run_patience_1`, `run_patience_4` (what early_stopping_run "
                                      "returns) and `kept_epochs` (patience -> the epoch kept)")
    runs = {1: run_patience_1, 4: run_patience_4}
    for patience, run in runs.items():
        name = f"run_patience_{patience}"
        problem = _run_problem(exercise, name, run, "early_stopping_run", EPOCHS, _rows(data, PATIENCE_ROWS))
        if problem:
            return problem
        if _kept(run) == run.last_epoch != _best(run, run.metric):
            return exercise.hint("not_early_stopping", f"`{name}` returned the model of its last epoch, not "
                                 "its best one: use pitfalls_fit.early_stopping_run, which reloads the best "
                                 "checkpoint (load_best_model_at_end) and stops early.")
    fits = {p: _stopped_with(run, p) for p, run in runs.items()}
    if not all(fits.values()):
        if _stopped_with(run_patience_1, 4) and _stopped_with(run_patience_4, 1):
            return exercise.hint("swapped", "the run stored as `run_patience_1` stops as patience 4 does, and "
                                 "the other way round: swap the two.")
        patience = next(p for p, fit in fits.items() if not fit)
        if _stopped_with(runs[patience], 2):
            return exercise.hint("default_patience", f"`run_patience_{patience}` stops where patience 2 (the "
                                 f"default) stops on its curve: pass patience={patience} to early_stopping_run.")
        return exercise.hint("wrong_patience", f"`run_patience_{patience}` does not stop where patience "
                             f"{patience} stops on its own validation accuracies: pass patience={patience}.")
    if sorted(kept_epochs) != sorted(runs):
        return exercise.hint("kept_keys", f"`kept_epochs` has the keys {sorted(map(str, kept_epochs))}; key "
                             "it by patience: {1: ..., 4: ...}.")
    for patience, run in runs.items():
        kept, answer = _kept(run), kept_epochs[patience]
        if same_score(answer, kept):
            continue
        if same_score(answer, run.last_epoch):
            return exercise.hint("stopped_not_kept", f"{answer} is where the patience-{patience} run stopped; "
                                 "the epoch it kept is the best one it had seen (`.best_epoch`).")
        return exercise.hint("kept_wrong", f"{answer} is not the epoch the patience-{patience} run kept: read "
                             "`.best_epoch`, the epoch with the best validation accuracy before it stopped.")
    lines = [f"  patience {p}: stopped after epoch {run.last_epoch:g}, kept epoch {_kept(run):g} "
             f"(validation accuracy {run.validation.get('eval_accuracy', math.nan):.3f}), "
             f"test accuracy {run.test['test_accuracy']:.3f}" for p, run in runs.items()]
    verdict = compare_accuracies("test accuracy, patience 4 vs patience 1", run_patience_4.test["test_accuracy"],
                                 run_patience_1.test["test_accuracy"], len(data.raw["test"]))
    return exercise.correct("both runs stop where their patience stops them, and you read the kept epochs. "
                            "A longer patience waits longer for a new best; it keeps a later epoch only "
                            "when one came.", worked="\n".join([*lines, str(verdict)]))


@check("07", 2)
def exercise_2(exercise: Exercise, by_accuracy, by_loss, kept_by_loss) -> Outcome:
    """The same early-stopping run, keeping the best epoch by validation accuracy and by loss."""
    if not attempted(by_accuracy, by_loss, kept_by_loss):
        return exercise.not_attempted("`by_accuracy`, `by_loss` (early-stopping runs) and `kept_by_loss` "
                                      "(\"earlier\", \"same\" or \"later\")")
    for name, run in (("by_accuracy", by_accuracy), ("by_loss", by_loss)):
        if not isinstance(run, CurveRun):
            return _run_problem(exercise, name, run, "early_stopping_run", 0, None)
    common = min(len(by_accuracy.history), len(by_loss.history))
    if by_accuracy.train_size != by_loss.train_size or not np.allclose(
            by_accuracy.history["eval_loss"][:common], by_loss.history["eval_loss"][:common], atol=SAME_PATH):
        return exercise.hint("different_runs", "the two runs differ before either stops: keep the data, the "
                             "sizes and the seed the same, so that only the metric that picks the best changes.")
    kept_acc, kept_loss = _kept(by_accuracy), _kept(by_loss)
    lowest_loss, best_accuracy = _best(by_loss, "loss"), _best(by_loss, "accuracy")
    if kept_acc == _best(by_accuracy, "loss") != _best(by_accuracy, "accuracy") and kept_loss == best_accuracy:
        return exercise.hint("swapped", "`by_accuracy` kept its lowest validation loss and `by_loss` its best "
                             "accuracy: swap the two.")
    if kept_loss != lowest_loss:
        if kept_loss == by_loss.last_epoch:
            return exercise.hint("last_epoch", f"`by_loss` returned the model of its last epoch ({kept_loss:g}), "
                                 "not the one with the lowest validation loss: keep load_best_model_at_end=True.")
        if kept_loss == best_accuracy:
            return exercise.hint("kept_by_accuracy", f"`by_loss` kept epoch {kept_loss:g}, its best validation "
                                 "accuracy: the best model is still picked by accuracy. Set the metric that picks "
                                 "it to the loss.")
        if kept_loss == float(by_loss.history.set_index("epoch")["eval_loss"].idxmax()):
            return exercise.hint("greater_is_better", f"`by_loss` kept epoch {kept_loss:g}, its highest validation "
                                 "loss: for a loss, lower is better (greater_is_better=False).")
        return exercise.hint("kept_other", f"`by_loss` kept epoch {kept_loss:g}, which is not its lowest "
                             "validation loss: pick the best model by the validation loss.")
    if by_loss.metric != "loss":
        return exercise.hint("curve_metric", "`by_loss` kept its lowest loss, but its summary still ranks "
                             "epochs by accuracy, so its `.best_epoch` is not the epoch kept: pass "
                             "metric=\"loss\" to curve_run (early_stopping_run(..., metric=\"loss\") does it).")
    if kept_by_loss not in ORDER_WORDS:
        return exercise.hint("order_word", f"`kept_by_loss` is {kept_by_loss!r}; answer with one of "
                             f"{', '.join(map(repr, ORDER_WORDS))}.")
    truth = ORDER_WORDS[int(np.sign(kept_loss - kept_acc)) + 1]
    if kept_by_loss != truth:
        return exercise.hint("order_disagrees", f"compare the two kept epochs: `by_loss` kept epoch {kept_loss:g} "
                             f"and `by_accuracy` kept epoch {kept_acc:g}.")
    history = by_accuracy.history if len(by_accuracy.history) >= len(by_loss.history) else by_loss.history
    marks = ({kept_acc: "  <- kept by accuracy", kept_loss: "  <- kept by loss"} if kept_acc != kept_loss
             else {kept_acc: "  <- kept by both"})
    worked = "\n".join(f"  epoch {row.epoch:>4g}: validation loss {row.eval_loss:.3f}, accuracy "
                       f"{row.eval_accuracy:.3f}{marks.get(row.epoch, '')}" for row in history.itertuples())
    return exercise.correct(f"by loss the run kept epoch {kept_loss:g}, by accuracy epoch {kept_acc:g}. The loss "
                            "also grows when a wrong answer grows more confident, so it can turn before the "
                            "count of right answers does.", worked=worked)


def _best_accuracy_problem(exercise: Exercise, best_accuracy, runs: dict[int, CurveRun]) -> Outcome | None:
    """A hint when ``best_accuracy`` is not each run's best validation accuracy."""
    if sorted(best_accuracy) != sorted(runs):
        return exercise.hint("accuracy_keys", f"`best_accuracy` has the keys {sorted(map(str, best_accuracy))}; "
                             "key it by the number of training tweets: {50: ..., 200: ...}.")
    for size, run in runs.items():
        answer, truth = best_accuracy[size], run.best_val_accuracy
        if same_score(answer, truth):
            continue
        if same_score(answer, run.history["eval_accuracy"].iloc[-1]):
            return exercise.hint("last_epoch", f"{answer} is the last epoch's validation accuracy of `run_{size}`; "
                                 "give the best one over all its epochs.")
        if same_score(answer, run.test.get("test_accuracy", math.nan)):
            return exercise.hint("test_split", f"{answer} is the test accuracy of `run_{size}`: the exercise "
                                 "compares the runs on the validation subset (`.best_val_accuracy`).")
        if same_score(answer, 100 * truth):
            return exercise.hint("percent", "that is a percentage; give accuracies between 0 and 1.")
        return exercise.hint("accuracy_wrong", f"{answer} is not the best validation accuracy of `run_{size}`: "
                             "read it from its history (`.best_val_accuracy`).")
    return None


@check("07", 3)
def exercise_3(exercise: Exercise, run_50, run_200, still_turns_up, best_accuracy, data) -> Outcome:
    """Overfitting with 50 and with 200 training tweets, 12 epochs each."""
    if not attempted(run_50, run_200, still_turns_up, best_accuracy):
        return exercise.not_attempted("`run_50`, `run_200` (what overfitting_run returns), `still_turns_up` "
                                      "(True or False) and `best_accuracy` (rows -> best validation accuracy)")
    runs = {50: run_50, 200: run_200}
    for size, run in runs.items():
        if isinstance(run, CurveRun) and run.last_epoch < run.planned_epochs:
            return exercise.hint("stopped_early", f"`run_{size}` stopped after epoch {run.last_epoch:g} of "
                                 f"{run.planned_epochs:g}: use overfitting_run, which trains every epoch, so that "
                                 "you can see what the validation loss does late.")
        problem = _run_problem(exercise, f"run_{size}", run, "overfitting_run", EPOCHS, None)
        if problem:
            return problem
    sizes, wanted = {s: run.train_size for s, run in runs.items()}, {s: _rows(data, s) for s in runs}
    if None not in sizes.values() and sizes != wanted:
        if sizes == {50: wanted[200], 200: wanted[50]}:
            return exercise.hint("swapped", "`run_50` trained on the larger set and `run_200` on the smaller one.")
        if sizes[50] == sizes[200]:
            return exercise.hint("same_size", f"both runs trained on {sizes[50]} tweets: change train_size.")
        size = next(s for s in runs if sizes[s] != wanted[s])
        return _run_problem(exercise, f"run_{size}", runs[size], "", EPOCHS, wanted[size])
    # Whether each run's validation loss ends above its lowest point (it turned up after it).
    turns_up = {s: bool(run.history["eval_loss"].iloc[-1] > run.history["eval_loss"].min()) for s, run in runs.items()}
    if not is_yes_no(still_turns_up):
        return exercise.hint("not_bool", "`still_turns_up` is a yes/no answer: True or False.")
    if bool(still_turns_up) != turns_up[200]:
        if bool(still_turns_up) == turns_up[50]:
            return exercise.hint("about_50", "that answer fits `run_50`; the question is about the run with 200 "
                                 "tweets: compare its last validation loss with its lowest one.")
        return exercise.hint("turns_up_disagrees", "look at `run_200.history[\"eval_loss\"]`: does it end above "
                             "its lowest value?")
    problem = _best_accuracy_problem(exercise, best_accuracy, runs)
    if problem:
        return problem
    lines = []
    for size, run in runs.items():
        loss = run.history.set_index("epoch")["eval_loss"]
        lines.append(f"  {run.train_size or size} tweets: validation loss lowest at epoch {loss.idxmin():g}, "
                     f"then {loss.iloc[-1] - loss.min():+.3f} by the end; best validation accuracy "
                     f"{run.best_val_accuracy:.3f} (epoch {run.best_epoch:g})")
    verdict = compare_accuracies("best validation accuracy, 200 vs 50 tweets", run_200.best_val_accuracy,
                                 run_50.best_val_accuracy, len(data.raw["validation"]))
    return exercise.correct("two runs of 12 epochs, on 50 and 200 tweets, read from their validation curves.",
                            worked="\n".join([*lines, str(verdict)]))


def _settings(grid: GridResult) -> pd.DataFrame:
    """The grid's validation scores, one row per (learning rate, epochs), in a fixed order."""
    table = grid.table.assign(learning_rate=grid.table["learning_rate"].astype(float).round(12))
    return table.set_index(["learning_rate", "epochs"])[["val_accuracy", "val_loss"]].sort_index()


def _winner(grid: GridResult) -> tuple[float, float]:
    return round(float(grid.best["learning_rate"]), 12), float(grid.best["epochs"])


@check("07", 4)
def exercise_4(exercise: Exercise, grid_seed_1, same_winner, winner_is_clear, grid, data) -> Outcome:
    """The grid of section 3 again with another seed: the same winner? a clear one?"""
    if not attempted(grid_seed_1, same_winner, winner_is_clear):
        return exercise.not_attempted("`grid_seed_1` (what grid_search returns), `same_winner` and "
                                      "`winner_is_clear` (True or False)")
    if not isinstance(grid_seed_1, GridResult):
        return exercise.hint("not_a_grid", f"`grid_seed_1` is a {type(grid_seed_1).__name__}: give what "
                             "pitfalls_fit.grid_search returns.")
    ours, theirs = _settings(grid_seed_1), _settings(grid)
    if list(ours.index) != list(theirs.index):
        return exercise.hint("other_settings", "`grid_seed_1` tried other settings than `grid`: pass the same "
                             "learning rates and epochs, so that only the seed changes.")
    if np.allclose(ours.to_numpy(), theirs.to_numpy(), rtol=0, atol=1e-7):
        return exercise.hint("same_seed", "`grid_seed_1` has exactly the scores of `grid`: pass seed=1 to "
                             "grid_search.")
    if not all(is_yes_no(a) for a in (same_winner, winner_is_clear)):
        return exercise.hint("not_bool", "`same_winner` and `winner_is_clear` are yes/no answers: True or False.")
    if bool(same_winner) != (_winner(grid) == _winner(grid_seed_1)):
        return exercise.hint("winner_disagrees", "compare the learning rate and the epochs of `grid.best` and "
                             "`grid_seed_1.best`.")
    ranked = grid_seed_1.table.sort_values(["val_accuracy", "val_loss"], ascending=[False, True])
    first, runner_up = ranked.iloc[0], ranked.iloc[1]
    n_val = len(data.raw["validation"])
    lead = compare_accuracies("validation accuracy, seed-1 winner vs runner-up", first["val_accuracy"],
                              runner_up["val_accuracy"], n_val)
    if bool(winner_is_clear) != (lead.outcome == "higher"):
        return exercise.hint("clear_disagrees", f"the seed-1 winner leads its runner-up by "
                             f"{first['val_accuracy'] - runner_up['val_accuracy']:.3f}: compare that lead with "
                             "compare_accuracies (twice the standard error) and answer from its outcome.")
    both = theirs[["val_accuracy"]].rename(columns={"val_accuracy": "grid"})
    both["seed 1"] = ours["val_accuracy"]
    both["change"] = both["seed 1"] - both["grid"]
    spread = standard_error(float(first["val_accuracy"]), n_val)
    return exercise.correct(f"the same settings with another seed; your answers agree with the two grids. "
                            f"One validation accuracy on {n_val} tweets has a standard error of about {spread:.3f}.",
                            worked=f"{both.round(3).to_string()}\n{lead}")
