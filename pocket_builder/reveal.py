"""Re-create the reveal.js shipped for the slide decks (``course_utils/reveal/``) from npm.

``python -m pocket_builder reveal [--tarball FILE]``: the files of
:data:`~course_utils.cli.slides_export.REVEAL_PACKAGE` that a deck needs
(:data:`~course_utils.cli.slides_export.REVEAL_FILES`), checked against their pinned SHA-256
hashes before anything is replaced, with the licence and a ``SOURCE.md``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from course_utils.cli.slides_export import REVEAL_DIR, REVEAL_FILES, REVEAL_PACKAGE
from course_utils.gpt2_tokenizer import sha256
from pocket_builder.npm import NpmSourceError, extract_pinned, npm_pack

SOURCE_NOTE = """# reveal.js, for the course's slide decks

- The files here are taken, unchanged, from the npm package `{package}` (the HTML presentation
  framework by Hakim El Hattab and contributors, https://revealjs.com; MIT licence, text in
  `LICENSE`). `python -m course_utils slides` copies them beside the decks, so a deck loads
  nothing from another host.
- npm tarball sha256 `{tarball}`. Files and their sha256:
{files}

Re-create with `python -m pocket_builder reveal` (it refuses files with other hashes).
"""


def build_folder(tarball: Path | None = None, out_dir: Path = REVEAL_DIR) -> Path:
    """Re-create ``out_dir`` from the npm tarball (``npm pack`` when ``tarball`` is None); every
    hash is checked before anything in ``out_dir`` is replaced."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        tarball = Path(tarball) if tarball else npm_pack(REVEAL_PACKAGE, scratch)
        found = extract_pinned(tarball, REVEAL_FILES, scratch, REVEAL_PACKAGE)
        staged = scratch / "staged"
        for name, path in found.items():
            (staged / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, staged / name)
        files = "\n".join(f"  - `{name}` `{expected}`" for name, expected in REVEAL_FILES.items())
        (staged / "SOURCE.md").write_text(SOURCE_NOTE.format(package=REVEAL_PACKAGE, tarball=sha256(tarball),
                                                             files=files), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(staged, out_dir)
    return out_dir


def main_reveal(args) -> int:
    """CLI: ``python -m pocket_builder reveal [--tarball FILE]``."""
    try:
        folder = build_folder(getattr(args, "tarball", None))
    except NpmSourceError as error:
        print(f"error: {error}")
        return 1
    print(f"wrote {folder}: {len(REVEAL_FILES)} files of {REVEAL_PACKAGE}")
    return 0
