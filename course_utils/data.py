"""The tweet data: loading, cleaning, hold-out and subsets, quality checks, plots.

Introduced in notebook 02 (the data notebook). The lesson's own calls, ``load_dataset(...)`` and
``.shuffle(seed=42).select(range(n))``, are shown in that notebook; these helpers wrap the same
calls so the later notebooks and the ``train`` command get identical data in one line.

Every split has the columns of :mod:`course_utils.schema`, whatever the source: the Hub dataset,
the embedded pocket files or your own files (read by :mod:`course_utils.local_files`). A little
over 300 lines: everything notebook 02 teaches about the data, in the order it teaches it.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from datasets import Dataset, DatasetDict, load_dataset

from course_utils.environment import sync_offline_switches
from course_utils.local_files import read_tweets
from course_utils.pocket import POCKET_DATA_FILES
from course_utils.profiles import Profile, get_profile
from course_utils.schema import FEATURES, ID2LABEL, LABELS, DataError, parse_label
from course_utils.schema import (
    LABEL2ID as LABEL2ID,  # re-exported: notebooks take the names from here
)


# --------------------------------------------------------------------------------- loading
def load_tweets(profile: Profile | None = None, data_files: str | Path | dict | None = None,
                test_data: str | Path | None = None, seed: int = 42) -> DatasetDict:
    """Load the tweets for ``profile`` (default: the active one), or your own files.

    ``data_files`` is a training file or ``{"train": ..., "test": ...}``; ``test_data`` is a test
    file (on its own it replaces the profile's test split). The result always has ``train`` and
    ``test`` splits in the course schema, without empty texts: with no test file, 20% of the
    training file is held out (:func:`holdout_split`, seeded by ``seed``). Prints one summary
    line per split.
    """
    if isinstance(data_files, dict):
        if "train" not in data_files or not set(data_files) <= {"train", "test"}:
            raise DataError(f"data_files needs a 'train' key and optionally 'test'; got {sorted(data_files)}.")
        data_files, test_data = data_files["train"], data_files.get("test", test_data)
    if data_files is not None:
        dataset = load_local(data_files, test_data)
    else:
        profile = profile or get_profile()
        dataset = load_pocket() if profile.data == "pocket" else load_hub(profile)
        if test_data is not None:
            dataset["test"] = _local_split(test_data, "test")
    dataset, dropped = drop_empty_texts(normalise_schema(dataset))
    for name, split in dataset.items():
        print(f"[data] {name}: {len(split):,} rows kept, {dropped[name]:,} dropped (empty or missing text)")
    if "test" not in dataset:
        print("[data] no test file: holding out 20% of train as the test split")
        dataset = holdout_split(dataset["train"], seed=seed)
    return dataset


def load_hub(profile: Profile) -> DatasetDict:
    """``load_dataset(profile.dataset, revision=profile.revision)``, with a clear offline error."""
    sync_offline_switches()
    try:
        return load_dataset(profile.dataset, revision=profile.revision)
    except OSError as error:  # ConnectionError, OfflineModeIsEnabled, not found, HTTP errors
        raise DataError(
            f"Could not load the dataset {profile.dataset} (revision {str(profile.revision)[:7]}) "
            f"from the Hugging Face Hub: {error}. Without a network it must already be in the "
            "local cache: run `python -m course_utils prefetch` once while online, or set "
            "COURSE_PROFILE=pocket to use the small embedded dataset."
        ) from None


def load_pocket() -> DatasetDict:
    """``load_dataset("json", data_files=POCKET_DATA_FILES)``: the embedded synthetic tweets."""
    missing = [path for path in POCKET_DATA_FILES.values() if not Path(path).is_file()]
    if missing:
        raise DataError(f"The pocket data files are missing: {', '.join(missing)}. "
                        "Rebuild them with `python -m pocket_builder build`.")
    return load_dataset("json", data_files=POCKET_DATA_FILES)


def load_local(train_file: str | Path, test_file: str | Path | None = None) -> DatasetDict:
    """Your own CSV / TSV / Parquet / JSON lines file(s) as a DatasetDict in the course schema.

    Accepts the course columns or the Kaggle "Tweet Sentiment Extraction" CSVs (see
    :mod:`course_utils.local_files`). With only ``train_file`` there is only a ``train`` split;
    :func:`holdout_split` makes the test split. Empty texts are kept (see :func:`drop_empty_texts`).
    """
    files = {"train": train_file} if test_file is None else {"train": train_file, "test": test_file}
    return DatasetDict({split: _local_split(path, split) for split, path in files.items()})


def _local_split(path: str | Path, split: str) -> Dataset:

    return Dataset.from_dict(read_tweets(path, split), features=FEATURES)


# --------------------------------------------------------------------------------- cleaning
def normalise_schema(ds: Dataset | DatasetDict) -> Dataset | DatasetDict:
    """Give every split exactly the columns ``id, text, label, label_text`` with the course types.

    Missing ``label`` is derived from ``label_text`` (and vice versa), a missing ``id`` is the
    row number; other columns are dropped. Labels outside 0..2 raise a :class:`DataError`.
    """
    if isinstance(ds, DatasetDict):
        return DatasetDict({name: _normalise_split(split, name) for name, split in ds.items()})
    return _normalise_split(ds, "dataset")


def _normalise_split(ds: Dataset, name: str) -> Dataset:
    columns = ds.column_names
    if "text" not in columns or ("label" not in columns and "label_text" not in columns):
        raise DataError(f"Split {name!r} has columns {columns}; expected id, text, label, label_text "
                        "(at least text and label or label_text).")
    source = "label" if "label" in columns else "label_text"
    label_is_int = source == "label" and ds.features["label"].dtype.startswith(("int", "uint"))
    if not label_is_int:
        unknown = sorted(repr(v) for v in ds.unique(source) if parse_label(v) is None)
        if unknown:
            raise DataError(f"Split {name!r}: unknown label value(s) in column {source!r}: "
                            f"{', '.join(unknown[:10])}. Allowed: {', '.join(LABELS)} or 0, 1, 2.")
    if not label_is_int or "label_text" not in columns or "id" not in columns:
        def fill(batch: dict, indices: list[int]) -> dict:
            labels = [parse_label(v) for v in batch[source]]
            return {"label": labels, "label_text": [ID2LABEL.get(label, "") for label in labels],
                    "id": batch["id"] if "id" in batch else [f"{name}-{i}" for i in indices]}
        ds = ds.map(fill, batched=True, with_indices=True)
    bad = sorted((v for v in ds.unique("label") if v not in ID2LABEL), key=str)
    if bad:
        raise DataError(f"Split {name!r}: label value(s) out of range: {bad}. "
                        "Allowed: 0 (negative), 1 (neutral), 2 (positive).")
    ds = ds.select_columns(list(FEATURES))
    return ds if ds.features == FEATURES else ds.cast(FEATURES)


def drop_empty_texts(dataset: DatasetDict) -> tuple[DatasetDict, dict[str, int]]:
    """Remove rows whose text is missing, empty or only spaces; returns the data and counts per split."""
    kept, dropped = {}, {}
    for name, split in dataset.items():
        keep = [i for i, text in enumerate(split["text"][:]) if isinstance(text, str) and text.strip()]
        dropped[name] = len(split) - len(keep)
        kept[name] = split.select(keep) if dropped[name] else split
    return DatasetDict(kept), dropped


# --------------------------------------------------------------------------------- splits
def holdout_split(dataset: Dataset, test_share: float = 0.2, seed: int = 42) -> DatasetDict:
    """Split one dataset into ``train`` / ``test``, stratified by label, seeded (deterministic)."""
    from sklearn.model_selection import train_test_split

    if not 0 < test_share < 1:
        raise DataError(f"test_share must be between 0 and 1 (exclusive); got {test_share}.")
    if len(dataset) < 2:
        raise DataError(f"Cannot hold out a test split from {len(dataset)} row(s); add more data.")
    rows, labels = np.arange(len(dataset)), np.asarray(dataset["label"][:])
    try:
        train_rows, test_rows = train_test_split(rows, test_size=test_share, random_state=seed,
                                                 stratify=labels)
        how = "stratified by label"
    except ValueError:  # some label has too few rows to stratify
        train_rows, test_rows = train_test_split(rows, test_size=test_share, random_state=seed)
        how = "random: too few rows of some label to stratify"
    print(f"[data] held out {len(test_rows):,} rows as test ({how}, seed {seed}); "
          f"{len(train_rows):,} rows left for training")
    return DatasetDict({"train": dataset.select(train_rows), "test": dataset.select(test_rows)})


def make_subsets(dataset: DatasetDict, train_size: int, val_size: int, test_size: int,
                 seed: int = 42) -> DatasetDict:
    """``train`` / ``validation`` / ``test`` subsets, reproducible for a given ``seed``.

    The train split is shuffled once: its first ``train_size`` rows are train, the next
    ``val_size`` rows validation (so the two never overlap). Test is
    ``dataset["test"].shuffle(seed=seed).select(range(test_size))``. Sizes larger than what is
    available are clipped, with a note.
    """
    for split in ("train", "test"):
        if split not in dataset:
            raise DataError(f"make_subsets needs a {split!r} split; the data has {list(dataset)}. "
                            "Make a test split with holdout_split(dataset['train']).")
        if len(dataset[split]) == 0:
            raise DataError(f"The {split!r} split is empty: there is nothing to sample from.")
    if min(train_size, test_size) < 1 or val_size < 0:
        raise DataError(f"Sizes must be positive; got train_size={train_size}, "
                        f"val_size={val_size}, test_size={test_size}.")
    pool = dataset["train"].shuffle(seed=seed)
    if val_size > 0 and len(pool) < 2:
        raise DataError(f"The train split has {len(pool)} row: too few to train on and validate with. "
                        "Add rows, or use no validation (val_size=0, --val-size 0).")
    n_train, n_val = min(train_size, len(pool)), min(val_size, max(len(pool) - train_size, 0))
    if val_size > 0 and n_val == 0:  # the train rows take them all: share them as asked, keep both
        n_val = max(1, round(len(pool) * val_size / (train_size + val_size)))
        n_train = min(train_size, len(pool) - n_val)
    n_test = min(test_size, len(dataset["test"]))
    for what, wanted, got in (("train_size", train_size, n_train), ("val_size", val_size, n_val),
                              ("test_size", test_size, n_test)):
        if got < wanted:
            available = len(dataset["test"]) if what == "test_size" else len(pool)
            print(f"[data] {what}={wanted:,} is more than the data allows ({available:,} rows in its "
                  f"split): using {got:,}")
    return DatasetDict({
        "train": pool.select(range(n_train)),
        "validation": pool.select(list(range(n_train, n_train + n_val))),  # a list: may be empty
        "test": dataset["test"].shuffle(seed=seed).select(range(n_test)),
    })


# --------------------------------------------------------------------------------- quality checks
_MENTION = re.compile(r"@\w+")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def normalise_text(text: str) -> str:
    """Lowercase, drop @mentions and links, collapse spaces, strip end punctuation (for near-duplicates)."""
    if not isinstance(text, str):
        return ""
    text = _LINK.sub(" ", _MENTION.sub(" ", text.lower()))
    return " ".join(text.split()).strip(string.punctuation + " ")


def _frame(ds: Dataset | DatasetDict) -> pd.DataFrame:
    """The rows (with a ``split`` column) as a DataFrame, without missing texts."""
    splits = ds.items() if isinstance(ds, DatasetDict) else [("data", ds)]
    frames = [split.select_columns(["id", "text", "label"]).to_pandas().assign(split=name)
              for name, split in splits]
    frame = pd.concat(frames, ignore_index=True)
    return frame[frame["text"].map(lambda t: isinstance(t, str))]


def _label_names(labels: pd.Series) -> str:
    return "/".join(ID2LABEL[label] for label in sorted(set(labels)))


def duplicates(ds: Dataset | DatasetDict) -> pd.DataFrame:
    """Texts occurring more than once in one split (exact match), with counts and label conflicts."""
    groups = _frame(ds).groupby(["split", "text"], sort=False)["label"]
    out = pd.DataFrame({"count": groups.size(), "labels": groups.agg(_label_names)}).reset_index()
    out = out[out["count"] > 1].assign(conflicting=lambda f: f["labels"].str.contains("/"))
    return out.sort_values(["count", "text"], ascending=[False, True]).reset_index(drop=True)


def split_overlap(train: Dataset, test: Dataset) -> pd.DataFrame:
    """Test rows whose text is also in train, exactly (``kind="exact"``) or after :func:`normalise_text`."""
    train_frame, test_frame = _frame(train), _frame(test)
    exact = train_frame.groupby("text")["label"].agg(_label_names)
    train_frame = train_frame.assign(normalised=train_frame["text"].map(normalise_text))
    by_norm = train_frame[train_frame["normalised"] != ""].groupby("normalised")
    norm_labels, norm_texts = by_norm["label"].agg(_label_names), by_norm["text"].first()
    rows = []
    for row in test_frame.itertuples():
        normalised = normalise_text(row.text)
        if row.text in exact.index:
            rows.append(("exact", row.id, row.text, row.text, ID2LABEL[row.label], exact[row.text]))
        elif normalised in norm_labels.index:
            rows.append(("normalised", row.id, row.text, norm_texts[normalised],
                         ID2LABEL[row.label], norm_labels[normalised]))
    out = pd.DataFrame(rows, columns=["kind", "test_id", "test_text", "train_text", "test_label",
                                      "train_label"])
    return out.assign(same_label=[t in tr.split("/") for t, tr in zip(out["test_label"],
                                                                      out["train_label"], strict=True)])


def label_conflicts(ds: Dataset | DatasetDict) -> pd.DataFrame:
    """Groups of rows with the same normalised text but different labels (one row per group)."""
    frame = _frame(ds)
    frame = frame.assign(normalised=frame["text"].map(normalise_text))
    groups = frame[frame["normalised"] != ""].groupby("normalised")
    out = pd.DataFrame({"count": groups.size(), "labels": groups["label"].agg(_label_names),
                        "texts": groups["text"].agg(lambda texts: list(dict.fromkeys(texts)))})
    out = out[out["labels"].str.contains("/")].reset_index()
    return out.sort_values(["count", "normalised"], ascending=[False, True]).reset_index(drop=True)


def majority_baseline(train: Dataset, test: Dataset) -> tuple[str, float]:
    """The most common train label and the test accuracy of always predicting it."""
    if len(train) == 0 or len(test) == 0:
        raise DataError("majority_baseline needs non-empty train and test splits.")
    counts = Counter(train["label"][:])
    majority = min(counts, key=lambda label: (-counts[label], label))  # ties: the lowest id
    test_labels = test["label"][:]
    return ID2LABEL[majority], sum(label == majority for label in test_labels) / len(test_labels)


# --------------------------------------------------------------------------------- plots
def plot_label_distribution(dataset: DatasetDict | Dataset):
    """Bar chart of the label shares (%) per split; returns the matplotlib Figure (not shown)."""
    import matplotlib.pyplot as plt

    splits = dataset if isinstance(dataset, DatasetDict) else {"data": dataset}
    fig, ax = plt.subplots(figsize=(7, 3.5))
    width, x = 0.8 / len(splits), np.arange(len(LABELS))
    for i, (name, split) in enumerate(splits.items()):
        counts = np.bincount(np.asarray(split["label"][:], dtype=int), minlength=len(LABELS))
        shares = 100 * counts / max(counts.sum(), 1)
        bars = ax.bar(x + (i - (len(splits) - 1) / 2) * width, shares, width,
                      label=f"{name} (n={len(split):,})")
        ax.bar_label(bars, fmt="%.0f%%", fontsize=8)
    ax.set_xticks(x, LABELS)
    ax.set_ylabel("share of rows (%)")
    ax.set_title("Label distribution per split")
    ax.legend()
    plt.close(fig)  # displayed once, by the notebook, when returned
    return fig


def plot_lengths(dataset: DatasetDict | Dataset, tokenizer=None):
    """Histogram of text lengths in characters (or tokens, given a tokenizer), mean and 99th pct marked.

    For a DatasetDict the ``train`` split is used. Returns the matplotlib Figure (not shown).
    """
    import matplotlib.pyplot as plt

    name = "train" if isinstance(dataset, DatasetDict) and "train" in dataset else None
    if isinstance(dataset, DatasetDict):
        name = name or next(iter(dataset))
        dataset = dataset[name]
    texts = [text for text in dataset["text"][:] if isinstance(text, str)]
    if not texts:
        raise DataError("plot_lengths: there are no texts to measure.")
    if tokenizer is None:
        unit, lengths = "characters", np.array([len(text) for text in texts])
    else:
        unit, lengths = "tokens", np.array([len(ids) for ids in tokenizer(texts)["input_ids"]])
    mean, p99 = lengths.mean(), np.percentile(lengths, 99)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(lengths, bins=50, color="tab:blue", alpha=0.8)
    ax.axvline(mean, color="black", linestyle="--", label=f"mean {mean:.1f}")
    ax.axvline(p99, color="tab:red", linestyle=":", label=f"99th percentile {p99:.0f}")
    ax.set_xlabel(f"length ({unit})")
    ax.set_ylabel("rows")
    ax.set_title(f"Text length in {unit}" + (f" ({name} split)" if name else ""))
    ax.legend()
    plt.close(fig)
    return fig
