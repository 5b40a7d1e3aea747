"""Build the pocket bundle: synthetic data, a byte-level BPE tokenizer and a tiny pre-trained GPT-2.

``python -m course_utils pocket build`` runs :func:`build_bundle`: it writes the synthetic tweets
(:mod:`course_utils.pocket.tweets`), trains a GPT-2-style byte-level BPE tokenizer on the
unlabelled text with ``tokenizers``, pre-trains a small ``GPT2LMHeadModel`` by causal language
modelling on that text, and saves both with ``save_pretrained`` so the notebooks load them with
the very calls used for ``gpt2``: ``AutoTokenizer.from_pretrained(folder)`` and
``GPT2ForSequenceClassification.from_pretrained(folder)``. Deterministic for a given machine
and thread count. Every notebook uses the result on the ``pocket`` profile.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from course_utils.pocket import (
    POCKET_DATA_DIR,
    POCKET_GENERAL_FILE,
    POCKET_MODEL_DIR,
    POCKET_UNLABELLED_FILE,
)

EOS = "<|endoftext|>"
REPORT = "build_report.json"


@dataclass(frozen=True)
class TinyConfig:
    """Size and pre-training budget of the pocket model (GPT-2's shape, scaled down)."""

    vocab_size: int = 4096
    n_positions: int = 1024  # like GPT-2, so padding to max_length costs what it costs there
    n_embd: int = 96
    n_layer: int = 3
    n_head: int = 4
    block_size: int = 64  # tokens per pre-training sequence (several tweets packed together)
    batch_size: int = 32
    steps: int = 600
    learning_rate: float = 3e-3
    warmup_steps: int = 50
    seed: int = 0


def read_lines(path: Path) -> list[str]:
    """The non-empty lines of a UTF-8 text file."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def train_tokenizer(texts: list[str], vocab_size: int):
    """Train a GPT-2-style byte-level BPE on ``texts``; returns a ``GPT2Tokenizer``.

    The tokenizer has GPT-2's single special token ``<|endoftext|>`` (bos = eos = unk), no pad
    token (exactly like ``gpt2``: notebook 03 shows why and fixes it) and a
    ``model_max_length`` of 1,024.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Tokenizer

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=[EOS], min_frequency=2,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    bpe.train_from_iterator(texts, trainer=trainer)
    state = json.loads(bpe.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in state["merges"]]
    return GPT2Tokenizer(vocab=state["vocab"], merges=merges, model_max_length=1024)


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


def pretrain(model, blocks: list[list[int]], config: TinyConfig, log_every: int = 250) -> list[float]:
    """Causal-LM pre-training: AdamW, linear warm-up then cosine decay. Returns the loss curve."""
    import torch

    torch.manual_seed(config.seed)
    order = random.Random(config.seed)
    data = torch.tensor(blocks, dtype=torch.long)
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
            batch = torch.tensor(blocks[start:start + 64], dtype=torch.long)
            total += model(input_ids=batch, labels=batch).loss.item() * len(batch)
            count += len(batch)
    return total / max(count, 1)


def build_bundle(config: TinyConfig = TinyConfig(), model_dir: Path = POCKET_MODEL_DIR,
                 write_data: bool = True) -> dict:
    """Write the data, train the tokenizer, pre-train the model, save both; returns a report."""
    import torch

    from course_utils.pocket import tweets

    started = time.perf_counter()
    if write_data:
        tweets.write_pocket_data(POCKET_DATA_DIR)
    unlabelled, general = read_lines(POCKET_UNLABELLED_FILE), read_lines(POCKET_GENERAL_FILE)
    held_out = general[-400:]  # kept out of pre-training: the general-text probe
    corpus = unlabelled + general[:-400]
    tokenizer = train_tokenizer(corpus, config.vocab_size)
    print(f"tokenizer: {len(tokenizer)} tokens ({time.perf_counter() - started:.1f} s)", flush=True)

    # One thread: the same bytes on any machine (thread count changes float summation order).
    torch.set_num_threads(1)
    blocks = pack_blocks(random.Random(config.seed).sample(corpus, len(corpus)), tokenizer, config.block_size)
    model = new_model(config, tokenizer)
    loss_before = lm_loss(model, tokenizer, held_out)
    losses = pretrain(model, blocks, config)
    loss_after = lm_loss(model, tokenizer, held_out)

    model_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(model_dir, safe_serialization=True)
    tokenizer.save_pretrained(model_dir)
    report = {
        "config": asdict(config),
        "parameters": sum(p.numel() for p in model.parameters()),
        "pretraining_blocks": len(blocks),
        "pretraining_tokens_seen": config.steps * config.batch_size * config.block_size,
        "final_train_loss": round(sum(losses[-50:]) / 50, 4),
        "probe_loss_random_init": round(loss_before, 4),
        "probe_loss_pretrained": round(loss_after, 4),
        "bundle_bytes": sum(p.stat().st_size for p in model_dir.iterdir() if p.name != REPORT),
    }
    (model_dir / REPORT).write_text(json.dumps(report, indent=2) + "\n")  # no timings: deterministic
    print(json.dumps(report, indent=2))
    print(f"pocket bundle built in {time.perf_counter() - started:.0f} s")
    return report


def compare_init(train_sizes: tuple[int, ...] = (250, 1000), epochs: float | None = None,
                 seed: int = 42) -> dict[int, dict[str, dict]]:
    """Fine-tune the pocket model from its pre-trained weights and from random initialisation
    (same architecture, data, budget and seed) for each train size; returns the test metrics.

    This is what makes "pre-trained" true at pocket scale; the pitfalls notebook repeats it.
    """
    import tempfile

    import torch
    from transformers import GPT2ForSequenceClassification

    from course_utils.data import load_tweets, make_subsets
    from course_utils.model import load_classifier, load_tokenizer
    from course_utils.profiles import get_profile
    from course_utils.training import finetune, tokenize_dataset

    profile = get_profile("pocket")
    profile = profile.replace(epochs=epochs or profile.epochs)
    tokenizer = load_tokenizer(profile.model)
    data = load_tweets(profile)
    results: dict[int, dict[str, dict]] = {}
    for size in train_sizes:
        splits = make_subsets(data, size, profile.val_size, profile.test_size)
        tokenized = tokenize_dataset(splits, tokenizer, profile.max_length)
        results[size] = {}
        for start in ("pre-trained", "random init"):
            model = load_classifier(profile.model, tokenizer, seed=seed)
            if start == "random init":
                torch.manual_seed(seed)
                model = GPT2ForSequenceClassification(model.config)
            with tempfile.TemporaryDirectory() as out:
                trainer = finetune(model, tokenizer, tokenized["train"], tokenized["validation"], profile, out)
                results[size][start] = trainer.evaluate(tokenized["test"], metric_key_prefix="test")
    return results


def print_comparison(results: dict[int, dict[str, dict]]) -> None:
    """Print the test accuracy and macro-F1 of each starting point, per train size."""
    for size, runs in results.items():
        for start, metrics in runs.items():
            print(f"train {size:>5} | {start:>12}: test accuracy {metrics['test_accuracy']:.3f}, "
                  f"macro-F1 {metrics['test_macro_f1']:.3f}")
