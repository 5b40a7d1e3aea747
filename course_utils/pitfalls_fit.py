"""Pitfalls of fitting, each provoked by a run you can repeat, then cured by a remedy.

Introduced in notebook 07: overfitting and early stopping (over several seeds), underfitting
(the learning rate), and a hyperparameter grid search picked on validation data. The shared
plumbing and noise yardsticks are in :mod:`course_utils.pitfalls`.

About 300 lines: each of the three pitfalls keeps its runs and its plot side by side here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from course_utils.pitfalls import (
    ExperimentData,
    announce_curve_run,
    announce_runs,
    evaluate_on,
    legend_outside,
    train_run,
)
from course_utils.training import history_frame


# --------------------------------------------------------------------------------- 1. overfitting
@dataclass
class CurveRun:
    """One run's per-epoch curves, where validation peaked, and the scores of the model it returned."""

    history: pd.DataFrame
    planned_epochs: float
    validation: dict[str, float]  # the returned model's validation scores (early stopping: the best epoch's)
    test: dict[str, float]  # the returned model's test scores
    metric: str = "accuracy"  # what "best" means: highest validation accuracy, or lowest loss
    train_size: int | None = None  # training rows (None when unknown: a run built by hand)
    best_epoch: float = field(init=False)  # epoch with the best validation ``metric``
    last_epoch: float = field(init=False)  # last epoch actually trained

    def __post_init__(self):
        column = self.history[f"eval_{self.metric}"]
        best = column.idxmin() if self.metric == "loss" else column.idxmax()
        self.best_epoch = float(self.history.loc[best, "epoch"])
        self.last_epoch = float(self.history["epoch"].max())

    @property
    def best_val_accuracy(self) -> float:
        """Validation accuracy at the best epoch (with ``metric="accuracy"``: the highest one)."""
        return float(self.history.set_index("epoch").loc[self.best_epoch, "eval_accuracy"])


def curve_run(trainer, data: ExperimentData, planned_epochs: float, metric: str = "accuracy") -> CurveRun:
    """Summarise a trained Trainer: its per-epoch history, its training rows, then validation and test scores."""
    return CurveRun(history_frame(trainer.state.log_history), planned_epochs,
                    evaluate_on(trainer, data.tokenized["validation"], "eval"),
                    evaluate_on(trainer, data.tokenized["test"]), metric, len(trainer.train_dataset))


def overfitting_run(data: ExperimentData, train_size: int = 200, epochs: int = 10,
                    learning_rate: float | None = None, batch_size: int = 16, seed: int = 42) -> CurveRun:
    """Many epochs on few rows: training loss keeps falling, validation loss turns up."""
    announce_curve_run(data, f"{epochs} epochs on {train_size} tweets", train_size, epochs)
    trainer = train_run(data, data.train_rows(train_size), seed=seed, num_train_epochs=epochs,
                        learning_rate=learning_rate or data.profile.learning_rate,
                        per_device_train_batch_size=batch_size)
    return curve_run(trainer, data, epochs)


def early_stopping_arguments(metric: str = "accuracy") -> dict:
    """The ``TrainingArguments`` settings that early stopping needs (notebook 07 writes them out)."""
    return {
        "eval_strategy": "epoch",  # score the validation split after every epoch
        "save_strategy": "epoch",  # checkpoint every epoch (must match eval_strategy)...
        "save_total_limit": 1,  # ...keeping only the best one and the latest on disk
        "save_only_model": True,  # no optimizer state: smaller checkpoints
        "load_best_model_at_end": True,  # reload the best checkpoint when training stops
        "metric_for_best_model": metric,
        "greater_is_better": metric != "loss",
    }


def early_stopping_run(data: ExperimentData, train_size: int = 200, epochs: int = 10, patience: int = 2,
                       learning_rate: float | None = None, batch_size: int = 16, seed: int = 42,
                       metric: str = "accuracy") -> CurveRun:
    """The same run as :func:`overfitting_run`, stopped by ``EarlyStoppingCallback(patience)``;
    the best epoch (kept at the end) is judged by validation ``metric`` ("accuracy" or "loss")."""
    from transformers import EarlyStoppingCallback

    announce_curve_run(data, f"early stopping, at most {epochs} epochs on {train_size} tweets", train_size, epochs)
    trainer = train_run(data, data.train_rows(train_size), seed=seed, num_train_epochs=epochs,
                        learning_rate=learning_rate or data.profile.learning_rate,
                        per_device_train_batch_size=batch_size,
                        callbacks=[EarlyStoppingCallback(early_stopping_patience=patience)],
                        **early_stopping_arguments(metric))
    return curve_run(trainer, data, epochs, metric)


def early_stopping_replay(patience: int = 2):
    """A ``TrainerCallback`` that applies ``EarlyStoppingCallback(patience)``'s rule to validation
    accuracy without stopping the run, as ``load_best_model_at_end`` would see it: a new best is
    strictly higher than the best so far, ``patience`` evaluations in a row without one stop.

    It records ``stopped_after`` (the epoch the callback would have stopped after; ``None`` if it
    would not have stopped) and ``best_epoch``, with a copy of that epoch's weights in
    ``best_state`` (what the callback's run would have reloaded).
    """
    from transformers import TrainerCallback

    class EarlyStoppingReplay(TrainerCallback):
        def __init__(self):
            self.best, self.best_epoch, self.best_state, self.stopped_after, self.waited = None, None, None, None, 0

        def on_evaluate(self, args, state, control, metrics=None, model=None, **kwargs):
            if self.stopped_after is not None:
                return
            epoch, value = round(state.epoch, 3), metrics["eval_accuracy"]
            if self.best is None or value > self.best:
                self.best, self.best_epoch, self.waited = value, epoch, 0
                self.best_state = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
            else:
                self.waited += 1
                if self.waited >= patience:
                    self.stopped_after = epoch

    return EarlyStoppingReplay()


def overfit_and_stop(data: ExperimentData, train_size: int = 200, epochs: int = 10, patience: int = 2,
                     learning_rate: float | None = None, batch_size: int = 16,
                     seed: int = 42) -> tuple[CurveRun, CurveRun]:
    """:func:`overfitting_run` and :func:`early_stopping_run` from one training instead of two.

    With the same seed, the early-stopped run retraces the run of all epochs until it stops
    (notebook 07 checks it), so one run of all ``epochs`` with :func:`early_stopping_replay`
    gives both: the run of all epochs, and the model early stopping would have returned (its
    history up to the stop, the kept epoch's validation scores, and its test scores).
    """
    n_val, n_test = len(data.tokenized["validation"]), len(data.tokenized["test"])
    announce_runs(data, f"{epochs} epochs on {train_size} tweets, early stopping replayed", train_size * epochs,
                  n_val * (epochs + 1) + 2 * n_test)
    replay = early_stopping_replay(patience)
    trainer = train_run(data, data.train_rows(train_size), seed=seed, num_train_epochs=epochs,
                        learning_rate=learning_rate or data.profile.learning_rate,
                        per_device_train_batch_size=batch_size, callbacks=[replay])
    trainer.remove_callback(replay)  # the scoring below is not an epoch
    full = curve_run(trainer, data, epochs)
    h = full.history
    history = h[h["epoch"] <= (replay.stopped_after or full.last_epoch)].reset_index(drop=True)
    kept = history.set_index("epoch").loc[replay.best_epoch]
    trainer.model.load_state_dict(replay.best_state)
    stopped = CurveRun(history, epochs, {"eval_loss": float(kept["eval_loss"]),
                                         "eval_accuracy": float(kept["eval_accuracy"])},
                       evaluate_on(trainer, data.tokenized["test"]), train_size=full.train_size)
    return full, stopped


def early_stopping_table(runs: dict[int, tuple[CurveRun, CurveRun]]) -> pd.DataFrame:
    """One row per seed from ``{seed: (run of all epochs, early-stopped run)}``: where the long run's
    validation loss was lowest and its accuracy highest, where early stopping halted and which epoch
    it kept, both models' test accuracy, and the difference (early-stopped minus all epochs)."""
    rows = []
    for seed, (full, stopped) in runs.items():
        h = full.history
        rows.append({"seed": seed, "lowest val loss at": float(h.loc[h["eval_loss"].idxmin(), "epoch"]),
                     "best val accuracy at": full.best_epoch, "stopped after": stopped.last_epoch,
                     "kept epoch": stopped.best_epoch, "test, all epochs": full.test["test_accuracy"],
                     "test, early-stopped": stopped.test["test_accuracy"]})
    table = pd.DataFrame(rows).set_index("seed")
    table["difference"] = table["test, early-stopped"] - table["test, all epochs"]
    return table


def plot_overfitting(run: CurveRun, stopped: CurveRun | None = None):
    """Loss (training vs validation) and validation accuracy per epoch; where early stopping acted."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    h = run.history
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(12, 3.6), layout="constrained")
    loss_ax.plot(h["epoch"], h["train_loss"], marker="o", label="training loss")
    loss_ax.plot(h["epoch"], h["eval_loss"], marker="o", label="validation loss")
    low = h.loc[h["eval_loss"].idxmin()]
    loss_ax.annotate("lowest validation loss", (low["epoch"], low["eval_loss"]), xytext=(0, 25),
                     textcoords="offset points", ha="center", fontsize=8, arrowprops={"arrowstyle": "->"})
    acc_ax.plot(h["epoch"], h["eval_accuracy"], marker="o", color="tab:green", label="validation accuracy")
    for ax in (loss_ax, acc_ax):
        if stopped is not None:
            ax.axvline(stopped.last_epoch, color="tab:red", linestyle="--",
                       label=f"early stopping halts (epoch {stopped.last_epoch:g})")
            ax.axvspan(stopped.last_epoch, h["epoch"].max(), color="tab:red", alpha=0.06)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if stopped is not None:
        acc_ax.plot([stopped.best_epoch], [stopped.best_val_accuracy], marker="*", markersize=16,
                    color="tab:red", linestyle="none", label=f"kept: epoch {stopped.best_epoch:g}")
    loss_ax.set(title="loss", ylabel="cross-entropy")
    acc_ax.set(title="validation accuracy")
    legend_outside(loss_ax)
    legend_outside(acc_ax)
    fig.suptitle(f"{int(h['epoch'].max())} epochs on a small training set")
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------------- 2. underfitting
def learning_rate_sweep(data: ExperimentData, learning_rates, train_size: int = 500, epochs: int = 3,
                        batch_size: int | None = None, seed: int = 42) -> pd.DataFrame:
    """Per-epoch curves for each learning rate (validation only; the test split stays unused)."""
    announce_runs(data, f"{len(learning_rates)} learning rates x {epochs} epochs on {train_size} tweets",
                  len(learning_rates) * train_size * epochs,
                  len(learning_rates) * epochs * len(data.tokenized["validation"]), runs=len(learning_rates))
    frames = []
    for lr in learning_rates:
        trainer = train_run(data, data.train_rows(train_size), seed=seed, num_train_epochs=epochs,
                            learning_rate=lr,
                            per_device_train_batch_size=batch_size or data.profile.train_batch_size)
        frames.append(history_frame(trainer.state.log_history).assign(learning_rate=lr))
    return pd.concat(frames, ignore_index=True)


def plot_learning_rates(sweep: pd.DataFrame, baseline: float | None = None):
    """Training loss and validation accuracy per epoch, one line per learning rate."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
    for lr, runs in sweep.groupby("learning_rate"):
        loss_ax.plot(runs["epoch"], runs["train_loss"], marker="o", label=f"lr {lr:.2g}")
        acc_ax.plot(runs["epoch"], runs["eval_accuracy"], marker="o", label=f"lr {lr:.2g}")
    if baseline is not None:
        acc_ax.axhline(baseline, color="grey", linestyle=":", label=f"majority baseline {baseline:.2f}")
    loss_ax.set(title="training loss", xlabel="epoch")
    acc_ax.set(title="validation accuracy", xlabel="epoch")
    for ax in (loss_ax, acc_ax):
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    legend_outside(acc_ax)  # one legend for both panels (same colours), outside: it hides no curve
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------------- 3. grid search
@dataclass
class GridResult:
    """One row per setting (validation scores only) and the Trainer of the best one."""

    table: pd.DataFrame
    best: dict
    best_trainer: Any


def grid_search(data: ExperimentData, learning_rates, epochs, train_size: int = 500,
                batch_size: int | None = None, seed: int = 42) -> GridResult:
    """Train every (learning rate, epochs) pair; rank by *validation* accuracy, then validation loss
    (the test split is not touched).

    Only the final model of each run is scored (no per-epoch evaluation, to keep it cheap);
    only the best run's Trainer is kept in memory.
    """
    announce_runs(data, f"grid of {len(learning_rates) * len(epochs)} runs on {train_size} tweets",
                  len(learning_rates) * sum(epochs) * train_size,
                  len(learning_rates) * len(epochs) * len(data.tokenized["validation"]),
                  runs=len(learning_rates) * len(epochs))
    rows, best_trainer = [], None
    for lr in learning_rates:
        for n_epochs in epochs:
            started = time.perf_counter()
            trainer = train_run(data, data.train_rows(train_size), seed=seed, num_train_epochs=n_epochs,
                                learning_rate=lr, eval_strategy="no",
                                per_device_train_batch_size=batch_size or data.profile.train_batch_size)
            scores = evaluate_on(trainer, data.tokenized["validation"], "val")
            key = (scores["val_accuracy"], -scores["val_loss"])  # accuracy first, loss breaks ties
            if not rows or key > max((r["val_accuracy"], -r["val_loss"]) for r in rows):
                best_trainer = trainer
            rows.append({"learning_rate": lr, "epochs": n_epochs, "val_accuracy": scores["val_accuracy"],
                         "val_loss": scores["val_loss"], "seconds": time.perf_counter() - started})
    table = pd.DataFrame(rows)
    best = table.sort_values(["val_accuracy", "val_loss"], ascending=[False, True]).iloc[0].to_dict()
    return GridResult(table, best, best_trainer)


def plot_grid(grid: GridResult):
    """Heatmap of validation accuracy over learning rate x epochs; the chosen setting framed."""
    import matplotlib.pyplot as plt

    pivot = grid.table.pivot(index="learning_rate", columns="epochs", values="val_accuracy")
    fig, ax = plt.subplots(figsize=(1.4 * pivot.shape[1] + 2.5, 0.8 * pivot.shape[0] + 1.6))
    image = ax.imshow(pivot.to_numpy(), cmap="viridis", aspect="auto")
    for (i, j), value in np.ndenumerate(pivot.to_numpy()):
        ax.text(j, i, f"{value:.3f}", ha="center", va="center",
                color="black" if value > pivot.to_numpy().mean() else "white")
    i = list(pivot.index).index(grid.best["learning_rate"])
    j = list(pivot.columns).index(grid.best["epochs"])
    ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="tab:red", linewidth=3))
    ax.set_xticks(range(pivot.shape[1]), [f"{e:g}" for e in pivot.columns])
    ax.set_yticks(range(pivot.shape[0]), [f"{lr:.2g}" for lr in pivot.index])
    ax.set(xlabel="epochs", ylabel="learning rate", title="validation accuracy (red: chosen)")
    fig.colorbar(image, ax=ax, fraction=0.05)
    fig.tight_layout()
    plt.close(fig)
    return fig
