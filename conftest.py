"""Test configuration shared by unit tests and nbval.

Tests never touch the network: the pocket profile and the Hugging Face offline switches are
forced here, before any library is imported and before nbval starts a kernel (kernels inherit
this environment).
"""

import os

os.environ["COURSE_PROFILE"] = "pocket"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collection_modifyitems(items):
    """Give nbval's `# NBVAL_CHECK_OUTPUT` cells their recorded outputs (see cli/expected.py), and
    mark every notebook cell and browser test `slow`: `pytest -m "not slow"` is the quick lane."""
    import pytest

    from course_utils.cli.expected import apply_to_items

    apply_to_items(items)
    for item in items:
        if item.path.suffix == ".ipynb" or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
