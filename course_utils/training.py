"""Training plumbing around the Trainer: tokenising, the recipe's arguments, curves.

Introduced in notebook 06, which writes ``TrainingArguments(...)``, ``Trainer(...)``,
``.train()`` and ``.evaluate()`` out in full. :func:`lesson_arguments` is the same recipe as one
call (the ``train`` command uses it; a test holds notebook 06's cell equal to it on every
profile); :func:`training_arguments` is that recipe without its checkpoints, for the experiments.
The ``train`` command, the pocket comparison and the pitfall experiments call :func:`finetune`,
which builds the Trainer notebook 06 builds, so that each experiment reads as what it changes.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from course_utils.metrics import make_compute_metrics
from course_utils.profiles import Profile

TEXT_COLUMNS = ("id", "text", "label_text")


def tokenize_dataset(dataset, tokenizer, max_length: int):
    """``dataset.map(tokenizer(...), batched=True)`` with truncation and no padding.

    Padding happens per batch in ``DataCollatorWithPadding`` (dynamic padding, notebook 03).
    Keeps ``label``; drops the raw text columns the model cannot take.
    """

    def tokenize_function(batch):
        return tokenizer(batch["text"], truncation=True, max_length=max_length)

    columns = dataset.column_names
    columns = columns[next(iter(columns))] if isinstance(columns, dict) else columns
    return dataset.map(tokenize_function, batched=True,
                       remove_columns=[c for c in TEXT_COLUMNS if c in columns])


def training_arguments(profile: Profile, output_dir: str | Path, **overrides):
    """``TrainingArguments`` for ``profile``: evaluation and logging every epoch, seed 42,
    the profile's batch sizes, epochs, learning rate and precision, no checkpoints (the
    experiments' runs). ``overrides`` win."""
    from transformers import TrainingArguments

    settings = {
        "output_dir": str(output_dir),
        "per_device_train_batch_size": profile.train_batch_size,
        "per_device_eval_batch_size": profile.eval_batch_size,
        "num_train_epochs": profile.epochs,
        "learning_rate": profile.learning_rate,
        "eval_strategy": "epoch",
        "logging_strategy": "epoch",
        "save_strategy": "no",
        "seed": 42,
        "data_seed": 42,
        "report_to": "none",
        "use_cpu": profile.device == "cpu",
        "disable_tqdm": True,
        **profile.trainer_precision_args,
    }
    settings.update(overrides)
    return TrainingArguments(**settings)


# What the lesson's run adds: a checkpoint per epoch (resume after an interruption), at most two
# kept (the best and the last), the epoch with the best validation accuracy reloaded at the end,
# and batches of tweets of similar length (less padding).
LESSON_SETTINGS = {"save_strategy": "epoch", "save_total_limit": 2, "load_best_model_at_end": True,
                   "metric_for_best_model": "accuracy", "train_sampling_strategy": "group_by_length"}


def lesson_arguments(profile: Profile, output_dir: str | Path, **overrides):
    """The lesson's ``TrainingArguments``: every field notebook 06 writes out, as one call
    (:func:`training_arguments` and :data:`LESSON_SETTINGS`). ``overrides`` win."""
    return training_arguments(profile, output_dir, **{**LESSON_SETTINGS, **overrides})


def finetune(model, tokenizer, train_dataset, eval_dataset, args, compute_metrics=None, callbacks=None,
             train: bool = True, ordered_eval: bool = False):
    """Build a ``Trainer`` on ``args`` (``TrainingArguments``) with dynamic padding and
    ``compute_metrics``; train it unless ``train=False``. ``ordered_eval`` evaluates rows in their
    stored order (:func:`ordered_eval_trainer`).

    ``eval_dataset`` may be a dict of datasets (e.g. train and validation) to evaluate several
    splits every epoch; their metrics are prefixed ``eval_<name>_``.
    """
    from transformers import DataCollatorWithPadding, Trainer

    trainer = (ordered_eval_trainer() if ordered_eval else Trainer)(
        model=model,
        args=args,
        train_dataset=train_dataset,
        eval_dataset=eval_dataset,
        processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer),
        compute_metrics=compute_metrics or make_compute_metrics(),
        callbacks=callbacks,
    )
    if train:
        trainer.train()
    return trainer


def history_frame(log_history: list[dict]) -> pd.DataFrame:
    """The Trainer's ``state.log_history`` as one row per epoch (training loss and eval metrics)."""
    frame = pd.DataFrame(log_history)
    if frame.empty or "epoch" not in frame:
        return pd.DataFrame()
    frame["epoch"] = frame["epoch"].round(3)
    grouped = frame.groupby("epoch").first()  # first non-null value of each column per epoch
    keep = [c for c in grouped.columns if c == "loss" or (c.startswith("eval_") and not c.endswith(
        ("_runtime", "_per_second")))]
    return grouped[keep].rename(columns={"loss": "train_loss"}).reset_index()


def _split_label(column: str) -> str:
    """Legend text of a logged eval metric: ``eval_loss`` (one eval split, the validation subset
    in this course) -> "validation loss"; ``eval_train_loss`` -> "train loss"."""
    name = column.removeprefix("eval_")
    return f"validation {name}" if name in ("loss", "accuracy") else name.replace("_", " ")


def plot_history(log_history: list[dict], title: str = "Training curves"):
    """Loss (training and every evaluated split) and accuracy per epoch, side by side.

    Returns the matplotlib Figure, closed (display it, or make it a cell's last expression).
    """
    import matplotlib.pyplot as plt

    frame = history_frame(log_history)
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(9, 3.4))
    for column in frame.columns:
        if column == "train_loss" or column.endswith("_loss"):
            label = "training loss (running)" if column == "train_loss" else _split_label(column)
            loss_ax.plot(frame["epoch"], frame[column], marker="o", label=label)
        elif column.endswith("accuracy"):
            acc_ax.plot(frame["epoch"], frame[column], marker="o", label=_split_label(column))
    loss_ax.set(title="loss", xlabel="epoch")
    acc_ax.set(title="accuracy", xlabel="epoch")
    for ax in (loss_ax, acc_ax):
        ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)  # displayed once, by the notebook, when returned
    return fig


def sort_by_length(dataset):
    """The tokenised rows ordered longest first, for evaluation.

    Evaluation batches are taken in order, so sorted rows need almost no padding (the course
    measures about 2.1 padded tokens per real token in batches of 256 unsorted tweets, about 1.0
    sorted); metrics do not depend on the order of the rows. Longest first: a batch too big for
    the memory fails at once, not at the end.
    """
    lengths = [len(ids) for ids in dataset["input_ids"][:]]
    return dataset.select(sorted(range(len(lengths)), key=lambda i: -lengths[i]))


@functools.cache
def ordered_eval_trainer() -> type:
    """``OrderedEvalTrainer``: a ``Trainer`` that evaluates rows in their stored order, made on
    first use (importing this module loads no Transformers). :func:`finetune` uses it with
    ``ordered_eval=True`` (the ``train`` and ``bench`` commands).

    With ``train_sampling_strategy="group_by_length"``, Transformers 5 also draws *evaluation*
    batches from random groups of rows, which undoes :func:`sort_by_length`. No public option
    chooses the evaluation order, so the subclass overrides the Trainer's sampler hook
    ``_get_eval_sampler``, by name: tests/test_training.py fails if a release renames it. One
    process reads the rows in order; several keep the Trainer's own split of the ordered batches.
    """
    from torch.utils.data import SequentialSampler
    from transformers import Trainer

    class OrderedEvalTrainer(Trainer):
        def _get_eval_sampler(self, eval_dataset):
            if self.args.world_size > 1:
                return super()._get_eval_sampler(eval_dataset)
            return SequentialSampler(eval_dataset)

    return OrderedEvalTrainer
