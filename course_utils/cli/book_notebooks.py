"""The executed notebooks, made ready to be pages of the course book (``python -m course_utils book``).

``run`` writes executed copies to ``build/notebooks[-<label>]/``. Each page of the book is such a
copy with three changes, made on a new copy (the run's folder is never modified): a Colab button
that loads nothing from another host in place of the Colab badge, a banner that says which
profile and machine produced the outputs, and each widget's static copy instead of the widget (a
book has no kernel to draw one). Which run produced the copies is read from the copies
themselves (the ``[course] profile=`` banner line each notebook prints) and from the run's
record, which must agree with them (:func:`find_record`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path

from course_utils.cli.badges import badge_url
from course_utils.cli.run import NOTEBOOK_GLOB, find_headline
from course_utils.environment import repo_root
from course_utils.records import read_record, records_dir, results_dir, where

BANNER_PREFIX = "[course] "
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
RECORD_IN_FOLDER = "run.json"  # a record kept beside the copies (what the book's browser test writes)
# A Markdown image loaded from another host, wrapped in a link: the Colab badge on the first line.
REMOTE_BADGE = re.compile(r"\[!\[[^\]]*\]\(https?://[^)]*\)\]\([^)]*\)")


@dataclass
class Provenance:
    """Who produced a folder of executed copies: the profile's banner and the run's record."""

    folder: Path
    banner: list[str]  # the "[course] ..." lines the first notebook printed
    record: dict | None  # the run's record (command, date, machine), None when none matches

    @property
    def profile(self) -> str:
        """The profile named by the banner (``[course] profile=pocket | ...``), or "unknown"."""
        found = re.search(r"profile=(\S+)", self.banner[0]) if self.banner else None
        return found.group(1) if found else "unknown"

    def machine(self) -> str:
        """The machine and day of the run, from its record."""
        try:
            return f"{where(self.record)} ({self.record['date'][:10]})"
        except (KeyError, TypeError):
            return "a machine this run kept no record of"

    def command(self) -> str:
        """The command of the run, and the label it is recorded under where that says more."""
        if not self.record:
            return "`python -m course_utils run`"
        label = self.record.get("label")
        extra = f" (recorded as `{label}`)" if label and label != self.profile else ""
        return f"`{self.record['command']}`{extra}"


def executed_copies(folder: Path) -> list[Path]:
    """The executed notebooks in ``folder`` (``NN_*.ipynb``, name order), checked: a missing
    folder, no notebook or a notebook with no output at all is refused with what to run."""
    folder = Path(folder)
    advice = "run `python -m course_utils run` first (it writes the executed copies to build/notebooks/)"
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder of executed notebooks; {advice}.")
    paths = sorted(p for p in folder.glob(NOTEBOOK_GLOB) if p.is_file())
    if not paths:
        raise ValueError(f"{folder} holds no notebook named like 01_name.ipynb; {advice}.")
    for path in paths:
        cells = read_notebook(path).get("cells", [])
        if not any(cell.get("outputs") for cell in cells if cell.get("cell_type") == "code"):
            raise ValueError(f"{path} has no outputs (it was never executed); {advice}.")
    return paths


def read_notebook(path: Path) -> dict:
    """A notebook's JSON; a file that is not one is refused in one line."""
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path} cannot be read as a notebook: {error}") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ValueError(f"{path} is not a Jupyter notebook (no list of cells).")
    return notebook


def notebook_title(notebook: dict, name: str) -> str:
    """The notebook's ``# `` title (``06 · Fine-tuning GPT-2 ...``), else its file name's stem."""
    return next((line[2:].strip() for cell in notebook.get("cells", []) if cell.get("cell_type") == "markdown"
                 for line in "".join(cell["source"]).splitlines() if line.startswith("# ")), Path(name).stem)


def _text(output: dict) -> str:
    text = output.get("text", "") if output.get("output_type") == "stream" else ""
    return "".join(text) if isinstance(text, list) else text


def banner_lines(notebook: dict) -> list[str]:
    """The ``[course] ...`` lines of the first output that prints the profile's banner."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            lines = [line.strip() for line in _text(output).splitlines()]
            if any(line.startswith(BANNER_PREFIX + "profile=") for line in lines):
                return [line for line in lines if line.startswith(BANNER_PREFIX)]
    return []


def folder_label(folder: Path) -> str:
    """The run label a folder of ``run``'s is named after: ``build/notebooks`` is ``pocket``,
    ``build/notebooks-small-rehearsal`` is ``small-rehearsal``."""
    name = Path(folder).resolve().name
    return name.removeprefix("notebooks-") if name.startswith("notebooks-") else "pocket"


def find_record(folder: Path, headlines: dict[str, str | None]) -> dict | None:
    """The record of the run that wrote ``folder``: ``run.json`` in the folder, else the record
    of the folder's label (``build/results/runs/`` for an unrecorded run, ``results/runs/`` for a
    recorded one); only one whose headline for every notebook equals the copy's own counts."""
    label = folder_label(folder)
    candidates = [Path(folder) / RECORD_IN_FOLDER, records_dir() / "runs" / f"{label}.json",
                  repo_root() / "build" / "results" / "runs" / f"{label}.json",
                  results_dir() / "runs" / f"{label}.json"]
    for path in dict.fromkeys(candidates):
        record = read_record(path)
        if not isinstance(record, dict) or not {"command", "date", "machine", "notebooks"} <= set(record):
            continue  # missing, or not a record of run's
        notebooks = record["notebooks"]
        if all((notebooks.get(name) or {}).get("headline") == line for name, line in headlines.items()):
            return record
    return None


def provenance(folder: Path, paths: list[Path]) -> Provenance:
    """The banner of the first copy and the record that matches every copy's headline."""
    notebooks = {path.name: read_notebook(path) for path in paths}
    headlines = {name: find_headline(_as_node(nb)) for name, nb in notebooks.items()}
    return Provenance(Path(folder), banner_lines(next(iter(notebooks.values()))), find_record(folder, headlines))


def _as_node(notebook: dict):
    """A notebook dict as the ``nbformat`` node that :func:`find_headline` reads."""
    import nbformat

    return nbformat.from_dict(notebook)


def banner_markdown(source: Provenance) -> str:
    """The note at the top of every page: the profile, the command and the machine of the run."""
    lines = "\n".join(source.banner) or "(no banner line found)"
    return (f":::{{note}}\nThe outputs on this page were produced by the **{source.profile}** profile: "
            f"{source.command()} on {source.machine()}. The notebook printed:\n\n```text\n{lines}\n```\n:::")


def colab_button(name: str) -> str:
    """An "Open in Colab" link drawn by the book's own stylesheet (no badge image from Colab)."""
    return f'<a class="course-colab" href="{badge_url("notebooks/" + name)}">Open in Colab</a>'


def static_widgets(outputs: list[dict]) -> list[dict]:
    """The outputs with each widget replaced by the static copy it carries (``text/html`` from
    ``course_utils.widgets.live_panel`` and the quiz, else ``text/plain``)."""
    kept = []
    for output in outputs:
        data = output.get("data") or {}
        if WIDGET_VIEW in data:
            output = {**output, "data": {key: value for key, value in data.items() if key != WIDGET_VIEW}}
            if not output["data"]:
                output["data"] = {"text/plain": "(an interactive widget: open the notebook to use it)"}
        kept.append(output)
    return kept


def book_page(notebook: dict, name: str, banner: str) -> dict:
    """A copy of an executed notebook as a book page: the Colab button in place of the badge, the
    banner under the title (both in the first Markdown cell), static widgets, IPython's highlighting."""
    page = copy.deepcopy(notebook)
    metadata = page.setdefault("metadata", {})
    metadata.pop("widgets", None)
    # The cells use IPython's syntax (`!git`, `%pip`): highlight them so, as a kernel's copy says.
    metadata.setdefault("language_info", {"name": "python"}).setdefault("pygments_lexer", "ipython3")
    cells = page["cells"]
    first = next((cell for cell in cells if cell.get("cell_type") == "markdown"), None)
    if first is None:
        first = {"cell_type": "markdown", "id": "course-book-title", "metadata": {}, "source": f"# {name}"}
        cells.insert(0, first)
    source, found = REMOTE_BADGE.subn(colab_button(name), "".join(first["source"]), count=1)
    lines = (source if found else f"{colab_button(name)}\n\n{source}").split("\n")
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), len(lines) - 1)
    first["source"] = "\n".join([*lines[:title + 1], "", banner, "", *lines[title + 1:]])
    for cell in cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = static_widgets(cell.get("outputs", []))
    return page


def write_pages(paths: list[Path], banner: str, target: Path) -> list[Path]:
    """Write each executed copy as a book page into ``target``; the pages' paths."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        page = book_page(read_notebook(path), path.name, banner)
        (target / path.name).write_text(json.dumps(page, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target / path.name)
    return written
