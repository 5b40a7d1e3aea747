"""F1 score as an `evaluate` module, shipped with the course so `evaluate.load(path)` works offline.

``compute(predictions=..., references=..., average="macro")`` returns ``{"f1": ...}``. Like the
Hub's "f1" it defaults to ``average="binary"`` (the F1 of ``pos_label``, 1), which refuses three
classes with the Hub's own error, so code that forgets ``average`` fails the same way offline
and in Colab. ``"macro"`` is the unweighted mean of the per-class F1 scores, which does not let
the biggest class hide the others; ``"micro"``, ``"weighted"`` and ``None`` (one score per class)
are supported too. Introduced in notebook 05.
"""

import datasets
import evaluate
import numpy as np

_DESCRIPTION = "F1 = 2 * precision * recall / (precision + recall), per class then averaged (course copy)."
_KWARGS = """
predictions: list of int, predicted labels.
references: list of int, true labels.
average: "binary" (default: the F1 of pos_label, two classes only), "macro", "micro", "weighted",
    or None for one score per class.
pos_label: the class whose F1 "binary" reports (default 1).
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

    def _compute(self, predictions, references, average="binary", labels=None, pos_label=1):
        pred, ref = np.asarray(predictions), np.asarray(references)
        if average == "binary":
            if len(np.unique(np.concatenate([pred, ref]))) > 2:
                raise ValueError("Target is multiclass but average='binary'. Please choose another average "
                                 "setting, one of [None, 'micro', 'macro', 'weighted'].")
            return {"f1": float(_per_class_f1(pred, ref, np.asarray([pos_label]))[0])}
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
        raise ValueError(f"average={average!r} is not one of 'binary', 'macro', 'micro', 'weighted', None.")
