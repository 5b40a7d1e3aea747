"""Pitfalls of fine-tuning, each one provoked by a run you can repeat, then cured by a remedy.

Introduced in notebook 07: overfitting and early stopping, underfitting (learning rate), and a
hyperparameter grid search, plus the plumbing every pitfall experiment shares (:func:`prepare`,
:func:`train_run`), the yardsticks that say whether a difference is larger than its noise
(:func:`standard_error` for one run, :func:`mean_and_spread` over seeds, :func:`noise_verdict`),
and :func:`legend_outside` for the plots. Notebook 08's experiments are split by theme: data
problems (leakage, label noise) in :mod:`course_utils.pitfalls_data`, and those that turn the
classifier back into a language model (catastrophic forgetting, pre-training, domain adaptation)
in :mod:`course_utils.pitfalls_lm`.

Every experiment is a function that trains fresh models with the Trainer (through
:func:`course_utils.training.finetune`) in a temporary folder, with fixed seeds, and returns a
small result (a DataFrame or a dataclass) plus a ``plot_*`` function. Nothing is cached: the
effect is measured each time it is shown, after a ``[cost]`` line that says how long it will
take. Sizes are arguments (the notebooks take them from ``profile.plan``), so the unit tests run
each experiment tiny and the notebooks at their profile's size. Learning rates default to the
profile's, so the same call suits the pocket model and ``gpt2``. Where the plan says so
(``trainable_blocks``, the 2-core CPU profile), runs train only the top transformer blocks.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from course_utils.costs import announce
from course_utils.data import make_subsets
from course_utils.model import freeze_all_but_top
from course_utils.profiles import Profile
from course_utils.training import finetune, history_frame, tokenize_dataset


# --------------------------------------------------------------------------------- plumbing
@dataclass
class ExperimentData:
    """Everything an experiment needs: the profile, the tokenizer, raw and tokenised splits."""

    profile: Profile
    tokenizer: Any
    raw: Any  # DatasetDict train / validation / test with the text columns
    tokenized: Any  # the same rows, tokenised (label, input_ids, attention_mask)
    compute_metrics: Any = None

    def train_rows(self, n: int | None = None):
        """The first ``n`` tokenised training rows (the pool is already shuffled)."""
        train = self.tokenized["train"]
        return train if n is None else train.select(range(min(n, len(train))))


def prepare(tweets, profile: Profile, train_size: int, val_size: int, test_size: int,
            seed: int = 42) -> ExperimentData:
    """Subsets of ``tweets`` (from ``load_tweets``), the profile's tokenizer, and tokenised copies.

    The validation subset, scored after every epoch of every run, is sorted by length (raw and
    tokenised alike): its batches then need almost no padding. Its order changes no score.
    """
    from course_utils.metrics import make_compute_metrics
    from course_utils.model import load_tokenizer

    with quiet():
        tokenizer = load_tokenizer(profile.model)
        raw = make_subsets(tweets, train_size, val_size, test_size, seed=seed)
        lengths = [len(ids) for ids in tokenizer(raw["validation"]["text"][:])["input_ids"]]
        raw["validation"] = raw["validation"].select(np.argsort(lengths, kind="stable"))
        tokenized = tokenize_dataset(raw, tokenizer, profile.max_length)
    return ExperimentData(profile, tokenizer, raw, tokenized, make_compute_metrics())


@contextlib.contextmanager
def quiet():
    """Silence the load reports, progress bars and warnings of many short runs."""
    import warnings

    import datasets
    import transformers

    verbosity = transformers.logging.get_verbosity()
    bars = datasets.is_progress_bar_enabled()
    hf_bars = transformers.utils.logging.is_progress_bar_enabled()
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    datasets.disable_progress_bars()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        transformers.logging.set_verbosity(verbosity)
        if bars:
            datasets.enable_progress_bars()
        if hf_bars:
            transformers.utils.logging.enable_progress_bar()


def limit_training(model, profile: Profile):
    """Apply the profile's plan: on the 2-core CPU profile train only the top blocks (cheaper
    backward pass and optimizer), elsewhere leave every weight trainable. Returns the model."""
    blocks = profile.plan.trainable_blocks
    return freeze_all_but_top(model, blocks) if blocks else model


def announce_runs(data: ExperimentData, what: str, trained: float, scored: float = 0, runs: int = 1,
                  all_blocks: bool = False) -> float:
    """The ``[cost]`` line of an experiment: ``runs`` models loaded, ``trained`` tweet-epochs,
    ``scored`` tweets."""
    unit = "train" if all_blocks or not data.profile.plan.trainable_blocks else "train_top"
    return announce(data.profile, what, runs=runs, **{unit: trained}, score=scored)


def announce_curve_run(data: ExperimentData, what: str, train_size: int, epochs: int) -> float:
    """The ``[cost]`` line of a run scored on validation after every epoch, then on validation
    and test once more (:func:`curve_run`): overfitting and early stopping."""
    n_val, n_test = len(data.tokenized["validation"]), len(data.tokenized["test"])
    return announce_runs(data, what, train_size * epochs, n_val * (epochs + 1) + n_test)


def train_run(data: ExperimentData, train=None, *, model=None, eval_dataset=None, seed: int = 42,
              callbacks=None, all_blocks: bool = False, **overrides):
    """Fine-tune a fresh classifier (or ``model``) on ``train``; returns the trained Trainer.

    Evaluates on the validation split every epoch unless ``eval_strategy`` is overridden; the
    run writes to a temporary folder that is deleted afterwards (nothing is reused). Unless
    ``all_blocks``, the profile's plan may freeze the lower blocks (:func:`limit_training`).
    """
    from transformers import set_seed
    from transformers.trainer_callback import PrinterCallback

    from course_utils.model import load_classifier

    with quiet():
        set_seed(seed)
        if model is None:
            model = load_classifier(data.profile.model, data.tokenizer)
        if not all_blocks:
            limit_training(model, data.profile)
        with tempfile.TemporaryDirectory(prefix="pitfall-") as out:
            trainer = finetune(
                model, data.tokenizer, data.train_rows() if train is None else train,
                data.tokenized["validation"] if eval_dataset is None else eval_dataset,
                data.profile, out, compute_metrics=data.compute_metrics, callbacks=callbacks,
                train=False, seed=seed, data_seed=seed, **overrides,
            )
            trainer.remove_callback(PrinterCallback)  # no log dict printed per epoch
            trainer.train()
    return trainer


def accuracy_on_rows(trainer, dataset, subsets: dict) -> dict[str, float]:
    """Accuracy on several row subsets of ``dataset`` from one prediction pass (``trainer.predict``)."""
    with quiet():
        output = trainer.predict(dataset)
    correct = output.predictions.argmax(axis=-1) == output.label_ids
    return {name: float(correct[list(rows)].mean()) for name, rows in subsets.items()}


def evaluate_on(trainer, dataset, prefix: str = "test") -> dict[str, float]:
    """``trainer.evaluate(dataset)``, quietly, with the keys prefixed by ``prefix``."""
    with quiet():
        return trainer.evaluate(dataset, metric_key_prefix=prefix)


def legend_outside(ax):
    """The legend of ``ax`` to the right of the axes, where it cannot hide a curve or a bar (the
    figure needs ``layout="constrained"`` to make room for it)."""
    return ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)


# --------------------------------------------------------------------------------- noise
def standard_error(accuracy: float, n: int) -> float:
    """Standard error of an accuracy measured on ``n`` examples, ``sqrt(p (1 - p) / n)``: how much a
    single run's score moves with the choice of examples alone."""
    return float(np.sqrt(accuracy * (1 - accuracy) / n))


def mean_and_spread(values) -> tuple[float, float]:
    """Mean and standard deviation (``ddof=1``) of one measure over several seeds (at least two)."""
    values = np.asarray(list(values), dtype=float)
    if len(values) < 2:
        raise ValueError(f"a spread over seeds needs at least 2 values, got {len(values)}")
    return float(values.mean()), float(values.std(ddof=1))


def noise_verdict(difference: float, spread: float) -> str:
    """Whether a measured ``difference`` stands out of its noise, in words for a printed line.

    "within noise" when ``|difference| < spread`` (or the difference is exactly 0), else "higher by"
    or "lower by". ``spread`` is the standard deviation of the difference over seeds
    (:func:`mean_and_spread`) or, for a single run, twice the :func:`standard_error`.
    """
    if difference == 0 or abs(difference) < spread:
        return f"within noise (|{difference:+.3f}| < {spread:.3f})"
    return f"{'higher' if difference > 0 else 'lower'} by {abs(difference):.3f}, more than the noise ({spread:.3f})"


# --------------------------------------------------------------------------------- 1. overfitting
@dataclass
class CurveRun:
    """One run's per-epoch curves, where validation peaked, and the scores of the model it returned."""

    history: pd.DataFrame
    planned_epochs: float
    validation: dict[str, float]  # the returned model's validation scores (early stopping: the best epoch's)
    test: dict[str, float]  # the returned model's test scores
    metric: str = "accuracy"  # what "best" means: highest validation accuracy, or lowest loss
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
    """Summarise a trained Trainer: its per-epoch history, then validation and test scores."""
    return CurveRun(history_frame(trainer.state.log_history), planned_epochs,
                    evaluate_on(trainer, data.tokenized["validation"], "eval"),
                    evaluate_on(trainer, data.tokenized["test"]), metric)


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
                       evaluate_on(trainer, data.tokenized["test"]))
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
    import time

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
