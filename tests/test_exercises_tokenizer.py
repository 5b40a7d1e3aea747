"""The checks of notebook 03's exercises (``course_utils.exercises.tokenizer``): the solution passes,
each likely mistake gets its own hint."""

import numpy as np
import pytest

from course_utils.data import load_tweets, make_subsets
from course_utils.exercises import tokenizer as check
from course_utils.exercises.tokenizer import MIN_CHARACTERS

NAME = "Ada Lovelace"
EMOJI_TWEET = "omg 😂😂😂 best night ever 🎉🙌🏽🦒 #blessed"


@pytest.fixture(scope="module")
def profile(pocket_profile):
    return pocket_profile  # tests/conftest.py's, shared with the other test files


@pytest.fixture(scope="module")
def tokenizer(pocket_tokenizer):
    return pocket_tokenizer  # course_utils.model.load_tokenizer: the pad token set to eos


@pytest.fixture(scope="module")
def subsets(profile):
    return make_subsets(load_tweets(profile), profile.train_size, profile.val_size, profile.test_size)


def count(tokenizer, text: str) -> int:
    return len(tokenizer(text)["input_ids"])


def test_exercise_1_your_name_and_emoji(tokenizer):
    emoji = ["😂", "🎉", "🙌🏽", "🦒"]
    tokens = {e: count(tokenizer, e) for e in emoji}
    name_tokens = count(tokenizer, NAME)
    assert name_tokens not in (len(NAME), len(NAME.split())), "pick a name whose counts differ"
    assert all(tokens[e] not in (len(e), len(e.encode())) for e in ("🎉", "😂")), "pick other emoji"
    answer = (NAME, name_tokens, EMOJI_TWEET, tokens)
    assert check.exercise_1(NAME, ..., EMOJI_TWEET, ..., tokenizer).status == "not attempted"
    assert check.exercise_1(*answer, tokenizer).status == "correct"
    wrong = {
        "not_text": (42, name_tokens, EMOJI_TWEET, tokens),
        "characters": (NAME, len(NAME), EMOJI_TWEET, tokens),
        "words": (NAME, len(NAME.split()), EMOJI_TWEET, tokens),
        "name_count": (NAME, name_tokens + 5, EMOJI_TWEET, tokens),
        "few_emoji": (NAME, name_tokens, "good night 🌙", {"🌙": count(tokenizer, "🌙")}),
        "not_in_tweet": (NAME, name_tokens, EMOJI_TWEET, {**tokens, "😍": count(tokenizer, "😍")}),
        "missing_emoji": (NAME, name_tokens, EMOJI_TWEET, {e: tokens[e] for e in emoji[:3]}),
        "bytes": (NAME, name_tokens, EMOJI_TWEET, {e: len(e.encode()) for e in emoji}),
        "emoji_count": (NAME, name_tokens, EMOJI_TWEET, {**tokens, "🦒": 9}),
        "unreadable": (NAME, name_tokens, EMOJI_TWEET, 3),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_1(*answer, tokenizer).mistake == mistake, mistake
    by_characters = check.exercise_1(NAME, name_tokens, EMOJI_TWEET, {e: len(e) for e in emoji}, tokenizer)
    assert by_characters.mistake == "characters"


def ratios(tokenizer, texts: list[str]) -> np.ndarray:
    return np.array([count(tokenizer, text) / len(text) for text in texts])


def test_exercise_2_tokens_per_character(tokenizer, subsets):
    texts = subsets["train"]["text"][:]
    per_character = ratios(tokenizer, texts)
    kept = [i for i, text in enumerate(texts) if len(text) >= MIN_CHARACTERS]
    most = texts[max(kept, key=per_character.__getitem__)]
    fewest = texts[min(kept, key=per_character.__getitem__)]
    overall_most = texts[int(per_character.argmax())]
    most_tokens = texts[max(kept, key=lambda i: count(tokenizer, texts[i]))]
    middle = texts[sorted(kept, key=per_character.__getitem__)[len(kept) // 2]]
    assert len(overall_most) < MIN_CHARACTERS and most_tokens != most, "pocket no longer tells these apart"
    assert check.exercise_2(..., ..., subsets, tokenizer).status == "not attempted"
    assert check.exercise_2(most, fewest, subsets, tokenizer).status == "correct"
    wrong = {
        "not_text": (texts.index(most), fewest),
        "wrong_split": (subsets["test"]["text"][0], fewest),
        "not_a_tweet": ("a tweet I made up", fewest),
        "swapped": (fewest, most),
        "short_tweets": (overall_most, fewest),
        "tokens_not_ratio": (most_tokens, fewest),
        "not_extreme": (middle, fewest),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_2(*answer, subsets, tokenizer).mistake == mistake, mistake
    assert check.exercise_2(most, middle, subsets, tokenizer).mistake == "not_extreme"


def dynamic_pads(lengths: list[int], size: int) -> int:
    chunks = [lengths[i:i + size] for i in range(0, len(lengths), size)]
    return sum(max(chunk) * len(chunk) - sum(chunk) for chunk in chunks)


def test_exercise_3_pad_tokens(tokenizer, subsets, profile):
    lengths = [len(ids) for ids in tokenizer(subsets["train"]["text"][:])["input_ids"]]
    positions, size, n = tokenizer.model_max_length, profile.train_batch_size, len(lengths)
    fixed = n * positions - sum(lengths)
    dynamic = dynamic_pads(lengths, size)
    assert check.exercise_3(..., ..., subsets, tokenizer, profile).status == "not attempted"
    assert check.exercise_3(fixed, dynamic, subsets, tokenizer, profile).status == "correct"
    assert check.exercise_3(float(fixed), np.int64(dynamic), subsets, tokenizer, profile).status == "correct"
    wrong = {
        "not_a_number": ("many", dynamic),
        "swapped": (dynamic, fixed),
        "positions_not_pads": (n * positions, dynamic),
        "profile_max_length": (n * profile.max_length - sum(lengths), dynamic),
        "per_tweet": (fixed / n, dynamic),
        "fixed_count": (fixed + 1, dynamic),
        "no_padding": (fixed, 0),
        "subset_longest": (fixed, n * max(lengths) - sum(lengths)),
        "sorted": (fixed, dynamic_pads(sorted(lengths), size)),
        "batch_size": (fixed, dynamic_pads(lengths, 8)),
        "dynamic_count": (fixed, dynamic + 1),
    }
    assert len({answer[1] for answer in wrong.values()} | {dynamic}) == 7, "pocket no longer tells these apart"
    for mistake, answer in wrong.items():
        assert check.exercise_3(*answer, subsets, tokenizer, profile).mistake == mistake, mistake
