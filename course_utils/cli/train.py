"""The lesson as one command, ``python -m course_utils train``: notebooks 02 to 06 end to end.

Loads the tweets (Hub, pocket or your own CSV / TSV / Parquet / JSON lines), takes the subsets,
tokenises, loads GPT-2 with its classification head, fine-tunes with the ``Trainer`` and tests,
with the very helpers the notebooks use. The output folder gets ``final/`` (model and tokenizer),
``metrics.json``, ``config.json`` and a checkpoint per epoch (``--resume``); the last line on
stdout is the metrics as JSON. Runs unchanged under ``torchrun`` or ``accelerate launch``
(``--multi_gpu``, even on a CPU); ``--batch-size`` is per process; only rank 0 writes files.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import platform
import shutil
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from course_utils.cli.arguments import add_train_arguments
from course_utils.data import DataError, load_tweets, make_subsets
from course_utils.environment import check_precision, cuda_capability
from course_utils.metrics import make_compute_metrics
from course_utils.model import ModelSourceError, load_classifier, load_tokenizer
from course_utils.profiles import banner, get_profile
from course_utils.training import (
    evaluate_in_order,
    finetune,
    resume_point,
    run_dir,
    sort_by_length,
    tokenize_dataset,
    training_arguments,
)

# Profile fields that a command-line flag may override: flag destination -> Profile field.
PROFILE_FLAGS = {
    "model": "model", "train_size": "train_size", "val_size": "val_size",
    "test_size": "test_size", "epochs": "epochs", "learning_rate": "learning_rate",
    "batch_size": "train_batch_size", "eval_batch_size": "eval_batch_size",
    "max_length": "max_length", "precision": "precision",
}
FINISHED_MARKER = "metrics.json"  # written last: its presence means the run finished


class RunFolderError(ValueError):
    """The output folder holds a run that this command would overwrite."""


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


def output_folder(args: argparse.Namespace, profile) -> Path:
    """``--output-dir``, else ``outputs/train-<hash>`` of everything that changes the result."""
    if args.output_dir:
        return Path(args.output_dir).expanduser()
    return run_dir("train", profile, data=_file_digest(args.data), test_data=_file_digest(args.test_data),
                   group_by_length=args.group_by_length, seed=args.seed, max_steps=args.max_steps)


def _checkpoints(folder: Path) -> list[Path]:
    return sorted(folder.glob("checkpoint-*")) if folder.is_dir() else []


def check_output_folder(folder: Path, resume: bool, overwrite: bool) -> None:
    """Refuse to overwrite a trained run: a finished one (``metrics.json``) or an interrupted one
    (checkpoints), unless ``overwrite`` (or ``resume``, for an interrupted run)."""
    if resume and overwrite:
        raise RunFolderError("--resume and --overwrite contradict each other: resume keeps the "
                             "checkpoints, overwrite deletes them. Choose one.")
    if overwrite:
        return
    if (folder / FINISHED_MARKER).is_file():
        raise RunFolderError(f"{folder} holds a finished run ({FINISHED_MARKER} is there)"
                             f"{': nothing to resume' if resume else ''}. Use another --output-dir, "
                             "or --overwrite to replace it.")
    checkpoints = _checkpoints(folder)
    if checkpoints and not resume:
        raise RunFolderError(f"{folder} holds an interrupted run ({checkpoints[-1].name}). Use --resume "
                             "to continue it, --overwrite to start again, or another --output-dir.")


def clear_output_folder(folder: Path) -> None:
    """Delete what a previous run wrote in ``folder`` (only the course's own files)."""
    for path in [*_checkpoints(folder), folder / "final"]:
        if path.is_dir():
            shutil.rmtree(path)
    for name in (FINISHED_MARKER, "config.json"):
        (folder / name).unlink(missing_ok=True)


def versions() -> dict[str, str]:
    """Versions of Python and of the libraries that change the result."""
    found = {"python": platform.python_version()}
    for package in ("torch", "transformers", "datasets", "accelerate", "evaluate", "tokenizers",
                    "course-utils"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


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
    with quiet:
        profile = resolve_profile(args)
        check_precision(profile.precision, profile.device, cuda_capability() if profile.device == "cuda" else None)
        folder = output_folder(args, profile)
        check_output_folder(folder, args.resume, args.overwrite)
        banner(profile)
        print(f"[train] output folder: {folder}" + (f" | processes: {world_size}" if world_size > 1 else ""))

        overrides = {
            "save_strategy": "epoch", "save_total_limit": 1, "seed": args.seed, "data_seed": args.seed,
            "train_sampling_strategy": "group_by_length" if args.group_by_length else "random",
            "ddp_find_unused_parameters": False,
        }
        if args.max_steps:
            overrides["max_steps"] = args.max_steps
        if profile.val_size == 0:
            overrides["eval_strategy"] = "no"
        # The arguments set up the processes (torchrun / accelerate); main_process_first lets the
        # main process load and cache the data before the others read it.
        arguments = training_arguments(profile, folder, **overrides)
        if args.overwrite and main_process:
            clear_output_folder(folder)
        with arguments.main_process_first(desc="data"):
            dataset = load_tweets(profile if not args.data else None, data_files=args.data,
                                  test_data=args.test_data)
            if args.data:  # make_subsets and the banner use the profile; the data is the file's
                print(f"[train] data: {args.data}" + (f" (train), {args.test_data} (test)" if args.test_data else ""))
            splits = make_subsets(dataset, profile.train_size, profile.val_size, profile.test_size,
                                  seed=args.seed)
            tokenizer = load_tokenizer(profile.model)
            tokenized = tokenize_dataset(splits, tokenizer, profile.max_length)
        sizes = {name: len(split) for name, split in splits.items()}
        print(f"[train] rows used: train {sizes['train']:,} | validation {sizes['validation']:,} | "
              f"test {sizes['test']:,}")

        model = load_classifier(profile.model, tokenizer, seed=args.seed)
        validation = sort_by_length(tokenized["validation"]) if sizes["validation"] else None
        trainer = finetune(model, tokenizer, tokenized["train"], validation, profile, folder,
                           compute_metrics=make_compute_metrics(), train=False, **overrides)
        evaluate_in_order(trainer)
        checkpoint = resume_point(folder) if args.resume else None
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
        config = {
            "command": sys.argv, "profile": profile.__dict__, "data": args.data or profile.dataset,
            "test_data": args.test_data, "held_out_test": bool(args.data and not args.test_data),
            "rows": sizes, "seed": args.seed, "group_by_length": args.group_by_length,
            "max_steps": args.max_steps, "resumed_from": checkpoint, "processes": world_size,
            "versions": versions(), "training_arguments": trainer.args.to_dict(),
        }
        (folder / "config.json").write_text(json.dumps(config, indent=2, default=str) + "\n")
        history = trainer.state.log_history
        (folder / FINISHED_MARKER).write_text(json.dumps({**metrics, "history": history}, indent=2) + "\n")
        print(f"[train] wrote {folder / 'final'}, config.json and {FINISHED_MARKER}")
    # Everyone has printed its line before the main process prints the JSON, so it comes last.
    trainer.accelerator.wait_for_everyone()
    return metrics


def main_train(args: argparse.Namespace) -> int:
    """CLI entry: run, print the metrics JSON as the last stdout line; ``error: ...`` and 2 on bad input."""
    try:
        metrics = run_training(args)
    except (DataError, ModelSourceError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if _rank()[0] == 0:
        print(json.dumps(metrics), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_train_arguments(argparse.ArgumentParser(prog="python -m course_utils train"))
    return main_train(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
