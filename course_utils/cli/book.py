"""``python -m course_utils book``: the course as a static website, from the executed notebooks.

It reads the executed copies that ``run`` wrote (``build/notebooks/`` by default, any profile's
folder with ``--from``), makes each a page (:mod:`course_utils.cli.book_notebooks`: Colab button,
the banner of the run that produced it, static widgets), adds the landing page, the instructor's
guide and the settings (:mod:`course_utils.cli.book_pages`, :mod:`course_utils.cli.book_guide`)
in ``build/book-source/``, and has Jupyter Book 1 (Sphinx and MyST-NB, pinned in
``requirements-book.txt``) render them with their stored outputs, executing nothing. The site goes
to ``build/book/``: open its ``index.html``, or copy the folder to any static host. Every script,
stylesheet, font and image is inside it (:mod:`course_utils.cli.book_sphinx`); the command checks
that no page loads anything from another host.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from course_utils.cli import book_guide, book_notebooks, book_pages
from course_utils.environment import repo_root

GUIDE_SOURCE = Path("docs") / "instructor_guide.md"
# A page or stylesheet that loads something from another host: src=, <link href=>, url(), @import.
REMOTE_LOAD = re.compile(r"""(?:\bsrc\s*=\s*|<link\b[^>]*\bhref\s*=\s*|url\(\s*|@import\s+)["']?(?:https?:)?//""",
                         re.IGNORECASE)


def add_arguments(parser) -> None:
    """``book``'s options."""
    parser.add_argument("--from", dest="source", metavar="FOLDER", type=Path,
                        help="the executed notebooks (default: build/notebooks/, what `run` writes on pocket; "
                             "e.g. build/notebooks-small-rehearsal)")
    parser.add_argument("--out", metavar="FOLDER", type=Path, help="where the site goes (default: build/book/)")


def stage(source: Path, work: Path) -> list[Path]:
    """Write the book's source folder ``work`` from the executed copies in ``source``: the pages,
    the landing page, the guide, the settings. Returns the executed copies used."""
    paths = book_notebooks.executed_copies(source)
    origin = book_notebooks.provenance(source, paths)
    banner = book_notebooks.banner_markdown(origin)
    if work.exists():
        shutil.rmtree(work)
    book_notebooks.write_pages(paths, banner, work / "notebooks")
    notebooks = {path.name: book_notebooks.read_notebook(path) for path in paths}
    guide_path = repo_root() / GUIDE_SOURCE
    guide = None
    if guide_path.is_file():
        guide = book_guide.fill_guide(guide_path.read_text(encoding="utf-8"), notebooks, book_guide.plan_runs())
    readme = (repo_root() / "README.md").read_text(encoding="utf-8")
    book_pages.write_book_files(work, readme, [p.name for p in paths], banner, origin.profile, guide)
    print(f"[book] {len(paths)} notebooks from {source} ({origin.profile} profile, {origin.machine()})")
    return paths


def render(work: Path) -> Path:
    """Run Jupyter Book on ``work`` (warnings are errors); the folder of the HTML it wrote."""
    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(work),
               "--path-output", str(work), "--all", "-W", "--keep-going", "-q"]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True)
    html = work / "_build" / "html"
    if done.returncode != 0 or not (html / "index.html").is_file():
        log = (done.stdout + done.stderr).strip().splitlines()
        raise OSError("Jupyter Book failed on the book's pages:\n" + "\n".join(log[-30:]))
    return html


def remote_loads(site: Path) -> list[str]:
    """Each place in the site's HTML and CSS that loads from another host (``file: text``)."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".css") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(site)}: {text[m.start():m.start() + 80]}" for m in REMOTE_LOAD.finditer(text)]
    return found


def clear_output(out: Path, marker: str, what: str) -> None:
    """Delete ``out`` when it is empty or holds an earlier output of the command (its ``marker``
    file); a file, or a folder with anything else in it, is refused rather than deleted."""
    if out.exists():
        if out.is_file() or (any(out.iterdir()) and not (out / marker).is_file()):
            raise ValueError(f"{out} exists and is not {what}; choose another --out.")
        shutil.rmtree(out)


def publish(html: Path, out: Path) -> None:
    """Replace ``out`` with the site; a folder that holds something other than an earlier book
    (Sphinx's ``.buildinfo``) is refused rather than deleted."""
    clear_output(out, ".buildinfo", "a book this command built")
    shutil.copytree(html, out)


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main(args) -> int:
    """Build the site; exit 0, 1 when Jupyter Book fails or a page loads from another host, 2 for
    bad input (no executed notebooks, a non-book output folder, Jupyter Book not installed)."""
    if importlib.util.find_spec("jupyter_book") is None:
        print("error: Jupyter Book is not installed: pip install -r requirements-book.txt", file=sys.stderr)
        return 2
    started = time.perf_counter()
    source = args.source or repo_root() / "build" / "notebooks"
    out = args.out or repo_root() / "build" / "book"
    work = repo_root() / "build" / "book-source"
    paths = stage(Path(source), work)
    html = render(work)
    remote = remote_loads(html)
    if remote:
        print("error: these pages would load from another host:\n" + "\n".join(remote[:20]), file=sys.stderr)
        return 1
    publish(html, Path(out))
    pages = len(list(Path(out).rglob("*.html")))
    print(f"[book] {pages} HTML pages ({len(paths)} notebooks), {size_mb(Path(out)):.1f} MB, "
          f"built in {time.perf_counter() - started:.0f} s: {out}")
    print(f"[book] open {Path(out) / 'index.html'}, or copy the folder to any static host.")
    return 0
