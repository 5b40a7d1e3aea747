"""What the pocket model knows, measured: the figures ``build_report.json`` records.

Run by :func:`pocket_builder.build.build_bundle` after pre-training, and on its own by
``python -m pocket_builder compare``. It measures the shipped bundle the way the course
uses it: perplexity on held-out English and on test tweets (beside a randomly initialised twin),
greedy continuations of a few prompts, and the course recipe (the ``pocket`` profile's
``finetune``) against TF-IDF + logistic regression on the same training tweets, from the
pre-trained weights and from random ones. The tests repeat the cheap parts on the shipped files.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

from course_utils.data import load_tweets
from course_utils.gpt2_tokenizer import load_gpt2_tokenizer
from course_utils.model import load_classifier, load_tokenizer
from course_utils.pocket import (
    POCKET_MODEL_DIR,
    POCKET_UNLABELLED_FILE,
    pretraining_texts,
    read_lines,
)
from course_utils.pretraining import lm_loss
from course_utils.profiles import get_profile
from course_utils.training import finetune, tokenize_dataset, training_arguments
from pocket_builder import measure, tweets
from pocket_builder.measure import bag_of_words_curve, shuffled_train

REPORT = "build_report.json"

PROMPTS = ("The best way to learn", "When I was young, my father", "The trouble with computers is",
           "Every morning the", "I can't believe the train")
FINETUNE_SIZES = (500, 1000, 4000)  # pre-trained weights, the course recipe
RANDOM_INIT_SIZES = (500,)  # the same recipe from random weights
VALIDATION_ROWS = 500  # the last rows of the shuffled train split: never in a training subset


def perplexities(model_dir: Path, english_probe: list[str], tweets: list[str]) -> dict[str, dict[str, float]]:
    """exp(mean next-token loss) on held-out English and on tweets, pre-trained vs random weights."""
    import torch
    from transformers import AutoTokenizer, GPT2LMHeadModel


    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    trained = GPT2LMHeadModel.from_pretrained(model_dir).eval()
    torch.manual_seed(0)
    untrained = GPT2LMHeadModel(trained.config).eval()
    return {name: {"pretrained": round(math.exp(lm_loss(trained, tokenizer, texts)), 1),
                   "random_init": round(math.exp(lm_loss(untrained, tokenizer, texts)), 1)}
            for name, texts in (("english_held_out", english_probe), ("pocket_test_tweets", tweets))}


def continuations(model_dir: Path, prompts: tuple[str, ...] = PROMPTS, new_tokens: int = 16) -> dict[str, str]:
    """Greedy continuations (no 3-gram repeated) of ``prompts``: does the model write English?"""
    from transformers import AutoTokenizer, GPT2LMHeadModel

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = GPT2LMHeadModel.from_pretrained(model_dir).eval()
    out = {}
    for prompt in prompts:
        ids = tokenizer(prompt, return_tensors="pt")
        generated = model.generate(**ids, max_new_tokens=new_tokens, do_sample=False, no_repeat_ngram_size=3,
                                   pad_token_id=tokenizer.eos_token_id)
        out[prompt] = tokenizer.decode(generated[0, ids["input_ids"].shape[1]:], skip_special_tokens=True)
    return out


def finetune_accuracy(model_dir: Path, train_rows: list[dict], validation_rows: list[dict],
                      test_rows: list[dict], random_init: bool = False, seed: int = 42) -> float:
    """Test accuracy of the course recipe (the pocket profile's ``finetune``) on these rows."""
    import torch
    from datasets import Dataset, DatasetDict
    from transformers import GPT2ForSequenceClassification


    profile = get_profile("pocket")
    tokenizer = load_tokenizer(str(model_dir))
    splits = DatasetDict(train=Dataset.from_list(train_rows), validation=Dataset.from_list(validation_rows),
                         test=Dataset.from_list(test_rows))
    tokenized = tokenize_dataset(splits, tokenizer, profile.max_length)
    model = load_classifier(str(model_dir), tokenizer, seed=seed)
    if random_init:
        torch.manual_seed(seed)
        model = GPT2ForSequenceClassification(model.config)
    with tempfile.TemporaryDirectory() as out:
        arguments = training_arguments(profile, out, logging_strategy="no", eval_strategy="no")
        trainer = finetune(model, tokenizer, tokenized["train"], tokenized["validation"], arguments)
        return round(trainer.evaluate(tokenized["test"], metric_key_prefix="test")["test_accuracy"], 3)


def language_model_vs_bag_of_words(model_dir: Path, data: dict[str, list[dict]]) -> dict[str, dict[int, float]]:
    """Fine-tuned (pre-trained and random weights) and TF-IDF + LR test accuracy, same subsets."""

    rows = shuffled_train(data["train"])
    validation = rows[-VALIDATION_ROWS:]
    sizes = sorted(set(FINETUNE_SIZES) | set(RANDOM_INIT_SIZES))
    return {
        "tfidf_logistic_regression": bag_of_words_curve(data["train"], data["test"], sizes),
        "finetuned_pretrained": {n: finetune_accuracy(model_dir, rows[:n], validation, data["test"])
                                 for n in FINETUNE_SIZES},
        "finetuned_random_init": {n: finetune_accuracy(model_dir, rows[:n], validation, data["test"], random_init=True)
                                  for n in RANDOM_INIT_SIZES},
    }


def hub_report(train_rows: int = 6000, test_rows: int = 1500) -> dict:
    """The data figures of the build report measured on the Hub tweets (``small`` profile's
    dataset and revision; needs the network or a cache): the column the pocket tweets imitate.

    ``python -m pocket_builder hub``. Uses a seeded sample of ``train_rows`` training and
    ``test_rows`` test tweets, the sizes of the pocket splits."""

    tweets = load_tweets(get_profile("small"))
    sample = {split: tweets[split].shuffle(seed=42).select(range(min(n, len(tweets[split])))).to_list()
              for split, n in (("train", train_rows), ("test", test_rows))}
    return measure.data_report(sample, tokenizer=load_gpt2_tokenizer())


def record(model_dir: Path = POCKET_MODEL_DIR) -> dict:
    """Measure the shipped bundle again and write the figures into its ``build_report.json``
    (``python -m pocket_builder compare``; after a change of the course recipe, say)."""

    path = Path(model_dir) / REPORT
    report = json.loads(path.read_text())
    report.update(measure_bundle(model_dir))
    path.write_text(json.dumps(report, indent=2) + "\n")
    return report


def measure_bundle(model_dir: Path = POCKET_MODEL_DIR, english_probe: list[str] | None = None) -> dict:
    """Every figure of the build report that needs the saved model and the shipped tweets."""

    if english_probe is None:
        english_probe = pretraining_texts()[1]
    data = tweets.read_pocket_data()
    test_texts = [r["text"] for r in data["test"] if r["text"].strip()]
    return {
        "data": measure.data_report(data, read_lines(POCKET_UNLABELLED_FILE), load_gpt2_tokenizer()),
        "perplexity": perplexities(model_dir, english_probe, test_texts[:1000]),
        "greedy_continuations": continuations(model_dir),
        "test_accuracy": language_model_vs_bag_of_words(model_dir, data),
    }
