"""The ``train`` command: files written, the JSON line, held-out test, Kaggle CSVs, resume,
refusing to overwrite, one-line errors, and the same command on two processes (gloo, CPU)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from course_utils.cli import build_parser
from course_utils.cli.train import main_train

SMALL = ["--profile", "pocket", "--train-size", "128", "--val-size", "32", "--test-size", "64",
         "--epochs", "1"]


def run_cli(argv, capsys):
    """Run ``python -m course_utils train ARGV`` in this process; (exit code, stdout, stderr)."""
    code = main_train(build_parser().parse_args(["train", *argv]))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def error_line(err: str) -> str:
    """The one ``error: ...`` line, which must be the last thing on stderr (progress bars may precede it)."""
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], err[-2000:]
    return errors[0]


def last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def kaggle_csv(tmp_path_factory):
    """A Kaggle-style train.csv (textID,text,selected_text,sentiment) made from pocket tweets."""
    import pandas as pd

    from course_utils.pocket import POCKET_DATA_FILES

    rows = pd.read_json(POCKET_DATA_FILES["train"], lines=True).head(300)
    frame = pd.DataFrame({"textID": rows["id"], "text": rows["text"], "selected_text": rows["text"],
                          "sentiment": rows["label_text"]})
    path = tmp_path_factory.mktemp("kaggle") / "train.csv"
    frame.to_csv(path, index=False)
    return path


def test_help_names_every_option():
    parser = build_parser()
    train = parser._subparsers._group_actions[0].choices["train"]
    text = train.format_help()
    for option in ("--profile", "--data", "--test-data", "--model", "--train-size", "--val-size",
                   "--test-size", "--epochs", "--learning-rate", "--batch-size", "--max-length",
                   "--precision", "--output-dir", "--resume", "--overwrite", "--max-steps", "torchrun"):
        assert option in text


@pytest.mark.slow
def test_one_kaggle_file_is_split_and_the_run_is_saved(kaggle_csv, tmp_path, capsys):
    out_dir = tmp_path / "run"
    code, out, err = run_cli(["--profile", "pocket", "--data", str(kaggle_csv), "--train-size", "64",
                              "--val-size", "16", "--test-size", "40", "--max-steps", "2",
                              "--output-dir", str(out_dir)], capsys)
    assert code == 0, err
    assert "no test file: holding out 20% of train as the test split" in out
    assert "held out 60 rows as test (stratified by label, seed 42)" in out
    metrics = last_json(out)
    assert metrics["test_rows"] == 40 and metrics["train_rows"] == 64
    # scored on exactly the 40 test rows: a whole number of them right
    assert metrics["test_accuracy"] * 40 == pytest.approx(round(metrics["test_accuracy"] * 40))
    config = json.loads((out_dir / "config.json").read_text())
    assert config["held_out_test"] is True and config["data"] == str(kaggle_csv)
    assert config["versions"]["transformers"] and config["training_arguments"]["max_steps"] == 2
    assert json.loads((out_dir / "metrics.json").read_text())["test_accuracy"] == metrics["test_accuracy"]
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in (out_dir / "final").iterdir()}


class StopAfterFirstSave(Exception):
    """Stands for a crash (or a closed laptop) right after the first checkpoint."""


@pytest.mark.slow
def test_resume_continues_an_interrupted_run_and_finished_runs_are_kept(tmp_path, capsys, monkeypatch):
    from transformers import TrainerCallback

    import course_utils.cli.train

    class Crash(TrainerCallback):
        def on_save(self, args, state, control, **kwargs):
            raise StopAfterFirstSave

    original = course_utils.cli.train.finetune
    monkeypatch.setattr(course_utils.cli.train, "finetune",
                        lambda *a, **k: original(*a, **{**k, "callbacks": [Crash()]}))
    out_dir = tmp_path / "run"
    argv = [*SMALL, "--epochs", "2", "--output-dir", str(out_dir)]
    with pytest.raises(StopAfterFirstSave):
        run_cli(argv, capsys)
    capsys.readouterr()
    monkeypatch.setattr(course_utils.cli.train, "finetune", original)
    assert [p.name for p in out_dir.glob("checkpoint-*")] == ["checkpoint-4"]

    code, _, err = run_cli(argv, capsys)  # a fresh run would lose the checkpoint: refused
    assert code == 2 and "interrupted run (checkpoint-4)" in error_line(err)
    code, _, err = run_cli([*argv, "--resume", "--learning-rate", "1e-5", "--batch-size", "8"], capsys)
    assert code == 2 and "started with other settings" in error_line(err)
    assert "learning_rate: 0.003 -> 1e-05" in err and "train_batch_size: 32 -> 8" in err
    assert [p.name for p in out_dir.glob("checkpoint-*")] == ["checkpoint-4"]  # nothing changed

    code, out, err = run_cli([*argv, "--resume"], capsys)
    assert code == 0, err
    assert "RESUMING the interrupted run" in out and "step 4/8" in out
    history = json.loads((out_dir / "metrics.json").read_text())["history"]
    assert [round(h["epoch"]) for h in history if "eval_accuracy" in h] == [1, 2]  # epoch 1 restored

    code, _, err = run_cli(argv, capsys)  # finished: refused without --overwrite
    assert code == 2 and "holds a finished run" in error_line(err)
    code, _, err = run_cli([*argv, "--resume"], capsys)
    assert code == 2 and "nothing to resume" in error_line(err)
    code, out, err = run_cli([*argv, "--overwrite", "--max-steps", "1"], capsys)
    assert code == 0, err
    assert [p.name for p in out_dir.glob("checkpoint-*")] == ["checkpoint-1"] and last_json(out)["test_rows"] == 64


@pytest.mark.slow
def test_a_diverging_run_fails_and_is_not_marked_finished(tmp_path, capsys):
    out_dir = tmp_path / "run"
    code, out, err = run_cli([*SMALL, "--learning-rate", "1e6", "--max-steps", "4", "--output-dir", str(out_dir)],
                             capsys)
    assert code == 1 and "training diverged" in error_line(err) and "--learning-rate 100000" in err
    assert not (out_dir / "metrics.json").exists() and not (out_dir / "final").exists()
    assert not out.strip() or not out.strip().splitlines()[-1].startswith("{")  # no metrics line


@pytest.mark.slow
def test_loss_is_not_scaled_by_gradient_accumulation(pocket_profile, pocket_tokenizer, pocket_splits, tmp_path):
    """Regression: Transformers 5 multiplied GPT-2 classification losses (and gradients) by the
    accumulation steps and the process count; load_classifier turns that off."""
    from course_utils.model import load_classifier
    from course_utils.training import finetune, tokenize_dataset, training_arguments

    train = tokenize_dataset(pocket_splits["train"].select(range(32)), pocket_tokenizer, 64)
    logs = []
    for batch, accumulation in ((32, 1), (8, 4)):
        model = load_classifier(pocket_profile.model, pocket_tokenizer, seed=0)
        arguments = training_arguments(pocket_profile, tmp_path / str(batch), per_device_train_batch_size=batch,
                                       max_steps=1, gradient_accumulation_steps=accumulation, eval_strategy="no",
                                       logging_strategy="steps", logging_steps=1,
                                       train_sampling_strategy="sequential")
        trainer = finetune(model, pocket_tokenizer, train, None, arguments, train=False)
        trainer.train()
        logs.append(trainer.state.log_history[0])
    assert logs[1]["loss"] == pytest.approx(logs[0]["loss"], rel=0.15)  # dropout differs; the bug gave 4x
    assert logs[1]["grad_norm"] == pytest.approx(logs[0]["grad_norm"], rel=0.3)


@pytest.mark.parametrize("extra, message", [
    (["--data", "no/such/file.csv"], "Data file not found"),
    (["--model", "./no_such_model_folder"], "does not exist"),
    (["--precision", "tf32"], "tf32 needs a CUDA GPU"),
    (["--resume", "--overwrite"], "contradict"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(extra, message, tmp_path, capsys):
    if extra[0] == "--precision":
        pytest.importorskip("torch")
        import torch

        if torch.cuda.is_available():
            pytest.skip("tf32 is valid on this machine")
    code, _, err = run_cli([*SMALL, "--output-dir", str(tmp_path), *extra], capsys)
    assert code == 2 and message in error_line(err)


def test_sort_by_length_puts_the_longest_first_and_keeps_every_row(pocket_splits, pocket_tokenizer):
    from course_utils.cli.train import sort_by_length
    from course_utils.training import tokenize_dataset

    test = tokenize_dataset(pocket_splits["test"], pocket_tokenizer, 64)
    ordered = sort_by_length(test)
    lengths = [len(ids) for ids in ordered["input_ids"][:]]
    assert lengths == sorted(lengths, reverse=True) and len(ordered) == len(test)
    assert sorted(ordered["label"][:]) == sorted(test["label"][:])


def test_bad_flag_values_are_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["train", "--train-size", "0"])
    assert exit_info.value.code == 2 and "must be at least 1" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("torchrun") is None and not os.path.exists(
    os.path.join(os.path.dirname(sys.executable), "torchrun")), reason="torchrun is not installed")
def test_two_processes_agree_and_write_once(tmp_path):
    out_dir = tmp_path / "ddp"
    torchrun = os.path.join(os.path.dirname(sys.executable), "torchrun")
    command = [torchrun if os.path.exists(torchrun) else "torchrun", "--standalone", "--nproc_per_node", "2",
               "-m", "course_utils", "train", *SMALL, "--output-dir", str(out_dir)]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    ranks = {line.split(":")[0]: line.split(":", 1)[1] for line in lines if line.startswith("[train] rank ")}
    assert set(ranks) == {"[train] rank 0/2", "[train] rank 1/2"}
    assert ranks["[train] rank 0/2"] == ranks["[train] rank 1/2"]  # same test metrics on both ranks
    assert sum("[train] wrote" in line for line in lines) == 1  # only the main process writes
    assert sum(line.startswith("[data] test:") for line in lines) == 1  # the other one keeps quiet
    metrics = json.loads(lines[-1])
    assert metrics["processes"] == 2
    saved = json.loads((out_dir / "metrics.json").read_text())
    assert saved["test_accuracy"] == metrics["test_accuracy"]
    assert f"test accuracy={metrics['test_accuracy']:.4f}" in ranks["[train] rank 1/2"]
    assert json.loads((out_dir / "config.json").read_text())["processes"] == 2
