"""Notebooks 06 and 08 are copyable: their lesson cells become one script without course_utils
(06's runs end to end; 08's holds the pitfall remedies and the leaked split, which the pitfall
tests run from the notebook's own cells)."""

import json
import os
import subprocess
import sys

import pytest

from course_utils.cli import script as lesson_script
from course_utils.cli.script import LessonScriptError, fill_in, lesson_cells, notebook_path
from course_utils.profiles import get_profile

# The calls a student copies from notebook 06 into a project (issue: "notebook 06 is copyable").
LESSON_CALLS = ("load_dataset(", "revision=profile.revision",
                "shuffle(seed=42).select(", "AutoTokenizer.from_pretrained(",
                "tokenizer.pad_token = tokenizer.eos_token", ".map(", "DataCollatorWithPadding(",
                "GPT2ForSequenceClassification.from_pretrained(", "pad_token_id = tokenizer.pad_token_id",
                "evaluate.load(", "def compute_metrics(", "TrainingArguments(", "Trainer(", ".train(",
                ".evaluate(", "save_model(", "pipeline(")
# The pitfalls' key calls, written in notebook 08's cells (issue 19: helpers keep loops and plots).
PITFALL_CALLS = ("LoraConfig(", "get_peft_model(", "target_modules=", "requires_grad = False",
                 "requires_grad = True", "concatenate_datasets(")
BLOCKER = '''import sys

class _NoCourseUtils:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "course_utils":
            raise ImportError("course_utils is blocked: the lesson script must not need it")

sys.meta_path.insert(0, _NoCourseUtils())
'''


@pytest.fixture(scope="module")
def pocket():
    return get_profile("pocket")


def test_fill_in_writes_values_but_not_into_comments_strings_or_calls(pocket):
    source = ('x = profile.train_size  # profile.train_size stays in a comment\n'
              'y = load(profile.metrics["f1"], "profile.name")\n'
              'z = profile.replace(epochs=1)\n')
    filled = fill_in(source, pocket)
    assert filled.splitlines()[0] == f"x = {pocket.train_size}  # profile.train_size stays in a comment"
    assert filled.splitlines()[1] == f'y = load({pocket.metrics["f1"]!r}, "profile.name")'
    assert filled.splitlines()[2] == "z = profile.replace(epochs=1)"


def test_fill_in_refuses_unknown_fields_and_values_that_are_not_literals(pocket):
    with pytest.raises(LessonScriptError, match="no such value"):
        fill_in("profile.learning_rat", pocket)
    with pytest.raises(LessonScriptError, match="not a plain value"):
        fill_in("profile.plan", pocket)


def test_plumbing_in_a_lesson_cell_is_refused(tmp_path, pocket):
    cell = {"cell_type": "code", "metadata": {"tags": ["lesson"]}, "outputs": [], "execution_count": None,
            "source": ["from course_utils.data import load_tweets\n"]}
    path = tmp_path / "99_x.ipynb"
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(LessonScriptError, match="lesson cell 1"):
        lesson_script.lesson_script(path, pocket)
    cell["metadata"] = {}
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(LessonScriptError, match="no code cell tagged"):
        lesson_script.lesson_script(path, pocket)


def test_notebook_06_writes_every_lesson_call_in_its_lesson_cells():
    code = "\n".join(lesson_cells(notebook_path("06")))
    missing = [call for call in LESSON_CALLS if call not in code]
    assert not missing, f"notebook 06's lesson cells lack {missing}"


def test_notebook_08_writes_its_remedies_and_the_leak_in_lesson_cells(pocket):
    code = "\n".join(lesson_cells(notebook_path("08")))
    missing = [call for call in PITFALL_CALLS if call not in code]
    assert not missing, f"notebook 08's lesson cells lack {missing}"
    script = lesson_script.lesson_script(notebook_path("08"), pocket)  # refuses course_utils in a lesson cell
    compile(script, "lesson_08.py", "exec")
    assert "def freeze_all_but_last_block(" in script and "def add_lora(" in script


def test_notebook_names_must_match_one_notebook():
    with pytest.raises(LessonScriptError, match="exactly one"):
        notebook_path("0")


@pytest.mark.slow
def test_notebook_06_lesson_runs_as_a_script_without_course_utils(tmp_path, pocket):
    (tmp_path / "block").mkdir()
    (tmp_path / "block" / "sitecustomize.py").write_text(BLOCKER)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "block")}
    blocked = subprocess.run([sys.executable, "-c", "import course_utils"], env=env, capture_output=True, text=True)
    assert blocked.returncode != 0 and "blocked" in blocked.stderr
    script = tmp_path / "lesson_06.py"
    small = pocket.replace(train_size=200, val_size=100, test_size=200, epochs=1)  # the values are filled in
    script.write_text(lesson_script.lesson_script(notebook_path("06"), small))
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "[headline] test_accuracy=" in done.stdout
    saved = tmp_path / "outputs" / "06_trainer" / "final-model"
    assert (saved / "model.safetensors").is_file() and (saved / "tokenizer.json").is_file()
