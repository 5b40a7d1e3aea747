"""Turn a prepared notebook into a reveal.js deck that needs nothing from another host.

Used by ``python -m course_utils slides`` (:mod:`course_utils.cli.slides`). The HTML comes from
nbconvert's slides exporter with the course's template (``deck_template/course_deck/``), which
loads reveal.js from the deck's own folder instead of a CDN. reveal.js itself ships with the
course in ``course_utils/reveal/``: the files of the npm package :data:`REVEAL_PACKAGE` (MIT) that
a deck needs, with their licence and ``SOURCE.md``; ``python -m pocket_builder reveal`` re-creates
that folder from npm and refuses files whose SHA-256 differs from :data:`REVEAL_FILES`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from course_utils.gpt2_tokenizer import sha256

REVEAL_PACKAGE = "reveal.js@6.0.2"
REVEAL_DIR = Path(__file__).resolve().parent.parent / "reveal"
TEMPLATE_DIR = Path(__file__).resolve().parent / "deck_template"
ASSETS = "reveal.js"  # the folder beside the decks that holds REVEAL_FILES
# File of the npm package -> its SHA-256: the script, its stylesheet, the theme (its font is
# embedded, no request to a font host) and the speaker-notes plugin.
REVEAL_FILES = {
    "dist/reveal.js": "aa1bbbf2617b23a623b23612cb3c5bdb63de512e652bf20fcfa832b045d37844",
    "dist/reveal.css": "615ee850cbbb98a0f688b60ed37b21819a3f54c9f3e6f20e33e63693ab74a0c0",
    "dist/theme/white.css": "41e9507d97eb13ce6804645a9ce9f16220ddc3bfd6e7888aa3a0b5f61777d8f3",
    "dist/plugin/notes.js": "447c42f365876e41853de81453d0c53c580c5b2099132e8f61200de4a0ba2af3",
    "LICENSE": "b2883e4b610bfa1b4d8fff84c4d4b825cc7d553cbd9fec4777c04068a2859dc0",
}


def changed_reveal_files(folder: Path = REVEAL_DIR) -> list[str]:
    """The files of :data:`REVEAL_FILES` missing from ``folder`` or with another hash."""
    return [name for name, expected in REVEAL_FILES.items()
            if not (folder / name).is_file() or sha256(folder / name) != expected]


def copy_reveal(out: Path) -> Path:
    """Copy the shipped reveal.js beside the decks (``out/reveal.js/``), after checking its files."""
    changed = changed_reveal_files()
    if changed:
        raise OSError(f"the shipped reveal.js in {REVEAL_DIR} is incomplete or altered ({', '.join(changed)}); "
                      "re-create it with `python -m pocket_builder reveal`")
    target = out / ASSETS
    if target.exists():
        shutil.rmtree(target)
    for name in [*REVEAL_FILES, "SOURCE.md"]:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REVEAL_DIR / name, target / name)
    return target


def export_deck(notebook: dict, title: str) -> str:
    """The reveal.js HTML of a prepared notebook (:func:`course_utils.cli.slides_deck.deck_notebook`),
    loading reveal.js from ``reveal.js/`` beside it; no prompts (``In [3]:``), the white theme."""
    import json

    import nbformat
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(extra_template_basedirs=[str(TEMPLATE_DIR)], template_name="course_deck",
                              reveal_url_prefix=ASSETS, reveal_theme="white", reveal_transition="none",
                              reveal_number="c/t", exclude_input_prompt=True, exclude_output_prompt=True)
    node = nbformat.reads(json.dumps(notebook), as_version=4)  # joins sources stored as lists of lines
    node.metadata["title"] = title
    html, _ = exporter.from_notebook_node(node)
    return html
