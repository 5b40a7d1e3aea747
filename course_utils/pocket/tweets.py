"""Synthetic tweet-sentiment data: the text half of the embedded ``pocket`` bundle.

Every notebook of the course runs on this bundle when the Hub is out of reach (CI, no network,
stage backup), so this module builds the stand-in for ``mteb/tweet_sentiment_extraction``:
same columns (``id``, ``text``, ``label`` 0 negative / 1 neutral / 2 positive, ``label_text``),
same splits (train, test), similar class shares, lengths and messiness. The tweets come from
hand-written templates and word lists filled by :mod:`course_utils.pocket.textgen` with seeded
``random.Random`` streams: no global random state, no reliance on hash or set order, so every
run writes byte-identical files. It also writes unlabelled tweets and plain prose, used to
pre-train the bundle's tiny GPT-2 and to probe catastrophic forgetting.

The labels are learnable but not given away by single words: negation ("not bad" is positive,
"don't love it" negative), mixed tweets whose label follows the clause after "but", neutral
tweets that quote emotional words (titles, reviews, questions), feelings shown only by an emoji,
sarcasm, and about 3 % flipped labels.

Run ``python -m course_utils.pocket.tweets`` to rewrite the files and print their statistics.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from course_utils.pocket import (
    POCKET_DATA_DIR,
    POCKET_DATA_FILES,
    POCKET_GENERAL_FILE,
    POCKET_UNLABELLED_FILE,
    textgen,
)

LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")
# Shares of the Hub train split (7,781 / 11,118 / 8,582 of 27,481 rows).
CLASS_SHARES: tuple[float, float, float] = (0.283, 0.405, 0.312)
NOISE_RATE = 0.03  # share of non-empty rows whose label is flipped to another class
MAX_CHARS = textgen.MAX_CHARS
# The Hub train split has an empty text; the pocket one has three, at fixed relative positions.
EMPTY_TEXTS: tuple[str, str, str] = ("", " ", "   ")
EMPTY_POSITIONS: tuple[float, float, float] = (0.0523, 0.4711, 0.8366)


def _quota(n: int) -> list[int]:
    """Exactly ``n`` labels in the shares of CLASS_SHARES (not yet shuffled)."""
    negative, positive = round(n * CLASS_SHARES[0]), round(n * CLASS_SHARES[2])
    return [0] * negative + [1] * (n - negative - positive) + [2] * positive


def _make_split(
    n: int, rng: random.Random, noise_rng: random.Random, empty_at: tuple[int, ...]
) -> tuple[list[str], list[int], list[int]]:
    """Texts, clean labels and noisy labels of one split (empty texts at ``empty_at``)."""
    labels = _quota(n)
    rng.shuffle(labels)
    for pos in empty_at:  # empty rows are neutral, as on the Hub: swap with a neutral row
        if labels[pos] != 1:
            j = next(j for j in range(n) if labels[j] == 1 and j not in empty_at)
            labels[pos], labels[j] = labels[j], labels[pos]
    empties = dict(zip(empty_at, EMPTY_TEXTS, strict=False))
    texts = [empties[i] if i in empties else textgen.tweet(rng, labels[i]) for i in range(n)]
    candidates = [i for i in range(n) if i not in empties]
    noisy = list(labels)
    for i in sorted(noise_rng.sample(candidates, round(NOISE_RATE * len(candidates)))):
        noisy[i] = noise_rng.choice([c for c in range(3) if c != labels[i]])
    return texts, labels, noisy


def _build(
    n_train: int, n_test: int, seed: int
) -> tuple[dict[str, list[dict]], dict[str, list[int]]]:
    """The dataset and, per split, the labels before noise (for reports and tests)."""
    id_rng, seen = random.Random(f"pocket-ids:{seed}"), set()
    data, clean = {}, {}
    for split, n in (("train", n_train), ("test", n_test)):
        blanks = split == "train" and n >= 10
        empty_at = tuple(int(f * n) for f in EMPTY_POSITIONS) if blanks else ()
        texts, labels, noisy = _make_split(
            n,
            random.Random(f"pocket-{split}:{seed}"),
            random.Random(f"pocket-noise-{split}:{seed}"),
            empty_at,
        )
        rows = []
        for text, label in zip(texts, noisy, strict=True):
            row_id = f"{id_rng.getrandbits(40):010x}"
            while row_id in seen:
                row_id = f"{id_rng.getrandbits(40):010x}"
            seen.add(row_id)
            rows.append({"id": row_id, "text": text, "label": label, "label_text": LABELS[label]})
        data[split], clean[split] = rows, labels
    return data, clean


def make_dataset(
    n_train: int = 6000, n_test: int = 1500, seed: int = 2024
) -> dict[str, list[dict]]:
    """Build the pocket tweet-sentiment dataset used by every notebook in the pocket profile.

    Returns ``{"train": rows, "test": rows}``; each row is ``{"id", "text", "label",
    "label_text"}`` like ``mteb/tweet_sentiment_extraction`` (label 0 negative, 1 neutral,
    2 positive). Class shares follow the Hub data, about 3 % of labels are flipped, and the
    train split holds exactly three empty or blank texts (when ``n_train`` >= 10), at fixed
    relative positions. Deterministic: the same arguments always give the same rows.
    """
    return _build(n_train, n_test, seed)[0]


def make_unlabelled_tweets(n: int = 20000, seed: int = 7) -> list[str]:
    """Tweets from the same generator on another random stream, without labels or empty texts.

    Part of the pocket bundle: pre-training text (causal LM) for its tiny GPT-2.
    """
    rng = random.Random(f"pocket-unlabelled:{seed}")
    weighted = tuple((label, round(1000 * share)) for label, share in enumerate(CLASS_SHARES))
    return [textgen.tweet(rng, textgen.pick(rng, weighted)) for _ in range(n)]


def make_general_text(n: int = 4000, seed: int = 11) -> list[str]:
    """Plain English prose (nature, science, invented history, cooking, towns, daily life).

    Part of the pocket bundle: pre-training text for its tiny GPT-2 and the "general text"
    probe that measures catastrophic forgetting after fine-tuning on tweets. One or two
    grammatical sentences per item, from :mod:`course_utils.pocket.prose_words`; no repeats.
    """
    rng = random.Random(f"pocket-general:{seed}")
    out, seen = [], set()
    while len(out) < n:
        text = textgen.prose_item(rng)
        if text not in seen:  # the set is only asked, never iterated: order stays seeded
            seen.add(text)
            out.append(text)
    return out


def bag_of_words_score(train: list[dict], test: list[dict]) -> float:
    """Test accuracy of a bag-of-words logistic regression (CountVectorizer, default settings).

    A difficulty check for the pocket data: far below 1 means single words do not give the
    label away. Rows with an empty or blank text are skipped.
    """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    train = [r for r in train if r["text"].strip()]
    test = [r for r in test if r["text"].strip()]
    vectorizer = CountVectorizer()
    features = vectorizer.fit_transform([r["text"] for r in train])
    with threadpool_limits(limits=1):  # one thread: parallel OpenMP crawls on a busy 2-core box
        model = LogisticRegression(max_iter=2000).fit(features, [r["label"] for r in train])
    predicted = model.predict(vectorizer.transform([r["text"] for r in test]))
    return float(
        sum(int(p == r["label"]) for p, r in zip(predicted, test, strict=True)) / len(test)
    )


def write_pocket_data(out_dir: Path = POCKET_DATA_DIR) -> dict[str, Path]:
    """Write the pocket bundle's text files into ``out_dir`` (byte-identical on every run).

    ``train.jsonl`` and ``test.jsonl`` (one JSON object per line: id, text, label, label_text),
    ``unlabelled_tweets.txt`` and ``general_text.txt`` (one text per line). Returns the paths
    by name: ``train``, ``test``, ``unlabelled``, ``general``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {split: out_dir / Path(POCKET_DATA_FILES[split]).name for split in ("train", "test")}
    paths["unlabelled"] = out_dir / POCKET_UNLABELLED_FILE.name
    paths["general"] = out_dir / POCKET_GENERAL_FILE.name
    for split, rows in make_dataset().items():
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in rows]
        paths[split].write_text("".join(lines), encoding="utf-8", newline="\n")
    for name, texts in (("unlabelled", make_unlabelled_tweets()), ("general", make_general_text())):
        if any("\n" in t or "\r" in t for t in texts):
            raise ValueError(f"{name}: a text holds a line break")
        paths[name].write_text("".join(t + "\n" for t in texts), encoding="utf-8", newline="\n")
    return paths


def main() -> None:
    """Write the pocket text files and print their statistics."""
    start = time.perf_counter()
    paths = write_pocket_data()
    data, clean = _build(6000, 1500, 2024)
    elapsed = time.perf_counter() - start
    for split, rows in data.items():
        n = len(rows)
        shares = " / ".join(
            f"{LABELS[c]} {sum(r['label'] == c for r in rows) / n:.1%}" for c in range(3)
        )
        flipped = sum(r["label"] != c for r, c in zip(rows, clean[split], strict=True)) / n
        texts = [r["text"] for r in rows if r["text"].strip()]
        print(
            f"{split}: {n} rows, {n - len(texts)} empty, {shares}, noise {flipped:.1%}, "
            f"mean {sum(map(len, texts)) / len(texts):.1f} chars, "
            f"unique {len(set(texts)) / len(texts):.1%}"
        )
    print(
        f"bag-of-words logistic regression accuracy on test: "
        f"{bag_of_words_score(data['train'], data['test']):.3f}"
    )
    for path in paths.values():
        print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    print(f"generated in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
