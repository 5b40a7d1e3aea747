"""Checks for the exercises of notebook 03 (the tokenizer); see :mod:`course_utils.exercises`.

Each check tokenises what it needs again (a name, a few emoji, the train subset's tweets: well
under a second with GPT-2's fast tokenizer) and compares the answer with that count.
"""

from __future__ import annotations

import math
import re

import numpy as np

from course_utils.exercises import Exercise, Outcome, attempted, check

# One emoji as a reader sees it: a pictograph, maybe with the emoji variation selector and a skin
# tone, maybe joined to more by zero-width joiners (the families, the professions).
_PICTOGRAPH = "[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]\ufe0f?[\U0001f3fb-\U0001f3ff]?"
EMOJI = re.compile(f"{_PICTOGRAPH}(?:\u200d{_PICTOGRAPH})*")
MIN_EMOJI = 3  # exercise 1's "at least three emoji"
MIN_CHARACTERS = 20  # exercise 2 leaves shorter tweets out: one odd word decides their ratio


def _count(tokenizer, text: str) -> int:
    return len(tokenizer(text)["input_ids"])


@check("03", 1)
def exercise_1(exercise: Exercise, my_name, name_tokens, emoji_tweet, emoji_tokens, tokenizer) -> Outcome:
    """Your name and a tweet with emoji: how many tokens each costs."""
    if not attempted(my_name, name_tokens, emoji_tweet, emoji_tokens):
        return exercise.not_attempted("`my_name` and `emoji_tweet` (strings), `name_tokens` (a number) and "
                                      "`emoji_tokens` (emoji -> number of tokens)")
    if not isinstance(my_name, str) or not isinstance(emoji_tweet, str) or not my_name.strip():
        return exercise.hint("not_text", "`my_name` and `emoji_tweet` are texts: put them in quotes.")
    truth = _count(tokenizer, my_name)
    if name_tokens != truth:
        if name_tokens == len(my_name):
            return exercise.hint("characters", f"{name_tokens} is the number of characters of your name; "
                                 "count its tokens (the rows of token_table).")
        if name_tokens == len(my_name.split()):
            return exercise.hint("words", f"{name_tokens} is the number of words of your name; a word can "
                                 "take several tokens: count the rows of token_table.")
        return exercise.hint("name_count", f"your name does not take {name_tokens} tokens: count the rows "
                             "of token_table(tokenizer, my_name).")
    found = EMOJI.findall(emoji_tweet)
    if len(found) < MIN_EMOJI:
        return exercise.hint("few_emoji", f"the check finds {len(found)} emoji in `emoji_tweet`; write a "
                             f"tweet with at least {MIN_EMOJI}.")
    emoji_tokens = dict(emoji_tokens)
    outside = [key for key in emoji_tokens if key not in emoji_tweet]
    if outside:
        return exercise.hint("not_in_tweet", f"{outside[0]!r} is not in `emoji_tweet`: count the emoji of "
                             "your own tweet.")
    missing = [emoji for emoji in dict.fromkeys(found) if not any(emoji[0] in key for key in emoji_tokens)]
    if missing:
        return exercise.hint("missing_emoji", f"`emoji_tokens` has no count for {missing[0]}: give one per "
                             "emoji of the tweet.")
    for emoji, answer in emoji_tokens.items():
        if answer in (_count(tokenizer, emoji), _count(tokenizer, " " + emoji)):
            continue
        if answer == len(emoji.encode("utf-8")):
            return exercise.hint("bytes", f"{answer} is the number of UTF-8 bytes of {emoji}; the exercise asks "
                                 "for its tokens (merged bytes: often fewer).")
        if answer == len(emoji):
            return exercise.hint("characters", f"{answer} is the number of Python characters of {emoji}; "
                                 "tokenise it and count the tokens.")
        return exercise.hint("emoji_count", f"{emoji} does not take {answer} tokens: tokenise it on its own "
                             "and count the ids.")
    rows = [f"  {my_name!r}: {truth} token(s) {tokenizer.convert_ids_to_tokens(tokenizer(my_name)['input_ids'])}"]
    rows += [f"  {emoji}: {len(emoji.encode('utf-8'))} bytes, {_count(tokenizer, emoji)} token(s)"
             for emoji in emoji_tokens]
    return exercise.correct("every count matches the tokenizer. An emoji whose bytes were frequent in the text "
                            "the vocabulary was learned from became one token; the others stay in pieces of "
                            "bytes. A name the vocabulary rarely saw splits into pieces the same way.",
                            worked="\n".join(rows))


def _extreme_hint(exercise: Exercise, name: str, answer: str, texts: list[str], counts: np.ndarray,
                  highest: bool) -> Outcome | None:
    """The hint for a train tweet that is not the extreme ``name`` asks for (None if it is): the most
    tokens per character when ``highest``, else the fewest, over the tweets of MIN_CHARACTERS or more."""
    ratios = counts / np.array([max(len(text), 1) for text in texts])
    kept = np.array([len(text) >= MIN_CHARACTERS for text in texts])
    index = texts.index(answer)
    pick, other = (np.max, np.min) if highest else (np.min, np.max)
    if np.isclose(ratios[index], pick(ratios[kept])):
        return None
    if np.isclose(ratios[index], other(ratios[kept])):
        return exercise.hint("swapped", f"`{name}` costs the {'fewest' if highest else 'most'} tokens per "
                             "character: the two answers are the wrong way round.")
    if len(answer) < MIN_CHARACTERS:
        return exercise.hint("short_tweets", f"`{name}` has {len(answer)} characters; leave out the tweets "
                             f"shorter than {MIN_CHARACTERS}.")
    if counts[index] == pick(counts[kept]):
        return exercise.hint("tokens_not_ratio", f"`{name}` is the tweet with the {'most' if highest else 'fewest'}"
                             " tokens; divide each tweet's tokens by its characters.")
    return exercise.hint("not_extreme", f"`{name}` costs {ratios[index]:.2f} tokens per character; another "
                         f"tweet of {MIN_CHARACTERS} characters or more costs {'more' if highest else 'less'}.")


@check("03", 2)
def exercise_2(exercise: Exercise, most_expensive, cheapest, subsets, tokenizer) -> Outcome:
    """The train subset's tweets (20 characters or more) with the most and the fewest tokens per character."""
    if not attempted(most_expensive, cheapest):
        return exercise.not_attempted("`most_expensive` and `cheapest` (two tweets of the train subset)")
    answers = {"most_expensive": most_expensive, "cheapest": cheapest}
    texts = list(subsets["train"]["text"][:])
    for name, answer in answers.items():
        if not isinstance(answer, str):
            return exercise.hint("not_text", f"`{name}` is not text (its type is {type(answer).__name__}); give "
                                 "the tweet itself.")
        if answer not in texts:
            split = next((s for s in subsets if s != "train" and answer in set(subsets[s]["text"][:])), None)
            where = f"a tweet of the {split} subset" if split else "not a tweet of the train subset"
            return exercise.hint("wrong_split" if split else "not_a_tweet", f"`{name}` is {where}: look in "
                                 "subsets[\"train\"], and copy the text from the data.")
    counts = np.array([len(ids) for ids in tokenizer(texts)["input_ids"]])
    for highest, (name, answer) in zip((True, False), answers.items(), strict=True):
        hint = _extreme_hint(exercise, name, answer, texts, counts, highest)
        if hint:
            return hint
    n_kept = sum(len(text) >= MIN_CHARACTERS for text in texts)
    worked = "\n".join(f"  {name}: {len(tokenizer(text)['input_ids']) / len(text):.2f} tokens per character, "
                       f"{tokenizer.convert_ids_to_tokens(tokenizer(text)['input_ids'])}"
                       for name, text in answers.items())
    return exercise.correct(f"the extremes of the {n_kept:,} train tweets of {MIN_CHARACTERS} characters or "
                            "more. Compare their tokens below: where does the expensive one break words into "
                            "short pieces (capitals, links, names, emoji, misspellings)?", worked=worked)


def _dynamic_pads(lengths: np.ndarray, batch_size: int) -> int:
    """Pad tokens when ``lengths`` are cut into batches of ``batch_size`` in order, each padded to its longest."""
    starts = np.arange(0, len(lengths), batch_size)
    longest = np.maximum.reduceat(lengths, starts)
    sizes = np.diff(np.append(starts, len(lengths)))
    return int((longest * sizes).sum() - lengths.sum())


def _fixed_hint(exercise: Exercise, answer, lengths: np.ndarray, positions: int, profile) -> Outcome:
    n = len(lengths)
    if answer == n * positions:
        return exercise.hint("positions_not_pads", f"{answer:,} counts every position of the {n:,} padded "
                             "tweets, the real tokens too; count only the pad tokens.")
    if answer == n * profile.max_length - lengths.sum():
        return exercise.hint("profile_max_length", f"that pads to profile.max_length ({profile.max_length}); "
                             "padding=\"max_length\" with no max_length pads to tokenizer.model_max_length.")
    if math.isclose(float(answer), positions - lengths.mean(), abs_tol=0.5):
        return exercise.hint("per_tweet", f"{answer:,.1f} is the padding of one tweet, on average; the exercise "
                             "asks for the whole train subset.")
    return exercise.hint("fixed_count", "that is not the number of pad tokens that padding every train "
                         "tweet to tokenizer.model_max_length positions adds.")


def _dynamic_hint(exercise: Exercise, answer, lengths: np.ndarray, batch_size: int) -> Outcome:
    if answer == 0:
        return exercise.hint("no_padding", "dynamic padding still pads: each batch to its own longest tweet.")
    if answer == len(lengths) * lengths.max() - lengths.sum():
        return exercise.hint("subset_longest", "that pads every tweet to the longest of the whole subset; "
                             "dynamic padding pads each batch to its own longest tweet.")
    if answer == _dynamic_pads(np.sort(lengths), batch_size):
        return exercise.hint("sorted", "that count comes from batches of tweets sorted by length; take the "
                             "batches in the subset's order.")
    other = next((size for size in range(2, len(lengths) + 1)
                  if size != batch_size and answer == _dynamic_pads(lengths, size)), None)
    if other:
        return exercise.hint("batch_size", f"that is the count for batches of {other} tweets; use "
                             f"profile.train_batch_size ({batch_size}).")
    return exercise.hint("dynamic_count", f"that is not the number of pad tokens of batches of {batch_size} "
                         "train tweets, in order, each padded to its longest tweet.")


@check("03", 3)
def exercise_3(exercise: Exercise, pads_fixed, pads_dynamic, subsets, tokenizer, profile) -> Outcome:
    """Pad tokens over the train subset: ``padding="max_length"`` against dynamic padding."""
    if not attempted(pads_fixed, pads_dynamic):
        return exercise.not_attempted("`pads_fixed` and `pads_dynamic` (two numbers of pad tokens)")
    for name, answer in (("pads_fixed", pads_fixed), ("pads_dynamic", pads_dynamic)):
        if not isinstance(answer, int | float | np.number) or isinstance(answer, bool):
            return exercise.hint("not_a_number", f"`{name}` is not a number (its type is "
                                 f"{type(answer).__name__}); give a number of pad tokens.")
    texts = subsets["train"]["text"][:]
    untruncated = np.array([len(ids) for ids in tokenizer(texts)["input_ids"]])
    positions = tokenizer.model_max_length
    # The notebook's `tokenized` is cut at profile.max_length; a fresh tokenizer call is not: both count.
    variants = [np.minimum(untruncated, positions), np.minimum(untruncated, profile.max_length)]
    batch_size = profile.train_batch_size
    fixed = [int(len(lengths) * positions - lengths.sum()) for lengths in variants]
    dynamic = [_dynamic_pads(lengths, batch_size) for lengths in variants]
    if pads_fixed in dynamic and pads_dynamic in fixed:
        return exercise.hint("swapped", "the two counts are the wrong way round: `pads_fixed` is for "
                             "padding=\"max_length\".")
    if pads_fixed not in fixed:
        return _fixed_hint(exercise, pads_fixed, variants[0], positions, profile)
    if pads_dynamic not in dynamic:
        return _dynamic_hint(exercise, pads_dynamic, variants[fixed.index(pads_fixed)], batch_size)
    real = int(variants[0].sum())
    starts = np.arange(0, len(variants[0]), batch_size)
    width = float(np.maximum.reduceat(variants[0], starts).mean())
    worked = (f"  real tokens: {real:,}\n"
              f"  padding=\"max_length\": {int(pads_fixed):,} pad tokens ({pads_fixed / real:.0f} per real token)\n"
              f"  dynamic, batches of {batch_size}: {int(pads_dynamic):,} ({pads_dynamic / real:.2f} per real token)")
    return exercise.correct(f"both counts match the {len(texts):,} train tweets. Dynamic padding still pads "
                            f"each batch to its longest tweet: {width:.0f} positions on average here, against "
                            f"{positions:,} for every tweet.", worked=worked)
