"""Tests for course_utils.data (and course_utils.local_files): fast, offline, in tmp_path."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from datasets import Dataset, DatasetDict, Value
from matplotlib.figure import Figure

from course_utils.data import (
    FEATURES,
    ID2LABEL,
    LABEL2ID,
    LABELS,
    DataError,
    drop_empty_texts,
    duplicates,
    holdout_split,
    label_conflicts,
    load_local,
    load_tweets,
    majority_baseline,
    make_subsets,
    normalise_schema,
    normalise_text,
    plot_label_distribution,
    plot_lengths,
    split_overlap,
)
from course_utils.pocket import POCKET_DATA_FILES
from course_utils.profiles import get_profile

COLUMNS = ["id", "text", "label", "label_text"]


def rows(n: int, start: int = 0) -> dict[str, list]:
    """``n`` distinct tweets cycling through the three labels."""
    labels = [i % 3 for i in range(start, start + n)]
    return {"id": [f"r{i}" for i in range(start, start + n)],
            "text": [f"tweet number {i}" for i in range(start, start + n)],
            "label": labels, "label_text": [LABELS[label] for label in labels]}


def dataset(n: int, start: int = 0) -> Dataset:
    return Dataset.from_dict(rows(n, start), features=FEATURES)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def kaggle_files(tmp_path: Path) -> tuple[Path, Path]:
    train = pd.DataFrame({
        "textID": ["cb774db0d1", "549e992a42", "fdb77c3752", "088c60f138"],
        "text": [" I`d have responded, if I were going", "Sooo SAD I will miss you here", None,
                 "my boss is bullying me..."],
        "selected_text": ["I`d have responded, if I were going", "Sooo SAD", None, "bullying me"],
        "sentiment": ["neutral", "negative", "neutral", "negative"],
    })
    test = pd.DataFrame({"textID": ["f87dea47db", "96d74cb729"],
                         "text": ["Last session of the day  http://twitpic.com/67ezh",
                                  " Shanghai is also really exciting"],
                         "sentiment": ["neutral", "positive"]})
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    return tmp_path / "train.csv", tmp_path / "test.csv"


# ----------------------------------------------------------------------------- labels, schema
def test_label_maps():
    assert LABELS == ("negative", "neutral", "positive")
    assert ID2LABEL == {0: "negative", 1: "neutral", 2: "positive"}
    assert LABEL2ID == {"negative": 0, "neutral": 1, "positive": 2}


def test_normalise_schema_fills_and_casts():
    raw = Dataset.from_pandas(pd.DataFrame({"text": ["a", "b"], "label_text": ["Positive ", "neutral"],
                                            "extra": [1, 2]}), preserve_index=False)
    assert raw.features["text"] == Value("large_string")  # what pandas 3 gives
    ds = normalise_schema(DatasetDict(train=raw))["train"]
    assert ds.column_names == COLUMNS and ds.features == FEATURES
    assert ds["label"][:] == [2, 1] and ds["label_text"][:] == ["positive", "neutral"]
    assert ds["id"][:] == ["train-0", "train-1"]


def test_normalise_schema_rejects_out_of_range():
    bad = Dataset.from_dict({"text": ["a"], "label": [5]})
    with pytest.raises(DataError, match=r"Split 'dataset'.*out of range.*\[5\]"):
        normalise_schema(bad)


# ----------------------------------------------------------------------------- local files
@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".jsonl"])
def test_load_local_course_schema(tmp_path, suffix):
    frame = pd.DataFrame(rows(6)).drop(columns="label_text")
    path = tmp_path / f"tweets{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".tsv":
        frame.to_csv(path, sep="\t", index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path)
    else:
        frame.to_json(path, orient="records", lines=True)
    ds = load_local(path)
    assert list(ds) == ["train"]
    assert ds["train"].features == FEATURES
    assert ds["train"]["label"][:] == [0, 1, 2, 0, 1, 2]
    assert ds["train"]["label_text"][:3] == list(LABELS)
    assert ds["train"]["id"][0] == "r0"


def test_load_local_string_labels_any_case(tmp_path):
    path = write(tmp_path / "t.csv", "Text,Label\nhi,Positive \nho, NEGATIVE\nhu,neutral\nha,2\n")
    ds = load_local(path)["train"]
    assert ds["label"][:] == [2, 0, 1, 2]
    assert ds["label_text"][:] == ["positive", "negative", "neutral", "positive"]
    assert ds["id"][:] == ["train-0", "train-1", "train-2", "train-3"]


def test_load_local_jsonl_label_text_only(tmp_path):
    lines = [{"text": "good", "label_text": "positive"}, {"text": "bad", "label_text": "negative"}]
    path = write(tmp_path / "t.jsonl", "\n".join(json.dumps(line) for line in lines))
    assert load_local(path)["train"]["label"][:] == [2, 0]


def test_load_local_kaggle(tmp_path):
    train, test = kaggle_files(tmp_path)
    ds = load_local(train, test)
    assert set(ds) == {"train", "test"}
    for split in ds.values():
        assert split.column_names == COLUMNS and split.features == FEATURES
    assert ds["train"]["id"][:2] == ["cb774db0d1", "549e992a42"]
    assert ds["train"]["label"][:] == [1, 0, 1, 0]
    assert ds["train"]["text"][2] is None  # kept here, dropped by load_tweets
    assert ds["test"]["label_text"][:] == ["neutral", "positive"]


def test_load_tweets_local_drops_empty_and_holds_out(tmp_path, capsys):
    frame = pd.DataFrame(rows(20))
    frame.loc[[3, 7, 11], "text"] = ["", "   ", None]
    frame.to_csv(tmp_path / "mine.csv", index=False)
    ds = load_tweets(data_files=tmp_path / "mine.csv")
    out = capsys.readouterr().out
    assert "train: 17 rows kept, 3 dropped" in out and "held out" in out
    assert set(ds) == {"train", "test"} and len(ds["train"]) + len(ds["test"]) == 17
    assert all(text.strip() for split in ds.values() for text in split["text"])


def test_load_tweets_kaggle_train_and_test(tmp_path, capsys):
    train, test = kaggle_files(tmp_path)
    ds = load_tweets(data_files={"train": train, "test": test})
    assert "train: 3 rows kept, 1 dropped" in capsys.readouterr().out
    assert (len(ds["train"]), len(ds["test"])) == (3, 2)
    with pytest.raises(DataError, match="data_files needs a 'train' key"):
        load_tweets(data_files={"test": test})
    assert load_tweets(data_files=train, test_data=test)["test"]["id"][:] == ["f87dea47db", "96d74cb729"]


def test_drop_empty_texts_counts_per_split():
    data = DatasetDict(
        train=Dataset.from_dict({"text": ["a", "", None, "  \n", "b"], "label": [0, 1, 2, 0, 1]}),
        test=Dataset.from_dict({"text": ["c"], "label": [2]}),
    )
    kept, dropped = drop_empty_texts(data)
    assert dropped == {"train": 3, "test": 0}
    assert kept["train"]["text"][:] == ["a", "b"] and kept["test"]["text"][:] == ["c"]


# ----------------------------------------------------------------------------- errors
def test_error_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"Data file not found: .*nope\.csv"):
        load_local(tmp_path / "nope.csv")


def test_error_missing_file_relative_says_where():
    with pytest.raises(DataError, match=r"not found: nope\.csv \(relative paths start from"):
        load_local("nope.csv")


@pytest.mark.parametrize(("content", "message"), [
    ("", r"empty\.csv is empty \(0 bytes\)"),
    ("\n\n", r"empty\.csv is empty \(no header, no rows\)"),
    ("text,label\n", r"empty\.csv has a header but no rows"),
])
def test_error_empty_file(tmp_path, content, message):
    with pytest.raises(DataError, match=message):
        load_local(write(tmp_path / "empty.csv", content))


def test_error_corrupt_csv(tmp_path):
    path = write(tmp_path / "broken.csv", 'text,label\nhello,positive\n"unclosed, quote,1\n')
    with pytest.raises(DataError, match=r"broken\.csv: line 3 has 1 field\(s\) but the header has 2.*never closed"):
        load_local(path)


def test_error_csv_the_reader_refuses(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes("text,label\ncaf\xe9 time,positive\n".encode("latin-1"))  # fields fine, not UTF-8
    with pytest.raises(DataError, match=r"Could not read .*broken\.csv as CSV: 'utf-8' codec") as info:
        load_local(path)
    assert info.value.__suppress_context__  # no chained pandas traceback


# --------------------------------------------------------------------------------- the usual damage
def test_an_unquoted_comma_in_every_tweet_is_refused_not_made_an_index(tmp_path):
    """pandas would make the first half of each tweet the index and keep the second half."""
    path = write(tmp_path / "t.csv", "text,label\nhello, world,positive\nso sad, really,negative\n")
    with pytest.raises(DataError, match=r"t\.csv: line 2 has 3 field\(s\) but the header has 2 \(text, label\): "
                                        r"a comma inside a tweet"):
        load_local(path)
    write(tmp_path / "q.csv", 'text,label\n"hello, world",positive\n"so sad, really",negative\n')
    assert load_local(tmp_path / "q.csv")["train"]["text"][:1] == ["hello, world"]


def test_a_tab_file_checks_tabs(tmp_path):
    with pytest.raises(DataError, match=r"line 3 has 3 field\(s\).*a tab inside a tweet"):
        load_local(write(tmp_path / "t.tsv", "text\tlabel\nok\tpositive\nbad\ttab\tnegative\n"))


def test_gzip_csv_is_sniffed_through_its_compression(tmp_path):
    import gzip

    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(b"text,label\nhello, world,positive\n"))
    with pytest.raises(DataError, match=r"line 2 has 3 field"):
        load_local(path)


def test_a_compression_without_its_package_names_it(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "zstandard" else real(name, *a))
    path = write(tmp_path / "t.csv.zst", "not really zstd")
    with pytest.raises(DataError, match=r"t\.csv\.zst: reading \.zst files needs the Python package 'zstandard'.*"
                                        r"pip install zstandard"):
        load_local(path)


def test_bytes_texts_are_decoded_and_non_text_refused(tmp_path):
    pd.DataFrame({"text": [b"caf\xc3\xa9 time", b"so tired"], "label": [2, 0]}).to_parquet(tmp_path / "b.parquet")
    assert load_local(tmp_path / "b.parquet")["train"]["text"][:] == ["caf\u00e9 time", "so tired"]
    pd.DataFrame({"text": [12, 13], "label": [2, 0]}).to_parquet(tmp_path / "n.parquet")
    with pytest.raises(DataError, match=r"column 'text' holds int64 values, not text, in 2 row\(s\) "
                                        r"\(data row\(s\) 1, 2; e\.g\. '12'\)"):
        load_local(tmp_path / "n.parquet")
    pd.DataFrame({"text": [b"\xff\xfe", b"ok"], "label": [2, 0]}).to_parquet(tmp_path / "x.parquet")
    with pytest.raises(DataError, match=r"holds bytes values, not text, in 1 row"):
        load_local(tmp_path / "x.parquet")
    write(tmp_path / "l.jsonl", '{"text": ["a", "list"], "label": 1}\n{"text": "fine", "label": 0}\n')
    with pytest.raises(DataError, match=r"holds list values"):
        load_local(tmp_path / "l.jsonl")


def test_two_label_columns_must_agree(tmp_path):
    write(tmp_path / "ok.csv", "text,label,label_text\nhappy day,2,positive\nsad day,0,negative\n")
    assert load_local(tmp_path / "ok.csv")["train"]["label"][:] == [2, 0]
    write(tmp_path / "bad.csv", "text,label,sentiment\nhappy day,positive,positive\nsad day,positive,negative\n"
                                "meh,neutral,negative\n")
    with pytest.raises(DataError, match=r"columns 'label' and 'sentiment' disagree in 2 of 3 rows \(data row 2: "
                                        r"positive vs negative\)"):
        load_local(tmp_path / "bad.csv")


def test_error_corrupt_parquet_and_jsonl(tmp_path):
    with pytest.raises(DataError, match=r"Could not read .*bad\.parquet as Parquet"):
        load_local(write(tmp_path / "bad.parquet", "not parquet"))
    with pytest.raises(DataError, match=r"Could not read .*bad\.jsonl as JSON lines"):
        load_local(write(tmp_path / "bad.jsonl", '{"text": "a", "label": 0}\n{oops\n'))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tweets.xlsx", "x", r"tweets\.xlsx: unsupported file type '\.xlsx'"),
        ("t.csv", "tweet,label\nhi,1\n", r"t\.csv has no 'text' column\. Columns found: tweet, label"),
        ("t.csv", "text;label\nhi;1\n", r"looks semicolon-separated .*save it comma-separated"),
        ("t.csv", "text,score\nhi,1\n", r"t\.csv has no label column\. Columns found: text, score"),
    ],
    ids=["unsupported-extension", "no-text-column", "wrong-separator-hint", "no-label-column"],
)
def test_error_file_shape(tmp_path, name, content, message):
    with pytest.raises(DataError, match=message):
        load_local(write(tmp_path / name, content))


def test_error_unknown_labels(tmp_path):
    path = write(tmp_path / "t.csv", "text,label\nhi,pos\nho,NEG\nhu,Positive\n")
    with pytest.raises(DataError, match=r"t\.csv: unknown label value\(s\) in column 'label': 'NEG', 'pos'\. "
                                        r"Allowed: negative, neutral, positive"):
        load_local(path)


def test_error_labels_out_of_range(tmp_path):
    path = write(tmp_path / "t.csv", "text,label\nhi,3\nho,-1\nhu,2\n")
    with pytest.raises(DataError, match=r"t\.csv: label value\(s\) out of range in column 'label': -1, 3"):
        load_local(path)


def test_error_missing_label_values(tmp_path):
    path = write(tmp_path / "t.csv", "text,label\nhi,\nho,1\n")
    with pytest.raises(DataError, match=r"t\.csv: 1 row\(s\) have no label .*data row\(s\) 1\b"):
        load_local(path)


def test_hub_offline_error_is_fast_and_helpful():
    profile = get_profile("small")
    start = time.perf_counter()
    with pytest.raises(DataError) as info:
        load_tweets(profile)
    assert time.perf_counter() - start < 10
    message = str(info.value)
    assert profile.dataset in message and "prefetch" in message and "COURSE_PROFILE=pocket" in message


# ----------------------------------------------------------------------------- splits
def test_holdout_split_stratified_and_deterministic():
    ds = Dataset.from_dict({"text": [f"t{i}" for i in range(100)],
                            "label": [0] * 50 + [1] * 30 + [2] * 20})
    first = holdout_split(ds, test_share=0.2, seed=7)
    assert (len(first["train"]), len(first["test"])) == (80, 20)
    assert sorted(first["test"]["label"]) == [0] * 10 + [1] * 6 + [2] * 4
    assert not set(first["train"]["text"]) & set(first["test"]["text"])
    assert holdout_split(ds, test_share=0.2, seed=7)["test"]["text"][:] == first["test"]["text"][:]
    assert holdout_split(ds, test_share=0.2, seed=8)["test"]["text"][:] != first["test"]["text"][:]


def test_holdout_split_tiny_data_falls_back(capsys):
    split = holdout_split(dataset(4), test_share=0.25)
    assert (len(split["train"]), len(split["test"])) == (3, 1)
    assert "random" in capsys.readouterr().out
    with pytest.raises(DataError, match="test_share"):
        holdout_split(dataset(4), test_share=1.5)


def test_make_subsets_sizes_disjoint_deterministic():
    data = DatasetDict(train=dataset(100), test=dataset(50, start=1000))
    subsets = make_subsets(data, train_size=60, val_size=20, test_size=30, seed=3)
    assert {name: len(split) for name, split in subsets.items()} == {"train": 60, "validation": 20, "test": 30}
    assert not set(subsets["train"]["id"]) & set(subsets["validation"]["id"])
    again = make_subsets(data, train_size=60, val_size=20, test_size=30, seed=3)
    for name in subsets:
        assert again[name]["id"][:] == subsets[name]["id"][:]
    # the lesson's own calls give the same rows
    assert subsets["train"]["id"][:] == data["train"].shuffle(seed=3).select(range(60))["id"][:]
    assert subsets["test"]["id"][:] == data["test"].shuffle(seed=3).select(range(30))["id"][:]
    assert make_subsets(data, 60, 20, 30, seed=4)["train"]["id"][:] != subsets["train"]["id"][:]


def test_make_subsets_clips_with_note(capsys):
    data = DatasetDict(train=dataset(10), test=dataset(5, start=100))
    subsets = make_subsets(data, train_size=8, val_size=5, test_size=50)
    assert (len(subsets["train"]), len(subsets["validation"]), len(subsets["test"])) == (8, 2, 5)
    out = capsys.readouterr().out
    assert "val_size=5 is more than the data allows (10 rows in its split): using 2" in out
    assert "test_size=50 is more than the data allows (5 rows in its split): using 5" in out


def test_small_data_is_shared_between_train_and_validation_as_asked(capsys):
    """Default sizes (1,000 / 500) on a 240-row file: clipped in proportion, not refused."""
    data = DatasetDict(train=dataset(240), test=dataset(60, start=1000))
    subsets = make_subsets(data, train_size=1000, val_size=500, test_size=1000)
    assert (len(subsets["train"]), len(subsets["validation"]), len(subsets["test"])) == (160, 80, 60)
    assert not set(subsets["train"]["id"][:]) & set(subsets["validation"]["id"][:])
    out = capsys.readouterr().out
    assert "train_size=1,000 is more than the data allows (240 rows in its split): using 160" in out
    two = make_subsets(DatasetDict(train=dataset(2), test=dataset(2, start=100)), 1000, 500, 1000)
    assert (len(two["train"]), len(two["validation"])) == (1, 1)


def test_make_subsets_errors():
    with pytest.raises(DataError, match=r"has 1 row: too few.*--val-size 0"):
        make_subsets(DatasetDict(train=dataset(1), test=dataset(5, start=100)), 50, 5, 5)
    one = make_subsets(DatasetDict(train=dataset(1), test=dataset(5, start=100)), 50, 0, 5)
    assert (len(one["train"]), len(one["validation"])) == (1, 0)
    with pytest.raises(DataError, match=r"The 'test' split is empty"):
        make_subsets(DatasetDict(train=dataset(10), test=dataset(0)), 5, 2, 2)
    with pytest.raises(DataError, match=r"needs a 'test' split.*holdout_split"):
        make_subsets(DatasetDict(train=dataset(10)), 5, 2, 2)


# ----------------------------------------------------------------------------- quality checks
def quality_data() -> tuple[Dataset, Dataset]:
    train = Dataset.from_dict({
        "id": ["a", "b", "c", "d", "e", "f"],
        "text": ["I love this!", "I love this!", "@bob Worst day ever http://t.co/x", "meh",
                 "so happy", "SO happy..."],
        "label": [2, 2, 0, 1, 2, 0],
    })
    test = Dataset.from_dict({
        "id": ["t1", "t2", "t3", "t4"],
        "text": ["I love this!", "worst day ever", "brand new tweet", "So happy!"],
        "label": [2, 1, 1, 2],
    })
    return normalise_schema(train), normalise_schema(test)


def test_normalise_text():
    assert normalise_text("  @Bob  Worst   DAY ever!! http://t.co/x www.x.com ") == "worst day ever"
    assert normalise_text("...") == "" and normalise_text(None) == ""


def test_duplicates():
    train, _ = quality_data()
    found = duplicates(train)
    assert found[["text", "count", "labels", "conflicting"]].values.tolist() == [
        ["I love this!", 2, "positive", False]]


def test_split_overlap_exact_and_normalised():
    train, test = quality_data()
    overlap = split_overlap(train, test)
    assert overlap[["kind", "test_id", "test_label", "train_label"]].values.tolist() == [
        ["exact", "t1", "positive", "positive"],
        ["normalised", "t2", "neutral", "negative"],
        ["normalised", "t4", "positive", "negative/positive"],
    ]
    assert overlap["same_label"].tolist() == [True, False, True]
    assert overlap.loc[1, "train_text"] == "@bob Worst day ever http://t.co/x"


def test_label_conflicts():
    train, test = quality_data()
    conflicts = label_conflicts(train)
    assert conflicts[["normalised", "count", "labels"]].values.tolist() == [
        ["so happy", 2, "negative/positive"]]
    assert conflicts.loc[0, "texts"] == ["so happy", "SO happy..."]
    both = label_conflicts(DatasetDict(train=train, test=test))
    assert set(both["normalised"]) == {"so happy", "worst day ever"}


def test_majority_baseline():
    train, test = quality_data()
    assert majority_baseline(train, test) == ("positive", 0.5)


# ----------------------------------------------------------------------------- plots
def test_plots_return_figures():
    data = DatasetDict(train=dataset(30), test=dataset(9, start=100))
    assert isinstance(plot_label_distribution(data), Figure)
    assert isinstance(plot_lengths(data), Figure)

    def tokenizer(texts):
        return {"input_ids": [text.split() for text in texts]}

    figure = plot_lengths(data["train"], tokenizer=tokenizer)
    assert isinstance(figure, Figure) and "tokens" in figure.axes[0].get_xlabel()


# ----------------------------------------------------------------------------- pocket
def write_jsonl(path: Path, columns: dict[str, list]) -> str:
    path.write_text("\n".join(json.dumps(dict(zip(columns, values, strict=True)))
                              for values in zip(*columns.values(), strict=True)) + "\n")
    return str(path)


def test_load_tweets_pocket_branch(tmp_path, monkeypatch, capsys):
    train, test = rows(12), rows(6, start=100)
    train["text"][:3] = ["", "  ", None]
    files = {"train": write_jsonl(tmp_path / "train.jsonl", train),
             "test": write_jsonl(tmp_path / "test.jsonl", test)}
    monkeypatch.setattr("course_utils.data.POCKET_DATA_FILES", files)
    ds = load_tweets(get_profile("pocket"))
    assert capsys.readouterr().out.splitlines()[:2] == [
        "[data] train: 9 rows kept, 3 dropped (empty or missing text)",
        "[data] test: 6 rows kept, 0 dropped (empty or missing text)"]
    assert ds["train"].features == FEATURES and ds["test"]["id"][0] == "r100"
    # test_data on its own replaces the profile's test split
    mine = write(tmp_path / "mine.csv", "text,label\nmy own tweet,positive\n")
    replaced = load_tweets(get_profile("pocket"), test_data=mine)["test"]
    assert (replaced["text"][:], replaced["id"][:]) == (["my own tweet"], ["test-0"])


def test_load_tweets_pocket_files_missing(tmp_path, monkeypatch):
    monkeypatch.setattr("course_utils.data.POCKET_DATA_FILES", {"train": str(tmp_path / "x.jsonl")})
    with pytest.raises(DataError, match=r"pocket data files are missing: .*x\.jsonl.*pocket_builder build"):
        load_tweets(get_profile("pocket"))


POCKET_MISSING = not all(Path(path).is_file() for path in POCKET_DATA_FILES.values())


@pytest.mark.skipif(POCKET_MISSING, reason="pocket data files not built yet")
def test_load_tweets_pocket(capsys):
    ds = load_tweets(get_profile("pocket"))
    assert set(ds) == {"train", "test"}
    for split in ds.values():
        assert split.column_names == COLUMNS and split.features == FEATURES
        assert set(split["label"]) <= {0, 1, 2}
    assert "train: " in (out := capsys.readouterr().out) and ", 3 dropped" in out.splitlines()[0]


def test_a_folder_and_a_bad_json_line_are_named(tmp_path):
    from course_utils.local_files import read_tweets

    with pytest.raises(DataError, match=r"is a folder, not a file"):
        read_tweets(tmp_path)
    bad = write(tmp_path / "t.jsonl", '{"text": "a", "label": 1}\n\n{"text": "b", "label": 2\n')
    with pytest.raises(DataError, match=r"line 3 is not valid JSON"):
        read_tweets(bad)
    listed = write(tmp_path / "l.jsonl", '{"text": "a", "label": 1}\n["b", 2]\n')
    with pytest.raises(DataError, match=r"line 2 is a JSON list, not an object"):
        read_tweets(listed)


def test_the_hold_out_follows_the_seed(tmp_path):
    """train --seed sets the held-out test split too (its --help says so)."""
    rows = pd.read_json(POCKET_DATA_FILES["train"], lines=True).head(60)
    rows[["text", "label"]].to_csv(tmp_path / "t.csv", index=False)
    first = load_tweets(data_files=tmp_path / "t.csv", seed=1)["test"]["text"][:]
    assert load_tweets(data_files=tmp_path / "t.csv", seed=1)["test"]["text"][:] == first
    assert load_tweets(data_files=tmp_path / "t.csv", seed=2)["test"]["text"][:] != first
