"""Classical baselines: TF-IDF + logistic regression, and the VADER lexicon."""

import importlib.util

import numpy as np
import pytest

from course_utils import baselines
from course_utils.data import LABELS

NEGATIVE, NEUTRAL, POSITIVE = (LABELS.index(name) for name in ("negative", "neutral", "positive"))

TOY_TEXTS = [
    "I love this song", "what a great day", "love it, so good", "great news, love you",
    "I hate mondays", "what an awful day", "hate it, so bad", "awful news, hate this",
    "the bus leaves at five", "meeting moved to room two", "the shop opens at nine", "train leaves at noon",
]
TOY_LABELS = [POSITIVE] * 4 + [NEGATIVE] * 4 + [NEUTRAL] * 4


def test_label_ids_follow_the_course_labels():
    assert (NEGATIVE, NEUTRAL, POSITIVE) == (0, 1, 2)
    assert baselines.LABELS is LABELS


def test_tfidf_logistic_regression_learns_a_separable_set():
    model = baselines.tfidf_logistic_regression(TOY_TEXTS, TOY_LABELS)
    assert baselines.predict(model, TOY_TEXTS).tolist() == TOY_LABELS
    unseen = ["love this great song", "hate this awful bus", "the meeting leaves at nine"]
    assert baselines.predict(model, unseen).tolist() == [POSITIVE, NEGATIVE, NEUTRAL]


def test_tfidf_logistic_regression_handles_empty_texts():
    model = baselines.tfidf_logistic_regression([*TOY_TEXTS, "", "   "], [*TOY_LABELS, NEUTRAL, NEUTRAL])
    predictions = baselines.predict(model, ["", "   ", "!!!", "love"])
    assert predictions.shape == (4,) and set(predictions.tolist()) <= {0, 1, 2}
    assert predictions.dtype.kind == "i"
    assert baselines.predict(model, []).tolist() == []


def test_tfidf_logistic_regression_is_deterministic():
    texts = ["good " * (i % 3) + "day " + str(i) for i in range(60)]
    labels = [i % 3 for i in range(60)]
    first = baselines.tfidf_logistic_regression(texts, labels)
    second = baselines.tfidf_logistic_regression(texts, labels)
    assert np.array_equal(first.predict_proba(texts), second.predict_proba(texts))


def test_tfidf_logistic_regression_explains_bad_input():
    with pytest.raises(ValueError, match="same number"):
        baselines.tfidf_logistic_regression(["a good day"], [POSITIVE, NEGATIVE])
    with pytest.raises(ValueError, match="two different labels"):
        baselines.tfidf_logistic_regression(["good", "fine"], [POSITIVE, POSITIVE])
    with pytest.raises(ValueError, match="no words"):
        baselines.tfidf_logistic_regression(["", " "], [POSITIVE, NEGATIVE])
    with pytest.raises(ValueError, match="0, 1 or 2"):
        baselines.tfidf_logistic_regression(["good", "bad"], [POSITIVE, 3])


needs_vader = pytest.mark.skipif(importlib.util.find_spec("vaderSentiment") is None,
                                 reason="pip install vaderSentiment")


@needs_vader
@pytest.mark.parametrize(("text", "label"), [
    ("I love this, it is wonderful", POSITIVE),
    ("this is awful and I hate it", NEGATIVE),
    ("the bus leaves at 5", NEUTRAL),
    ("", NEUTRAL),
    ("   ", NEUTRAL),
])
def test_vader_reads_obvious_sentences(text, label):
    assert baselines.vader_predict([text]).tolist() == [label]


@needs_vader
def test_vader_threshold_moves_the_neutral_band():
    # "meh" has a small negative compound score (about -0.08), "ok" a moderate positive one (about 0.3).
    assert baselines.vader_predict(["meh", "ok"]).tolist() == [NEGATIVE, POSITIVE]
    assert baselines.vader_predict(["meh", "ok"], threshold=0.1).tolist() == [NEUTRAL, POSITIVE]
    assert baselines.vader_predict(["meh", "ok"], threshold=0.5).tolist() == [NEUTRAL, NEUTRAL]
    with pytest.raises(ValueError, match="threshold"):
        baselines.vader_predict(["ok"], threshold=1.5)


@needs_vader
def test_vader_compound_convention_at_the_boundary():
    assert baselines.label_from_compound(0.05) == POSITIVE
    assert baselines.label_from_compound(-0.05) == NEGATIVE
    assert baselines.label_from_compound(0.0499) == NEUTRAL
    assert baselines.vader_predict([]).tolist() == []


def test_missing_vader_says_how_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_vader(name, *args, **kwargs):
        if name.startswith("vaderSentiment"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    baselines.vader_analyzer.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_vader)
    try:
        with pytest.raises(ImportError, match="pip install vaderSentiment"):
            baselines.vader_predict(["ok"])
    finally:
        monkeypatch.undo()
        baselines.vader_analyzer.cache_clear()
