"""Build the pocket bundle: synthetic data and a tiny GPT-2 pre-trained with GPT-2's own tokenizer.

``python -m pocket_builder build`` (from the repository's root) runs :func:`build_bundle`: it writes the
synthetic tweets (:mod:`pocket_builder.tweets`), pre-trains a small ``GPT2LMHeadModel`` by causal language
modelling on the unlabelled text, tokenised with GPT-2's own tokenizer
(:mod:`course_utils.gpt2_tokenizer`), and saves the model with ``save_pretrained`` beside a copy
of the tokenizer files, so the notebooks load both with the very calls used for ``gpt2``:
``AutoTokenizer.from_pretrained(folder)`` and ``GPT2ForSequenceClassification.from_pretrained(folder)``.
Deterministic: one thread, fixed seeds. Every notebook uses the result on the ``pocket`` profile.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from course_utils.gpt2_tokenizer import GPT2_TOKENIZER_DIR, TOKENIZER_FILES, load_gpt2_tokenizer
from course_utils.pocket import (
    POCKET_DATA_DIR,
    POCKET_MODEL_DIR,
    pretraining_texts,
)
from course_utils.pretraining import TinyConfig, new_model, pack_blocks, pretrain
from pocket_builder import model_report, tweets
from pocket_builder.model_report import REPORT


def build_bundle(config: TinyConfig | None = None, model_dir: Path = POCKET_MODEL_DIR,
                 write_data: bool = True, measure_model: bool = True, threads: int = 2) -> dict:
    """Write the tweets, pre-train the model on English and tweets with GPT-2's tokenizer, save
    both, then measure them (:mod:`pocket_builder.model_report`); returns the report."""
    config = config or TinyConfig()
    import torch

    started = time.perf_counter()
    if write_data:
        tweets.write_pocket_data(POCKET_DATA_DIR)
    corpus, english_probe, unlabelled = pretraining_texts()
    tokenizer = load_gpt2_tokenizer()

    # The same bytes for the same thread count (it changes the order of float sums); two threads,
    # like Colab's free CPU runtime and the machines this course is built on.
    torch.set_num_threads(threads)
    blocks = pack_blocks(random.Random(config.seed).sample(corpus, len(corpus)), tokenizer, config.block_size)
    model = new_model(config, tokenizer)
    losses = pretrain(model, blocks, config)

    if model_dir.exists():
        shutil.rmtree(model_dir)
    model.save_pretrained(model_dir, safe_serialization=True)
    for name in TOKENIZER_FILES:  # GPT-2's tokenizer beside the weights: from_pretrained(folder)
        shutil.copy(GPT2_TOKENIZER_DIR / name, model_dir / name)
    pretrain_seconds = time.perf_counter() - started
    report = {
        "config": asdict(config),
        "threads": threads,
        "parameters": sum(p.numel() for p in model.parameters()),
        "pretraining_text": {"english_passages": len(corpus) - len(unlabelled),
                             "unlabelled_tweets": len(unlabelled), "blocks": len(blocks),
                             "tokens_seen": config.steps * config.batch_size * config.block_size},
        "final_train_loss": round(sum(losses[-50:]) / 50, 4),
        "bundle_bytes": sum(p.stat().st_size for p in model_dir.iterdir() if p.name != REPORT),
    }
    if measure_model:
        report.update(model_report.measure_bundle(model_dir, english_probe))
    (model_dir / REPORT).write_text(json.dumps(report, indent=2) + "\n")  # no timings: they vary
    print(json.dumps(report, indent=2))
    print(f"pre-training and saving took {pretrain_seconds:.0f} s; "
          f"the whole build {time.perf_counter() - started:.0f} s")
    return report
