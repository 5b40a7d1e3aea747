"""Tokenizer helpers: coloured tokens, length statistics and the cost of padding.

Introduced in notebook 03. :func:`padding_cost` measures what ``padding="max_length"`` (every
tweet padded to the model's 1,024 positions, the tutorial's recipe) costs against dynamic
padding with ``DataCollatorWithPadding``: padded tokens per real token and forward-pass time
(the ``bench`` command measures the same two recipes for whole training runs).
"""

from __future__ import annotations

import html
import statistics
import time
from collections.abc import Sequence
from contextlib import contextmanager

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
    return (f'<div style="font-family:monospace;line-height:1.9">{spans}</div>'
            f'<small>{len(ids)} tokens, {len(text)} characters</small>')


def length_stats(tokenizer, texts: Sequence[str]) -> dict[str, float]:
    """Token counts of ``texts``: mean, median, 99th percentile and maximum."""
    lengths = np.array([len(ids) for ids in tokenizer(list(texts))["input_ids"]])
    return {"mean": float(lengths.mean()), "median": float(np.median(lengths)),
            "p99": float(np.percentile(lengths, 99)), "max": int(lengths.max())}


def _seconds_per_pass(model, inputs: dict, calls: int) -> float:
    """Seconds per forward pass (no gradients), averaged over ``calls`` passes in a row.

    On a GPU: wall-clock time, waiting for the GPU to finish. On a CPU: the CPU time of this
    thread (the caller runs the model on one thread), which other programs on a busy machine do
    not inflate as they inflate the wall clock.
    """
    import torch

    device = inputs["input_ids"].device
    clock = time.perf_counter if device.type != "cpu" else time.thread_time
    started = clock()
    with torch.no_grad():
        for _ in range(calls):
            model(**inputs)
    if device.type == "cuda":
        torch.cuda.synchronize(device)  # GPU calls return before the work is done
    return (clock() - started) / calls


@contextmanager
def one_cpu_thread(device: str):
    """Run the block on one PyTorch thread when ``device`` is ``"cpu"`` (timings that other
    programs on the machine barely disturb), then restore the thread count."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1 if device == "cpu" else threads)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def padding_cost(model, tokenizer, texts: Sequence[str], batch_size: int = 16,
                 max_length: int | None = None, repeats: int = 5, min_seconds: float = 0.05) -> pd.DataFrame:
    """Measure ``padding="max_length"`` against dynamic padding on the same batch of tweets.

    For each recipe: tokens per batch, real (non-pad) tokens, padded tokens per real token, and
    the time of a forward pass (no gradients) over the first ``batch_size`` texts, on the model's
    device. Timing: one warm-up pass per recipe, then ``repeats`` rounds that time the two recipes
    one after the other (a load spike then slows both, not one); a fast recipe's time is the mean
    of enough passes to last as long as one slow pass (at least ``min_seconds``). On a CPU the
    passes run on one thread (:func:`one_cpu_thread`) and are timed in CPU time (see
    :func:`_seconds_per_pass`): slower than with every core, but the ratio stays put when other
    programs compete for the cores. ``seconds per batch`` is the median over the
    rounds; ``slowdown`` is the median of the rounds' ratios. ``max_length`` defaults to the
    tokenizer's ``model_max_length`` (1,024 for GPT-2).
    """
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
    inputs = {recipe: {key: batch[key].to(device) for key in ("input_ids", "attention_mask")}
              for recipe, batch in batches.items()}
    model.eval()
    with one_cpu_thread(device.type):
        once = {}
        for recipe, x in inputs.items():
            warm = _seconds_per_pass(model, x, 1)  # warm-up: the first pass pays for allocations
            once[recipe] = max(_seconds_per_pass(model, x, 1) if warm < min_seconds else warm, 1e-6)
        span = max(min_seconds, *once.values())  # each timing lasts about as long as the slow pass
        calls = {recipe: max(1, min(1000, round(span / seconds))) for recipe, seconds in once.items()}
        seconds: dict[str, list[float]] = {recipe: [] for recipe in inputs}
        for _ in range(repeats):
            for recipe, x in inputs.items():
                seconds[recipe].append(_seconds_per_pass(model, x, calls[recipe]))
    ratios = [slow / fast for slow, fast in zip(seconds["max_length"], seconds["dynamic"], strict=True)]
    rows = []
    for recipe, batch in batches.items():
        real = int(batch["attention_mask"].sum())
        rows.append({
            "recipe": recipe,
            "tokens per batch": batch["input_ids"].numel(),
            "real tokens per batch": real,
            "tokens per real token": batch["input_ids"].numel() / real,
            "seconds per batch": statistics.median(seconds[recipe]),
            "slowdown": statistics.median(ratios) if recipe == "max_length" else 1.0,
        })
    return pd.DataFrame(rows).set_index("recipe")


def plot_padding_cost(table: pd.DataFrame, title: str = "What padding every tweet to 1,024 tokens costs"):
    """Two panels on linear axes: tokens per batch (real tokens dark, padding light, the real
    share written on each bar) and seconds per forward pass (the slowdown written on top)."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    colours = {"max_length": "#d62728", "dynamic": "#2ca02c"}
    recipes = list(table.index)
    real, total = table["real tokens per batch"], table["tokens per batch"]
    left.bar(recipes, real, color=[colours.get(r, "#4c78a8") for r in recipes], label="real tokens")
    left.bar(recipes, total - real, bottom=real, color="#dddddd", edgecolor="#999999", label="padding")
    for x, recipe in enumerate(recipes):
        left.annotate(f"{total[recipe]:,} tokens\n{real[recipe] / total[recipe]:.1%} real",
                      (x, total[recipe]), ha="center", va="bottom", fontsize=9)
    left.set(title="tokens per batch (linear axis)", ylim=(0, total.max() * 1.3))
    left.legend(loc="upper right", fontsize=8)
    seconds = table["seconds per batch"]
    right.bar(recipes, seconds, color=[colours.get(r, "#4c78a8") for r in recipes])
    for x, recipe in enumerate(recipes):
        right.annotate(f"{seconds[recipe]:.4f} s\n{table.loc[recipe, 'slowdown']:.1f}x", (x, seconds[recipe]),
                       ha="center", va="bottom", fontsize=9)
    right.set(title="seconds per forward pass (median)", ylim=(0, seconds.max() * 1.3))
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)  # displayed once, by the notebook, when returned
    return fig
