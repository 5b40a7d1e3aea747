"""The drawing kit shared by the figure modules of ``ressources/``: style, palette, boxes, arrows, PNG writer.

Imported by ``figure_body_head.py``, ``figure_padding.py``, ``figure_fine_tuning_kinds.py`` and
``make_figures.py`` (the entry point that draws all three). It selects matplotlib's Agg backend, so
import it before ``matplotlib.pyplot``.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402
from PIL import Image  # noqa: E402  (a dependency of matplotlib)
from PIL.PngImagePlugin import PngInfo  # noqa: E402

DPI = 150
SOURCE_TAG = f"made by python ressources/make_figures.py (matplotlib {matplotlib.__version__})"

# Colour-blind-friendly palette (Tableau 10 blue / orange plus greys).
BLUE = "#4c78a8"
LIGHT_BLUE = "#c6d7ea"
ORANGE = "#f58518"
LIGHT_ORANGE = "#fdd9b5"
GREY = "#9d9d9d"
LIGHT_GREY = "#e3e3e3"
INK = "#222222"

# GPT-2's sizes (the small ``gpt2`` checkpoint), drawn in body_head and padding.
GPT2_SIZES = {"blocks": 12, "hidden": 768, "vocab": 50257, "positions": 1024}

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "text.color": INK,
    "axes.edgecolor": INK,
    "svg.hashsalt": "course",
}


def box(ax, x, y, w, h, text="", face=LIGHT_BLUE, edge=INK, size=10, lw=1.0, ls="-",
        weight="normal", pad=0.04, color=INK, **kwargs):
    """A rounded box at ``(x, y)`` of size ``w`` by ``h``, with ``text`` centred in it."""
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle=f"round,pad={pad}", facecolor=face,
                                edgecolor=edge, linewidth=lw, linestyle=ls, **kwargs))
    if text:
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=size,
                fontweight=weight, color=color, linespacing=1.3)


def arrow(ax, start, end, color=INK, lw=1.4, style="-|>", ls="-", rad=0.0):
    """An arrow from ``start`` to ``end``, bent by ``rad`` (0: straight)."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, color=color,
                                 linewidth=lw, linestyle=ls,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0))


def canvas(width_in, height_in, xmax, ymax, ymin=0.0):
    """A figure with one axes filling it, in data units ``0..xmax`` by ``ymin..ymax``, no frame."""
    fig = plt.figure(figsize=(width_in, height_in), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, xmax)
    ax.set_ylim(ymin, ymax)
    ax.axis("off")
    return fig, ax


def save(fig, path: Path) -> None:
    """Write a PNG: rendered by matplotlib, then reduced to a 256-colour palette (Pillow, which
    matplotlib depends on) to keep it small. No timestamp or "Software" tag: same bytes each run."""
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=DPI, format="png", facecolor="white", metadata={"Software": None})
    plt.close(fig)
    with Image.open(buffer) as rendered:
        image = rendered.convert("RGB").quantize(256, dither=Image.Dither.NONE)
    info = PngInfo()
    info.add_text("Source", SOURCE_TAG)
    image.save(path, format="png", optimize=True, pnginfo=info)
