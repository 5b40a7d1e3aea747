"""Classical baselines: TF-IDF + logistic regression, and the VADER sentiment lexicon.

Introduced in notebook 05 (next to the majority baseline) and reused in notebook 06's final
comparison table. Neither is a language model: they are the yardsticks a fine-tuned GPT-2 has
to beat to be worth its cost.

- :func:`tfidf_logistic_regression` learns from the labelled training tweets, but only from
  which words and word pairs occur in them (scikit-learn).
- :func:`vader_predict` learns nothing: VADER (``vaderSentiment``, MIT licence) is a hand-made
  lexicon of word intensities with rules for negation, "but", capitals, "!" and emoticons,
  built for social-media text.

Predictions are label ids in the order of :data:`course_utils.data.LABELS`: 0 negative,
1 neutral, 2 positive.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from course_utils.schema import LABEL2ID, LABELS

__all__ = ["LABELS", "label_from_compound", "predict", "tfidf_logistic_regression",
           "vader_analyzer", "vader_predict"]

VADER_THRESHOLD = 0.05  # the compound-score cut-off VADER's authors recommend


def _texts(texts: Sequence[str | None]) -> list[str]:
    """Texts as strings (None becomes ""): the vectorizer and VADER then never see a non-string."""
    return [text if isinstance(text, str) else "" for text in texts]


# --------------------------------------------------------------------------------- TF-IDF + LR
def tfidf_logistic_regression(train_texts: Sequence[str], train_labels: Sequence[int],
                              C: float = 4.0) -> Pipeline:
    """A fitted ``TfidfVectorizer`` (words and word pairs) + ``LogisticRegression`` pipeline.

    ``C`` is the inverse regularisation strength (larger: fits the training tweets more closely).
    Deterministic (the lbfgs solver has no randomness) and single-threaded, so it neither varies
    between runs nor fights the notebook's other work for the CPU. Blank texts are allowed; they
    only carry the label's prior. Raises a ValueError for mismatched lengths, labels outside
    0..2, a single class, or training texts without a single word.
    """
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    texts, labels = _texts(train_texts), [int(label) for label in train_labels]
    if len(texts) != len(labels):
        raise ValueError(f"train_texts and train_labels must have the same number of rows; "
                         f"got {len(texts)} and {len(labels)}.")
    if not set(labels) <= set(LABEL2ID.values()):
        raise ValueError(f"labels must be 0, 1 or 2 ({', '.join(LABELS)}); got {sorted(set(labels))}.")
    if len(set(labels)) < 2:
        raise ValueError("tfidf_logistic_regression needs at least two different labels to tell apart.")
    model = Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("logreg", LogisticRegression(max_iter=2000, C=C)),
    ])
    try:
        with threadpool_limits(limits=1):  # one thread: parallel BLAS crawls on a busy 2-core box
            model.fit(texts, labels)
    except ValueError as error:
        if "empty vocabulary" in str(error):
            raise ValueError("The training texts contain no words to learn from "
                             "(all blank or punctuation only).") from None
        raise
    return model


def predict(model: Pipeline, texts: Sequence[str]) -> np.ndarray:
    """Label ids (0 negative, 1 neutral, 2 positive) for ``texts``; blank texts get a label too."""
    texts = _texts(texts)
    if not texts:
        return np.zeros(0, dtype=int)
    return np.asarray(model.predict(texts), dtype=int)


# --------------------------------------------------------------------------------- VADER
@functools.lru_cache(maxsize=1)
def vader_analyzer():
    """VADER's ``SentimentIntensityAnalyzer`` (loaded once), or an ImportError saying what to install."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        raise ImportError("The VADER baseline needs the vaderSentiment package: "
                          "pip install vaderSentiment (or pip install -r requirements.txt).") from None
    return SentimentIntensityAnalyzer()


def label_from_compound(compound: float, threshold: float = VADER_THRESHOLD) -> int:
    """VADER's convention: compound >= threshold is positive, <= -threshold negative, else neutral."""
    if compound >= threshold:
        return LABEL2ID["positive"]
    if compound <= -threshold:
        return LABEL2ID["negative"]
    return LABEL2ID["neutral"]


def vader_predict(texts: Sequence[str], threshold: float = VADER_THRESHOLD) -> np.ndarray:
    """Label ids from VADER's compound score (-1 to 1) with a neutral band of ``+-threshold``.

    Nothing is learned: the same text always gets the same label, whatever data it comes from.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], the range of VADER's compound score; got {threshold}.")
    texts = _texts(texts)
    if not texts:
        return np.zeros(0, dtype=int)
    analyzer = vader_analyzer()
    return np.array([label_from_compound(analyzer.polarity_scores(text)["compound"], threshold)
                     for text in texts], dtype=int)
