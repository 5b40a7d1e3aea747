"""Causal-language-model pre-training and loss, as the pocket model was made.

Introduced in notebook 08: its domain-adaptation run continues pre-training on unlabelled tweets
with :func:`pretrain`, and its forgetting probe measures :func:`lm_loss` (mean nats per token;
perplexity is its exponential). The pocket bundle's builder (``pocket_builder/build.py``, outside
the package) pre-trained the shipped tiny GPT-2 with the same functions.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


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
