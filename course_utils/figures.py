"""The course's teaching figures (``ressources/*.png``), shown in a notebook cell.

The PNGs are made by code, ``python ressources/make_figures.py`` (``ressources/README.md`` lists
them). Notebook 01 shows ``fine_tuning_kinds``, notebook 03 ``padding`` and notebook 04
``body_head``: ``from course_utils.figures import show`` then ``show("padding")``. A code cell,
not a Markdown image link, because relative image links do not resolve in Colab; the path here
is found from the repository root, so the cell works in Colab, in Jupyter and under nbval alike.
"""

from __future__ import annotations

from pathlib import Path

from course_utils.environment import repo_root

FIGURES_DIR = "ressources"


def figures_dir() -> Path:
    """The folder that holds the figures: ``<repository root>/ressources``."""
    return repo_root() / FIGURES_DIR


def available() -> list[str]:
    """The names of the figures there (PNG file names without ``.png``), sorted."""
    folder = figures_dir()
    return sorted(p.stem for p in folder.glob("*.png")) if folder.is_dir() else []


def figure_path(name: str) -> Path:
    """The PNG file of figure ``name``; ``FileNotFoundError`` listing the figures if none."""
    path = figures_dir() / f"{name.removesuffix('.png')}.png"
    if not path.is_file():
        names = ", ".join(available()) or "none"
        raise FileNotFoundError(
            f"no figure {name!r} in {figures_dir()}: available figures are {names} "
            "(made by python ressources/make_figures.py)"
        )
    return path


def show(name: str):
    """An ``IPython.display.Image`` of figure ``name`` (the cell's last line displays it)."""
    from IPython.display import Image

    return Image(filename=str(figure_path(name)))
