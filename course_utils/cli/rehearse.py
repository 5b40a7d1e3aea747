"""Rehearse the real profiles offline: ``gpt2`` and the Hub dataset served from a stand-in cache.

Used by ``python -m course_utils run --rehearse`` and by CI; no notebook imports it. The
``small`` and ``full`` profiles load ``"gpt2"`` and ``mteb/tweet_sentiment_extraction`` at its
pinned revision; neither can be downloaded in CI or in this workplace. A rehearsal gives them a
Hugging Face cache of their own (``HF_HOME`` in a folder of the repo's ``build/``, never the
user's real cache) holding:

- ``gpt2``: a **stand-in** (:func:`standin_model`): GPT-2 124M's exact shape (``GPT2Config()``'s
  defaults) with random weights, and GPT-2's own tokenizer. Random weights have gpt2's shape and
  cost, not its knowledge: every speed is real, every accuracy is meaningless.
- the dataset: the pocket tweets, in the Hub repository's file layout (``train.jsonl``,
  ``test.jsonl`` under the pinned revision) and prepared as ``datasets`` prepares a download.

Then the offline switches go on and the notebooks run unchanged: the code under test is the code
students run (``from_pretrained("gpt2")``, ``load_dataset(id, revision=...)``, the cache checks of
``prefetch`` and the automatic profile choice); only the cache's contents are stand-ins.
``trim=True`` makes the stand-in 2 blocks of 64 and the subsets tiny, for CI.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from course_utils.environment import (
    HUB_DATASET,
    HUB_DATASET_REVISION,
    HUB_MODEL,
    OFFLINE_SWITCHES,
    REHEARSAL_SWITCH,
    STANDIN_LABEL,
    prepared_dataset_dir,
    repo_root,
)
from course_utils.gpt2_tokenizer import GPT2_TOKENIZER_DIR, TOKENIZER_FILES
from course_utils.pocket import POCKET_DATA_FILES

# Keeps gpt2's tokenizer and 1,024 positions; only depth and width shrink.
TRIMMED_SHAPE = {"n_layer": 2, "n_embd": 64, "n_head": 2}
# The trimmed rehearsal's subsets and plan (every cell runs; nothing is meant to be learned).
TRIMMED_OVERRIDES = {"COURSE_TRAIN_SIZE": "48", "COURSE_VAL_SIZE": "24", "COURSE_TEST_SIZE": "24",
                     "COURSE_EPOCHS": "1", "COURSE_PLAN": "tiny"}


def standin_config(**settings):
    """GPT-2 124M's configuration (``GPT2Config()``: 12 blocks, 768 wide, 12 heads, 50,257 tokens,
    1,024 positions), marked ``course_standin`` so that anyone reading it knows; ``settings``
    override (e.g. ``n_layer=2``, or ``num_labels=3`` for a classifier)."""
    from transformers import GPT2Config

    return GPT2Config(course_standin=STANDIN_LABEL, **settings)


def standin_model(seed: int = 0, **shape):
    """The stand-in for ``gpt2``: a ``GPT2LMHeadModel`` of :func:`standin_config` with random weights."""
    import torch
    from transformers import GPT2LMHeadModel

    torch.manual_seed(seed)
    return GPT2LMHeadModel(standin_config(**shape))


def _commit(text: str) -> str:
    """A 40-hex "commit" naming a stand-in snapshot (the cache layout needs one)."""
    return hashlib.sha1(text.encode()).hexdigest()


def _write_if_changed(path: Path, text: str) -> None:
    """Leave a file alone when it already says ``text``: another rehearsal may be reading it."""
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


def write_model(hub_cache: Path, shape: dict, model_id: str = HUB_MODEL) -> Path:
    """Put the stand-in in ``hub_cache`` as ``snapshot_download(model_id)`` would: config,
    weights, generation config and GPT-2's tokenizer files under ``snapshots/<commit>``."""
    commit = _commit(f"course stand-in {model_id} {json.dumps(shape, sort_keys=True)}")
    repo = hub_cache / f"models--{model_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / commit
    if not (snapshot / "model.safetensors").is_file():
        tmp = snapshot.with_name(commit + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        model = standin_model(**shape)
        model.save_pretrained(tmp, safe_serialization=True)
        for name in TOKENIZER_FILES:
            shutil.copy(GPT2_TOKENIZER_DIR / name, tmp / name)
        shutil.rmtree(snapshot, ignore_errors=True)
        tmp.rename(snapshot)
    (repo / "refs").mkdir(exist_ok=True)
    _write_if_changed(repo / "refs" / "main", commit)
    return snapshot


def write_dataset(hf_home: Path, dataset: str = HUB_DATASET, revision: str = HUB_DATASET_REVISION) -> Path:
    """Put the pocket tweets in ``hf_home`` as an online ``load_dataset(dataset, revision=...)``
    leaves them: the repository's files under ``hub/datasets--.../snapshots/<revision>`` and the
    prepared Arrow tables under ``datasets/<namespace>___<name>/default/0.0.0/<revision>``, which
    is what ``load_dataset`` reads when offline."""
    from datasets.packaged_modules.json.json import Json

    namespace, name = dataset.split("/")
    repo = hf_home / "hub" / f"datasets--{namespace}--{name}"
    snapshot = repo / "snapshots" / revision
    snapshot.mkdir(parents=True, exist_ok=True)
    for split, path in POCKET_DATA_FILES.items():
        target = snapshot / f"{split}.jsonl"
        if not target.is_file() or target.read_bytes() != Path(path).read_bytes():  # a rehearsal may be reading it
            shutil.copy(path, target)
    _write_if_changed(snapshot / "README.md", "Course rehearsal: the pocket tweets standing in for this dataset.\n")
    (repo / "refs").mkdir(exist_ok=True)
    _write_if_changed(repo / "refs" / "main", revision)

    prepared = prepared_dataset_dir(dataset, hf_home / "datasets") / "default" / "0.0.0" / revision
    if not (prepared / "dataset_info.json").is_file():
        scratch = hf_home / "datasets" / "_rehearsal_build"
        builder = Json(cache_dir=str(scratch), dataset_name=name, config_name="default", config_id="default",
                       hash=revision,
                       data_files={split: str(snapshot / f"{split}.jsonl") for split in POCKET_DATA_FILES})
        builder.download_and_prepare(output_dir=str(prepared))
        shutil.rmtree(scratch, ignore_errors=True)
        for lock in prepared.parent.glob("*.lock"):
            lock.unlink()
    return prepared


def default_home(trim: bool) -> Path:
    """Where a rehearsal keeps its Hugging Face cache: ``build/rehearsal-hf[-trimmed]`` in the repo."""
    return repo_root() / "build" / ("rehearsal-hf-trimmed" if trim else "rehearsal-hf")


def prepare(trim: bool = False, hf_home: Path | None = None) -> dict[str, str]:
    """Write (or reuse) the stand-in cache; returns the environment a rehearsal runs under:
    its own ``HF_HOME`` and output folder, the offline switches, the rehearsal switch (the banner
    names the stand-in) and, trimmed, tiny subsets and plan."""
    hf_home = Path(hf_home) if hf_home else default_home(trim)
    write_model(hf_home / "hub", TRIMMED_SHAPE if trim else {})
    write_dataset(hf_home)
    env = {"HF_HOME": str(hf_home), REHEARSAL_SWITCH: "1", "HF_EVALUATE_OFFLINE": "1",
           **dict.fromkeys(OFFLINE_SWITCHES, "1"),
           # Checkpoints of the stand-in never mix with real runs (a notebook reuses finished runs).
           "COURSE_OUTPUT_DIR": str(hf_home.parent / f"{hf_home.name}-outputs")}
    if trim:
        env.update(TRIMMED_OVERRIDES)
    return env


def main_rehearse(args) -> int:
    """``python -m course_utils run --rehearse [--trim] [--profile small|full]``: the notebooks on
    the stand-in cache. The run itself happens in a child process, so that every library there
    reads the rehearsal's ``HF_HOME`` from its first import. Without ``--profile`` the notebooks
    choose automatically, which offline with this cache means ``small`` on a CPU."""
    if args.profile == "pocket":
        print("--rehearse stands in for gpt2 and the Hub dataset: use it with --profile small or full.")
        return 2
    env = prepare(trim=args.trim)
    print(f"[rehearsal] gpt2 and {HUB_DATASET} served offline from {env['HF_HOME']}: gpt2 is a stand-in "
          f"({STANDIN_LABEL}){', trimmed' if args.trim else ''}; the dataset holds the pocket tweets.",
          flush=True)
    command = [sys.executable, "-m", "course_utils", "run"]
    command += ["--profile", args.profile] if args.profile else []
    command += ["--only", args.only] if args.only else []
    return subprocess.run(command, env={**os.environ, **env}, check=False).returncode
