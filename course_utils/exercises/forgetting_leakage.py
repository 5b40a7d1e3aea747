"""Checks for the exercises of notebook 08 (forgetting, leakage and data); see
:mod:`course_utils.exercises`.

Every exercise but the second trains, so no check trains again: a check reads the tables the
experiments returned (``pitfalls_lm.forgetting``, ``pitfalls_lm.starting_points``,
``split_overlap``, the :class:`~course_utils.pitfalls_data.Suspects` of ``flag_suspects``) and
recomputes from them what the answer should be.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from course_utils.exercises import Exercise, Outcome, attempted, check, is_yes_no, same_score
from course_utils.metrics import compare_accuracies, compare_over_seeds

FULL, LOWER_RATE = "full fine-tuning", "full fine-tuning, lr / 10"  # exercise 1's rows
PRETRAINED, ADAPTED = "pre-trained", "pre-trained + tweet LM"  # exercise 3's rows
DISGUISE = "@someone "  # exercise 2: "@someone " + text.lower()
KINDS = ("exact", "normalised")
NOISY_SHARE = 0.3  # exercise 4 cleans the training set with 30 % of its labels flipped


@check("08", 1)
def exercise_1(exercise: Exercise, gentle, forgets_less, accuracy_drop, data) -> Outcome:
    """Full fine-tuning at a tenth of the learning rate, against full fine-tuning, for forgetting."""
    if not attempted(gentle, forgets_less, accuracy_drop):
        return exercise.not_attempted("`gentle` (what pitfalls_lm.forgetting returns), `forgets_less` (True "
                                      "or False) and `accuracy_drop` (a number)")
    if not isinstance(gentle, pd.DataFrame):
        return exercise.hint("not_a_table", f"`gentle` is a {type(gentle).__name__}: give the table that "
                             "pitfalls_lm.forgetting returns.")
    if LOWER_RATE not in gentle.index:
        return exercise.hint("method_missing", f"`gentle` has the rows {list(gentle.index)}: add "
                             f"{LOWER_RATE!r} to the methods you pass to forgetting.")
    if FULL not in gentle.index:
        return exercise.hint("no_full_row", f"keep {FULL!r} in the methods: the lower rate is compared with "
                             "it, trained in the same call on the same tweets.")
    full, slow = gentle.loc[FULL], gentle.loc[LOWER_RATE]
    if slow["trainable parameters"] != full["trainable parameters"]:
        return exercise.hint("prepared", f"the lr / 10 row trains {slow['trainable parameters']:,} weights and "
                             f"full fine-tuning {full['trainable parameters']:,}: map the new method to None, so "
                             "that it trains every weight and only the rate changes.")
    if not is_yes_no(forgets_less):
        return exercise.hint("not_bool", "`forgets_less` is a yes/no answer: True or False.")
    if bool(forgets_less) != bool(slow["LM loss increase"] < full["LM loss increase"]):
        return exercise.hint("forgets_disagrees", "compare the probe perplexity (or the LM loss increase) of the "
                             "two rows: the lower one kept more of the language model.")
    drop = full["test accuracy"] - slow["test accuracy"]
    if not same_score(accuracy_drop, drop):
        if problem := exercise.difference_mistake(
                accuracy_drop, drop, "that is the lr / 10 accuracy minus full fine-tuning's; the drop is full "
                "fine-tuning's minus the lower rate's (negative if the lower rate scores higher)."):
            return problem
        if any(same_score(accuracy_drop, full[column] - slow[column])
               for column in ("probe perplexity", "probe LM loss")):
            return exercise.hint("wrong_column", "that is a difference on the probe; the drop is in the "
                                 "`test accuracy` column.")
        return exercise.hint("drop_wrong", "that is not full fine-tuning's test accuracy minus the lr / 10 one, "
                             "read from `gentle`.")
    verdict = compare_accuracies("test accuracy, lr / 10 vs full fine-tuning", slow["test accuracy"],
                                 full["test accuracy"], len(data.raw["test"]))
    columns = ["trainable parameters", "test accuracy", "probe perplexity", "LM loss increase"]
    return exercise.correct(f"the lower rate {'forgot less' if forgets_less else 'did not forget less'} and its "
                            f"accuracy moved by {-drop:+.3f}. A remedy is cheap when it keeps the language "
                            "model without costing accuracy beyond the noise.",
                            worked=f"{gentle[columns].round(3).to_string()}\n{verdict}")


@check("08", 2)
def exercise_2(exercise: Exercise, disguised, found, found_kind, leaked, data) -> Outcome:
    """Test tweets leaked into training in disguise: does split_overlap still find them, and how?"""
    if not attempted(disguised, found, found_kind):
        return exercise.not_attempted("`disguised` (the leaked tweets, changed), `found` (what split_overlap "
                                      "returns) and `found_kind` (\"exact\" or \"normalised\")")
    test_ids = set(data.raw["test"]["id"][:])
    leaked_ids, originals = list(leaked["id"][:]), list(leaked["text"][:])
    if not set(leaked_ids) <= test_ids:
        return exercise.hint("leaked_other_split", "`leaked` holds rows that are not in data.raw[\"test\"]: take "
                             "the tweets to leak from the test subset.")
    texts = list(disguised["text"][:])
    if texts != [DISGUISE + text.lower() for text in originals]:
        if texts == originals:
            return exercise.hint("not_disguised", "`disguised` holds the leaked tweets unchanged: change each "
                                 "text to \"@someone \" + text.lower().")
        return exercise.hint("disguise_wrong", "`disguised` is not the leaked tweets, in order, each changed to "
                             "\"@someone \" + text.lower(): keep the rows of `leaked` and change only the text.")
    if not isinstance(found, pd.DataFrame) or "test_id" not in found:
        return exercise.hint("not_overlap", f"`found` is a {type(found).__name__}: give the table that "
                             "split_overlap returns.")
    ours = found[found["test_id"].isin(leaked_ids)]
    if (ours["kind"] == "exact").sum() > len(leaked_ids) / 2:
        return exercise.hint("originals", "most leaked tweets are found as exact copies: the training side holds "
                             "the original tweets. Concatenate the training rows with `disguised` instead.")
    if len(ours) <= len(leaked_ids) / 2:
        return exercise.hint("not_leaked", f"`found` holds {len(ours)} of the {len(leaked_ids)} leaked tweets: "
                             "compare the training rows with `disguised` added (concatenate_datasets) against "
                             "data.raw[\"test\"].")
    counts = ours["kind"].value_counts()
    if found_kind not in KINDS:
        return exercise.hint("kind_word", f"`found_kind` is {found_kind!r}; answer with one of {KINDS}.")
    if found_kind != counts.idxmax():
        return exercise.hint("kind_disagrees", "count the `kind` of the rows of `found` whose `test_id` is one of "
                             "the leaked tweets.")
    missed = [text for row_id, text in zip(leaked_ids, originals, strict=True) if row_id not in set(ours["test_id"])]
    worked = f"  found, by kind: {counts.to_dict()}\n  missed: {len(missed)}" + "".join(
        f"\n    {text!r}" for text in missed[:3])
    return exercise.correct(f"{len(ours)} of the {len(leaked_ids)} disguised copies are found, most as "
                            f"{found_kind!r}: the finder lowercases and drops @mentions before it compares.",
                            worked=worked)


def _accuracy_gain(table: pd.DataFrame, column: str = "test accuracy") -> float:
    """Domain adaptation's change in ``column``: the adapted start minus the pre-trained one."""
    return float(table.loc[ADAPTED, column] - table.loc[PRETRAINED, column])


@check("08", 3)
def exercise_3(exercise: Exercise, seed_tables, gains, wins_every_time) -> Outcome:
    """Domain adaptation against the pre-trained start, over several seeds."""
    if not attempted(seed_tables, gains, wins_every_time):
        return exercise.not_attempted("`seed_tables` (seed -> what starting_points returns), `gains` (seed -> "
                                      "a difference of test accuracies) and `wins_every_time` (True or False)")
    if not isinstance(seed_tables, Mapping) or not {1, 2} <= set(seed_tables):
        keys = sorted(map(str, seed_tables)) if isinstance(seed_tables, Mapping) else type(seed_tables).__name__
        return exercise.hint("missing_seed", f"`seed_tables` has the keys {keys}: run starting_points with "
                             "seed=1 and seed=2, and key each table by its seed.")
    for seed, table in seed_tables.items():
        if not isinstance(table, pd.DataFrame) or not {PRETRAINED, ADAPTED} <= set(table.index):
            return exercise.hint("missing_start", f"the table of seed {seed} has no rows {PRETRAINED!r} and "
                                 f"{ADAPTED!r}: pass both in `starts` and keep the table starting_points returns.")
    if seed_tables[1].equals(seed_tables[2]):
        return exercise.hint("same_seed", "the tables of seeds 1 and 2 are identical: pass each seed to "
                             "starting_points (seed=...).")
    truth = {seed: _accuracy_gain(table) for seed, table in seed_tables.items()}
    if not isinstance(gains, Mapping) or set(gains) != set(truth):
        return exercise.hint("gain_keys", f"give `gains` with the same keys as `seed_tables`: {sorted(truth)}.")
    if not all(same_score(gains[seed], gain) for seed, gain in truth.items()):
        def all_match(values: dict) -> bool:
            return all(same_score(gains[seed], value) for seed, value in values.items())

        if all_match({seed: -gain for seed, gain in truth.items()}):
            return exercise.hint("sign", "those are the pre-trained accuracies minus the adapted ones; a gain is "
                                 "the adapted start's test accuracy minus the pre-trained start's.")
        if any(all_match({seed: _accuracy_gain(table, column) for seed, table in seed_tables.items()})
               for column in ("tweet LM loss", "probe LM loss")):
            return exercise.hint("wrong_column", "those are changes of an LM loss; the gain asked for is in the "
                                 "`test accuracy` column.")
        if all_match({seed: 100 * gain for seed, gain in truth.items()}):
            return exercise.hint("percent", "those are percentage points; give differences of accuracies "
                                 "between -1 and 1.")
        return exercise.hint("gain_wrong", "those gains do not match the tables: for each seed, subtract the "
                             f"test accuracy of {PRETRAINED!r} from that of {ADAPTED!r}.")
    if not is_yes_no(wins_every_time):
        return exercise.hint("not_bool", "`wins_every_time` is a yes/no answer: True or False.")
    wins = sum(gain > 0 for gain in truth.values())
    if bool(wins_every_time) != (wins == len(truth)):
        return exercise.hint("wins_disagrees", "look at the sign of each seed's gain: a win is a higher test "
                             "accuracy after domain adaptation.")
    verdict = compare_over_seeds("test accuracy, + tweet LM minus pre-trained", list(truth.values()))
    lines = [f"  seed {seed}: pre-trained {table.loc[PRETRAINED, 'test accuracy']:.3f}, + tweet LM "
             f"{table.loc[ADAPTED, 'test accuracy']:.3f} ({truth[seed]:+.3f})" for seed, table in seed_tables.items()]
    return exercise.correct(f"domain adaptation scored higher with {wins} of {len(truth)} seeds. One win or "
                            "loss says little; the mean gain against its spread over seeds says more.",
                            worked="\n".join([*lines, str(verdict)]))


def _dropped_problem(exercise: Exercise, keep, suspects) -> Outcome | None:
    """A hint when ``keep`` is not every training row but the ones ``flag_suspects`` flagged."""
    n, table = len(suspects.table), suspects.table
    kept = {int(row) for row in keep}
    if len(kept) != len(list(keep)) or not kept <= set(range(n)):
        return exercise.hint("not_rows", f"`keep` holds {len(list(keep))} values: give the positions (0 to "
                             f"{n - 1}) of the training rows you kept, each once.")
    dropped, flagged = set(range(n)) - kept, set(table.index[:suspects.flagged])
    if dropped == flagged:
        return None
    if kept == flagged:
        return exercise.hint("kept_flagged", "`keep` holds the flagged rows: keep every other row and drop those.")
    if dropped == set(table.index[-suspects.flagged:]):
        return exercise.hint("lowest_loss", "you dropped the rows with the lowest loss: the table is sorted highest "
                             "loss first, so the flagged rows are its first rows.")
    if dropped == set(table.index[table["really flipped"].to_numpy()]):
        return exercise.hint("dropped_flipped", "you dropped the rows whose labels were really flipped: outside this "
                             "experiment nobody knows them. Drop the rows the model flagged by their loss.")
    if dropped == set(range(suspects.flagged)):
        return exercise.hint("by_position", "you dropped the first rows of the training set: the flagged rows' "
                             "positions are the index of `suspects.table`.")
    return exercise.hint("wrong_rows", f"you dropped {len(dropped)} rows, not the {suspects.flagged} that "
                         "flag_suspects flagged (the first rows of `suspects.table`).")


@check("08", 4)
def exercise_4(exercise: Exercise, keep, cleaned_accuracy, points_back, noise, suspects, data) -> Outcome:
    """Drop the rows flagged as mislabelled, retrain, and measure the accuracy that comes back."""
    if not attempted(keep, cleaned_accuracy, points_back):
        return exercise.not_attempted("`keep` (the positions of the rows kept), `cleaned_accuracy` (a test "
                                      "accuracy) and `points_back` (a difference of accuracies)")
    problem = _dropped_problem(exercise, keep, suspects)
    if problem:
        return problem
    if not 0 <= float(cleaned_accuracy) <= 1:
        return exercise.hint("accuracy_percent", f"`cleaned_accuracy` is {cleaned_accuracy}: give the test "
                             "accuracy of the retrained model, between 0 and 1.")
    accuracy = noise.set_index("flipped share")["test accuracy"]
    clean, noisy = float(accuracy.loc[0.0]), float(accuracy.loc[NOISY_SHARE])
    back = float(cleaned_accuracy) - noisy
    if not same_score(points_back, back):
        if problem := exercise.difference_mistake(
                points_back, back, "that is the noisy model's accuracy minus the retrained one's; the points back "
                "are the retrained accuracy minus the noisy one."):
            return problem
        if same_score(points_back, float(cleaned_accuracy) - clean):
            return exercise.hint("vs_clean", "that compares with the model trained on clean labels; measure the "
                                 "points back from the model trained on 30 % flipped labels.")
        return exercise.hint("points_wrong", "`points_back` is not `cleaned_accuracy` minus the test accuracy "
                             "with 30 % flipped labels (read it from `noise`).")
    still = int(suspects.table.loc[sorted(int(row) for row in keep), "really flipped"].sum())
    lost = clean - noisy
    share = f"{back / lost:.0%} of the {lost:.3f} lost" if lost > 0 else f"nothing was lost ({lost:+.3f})"
    verdict = compare_accuracies("test accuracy, flagged rows dropped vs 30 % flipped", float(cleaned_accuracy),
                                 noisy, len(data.raw["test"]))
    worked = (f"  clean labels {clean:.3f} | 30 % flipped {noisy:.3f} | flagged rows dropped "
              f"{float(cleaned_accuracy):.3f}: {share}\n  {len(list(keep))} rows kept, {still} of them still "
              f"with a flipped label\n{verdict}")
    return exercise.correct(f"you dropped exactly the {suspects.flagged} flagged rows and measured "
                            f"{back:+.3f} against the noisy model.", worked=worked)
