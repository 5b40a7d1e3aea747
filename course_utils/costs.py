"""What a cell that trains or scores a model will cost, said before it starts.

Used by notebooks 01 and 03-08 (``announce``) and by the pitfall experiments. The figures come
from ``course_utils/rates.json``: throughputs measured by ``python -m course_utils rates`` on a
2-core CPU (like Colab's free runtime) for the pocket model and for GPT-2 124M's shape, and for a
T4 GPU an estimate from floating-point operations (no T4 was available to measure). Each line
names where its figure comes from, so an estimate never passes for a measurement.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

RATES_FILE = Path(__file__).resolve().parent / "rates.json"
# What each kind of work counts, and the rate (units per second) it is divided by.
UNITS = {
    "runs": "model loads",
    "train": "tweets trained (all blocks)",
    "train_top": "tweets trained (top blocks only)",
    "score": "tweets scored",
    "prompts": "few-shot prompts",
    "lm_tokens": "tokens scored by the LM head",
    "lm_train_tokens": "tokens of causal-LM training",
    "padded_tweets": "tweets scored padded to 1,024 tokens",
}


def load_rates(path: Path = RATES_FILE) -> dict:
    return json.loads(Path(path).read_text())


def model_kind(profile) -> str:
    """``pocket`` for the embedded model, ``gpt2`` for gpt2 (or its rehearsal stand-in) and others."""
    return "pocket" if profile.data == "pocket" else "gpt2"


def estimate(profile, rates: dict | None = None, **work: float) -> tuple[float, str]:
    """Seconds that ``work`` (counts keyed like :data:`UNITS`) takes on ``profile``'s model and
    device, and the source of the rates used."""
    rates = rates or load_rates()
    device = profile.device if profile.device in rates else "cpu"
    entry = rates[device]
    kind = model_kind(profile)
    table = entry["models"].get(kind) or entry["models"]["gpt2"]
    seconds = sum(count / table[unit] for unit, count in work.items() if count)
    source = entry["source"] if device == profile.device else f"{entry['source']} (no figure for {profile.device})"
    return seconds, source


def format_duration(seconds: float, decimals: int = 0) -> str:
    """``"42 s"`` (at least ``"1 s"`` with no decimals; ``"42.0 s"`` with one), or ``"2 min 05 s"``
    from a minute on. The cost lines and the ``run`` command's report both speak this way."""
    if seconds < 60:
        return f"{seconds:.{decimals}f} s" if decimals else f"{max(seconds, 1):.0f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s"


def announce(profile, what: str, **work: float) -> float:
    """Print ``[cost] what: about N s on this device | the work | source of the rates``; returns
    the estimated seconds."""
    for unit in work:
        if unit not in UNITS:
            raise ValueError(f"Unknown kind of work {unit!r}; use {', '.join(UNITS)}.")
    seconds, source = estimate(profile, **work)
    done = ", ".join(f"{count:,.0f} {UNITS[unit]}" for unit, count in work.items() if count)
    print(f"[cost] {what}: about {format_duration(seconds)} on {profile.device} | {done} | {source}", flush=True)
    return seconds


# --------------------------------------------------------------------------------- the series
NOTEBOOK_OVERHEAD_S = 15  # per notebook: kernel start, imports, data and tokenizer loading
SWEEP_RATES = 3  # notebook 07's learning-rate sweep: the profile's rate, / 10 and / 100
SEEDS = 3  # 07 repeats its overfitting and early-stopping runs, 08 its 30 % label-noise run, with 3 seeds


def series_work(profile, tokens_per_text: float = 20.0) -> dict[str, dict[str, float]]:
    """The work each notebook announces on ``profile``, per notebook number, computed from the
    profile and its plan. It follows the notebooks' ``announce`` calls (a test compares the two
    on an executed run); texts read by the LM head are counted at ``tokens_per_text`` tokens."""
    plan, epochs = profile.plan, math.ceil(profile.epochs)
    _, val, test = plan.pitfall_pool
    top = "train_top" if plan.trainable_blocks else "train"
    padded = plan.padding_batch_size * (plan.padding_repeats + 1)
    rows, ep = plan.experiment_rows, plan.experiment_epochs
    grid_runs = len(plan.grid_lr_factors) * len(plan.grid_epochs)
    probe = plan.probe_lines * 2 * tokens_per_text  # a probe line is about two tweets long
    return {
        "01": {"prompts": plan.few_shot_n},
        "02": {},
        "03": {"padded_tweets": padded, "score": padded},
        "04": {"score": profile.test_size},
        "05": {"score": profile.test_size},
        "06": {"runs": 3, "train": profile.train_size * epochs, "prompts": plan.few_shot_n,
               "score": profile.val_size * epochs + 3 * profile.test_size},
        "07": {"runs": 2 + (SEEDS - 1) + SWEEP_RATES + grid_runs,  # + one replayed run per extra seed
               top: plan.overfit_rows * plan.overfit_epochs * (SEEDS + 1) + plan.sweep_rows * (
                   SWEEP_RATES * plan.sweep_epochs + len(plan.grid_lr_factors) * sum(plan.grid_epochs)),
               "score": (SEEDS + 1) * val * (plan.overfit_epochs + 1) + (2 + 2 * (SEEDS - 1)) * test + val * (
                   SWEEP_RATES * plan.sweep_epochs + grid_runs) + test},
        "08": {"runs": 10 + 2 + len(plan.noise_shares) + (SEEDS - 1) + 9, "train": 3 * rows * ep,
               top: (2 * rows + plan.leak_rows) * ep + (len(plan.noise_shares) + SEEDS - 1) * rows * ep
               + 3 * plan.start_rows * ep,
               "score": 3 * test + 2 * test + len(plan.noise_shares) * test + rows + (SEEDS - 1) * (test + rows)
               + 3 * test,
               "lm_tokens": 4 * probe + 3 * (probe + plan.probe_lines * tokens_per_text),
               "lm_train_tokens": plan.adapt_steps * 16 * 64},
    }


def estimate_series(profile, rates: dict | None = None) -> dict[str, float]:
    """Seconds per notebook on ``profile``'s device: :func:`series_work` at the recorded rates
    plus :data:`NOTEBOOK_OVERHEAD_S` each."""
    return {number: NOTEBOOK_OVERHEAD_S + estimate(profile, rates, **work)[0]
            for number, work in series_work(profile).items()}


# --------------------------------------------------------------------------------- measuring
def _timed(step, repeats: int) -> float:
    """Median seconds of ``step()`` over ``repeats`` runs, after one warm-up run."""
    import statistics

    step()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(model_dir: str, tokenizer, texts: list[str], device: str = "cpu", top_blocks: int = 2,
            repeats: int = 6) -> dict:
    """Throughputs of one model on ``device`` (units of :data:`UNITS` per second), measured as the
    notebooks work: random batches of real tweets padded per batch (16 to train, 64 to score), a
    180-token few-shot prompt, 64-token LM blocks, tweets padded to 1,024."""
    import random

    import torch
    from transformers import GPT2ForSequenceClassification, GPT2LMHeadModel

    from course_utils.model import freeze_all_but_top

    def classifier(trainable_top: int | None):
        model = GPT2ForSequenceClassification.from_pretrained(model_dir, num_labels=3).to(device)
        model.config.pad_token_id = tokenizer.eos_token_id
        return freeze_all_but_top(model, trainable_top) if trainable_top else model

    sample = random.Random(0).sample(texts, 16 * (repeats + 1) + 64 * (repeats + 1))
    tokenizer.pad_token = tokenizer.eos_token

    def batches(size: int):  # a different batch each call, cycling
        chunks = [sample[i:i + size] for i in range(0, len(sample) - size + 1, size)]
        while True:
            for chunk in chunks:
                yield tokenizer(chunk, padding=True, truncation=True, max_length=128, return_tensors="pt").to(device)

    def train_rate(trainable_top: int | None, batch: int = 16) -> float:
        model = classifier(trainable_top).train()
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5, fused=True)
        feed, labels = batches(batch), torch.zeros(batch, dtype=torch.long, device=device)

        def step():
            model(**next(feed), labels=labels).loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        return batch / _timed(step, repeats)

    def no_grad_rate(model, make_inputs, per_call: float, **kwargs) -> float:
        def step():
            with torch.no_grad():
                model(**make_inputs(), **kwargs)
        return per_call / _timed(step, repeats)

    def padded_rate() -> float:
        """Padded tweets per second as notebook 03's padding benchmark runs them: on one CPU thread."""
        from course_utils.tokens import one_cpu_thread

        with one_cpu_thread(device):
            return no_grad_rate(scorer, fixed((4, 1024)), 4)

    load_seconds = _timed(lambda: classifier(None), 1)
    scorer = classifier(None).eval()
    lm = GPT2LMHeadModel.from_pretrained(model_dir).to(device)
    vocab = lm.config.vocab_size
    lm_optimizer = torch.optim.AdamW(lm.parameters(), lr=1e-5, fused=True)  # as the Trainer (torch >= 2.8)
    blocks = torch.randint(0, vocab, (8, 64), device=device)

    def lm_step():
        lm(input_ids=blocks, labels=blocks).loss.backward()
        lm_optimizer.step()
        lm_optimizer.zero_grad(set_to_none=True)

    lm_train = blocks.numel() / _timed(lm_step, repeats)
    lm.eval()
    scoring, fixed = batches(64), lambda shape: (lambda: {"input_ids": torch.randint(0, vocab, shape, device=device)})
    return {
        "runs": 1 / load_seconds,
        "train": train_rate(None),
        "train_top": train_rate(top_blocks),
        "score": no_grad_rate(scorer, lambda: next(scoring), 64),
        "prompts": no_grad_rate(lm, fixed((1, 180)), 1, logits_to_keep=1),
        "lm_tokens": no_grad_rate(lm, fixed((16, 64)), 16 * 64),
        "lm_train_tokens": lm_train,
        "padded_tweets": padded_rate(),
    }


def print_estimate(name: str) -> int:
    """``rates --estimate NAME``: each notebook's estimated time on that profile (``full``: a T4)."""
    from course_utils.profiles import get_profile

    profile = get_profile(name)
    if name == "full":
        profile = profile.replace(device="cuda", precision="fp16")
    seconds = estimate_series(profile)
    source = estimate(profile)[1]
    for number, value in seconds.items():
        print(f"notebook {number}: about {format_duration(value)}")
    print(f"series: about {format_duration(sum(seconds.values()))} on {profile.device}, with {NOTEBOOK_OVERHEAD_S} s per "
          f"notebook to start and load, not counting downloads ({source})")
    return 0


def main_rates(args) -> int:
    """``python -m course_utils rates``: measure this machine's throughputs into ``rates.json``
    (the pocket model and GPT-2 124M's shape with random weights) under its device kind.
    With ``--estimate PROFILE``, measure nothing and print :func:`estimate_series` instead."""
    if getattr(args, "estimate", None):
        return print_estimate(args.estimate)
    import datetime
    import tempfile

    from transformers.utils import logging as hf_logging

    from course_utils.gpt2_tokenizer import load_gpt2_tokenizer
    from course_utils.pocket import POCKET_DATA_FILES, POCKET_MODEL_DIR
    from course_utils.pocket.build import read_lines
    from course_utils.profiles import detect_device
    from course_utils.records import machine
    from course_utils.rehearsal import standin_model

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
