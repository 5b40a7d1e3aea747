"""An executed notebook made ready to be a slide deck (``python -m course_utils slides``).

Every cell of ``notebooks/`` carries its slide type (``metadata.slideshow.slide_type``, the
field JupyterLab's property inspector and RISE read): the title and each ``##`` section start a
slide, every other Markdown cell a sub-slide below it, code cells stay on the slide of the text
before them, and the set-up and the exercises' answer and check cells are skipped. The speaker
notes are not in the notebooks (students would see them): they are in
``docs/speaker_notes/NN_name.yaml``, one entry per slide keyed by the id of the cell that starts
it, with what to say (``say``), where students get stuck (``stuck``) and, optionally, how the
output differs on each profile (``profiles``). :func:`deck_notebook` adds to each slide's notes
the time its cells took in the run that produced the copy (from the cells' execution times), and
to the title slide the notebook's recorded Run All time on every profile (``results/runs/``).
On a copy of the executed notebook it also cuts long text outputs, gives a figure its own
sub-slide when its slide already shows an output, and makes the same changes as a book page
(:func:`course_utils.cli.book_notebooks.book_page`).
"""

from __future__ import annotations

import copy
import datetime
from pathlib import Path

from course_utils.cli.book_guide import ok_seconds
from course_utils.cli.book_notebooks import book_page
from course_utils.costs import format_duration
from course_utils.environment import repo_root
from course_utils.records import where

NOTES_DIR = Path("docs") / "speaker_notes"
NOTE_FIELDS = {"say": "What to say", "stuck": "Where students get stuck", "profiles": "On each profile"}
REQUIRED_FIELDS = ("say", "stuck")
MAX_OUTPUT_LINES = 14  # a text output longer than this is cut on its slide


def slide_type(cell: dict) -> str:
    """A cell's slide type; ``"-"`` (stay on the current slide) when it has none."""
    return (cell.get("metadata", {}).get("slideshow") or {}).get("slide_type", "-")


def slide_ids(notebook: dict) -> list[str]:
    """The ids of the cells that start a slide, in order: the keys of the notebook's notes."""
    return [cell.get("id", "") for cell in notebook.get("cells", []) if slide_type(cell) == "slide"]


def notes_path(name: str) -> Path:
    """Where the speaker notes of notebook ``name`` (``06_trainer.ipynb``) are written."""
    return repo_root() / NOTES_DIR / (Path(name).stem + ".yaml")


def read_notes(path: Path, notebook: dict) -> dict[str, dict[str, str]]:
    """The notes of ``path`` for ``notebook``, checked: one entry per slide of the notebook and
    no other, each with ``say`` and ``stuck``, no unknown field. A file that breaks a rule is
    refused with the rule; a missing file gives no notes."""
    import yaml

    path = Path(path)
    if not path.is_file():
        return {}
    try:
        notes = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(notes, dict):
        raise ValueError(f"{path} must map cell ids to notes (`cell-id: {{say: ..., stuck: ...}}`)")
    slides = slide_ids(notebook)
    if not slides:
        raise ValueError(f"the notebook of {path.name} has no cell that starts a slide (metadata.slideshow): "
                         "was it executed before its cells had slide types? Run `python -m course_utils run` again")
    unknown = [key for key in notes if key not in slides]
    if unknown:
        raise ValueError(f"{path} has notes for {', '.join(map(str, unknown))}, which start no slide of the "
                         f"notebook; the slides start at cells {', '.join(slides)}")
    for key, note in notes.items():
        if not isinstance(note, dict) or set(note) - set(NOTE_FIELDS):
            raise ValueError(f"{path}: the notes of {key} must be a mapping with the fields {', '.join(NOTE_FIELDS)}")
        missing = [name for name in REQUIRED_FIELDS if not str(note.get(name) or "").strip()]
        if missing:
            raise ValueError(f"{path}: the notes of {key} lack {' and '.join(missing)}")
    return {key: {name: str(text).strip() for name, text in note.items()} for key, note in notes.items()}


def cell_seconds(cell: dict) -> float | None:
    """How long a code cell ran: its execution times as nbclient (``run``) or the test suite's
    copies record them (``metadata.execution``); None when they are missing."""
    times = cell.get("metadata", {}).get("execution") or {}
    try:
        start = datetime.datetime.fromisoformat(times["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.datetime.fromisoformat(times["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return max((end - start).total_seconds(), 0.0)


def section_seconds(notebook: dict) -> dict[str, float | None]:
    """Each slide's time: the sum over the code cells from its first cell to the next slide's
    (None when one of them has no recorded time)."""
    seconds: dict[str, float | None] = {}
    current = None
    for cell in notebook.get("cells", []):
        if slide_type(cell) == "slide":
            current = cell.get("id", "")
            seconds[current] = 0.0
        elif current is not None and cell.get("cell_type") == "code" and seconds[current] is not None:
            took = cell_seconds(cell)
            seconds[current] = None if took is None else seconds[current] + took
    return seconds


def trim_output(output: dict, limit: int = MAX_OUTPUT_LINES) -> dict:
    """A text output (printed, or a plain-text result) cut to ``limit`` lines, with a last line
    saying how many more the notebook shows; other outputs unchanged."""
    if output.get("output_type") == "stream":
        key, holder = "text", output
    elif set(output.get("data") or {}) == {"text/plain"}:
        key, holder = "text/plain", output["data"]
    else:
        return output
    text = holder[key] if isinstance(holder[key], str) else "".join(holder[key])
    lines = text.rstrip("\n").split("\n")
    if len(lines) <= limit:
        return output
    kept = "\n".join(lines[:limit - 1]) + f"\n[... {len(lines) - limit + 1} more lines in the notebook]\n"
    trimmed = copy.deepcopy(output)
    (trimmed if key == "text" else trimmed["data"])[key] = kept
    return trimmed


def figures_on_their_own(cells: list[dict]) -> None:
    """Give a figure its own sub-slide when its slide already shows another output: a code cell
    that draws one (``image/png``) and follows a code cell with output on the same slide becomes
    a ``subslide`` (in the deck's copy only)."""
    shown = False
    for cell in cells:
        kind = slide_type(cell)
        if kind in ("slide", "subslide"):
            shown = False
        if cell.get("cell_type") != "code" or kind == "skip" or not cell.get("outputs"):
            continue
        if shown and kind == "-" and any("image/png" in (out.get("data") or {}) for out in cell["outputs"]):
            cell["metadata"] = {**cell.get("metadata", {}), "slideshow": {"slide_type": "subslide"}}
        shown = True


def run_times(name: str, runs: dict[str, dict]) -> str:
    """The notebook's recorded Run All time on every run, with machine and date, in one line."""
    parts = [f"{label} {format_duration(seconds)} ({where(run)}, {run['date'][:10]})" for label, run in runs.items()
             if (seconds := ok_seconds(run, name)) is not None]
    return "; ".join(parts) or "no recorded run"


def notes_markdown(note: dict[str, str], seconds: float | None, build: str, extra: str = "") -> str:
    """The Markdown of one slide's speaker notes: the written fields, then the measured time."""
    lines = [f"**{NOTE_FIELDS[field]}.** {note[field]}" for field in NOTE_FIELDS if note.get(field)]
    took = "not recorded in this build" if seconds is None else f"{format_duration(seconds, 1)} in {build}"
    lines.append(f"**Time.** The cells of this slide's section: {took}.{extra}")
    return "\n\n".join(lines)


def deck_notebook(executed: dict, name: str, notes: dict[str, dict[str, str]], banner: str, build: str,
                  runs: dict[str, dict]) -> dict:
    """A copy of the executed notebook ``name`` ready for the slides exporter: the book page's
    changes (``banner`` under the title), long text outputs cut, figures on their own sub-slides
    (:func:`figures_on_their_own`), and after each slide's first cell
    a notes cell (slide type ``notes``) with its notes, the time its section took in ``build``
    (which profile and machine produced the copy) and, on the title slide, the recorded Run All
    times of ``runs``."""
    deck = book_page(executed, name, banner)
    seconds = section_seconds(executed)
    title = next(iter(slide_ids(executed)), None)
    cells = []
    for cell in deck["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [trim_output(output) for output in cell.get("outputs", [])]
        cells.append(cell)
        key = cell.get("id", "")
        if slide_type(cell) == "slide" and key in notes:
            extra = f" Run All of this notebook, recorded: {run_times(name, runs)}." if key == title else ""
            cells.append({"cell_type": "markdown", "id": f"{key}-notes", "metadata": {"slideshow": {
                "slide_type": "notes"}}, "source": notes_markdown(notes[key], seconds.get(key), build, extra)})
    figures_on_their_own(cells)
    deck["cells"] = cells
    return deck
