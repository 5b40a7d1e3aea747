"""The checks of notebook 08's exercises (``course_utils.exercises.forgetting_leakage``): the
solution passes, each likely mistake gets its own hint.

Three exercises train for minutes, so their answers are built by hand: the tables of
``forgetting`` and ``starting_points`` with the columns those return, a ``Suspects`` with a ranked
table. Exercise 2 trains nothing: it runs ``split_overlap`` on the pocket tweets for real. One
slow test checks that exercise 4's check reads a real, tiny label-noise run.
"""

import numpy as np
import pandas as pd
import pytest
from datasets import concatenate_datasets

from course_utils import get_profile, pitfalls, pitfalls_data
from course_utils.data import load_tweets, make_subsets, split_overlap
from course_utils.exercises import forgetting_leakage as check
from course_utils.pitfalls_data import Suspects


@pytest.fixture(scope="module")
def data():
    """Pocket subsets of 300 / 50 / 200 tweets; nothing tokenised (no check reads it)."""
    profile = get_profile("pocket")
    raw = make_subsets(load_tweets(profile), 300, 50, 200)
    return pitfalls.ExperimentData(profile, None, raw, None)


def forgetting_table(rows: dict[str, tuple[int, float, float]]) -> pd.DataFrame:
    """What ``pitfalls_lm.forgetting`` returns: ``{method: (trainable parameters, test accuracy, probe
    LM loss)}`` after the pre-trained row (probe LM loss 3.0)."""
    before = 3.0
    table = pd.DataFrame([{"method": "pre-trained, not fine-tuned", "trainable parameters": 0,
                           "test accuracy": np.nan, "probe LM loss": before}] +
                         [{"method": method, "trainable parameters": n, "test accuracy": accuracy,
                           "probe LM loss": loss} for method, (n, accuracy, loss) in rows.items()]).set_index("method")
    table["probe perplexity"] = np.exp(table["probe LM loss"])
    table["LM loss increase"] = table["probe LM loss"] - before
    return table


def test_exercise_1_a_gentler_learning_rate(data):
    full, lower = "full fine-tuning", "full fine-tuning, lr / 10"
    gentle = forgetting_table({full: (5_000_000, 0.62, 3.40), lower: (5_000_000, 0.55, 3.05)})
    drop = 0.62 - 0.55
    assert check.exercise_1(..., ..., ..., data).status == "not attempted"
    assert check.exercise_1(gentle, True, drop, data).status == "correct"
    assert check.exercise_1(gentle, np.True_, round(drop, 3), data).status == "correct"
    frozen = forgetting_table({full: (5_000_000, 0.62, 3.40), lower: (400_000, 0.55, 3.05)})
    wrong = {
        "not_a_table": (gentle.to_dict(), True, drop),
        "method_missing": (gentle.drop(index=lower), True, drop),
        "no_full_row": (gentle.drop(index=full), True, drop),
        "prepared": (frozen, True, drop),
        "not_bool": (gentle, "less", drop),
        "forgets_disagrees": (gentle, False, drop),
        "sign": (gentle, True, -drop),
        "percent": (gentle, True, 100 * drop),
        "wrong_column": (gentle, True, 3.40 - 3.05),
        "drop_wrong": (gentle, True, 0.62),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_1(*answer, data).mistake == mistake, mistake


def test_exercise_2_near_duplicates_only(data):
    leaked = data.raw["test"].select(range(40))
    disguised = leaked.map(lambda row: {"text": "@someone " + row["text"].lower()})
    found = split_overlap(concatenate_datasets([data.raw["train"], disguised]), data.raw["test"])
    kinds = found[found["test_id"].isin(leaked["id"][:])]["kind"].value_counts()
    assert kinds.idxmax() == "normalised" and len(kinds) == 1, "pocket no longer tells the kinds apart"
    assert check.exercise_2(..., ..., ..., leaked, data).status == "not attempted"
    assert check.exercise_2(disguised, found, "normalised", leaked, data).status == "correct"
    lowered = leaked.map(lambda row: {"text": row["text"].lower()})
    originals = split_overlap(concatenate_datasets([data.raw["train"], leaked]), data.raw["test"])
    wrong = {
        "not_disguised": (leaked, found, "normalised"),
        "disguise_wrong": (lowered, found, "normalised"),
        "not_overlap": (disguised, found["kind"], "normalised"),
        "originals": (disguised, originals, "exact"),
        "not_leaked": (disguised, split_overlap(data.raw["train"], data.raw["test"]), "normalised"),
        "kind_word": (disguised, found, "near-duplicate"),
        "kind_disagrees": (disguised, found, "exact"),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_2(*answer, leaked, data).mistake == mistake, mistake
    from_validation = data.raw["validation"].select(range(10))
    assert check.exercise_2(from_validation.map(lambda row: {"text": "@someone " + row["text"].lower()}), found,
                            "normalised", from_validation, data).mistake == "leaked_other_split"


def starts_table(pretrained: float, adapted: float, tweet_lm: tuple[float, float] = (4.0, 3.8)) -> pd.DataFrame:
    """What ``starting_points`` returns for the two starts of exercise 3."""
    return pd.DataFrame({"start": ["pre-trained", "pre-trained + tweet LM"], "tweet LM loss": list(tweet_lm),
                         "probe LM loss": [3.0, 3.1], "test accuracy": [pretrained, adapted]}).set_index("start")


def test_exercise_3_seed_noise():
    tables = {42: starts_table(0.60, 0.62), 1: starts_table(0.58, 0.57, (4.1, 3.9)), 2: starts_table(0.61, 0.64)}
    gains = {42: 0.02, 1: -0.01, 2: 0.03}
    assert check.exercise_3(..., ..., ...).status == "not attempted"
    assert check.exercise_3(tables, gains, False).status == "correct"
    every_time = {1: tables[42], 2: tables[2]}
    assert check.exercise_3(every_time, {1: 0.02, 2: 0.03}, True).status == "correct"
    wrong = {
        "missing_seed": ({42: tables[42], 1: tables[1]}, {42: 0.02, 1: -0.01}, False),
        "missing_start": ({**tables, 2: tables[2].drop(index="pre-trained")}, gains, False),
        "same_seed": ({**tables, 2: tables[1]}, gains, False),
        "gain_keys": (tables, {1: -0.01, 2: 0.03}, False),
        "sign": (tables, {seed: -gain for seed, gain in gains.items()}, False),
        "wrong_column": (tables, {seed: -0.2 for seed in tables}, False),
        "percent": (tables, {seed: 100 * gain for seed, gain in gains.items()}, False),
        "gain_wrong": (tables, {**gains, 2: 0.0}, False),
        "not_bool": (tables, gains, "no"),
        "wins_disagrees": (tables, gains, True),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_3(*answer).mistake == mistake, mistake


def suspects_by_hand() -> Suspects:
    """Ten training rows, 1, 4 and 7 really flipped; ranked by loss 4, 1, 9, 7, 0, ... (three flagged)."""
    order = [4, 1, 9, 7, 0, 2, 3, 5, 6, 8]
    flipped = {1, 4, 7}
    table = pd.DataFrame({"text": [f"tweet {i}" for i in order], "given label": "neutral", "model says": "neutral",
                          "loss": np.linspace(3.0, 0.1, len(order)), "really flipped": [i in flipped for i in order]},
                         index=order)
    return Suspects(table, flagged=3, precision=2 / 3, recall=2 / 3, flip_rate=0.3)


def test_exercise_4_clean_then_retrain(data):
    suspects = suspects_by_hand()
    noise = pd.DataFrame({"flipped share": [0.0, 0.3, 0.5], "flipped rows": [0, 3, 5],
                          "test accuracy": [0.60, 0.50, 0.40]})
    keep = [0, 2, 3, 5, 6, 7, 8]
    assert check.exercise_4(..., ..., ..., noise, suspects, data).status == "not attempted"
    assert check.exercise_4(keep, 0.56, 0.06, noise, suspects, data).status == "correct"
    wrong = {
        "not_rows": ([0, 0, 2, 3], 0.56, 0.06),
        "kept_flagged": ([1, 4, 9], 0.56, 0.06),
        "lowest_loss": ([0, 1, 2, 3, 4, 7, 9], 0.56, 0.06),
        "dropped_flipped": ([0, 2, 3, 5, 6, 8, 9], 0.56, 0.06),
        "by_position": ([3, 4, 5, 6, 7, 8, 9], 0.56, 0.06),
        "wrong_rows": ([0, 2, 3, 5, 6, 7], 0.56, 0.06),
        "accuracy_percent": (keep, 56.0, 6.0),
        "sign": (keep, 0.56, -0.06),
        "vs_clean": (keep, 0.56, -0.04),
        "percent": (keep, 0.56, 6.0),
        "points_wrong": (keep, 0.56, 0.16),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_4(*answer, noise, suspects, data).mistake == mistake, mistake


@pytest.mark.slow
def test_exercise_4_reads_a_real_label_noise_run(pocket_profile):
    """A tiny real run at 0 % and 30 % flipped labels: its Suspects index the training rows by
    position, as the check reads them."""
    tiny = pitfalls.prepare(load_tweets(pocket_profile), pocket_profile, train_size=20, val_size=8, test_size=16)
    noise, suspects = pitfalls_data.label_noise_run(tiny, shares=(0.0, 0.3), train_size=20, epochs=1,
                                                    inspect_share=0.3)
    flagged = set(suspects.table.index[:suspects.flagged])
    keep = [i for i in range(20) if i not in flagged]
    noisy = noise.set_index("flipped share")["test accuracy"][0.3]
    assert check.exercise_4(keep, 0.5, 0.5 - noisy, noise, suspects, tiny).status == "correct"
    assert check.exercise_4(sorted(flagged), 0.5, 0.5 - noisy, noise, suspects, tiny).mistake == "kept_flagged"
