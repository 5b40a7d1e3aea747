"""Test configuration shared by unit tests and nbval.

Tests never touch the network: the pocket profile and the Hugging Face offline switches are
forced here, before any library is imported and before nbval starts a kernel (kernels inherit
this environment).
"""

import datetime
import os
import sys
from pathlib import Path

import pytest

os.environ["COURSE_PROFILE"] = "pocket"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collection_modifyitems(items):
    """Give nbval's `# NBVAL_CHECK_OUTPUT` cells their recorded outputs (see cli/expected.py), and
    mark every notebook cell and browser test `slow`: `pytest -m "not slow"` is the quick lane; run
    the tests marked `after_notebooks` last."""
    from course_utils.cli.expected import apply_to_items

    apply_to_items(items)
    for item in items:
        if item.path.suffix == ".ipynb" or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
    # The browser tests of the book and the slides read the notebooks nbval executed (tests/executed_copies.py).
    items.sort(key=lambda item: item.get_closest_marker("after_notebooks") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """A notebook's kernel draws its figures inline, as under `run`, in Jupyter and in Colab: nbval
    starts it while the notebook's first cell is set up, with this process's environment, less
    the Agg backend set above for the unit tests. The executed copies keep the figures
    (tests/executed_copies.py: the book's test shows them)."""
    if item.path.suffix != ".ipynb":
        return (yield)
    backend = os.environ.pop("MPLBACKEND", None)
    try:
        return (yield)
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After nbval runs a notebook cell, check what it printed (``tests/output_checks.py``): every
    ``[verdict]`` line agrees with its own numbers, every exercise check says "not attempted" in a
    notebook and "correct" in a solution, and no stale progress bar, widget repr or empty
    table is left for a reader of the executed copy."""
    started = datetime.datetime.now(datetime.timezone.utc)
    result = yield
    outputs = getattr(item, "test_outputs", None)  # set by nbval's cell item after it runs
    if outputs is not None:
        if str(Path(__file__).parent) not in sys.path:
            sys.path.insert(0, str(Path(__file__).parent))
        from tests.executed_copies import keep_outputs
        from tests.output_checks import cell_output_problems, exercise_check_problems

        keep_outputs(item, outputs, started)  # the executed copies the book's and slides' tests build from

        # Junk matters in the executed copies that `run` writes (notebooks/); solutions are checked
        # for their verdicts only.
        folder = item.path.parent.name
        problems = cell_output_problems(outputs, junk=folder == "notebooks")
        if folder in ("notebooks", "solutions"):
            expected = "correct" if folder == "solutions" else "not attempted"
            problems += exercise_check_problems("".join(item.cell["source"]), outputs, expected)
        if problems:
            raise AssertionError(f"{item.name}: " + "\n".join(problems))
    return result
