"""The embedded ``pocket`` bundle: where its files are, and how its text files are read.

The synthetic tweets and the tiny pre-trained GPT-2 are made by ``pocket_builder`` (a folder
beside this package, not installed with it: ``python -m pocket_builder build``) and shipped
here, so that every notebook runs offline in seconds through the same calls used for ``gpt2``
and the Hub dataset (``load_dataset``, ``from_pretrained(folder)``). Notebook 02 introduces it.
"""

from __future__ import annotations

import random
from pathlib import Path

POCKET_DIR = Path(__file__).resolve().parent
POCKET_DATA_DIR = POCKET_DIR / "data"
POCKET_MODEL_DIR = POCKET_DIR / "model"
POCKET_DATA_FILES = {
    "train": str(POCKET_DATA_DIR / "train.jsonl"),
    "test": str(POCKET_DATA_DIR / "test.jsonl"),
}
# Unlabelled text for causal-LM pre-training: tweets from the generator, and English passages
# from Debian's fortunes package (see data/english_SOURCE.md), some held out as the
# catastrophic-forgetting probe.
POCKET_UNLABELLED_FILE = POCKET_DATA_DIR / "unlabelled_tweets.txt"
POCKET_ENGLISH_FILE = POCKET_DATA_DIR / "english_text.txt"
PROBE_PASSAGES = 400  # English passages held out of pre-training: notebook 08's forgetting probe


def read_lines(path: Path) -> list[str]:
    """The non-empty lines of a UTF-8 text file."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def held_out_split(passages: list[str], n_held_out: int = PROBE_PASSAGES) -> tuple[list[str], list[str]]:
    """``(train, held_out)``: ``n_held_out`` passages chosen with ``random.Random("pocket-english")``
    held out for the English-perplexity probe, the rest for training; both keep the input order
    and no position is in both."""
    if not 0 < n_held_out < len(passages):
        raise ValueError(f"cannot hold out {n_held_out} of {len(passages)} passages")
    chosen = set(random.Random("pocket-english").sample(range(len(passages)), n_held_out))
    train = [passage for index, passage in enumerate(passages) if index not in chosen]
    return train, [passages[index] for index in sorted(chosen)]


def pretraining_texts() -> tuple[list[str], list[str], list[str]]:
    """``(corpus, english_probe, tweets)``: the pre-training corpus (English passages less the
    held-out ones, then the unlabelled tweets), the held-out English passages, the tweets."""
    unlabelled = read_lines(POCKET_UNLABELLED_FILE)
    train_english, held_out = held_out_split(read_lines(POCKET_ENGLISH_FILE))
    return train_english + unlabelled, held_out, unlabelled
