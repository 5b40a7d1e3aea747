"""Next-token tables and the few-shot prompting baseline on the pocket model."""

import numpy as np
import pytest
from transformers import AutoModelForCausalLM

from course_utils.language_model import (
    few_shot_accuracy,
    few_shot_prompt,
    label_log_probs,
    next_token_table,
    pick_shots,
    plot_next_tokens,
)


@pytest.fixture(scope="module")
def lm(pocket_profile):
    return AutoModelForCausalLM.from_pretrained(pocket_profile.model).eval()


def test_next_token_table_is_a_distribution(lm, pocket_tokenizer):
    table = next_token_table(lm, pocket_tokenizer, "so happy with my new", k=5)
    assert len(table) == 5
    assert (np.diff(table["probability"]) <= 0).all() and table["probability"].sum() <= 1
    assert plot_next_tokens(table, "so happy with my new").axes


def test_pretrained_lm_predicts_better_than_uniform(lm, pocket_tokenizer):
    top = next_token_table(lm, pocket_tokenizer, "Every Tuesday, a market fills the main", k=1)
    assert top["probability"].iloc[0] > 20 / len(pocket_tokenizer)


def test_few_shot_prompt_format():
    prompt = few_shot_prompt([("love it", "positive")], "hate it")
    assert prompt == "Tweet: love it\nSentiment: positive\n\nTweet: hate it\nSentiment:"


def test_label_log_probs_are_negative(lm, pocket_tokenizer):
    scores = label_log_probs(lm, pocket_tokenizer, few_shot_prompt([], "great day"))
    assert scores.shape == (3,) and (scores < 0).all()


def _brute_force(lm, tokenizer, prompt, word):
    """Log-probability of " word" after prompt from one full forward pass over both."""
    import torch

    prompt_ids, word_ids = tokenizer(prompt)["input_ids"], tokenizer(" " + word)["input_ids"]
    with torch.no_grad():
        logits = lm(input_ids=torch.tensor([prompt_ids + word_ids])).logits[0]
    log_probs = torch.log_softmax(logits.float(), dim=-1)
    return sum(log_probs[len(prompt_ids) - 1 + i, t].item() for i, t in enumerate(word_ids))


def test_label_log_probs_match_a_full_forward_pass(lm, pocket_tokenizer):
    prompt = few_shot_prompt([("love it", "positive")], "the bus was late")
    words = ("negative", "flabbergastedly", "positive")  # one token or several
    assert len(pocket_tokenizer(" flabbergastedly")["input_ids"]) > 1
    expected = [_brute_force(lm, pocket_tokenizer, prompt, w) for w in words]
    assert np.allclose(label_log_probs(lm, pocket_tokenizer, prompt, words), expected, atol=1e-4)


def test_pick_shots_covers_every_class(pocket_splits):
    shots = pick_shots(pocket_splits["train"], k=6)
    assert sorted(label for _, label in shots) == ["negative"] * 2 + ["neutral"] * 2 + ["positive"] * 2
    assert shots == pick_shots(pocket_splits["train"], k=6)


def test_few_shot_accuracy_counts(lm, pocket_tokenizer, pocket_splits):
    result = few_shot_accuracy(lm, pocket_tokenizer, pocket_splits["train"], pocket_splits["test"], k=3, n=12)
    labels = pocket_splits["test"]["label"][:12]
    assert len(result["predictions"]) == 12 and sum(result["chosen"].values()) == 12
    assert result["accuracy"] == pytest.approx(
        sum(p == y for p, y in zip(result["predictions"], labels, strict=True)) / 12)
    prompt = few_shot_prompt(pick_shots(pocket_splits["train"], k=3), pocket_splits["test"]["text"][0])
    assert result["predictions"][0] == int(np.argmax(label_log_probs(lm, pocket_tokenizer, prompt)))


def test_custom_label_words_in_shots_and_answers(lm, pocket_tokenizer, pocket_splits):
    words = ("bad", "okay", "good")
    shots = pick_shots(pocket_splits["train"], k=3, label_words=words)
    assert sorted(label for _, label in shots) == sorted(words)
    assert [t for t, _ in shots] == [t for t, _ in pick_shots(pocket_splits["train"], k=3)]
    result = few_shot_accuracy(lm, pocket_tokenizer, pocket_splits["train"], pocket_splits["test"],
                               k=3, n=6, label_words=words)
    assert set(result["chosen"]) == set(words) and sum(result["chosen"].values()) == 6
    with pytest.raises(ValueError, match="one word per class"):
        pick_shots(pocket_splits["train"], k=3, label_words=("bad", "good"))
