"""Precision by what the device can do: a faked T4 (7.5) and A100 (8.0) build every training
cell's TrainingArguments without error; the old tf32-on-a-T4 choice is shown to fail."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
import transformers.training_args as training_args_module
from transformers import TrainingArguments

from course_utils import environment
from course_utils.environment import check_precision, precision_for, repo_root
from course_utils.profiles import get_profile
from course_utils.training import training_arguments


@pytest.mark.parametrize(("device", "capability", "expected"), [
    ("cpu", None, "fp32"), ("mps", None, "fp32"), ("cuda", (7, 5), "fp16"), ("cuda", (7, 0), "fp16"),
    ("cuda", (8, 0), "tf32"), ("cuda", (9, 0), "tf32"),
])
def test_precision_for_each_device(device, capability, expected):
    assert precision_for(device, capability) == expected


@pytest.mark.parametrize(("precision", "device", "capability", "message"), [
    ("tf32", "cuda", (7, 5), "Ampere or newer GPU"),
    ("bf16", "cuda", (7, 5), "Ampere or newer GPU"),
    ("fp16", "cpu", None, "needs a GPU"),
    ("tf32", "cpu", None, "needs a CUDA GPU"),
    ("tf32", "mps", None, "needs a CUDA GPU"),
    ("int8", "cpu", None, "not one of"),
])
def test_impossible_precisions_are_refused_with_advice(precision, device, capability, message):
    with pytest.raises(ValueError, match=message):
        check_precision(precision, device, capability)


def test_possible_precisions_pass():
    check_precision("fp16", "cuda", (7, 5))
    check_precision("tf32", "cuda", (8, 0))
    check_precision("bf16", "cpu", None)  # CPU autocast
    check_precision("fp32", "mps", None)


@pytest.fixture
def fake_gpu(monkeypatch):
    """Make torch and the Trainer's arguments believe a CUDA GPU of a given capability is there
    (the devices themselves stay on the CPU, and TF32 is recorded instead of switched on)."""
    switched = []
    cached = training_args_module.is_torch_tf32_available  # lru_cache'd: forget the real answer

    def install(capability: tuple[int, int]):
        cached.cache_clear()
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "get_device_capability", lambda *a: capability)
        monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
        monkeypatch.setattr(torch.cuda, "get_device_properties",
                            lambda *a: SimpleNamespace(major=capability[0], minor=capability[1], name="fake GPU"))
        monkeypatch.setattr(torch.version, "cuda", "12.4")
        monkeypatch.setattr(TrainingArguments, "_setup_devices", property(lambda self: torch.device("cpu")))
        monkeypatch.setattr(training_args_module, "enable_tf32", switched.append)
        for key in ("COURSE_PRECISION", "COURSE_PROFILE"):
            monkeypatch.delenv(key, raising=False)
        return switched

    yield install
    cached.cache_clear()


def notebook_training_cells() -> list[str]:
    """The source of every notebook and solution cell that builds TrainingArguments(...)."""
    cells = []
    for path in sorted([*repo_root().glob("notebooks/*.ipynb"), *repo_root().glob("solutions/*.ipynb")]):
        for cell in json.loads(Path(path).read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and "TrainingArguments(" in source:
                cells.append(f"{path.name}: {source}")
    return cells


def test_every_training_cell_takes_the_profiles_precision():
    cells = notebook_training_cells()
    assert len(cells) >= 3  # 06, 07 and the solutions write TrainingArguments out
    for cell in cells:
        call = cell[cell.index("TrainingArguments("):]
        assert "**profile.trainer_precision_args" in call, cell[:80]
        assert not re.search(r"\b(tf32|fp16|bf16)\s*=", call), cell[:80]  # no precision typed by hand


@pytest.mark.parametrize(("capability", "precision", "flags"), [
    ((7, 5), "fp16", {"fp16": True, "bf16": False, "tf32": None}),
    ((8, 0), "tf32", {"fp16": False, "bf16": False, "tf32": True}),
])
def test_training_arguments_build_on_a_t4_and_an_a100(fake_gpu, tmp_path, capability, precision, flags):
    switched = fake_gpu(capability)
    for name in ("small", "full"):
        profile = get_profile(name)
        assert (profile.device, profile.precision) == ("cuda", precision)
        assert profile.trainer_precision_args == flags
        args = training_arguments(profile, tmp_path)  # the helper every experiment goes through
        assert args.fp16 == flags["fp16"] and args.tf32 == flags["tf32"]
        # the settings of notebook 06's and 07's own TrainingArguments cells
        TrainingArguments(output_dir=str(tmp_path), eval_strategy="epoch", save_strategy="epoch",
                          load_best_model_at_end=True, metric_for_best_model="accuracy",
                          use_cpu=profile.device == "cpu", report_to="none", **profile.trainer_precision_args)
    assert switched == ([True] * 4 if precision == "tf32" else [])


def test_the_old_choice_fails_on_a_t4(fake_gpu, tmp_path):
    """What the full profile used to ask for on every CUDA GPU (tf32=True) raises on a T4:
    proof that the fake GPU above exercises the real check."""
    fake_gpu((7, 5))
    with pytest.raises(ValueError, match="Ampere"):
        TrainingArguments(output_dir=str(tmp_path), tf32=True, report_to="none")


def test_course_precision_override_is_checked_against_the_gpu(fake_gpu, monkeypatch):
    fake_gpu((7, 5))
    monkeypatch.setenv("COURSE_PRECISION", "tf32")
    with pytest.raises(ValueError, match="T4 has 7.5"):
        get_profile("full")
    monkeypatch.setenv("COURSE_PRECISION", "fp32")
    assert get_profile("full").precision == "fp32"
    assert environment.cuda_capability() == (7, 5)
