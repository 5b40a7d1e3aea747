"""The checks of notebook 02's exercises (``course_utils.exercises.data``): the solution passes,
each likely mistake gets its own hint."""

import pytest

from course_utils import get_profile
from course_utils.data import load_tweets
from course_utils.exercises import data as check
from course_utils.schema import LABELS


@pytest.fixture(scope="module")
def dataset():
    return load_tweets(get_profile("pocket"))


def longest(split) -> tuple[str, str]:
    row = max(split, key=lambda r: len(r["text"]))
    return row["text"], LABELS[row["label"]]


def test_exercise_1_longest_tweet(dataset):
    text, label = longest(dataset["train"])
    assert check.exercise_1(..., ..., dataset).status == "not attempted"
    assert check.exercise_1(text, label, dataset).status == "correct"
    test_text, _ = longest(dataset["test"])
    by_words = max(dataset["train"]["text"], key=lambda t: len(t.split()))
    wrong = {
        "test_split": (test_text, label),
        "words": (by_words, label),
        "not_longest": (dataset["train"][0]["text"], label),
        "not_a_tweet": ("a tweet I made up", label),
        "label_number": (text, LABELS.index(label)),
        "wrong_label": (text, next(other for other in LABELS if other != label)),
        "not_text": (3, label),
    }
    assert by_words != text
    for mistake, answer in wrong.items():
        assert check.exercise_1(*answer, dataset).mistake == mistake, mistake
