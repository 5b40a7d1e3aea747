"""Installing the course in Colab without touching what Colab already has (every notebook's first cell).

Every notebook starts with the same install cell (``cli/badges.install_cell_source``): in Colab it
clones the repository and calls :func:`install`, which runs ``pip install -r
requirements-lesson.txt`` (the libraries the notebooks import, as ranges that admit what Colab
ships, and the course's own package) and prints one line: what pip added, what it changed, and how
long it took. The ranges make pip keep every package Colab has (ipywidgets 7.7.1 included); only
what Colab lacks is added (``evaluate``, ``vaderSentiment``, the course). No test or book tool is in
that file.

If pip had to change a package the kernel has already imported, the kernel would go on with the
old module in memory and the new one on disk. :func:`install` then stops the cell with one line
saying to restart (Runtime > Restart session) and run the notebook again, instead of letting the
lesson run on a mixed state. pip's own "Successfully installed" line, Colab's cue for its restart
button, is not shown: pip's output is kept out of the notebook unless it fails.

Only the standard library is used here: the cell runs it before anything is installed.
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REQUIREMENTS = "requirements-lesson.txt"
COURSE_PACKAGE = "course-utils"  # pyproject.toml's name; the kernel imports it from the clone itself
RESTART = "Runtime > Restart session"


class InstallError(RuntimeError):
    """pip failed, or a restart is needed; IPython shows only the message, not a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


@dataclass(frozen=True)
class Change:
    """One distribution pip installed: ``before`` is None when it was not there."""

    name: str
    before: str | None
    after: str

    def describe(self) -> str:
        return f"{self.name} {self.after}" if self.before is None else f"{self.name} {self.before} -> {self.after}"


def canonical(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503: ``Foo_bar`` -> ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(path: Path) -> list[str]:
    """The requirements of a pip requirements file, comments and options left out, with the files
    it includes (``-r other.txt``, relative to it) read in place."""
    lines = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split(" #", 1)[0].strip()
        if line.startswith(("-r ", "--requirement ")):
            lines += requirement_lines(Path(path).parent / line.split(maxsplit=1)[1])
        elif line and not line.startswith(("#", "-")):
            lines.append(line)
    return lines


def installed_versions() -> dict[str, str]:
    """The version of every installed distribution, by normalised name."""
    return {canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
            if dist.metadata["Name"]}


def changes_from_report(report: dict, before: dict[str, str]) -> list[Change]:
    """What pip's ``--report`` says it installed, against the versions ``before`` it ran; a
    distribution reinstalled at the same version is left out."""
    changes = []
    for item in report.get("install", []):
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        old = before.get(canonical(name))
        if old != version:
            changes.append(Change(name, old, version))
    return changes


def imported_and_changed(changes: list[Change], modules=None) -> list[Change]:
    """The changed (not added) distributions whose modules this process has already imported,
    other than the course itself (the kernel imports it from the same folder pip installs)."""
    modules = sys.modules if modules is None else modules
    owners: dict[str, set[str]] = {}
    for module, names in metadata.packages_distributions().items():
        for name in names:
            owners.setdefault(canonical(name), set()).add(module)
    return [change for change in changes
            if change.before is not None and canonical(change.name) != COURSE_PACKAGE
            and any(module in modules for module in owners.get(canonical(change.name), ()))]


def summary(changes: list[Change], seconds: float) -> str:
    """The cell's one line: what was added, what was changed, how long it took."""
    added = [change.describe() for change in changes if change.before is None]
    changed = [change.describe() for change in changes if change.before is not None]
    parts = [f"added {', '.join(added)}" if added else "added nothing (all there already)",
             f"changed {', '.join(changed)}" if changed else "changed nothing that was installed"]
    return f"[install] {'; '.join(parts)} ({seconds:.0f} s)"


def run_pip(root: Path, requirements: str, report: Path) -> None:
    """``pip install --report report -r requirements`` in ``root``; its output is shown only when it fails."""
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--report", str(report),
               "-r", requirements]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise InstallError(f"pip could not install {requirements} (exit {done.returncode}); its last lines:\n{tail}")


def install(root: str | Path = ".", requirements: str = REQUIREMENTS) -> list[Change]:
    """Install ``requirements`` (relative to ``root``, the clone) and print one line saying what
    changed; stop with a restart request if a package the kernel already imported was changed."""
    started = time.monotonic()
    before = installed_versions()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        run_pip(Path(root), requirements, report)
        changes = changes_from_report(json.loads(report.read_text(encoding="utf-8")), before)
    print(summary(changes, time.monotonic() - started))
    stale = imported_and_changed(changes)
    if stale:
        names = ", ".join(change.describe() for change in stale)
        raise InstallError(f"pip changed {names}, which this session had already imported: restart it "
                           f"({RESTART}), then run the notebook again from the top (this cell will be quick)")
    return changes
