"""Shared fixtures: the pocket tokenizer, model and a small tokenised dataset (loaded once)."""

from pathlib import Path

import pytest

from course_utils.profiles import get_profile


@pytest.fixture(autouse=True)
def results_elsewhere(tmp_path_factory, monkeypatch):
    """Commands run by a test record their results in a temporary folder, never in results/."""
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path_factory.mktemp("results")))


@pytest.fixture(scope="session")
def pocket_profile():
    return get_profile("pocket")


@pytest.fixture(scope="session")
def pocket_tokenizer(pocket_profile):
    from course_utils.model import load_tokenizer

    return load_tokenizer(pocket_profile.model)


@pytest.fixture(scope="session")
def pocket_splits(pocket_profile):
    from course_utils.data import load_tweets, make_subsets

    return make_subsets(load_tweets(pocket_profile), train_size=256, val_size=64, test_size=128)


@pytest.fixture(scope="session")
def executed_notebooks(request, tmp_path_factory) -> Path:
    """The notebooks as nbval executed them in this session; else the series run here (pocket).
    The browser tests of the book and of the slides build their sites from it."""
    from tests.executed_copies import complete_folder, run_series

    folder = complete_folder(request.config)
    if folder is not None:
        print(f"\n[executed] from the notebooks nbval executed in this session: {folder}")
        return folder
    print("\n[executed] notebooks/ did not run under nbval in this session: running the series (pocket)")
    return run_series(tmp_path_factory.mktemp("executed") / "notebooks")
