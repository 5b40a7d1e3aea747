"""Accuracy as an `evaluate` module, shipped with the course so `evaluate.load(path)` works offline.

Same interface as the Hub's "accuracy" metric: ``compute(predictions=..., references=...)``
returns ``{"accuracy": share of predictions equal to their reference}``. Introduced in notebook 05.
"""

import datasets
import evaluate
import numpy as np

_DESCRIPTION = "Share of predictions that equal their reference label (course copy, works offline)."
_KWARGS = """
predictions: list of int, predicted labels.
references: list of int, true labels.
normalize: bool, default True. False returns the count of correct predictions instead of the share.
sample_weight: optional list of float, one weight per example.
Returns: {"accuracy": float}
"""


class Accuracy(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS,
            features=datasets.Features(
                {"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}
            ),
        )

    def _compute(self, predictions, references, normalize=True, sample_weight=None):
        correct = (np.asarray(predictions) == np.asarray(references)).astype(float)
        weights = np.ones_like(correct) if sample_weight is None else np.asarray(sample_weight, float)
        total = float((correct * weights).sum())
        return {"accuracy": total / float(weights.sum()) if normalize else total}
