"""Checks for the exercises of notebook 02 (the data); see :mod:`course_utils.exercises`."""

from __future__ import annotations

from course_utils.exercises import Exercise, Outcome, attempted, check
from course_utils.schema import LABELS


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
