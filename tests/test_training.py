"""Training plumbing: tokenising, arguments from the profile, a short fine-tune, curves, run folders."""

import json
from pathlib import Path

import pytest

from course_utils.model import load_classifier
from course_utils.run_folders import resume_point, run_dir
from course_utils.training import (
    finetune,
    history_frame,
    plot_history,
    tokenize_dataset,
    training_arguments,
)
from course_utils.widgets import sentiment_html, tweet_widget


@pytest.fixture(scope="module")
def tokenized(pocket_splits, pocket_tokenizer):
    return tokenize_dataset(pocket_splits, pocket_tokenizer, max_length=64)


def test_tokenize_keeps_label_and_drops_text(tokenized):
    assert set(tokenized["train"].column_names) == {"label", "input_ids", "attention_mask"}
    assert max(len(ids) for ids in tokenized["train"]["input_ids"][:]) <= 64


def test_training_arguments_follow_the_profile(pocket_profile, tmp_path):
    args = training_arguments(pocket_profile, tmp_path, num_train_epochs=1)
    assert args.per_device_train_batch_size == pocket_profile.train_batch_size
    assert args.learning_rate == pocket_profile.learning_rate
    assert args.num_train_epochs == 1 and args.eval_strategy == "epoch" and args.seed == 42


@pytest.mark.slow
def test_finetune_learns_and_logs_every_epoch(pocket_profile, pocket_tokenizer, tokenized, tmp_path):
    model = load_classifier(pocket_profile.model, pocket_tokenizer)
    trainer = finetune(model, pocket_tokenizer, tokenized["train"], tokenized["validation"],
                       training_arguments(pocket_profile, tmp_path, num_train_epochs=2))
    frame = history_frame(trainer.state.log_history)
    assert frame["epoch"].tolist() == [1.0, 2.0]
    assert {"train_loss", "eval_loss", "eval_accuracy", "eval_macro_f1"} <= set(frame.columns)
    assert frame["train_loss"].iloc[1] < frame["train_loss"].iloc[0]
    assert plot_history(trainer.state.log_history).axes


def test_run_dir_changes_with_any_setting(pocket_profile, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path))
    first = run_dir("06_trainer", pocket_profile, lr=1e-3)
    assert first == run_dir("06_trainer", pocket_profile, lr=1e-3)
    assert first != run_dir("06_trainer", pocket_profile, lr=2e-3)
    assert first != run_dir("06_trainer", pocket_profile.replace(epochs=1), lr=1e-3)
    assert first.parent == tmp_path and first.name.startswith("06_trainer-")


def test_run_dir_keys_on_the_training_arguments(pocket_profile, monkeypatch, tmp_path):
    """A changed TrainingArguments field gets a new folder; where the run logs or saves does not."""
    from transformers import TrainingArguments

    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path))

    def folder(**fields):
        args = TrainingArguments(output_dir=str(tmp_path / "x"), use_cpu=True, **fields)
        return run_dir("06_trainer", pocket_profile, args=args)

    first = folder(learning_rate=1e-3)
    assert first == folder(learning_rate=1e-3, logging_strategy="epoch", report_to="none", save_total_limit=2)
    assert first != folder(learning_rate=1e-3, weight_decay=0.5)
    assert first != folder(learning_rate=1e-3, warmup_steps=20)
    assert first != folder(learning_rate=2e-3)
    assert first != run_dir("06_trainer", pocket_profile)


def test_run_dir_changes_with_the_pocket_tweets(pocket_profile, tmp_path, monkeypatch):
    """Regenerated pocket tweets never reuse a run trained on the old ones."""
    import shutil

    import course_utils.run_folders

    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path / "outputs"))
    before = run_dir("06_trainer", pocket_profile)
    files = {}
    for split, path in course_utils.run_folders.POCKET_DATA_FILES.items():
        files[split] = str(tmp_path / Path(path).name)
        shutil.copy(path, files[split])
    monkeypatch.setattr(course_utils.run_folders, "POCKET_DATA_FILES", files)
    assert run_dir("06_trainer", pocket_profile) == before
    Path(files["train"]).write_text(Path(files["train"]).read_text().replace("neutral", "positive", 1))
    assert run_dir("06_trainer", pocket_profile) != before


def test_run_dir_changes_with_the_weights(pocket_profile, tmp_path, monkeypatch):
    """A rebuilt model (or gpt2's stand-in after a rehearsal) never reuses another model's run."""
    import shutil

    from course_utils.run_folders import model_fingerprint

    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path / "outputs"))
    copy = tmp_path / "model"
    shutil.copytree(pocket_profile.model, copy)
    profile = pocket_profile.replace(model=str(copy))
    before = run_dir("06_trainer", profile)
    assert model_fingerprint(str(copy)) == model_fingerprint(pocket_profile.model)
    with (copy / "model.safetensors").open("r+b") as weights:
        weights.seek(200)
        weights.write(b"\x01\x02")
    assert run_dir("06_trainer", profile) != before
    assert model_fingerprint("no-such/model-on-the-hub") == "not cached"


def test_resume_point_reports_fresh_finished_and_interrupted(tmp_path, capsys):
    assert resume_point(tmp_path / "missing") is None
    assert "from the start" in capsys.readouterr().out
    for step, name in ((10, "checkpoint-10"), (30, "checkpoint-30")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "trainer_state.json").write_text(
            json.dumps({"global_step": step, "max_steps": 30, "epoch": step / 10}))
    assert resume_point(tmp_path).endswith("checkpoint-30")
    assert "REUSING" in capsys.readouterr().out
    (tmp_path / "checkpoint-30" / "trainer_state.json").unlink()
    (tmp_path / "checkpoint-30").rmdir()
    assert resume_point(tmp_path).endswith("checkpoint-10")
    assert "RESUMING" in capsys.readouterr().out


def fake_classifier(text, top_k=None, truncation=False):
    """Stands in for pipeline("text-classification"): 'love' is positive, anything else neutral."""
    positive = 0.9 if "love" in text else 0.1
    return [{"label": "positive", "score": positive}, {"label": "neutral", "score": 0.95 - positive},
            {"label": "negative", "score": 0.05}]


def test_sentiment_html_bolds_the_best_label_and_keeps_label_order():
    page = sentiment_html(fake_classifier("I love it"))
    assert page.startswith('<div') and "<b>positive</b> (90.0% sure)" in page
    assert page.index(">negative<") < page.index(">neutral<") < page.rindex(">positive<")


def test_tweet_widget_rescores_when_the_text_changes():
    panel = tweet_widget(fake_classifier, value="meh")
    box, view = panel.children
    assert "<b>neutral</b>" in view.value
    box.value = "I love this"  # the observer calls update
    assert "<b>positive</b>" in view.value
    box.value = "   "
    assert "type a tweet" in panel.update()


def test_plot_history_names_the_validation_curves_and_comes_back_closed():
    import matplotlib.pyplot as plt

    fig = plot_history([{"loss": 1.0, "epoch": 1.0}, {"eval_loss": 0.9, "eval_accuracy": 0.5, "epoch": 1.0}])
    loss_ax, acc_ax = fig.axes
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["training loss (running)", "validation loss"]
    assert [t.get_text() for t in acc_ax.get_legend().get_texts()] == ["validation accuracy"]
    assert not plt.fignum_exists(fig.number)


@pytest.mark.slow
def test_ordered_eval_keeps_the_stored_order_under_length_grouping(pocket_profile, pocket_tokenizer, tokenized,
                                                                     tmp_path):
    """With train_sampling_strategy="group_by_length" the plain Trainer shuffles evaluation batches
    by length groups; finetune(ordered_eval=True) reads them in the stored (sorted) order."""
    from course_utils.training import sort_by_length

    rows = sort_by_length(tokenized["test"].select(range(64)))
    stored = [len(ids) for ids in rows["input_ids"][:]]
    model = load_classifier(pocket_profile.model, pocket_tokenizer)

    def lengths_read(ordered: bool) -> list[int]:
        arguments = training_arguments(pocket_profile.replace(eval_batch_size=4), tmp_path,
                                       train_sampling_strategy="group_by_length")
        trainer = finetune(model, pocket_tokenizer, rows, rows, arguments, train=False, ordered_eval=ordered)
        return [int(mask.sum()) for batch in trainer.get_eval_dataloader(rows) for mask in batch["attention_mask"]]

    assert lengths_read(ordered=True) == stored
    assert lengths_read(ordered=False) != stored  # what the subclass is for (if this fails, it may no longer be needed)
