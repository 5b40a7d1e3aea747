"""The checks of notebook 04's exercises (``course_utils.exercises.model``): the solution passes,
each likely mistake gets its own hint. Every model here is the pocket model, loaded, never trained."""

import pytest
import torch
from transformers import GPT2ForSequenceClassification, set_seed

from course_utils.data import load_tweets, make_subsets
from course_utils.exercises import model as check
from course_utils.model import freeze_all_but_top, load_classifier, quiet_library_output


@pytest.fixture(scope="module")
def profile(pocket_profile):
    quiet_library_output()
    return pocket_profile  # tests/conftest.py's, shared with the other test files


@pytest.fixture(scope="module")
def tokenizer(pocket_tokenizer):
    return pocket_tokenizer  # course_utils.model.load_tokenizer: the pad token set to eos


def load_binary(profile):
    set_seed(42)
    return GPT2ForSequenceClassification.from_pretrained(profile.model, num_labels=2, output_loading_info=True)


def test_exercise_1_two_labels(profile, tokenizer):
    binary, info = load_binary(profile)
    shape, new = tuple(binary.score.weight.shape), sorted(info["missing_keys"])
    assert check.exercise_1(binary, ..., ..., ).status == "not attempted"
    assert check.exercise_1(binary, shape, new).status == "correct"
    assert check.exercise_1(binary, binary.score.weight.shape, info["missing_keys"]).status == "correct"
    three = load_classifier(profile.model, tokenizer)
    wrong = {
        "pair": ((binary, info), shape, new),
        "not_a_model": (info, shape, new),
        "num_labels": (three, tuple(three.score.weight.shape), new),
        "transposed": (binary, shape[::-1], new),
        "three_labels": (binary, tuple(three.score.weight.shape), new),
        "count_not_shape": (binary, binary.score.weight.numel(), new),
        "wrong_shape": (binary, (shape[0], shape[1] + 1), new),
        "none_new": (binary, shape, []),
        "module_name": (binary, shape, ["score"]),
        "not_a_weight": (binary, shape, ["lm_head.weight"]),
        "pretrained_listed": (binary, shape, [name for name, _ in binary.named_parameters()]),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_1(*answer).mistake == mistake, mistake


def head_only(profile, tokenizer, keep=lambda name: name.startswith("score")):
    """A fresh classifier whose parameters train only where ``keep(name)``."""
    model = load_classifier(profile.model, tokenizer)
    for name, parameter in model.named_parameters():
        parameter.requires_grad = keep(name)
    return model


def test_exercise_2_train_only_the_head(profile, tokenizer):
    model = head_only(profile, tokenizer)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    share = trainable / total
    assert check.exercise_2(model, ..., ...).status == "not attempted"
    assert check.exercise_2(model, trainable, share).status == "correct"
    assert check.exercise_2(model, trainable, round(share, 7)).status == "correct"
    wrong = {
        "not_a_model": (trainable, trainable, share),
        "nothing_frozen": (load_classifier(profile.model, tokenizer), trainable, share),
        "head_frozen": (head_only(profile, tokenizer, keep=lambda name: False), trainable, share),
        "partly_frozen": (freeze_all_but_top(load_classifier(profile.model, tokenizer), 1), trainable, share),
        "total": (model, total, share),
        "frozen_count": (model, total - trainable, share),
        "tensors": (model, 1, share),
        "wrong_count": (model, trainable + 1, share),
        "percent": (model, trainable, 100 * share),
        "frozen_share": (model, trainable, 1 - share),
        "wrong_share": (model, trainable, share / 2),
    }
    for mistake, answer in wrong.items():
        assert check.exercise_2(*answer).mistake == mistake, mistake


@pytest.fixture(scope="module")
def tweets(profile, tokenizer):
    """The notebook's three short test tweets, longest first."""
    subsets = make_subsets(load_tweets(profile), profile.train_size, profile.val_size, profile.test_size)
    short = [t for t in subsets["test"]["text"][:] if len(t) <= 40][:3]
    ordered = sorted(short, key=lambda t: len(tokenizer(t)["input_ids"]), reverse=True)
    lengths = [len(tokenizer(t)["input_ids"]) for t in ordered]
    assert lengths[0] > lengths[-1], "the three tweets must need padding"
    return ordered


def pad(tokenizer, texts, side: str):
    tokenizer.padding_side = side
    try:
        return tokenizer(texts, padding=True, return_tensors="pt")
    finally:
        tokenizer.padding_side = "right"


def test_exercise_3_left_padding(profile, tokenizer, tweets):
    model = load_classifier(profile.model, tokenizer).eval()
    left = pad(tokenizer, tweets, "left")
    positions = torch.arange(left["input_ids"].shape[1])
    read = (positions * (left["input_ids"] != tokenizer.pad_token_id)).argmax(-1).tolist()
    with torch.no_grad():
        alone = model(**tokenizer(tweets[-1:], return_tensors="pt")).logits[0]
        same = torch.allclose(alone, model(**left).logits[-1], atol=1e-4)
    assert check.exercise_3(left, ..., ..., model, tokenizer, tweets).status == "not attempted"
    assert check.exercise_3(left, read, same, model, tokenizer, tweets).status == "correct"
    real_minus_one = [int(m.sum()) - 1 for m in left["attention_mask"]]
    wrong = {
        "other_tweets": (pad(tokenizer, tweets[::-1], "left"), read, same),
        "right_padded": (pad(tokenizer, tweets, "right"), read, same),
        "right_rule": (left, real_minus_one, same),
        "one_based": (left, [position + 1 for position in read], same),
        "wrong_positions": (left, [0, 0, 0], same),
        "not_bool": (left, read, "yes"),
        "scores_disagree": (left, read, not same),
    }
    assert real_minus_one != read
    for mistake, answer in wrong.items():
        assert check.exercise_3(*answer, model, tokenizer, tweets).mistake == mistake, mistake
    assert not model.training, "the check leaves the model in the mode it found it"
