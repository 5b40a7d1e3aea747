"""One recipe (issue 23): the ``TrainingArguments`` notebook 06 writes out field by field are the
ones the ``train`` command builds (:func:`course_utils.cli.train.command_arguments`, on
:func:`course_utils.training.lesson_arguments`), on every profile and precision, except the fields
named here with the reason. A student who moves from the notebook to the command keeps the same
run: the same epochs, checkpoints and best epoch reloaded at the end."""

import argparse
import json
from pathlib import Path

import pytest
from transformers import TrainingArguments

from course_utils.cli.arguments import add_train_arguments
from course_utils.cli.train import COMMAND_SETTINGS, command_arguments
from course_utils.profiles import PROFILE_NAMES, get_profile, preset
from course_utils.training import lesson_arguments

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {  # field -> why the command's value differs from notebook 06's
    "output_dir": "the notebook names its folder with run_dir in the next cell, the command with --output-dir",
    **{field: "a command setting (cli/train.py COMMAND_SETTINGS says why)" for field in COMMAND_SETTINGS},
}
PROFILES = {name: (lambda name=name: get_profile(name)) for name in PROFILE_NAMES} | {
    "full on a T4 (fp16)": lambda: preset("full", "cuda", (7, 5)),
}  # (TF32 on an Ampere GPU cannot be built without one: TrainingArguments checks the device)


def notebook_arguments(profile) -> TrainingArguments:
    """Notebook 06's ``args = TrainingArguments(...)`` cell, run with ``profile``."""
    cells = json.loads((ROOT / "notebooks" / "06_trainer.ipynb").read_text(encoding="utf-8"))["cells"]
    [cell] = ["".join(c["source"]) for c in cells
              if c["cell_type"] == "code" and "".join(c["source"]).startswith("args = TrainingArguments(")]
    namespace = {"profile": profile, "TrainingArguments": TrainingArguments}
    exec(cell, namespace)
    return namespace["args"]


def differences(notebook: dict, command: dict) -> dict:
    return {key: (notebook.get(key, "(unset)"), command.get(key, "(unset)"))
            for key in sorted(set(notebook) | set(command)) if notebook.get(key) != command.get(key)}


@pytest.mark.parametrize("name", PROFILES)
def test_notebook_06_and_the_train_command_build_the_same_arguments(name, tmp_path):
    profile = PROFILES[name]()
    defaults = add_train_arguments(argparse.ArgumentParser()).parse_args([])
    command = command_arguments(profile, tmp_path, defaults).to_dict()
    found = differences(notebook_arguments(profile).to_dict(), command)
    unexplained = {key: values for key, values in found.items() if key not in ALLOWED}
    assert not unexplained, f"{name}: notebook 06 vs train (notebook, command): {unexplained}"
    assert command["load_best_model_at_end"] and command["save_strategy"] == "epoch"


@pytest.mark.parametrize("name", PROFILES)
def test_lesson_arguments_are_notebook_06s_cell(name, tmp_path):
    profile = PROFILES[name]()
    found = differences(notebook_arguments(profile).to_dict(), lesson_arguments(profile, tmp_path).to_dict())
    assert set(found) == {"output_dir"}


def test_the_comparison_sees_a_changed_field(tmp_path):
    profile = get_profile("pocket")
    notebook = notebook_arguments(profile).to_dict()

    def command(*flags: str) -> dict:
        options = add_train_arguments(argparse.ArgumentParser()).parse_args(list(flags))
        return command_arguments(profile, tmp_path, options).to_dict()

    found = differences(notebook, command("--seed", "7"))
    assert found["seed"] == (42, 7) and found["data_seed"] == (42, 7)
    ungrouped = differences(notebook, command("--no-group-by-length"))
    assert ungrouped["train_sampling_strategy"] == ("group_by_length", "random")


def test_without_a_validation_subset_the_command_keeps_the_last_epoch(tmp_path):
    profile = get_profile("pocket").replace(val_size=0)
    defaults = add_train_arguments(argparse.ArgumentParser()).parse_args([])
    arguments = command_arguments(profile, tmp_path, defaults)
    assert arguments.eval_strategy == "no" and not arguments.load_best_model_at_end
