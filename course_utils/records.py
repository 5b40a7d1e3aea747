"""Measurements on record, written and read back: notebook times and the benchmark of the recipes.

``python -m course_utils run`` writes ``results/runs/<label>.json`` (each notebook's status,
seconds and headline), ``bench`` writes ``results/bench/<label>.json`` (its JSON summary) and
``gpu-check`` a GPU rehearsal, each with the command, the date and the machine (CPU model and
cores, GPU, library versions). Notebook 06 quotes the benchmark of the tutorial's recipe against
the course's from here instead of typing figures by hand; the cost lines read the notebook
times; ``python -m course_utils results`` builds the README's tables from them.
``COURSE_RESULTS_DIR`` moves the folder.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from course_utils.environment import RECORD_SWITCH, repo_root


def results_dir() -> Path:
    return Path(os.environ.get("COURSE_RESULTS_DIR") or repo_root() / "results")


def read_record(path: Path) -> dict | None:
    """A record's JSON, or None when it is missing or broken."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def run_record_path(label: str) -> Path:
    return results_dir() / "runs" / f"{label}.json"


def read_run(label: str) -> dict | None:
    """The last recorded run of ``label`` (e.g. ``pocket``, ``small-rehearsal``), or None."""
    return read_record(run_record_path(label))


def last_seconds(label: str, notebook: str) -> float | None:
    """How long ``notebook`` took in the last recorded ``label`` run (None if never recorded)."""
    record = read_run(label) or {}
    entry = record.get("notebooks", {}).get(notebook)
    return entry.get("seconds") if entry else None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


LIBRARIES = ("torch", "transformers", "datasets", "evaluate", "accelerate", "tokenizers", "course-utils")


def library_versions() -> dict[str, str | None]:
    """Python's version and those of the libraries that change a result (None: not installed)."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for package in LIBRARIES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def machine() -> dict:
    """The machine and software a measurement ran on."""
    info = {"cpu": _cpu_model(), "cores": os.cpu_count(), "platform": platform.platform(terse=True),
            "gpu": None, **library_versions()}
    if "torch" in sys.modules or info["torch"]:
        import torch

        info["threads"] = torch.get_num_threads()
        if torch.cuda.is_available():
            properties = torch.cuda.get_device_properties(0)
            info.update(gpu=properties.name, gpu_capability=f"{properties.major}.{properties.minor}",
                        gpu_memory_mb=round(properties.total_memory / 2**20), cuda=torch.version.cuda)
    return info


def gpu_slug(name: str) -> str:
    """A GPU's name as a record label: ``"NVIDIA H200"`` -> ``h200``, ``"Tesla T4"`` -> ``t4``."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower()).split()
    return "-".join(word for word in words if word not in ("nvidia", "tesla", "geforce")) or "gpu"


def records_dir() -> Path:
    """Where the commands write their records: ``COURSE_RESULTS_DIR`` when set; the tracked
    ``results/`` (which the README's tables and the tests read) only with ``--record``
    (``COURSE_RECORD=1``, passed on to child processes); otherwise ``build/results/``, so that a
    user's own runs never change the tracked records."""
    if os.environ.get("COURSE_RESULTS_DIR") or os.environ.get(RECORD_SWITCH) == "1":
        return results_dir()
    return repo_root() / "build" / "results"


def _write(path: Path, record: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path


def _now() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


def write_run(label: str, command: str, results, partial: bool = False) -> Path:
    """Record a run's notebooks (:class:`~course_utils.cli.run.NotebookResult`), merged into the
    previous record of ``label`` so that ``--only`` updates just the notebooks it ran."""
    path = records_dir() / "runs" / f"{label}.json"
    previous = read_record(path) or {}
    notebooks = previous.get("notebooks", {}) if partial else {}
    for result in results:
        notebooks[result.name] = {"status": result.status, "seconds": round(result.seconds, 1),
                                  "headline": result.headline, "error": result.error}
    record = {"label": label, "command": command, "date": _now(), "machine": machine(),
              "notebooks": dict(sorted(notebooks.items())),
              "total_seconds": round(sum(n["seconds"] for n in notebooks.values()), 1)}
    return _write(path, record)


def bench_label(result: dict, gpu: str | None = None) -> str:
    """The record a ``bench`` result replaces: one per model kind, device (and GPU) and mode,
    e.g. ``random-gpt2-cpu``, ``random-gpt2-cuda-h200``."""
    mode = "-accuracy" if "seed_accuracy" in result else ""
    device = f"cuda-{gpu_slug(gpu)}" if result["device"] == "cuda" and gpu else result["device"]
    return f"{result['weights']}-{device}{mode}"


def write_bench(command: str, result: dict) -> Path:
    """Record a ``bench`` run's JSON summary in ``results/bench/<label>.json`` (replacing the
    previous run of the same model kind, device and mode)."""
    info = machine()
    label = bench_label(result, info["gpu"])
    record = {"label": label, "command": command, "date": _now(), "machine": info, "result": result}
    return _write(records_dir() / "bench" / f"{label}.json", record)


def write_gpu_run(label: str, command: str, details: dict) -> Path:
    """Record a ``gpu-check`` rehearsal in ``results/runs/<label>.json``: the notebooks as
    :func:`write_run` records them (plus each one's peak GPU memory) and ``details`` (the GPU,
    the T4 estimate per notebook, the precision, bench and bare-loop steps)."""
    notebooks = dict(sorted(details["notebooks"].items()))
    record = {"label": label, "command": command, "date": _now(), "machine": machine(),
              **details, "notebooks": notebooks,
              "total_seconds": round(sum(n.get("seconds") or 0 for n in notebooks.values()), 1)}
    return _write(records_dir() / "runs" / f"{label}.json", record)


def bench_records() -> list[dict]:
    """Every recorded speed run of ``bench`` (``results/bench/*.json``), ordered by label;
    ``--accuracy`` runs time a handful of tweets and are left out."""
    folder = results_dir() / "bench"
    records = [read_record(path) for path in sorted(folder.glob("*.json"))] if folder.is_dir() else []
    return [record for record in records if record and "seed_accuracy" not in record["result"]]


def where(record: dict) -> str:
    """The machine a record was measured on, in words: GPU, else CPU model and cores."""
    machine = record["machine"]
    return machine["gpu"] or f"{machine['cpu']}, {machine['cores']} cores"


def format_rate(value: float) -> str:
    """A rate with three significant figures, without exponents: 0.101, 7.44, 33.9, 2,757."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def bench_sentences() -> list[str]:
    """One sentence per recorded benchmark: both recipes' training and evaluation rates and the
    ratios, with the model, the machine, the date and the command that measured them."""
    sentences = []
    for record in bench_records():
        r = record["result"]
        sentences.append(
            f"{r['model_short']} on {where(record)} ({record['date'][:10]}, `{record['command']}`): "
            f"training {format_rate(r['seed_train_samples_per_second'])} tweets/s with the tutorial's recipe, "
            f"{format_rate(r['course_train_samples_per_second'])} with the course's ({r['train_speedup']:.0f}x); "
            f"evaluation {r['eval_speedup']:.0f}x faster; {r['seed_tokens_per_real_token']:.1f} vs "
            f"{r['course_tokens_per_real_token']:.2f} tokens computed per real token.")
    return sentences or ["No benchmark is recorded in this copy of the course: run "
                         "`python -m course_utils bench` to measure both recipes on your machine."]
