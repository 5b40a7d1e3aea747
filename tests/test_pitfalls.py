"""The pitfall experiments (notebooks 07 and 08): each effect goes the way the notebooks say.

Every experiment runs on the pocket bundle with fixed seeds, at sizes small enough for the whole
file to take a minute or two on 2 CPU cores. Where an effect was too weak at this size, the setup
was made stronger (more epochs, more leaked rows), never the assertion weaker.
"""

import numpy as np
import pandas as pd
import pytest

from course_utils import pitfalls, pitfalls_data, pitfalls_fit, pitfalls_lm
from course_utils.data import ID2LABEL, load_tweets

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tweets(pocket_profile):
    return load_tweets(pocket_profile)


@pytest.fixture(scope="module")
def data(tweets, pocket_profile):
    return pitfalls.prepare(tweets, pocket_profile, train_size=400, val_size=150, test_size=200)


@pytest.fixture(scope="module")
def lr(pocket_profile):
    return pocket_profile.learning_rate


# --------------------------------------------------------------------------------- plumbing
def test_prepare_gives_disjoint_tokenised_subsets(data):
    assert [len(data.raw[s]) for s in ("train", "validation", "test")] == [400, 150, 200]
    assert not set(data.raw["train"]["id"][:]) & set(data.raw["validation"]["id"][:])
    assert {"input_ids", "attention_mask", "label"} <= set(data.tokenized["train"].column_names)
    assert len(data.train_rows(50)) == 50 and len(data.train_rows(10_000)) == 400


def _curve(eval_loss, eval_accuracy, test_accuracy):
    """A hand-made CurveRun: one row per epoch."""
    epochs = [float(e) for e in range(1, len(eval_loss) + 1)]
    history = pd.DataFrame({"epoch": epochs, "train_loss": np.linspace(1.0, 0.1, len(epochs)),
                            "eval_loss": eval_loss, "eval_accuracy": eval_accuracy})
    return pitfalls_fit.CurveRun(history, len(epochs), {}, {"test_accuracy": test_accuracy})


def test_early_stopping_table_reads_each_seeds_runs():
    runs = {
        42: (_curve([1.2, 1.1, 1.5, 2.0, 2.5], [0.40, 0.45, 0.50, 0.44, 0.43], 0.40),
             _curve([1.2, 1.1, 1.5, 2.0, 2.5], [0.40, 0.45, 0.50, 0.44, 0.43], 0.43)),
        1: (_curve([1.0, 1.3, 1.6, 1.9], [0.47, 0.41, 0.40, 0.39], 0.45),
            _curve([1.0, 1.3, 1.6], [0.47, 0.41, 0.40], 0.44)),
    }
    table = pitfalls_fit.early_stopping_table(runs)
    assert list(table.index) == [42, 1]
    assert table.loc[42, ["lowest val loss at", "best val accuracy at"]].tolist() == [2.0, 3.0]
    assert table.loc[1, ["lowest val loss at", "best val accuracy at", "stopped after", "kept epoch"]].tolist() == [
        1.0, 1.0, 3.0, 1.0]
    assert table["difference"].tolist() == pytest.approx([0.03, -0.01])


def test_plots_start_bars_at_zero_and_keep_legends_off_the_data():
    import matplotlib

    matplotlib.use("Agg")

    def legend_outside(ax):
        ax.figure.canvas.draw()
        legend, frame = ax.get_legend().get_window_extent(), ax.get_window_extent()
        return legend.x0 >= frame.x1  # entirely to the right of the axes

    sweep = pd.DataFrame({"epoch": [1.0, 2.0] * 2, "train_loss": [1.1, 1.1, 1.1, 0.6],
                          "eval_accuracy": [0.30, 0.31, 0.45, 0.60], "learning_rate": [3e-5] * 2 + [3e-3] * 2})
    loss_ax, acc_ax = pitfalls_fit.plot_learning_rates(sweep, baseline=0.4).axes
    assert legend_outside(acc_ax) and loss_ax.get_legend() is None  # one legend for both panels

    scores = pd.DataFrame({"test (as reported)": [0.54, 0.71], "leaked rows": [0.54, 0.91],
                           "clean held-out rows": [0.54, 0.58], "rows the finder did not flag": [0.54, 0.58]},
                          index=["clean model", "leaky model"])
    (ax,) = pitfalls_data.plot_leakage({"scores": scores, "leak_rows": 200}).axes
    assert ax.get_ylim()[0] == 0 and legend_outside(ax)

    starts = pd.DataFrame({"tweet LM loss": [10.8, 3.1], "probe LM loss": [10.8, 6.2], "test accuracy": [0.35, 0.50]},
                          index=["random init", "pre-trained"])
    acc_ax, lm_ax = pitfalls_lm.plot_starting_points(starts, baseline=0.4).axes
    assert acc_ax.get_ylim()[0] == 0 and lm_ax.get_ylim()[0] == 0
    assert legend_outside(acc_ax) and legend_outside(lm_ax)

    forgetting = pd.DataFrame({"probe perplexity": [470.0, 726.0], "test accuracy": [np.nan, 0.54]},
                              index=["pre-trained, not fine-tuned", "full fine-tuning"])
    ppl_ax, acc_ax = pitfalls_lm.plot_forgetting(forgetting).axes
    assert ppl_ax.get_xlim()[0] == 0 and acc_ax.get_xlim()[0] == 0
    assert ppl_ax.get_xlim()[1] > 726.0  # room for the longest bar and its label

    noise = pd.DataFrame({"flipped share": [0.0, 0.3], "test accuracy": [0.54, 0.44]})
    (ax,) = pitfalls_data.plot_label_noise(noise, baseline=0.4).axes
    assert legend_outside(ax)


# --------------------------------------------------------------------------------- 1. overfitting
@pytest.fixture(scope="module")
def overfit(data):
    return pitfalls_fit.overfitting_run(data, train_size=100, epochs=8, batch_size=16)


@pytest.fixture(scope="module")
def stopped(data):
    return pitfalls_fit.early_stopping_run(data, train_size=100, epochs=8, patience=2, batch_size=16)


def test_overfitting_validation_loss_turns_up_while_training_loss_falls(overfit):
    h = overfit.history
    assert h["epoch"].tolist() == [float(e) for e in range(1, 9)]
    assert h["train_loss"].iloc[-1] < 0.5 * h["train_loss"].iloc[0]
    assert h["eval_loss"].iloc[-1] > h["eval_loss"].min() + 0.2  # validation loss rose again


def test_early_stopping_stops_early_and_keeps_the_best_epoch(stopped, overfit):
    h = stopped.history
    assert stopped.last_epoch < stopped.planned_epochs
    assert stopped.last_epoch == stopped.best_epoch + 2  # patience 2: two epochs without a new best
    # load_best_model_at_end: the returned model is the best epoch's, not the last one's
    assert stopped.validation["eval_accuracy"] == pytest.approx(h["eval_accuracy"].max())
    # (Whether the kept epoch also beats the long run's last one is the run's outcome, not the
    # code's: with patience 2, accuracy can climb again after the stop. Notebook 07 prints it.)
    # same seed, same data: the stopped run follows the long run's curve until it stops
    n = len(h)
    assert np.allclose(h["eval_loss"], overfit.history["eval_loss"].iloc[:n], atol=1e-4)
    table = pitfalls_fit.early_stopping_table({42: (overfit, stopped)})
    assert table.loc[42, "stopped after"] == stopped.last_epoch and table.loc[42, "kept epoch"] == stopped.best_epoch
    assert table.loc[42, "difference"] == pytest.approx(stopped.test["test_accuracy"] - overfit.test["test_accuracy"])
    assert pitfalls_fit.plot_overfitting(overfit, stopped).axes


def test_one_run_with_the_replay_gives_both_runs(data, overfit, stopped):
    # same seed and settings as the two fixtures: one training must give what those two gave
    full, replayed = pitfalls_fit.overfit_and_stop(data, train_size=100, epochs=8, patience=2, batch_size=16)
    assert np.allclose(full.history["eval_loss"], overfit.history["eval_loss"], atol=1e-4)
    assert full.test["test_accuracy"] == pytest.approx(overfit.test["test_accuracy"])
    assert (replayed.last_epoch, replayed.best_epoch) == (stopped.last_epoch, stopped.best_epoch)
    assert replayed.validation["eval_accuracy"] == pytest.approx(stopped.validation["eval_accuracy"])
    assert replayed.test["test_accuracy"] == pytest.approx(stopped.test["test_accuracy"], abs=1e-3)


def test_the_replay_follows_the_callbacks_rule():
    import torch

    model = torch.nn.Linear(2, 1)
    replay = pitfalls_fit.early_stopping_replay(patience=2)
    for epoch, accuracy in enumerate([0.40, 0.45, 0.45, 0.50, 0.48, 0.47, 0.60], start=1):
        with torch.no_grad():
            model.bias.fill_(epoch)  # weights that say which epoch they are from
        state = type("State", (), {"epoch": float(epoch)})()
        replay.on_evaluate(None, state, None, metrics={"eval_accuracy": accuracy}, model=model)
    # a tie (0.45) is no new best; two evaluations without one (epochs 5, 6) stop after epoch 6,
    # so the later 0.60 is never seen; the kept weights are epoch 4's
    assert (replay.stopped_after, replay.best_epoch, replay.best) == (6.0, 4.0, 0.50)
    assert replay.best_state["bias"].item() == 4.0
    never = pitfalls_fit.early_stopping_replay(patience=2)
    for epoch, accuracy in enumerate([0.40, 0.45, 0.44], start=1):
        never.on_evaluate(None, type("State", (), {"epoch": float(epoch)})(), None,
                          metrics={"eval_accuracy": accuracy}, model=model)
    assert never.stopped_after is None and never.best_epoch == 2.0


def test_early_stopping_arguments_are_consistent():
    args = pitfalls_fit.early_stopping_arguments()
    assert args["eval_strategy"] == args["save_strategy"] == "epoch"
    assert args["load_best_model_at_end"] and args["greater_is_better"]
    assert pitfalls_fit.early_stopping_arguments("loss")["greater_is_better"] is False


# --------------------------------------------------------------------------------- 2. underfitting
def test_a_far_too_low_learning_rate_underfits(data, lr):
    sweep = pitfalls_fit.learning_rate_sweep(data, [lr / 100, lr], train_size=200, epochs=2)
    last = sweep.groupby("learning_rate").last()
    assert last.loc[lr / 100, "eval_accuracy"] < last.loc[lr, "eval_accuracy"] - 0.1
    tiny = sweep[sweep["learning_rate"] == lr / 100]["train_loss"]
    assert abs(tiny.iloc[0] - tiny.iloc[-1]) < 0.05  # flat: nothing learnt
    assert pitfalls_fit.plot_learning_rates(sweep, baseline=0.4).axes


# --------------------------------------------------------------------------------- 3. grid search
def test_grid_search_picks_the_best_validation_setting(data, lr):
    grid = pitfalls_fit.grid_search(data, [lr / 10, lr], [1, 2], train_size=150)
    table = grid.table
    assert len(table) == 4 and set(table["epochs"]) == {1, 2}
    best = table.sort_values(["val_accuracy", "val_loss"], ascending=[False, True]).iloc[0]
    assert (grid.best["learning_rate"], grid.best["epochs"]) == (best["learning_rate"], best["epochs"])
    kept = pitfalls.evaluate_on(grid.best_trainer, data.tokenized["validation"], "val")
    assert kept["val_accuracy"] == pytest.approx(grid.best["val_accuracy"])  # the kept model is that run
    assert pitfalls_fit.plot_grid(grid).axes


# --------------------------------------------------------------------------------- 5. leakage
def test_leaked_test_rows_inflate_the_test_score(data):
    from datasets import concatenate_datasets

    leaky_train = concatenate_datasets([data.raw["train"].select(range(300)), data.raw["test"].select(range(100))])
    with pytest.raises(ValueError, match="leaky_train must hold"):
        pitfalls_data.leakage_run(data, leaky_train, leak_rows=50, train_size=300)
    result = pitfalls_data.leakage_run(data, leaky_train, leak_rows=100, train_size=300, epochs=3)
    leaky, clean = result["scores"].loc["leaky model"], result["scores"].loc["clean model"]
    assert leaky["leaked rows"] > leaky["clean held-out rows"] + 0.1
    assert leaky["test (as reported)"] > leaky["clean held-out rows"]
    assert leaky["leaked rows"] > clean["leaked rows"]  # it is memorisation, not a better model
    assert result["flagged_rows"] >= 100  # the overlap finder sees every leaked row
    assert (result["overlap"]["kind"] == "exact").sum() >= 100
    assert abs(leaky["rows the finder did not flag"] - leaky["clean held-out rows"]) < 0.05
    assert pitfalls_data.plot_leakage(result).axes


# --------------------------------------------------------------------------------- 6. label noise
def test_flip_labels_flips_exactly_the_share_asked(data):
    raw = data.raw["train"].select(range(100))
    noisy, flipped = pitfalls_data.flip_labels(raw, 0.3, seed=1)
    before, after = np.array(raw["label"][:]), np.array(noisy["label"][:])
    assert len(flipped) == 30 and sorted(np.flatnonzero(before != after)) == flipped
    assert noisy.column_names == raw.column_names and noisy["text"][:] == raw["text"][:]
    assert all(ID2LABEL[v] == t for v, t in zip(after, noisy["label_text"][:], strict=True))
    again, flipped_again = pitfalls_data.flip_labels(raw, 0.3, seed=1)
    assert flipped_again == flipped and again["label"][:] == noisy["label"][:]
    assert pitfalls_data.flip_labels(raw, 0.0)[1] == []


def test_label_noise_hurts_and_training_loss_finds_the_flipped_rows(data):
    table, suspects = pitfalls_data.label_noise_run(data, shares=(0.0, 0.3, 0.5), train_size=400, epochs=3,
                                                    inspect_share=0.3)
    accuracy = table.set_index("flipped share")["test accuracy"]
    assert accuracy[0.5] < accuracy[0.3] < accuracy[0.0]
    assert accuracy[0.5] < accuracy[0.0] - 0.1
    assert suspects.flagged == 120 and suspects.flip_rate == pytest.approx(0.3)
    # better than flagging rows at random (the pocket tweets' own ambiguity also makes rows hard to fit)
    assert suspects.precision > suspects.flip_rate + 0.05
    assert suspects.table["loss"].is_monotonic_decreasing
    assert pitfalls_data.plot_label_noise(table, suspects, baseline=0.4).axes


# --------------------------------------------------------------------------------- 4. forgetting
def test_as_language_model_keeps_the_classifier_transformer(data):
    from course_utils.model import load_classifier

    source, probe = data.profile.model, pitfalls_lm.probe_texts(60)
    classifier = load_classifier(source, data.tokenizer)
    rebuilt = pitfalls_lm.as_language_model(classifier, source)
    original = pitfalls_lm.load_language_model(source)
    assert rebuilt.lm_head.weight.data_ptr() == rebuilt.transformer.wte.weight.data_ptr()  # still tied
    assert pitfalls_lm.lm_loss(rebuilt, data.tokenizer, probe) == pytest.approx(
        pitfalls_lm.lm_loss(original, data.tokenizer, probe))


def notebook_08_remedies() -> dict:
    """The two remedies exactly as notebook 08's lesson cell writes them (run from its source)."""
    from course_utils.cli.script import lesson_cells, notebook_path

    namespace = {}
    source = next(cell for cell in lesson_cells(notebook_path("08")) if "def add_lora" in cell)
    exec(source, namespace)  # the notebook's own cell, read from the file: no copy of it here
    return {"freeze all but the last block": namespace["freeze_all_but_last_block"],
            "LoRA (rank 8)": namespace["add_lora"]}


def test_freezing_and_lora_train_few_parameters(data):
    from course_utils.model import load_classifier

    remedies = notebook_08_remedies()
    total = sum(p.numel() for p in load_classifier(data.profile.model, data.tokenizer).parameters())
    frozen = remedies["freeze all but the last block"](load_classifier(data.profile.model, data.tokenizer))
    lora = remedies["LoRA (rank 8)"](load_classifier(data.profile.model, data.tokenizer))
    assert 0 < pitfalls_lm.trainable_parameters(frozen) < total / 4
    assert 0 < pitfalls_lm.trainable_parameters(lora) < total / 50
    names = {n for n, p in frozen.named_parameters() if p.requires_grad}
    assert "score.weight" in names and not any(".wte." in n or ".h.0." in n for n in names)
    assert any("score" in n for n, p in lora.named_parameters() if p.requires_grad)  # the new head learns


def test_forgetting_refuses_unknown_or_unprepared_methods(data):
    with pytest.raises(ValueError, match="unknown method"):
        pitfalls_lm.forgetting(data, methods=("full fine-tuning", "distillation"))
    with pytest.raises(ValueError, match="need a function that prepares"):
        pitfalls_lm.forgetting(data, methods=("LoRA (rank 8)",))


def test_fine_tuning_makes_the_model_forget_and_freezing_limits_it(data):
    methods = {"full fine-tuning": None,
               "freeze all but the last block": notebook_08_remedies()["freeze all but the last block"]}
    table = pitfalls_lm.forgetting(data, methods=methods, train_size=300, epochs=3,
                                   probe=pitfalls_lm.probe_texts(150))
    full, frozen = table.loc["full fine-tuning"], table.loc["freeze all but the last block"]
    assert full["LM loss increase"] > 0.2  # forgetting raises the probe's LM loss
    assert frozen["LM loss increase"] < full["LM loss increase"] / 2
    assert table.loc["pre-trained, not fine-tuned", "LM loss increase"] == 0
    assert pitfalls_lm.plot_forgetting(table).axes


# --------------------------------------------------------------------------------- 7. starting points
def test_pretrained_weights_beat_random_init(data):
    table = pitfalls_lm.starting_points(data, starts=("random init", "pre-trained"), train_size=200, epochs=3,
                                        probe=pitfalls_lm.probe_texts(60))
    assert table.loc["pre-trained", "test accuracy"] > table.loc["random init", "test accuracy"] + 0.05
    assert table.loc["pre-trained", "tweet LM loss"] < table.loc["random init", "tweet LM loss"] - 2
    assert pitfalls_lm.plot_starting_points(table, baseline=0.4).axes


def test_domain_adaptation_lowers_the_tweet_lm_loss(data):
    source, held_out = data.profile.model, data.raw["test"]["text"][:]
    before = pitfalls_lm.lm_loss(pitfalls_lm.load_language_model(source), data.tokenizer, held_out)
    adapted = pitfalls_lm.adapt_to_domain(source, data.tokenizer, pitfalls_lm.unlabelled_tweets(data),
                                          steps=10, batch_size=16, learning_rate=3e-4)
    assert pitfalls_lm.lm_loss(adapted, data.tokenizer, held_out) < before
