"""Tokenizer helpers: coloured tokens, a live widget, length statistics and the cost of padding.

Introduced in notebook 03. :func:`padding_cost` measures what ``padding="max_length"`` (every
tweet padded to the model's 1,024 positions, the tutorial's recipe) costs against dynamic
padding with ``DataCollatorWithPadding``: padded tokens per real token and forward-pass time
(the ``bench`` command measures the same two recipes for whole training runs).
"""

from __future__ import annotations

import html
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

PALETTE = ("#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffc6ff", "#fdffb6")


def token_table(tokenizer, text: str) -> pd.DataFrame:
    """One row per token of ``text``: its id, its string as the tokenizer stores it, and the text it covers."""
    ids = tokenizer(text)["input_ids"]
    return pd.DataFrame({
        "id": ids,
        "token": tokenizer.convert_ids_to_tokens(ids),
        "text": [tokenizer.decode([i]) for i in ids],
    })


def tokens_html(tokenizer, text: str) -> str:
    """HTML showing ``text`` split into its tokens, each on its own colour, with the count."""
    ids = tokenizer(text)["input_ids"]
    spans = "".join(
        f'<span title="id {i}" style="background:{PALETTE[k % len(PALETTE)]};padding:1px 0;'
        f'border-radius:3px;white-space:pre">{html.escape(tokenizer.decode([i]))}</span>'
        for k, i in enumerate(ids)
    )
    return f'<div style="font-family:monospace;line-height:1.9">{spans}</div><small>{len(ids)} tokens, {len(text)} characters</small>'


def token_widget(tokenizer, value: str = "sooo happy with my new phone!!! 😍 @bestie #blessed"):
    """A text box whose tokens are shown, coloured, as the student types (ipywidgets)."""
    import ipywidgets as widgets

    box = widgets.Text(value=value, description="Tweet:", layout=widgets.Layout(width="95%"),
                       continuous_update=True)
    view = widgets.HTML(tokens_html(tokenizer, value))

    def update(change) -> None:
        view.value = tokens_html(tokenizer, change["new"])

    box.observe(update, names="value")
    return widgets.VBox([box, view])


def length_stats(tokenizer, texts: Sequence[str]) -> dict[str, float]:
    """Token counts of ``texts``: mean, median, 99th percentile and maximum."""
    lengths = np.array([len(ids) for ids in tokenizer(list(texts))["input_ids"]])
    return {"mean": float(lengths.mean()), "median": float(np.median(lengths)),
            "p99": float(np.percentile(lengths, 99)), "max": int(lengths.max())}


def padding_cost(model, tokenizer, texts: Sequence[str], batch_size: int = 16,
                 max_length: int | None = None, repeats: int = 5) -> pd.DataFrame:
    """Measure ``padding="max_length"`` against dynamic padding on the same batch of tweets.

    For each recipe: tokens per batch, padded tokens per real token, and the time of a forward
    pass (no gradients) over the first ``batch_size`` texts: one warm-up pass, then the median of
    ``repeats`` timed passes, on the model's device. ``max_length`` defaults to the tokenizer's
    ``model_max_length`` (1,024 for GPT-2).
    """
    import statistics

    import torch
    from transformers import DataCollatorWithPadding

    max_length = max_length or tokenizer.model_max_length
    chunk = list(texts[:batch_size])
    device = next(model.parameters()).device  # measure where the model lives (CPU or GPU)
    batches = {
        "max_length": tokenizer(chunk, padding="max_length", truncation=True, max_length=max_length,
                                return_tensors="pt"),
        "dynamic": DataCollatorWithPadding(tokenizer)([tokenizer(t, truncation=True, max_length=max_length)
                                                       for t in chunk]),
    }
    model.eval()
    rows = []
    for recipe, batch in batches.items():
        inputs = {key: batch[key].to(device) for key in ("input_ids", "attention_mask")}
        seconds = []
        for _ in range(repeats + 1):
            started = time.perf_counter()
            with torch.no_grad():
                model(**inputs)
            if device.type == "cuda":
                torch.cuda.synchronize(device)  # GPU calls return before the work is done
            seconds.append(time.perf_counter() - started)
        real = int(batch["attention_mask"].sum())
        rows.append({
            "recipe": recipe,
            "tokens per batch": batch["input_ids"].numel(),
            "real tokens per batch": real,
            "tokens per real token": batch["input_ids"].numel() / real,
            "seconds per batch": statistics.median(seconds[1:]),  # the first pass warms up
        })
    table = pd.DataFrame(rows).set_index("recipe")
    table["slowdown"] = table["seconds per batch"] / table.loc["dynamic", "seconds per batch"]
    return table


def plot_padding_cost(table: pd.DataFrame, title: str = "What padding every tweet to 1,024 tokens costs"):
    """Two bars per recipe: tokens per batch (log scale) and seconds per forward pass."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    colours = ["#d62728", "#2ca02c"]
    for ax, column, unit in ((left, "tokens per batch", "tokens"), (right, "seconds per batch", "s")):
        bars = ax.bar(table.index, table[column], color=colours)
        ax.set_title(column)
        for bar, value in zip(bars, table[column], strict=True):
            ax.annotate(f"{value:,.0f} {unit}" if unit == "tokens" else f"{value:.3f} {unit}",
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom")
    left.set_yscale("log")
    # Room below the real-token bars (else the log axis starts just under them) and above the labels.
    left.set_ylim(max(1.0, table["real tokens per batch"].min() / 10), table["tokens per batch"].max() * 3)
    right.set_ylim(0, table["seconds per batch"].max() * 1.15)
    left.bar(table.index, table["real tokens per batch"], color="none", edgecolor="black",
             hatch="//", label="real (non-pad) tokens")
    left.legend(loc="upper right", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)  # displayed once, by the notebook, when returned
    return fig
