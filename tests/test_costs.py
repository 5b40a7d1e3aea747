"""The cost lines: arithmetic over the recorded rates, their wording, and the rates file itself."""

import pytest

from course_utils import costs
from course_utils.profiles import get_profile

RATES = {"cpu": {"source": "measured on a test machine", "models": {
    "pocket": dict.fromkeys(costs.UNITS, 100.0), "gpt2": {**dict.fromkeys(costs.UNITS, 10.0), "train": 2.0}}}}


def test_estimate_adds_up_each_kind_of_work():
    small = get_profile("small").replace(device="cpu")
    seconds, source = costs.estimate(small, RATES, train=100, score=50)
    assert seconds == pytest.approx(100 / 2 + 50 / 10) and source == "measured on a test machine"
    pocket = get_profile("pocket").replace(device="cpu")
    assert costs.estimate(pocket, RATES, train=100)[0] == pytest.approx(1.0)


def test_a_device_without_figures_says_so():
    seconds, source = costs.estimate(get_profile("small").replace(device="mps"), RATES, score=10)
    assert seconds == pytest.approx(1.0) and "no figure for mps" in source


def test_announce_prints_one_line_with_the_work_and_its_source(capsys):
    pocket = get_profile("pocket").replace(device="cpu")
    seconds = costs.announce(pocket, "fine-tuning", train=1000, score=500)
    line = capsys.readouterr().out.strip()
    assert "\n" not in line and line.startswith("[cost] fine-tuning: about ")
    assert " | 1,000 tweets trained (all blocks), 500 tweets scored | " in line
    assert seconds > 0 and ("measured on" in line or "estimate" in line)


def test_unknown_work_is_refused():
    with pytest.raises(ValueError, match="Unknown kind of work 'epochs'"):
        costs.announce(get_profile("pocket"), "x", epochs=3)


def test_shipped_rates_cover_every_model_unit_and_device():
    rates = costs.load_rates()
    assert {"cpu", "cuda"} <= set(rates)
    for device, entry in rates.items():
        assert entry["source"].startswith(("measured on", "estimate")), device
        for kind in ("pocket", "gpt2"):
            table = entry["models"][kind]
            assert set(table) == set(costs.UNITS) and all(v > 0 for v in table.values()), (device, kind)
    # gpt2 is far slower than the pocket model on the same machine; scoring is faster than training
    cpu = rates["cpu"]["models"]
    assert cpu["gpt2"]["train"] * 20 < cpu["pocket"]["train"]
    assert cpu["gpt2"]["score"] > cpu["gpt2"]["train"] and cpu["gpt2"]["train_top"] > cpu["gpt2"]["train"]


def test_duration_format():
    assert costs.format_duration(0.2) == "1 s" and costs.format_duration(59.4) == "59 s"
    assert costs.format_duration(125) == "2 min 05 s" and costs.format_duration(125.2, 1) == "2 min 05 s"
    assert costs.format_duration(42, 1) == "42.0 s"
