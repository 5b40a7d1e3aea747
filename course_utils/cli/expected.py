"""Expected outputs of the notebooks' deterministic cells, kept outside the (clean) notebooks.

The notebooks are stored without outputs, so a student never sees stale results. nbval, though,
only compares a cell marked ``# NBVAL_CHECK_OUTPUT`` with a stored, executed reference. So
the references live in ``tests/expected_outputs/NAME.json`` (one entry per marked cell, with a
hash of its source so a changed cell cannot be checked against an old output), and the test
configuration puts them into nbval's cells before they run (:func:`apply_to_items`).

Record them after a pocket run: ``python -m course_utils run --profile pocket`` then
``python -m course_utils expected``. Maintainers' plumbing; no notebook uses it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from course_utils.cli.arguments import not_blank
from course_utils.environment import repo_root

CHECK_MARKER = "NBVAL_CHECK_OUTPUT"
DROP_KEYS = ("execution_count", "metadata")
DROP_DATA = ("image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json")


def expected_dir() -> Path:
    return repo_root() / "tests" / "expected_outputs"


def is_checked(source: str) -> bool:
    """True if a cell's source carries the ``# NBVAL_CHECK_OUTPUT`` marker."""
    return any(line.strip().lstrip("#").strip() == CHECK_MARKER
               for line in source.splitlines() if line.strip().startswith("#"))


def source_hash(source: str) -> str:
    return hashlib.sha256(source.strip().encode()).hexdigest()[:16]


def _clean(output: dict) -> dict:
    kept = {k: v for k, v in output.items() if k not in DROP_KEYS}
    if "data" in kept:
        kept["data"] = {k: v for k, v in kept["data"].items() if k not in DROP_DATA}
    return kept


def _merge_streams(outputs: list[dict]) -> list[dict]:
    """Consecutive pieces of the same stream as one output (how a kernel splits a cell's printing
    varies from run to run; nbval compares the merged text too)."""
    merged: list[dict] = []
    for output in outputs:
        if (merged and output.get("output_type") == "stream" and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == output.get("name")):
            merged[-1] = {**merged[-1], "text": merged[-1]["text"] + output["text"]}
        else:
            merged.append(output)
    return merged


def checked_outputs(notebook) -> dict[str, dict]:
    """``{code cell number: {"source_hash", "outputs"}}`` for the marked cells of an executed notebook."""
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    return {
        str(number): {"source_hash": source_hash(cell["source"]),
                      "outputs": _merge_streams([_clean(o) for o in cell.get("outputs", [])])}
        for number, cell in enumerate(code_cells) if is_checked(cell["source"])
    }


def record(executed_dir: Path | None = None, out_dir: Path | None = None, only: str | None = None) -> list[Path]:
    """Write one JSON file of expected outputs per executed notebook found in ``executed_dir``
    (those whose name contains ``only``, when given)."""
    import nbformat

    executed_dir = executed_dir or repo_root() / "build" / "notebooks"
    out_dir = out_dir or expected_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(executed_dir.glob("*.ipynb")):
        if only and only not in path.name:
            continue
        entries = checked_outputs(nbformat.read(path, as_version=4))
        target = out_dir / f"{path.stem}.json"
        target.write_text(json.dumps(entries, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        written.append(target)
    return written


def apply_to_items(items, directory: Path | None = None) -> None:
    """Give nbval's marked cells their recorded outputs; a marked cell with no (or a stale)
    record fails with a message saying how to record it."""
    import nbformat

    directory = directory or expected_dir()
    cache: dict[Path, dict] = {}
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or cell.get("cell_type") != "code" or not is_checked(cell.source):
            continue
        path = Path(str(item.fspath))
        if path not in cache:
            record_file = directory / f"{path.stem}.json"
            cache[path] = json.loads(record_file.read_text()) if record_file.exists() else {}
        entry = cache[path].get(str(item.cell_num))
        problem = ("has no recorded output" if entry is None else
                   "changed since its output was recorded"
                   if entry["source_hash"] != source_hash(cell.source) else None)
        if problem:
            message = (f"{path.name} code cell {item.cell_num} is marked {CHECK_MARKER} but {problem}. "
                       "Run `python -m course_utils run --profile pocket` then `python -m course_utils expected`.")
            item.runtest = _failing(message)
            continue
        cell.outputs = [nbformat.from_dict(o) for o in entry["outputs"]]
        cell.execution_count = 1  # nbval only compares cells whose reference was run


def _failing(message: str):
    def runtest() -> None:
        raise AssertionError(message)

    return runtest


def add_arguments(parser) -> None:
    """``expected``'s options."""
    parser.add_argument("--only", metavar="TEXT", type=not_blank, help="only notebooks whose name contains TEXT")


def main(args) -> int:
    """``expected``: record the checked cells' outputs from the executed copies in build/."""
    for path in record(only=args.only):
        print(f"recorded {path}")
    return 0
