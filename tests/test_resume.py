"""Resume and determinism: an interrupted pocket training continues from its last checkpoint
and ends with the same metrics as an uninterrupted run; the same seed gives the same metrics."""

import pytest
from transformers import TrainerCallback

from course_utils.model import load_classifier
from course_utils.run_folders import resume_point
from course_utils.training import finetune, tokenize_dataset, training_arguments

SETTINGS = {"per_device_train_batch_size": 16, "num_train_epochs": 2, "eval_strategy": "no",
            "save_strategy": "steps", "save_steps": 4, "logging_strategy": "no"}


class Interrupt(TrainerCallback):
    """Stops training after ``at`` optimizer steps, as a disconnect or Ctrl-C would."""

    def __init__(self, at):
        self.at = at

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step >= self.at:
            control.should_training_stop = True


@pytest.fixture(scope="module")
def data(pocket_splits, pocket_tokenizer):
    tokenized = tokenize_dataset(pocket_splits, pocket_tokenizer, max_length=64)
    return tokenized["train"].select(range(128)), tokenized["test"]


def run(profile, tokenizer, data, output_dir, callbacks=None, resume=False):
    train, test = data
    model = load_classifier(profile.model, tokenizer)
    arguments = training_arguments(profile, output_dir, **SETTINGS)
    trainer = finetune(model, tokenizer, train, test, arguments, callbacks=callbacks, train=False)
    trainer.train(resume_from_checkpoint=resume_point(output_dir) if resume else None)
    return trainer, trainer.evaluate()


@pytest.mark.slow
def test_same_seed_same_metrics(pocket_profile, pocket_tokenizer, data, tmp_path):
    _, first = run(pocket_profile, pocket_tokenizer, data, tmp_path / "a")
    _, second = run(pocket_profile, pocket_tokenizer, data, tmp_path / "b")
    assert first["eval_loss"] == pytest.approx(second["eval_loss"], abs=1e-6)
    assert first["eval_accuracy"] == second["eval_accuracy"]


@pytest.mark.slow
def test_interrupted_run_resumes_to_the_same_result(pocket_profile, pocket_tokenizer, data, tmp_path, capsys):
    _, straight = run(pocket_profile, pocket_tokenizer, data, tmp_path / "straight")
    stopped, _ = run(pocket_profile, pocket_tokenizer, data, tmp_path / "cut", callbacks=[Interrupt(at=4)])
    assert stopped.state.global_step == 4 and stopped.state.max_steps == 16
    resumed, final = run(pocket_profile, pocket_tokenizer, data, tmp_path / "cut", resume=True)
    assert "RESUMING" in capsys.readouterr().out
    assert resumed.state.global_step == 16
    assert final["eval_loss"] == pytest.approx(straight["eval_loss"], abs=1e-5)
    assert final["eval_accuracy"] == straight["eval_accuracy"]


@pytest.mark.slow
def test_finished_run_is_reused_without_training(pocket_profile, pocket_tokenizer, data, tmp_path, capsys):
    _, first = run(pocket_profile, pocket_tokenizer, data, tmp_path / "done")
    again, second = run(pocket_profile, pocket_tokenizer, data, tmp_path / "done", resume=True)
    assert "REUSING" in capsys.readouterr().out
    assert second["eval_accuracy"] == first["eval_accuracy"]
    assert second["eval_loss"] == pytest.approx(first["eval_loss"], abs=1e-6)
