"""Make the course's teaching figures (PNG) in ``ressources/``, from code only.

    python ressources/make_figures.py            # (re)write the PNGs next to this script
    python ressources/make_figures.py --check    # exit 1 if a committed PNG differs from the code's

Figures (see ``ressources/README.md`` for which notebook shows which):

- ``body_head``: GPT-2 for sequence classification = pre-trained body + new ``score`` head,
  read at the last real token, against the language-model head that pre-training used.
- ``padding``: ``padding="max_length"`` (1,024 positions) against dynamic padding, to scale.
- ``fine_tuning_kinds``: supervised fine-tuning, few-shot prompting, transfer learning and
  domain-specific adaptation: what goes in, which weights change, what comes out.

matplotlib only (Agg backend, matplotlib's default style and bundled DejaVu font). The output is
byte-for-byte deterministic for a given matplotlib version: no "Software" tag, no dates; the
matplotlib version is recorded in each PNG's "Source" text chunk, because another version may
draw a pixel differently.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Rectangle  # noqa: E402
from PIL import Image  # noqa: E402  (a dependency of matplotlib)
from PIL.PngImagePlugin import PngInfo  # noqa: E402

HERE = Path(__file__).resolve().parent
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

# body_head: one tweet as GPT-2's tokenizer cuts it (checked against course_utils/gpt2_tokenizer
# by tests/test_ressources.py), then right padding with the end-of-text id, GPT-2's pad token.
TWEET_TOKENS = (("I", 40), (" love", 1842), (" this", 428), (" song", 3496), ("!", 0))
PAD_ID = 50256
N_PADS = 2
GPT2_SIZES = {"blocks": 12, "hidden": 768, "vocab": 50257, "positions": 1024}

# padding: illustrative tweet lengths in tokens (notebook 03 measures the real ones).
BATCH_LENGTHS = (23, 17, 21, 15)
MAX_LENGTH = GPT2_SIZES["positions"]


# --------------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------------


def _box(ax, x, y, w, h, text="", face=LIGHT_BLUE, edge=INK, size=10, lw=1.0, ls="-",
         weight="normal", pad=0.04, color=INK, **kwargs):
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle=f"round,pad={pad}", facecolor=face,
                                edgecolor=edge, linewidth=lw, linestyle=ls, **kwargs))
    if text:
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=size,
                fontweight=weight, color=color, linespacing=1.3)


def _arrow(ax, start, end, color=INK, lw=1.4, style="-|>", ls="-", rad=0.0):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, color=color,
                                 linewidth=lw, linestyle=ls,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0))


def _canvas(width_in, height_in, xmax, ymax, ymin=0.0):
    fig = plt.figure(figsize=(width_in, height_in), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, xmax)
    ax.set_ylim(ymin, ymax)
    ax.axis("off")
    return fig, ax


def _save(fig, path: Path) -> None:
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


# --------------------------------------------------------------------------------------------
# 1. body_head
# --------------------------------------------------------------------------------------------


def body_head(path: Path) -> None:
    """GPT-2 for sequence classification: pre-trained body, new head at the last real token."""
    blocks, hidden, vocab = GPT2_SIZES["blocks"], GPT2_SIZES["hidden"], GPT2_SIZES["vocab"]
    fig, ax = _canvas(10, 7.0, 16, 11.2)
    tokens = [*TWEET_TOKENS, *[("pad", PAD_ID)] * N_PADS]
    last = len(TWEET_TOKENS) - 1
    x0, step, w = 2.75, 1.05, 0.9
    xs = [x0 + i * step for i in range(len(tokens))]
    right = xs[-1] + w
    mid_last = xs[last] + w / 2

    ax.text(0.2, 10.85, "GPT-2 for sequence classification = pre-trained body + new head",
            fontsize=13, fontweight="bold", va="center")
    ax.legend(handles=[Patch(facecolor=LIGHT_BLUE, edgecolor=BLUE, label="pre-trained (loaded from the checkpoint)"),
                       Patch(facecolor=LIGHT_ORANGE, edgecolor=ORANGE, label="new: random at the start, learned by fine-tuning"),
                       Patch(facecolor=LIGHT_GREY, edgecolor=GREY, label="padding: masked out, never read")],
              loc="upper left", bbox_to_anchor=(0.005, 0.945), ncol=3, frameon=False, fontsize=9,
              handlelength=1.6, columnspacing=1.4)

    labels = [(0.55, "tweet tokens"), (1.25, "token ids"),
              (2.35, "token + position\nembeddings"),
              (4.6, f"the body:\n{blocks} transformer\nblocks in gpt2"),
              (6.57, "final layer norm"),
              (7.55, f"one hidden state\nper position\n({hidden} numbers)")]
    for y, text in labels:
        ax.text(2.5, y, text, ha="right", va="center", fontsize=9.5, linespacing=1.25)

    for i, ((text, token_id), x) in enumerate(zip(tokens, xs, strict=True)):
        real = i <= last
        ink = INK if real else GREY
        shown = text.replace(" ", "\u2423") if real else "pad"
        ax.text(x + w / 2, 0.55, shown, ha="center", va="center", fontsize=10,
                family="DejaVu Sans Mono", color=ink)
        _box(ax, x, 1.0, w, 0.5, f"{token_id}", face="white" if real else LIGHT_GREY,
             edge=ink, size=9.5)
        _arrow(ax, (x + w / 2, 1.58), (x + w / 2, 1.98), color=ink, lw=1.0)
        _box(ax, x, 2.05, w, 0.6, "wte\n+ wpe", face=LIGHT_BLUE if real else LIGHT_GREY,
             edge=BLUE if real else GREY, size=9)
        _arrow(ax, (x + w / 2, 2.72), (x + w / 2, 3.08), color=ink, lw=1.0)
        _arrow(ax, (x + w / 2, 6.83), (x + w / 2, 7.16), color=ink, lw=1.0)
        face, edge, lw = (LIGHT_BLUE, BLUE, 1.0) if real else (LIGHT_GREY, GREY, 1.0)
        if i == last:
            edge, lw = ORANGE, 2.6
        _box(ax, x, 7.2, w, 0.7, f"h{i + 1}", face=face, edge=edge, lw=lw, size=10)

    # The body: a stack of blocks, with causal attention drawn as arcs into the last real token.
    _box(ax, x0, 3.15, right - x0, 3.05, face=LIGHT_BLUE, edge=BLUE, lw=1.2)
    for y, name in ((3.3, "block 1"), (3.72, "block 2"), (4.55, f"block {blocks}")):
        ax.add_patch(Rectangle((x0 + 0.08, y), right - x0 - 0.16, 0.32, facecolor="white",
                               edgecolor=BLUE, linewidth=0.8))
        ax.text(x0 + 0.2, y + 0.16, name, va="center", fontsize=9)
    ax.text(x0 + 0.25, 4.3, "\u22ee", va="center", fontsize=11)
    ax.text((x0 + right) / 2 + 0.6, 4.3, "self-attention + MLP in every block",
            ha="center", va="center", fontsize=9)
    for i in range(last):
        _arrow(ax, (xs[i] + w / 2, 5.0), (mid_last - 0.06, 5.05), color=BLUE, lw=1.1,
               rad=-0.28 + 0.03 * i)
    ax.text(x0 + 0.15, 5.93, "causal attention: a position sees only itself and the tokens before it",
            va="center", fontsize=9)
    _box(ax, x0, 6.35, right - x0, 0.45, "ln_f", face=LIGHT_BLUE, edge=BLUE, size=9.5)

    # The classification head, straight above the hidden state it reads, and its three scores.
    hw, hh, hy = 2.7, 1.15, 8.55
    hx = mid_last - hw / 2
    _arrow(ax, (mid_last, 7.97), (mid_last, hy - 0.08), color=ORANGE, lw=2.0)
    ax.text(hx - 0.25, hy + hh / 2, "the head reads the last real token:\nthe only position "
            "that has\nseen the whole tweet", ha="right", va="center", fontsize=9.5,
            fontweight="bold", linespacing=1.3)
    _box(ax, hx, hy, hw, hh, f"score: the head (new)\nLinear({hidden} \u2192 3), no bias\n"
         f"{hidden * 3:,} weights", face=LIGHT_ORANGE, edge=ORANGE, lw=1.6, size=9.5)
    classes = ("negative", "neutral", "positive")
    values = (0.1, 0.45, 1.3)  # illustrative scores
    sx = hx + hw + 1.75
    _arrow(ax, (hx + hw + 0.08, hy + hh / 2), (sx - 1.2, hy + hh / 2), color=ORANGE, lw=1.6)
    for k, (name, value) in enumerate(zip(classes, values, strict=True)):
        y = hy + hh - 0.15 - k * 0.42
        ax.text(sx - 0.08, y, name, ha="right", va="center", fontsize=9.5)
        ax.add_patch(Rectangle((sx, y - 0.14), value, 0.28,
                               facecolor=ORANGE if value == max(values) else LIGHT_ORANGE,
                               edgecolor=ORANGE, linewidth=0.8))
    ax.text(sx + 1.5, hy + hh / 2, "3 scores (logits):\nthe highest\nis the answer",
            va="center", fontsize=9, linespacing=1.25)

    # What it replaces: the language-model head of pre-training.
    lx, ly, lw_, lh = 10.55, 1.0, 5.3, 6.9
    _box(ax, lx, ly, lw_, lh, face="white", edge=GREY, lw=1.2, ls="--")
    ax.text(lx + lw_ / 2, ly + lh - 0.35, "what it replaces: the head of pre-training",
            ha="center", fontsize=9.5, fontweight="bold", va="center")
    _box(ax, lx + 0.9, ly + 4.55, lw_ - 1.8, 1.3,
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
    _arrow(ax, (right + 0.08, 6.57), (lx + 0.82, ly + 5.2), color=GREY, lw=1.2, ls="--",
           rad=0.2)
    _save(fig, path)


# --------------------------------------------------------------------------------------------
# 2. padding
# --------------------------------------------------------------------------------------------


def padding_shares(lengths=BATCH_LENGTHS, max_length=MAX_LENGTH):
    """(real tokens, positions with max_length padding, positions with dynamic padding)."""
    real = sum(lengths)
    return real, len(lengths) * max_length, len(lengths) * max(lengths)


def padding(path: Path) -> None:
    """The same batch padded to 1,024 positions and padded to its longest tweet, to scale."""
    lengths = BATCH_LENGTHS
    real, fixed_total, dynamic_total = padding_shares()
    longest = max(lengths)
    rows = range(len(lengths))
    fig = plt.figure(figsize=(10, 7.2), dpi=DPI)
    grid = fig.add_gridspec(3, 1, height_ratios=(1, 1, 1.25), hspace=0.95,
                            left=0.11, right=0.97, top=0.86, bottom=0.2)
    fig.text(0.015, 0.965, 'Padding a batch of 4 tweets: padding="max_length" against dynamic padding',
             fontsize=13, fontweight="bold", va="center")
    fig.text(0.015, 0.92, f"illustrative lengths ({', '.join(map(str, lengths))} tokens): "
             "notebook 03 measures real tweets", fontsize=9.5, va="center", color="#555555",
             fontstyle="italic")

    def batch(ax, width, title):
        for r, n in zip(rows, lengths, strict=True):
            ax.broken_barh([(0, n)], (r - 0.38, 0.76), facecolors=BLUE, edgecolors="none")
            ax.broken_barh([(n, width - n)], (r - 0.38, 0.76), facecolors=LIGHT_GREY,
                           edgecolors="none")
        ax.set_ylim(len(lengths) - 0.5, -0.5)
        ax.set_yticks(list(rows), [f"tweet {r + 1}" for r in rows])
        ax.set_title(title, loc="left", fontsize=10.5)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)

    fixed = fig.add_subplot(grid[0])
    batch(fixed, MAX_LENGTH, f'padding="max_length": every tweet padded to {MAX_LENGTH:,} '
          f"positions: real tokens {real} of {fixed_total:,} = {real / fixed_total:.1%}")
    fixed.set_xlim(0, MAX_LENGTH)
    fixed.set_xticks(range(0, MAX_LENGTH + 1, 128))
    fixed.set_xlabel("position (linear scale)")

    dynamic = fig.add_subplot(grid[1], sharex=fixed)
    batch(dynamic, longest, f"dynamic padding, same scale: the whole batch is {longest} positions wide "
          f"({dynamic_total / fixed_total:.1%} of the positions above)")
    dynamic.set_xlabel("position (linear scale)")
    dynamic.annotate(f"{longest} positions", xy=(longest + 4, 1.5), xytext=(90, 1.5),
                     va="center", fontsize=9.5,
                     arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 1.0})

    zoom = fig.add_subplot(grid[2])
    for r, n in zip(rows, lengths, strict=True):
        for p in range(longest):
            ax_face, edge = (BLUE, "white") if p < n else (LIGHT_GREY, "white")
            zoom.add_patch(Rectangle((p, r - 0.4), 1, 0.8, facecolor=ax_face, edgecolor=edge,
                                     linewidth=0.8))
    zoom.set_xlim(0, longest)
    zoom.set_ylim(len(lengths) - 0.5, -0.5)
    zoom.set_yticks(list(rows), [f"tweet {r + 1}" for r in rows])
    zoom.set_xticks(range(0, longest + 1, 5))
    zoom.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        zoom.spines[side].set_visible(False)
    zoom.set_xlabel("position (zoomed in: one box per token)")
    zoom.set_title(f"the dynamic batch up close: padded to its longest tweet ({longest}): "
                   f"real tokens {real} of {dynamic_total} = {real / dynamic_total:.1%}",
                   loc="left", fontsize=10.5)
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
    _save(fig, path)


# --------------------------------------------------------------------------------------------
# 3. fine_tuning_kinds
# --------------------------------------------------------------------------------------------

KINDS = (
    {
        "name": "supervised\nfine-tuning",
        "note": "this course",
        "in": "labelled examples\n\u201cI love this song!\u201d \u2192 positive\n\u201cworst day ever\u201d \u2192 negative\n(hundreds to thousands)",
        "body": ("changes", "body:\nupdated gently"),
        "head": ("changes", "new head:\ntrained"),
        "weights": "all weights, by gradient descent\non the labelled examples",
        "out": "a model for the task:\ntweet \u2192 negative /\nneutral / positive",
    },
    {
        "name": "few-shot\nprompting",
        "note": "in-context learning",
        "in": "a prompt: a few labelled\nexamples, then the new tweet\n\u201c\u2026 Sentiment:\u201d",
        "body": ("kept", "body:\nunchanged"),
        "head": ("kept", "LM head:\nunchanged"),
        "weights": "none: the model only reads\nthe prompt (forward pass)",
        "out": "the next token, read as\nthe label (\u201cpositive\u201d);\nsame model afterwards",
    },
    {
        "name": "transfer\nlearning",
        "note": "reuse, new output",
        "in": "a body pre-trained on another\ntask (next-token prediction)\n+ labelled data for the new task",
        "body": ("optional", "body: frozen,\nor updated too"),
        "head": ("changes", "new head:\ntrained"),
        "weights": "the new head; the body only\nif it is not frozen",
        "out": "a model with a new kind\nof output (3 classes)",
    },
    {
        "name": "domain-specific\nadaptation",
        "note": "then fine-tune",
        "in": "1. unlabelled text of the domain\n(tweets, medical notes, contracts)\n2. then labelled examples",
        "body": ("changes", "body: trained\nin both steps"),
        "head": ("changes", "1. LM head\n2. new head"),
        "weights": "1. all, on next-token prediction\n2. fine-tuning as in the first row",
        "out": "a model at home with the\ndomain's words and style,\nthen fine-tuned for the task",
    },
)

STATUS_COLOURS = {"changes": (LIGHT_ORANGE, ORANGE), "kept": (LIGHT_BLUE, BLUE)}


def fine_tuning_kinds(path: Path) -> None:
    """Four ways to adapt a pre-trained model: input, weights that change, output."""
    row_h, top = 1.95, 8.95
    fig, ax = _canvas(10, 5.95, 16, 10.4, ymin=0.88)
    ax.text(0.2, 10.0, "Four ways to adapt a pre-trained model", fontsize=13, fontweight="bold",
            va="center")
    ax.legend(handles=[Patch(facecolor=LIGHT_ORANGE, edgecolor=ORANGE, label="weights change"),
                       Patch(facecolor=LIGHT_BLUE, edgecolor=BLUE, label="weights stay as pre-trained"),
                       Patch(facecolor=LIGHT_BLUE, edgecolor=ORANGE, hatch="///",
                             label="your choice: freeze or train")],
              loc="upper left", bbox_to_anchor=(0.01, 0.925), ncol=3, frameon=False, fontsize=9.5)
    in_x, in_w = 2.6, 3.45
    model_x, body_w, head_w, gap = 6.75, 2.3, 1.9, 0.15
    model_w = body_w + gap + head_w
    out_x, out_w = 11.75, 4.05
    for x, width, text in ((in_x, in_w, "what goes in"),
                           (model_x, model_w, "the model: which weights change"),
                           (out_x, out_w, "what comes out")):
        ax.text(x + width / 2, top + 0.1, text, ha="center", va="center", fontsize=10,
                fontweight="bold", color="#555555")

    for k, kind in enumerate(KINDS):
        y = top - (k + 1) * row_h + 0.1
        h = row_h - 0.25
        if k:
            ax.plot([0.2, 15.8], [y + h + 0.125] * 2, color=LIGHT_GREY, lw=1.0)
        ax.text(0.25, y + h / 2 + 0.22, kind["name"], va="center", fontsize=10.5,
                fontweight="bold", linespacing=1.2)
        ax.text(0.25, y + 0.2, kind["note"], va="center", fontsize=9, color="#555555",
                fontstyle="italic")
        _box(ax, in_x, y + 0.05, in_w, h - 0.1, kind["in"], face="white", edge=GREY, size=9)
        _arrow(ax, (in_x + in_w + 0.12, y + h / 2), (model_x - 0.14, y + h / 2))
        for (status, text), bx, bw in ((kind["body"], model_x, body_w),
                                       (kind["head"], model_x + body_w + gap, head_w)):
            if status == "optional":
                _box(ax, bx, y + 0.72, bw, h - 0.77, face=LIGHT_BLUE, edge=ORANGE, lw=1.4,
                     hatch="///")
                ax.text(bx + bw / 2, y + 0.72 + (h - 0.77) / 2, text, ha="center", va="center",
                        fontsize=9, linespacing=1.3,
                        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.9})
            else:
                face, edge = STATUS_COLOURS[status]
                _box(ax, bx, y + 0.72, bw, h - 0.77, text, face=face, edge=edge, size=9, lw=1.4)
        ax.text(model_x + model_w / 2, y + 0.3, kind["weights"], ha="center", va="center",
                fontsize=9, linespacing=1.2)
        _arrow(ax, (model_x + model_w + 0.12, y + h / 2), (out_x - 0.14, y + h / 2))
        _box(ax, out_x, y + 0.05, out_w, h - 0.1, kind["out"], face="white", edge=GREY, size=9)
    _save(fig, path)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

FIGURES = {"body_head": body_head, "padding": padding, "fine_tuning_kinds": fine_tuning_kinds}


def make_all(folder: Path) -> list[Path]:
    """Write every figure as ``folder/<name>.png``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw in FIGURES.items():
        with plt.rc_context():
            plt.rcdefaults()
            plt.rcParams.update(STYLE)
            path = folder / f"{name}.png"
            draw(path)
        paths.append(path)
    return paths


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(folder: Path = HERE) -> list[str]:
    """Names of the committed PNGs in ``folder`` that differ from (or lack) what the code makes."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = make_all(Path(tmp))
        return [p.name for p in fresh
                if not (folder / p.name).is_file() or _digest(folder / p.name) != _digest(p)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary folder and compare with ressources/")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        if stale:
            print("differ from what make_figures.py makes (run python ressources/make_figures.py):",
                  ", ".join(stale))
            print(f"this run used matplotlib {matplotlib.__version__}; another version may "
                  "draw some pixels differently")
            return 1
        print(f"{len(FIGURES)} figures up to date")
        return 0
    for path in make_all(HERE):
        print(f"wrote {path.relative_to(HERE.parent)} ({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
