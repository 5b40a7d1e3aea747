"""Inputs far over the model's length: truncated, never an index error deep in the model."""

import torch

from course_utils.model import load_classifier
from course_utils.training import tokenize_dataset


def test_texts_far_over_max_length_are_truncated(pocket_splits, pocket_tokenizer, pocket_profile):
    long_text = "sooo tired of waiting for the bus again " * 400  # ~3,600 tokens, 1,024 positions
    data = pocket_splits["test"].select(range(2)).map(lambda row, i: {"text": long_text if i == 0 else row["text"]},
                                                      with_indices=True)
    tokenized = tokenize_dataset(data, pocket_tokenizer, max_length=pocket_profile.max_length)
    assert len(tokenized[0]["input_ids"]) == pocket_profile.max_length
    model = load_classifier(pocket_profile.model, pocket_tokenizer)
    full = pocket_tokenizer([long_text], truncation=True, return_tensors="pt")  # model_max_length: 1,024
    assert full["input_ids"].shape[1] == 1024
    with torch.no_grad():
        assert model(**full).logits.shape == (1, 3)
