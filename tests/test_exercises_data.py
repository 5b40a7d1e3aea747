"""The checks of notebook 02's exercises (``course_utils.exercises.data``): the solution passes,
each likely mistake gets its own hint."""

import pandas as pd
import pytest

from course_utils import get_profile
from course_utils.data import load_tweets, make_subsets, split_overlap
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


@pytest.fixture(scope="module")
def subsets(dataset):
    profile = get_profile("pocket")
    return make_subsets(dataset, profile.train_size, profile.val_size, profile.test_size)


def with_mention(split) -> pd.DataFrame:
    frame = split.to_pandas()
    return frame.assign(mention=frame["text"].str.contains(r"@\w+", regex=True))


def test_exercise_2_mentions_per_class(dataset):
    train = with_mention(dataset["train"])
    shares = train.groupby("label_text")["mention"].mean()
    assert check.exercise_2(..., dataset).status == "not attempted"
    assert check.exercise_2(shares, dataset).status == "correct"
    assert check.exercise_2(shares.round(6).to_dict(), dataset).status == "correct"
    mentioned = train[train["mention"]]
    wrong = {
        "test_split": with_mention(dataset["test"]).groupby("label_text")["mention"].mean(),
        "percent": shares * 100,
        "counts": train.groupby("label_text")["mention"].sum(),
        "wrong_direction": mentioned["label_text"].value_counts(normalize=True),
        "label_number": train.groupby("label")["mention"].mean(),
        "missing_class": shares.drop("neutral"),
        "not_matching": shares.round(3),  # rounded away: pocket's shares are below 1 %
        "unreadable": 0.3,
    }
    for mistake, answer in wrong.items():
        assert check.exercise_2(answer, dataset).mistake == mistake, mistake


@pytest.fixture(scope="module")
def my_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("my_tweets")
    tweets = pd.DataFrame({"text": [f"my tweet number {i}" for i in range(10)],
                           "label": [LABELS[i % 3] for i in range(10)]})
    tweets.to_csv(folder / "train.csv", index=False)
    tweets.head(3).to_csv(folder / "test.csv", index=False)
    pd.concat([tweets, tweets.head(2)]).to_csv(folder / "twelve.csv", index=False)
    return folder


def test_exercise_3_your_own_csv(my_csv):
    mine = load_tweets(data_files=my_csv / "train.csv")
    assert check.exercise_3(..., ...).status == "not attempted"
    assert check.exercise_3(mine, len(mine["test"])).status == "correct"
    with_test_file = load_tweets(data_files=my_csv / "train.csv", test_data=my_csv / "test.csv")
    wrong = {
        "not_loaded": (pd.read_csv(my_csv / "train.csv"), 2),
        "test_file": (with_test_file, len(with_test_file["test"])),
        "row_count": (load_tweets(data_files=my_csv / "twelve.csv"), 3),
        "share_not_rows": (mine, 0.2),
        "train_rows": (mine, len(mine["train"])),
        "wrong_count": (mine, len(mine["test"]) + 1),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_3(*answer).mistake == mistake, mistake


def test_exercise_4_leakage_in_the_subsets(dataset, subsets):
    overlap = split_overlap(subsets["train"], subsets["test"])
    exact = int((overlap["kind"] == "exact").sum())
    full = len(split_overlap(dataset["train"], dataset["test"]))
    assert len({len(overlap), exact, full}) == 3, "the pocket data no longer tells these mistakes apart"
    assert check.exercise_4(..., subsets, dataset).status == "not attempted"
    assert check.exercise_4(len(overlap), subsets, dataset).status == "correct"
    wrong = {
        "exact_only": exact,
        "full_splits": full,
        "share_not_count": len(overlap) / len(subsets["test"]),
        "wrong_count": len(overlap) + 2,
    }
    for mistake, answer in wrong.items():
        assert check.exercise_4(answer, subsets, dataset).mistake == mistake, mistake
