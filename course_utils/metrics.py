"""Metrics: offline-capable ``evaluate`` modules, ``compute_metrics``, the confusion matrix, and the
noise yardsticks every comparison of two scores is judged by.

Introduced in notebook 05; the noise yardsticks (:func:`standard_error`, :func:`mean_and_spread`,
:func:`compare_accuracies`, :func:`compare_over_seeds`) in notebook 01, where the first two
scores are compared, and used by every later notebook. ``evaluate.load("accuracy")`` downloads
a script from the Hub at run
time; the course ships its own accuracy and F1 modules in ``course_utils/evaluate_metrics`` and
:func:`~course_utils.environment.metric_source` (also ``profile.metrics``) says which to load: the
Hub name online (the lesson's default), the shipped folder when the offline switches are set.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from course_utils.environment import SHIPPED_METRICS, metric_source
from course_utils.schema import LABELS


def load_metrics(prefer_local: bool | None = None) -> tuple:
    """Load accuracy and F1 with ``evaluate.load`` (Hub or shipped copy, see :func:`metric_source`)."""
    import evaluate

    return tuple(evaluate.load(metric_source(n, prefer_local)) for n in SHIPPED_METRICS)


def make_compute_metrics(prefer_local: bool | None = None) -> Callable[[tuple], dict[str, float]]:
    """A ``compute_metrics`` for the Trainer: argmax of the logits, then accuracy and macro-F1.

    Notebook 05 writes the same function out in full; this copy serves the CLI and the pitfalls.
    """
    accuracy, f1 = load_metrics(prefer_local)

    def compute_metrics(eval_pred) -> dict[str, float]:
        logits, labels = eval_pred
        predictions = np.argmax(logits, axis=-1)
        return {
            **accuracy.compute(predictions=predictions, references=labels),
            "macro_f1": f1.compute(predictions=predictions, references=labels, average="macro")["f1"],
        }

    return compute_metrics


def confusion_matrix(references: Sequence[int], predictions: Sequence[int], num_labels: int = 3) -> np.ndarray:
    """Counts ``[true, predicted]`` for labels ``0..num_labels-1``."""
    matrix = np.zeros((num_labels, num_labels), dtype=int)
    np.add.at(matrix, (np.asarray(references), np.asarray(predictions)), 1)
    return matrix


def plot_confusion_matrix(references: Sequence[int], predictions: Sequence[int],
                          label_names: Sequence[str] = LABELS,
                          title: str = "Confusion matrix"):
    """A confusion matrix figure: counts, with each row's share of its true class in brackets.

    Returns the matplotlib Figure, closed (display it, or make it a cell's last expression, to
    show it once).
    """
    import matplotlib.pyplot as plt

    matrix = confusion_matrix(references, predictions, len(label_names))
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(4.6, 4))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for (i, j), count in np.ndenumerate(matrix):
        ax.text(j, i, f"{count}\n({shares[i, j]:.0%})", ha="center", va="center",
                color="white" if shares[i, j] > 0.6 else "black", fontsize=9)
    ax.set_xticks(range(len(label_names)), label_names)
    ax.set_yticks(range(len(label_names)), label_names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)  # displayed once, by the notebook, when returned
    return fig


def plot_scores(table, columns: Sequence[str] = ("accuracy", "macro_f1"),
                title: str = "Accuracy and macro-F1 side by side"):
    """Grouped bars: one group per row of ``table`` (a DataFrame indexed by model name), one bar
    per metric in ``columns``, each labelled with its value. Returns the Figure, closed."""
    import matplotlib.pyplot as plt

    names = [textwrap.fill(str(name), 18) for name in table.index]
    x = np.arange(len(names))
    width = 0.8 / len(columns)
    fig, ax = plt.subplots(figsize=(max(5.0, 1.6 * len(names) + 1.5), 3.6))
    for i, column in enumerate(columns):
        bars = ax.bar(x + (i - (len(columns) - 1) / 2) * width, table[column].astype(float), width,
                      label="macro-F1" if column == "macro_f1" else column.replace("_", " "))
        ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.set_xticks(x, names, fontsize=9)
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("score (1 = perfect)")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------------- noise
VERDICT_TAG = "[verdict]"
OUTCOMES = ("higher", "lower", "within noise")


def standard_error(accuracy: float, n: int) -> float:
    """Standard error of an accuracy measured on ``n`` examples, ``sqrt(p (1 - p) / n)``: how much a
    single run's score moves with the choice of examples alone."""
    if n < 1:
        raise ValueError(f"a standard error needs at least 1 example, got n={n}")
    return float(np.sqrt(accuracy * (1 - accuracy) / n))


def mean_and_spread(values: Iterable[float]) -> tuple[float, float]:
    """Mean and standard deviation (``ddof=1``) of one measure over several seeds (at least two)."""
    values = np.asarray(list(values), dtype=float)
    if len(values) < 2:
        raise ValueError(f"a spread over seeds needs at least 2 values, got {len(values)}")
    return float(values.mean()), float(values.std(ddof=1))


@dataclass(frozen=True)
class Verdict:
    """A difference judged against its noise, printed as one machine-checkable line.

    Every number is rounded to 3 decimals first and the outcome is decided on the rounded numbers,
    so the printed line always agrees with itself: "within noise" when ``|difference| < noise``
    (or the difference is 0), else "higher" or "lower". ``a`` and ``b`` are the two scores when
    the difference is ``a - b``; ``yardstick`` says what the noise is.
    """

    name: str
    difference: float
    noise: float
    yardstick: str
    a: float | None = None
    b: float | None = None

    @property
    def outcome(self) -> str:
        """``"higher"``, ``"lower"`` or ``"within noise"`` (of ``a`` against ``b``)."""
        thousandths, noise = round(self.difference * 1000), round(self.noise * 1000)
        if thousandths == 0 or abs(thousandths) < noise:
            return "within noise"
        return "higher" if thousandths > 0 else "lower"

    @property
    def ratio(self) -> float:
        """``|difference| / noise`` (infinite when the noise is 0 and the difference is not)."""
        if self.noise == 0:
            return 0.0 if self.difference == 0 else float("inf")
        return abs(self.difference) / self.noise

    def __str__(self) -> str:
        scores = "" if self.a is None else f"a={self.a:.3f} b={self.b:.3f} "
        return (f"{VERDICT_TAG} {self.name}: {scores}diff={self.difference:+.3f} noise={self.noise:.3f} "
                f"({self.yardstick}) -> {self.outcome}")


def compare_accuracies(name: str, a: float, b: float, n: int) -> Verdict:
    """Accuracy ``a`` against ``b``, both measured once on ``n`` tweets: the noise of one run is
    twice the :func:`standard_error` of ``b`` (about a 95 % interval for a single score)."""
    a, b = round(float(a), 3), round(float(b), 3)
    noise = round(2 * standard_error(b, n), 3)
    return Verdict(name, round(a - b, 3), noise, f"2 SE of b on {n} tweets", a, b)


def compare_over_seeds(name: str, differences: Iterable[float]) -> Verdict:
    """The mean of a difference measured with several seeds, against its standard deviation over
    those seeds (:func:`mean_and_spread`)."""
    differences = list(differences)
    mean, spread = mean_and_spread(differences)
    return Verdict(name, round(mean, 3), round(spread, 3), f"sd over {len(differences)} seeds")
