"""Prefetch: cache detection against a local cache folder (the download itself needs the Hub)."""

from types import SimpleNamespace

from course_utils import environment, profiles
from course_utils.cli import prefetch


def make_snapshot(cache, kind, repo, revision, files):
    folder = cache / f"{kind}--{repo.replace('/', '--')}" / "snapshots" / revision
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("{}")
    refs = cache / f"{kind}--{repo.replace('/', '--')}" / "refs"
    refs.mkdir(parents=True, exist_ok=True)
    (refs / "main").write_text(revision)


def make_prepared(cache, dataset, revision):
    """What an online load_dataset(dataset, revision=...) leaves in the datasets cache."""
    folder = cache / dataset.replace("/", "___") / "default" / "0.0.0" / revision
    folder.mkdir(parents=True)
    (folder / "dataset_info.json").write_text("{}")


def test_dataset_cached_needs_the_prepared_tables_at_the_pinned_revision(tmp_path):
    dataset, revision = environment.HUB_DATASET, environment.HUB_DATASET_REVISION
    assert not environment.dataset_cached(dataset, revision, cache=tmp_path)
    make_snapshot(tmp_path, "datasets", dataset, revision, ["train.jsonl"])  # files alone: not loadable offline
    assert not environment.dataset_cached(dataset, revision, cache=tmp_path)
    make_prepared(tmp_path, dataset, "0" * 40)  # another revision
    assert not environment.dataset_cached(dataset, revision, cache=tmp_path)
    assert environment.dataset_cached(dataset, None, cache=tmp_path)
    make_prepared(tmp_path, dataset, revision)
    assert environment.dataset_cached(dataset, revision, cache=tmp_path)


def test_model_cached_needs_config_and_weights(tmp_path):
    assert not environment.model_cached("gpt2", cache=tmp_path)
    make_snapshot(tmp_path, "models", "gpt2", "a" * 40, ["config.json"])
    assert not environment.model_cached("gpt2", cache=tmp_path)
    make_snapshot(tmp_path, "models", "gpt2", "a" * 40, ["config.json", "model.safetensors"])
    assert environment.model_cached("gpt2", cache=tmp_path)


def test_metric_cached(tmp_path):
    assert not prefetch.metric_cached("accuracy", modules_cache=tmp_path)
    (tmp_path / "evaluate_modules" / "metrics" / "evaluate-metric--accuracy" / ("f" * 64)).mkdir(parents=True)
    assert prefetch.metric_cached("accuracy", modules_cache=tmp_path)


def test_cache_status_lists_every_item(monkeypatch):
    monkeypatch.setattr(prefetch, "model_cached", lambda model: True)
    monkeypatch.setattr(prefetch, "dataset_cached", lambda dataset, revision: False)
    monkeypatch.setattr(prefetch, "metric_cached", lambda name: name == "accuracy")
    status = prefetch.cache_status(profiles.preset("full", "cpu"))
    assert list(status.values()) == [True, False, True, False]
    assert prefetch.cache_status(profiles.preset("pocket", "cpu")) == {}


def test_prefetch_reports_each_failed_item_offline(capsys):
    # conftest forces the offline switches: every download fails fast and is named.
    code = prefetch.main_prefetch(SimpleNamespace(profile="full"))
    out = capsys.readouterr().out
    assert code == 1
    for item in ("model gpt2", "dataset mteb/tweet_sentiment_extraction", "metric accuracy", "metric f1"):
        assert f"FAILED {item}" in out
    assert "COURSE_PROFILE=pocket" in out
    assert "nothing cached yet" in out  # what was cached before downloading (here: nothing)


def test_prefetch_pocket_needs_nothing(capsys):
    assert prefetch.main_prefetch(SimpleNamespace(profile="pocket")) == 0
    assert "nothing to download" in capsys.readouterr().out
