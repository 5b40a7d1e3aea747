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
