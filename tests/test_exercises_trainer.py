"""The checks of notebook 06's exercises (``course_utils.exercises.trainer``): the solution passes,
each likely mistake gets its own hint.

A check reads what a Trainer kept (``args``, ``state.log_history``, ``state.best_model_checkpoint``),
so most runs here are built by hand: real ``TrainingArguments`` and ``TrainerState`` with a log
history written out, at the pocket profile's sizes. One slow test trains a tiny real run, to hold
the checks to what a real Trainer logs.
"""

import math
from types import SimpleNamespace

import pytest
from transformers import TrainingArguments
from transformers.trainer_callback import TrainerState

from course_utils import get_profile
from course_utils.data import load_tweets, make_subsets
from course_utils.exercises import trainer as check

PROFILE = get_profile("pocket")
STEPS = math.ceil(PROFILE.train_size / PROFILE.train_batch_size)  # optimizer steps per epoch


def history(accuracies, losses=None, test=None, steps=STEPS) -> list[dict]:
    """A log history as the Trainer writes it with logging and evaluation every epoch, and a test
    evaluation after training when ``test`` is given."""
    losses = losses or [1.1 - 0.1 * epoch for epoch in range(len(accuracies))]
    logs = []
    for epoch, (accuracy, loss) in enumerate(zip(accuracies, losses, strict=True), 1):
        logs.append({"loss": loss, "learning_rate": 1e-3, "epoch": float(epoch), "step": epoch * steps})
        logs.append({"eval_loss": 1.2 - accuracy, "eval_accuracy": accuracy, "eval_macro_f1": accuracy - 0.05,
                     "eval_runtime": 1.0, "eval_samples_per_second": float(PROFILE.val_size),
                     "epoch": float(epoch), "step": epoch * steps})
    if test is not None:
        logs.append({**scored(test), "epoch": float(len(accuracies)), "step": len(accuracies) * steps})
    return logs


def scored(accuracy: float, rows: int = PROFILE.test_size) -> dict:
    """What ``evaluate(data, metric_key_prefix="test")`` returns after scoring ``rows`` tweets."""
    return {"test_loss": 1.3 - accuracy, "test_accuracy": accuracy, "test_macro_f1": accuracy - 0.04,
            "test_runtime": 2.0, "test_samples_per_second": rows / 2.0, "epoch": 3.0}


def run(tmp_path, name, accuracies, lr=PROFILE.learning_rate, epochs=PROFILE.epochs, rows=PROFILE.train_size,
        model=None, **logged) -> SimpleNamespace:
    """A trained Trainer as the checks see it: its arguments, its state, its model and training data."""
    args = TrainingArguments(output_dir=str(tmp_path / name), learning_rate=lr, num_train_epochs=epochs,
                             per_device_train_batch_size=PROFILE.train_batch_size, seed=42, eval_strategy="epoch",
                             save_strategy="epoch", load_best_model_at_end=True, metric_for_best_model="accuracy",
                             report_to="none", use_cpu=True)
    state = TrainerState(log_history=history(accuracies, **logged))
    evals = [log for log in state.log_history if "eval_accuracy" in log]
    if evals:
        best = max(evals, key=lambda log: log["eval_accuracy"])  # the first of equals, as the Trainer keeps
        state.global_step, state.best_metric = evals[-1]["step"], best["eval_accuracy"]
        state.best_model_checkpoint = str(tmp_path / name / f"checkpoint-{best['step']}")
    return SimpleNamespace(args=args, state=state, model=model or object(), train_dataset=range(rows))


LR = PROFILE.learning_rate


@pytest.fixture
def lesson_runs(tmp_path):
    """The lesson's run and the two of exercise 1: validation-best is the lesson's rate, test-best the
    low rate, last-epoch-best and lowest training loss the high rate."""
    return {
        "trainer": run(tmp_path, "lesson", [0.50, 0.66, 0.60], losses=[1.0, 0.8, 0.7], test=0.61),
        "low": run(tmp_path, "low", [0.40, 0.45, 0.50], lr=LR / 10, losses=[1.05, 1.0, 0.95], test=0.64),
        "high": run(tmp_path, "high", [0.55, 0.60, 0.62], lr=LR * 10, losses=[0.9, 0.6, 0.5], test=0.58),
    }


def test_exercise_1_learning_rate(tmp_path, lesson_runs):
    trainer, low, high = lesson_runs["trainer"], lesson_runs["low"], lesson_runs["high"]
    assert check.exercise_1(..., ..., ..., trainer).status == "not attempted"
    assert check.exercise_1(low, high, LR, trainer).status == "correct"
    assert check.exercise_1(low, high, LR * (1 + 1e-9), trainer).status == "correct"  # a rate computed
    wrong = {
        "overwritten": (trainer, high, LR),
        "not_a_trainer": ({"eval_accuracy": 0.5}, high, LR),
        "not_trained": (run(tmp_path, "untrained", [], lr=LR / 10), high, LR),
        "swapped": (high, low, LR),
        "unchanged": (run(tmp_path, "unchanged", [0.5, 0.6, 0.6]), high, LR),
        "wrong_direction": (low, run(tmp_path, "high2", [0.5, 0.5, 0.5], lr=LR / 10), LR),
        "wrong_factor": (run(tmp_path, "low100", [0.3, 0.3, 0.3], lr=LR / 100), high, LR),
        "reused_run": (run(tmp_path, "lesson", [0.50, 0.66, 0.60], lr=LR / 10), high, LR),
        "same_model": (run(tmp_path, "low3", [0.6, 0.6, 0.6], lr=LR / 10, model=trainer.model), high, LR),
        "other_settings": (run(tmp_path, "low4", [0.4], lr=LR / 10, epochs=1), high, LR),
        "factor_not_rate": (low, high, 1),
        "test_split": (low, high, LR / 10),
        "last_epoch": (low, high, LR * 10),
        "unreadable": (low, high, "the middle one"),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_1(*answer, trainer).mistake == mistake, mistake
    fits_best = run(tmp_path, "high5", [0.55, 0.58, 0.56], lr=LR * 10, losses=[0.9, 0.6, 0.5], test=0.58)
    assert check.exercise_1(low, fits_best, LR * 10, trainer).mistake == "training_loss"
    worst = run(tmp_path, "high6", [0.30, 0.33, 0.35], lr=LR * 10, losses=[1.2, 1.1, 1.1], test=0.3)
    assert check.exercise_1(low, worst, LR * 10, trainer).mistake == "not_best"


@pytest.fixture
def splits():
    """Stand-ins for `tokenized`: the checks read the splits' sizes only."""
    return {"train": range(PROFILE.train_size), "validation": range(PROFILE.val_size),
            "test": range(PROFILE.test_size)}


def test_exercise_2_four_times_less_data(tmp_path, lesson_runs, splits):
    trainer = lesson_runs["trainer"]
    test_metrics = scored(0.61)
    quarter = run(tmp_path, "quarter", [0.45, 0.50, 0.52], rows=PROFILE.train_size // 4, test=0.55)
    metrics = scored(0.55)
    lost = test_metrics["test_accuracy"] - metrics["test_accuracy"]
    assert PROFILE.val_size != PROFILE.test_size, "the pocket profile no longer tells the splits apart by size"
    assert check.exercise_2(..., ..., ..., trainer, test_metrics, splits).status == "not attempted"
    assert check.exercise_2(quarter, metrics, lost, trainer, test_metrics, splits).status == "correct"
    assert check.exercise_2(quarter, metrics, round(lost, 3), trainer, test_metrics, splits).status == "correct"
    on_validation = {key.replace("eval_", "test_"): value for key, value in history([0.5])[1].items()}
    validation_gap = trainer.state.best_metric - quarter.state.best_metric
    assert not math.isclose(validation_gap, lost)
    wrong = {
        "overwritten": (trainer, test_metrics, 0.0),
        "not_trained": (run(tmp_path, "q0", [], rows=PROFILE.train_size // 4), metrics, lost),
        "full_data": (run(tmp_path, "q1", [0.5, 0.6, 0.6]), metrics, lost),
        "wrong_size": (run(tmp_path, "q2", [0.5, 0.6, 0.6], rows=PROFILE.train_size // 2), metrics, lost),
        "same_folder": (run(tmp_path, "lesson", [0.50, 0.66, 0.60], rows=PROFILE.train_size // 4), metrics, lost),
        "not_metrics": (quarter, 0.55, lost),
        "validation_split": (quarter, history([0.5])[1], lost),
        "wrong_split": (quarter, scored(0.55, rows=PROFILE.test_size // 3), lost),
        "lesson_metrics": (quarter, trainer.state.log_history[-1], 0.0),
        "sign": (quarter, metrics, -lost),
        "percent": (quarter, metrics, 100 * lost),
        "wrong_difference": (quarter, metrics, lost + 0.01),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_2(*answer, trainer, test_metrics, splits).mistake == mistake, mistake
    # The validation subset scored under the test prefix: told apart by the number of rows scored.
    assert check.exercise_2(quarter, on_validation, lost, trainer, test_metrics, splits).mistake == "validation_split"
    assert check.exercise_2(quarter, metrics, validation_gap, trainer, test_metrics, splits).mistake == \
        "validation_split"


def test_exercise_3_early_stopping(tmp_path):
    # Epoch 4 does not beat epoch 3: patience 1 stops there and the run ends on epoch 3's checkpoint.
    patient = run(tmp_path, "patient", [0.50, 0.55, 0.58, 0.57], epochs=8)
    assert check.exercise_3(..., ..., ...).status == "not attempted"
    assert check.exercise_3(patient, 4, 3).status == "correct"
    assert check.exercise_3(patient, 4.0, 3.0).status == "correct"
    assert check.exercise_3(run(tmp_path, "rising", [0.1 * e for e in range(1, 9)], epochs=8), 8, 8).status == \
        "correct"
    wrong = {
        "not_a_trainer": (patient.state.log_history, 4, 3),
        "not_trained": (run(tmp_path, "p0", [], epochs=8), 4, 3),
        "epochs": (run(tmp_path, "p1", [0.50, 0.55, 0.58]), 3, 3),
        "not_stopped": (run(tmp_path, "p2", [0.50, 0.55, 0.54, 0.58, 0.57], epochs=8), 5, 4),
        "not_a_number": (patient, 4, "checkpoint-96"),
        "planned_epochs": (patient, 8, 3),
        "step_not_epoch": (patient, 4, 3 * STEPS),
        "wrong_stop": (patient, 3, 3),
        "kept_last": (patient, 4, 4),
        "wrong_kept": (patient, 4, 2),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_3(*answer).mistake == mistake, mistake
    assert check.exercise_3(patient, 4 * STEPS, 3).mistake == "step_not_epoch"


@pytest.fixture(scope="module")
def subsets():
    return make_subsets(load_tweets(PROFILE), PROFILE.train_size, PROFILE.val_size, PROFILE.test_size)


def classifier_saying(labels: dict):
    """A stand-in for the pipeline: the label it gives each tweet, as the pipeline answers a list."""
    return lambda texts: [{"label": labels[text], "score": 0.9} for text in texts]


MINE = {
    "not bad at all, honestly": "positive",
    "oh great, the bus is late again": "negative",
    "the shop opens at nine": "neutral",
    "best concert of my life!!": "positive",
    "my phone died on the train": "negative",
}


def test_exercise_4_your_own_tweets(subsets):
    model_says = {**MINE, "not bad at all, honestly": "negative"}
    classifier = classifier_saying(model_says)
    reason = "a negation of a negative word reads like a complaint to a model of word patterns"
    answer = (MINE, "not bad at all, honestly", reason)
    assert check.exercise_4(..., ..., ..., classifier, "positive", subsets).status == "not attempted"
    assert check.exercise_4(*answer, classifier, "positive", subsets).status == "correct"
    first_train = subsets["train"][0]["text"]
    wrong = {
        "not_a_dict": (list(MINE), "not bad at all, honestly", reason),
        "too_few": (dict(list(MINE.items())[:4]), "not bad at all, honestly", reason),
        "label_number": ({text: ["negative", "neutral", "positive"].index(label) for text, label in MINE.items()},
                         "not bad at all, honestly", reason),
        "label_names": ({text: label.title() for text, label in MINE.items()}, "not bad at all, honestly", reason),
        "from_data": ({**MINE, first_train: "neutral"}, "not bad at all, honestly", reason),
        "not_in_tweets": (MINE, "a tweet I did not write down", reason),
        "model_right": (MINE, "the shop opens at nine", reason),
        "no_reason": (MINE, "not bad at all, honestly", "sarcasm"),
    }
    for mistake, answers in wrong.items():
        says = {**model_says, first_train: "neutral"}
        assert check.exercise_4(*answers, classifier_saying(says), "positive", subsets).mistake == mistake, mistake
    no_neutral = {text: label for text, label in MINE.items() if label != "neutral"} | {"rain again.": "negative"}
    assert check.exercise_4(no_neutral, "not bad at all, honestly", reason, classifier_saying(
        {**model_says, "rain again.": "negative"}), "neutral", subsets).mistake == "no_confused_kind"
    assert check.exercise_4(*answer, classifier_saying(MINE), "positive", subsets).mistake == "all_right"


# ------------------------------------------------------------------------------ one real, tiny run
@pytest.fixture(scope="module")
def real_run(tmp_path_factory, subsets):
    """Early stopping (patience 1, up to 8 epochs) on 32 tweets, with the lesson's arguments."""
    from transformers import EarlyStoppingCallback, GPT2ForSequenceClassification

    from course_utils.data import ID2LABEL, LABEL2ID
    from course_utils.model import load_tokenizer
    from course_utils.training import finetune, lesson_arguments, tokenize_dataset

    tokenizer = load_tokenizer(PROFILE.model)
    tokenized = tokenize_dataset(subsets, tokenizer, PROFILE.max_length)
    small = {"train": tokenized["train"].select(range(128)), "validation": tokenized["validation"].select(range(16)),
             "test": tokenized["test"].select(range(40))}
    model = GPT2ForSequenceClassification.from_pretrained(PROFILE.model, num_labels=3, id2label=ID2LABEL,
                                                          label2id=LABEL2ID)
    model.config.pad_token_id = tokenizer.pad_token_id
    args = lesson_arguments(PROFILE, tmp_path_factory.mktemp("real") / "run", num_train_epochs=8,
                            per_device_train_batch_size=16, save_total_limit=2)
    trainer = finetune(model, tokenizer, small["train"].select(range(32)), small["validation"], args,
                       callbacks=[EarlyStoppingCallback(early_stopping_patience=1)])
    trainer.remove_callback(EarlyStoppingCallback)  # as the solution does, before scoring the test tweets
    return trainer, tokenizer, small


@pytest.mark.slow
def test_the_checks_read_a_real_trainer(real_run, subsets, tmp_path):
    from transformers import pipeline

    from course_utils.training import history_frame

    trainer, tokenizer, small = real_run
    frame = history_frame(trainer.state.log_history)
    kept_step = int(trainer.state.best_model_checkpoint.rsplit("-", 1)[1])
    kept = [log["epoch"] for log in trainer.state.log_history if log.get("step") == kept_step and "eval_loss" in log]
    assert check.exercise_3(trainer, frame["epoch"].max(), kept[0]).status == "correct"

    # Exercise 2 on the real run as the quarter run (32 of 128 tweets), beside a hand-built lesson run
    # (built after scoring: new TrainingArguments reset the accelerator state the Trainer scores with).
    metrics = trainer.evaluate(small["test"], metric_key_prefix="test")
    on_validation = trainer.evaluate(small["validation"], metric_key_prefix="test")
    lesson = run(tmp_path, "lesson", [0.5, 0.6, 0.6], rows=128)
    lesson_test = scored(0.6, rows=40)
    lost = lesson_test["test_accuracy"] - metrics["test_accuracy"]
    assert check.exercise_2(trainer, metrics, lost, lesson, lesson_test, small).status == "correct"
    assert check.exercise_2(trainer, on_validation, lost, lesson, lesson_test, small).mistake == "validation_split"

    # Exercise 4 with a real pipeline: the model's own labels, but for one tweet.
    classifier = pipeline("text-classification", model=trainer.model, tokenizer=tokenizer)
    says = {text: answer["label"] for text, answer in zip(MINE, classifier(list(MINE)), strict=True)}
    first = next(iter(MINE))
    mine = {**says, first: next(label for label in ("negative", "neutral") if label != says[first])}
    reason = "my label differs on purpose, to test the check with a real pipeline"
    assert check.exercise_4(mine, first, reason, classifier, mine[first], subsets).status == "correct"
