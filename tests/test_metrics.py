"""Metrics: the shipped evaluate modules load offline and agree with scikit-learn."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from course_utils import metrics
from course_utils.environment import OFFLINE_SWITCHES
from course_utils.profiles import get_profile


def test_metric_source_offline_and_online(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert metrics.metric_source("accuracy").endswith("evaluate_metrics/accuracy")
    profile = get_profile("pocket")
    assert profile.metrics["f1"].endswith("evaluate_metrics/f1")
    for key in OFFLINE_SWITCHES:
        monkeypatch.delenv(key, raising=False)
    assert metrics.metric_source("accuracy") == "accuracy"
    assert profile.metrics == {"accuracy": "accuracy", "f1": "f1"}  # read when used, not when made
    assert metrics.metric_source("f1", prefer_local=True).endswith("f1")
    with pytest.raises(ValueError, match="ships"):
        metrics.metric_source("bleu")


def test_shipped_metrics_match_sklearn():
    rng = np.random.default_rng(0)
    refs, preds = rng.integers(0, 3, 200), rng.integers(0, 3, 200)
    accuracy, f1 = metrics.load_metrics(prefer_local=True)
    assert accuracy.compute(predictions=preds, references=refs)["accuracy"] == pytest.approx(
        accuracy_score(refs, preds))
    for average in ("macro", "weighted", "micro"):
        ours = f1.compute(predictions=preds, references=refs, average=average)["f1"]
        assert ours == pytest.approx(f1_score(refs, preds, average=average))
    per_class = f1.compute(predictions=preds, references=refs, average=None)["f1"]
    assert per_class == pytest.approx(f1_score(refs, preds, average=None).tolist())


def test_shipped_f1_defaults_to_binary_like_the_hubs():
    # Code that forgets average= must fail on pocket exactly as it fails with the Hub's metric.
    rng = np.random.default_rng(1)
    _, f1 = metrics.load_metrics(prefer_local=True)
    refs, preds = rng.integers(0, 2, 100), rng.integers(0, 2, 100)
    assert f1.compute(predictions=preds, references=refs)["f1"] == pytest.approx(f1_score(refs, preds))
    assert f1.compute(predictions=preds, references=refs, pos_label=0)["f1"] == pytest.approx(
        f1_score(refs, preds, pos_label=0))
    three = rng.integers(0, 3, 100)
    with pytest.raises(ValueError, match="Target is multiclass but average='binary'") as ours:
        f1.compute(predictions=three, references=refs)
    with pytest.raises(ValueError) as sklearns:
        f1_score(refs, three)
    assert str(sklearns.value).split(".")[0] in str(ours.value)


def test_compute_metrics_takes_argmax_of_logits():
    compute = metrics.make_compute_metrics(prefer_local=True)
    logits = np.array([[2.0, 0.1, 0.0], [0.0, 3.0, 0.1], [0.0, 0.1, 5.0], [4.0, 0.0, 0.0]])
    labels = np.array([0, 1, 2, 2])
    result = compute((logits, labels))
    assert result["accuracy"] == pytest.approx(0.75)
    assert result["macro_f1"] == pytest.approx(f1_score(labels, logits.argmax(-1), average="macro"))


def test_confusion_matrix_counts_and_plot():
    matrix = metrics.confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0])
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    fig = metrics.plot_confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0])
    assert fig.axes[0].get_xlabel() == "predicted"
    import matplotlib.pyplot as plt

    assert not plt.fignum_exists(fig.number)  # returned closed: the notebook displays it once


def test_plot_scores_labels_every_bar_and_closes():
    import matplotlib.pyplot as plt
    import pandas as pd

    table = pd.DataFrame({"accuracy": [0.4, 0.8], "macro_f1": [0.19, 0.78]},
                         index=["majority", "fine-tuned (this notebook)"])
    fig = metrics.plot_scores(table)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["majority", "fine-tuned (this\nnotebook)"]
    assert sorted(float(t.get_text()) for t in ax.texts) == [0.19, 0.4, 0.78, 0.8]
    assert not plt.fignum_exists(fig.number)


# --------------------------------------------------------------------------------- noise
def test_standard_error_of_an_accuracy():
    assert metrics.standard_error(0.5, 100) == pytest.approx(0.05)
    assert metrics.standard_error(0.9, 400) == pytest.approx(0.015)
    assert metrics.standard_error(1.0, 50) == 0
    with pytest.raises(ValueError, match="at least 1 example"):
        metrics.standard_error(0.5, 0)


def test_mean_and_spread_over_seeds():
    import pandas as pd

    mean, sd = metrics.mean_and_spread([0.40, 0.42, 0.44])
    assert mean == pytest.approx(0.42) and sd == pytest.approx(0.02)  # sample standard deviation (ddof=1)
    mean, sd = metrics.mean_and_spread(pd.Series({42: 0.010, 1: -0.002, 2: 0.016}))
    assert mean == pytest.approx(0.008) and sd == pytest.approx(np.std([0.010, -0.002, 0.016], ddof=1))
    with pytest.raises(ValueError, match="at least 2"):
        metrics.mean_and_spread([0.5])


def test_verdicts_on_both_sides_of_the_noise():
    assert metrics.compare_accuracies("x", 0.415, 0.400, 200).outcome == "within noise"  # noise 2 x 0.035
    assert metrics.compare_accuracies("x", 0.270, 0.400, 200).outcome == "lower"
    assert metrics.compare_accuracies("x", 0.520, 0.400, 200).outcome == "higher"
    assert metrics.compare_over_seeds("x", [0.0, 0.0]).outcome == "within noise"  # no difference at all
    as_large = metrics.Verdict("x", 0.02, 0.02, "made up")
    assert as_large.outcome == "higher" and as_large.ratio == 1  # as large as the noise: not within it
    seeds = metrics.compare_over_seeds("early stopping", [0.010, -0.002, 0.016])
    assert str(seeds) == "[verdict] early stopping: diff=+0.008 noise=0.009 (sd over 3 seeds) -> within noise"
    assert set(metrics.OUTCOMES) == {"higher", "lower", "within noise"}
