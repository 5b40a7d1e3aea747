"""Checks for the exercises of notebook 01 (a pre-trained language model); see
:mod:`course_utils.exercises`.

A few-shot run takes minutes, so no check repeats one: a check reads the predictions and examples
that ``few_shot_accuracy`` returned, recomputes accuracies from the labels, and runs the model on
one prompt at most (a next-token table, the scores of one tweet).
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises import Exercise, Outcome, attempted, check, is_yes_no, same_score
from course_utils.language_model import few_shot_prompt, label_log_probs, next_token_table
from course_utils.metrics import compare_accuracies
from course_utils.schema import LABELS

SHOT_COUNTS = (0, 3, 9)  # exercise 1's values of k
EXERCISE_1_TWEETS = 100  # exercise 1's n
OTHER_SPLITS = ("validation", "train")  # where a score meant for the test subset may come from
SCORE_TOLERANCE = 1e-3  # log-probabilities recomputed on the same device agree far closer


def _first_labels(subsets, split: str, n: int) -> np.ndarray:
    return np.asarray(subsets[split][:n]["label"])


def _scored_split(predictions, accuracy: float, subsets) -> str | None:
    """The subset (test first) whose first labels give ``accuracy`` for ``predictions``."""
    predictions = np.asarray(predictions)
    for split in ("test", *OTHER_SPLITS):
        labels = _first_labels(subsets, split, len(predictions))
        if len(labels) == len(predictions) and same_score(accuracy, float(np.mean(predictions == labels))):
            return split
    return None


def _shot_texts(result: dict) -> list[str]:
    return [text for text, _ in result["shots"]]


@check("01", 1)
def exercise_1(exercise: Exercise, results_by_k, accuracy_moves, dominant_words, subsets) -> Outcome:
    """Few-shot prompting with k = 0, 3 and 9 examples on the first 100 test tweets."""
    if not attempted(results_by_k, accuracy_moves, dominant_words):
        return exercise.not_attempted("`results_by_k` (k -> what few_shot_accuracy returns), "
                                      "`accuracy_moves` (True or False), `dominant_words` (k -> a word)")
    if sorted(results_by_k) != list(SHOT_COUNTS):
        return exercise.hint("missing_k", f"`results_by_k` has the keys {sorted(results_by_k)}; the "
                             "exercise asks for one run per k in 0, 3 and 9, keyed by k.")
    if not all(isinstance(result, dict) for result in results_by_k.values()):
        return exercise.hint("accuracy_only", "give the whole dict that few_shot_accuracy returns for "
                             "each k (with its predictions and examples), not only its accuracy.")
    n = min(EXERCISE_1_TWEETS, len(subsets["test"]))
    train_texts, test_texts = set(subsets["train"]["text"][:]), set(subsets["test"]["text"][:])
    for k, result in results_by_k.items():
        shots = set(_shot_texts(result))
        if len(result["shots"]) != k:
            return exercise.hint("wrong_k", f"the run under the key {k} has {len(result['shots'])} "
                                 f"examples in its prompt: pass k={k} to few_shot_accuracy.")
        if shots and shots <= test_texts and not shots <= train_texts:
            return exercise.hint("shots_from_test", f"the examples in the k={k} prompt are test tweets: "
                                 "take them from subsets[\"train\"], so that the tweets scored stay unseen.")
        if len(result["predictions"]) != n:
            return exercise.hint("wrong_n", f"the k={k} run scored {len(result['predictions'])} tweets; "
                                 f"the exercise asks for n=100 (here {n}), the same tweets for every k.")
        split = _scored_split(result["predictions"], result["accuracy"], subsets)
        if split != "test":
            where = f"matches the labels of the {split} subset" if split else "matches no subset's labels"
            return exercise.hint("wrong_split", f"the k={k} accuracy {where}, not those of the first "
                                 "tweets of subsets[\"test\"]: score the test subset.")
    accuracy = {k: float(result["accuracy"]) for k, result in results_by_k.items()}
    verdict = compare_accuracies("9 shots vs 0 shots", accuracy[9], accuracy[0], n)
    if not is_yes_no(accuracy_moves):
        return exercise.hint("not_bool", "`accuracy_moves` is a yes/no answer: True or False.")
    if bool(accuracy_moves) != (verdict.outcome != "within noise"):
        return exercise.hint("moves_disagrees", f"your runs score {accuracy[0]:.3f} with 0 examples and "
                             f"{accuracy[9]:.3f} with 9, on {n} tweets: compare them with "
                             "compare_accuracies and answer from its outcome.")
    if sorted(dominant_words) != list(SHOT_COUNTS):
        return exercise.hint("missing_k", f"`dominant_words` has the keys {sorted(dominant_words)}; give "
                             "one word per k in 0, 3 and 9.")
    for k, word in dominant_words.items():
        chosen = results_by_k[k]["chosen"]
        if not isinstance(word, str):
            return exercise.hint("label_number", f"{word!r} is not a word: give the label word itself, "
                                 "as the keys of result[\"chosen\"] spell it.")
        if chosen.get(word) != max(chosen.values()):
            return exercise.hint("not_dominant", f"{word!r} is not the word chosen most often with k={k}: "
                                 "read how often each word was chosen in that run.")
    table = "\n".join(f"  k={k}: accuracy {accuracy[k]:.3f} | chosen {results_by_k[k]['chosen']}"
                      for k in SHOT_COUNTS)
    return exercise.correct(f"three runs on the same {n} test tweets with 0, 3 and 9 examples from the "
                            "train subset; your two answers agree with them.", worked=f"{table}\n{verdict}")


@check("01", 2)
def exercise_2(exercise: Exercise, result_words, changed_share, result) -> Outcome:
    """Few-shot prompting with other label words, tweet by tweet against the notebook's ``result``."""
    if not attempted(result_words, changed_share):
        return exercise.not_attempted("`result_words` (what few_shot_accuracy returns with the new "
                                      "words) and `changed_share` (a number between 0 and 1)")
    words, names = list(result_words["chosen"]), list(result["chosen"])
    if words == names:
        return exercise.hint("default_words", f"`result_words` chose among {', '.join(words)}, the same "
                             "words as `result`: pass the new words to few_shot_accuracy.")
    n = len(result["predictions"])
    if len(result_words["predictions"]) != n:
        return exercise.hint("different_tweets", f"`result_words` scored {len(result_words['predictions'])} "
                             f"tweets and `result` {n}: use the same test tweets and n, so that the "
                             "answers can be compared tweet by tweet.")
    if _shot_texts(result_words) != _shot_texts(result):
        return exercise.hint("different_shots", "the examples in the prompt differ from those of `result`: "
                             "keep k and the seed as they were, so that only the label words change.")
    old, new = np.asarray(result["predictions"]), np.asarray(result_words["predictions"])
    changed = int((old != new).sum())
    share = changed / n
    if not same_score(changed_share, share):
        if changed_share == changed:
            return exercise.hint("count_not_share", f"{changed_share} is a number of tweets; give it as a "
                                 f"share of the {n} tweets scored.")
        if same_score(changed_share, 100 * share):
            return exercise.hint("percent", "that is a percentage; give the share between 0 and 1.")
        if same_score(changed_share, abs(result_words["accuracy"] - result["accuracy"])):
            return exercise.hint("accuracy_change", "that is how much the accuracy moved. The exercise "
                                 "asks for the share of tweets whose answer changed: two runs with the "
                                 "same accuracy can still answer differently.")
        return exercise.hint("wrong_share", "that share does not match the two runs: compare the answers "
                             "(the class numbers in `predictions`) of the two results, tweet by tweet.")
    verdict = compare_accuracies(f"{'/'.join(words)} vs {'/'.join(names)}", result_words["accuracy"],
                                 result["accuracy"], n)
    worked = "\n".join(f"  {'/'.join(r['chosen'])}: accuracy {r['accuracy']:.3f} | chosen {r['chosen']}"
                       for r in (result, result_words))
    return exercise.correct(f"{changed} of {n} answers ({share:.0%}) change when only the label words "
                            "change.", worked=f"{worked}\n{verdict}")


@check("01", 3)
def exercise_3(exercise: Exercise, my_prompt, my_table, my_figure, greedy_text, sampled_text,
               model, tokenizer) -> Outcome:
    """A next-token chart and a greedy and a sampled continuation of the student's own prompt."""
    answers = (my_prompt, my_table, my_figure, greedy_text, sampled_text)
    if not attempted(*answers):
        return exercise.not_attempted("`my_prompt`, `my_table`, `my_figure`, `greedy_text` and "
                                      "`sampled_text`")
    if not all(isinstance(text, str) for text in (my_prompt, greedy_text, sampled_text)):
        return exercise.hint("not_text", "`my_prompt`, `greedy_text` and `sampled_text` are strings: "
                             "decode the ids that generate returns with tokenizer.decode.")
    truth = next_token_table(model, tokenizer, my_prompt, k=len(my_table))
    if list(my_table["token"]) != list(truth["token"]):
        return exercise.hint("table_other_prompt", "`my_table` is not the next-token table of `my_prompt`: "
                             "build it for your own prompt, not for PROMPT.")
    from matplotlib.figure import Figure

    if not isinstance(my_figure, Figure) or not my_figure.axes:
        return exercise.hint("no_figure", f"`my_figure` is a {type(my_figure).__name__}, not a chart: "
                             "keep the figure that plot_next_tokens returns.")
    title = my_figure.axes[0].get_title()
    if my_prompt not in title and repr(my_prompt) not in title:
        return exercise.hint("figure_other_prompt", f"the chart's title is {title!r}: draw the chart of "
                             "your own table and prompt.")
    prompt_ids = tokenizer(my_prompt)["input_ids"]
    prefix = tokenizer.decode(prompt_ids, skip_special_tokens=True)
    for name, text in (("greedy_text", greedy_text), ("sampled_text", sampled_text)):
        if not text.startswith(prefix):
            return exercise.hint("other_prompt", f"`{name}` does not start with your prompt: generate from "
                                 "the tokens of `my_prompt` (the notebook's `inputs` hold PROMPT).")
    if greedy_text == sampled_text:
        return exercise.hint("not_sampled", "the two continuations are the same text: the sampled one "
                             "draws each token at random (do_sample=True).")
    top = truth["token"][0]
    whole = top not in tokenizer.all_special_tokens and "\ufffd" not in top  # not a piece of a character
    if whole and not greedy_text.startswith(prefix + top):
        return exercise.hint("not_greedy", "the greedy continuation does not start with the top token of "
                             "your table: greedy decoding always takes the most likely token "
                             "(do_sample=False).")
    return exercise.correct(f"the greedy text adds {top!r} first, the top of your table "
                            f"({truth['probability'][0]:.1%}); the sampled text differs from it.")


@check("01", 4)
def exercise_4(exercise: Exercise, prior, raw, accuracy, improves, model, tokenizer, shots,
               subsets) -> Outcome:
    """Calibration: the scores after an empty tweet subtracted from every tweet's scores."""
    if not attempted(prior, raw, accuracy, improves):
        return exercise.not_attempted("`prior` (three scores), `raw` (tweets x 3 scores), `accuracy` "
                                      "(a dict: raw, calibrated) and `improves` (True or False)")
    prior, raw = np.asarray(prior, dtype=float), np.asarray(raw, dtype=float)
    if prior.shape != (len(LABELS),):
        return exercise.hint("prior_shape", f"`prior` has the shape {prior.shape}: it is one score per "
                             "label word, three numbers.")
    if raw.ndim != 2 or raw.shape[1] != len(LABELS) or not 0 < len(raw) <= len(subsets["test"]):
        return exercise.hint("raw_shape", f"`raw` has the shape {raw.shape}: one row per tweet scored and "
                             "one column per label word, so that raw - prior calibrates every row.")
    truth_prior = label_log_probs(model, tokenizer, few_shot_prompt(shots, ""))
    if not np.allclose(prior, truth_prior, atol=SCORE_TOLERANCE):
        return _prior_hint(exercise, prior, raw, truth_prior)

    def first_scores(split: str) -> np.ndarray:
        return label_log_probs(model, tokenizer, few_shot_prompt(shots, subsets[split][0]["text"]))

    if not np.allclose(raw[0], first_scores("test"), atol=SCORE_TOLERANCE):
        other = next((split for split in OTHER_SPLITS if len(subsets[split])
                      and np.allclose(raw[0], first_scores(split), atol=SCORE_TOLERANCE)), None)
        if other:
            return exercise.hint("wrong_split", f"the first row of `raw` scores the first tweet of the "
                                 f"{other} subset: score the tweets of `scored`, the first test tweets.")
        return exercise.hint("raw_other", "the first row of `raw` is not the scores of the first test "
                             "tweet with `shots`: score every tweet of `scored`, in order, with them.")
    labels = _first_labels(subsets, "test", len(raw))
    truth = {"raw": float(np.mean(raw.argmax(axis=1) == labels)),
             "calibrated": float(np.mean((raw - prior).argmax(axis=1) == labels))}
    if sorted(accuracy) != sorted(truth):
        return exercise.hint("accuracy_keys", f"`accuracy` has the keys {sorted(accuracy)}; give a dict "
                             "with the keys 'raw' and 'calibrated'.")
    if not all(same_score(accuracy[key], truth[key]) for key in truth):
        added = float(np.mean((raw + prior).argmax(axis=1) == labels))
        return _accuracy_hint(exercise, accuracy, truth, added)
    n = len(raw)
    verdict = compare_accuracies("calibrated vs raw", truth["calibrated"], truth["raw"], n)
    if not is_yes_no(improves):
        return exercise.hint("not_bool", "`improves` is a yes/no answer: True or False.")
    if bool(improves) != (verdict.outcome == "higher"):
        return exercise.hint("improves_disagrees", f"on your {n} tweets the accuracy goes from "
                             f"{truth['raw']:.3f} to {truth['calibrated']:.3f}: compare the two with "
                             "compare_accuracies and answer from its outcome.")
    chosen = {name: dict(zip(LABELS, np.bincount(scores.argmax(axis=1), minlength=len(LABELS)).tolist(),
                             strict=True))
              for name, scores in (("raw", raw), ("calibrated", raw - prior))}
    worked = "\n".join([f"  empty-tweet scores: {dict(zip(LABELS, prior.round(2).tolist(), strict=True))}",
                        *(f"  {name:>10}: accuracy {truth[name]:.3f} | chosen {chosen[name]}"
                          for name in truth), str(verdict)])
    return exercise.correct(f"`prior` is the empty tweet's scores and both accuracies match your {n} "
                            "rows of scores.", worked=worked)


def _prior_hint(exercise: Exercise, prior: np.ndarray, raw: np.ndarray, truth_prior) -> Outcome:
    """Exercise 4's hint when ``prior`` is not the empty tweet's scores."""
    if any(np.allclose(prior, row, atol=SCORE_TOLERANCE) for row in raw):
        return exercise.hint("prior_from_tweet", "`prior` equals the scores of one of your tweets: "
                             "score a prompt whose tweet is empty.")
    if np.allclose(prior, np.exp(truth_prior), atol=SCORE_TOLERANCE):
        return exercise.hint("probabilities", "`prior` holds probabilities; the tweets' scores are "
                             "log-probabilities, and calibration subtracts the same kind of number.")
    return exercise.hint("prior_other", "`prior` is not the three scores after an empty tweet with "
                         "the notebook's `shots`: use the same examples as for the tweets.")


def _accuracy_hint(exercise: Exercise, accuracy, truth: dict[str, float], added: float) -> Outcome:
    """Exercise 4's hint when the two accuracies do not match the scores (``added``: the accuracy
    with ``prior`` added instead of subtracted)."""
    if all(same_score(accuracy[key], 100 * truth[key]) for key in truth):
        return exercise.hint("percent", "those are percentages; give accuracies between 0 and 1.")
    if same_score(accuracy["raw"], truth["calibrated"]) and same_score(accuracy["calibrated"], truth["raw"]):
        return exercise.hint("swapped", "your two accuracies are swapped: 'raw' is the accuracy "
                             "before subtracting `prior`.")
    if same_score(accuracy["raw"], truth["raw"]) and same_score(accuracy["calibrated"], added):
        return exercise.hint("added_prior", "your calibrated accuracy adds `prior` to the scores; "
                             "calibration removes the preference, so it subtracts.")
    return exercise.hint("accuracy_wrong", "your accuracies do not match `raw`: the answer for a "
                         "tweet is the label word with the highest score in its row, compared with "
                         "the label of the same tweet.")
