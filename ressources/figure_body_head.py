"""``body_head.png``: GPT-2 for sequence classification = pre-trained body + new ``score`` head.

The head reads the last real token; on the right, the language-model head that pre-training used
and that the new head replaces. Drawn by ``make_figures.py``; shown in notebook 04.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from figure_kit import (
    BLUE,
    GPT2_SIZES,
    GREY,
    INK,
    LIGHT_BLUE,
    LIGHT_GREY,
    LIGHT_ORANGE,
    ORANGE,
    arrow,
    box,
    canvas,
    save,
)
from matplotlib.patches import Patch, Rectangle

# One tweet as GPT-2's tokenizer cuts it (checked against course_utils/gpt2_tokenizer by
# tests/test_ressources.py), then right padding with the end-of-text id, GPT-2's pad token.
TWEET_TOKENS = (("I", 40), (" love", 1842), (" this", 428), (" song", 3496), ("!", 0))
PAD_ID = 50256
N_PADS = 2


@dataclass(frozen=True)
class Columns:
    """Where the token columns stand: the left edge of each, their width, the last real token."""

    xs: tuple[float, ...]
    w: float
    last: int

    @property
    def left(self) -> float:
        return self.xs[0]

    @property
    def right(self) -> float:
        return self.xs[-1] + self.w

    @property
    def mid_last(self) -> float:
        """The centre of the last real token's column, where the head reads."""
        return self.xs[self.last] + self.w / 2


def body_head(path: Path) -> None:
    """GPT-2 for sequence classification: pre-trained body, new head at the last real token."""
    blocks, hidden, vocab = GPT2_SIZES["blocks"], GPT2_SIZES["hidden"], GPT2_SIZES["vocab"]
    fig, ax = canvas(10, 7.0, 16, 11.2)
    tokens = [*TWEET_TOKENS, *[("pad", PAD_ID)] * N_PADS]
    x0, step = 2.75, 1.05
    columns = Columns(tuple(x0 + i * step for i in range(len(tokens))), 0.9, len(TWEET_TOKENS) - 1)
    _title_and_legend(ax)
    _row_labels(ax, blocks, hidden)
    _token_columns(ax, tokens, columns)
    _body(ax, columns, blocks)
    _head(ax, columns, hidden)
    _what_it_replaces(ax, columns, hidden, vocab)
    save(fig, path)


def _title_and_legend(ax) -> None:
    ax.text(0.2, 10.85, "GPT-2 for sequence classification = pre-trained body + new head",
            fontsize=13, fontweight="bold", va="center")
    handles = [Patch(facecolor=LIGHT_BLUE, edgecolor=BLUE, label="pre-trained (loaded from the checkpoint)"),
               Patch(facecolor=LIGHT_ORANGE, edgecolor=ORANGE,
                     label="new: random at the start, learned by fine-tuning"),
               Patch(facecolor=LIGHT_GREY, edgecolor=GREY, label="padding: masked out, never read")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.005, 0.945), ncol=3, frameon=False,
              fontsize=9, handlelength=1.6, columnspacing=1.4)


def _row_labels(ax, blocks: int, hidden: int) -> None:
    labels = [(0.55, "tweet tokens"), (1.25, "token ids"),
              (2.35, "token + position\nembeddings"),
              (4.6, f"the body:\n{blocks} transformer\nblocks in gpt2"),
              (6.57, "final layer norm"),
              (7.55, f"one hidden state\nper position\n({hidden} numbers)")]
    for y, text in labels:
        ax.text(2.5, y, text, ha="right", va="center", fontsize=9.5, linespacing=1.25)


def _token_columns(ax, tokens, columns: Columns) -> None:
    """Per position: the token, its id, its embedding and its hidden state (padding in grey)."""
    w, last = columns.w, columns.last
    for i, ((text, token_id), x) in enumerate(zip(tokens, columns.xs, strict=True)):
        real = i <= last
        ink = INK if real else GREY
        shown = text.replace(" ", "\u2423") if real else "pad"
        ax.text(x + w / 2, 0.55, shown, ha="center", va="center", fontsize=10,
                family="DejaVu Sans Mono", color=ink)
        box(ax, x, 1.0, w, 0.5, f"{token_id}", face="white" if real else LIGHT_GREY,
            edge=ink, size=9.5)
        arrow(ax, (x + w / 2, 1.58), (x + w / 2, 1.98), color=ink, lw=1.0)
        box(ax, x, 2.05, w, 0.6, "wte\n+ wpe", face=LIGHT_BLUE if real else LIGHT_GREY,
            edge=BLUE if real else GREY, size=9)
        arrow(ax, (x + w / 2, 2.72), (x + w / 2, 3.08), color=ink, lw=1.0)
        arrow(ax, (x + w / 2, 6.83), (x + w / 2, 7.16), color=ink, lw=1.0)
        face, edge, lw = (LIGHT_BLUE, BLUE, 1.0) if real else (LIGHT_GREY, GREY, 1.0)
        if i == last:
            edge, lw = ORANGE, 2.6
        box(ax, x, 7.2, w, 0.7, f"h{i + 1}", face=face, edge=edge, lw=lw, size=10)


def _body(ax, columns: Columns, blocks: int) -> None:
    """The body: a stack of blocks, with causal attention drawn as arcs into the last real token."""
    x0, right, w = columns.left, columns.right, columns.w
    box(ax, x0, 3.15, right - x0, 3.05, face=LIGHT_BLUE, edge=BLUE, lw=1.2)
    for y, name in ((3.3, "block 1"), (3.72, "block 2"), (4.55, f"block {blocks}")):
        ax.add_patch(Rectangle((x0 + 0.08, y), right - x0 - 0.16, 0.32, facecolor="white",
                               edgecolor=BLUE, linewidth=0.8))
        ax.text(x0 + 0.2, y + 0.16, name, va="center", fontsize=9)
    ax.text(x0 + 0.25, 4.3, "\u22ee", va="center", fontsize=11)
    ax.text((x0 + right) / 2 + 0.6, 4.3, "self-attention + MLP in every block",
            ha="center", va="center", fontsize=9)
    for i in range(columns.last):
        arrow(ax, (columns.xs[i] + w / 2, 5.0), (columns.mid_last - 0.06, 5.05), color=BLUE, lw=1.1,
              rad=-0.28 + 0.03 * i)
    ax.text(x0 + 0.15, 5.93, "causal attention: a position sees only itself and the tokens before it",
            va="center", fontsize=9)
    box(ax, x0, 6.35, right - x0, 0.45, "ln_f", face=LIGHT_BLUE, edge=BLUE, size=9.5)


def _head(ax, columns: Columns, hidden: int) -> None:
    """The classification head, straight above the hidden state it reads, and its three scores."""
    mid_last = columns.mid_last
    hw, hh, hy = 2.7, 1.15, 8.55
    hx = mid_last - hw / 2
    arrow(ax, (mid_last, 7.97), (mid_last, hy - 0.08), color=ORANGE, lw=2.0)
    ax.text(hx - 0.25, hy + hh / 2, "the head reads the last real token:\nthe only position "
            "that has\nseen the whole tweet", ha="right", va="center", fontsize=9.5,
            fontweight="bold", linespacing=1.3)
    box(ax, hx, hy, hw, hh, f"score: the head (new)\nLinear({hidden} \u2192 3), no bias\n"
        f"{hidden * 3:,} weights", face=LIGHT_ORANGE, edge=ORANGE, lw=1.6, size=9.5)
    classes = ("negative", "neutral", "positive")
    values = (0.1, 0.45, 1.3)  # illustrative scores
    sx = hx + hw + 1.75
    arrow(ax, (hx + hw + 0.08, hy + hh / 2), (sx - 1.2, hy + hh / 2), color=ORANGE, lw=1.6)
    for k, (name, value) in enumerate(zip(classes, values, strict=True)):
        y = hy + hh - 0.15 - k * 0.42
        ax.text(sx - 0.08, y, name, ha="right", va="center", fontsize=9.5)
        ax.add_patch(Rectangle((sx, y - 0.14), value, 0.28,
                               facecolor=ORANGE if value == max(values) else LIGHT_ORANGE,
                               edgecolor=ORANGE, linewidth=0.8))
    ax.text(sx + 1.5, hy + hh / 2, "3 scores (logits):\nthe highest\nis the answer",
            va="center", fontsize=9, linespacing=1.25)


def _what_it_replaces(ax, columns: Columns, hidden: int, vocab: int) -> None:
    """What the new head replaces: the language-model head of pre-training."""
    lx, ly, lw_, lh = 10.55, 1.0, 5.3, 6.9
    box(ax, lx, ly, lw_, lh, face="white", edge=GREY, lw=1.2, ls="--")
    ax.text(lx + lw_ / 2, ly + lh - 0.35, "what it replaces: the head of pre-training",
            ha="center", fontsize=9.5, fontweight="bold", va="center")
    box(ax, lx + 0.9, ly + 4.55, lw_ - 1.8, 1.3,
        f"lm_head\nLinear({hidden} \u2192 {vocab:,})\nshares its weights with wte",
        face=LIGHT_BLUE, edge=BLUE, size=9.5)
    ax.text(lx + 0.2, ly + 3.1,
            "reads EVERY position and gives each one\n"
            f"{vocab:,} scores, one per vocabulary token:\n"
            "which token comes next?\n"
            "(AutoModelForCausalLM, notebook 01)",
            va="center", fontsize=9, linespacing=1.3)
    ax.text(lx + 0.2, ly + 1.0,
            "GPT2ForSequenceClassification loads\n"
            "the same body without lm_head and puts\n"
            "the new 3-way score head in its place",
            va="center", fontsize=9, fontstyle="italic", linespacing=1.3)
    arrow(ax, (columns.right + 0.08, 6.57), (lx + 0.82, ly + 5.2), color=GREY, lw=1.2, ls="--",
          rad=0.2)
