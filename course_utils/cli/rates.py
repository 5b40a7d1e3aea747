"""``python -m course_utils rates``: measure the throughputs behind the notebooks' cost lines.

Writes ``course_utils/rates.json``, which :mod:`course_utils.costs` reads for every ``[cost]``
line: the pocket model and GPT-2 124M's shape (random weights) on this machine, timed as the
notebooks work. ``--estimate PROFILE`` measures nothing and prints each notebook's estimated time.
"""

from __future__ import annotations

import datetime
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from course_utils.cli.rehearse import standin_model
from course_utils.costs import (
    NOTEBOOK_OVERHEAD_S,
    RATES_FILE,
    estimate,
    estimate_series,
    format_duration,
    load_rates,
)
from course_utils.environment import detect_device
from course_utils.gpt2_tokenizer import load_gpt2_tokenizer
from course_utils.model import freeze_all_but_top
from course_utils.pocket import POCKET_DATA_FILES, POCKET_MODEL_DIR, read_lines
from course_utils.profiles import get_profile
from course_utils.records import machine
from course_utils.tokens import one_cpu_thread


def _timed(step, repeats: int) -> float:
    """Median seconds of ``step()`` over ``repeats`` runs, after one warm-up run."""
    step()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class _Meter:
    """Times one model's steps the way the notebooks run them (see :func:`measure`)."""

    def __init__(self, model_dir: str, tokenizer, texts: list[str], device: str, repeats: int):
        self.model_dir, self.tokenizer, self.device, self.repeats = model_dir, tokenizer, device, repeats
        self.sample = random.Random(0).sample(texts, 16 * (repeats + 1) + 64 * (repeats + 1))
        tokenizer.pad_token = tokenizer.eos_token

    def classifier(self, trainable_top: int | None = None):
        from transformers import GPT2ForSequenceClassification

        model = GPT2ForSequenceClassification.from_pretrained(self.model_dir, num_labels=3).to(self.device)
        model.config.pad_token_id = self.tokenizer.eos_token_id
        return freeze_all_but_top(model, trainable_top) if trainable_top else model

    def batches(self, size: int):
        """A different batch of real tweets, padded per batch, each call (cycling)."""
        chunks = [self.sample[i:i + size] for i in range(0, len(self.sample) - size + 1, size)]
        while True:
            for chunk in chunks:
                yield self.tokenizer(chunk, padding=True, truncation=True, max_length=128,
                                     return_tensors="pt").to(self.device)

    def random_ids(self, shape: tuple[int, int], vocab: int):
        import torch

        return lambda: {"input_ids": torch.randint(0, vocab, shape, device=self.device)}

    def train_rate(self, model, batch: int = 16) -> float:
        """Tweets per second of AdamW steps (fused, as the Trainer on torch >= 2.8)."""
        import torch

        model.train()
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5, fused=True)
        feed = self.batches(batch)
        labels = torch.zeros(batch, dtype=torch.long, device=self.device)

        def step():
            model(**next(feed), labels=labels).loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        return batch / _timed(step, self.repeats)

    def lm_train_rate(self, lm, blocks) -> float:
        """Tokens per second of language-model training steps on 64-token blocks."""
        import torch

        optimizer = torch.optim.AdamW(lm.parameters(), lr=1e-5, fused=True)

        def step():
            lm(input_ids=blocks, labels=blocks).loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        return blocks.numel() / _timed(step, self.repeats)

    def no_grad_rate(self, model, make_inputs, per_call: float, **kwargs) -> float:
        import torch

        def step():
            with torch.no_grad():
                model(**make_inputs(), **kwargs)
        return per_call / _timed(step, self.repeats)


def measure(model_dir: str, tokenizer, texts: list[str], device: str = "cpu", top_blocks: int = 2,
            repeats: int = 6) -> dict:
    """Throughputs of one model on ``device`` (units of :data:`UNITS` per second), measured as the
    notebooks work: random batches of real tweets padded per batch (16 to train, 64 to score), a
    180-token few-shot prompt, 64-token LM blocks, tweets padded to 1,024 (on one CPU thread, as
    notebook 03's padding benchmark runs them)."""
    import torch
    from transformers import GPT2LMHeadModel

    meter = _Meter(model_dir, tokenizer, texts, device, repeats)
    load_seconds = _timed(meter.classifier, 1)
    scorer = meter.classifier().eval()
    lm = GPT2LMHeadModel.from_pretrained(model_dir).to(device)
    vocab = lm.config.vocab_size
    lm_train = meter.lm_train_rate(lm, torch.randint(0, vocab, (8, 64), device=device))
    lm.eval()
    scoring = meter.batches(64)
    with one_cpu_thread(device):
        padded = meter.no_grad_rate(scorer, meter.random_ids((4, 1024), vocab), 4)
    return {
        "runs": 1 / load_seconds,
        "train": meter.train_rate(meter.classifier()),
        "train_top": meter.train_rate(meter.classifier(top_blocks)),
        "score": meter.no_grad_rate(scorer, lambda: next(scoring), 64),
        "prompts": meter.no_grad_rate(lm, meter.random_ids((1, 180), vocab), 1, logits_to_keep=1),
        "lm_tokens": meter.no_grad_rate(lm, meter.random_ids((16, 64), vocab), 16 * 64),
        "lm_train_tokens": lm_train,
        "padded_tweets": padded,
    }


def print_estimate(name: str) -> int:
    """``rates --estimate NAME``: each notebook's estimated time on that profile (``full``: a T4)."""
    profile = get_profile(name)
    if name == "full":
        profile = profile.replace(device="cuda", precision="fp16")
    seconds = estimate_series(profile)
    source = estimate(profile)[1]
    for number, value in seconds.items():
        print(f"notebook {number}: about {format_duration(value)}")
    print(f"series: about {format_duration(sum(seconds.values()))} on {profile.device}, "
          f"with {NOTEBOOK_OVERHEAD_S} s per "
          f"notebook to start and load, not counting downloads ({source})")
    return 0


def main_rates(args) -> int:
    """``python -m course_utils rates``: measure this machine's throughputs into ``rates.json``
    (the pocket model and GPT-2 124M's shape with random weights) under its device kind.
    With ``--estimate PROFILE``, measure nothing and print :func:`estimate_series` instead."""
    if getattr(args, "estimate", None):
        return print_estimate(args.estimate)
    from transformers.utils import logging as hf_logging

    device = detect_device()
    tokenizer = load_gpt2_tokenizer()
    texts = [json.loads(line)["text"] for line in read_lines(Path(POCKET_DATA_FILES["train"]))]
    rates = load_rates() if RATES_FILE.exists() else {}
    info = machine()
    hf_logging.set_verbosity_error()  # no load report per model loaded
    hf_logging.disable_progress_bar()
    with tempfile.TemporaryDirectory() as folder:
        standin_model().save_pretrained(folder)
        models = {"pocket": measure(str(POCKET_MODEL_DIR), tokenizer, texts, device),
                  "gpt2": measure(folder, tokenizer, texts, device)}
    where = info["gpu"] or f"{info['cpu']}, {info['cores']} cores"
    rates[device] = {"source": f"measured on {where}, {datetime.date.today()}",
                     "models": {kind: {unit: round(value, 3) for unit, value in table.items()}
                                for kind, table in models.items()}}
    RATES_FILE.write_text(json.dumps(rates, indent=2) + "\n")
    print(json.dumps(rates[device], indent=2))
    return 0
