"""The ``bench`` command: the tutorial's recipe against the course's, on the pocket model."""

import json

import pytest

from course_utils.cli import build_parser
from course_utils.cli.bench import choose_model, format_table, main_bench
from course_utils.environment import STANDIN_LABEL


def run_bench(argv, capsys):
    code = main_bench(build_parser().parse_args(["bench", *argv]))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
def test_speed_on_pocket_reports_speedups_padding_and_memory(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    code, out, err = run_bench(["--model", "pocket", "--samples", "8"], capsys)
    assert code == 0, err
    assert "train samples/s" in out and "tokens per real token (train)" in out
    result = json.loads(out.strip().splitlines()[-1])
    assert result["seed_samples"] == result["course_samples"] == 8
    # Speed-ups are benchmark figures, not test assertions: 8 tweets on a loaded CI machine can
    # time either way (an eval speed-up of 0.62 was seen once). Check that each is the ratio of
    # the two measured rates, and that the record holds exactly what was printed.
    for kind in ("train", "eval"):
        ratio = result[f"course_{kind}_samples_per_second"] / result[f"seed_{kind}_samples_per_second"]
        assert result[f"{kind}_speedup"] == pytest.approx(ratio, rel=0.01)
    record = json.loads((tmp_path / "bench" / "pocket-cpu.json").read_text())
    assert record["result"] == result and record["machine"]["cores"] >= 1
    assert "recorded in" in out
    assert result["seed_tokens_per_real_token"] > 10  # every tweet padded to 1,024 tokens
    assert 1 <= result["course_tokens_per_real_token"] < 3
    assert result["seed_peak_memory_mb"] > 0 and result["course_peak_memory_mb"] > 0
    assert result["weights"] == "pocket" and "pocket" in result["model"]
    assert result["data"] == "pocket synthetic tweets"


@pytest.mark.slow
def test_accuracy_mode_trains_both_recipes_on_the_same_data(capsys):
    code, out, err = run_bench(["--model", "pocket", "--accuracy", "--train-size", "8",
                                "--test-size", "8", "--epochs", "1"], capsys)
    assert code == 0, err
    assert "test accuracy" in out and "accuracy parity: 8 training tweets, 8 test tweets" in out
    result = json.loads(out.strip().splitlines()[-1])
    for recipe in ("seed", "course"):  # scored on exactly the 8 test tweets
        assert result[f"{recipe}_accuracy"] * 8 == pytest.approx(round(result[f"{recipe}_accuracy"] * 8))
    assert result["test_samples"] == 8
    from course_utils.profiles import get_profile

    assert result["epochs"] == 1 and result["learning_rate"] == pytest.approx(get_profile("pocket").learning_rate)


def test_gpt2_offline_falls_back_to_the_124m_shape_and_says_so():
    from course_utils.cli.bench_recipes import _load

    model = choose_model("gpt2")  # tests run offline (conftest), with no gpt2 in the cache
    assert model["kind"] == "random-gpt2" and STANDIN_LABEL in model["label"]
    tokenizer, network = _load({"model": model})
    assert 124e6 < sum(p.numel() for p in network.parameters()) < 125e6
    assert network.config.n_positions == 1024 and network.config.vocab_size == 50257
    assert network.config.course_standin == STANDIN_LABEL
    assert tokenizer("Hello world")["input_ids"] == [15496, 995]  # gpt2's own tokenizer


def test_a_missing_model_folder_is_a_one_line_error(capsys):
    code, _, err = run_bench(["--model", "./no_such_folder"], capsys)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1


def test_table_shows_ratios():
    row = {"batch_size": 1, "eval_batch_size": 1, "precision": "fp32", "train_samples": 8, "eval_samples": 8,
           "train_samples_per_second": 0.5, "eval_samples_per_second": 2.0,
           "tokens_per_real_token": 60.0, "eval_tokens_per_real_token": 60.0,
           "peak_memory_mb": 900.0, "memory_kind": "peak RSS", "accuracy": 0.5}
    course = {**row, "batch_size": 32, "train_samples_per_second": 40.0, "eval_samples_per_second": 100.0,
              "tokens_per_real_token": 1.1}
    table = format_table(row, course, accuracy=True)
    assert "80.0x" in table and "50.0x" in table and "test accuracy" in table
