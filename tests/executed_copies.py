"""Executed copies of the notebooks that nbval runs in this pytest session, for the browser tests.

Under nbval every notebook of ``notebooks/`` runs once, cell by cell, in a kernel of its own, on
the pocket profile (``conftest.py``), in the notebook's folder, as ``python -m course_utils run``
runs it. :func:`keep_outputs` (called by ``conftest.py`` after each cell) keeps what each code
cell printed and showed, and when it started and ended (``metadata.execution``, as nbclient
records them: the slides' notes read each section's time from them); once every code cell of a
notebook has run, the notebook is written with those outputs to ``build/notebooks-nbval/``, as
``run`` writes its executed copies, with a record ``run.json`` (command, date, machine,
headlines) that the book's banner reads. The browser tests of the book (``tests/test_book.py``)
and of the slides (``tests/test_slides.py``) build from that folder, so CI executes no notebook
twice. A notebook whose cell failed or was not run is not written; the tests then run the series
themselves (:func:`run_series`).
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "build" / "notebooks-nbval"
STATE = pytest.StashKey[dict]()
COMMAND = "pytest (nbval, every notebook of notebooks/ on the pocket profile)"


def _state(config) -> dict:
    if STATE not in config.stash:
        config.stash[STATE] = {"outputs": {}, "started": {}, "written": {}}
    return config.stash[STATE]


def silenced(source: str) -> bool:
    """Whether a cell ends with ``;``, which tells IPython not to show the last line's value. Under
    nbval the kernel runs cells without storing them in its history, where IPython looks for that
    ``;``, so the value is shown anyway; the copies leave it out, as ``run`` and Jupyter do."""
    lines = [line.split("#", 1)[0].rstrip() for line in source.splitlines()]
    lines = [line for line in lines if line]
    return bool(lines) and lines[-1].endswith(";")


def keep_outputs(item, outputs: list, started: datetime.datetime) -> None:
    """Keep an nbval cell's outputs and times (it began at ``started``); write its notebook once
    all of its code cells have run."""
    if item.path.parent != REPO / "notebooks" or not hasattr(item, "cell_num"):
        return
    state = _state(item.config)
    if not state["written"] and not state["outputs"] and FOLDER.is_dir():
        for old in FOLDER.glob("*"):  # this session's copies only: never an earlier session's
            old.unlink()
    kept = state["outputs"].setdefault(item.path, {})
    state["started"].setdefault(item.path, time.monotonic())
    ended = datetime.datetime.now(datetime.timezone.utc)
    if silenced("".join(item.cell["source"])):  # IPython drops its value; nbval's kernel call does not
        outputs = [output for output in outputs if output.get("output_type") != "execute_result"]
    kept[item.cell_num] = (copy.deepcopy(list(outputs)), {"iopub.execute_input": started.isoformat(),
                                                         "shell.execute_reply": ended.isoformat()})
    code_cells = [cell for cell in item.parent.nb.cells if cell.cell_type == "code"]
    if len(kept) == len(code_cells):
        write_copy(item.path, item.parent.nb, kept, time.monotonic() - state["started"][item.path])
        state["written"][item.path.name] = time.monotonic() - state["started"][item.path]


def write_copy(path: Path, notebook, outputs: dict[int, tuple[list, dict]], seconds: float) -> None:
    """Write ``notebook`` with each code cell's kept outputs and times (numbered as one run numbers
    them) to :data:`FOLDER`, and add it to the folder's record."""
    import nbformat

    from course_utils.cli.run import find_headline
    from course_utils.records import machine

    executed = copy.deepcopy(notebook)
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells):
        kept, times = outputs[number]
        cell.outputs = [nbformat.from_dict(output) for output in kept]
        cell.metadata["execution"] = times
        cell.execution_count = number + 1
        for output in cell.outputs:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = number + 1
    FOLDER.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, FOLDER / path.name)
    record_path = FOLDER / "run.json"
    record = json.loads(record_path.read_text()) if record_path.is_file() else {
        "label": "pocket", "command": COMMAND, "machine": machine(), "notebooks": {}}
    record["date"] = datetime.datetime.now().isoformat(timespec="seconds")
    record["notebooks"][path.name] = {"status": "ok", "seconds": round(seconds, 1),
                                      "headline": find_headline(executed), "error": None}
    record_path.write_text(json.dumps(record, indent=2) + "\n")


def run_series(folder: Path, only: str | None = None) -> Path:
    """Execute the notebooks into ``folder`` with ``run``'s own code (pocket profile, figures inline
    as without this suite's Agg backend) and record the run beside them; the folder."""
    from course_utils.cli.run import run_notebooks
    from course_utils.records import machine

    backend = os.environ.pop("MPLBACKEND", None)
    try:
        results = run_notebooks(profile="pocket", only=only, out_dir=folder, progress=False)
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend
    assert results and all(result.ok for result in results), [result.error for result in results]
    record = {"label": "pocket", "command": "run_notebooks(profile='pocket'), tests/executed_copies.py",
              "date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
              "notebooks": {r.name: {"status": r.status, "headline": r.headline} for r in results}}
    (folder / "run.json").write_text(json.dumps(record, indent=2) + "\n")
    return folder


def complete_folder(config) -> Path | None:
    """:data:`FOLDER` when this session wrote every notebook of ``notebooks/`` into it, else None."""
    written = set(_state(config)["written"])
    expected = {path.name for path in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    return FOLDER if expected and written == expected else None
