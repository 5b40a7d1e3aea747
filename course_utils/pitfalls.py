"""What every pitfall experiment shares: its data, its training runs, and the noise yardsticks.

Introduced in notebook 07 and used again in 08: :func:`prepare` and :func:`train_run` (the
plumbing) and :func:`legend_outside` for the plots. Whether a difference is larger than its noise
is judged by :mod:`course_utils.metrics` (:func:`~course_utils.metrics.compare_accuracies`,
:func:`~course_utils.metrics.compare_over_seeds`). The experiments
themselves are split by theme: overfitting, underfitting and tuning (notebook 07) in
:mod:`course_utils.pitfalls_fit`; leakage and label noise in :mod:`course_utils.pitfalls_data`;
forgetting, pre-training and domain adaptation in :mod:`course_utils.pitfalls_lm` (notebook 08).

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
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_utils.costs import announce
from course_utils.data import make_subsets
from course_utils.metrics import make_compute_metrics
from course_utils.model import freeze_all_but_top, load_classifier, load_tokenizer
from course_utils.profiles import Profile
from course_utils.training import finetune, tokenize_dataset, training_arguments


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
                training_arguments(data.profile, out, seed=seed, data_seed=seed, **overrides),
                compute_metrics=data.compute_metrics, callbacks=callbacks, train=False,
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
