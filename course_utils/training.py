"""Training plumbing around the Trainer: tokenising, arguments from the profile, curves.

Introduced in notebook 06, which writes ``TrainingArguments(...)``, ``Trainer(...)``,
``.train()`` and ``.evaluate()`` out in full. The ``train`` command, the pocket comparison and
the pitfall experiments call :func:`finetune`, which does the same in one call so that each
experiment reads as what it changes. :func:`tweet_widget` is notebook 06's "try your own tweet"
box around the saved model's ``pipeline``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import html
import json
import os
from pathlib import Path

import pandas as pd

from course_utils.environment import repo_root
from course_utils.metrics import make_compute_metrics
from course_utils.pocket import POCKET_DATA_FILES
from course_utils.profiles import Profile
from course_utils.schema import LABELS
from course_utils.tokens import live_panel

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
    the profile's batch sizes, epochs, learning rate and precision. ``overrides`` win."""
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


def finetune(model, tokenizer, train_dataset, eval_dataset, profile: Profile, output_dir: str | Path,
             compute_metrics=None, callbacks=None, train: bool = True, ordered_eval: bool = False, **overrides):
    """Build a ``Trainer`` with dynamic padding and ``compute_metrics``; train it unless ``train=False``.
    ``ordered_eval`` evaluates rows in their stored order (:func:`ordered_eval_trainer`).

    ``eval_dataset`` may be a dict of datasets (e.g. train and validation) to evaluate several
    splits every epoch; their metrics are prefixed ``eval_<name>_``.
    """
    from transformers import DataCollatorWithPadding, Trainer

    trainer = (ordered_eval_trainer() if ordered_eval else Trainer)(
        model=model,
        args=training_arguments(profile, output_dir, **overrides),
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


def model_fingerprint(source: str) -> str:
    """What identifies the weights ``source`` names: for a local folder, the size and a hash of the
    start of its weights file and of its config; for a Hub id, the commit of the cached snapshot
    (``"not cached"`` before the first download)."""
    folder = Path(source)
    if not folder.is_dir():
        from huggingface_hub import try_to_load_from_cache

        try:
            config = try_to_load_from_cache(source, "config.json")
        except ValueError:  # neither a folder nor a valid Hub id: loading the model says so clearly
            return "not found"
        return Path(config).parent.name if isinstance(config, str) else "not cached"
    digest = hashlib.sha256()
    for name in ("config.json", "model.safetensors"):
        path = folder / name
        if path.is_file():
            with path.open("rb") as handle:
                digest.update(f"{name}:{path.stat().st_size}:".encode() + handle.read(1 << 20))
    return digest.hexdigest()[:16]


# TrainingArguments fields that change where or how a run is logged and saved, not what it learns.
NOT_IDENTITY = ("output_dir", "logging_", "report_to", "run_name", "project", "trackio_", "push_to_hub", "hub_",
                "disable_tqdm", "log_level", "log_on_each_node", "skip_memory_metrics", "save_total_limit",
                "resume_from_checkpoint")


def run_identity(profile: Profile, args=None, **settings) -> dict:
    """Everything that decides what a run learns, as plain JSON values: the profile (less device),
    the model's weights (:func:`model_fingerprint`), the pocket tweets' files on the pocket profile
    (Hub data is pinned by the profile's revision), every field of ``args`` (a
    ``TrainingArguments``) less :data:`NOT_IDENTITY`, and ``settings`` (anything else that changes
    the result). :func:`run_dir` hashes it; ``train --resume`` compares it field by field."""
    fields = {k: v for k, v in profile.__dict__.items() if k not in ("fell_back", "device")}
    identity = {"profile": fields, "weights": model_fingerprint(profile.model), **settings}
    if args is not None:
        identity["training_arguments"] = {k: v for k, v in args.to_dict().items() if not k.startswith(NOT_IDENTITY)}
    if profile.data == "pocket":
        identity["data"] = [hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in POCKET_DATA_FILES.values()]
    return json.loads(json.dumps(identity, sort_keys=True, default=str))


def identity_changes(before: dict, after: dict, prefix: str = "") -> list[str]:
    """``"field: old -> new"`` for every value that differs between two :func:`run_identity` dicts."""
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, "(unset)"), after.get(key, "(unset)")
        if isinstance(old, dict) and isinstance(new, dict):
            changes += identity_changes(old, new, f"{prefix}{key}.")
        elif old != new:
            changes.append(f"{prefix}{key}: {old} -> {new}")
    return changes


def run_dir(name: str, profile: Profile, args=None, **settings) -> Path:
    """The output folder of one training configuration: ``outputs/<name>-<hash>``.

    The hash covers :func:`run_identity`: so re-running a cell with the same configuration finds
    its earlier checkpoints (reuse after a rehearsal, resume after an interruption), while a
    changed hyperparameter or other weights start afresh. ``COURSE_OUTPUT_DIR`` moves the root
    (e.g. to Google Drive).
    """
    key = json.dumps(run_identity(profile, args, **settings), sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    root = Path(os.environ.get("COURSE_OUTPUT_DIR") or repo_root() / "outputs")
    return root / f"{name}-{digest}"


def resume_point(output_dir: str | Path) -> str | None:
    """The newest checkpoint in ``output_dir`` for ``trainer.train(resume_from_checkpoint=...)``.

    Prints what it found: a finished run is reused (the Trainer reloads it and has no step left
    to train), an interrupted one resumes from its last checkpoint, nothing means a fresh start.
    """
    from transformers.trainer_utils import get_last_checkpoint

    output_dir = Path(output_dir)
    checkpoint = get_last_checkpoint(str(output_dir)) if output_dir.is_dir() else None
    if checkpoint is None:
        print(f"[train] no checkpoint in {output_dir.name}: training from the start")
        return None
    state = json.loads((Path(checkpoint) / "trainer_state.json").read_text())
    when = datetime.datetime.fromtimestamp(Path(checkpoint).stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    done = state["global_step"] >= state["max_steps"]
    print(f"[train] {'REUSING the finished run' if done else 'RESUMING the interrupted run'} saved "
          f"{when} in {output_dir.name}/{Path(checkpoint).name} (step {state['global_step']}/"
          f"{state['max_steps']}, epoch {state['epoch']:g})"
          + (": nothing left to train, the model is reloaded." if done else "."))
    return checkpoint


LABEL_COLOURS = {"negative": "#d62728", "neutral": "#7f7f7f", "positive": "#2ca02c"}


def sentiment_html(scores: list[dict]) -> str:
    """HTML for one text-classification pipeline result (``top_k=None``: every label and its
    score): the predicted label in bold, then one bar per label, in the course's label order."""
    by_label = {item["label"]: float(item["score"]) for item in scores}
    order = [label for label in LABELS if label in by_label] + sorted(set(by_label) - set(LABELS))
    best = max(by_label, key=by_label.get)
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
        f'<span style="width:70px">{html.escape(label)}</span>'
        f'<span style="display:inline-block;height:14px;width:{by_label[label] * 240:.0f}px;'
        f'background:{LABEL_COLOURS.get(label, "#1f77b4")};border-radius:2px"></span>'
        f"<span>{by_label[label]:.1%}</span></div>"
        for label in order
    )
    return (f'<div style="font-family:sans-serif;font-size:13px"><b>{html.escape(best)}</b> '
            f"({by_label[best]:.1%} sure){rows}</div>")


def tweet_widget(classifier, value: str = "just got the tickets for tonight, can't wait!!"):
    """A text box: type a tweet and see the classifier's label and its three probabilities.

    ``classifier`` is a ``pipeline("text-classification", ...)`` (or any callable taking
    ``(text, top_k=None, truncation=True)`` and returning a list of ``{"label", "score"}``);
    a pasted text longer than the model's 1,024 positions is truncated, not an error. The returned
    ipywidgets box has an ``update()`` method that re-scores the current text.
    """
    import ipywidgets as widgets

    box = widgets.Text(value=value, description="Tweet:", layout=widgets.Layout(width="95%"),
                       continuous_update=False, placeholder="type a tweet and press Enter")
    view = widgets.HTML()

    def update(change=None) -> str:
        text = box.value.strip()
        view.value = (sentiment_html(classifier(text, top_k=None, truncation=True)) if text
                      else "<i>type a tweet above</i>")
        return view.value

    box.observe(update, names="value")
    update()
    panel = live_panel(box, view)
    panel.update = update
    return panel


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
