"""Bad input to every command other than ``train`` (tests/test_train_cases.py has train's table):
each refused in one line with its exit code, no traceback; and the checks behind them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils.model import ModelSourceError, _explain, check_model_folder
from course_utils.pocket import POCKET_MODEL_DIR
from course_utils.profiles import apply_env_overrides, check_course_variables, get_profile
from course_utils.records import records_dir
from course_utils.run_folders import resume_advice

REPO = Path(__file__).resolve().parents[1]

COMMAND_CASES = [  # (name, argv after `python -m course_utils`, extra environment, exit code, message regex)
    ("run --only ''", ["run", "--only", ""], {}, 2, r"argument --only: is empty"),
    ("run --only matching nothing", ["run", "--only", "99_nothing"], {}, 2, r"No notebook matching '99_nothing'"),
    ("run with COURSE_PROFILE=bogus", ["run", "--only", "02_data"], {"COURSE_PROFILE": "bogus"}, 2,
     r"^error: Unknown profile 'bogus'"),
    ("run with a COURSE_ typo", ["run", "--only", "02_data"], {"COURSE_TRAIN_SIZES": "10"}, 2,
     r"COURSE_TRAIN_SIZES is not a course setting \(did you mean COURSE_TRAIN_SIZE\?\)"),
    ("run --rehearse --profile pocket", ["run", "--rehearse", "--profile", "pocket"], {}, 2,
     r"use it with --profile small or full"),
    ("script ''", ["script", ""], {}, 2, r"argument notebook: is empty"),
    ("script 99", ["script", "99"], {}, 2, r"^error: "),
    ("bench --model a missing folder", ["bench", "--model", "/nowhere/model"], {}, 2, r"no such folder"),
    ("bench --batch-size 10**20", ["bench", "--batch-size", str(10**20)], {}, 2, r"must be at most 1,048,576"),
    ("bench --epochs 1e308", ["bench", "--accuracy", "--epochs", "1e308"], {}, 2, r"must be at most 1,000"),
    ("bench --samples 0", ["bench", "--samples", "0"], {}, 2, r"must be at least 1"),
    ("prefetch with COURSE_LR=fast", ["prefetch"], {"COURSE_LR": "fast"}, 2, r"COURSE_LR='fast' is not a valid float"),
    ("results with COURSE_RECORD=yes", ["results", "--check"], {"COURSE_RECORD": "yes"}, 2,
     r"COURSE_RECORD='yes' must be 1 \(on\) or 0 \(off\)"),
    ("expected --only ''", ["expected", "--only", ""], {}, 2, r"argument --only: is empty"),
    ("gpu-check --budget-minutes 0", ["gpu-check", "--budget-minutes", "0"], {}, 2,
     r"must be a positive, finite number"),
    ("gpu-check --wheels ''", ["gpu-check", "--wheels", ""], {}, 2, r"argument --wheels: is empty"),
    ("gpu-check without CUDA", ["gpu-check"], {"CUDA_VISIBLE_DEVICES": ""}, 2, r"needs a CUDA GPU"),
]


@pytest.mark.parametrize("name, argv, env, code, message", COMMAND_CASES, ids=[case[0] for case in COMMAND_CASES])
def test_command_refuses_in_one_line(name, argv, env, code, message, tmp_path):
    done = subprocess.run([sys.executable, "-m", "course_utils", *argv], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **env}, timeout=300)
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith(("usage:", " "))]
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == code, done.stdout[-800:] + done.stderr[-800:]
    import re

    text = lines[-1] if lines else done.stdout.strip().splitlines()[-1]
    assert re.search(message, text), text
    assert len(lines) <= 1, lines


# --------------------------------------------------------------------------------- the checks behind
def test_course_variables_are_checked():
    check_course_variables({"COURSE_EPOCHS": "2", "COURSE_RECORD": "0", "PATH": "/bin", "COURSE_REHEARSAL": ""})
    with pytest.raises(ValueError, match=r"COURSE_LRATE is not a course setting \(did you mean COURSE_LR\?\)"):
        check_course_variables({"COURSE_LRATE": "1e-4"})
    with pytest.raises(ValueError, match=r"COURSE_XYZZY is not a course setting: unset it\. "
                                         r"The course reads COURSE_BATCH_SIZE"):
        check_course_variables({"COURSE_XYZZY": "1"})
    with pytest.raises(ValueError, match=r"COURSE_REHEARSAL='true' must be 1 \(on\) or 0 \(off\)"):
        check_course_variables({"COURSE_REHEARSAL": "true"})


def test_overrides_have_upper_bounds():
    profile = get_profile("pocket")
    assert apply_env_overrides(profile, {"COURSE_EPOCHS": "1000"}).epochs == 1000
    with pytest.raises(ValueError, match=r"COURSE_EPOCHS='1001' must be at most 1,000"):
        apply_env_overrides(profile, {"COURSE_EPOCHS": "1001"})
    with pytest.raises(ValueError, match=r"COURSE_BATCH_SIZE='2000000' must be at most 1,048,576"):
        apply_env_overrides(profile, {"COURSE_BATCH_SIZE": "2000000"})


def test_resume_is_advised_only_where_a_complete_checkpoint_is(tmp_path):
    assert "No checkpoint was saved yet" in resume_advice(None)
    assert "No checkpoint was saved yet" in resume_advice(tmp_path)
    checkpoint = tmp_path / "checkpoint-4"
    checkpoint.mkdir()
    (checkpoint / "trainer_state.json").write_text("{}")
    (checkpoint / "model.safetensors").write_bytes((POCKET_MODEL_DIR / "model.safetensors").read_bytes()[:1000])
    assert "No checkpoint was saved yet" in resume_advice(tmp_path)  # cut off: not one to resume from
    (checkpoint / "model.safetensors").write_bytes((POCKET_MODEL_DIR / "model.safetensors").read_bytes())
    assert resume_advice(tmp_path).startswith("Run the same command with --resume to continue from checkpoint-4")


def test_cut_off_model_files_are_named(tmp_path):
    import shutil

    check_model_folder(str(POCKET_MODEL_DIR))  # the shipped model is whole
    check_model_folder("gpt2")  # a Hub id: nothing local to check
    model = tmp_path / "m"
    shutil.copytree(POCKET_MODEL_DIR, model)
    weights = (model / "model.safetensors").read_bytes()
    (model / "model.safetensors").write_bytes(weights[:-10])
    with pytest.raises(ModelSourceError,
                       match=r"model\.safetensors is incomplete \([\d,]+ bytes, fewer than its header"):
        check_model_folder(str(model))
    (model / "model.safetensors").write_bytes(weights)
    config = json.loads((model / "config.json").read_text())
    (model / "config.json").write_text(json.dumps(config)[:40])
    with pytest.raises(ModelSourceError, match=r"config\.json is not valid JSON: was it cut off while copying"):
        check_model_folder(str(model))


def test_a_local_folder_named_without_a_slash_is_not_blamed_on_the_network(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mymodel").mkdir()
    message = str(_explain("mymodel", OSError("no config.json")))
    assert "is not a loadable model folder" in message and "Hub" not in message


def test_records_go_to_build_unless_asked(monkeypatch):
    monkeypatch.delenv("COURSE_RESULTS_DIR", raising=False)
    monkeypatch.delenv("COURSE_RECORD", raising=False)
    assert records_dir() == REPO / "build" / "results"
    monkeypatch.setenv("COURSE_RECORD", "1")
    assert records_dir() == REPO / "results"


@pytest.mark.slow
def test_running_the_course_leaves_the_tracked_records_and_the_suite_alone(monkeypatch):
    """The README's two commands in either order: a user's `run` writes its times to build/,
    so the tracked records and the README's tables (tests/test_records.py) stay as they were."""
    from course_utils.cli.results import stale_tables

    monkeypatch.delenv("COURSE_RESULTS_DIR", raising=False)
    tracked = {path: path.read_bytes() for path in (REPO / "results").rglob("*") if path.is_file()}
    done = subprocess.run([sys.executable, "-m", "course_utils", "run", "--profile", "pocket", "--only", "02_data"],
                          capture_output=True, text=True, cwd=REPO, env=dict(os.environ), timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"Times recorded in {REPO / 'build' / 'results' / 'runs' / 'pocket.json'}" in done.stdout
    assert {path: path.read_bytes() for path in (REPO / "results").rglob("*") if path.is_file()} == tracked
    assert stale_tables() == []


def test_every_command_comes_from_the_table():
    """One table (cli.COMMANDS) names each command, its options and its entry point."""
    import argparse

    from course_utils import cli

    parser = cli.build_parser()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert list(subcommands.choices) == list(cli.COMMANDS)
    for name, (summary, options, entry) in cli.COMMANDS.items():
        assert summary and callable(cli._function(options)), name
        assert callable(cli._function(entry)), name
