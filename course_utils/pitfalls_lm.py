"""Pitfalls that involve GPT-2's language-model side: forgetting, and where the weights start.

Introduced in notebook 08. Split from :mod:`course_utils.pitfalls` because these experiments
turn classifiers back into language models (and back again) and measure causal-LM loss, with the
tools the pocket model was pre-trained with (:mod:`course_utils.pretraining`), whereas ``pitfalls``
only trains and scores classifiers.

- :func:`forgetting`: language-model loss on a general-text probe before and after
  classification fine-tuning, for full fine-tuning and for remedies (freezing most layers, LoRA)
  that notebook 08 writes out in its cells and passes in.
- :func:`starting_points`: the same fine-tuning from random weights, from the pre-trained
  weights, and after continued causal-LM training on unlabelled tweets (domain adaptation).
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from course_utils.costs import announce
from course_utils.model import load_classifier
from course_utils.pitfalls import (
    ExperimentData,
    announce_runs,
    evaluate_on,
    legend_outside,
    quiet,
    train_run,
)
from course_utils.pocket import (
    POCKET_ENGLISH_FILE,
    POCKET_UNLABELLED_FILE,
    PROBE_PASSAGES,
    held_out_split,
    read_lines,
)
from course_utils.pretraining import TinyConfig, pack_blocks, pretrain
from course_utils.pretraining import lm_loss as _lm_loss


def lm_loss(model, tokenizer, texts: list[str], block_size: int = 64) -> float:
    """:func:`course_utils.pretraining.lm_loss` (mean nats per token), quietly."""
    with quiet():
        return _lm_loss(model, tokenizer, texts, block_size)


def probe_texts(n: int = PROBE_PASSAGES) -> list[str]:
    """The general-text probe: English passages the pocket model never trained on (nor any classifier)."""
    return held_out_split(read_lines(POCKET_ENGLISH_FILE))[1][:n]


def load_language_model(source: str, device: str = "cpu"):
    """``GPT2LMHeadModel.from_pretrained(source)`` on ``device`` (its output layer is tied to the
    token embeddings)."""
    from transformers import GPT2LMHeadModel

    with quiet():
        return GPT2LMHeadModel.from_pretrained(source).to(device).eval()


def as_language_model(classifier, source: str, device: str = "cpu"):
    """Put a fine-tuned classifier's transformer back under a language-model head.

    Loads the pre-trained ``GPT2LMHeadModel`` from ``source`` and overwrites its ``transformer.*``
    weights with the classifier's (LoRA adapters merged first). GPT-2 ties the LM head to the
    token embeddings ``wte``, so the head follows whatever fine-tuning did to ``wte``: the result
    is exactly the network the classifier now contains, reading out words instead of labels.
    """
    if hasattr(classifier, "merge_and_unload"):  # a peft model: fold the adapters into the weights
        classifier = classifier.merge_and_unload()
    model = load_language_model(source, device)
    model.transformer.load_state_dict(classifier.transformer.state_dict())
    return model.eval()


def trainable_parameters(model) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


LEARNING_RATE_FACTORS = {  # method -> multiple of the profile's learning rate
    "full fine-tuning": 1.0,
    "freeze all but the last block": 1.0,
    # LoRA trains few parameters and its update B @ A is scaled by lora_alpha / r: the rate that suits full
    # fine-tuning is not LoRA's, which is usually larger. 3x was picked by measurement: on the pocket model
    # (rate 3e-3) 1x learned little in 3 epochs and 10x diverged (probe perplexity x6, accuracy below majority).
    "LoRA (rank 8)": 3.0,
    "full fine-tuning, lr / 10": 0.1,
}
PREPARED = ("freeze all but the last block", "LoRA (rank 8)")  # need a function that prepares the model


def _methods(methods: Mapping[str, Callable | None] | Sequence[str]) -> dict[str, Callable | None]:
    """``methods`` as ``{name: prepare or None}``, checked: known names, a function where one is needed."""
    methods = dict(methods) if isinstance(methods, Mapping) else dict.fromkeys(methods)
    unknown = [name for name in methods if name not in LEARNING_RATE_FACTORS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}: name one of {list(LEARNING_RATE_FACTORS)}")
    unprepared = [name for name in PREPARED if name in methods and methods[name] is None]
    if unprepared:
        raise ValueError(f"{unprepared} need a function that prepares the model (notebook 08 writes them): "
                         "pass methods={name: function}")
    return methods


def forgetting(data: ExperimentData, methods: Mapping[str, Callable | None] | Sequence[str] = ("full fine-tuning",),
               train_size: int = 1000, epochs: int = 3, seed: int = 42, probe: list[str] | None = None) -> pd.DataFrame:
    """Probe LM loss (and perplexity) of the pre-trained model, and test accuracy and probe LM loss
    after fine-tuning with each of ``methods``.

    ``methods`` maps a name (a key of :data:`LEARNING_RATE_FACTORS`, which sets its learning rate)
    to the function that prepares a freshly loaded classifier for it (freezing weights with
    ``requires_grad``, adding LoRA adapters: notebook 08 writes both out), or to ``None`` to
    train it as loaded; a list of names trains each as loaded.
    """
    from transformers import set_seed

    methods = _methods(methods)

    source, probe, device = data.profile.model, probe or probe_texts(), data.profile.device
    probe_tokens = sum(len(ids) + 1 for ids in data.tokenizer(probe)["input_ids"])
    announce(data.profile, f"{len(methods)} fine-tunings, then the probe read {len(methods) + 1} times",
             runs=3 * len(methods) + 1, train=len(methods) * train_size * epochs,
             score=len(methods) * len(data.tokenized["test"]), lm_tokens=(len(methods) + 1) * probe_tokens)
    before = lm_loss(load_language_model(source, device), data.tokenizer, probe)
    rows = [{"method": "pre-trained, not fine-tuned", "trainable parameters": 0, "test accuracy": np.nan,
             "probe LM loss": before}]
    for method, prepare_model in methods.items():
        lr_factor = LEARNING_RATE_FACTORS[method]
        with quiet():
            set_seed(seed)
            model = load_classifier(source, data.tokenizer)
            model = prepare_model(model) if prepare_model else model
        trainer = train_run(data, data.train_rows(train_size), model=model, seed=seed, num_train_epochs=epochs,
                            learning_rate=lr_factor * data.profile.learning_rate, eval_strategy="no",
                            all_blocks=True)  # which weights train is what this experiment compares
        trainable = trainable_parameters(model)
        accuracy = evaluate_on(trainer, data.tokenized["test"])["test_accuracy"]
        after = lm_loss(as_language_model(trainer.model, source, device), data.tokenizer, probe)  # merges LoRA
        rows.append({"method": method, "trainable parameters": trainable, "test accuracy": accuracy,
                     "probe LM loss": after})
    table = pd.DataFrame(rows).set_index("method")
    table["probe perplexity"] = np.exp(table["probe LM loss"])
    table["LM loss increase"] = table["probe LM loss"] - before
    return table


def plot_forgetting(table: pd.DataFrame):
    """Probe perplexity (lower is better) and test accuracy per method, side by side."""
    import matplotlib.pyplot as plt

    fig, (ppl_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 0.5 * len(table) + 2), layout="constrained")
    names = list(table.index)[::-1]  # first row on top
    colors = {n: "tab:grey" if "not fine-tuned" in n else "tab:red" if n == "full fine-tuning" else "tab:blue"
              for n in names}
    bars = ppl_ax.barh(names, table.loc[names, "probe perplexity"], color=[colors[n] for n in names])
    ppl_ax.bar_label(bars, fmt="%.1f", fontsize=8)
    ppl_ax.set_xlim(0, 1.15 * table["probe perplexity"].max())  # room for the longest bar's label
    ppl_ax.set(title="perplexity on the general-text probe\n(lower = remembers more)", xlabel="perplexity")
    tuned = [n for n in names if not np.isnan(table.loc[n, "test accuracy"])]
    bars = acc_ax.barh(tuned, table.loc[tuned, "test accuracy"], color=[colors[n] for n in tuned])
    acc_ax.bar_label(bars, fmt="%.3f", fontsize=8)
    acc_ax.set(title="test accuracy (sentiment)", xlabel="accuracy", xlim=(0, 1))
    for ax in (ppl_ax, acc_ax):
        ax.grid(axis="x", alpha=0.3)
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------------- 7. starting points
def unlabelled_tweets(data: ExperimentData, tweets=None) -> list[str]:
    """In-domain text without labels: on pocket the bundle's unlabelled tweets; on the Hub data the
    training-split texts outside this experiment's train / validation subsets (``tweets`` needed)."""
    if data.profile.data == "pocket":
        return read_lines(POCKET_UNLABELLED_FILE)
    if tweets is None:
        raise ValueError("Pass tweets=load_tweets(profile) to take unlabelled text from the Hub train split.")
    used = set(data.raw["train"]["id"][:]) | set(data.raw["validation"]["id"][:])
    return [t for i, t in zip(tweets["train"]["id"][:], tweets["train"]["text"][:], strict=True) if i not in used]


def adapt_to_domain(source: str, tokenizer, texts: list[str], steps: int = 50, batch_size: int = 16,
                    learning_rate: float = 1e-3, block_size: int = 64, seed: int = 0, device: str = "cpu"):
    """Continue causal-LM training of ``source`` on ``texts`` (packed into blocks) for ``steps``
    steps with the loop the pocket model was pre-trained with; returns the adapted ``GPT2LMHeadModel``.

    Only a seeded sample of ``texts`` large enough for ``steps`` batches (tweets are about 20
    tokens) is tokenised."""
    needed = steps * batch_size * block_size // 12
    texts = random.Random(seed).sample(texts, min(len(texts), needed))
    model = load_language_model(source, device)
    config = TinyConfig(block_size=block_size, batch_size=batch_size, steps=steps, batch_softmax_steps=0,
                        full_softmax_steps=None,
                        learning_rate=learning_rate, warmup_steps=max(1, steps // 10), seed=seed)
    with quiet():
        pretrain(model, pack_blocks(texts, tokenizer, block_size), config, log_every=0)
    return model.eval()


STARTS = ("random init", "pre-trained", "pre-trained + tweet LM")


def starting_points(data: ExperimentData, tweets=None, starts=STARTS, train_size: int = 1000, epochs: int = 3,
                    adapt_steps: int = 50, adapt_lr: float | None = None, seed: int = 42,
                    probe: list[str] | None = None) -> pd.DataFrame:
    """Fine-tune the same architecture on the same data and budget from several ``starts``:
    random weights, the pre-trained weights, and the pre-trained weights after ``adapt_steps`` of
    causal-LM training on unlabelled tweets (:func:`adapt_to_domain`). Reports each start's LM
    loss on held-out tweets (the first test texts, as many as probe lines) and on the general
    probe, and the test accuracy after fine-tuning."""
    from transformers import GPT2ForSequenceClassification, GPT2LMHeadModel, set_seed

    source, probe, device = data.profile.model, probe or probe_texts(), data.profile.device
    held_out_tweets = data.raw["test"]["text"][:len(probe)]  # as many tweets as probe lines
    read_tokens = sum(len(ids) + 1 for ids in data.tokenizer(held_out_tweets + probe)["input_ids"])
    announce_runs(data, f"{len(starts)} fine-tunings on {train_size} tweets and {adapt_steps} LM steps",
                  len(starts) * train_size * epochs, len(starts) * len(data.tokenized["test"]), runs=3 * len(starts))
    announce(data.profile, "... and reading the tweets and the probe with each start",
             lm_tokens=len(starts) * read_tokens,
             lm_train_tokens=adapt_steps * 16 * 64 * ("pre-trained + tweet LM" in starts))
    rows = []
    with quiet(), tempfile.TemporaryDirectory(prefix="pitfall-adapted-") as adapted_dir:
        for name in starts:
            set_seed(seed)
            if name == "random init":
                model = GPT2ForSequenceClassification(load_classifier(source, data.tokenizer).config)
                lm = GPT2LMHeadModel(model.config).to(device)  # random too: its LM loss
            elif name == "pre-trained":
                model, lm = load_classifier(source, data.tokenizer), load_language_model(source, device)
            elif name == "pre-trained + tweet LM":
                lm = adapt_to_domain(source, data.tokenizer, unlabelled_tweets(data, tweets), steps=adapt_steps,
                                     learning_rate=adapt_lr or 0.3 * data.profile.learning_rate, seed=seed,
                                     device=device)
                lm.save_pretrained(adapted_dir)  # then from_pretrained, as with any checkpoint
                set_seed(seed)
                model = load_classifier(adapted_dir, data.tokenizer)
            else:
                raise ValueError(f"Unknown start {name!r}; choose from {STARTS}.")
            trainer = train_run(data, data.train_rows(train_size), model=model, seed=seed,
                                num_train_epochs=epochs, eval_strategy="no")
            lm.eval()
            rows.append({"start": name,
                         "tweet LM loss": lm_loss(lm, data.tokenizer, held_out_tweets),
                         "probe LM loss": lm_loss(lm, data.tokenizer, probe),
                         "test accuracy": evaluate_on(trainer, data.tokenized["test"])["test_accuracy"]})
    return pd.DataFrame(rows).set_index("start")


def plot_starting_points(table: pd.DataFrame, baseline: float | None = None):
    """Test accuracy after fine-tuning and the starting model's LM loss on tweets, per start."""
    import matplotlib.pyplot as plt

    fig, (acc_ax, lm_ax) = plt.subplots(1, 2, figsize=(12, 3.4), layout="constrained")
    colors = ["tab:grey", "tab:blue", "tab:green"][: len(table)]
    bars = acc_ax.bar(table.index, table["test accuracy"], color=colors)
    acc_ax.bar_label(bars, fmt="%.3f", fontsize=8)
    if baseline is not None:
        acc_ax.axhline(baseline, color="grey", linestyle=":", label=f"majority baseline {baseline:.2f}")
        legend_outside(acc_ax)
    acc_ax.set(title="test accuracy after the same fine-tuning", ylim=(0, 1))
    width, x = 0.38, np.arange(len(table))
    for i, (column, color) in enumerate((("tweet LM loss", "tab:purple"), ("probe LM loss", "tab:orange"))):
        bars = lm_ax.bar(x + (i - 0.5) * width, table[column], width, color=color, label=column)
        lm_ax.bar_label(bars, fmt="%.2f", fontsize=8)
    lm_ax.set_xticks(x, table.index)
    lm_ax.set(title="the starting model as a language model (nats/token)", ylabel="LM loss")
    legend_outside(lm_ax)
    for ax in (acc_ax, lm_ax):
        ax.grid(axis="y", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
    plt.close(fig)
    return fig
