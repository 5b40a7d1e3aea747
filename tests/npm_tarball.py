"""An npm tarball made in a test: the layout ``npm pack`` writes (every file under ``package/``),
for the guarded rebuilds of the files the course ships from npm (``pocket_builder/npm.py``)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path


def npm_tarball(path: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` (path inside the package -> bytes) as an npm tarball at ``path``."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path
