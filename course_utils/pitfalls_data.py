"""Data pitfalls, measured: test rows leaking into training, and wrong training labels.

Introduced in notebook 08. :func:`leakage_run` trains on a split with test rows copied in and shows
the inflated score next to a clean one; the leak is found with the course's overlap finder
(:func:`course_utils.data.split_overlap`: exact and normalised near-duplicates). :func:`label_noise_run`
flips a growing share of training labels and :func:`flag_suspects` finds the flipped rows again
by their training loss. Shares the plumbing of :mod:`course_utils.pitfalls`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_utils.data import split_overlap
from course_utils.pitfalls import (
    ExperimentData,
    accuracy_on_rows,
    announce_runs,
    evaluate_on,
    legend_outside,
    quiet,
    train_run,
)
from course_utils.schema import ID2LABEL, LABELS
from course_utils.training import tokenize_dataset


def leakage_run(data: ExperimentData, leaky_train, leak_rows: int, train_size: int = 1000, epochs: int = 3,
                seed: int = 42) -> dict:
    """Train a clean model and a leaky one, and score both on every part of the test split.

    The clean model learns the first ``train_size`` training rows; the leaky one learns
    ``leaky_train``, a raw split that notebook 08 builds with ``concatenate_datasets``: the same rows
    plus the first ``leak_rows`` test rows. Both are scored on the whole test split (what a leaky
    pipeline would report), on the leaked rows, and on the rest (clean, never seen). The overlap
    finder (:func:`course_utils.data.split_overlap`) is run on ``leaky_train``; scoring only the test
    rows it does not flag is the remedy. Returns the scores table and the overlap table.
    """
    test, raw_test = data.tokenized["test"], data.raw["test"]
    if not 0 < leak_rows < len(test) or len(leaky_train) != train_size + leak_rows:
        raise ValueError(f"leaky_train must hold the {train_size} training rows plus the first leak_rows "
                         f"(1 to {len(test) - 1}) test rows; got {len(leaky_train)} rows, leak_rows={leak_rows}")
    leaked, kept = range(leak_rows), range(leak_rows, len(test))
    with quiet():
        overlap = split_overlap(leaky_train, raw_test)
        tokenized_leaky = tokenize_dataset(leaky_train, data.tokenizer, data.profile.max_length)
    flagged = set(overlap["test_id"])
    unflagged = [i for i, row_id in enumerate(raw_test["id"][:]) if row_id not in flagged]
    subsets = {"test (as reported)": range(len(test)), "leaked rows": leaked, "clean held-out rows": kept,
               "rows the finder did not flag": unflagged}
    announce_runs(data, f"a clean and a leaky model, {epochs} epochs each", (2 * train_size + leak_rows) * epochs,
                  2 * len(test), runs=2)
    rows = []
    for name, rows_used in (("clean model", data.train_rows(train_size)), ("leaky model", tokenized_leaky)):
        trainer = train_run(data, rows_used, seed=seed, num_train_epochs=epochs, eval_strategy="no")
        rows.append({"model": name, **accuracy_on_rows(trainer, test, subsets)})
    return {"scores": pd.DataFrame(rows).set_index("model"), "overlap": overlap,
            "leak_rows": leak_rows, "flagged_rows": len(flagged), "unflagged_rows": len(unflagged)}


def plot_leakage(result: dict):
    """Grouped bars: each model's accuracy on the reported test split, the leaked rows and clean rows."""
    import matplotlib.pyplot as plt

    scores = result["scores"][["test (as reported)", "leaked rows", "clean held-out rows",
                               "rows the finder did not flag"]]
    fig, ax = plt.subplots(figsize=(10, 3.6), layout="constrained")
    x, width = np.arange(len(scores.columns)), 0.38
    for i, (model, values) in enumerate(scores.iterrows()):
        bars = ax.bar(x + (i - 0.5) * width, values.to_numpy(), width, label=model)
        ax.bar_label(bars, fmt="%.3f", fontsize=8)
    ax.set_ylim(0, 1.08)  # bars of a score start at 0: their heights compare honestly
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_xticks(x, scores.columns)
    ax.set(ylabel="accuracy", title=f"{result['leak_rows']} test rows copied into training")
    legend_outside(ax)
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------------- label noise
def flip_labels(dataset, share: float, seed: int = 0):
    """A copy of ``dataset`` with ``share`` of its labels changed to another class (chosen at
    random); returns ``(dataset, flipped row indices)``. Keeps ``label_text`` in step if present."""
    rng = np.random.default_rng(seed)
    n = len(dataset)
    flipped = np.sort(rng.choice(n, size=round(share * n), replace=False))
    labels = np.asarray(dataset["label"][:]).copy()
    labels[flipped] = (labels[flipped] + rng.integers(1, len(LABELS), size=len(flipped))) % len(LABELS)
    with quiet():
        noisy = dataset.remove_columns("label").add_column("label", labels.tolist(),
                                                           feature=dataset.features["label"])
        if "label_text" in noisy.column_names:
            noisy = noisy.remove_columns("label_text").add_column("label_text", [ID2LABEL[int(v)] for v in labels])
        return noisy.select_columns(dataset.column_names), flipped.tolist()


@dataclass
class Suspects:
    """Training rows ranked by their own loss under the trained model, and how many were flipped."""

    table: pd.DataFrame  # one row per training example, highest loss first
    flagged: int
    precision: float  # share of the flagged rows whose label had really been flipped
    recall: float  # share of the flipped rows that were flagged
    flip_rate: float  # precision of flagging rows at random


def flag_suspects(trainer, tokenized_train, raw_train, flipped, flag: int | None = None) -> Suspects:
    """Rank training rows by the loss the trained model gives their *given* label; flag the top ``flag``
    (default: as many as were flipped) and score the flags against the rows really flipped."""
    with quiet():
        output = trainer.predict(tokenized_train)
    logits, labels = output.predictions, output.label_ids
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    losses = -log_probs[np.arange(len(labels)), labels]
    flag = len(flipped) if flag is None else flag
    is_flipped = np.zeros(len(labels), dtype=bool)
    is_flipped[list(flipped)] = True
    table = pd.DataFrame({"text": raw_train["text"][:], "given label": [ID2LABEL[int(v)] for v in labels],
                          "model says": [ID2LABEL[int(v)] for v in logits.argmax(axis=1)],
                          "loss": losses, "really flipped": is_flipped})
    table = table.sort_values("loss", ascending=False, kind="stable")
    hits = int(table["really flipped"].iloc[:flag].sum())
    return Suspects(table, flag, hits / max(flag, 1), hits / max(len(flipped), 1), len(flipped) / len(labels))


def label_noise_run(data: ExperimentData, shares=(0.0, 0.1, 0.3, 0.5), train_size: int = 1000,
                    epochs: int = 3, inspect_share: float | None = 0.3, seed: int = 42):
    """Train on labels with ``shares`` flipped; test accuracy per share (the test labels are untouched).

    For ``inspect_share`` the trained model also ranks its own training rows by loss
    (:func:`flag_suspects`). Returns ``(table, suspects or None)``.
    """
    raw_train = data.raw["train"].select(range(train_size))
    announce_runs(data, f"{len(shares)} models, {epochs} epochs on {train_size} tweets each",
                  len(shares) * train_size * epochs,
                  len(shares) * len(data.tokenized["test"]) + (train_size if inspect_share is not None else 0),
                  runs=len(shares))
    rows, suspects = [], None
    for share in shares:
        with quiet():
            noisy_raw, flipped = flip_labels(raw_train, share, seed=seed)
            noisy = tokenize_dataset(noisy_raw, data.tokenizer, data.profile.max_length)
        trainer = train_run(data, noisy, seed=seed, num_train_epochs=epochs, eval_strategy="no")
        rows.append({"flipped share": share, "flipped rows": len(flipped),
                     "test accuracy": evaluate_on(trainer, data.tokenized["test"])["test_accuracy"]})
        if inspect_share is not None and np.isclose(share, inspect_share):
            suspects = flag_suspects(trainer, noisy, noisy_raw, flipped)
    return pd.DataFrame(rows), suspects


def plot_label_noise(table: pd.DataFrame, suspects: Suspects | None = None, baseline: float | None = None):
    """Test accuracy against the share of flipped training labels; with ``suspects``, the share of
    really flipped rows among the top-ranked training rows by loss."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2 if suspects else 1, figsize=(12 if suspects else 6, 3.6), squeeze=False,
                             layout="constrained")
    ax = axes[0, 0]
    ax.plot(100 * table["flipped share"], table["test accuracy"], marker="o")
    for share, acc in zip(table["flipped share"], table["test accuracy"], strict=True):
        ax.annotate(f"{acc:.3f}", (100 * share, acc), xytext=(0, 6), textcoords="offset points",
                    ha="center", fontsize=8)
    if baseline is not None:
        ax.axhline(baseline, color="grey", linestyle=":", label=f"majority baseline {baseline:.2f}")
        legend_outside(ax)
    ax.set(xlabel="training labels flipped (%)", ylabel="test accuracy", title="garbage in, garbage out")
    ax.margins(y=0.15)
    ax.grid(alpha=0.3)
    if suspects:
        ax = axes[0, 1]
        flipped = suspects.table["really flipped"].to_numpy()
        ranks = np.arange(1, len(flipped) + 1)
        ax.plot(100 * ranks / len(flipped), np.cumsum(flipped) / ranks, label="rows ranked by training loss")
        ax.axhline(suspects.flip_rate, color="grey", linestyle=":", label=f"random pick ({suspects.flip_rate:.0%})")
        ax.axvline(100 * suspects.flagged / len(flipped), color="tab:red", linestyle="--",
                   label=f"flag top {suspects.flagged}: precision {suspects.precision:.0%}")
        ax.set(xlabel="share of training rows flagged (%)", ylabel="share really flipped",
               title="finding the bad rows", ylim=(0, 1.05))
        ax.grid(alpha=0.3)
        legend_outside(ax)
    plt.close(fig)
    return fig
