"""The pocket bundle's synthetic tweets: schema, determinism, realism, difficulty, shipped files."""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils.pocket import POCKET_DATA_DIR, tweets

REPO = Path(__file__).resolve().parents[1]
N_TRAIN, N_TEST = 6000, 1500
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
# A negation word, as written in the tweets (apostrophes may be dropped or typed as backticks).
# A negated good word ("don't love", "not impressed"): a negative tweet when there is no "but".
NOT_GOOD = (
    r"\b(don'?t|not|never|didn'?t) "
    r"(love|like|happy|loving|a fan|impressed|excited|enjoy\w*|pleased|thrilled)\b"
)
NEGATION = re.compile(
    r"\b(not|no|never|nothing|nobody|(do|does|did|is|was|ca|could|wo)n[`']?t)\b", re.I
)


@pytest.fixture(scope="module")
def built():
    """The default dataset and its labels before noise."""
    return tweets._build(N_TRAIN, N_TEST, 2024)


@pytest.fixture(scope="module")
def data(built):
    return built[0]


@pytest.fixture(scope="module")
def train_texts(data):
    return [r["text"] for r in data["train"] if r["text"].strip()]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The four files, written once into a fresh folder."""
    return tweets.write_pocket_data(tmp_path_factory.mktemp("pocket"))


def _share(texts, pattern):
    return sum(bool(re.search(pattern, t)) for t in texts) / len(texts)


def one_clause_pairs(rows):
    """(before "but", after "but") of the texts with exactly one "but", with their label."""
    for text, label in rows:
        parts = re.split(r"\bbut\b", text)
        if len(parts) == 2:
            yield (parts[0], parts[1]), label


def test_schema_and_types(data):
    assert list(data) == ["train", "test"]
    assert (len(data["train"]), len(data["test"])) == (N_TRAIN, N_TEST)
    assert tweets.LABELS == ("negative", "neutral", "positive")
    for rows in data.values():
        for row in rows:
            assert list(row) == ["id", "text", "label", "label_text"]
            assert re.fullmatch(r"[0-9a-f]{10}", row["id"])
            assert type(row["text"]) is str and type(row["label"]) is int
            assert row["label_text"] == tweets.LABELS[row["label"]]
            assert len(row["text"]) <= tweets.MAX_CHARS
            assert "\n" not in row["text"] and "\r" not in row["text"]


def test_deterministic_and_seeded(data):
    assert tweets.make_dataset() == data
    small = tweets.make_dataset(60, 20, seed=5)
    assert small == tweets.make_dataset(60, 20, seed=5)
    assert small != tweets.make_dataset(60, 20, seed=6)
    assert tweets.make_unlabelled_tweets(50) == tweets.make_unlabelled_tweets(50)
    assert tweets.make_general_text(50) == tweets.make_general_text(50)


def test_independent_of_hash_randomisation():
    code = (
        "import hashlib, json\n"
        "from course_utils.pocket import tweets as t\n"
        "blob = json.dumps([t.make_dataset(300, 100), t.make_unlabelled_tweets(200),"
        " t.make_general_text(200)], ensure_ascii=False)\n"
        "print(hashlib.sha256(blob.encode()).hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(REPO))
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_ids_unique_across_splits(data):
    ids = [r["id"] for rows in data.values() for r in rows]
    assert len(set(ids)) == len(ids)


def test_class_shares_follow_the_hub_data(data):
    for rows in data.values():
        for label, target in enumerate(tweets.CLASS_SHARES):
            share = sum(r["label"] == label for r in rows) / len(rows)
            assert abs(share - target) <= 0.02, (label, share)


def test_about_three_percent_label_noise(built):
    data, clean = built
    for split, rows in data.items():
        flipped = sum(r["label"] != c for r, c in zip(rows, clean[split], strict=True))
        assert 0.02 <= flipped / len(rows) <= 0.04


def test_exactly_three_blank_train_texts_at_fixed_positions(data):
    blank = [i for i, r in enumerate(data["train"]) if not r["text"].strip()]
    assert blank == [int(f * N_TRAIN) for f in tweets.EMPTY_POSITIONS]
    assert all(data["train"][i]["label_text"] == "neutral" for i in blank)
    assert not any(not r["text"].strip() for r in data["test"])


def test_lengths_and_variety(data, train_texts):
    lengths = [len(t) for t in train_texts]
    assert 60 <= sum(lengths) / len(lengths) <= 80
    assert min(lengths) < 15 and max(lengths) > 130
    assert sum(n > 100 for n in lengths) / len(lengths) > 0.05
    assert len(set(train_texts)) / len(train_texts) >= 0.95
    words = {w for t in train_texts for w in re.findall(r"[a-z]+", t.lower())}
    assert len(words) > 2000


def test_reads_like_tweets(train_texts):
    expected_shares = {
        r"(^|\s)@\w+": 0.15,  # mentions
        r"#\w+": 0.06,  # hashtags
        r"https?://\S+": 0.01,  # short links
        EMOJI.pattern: 0.15,  # emoji
        r"([a-z])\1\1": 0.04,  # elongations: sooo, yesss
        r"\b(lol|omg|tbh|idk|smh|ngl|rn)\b": 0.05,  # abbreviations
        NEGATION.pattern: 0.12,  # negation
        r"\bbut\b": 0.08,  # mixed clauses
        r"\?": 0.08,  # questions
        r"^[^A-Z]*$": 0.4,  # casual lower case
    }
    for pattern, floor in expected_shares.items():
        assert _share(train_texts, pattern) >= floor, pattern
    assert any(t.startswith(" ") for t in train_texts)  # as in the Hub data


def test_negation_mixed_clauses_and_emotional_neutral_tweets(built):
    data, clean = built
    rows = [(r["text"].lower(), c) for r, c in zip(data["train"], clean["train"], strict=True)]
    one_clause = [(t, c) for t, c in rows if not re.search(r"\bbut\b", t)]
    not_bad = [c for t, c in one_clause if re.search(r"\bnot (bad|too shabby)\b", t)]
    assert len(not_bad) > 20 and not_bad.count(2) / len(not_bad) > 0.9
    not_love = [c for t, c in one_clause if re.search(NOT_GOOD, t)]
    assert len(not_love) > 20 and not_love.count(0) / len(not_love) > 0.9
    # "love the phone but the battery is awful": the label follows the clause after "but"
    good = (
        r"\b(love|loving|amazing|great|perfect|best|brilliant|awesome|fantastic|incredible|lovely|"
        r"beautiful|so good|epic|gorgeous|wonderful|delightful|dream|obsessed|adore|enjoy\w*|impressed)\b"
    )
    bad = (
        r"\b(awful|terrible|worst|disaster|nightmare|rubbish|sucks?|hate|horrible|boring|annoying|gross|"
        r"pathetic|useless|joke|mess|ridiculous|letdown|so bad|disappointing|sick of|fed up|overrated)\b"
    )
    for before, after, label in ((good, bad, 0), (bad, good, 2)):
        found = [
            c
            for (first, second), c in one_clause_pairs(rows)
            if re.search(before, first)
            and not re.search(after, first)
            and re.search(after, second)
            and not re.search(before, second)
            and not NEGATION.search(first + second)
        ]
        assert len(found) >= 10 and found.count(label) / len(found) > 0.9, (label, len(found))
    neutral = [t for t, c in rows if c == 1]
    emotional = r"\b(happy|sad|love|hate|awful|amazing|terrible|perfect|best|worst|lonely|crazy)\b"
    assert _share(neutral, emotional) > 0.08


def test_not_trivially_separable_but_learnable(data):
    score = tweets.bag_of_words_score(data["train"], data["test"])
    assert 0.6 < score < 0.95


def test_unlabelled_tweets_and_general_text():
    unlabelled = tweets.make_unlabelled_tweets(2000)
    assert len(unlabelled) == 2000 and all(t.strip() and "\n" not in t for t in unlabelled)
    assert unlabelled[:200] != [r["text"] for r in tweets.make_dataset(200, 1)["train"]]
    general = tweets.make_general_text(1000)
    assert len(set(general)) == len(general) == 1000
    for text in general:  # plain prose: capitalised sentences, no tweet furniture
        assert text[0].isupper() and text.endswith(".") and "\n" not in text
        assert not re.search(r"[@#]|https?://|\b(lol|omg|tbh)\b", text) and not EMOJI.search(text)
    assert _share(unlabelled, r"[@#]|https?://|\b(lol|omg|tbh)\b") > 0.3


def test_written_files_hold_the_generated_data(written, data):
    assert sorted(written) == ["general", "test", "train", "unlabelled"]
    for split in ("train", "test"):
        text = written[split].read_text(encoding="utf-8")
        assert [json.loads(line) for line in text.splitlines()] == data[split]
        assert text.endswith("\n") and "\r" not in text
    assert EMOJI.search(written["train"].read_text(encoding="utf-8"))  # ensure_ascii=False
    unlabelled = written["unlabelled"].read_text(encoding="utf-8").split("\n")
    assert unlabelled[-1] == "" and len(unlabelled) - 1 == 20000
    assert unlabelled[:3000] == tweets.make_unlabelled_tweets(3000)  # one seeded stream
    general = written["general"].read_text(encoding="utf-8").split("\n")
    assert general[:-1] == tweets.make_general_text() and general[-1] == ""


def test_shipped_files_match_the_generator(written):
    """The files in course_utils/pocket/data are byte for byte what the code writes now, in
    this process (they were written by an earlier one). After changing the generator or its
    word lists, rerun ``python -m course_utils.pocket.tweets``."""
    for path in written.values():
        shipped = POCKET_DATA_DIR / path.name
        assert shipped.is_file(), f"missing {shipped}"
        assert (
            hashlib.sha256(shipped.read_bytes()).hexdigest()
            == hashlib.sha256(path.read_bytes()).hexdigest()
        ), f"{shipped} is stale: rerun python -m course_utils.pocket.tweets"
    size = sum(
        p.stat().st_size for p in POCKET_DATA_DIR.glob("*") if p.suffix in {".jsonl", ".txt"}
    )
    assert size < 3.2e6
