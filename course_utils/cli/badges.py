"""Open-in-Colab badges and the install cell at the top of every notebook.

The GitHub location of the course is set in one place, the three constants below. After a fork
or a rename, edit them and run ``python -m course_utils badges``: every notebook in
``notebooks/`` and ``solutions/`` gets its badge (first line of the first markdown cell) and its
install cell (first code cell) rewritten. ``python -m course_utils badges --check`` (and the test
suite) reports notebooks whose badge or install cell is missing or out of date.

The install cell does nothing outside Colab. In Colab it clones the repository (once: after a
runtime reset the clone is made again), puts it on ``sys.path`` so that ``import course_utils``
works without restarting, calls ``course_utils.install.install``, which installs
``requirements-lesson.txt`` (what Colab lacks; every package Colab has is kept) and prints one line,
and changes into the notebook's folder. Each notebook's cell is enough on its own.
"""

from __future__ import annotations

from pathlib import Path

from course_utils.environment import repo_root

GITHUB_OWNER = "ai-course-kit"
GITHUB_REPO = "gpt2-tweet-sentiment"
GITHUB_BRANCH = "main"

NOTEBOOK_FOLDERS = ("notebooks", "solutions")
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
COLAB_URL_PREFIX = "https://colab.research.google.com/github/"
INSTALL_MARKER = "# Colab only: fetch the course and install it"


def _root(root: Path | None) -> Path:
    if root is not None:
        return Path(root)

    return repo_root()


def _relative(notebook_path: Path | str, root: Path | None = None) -> str:
    """The notebook's path relative to the repository root, with forward slashes."""
    path = Path(notebook_path)
    if not path.is_absolute():
        if path.parts and path.parts[0] in NOTEBOOK_FOLDERS:
            return path.as_posix()
        path = path.resolve()
    try:
        return path.resolve().relative_to(_root(root).resolve()).as_posix()
    except ValueError:
        # Outside the repository (a copy elsewhere): keep "<folder>/<name>".
        return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def badge_url(notebook_path: Path | str, root: Path | None = None) -> str:
    """The Colab URL that opens this notebook from GitHub (path relative to the repo root)."""
    rel = _relative(notebook_path, root)
    return f"{COLAB_URL_PREFIX}{GITHUB_OWNER}/{GITHUB_REPO}/blob/{GITHUB_BRANCH}/{rel}"


def badge_markdown(notebook_path: Path | str, root: Path | None = None) -> str:
    """The Markdown 'Open In Colab' badge for this notebook."""
    return f"[![Open In Colab]({COLAB_BADGE_IMAGE})]({badge_url(notebook_path, root)})"


def install_cell_source(folder: str = "notebooks") -> str:
    """The code of every notebook's first code cell (``folder``: where the notebook lives).

    IPython magics (``!``, ``%pip``, ``%cd``) inside the ``if`` block are fine: IPython
    transforms them line by line, in Jupyter, Colab and nbclient alike.
    """
    clone = f"/content/{GITHUB_REPO}"
    url = f"https://github.com/{GITHUB_OWNER}/{GITHUB_REPO}.git"
    return "\n".join(
        [
            f"{INSTALL_MARKER} (about 1 minute). Elsewhere this cell does nothing.",
            "import os",
            "import sys",
            "",
            'if "google.colab" in sys.modules:',
            f'    if not os.path.isdir("{clone}"):',
            f"        !git -C /content clone -q --depth 1 --branch {GITHUB_BRANCH} {url}",
            f'    sys.path.insert(0, "{clone}")  # import course_utils without restarting',
            "    from course_utils.install import install",
            "",
            "    # Adds what Colab lacks, keeps what it has, prints one line; asks for a restart if needed.",
            f'    install("{clone}")',
            f"    %cd {clone}/{folder}",
        ]
    )


def _is_badge_line(line: str) -> bool:
    return "colab-badge.svg" in line or COLAB_URL_PREFIX in line


def _is_install_cell(cell) -> bool:
    if cell.get("cell_type") != "code":
        return False
    lines = cell.get("source", "").lstrip().splitlines()
    return bool(lines) and lines[0].startswith(INSTALL_MARKER)


def _folder_of(path: Path) -> str:
    return path.parent.name if path.parent.name in NOTEBOOK_FOLDERS else "notebooks"


def stamp_notebook(path: Path | str, root: Path | None = None) -> bool:
    """Make sure the notebook starts with its badge and has the install cell; True if rewritten.

    The first cell becomes a markdown cell whose first line is the badge (an existing badge line
    is replaced, otherwise one is added). The first code cell becomes the install cell (an
    existing one, recognised by its first comment line, is replaced; otherwise it is inserted
    after the first markdown cell). The file is written only when something changed.
    """
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    changed = False
    new_cells = []

    badge = badge_markdown(path, root)
    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "markdown":
        lines = first.source.split("\n")
        if lines and _is_badge_line(lines[0]):
            if lines[0] != badge:
                first.source = "\n".join([badge, *lines[1:]])
                changed = True
        else:
            first.source = f"{badge}\n\n{first.source}" if first.source.strip() else badge
            changed = True
    else:
        cell = nbformat.v4.new_markdown_cell(badge)
        nb.cells.insert(0, cell)
        new_cells.append(cell)
        changed = True

    install = install_cell_source(_folder_of(path))
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    existing = next((c for c in code_cells if _is_install_cell(c)), None)
    if existing is not None and code_cells[0] is not existing:
        nb.cells.remove(existing)  # misplaced: move it back to the first code cell's place
        existing = None
        changed = True
    if existing is not None:
        if existing.source != install or existing.get("outputs") or existing.get("execution_count"):
            existing.source = install
            existing.outputs = []
            existing.execution_count = None
            changed = True
    else:
        cell = nbformat.v4.new_code_cell(install)
        nb.cells.insert(1, cell)  # right after the first (badge) markdown cell
        new_cells.append(cell)
        changed = True

    if changed:
        if (nb.nbformat, nb.nbformat_minor) < (4, 5):
            for cell in new_cells:  # cell ids only exist from nbformat 4.5 on
                cell.pop("id", None)
        nbformat.write(nb, path)
    return changed


def notebook_paths(root: Path | None = None) -> list[Path]:
    """Every ``*.ipynb`` in ``notebooks/`` and ``solutions/`` under ``root``, sorted."""
    root = _root(root)
    return [p for folder in NOTEBOOK_FOLDERS for p in sorted((root / folder).glob("*.ipynb"))]


def stamp_all(root: Path | None = None) -> list[Path]:
    """Stamp every notebook in ``notebooks/`` and ``solutions/``; returns those rewritten."""
    root = _root(root)
    return [p for p in notebook_paths(root) if stamp_notebook(p, root)]


def check_notebook(path: Path | str, root: Path | None = None) -> list[str]:
    """Problems with one notebook's badge and install cell (empty when all is well)."""
    import nbformat

    path = Path(path)
    rel = _relative(path, root)
    nb = nbformat.read(path, as_version=4)
    problems = []
    first = nb.cells[0] if nb.cells else None
    first_line = (
        first.source.split("\n")[0] if first is not None and first.cell_type == "markdown" else ""
    )
    if not _is_badge_line(first_line):
        problems.append(f"{rel}: no Colab badge on the first line of the first cell")
    elif first_line != badge_markdown(path, root):
        problems.append(
            f"{rel}: Colab badge points elsewhere (expected {badge_url(path, root)}), found: {first_line}"
        )
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    if not code_cells or not _is_install_cell(code_cells[0]):
        problems.append(f"{rel}: the first code cell is not the Colab install cell")
    elif code_cells[0].source != install_cell_source(_folder_of(path)):
        problems.append(f"{rel}: the Colab install cell is out of date")
    return problems


def check_badges(root: Path | None = None) -> list[str]:
    """Problems with the badges and install cells of every notebook (empty when all is well)."""
    root = _root(root)
    return [problem for p in notebook_paths(root) for problem in check_notebook(p, root)]


def add_arguments(parser) -> None:
    """``badges``' options."""
    parser.add_argument("--check", action="store_true", help="only report badges that are wrong")


def main_badges(args) -> int:
    """CLI entry (``python -m course_utils badges [--check]``)."""
    root = getattr(args, "root", None)
    if getattr(args, "check", False):
        problems = check_badges(root)
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} problem(s); run `python -m course_utils badges` to fix them.")
            return 1
        print(
            f"All {len(notebook_paths(root))} notebook(s) have an up-to-date badge and install cell."
        )
        return 0
    changed = stamp_all(root)
    for path in changed:
        print(f"stamped {_relative(path, root)}")
    print(
        f"{len(changed)} of {len(notebook_paths(root))} notebook(s) updated "
        f"(github.com/{GITHUB_OWNER}/{GITHUB_REPO}, branch {GITHUB_BRANCH})."
    )
    return 0
