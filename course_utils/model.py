"""Model and tokenizer loading: GPT-2 with a pad token and a classification head.

Introduced in notebook 04 (notebook 03 shows the tokenizer half). Notebook 04 writes the calls
out (``GPT2ForSequenceClassification.from_pretrained(..., num_labels=3)`` and
``model.config.pad_token_id = ...``); later notebooks, the CLI and the pitfall experiments use
:func:`load_tokenizer` and :func:`load_classifier`, which do the same and add clear errors.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

import pandas as pd

from course_utils.environment import OFFLINE_SWITCHES
from course_utils.schema import ID2LABEL, LABEL2ID, LABELS

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# where Transformers 5 logs the load report (from_pretrained passes its own logger) and the mtime warning
_NOISY_LOGGERS = ("transformers.modeling_utils", "transformers.utils.loading_report", "transformers.trainer_utils")


class _LibraryNoise(logging.Filter):
    """Drops (or, when shown, cleans) the library messages a student cannot act on."""

    show_load_reports = False

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "mtime may not be reliable" in message:  # the Trainer sorting its checkpoints
            return False
        if "LOAD REPORT" in message:
            if not self.show_load_reports:
                return False
            record.msg, record.args = _ANSI.sub("", message), ()  # no raw escape codes in a notebook
        return True


_NOISE = _LibraryNoise()


def quiet_library_output(load_reports: bool = False) -> None:
    """Hide Transformers' per-load LOAD REPORT (or show it without escape codes, ``load_reports=True``),
    its progress bars ("Loading weights", "Writing model shards"), the Datasets bars of ``.map``
    and ``.filter`` (a saved copy of the notebook shows them stuck at 0 %) and the Trainer's
    checkpoint mtime warning. Every notebook calls it after its banner; notebook 04 shows the report once,
    explains it, then hides it. Other warnings stay visible. Safe to call repeatedly."""
    import datasets
    from transformers.utils import logging as hf_logging

    _NOISE.show_load_reports = load_reports
    for name in _NOISY_LOGGERS:
        library_logger = logging.getLogger(name)
        if _NOISE not in library_logger.filters:
            library_logger.addFilter(_NOISE)
    hf_logging.disable_progress_bar()
    datasets.disable_progress_bars()


class ModelSourceError(OSError):
    """A model or tokenizer could not be loaded; the message says why and what to do."""


def safetensors_complete(path: Path) -> bool:
    """True when the file is as long as its header says (8-byte header length, JSON header,
    then the tensors' bytes up to the largest ``data_offsets`` end): a cut-off copy is not."""
    with path.open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(size))
    end = max((entry["data_offsets"][1] for key, entry in header.items() if key != "__metadata__"), default=0)
    return path.stat().st_size == 8 + size + end


def check_model_folder(source: str) -> None:
    """Refuse a local model folder whose files were cut off (a copy or a download that stopped),
    before the library fails on them with a message about headers or about the network."""
    folder = Path(source).expanduser()
    if not folder.is_dir():
        return
    config = folder / "config.json"
    try:
        if config.is_file():
            json.loads(config.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ModelSourceError(f"{config} is not valid JSON: was it cut off while copying? Copy the model "
                               "folder again (or save it again with save_pretrained).") from None
    weights = folder / "model.safetensors"
    try:
        complete = not weights.is_file() or safetensors_complete(weights)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, MemoryError):
        complete = False
    if not complete:
        raise ModelSourceError(f"{weights} is incomplete ({weights.stat().st_size:,} bytes, fewer than its "
                               "header announces): it was cut off while copying or saving. Copy the model "
                               "folder again (or save it again with save_pretrained).")


def _explain(source: str, error: Exception) -> ModelSourceError:
    looks_local = (any(sep in source for sep in ("/", "\\")) or source.startswith(".")
                   or Path(source).expanduser().exists())
    if looks_local and not Path(source).exists():
        return ModelSourceError(
            f"Model folder {source!r} does not exist. Pass a folder written by save_pretrained "
            "(it holds config.json), a Hub id such as 'gpt2', or use COURSE_PROFILE=pocket."
        )
    if looks_local:
        reason = " ".join(str(error).split())[:200]  # the library's message may run over several lines
        return ModelSourceError(f"{source!r} is not a loadable model folder ({reason}). It needs "
                                "config.json and model.safetensors written by save_pretrained.")
    return ModelSourceError(
        f"Could not load {source!r} from the Hugging Face Hub or the local cache ({type(error).__name__}). "
        "With no network, run `python -m course_utils prefetch` once while online, "
        "or use the embedded bundle with COURSE_PROFILE=pocket."
        + (" (Offline mode is on.)" if any(os.environ.get(k) for k in OFFLINE_SWITCHES) else "")
    )


def load_tokenizer(source: str):
    """``AutoTokenizer.from_pretrained(source)`` with GPT-2's missing pad token set to its eos token."""
    from transformers import AutoTokenizer

    check_model_folder(source)
    try:
        tokenizer = AutoTokenizer.from_pretrained(source)
    except (OSError, ValueError) as error:
        raise _explain(source, error) from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_classifier(source: str, tokenizer, num_labels: int = len(LABELS), seed: int | None = 42, **kwargs):
    """``GPT2ForSequenceClassification.from_pretrained`` with the pad token id and label names set.

    Without ``pad_token_id`` the model cannot find the last real token of a padded batch and
    refuses batches larger than one (notebook 04 shows the error). ``seed`` fixes the random
    initialisation of the new classification head (``None`` leaves the global RNG alone).
    """
    from transformers import GPT2ForSequenceClassification, set_seed

    if num_labels != len(LABELS):
        raise ValueError(
            f"num_labels={num_labels} but the tweet data has {len(LABELS)} classes {LABELS}. "
            "Pass num_labels=3 (or relabel the data first)."
        )
    if seed is not None:
        set_seed(seed)
    check_model_folder(source)
    try:
        model = GPT2ForSequenceClassification.from_pretrained(
            source, num_labels=num_labels, id2label=ID2LABEL, label2id=LABEL2ID, **kwargs
        )
    except (OSError, ValueError) as error:
        raise _explain(source, error) from None
    model.config.pad_token_id = tokenizer.pad_token_id
    return without_loss_kwargs(model)


def without_loss_kwargs(model):
    """Tell the ``Trainer`` that ``model``'s loss is a plain mean over the batch (returns it).

    Without this, Transformers 5's Trainer sees the model's ``**kwargs``, assumes the loss is
    normalised by ``num_items_in_batch``, and so multiplies loss and gradients by the gradient
    accumulation steps and by the number of processes.
    """
    model.accepts_loss_kwargs = False
    return model


def freeze_all_but_top(model, blocks: int):
    """Freeze the embeddings and all but the top ``blocks`` transformer blocks (in place); the
    final layer norm and the classification head stay trainable. Returns the model. Notebooks
    07-08 use it on a CPU (fewer weights to update) and to limit forgetting."""
    layers = model.transformer.h
    top = range(max(0, len(layers) - blocks), len(layers))
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith(("score", "transformer.ln_f")) or any(
            name.startswith(f"transformer.h.{i}.") for i in top)
    return model


def parameter_table(model, new_keys: list[str]) -> pd.DataFrame:
    """Parameters per part of the model, and whether each part is pre-trained or new.

    ``new_keys`` are the names ``from_pretrained(..., output_loading_info=True)`` reports as
    missing from the checkpoint (for GPT-2: the classification head ``score.weight``).
    """
    rows = []
    for name, param in model.named_parameters():
        part = ("classification head" if name.startswith("score") else
                "token embeddings" if ".wte." in name else
                "position embeddings" if ".wpe." in name else
                "final layer norm" if ".ln_f." in name else
                f"block {name.split('.h.')[1].split('.')[0]}" if ".h." in name else name)
        rows.append({"part": part, "parameters": param.numel(),
                     "status": "new (random)" if name in new_keys else "pre-trained"})
    table = pd.DataFrame(rows).groupby(["part", "status"], sort=False, as_index=False)["parameters"].sum()
    table["share"] = (table["parameters"] / table["parameters"].sum()).map("{:.2%}".format)
    return table


def read_positions(input_ids, pad_token_id: int):
    """The position whose hidden state GPT2ForSequenceClassification classifies, per row.

    The same rule as the model: the rightmost token whose id is not ``pad_token_id`` (so it works
    with right and left padding). Returns a list of ints.
    """
    import torch

    ids = torch.as_tensor(input_ids)
    positions = torch.arange(ids.shape[-1])
    return ((ids != pad_token_id).int() * positions).argmax(-1).tolist()


def plot_read_positions(tokenizer, batch, pad_token_id: int | None = None,
                        title: str = "Which position the classification head reads"):
    """A padded batch drawn as boxes (one row per text, one box per position): real tokens in
    colour, padding in grey, and the position the model reads (:func:`read_positions`) outlined
    in red. ``batch`` holds ``input_ids`` and ``attention_mask``; ``pad_token_id`` defaults to
    the tokenizer's. A token the plotting font cannot draw (most emoji) shows as ``#id``.
    Returns the matplotlib Figure (closed: display it once)."""
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font
    from matplotlib.patches import Rectangle

    font = FT2Font(findfont(FontProperties()))

    def box_label(token_id: int) -> str:
        text = tokenizer.decode([token_id]).replace(" ", "\u2423")  # a visible space
        if any(font.get_char_index(ord(ch)) == 0 for ch in text):
            return f"#{token_id}"  # e.g. an emoji the plotting font cannot draw: show its id
        return text if len(text) <= 7 else text[:6] + "\u2026"

    pad_token_id = tokenizer.pad_token_id if pad_token_id is None else pad_token_id
    ids = [list(map(int, row)) for row in batch["input_ids"]]
    mask = [list(map(int, row)) for row in batch["attention_mask"]]
    read = read_positions(ids, pad_token_id)
    rows, cols = len(ids), len(ids[0])
    fig, ax = plt.subplots(figsize=(max(4.0, 0.7 * cols + 1.6), 0.75 * rows + 1.1))
    for r in range(rows):
        y = rows - 1 - r
        for c in range(cols):
            real = mask[r][c] == 1
            label = box_label(ids[r][c]) if real else "pad"
            ax.add_patch(Rectangle((c + 0.05, y + 0.25), 0.9, 0.7, facecolor="#9bd0f5" if real else "#e6e6e6",
                                   edgecolor="#d62728" if c == read[r] else "white",
                                   linewidth=3 if c == read[r] else 1))
            ax.text(c + 0.5, y + 0.6, label, ha="center", va="center", fontsize=7,
                    color="black" if real else "#888888")
        ax.text(read[r] + 0.5, y + 0.11, "read", ha="center", va="center", fontsize=7,
                color="#d62728", fontweight="bold")
    ax.set_xlim(0, cols)
    ax.set_ylim(0, rows)
    ax.set_yticks([rows - 1 - r + 0.6 for r in range(rows)], [f"text {r}" for r in range(rows)])
    ax.set_xticks([c + 0.5 for c in range(cols)], range(cols), fontsize=7)
    ids_shown = any(t.get_text().startswith("#") and t.get_text()[1:].isdigit() for t in ax.texts)
    ax.set_xlabel("position (blue: real token, grey: padding, red: the token the head reads)"
                  + ("\n#n: the id of a token the plot's font cannot draw (an emoji)" if ids_shown else ""))
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig
