"""How big each notebook's extra experiments are, per profile: the few-shot baseline, the padding
benchmark, and the pitfall runs of notebooks 07 and 08.

Introduced with the profiles (every notebook's banner); notebooks 01, 03, 06, 07 and 08 read
``profile.plan``. The lesson's own sizes (train / validation / test subsets, epochs, learning
rate) live on the :class:`~course_utils.profiles.Profile` itself; a plan sizes what comes on top,
so that each notebook fits its profile's time budget: seconds on ``pocket``, at most 5 minutes a
notebook on a 2-core CPU with GPT-2 124M (``small``), a few minutes for the series on a T4 (``full``).
``COURSE_PLAN=tiny`` swaps in the smallest plan that still runs every cell (the trimmed rehearsal).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """Sizes of the experiments around the lesson (rows, epochs, repeats) for one profile."""

    few_shot_n: int  # test tweets scored by few-shot prompting (01, 06)
    padding_batch_size: int  # tweets per batch in the padding benchmark (03)
    padding_repeats: int  # timed forward passes per padding recipe, after one warm-up (03)
    pitfall_pool: tuple[int, int, int]  # train / validation / test rows drawn for 07 and 08
    trainable_blocks: int | None  # 07/08 train only the top N transformer blocks (None: all of them)
    overfit_rows: int  # 07: few rows ...
    overfit_epochs: int  # ... many epochs
    sweep_rows: int  # 07: rows per learning-rate and grid run
    sweep_epochs: int  # 07: epochs of the learning-rate sweep
    grid_lr_factors: tuple[float, ...]  # 07: grid learning rates, as multiples of the profile's
    grid_epochs: tuple[int, ...]  # 07: grid epochs
    experiment_rows: int  # 08: training rows of the forgetting, leakage and noise runs
    experiment_epochs: int  # 08: their epochs
    probe_lines: int  # 08: lines of general text in the forgetting probe
    leak_rows: int  # 08: test rows copied into the training set
    noise_shares: tuple[float, ...]  # 08: shares of flipped training labels
    start_rows: int  # 08: training rows of the starting-point comparison
    adapt_steps: int  # 08: causal-LM steps on unlabelled tweets (domain adaptation)

    def replace(self, **changes) -> Plan:
        return dataclasses.replace(self, **changes)


# Sized so that the whole pocket series stays within 3 minutes on 2 CPU cores, with three seeds for
# the remedies whose effect one run cannot show (early stopping in 07, finding flipped labels in 08).
POCKET_PLAN = Plan(
    few_shot_n=200, padding_batch_size=4, padding_repeats=3, pitfall_pool=(500, 300, 500),
    trainable_blocks=None, overfit_rows=80, overfit_epochs=8, sweep_rows=300, sweep_epochs=3,
    grid_lr_factors=(1 / 3, 1, 3), grid_epochs=(1, 3), experiment_rows=350, experiment_epochs=3,
    probe_lines=100, leak_rows=200, noise_shares=(0.0, 0.3, 0.5), start_rows=250, adapt_steps=3,
)

# GPT-2 124M on a T4: about the pocket plan's sizes (the model is 150x larger, the GPU ~100x faster).
FULL_PLAN = POCKET_PLAN.replace(few_shot_n=150, adapt_steps=50, padding_batch_size=16,
                                padding_repeats=5, sweep_rows=500,
                                experiment_rows=500, noise_shares=(0.0, 0.1, 0.3, 0.5), overfit_epochs=12,
                                start_rows=300, overfit_rows=100, probe_lines=200)

# GPT-2 124M on 2 CPU cores: each notebook within 5 minutes (measured; see the README). The
# pitfall runs train the top 2 of 12 blocks (3.3x faster per tweet than all of them). Smaller
# overfitting, sweep and experiment runs pay for the extra seeds of 07 and 08.
SMALL_PLAN = POCKET_PLAN.replace(
    few_shot_n=60, padding_batch_size=4, padding_repeats=2, pitfall_pool=(400, 100, 150),
    trainable_blocks=2, overfit_rows=40, overfit_epochs=4, sweep_rows=48, sweep_epochs=2,
    grid_lr_factors=(1 / 3, 1, 3), grid_epochs=(1, 2), experiment_rows=64, experiment_epochs=2,
    probe_lines=40, leak_rows=48, noise_shares=(0.0, 0.3), start_rows=80, adapt_steps=2,
)

# The trimmed rehearsal (CI): every cell runs, nothing is meant to be learned.
TINY_PLAN = Plan(
    few_shot_n=6, padding_batch_size=2, padding_repeats=1, pitfall_pool=(48, 24, 24),
    trainable_blocks=1, overfit_rows=16, overfit_epochs=3, sweep_rows=16, sweep_epochs=1,
    grid_lr_factors=(1, 3), grid_epochs=(1,), experiment_rows=16, experiment_epochs=1,
    probe_lines=8, leak_rows=8, noise_shares=(0.0, 0.3), start_rows=16, adapt_steps=2,
)

PLANS = {"pocket": POCKET_PLAN, "small": SMALL_PLAN, "full": FULL_PLAN, "tiny": TINY_PLAN}
