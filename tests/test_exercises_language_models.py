"""The checks of notebook 01's exercises (``course_utils.exercises.language_models``): the
solution passes, each likely mistake gets its own hint.

The few-shot runs score a handful of tweets: the test subset here is cut to ``TWEETS`` rows, so
the n that exercise 1 asks for, ``min(100, test rows)``, is that handful, as it is 100 on a profile.
"""

import numpy as np
import pytest
import torch
from datasets import DatasetDict
from transformers import AutoModelForCausalLM, AutoTokenizer

from course_utils import get_profile
from course_utils.data import load_tweets, make_subsets
from course_utils.exercises import language_models as check
from course_utils.language_model import (
    few_shot_accuracy,
    few_shot_prompt,
    label_log_probs,
    next_token_table,
    pick_shots,
    plot_next_tokens,
)
from course_utils.metrics import compare_accuracies
from course_utils.schema import LABELS

TWEETS = 6
WORDS = ("bad", "okay", "good")
NOTEBOOK_PROMPT = "so happy with my new"


@pytest.fixture(scope="module")
def lm():
    profile = get_profile("pocket")
    return (AutoModelForCausalLM.from_pretrained(profile.model).eval(),
            AutoTokenizer.from_pretrained(profile.model))


@pytest.fixture(scope="module")
def subsets():
    profile = get_profile("pocket")
    full = make_subsets(load_tweets(profile), profile.train_size, profile.val_size, profile.test_size)
    cut = DatasetDict({"train": full["train"], "validation": full["validation"].select(range(TWEETS)),
                       "test": full["test"].select(range(TWEETS))})
    assert set(cut["test"]["label"][:]) == {0, 1, 2}, "the test rows must hold every class (shots_from_test)"
    return cut


def few_shot(lm, subsets, **options) -> dict:
    """``few_shot_accuracy`` on the cut subsets, as the notebook calls it, with ``options`` changed."""
    model, tokenizer = lm
    return few_shot_accuracy(model, tokenizer, **{"train": subsets["train"], "test": subsets["test"],
                                                  "n": 100, **options})


def outcome(a: float, b: float, n: int) -> str:
    return compare_accuracies("a vs b", a, b, n).outcome


@pytest.fixture(scope="module")
def runs(lm, subsets):
    return {k: few_shot(lm, subsets, k=k) for k in (0, 3, 9)}


def test_exercise_1_more_or_fewer_examples(lm, subsets, runs):
    moves = outcome(runs[9]["accuracy"], runs[0]["accuracy"], TWEETS) != "within noise"
    dominant = {k: max(run["chosen"], key=run["chosen"].get) for k, run in runs.items()}
    assert check.exercise_1(..., ..., ..., subsets).status == "not attempted"
    assert check.exercise_1(runs, moves, dominant, subsets).status == "correct"
    on_validation = few_shot(lm, subsets, k=9, test=subsets["validation"])
    test_labels = np.array(subsets["test"]["label"][:])
    assert np.mean(np.array(on_validation["predictions"]) == test_labels) != on_validation["accuracy"]
    rare = next(word for word in LABELS if runs[0]["chosen"][word] < max(runs[0]["chosen"].values()))
    wrong = {
        "missing_k": ({0: runs[0], 3: runs[3]}, moves, dominant),
        "accuracy_only": ({k: run["accuracy"] for k, run in runs.items()}, moves, dominant),
        "wrong_k": ({**runs, 9: runs[3]}, moves, dominant),
        "shots_from_test": ({**runs, 3: few_shot(lm, subsets, k=3, train=subsets["test"])}, moves, dominant),
        "wrong_n": ({**runs, 9: few_shot(lm, subsets, k=9, n=TWEETS - 1)}, moves, dominant),
        "wrong_split": ({**runs, 9: on_validation}, moves, dominant),
        "not_bool": (runs, "yes", dominant),
        "moves_disagrees": (runs, not moves, dominant),
        "label_number": (runs, moves, {k: LABELS.index(word) for k, word in dominant.items()}),
        "not_dominant": (runs, moves, {**dominant, 0: rare}),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_1(*answer, subsets).mistake == mistake, mistake


def test_exercise_2_other_label_words(lm, subsets):
    result = few_shot(lm, subsets, k=6)
    result_words = few_shot(lm, subsets, k=6, label_words=WORDS)
    changed = int(np.sum(np.array(result["predictions"]) != np.array(result_words["predictions"])))
    share = changed / TWEETS
    accuracy_change = abs(result_words["accuracy"] - result["accuracy"])
    assert changed > 1 and abs(accuracy_change - share) > 0.01, "pocket no longer tells the mistakes apart"
    assert check.exercise_2(..., ..., result).status == "not attempted"
    assert check.exercise_2(result_words, share, result).status == "correct"
    wrong = {
        "default_words": (result, 0.0),
        "different_tweets": (few_shot(lm, subsets, k=6, n=TWEETS - 1, label_words=WORDS), share),
        "different_shots": (few_shot(lm, subsets, k=6, seed=1, label_words=WORDS), share),
        "count_not_share": (result_words, changed),
        "percent": (result_words, 100 * share),
        "accuracy_change": (result_words, accuracy_change),
        "wrong_share": (result_words, share / 2),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_2(*answer, result).mistake == mistake, mistake


def generate(lm, prompt: str, sample_seed: int | None) -> str:
    """The decoded continuation of ``prompt``: greedy, or sampled with ``torch.manual_seed(sample_seed)``."""
    model, tokenizer = lm
    inputs = tokenizer(prompt, return_tensors="pt")
    if sample_seed is not None:
        torch.manual_seed(sample_seed)
    ids = model.generate(**inputs, max_new_tokens=8, do_sample=sample_seed is not None, top_k=50,
                         temperature=0.9, pad_token_id=tokenizer.eos_token_id)
    return tokenizer.decode(ids[0], skip_special_tokens=True)


def test_exercise_3_your_own_prompt(lm):
    model, tokenizer = lm
    prompt = "Every Tuesday, a market fills the main"
    table = next_token_table(model, tokenizer, prompt, k=5)
    figure = plot_next_tokens(table, prompt)
    greedy, sampled = generate(lm, prompt, None), generate(lm, prompt, 0)
    sampled_off_top = generate(lm, prompt, 1)
    assert not sampled_off_top.startswith(prompt + table["token"][0]), "pick a seed whose first token differs"
    answers = (prompt, table, figure, greedy, sampled)
    assert check.exercise_3(prompt, ..., ..., ..., ..., model, tokenizer).status == "not attempted"
    assert check.exercise_3(*answers, model, tokenizer).status == "correct"
    other_table = next_token_table(model, tokenizer, NOTEBOOK_PROMPT, k=5)
    wrong = {
        "not_text": (prompt, table, figure, tokenizer(greedy)["input_ids"], sampled),
        "table_other_prompt": (prompt, other_table, figure, greedy, sampled),
        "no_figure": (prompt, table, table, greedy, sampled),
        "figure_other_prompt": (prompt, table, plot_next_tokens(table, NOTEBOOK_PROMPT), greedy, sampled),
        "other_prompt": (prompt, table, figure, generate(lm, NOTEBOOK_PROMPT, None), sampled),
        "not_sampled": (prompt, table, figure, greedy, greedy),
        "not_greedy": (prompt, table, figure, sampled_off_top, sampled),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_3(*answer, model, tokenizer).mistake == mistake, mistake


def scores(lm, shots, texts) -> np.ndarray:
    model, tokenizer = lm
    return np.array([label_log_probs(model, tokenizer, few_shot_prompt(shots, text)) for text in texts])


def accuracies(raw, prior, labels) -> dict[str, float]:
    return {"raw": float(np.mean(raw.argmax(axis=1) == labels)),
            "calibrated": float(np.mean((raw - prior).argmax(axis=1) == labels))}


def test_exercise_4_calibration(lm, subsets):
    model, tokenizer = lm
    shots = pick_shots(subsets["train"], k=6)
    prior = scores(lm, shots, [""])[0]
    raw = scores(lm, shots, subsets["test"]["text"][:])
    labels = np.array(subsets["test"]["label"][:])
    accuracy = accuracies(raw, prior, labels)
    improves = outcome(accuracy["calibrated"], accuracy["raw"], TWEETS) == "higher"
    added = float(np.mean((raw + prior).argmax(axis=1) == labels))
    on_validation = accuracies(raw, prior, np.array(subsets["validation"]["label"][:]))
    assert accuracy["raw"] != accuracy["calibrated"] != added and on_validation != accuracy, \
        "pocket no longer tells the mistakes apart"
    assert check.exercise_4(prior, ..., ..., ..., model, tokenizer, shots, subsets).status == "not attempted"
    assert check.exercise_4(prior, raw, accuracy, improves, model, tokenizer, shots, subsets).status == "correct"
    wrong = {
        "prior_shape": (prior[:2], raw, accuracy, improves),
        "prior_from_tweet": (raw[1], raw, accuracy, improves),
        "probabilities": (np.exp(prior), raw, accuracy, improves),
        "prior_other": (scores(lm, [], [""])[0], raw, accuracy, improves),
        "raw_shape": (prior, raw.T, accuracy, improves),
        "wrong_split": (prior, scores(lm, shots, subsets["validation"]["text"][:2]), accuracy, improves),
        "raw_other": (prior, scores(lm, pick_shots(subsets["train"], k=6, seed=1),
                                    subsets["test"]["text"][:2]), accuracy, improves),
        "accuracy_keys": (prior, raw, {"raw scores": accuracy["raw"], "calibrated": accuracy["calibrated"]},
                          improves),
        "percent": (prior, raw, {key: 100 * value for key, value in accuracy.items()}, improves),
        "swapped": (prior, raw, {"raw": accuracy["calibrated"], "calibrated": accuracy["raw"]}, improves),
        "added_prior": (prior, raw, {**accuracy, "calibrated": added}, improves),
        "accuracy_wrong": (prior, raw, on_validation, improves),
        "not_bool": (prior, raw, accuracy, "no"),
        "improves_disagrees": (prior, raw, accuracy, not improves),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_4(*answer, model, tokenizer, shots, subsets).mistake == mistake, mistake
