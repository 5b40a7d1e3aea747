"""Prefetch: download what a profile needs the night before, then prove it loads offline.

``python -m course_utils prefetch [--profile full]`` fills the normal Hugging Face caches with
the model and tokenizer, the dataset at its pinned revision and the two metric scripts, then
loads each of them again in a fresh process with the network switched off. Afterwards the
automatic profile choice finds the cached model and picks the real profile even offline (a
classroom with poor Wi-Fi). The README introduces it; no notebook needs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from course_utils.environment import OFFLINE_SWITCHES, dataset_cached, model_cached
from course_utils.profiles import Profile, get_profile

MODEL_FILES = ("config.json", "model.safetensors", "tokenizer_config.json", "tokenizer.json",
               "vocab.json", "merges.txt", "generation_config.json")
HUB_METRICS = ("accuracy", "f1")


@dataclass
class ItemStatus:
    item: str
    ok: bool
    detail: str


def metric_cached(name: str, modules_cache: Path | None = None) -> bool:
    """True if evaluate's module cache holds the Hub metric ``name`` (e.g. "accuracy")."""
    if modules_cache is None:
        from evaluate import config

        modules_cache = Path(config.HF_MODULES_CACHE)
    folder = modules_cache / "evaluate_modules" / "metrics" / f"evaluate-metric--{name}"
    return folder.is_dir() and any(len(p.name) == 64 for p in folder.iterdir())


def cache_status(profile: Profile) -> dict[str, bool]:
    """What of ``profile``'s needs is already cached (the pocket profile needs nothing)."""
    if profile.data == "pocket":
        return {}
    return {
        f"model {profile.model}": model_cached(profile.model),
        f"dataset {profile.dataset}@{str(profile.revision)[:7]}": dataset_cached(profile.dataset, profile.revision),
        **{f"metric {name}": metric_cached(name) for name in HUB_METRICS},
    }


def download(profile: Profile) -> list[ItemStatus]:
    """Download model, tokenizer, dataset and metrics into the Hugging Face caches."""
    results = []

    def attempt(item: str, action) -> None:
        try:
            action()
            results.append(ItemStatus(item, True, "downloaded"))
        except Exception as error:  # report every item, whatever went wrong with one
            results.append(ItemStatus(item, False, f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"))

    from huggingface_hub import snapshot_download

    attempt(f"model {profile.model}", lambda: snapshot_download(profile.model, allow_patterns=list(MODEL_FILES)))

    def fetch_dataset() -> None:
        from datasets import load_dataset

        load_dataset(profile.dataset, revision=profile.revision)

    attempt(f"dataset {profile.dataset}@{str(profile.revision)[:7]}", fetch_dataset)
    for name in HUB_METRICS:
        attempt(f"metric {name}", lambda name=name: __import__("evaluate").load(name))
    return results


VERIFY_SCRIPT = """
import sys
from transformers import AutoTokenizer, GPT2ForSequenceClassification
from datasets import load_dataset
import evaluate
model, dataset, revision = sys.argv[1:4]
AutoTokenizer.from_pretrained(model)
GPT2ForSequenceClassification.from_pretrained(model, num_labels=3)
data = load_dataset(dataset, revision=revision)
for name in ("accuracy", "f1"):
    evaluate.load(name)
print("offline load ok:", {split: len(rows) for split, rows in data.items()})
"""


def verify_offline(profile: Profile, timeout: int = 300) -> ItemStatus:
    """Load everything again in a fresh process with every offline switch on."""
    env = {**os.environ, **dict.fromkeys(OFFLINE_SWITCHES, "1"), "HF_EVALUATE_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", VERIFY_SCRIPT, profile.model, profile.dataset, str(profile.revision)],
                          env=env, capture_output=True, text=True, timeout=timeout)
    last = (done.stdout.strip() or done.stderr.strip() or "no output").splitlines()[-1]
    return ItemStatus("offline check", done.returncode == 0, last[:300])


def add_arguments(parser) -> None:
    """``prefetch``'s options."""
    parser.add_argument("--profile", choices=("small", "full"), default="full",
                        help="profile to prepare (default: full; small uses the same files)")


def main_prefetch(args) -> int:
    profile = get_profile(args.profile or "full")
    if profile.data == "pocket":
        print("The pocket profile is embedded in the package: nothing to download.")
        return 0
    print(f"Prefetching for profile {profile.name}: {profile.model}, "
          f"{profile.dataset}@{str(profile.revision)[:7]}, metrics")
    cached = [item for item, found in cache_status(profile).items() if found]
    print(f"  already cached: {', '.join(cached)} (checked again below)" if cached else "  nothing cached yet")
    results = download(profile)
    if all(r.ok for r in results):
        results.append(verify_offline(profile))
    for r in results:
        print(f"  {'ok    ' if r.ok else 'FAILED'} {r.item}: {r.detail}")
    if not all(r.ok for r in results):
        print("Some items could not be fetched (see above). Check the network or a proxy, then run this again; "
              "COURSE_PROFILE=pocket works with no download at all.")
        return 1
    print("Everything loads offline. The automatic profile will now pick the real model even without network.")
    return 0
