"""Results on record: what a measurement ran on, and the notebook times of the last runs.

Used by the ``run`` command (no notebook imports it). Each ``python -m course_utils run`` writes
``results/runs/<label>.json``: the command, the date, the machine (CPU model and cores, GPU,
library versions) and each notebook's status, seconds and headline. The runner reads the same
file to show, while a notebook runs, how long its last recorded run took. ``COURSE_RESULTS_DIR``
moves the folder (tests point it at a temporary one).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from pathlib import Path

from course_utils.profiles import repo_root


def results_dir() -> Path:
    return Path(os.environ.get("COURSE_RESULTS_DIR") or repo_root() / "results")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    """The machine and software a measurement ran on."""
    from importlib.metadata import PackageNotFoundError, version

    info = {"cpu": _cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(terse=True), "gpu": None}
    for package in ("torch", "transformers", "datasets", "evaluate", "accelerate"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = None
    if "torch" in sys.modules or info["torch"]:
        import torch

        info["threads"] = torch.get_num_threads()
        if torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
    return info


def run_record_path(label: str) -> Path:
    return results_dir() / "runs" / f"{label}.json"


def read_run(label: str) -> dict | None:
    """The last recorded run of ``label`` (e.g. ``pocket``, ``small-rehearsal``), or None."""
    path = run_record_path(label)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def last_seconds(label: str, notebook: str) -> float | None:
    """How long ``notebook`` took in the last recorded ``label`` run (None if never recorded)."""
    record = read_run(label) or {}
    entry = record.get("notebooks", {}).get(notebook)
    return entry.get("seconds") if entry else None


def write_run(label: str, command: str, results, partial: bool = False) -> Path:
    """Record a run's notebooks (:class:`~course_utils.runner.NotebookResult`), merged into the
    previous record of ``label`` so that ``--only`` updates just the notebooks it ran."""
    previous = read_run(label) or {}
    notebooks = previous.get("notebooks", {}) if partial else {}
    for result in results:
        notebooks[result.name] = {"status": result.status, "seconds": round(result.seconds, 1),
                                  "headline": result.headline, "error": result.error}
    record = {"label": label, "command": command,
              "date": datetime.datetime.now().isoformat(timespec="seconds"),
              "machine": machine(), "notebooks": dict(sorted(notebooks.items())),
              "total_seconds": round(sum(n["seconds"] for n in notebooks.values()), 1)}
    path = run_record_path(label)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path


# --------------------------------------------------------------------------------- README table
TABLE_LABELS = {  # recorded run -> column heading
    "pocket": "pocket",
    "small-rehearsal": "small: gpt2 stand-in, untrimmed",
    "small-rehearsal-trimmed": "small, trimmed (CI)",
    "full-rehearsal-trimmed": "full, trimmed (CI)",
}
TABLE_BEGIN, TABLE_END = "<!-- notebook-times:begin -->", "<!-- notebook-times:end -->"


def _cell(entry: dict | None) -> str:
    if not entry:
        return "-"
    return f"{entry['seconds']:.0f} s" + ("" if entry["status"] == "ok" else f" ({entry['status']})")


def times_table() -> str:
    """Markdown: seconds per notebook for each recorded run of :data:`TABLE_LABELS`, with each
    run's machine and date, generated from ``results/runs/*.json``."""
    runs = {label: read_run(label) for label in TABLE_LABELS}
    runs = {label: run for label, run in runs.items() if run}
    names = sorted({name for run in runs.values() for name in run["notebooks"]})
    lines = ["| notebook | " + " | ".join(TABLE_LABELS[label] for label in runs) + " |",
             "|---|" + "---|" * len(runs)]
    for name in names:
        lines.append(f"| {name.removesuffix('.ipynb')} | "
                     + " | ".join(_cell(run["notebooks"].get(name)) for run in runs.values()) + " |")
    lines.append("| **series** | " + " | ".join(f"**{run['total_seconds'] / 60:.1f} min**" for run in runs.values()) + " |")
    lines.append("| measured on | " + " | ".join(
        f"{run['machine']['cpu']}, {run['machine']['cores']} cores{', ' + run['machine']['gpu'] if run['machine']['gpu'] else ''}, "
        f"{run['date'][:10]}" for run in runs.values()) + " |")
    return "\n".join(lines)


def _table_span(text: str) -> tuple[int, int]:
    """Where the generated table sits in the README's text (between the two markers)."""
    return text.index(TABLE_BEGIN) + len(TABLE_BEGIN), text.index(TABLE_END)


def readme_table(readme: Path | None = None) -> str:
    """The notebook-times table as the README holds it now."""
    text = (readme or repo_root() / "README.md").read_text()
    start, end = _table_span(text)
    return text[start:end].strip()


def update_readme(readme: Path | None = None) -> bool:
    """Rewrite the README's notebook-times table from the records; True if it changed."""
    readme = readme or repo_root() / "README.md"
    text = readme.read_text()
    start, end = _table_span(text)
    updated = text[:start] + "\n" + times_table() + "\n" + text[end:]
    if updated != text:
        readme.write_text(updated)
    return updated != text
