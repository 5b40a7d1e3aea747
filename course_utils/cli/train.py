"""The lesson as one command, ``python -m course_utils train``: notebooks 02 to 06 end to end.

Loads the tweets (Hub, pocket or your own CSV / TSV / Parquet / JSON lines), takes the subsets,
tokenises, loads GPT-2 with its classification head, fine-tunes with the ``Trainer`` and tests,
with the very helpers the notebooks use and notebook 06's ``TrainingArguments``
(:func:`command_arguments`). The output folder gets ``final/`` (model and tokenizer of the epoch
with the best validation accuracy), ``metrics.json``, ``config.json`` and the best and last
checkpoints (``--resume``); the last line on stdout is the metrics as JSON. Runs unchanged under
``torchrun`` or ``accelerate launch``
(``--multi_gpu``, even on a CPU); ``--batch-size`` is per process; only rank 0 writes files.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import math
import os
import sys
import time
from pathlib import Path

from transformers import AutoConfig, TrainerCallback

from course_utils.cli.arguments import add_train_arguments
from course_utils.data import DataError, label_conflicts, load_tweets, make_subsets, split_overlap
from course_utils.environment import check_precision, cuda_capability
from course_utils.metrics import make_compute_metrics
from course_utils.model import (
    ModelSourceError,
    load_classifier,
    load_tokenizer,
    quiet_library_output,
)
from course_utils.profiles import banner, get_profile
from course_utils.records import library_versions
from course_utils.run_folders import (
    FINISHED_MARKER,
    check_identity,
    check_output_folder,
    check_writable,
    checkpoint_to_resume,
    clear_output_folder,
    locked,
    resume_advice,
    resume_point,
    run_dir,
    run_identity,
    space_needed_mb,
    write_identity,
)
from course_utils.training import finetune, lesson_arguments, sort_by_length, tokenize_dataset

# Profile fields that a command-line flag may override: flag destination -> Profile field.
PROFILE_FLAGS = {
    "model": "model", "train_size": "train_size", "val_size": "val_size",
    "test_size": "test_size", "epochs": "epochs", "learning_rate": "learning_rate",
    "batch_size": "train_batch_size", "eval_batch_size": "eval_batch_size",
    "max_length": "max_length", "precision": "precision",
}


class TrainingDiverged(RuntimeError):
    """The loss or a metric stopped being a finite number: the run failed."""


class StopOnNonFinite(TrainerCallback):
    """Raise :class:`TrainingDiverged` as soon as a logged loss or metric is NaN or infinite
    (before the epoch's checkpoint is saved, so nothing diverged is kept to resume from)."""

    def __init__(self, learning_rate: float):
        self.learning_rate = learning_rate

    def on_log(self, args, state, control, logs=None, **kwargs):
        for key, value in (logs or {}).items():
            if isinstance(value, float) and not math.isfinite(value):
                raise TrainingDiverged(
                    f"training diverged: {key} became {value} at epoch {state.epoch or 0:g}. The "
                    f"learning rate {self.learning_rate:g} is probably too high: try "
                    f"--learning-rate {self.learning_rate / 10:g}. Nothing was marked finished.")


# --------------------------------------------------------------------------------- configuration
def resolve_profile(args: argparse.Namespace):
    """The profile named by ``--profile`` (or the environment), with every explicit flag applied."""
    profile = get_profile(args.profile)
    changes = {field: getattr(args, flag) for flag, field in PROFILE_FLAGS.items()
               if getattr(args, flag, None) is not None}
    if args.data:
        changes.update(data="files", dataset=str(Path(args.data).expanduser()), revision=None)
    return profile.replace(**changes) if changes else profile


def _file_digest(path: str | None) -> str | None:
    if not path or not Path(path).expanduser().is_file():
        return None
    return hashlib.sha256(Path(path).expanduser().read_bytes()).hexdigest()[:16]


def data_digests(args: argparse.Namespace) -> dict[str, str | None]:
    """Hashes of ``--data`` and ``--test-data`` (read once per run: the files may be large)."""
    return {"data": _file_digest(args.data), "test_data": _file_digest(args.test_data)}


def output_folder(args: argparse.Namespace, profile, digests: dict) -> Path:
    """``--output-dir``, else ``outputs/train-<hash>`` of everything that changes the result."""
    if args.output_dir:
        return Path(args.output_dir).expanduser()
    return run_dir("train", profile, **digests, group_by_length=args.group_by_length, seed=args.seed,
                   max_steps=args.max_steps)


# Where the command's TrainingArguments differ from notebook 06's, and why (tests/test_recipe.py
# holds every other field equal on every profile).
COMMAND_SETTINGS = {
    "logging_nan_inf_filter": False,  # a NaN loss must show (StopOnNonFinite), not be averaged away
    "ddp_find_unused_parameters": False,  # torchrun / accelerate launch: every parameter gets a gradient
}


def command_arguments(profile, folder: Path, args: argparse.Namespace):
    """The lesson's ``TrainingArguments`` (:func:`~course_utils.training.lesson_arguments`, which
    notebook 06 writes out) with the command's options: ``--seed``, ``--group-by-length``,
    ``--max-steps``, and no evaluation (so no best epoch to keep) without a validation subset."""
    options = {"seed": args.seed, "data_seed": args.seed, **COMMAND_SETTINGS}
    if not args.group_by_length:
        options["train_sampling_strategy"] = "random"
    if args.max_steps:
        options["max_steps"] = args.max_steps
    if profile.val_size == 0:
        options.update(eval_strategy="no", load_best_model_at_end=False)
    return lesson_arguments(profile, folder, **options)


def check_max_length(profile) -> None:
    """Refuse a ``--max-length`` beyond the model's positions (an IndexError deep in GPT-2 otherwise)."""
    positions = getattr(AutoConfig.from_pretrained(profile.model), "n_positions", None)
    if positions and profile.max_length > positions:
        raise ValueError(f"--max-length {profile.max_length} is more than the {positions:,} positions "
                         f"{profile.model_label} has: use at most {positions}.")


def warn_about_data(splits) -> None:
    """The data checks notebook 02 teaches, on the rows this run uses: printed, not fatal."""
    labels = sorted(set(splits["train"]["label"][:]))
    if len(labels) == 1:
        print(f"[train] WARNING: every training row has the same label ({splits['train'][0]['label_text']}): "
              "the model can only learn to answer it. Check the label column.")
    overlap = split_overlap(splits["train"], splits["test"])
    if len(overlap):
        exact = int((overlap["kind"] == "exact").sum())
        print(f"[train] WARNING: {len(overlap):,} of {len(splits['test']):,} test rows also occur in the "
              f"training rows ({exact:,} exactly, the rest after normalising case, spaces, mentions and "
              "links): the test score will flatter the model (notebook 08 measures by how much).")
    conflicts = label_conflicts(splits["train"])
    if len(conflicts):
        print(f"[train] WARNING: {len(conflicts):,} texts occur in the training rows with different labels, "
              f"e.g. {conflicts['texts'][0][0]!r} ({conflicts['labels'][0]}).")


def _rank() -> tuple[int, int]:
    """This process's rank and the number of processes (set by torchrun / accelerate launch)."""
    return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))


# --------------------------------------------------------------------------------- the run
def run_training(args: argparse.Namespace) -> dict:
    """Do the whole run; returns the final metrics (the JSON line). Raises on bad input."""
    started = time.perf_counter()
    rank, world_size = _rank()
    main_process = rank == 0
    # The other processes keep quiet until their one line of results: no doubled log lines.
    quiet = contextlib.nullcontext() if main_process else contextlib.redirect_stdout(io.StringIO())
    quiet_library_output()  # no load report or progress bar per model loaded and saved
    with quiet:
        profile = resolve_profile(args)
        check_precision(profile.precision, profile.device, cuda_capability() if profile.device == "cuda" else None)
        digests = data_digests(args)
        folder = output_folder(args, profile, digests)
        if main_process:  # before any data or model loads: a bad folder fails in a second
            check_writable(folder, space_needed_mb(profile.model))
    with locked(folder) if main_process else contextlib.nullcontext():
        try:
            return _train_in(folder, profile, args, digests, started, rank, world_size)
        except (OSError, KeyboardInterrupt) as error:
            error.output_folder = folder  # main_train advises --resume only if a checkpoint is there
            raise


def load_splits(profile, args: argparse.Namespace, arguments) -> tuple:
    """The rows this run uses, the tokenizer and the tokenised splits. ``main_process_first``
    lets the main process load and cache the data before the other processes read it."""
    with arguments.main_process_first(desc="data"):
        dataset = load_tweets(profile if not args.data else None, data_files=args.data,
                              test_data=args.test_data, seed=args.seed)
        if args.data:  # make_subsets and the banner use the profile; the data is the file's
            print(f"[train] data: {args.data}" + (f" (train), {args.test_data} (test)" if args.test_data else ""))
        splits = make_subsets(dataset, profile.train_size, profile.val_size, profile.test_size, seed=args.seed)
        tokenizer = load_tokenizer(profile.model)
        check_max_length(profile)
        tokenized = tokenize_dataset(splits, tokenizer, profile.max_length)
    return splits, tokenizer, tokenized


def write_run_files(folder: Path, trainer, metrics: dict, profile, args: argparse.Namespace, sizes: dict,
                    checkpoint: str | None) -> None:
    """``config.json`` (command, profile, data, rows, versions, the arguments) then
    ``metrics.json`` with the history, written last: its presence means the run finished."""
    config = {
        "command": sys.argv, "profile": profile.__dict__, "data": args.data or profile.dataset,
        "test_data": args.test_data, "held_out_test": bool(args.data and not args.test_data),
        "rows": sizes, "seed": args.seed, "group_by_length": args.group_by_length,
        "max_steps": args.max_steps, "resumed_from": checkpoint, "processes": metrics["processes"],
        "versions": library_versions(), "training_arguments": trainer.args.to_dict(),
    }
    (folder / "config.json").write_text(json.dumps(config, indent=2, default=str) + "\n")
    history = trainer.state.log_history
    (folder / FINISHED_MARKER).write_text(json.dumps({**metrics, "history": history}, indent=2) + "\n")
    print(f"[train] wrote {folder / 'final'}, config.json and {FINISHED_MARKER}")


def _train_in(folder: Path, profile, args: argparse.Namespace, digests: dict, started: float, rank: int,
              world_size: int) -> dict:
    """The run itself, in its checked and locked output folder."""
    main_process = rank == 0
    quiet = contextlib.nullcontext() if main_process else contextlib.redirect_stdout(io.StringIO())
    with quiet:
        check_output_folder(folder, args.resume, args.overwrite)
        banner(profile)
        print(f"[train] output folder: {folder}" + (f" | processes: {world_size}" if world_size > 1 else ""))
        arguments = command_arguments(profile, folder, args)  # built once, passed to the Trainer
        identity = run_identity(profile, arguments, **digests)
        checkpoint = None
        if args.resume:
            checkpoint = checkpoint_to_resume(folder)
            check_identity(folder, identity)
        splits, tokenizer, tokenized = load_splits(profile, args, arguments)
        # Only now that data, tokenizer and sizes are good does the folder change: bad input never
        # deletes a run (--overwrite) or leaves a run.json behind.
        if args.overwrite and main_process:
            clear_output_folder(folder)
        if main_process and not args.resume:
            write_identity(folder, identity)
        sizes = {name: len(split) for name, split in splits.items()}
        print(f"[train] rows used: train {sizes['train']:,} | validation {sizes['validation']:,} | "
              f"test {sizes['test']:,}")
        warn_about_data(splits)

        model = load_classifier(profile.model, tokenizer, seed=args.seed)
        validation = sort_by_length(tokenized["validation"]) if sizes["validation"] else None
        trainer = finetune(model, tokenizer, tokenized["train"], validation, arguments,
                           compute_metrics=make_compute_metrics(), train=False, ordered_eval=True,
                           callbacks=[StopOnNonFinite(profile.learning_rate)])
        if checkpoint:
            resume_point(folder)  # says which checkpoint and step it resumes from
            print("[train] the interrupted run's settings are these (checked against its run.json)")
        train_output = trainer.train(resume_from_checkpoint=checkpoint)
        test = trainer.evaluate(sort_by_length(tokenized["test"]), metric_key_prefix="test")
        trainer.save_model(str(folder / "final"))  # main process only, model + tokenizer

    metrics = {
        "test_accuracy": round(test["test_accuracy"], 4),
        "test_macro_f1": round(test["test_macro_f1"], 4),
        "test_loss": round(test["test_loss"], 4),
        "train_samples_per_second": round(train_output.metrics["train_samples_per_second"], 3),
        "test_samples_per_second": round(test["test_samples_per_second"], 3),
        "train_seconds": round(train_output.metrics["train_runtime"], 2),
        "seconds": round(time.perf_counter() - started, 2),
        "train_rows": sizes["train"], "test_rows": sizes["test"], "processes": world_size,
        "profile": profile.name, "output_dir": str(folder),
    }
    print(f"[train] rank {rank}/{world_size}: test accuracy={metrics['test_accuracy']:.4f} "
          f"macro_f1={metrics['test_macro_f1']:.4f} loss={metrics['test_loss']:.4f}", flush=True)
    if trainer.is_world_process_zero():
        write_run_files(folder, trainer, metrics, profile, args, sizes, checkpoint)
    # Everyone has printed its line before the main process prints the JSON, so it comes last.
    trainer.accelerator.wait_for_everyone()
    return metrics


def main_train(args: argparse.Namespace) -> int:
    """CLI entry: run, print the metrics JSON as the last stdout line. Every failure is one line
    on stderr: ``error: ...`` and exit 2 for bad input, 1 for a failed run or a fault, 130 for
    Ctrl-C (with how to resume)."""
    try:
        metrics = run_training(args)
    except (DataError, ModelSourceError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except TrainingDiverged as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a file removed under the run, a device error
        where = f" ({error.filename})" if error.filename else ""
        print(f"error: {error.strerror or error}{where}. Nothing was marked finished. Fix the cause. "
              f"{resume_advice(getattr(error, 'output_folder', None))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as interrupt:
        print(f"interrupted: nothing was marked finished. {resume_advice(getattr(interrupt, 'output_folder', None))}",
              file=sys.stderr)
        return 130
    if _rank()[0] == 0:
        print(json.dumps(metrics), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_train_arguments(argparse.ArgumentParser(prog="python -m course_utils train"))
    return main_train(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
