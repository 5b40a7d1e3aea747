"""``python -m course_utils results``: the README's two tables (notebook times, benchmark),
generated from the records in ``results/`` (:mod:`course_utils.records`); a test checks that
the README agrees with them.
"""

from __future__ import annotations

from pathlib import Path

from course_utils.environment import repo_root
from course_utils.records import (
    bench_records,
    format_rate,
    read_run,
    results_dir,
    where,
)

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
    lines.append("| **series** | "
                 + " | ".join(f"**{run['total_seconds'] / 60:.1f} min**" for run in runs.values()) + " |")
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
            f"{format_rate(r['seed_train_samples_per_second'])} / "
            f"{format_rate(r['course_train_samples_per_second'])} | "
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
