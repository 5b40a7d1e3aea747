"""Measurements on record, read back: the notebook times and the benchmark of the two recipes.

Introduced in notebook 06, which quotes the benchmark of the tutorial's recipe against the
course's from ``results/bench/`` instead of typing figures by hand. The records are written by
the commands (:mod:`course_utils.cli.records`); ``COURSE_RESULTS_DIR`` moves the folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from course_utils.environment import repo_root


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
