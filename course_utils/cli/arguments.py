"""The options of the ``train``, ``bench`` and ``rates`` commands, and the checks on option values.

These three commands import PyTorch and friends at module level, so their options live here: building
the parser (``--help``, or any other command) then loads no machine-learning library. The other
commands' modules are light and own their options (``add_arguments`` in each). Numbers are refused at
parse time with a one-line
message when they are not whole, not positive or not finite.
"""

from __future__ import annotations

import argparse
import math

from course_utils.environment import PRECISIONS
from course_utils.profiles import MAXIMA, PROFILE_NAMES, TUTORIAL_LEARNING_RATE

# Tweets per recipe in the benchmark (train and eval), by model size and device kind: enough for
# a stable rate, few enough for about two minutes (the bench's --help says so).
SEED_DEFAULT_SAMPLES = {("gpt2", "cpu"): 8, ("pocket", "cpu"): 32, ("gpt2", "cuda"): 256, ("pocket", "cuda"): 512}
COURSE_DEFAULT_SAMPLES = {("gpt2", "cpu"): 256, ("pocket", "cpu"): 1024,
                          ("gpt2", "cuda"): 6000, ("pocket", "cuda"): 6000}
# The course recipe's training batch in the benchmark: a GPU is idle on 32 tweets of ~20 tokens.
COURSE_BATCH = {"cpu": 32, "cuda": 128}



def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    return 0 if text.strip() == "0" else positive_int(text)


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive, finite number, got {text}")
    return value


MAX_BATCH, MAX_EPOCHS = MAXIMA["train_batch_size"], MAXIMA["epochs"]
MAX_SEED = 2**32 - 1  # what NumPy and scikit-learn accept


RECORD_HELP = ("write into the tracked results/ (what the README's tables come from: for maintainers "
               "re-measuring); without it the records go to build/results/")


def at_most(parse, maximum: float, unit: str = ""):
    """An argparse type: ``parse``, then refuse values above ``maximum`` (with the reason in ``unit``)."""
    def check(text: str):
        value = parse(text)
        if value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:,}{unit}, got {text}")
        return value
    check.__name__ = parse.__name__
    return check


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_SEED:,}, got {text}")
    return value


def not_blank(text: str) -> str:
    """An argparse type for paths and patterns: an empty value is a mistake, not "the default"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give a value, or leave the option out for the default")
    return text


TRAIN_DESCRIPTION = (
    "Fine-tune GPT-2 to classify tweet sentiment, end to end: the lesson of the notebooks as "
    "one command. Defaults come from the profile; every flag below overrides one field."
)
TRAIN_EPILOG = (
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
    "tokenizer) of the epoch with the best validation accuracy, metrics.json, config.json and the\n"
    "best and last checkpoints (notebook 06's recipe); a folder holding a run is never overwritten\n"
    "without --overwrite. The last line on stdout is the final metrics as JSON.\n"
    "Exit status: 0 done, 2 bad input (one-line message on stderr)."
)


def add_train_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``train`` command's options to ``parser`` (returns it)."""
    parser.description, parser.epilog = TRAIN_DESCRIPTION, TRAIN_EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    for add in (_data_options, _size_options, _training_options, _output_options):
        add(parser)
    return parser


def _data_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_argument_group("what to train on")
    source.add_argument("--profile", choices=(*PROFILE_NAMES, "auto"),
                        help="pocket: embedded tiny GPT-2 and synthetic tweets (offline); small: gpt2 "
                             "and small Hub subsets; full: gpt2 and the tutorial's 1,000/1,000. "
                             "Default: COURSE_PROFILE, else automatic")
    source.add_argument("--data", metavar="FILE", type=not_blank,
                        help="your own training file (CSV, TSV, Parquet or JSON lines; columns text "
                             "and label, or the Kaggle textID,text,selected_text,sentiment CSV) "
                             "instead of the profile's data")
    source.add_argument("--test-data", metavar="FILE", type=not_blank,
                        help="your own test file; without it, --data is split: a seeded, "
                             "label-stratified 20%% is held out for testing")
    source.add_argument("--model", metavar="NAME_OR_FOLDER", type=not_blank,
                        help="a Hub model id (gpt2, gpt2-medium, ...) or a folder written by "
                             "save_pretrained (e.g. the final/ folder of an earlier run)")


def _size_options(parser: argparse.ArgumentParser) -> None:
    sizes = parser.add_argument_group("subset sizes (rows; larger than the data is clipped, with a note)")
    sizes.add_argument("--train-size", type=positive_int, metavar="N", help="training rows")
    sizes.add_argument("--val-size", type=non_negative_int, metavar="N",
                       help="validation rows taken from the training split, evaluated every "
                            "epoch (0: no validation)")
    sizes.add_argument("--test-size", type=positive_int, metavar="N", help="test rows, evaluated once at the end")


def _training_options(parser: argparse.ArgumentParser) -> None:
    training = parser.add_argument_group("training")
    training.add_argument("--epochs", type=at_most(positive_float, MAX_EPOCHS), metavar="E",
                          help="passes over the training rows")
    training.add_argument("--learning-rate", "--lr", dest="learning_rate", type=positive_float,
                          metavar="LR", help="peak learning rate (linear decay)")
    training.add_argument("--batch-size", type=at_most(positive_int, MAX_BATCH), metavar="B",
                          help="training rows per step and per process")
    training.add_argument("--eval-batch-size", type=at_most(positive_int, MAX_BATCH), metavar="B",
                          help="rows per evaluation step and per process")
    training.add_argument("--max-length", type=positive_int, metavar="T",
                          help="truncate tweets to T tokens (padding is dynamic: to the longest in each batch)")
    training.add_argument("--precision", choices=PRECISIONS,
                          help="fp32; tf32 (CUDA Ampere or newer); bf16 or fp16 mixed precision")
    training.add_argument("--group-by-length", action=argparse.BooleanOptionalAction, default=True,
                          help="batch tweets of similar length together, so less padding is computed")
    training.add_argument("--seed", type=seed_value, default=42, help="seed of the subsets, the hold-out and training")
    training.add_argument("--max-steps", type=at_most(positive_int, 10**9), metavar="S",
                          help="stop after S optimizer steps (quick checks and tests)")


def _output_options(parser: argparse.ArgumentParser) -> None:
    output = parser.add_argument_group("output")
    output.add_argument("--output-dir", metavar="DIR", type=not_blank,
                        help="where to write the run (default: outputs/train-<hash of the "
                             "configuration>; COURSE_OUTPUT_DIR moves outputs/)")
    output.add_argument("--resume", action="store_true",
                        help="continue an interrupted run from its last checkpoint in the output folder")
    output.add_argument("--overwrite", action="store_true",
                        help="replace a finished or interrupted run in the output folder (its "
                             "checkpoints and model are deleted)")


def add_bench_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``bench`` command's options to ``parser`` (returns it)."""
    parser.description = (
        "Train and evaluate the same model on the same tweets with the tutorial's recipe (pad every "
        "tweet to 1,024 tokens, batch 1) and with the course's (dynamic padding, batch 32 on a CPU and 128 on a GPU, "
        "length-grouped batches), and compare samples/s, padding and peak memory.")
    parser.epilog = (
        "The last line on stdout is JSON with train_speedup and eval_speedup (course / seed).\n"
        "Default sizes: 8 tweets for the seed recipe, 256 for the course recipe (gpt2-sized models;\n"
        "32 / 1,024 for the pocket model) on a CPU; 256 / 6,000 (pocket: 512 / 6,000) on a CUDA GPU:\n"
        "samples/s is a rate, and this keeps the whole run near two minutes on two CPU cores or\n"
        "one minute on a GPU. --samples N gives both recipes the same N.")
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--model", default="gpt2", metavar="gpt2|pocket|FOLDER", type=not_blank,
                        help="gpt2: the real weights if they can be had, else GPT-2 124M's shape with "
                             "random weights (the output says which); pocket: the embedded tiny GPT-2; "
                             "or a folder written by save_pretrained (default: gpt2)")
    parser.add_argument("--samples", type=at_most(positive_int, 10**6), metavar="N",
                        help="tweets per recipe, for training and for evaluation (default: see below)")
    course = parser.add_argument_group("the course recipe (to measure alternatives)")
    course.add_argument("--batch-size", type=at_most(positive_int, MAX_BATCH), metavar="B",
                        help=f"training batch (default {COURSE_BATCH['cpu']} on a CPU or MPS, "
                             f"{COURSE_BATCH['cuda']} on a CUDA GPU)")
    course.add_argument("--eval-batch-size", type=at_most(positive_int, MAX_BATCH), metavar="B",
                        help="evaluation batch (default: the profile's: 256 on CUDA (full), 64 "
                             "elsewhere (small))")
    course.add_argument("--precision", choices=("fp32", "tf32", "bf16", "fp16"),
                        help="default: the profile's (tf32 on CUDA (full), fp32 elsewhere (small))")
    course.add_argument("--group-by-length", action=argparse.BooleanOptionalAction, default=True,
                        help="training batches of similar lengths (default: on)")
    course.add_argument("--sort-eval", action=argparse.BooleanOptionalAction, default=True,
                        help="evaluate the tweets sorted by length (default: on)")
    parser.add_argument("--record", action="store_true", help=RECORD_HELP)
    parity = parser.add_argument_group("accuracy parity (--accuracy)")
    parity.add_argument("--accuracy", action="store_true",
                        help="instead of speed: train both recipes on the same subset for the same "
                             "epochs and learning rate, then compare test accuracy")
    parity.add_argument("--train-size", type=positive_int, default=256, metavar="N",
                        help="training tweets in --accuracy mode (default 256)")
    parity.add_argument("--test-size", type=positive_int, default=300, metavar="N",
                        help="test tweets in --accuracy mode (default 300)")
    parity.add_argument("--epochs", type=at_most(positive_float, MAX_EPOCHS), default=3, metavar="E",
                        help="epochs in --accuracy mode (default 3)")
    parity.add_argument("--learning-rate", "--lr", dest="learning_rate", type=positive_float,
                        metavar="LR", help="both recipes in --accuracy mode (default: the pocket "
                                           "profile's for the pocket model, else the tutorial's "
                                           f"{TUTORIAL_LEARNING_RATE:g})")
    return parser




def add_rates_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``rates`` command's options to ``parser`` (returns it)."""
    parser.add_argument("--estimate", choices=PROFILE_NAMES, metavar="PROFILE",
                        help="measure nothing: estimate each notebook's time on PROFILE (full: on a T4)")
    return parser
