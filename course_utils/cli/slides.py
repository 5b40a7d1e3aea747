"""``python -m course_utils slides``: every notebook as a reveal.js slide deck with speaker notes.

It reads the executed copies that ``run`` wrote (``build/notebooks/`` by default, any profile's
folder with ``--from``: build the decks from your own rehearsal and the notes carry its times),
makes each a deck (:mod:`course_utils.cli.slides_deck`: the cells' slide types, the notes of
``docs/speaker_notes/``, long outputs cut, static widgets) and exports it with nbconvert and the
reveal.js shipped in the package (:mod:`course_utils.cli.slides_export`). The decks go to
``build/slides/`` with ``index.html``, which lists them, and ``reveal.js/``: open the index, or copy
the folder to any static host. In a deck, S opens the speaker view (notes, timer, next slide).
"""

from __future__ import annotations

import html
import importlib.util
import sys
import time
from pathlib import Path

from course_utils.cli import book_guide, book_notebooks, slides_deck, slides_export
from course_utils.cli.book import clear_output, remote_loads, size_mb
from course_utils.environment import repo_root

MARKER = ".course-slides"  # written in the output folder: a folder holding it may be replaced
KEYS = "Space or → next slide · S speaker view (notes and timer) · F full screen · Esc overview of all slides"


def add_arguments(parser) -> None:
    """``slides``'s options."""
    parser.add_argument("--from", dest="source", metavar="FOLDER", type=Path,
                        help="the executed notebooks (default: build/notebooks/, what `run` writes on pocket; "
                             "e.g. build/notebooks-small-rehearsal)")
    parser.add_argument("--out", metavar="FOLDER", type=Path, help="where the decks go (default: build/slides/)")


def slides_banner(origin: book_notebooks.Provenance) -> str:
    """The line under each deck's title: which profile, command and machine produced the outputs."""
    return (f"<small>Outputs from the <b>{origin.profile}</b> profile: {origin.command()} on "
            f"{origin.machine()}.</small>")


def prepare_out(out: Path) -> None:
    """Empty ``out`` for the decks; a folder that holds something other than earlier decks of this
    command (its :data:`MARKER`) is refused rather than deleted."""
    clear_output(out, MARKER, "a folder of decks this command built")
    out.mkdir(parents=True)
    (out / MARKER).write_text("decks written by `python -m course_utils slides`\n", encoding="utf-8")


def index_page(decks: list[tuple[str, str, int]], banner: str) -> str:
    """The folder's landing page: one link per deck (file, title, slide count) and the keys."""
    items = "\n".join(f'<li><a href="{html.escape(file)}">{html.escape(title)}</a> ({count} slides)</li>'
                      for file, title, count in decks)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Slides: fine-tuning GPT-2 on tweets</title>
<link rel="icon" href="data:,">
<style>body {{ font-family: sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.5; }}</style>
</head><body>
<h1>Slides: fine-tuning GPT-2 to classify the sentiment of tweets</h1>
<p>{banner}</p>
<ol>
{items}
</ol>
<p>In a deck: {html.escape(KEYS)}. The speaker view shows each slide's notes: what to say, where students
get stuck, how the output differs on each profile, and how long the section took.</p>
</body></html>
"""


def build_decks(source: Path, out: Path) -> list[tuple[str, str, int]]:
    """Write a deck per executed copy in ``source`` to ``out``; (file, title, slides) of each."""
    paths = book_notebooks.executed_copies(source)
    origin = book_notebooks.provenance(source, paths)
    build = f"this build ({origin.profile} profile, {origin.machine()})"
    runs = book_guide.plan_runs()
    prepare_out(out)
    slides_export.copy_reveal(out)
    decks = []
    for path in paths:
        executed = book_notebooks.read_notebook(path)
        notes = slides_deck.read_notes(slides_deck.notes_path(path.name), executed)
        if not notes:
            print(f"[slides] warning: {path.name} has no speaker notes ({slides_deck.notes_path(path.name)})")
        deck = slides_deck.deck_notebook(executed, path.name, notes, slides_banner(origin), build, runs)
        title = book_notebooks.notebook_title(executed, path.name)
        file = f"{path.stem}.slides.html"
        (out / file).write_text(slides_export.export_deck(deck, title), encoding="utf-8")
        decks.append((file, title, len(slides_deck.slide_ids(executed))))
    (out / "index.html").write_text(index_page(decks, slides_banner(origin)), encoding="utf-8")
    print(f"[slides] {len(paths)} notebooks from {source} ({origin.profile} profile, {origin.machine()})")
    return decks


def main(args) -> int:
    """Build the decks; exit 0, 1 when a deck would load from another host, 2 for bad input (no
    executed notebooks, a notes file that breaks a rule, a folder that is not a deck folder)."""
    if importlib.util.find_spec("nbconvert") is None:
        print("error: nbconvert is not installed: pip install -r requirements.txt", file=sys.stderr)
        return 2
    started = time.perf_counter()
    source = Path(args.source or repo_root() / "build" / "notebooks")
    out = Path(args.out or repo_root() / "build" / "slides")
    decks = build_decks(source, out)
    remote = remote_loads(out)
    if remote:
        print("error: these decks would load from another host:\n" + "\n".join(remote[:20]), file=sys.stderr)
        return 1
    print(f"[slides] {len(decks)} decks, {sum(count for _, _, count in decks)} slides, {size_mb(out):.1f} MB, "
          f"built in {time.perf_counter() - started:.0f} s: {out}")
    print(f"[slides] open {out / 'index.html'}; in a deck: {KEYS}.")
    return 0
