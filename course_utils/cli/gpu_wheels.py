"""``python -m course_utils gpu-check --wheels DIR``: the wheels a GPU machine needs to run the check.

A GPU machine often has PyTorch and Transformers but not the rest of the course's libraries
(``datasets``, ``evaluate``, the Jupyter kernel that runs the notebooks, ...), and may have no
network. This module lists the distributions the course needs at run time (``requirements.txt``
and the file it includes, less JupyterLab, with everything they need in turn, as this
machine's installed metadata says), leaves out what the GPU machine already has (PyTorch and
Transformers with their own needs, plus the names in ``--have``), and downloads the rest with
``pip download`` as wheels for the GPU machine's Python, at the versions installed here. The
GPU machine then installs them with no index (:data:`INSTALL_LINE`). CONTRIBUTING.md says how.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

from course_utils.environment import repo_root
from course_utils.install import canonical, requirement_lines

# Names in requirements.txt that a GPU check does not need (JupyterLab's UI; the editable course
# package itself travels as source) or that the machine has already.
NOT_NEEDED = {"jupyterlab", "torch"}
ASSUMED_PRESENT = ("torch", "transformers")  # the premise: a GPU machine with these two
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64",
             "manylinux2014_x86_64", "manylinux1_x86_64", "any")
INSTALL_LINE = ("python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site DIR/*.whl "
                "&& export PYTHONPATH=$PWD:/tmp/site")


def runtime_roots(requirements: Path | None = None) -> list[str]:
    """The names in ``requirements.txt`` (and the files it includes) that the notebooks need at
    run time."""
    names = []
    for line in requirement_lines(requirements or repo_root() / "requirements.txt"):
        name = canonical(Requirement(line).name)
        if name not in NOT_NEEDED:
            names.append(name)
    return names


def closure(roots: list[str], python_version: str = "3.12") -> dict[str, str]:
    """Every installed distribution that ``roots`` need, directly or not: ``{name: version}``.

    Requirements are read from this environment's metadata; markers are judged for the target's
    Python version; extras are not followed. A name that is not installed here is skipped (its
    marker excluded it here, or it is optional)."""
    environment = {**default_environment(), "python_version": python_version,
                   "python_full_version": f"{python_version}.0", "extra": ""}
    found: dict[str, str] = {}
    todo = [canonical(name) for name in roots]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        found[name] = dist.version
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate(environment):
                todo.append(canonical(requirement.name))
    return found


def wheels_needed(have: set[str], python_version: str = "3.12") -> dict[str, str]:
    """``{name: version}`` to carry: the runtime closure less what the GPU machine has."""
    present = set(closure(list(ASSUMED_PRESENT), python_version)) | {canonical(name) for name in have}
    return {name: version for name, version in sorted(closure(runtime_roots(), python_version).items())
            if name not in present}


def read_have(path: Path) -> set[str]:
    """Names from a file: one a line, as ``pip freeze`` or ``pip list`` writes them (``name==1.0``,
    ``name 1.0``) or bare; ``#`` comments and blank lines ignored."""
    from course_utils.cli.colab import read_versions

    return set(read_versions(path.read_text()))


def download_command(wanted: dict[str, str], folder: Path, python_version: str = "3.12") -> list[str]:
    """The ``pip download`` command that fetches ``wanted`` as wheels for the target's Python."""
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
               "--python-version", python_version, "--implementation", "cp", "-d", str(folder)]
    for platform in PLATFORMS:
        command += ["--platform", platform]
    return command + [f"{name}=={version}" for name, version in wanted.items()]


def main_wheels(folder: Path, have_file: Path | None, python_version: str) -> int:
    """Download the wheels into ``folder``; print what and how to install them there."""
    try:
        have = read_have(have_file) if have_file else set()
    except OSError as error:
        print(f"error: --have {have_file}: {error.strerror}. Give a file listing the GPU machine's "
              "packages (`pip freeze` there), or leave --have out.", file=sys.stderr)
        return 2
    wanted = wheels_needed(have, python_version)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"[gpu-check] {len(wanted)} wheels for Python {python_version} into {folder}: "
          + ", ".join(f"{name} {version}" for name, version in wanted.items()), flush=True)
    done = subprocess.run(download_command(wanted, folder, python_version), check=False)
    if done.returncode:
        print("error: pip download failed (above): a package may have no wheel for that Python; "
              "try another --python-version, or add the machine's own copy of it to --have.", file=sys.stderr)
        return 1
    size = sum(path.stat().st_size for path in folder.glob("*.whl")) / 2**20
    print(f"[gpu-check] {size:.1f} MB of wheels. On the GPU machine, from the repository's root:\n  "
          + INSTALL_LINE.replace("DIR", str(folder)))
    return 0
