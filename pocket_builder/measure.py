"""Measurements of the pocket tweets: how they look, how hard they are, what they share.

Used by ``python -m pocket_builder.tweets``, by the bundle build
(:mod:`pocket_builder.build`, which records the figures in ``build_report.json``) and by
the tests, which measure the shipped files rather than trusting the report. The surface
figures are the ones the Hub tweets were described by: share of tweets with @mentions, emoji,
hashtags, links, stretched words, a leading or double space, a backtick apostrophe, all lower
case, first-person words; words, characters and (optionally) GPT-2 tokens per tweet.
"""

from __future__ import annotations

import random
import re
import statistics
from collections.abc import Callable, Iterable, Sequence

from course_utils.baselines import predict, tfidf_logistic_regression

EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
SURFACE: dict[str, Callable[[str], bool]] = {
    "mentions": lambda t: bool(re.search(r"@\w", t)),
    "emoji": lambda t: bool(EMOJI.search(t)),
    "hashtags": lambda t: bool(re.search(r"#\w", t)),
    "links": lambda t: "http://" in t or "https://" in t,
    "stretched": lambda t: bool(re.search(r"([a-z])\1\1", t.lower())),
    "leading_space": lambda t: t.startswith(" "),
    "double_space": lambda t: "  " in t,
    "backtick": lambda t: "`" in t,
    "all_lower": lambda t: t == t.lower() and any(c.isalpha() for c in t),
    "first_person": lambda t: bool(
        re.search(r"\b(i|im|i'm|me|my|mine|i've|i'll|i'd|myself)\b", t.lower().replace("`", "'"))
    ),
}
BOW_SIZES = (250, 500, 1000, 2000, 4000)


def normalise(text: str) -> str:
    """The form two texts are compared in for overlap: lower case, one space, one apostrophe."""
    return re.sub(r"\s+", " ", text.replace("`", "'")).strip().lower()


def words(text: str) -> list[str]:
    """The lower-cased words of a text (letters, digits, an inner apostrophe or backtick)."""
    return re.findall(r"[a-z0-9]+(?:['`][a-z]+)?", text.lower())


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _spread(values: Sequence[float]) -> dict[str, float]:
    return {"mean": round(statistics.fmean(values), 1), "median": _percentile(values, 0.5),
            "p90": _percentile(values, 0.9), "p99": _percentile(values, 0.99), "max": max(values)}


def surface(texts: Iterable[str], tokenizer=None) -> dict[str, object]:
    """Surface statistics of the non-blank ``texts``: shares in [0, 1] and length spreads."""
    texts = [t for t in texts if t.strip()]
    stats: dict[str, object] = {
        name: round(sum(test(t) for t in texts) / len(texts), 3) for name, test in SURFACE.items()
    }
    stats["words"] = _spread([len(t.split()) for t in texts])
    stats["chars"] = _spread([len(t) for t in texts])
    if tokenizer is not None:
        stats["gpt2_tokens"] = _spread([len(ids) for ids in tokenizer(texts)["input_ids"]])
    return stats


def vocabulary(texts: Iterable[str], first_tokens: int = 70_000) -> dict[str, float]:
    """Distinct word types in the first ``first_tokens`` words, their ratio, and in all texts."""
    stream = [w for t in texts for w in words(t)]
    head = stream[:first_tokens]
    return {"tokens": len(stream), f"types_in_first_{first_tokens}": len(set(head)),
            "type_token_ratio": round(len(set(head)) / max(1, len(head)), 3),
            "types_total": len(set(stream))}


def overlaps(*groups: Iterable[str]) -> int:
    """How many normalised texts occur in more than one of ``groups`` or twice in one."""

    seen: set[str] = set()
    repeated = 0
    for group in groups:
        for text in group:
            key = normalise(text)
            if key:
                repeated += key in seen
                seen.add(key)
    return repeated


def shuffled_train(rows: Sequence[dict], seed: int = 42) -> list[dict]:
    """The non-blank train rows in one seeded order: every training subset of the bundle's
    measurements (bag of words and fine-tuning alike) is its first rows."""
    rows = [r for r in rows if r["text"].strip()]
    random.Random(seed).shuffle(rows)
    return rows


def bag_of_words_curve(train: Sequence[dict], test: Sequence[dict],
                       sizes: Sequence[int] = BOW_SIZES, seed: int = 42) -> dict[int, float]:
    """Test accuracy of TF-IDF (words and word pairs) + logistic regression per train size.

    The training rows are the first ``size`` of :func:`shuffled_train`, so each size holds the
    smaller ones. The course's reading of the data's difficulty: on the
    Hub tweets a bag of words is far behind a fine-tuned GPT-2.
    """
    rows = shuffled_train(train, seed)
    references = [r["label"] for r in test]
    scores = {}
    for size in sizes:
        part = rows[:size]
        model = tfidf_logistic_regression([r["text"] for r in part], [r["label"] for r in part])
        predicted = predict(model, [r["text"] for r in test])
        scores[size] = round(sum(int(p == y) for p, y in zip(predicted, references, strict=True)) / len(test), 3)
    return scores


def data_report(data: dict[str, list[dict]], unlabelled: Sequence[str] = (), tokenizer=None) -> dict:
    """Everything above for one dataset: sizes, shares, surface, vocabulary, overlap, BoW curve."""
    report: dict[str, object] = {}
    for split, rows in data.items():
        report[f"{split}_rows"] = len(rows)
        report[f"{split}_label_shares"] = [round(sum(r["label"] == c for r in rows) / len(rows), 3) for c in range(3)]
    train_texts = [r["text"] for r in data["train"]]
    report["surface_train"] = surface(train_texts, tokenizer)
    report["vocabulary_train"] = vocabulary(train_texts)
    report["overlapping_texts"] = overlaps(
        [r["text"] for r in data["train"]], [r["text"] for r in data["test"]], unlabelled
    )
    report["bag_of_words_test_accuracy"] = bag_of_words_curve(data["train"], data["test"])
    return report
