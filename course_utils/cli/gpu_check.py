"""``python -m course_utils gpu-check``: the GPU path verified on a CUDA machine, and on record.

Four steps, none needing the network: (1) the precision the course picks for this GPU (fp16
below compute capability 8.0, TF32 from 8.0) is built into ``TrainingArguments`` and trains one
step; (2) ``bench`` runs the tutorial's recipe against the course's, GPT-2 124M's shape; (3) a
bare PyTorch loop on the same batches shows what the ``Trainer`` adds per step (where the time
goes); (4) the ``full`` rehearsal runs all 8 notebooks untrimmed on the stand-in, with the peak
GPU memory of each notebook sampled through NVML. Records: ``results/bench/<weights>-cuda-<gpu>.json``
and ``results/runs/full-rehearsal-<gpu>.json``. ``--dry-run`` does it all trimmed on a CPU and
records under ``build/gpu-check-dry-run/``; ``--wheels DIR`` prepares a bare GPU machine.
A little over 300 lines: the plan, four steps and one record; the memory sampling is apart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from course_utils.cli.arguments import RECORD_HELP, not_blank, positive_float
from course_utils.cli.gpu_memory import MemoryPeaks, nvml_reader, release_gpu_memory
from course_utils.cli.rehearse import TRIMMED_SHAPE, prepare, standin_config
from course_utils.cli.run import find_notebooks
from course_utils.costs import estimate_series, format_duration
from course_utils.environment import (
    cuda_capability,
    detect_device,
    precision_for,
    repo_root,
    set_offline,
)
from course_utils.gpt2_tokenizer import GPT2_TOKENIZER_DIR
from course_utils.profiles import TUTORIAL_LEARNING_RATE, get_profile
from course_utils.records import gpu_slug, machine, read_run, results_dir, write_gpu_run

BENCH_MINUTES = 1  # on an H200 (2026-12-04): 26 s and 18 s for the two recipes, plus loading the data


# --------------------------------------------------------------------------------- planning
def plan_lines(gpu: dict | None, dry_run: bool, budget_s: float) -> list[str]:
    """What the check will do and how long it expects, said before anything starts."""
    full = get_profile("full").replace(device="cuda", precision="fp16")
    series = f"estimated {format_duration(sum(estimate_series(full).values()))} on a T4"
    recorded = [read_run(path.stem) for path in sorted((results_dir() / "runs").glob("full-rehearsal-*.json"))]
    series += "".join(f"; recorded {format_duration(run['total_seconds'])} on {run['gpu']['name']}"
                      for run in recorded if run and run.get("gpu"))
    where = "this CPU, trimmed (--dry-run)" if dry_run else (
        f"{gpu['name']} (compute capability {gpu['capability']}, {gpu['memory_mb'] / 1024:,.0f} GB)")
    return [
        f"[gpu-check] on {where}; no network needed. Steps:",
        f"  1. precision: {gpu['precision'] if gpu else 'fp32'} expected for this device; "
        "TrainingArguments built with it and one training step run",
        "  2. bench: the tutorial's recipe vs the course's, GPT-2 124M shape, random weights "
        f"(about {BENCH_MINUTES:g} min on a recent GPU)",
        "  3. a bare PyTorch loop on the same batches (batch 32 and 128): the Trainer's share of a step",
        "  4. the full rehearsal: all 8 notebooks, "
        + ("trimmed" if dry_run else f"untrimmed ({series})") + ", peak GPU memory per notebook",
        f"[gpu-check] budget: {format_duration(budget_s)}; the rehearsal is stopped (its finished "
        "notebooks kept on record) if it would run past it.",
    ]


def gpu_facts() -> dict | None:
    """Name, compute capability, memory and the course's precision for the CUDA GPU; None without one."""
    import torch

    if not torch.cuda.is_available():
        return None
    properties = torch.cuda.get_device_properties(0)
    capability = cuda_capability()
    return {"name": properties.name, "capability": f"{capability[0]}.{capability[1]}",
            "memory_mb": round(properties.total_memory / 2**20), "cuda": torch.version.cuda,
            "precision": precision_for("cuda", capability), "slug": gpu_slug(properties.name)}


# --------------------------------------------------------------------------------- step 1
def precision_step(device: str, output_dir: str) -> dict:
    """Build the ``full`` profile's ``TrainingArguments`` on ``device`` and train one step of a
    small GPT-2 classifier through the ``Trainer`` with them; what was set and the loss."""
    from datasets import Dataset
    from transformers import GPT2ForSequenceClassification

    from course_utils.metrics import make_compute_metrics
    from course_utils.model import load_tokenizer
    from course_utils.training import finetune, tokenize_dataset, training_arguments

    profile = get_profile("full")
    tokenizer = load_tokenizer(str(GPT2_TOKENIZER_DIR))
    rows = Dataset.from_dict({"text": ["great day", "so tired today", "it is a phone"] * 4, "label": [2, 0, 1] * 4})
    model = GPT2ForSequenceClassification(standin_config(num_labels=3, pad_token_id=tokenizer.pad_token_id,
                                                         **TRIMMED_SHAPE))
    arguments = training_arguments(profile, output_dir, max_steps=1, eval_strategy="no", logging_strategy="steps",
                                   logging_steps=1)
    trainer = finetune(model, tokenizer, tokenize_dataset(rows, tokenizer, 32), None, arguments,
                       compute_metrics=make_compute_metrics(prefer_local=True), train=False)
    loss = trainer.train().training_loss
    return {"precision": profile.precision, "fp16": trainer.args.fp16, "bf16": trainer.args.bf16,
            "tf32_argument": trainer.args.tf32,
            "tf32_matmul": _tf32_state() if device == "cuda" else None,
            "one_step_loss": round(loss, 4), "finite": loss == loss and abs(loss) != float("inf")}


def _tf32_state() -> str:
    """How PyTorch does fp32 matrix products now: ``tf32`` or ``ieee`` (``highest``)."""
    import torch

    try:
        return "tf32" if torch.get_float32_matmul_precision() in ("high", "medium") else "ieee"
    except RuntimeError:  # PyTorch refuses to answer when the legacy and new TF32 switches were mixed
        new = getattr(getattr(torch.backends.cuda.matmul, "fp32_precision", None), "lower", lambda: None)()
        return new or "unknown (legacy and new TF32 switches mixed)"


# --------------------------------------------------------------------------------- step 3
def bare_loop_rate(batch_size: int, precision: str, steps: int, shape: dict, device: str) -> dict:
    """Tweets per second of a plain PyTorch training loop (no Trainer) on GPT-2's shape: the same
    dynamic padding, fused AdamW and precision as the course recipe; forward+backward timed apart
    from the optimizer step. What the Trainer adds is the difference to the bench's rate."""
    import torch
    from transformers import GPT2ForSequenceClassification

    from course_utils.data import load_tweets
    from course_utils.model import load_tokenizer

    tokenizer = load_tokenizer(str(GPT2_TOKENIZER_DIR))
    texts = load_tweets(get_profile("pocket"))["train"]["text"][: batch_size * (steps + 3)]
    torch.manual_seed(0)
    model = GPT2ForSequenceClassification(standin_config(num_labels=3, pad_token_id=tokenizer.pad_token_id,
                                                         **shape)).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=TUTORIAL_LEARNING_RATE, fused=device == "cuda")
    batches = [tokenizer(texts[i:i + batch_size], padding=True, truncation=True, max_length=128,
                         return_tensors="pt").to(device) for i in range(0, len(texts) - batch_size + 1, batch_size)]
    labels = torch.zeros(batch_size, dtype=torch.long, device=device)
    autocast = torch.autocast("cuda", dtype=torch.float16 if precision == "fp16" else torch.bfloat16,
                              enabled=precision in ("fp16", "bf16") and device == "cuda")
    torch.set_float32_matmul_precision("high" if precision == "tf32" else "highest")
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    compute = optimize = 0.0
    for index, batch in enumerate(batches):
        sync()
        started = time.perf_counter()
        with autocast:
            loss = model(**batch, labels=labels).loss
        loss.backward()
        sync()
        middle = time.perf_counter()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        sync()
        if index >= 3:  # the first steps warm up kernels and allocator
            compute, optimize = compute + middle - started, optimize + time.perf_counter() - middle
    timed = len(batches) - 3
    return {"batch_size": batch_size, "samples_per_second": round(timed * batch_size / (compute + optimize), 1),
            "forward_backward_ms": round(1000 * compute / timed, 2), "optimizer_ms": round(1000 * optimize / timed, 2)}


# --------------------------------------------------------------------------------- steps 2 and 4
def _stream(command: list[str], env: dict, on_line=None, deadline: float | None = None) -> tuple[int, list[str]]:
    """Run ``command``, echoing its output as it comes; SIGTERM it at ``deadline`` (monotonic)."""
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             cwd=repo_root())
    if deadline is not None:
        timer = threading.Timer(max(deadline - time.monotonic(), 1), child.terminate)
        timer.daemon = True
        timer.start()
    lines = []
    for line in child.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
        if on_line:
            on_line(line.rstrip("\n"))
    return child.wait(), lines


def run_bench(dry_run: bool, env: dict) -> dict | None:
    """``python -m course_utils bench`` in a child process; its JSON result, or None if it failed."""
    command = [sys.executable, "-m", "course_utils", "bench"]
    command += ["--model", "pocket", "--samples", "4"] if dry_run else ["--model", "gpt2"]
    code, lines = _stream(command, env)
    if code or not lines or not lines[-1].startswith("{"):
        return None
    return json.loads(lines[-1])


def check_command(dry_run: bool) -> str:
    """The command a gpu-check record names."""
    return "python -m course_utils gpu-check" + (" --dry-run" if dry_run else "")


def notebook_event(line: str) -> tuple[str, str | None] | None:
    """``("start", name)`` or ``("end", name)`` from a ``run`` progress line, else None."""
    if not line.startswith("[run] ") or line.startswith("[run]  ") or ".ipynb" not in line:
        return None  # not a notebook's start or end (progress lines are indented)
    name = line[6:].split(".ipynb", 1)[0] + ".ipynb"
    rest = line[6 + len(name):]
    return ("start", name) if rest.strip() == "..." else ("end", name) if rest.startswith(":") else None


def run_rehearsal(dry_run: bool, label: str, peaks: MemoryPeaks, deadline: float, gpu: dict | None,
                  only: str | None = None) -> dict:
    """The full rehearsal in a child ``run``; peak memory per notebook; the record, written after
    every notebook (a stopped run keeps what finished)."""
    env = {**os.environ, **prepare(trim=dry_run)}
    estimated = estimate_series(get_profile("full").replace(device="cuda", precision="fp16"))
    record = {"notebooks": {}, "t4_estimate_seconds": {f"{n}": round(s, 1) for n, s in estimated.items()},
              "gpu": gpu}
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as scratch:
        env["COURSE_RESULTS_DIR"] = scratch  # the child's own record; ours is written below

        def on_line(line: str) -> None:
            event = notebook_event(line)
            if event and event[0] == "start":
                peaks.take()
            elif event:
                peak = peaks.take()
                child_record = next(Path(scratch, "runs").glob("*.json"), None)
                entries = json.loads(child_record.read_text())["notebooks"] if child_record else {}
                status, seconds = line.rsplit(" in ", 1) if " in " in line else (line, "")
                record["notebooks"][event[1]] = {
                    "status": status.split(": ", 1)[1].split()[0],
                    "seconds": float(seconds.split()[0]) if seconds else None,
                    "headline": (entries.get(event[1]) or {}).get("headline"), "peak_gpu_memory_mb": peak}
                write_gpu_run(label, check_command(dry_run), record)

        command = [sys.executable, "-m", "course_utils", "run", "--profile", "full",
                   *(["--only", only] if only else [])]
        code, lines = _stream(command, env, on_line, deadline)
        child_record = next(Path(scratch, "runs").glob("*.json"), None)
        if child_record:  # headlines and errors as the runner recorded them
            for name, entry in json.loads(child_record.read_text())["notebooks"].items():
                record["notebooks"].setdefault(name, {}).update(
                    {key: entry[key] for key in ("status", "seconds", "headline", "error")})
    record["exit_code"] = code
    write_gpu_run(label, check_command(dry_run), record)
    return record


def comparison_lines(record: dict) -> list[str]:
    """Measured seconds per notebook beside the T4 estimate the README quotes."""
    lines = ["notebook                         measured   T4 estimate   peak GPU memory"]
    for name, entry in sorted(record["notebooks"].items()):
        estimate = record["t4_estimate_seconds"].get(name[:2])
        peak = entry.get("peak_gpu_memory_mb")
        lines.append(f"{name.removesuffix('.ipynb'):32} {entry.get('seconds') or 0:7.1f} s {estimate or 0:9.0f} s"
                     f"   {f'{peak:,} MB' if peak is not None else '-'}  {entry.get('status')}")
    measured = sum(entry.get("seconds") or 0 for entry in record["notebooks"].values())
    estimated = sum(record["t4_estimate_seconds"].get(name[:2], 0) for name in record["notebooks"]) or float("nan")
    lines.append(f"series: measured {format_duration(measured)} on this machine; estimated "
                 f"{format_duration(estimated)} on a T4 (rates.json); ratio {measured / estimated:.2f}")
    return lines


def add_arguments(parser) -> None:
    """``gpu-check``'s options."""
    parser.description = (
        "Verify the GPU path on a CUDA machine with no network: the precision for this GPU, the benchmark "
        "of both recipes, a bare PyTorch loop, and the full rehearsal of all 8 notebooks with peak GPU "
        "memory (about 7 minutes on an H200).")
    parser.add_argument("--dry-run", action="store_true",
                        help="on a CPU: every step trimmed, records under build/gpu-check-dry-run/ (the tests run it)")
    parser.add_argument("--budget-minutes", type=positive_float, default=9.0, metavar="M",
                        help="stop the rehearsal (keeping its finished notebooks on record) after M minutes "
                             "in all (default 9)")
    parser.add_argument("--record", action="store_true", help=RECORD_HELP)
    parser.add_argument("--only", metavar="PATTERN", type=not_blank,
                        help="rehearse only the notebooks whose name matches")
    parser.add_argument("--wheels", metavar="DIR", type=not_blank,
                        help="instead: download the wheels a GPU machine with only torch and transformers "
                             "lacks (needs PyPI)")
    parser.add_argument("--have", metavar="FILE", type=not_blank,
                        help="with --wheels: the GPU machine's `pip freeze`, to leave out what it has")
    parser.add_argument("--python-version", default="3.12", metavar="X.Y",
                        help="with --wheels: the GPU machine's Python (default 3.12)")


def main_gpu_check(args) -> int:
    """CLI entry. 2 without CUDA (unless ``--dry-run``), 1 if a step failed, 0 otherwise."""
    if args.wheels:
        from course_utils.cli.gpu_wheels import main_wheels

        return main_wheels(Path(args.wheels), Path(args.have) if args.have else None, args.python_version)
    started = time.monotonic()
    deadline = started + args.budget_minutes * 60
    gpu = gpu_facts()
    if gpu is None and not args.dry_run:
        print(f"error: gpu-check needs a CUDA GPU, and this machine has none (PyTorch sees {detect_device()}). "
              "On a CPU, `python -m course_utils gpu-check --dry-run` checks the plumbing, trimmed.", file=sys.stderr)
        return 2
    set_offline()  # the check needs no network: nothing waits on the Hub
    env = dict(os.environ)
    if args.dry_run:  # never in results/: a CPU's dry run is no GPU measurement
        env.setdefault("COURSE_RESULTS_DIR", str(repo_root() / "build" / "gpu-check-dry-run"))
        os.environ["COURSE_RESULTS_DIR"] = env["COURSE_RESULTS_DIR"]
    print("\n".join(plan_lines(gpu, args.dry_run, deadline - started)), flush=True)
    device = "cuda" if gpu else "cpu"
    failures = []
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as scratch:
        print("[gpu-check] 1. precision", flush=True)
        precision = precision_step(device, scratch)
        print(f"[gpu-check] precision: {json.dumps(precision)}", flush=True)
        if not precision["finite"] or (gpu and precision["precision"] != gpu["precision"]):
            failures.append("precision")
    print("[gpu-check] 2. bench", flush=True)
    bench = run_bench(args.dry_run, env)
    failures += [] if bench else ["bench"]
    print("[gpu-check] 3. bare PyTorch loop (no Trainer)", flush=True)
    shape = {} if gpu else TRIMMED_SHAPE
    loops = [bare_loop_rate(batch, precision["precision"], 3 if args.dry_run else 30, shape, device)
             for batch in (32, 128)]
    for loop in loops:
        print(f"[gpu-check] bare loop, batch {loop['batch_size']}: {loop['samples_per_second']:,} tweets/s "
              f"(forward+backward {loop['forward_backward_ms']} ms, "
              f"optimizer {loop['optimizer_ms']} ms a step)", flush=True)
    print("[gpu-check] 4. full rehearsal", flush=True)
    label = "full-rehearsal-" + (f"{gpu['slug']}" if gpu else "dry-run-cpu")
    release_gpu_memory()  # the notebooks' peaks should not include what steps 1 and 3 left cached
    peaks = MemoryPeaks(nvml_reader() if gpu else None)
    record = run_rehearsal(args.dry_run, label, peaks, deadline, gpu, args.only)
    record["gpu_memory_baseline_mb"] = peaks.baseline
    record.update(precision=precision, bare_loop=loops, bench=bench)
    write_gpu_run(label, check_command(args.dry_run), record)
    print("\n".join(comparison_lines(record)))
    if bench:
        bare = next((loop for loop in loops if loop["batch_size"] == bench["course_batch_size"]), loops[-1])
        print(f"[gpu-check] bench: course recipe {bench['course_train_samples_per_second']:,.1f} tweets/s "
              f"(batch {bench['course_batch_size']}, the Trainer), "
              f"tutorial's {bench['seed_train_samples_per_second']:,.2f}; "
              f"bare loop at batch {bare['batch_size']}: {bare['samples_per_second']:,} tweets/s")
    failed = [name for name, entry in record["notebooks"].items() if entry.get("status") != "ok"]
    expected = len(find_notebooks(only=args.only))
    failures += failed + (["rehearsal stopped early"] if len(record["notebooks"]) < expected else [])
    print(f"[gpu-check] done in {format_duration(time.monotonic() - started)}; machine: {json.dumps(machine())}")
    print(f"[gpu-check] {'FAILED: ' + ', '.join(failures) if failures else 'all steps passed'}")
    return 1 if failures else 0
