"""The checks of notebook 05's exercises (``course_utils.exercises.metrics``): the solution passes,
each likely mistake gets its own hint. The answers are built as the solutions build them, with
``evaluate``'s shipped accuracy and F1; the predictors are the ones that cost nothing to make
(majority, the keyword rule, VADER, and a seeded random guess standing in for the untrained GPT-2)."""

import re

import numpy as np
import pytest

from course_utils import baselines, get_profile
from course_utils.data import load_tweets, majority_baseline, make_subsets
from course_utils.exercises import metrics as check
from course_utils.metrics import confusion_matrix, load_metrics
from course_utils.schema import LABELS

POSITIVE_WORDS = {"love", "great", "good", "happy", "best"}
NEGATIVE_WORDS = {"hate", "awful", "bad", "sad", "worst"}
MORE_POSITIVE = POSITIVE_WORDS | {"amazing", "thanks", "fun", "excited", "awesome", "nice", "lol"}
MORE_NEGATIVE = NEGATIVE_WORDS | {"sick", "tired", "miss", "sorry", "hurts", "boring", "broken"}
TOY_LOGITS = np.array([[2.0, 0.1, -1.0], [0.3, 1.2, 0.4], [-0.5, 0.2, 3.1], [1.5, 0.9, 0.8]])
TOY_LABELS = np.array([0, 1, 2, 2])


def keyword_rule(text, positive_words=POSITIVE_WORDS, negative_words=NEGATIVE_WORDS):
    words = set(re.findall(r"[a-z']+", text.lower()))
    if words & positive_words:
        return LABELS.index("positive")
    if words & negative_words:
        return LABELS.index("negative")
    return LABELS.index("neutral")


@pytest.fixture(scope="module")
def metrics():
    return load_metrics(prefer_local=True)


@pytest.fixture(scope="module")
def data():
    profile = get_profile("pocket")
    subsets = make_subsets(load_tweets(profile), profile.train_size, profile.val_size, profile.test_size)
    texts, labels = subsets["test"]["text"][:], np.array(subsets["test"]["label"][:])
    majority_label, _ = majority_baseline(subsets["train"], subsets["test"])
    predictors = {
        "majority": np.full(len(labels), LABELS.index(majority_label)),
        "keyword rule": np.array([keyword_rule(text) for text in texts]),
        "random guess": np.random.default_rng(0).integers(0, len(LABELS), len(labels)),
        "VADER lexicon": baselines.vader_predict(texts),
    }
    return texts, labels, predictors


def by_hand(labels, predictions):
    matrix = confusion_matrix(labels, predictions)
    diagonal = np.diag(matrix)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision, recall = diagonal / matrix.sum(axis=0), diagonal / matrix.sum(axis=1)
        return precision, recall, 2 * precision * recall / (precision + recall)


def test_exercise_1_precision_and_recall(metrics, data):
    _, labels, predictors = data
    keyword = predictors["keyword rule"]
    precision, recall, f1 = (np.nan_to_num(values) for values in by_hand(labels, keyword))
    from_evaluate = metrics[1].compute(predictions=keyword, references=labels, average=None)["f1"]
    assert np.allclose(f1, from_evaluate)
    assert check.exercise_1(..., ..., ..., labels, keyword).status == "not attempted"
    assert check.exercise_1(precision, recall, f1, labels, keyword).status == "correct"
    assert check.exercise_1(list(precision.round(3)), recall, from_evaluate, labels, keyword).status == "correct"
    majority = predictors["majority"]
    wrong = {
        "shape": (precision, recall, f1.mean()),
        "swapped": (recall, precision, f1),
        "percent": (100 * precision, recall, f1),
        "precision_wrong": (np.diag(confusion_matrix(labels, keyword)) / len(labels), recall, f1),
        "recall_wrong": (precision, recall / 2, f1),
        "arithmetic_mean": (precision, recall, (precision + recall) / 2),
        "f1_wrong": (precision, recall, f1 / 2),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_1(*answer, labels, keyword).mistake == mistake, mistake
    unhandled = by_hand(labels, majority)  # two classes are never predicted: 0 / 0 in their precision
    assert check.exercise_1(*unhandled, labels, majority).mistake == "nan"


def test_exercise_2_weighted_vs_macro(metrics, data):
    _, labels, predictors = data
    f1 = metrics[1]

    def f1_of(average):
        return {name: f1.compute(predictions=p, references=labels, average=average)["f1"]
                for name, p in predictors.items()}

    weighted, macro = f1_of("weighted"), f1_of("macro")
    gains = {name: weighted[name] - macro[name] for name in predictors}
    biggest = max(gains, key=gains.get)
    highest = max(weighted, key=weighted.get)
    smallest = min(gains, key=gains.get)
    assert len({biggest, highest, smallest}) == 3, "the pocket predictors no longer tell the mistakes apart"
    assert check.exercise_2(..., ..., predictors, labels).status == "not attempted"
    assert check.exercise_2(weighted, biggest, predictors, labels).status == "correct"
    accuracy = {name: float(np.mean(p == labels)) for name, p in predictors.items()}
    wrong = {
        "missing_predictor": ({name: weighted[name] for name in list(predictors)[:3]}, biggest),
        "macro": (macro, biggest),
        "micro": (accuracy, biggest),
        "percent": ({name: 100 * value for name, value in weighted.items()}, biggest),
        "wrong_value": ({**weighted, biggest: weighted[biggest] / 2}, biggest),
        "unknown_name": (weighted, "TF-IDF"),
        "highest_weighted": (weighted, highest),
        "not_biggest": (weighted, smallest),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_2(*answer, predictors, labels).mistake == mistake, mistake


def per_class_metrics(metrics, with_labels=True, one_key=False, keep=True):
    """The solution's compute_metrics, or one of the likely mistakes."""
    accuracy, f1 = metrics

    def compute_metrics(eval_pred):
        logits, labels = eval_pred
        predictions = np.argmax(logits, axis=-1)
        options = {"labels": list(range(len(LABELS)))} if with_labels else {}
        per_class = f1.compute(predictions=predictions, references=labels, average=None, **options)["f1"]
        kept = {"accuracy": accuracy.compute(predictions=predictions, references=labels)["accuracy"],
                "macro_f1": f1.compute(predictions=predictions, references=labels, average="macro")["f1"]}
        if one_key:
            return {**kept, "f1_per_class": per_class}
        return {**(kept if keep else {}), **{f"f1_{name}": float(value)
                                             for name, value in zip(LABELS, per_class, strict=with_labels)}}

    return compute_metrics


def test_exercise_3_per_class_f1(metrics):
    solution = per_class_metrics(metrics)
    assert check.exercise_3(..., TOY_LOGITS, TOY_LABELS).status == "not attempted"
    assert check.exercise_3(solution, TOY_LOGITS, TOY_LABELS).status == "correct"

    def renamed(eval_pred):
        result = solution(eval_pred)
        names = [f"f1_{name}" for name in LABELS]  # each score under the next class's name
        return {**result, **{name: result[names[i - 1]] for i, name in enumerate(names)}}

    def halved(eval_pred):
        return {key: value / 2 for key, value in solution(eval_pred).items()}

    def broken(eval_pred):
        raise KeyError("f1")

    lenient = per_class_metrics(metrics, with_labels=False)  # zip without strict: the names shift
    wrong = {
        "not_a_function": {"f1_negative": 0.5},
        "raises": broken,
        "not_a_dict": lambda eval_pred: list(solution(eval_pred).values()),
        "one_key_list": per_class_metrics(metrics, one_key=True),
        "missing_keys": lambda eval_pred: {"accuracy": 1.0, "macro_f1": 1.0},
        "dropped_keys": per_class_metrics(metrics, keep=False),
        "not_a_number": lambda eval_pred: {**solution(eval_pred), "f1_neutral": np.array([0.5, 0.5])},
        "names_shifted": renamed,
        "wrong_values": halved,
        "missing_class": lenient,
    }
    for mistake, answer in wrong.items():
        assert check.exercise_3(answer, TOY_LOGITS, TOY_LABELS).mistake == mistake, mistake


def test_exercise_4_a_longer_keyword_list(metrics, data):
    texts, labels, predictors = data
    accuracy, f1 = metrics
    old = predictors["keyword rule"]
    longer = np.array([keyword_rule(text, MORE_POSITIVE, MORE_NEGATIVE) for text in texts])

    def scores_of(predictions):
        return {"accuracy": accuracy.compute(predictions=predictions, references=labels)["accuracy"],
                "macro_f1": f1.compute(predictions=predictions, references=labels, average="macro")["f1"]}

    scores = scores_of(longer)
    replaced = np.array([keyword_rule(text, MORE_POSITIVE - POSITIVE_WORDS, MORE_NEGATIVE - NEGATIVE_WORDS)
                         for text in texts])
    assert check.exercise_4(..., ..., old, labels).status == "not attempted"
    assert check.exercise_4(longer, scores, old, labels).status == "correct"
    wrong = {
        "wrong_length": (longer[:10], scores),
        "unchanged": (old, scores_of(old)),
        "words_replaced": (replaced, scores_of(replaced)),
        "score_keys": (longer, {"acc": scores["accuracy"], "f1": scores["macro_f1"]}),
        "old_scores": (longer, scores_of(old)),
        "swapped": (longer, {"accuracy": scores["macro_f1"], "macro_f1": scores["accuracy"]}),
        "percent": (longer, {key: 100 * value for key, value in scores.items()}),
        "wrong_scores": (longer, {key: value / 2 for key, value in scores.items()}),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_4(*answer, old, labels).mistake == mistake, mistake
