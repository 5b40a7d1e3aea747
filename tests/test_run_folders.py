"""The ``train`` command's output folder and failures: checked early, locked, resumed only when
the settings and the checkpoint are the same and whole, and every failure a one-line message."""

import argparse
import errno
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from course_utils.cli import build_parser
from course_utils.cli import train as train_cli
from course_utils.profiles import apply_env_overrides, get_profile
from course_utils.run_folders import (
    RunFolderError,
    check_identity,
    check_writable,
    checkpoint_to_resume,
    identity_changes,
    incomplete_checkpoint,
    locked,
    run_identity,
    write_identity,
)
from course_utils.training import training_arguments

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------- the folder
def test_a_file_in_the_way_is_refused(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(RunFolderError, match="is a file, not a folder"):
        check_writable(tmp_path / "afile", 10)
    with pytest.raises(RunFolderError, match=r"cannot be created: .*afile is a file"):
        check_writable(tmp_path / "afile" / "run", 10)


def test_a_folder_is_created_and_a_full_disk_refused(tmp_path, monkeypatch):
    check_writable(tmp_path / "new" / "run", 10)
    assert (tmp_path / "new" / "run").is_dir()
    monkeypatch.setattr("shutil.disk_usage", lambda path: argparse.Namespace(total=10 * 2**20, used=7 * 2**20,
                                                                              free=3 * 2**20))
    with pytest.raises(RunFolderError, match=r"only 3 MB are free .* needs about 2,048 MB"):
        check_writable(tmp_path / "run2", 2048)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
def test_a_read_only_folder_is_refused(tmp_path):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o555)
    try:
        with pytest.raises(RunFolderError, match="cannot be created|not writable"):
            check_writable(tmp_path / "ro" / "run", 10)
    finally:
        (tmp_path / "ro").chmod(0o755)


# --------------------------------------------------------------------------------- the lock
HOLD = """
import sys, time
from pathlib import Path
from course_utils.run_folders import locked
with locked(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_one_writer_per_folder_and_a_killed_holder_does_not_block(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunFolderError, match=rf"in use by another train run \(process {holder.pid} on "):
            with locked(tmp_path):
                pass
    finally:
        holder.kill()  # SIGKILL: no clean-up runs in the holder
        holder.wait()
    started = time.perf_counter()
    with locked(tmp_path):  # the operating system released the dead process's lock
        assert json.loads((tmp_path / ".train.owner.json").read_text())["pid"] == os.getpid()
    assert time.perf_counter() - started < 2 and not (tmp_path / ".train.owner.json").exists()


def test_the_lock_is_held_inside_one_process_too(tmp_path):
    with locked(tmp_path):
        with pytest.raises(RunFolderError, match="in use by another train run"):
            with locked(tmp_path):
                pass


# --------------------------------------------------------------------------------- identity
def identity(tmp_path, **changes):
    profile = get_profile("pocket").replace(**changes)
    return run_identity(profile, training_arguments(profile, tmp_path, save_strategy="epoch"), data=None)


def test_resume_with_other_settings_names_them(tmp_path):
    write_identity(tmp_path, identity(tmp_path))
    check_identity(tmp_path, identity(tmp_path))  # the same: no error
    with pytest.raises(RunFolderError, match=r"learning_rate: 0.003 -> 1e-05.*train_batch_size: 32 -> 8"):
        check_identity(tmp_path, identity(tmp_path, learning_rate=1e-5, train_batch_size=8))
    (tmp_path / "run.json").unlink()
    with pytest.raises(RunFolderError, match="no readable run.json.*--overwrite"):
        check_identity(tmp_path, identity(tmp_path))


def test_identity_changes_reads_nested_fields():
    assert (identity_changes({"a": {"b": 1, "c": 2}}, {"a": {"b": 1, "c": 3}, "d": 4})
            == ["a.c: 2 -> 3", "d: (unset) -> 4"])


# --------------------------------------------------------------------------------- checkpoints
def checkpoint(folder: Path, step: int) -> Path:
    path = folder / f"checkpoint-{step}"
    path.mkdir(parents=True)
    save_file({"w": torch.arange(1000, dtype=torch.float32)}, str(path / "model.safetensors"))
    (path / "trainer_state.json").write_text(json.dumps({"global_step": step}))
    return path


def test_a_cut_off_or_partial_checkpoint_is_named_with_the_fix(tmp_path):
    older, newest = checkpoint(tmp_path, 4), checkpoint(tmp_path, 8)
    assert incomplete_checkpoint(newest) is None
    assert checkpoint_to_resume(tmp_path) == str(newest)
    weights = newest / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])  # what a full disk leaves
    assert incomplete_checkpoint(newest) == "its model.safetensors is cut off"
    with pytest.raises(RunFolderError, match=r"checkpoint-8 .* is incomplete .*delete "
                                             r".*checkpoint-8 to resume from checkpoint-4"):
        checkpoint_to_resume(tmp_path)
    (older / "trainer_state.json").unlink()
    assert incomplete_checkpoint(older) == "it has no trainer_state.json"
    with pytest.raises(RunFolderError, match="use --overwrite to start again"):
        checkpoint_to_resume(tmp_path)
    weights.write_bytes(b"\x00" * 3)
    assert incomplete_checkpoint(newest) == "its files cannot be read"


# --------------------------------------------------------------------------------- failures
def test_a_nan_loss_stops_the_run_with_advice():
    callback = train_cli.StopOnNonFinite(learning_rate=1e6)
    state = argparse.Namespace(epoch=1.0)
    callback.on_log(None, state, None, logs={"loss": 0.7, "epoch": 1.0})  # finite: nothing happens
    with pytest.raises(train_cli.TrainingDiverged, match=r"loss became nan at epoch 1.*--learning-rate 100000"):
        callback.on_log(None, state, None, logs={"loss": math.nan})
    with pytest.raises(train_cli.TrainingDiverged, match="eval_accuracy became inf"):
        callback.on_log(None, state, None, logs={"eval_accuracy": math.inf})


def run_main(argv, monkeypatch, capsys, raises=None):
    if raises is not None:
        def fail(args):
            raise raises
        monkeypatch.setattr(train_cli, "run_training", fail)
    code = train_cli.main_train(build_parser().parse_args(["train", *argv]))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("error", "code", "message"), [
    (train_cli.TrainingDiverged("training diverged: loss became nan"), 1, "error: training diverged"),
    (OSError(errno.ENOSPC, "No space left on device", "outputs/x/checkpoint-8"), 1,
     "error: No space left on device (outputs/x/checkpoint-8). Nothing was marked finished"),
    (KeyboardInterrupt(), 130, "interrupted: nothing was marked finished. No checkpoint was saved yet"),
    (RunFolderError("outputs/x is in use"), 2, "error: outputs/x is in use"),
])
def test_every_failure_is_one_line_and_an_exit_code(error, code, message, monkeypatch, capsys):
    got, out, err = run_main(["--profile", "pocket"], monkeypatch, capsys, raises=error)
    assert got == code and err.startswith(message) and err.count("\n") == 1 and out == ""


@pytest.mark.parametrize("flag", ["--epochs", "--learning-rate"])
@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0"])
def test_non_finite_or_non_positive_numbers_are_refused(flag, value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["train", flag, value])
    assert exit_info.value.code == 2 and "must be a positive, finite number" in capsys.readouterr().err


@pytest.mark.parametrize(("key", "value", "ok"), [
    ("COURSE_VAL_SIZE", "0", True), ("COURSE_VAL_SIZE", "-1", False), ("COURSE_EPOCHS", "nan", False),
    ("COURSE_LR", "inf", False), ("COURSE_TRAIN_SIZE", "0", False),
])
def test_course_variables_refuse_what_the_flags_refuse(key, value, ok):
    profile = get_profile("pocket")
    if ok:
        assert apply_env_overrides(profile, {key: value}).val_size == 0
    else:
        with pytest.raises(ValueError, match=rf"{key}="):
            apply_env_overrides(profile, {key: value})


def test_max_length_beyond_the_positions_is_refused_before_loading_data(tmp_path, monkeypatch, capsys):
    code, out, err = run_main(["--profile", "pocket", "--max-length", "5000", "--output-dir", str(tmp_path / "r")],
                              monkeypatch, capsys)
    assert code == 2 and "--max-length 5000 is more than the 1,024 positions" in err and "use at most 1024" in err
    assert not (tmp_path / "r" / "metrics.json").exists()


def test_data_warnings_are_printed_before_training(capsys):
    from datasets import Dataset, DatasetDict

    def split(texts, labels):
        names = ("negative", "neutral", "positive")
        return Dataset.from_dict({"id": [str(i) for i in range(len(texts))], "text": texts, "label": labels,
                                  "label_text": [names[label] for label in labels]})

    train = split(["good day", "Good day!", "bad day", "so so"], [2, 0, 2, 2])
    test = split(["good day", "so so ", "new one"], [2, 2, 1])
    train_cli.warn_about_data(DatasetDict(train=train, test=test))
    out = capsys.readouterr().out
    assert "2 of 3 test rows also occur in the training rows (1 exactly" in out
    assert "1 texts occur in the training rows with different labels" in out
    train_cli.warn_about_data(DatasetDict(train=split(["a", "b"], [1, 1]), test=test))
    assert "every training row has the same label (neutral)" in capsys.readouterr().out


def test_checkpoints_are_ordered_by_step_not_by_name(tmp_path):
    from course_utils.run_folders import check_output_folder

    checkpoint(tmp_path, 4)
    newest = checkpoint(tmp_path, 12)
    (tmp_path / "checkpoint-notes").mkdir()  # not the Trainer's: ignored
    assert checkpoint_to_resume(tmp_path) == str(newest)
    with pytest.raises(RunFolderError, match=r"holds an interrupted run \(checkpoint-12\)"):
        check_output_folder(tmp_path, resume=False, overwrite=False)
