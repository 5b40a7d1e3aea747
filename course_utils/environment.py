"""What this machine offers the course: device and precision, the Hub and the local caches.

Introduced with every notebook's banner (:mod:`course_utils.profiles` builds the profile from
these facts): which device trains (:func:`detect_device`) in which precision
(:func:`precision_for`: fp32 on CPU and MPS, fp16 on CUDA before Ampere such as Colab's T4, TF32
on Ampere and newer), whether the Hub answers within a couple of seconds, whether ``gpt2`` and
the dataset are cached, the offline switches, and the metric modules shipped for offline use.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

HUB_DATASET = "mteb/tweet_sentiment_extraction"
# The original Hub release (27,481 train / 3,534 test rows; columns id, text, label, label_text),
# the one the tutorial's figures were measured on. A 2025 update (v2) has 26,732 / 3,432 rows.
HUB_DATASET_REVISION = "d604517c81ca91fe16a244d1248fc021f9ecee7a"
HUB_MODEL = "gpt2"
HUB_HOST = "huggingface.co"
OFFLINE_SWITCHES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")
PRECISIONS = ("fp32", "tf32", "bf16", "fp16")
# Set by `python -m course_utils run --rehearse`: "gpt2" is then a stand-in (course_utils.cli.rehearse).
# The course's own copies of evaluate's accuracy and F1 modules, for evaluate.load offline.
METRICS_DIR = Path(__file__).resolve().parent / "evaluate_metrics"
SHIPPED_METRICS = ("accuracy", "f1")
REHEARSAL_SWITCH = "COURSE_REHEARSAL"
RECORD_SWITCH = "COURSE_RECORD"  # set by --record (run, bench, gpu-check): write the tracked results/
STANDIN_LABEL = "random weights: gpt2's shape and cost, not its knowledge"


def detect_device() -> str:
    """The best available device: CUDA, then Apple MPS, then CPU."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def cuda_capability() -> tuple[int, int] | None:
    """The CUDA GPU's compute capability, e.g. ``(7, 5)`` for a T4; None without CUDA."""
    import torch

    return tuple(torch.cuda.get_device_capability()) if torch.cuda.is_available() else None


def precision_for(device: str, capability: tuple[int, int] | None = None) -> str:
    """The precision a device trains GPT-2 fastest in without losing accuracy.

    CPU and MPS: fp32. CUDA before Ampere (capability below 8.0: T4, V100): fp16 mixed precision,
    which uses their tensor cores (TF32 does not exist there; ``tf32=True`` raises). Ampere and
    newer: TF32 matrix products with fp32 weights; bf16 autocast is not the default because it
    is not reliably faster for a model this small (measure with ``bench --precision bf16``).
    """
    if device != "cuda":
        return "fp32"
    return "fp16" if capability is not None and capability < (8, 0) else "tf32"


def check_precision(precision: str, device: str, capability: tuple[int, int] | None = None) -> None:
    """Raise a ValueError that says what to use instead when ``device`` cannot train in ``precision``."""
    if precision not in PRECISIONS:
        raise ValueError(f"Precision {precision!r} is not one of {', '.join(PRECISIONS)}.")
    if precision == "tf32" and device != "cuda":
        raise ValueError(f"Precision tf32 needs a CUDA GPU (Ampere or newer); this machine trains on {device}: "
                         "use fp32.")
    if precision == "fp16" and device == "cpu":
        raise ValueError("Precision fp16 needs a GPU; this machine trains on the CPU: use fp32.")
    if precision in ("tf32", "bf16") and device == "cuda" and capability is not None and capability < (8, 0):
        raise ValueError(f"Precision {precision} needs an Ampere or newer GPU (compute capability 8.0+); "
                         f"this GPU has {capability[0]}.{capability[1]} (a T4 has 7.5): use fp16 or fp32.")


def hub_reachable(timeout: float = 2.0) -> bool:
    """True if a TCP connection to the Hub opens within ``timeout`` seconds (never hangs)."""
    if any(os.environ.get(k, "").lower() in ("1", "true", "yes") for k in OFFLINE_SWITCHES):
        return False
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=timeout):
            return True
    except OSError:
        return False


def model_cached(model_id: str = HUB_MODEL, cache: Path | None = None) -> bool:
    """True if ``model_id``'s config and weights are already in the local Hugging Face cache."""
    from huggingface_hub import try_to_load_from_cache

    def cached(filename: str) -> bool:
        return isinstance(try_to_load_from_cache(model_id, filename, cache_dir=cache), str)

    return cached("config.json") and (cached("model.safetensors") or cached("pytorch_model.bin"))


def dataset_cached(dataset: str = HUB_DATASET, revision: str | None = HUB_DATASET_REVISION,
                   cache: Path | None = None) -> bool:
    """True if ``load_dataset(dataset, revision=revision)`` can work offline: the dataset was
    prepared once online, leaving its Arrow tables under ``<datasets cache>/<namespace>___<name>/
    <config>/<version>/<revision>`` (any revision if None). ``cache`` defaults to the datasets cache.
    """
    if cache is None:
        from datasets import config

        cache = Path(config.HF_DATASETS_CACHE)
    return any(prepared_dataset_dir(dataset, cache).glob(f"*/*/{revision or '*'}/dataset_info.json"))


def prepared_dataset_dir(dataset: str, cache: Path) -> Path:
    """The folder where ``datasets`` prepares the Hub dataset ``dataset`` inside ``cache``:
    ``"mteb/tweet_sentiment_extraction"`` -> ``cache/mteb___tweet_sentiment_extraction`` (the name
    in snake case, as ``datasets`` writes it)."""
    from datasets.naming import camelcase_to_snakecase

    *namespace, name = dataset.split("/")
    return cache / "___".join([*namespace, camelcase_to_snakecase(name)])


def offline() -> bool:
    """True when any Hugging Face offline switch is set."""
    return any(os.environ.get(k, "").lower() in ("1", "true", "yes") for k in OFFLINE_SWITCHES)


def metric_source(name: str, prefer_local: bool | None = None) -> str:
    """What to pass to ``evaluate.load`` for metric ``name`` ("accuracy" or "f1").

    The Hub name when online (the lesson's ``evaluate.load("accuracy")``), the path of the
    course's shipped copy when offline (or when ``prefer_local`` is True).
    """
    if name not in SHIPPED_METRICS:
        raise ValueError(f"No shipped copy of metric {name!r}; the course ships {SHIPPED_METRICS}.")
    local = offline() if prefer_local is None else prefer_local
    return str(METRICS_DIR / name) if local else name


def set_offline() -> None:
    """Set the Hugging Face offline switches so no later call waits on network retries."""
    for key in OFFLINE_SWITCHES:
        os.environ[key] = "1"
    sync_offline_switches()


def sync_offline_switches() -> None:
    """Make already-imported Hugging Face libraries see an offline switch set after their import.

    ``huggingface_hub`` and ``datasets`` read ``HF_HUB_OFFLINE`` once, at import; without this a
    Hub call made offline retries for about 20 s before it fails.
    """
    if os.environ.get("HF_HUB_OFFLINE", "").lower() not in ("1", "true", "yes"):
        return
    if "huggingface_hub" in sys.modules:
        sys.modules["huggingface_hub"].constants.HF_HUB_OFFLINE = True
    if "datasets" in sys.modules:
        import datasets.config

        datasets.config.HF_HUB_OFFLINE = True


def rehearsing() -> bool:
    """True inside ``run --rehearse``, where ``gpt2`` and the Hub dataset are offline stand-ins."""
    return os.environ.get(REHEARSAL_SWITCH, "") == "1"


def repo_root() -> Path:
    """The repository root (the folder holding ``notebooks/``)."""
    return Path(__file__).resolve().parent.parent
