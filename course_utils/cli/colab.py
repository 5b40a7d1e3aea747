"""``python -m course_utils colab``: keep the install cell in step with what Colab ships (issue 29).

``colab/constraints.txt`` is the package list of Colab's GPU runtime (``pip freeze``, published by
Google in googlecolab/backend-info; its header names the commit and date). Three jobs:

- ``colab`` reads the requirements every notebook's install cell installs (``requirements-lesson.txt``)
  and says, for each, whether Colab's version satisfies it (pip keeps Colab's), whether Colab lacks
  it (the cell adds it), or whether pip would have to upgrade or downgrade Colab's copy, which the
  course must never do (exit 1).
- ``colab --freeze FILE`` does the same against a newer list in that format (the public
  ``pip-freeze.gpu.txt``), prints the course packages whose version moved, and with ``--write
  --source TEXT`` refreshes ``colab/constraints.txt`` from it.
- ``colab --compare BEFORE AFTER`` is the Colab lane's check (``.ci/colab-lane``): two ``pip
  freeze`` outputs of a Colab-like environment, taken before and after the install cell's own
  command; it fails when a package that was there changed or went, or when a test or book tool came.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

from course_utils.environment import repo_root
from course_utils.install import REQUIREMENTS, canonical, requirement_lines

CONSTRAINTS = Path("colab") / "constraints.txt"
# What the install cell must never bring into a student's Colab session.
TOOLS = {"pytest", "nbval", "playwright", "ruff", "jupyter-book", "sphinx", "myst-nb"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--freeze", type=Path, metavar="FILE",
                        help=f"a Colab package list (pip freeze) to check against; default {CONSTRAINTS}")
    parser.add_argument("--write", action="store_true",
                        help=f"with --freeze: rewrite {CONSTRAINTS} from FILE (needs --source)")
    parser.add_argument("--source", metavar="TEXT",
                        help="with --write: where FILE comes from, e.g. "
                             "'googlecolab/backend-info a724079 (2026-08-19)'")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                        help="pip freeze before and after the install cell: fail if it changed a package")


def read_versions(text: str) -> dict[str, str]:
    """``{canonical name: version}`` from ``pip freeze`` or ``pip list`` text (``name==1.0``,
    ``name 1.0``); a name installed from a URL (``name @ url``), given bare or with a range has
    version ``""``. Comments, blank lines and ``pip list``'s header are skipped."""
    versions = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
        if not name or line.lower().startswith("package "):
            continue
        rest = line[name.end():].strip()
        version = rest[2:].strip() if rest.startswith("==") else rest
        versions[canonical(name.group())] = version if version[:1].isdigit() else ""
    return versions


@dataclass(frozen=True)
class Verdict:
    """What the install cell does to one requirement, given Colab's version (None: Colab lacks it)."""

    requirement: Requirement
    colab: str | None

    @property
    def word(self) -> str:
        if self.colab is None:
            return "adds"
        try:
            version = Version(self.colab)
        except InvalidVersion:
            return "keeps"  # installed from a URL: pip leaves it alone
        if self.requirement.specifier.contains(version, prereleases=True):
            return "keeps"
        lower = [Version(spec.version) for spec in self.requirement.specifier
                 if spec.operator in (">", ">=", "==", "~=")]
        return "UPGRADES" if any(version < bound for bound in lower) else "DOWNGRADES"

    def line(self) -> str:
        have = f"Colab has {self.colab}" if self.colab is not None else "not in Colab"
        return f"{self.word:<10} {self.requirement.name:<18} {have:<26} (asks {self.requirement.specifier or 'any'})"


def verdicts(colab: dict[str, str], requirements: Path) -> list[Verdict]:
    """One verdict per requirement of ``requirements`` (an editable ``-e .`` line is not one)."""
    found = []
    for line in requirement_lines(requirements):
        requirement = Requirement(line)
        found.append(Verdict(requirement, colab.get(canonical(requirement.name))))
    return found


def header(source: str, count: int) -> str:
    return (f"# Colab's GPU runtime as published: `pip freeze` of {source}; {count} packages.\n"
            "# Source: googlecolab/backend-info, pip-freeze.gpu.txt (Apache License 2.0: colab/LICENSE).\n"
            "# Refresh: python -m course_utils colab --freeze NEWER.txt --write --source '...'\n")


def moved(old: dict[str, str], new: dict[str, str], names: list[str]) -> list[str]:
    """Lines for the course's packages whose Colab version differs between two lists."""
    return [f"moved      {name:<18} {old.get(name) or 'absent'} -> {new.get(name) or 'absent'}"
            for name in names if old.get(name) != new.get(name)]


def compare(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The lane's problems: a package of ``before`` changed or removed, a tool added."""
    problems = [f"{name} {version} -> {after.get(name, 'removed')}"
                for name, version in sorted(before.items()) if after.get(name) != version]
    problems += [f"{name} {after[name]} added (a test or book tool)"
                 for name in sorted(TOOLS & set(after) - set(before))]
    return problems


def main(args: argparse.Namespace) -> int:
    root = repo_root()
    if args.compare:
        before, after = (read_versions(path.read_text(encoding="utf-8")) for path in args.compare)
        added = sorted(set(after) - set(before))
        print(f"[colab] the install cell added {len(added)}: {', '.join(f'{n} {after[n]}' for n in added)}")
        problems = compare(before, after)
        for problem in problems:
            print(f"[colab] CHANGED {problem}")
        print(f"[colab] {len(problems)} change(s) to the {len(before)} packages that were there")
        return 1 if problems else 0
    if args.write and not (args.freeze and args.source):
        raise ValueError("--write needs --freeze FILE and --source TEXT (where the list comes from)")
    current_path = root / CONSTRAINTS
    current = read_versions(current_path.read_text(encoding="utf-8"))
    source = args.freeze or current_path
    colab = read_versions(source.read_text(encoding="utf-8")) if args.freeze else current
    found = verdicts(colab, root / REQUIREMENTS)
    print(f"[colab] {REQUIREMENTS} against {source} ({len(colab)} packages)")
    for verdict in found:
        print(verdict.line())
    for line in moved(current, colab, [canonical(v.requirement.name) for v in found]):
        print(line)
    broken = [v for v in found if v.word in ("UPGRADES", "DOWNGRADES")]
    print(f"[colab] {len(broken)} of {len(found)} requirements would change a package Colab has")
    if args.write:
        lines = [line for line in args.freeze.read_text(encoding="utf-8").splitlines() if "==" in line]
        current_path.write_text(header(args.source, len(lines)) + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"[colab] wrote {CONSTRAINTS}: {len(lines)} packages from {args.source}")
    return 1 if broken else 0
