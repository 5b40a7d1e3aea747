"""The instructor's guide of the course book: ``docs/instructor_guide.md`` with its tables filled in.

The guide's prose is written in ``docs/instructor_guide.md``; its numbers are not. Where the text
has a marker line, ``python -m course_utils book`` puts a table generated from the run records in
``results/runs/`` (:mod:`course_utils.records`) and from the notebooks themselves:

- ``<!-- book:session NAME -->``: the plan of a session of :data:`SESSIONS` (which notebooks run
  live and which are shown pre-executed, which sections to re-run with the class, the minutes of
  each slot) with each live notebook's recorded run time on every profile;
- ``<!-- book:times -->``: every recorded run's time per notebook (the README's table).

A slot's minutes are a teaching plan, not a measurement; every time shown beside them is read from
a record, with its machine and date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from course_utils.cli.book_notebooks import notebook_title
from course_utils.cli.results import run_columns, times_table
from course_utils.costs import format_duration
from course_utils.records import read_run, where

MARKER = re.compile(r"^<!-- book:(session|times)\s*(.*?)\s*-->$", re.MULTILINE)


@dataclass(frozen=True)
class Slot:
    """One part of a session: a notebook run live or shown pre-executed, or a pause."""

    minutes: int  # the time planned for it in class
    notebook: str | None = None  # the notebook's number ("06"); None for a pause
    live: bool = False  # True: Run All at the start of the slot; False: show the executed copy
    rerun: tuple[str, ...] = ()  # sections (part of their heading) to re-run with the class's input
    label: str = ""  # what a pause is ("Break")


SESSIONS: dict[str, tuple[Slot, ...]] = {
    "90 minutes": (
        Slot(10, "01", True, ("Predicting the next token", "Let it write")),
        Slot(10, "02", False),
        Slot(10, "03", True, ("Try it yourself", "GPT-2 has no pad token")),
        Slot(10, "04", True, ("The pad token id",)),
        Slot(5, "05", False),
        Slot(35, "06", True, ("`TrainingArguments`", "Try your own tweet")),
        Slot(5, "07", False),
        Slot(5, "08", False),
    ),
    "3 hours": (
        Slot(20, "01", True, ("Predicting the next token", "Let it write", "few-shot prompting")),
        Slot(15, "02", True, ("Quality checks",)),
        Slot(20, "03", True, ("Try it yourself", "GPT-2 has no pad token", 'What `padding="max_length"` costs')),
        Slot(15, "04", True, ("The pad token id",)),
        Slot(15, "05", True, ("the confusion matrix",)),
        Slot(10, label="Break"),
        Slot(40, "06", True, ("`TrainingArguments`", "Try your own tweet")),
        Slot(20, "07", True, ("Underfitting",)),
        Slot(15, "08", False),
        Slot(10, label="Questions; the exercises to take home"),
    ),
}


def headings(notebook: dict) -> list[str]:
    """The notebook's section headings (``## ...`` and deeper), without the hashes."""
    found = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            found += [line.lstrip("#").strip() for line in "".join(cell["source"]).splitlines()
                      if line.startswith("##")]
    return found


def section(notebook: dict, part: str, name: str) -> str:
    """The heading of ``notebook`` that contains ``part``; a plan naming no heading is refused."""
    match = next((heading for heading in headings(notebook) if part in heading), None)
    if match is None:
        raise ValueError(f"the instructor's guide names a section {part!r} that {name} does not have")
    return match


def title_link(notebook: dict, name: str) -> str:
    """A link to the notebook's page, named by its title (``# 06 · Fine-tuning ...``)."""
    return f"[{notebook_title(notebook, name)}](notebooks/{Path(name).stem}.ipynb)"


def plan_runs() -> dict[str, dict]:
    """The recorded runs a session plan quotes: every column of the README's times table except
    CI's trimmed runs (their sizes are not a class's)."""
    runs = {label: read_run(label) for label in run_columns() if not label.endswith("-trimmed")}
    return {label: run for label, run in runs.items() if run}


def ok_seconds(run: dict, name: str) -> float | None:
    """How long notebook ``name`` took in the run record ``run``; None unless it ran ok."""
    entry = run.get("notebooks", {}).get(name) or {}
    return entry.get("seconds") if entry.get("status") == "ok" else None


def _run_cell(seconds: float | None, minutes: int) -> str:
    if seconds is None:
        return "not recorded"
    return format_duration(seconds) + (" (longer than the slot)" if seconds > minutes * 60 else "")


def session_table(slots: tuple[Slot, ...], notebooks: dict[str, dict], runs: dict[str, dict]) -> str:
    """Markdown: one row per slot, then the planned minutes and the live notebooks' machine time.

    ``notebooks`` maps file names to notebook JSON (to name their sections); ``runs`` maps labels
    to run records (:func:`plan_runs`)."""
    lines = ["| minutes | notebook | in class | re-run with the class | "
             + " | ".join(f"Run All: {label}" for label in runs) + " |",
             "|---|---|---|---|" + "---|" * len(runs)]
    totals = dict.fromkeys(runs, 0.0)
    for slot in slots:
        name = next((n for n in notebooks if slot.notebook and n.startswith(slot.notebook + "_")), None)
        if slot.notebook is None or name is None:
            what = slot.label or f"notebook {slot.notebook} (not in this book)"
            lines.append(f"| {slot.minutes} | {what} | | | " + " | ".join("" for _ in runs) + " |")
            continue
        sections = "; ".join(section(notebooks[name], part, name) for part in slot.rerun)
        cells = []
        for label, run in runs.items():
            seconds = ok_seconds(run, name) if slot.live else None
            totals[label] += seconds or 0.0
            cells.append(_run_cell(seconds, slot.minutes) if slot.live else "")
        how = "live" if slot.live else "pre-executed"
        lines.append(f"| {slot.minutes} | {title_link(notebooks[name], name)} | {how} | {sections} | "
                     + " | ".join(cells) + " |")
    lines.append(f"| **{sum(s.minutes for s in slots)}** | **in all** | | machine time of the live notebooks | "
                 + " | ".join(f"**{format_duration(total)}**" for total in totals.values()) + " |")
    lines.append("| | | | measured on | "
                 + " | ".join(f"{where(run)}, {run['date'][:10]}" for run in runs.values()) + " |")
    return "\n".join(lines)


def fill_guide(text: str, notebooks: dict[str, dict], runs: dict[str, dict]) -> str:
    """The guide with each marker line replaced by its table; an unknown marker is refused."""
    def table(match: re.Match) -> str:
        kind, name = match.group(1), match.group(2)
        if kind == "times":
            return times_table()
        if name not in SESSIONS:
            raise ValueError(f"docs/instructor_guide.md asks for a session {name!r}; the plans are "
                             f"{', '.join(SESSIONS)} (course_utils/cli/book_guide.py)")
        return session_table(SESSIONS[name], notebooks, runs)

    return MARKER.sub(table, text)
