"""F1 score as an `evaluate` module, shipped with the course so `evaluate.load(path)` works offline.

``compute(predictions=..., references=..., average="macro")`` returns ``{"f1": ...}``. Unlike the
Hub's "f1" (binary by default) this copy defaults to ``average="macro"``: the unweighted mean of
the per-class F1 scores, which does not let the biggest class hide the others. ``"micro"``,
``"weighted"`` and ``None`` (one score per class) are supported too. Introduced in notebook 05.
"""

import datasets
import evaluate
import numpy as np

_DESCRIPTION = "F1 = 2 * precision * recall / (precision + recall), per class then averaged (course copy)."
_KWARGS = """
predictions: list of int, predicted labels.
references: list of int, true labels.
average: "macro" (default), "micro", "weighted" or None for one score per class.
labels: optional list of the class ids to score (default: every class seen in either list).
Returns: {"f1": float, or a list of floats when average is None}
"""


def _per_class_f1(pred: np.ndarray, ref: np.ndarray, labels: np.ndarray) -> np.ndarray:
    scores = []
    for label in labels:
        tp = np.sum((pred == label) & (ref == label))
        fp = np.sum((pred == label) & (ref != label))
        fn = np.sum((pred != label) & (ref == label))
        denominator = 2 * tp + fp + fn
        scores.append(2 * tp / denominator if denominator else 0.0)
    return np.asarray(scores, dtype=float)


class F1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS,
            features=datasets.Features(
                {"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}
            ),
        )

    def _compute(self, predictions, references, average="macro", labels=None):
        pred, ref = np.asarray(predictions), np.asarray(references)
        labels = np.unique(np.concatenate([pred, ref])) if labels is None else np.asarray(labels)
        per_class = _per_class_f1(pred, ref, labels)
        if average is None:
            return {"f1": per_class.tolist()}
        if average == "macro":
            return {"f1": float(per_class.mean())}
        if average == "weighted":
            support = np.array([np.sum(ref == label) for label in labels], dtype=float)
            return {"f1": float((per_class * support).sum() / support.sum())}
        if average == "micro":
            return {"f1": float(np.mean(pred == ref))}
        raise ValueError(f"average={average!r} is not one of 'macro', 'micro', 'weighted', None.")
