"""The command line, ``python -m course_utils COMMAND`` (``--help`` lists the commands).

The top layer of the package: each command is a module here (``run``, ``rehearse``, ``train``,
``bench``, ``gpu-check``, ``rates``, ``prefetch``, ``badges``, ``expected``, ``script``,
``records``), built on
the lesson helpers below it; no lesson module imports this subpackage. A command's module is
imported only when that command runs, so ``--help`` answers at once instead of loading PyTorch.
The pocket bundle's builder is not here: ``python -m pocket_builder`` from the repository's root.
"""

from __future__ import annotations

import argparse
import os
import sys

from course_utils.cli.arguments import (
    add_bench_arguments,
    add_train_arguments,
    not_blank,
    positive_float,
)
from course_utils.environment import RECORD_SWITCH
from course_utils.profiles import check_course_variables

RECORD_HELP = ("write the times into the tracked results/ (what the README's tables come from: for "
               "maintainers re-measuring); without it they go to build/results/")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils",
        description="Course kit: fine-tune GPT-2 to classify tweet sentiment with Hugging Face.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="execute every notebook in order and print a summary")
    run.add_argument("--profile", choices=("pocket", "small", "full"),
                     help="profile for every notebook (default: COURSE_PROFILE or automatic)")
    run.add_argument("--only", metavar="PATTERN", type=not_blank, help="run only notebooks whose name matches")
    run.add_argument("--rehearse", action="store_true",
                     help="offline rehearsal of small/full: gpt2 is a random-weight stand-in of its "
                          "shape, the Hub dataset holds the pocket tweets (own HF_HOME under build/)")
    run.add_argument("--trim", action="store_true",
                     help="with --rehearse: a 2-block stand-in and tiny subsets (minutes, for CI)")
    run.add_argument("--record", action="store_true", help=RECORD_HELP)

    results = commands.add_parser("results", help="rewrite the README's tables (notebook times, benchmark) from results/")
    results.add_argument("--check", action="store_true", help="only say whether the README is up to date")
    rates = commands.add_parser("rates", help="measure this machine's training and scoring speeds into "
                                              "course_utils/rates.json (the notebooks' cost lines)")
    rates.add_argument("--estimate", choices=("pocket", "small", "full"), metavar="PROFILE",
                       help="measure nothing: estimate each notebook's time on PROFILE (full: on a T4)")

    badges = commands.add_parser("badges", help="re-stamp the Colab badge and install cell of every notebook")
    badges.add_argument("--check", action="store_true", help="only report badges that are wrong")
    prefetch = commands.add_parser("prefetch", help="download what a profile needs, then check it loads offline")
    prefetch.add_argument("--profile", choices=("small", "full"), default="full",
                          help="profile to prepare (default: full; small uses the same files)")

    add_train_arguments(commands.add_parser(
        "train", help="fine-tune end to end: data, model, Trainer, test metrics (JSON last line)"))
    add_bench_arguments(commands.add_parser(
        "bench", help="the tutorial's recipe vs the course's: samples/s, padding, memory, speed-ups"))
    gpu = commands.add_parser(
        "gpu-check", help="on a CUDA GPU: verify precision, bench and the full rehearsal; record them",
        description="Verify the GPU path on a CUDA machine with no network: the precision for this GPU, "
                    "the benchmark of both recipes, a bare PyTorch loop, and the full rehearsal of all 8 "
                    "notebooks with peak GPU memory; records them in results/ (about 5 minutes on a recent GPU).")
    gpu.add_argument("--dry-run", action="store_true",
                     help="on a CPU: every step trimmed, records under build/gpu-check-dry-run/ (CI runs this)")
    gpu.add_argument("--budget-minutes", type=positive_float, default=9.0, metavar="M",
                     help="stop the rehearsal (keeping its finished notebooks on record) after M minutes in all (default 9)")
    gpu.add_argument("--record", action="store_true", help=RECORD_HELP)
    gpu.add_argument("--only", metavar="PATTERN", type=not_blank, help="rehearse only the notebooks whose name matches")
    gpu.add_argument("--wheels", metavar="DIR", type=not_blank,
                     help="instead: download the wheels a GPU machine with only torch and transformers lacks (needs PyPI)")
    gpu.add_argument("--have", metavar="FILE", type=not_blank, help="with --wheels: the GPU machine's `pip freeze`, to leave out what it has")
    gpu.add_argument("--python-version", default="3.12", metavar="X.Y",
                     help="with --wheels: the GPU machine's Python (default 3.12)")
    script = commands.add_parser("script", help="print a notebook's lesson cells as one plain script")
    script.add_argument("notebook", type=not_blank, help="the notebook's number or name, e.g. 06")
    script.add_argument("--profile", choices=("pocket", "small", "full"), default="full",
                        help="whose values to fill in (default: full, gpt2 and the Hub dataset)")
    expected = commands.add_parser("expected", help="record the expected outputs of NBVAL_CHECK_OUTPUT cells from build/")
    expected.add_argument("--only", metavar="TEXT", type=not_blank, help="only notebooks whose name contains TEXT")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse, run the command; bad input found past the parser (a ``COURSE_*`` value, a file) is
    one ``error:`` line and exit 2, a failure of the machine one line and exit 1, Ctrl-C exit 130."""
    args = build_parser().parse_args(argv)
    if getattr(args, "record", False):
        os.environ[RECORD_SWITCH] = "1"  # children (bench's recipes, the rehearsal's run) inherit it
    try:
        check_course_variables()  # every command: a typo in a COURSE_* name is refused, not ignored
        return _dispatch(args)
    except KeyboardInterrupt:
        print(f"interrupted: {args.command} stopped.", file=sys.stderr)
        return 130
    except ValueError as error:  # DataError, an unknown profile, a bad COURSE_* value
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a model that cannot be loaded, a disk or device error
        print(f"error: {error}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    """Run ``args.command``; a command's module is imported only when it runs."""
    if args.command == "run" and args.rehearse:
        from course_utils.cli.rehearse import main_rehearse

        return main_rehearse(args)
    if args.command == "run":
        if args.trim:
            print("--trim only makes sense with --rehearse.")
            return 2
        from course_utils.cli.run import main_run

        return main_run(args)
    if args.command == "results":
        from course_utils.cli.records import stale_tables, update_readme

        if args.check:
            stale = stale_tables()
            print(f"README tables out of date: {', '.join(stale)}" if stale else "README tables are up to date")
            return 1 if stale else 0
        print("README updated" if update_readme() else "README already up to date")
        return 0
    if args.command == "rates":
        from course_utils.cli.rates import main_rates

        return main_rates(args)
    if args.command == "badges":
        from course_utils.cli.badges import main_badges

        return main_badges(args)
    if args.command == "prefetch":
        from course_utils.cli.prefetch import main_prefetch

        return main_prefetch(args)
    if args.command == "train":
        from course_utils.cli.train import main_train

        return main_train(args)
    if args.command == "bench":
        from course_utils.cli.bench import main_bench

        return main_bench(args)
    if args.command == "gpu-check":
        from course_utils.cli.gpu_check import main_gpu_check

        return main_gpu_check(args)
    if args.command == "script":
        from course_utils.cli.script import LessonScriptError, lesson_script, notebook_path
        from course_utils.profiles import get_profile

        try:
            print(lesson_script(notebook_path(args.notebook), get_profile(args.profile)), end="")
        except LessonScriptError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "expected":
        from course_utils.cli.expected import record

        for path in record(only=args.only):
            print(f"recorded {path}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
