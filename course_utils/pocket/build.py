"""Build the pocket bundle: synthetic data and a tiny GPT-2 pre-trained with GPT-2's own tokenizer.

``python -m course_utils pocket build`` runs :func:`build_bundle`: it writes the synthetic tweets
(:mod:`course_utils.pocket.tweets`), pre-trains a small ``GPT2LMHeadModel`` by causal language
modelling on the unlabelled text, tokenised with GPT-2's own tokenizer
(:mod:`course_utils.gpt2_tokenizer`), and saves the model with ``save_pretrained`` beside a copy
of the tokenizer files, so the notebooks load both with the very calls used for ``gpt2``:
``AutoTokenizer.from_pretrained(folder)`` and ``GPT2ForSequenceClassification.from_pretrained(folder)``.
Deterministic: one thread, fixed seeds. Every notebook uses the result on the ``pocket`` profile.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from course_utils.gpt2_tokenizer import GPT2_TOKENIZER_DIR, TOKENIZER_FILES, load_gpt2_tokenizer
from course_utils.pocket import (
    POCKET_DATA_DIR,
    POCKET_ENGLISH_FILE,
    POCKET_MODEL_DIR,
    POCKET_UNLABELLED_FILE,
)

REPORT = "build_report.json"


@dataclass(frozen=True)
class TinyConfig:
    """Size and pre-training budget of the pocket model (GPT-2's shape, scaled down)."""

    n_positions: int = 1024  # like GPT-2, so padding to max_length costs what it costs there
    n_embd: int = 96
    n_layer: int = 4
    n_head: int = 4
    block_size: int = 64  # tokens per pre-training sequence (several tweets packed together)
    batch_size: int = 32
    steps: int = 3000
    learning_rate: float = 3e-3
    warmup_steps: int = 100
    seed: int = 0
    # Three phases of the softmax, cheapest first (the output layer dominates a CPU step): over
    # the tokens of the batch only (about 1,000; ~8x faster), then over every token of the
    # pre-training text (about 25,000), and the last steps over all 50,257, which teaches the model
    # to give the tokens it never saw a low probability. None: every step full.
    batch_softmax_steps: int = 2600
    full_softmax_steps: int | None = 60


def read_lines(path: Path) -> list[str]:
    """The non-empty lines of a UTF-8 text file."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pack_blocks(texts: list[str], tokenizer, block_size: int) -> list[list[int]]:
    """Concatenate the tokenised texts, separated by ``<|endoftext|>``, into equal blocks."""
    stream: list[int] = []
    for ids in tokenizer(texts)["input_ids"]:
        stream.extend(ids + [tokenizer.eos_token_id])
    return [stream[i:i + block_size] for i in range(0, len(stream) - block_size + 1, block_size)]


def new_model(config: TinyConfig, tokenizer):
    """A randomly initialised ``GPT2LMHeadModel`` of the pocket size."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(config.seed)
    gpt_config = GPT2Config(
        vocab_size=len(tokenizer), n_positions=config.n_positions, n_embd=config.n_embd,
        n_layer=config.n_layer, n_head=config.n_head,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
    )
    return GPT2LMHeadModel(gpt_config)


def restricted_lm_loss(model, batch, used, position):
    """Next-token cross-entropy over the ``used`` token ids only (``position`` maps a token id to
    its index in ``used``): the logits of the other tokens are never computed."""
    import torch.nn.functional as F

    hidden = model.transformer(input_ids=batch).last_hidden_state[:, :-1]
    logits = hidden @ model.transformer.wte.weight[used].T  # GPT-2's output layer is wte, tied
    return F.cross_entropy(logits.reshape(-1, len(used)), position[batch[:, 1:]].reshape(-1))


def pretrain(model, blocks: list[list[int]], config: TinyConfig, log_every: int = 250) -> list[float]:
    """Causal-LM pre-training: AdamW, linear warm-up then cosine decay; the first steps with the
    softmax restricted to the tokens of the batch, then of ``blocks`` (see ``TinyConfig``).
    Returns the loss curve."""
    import torch

    torch.manual_seed(config.seed)
    order = random.Random(config.seed)
    data = torch.tensor(blocks, dtype=torch.long, device=model.device)
    used = torch.unique(data)
    position = torch.full((model.config.vocab_size,), -100, dtype=torch.long, device=model.device)
    position[used] = torch.arange(len(used), device=model.device)
    full_from = config.steps - (config.steps if config.full_softmax_steps is None else config.full_softmax_steps)
    corpus_from = min(config.batch_softmax_steps, full_from)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.01)

    def lr_factor(step: int) -> float:
        if step < config.warmup_steps:
            return (step + 1) / config.warmup_steps
        progress = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
        return 0.5 * (1 + math.cos(math.pi * progress))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    model.train()
    losses = []
    indices: list[int] = []
    for step in range(config.steps):
        if len(indices) < config.batch_size:
            indices = list(range(len(data)))
            order.shuffle(indices)
        batch = data[[indices.pop() for _ in range(config.batch_size)]]
        if step < corpus_from:
            in_batch = torch.unique(batch)
            batch_position = torch.full_like(position, -100)
            batch_position[in_batch] = torch.arange(len(in_batch), device=model.device)
            loss = restricted_lm_loss(model, batch, in_batch, batch_position)
        elif step < full_from:
            loss = restricted_lm_loss(model, batch, used, position)
        else:
            loss = model(input_ids=batch, labels=batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        if log_every and (step + 1) % log_every == 0:
            recent = sum(losses[-log_every:]) / log_every
            print(f"  pre-training step {step + 1}/{config.steps}: LM loss {recent:.3f}", flush=True)
    model.eval()
    return losses


def lm_loss(model, tokenizer, texts: list[str], block_size: int = 64) -> float:
    """Mean causal-LM loss (nats per token) of ``model`` on ``texts``; exp() of it is perplexity."""
    import torch

    blocks = pack_blocks(texts, tokenizer, block_size)
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(blocks), 64):
            batch = torch.tensor(blocks[start:start + 64], dtype=torch.long, device=model.device)
            total += model(input_ids=batch, labels=batch).loss.item() * len(batch)
            count += len(batch)
    return total / max(count, 1)


def pretraining_texts() -> tuple[list[str], list[str], list[str]]:
    """``(corpus, english_probe, tweets)``: the pre-training corpus (English passages less the
    held-out ones, then the unlabelled tweets), the held-out English passages, the tweets."""
    from course_utils.pocket import english

    unlabelled = read_lines(POCKET_UNLABELLED_FILE)
    train_english, held_out = english.held_out_split(read_lines(POCKET_ENGLISH_FILE))
    return train_english + unlabelled, held_out, unlabelled


def build_bundle(config: TinyConfig = TinyConfig(), model_dir: Path = POCKET_MODEL_DIR,
                 write_data: bool = True, measure_model: bool = True, threads: int = 2) -> dict:
    """Write the tweets, pre-train the model on English and tweets with GPT-2's tokenizer, save
    both, then measure them (:mod:`course_utils.pocket.model_report`); returns the report."""
    import torch

    from course_utils.pocket import model_report, tweets

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
