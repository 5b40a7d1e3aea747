"""``fine_tuning_kinds.png``: four ways to adapt a pre-trained model, one row each.

Supervised fine-tuning, few-shot prompting, transfer learning and domain-specific adaptation:
what goes in, which weights change, what comes out. Drawn by ``make_figures.py``; shown in
notebook 01.
"""

from __future__ import annotations

from pathlib import Path

from figure_kit import (
    BLUE,
    GREY,
    LIGHT_BLUE,
    LIGHT_GREY,
    LIGHT_ORANGE,
    ORANGE,
    arrow,
    box,
    canvas,
    save,
)
from matplotlib.patches import Patch

KINDS = (
    {
        "name": "supervised\nfine-tuning",
        "note": "this course",
        "in": "labelled examples\n\u201cI love this song!\u201d \u2192 positive\n"
              "\u201cworst day ever\u201d \u2192 negative\n(hundreds to thousands)",
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

# Columns: what goes in, the model (body then head), what comes out.
IN_X, IN_W = 2.6, 3.45
MODEL_X, BODY_W, HEAD_W, GAP = 6.75, 2.3, 1.9, 0.15
MODEL_W = BODY_W + GAP + HEAD_W
OUT_X, OUT_W = 11.75, 4.05
ROW_H, TOP = 1.95, 8.95


def fine_tuning_kinds(path: Path) -> None:
    """Four ways to adapt a pre-trained model: input, weights that change, output."""
    fig, ax = canvas(10, 5.95, 16, 10.4, ymin=0.88)
    ax.text(0.2, 10.0, "Four ways to adapt a pre-trained model", fontsize=13, fontweight="bold",
            va="center")
    ax.legend(handles=[Patch(facecolor=LIGHT_ORANGE, edgecolor=ORANGE, label="weights change"),
                       Patch(facecolor=LIGHT_BLUE, edgecolor=BLUE, label="weights stay as pre-trained"),
                       Patch(facecolor=LIGHT_BLUE, edgecolor=ORANGE, hatch="///",
                             label="your choice: freeze or train")],
              loc="upper left", bbox_to_anchor=(0.01, 0.925), ncol=3, frameon=False, fontsize=9.5)
    for x, width, text in ((IN_X, IN_W, "what goes in"),
                           (MODEL_X, MODEL_W, "the model: which weights change"),
                           (OUT_X, OUT_W, "what comes out")):
        ax.text(x + width / 2, TOP + 0.1, text, ha="center", va="center", fontsize=10,
                fontweight="bold", color="#555555")
    for k, kind in enumerate(KINDS):
        _kind_row(ax, k, kind)
    save(fig, path)


def _kind_row(ax, k: int, kind: dict) -> None:
    """Row ``k``: the kind's name, its input, its body and head boxes, its output."""
    y = TOP - (k + 1) * ROW_H + 0.1
    h = ROW_H - 0.25
    if k:
        ax.plot([0.2, 15.8], [y + h + 0.125] * 2, color=LIGHT_GREY, lw=1.0)
    ax.text(0.25, y + h / 2 + 0.22, kind["name"], va="center", fontsize=10.5,
            fontweight="bold", linespacing=1.2)
    ax.text(0.25, y + 0.2, kind["note"], va="center", fontsize=9, color="#555555",
            fontstyle="italic")
    box(ax, IN_X, y + 0.05, IN_W, h - 0.1, kind["in"], face="white", edge=GREY, size=9)
    arrow(ax, (IN_X + IN_W + 0.12, y + h / 2), (MODEL_X - 0.14, y + h / 2))
    for (status, text), bx, bw in ((kind["body"], MODEL_X, BODY_W),
                                   (kind["head"], MODEL_X + BODY_W + GAP, HEAD_W)):
        if status == "optional":
            box(ax, bx, y + 0.72, bw, h - 0.77, face=LIGHT_BLUE, edge=ORANGE, lw=1.4, hatch="///")
            ax.text(bx + bw / 2, y + 0.72 + (h - 0.77) / 2, text, ha="center", va="center",
                    fontsize=9, linespacing=1.3,
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                          "edgecolor": "none", "alpha": 0.9})
        else:
            face, edge = STATUS_COLOURS[status]
            box(ax, bx, y + 0.72, bw, h - 0.77, text, face=face, edge=edge, size=9, lw=1.4)
    ax.text(MODEL_X + MODEL_W / 2, y + 0.3, kind["weights"], ha="center", va="center",
            fontsize=9, linespacing=1.2)
    arrow(ax, (MODEL_X + MODEL_W + 0.12, y + h / 2), (OUT_X - 0.14, y + h / 2))
    box(ax, OUT_X, y + 0.05, OUT_W, h - 0.1, kind["out"], face="white", edge=GREY, size=9)
