"""Checks for the exercises of notebook 06 (the Trainer); see :mod:`course_utils.exercises`.

Each exercise trains a run; no check trains or scores again: it reads what the Trainer kept
(:mod:`course_utils.exercises.trainer_state`), beside the lesson's own ``trainer``. Exercise 4 runs
the student's ``classifier`` on their few tweets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from course_utils.exercises import Exercise, Outcome, attempted, check, same_score
from course_utils.exercises.trainer_state import (
    best_accuracy,
    epoch_of,
    evals,
    first_no_better,
    is_number,
    last_accuracy,
    last_logged,
    logged_by,
    lowest_loss_first,
    picked,
    reused,
    scored_split,
    test_accuracy,
    trainer_problem,
)
from course_utils.metrics import compare_accuracies
from course_utils.schema import LABELS

FACTOR = 10  # exercise 1: the learning rate 10 times smaller and 10 times larger
MAX_EPOCHS = 8  # exercise 3: the epochs the early-stopping run may use
MIN_TWEETS = 5  # exercise 4


def _rate_hint(exercise: Exercise, name: str, ratio: float, wanted: float) -> Outcome | None:
    """A hint when ``ratio`` (the run's learning rate over the lesson's) is not ``wanted``."""
    if math.isclose(ratio, wanted, rel_tol=1e-6):
        return None
    if math.isclose(ratio, 1, rel_tol=1e-6):
        return exercise.hint("unchanged", f"`{name}` trained with the lesson's learning rate. Build its "
                             "TrainingArguments from the changed profile (`profile.replace` returns a new "
                             "one), and start from the lesson's rate each time, not from the other run's.")
    if math.isclose(ratio, 1 / wanted, rel_tol=1e-6):
        return exercise.hint("wrong_direction", f"`{name}` trained with a rate {FACTOR} times "
                             f"{'larger' if wanted < 1 else 'smaller'} than the lesson's: the other way round.")
    return exercise.hint("wrong_factor", f"`{name}` trained with {ratio:.3g} times the lesson's learning rate; "
                         f"the exercise asks for {FACTOR} times {'smaller' if wanted < 1 else 'larger'}.")


def _run_hint(exercise: Exercise, name: str, run, lesson) -> Outcome | None:
    """A hint when ``run`` reloaded the lesson's run, trained its model further, or changed more."""
    if reused(run, lesson):
        return exercise.hint("reused_run", f"`{name}` is the lesson's finished run, reloaded from its folder: "
                             "nothing trained afresh. Call run_dir with the changed profile, after the "
                             "change, so that the run gets a folder of its own.")
    if run.model is lesson.model:
        return exercise.hint("same_model", f"`{name}` trained the lesson's model object, which was already "
                             "fine-tuned (and is changed by it). Load a fresh model, as in section 2, for "
                             "each run.")
    fields = ("num_train_epochs", "per_device_train_batch_size", "seed")
    changed = [field for field in fields if getattr(run.args, field) != getattr(lesson.args, field)]
    if run.train_dataset is not None and len(run.train_dataset) != len(lesson.train_dataset):
        changed.append("the training tweets")
    if changed:
        return exercise.hint("other_settings", f"`{name}` differs from the lesson's run in "
                             f"{', '.join(changed)}: change the learning rate only, so that the curves "
                             "show what it does.")
    return None


def _best_rate_hint(exercise: Exercise, best_rate: float, runs: dict[float, object]) -> Outcome | None:
    if picked(best_rate, runs, best_accuracy):
        return None
    if any(math.isclose(best_rate, factor) for factor in (1 / FACTOR, 1, FACTOR)):
        return exercise.hint("factor_not_rate", f"{best_rate:g} is a factor; give the learning rate itself "
                             "(`trainer_low.args.learning_rate`, for example).")
    if picked(best_rate, runs, test_accuracy):
        return exercise.hint("test_split", "that run scores highest on the test subset. Choose on validation: "
                             "a test subset that helped choose no longer gives an honest score.")
    if picked(best_rate, runs, last_accuracy):
        return exercise.hint("last_epoch", "that run is best at its last epoch, but the Trainer keeps each "
                             "run's best checkpoint (load_best_model_at_end): compare their best validation "
                             "accuracies, `state.best_metric`.")
    if picked(best_rate, runs, lowest_loss_first):
        return exercise.hint("training_loss", "that run has the lowest training loss, which says how well it "
                             "fits its own training tweets. Compare the validation accuracies.")
    return exercise.hint("not_best", "that rate's run does not reach the highest validation accuracy of the "
                         "three: compare their best validation accuracies, `state.best_metric`.")


@check("06", 1)
def exercise_1(exercise: Exercise, trainer_low, trainer_high, best_rate, trainer) -> Outcome:
    """The lesson's run again with the learning rate 10 times smaller and 10 times larger."""
    if not attempted(trainer_low, trainer_high, best_rate):
        return exercise.not_attempted("`trainer_low` and `trainer_high` (trained Trainers) and `best_rate`")
    runs = {"trainer_low": (trainer_low, 1 / FACTOR), "trainer_high": (trainer_high, FACTOR)}
    for name, (run, _) in runs.items():
        if problem := trainer_problem(exercise, name, run, trainer):
            return problem
    base = trainer.args.learning_rate
    ratios = {name: run.args.learning_rate / base for name, (run, _) in runs.items()}
    if math.isclose(ratios["trainer_low"], FACTOR) and math.isclose(ratios["trainer_high"], 1 / FACTOR):
        return exercise.hint("swapped", "`trainer_low` trained with the larger rate and `trainer_high` with "
                             "the smaller one: swap them.")
    for name, (run, wanted) in runs.items():
        if problem := _rate_hint(exercise, name, ratios[name], wanted) or _run_hint(exercise, name, run, trainer):
            return problem
    by_rate = {run.args.learning_rate: run for run in (trainer_low, trainer, trainer_high)}
    if problem := _best_rate_hint(exercise, float(best_rate), by_rate):
        return problem
    rows = [f"  lr {rate:<8g} validation accuracy per epoch "
            + ", ".join(f"{log['eval_accuracy']:.3f}" for log in evals(run))
            + f" | best {best_accuracy(run):.3f} | last training loss {last_logged(run, 'loss') or math.nan:.3f}"
            for rate, run in by_rate.items()]
    return exercise.correct(f"two fresh runs at {FACTOR} times less and more than the lesson's rate {base:g}, "
                            f"only the rate changed; {float(best_rate):g} reaches the highest validation "
                            "accuracy.", worked="\n".join(rows))


def _metrics_hint(exercise: Exercise, quarter_metrics, trainer_quarter, trainer, tokenized) -> Outcome | None:
    """A hint when ``quarter_metrics`` are not the quarter run's scores on the test subset."""
    if not isinstance(quarter_metrics, Mapping):
        return exercise.hint("not_metrics", f"`quarter_metrics` is a {type(quarter_metrics).__name__}: give "
                             "the dict that trainer_quarter.evaluate(...) returns.")
    if "test_accuracy" not in quarter_metrics:
        if "eval_accuracy" in quarter_metrics:
            return exercise.hint("validation_split", "those scores are named eval_...: evaluate() without a "
                                 "dataset scores the validation subset. Pass the test subset, with "
                                 "metric_key_prefix=\"test\".")
        return exercise.hint("not_metrics", "`quarter_metrics` has no test_accuracy: give what "
                             "trainer_quarter.evaluate(tokenized[\"test\"], metric_key_prefix=\"test\") returns.")
    split = scored_split(quarter_metrics, "test", tokenized)
    if split not in (None, "test"):
        return exercise.hint("validation_split" if split == "validation" else "wrong_split", "those scores are "
                             f"of {f'the {split} subset' if split else 'another set of tweets'}, not of the "
                             f"{len(tokenized['test']):,} test tweets: pass tokenized[\"test\"] to evaluate.")
    if logged_by(trainer, quarter_metrics, "test_loss") and not logged_by(trainer_quarter, quarter_metrics,
                                                                             "test_loss"):
        return exercise.hint("lesson_metrics", "those are the test scores of the lesson's `trainer`: evaluate "
                             "`trainer_quarter`.")
    return None


@check("06", 2)
def exercise_2(exercise: Exercise, trainer_quarter, quarter_metrics, accuracy_lost, trainer, test_metrics,
               tokenized) -> Outcome:
    """A run on a quarter of the training tweets, and the test accuracy it loses."""
    if not attempted(trainer_quarter, quarter_metrics, accuracy_lost):
        return exercise.not_attempted("`trainer_quarter` (a trained Trainer), `quarter_metrics` (its test "
                                      "scores) and `accuracy_lost` (a difference of accuracies)")
    if problem := trainer_problem(exercise, "trainer_quarter", trainer_quarter, trainer):
        return problem
    n_full, n_rows = len(tokenized["train"]), len(trainer_quarter.train_dataset)
    if n_rows != n_full // 4:
        if n_rows == n_full:
            return exercise.hint("full_data", "`trainer_quarter` trained on every training tweet: pass "
                                 "`quarter` to the Trainer as its train_dataset.")
        return exercise.hint("wrong_size", f"`trainer_quarter` trained on {n_rows:,} tweets; a quarter of the "
                             f"{n_full:,} training tweets is {n_full // 4:,}.")
    if reused(trainer_quarter, trainer):
        return exercise.hint("same_folder", "`trainer_quarter` reloaded the lesson's finished run from its "
                             "folder, so nothing trained. run_dir's hash covers the profile and the arguments, "
                             "not the dataset: add train_rows=len(quarter) to run_dir(...).")
    if problem := _metrics_hint(exercise, quarter_metrics, trainer_quarter, trainer, tokenized):
        return problem
    full, quarter = test_metrics["test_accuracy"], quarter_metrics["test_accuracy"]
    lost = full - quarter
    if not same_score(accuracy_lost, lost):
        if problem := exercise.difference_mistake(
                accuracy_lost, lost, "that is the quarter run minus the lesson's run: the exercise asks how much "
                "is lost, the lesson's test accuracy minus the quarter's."):
            return problem
        if same_score(accuracy_lost, trainer.state.best_metric - trainer_quarter.state.best_metric):
            return exercise.hint("validation_split", "that is the difference of the best validation "
                                 "accuracies; the exercise asks about the test subset.")
        return exercise.hint("wrong_difference", "that does not match the two test accuracies: subtract "
                             "quarter_metrics[\"test_accuracy\"] from test_metrics[\"test_accuracy\"].")
    verdict = compare_accuracies(f"test accuracy, {n_rows} vs {n_full} training tweets", quarter, full,
                                 len(tokenized["test"]))
    return exercise.correct(f"a fresh run on {n_rows:,} of the {n_full:,} training tweets, scored on the same "
                            f"{len(tokenized['test']):,} test tweets, loses {lost:.3f} of accuracy.",
                            worked=str(verdict))


@check("06", 3)
def exercise_3(exercise: Exercise, trainer_patient, stopped_epoch, kept_epoch) -> Outcome:
    """Early stopping with patience 1 and up to 8 epochs: where it stopped, which epoch it kept."""
    if not attempted(trainer_patient, stopped_epoch, kept_epoch):
        return exercise.not_attempted("`trainer_patient` (a trained Trainer), `stopped_epoch` and `kept_epoch` "
                                      "(epoch numbers)")
    if problem := trainer_problem(exercise, "trainer_patient", trainer_patient, None):
        return problem
    args = trainer_patient.args
    if args.num_train_epochs != MAX_EPOCHS:
        return exercise.hint("epochs", f"`trainer_patient` was allowed {args.num_train_epochs:g} epochs; the "
                             f"exercise allows {MAX_EPOCHS}, so that early stopping has room to act.")
    metric = args.metric_for_best_model.removeprefix("eval_")
    key, scores = f"eval_{metric}", evals(trainer_patient, metric)
    no_better = first_no_better(scores, key, args.greater_is_better)
    if no_better is not None and no_better < len(scores) - 1:
        return exercise.hint("not_stopped", f"epoch {epoch_of(scores[no_better]):g} did not beat the best "
                             f"validation {metric} before it, yet training went on to epoch "
                             f"{epoch_of(scores[-1]):g}: pass the callback to the Trainer (callbacks=[...]), "
                             "and train from the start rather than resume a run that had stopped.")
    kept_step = int(Path(trainer_patient.state.best_model_checkpoint).name.removeprefix("checkpoint-"))
    kept = next((epoch_of(log) for log in scores if log["step"] == kept_step), None)
    stopped = epoch_of(scores[-1])
    if problem := _epoch_hint(exercise, stopped_epoch, kept_epoch, stopped, kept, kept_step, trainer_patient):
        return problem
    rows = [f"  epoch {epoch_of(log):g}: validation {metric} {log[key]:.3f}"
            + ("  <- kept" if epoch_of(log) == kept else "  <- no better: stop" if index == no_better else "")
            for index, log in enumerate(scores)]
    return exercise.correct(f"the run stopped after epoch {stopped:g} of {MAX_EPOCHS} and kept epoch {kept:g}, "
                            "the best on validation.", worked="\n".join(rows))


def _epoch_hint(exercise: Exercise, stopped_epoch, kept_epoch, stopped: float, kept: float | None,
                kept_step: int, run) -> Outcome | None:
    """A hint when the two epochs given are not where ``run`` stopped and which epoch it kept."""
    for name, answer in (("stopped_epoch", stopped_epoch), ("kept_epoch", kept_epoch)):
        if not is_number(answer):
            return exercise.hint("not_a_number", f"`{name}` is {answer!r}: give an epoch number, as the "
                                 "\"epoch\" of the log history counts them.")
    if not math.isclose(stopped_epoch, stopped):
        if math.isclose(stopped_epoch, MAX_EPOCHS):
            return exercise.hint("planned_epochs", f"{MAX_EPOCHS} is how many epochs the run was allowed; "
                                 "read the last epoch that was trained in the log history.")
        if stopped_epoch == run.state.global_step:
            return exercise.hint("step_not_epoch", "that is the run's last step; give the epoch.")
        return exercise.hint("wrong_stop", "the run did not stop after that epoch: read the epoch of the last "
                             "validation score in trainer_patient.state.log_history.")
    if kept is None or not math.isclose(kept_epoch, kept):
        if kept_epoch == kept_step:
            return exercise.hint("step_not_epoch", "that is the kept checkpoint's step; give its epoch.")
        if math.isclose(kept_epoch, stopped) and kept is not None:
            return exercise.hint("kept_last", "the run ends on the best checkpoint on validation "
                                 "(load_best_model_at_end), not on the last one: see "
                                 "state.best_model_checkpoint.")
        return exercise.hint("wrong_kept", "that is not the epoch of state.best_model_checkpoint: find the "
                             "validation score logged at that checkpoint's step.")
    return None


def _tweet_hint(exercise: Exercise, my_tweets, true_label: str, subsets) -> Outcome | None:
    """A hint when ``my_tweets`` is not at least 5 new tweets with label names, some of ``true_label``."""
    if not isinstance(my_tweets, Mapping):
        return exercise.hint("not_a_dict", f"`my_tweets` is a {type(my_tweets).__name__}: give a dict, each "
                             "tweet of yours -> the label you think it has.")
    if len(my_tweets) < MIN_TWEETS:
        return exercise.hint("too_few", f"`my_tweets` holds {len(my_tweets)} tweets; write at least {MIN_TWEETS}.")
    labels = list(my_tweets.values())
    if any(label not in LABELS for label in labels):
        number = any(isinstance(label, int) for label in labels)
        return exercise.hint("label_number" if number else "label_names", f"the labels are {labels}; give "
                             f"the names the model answers with: {', '.join(LABELS)}.")
    known = {text.strip() for split in subsets.values() for text in split["text"][:]}
    if copied := [text for text in my_tweets if str(text).strip() in known]:
        return exercise.hint("from_data", f"{copied[0]!r} is a tweet of the course's data, which the model may "
                             "have trained on: write tweets of your own.")
    if true_label not in labels:
        return exercise.hint("no_confused_kind", f"none of your tweets is {true_label}: the largest confusion "
                             f"above is {true_label} tweets read as another class, so write some of that kind.")
    return None


@check("06", 4)
def exercise_4(exercise: Exercise, my_tweets, wrong_tweet, my_reason, classifier, true_label, subsets) -> Outcome:
    """Five or more tweets of the student's own, one the model gets wrong, and why."""
    if not attempted(my_tweets, wrong_tweet, my_reason):
        return exercise.not_attempted("`my_tweets` (tweet -> label), `wrong_tweet` and `my_reason`")
    if problem := _tweet_hint(exercise, my_tweets, true_label, subsets):
        return problem
    texts = list(my_tweets)
    answers = dict(zip(texts, classifier(texts), strict=True))
    wrong = [text for text in texts if answers[text]["label"] != my_tweets[text]]
    if wrong_tweet not in my_tweets:
        return exercise.hint("not_in_tweets", "`wrong_tweet` is not one of `my_tweets`: copy it from there.")
    if not wrong:
        return exercise.hint("all_right", f"the model agrees with you on all {len(texts)} tweets: write more, of "
                             f"the kind of the largest confusion ({true_label}) and of the hard kinds above.")
    if wrong_tweet not in wrong:
        return exercise.hint("model_right", f"the model labels `wrong_tweet` {answers[wrong_tweet]['label']}, as "
                             "you do: pick one where its label differs from yours.")
    if not isinstance(my_reason, str) or len(my_reason.split()) < 4:
        return exercise.hint("no_reason", "`my_reason` is a sentence of your own: what in that tweet could "
                             "mislead the model?")
    rows = [f"  {'x' if text in wrong else ' '} {my_tweets[text]:>8} | model {answers[text]['label']:>8} "
            f"({answers[text]['score']:.0%}) | {text}" for text in texts]
    return exercise.correct(f"the model disagrees with you on {len(wrong)} of your {len(texts)} tweets "
                            "(marked x), among them `wrong_tweet`.", worked="\n".join(rows))
