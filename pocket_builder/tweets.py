"""Synthetic tweet-sentiment data: the text half of the embedded ``pocket`` bundle.

Every notebook of the course runs on this bundle when the Hub is out of reach (CI, no network,
stage backup), so this module builds the stand-in for ``mteb/tweet_sentiment_extraction``:
same columns (``id``, ``text``, ``label`` 0 negative / 1 neutral / 2 positive, ``label_text``),
same splits (train, test), similar class shares, lengths and messiness. The tweets come from
:mod:`pocket_builder.tweet_kinds` with seeded ``random.Random`` streams: no global random
state, no reliance on hash or set order, so every run writes byte-identical files. It also
writes unlabelled tweets from the same generator, used to pre-train the bundle's tiny GPT-2.

Most labels need reading order (negation scope, "but", sarcasm, questions, reported feelings,
diminishers, emoticons, emotional titles); ambiguous tweets, written alike whatever their
label, are the label noise. The generator never writes a text twice, in or across the splits and
the unlabelled tweets, even after lower-casing and normalising spaces and apostrophes; then
:func:`scrape_damage` copies a few labelled texts onto other rows, as a real scrape has them
(exact duplicates, train/test overlaps, a text with two labels), so that notebook 02's quality
checks find something and their remedy changes a number. The unlabelled tweets are drawn
against the undamaged texts, so the damage never touches the model's pre-training text.

Run ``python -m pocket_builder.tweets`` to rewrite the files and print their statistics.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from course_utils.pocket import POCKET_DATA_DIR, POCKET_DATA_FILES, POCKET_UNLABELLED_FILE
from course_utils.schema import LABELS
from pocket_builder import measure, tweet_kinds
from pocket_builder.measure import normalise

# Shares of the Hub train split (7,781 / 11,118 / 8,582 of 27,481 rows).
CLASS_SHARES: tuple[float, float, float] = (0.283, 0.405, 0.312)
MAX_CHARS = tweet_kinds.MAX_CHARS
# The Hub train split has an empty text; the pocket one has three, at fixed relative positions.
EMPTY_TEXTS: tuple[str, str, str] = ("", " ", "   ")
EMPTY_POSITIONS: tuple[float, float, float] = (0.0523, 0.4711, 0.8366)
# Scrape damage (see scrape_damage): training texts copied onto another training row of the same
# label, onto a test row of the same label (half of them in capitals: near-copies), and onto a
# training row of another label.
DAMAGE: dict[str, int] = {"duplicates": 6, "overlaps": 8, "conflicts": 4}


def _quota(n: int) -> list[int]:
    """Exactly ``n`` labels in the shares of CLASS_SHARES (not yet shuffled)."""
    negative, positive = round(n * CLASS_SHARES[0]), round(n * CLASS_SHARES[2])
    return [0] * negative + [1] * (n - negative - positive) + [2] * positive


def _unique_tweet(rng: random.Random, label: int, seen: set[str]) -> str:
    """A tweet of class ``label`` whose normalised text is not in ``seen`` (then added to it)."""
    while True:
        text = tweet_kinds.tweet(rng, label)
        key = normalise(text)
        if key not in seen:  # the set is only asked, never iterated: order stays seeded
            seen.add(key)
            return text


def _make_split(n: int, rng: random.Random, empty_at: tuple[int, ...], seen: set[str]) -> tuple[list[str], list[int]]:
    """Texts and labels of one split (empty texts at ``empty_at``)."""
    labels = _quota(n)
    rng.shuffle(labels)
    for pos in empty_at:  # empty rows are neutral, as on the Hub: swap with a neutral row
        if labels[pos] != 1:
            j = next(j for j in range(n) if labels[j] == 1 and j not in empty_at)
            labels[pos], labels[j] = labels[j], labels[pos]
    empties = dict(zip(empty_at, EMPTY_TEXTS, strict=False))
    texts = [empties[i] if i in empties else _unique_tweet(rng, labels[i], seen) for i in range(n)]
    return texts, labels


def scrape_damage(data: dict[str, list[dict]], seed: int = 2024) -> dict[str, list[dict]]:
    """A copy of ``data`` with the few faults a real scrape has, at seeded rows (:data:`DAMAGE`).

    Each fault copies the text of a training row (a *source*, never itself changed) onto another
    row (a *target*, used once): ``duplicates`` onto a training row with the same label (an exact
    duplicate), ``overlaps`` onto a test row with the same label (every second one in capitals, a
    near-copy that normalising finds), ``conflicts`` onto a training row with another label (one
    text, two labels). Targets keep their id and label, so sizes and class counts do not change.
    """
    rng = random.Random(f"pocket-damage:{seed}")
    damaged = {split: [dict(row) for row in rows] for split, rows in data.items()}
    train, test = damaged["train"], damaged["test"]
    usable = [i for i, row in enumerate(train) if row["text"].strip()]
    order = rng.sample(usable, len(usable))
    n_sources = sum(DAMAGE.values())
    sources, candidates = order[:n_sources], order[n_sources:]
    test_candidates = rng.sample(range(len(test)), len(test))
    kinds = [kind for kind, n in DAMAGE.items() for _ in range(n)]
    for number, (kind, source) in enumerate(zip(kinds, sources, strict=True)):
        text, label = train[source]["text"], train[source]["label"]
        pool, rows = (test_candidates, test) if kind == "overlaps" else (candidates, train)
        same = kind != "conflicts"
        target = next(i for i in pool if (rows[i]["label"] == label) == same)
        pool.remove(target)
        rows[target]["text"] = text.upper() if kind == "overlaps" and number % 2 else text
    return damaged


def make_dataset(n_train: int = 6000, n_test: int = 1500, seed: int = 2024,
                 damage: bool = True) -> dict[str, list[dict]]:
    """Build the pocket tweet-sentiment dataset used by every notebook in the pocket profile.

    Returns ``{"train": rows, "test": rows}``; each row is ``{"id", "text", "label",
    "label_text"}`` like ``mteb/tweet_sentiment_extraction`` (label 0 negative, 1 neutral,
    2 positive). Class shares follow the Hub data; the train split holds exactly three empty or
    blank texts (when ``n_train`` >= 10), at fixed relative positions. With ``damage``, the
    faults of :func:`scrape_damage` are added. Deterministic.
    """
    id_rng, ids, seen = random.Random(f"pocket-ids:{seed}"), set(), set()
    data = {}
    for split, n in (("train", n_train), ("test", n_test)):
        empty_at = tuple(int(f * n) for f in EMPTY_POSITIONS) if split == "train" and n >= 10 else ()
        texts, labels = _make_split(n, random.Random(f"pocket-{split}:{seed}"), empty_at, seen)
        rows = []
        for text, label in zip(texts, labels, strict=True):
            row_id = f"{id_rng.getrandbits(40):010x}"
            while row_id in ids:
                row_id = f"{id_rng.getrandbits(40):010x}"
            ids.add(row_id)
            rows.append({"id": row_id, "text": text, "label": label, "label_text": LABELS[label]})
        data[split] = rows
    return scrape_damage(data, seed) if damage else data


def read_pocket_data(data_dir: Path = POCKET_DATA_DIR) -> dict[str, list[dict]]:
    """The shipped train and test rows, as :func:`make_dataset` returns them."""
    return {split: [json.loads(line)
                    for line in (Path(data_dir) / Path(path).name).read_text(encoding="utf-8").splitlines()]
            for split, path in POCKET_DATA_FILES.items()}


def make_unlabelled_tweets(n: int = 40000, seed: int = 7, exclude: set[str] | None = None) -> list[str]:
    """Tweets from the same generator on another random stream, without labels or empty texts.

    Part of the pocket bundle: pre-training text (causal LM) for its tiny GPT-2. ``exclude``
    holds normalised texts (:func:`normalise`) that must not come out, such as the labelled ones.
    """
    rng = random.Random(f"pocket-unlabelled:{seed}")
    seen = set(exclude or ())
    weighted = tuple((label, share) for label, share in enumerate(CLASS_SHARES))
    return [_unique_tweet(rng, tweet_kinds.G.pick(rng, weighted), seen) for _ in range(n)]


def write_pocket_data(out_dir: Path = POCKET_DATA_DIR) -> dict[str, Path]:
    """Write the pocket bundle's tweet files into ``out_dir`` (byte-identical on every run).

    ``train.jsonl`` and ``test.jsonl`` (one JSON object per line: id, text, label, label_text)
    and ``unlabelled_tweets.txt`` (one text per line). Returns the paths by name: ``train``,
    ``test``, ``unlabelled``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {split: out_dir / Path(POCKET_DATA_FILES[split]).name for split in ("train", "test")}
    paths["unlabelled"] = out_dir / POCKET_UNLABELLED_FILE.name
    undamaged = make_dataset(damage=False)
    for split, rows in scrape_damage(undamaged).items():
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in rows]
        paths[split].write_text("".join(lines), encoding="utf-8", newline="\n")
    labelled = {normalise(r["text"]) for rows in undamaged.values() for r in rows}
    unlabelled = make_unlabelled_tweets(exclude=labelled)
    if any("\n" in t or "\r" in t for t in unlabelled):
        raise ValueError("unlabelled: a text holds a line break")
    paths["unlabelled"].write_text("".join(t + "\n" for t in unlabelled), encoding="utf-8", newline="\n")
    return paths


def main() -> None:
    """Write the pocket tweet files and print their statistics."""

    start = time.perf_counter()
    paths = write_pocket_data()
    elapsed = time.perf_counter() - start
    data = make_dataset()
    print(json.dumps(measure.data_report(data), indent=2))
    for path in paths.values():
        print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    print(f"generated in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
