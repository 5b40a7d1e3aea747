"""The lesson as a plain script: a notebook's cells tagged ``lesson``, the profile's values written in.

Notebook 06 tags the cells that *are* the lesson (``load_dataset`` ... ``pipeline``); the other
cells are course plumbing (banner, cost lines, plots, widgets, reuse of earlier runs).
``python -m course_utils script 06 [--profile full]`` prints the tagged cells as one script that
needs Transformers, Datasets, evaluate and PyTorch but not ``course_utils``; a test runs it on the
pocket profile with ``course_utils`` made unimportable, so the notebook stays copyable.
"""

from __future__ import annotations

import ast
import io
import json
import re
import sys
import tokenize
from pathlib import Path

from course_utils.cli.arguments import not_blank
from course_utils.cli.expected import is_checked
from course_utils.environment import repo_root
from course_utils.profiles import PROFILE_NAMES, Profile, get_profile

LESSON_TAG = "lesson"
# ``profile.name`` or ``profile.metrics["f1"]``, not ``profile.replace(...)``: values are written in.
PROFILE_VALUE = re.compile(r"""\bprofile\.(\w+)\b((?:\[(?:"[^"]*"|'[^']*'|\d+)\])*)(?!\s*\()""")


class LessonScriptError(ValueError):
    """A tagged cell cannot become part of a plain script; the message names the cell."""


def notebook_path(name: str) -> Path:
    """The notebook whose file name starts with ``name`` (``"06"`` or ``"06_trainer"``)."""
    matches = sorted((repo_root() / "notebooks").glob(f"{name}*.ipynb"))
    if len(matches) != 1:
        found = ", ".join(p.name for p in matches) or "none"
        raise LessonScriptError(f"{name!r} should name exactly one notebook in notebooks/; matches: {found}.")
    return matches[0]


def lesson_cells(path: Path) -> list[str]:
    """The sources of the code cells tagged ``lesson``, in order."""
    cells = json.loads(Path(path).read_text())["cells"]
    return ["".join(c["source"]) for c in cells
            if c["cell_type"] == "code" and LESSON_TAG in c.get("metadata", {}).get("tags", [])]


def _prose_spans(source: str) -> list[tuple[int, int]]:
    """Character spans of the comments and string literals of ``source`` (left as written)."""
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    prose = {tokenize.COMMENT, tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    return [(line_starts[tok.start[0] - 1] + tok.start[1], line_starts[tok.end[0] - 1] + tok.end[1])
            for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type in prose]


def fill_in(source: str, profile: Profile) -> str:
    """``source`` with every ``profile.FIELD`` in its code (not its comments or strings) replaced
    by the profile's value, written as a literal."""
    prose = _prose_spans(source)

    def literal(match: re.Match) -> str:
        if any(start <= match.start() < end for start, end in prose):
            return match.group(0)
        field = match.group(1)
        if not hasattr(profile, field):
            raise LessonScriptError(f"profile.{field}: the profile has no such value.")
        value = getattr(profile, field)
        for key in re.findall(r"\[([^]]+)\]", match.group(2)):
            value = value[ast.literal_eval(key)]
        text = repr(value)
        try:
            ast.literal_eval(text)
        except (ValueError, SyntaxError):
            raise LessonScriptError(f"profile.{field} is not a plain value ({text[:60]}); "
                                    "a lesson cell may use only numbers, strings, lists and dicts.") from None
        return text

    return PROFILE_VALUE.sub(literal, source)


def lesson_script(path: Path, profile: Profile) -> str:
    """The tagged cells of notebook ``path`` as one Python script for ``profile``.

    Refuses cells that import ``course_utils`` or use notebook-only syntax (``!``/``%`` lines).
    """
    parts = []
    for number, source in enumerate(lesson_cells(path), start=1):
        for line in source.splitlines():
            if line.lstrip().startswith(("!", "%")) or re.search(r"\bcourse_utils\b", line):
                raise LessonScriptError(f"{Path(path).name}, lesson cell {number}: {line.strip()!r} "
                                        "belongs to the course plumbing, not to a copyable lesson cell.")
        code = "\n".join(line for line in source.splitlines() if not is_checked(line))
        parts.append(fill_in(code, profile).rstrip())
    if not parts:
        raise LessonScriptError(f"{Path(path).name} has no code cell tagged {LESSON_TAG!r}.")
    header = (f'"""The lesson of notebooks/{Path(path).name}, as one script ({profile.name} profile).\n\n'
              f"Written by `python -m course_utils script {Path(path).stem[:2]} --profile {profile.name}`: the "
              f"notebook's cells tagged\n{LESSON_TAG!r}, with the profile's values filled in. It does not need "
              'course_utils.\n"""')
    return "\n\n\n".join([header, *parts]) + "\n"


def add_arguments(parser) -> None:
    """``script``'s options."""
    parser.add_argument("notebook", type=not_blank, help="the notebook's number or name, e.g. 06")
    parser.add_argument("--profile", choices=PROFILE_NAMES, default="full",
                        help="whose values to fill in (default: full, gpt2 and the Hub dataset)")


def main(args) -> int:
    """``script``: print the notebook's lesson cells as one script; 2 with a one-line error."""
    try:
        print(lesson_script(notebook_path(args.notebook), get_profile(args.profile)), end="")
    except LessonScriptError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
