"""Command line: ``python -m course_utils COMMAND``.

- ``run [--profile P] [--only PATTERN]``: execute every notebook in order (the main job).
- ``pocket build``: rebuild the embedded pocket bundle (data, tokenizer, tiny GPT-2).
- ``pocket compare``: fine-tune the pocket model from its pre-trained weights and from random
  initialisation on the same budget, and print both accuracies.
- ``prefetch [--profile full]``: download model, dataset and metrics, then verify offline loading.
- ``badges [--check]``: re-stamp (or check) every notebook's Colab badge and install cell.
- ``train``: the lesson end to end as one command (profile, data, model, sizes, training
  settings, output folder, resume); runs unchanged under ``torchrun`` / ``accelerate launch``.
- ``bench``: the tutorial's recipe (pad to 1,024, batch 1) against the course's (dynamic
  padding, batch 32, length-grouped) on the same machine and data; prints the speed-ups.
- ``expected``: record the outputs of the notebooks' ``# NBVAL_CHECK_OUTPUT`` cells from the
  executed copies of the last ``run`` (maintainers; see ``expected_outputs.py``).
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils",
        description="Course kit: fine-tune GPT-2 to classify tweet sentiment with Hugging Face.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="execute every notebook in order and print a summary")
    run.add_argument("--profile", choices=("pocket", "small", "full"),
                     help="profile for every notebook (default: COURSE_PROFILE or automatic)")
    run.add_argument("--only", metavar="PATTERN", help="run only notebooks whose name matches")

    pocket = commands.add_parser("pocket", help="the embedded pocket bundle")
    pocket.add_argument("action", choices=("build", "compare"),
                        help="build: regenerate data and tiny GPT-2; compare: pre-trained vs random init")

    badges = commands.add_parser("badges", help="re-stamp the Colab badge and install cell of every notebook")
    badges.add_argument("--check", action="store_true", help="only report badges that are wrong")
    prefetch = commands.add_parser("prefetch", help="download what a profile needs, then check it loads offline")
    prefetch.add_argument("--profile", choices=("small", "full"), default="full",
                          help="profile to prepare (default: full; small uses the same files)")

    from course_utils.bench import add_bench_arguments
    from course_utils.train_cli import add_train_arguments

    add_train_arguments(commands.add_parser(
        "train", help="fine-tune end to end: data, model, Trainer, test metrics (JSON last line)"))
    add_bench_arguments(commands.add_parser(
        "bench", help="the tutorial's recipe vs the course's: samples/s, padding, memory, speed-ups"))
    expected = commands.add_parser("expected", help="record the expected outputs of NBVAL_CHECK_OUTPUT cells from build/")
    expected.add_argument("--only", metavar="TEXT", help="only notebooks whose name contains TEXT")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        from course_utils.runner import main_run

        return main_run(args)
    if args.command == "pocket":
        from course_utils.pocket import build

        if args.action == "build":
            build.build_bundle()
        else:
            build.print_comparison(build.compare_init())
        return 0
    if args.command == "badges":
        from course_utils.colab import main_badges

        return main_badges(args)
    if args.command == "prefetch":
        from course_utils.prefetch import main_prefetch

        return main_prefetch(args)
    if args.command == "train":
        from course_utils.train_cli import main_train

        return main_train(args)
    if args.command == "bench":
        from course_utils.bench import main_bench

        return main_bench(args)
    if args.command == "expected":
        from course_utils.expected_outputs import record

        for path in record(only=args.only):
            print(f"recorded {path}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
