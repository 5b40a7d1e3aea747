"""Model and tokenizer loading: GPT-2 with a pad token and a classification head.

Introduced in notebook 04 (notebook 03 shows the tokenizer half). Notebook 04 writes the calls
out (``GPT2ForSequenceClassification.from_pretrained(..., num_labels=3)`` and
``model.config.pad_token_id = ...``); later notebooks, the CLI and the pitfall experiments use
:func:`load_tokenizer` and :func:`load_classifier`, which do the same and add clear errors.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from course_utils.data import ID2LABEL, LABEL2ID, LABELS
from course_utils.profiles import OFFLINE_SWITCHES


class ModelSourceError(OSError):
    """A model or tokenizer could not be loaded; the message says why and what to do."""


def _explain(source: str, error: Exception) -> ModelSourceError:
    looks_local = any(sep in source for sep in ("/", "\\")) or source.startswith(".")
    if looks_local and not Path(source).exists():
        return ModelSourceError(
            f"Model folder {source!r} does not exist. Pass a folder written by save_pretrained "
            "(it holds config.json), a Hub id such as 'gpt2', or use COURSE_PROFILE=pocket."
        )
    if looks_local:
        return ModelSourceError(f"{source!r} is not a loadable model folder ({error}). It needs "
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

    try:
        tokenizer = AutoTokenizer.from_pretrained(source)
    except (OSError, ValueError) as error:
        raise _explain(source, error) from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_classifier(source: str, tokenizer, num_labels: int = len(LABELS), **kwargs):
    """``GPT2ForSequenceClassification.from_pretrained`` with the pad token id and label names set.

    Without ``pad_token_id`` the model cannot find the last real token of a padded batch and
    refuses batches larger than one (notebook 04 shows the error).
    """
    from transformers import GPT2ForSequenceClassification

    if num_labels != len(LABELS):
        raise ValueError(
            f"num_labels={num_labels} but the tweet data has {len(LABELS)} classes {LABELS}. "
            "Pass num_labels=3 (or relabel the data first)."
        )
    try:
        model = GPT2ForSequenceClassification.from_pretrained(
            source, num_labels=num_labels, id2label=ID2LABEL, label2id=LABEL2ID, **kwargs
        )
    except (OSError, ValueError) as error:
        raise _explain(source, error) from None
    model.config.pad_token_id = tokenizer.pad_token_id
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
