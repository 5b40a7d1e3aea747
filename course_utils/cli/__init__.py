"""The command line, ``python -m course_utils COMMAND`` (``--help`` lists the commands).

The top layer of the package: :data:`COMMANDS` names each command's module here, the function
that adds its options and the one that runs it; they are built on the lesson helpers below, and no
lesson module imports this subpackage. ``--help`` imports only the light modules (for their
options), never PyTorch: a heavy command's module is imported when that command runs. The pocket
bundle's builder is not here: ``python -m pocket_builder`` from the repository's root.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from course_utils.environment import RECORD_SWITCH
from course_utils.profiles import check_course_variables

# The commands: name -> (one line of help, the function that adds its options, the function that
# runs it), each as "module:function" under course_utils.cli. The light modules own their options;
# train, bench and rates import PyTorch at module level, so theirs are in arguments.py.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "run": ("execute every notebook in order and print a summary", "run:add_arguments", "run:main"),
    "results": ("rewrite the README's tables (notebook times, benchmark) from results/",
                "results:add_arguments", "results:main"),
    "rates": ("measure this machine's training and scoring speeds into course_utils/rates.json "
              "(the notebooks' cost lines)", "arguments:add_rates_arguments", "rates:main_rates"),
    "colab": ("check the install cell's requirements against Colab's package list; refresh that list",
              "colab:add_arguments", "colab:main"),
    "badges": ("re-stamp the Colab badge and install cell of every notebook", "badges:add_arguments",
               "badges:main_badges"),
    "prefetch": ("download what a profile needs, then check it loads offline", "prefetch:add_arguments",
                 "prefetch:main_prefetch"),
    "train": ("fine-tune end to end: data, model, Trainer, test metrics (JSON last line)",
              "arguments:add_train_arguments", "train:main_train"),
    "bench": ("the tutorial's recipe vs the course's: samples/s, padding, memory, speed-ups",
              "arguments:add_bench_arguments", "bench:main_bench"),
    "gpu-check": ("on a CUDA GPU: verify precision, bench and the full rehearsal; record them",
                  "gpu_check:add_arguments", "gpu_check:main_gpu_check"),
    "script": ("print a notebook's lesson cells as one plain script", "script:add_arguments", "script:main"),
    "expected": ("record the expected outputs of NBVAL_CHECK_OUTPUT cells from build/", "expected:add_arguments",
                 "expected:main"),
    "book": ("build the course book, a static website, from the executed notebooks in build/",
             "book:add_arguments", "book:main"),
    "slides": ("build a reveal.js slide deck with speaker notes from each executed notebook in build/",
               "slides:add_arguments", "slides:main"),
}


def _function(reference: str):
    """``"module:function"`` under ``course_utils.cli`` (the module is imported now)."""
    module, name = reference.split(":")
    return getattr(importlib.import_module(f"course_utils.cli.{module}"), name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils",
        description="Course kit: fine-tune GPT-2 to classify tweet sentiment with Hugging Face.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, options, _) in COMMANDS.items():
        _function(options)(commands.add_parser(name, help=summary))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse, run the command; bad input found past the parser (a ``COURSE_*`` value, a file) is
    one ``error:`` line and exit 2, a failure of the machine one line and exit 1, Ctrl-C exit 130."""
    args = build_parser().parse_args(argv)
    if getattr(args, "record", False):
        os.environ[RECORD_SWITCH] = "1"  # children (bench's recipes, the rehearsal's run) inherit it
    try:
        check_course_variables()  # every command: a typo in a COURSE_* name is refused, not ignored
        return _function(COMMANDS[args.command][2])(args)
    except KeyboardInterrupt:
        print(f"interrupted: {args.command} stopped.", file=sys.stderr)
        return 130
    except ValueError as error:  # DataError, an unknown profile, a bad COURSE_* value
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a model that cannot be loaded, a disk or device error
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
