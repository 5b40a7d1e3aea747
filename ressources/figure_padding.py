"""``padding.png``: one batch padded to 1,024 positions against padded to its longest tweet, to scale.

Drawn by ``make_figures.py``; shown in notebook 03 (which measures real tweet lengths; the
lengths here are illustrative).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from figure_kit import BLUE, DPI, GPT2_SIZES, INK, LIGHT_GREY, save
from matplotlib.patches import Patch, Rectangle

# Illustrative tweet lengths in tokens (notebook 03 measures the real ones).
BATCH_LENGTHS = (23, 17, 21, 15)
MAX_LENGTH = GPT2_SIZES["positions"]


def padding_shares(lengths=BATCH_LENGTHS, max_length=MAX_LENGTH):
    """(real tokens, positions with max_length padding, positions with dynamic padding)."""
    real = sum(lengths)
    return real, len(lengths) * max_length, len(lengths) * max(lengths)


def padding(path: Path) -> None:
    """The same batch padded to 1,024 positions and padded to its longest tweet, to scale."""
    real, fixed_total, dynamic_total = padding_shares()
    fig = plt.figure(figsize=(10, 7.2), dpi=DPI)
    grid = fig.add_gridspec(3, 1, height_ratios=(1, 1, 1.25), hspace=0.95,
                            left=0.11, right=0.97, top=0.86, bottom=0.2)
    fig.text(0.015, 0.965, 'Padding a batch of 4 tweets: padding="max_length" against dynamic padding',
             fontsize=13, fontweight="bold", va="center")
    fig.text(0.015, 0.92, f"illustrative lengths ({', '.join(map(str, BATCH_LENGTHS))} tokens): "
             "notebook 03 measures real tweets", fontsize=9.5, va="center", color="#555555",
             fontstyle="italic")
    fixed = _fixed_panel(fig.add_subplot(grid[0]), real, fixed_total)
    _dynamic_panel(fig.add_subplot(grid[1], sharex=fixed), fixed_total, dynamic_total)
    _zoom_panel(fig.add_subplot(grid[2]), real, dynamic_total)
    fig.text(0.015, 0.018,
             "DataCollatorWithPadding pads each batch at the moment it is made, to that batch's "
             "longest tweet.\nattention_mask is 0 on padding, so the scores are the same both "
             "ways; only the work differs:\n"
             f"{fixed_total / real:.1f} positions computed per real token with max_length "
             f"padding, {dynamic_total / real:.2f} with dynamic padding.",
             fontsize=9.5, va="bottom", linespacing=1.35)
    fig.legend(handles=[Patch(facecolor=BLUE, label="real token"),
                        Patch(facecolor=LIGHT_GREY, label="padding")],
               loc="upper right", bbox_to_anchor=(0.985, 0.94), ncol=2, frameon=False, fontsize=9.5)
    save(fig, path)


def _tweet_rows(ax) -> None:
    """One row per tweet, top to bottom, labelled "tweet 1"...; no frame but the x axis."""
    rows = range(len(BATCH_LENGTHS))
    ax.set_ylim(len(BATCH_LENGTHS) - 0.5, -0.5)
    ax.set_yticks(list(rows), [f"tweet {r + 1}" for r in rows])


def _hide_frame(ax) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _batch(ax, width: int, title: str) -> None:
    """The batch as bars: real tokens in blue, then padding up to ``width`` in grey."""
    for r, n in enumerate(BATCH_LENGTHS):
        ax.broken_barh([(0, n)], (r - 0.38, 0.76), facecolors=BLUE, edgecolors="none")
        ax.broken_barh([(n, width - n)], (r - 0.38, 0.76), facecolors=LIGHT_GREY,
                       edgecolors="none")
    _tweet_rows(ax)
    ax.set_title(title, loc="left", fontsize=10.5)
    _hide_frame(ax)


def _fixed_panel(ax, real: int, fixed_total: int):
    _batch(ax, MAX_LENGTH, f'padding="max_length": every tweet padded to {MAX_LENGTH:,} '
           f"positions: real tokens {real} of {fixed_total:,} = {real / fixed_total:.1%}")
    ax.set_xlim(0, MAX_LENGTH)
    ax.set_xticks(range(0, MAX_LENGTH + 1, 128))
    ax.set_xlabel("position (linear scale)")
    return ax


def _dynamic_panel(ax, fixed_total: int, dynamic_total: int) -> None:
    longest = max(BATCH_LENGTHS)
    _batch(ax, longest, f"dynamic padding, same scale: the whole batch is {longest} positions wide "
           f"({dynamic_total / fixed_total:.1%} of the positions above)")
    ax.set_xlabel("position (linear scale)")
    ax.annotate(f"{longest} positions", xy=(longest + 4, 1.5), xytext=(90, 1.5),
                va="center", fontsize=9.5,
                arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 1.0})


def _zoom_panel(ax, real: int, dynamic_total: int) -> None:
    """The dynamic batch up close: one box per position."""
    longest = max(BATCH_LENGTHS)
    for r, n in enumerate(BATCH_LENGTHS):
        for p in range(longest):
            face = BLUE if p < n else LIGHT_GREY
            ax.add_patch(Rectangle((p, r - 0.4), 1, 0.8, facecolor=face, edgecolor="white",
                                   linewidth=0.8))
    ax.set_xlim(0, longest)
    _tweet_rows(ax)
    ax.set_xticks(range(0, longest + 1, 5))
    _hide_frame(ax)
    ax.set_xlabel("position (zoomed in: one box per token)")
    ax.set_title(f"the dynamic batch up close: padded to its longest tweet ({longest}): "
                 f"real tokens {real} of {dynamic_total} = {real / dynamic_total:.1%}",
                 loc="left", fontsize=10.5)
