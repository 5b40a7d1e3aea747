"""The slide decks (``python -m course_utils slides``): the notebooks' slide types, the speaker
notes, the deck helpers, the shipped reveal.js, then every deck in a real browser.

The browser test builds the decks from the notebooks that nbval executed earlier in the same
session (``tests/executed_copies.py``; run alone, it executes the series itself first) and opens
each deck in headless Chromium, over HTTP and from the folder (``file://``): reveal.js starts, a
key press advances through every slide to the last, every slide that starts a section carries its
speaker notes, the speaker view opens with them, every image decodes, and nothing fails or is
requested from another host.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_utils.cli import slides, slides_deck, slides_export
from course_utils.cli.book import remote_loads
from course_utils.cli.book_notebooks import read_notebook
from course_utils.cli.run import find_notebooks
from pocket_builder.npm import NpmSourceError
from pocket_builder.reveal import build_folder
from tests.browser_site import CHROMIUM, JS_IMAGES, browsing, build_site, require
from tests.npm_tarball import npm_tarball

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = find_notebooks()
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
EXERCISE_CELL = re.compile(r"ex-\d+-(answer|check)$")


def first_line(cell: dict) -> str:
    lines = "".join(cell["source"]).split("\n")
    return lines[2] if lines[0].startswith("[![") and len(lines) > 2 else lines[0]


# ------------------------------------------------------------------------------ the notebooks' slide types


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_a_slide_type_chosen_by_the_rule(path):
    cells = read_notebook(path)["cells"]
    first_text = next(i for i, cell in enumerate(cells) if i > 0 and cell["cell_type"] == "markdown")
    for index, cell in enumerate(cells):
        kind, where = slides_deck.slide_type(cell), f"{path.name} cell {cell.get('id')}"
        assert "slideshow" in cell["metadata"], f"{where}: no slide type (JupyterLab: property inspector)"
        assert kind in SLIDE_TYPES, f"{where}: unknown slide type {kind!r}"
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            # A heading below a cell's first line would sit in the middle of a slide: split the cell.
            assert not any(line.startswith("## ") for line in source.split("\n")[1:]), f"{where}: split the cell"
            want = "slide" if index == 0 or source.startswith("## ") else "subslide"
            assert kind == want, f"{where}: a Markdown cell {'with' if want == 'slide' else 'without'} a ## heading "\
                                 f"starts a {want}, not {kind!r}"
        elif index < first_text or EXERCISE_CELL.match(cell.get("id", "")) or cell.get("id") == "ex-setup":
            assert kind == "skip", f"{where}: the set-up (code before the first text after the title) and the " \
                                   "exercises' answer and check cells are skipped"
        else:
            assert kind == "-", f"{where}: a code cell stays on the slide of the text before it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_slide_has_speaker_notes_that_say_what_to_say_and_where_students_get_stuck(path):
    notebook = read_notebook(path)
    notes_file = slides_deck.notes_path(path.name)
    assert notes_file.is_file(), f"{path.name} has no speaker notes: write {notes_file.relative_to(REPO)}"
    notes = slides_deck.read_notes(notes_file, notebook)
    assert list(notes) == slides_deck.slide_ids(notebook), "one entry per slide, in the notebook's order"
    for key, note in notes.items():
        assert len(note["say"].split()) >= 12 and len(note["stuck"].split()) >= 8, (path.name, key)
        assert not re.search(r"\d+(\.\d+)?\s*(s|sec|seconds|min|minutes)\b", note["say"] + note["stuck"]), \
            f"{path.name} {key}: a time typed into the notes (the command adds measured times)"


# ------------------------------------------------------------------------------ notes and deck helpers

BADGE = ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
         "(https://colab.research.google.com/github/o/r/blob/main/notebooks/01_a.ipynb)")
BANNER = "[course] profile=pocket | model=pocket tiny GPT-2 | data=pocket"


def timed(start: str, end: str) -> dict:
    return {"execution": {"iopub.execute_input": start, "shell.execute_reply": end}}


def deck_source(long_lines: int = 3) -> dict:
    """A small executed notebook with slide types: title, set-up, one section, exercises."""
    def md(cell_id, text, kind):
        return {"cell_type": "markdown", "id": cell_id, "metadata": {"slideshow": {"slide_type": kind}},
                "source": text}

    def code(cell_id, text, kind, outputs, metadata=None):
        return {"cell_type": "code", "id": cell_id, "execution_count": 1, "source": text, "outputs": outputs,
                "metadata": {"slideshow": {"slide_type": kind}, **(metadata or {})}}

    printed = "\n".join(f"line {n}" for n in range(long_lines)) + "\n"
    cells = [
        md("title", f"{BADGE}\n\n# 01 · A notebook\n\nIntro.", "slide"),
        code("setup", "banner(profile)", "skip", [{"output_type": "stream", "name": "stdout", "text": BANNER + "\n"}],
             timed("2026-12-06T10:00:00Z", "2026-12-06T10:00:02Z")),
        md("sec-1", "## 1 · Predicting the next token\n\nText.", "slide"),
        code("c1", "print(tokens)", "-", [{"output_type": "stream", "name": "stdout", "text": printed}],
             timed("2026-12-06T10:00:02Z", "2026-12-06T10:00:05.5Z")),
        md("more", "More text.", "subslide"),
        code("c2", "print('[headline] score=0.500')", "-",
             [{"output_type": "stream", "name": "stdout", "text": "[headline] score=0.500\n"}],
             timed("2026-12-06T10:00:05.5Z", "2026-12-06T10:00:06Z")),
        md("exercises", "## Exercises", "slide"),
        code("ex-1-answer", "x = ...", "skip", []),
    ]
    kernel = {"name": "python3", "display_name": "Python 3"}
    return {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}


NOTES = {key: {"say": f"Say this on {key}.", "stuck": "They forget to run the set-up."}
         for key in ("title", "sec-1", "exercises")}


def write_notes(path: Path, notes: dict) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(notes), encoding="utf-8")
    return path


def test_notes_are_read_and_checked_against_the_notebooks_slides(tmp_path):
    notebook = deck_source()
    assert slides_deck.slide_ids(notebook) == ["title", "sec-1", "exercises"]
    assert slides_deck.read_notes(write_notes(tmp_path / "n.yaml", NOTES), notebook) == NOTES
    assert slides_deck.read_notes(tmp_path / "missing.yaml", notebook) == {}
    bad = {**NOTES, "more": {"say": "x", "stuck": "y"}}
    with pytest.raises(ValueError, match="notes for more, which start no slide.*title, sec-1, exercises"):
        slides_deck.read_notes(write_notes(tmp_path / "n.yaml", bad), notebook)
    with pytest.raises(ValueError, match="the notes of sec-1 lack stuck"):
        slides_deck.read_notes(write_notes(tmp_path / "n.yaml", {**NOTES, "sec-1": {"say": "x"}}), notebook)
    with pytest.raises(ValueError, match="sec-1 must be a mapping with the fields say, stuck, profiles"):
        slides_deck.read_notes(write_notes(tmp_path / "n.yaml", {**NOTES, "sec-1": {"say": "x", "time": 3}}),
                               notebook)
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n")
    with pytest.raises(ValueError, match="broken.yaml is not valid YAML"):
        slides_deck.read_notes(tmp_path / "broken.yaml", notebook)
    untyped = copy.deepcopy(notebook)
    for cell in untyped["cells"]:
        cell["metadata"].pop("slideshow")
    with pytest.raises(ValueError, match="no cell that starts a slide.*run` again"):
        slides_deck.read_notes(write_notes(tmp_path / "n.yaml", NOTES), untyped)


def test_a_sections_time_is_the_sum_of_its_code_cells_times():
    notebook = deck_source()
    assert slides_deck.section_seconds(notebook) == {"title": 2.0, "sec-1": 4.0, "exercises": None}
    assert slides_deck.cell_seconds({"metadata": {}}) is None
    # nbclient's own format (run's copies): ISO times ending in Z, with microseconds
    assert slides_deck.cell_seconds({"metadata": timed("2026-12-06T10:00:00.250000Z",
                                                       "2026-12-06T10:01:00.750000Z")}) == 60.5


def test_long_text_outputs_are_cut_and_say_so():
    stream = {"output_type": "stream", "name": "stdout", "text": "\n".join(f"row {n}" for n in range(40)) + "\n"}
    cut = slides_deck.trim_output(stream, limit=10)
    lines = cut["text"].rstrip("\n").split("\n")
    assert lines[:9] == [f"row {n}" for n in range(9)] and lines[9] == "[... 31 more lines in the notebook]"
    assert stream["text"].count("\n") == 40  # the executed copy's output is untouched
    plain = {"output_type": "execute_result", "data": {"text/plain": ["a\n"] * 20}, "metadata": {}}
    cut_plain = slides_deck.trim_output(plain, limit=5)["data"]["text/plain"]
    assert cut_plain.endswith("[... 16 more lines in the notebook]\n")
    table = {"output_type": "execute_result", "data": {"text/plain": "x\n" * 30, "text/html": "<table/>"}}
    assert slides_deck.trim_output(table, limit=5) is table  # a table or a figure is not text to cut
    short = {"output_type": "stream", "name": "stdout", "text": "one\ntwo\n"}
    assert slides_deck.trim_output(short) is short


def test_the_deck_gets_notes_with_times_a_local_colab_link_and_the_banner():
    run = {"date": "2026-12-01T00:22:55", "machine": {"gpu": None, "cpu": "AMD EPYC", "cores": 2},
           "notebooks": {"01_a.ipynb": {"status": "ok", "seconds": 22.0}}}
    deck = slides_deck.deck_notebook(deck_source(long_lines=30), "01_a.ipynb", NOTES, "<small>pocket</small>",
                                     "this build (pocket profile)", {"pocket": run, "small": {"notebooks": {}}})
    cells = {cell["id"]: cell for cell in deck["cells"]}
    ids = [cell["id"] for cell in deck["cells"]]
    assert ids.index("title-notes") == ids.index("title") + 1 and ids.index("sec-1-notes") == ids.index("sec-1") + 1
    title_notes, section_notes = cells["title-notes"]["source"], cells["sec-1-notes"]["source"]
    assert cells["sec-1-notes"]["metadata"]["slideshow"]["slide_type"] == "notes"
    assert "**What to say.** Say this on sec-1." in section_notes
    assert "**Where students get stuck.** They forget to run the set-up." in section_notes
    assert "**Time.** The cells of this slide's section: 4.0 s in this build (pocket profile)." in section_notes
    assert "Run All of this notebook, recorded: pocket 22 s (AMD EPYC, 2 cores, 2026-12-01)." in title_notes
    assert "Run All" not in section_notes
    assert "not recorded in this build" in cells["exercises-notes"]["source"]
    title = "".join(cells["title"]["source"])
    assert "colab-badge.svg" not in title and 'class="course-colab"' in title and "<small>pocket</small>" in title
    assert "more lines in the notebook" in cells["c1"]["outputs"][0]["text"]


def test_a_figure_gets_its_own_sub_slide_when_its_slide_already_shows_an_output():
    figure = {"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}}
    printed = {"output_type": "stream", "name": "stdout", "text": "a table\n"}

    def cell(kind, outputs, cell_type="code"):
        return {"cell_type": cell_type, "metadata": {"slideshow": {"slide_type": kind}}, "outputs": outputs}

    cells = [cell("slide", [], "markdown"), cell("-", [figure]), cell("-", [printed]), cell("-", [figure]),
             cell("subslide", [], "markdown"), cell("-", [printed]), cell("skip", [figure]), cell("-", [])]
    slides_deck.figures_on_their_own(cells)
    assert [slides_deck.slide_type(c) for c in cells] == ["slide", "-", "-", "subslide", "subslide", "-", "skip", "-"]


def test_the_shipped_reveal_js_is_the_pinned_one():
    assert slides_export.changed_reveal_files() == []
    source = (slides_export.REVEAL_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert slides_export.REVEAL_PACKAGE in source and all(h in source for h in slides_export.REVEAL_FILES.values())
    assert "MIT" in (slides_export.REVEAL_DIR / "LICENSE").read_text(encoding="utf-8")
    # the theme embeds its font: no stylesheet of reveal.js asks another host for anything
    assert remote_loads(slides_export.REVEAL_DIR) == []


def test_reveal_js_is_rebuilt_from_the_npm_layout_and_an_altered_file_is_refused(tmp_path):
    files = {name: (slides_export.REVEAL_DIR / name).read_bytes() for name in slides_export.REVEAL_FILES}
    out = build_folder(npm_tarball(tmp_path / "reveal.tgz", files), tmp_path / "reveal")
    assert slides_export.changed_reveal_files(out) == []
    def without_tarball_hash(folder):  # the test's tarball is not npm's
        return re.sub(r"tarball sha256 `\w+`", "", (folder / "SOURCE.md").read_text())

    assert re.search(r"tarball sha256 `[0-9a-f]{64}`", (out / "SOURCE.md").read_text())
    assert without_tarball_hash(out) == without_tarball_hash(slides_export.REVEAL_DIR)
    with pytest.raises(NpmSourceError, match="dist/reveal.js in bad.tgz has sha256 .* refusing it"):
        build_folder(npm_tarball(tmp_path / "bad.tgz", {**files, "dist/reveal.js": b"alert(1)"}), out)
    assert slides_export.changed_reveal_files(out) == []  # nothing replaced


def test_the_output_folder_is_replaced_only_when_it_holds_decks(tmp_path):
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "thesis.tex").write_text("precious")
    with pytest.raises(ValueError, match="is not a folder of decks this command built"):
        slides.prepare_out(keep)
    assert (keep / "thesis.tex").read_text() == "precious"
    decks = tmp_path / "decks"
    slides.prepare_out(decks)
    (decks / "old.slides.html").write_text("old")
    slides.prepare_out(decks)
    assert sorted(p.name for p in decks.iterdir()) == [slides.MARKER]


def test_the_command_builds_self_contained_decks_from_a_folder(tmp_path, monkeypatch):
    pytest.importorskip("nbconvert")
    source = tmp_path / "executed"
    source.mkdir()
    (source / "01_a.ipynb").write_text(json.dumps(deck_source()), encoding="utf-8")
    notes_dir = tmp_path / "notes"
    notes_dir.mkdir()
    write_notes(notes_dir / "01_a.yaml", NOTES)
    monkeypatch.setattr(slides_deck, "notes_path", lambda name: notes_dir / (Path(name).stem + ".yaml"))
    out = tmp_path / "decks"
    decks = slides.build_decks(source, out)
    assert decks == [("01_a.slides.html", "01 · A notebook", 3)]
    page = (out / "01_a.slides.html").read_text(encoding="utf-8")
    assert page.count('<aside class="notes">') == 3 and "Say this on sec-1." in page
    assert 'src="reveal.js/dist/reveal.js"' in page and "x = ..." not in page  # the skipped answer cell
    assert remote_loads(out) == [] and "unpkg" not in page and "cdnjs" not in page
    assert slides_export.changed_reveal_files(out / slides_export.ASSETS) == []
    assert '<a href="01_a.slides.html">01 · A notebook</a> (3 slides)' in (out / "index.html").read_text()


def test_the_command_refuses_a_folder_without_notebooks_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "course_utils", "slides", "--from", str(tmp_path / "none"),
                           "--out", str(tmp_path / "decks")], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "run `python -m course_utils run` first" in done.stderr


def test_the_test_suites_copies_drop_the_value_of_a_cell_ending_with_a_semicolon():
    from tests.executed_copies import silenced

    assert silenced('announce(profile, "scoring", score=10);')
    assert silenced("x = 1\nresume_point(folder);  # prints: fresh start\n\n")
    assert not silenced("results.round(3)") and not silenced("a; b") and not silenced("")


# ------------------------------------------------------------------------------ the decks in a real browser

JS_DECK = """() => ({ready: Reveal.isReady(), total: Reveal.getTotalSlides(),
  stacks: document.querySelectorAll('.reveal .slides > section').length,
  notes: Array.from(document.querySelectorAll('.reveal .slides > section')).filter(
    (s) => s.querySelector(':scope > aside.notes, :scope > section:first-child > aside.notes')).length})"""
JS_WHERE = "() => { const i = Reveal.getIndices(); return [i.h, i.v, Reveal.isLastSlide()]; }"


def walk_deck(page) -> int:
    """Press the space bar until the last slide; the number of slides seen."""
    seen = {tuple(page.evaluate(JS_WHERE)[:2])}
    for _ in range(1000):
        page.keyboard.press("Space")
        h, v, last = page.evaluate(JS_WHERE)
        seen.add((h, v))
        if last:
            return len(seen)
    raise AssertionError(f"{page.url}: the space bar never reached the last slide")


@pytest.mark.browser
@pytest.mark.after_notebooks
def test_every_deck_in_a_browser(executed_notebooks, tmp_path):
    require(CHROMIUM.is_file(), f"{CHROMIUM} not found (Debian: apt-get install chromium)")
    require(importlib.util.find_spec("playwright") is not None,
            "playwright is missing (pip install -r requirements.txt)")

    out, started = tmp_path / "slides", time.monotonic()
    built = build_site("slides", executed_notebooks, out, timeout=600)
    assert "warning" not in built, built
    print(f"\n{built.strip().splitlines()[-2]}")
    decks = sorted(out.glob("*.slides.html"))
    assert [d.name.removesuffix(".slides.html") for d in decks] == [p.stem for p in NOTEBOOKS]
    problems, counts = [], {"deck loads": 0, "slides walked": 0, "images": 0}
    with browsing(out, viewport={"width": 1280, "height": 800}) as (page, bases, visits):
        for base in bases:
            page.goto(base + "index.html", wait_until="load")
            assert page.locator("a[href$='.slides.html']").count() == len(decks)
            for deck in decks:
                page.goto(base + deck.name, wait_until="load")
                page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
                state = page.evaluate(JS_DECK)
                executed = read_notebook(executed_notebooks / deck.name.replace(".slides.html", ".ipynb"))
                sections = len(slides_deck.slide_ids(executed))
                assert state["stacks"] == sections, (deck.name, state, sections)
                assert state["notes"] == sections, f"{deck.name}: a section's first slide has no speaker notes"
                images = page.evaluate(JS_IMAGES)
                problems += [f"{deck.name}: image not decoded: {i['src'][:80]}" for i in images if not i["ok"]]
                walked = walk_deck(page)
                assert walked == state["total"], f"{deck.name}: walked {walked} of {state['total']} slides"
                counts["deck loads"] += 1
                counts["slides walked"] += walked
                counts["images"] += len(images)
        # The speaker view (S) opens in a window of its own and shows the current slide's notes.
        page.goto(bases[0] + decks[5].name, wait_until="load")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
        with page.expect_popup() as popup:
            page.keyboard.press("s")
        popup.value.wait_for_function("() => /What to say/.test(document.body.innerText)", timeout=30_000)
    problems += visits.problems
    print(f"[slides] {counts['deck loads']} deck loads (HTTP and file://), {counts['slides walked']} slides walked, "
          f"{visits.requests} requests, {counts['images']} images decoded, speaker view opened; "
          f"{len(problems)} problems; {time.monotonic() - started:.0f} s in all")
    assert not problems, "\n".join(problems[:40])
