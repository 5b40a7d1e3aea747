"""The lesson as one command: ``python -m course_utils train``.

What notebooks 02 to 06 do step by step, end to end, for your own data and bigger machines:
load the tweets (Hub, pocket or your own files), take the subsets, tokenise, load GPT-2 with its
classification head, fine-tune with the ``Trainer`` and evaluate on the test split. It calls the
very helpers the notebooks use (:mod:`course_utils.data`, :mod:`course_utils.model`,
:mod:`course_utils.training`, :mod:`course_utils.metrics`), so there is no second copy of the
logic. The output folder receives ``final/`` (model and tokenizer, ``save_pretrained``),
``metrics.json``, ``config.json`` (the exact resolved configuration and library versions) and a
checkpoint per epoch (``--resume`` continues from the last one). The last line printed on
stdout is the final metrics as JSON.

The same command runs on several processes with no change to the code, because the
``Trainer`` picks up the distributed set-up that ``torchrun`` or ``accelerate launch`` prepare::

    torchrun --nproc_per_node 2 -m course_utils train --profile full
    accelerate launch --multi_gpu --num_processes 2 -m course_utils train --profile full

Both also work on a CPU-only machine (processes talk over gloo), which is how the tests check
it. Note: ``accelerate launch --cpu --num_processes 2`` starts ONE process; use ``--multi_gpu``
(or torchrun) even on a CPU. ``--batch-size`` is per process: two processes with batch 32 take
steps of 64 tweets. Only the main process writes files; every process prints its own test
metrics, prefixed with its rank, so you can see that they agree.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
import time
from pathlib import Path

PRECISIONS = ("fp32", "tf32", "bf16", "fp16")
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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    return 0 if text.strip() == "0" else _positive_int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def add_train_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``train`` command's options to ``parser`` (returns it)."""
    parser.description = (
        "Fine-tune GPT-2 to classify tweet sentiment, end to end: the lesson of the notebooks as "
        "one command. Defaults come from the profile; every flag below overrides one field.")
    parser.epilog = (
        "examples:\n"
        "  python -m course_utils train --profile pocket              # offline, about a minute on a CPU\n"
        "  python -m course_utils train --profile full --epochs 3     # gpt2 + Hub data (GPU advised)\n"
        "  python -m course_utils train --data train.csv --test-data test.csv   # Kaggle CSVs work as they are\n"
        "  python -m course_utils train --data my_tweets.csv          # one file: 20% held out for testing\n"
        "  torchrun --nproc_per_node 2 -m course_utils train --profile full   # 2 GPUs (or 2 CPU processes)\n"
        "  accelerate launch --multi_gpu --num_processes 2 -m course_utils train --profile full  # the same\n"
        "\n"
        "Defaults: the profile's values (shown on the banner line), overridable with COURSE_* variables\n"
        "or the flags above. --batch-size is per process. The output folder gets final/ (model +\n"
        "tokenizer), metrics.json, config.json and one checkpoint per epoch; a folder holding a run is\n"
        "never overwritten without --overwrite. The last line on stdout is the final metrics as JSON.\n"
        "Exit status: 0 done, 2 bad input (one-line message on stderr).")
    parser.formatter_class = argparse.RawDescriptionHelpFormatter

    source = parser.add_argument_group("what to train on")
    source.add_argument("--profile", choices=("pocket", "small", "full", "auto"),
                        help="pocket: embedded tiny GPT-2 and synthetic tweets (offline); small: gpt2 "
                             "and small Hub subsets; full: gpt2 and the tutorial's 1,000/1,000. "
                             "Default: COURSE_PROFILE, else automatic")
    source.add_argument("--data", metavar="FILE",
                        help="your own training file (CSV, TSV, Parquet or JSON lines; columns text "
                             "and label, or the Kaggle textID,text,selected_text,sentiment CSV) "
                             "instead of the profile's data")
    source.add_argument("--test-data", metavar="FILE",
                        help="your own test file; without it, --data is split: a seeded, "
                             "label-stratified 20%% is held out for testing")
    source.add_argument("--model", metavar="NAME_OR_FOLDER",
                        help="a Hub model id (gpt2, gpt2-medium, ...) or a folder written by "
                             "save_pretrained (e.g. the final/ folder of an earlier run)")

    sizes = parser.add_argument_group("subset sizes (rows; larger than the data is clipped, with a note)")
    sizes.add_argument("--train-size", type=_positive_int, metavar="N", help="training rows")
    sizes.add_argument("--val-size", type=_non_negative_int, metavar="N",
                       help="validation rows taken from the training split, evaluated every "
                            "epoch (0: no validation)")
    sizes.add_argument("--test-size", type=_positive_int, metavar="N", help="test rows, evaluated once at the end")

    training = parser.add_argument_group("training")
    training.add_argument("--epochs", type=_positive_float, metavar="E", help="passes over the training rows")
    training.add_argument("--learning-rate", "--lr", dest="learning_rate", type=_positive_float,
                          metavar="LR", help="peak learning rate (linear decay)")
    training.add_argument("--batch-size", type=_positive_int, metavar="B",
                          help="training rows per step and per process")
    training.add_argument("--eval-batch-size", type=_positive_int, metavar="B",
                          help="rows per evaluation step and per process")
    training.add_argument("--max-length", type=_positive_int, metavar="T",
                          help="truncate tweets to T tokens (padding is dynamic: to the longest in each batch)")
    training.add_argument("--precision", choices=PRECISIONS,
                          help="fp32; tf32 (CUDA Ampere or newer); bf16 or fp16 mixed precision")
    training.add_argument("--group-by-length", action=argparse.BooleanOptionalAction, default=True,
                          help="batch tweets of similar length together, so less padding is computed")
    training.add_argument("--seed", type=int, default=42, help="seed of the subsets, the hold-out and training")
    training.add_argument("--max-steps", type=_positive_int, metavar="S",
                          help="stop after S optimizer steps (quick checks and tests)")

    output = parser.add_argument_group("output")
    output.add_argument("--output-dir", metavar="DIR",
                        help="where to write the run (default: outputs/train-<hash of the "
                             "configuration>; COURSE_OUTPUT_DIR moves outputs/)")
    output.add_argument("--resume", action="store_true",
                        help="continue an interrupted run from its last checkpoint in the output folder")
    output.add_argument("--overwrite", action="store_true",
                        help="replace a finished or interrupted run in the output folder (its "
                             "checkpoints and model are deleted)")
    return parser


# --------------------------------------------------------------------------------- configuration
def resolve_profile(args: argparse.Namespace):
    """The profile named by ``--profile`` (or the environment), with every explicit flag applied."""
    from course_utils.profiles import get_profile

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
    from course_utils.training import run_dir

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
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("torch", "transformers", "datasets", "accelerate", "evaluate", "tokenizers",
                    "course-utils"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def sort_by_length(dataset):
    """The tokenised rows ordered longest first, for evaluation.

    Evaluation batches are taken in order, so sorted rows need almost no padding (the course
    measures about 2.1 padded tokens per real token in batches of 256 unsorted tweets, about 1.0
    sorted); metrics do not depend on the order of the rows. Longest first: a batch too big for
    the memory fails at once, not at the end.
    """
    lengths = [len(ids) for ids in dataset["input_ids"][:]]
    return dataset.select(sorted(range(len(lengths)), key=lambda i: -lengths[i]))


def evaluate_in_order(trainer):
    """Make ``trainer`` evaluate rows in their stored order; returns it.

    With ``train_sampling_strategy="group_by_length"``, Transformers 5 also draws *evaluation*
    batches from random groups of rows, which undoes :func:`sort_by_length`. One process reads
    the rows in order (as without grouping); several let ``accelerate`` split the ordered batches.
    """
    from torch.utils.data import SequentialSampler

    trainer._get_eval_sampler = lambda dataset: (
        SequentialSampler(dataset) if trainer.args.world_size <= 1 else None)
    return trainer


def _rank() -> tuple[int, int]:
    """This process's rank and the number of processes (set by torchrun / accelerate launch)."""
    return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))


# --------------------------------------------------------------------------------- the run
def run_training(args: argparse.Namespace) -> dict:
    """Do the whole run; returns the final metrics (the JSON line). Raises on bad input."""
    from course_utils.data import load_tweets, make_subsets
    from course_utils.metrics import make_compute_metrics
    from course_utils.model import load_classifier, load_tokenizer
    from course_utils.profiles import banner, check_precision, cuda_capability
    from course_utils.training import finetune, resume_point, tokenize_dataset, training_arguments

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
    from course_utils.data import DataError
    from course_utils.model import ModelSourceError

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
