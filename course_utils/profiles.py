"""Profiles: one switch (``COURSE_PROFILE``) that says what every notebook uses.

Introduced in every notebook's first cell (the banner). A profile fixes the model, the data
source and its pinned revision, the subset sizes, the maximum token length, batch sizes, epochs,
learning rate, precision and device, so that the same notebook runs in seconds on the embedded
``pocket`` bundle (CI, no network, stage backup), on a laptop (``small``) or on a Colab GPU
(``full``, the tutorial's 1,000/1,000 recipe).

When ``COURSE_PROFILE`` is unset, :func:`get_profile` probes the Hugging Face Hub with a short
timeout: no Hub and nothing cached means ``pocket`` (and the offline switches are set so no
later call waits on retries); otherwise ``full`` on CUDA and ``small`` elsewhere. Precision
follows what the device can do (:func:`precision_for`): fp32 on CPU and MPS, fp16 mixed
precision on CUDA GPUs older than Ampere (Colab's T4), TF32 on Ampere and newer.

About 300 lines: the presets, the Profile they fill and the order of resolution (variables, probe,
fallback) are one story, read top to bottom.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

from course_utils.environment import (
    HUB_DATASET,
    HUB_DATASET_REVISION,
    HUB_MODEL,
    PRECISIONS,
    RECORD_SWITCH,
    REHEARSAL_SWITCH,
    SHIPPED_METRICS,
    STANDIN_LABEL,
    check_precision,
    cuda_capability,
    dataset_cached,
    detect_device,
    hub_reachable,
    metric_source,
    model_cached,
    precision_for,
    rehearsing,
    set_offline,
)
from course_utils.plan import PLANS, Plan
from course_utils.pocket import POCKET_DATA_FILES, POCKET_MODEL_DIR

# The three profiles as data (the README's profile table; every banner shows the active one's).
# Device-dependent fields (device, precision) are filled in by preset(); COURSE_* variables override.
_LESSON = {"max_length": 128, "epochs": 3, "train_size": 1000, "val_size": 500, "test_size": 1000}
PRESETS: dict[str, dict] = {
    "pocket": {**_LESSON, "model": str(POCKET_MODEL_DIR), "data": "pocket", "dataset": "pocket", "revision": None,
               "train_batch_size": 32, "eval_batch_size": 128, "learning_rate": 3e-3, "plan": "pocket"},
    "small": {**_LESSON, "model": HUB_MODEL, "data": "hub", "dataset": HUB_DATASET, "revision": HUB_DATASET_REVISION,
              "val_size": 150, "test_size": 400, "train_batch_size": 16, "eval_batch_size": 64, "epochs": 1,
              "learning_rate": 1e-4, "plan": "small"},
    # The tutorial's recipe: its learning rate, epochs and 1,000 / 1,000 tweets (batch 8, not 1).
    "full": {**_LESSON, "model": HUB_MODEL, "data": "hub", "dataset": HUB_DATASET, "revision": HUB_DATASET_REVISION,
             "train_batch_size": 8, "eval_batch_size": 256, "learning_rate": 5e-5, "plan": "full"},
}
PROFILE_NAMES = tuple(PRESETS)
TUTORIAL_LEARNING_RATE = PRESETS["full"]["learning_rate"]


@dataclass(frozen=True)
class Profile:
    """Everything a notebook needs to know about the active set-up."""

    name: str
    model: str  # a Hub model id or a local folder
    data: str  # where the tweets come from: "hub", "pocket" (embedded) or "files" (train --data)
    dataset: str  # Hub id of the dataset ("pocket" for the embedded one)
    revision: str | None  # pinned dataset revision (Hub only)
    train_size: int
    val_size: int  # held out from the train split, for evaluation during training
    test_size: int
    max_length: int  # truncation length in tokens (Hub tweets: mean 18.4, 99th percentile 41 GPT-2 tokens; README)
    train_batch_size: int
    eval_batch_size: int
    epochs: float
    learning_rate: float
    precision: str  # "fp32", "tf32", "bf16" or "fp16" (see precision_for)
    device: str  # "cuda", "mps" or "cpu"
    plan: Plan  # sizes of the experiments around the lesson (course_utils.plan)
    fell_back: bool = False  # True when auto mode fell back to pocket for lack of a network

    def replace(self, **changes) -> Profile:
        """A copy with some fields changed (e.g. ``profile.replace(epochs=1)``)."""
        return dataclasses.replace(self, **changes)

    @property
    def model_label(self) -> str:
        """A short name for the model; says so when ``gpt2`` is the rehearsal's stand-in."""
        if self.data == "pocket" and self.model == str(POCKET_MODEL_DIR):
            return "pocket tiny GPT-2"
        if rehearsing() and self.model == HUB_MODEL:
            return f"gpt2 STAND-IN ({STANDIN_LABEL})"
        return self.model

    @property
    def data_files(self) -> dict[str, str] | None:
        """The pocket tweets' JSON-lines files, for ``load_dataset("json", data_files=...)``;
        None for the Hub dataset (loaded by name and revision instead)."""
        return dict(POCKET_DATA_FILES) if self.data == "pocket" else None

    @property
    def metrics(self) -> dict[str, str]:
        """What to pass to ``evaluate.load`` per metric (see :func:`metric_source`)."""
        return {name: metric_source(name) for name in SHIPPED_METRICS}

    @property
    def trainer_precision_args(self) -> dict[str, bool]:
        """The ``TrainingArguments`` flags that select this profile's precision."""
        return {
            "bf16": self.precision == "bf16",
            "fp16": self.precision == "fp16",
            "tf32": True if self.precision == "tf32" else None,
        }


def preset(name: str, device: str, capability: tuple[int, int] | None = None) -> Profile:
    """Profile ``name`` from :data:`PRESETS` on ``device``, before any ``COURSE_*`` override: the
    precision follows the device (:func:`precision_for`) except on pocket, which stays fp32."""
    if name not in PRESETS:
        raise ValueError(
            f"Unknown profile {name!r}. Set COURSE_PROFILE to one of {', '.join(PROFILE_NAMES)} "
            "(or leave it unset to choose automatically)."
        )
    values = dict(PRESETS[name])
    precision = "fp32" if name == "pocket" else precision_for(device, capability)
    return Profile(name=name, precision=precision, device=device, plan=PLANS[values.pop("plan")], **values)


def choose_profile_name(requested: str | None, device: str, online: bool, cached: bool) -> tuple[str, bool]:
    """Decide the profile name; returns ``(name, fell_back_to_pocket)``.

    ``requested`` is the value of ``COURSE_PROFILE`` (``None``, ``""`` or ``"auto"`` mean
    automatic). Pure logic, so it is easy to test; :func:`get_profile` supplies the facts.
    """
    if requested and requested.lower() != "auto":
        name = requested.lower()
        if name not in PROFILE_NAMES:
            preset(name, device)  # raises the helpful error
        return name, False
    if not online and not cached:
        return "pocket", True
    return ("full" if device == "cuda" else "small"), False


def get_profile(name: str | None = None, probe_timeout: float = 2.0) -> Profile:
    """The active profile: ``name`` if given, else ``COURSE_PROFILE``, else automatic.

    Automatic mode never waits more than ``probe_timeout`` seconds for the Hub. When it falls
    back to ``pocket``, or the Hub is unreachable but the model is cached, it sets the offline
    switches. Field overrides come from ``COURSE_TRAIN_SIZE``, ``COURSE_EPOCHS`` and friends
    (see :data:`ENV_OVERRIDES`).
    """
    check_course_variables()
    requested = name if name is not None else os.environ.get("COURSE_PROFILE")
    device = detect_device()
    capability = cuda_capability() if device == "cuda" else None
    if requested and requested.lower() != "auto":
        chosen, fell_back = choose_profile_name(requested, device, online=True, cached=True)
        if chosen == "pocket":
            set_offline()
    else:
        online = hub_reachable(probe_timeout)
        cached = False if online else model_cached() and dataset_cached()
        chosen, fell_back = choose_profile_name(None, device, online=online, cached=cached)
        if not online:
            set_offline()
    profile = apply_env_overrides(preset(chosen, device, capability).replace(fell_back=fell_back))
    check_precision(profile.precision, profile.device, capability)
    return profile


ENV_OVERRIDES: dict[str, tuple[str, type]] = {
    "COURSE_MODEL": ("model", str),
    "COURSE_TRAIN_SIZE": ("train_size", int),
    "COURSE_VAL_SIZE": ("val_size", int),
    "COURSE_TEST_SIZE": ("test_size", int),
    "COURSE_EPOCHS": ("epochs", float),
    "COURSE_LR": ("learning_rate", float),
    "COURSE_BATCH_SIZE": ("train_batch_size", int),
    "COURSE_MAX_LENGTH": ("max_length", int),
    "COURSE_PRECISION": ("precision", str),
    "COURSE_PLAN": ("plan", str),
}


# Upper bounds: beyond them a value is a typo, and would fail deep inside the libraries instead
# (1e308 epochs overflow the Trainer's step count; a batch past sys.maxsize breaks its sampler).
MAXIMA = {"epochs": 1000, "train_batch_size": 2**20}
# Every COURSE_* variable the course reads; any other is a typo, refused by get_profile.
COURSE_VARIABLES = (*ENV_OVERRIDES, "COURSE_PROFILE", "COURSE_OUTPUT_DIR", "COURSE_RESULTS_DIR",
                    REHEARSAL_SWITCH, RECORD_SWITCH,
                    # the browser tests': Chromium's path, the run's limit, the Colab lane's Python
                    "COURSE_CHROMIUM", "COURSE_BROWSER_RUN_TIMEOUT", "COURSE_COLAB_PYTHON")
SWITCHES = (REHEARSAL_SWITCH, RECORD_SWITCH)  # "1" on, "0" or "" off


def check_course_variables(environ: dict[str, str] | None = None) -> None:
    """Refuse, in one line, a ``COURSE_*`` variable the course does not read (naming the closest
    one it does) and a switch that is neither 0 nor 1."""
    environ = os.environ if environ is None else environ
    for key, value in environ.items():
        if not key.startswith("COURSE_"):
            continue
        if key not in COURSE_VARIABLES:
            close = difflib.get_close_matches(key[7:], [name[7:] for name in COURSE_VARIABLES], n=1, cutoff=0.5)
            raise ValueError(f"{key} is not a course setting{f' (did you mean COURSE_{close[0]}?)' if close else ''}: "
                             f"unset it. The course reads {', '.join(sorted(COURSE_VARIABLES[:-2]))}.")
        if key in SWITCHES and value not in ("", "0", "1"):
            raise ValueError(f"{key}={value!r} must be 1 (on) or 0 (off).")


def apply_env_overrides(profile: Profile, environ: dict[str, str] | None = None) -> Profile:
    """Apply ``COURSE_*`` environment overrides to ``profile`` with a clear error on bad values."""
    environ = os.environ if environ is None else environ
    changes = {}
    for key, (field, kind) in ENV_OVERRIDES.items():
        raw = environ.get(key)
        if raw in (None, ""):
            continue
        try:
            value = kind(raw)
        except ValueError:
            raise ValueError(f"{key}={raw!r} is not a valid {kind.__name__}; unset it or fix the value.") from None
        lowest = 0 if field == "val_size" else 1e-300  # no validation is allowed; nothing else may be 0
        if kind is not str and not (math.isfinite(value) and value >= lowest):
            allowed = "zero or a positive whole number" if field == "val_size" else "a positive, finite number"
            raise ValueError(f"{key}={raw!r} must be {allowed}.")
        if field in MAXIMA and value > MAXIMA[field]:
            raise ValueError(f"{key}={raw!r} must be at most {MAXIMA[field]:,}.")
        changes[field] = value
    if changes.get("precision", profile.precision) not in PRECISIONS:
        raise ValueError(f"COURSE_PRECISION must be one of {', '.join(PRECISIONS)}.")
    if "plan" in changes:
        if changes["plan"] not in PLANS:
            raise ValueError(f"COURSE_PLAN must be one of {', '.join(PLANS)}.")
        changes["plan"] = PLANS[changes["plan"]]
    return profile.replace(**changes) if changes else profile


def pocket_parameters(model_dir: Path = POCKET_MODEL_DIR) -> int | None:
    """The pocket GPT-2's parameter count, from its ``config.json`` (None if it cannot be read).

    Counted as ``GPT2LMHeadModel`` has them (the LM head shares the embedding), without loading
    the weights: the banner stays instant.
    """
    try:
        config = json.loads((Path(model_dir) / "config.json").read_text())
        vocab, positions, width, layers = (int(config[key])
                                           for key in ("vocab_size", "n_positions", "n_embd", "n_layer"))
        inner = int(config.get("n_inner") or 4 * width)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    block = 4 * width + (3 * width * width + 3 * width) + (width * width + width) + 2 * width * inner + inner + width
    return vocab * width + positions * width + layers * block + 2 * width


def pocket_note(profile: Profile) -> str | None:
    """The banner's second line whenever the pocket model or the pocket tweets are in use: its
    numbers are a rehearsal, not gpt2's. None on the real profiles."""
    tiny = profile.model == str(POCKET_MODEL_DIR)
    generated = profile.data == "pocket"
    if not (tiny or generated):
        return None
    count = pocket_parameters() if tiny else None
    model = "tiny GPT-2" + (f" ({count / 1e6:.1f} M parameters)" if count else "")
    if tiny and generated:
        return (f"[course] POCKET: {model} and generated tweets: a rehearsal of the lesson, "
                "its numbers are not gpt2's on real tweets.")
    if tiny:
        return f"[course] POCKET: {model}, not gpt2: its numbers are not gpt2's."
    return ("[course] POCKET: generated tweets, not real ones: a rehearsal of the lesson, "
            "its numbers are not gpt2's on real tweets.")


def banner(profile: Profile | None = None) -> str:
    """Print and return the summary of what is active: one line on the real profiles, a second
    line on the pocket bundle (:func:`pocket_note`), and a loud warning first when it fell back."""
    profile = profile or get_profile()
    stand_in = " (REHEARSAL: the pocket tweets)" if rehearsing() and profile.data == "hub" else ""
    line = (
        f"[course] profile={profile.name} | model={profile.model_label} | "
        f"data={profile.dataset}{'@' + profile.revision[:7] if profile.revision else ''}{stand_in} | "
        f"train/val/test={profile.train_size}/{profile.val_size}/{profile.test_size} | "
        f"max_length={profile.max_length} | batch={profile.train_batch_size} | "
        f"epochs={profile.epochs:g} | precision={profile.precision} | device={profile.device}"
    )
    note = pocket_note(profile)
    if note:
        line += "\n" + note
    if profile.fell_back:
        line = (
            "!!! The Hugging Face Hub cannot be reached and gpt2 is not cached: falling back to the "
            "embedded POCKET bundle (tiny GPT-2, synthetic tweets). Numbers below are NOT gpt2's. "
            "Run `python -m course_utils prefetch` while online, or set COURSE_PROFILE.\n" + line
        )
    print(line)
    return line


