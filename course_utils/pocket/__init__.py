"""The embedded ``pocket`` bundle: synthetic tweets and a tiny pre-trained GPT-2.

Both are made by code in this package (``python -m course_utils pocket build``) and shipped
inside it, so that every notebook runs offline in seconds through the same calls used for
``gpt2`` and the Hub dataset (``load_dataset``, ``from_pretrained(folder)``).
"""

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
