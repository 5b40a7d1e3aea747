"""Checks for the exercises of notebook 02 (the data); see :mod:`course_utils.exercises`."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
from datasets import DatasetDict

from course_utils.data import split_overlap
from course_utils.exercises import Exercise, Outcome, attempted, check
from course_utils.metrics import standard_error
from course_utils.schema import LABELS

MENTION = r"@\w+"  # an @mention: an @ and a name, as normalise_text removes them


@check("02", 1)
def exercise_1(exercise: Exercise, longest_text, longest_label, dataset) -> Outcome:
    """The longest train tweet (in characters) and its label name."""
    if not attempted(longest_text, longest_label):
        return exercise.not_attempted("`longest_text` (a string) and `longest_label` (a label name)")
    train = dataset["train"]
    texts = list(train["text"])
    by_chars = max(range(len(texts)), key=lambda i: len(texts[i]))
    truth_text, truth_label = texts[by_chars], LABELS[train[by_chars]["label"]]
    if not isinstance(longest_text, str):
        return exercise.hint("not_text", f"`longest_text` is a {type(longest_text).__name__}; "
                             "give the tweet itself, a string (e.g. one cell of the `text` column).")
    if longest_text != truth_text:
        if "test" in dataset and longest_text in set(dataset["test"]["text"]) and longest_text not in texts:
            return exercise.hint("test_split", "that tweet is from the test split; the exercise asks "
                                 "about the train split (`dataset[\"train\"]`).")
        if longest_text == max(texts, key=lambda t: len(t.split())):
            return exercise.hint("words", "that is the tweet with the most words; measure the length "
                                 "in characters (`.str.len()` on the text column).")
        if longest_text in texts:
            return exercise.hint("not_longest", f"that train tweet has {len(longest_text)} characters, "
                                 f"but the longest has {len(truth_text)}. Take the maximum over every row.")
        return exercise.hint("not_a_tweet", "that text is not a tweet of the train split; copy it from "
                             "the data rather than typing it.")
    if isinstance(longest_label, int) and not isinstance(longest_label, bool):
        return exercise.hint("label_number", f"{longest_label} is the label's number; give its name "
                             "(the `label_text` column, or `LABELS[label]`).")
    if longest_label != truth_label:
        return exercise.hint("wrong_label", f"the text is right, but {longest_label!r} is not its label; "
                             "read the label from the same row as the text.")
    return exercise.correct(f"{len(truth_text)} characters, labelled {truth_label}. Its length is "
                            "what decides whether it is an outlier on the length plot.")


def _close(answer, truth: float) -> bool:
    """A share as the student gives it, against the truth (1 % of it, for unrounded shares)."""
    return math.isclose(float(answer), truth, rel_tol=0.01, abs_tol=1e-6)


def _all_close(answers: dict, truths: dict) -> bool:
    return all(_close(answers[label], truths[label]) for label in LABELS)


def _with_mention(split) -> pd.DataFrame:
    """One row per tweet: its ``label_text`` and whether it holds an @mention."""
    frame = split.select_columns(["text", "label_text"]).to_pandas()
    return frame.assign(mention=frame["text"].str.contains(MENTION, regex=True))


def _mention_shares(frame: pd.DataFrame) -> dict[str, float]:
    shares = frame.groupby("label_text")["mention"].mean()
    return {label: float(shares.get(label, 0.0)) for label in LABELS}


@check("02", 2)
def exercise_2(exercise: Exercise, mention_share, dataset) -> Outcome:
    """The share of each class's train tweets that hold an @mention."""
    if not attempted(mention_share):
        return exercise.not_attempted("`mention_share` (label name -> a share between 0 and 1)")
    shares = dict(mention_share)  # a dict or a pandas Series
    if any(isinstance(label, int | np.integer) for label in shares):
        return exercise.hint("label_number", "the keys are label numbers; key the shares by label name "
                             "(the `label_text` column).")
    if sorted(shares) != sorted(LABELS):
        return exercise.hint("missing_class", f"`mention_share` has the keys {sorted(map(str, shares))}; "
                             f"give one share per class: {', '.join(LABELS)}.")
    train = _with_mention(dataset["train"])
    truth = _mention_shares(train)
    if not _all_close(shares, truth):
        if _all_close(shares, _mention_shares(_with_mention(dataset["test"]))):
            return exercise.hint("test_split", "those are the shares of the test split; the exercise asks "
                                 "about the train split (`dataset[\"train\"]`).")
        if _all_close(shares, {label: 100 * share for label, share in truth.items()}):
            return exercise.hint("percent", "those are percentages; give shares between 0 and 1.")
        mentioned = train[train["mention"]]["label_text"]
        if _all_close(shares, {label: float(sum(mentioned == label)) for label in LABELS}):
            return exercise.hint("counts", "those are numbers of tweets; the exercise asks for a share of "
                                 "each class's tweets.")
        if len(mentioned) and _all_close(shares, {label: float(np.mean(mentioned == label))
                                                  for label in LABELS}):
            return exercise.hint("wrong_direction", "your shares add up to 1 over the classes: they say "
                                 "which class the tweets with a mention belong to. The exercise asks the "
                                 "other way round: of the tweets of each class, which share has one.")
        return exercise.hint("not_matching", "those shares do not match the train tweets: for each class, "
                             "divide its tweets that hold an @mention (an @ and a name) by all its tweets, "
                             "and give the share unrounded.")
    size = train["label_text"].value_counts()
    table = "\n".join(f"  {label:>8}: {truth[label]:.2%} of {size[label]:,} tweets, two standard errors "
                      f"{2 * standard_error(truth[label], int(size[label])):.2%}" for label in LABELS)
    return exercise.correct("one share per class, over the train split. A difference between two shares "
                            "smaller than two standard errors can come from chance alone.", worked=table)


@check("02", 3)
def exercise_3(exercise: Exercise, my_data, n_test_rows) -> Outcome:
    """Ten tweets of the student's own in a CSV, loaded without a test file."""
    if not attempted(my_data, n_test_rows):
        return exercise.not_attempted("`my_data` (what load_tweets returns) and `n_test_rows` (a number)")
    if not isinstance(my_data, DatasetDict):
        return exercise.hint("not_loaded", f"`my_data` is a {type(my_data).__name__}: give what "
                             "load_tweets(data_files=...) returns for your file.")
    train, test = my_data["train"], my_data["test"]
    if any(str(row_id).startswith("test-") for row_id in test["id"][:]):
        return exercise.hint("test_file", "your test split was read from a test file; load your CSV on its "
                             "own, so that load_tweets holds part of it out.")
    total = len(train) + len(test)
    if total != 10:
        return exercise.hint("row_count", f"your data holds {total:,} rows in all; the exercise asks for a "
                             "CSV of ten tweets of your own (load_tweets drops rows without text).")
    if isinstance(n_test_rows, float) and not n_test_rows.is_integer() or n_test_rows == 20:
        return exercise.hint("share_not_rows", f"{n_test_rows} is the share held out; give the number of "
                             "rows in the test split.")
    if n_test_rows == len(train) != len(test):
        return exercise.hint("train_rows", f"{n_test_rows} is the number of rows left for training.")
    if n_test_rows != len(test):
        return exercise.hint("wrong_count", f"{n_test_rows} is not the number of rows of your test split: "
                             "count the rows of `my_data[\"test\"]`.")
    per_split = {name: Counter(split["label_text"][:]) for name, split in my_data.items()}
    worked = "\n".join(f"  {name:>5}: " + ", ".join(f"{label} {counts[label]}" for label in LABELS)
                       for name, counts in per_split.items())
    return exercise.correct(f"{len(test)} of your {total} rows became the test split; the labels per "
                            "split:", worked=worked)


@check("02", 4)
def exercise_4(exercise: Exercise, n_leaked, subsets, dataset) -> Outcome:
    """How many tweets of the test subset also sit in the train subset, exactly or normalised."""
    if not attempted(n_leaked):
        return exercise.not_attempted("`n_leaked` (a number of tweets)")
    overlap = split_overlap(subsets["train"], subsets["test"])
    n_test = len(subsets["test"])
    if isinstance(n_leaked, float) and 0 < n_leaked < 1:
        return exercise.hint("share_not_count", f"{n_leaked} is a share; give the number of test tweets.")
    if n_leaked != len(overlap):
        exact = int((overlap["kind"] == "exact").sum())
        if n_leaked == exact:
            return exercise.hint("exact_only", "that counts the exact copies only; count the tweets that "
                                 "match after normalising too (lowercase, no @mentions or links).")
        # The full splits hold the subsets, so they share at least as many tweets (and take longer).
        if n_leaked > len(overlap) and n_leaked == len(split_overlap(dataset["train"], dataset["test"])):
            return exercise.hint("full_splits", "that is the overlap of the full train and test splits; "
                                 "the exercise asks about subsets[\"train\"] and subsets[\"test\"].")
        return exercise.hint("wrong_count", "that is not the number of tweets of subsets[\"test\"] whose text, "
                             "exact or normalised, also occurs in subsets[\"train\"].")
    kinds = overlap["kind"].value_counts().to_dict()
    return exercise.correct(f"{len(overlap)} of {n_test:,} test tweets ({len(overlap) / n_test:.1%}) sit in "
                            f"the train subset too, by kind: {kinds}. That share is the most that "
                            "memorising them can add to the test accuracy.")
