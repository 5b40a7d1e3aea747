"""Each profile's plan fits the notebooks that read it."""

import pytest

from course_utils.plan import PLANS
from course_utils.pocket import PROBE_PASSAGES


@pytest.mark.parametrize("name", sorted(PLANS))
def test_plan_fits_the_notebooks(name):
    plan = PLANS[name]
    train, val, test = plan.pitfall_pool
    assert max(plan.overfit_rows, plan.sweep_rows, plan.experiment_rows, plan.start_rows) <= train
    assert plan.leak_rows < test and val > 0
    assert 0.0 in plan.noise_shares and 0.3 in plan.noise_shares  # 08 compares with 0 % and inspects 30 %
    assert 1 in plan.grid_lr_factors and plan.grid_epochs == tuple(sorted(plan.grid_epochs))
    assert len(plan.grid_lr_factors) * len(plan.grid_epochs) >= 2  # 07 compares the winner with a runner-up
    assert 1 <= plan.probe_lines <= PROBE_PASSAGES  # the probe is the held-out tail of the general text
    assert plan.overfit_epochs >= 3  # early stopping with patience 2 needs room to stop early
    assert plan.trainable_blocks is None or plan.trainable_blocks >= 1


def test_the_cpu_profile_is_the_smallest_real_one():
    small, full = PLANS["small"], PLANS["full"]
    assert small.trainable_blocks and full.trainable_blocks is None
    assert small.pitfall_pool < full.pitfall_pool and small.few_shot_n < full.few_shot_n
