"""``rates``' measurement: every throughput the cost lines use is measured, finite and positive.
Which unit is faster is a timing, left to ``python -m course_utils rates`` on a quiet machine (a
loaded machine can reverse it)."""

import math

import pytest

from course_utils.cli.rates import measure
from course_utils.costs import UNITS
from course_utils.pocket import POCKET_MODEL_DIR


@pytest.mark.slow
def test_measure_gives_every_unit_a_positive_rate(pocket_tokenizer, pocket_splits):
    texts = pocket_splits["train"]["text"][:200]
    rates = measure(str(POCKET_MODEL_DIR), pocket_tokenizer, texts, repeats=1)
    assert set(rates) == set(UNITS)
    assert all(math.isfinite(rate) and rate > 0 for rate in rates.values()), rates
