"""Results on record: writing them, and the README's tables generated from them.

``python -m course_utils run`` writes ``results/runs/<label>.json`` (each notebook's status,
seconds and headline) and ``python -m course_utils bench`` writes ``results/bench/<label>.json``
(its JSON summary), both with the command, the date and the machine (CPU model and cores, GPU,
library versions). ``python -m course_utils results`` rewrites the README's two tables from
them; a test checks that they agree. Reading a record is :mod:`course_utils.results`.
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
from course_utils.results import (
    bench_records,
    format_rate,
    read_record,
    read_run,
    results_dir,
    where,
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    """The machine and software a measurement ran on."""
    info = {"cpu": _cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(terse=True), "gpu": None}
    for package in ("torch", "transformers", "datasets", "evaluate", "accelerate"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = None
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


# --------------------------------------------------------------------------------- README tables
RUN_COLUMNS = {  # recorded run -> column heading
    "pocket": "pocket",
    "small-rehearsal": "small: gpt2 stand-in, untrimmed",
    "small-rehearsal-trimmed": "small, trimmed (CI)",
    "full-rehearsal-trimmed": "full, trimmed (CI)",
}


def run_columns() -> dict[str, str]:
    """:data:`RUN_COLUMNS`, then one column per GPU that ``gpu-check`` recorded
    (``results/runs/full-rehearsal-<gpu>.json``)."""
    columns = dict(RUN_COLUMNS)
    folder = results_dir() / "runs"
    for path in sorted(folder.glob("full-rehearsal-*.json")) if folder.is_dir() else []:
        record = read_run(path.stem) or {}
        gpu = (record.get("gpu") or {}).get("name")
        if path.stem not in columns and gpu:
            columns[path.stem] = f"full: gpt2 stand-in, untrimmed, {gpu} (gpu-check)"
    return columns


def _cell(entry: dict | None) -> str:
    if not entry or entry.get("seconds") is None:
        return "-"
    return f"{entry['seconds']:.0f} s" + ("" if entry["status"] == "ok" else f" ({entry['status']})")


def times_table() -> str:
    """Markdown: seconds per notebook for each recorded run of :data:`RUN_COLUMNS`, with each
    run's machine and date, generated from ``results/runs/*.json``."""
    columns = run_columns()
    runs = {label: read_run(label) for label in columns}
    runs = {label: run for label, run in runs.items() if run}
    names = sorted({name for run in runs.values() for name in run["notebooks"]})
    lines = ["| notebook | " + " | ".join(columns[label] for label in runs) + " |",
             "|---|" + "---|" * len(runs)]
    for name in names:
        lines.append(f"| {name.removesuffix('.ipynb')} | "
                     + " | ".join(_cell(run["notebooks"].get(name)) for run in runs.values()) + " |")
    lines.append("| **series** | " + " | ".join(f"**{run['total_seconds'] / 60:.1f} min**" for run in runs.values()) + " |")
    lines.append("| measured on | " + " | ".join(f"{where(run)}, {run['date'][:10]}" for run in runs.values()) + " |")
    return "\n".join(lines)


def _bench_machine(record: dict) -> str:
    """The machine column of a bench row: the GPU with the course recipe's precision and batch,
    or the CPU with its thread count."""
    r = record["result"]
    if record["machine"].get("gpu"):
        return f"{where(record)}, {r.get('course_precision', '?')}, course batch {r.get('course_batch_size', '?')}"
    return f"{where(record)}, {r['threads']} threads"


def bench_table() -> str:
    """Markdown: one row per recorded ``bench`` run (``results/bench/*.json``)."""
    lines = ["| model | machine, date | train samples/s: tutorial / course | speed-up | eval samples/s: "
             "tutorial / course | speed-up | tokens per real token (train) | peak memory, MB | load average |",
             "|---|---|---|---|---|---|---|---|---|"]
    for record in bench_records():
        r = record["result"]
        lines.append(
            f"| {r['model_short']} | {_bench_machine(record)}, {record['date'][:10]} | "
            f"{format_rate(r['seed_train_samples_per_second'])} / {format_rate(r['course_train_samples_per_second'])} | "
            f"**{r['train_speedup']:.0f}x** | {format_rate(r['seed_eval_samples_per_second'])} / "
            f"{format_rate(r['course_eval_samples_per_second'])} | **{r['eval_speedup']:.0f}x** | "
            f"{r['seed_tokens_per_real_token']:.1f} / {r['course_tokens_per_real_token']:.2f} | "
            f"{r['seed_peak_memory_mb']:,} / {r['course_peak_memory_mb']:,} | "
            f"{r['load_average'][0]:.1f} before, {r['load_average'][1]:.1f} after |")
    return "\n".join(lines)


TABLES = {"notebook-times": times_table, "bench": bench_table}  # README marker -> generator


def _span(text: str, name: str) -> tuple[int, int]:
    """Where table ``name`` sits in the README's text (between its two markers)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    return text.index(begin) + len(begin), text.index(end)


def readme_tables(readme: Path | None = None) -> dict[str, str]:
    """The generated tables as the README holds them now."""
    text = (readme or repo_root() / "README.md").read_text()
    return {name: text[slice(*_span(text, name))].strip() for name in TABLES}


def stale_tables(readme: Path | None = None) -> list[str]:
    """The README tables that differ from what the records give."""
    held = readme_tables(readme)
    return [name for name, make in TABLES.items() if held[name] != make()]


def update_readme(readme: Path | None = None) -> bool:
    """Rewrite the README's generated tables from the records; True if anything changed."""
    readme = readme or repo_root() / "README.md"
    original = text = readme.read_text()
    for name, make in TABLES.items():
        start, end = _span(text, name)
        text = text[:start] + "\n" + make() + "\n" + text[end:]
    if text != original:
        readme.write_text(text)
    return text != original


def add_arguments(parser) -> None:
    """``results``' options."""
    parser.add_argument("--check", action="store_true", help="only say whether the README is up to date")


def main(args) -> int:
    """``results``: rewrite the README's tables from the records (``--check``: 1 if out of date)."""
    if args.check:
        stale = stale_tables()
        print(f"README tables out of date: {', '.join(stale)}" if stale else "README tables are up to date")
        return 1 if stale else 0
    print("README updated" if update_readme() else "README already up to date")
    return 0
