"""gpu-check: its planning, parsing, memory peaks, records, refusal without CUDA, the wheels it
prepares for a bare GPU machine, and a dry run on the CPU (slow)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_utils import records
from course_utils.cli import gpu_check, gpu_memory, gpu_wheels
from course_utils.cli import results as tables

REPO = Path(__file__).resolve().parents[1]
H200 = {"name": "NVIDIA H200", "capability": "9.0", "memory_mb": 143156, "cuda": "13.0", "precision": "tf32",
        "slug": "h200"}


@pytest.mark.parametrize("name, slug", [("NVIDIA H200", "h200"), ("Tesla T4", "t4"),
                                        ("NVIDIA A100-SXM4-80GB", "a100-sxm4-80gb"),
                                        ("NVIDIA GeForce RTX 4090", "rtx-4090"), ("NVIDIA", "gpu")])
def test_gpu_slug(name, slug):
    assert records.gpu_slug(name) == slug


def test_bench_label_names_the_gpu():
    result = {"weights": "random-gpt2", "device": "cuda"}
    assert records.bench_label(result, "NVIDIA H200") == "random-gpt2-cuda-h200"
    assert records.bench_label({**result, "device": "cpu"}, None) == "random-gpt2-cpu"
    assert records.bench_label({**result, "seed_accuracy": 0.5}, "Tesla T4") == "random-gpt2-cuda-t4-accuracy"


@pytest.mark.parametrize("line, event", [
    ("[run] 03_tokenizer.ipynb ...", ("start", "03_tokenizer.ipynb")),
    ("[run] 03_tokenizer.ipynb: ok in 19.8 s", ("end", "03_tokenizer.ipynb")),
    ("[run] 08_x.ipynb: failed in 2.0 s (cell 4: ValueError: bad)", ("end", "08_x.ipynb")),
    ("[run]   03_tokenizer.ipynb: code cell 2/23, 10.0 s so far", None),  # a progress line
    ("[bench] seed recipe: done in 26 s", None),
    ("01_pretrained_language_models.ipynb   ok   18.2", None),  # the summary table
])
def test_notebook_events_from_the_runner_output(line, event):
    assert gpu_check.notebook_event(line) == event


def test_memory_peaks_reset_at_each_take():
    readings = iter([100, 500, 900, 300, 200, 250, 250, 250])
    peaks = gpu_memory.MemoryPeaks.__new__(gpu_memory.MemoryPeaks)
    peaks.reader, peaks.peak, peaks.baseline = lambda: next(readings), 0.0, None
    peaks.peak = max(peaks.reader(), peaks.reader(), peaks.reader())  # what the thread would have seen
    assert peaks.take() == 900  # the peak, though the last reading (300) is lower
    assert peaks.take() == 200  # reset: only what came after
    assert gpu_memory.MemoryPeaks(None).take() is None and gpu_memory.MemoryPeaks(None).baseline is None


def test_memory_peaks_sample_in_a_thread(monkeypatch):
    monkeypatch.setattr(gpu_memory, "SAMPLE_EVERY", 0.01)
    values = [10.0]
    peaks = gpu_memory.MemoryPeaks(lambda: values[-1])
    assert peaks.baseline == 10
    values.append(70.0)
    time.sleep(0.1)
    values.append(20.0)
    assert peaks.take() == 70
    peaks.stop.set()


def test_stream_stops_a_child_at_the_deadline():
    started = time.monotonic()
    code, lines = gpu_check._stream([sys.executable, "-c", "import time; print('hello', flush=True); time.sleep(60)"],
                                    dict(os.environ), deadline=time.monotonic() + 1)
    assert lines == ["hello"] and code != 0 and time.monotonic() - started < 20


def test_comparison_lines_sum_only_what_ran():
    record = {"notebooks": {"01_a.ipynb": {"seconds": 20.0, "status": "ok", "peak_gpu_memory_mb": 1500},
                            "02_b.ipynb": {"seconds": 10.0, "status": "failed", "peak_gpu_memory_mb": None}},
              "t4_estimate_seconds": {"01": 15.0, "02": 15.0, "03": 100.0}}
    lines = gpu_check.comparison_lines(record)
    assert "1,500 MB" in lines[1] and lines[1].rstrip().endswith("ok") and lines[2].rstrip().endswith("failed")
    assert lines[-1].endswith("ratio 1.00") and "30 s on this machine" in lines[-1]


def test_plan_says_what_and_how_long(results_dir):
    lines = gpu_check.plan_lines(H200, dry_run=False, budget_s=480)
    text = "\n".join(lines)
    assert "NVIDIA H200 (compute capability 9.0, 140 GB)" in lines[0] and "tf32 expected" in text
    assert "untrimmed (estimated" in text and "on a T4" in text and "budget: 8 min 00 s" in text
    records.write_gpu_run("full-rehearsal-h200", "gpu-check",
                          {"notebooks": {"01_a.ipynb": {"seconds": 30}}, "gpu": H200})
    assert "recorded 30 s on NVIDIA H200" in "\n".join(gpu_check.plan_lines(H200, False, 480))
    assert "trimmed (--dry-run)" in gpu_check.plan_lines(None, dry_run=True, budget_s=60)[0]


@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    return tmp_path


def test_a_gpu_run_becomes_a_column_and_a_gpu_bench_a_row(results_dir):
    records.write_run("pocket", "run", [])
    records.write_gpu_run("full-rehearsal-h200", "python -m course_utils gpu-check", {
        "notebooks": {"01_a.ipynb": {"status": "ok", "seconds": 18.2, "peak_gpu_memory_mb": 900},
                      "02_b.ipynb": {"status": "ok", "seconds": None}}, "gpu": H200})
    records.write_gpu_run("full-rehearsal-dry-run-cpu", "gpu-check --dry-run", {"notebooks": {}, "gpu": None})
    table = tables.times_table()
    assert table.splitlines()[0] == "| notebook | pocket | full: gpt2 stand-in, untrimmed, NVIDIA H200 (gpu-check) |"
    assert "| 01_a | - | 18 s |" in table and "| 02_b | - | - |" in table  # a missing time is a dash
    record = json.loads((results_dir / "runs" / "full-rehearsal-h200.json").read_text())
    assert record["total_seconds"] == 18.2 and record["gpu"]["capability"] == "9.0"
    bench = {"label": "random-gpt2-cuda-h200", "command": "bench", "date": "2026-12-04T15:00:00",
             "machine": {"gpu": "NVIDIA H200", "cpu": "Xeon", "cores": 16},
             "result": {"model_short": "GPT-2 124M shape", "seed_train_samples_per_second": 30.15,
                        "course_train_samples_per_second": 2756.9, "train_speedup": 91.4,
                        "seed_eval_samples_per_second": 96.6, "course_eval_samples_per_second": 10977.8,
                        "eval_speedup": 113.6, "seed_tokens_per_real_token": 55.2, "course_tokens_per_real_token": 1.12,
                        "seed_peak_memory_mb": 3102, "course_peak_memory_mb": 7478, "load_average": [0.8, 0.9],
                        "threads": 16, "course_batch_size": 128, "course_precision": "tf32"}}
    (results_dir / "bench").mkdir()
    (results_dir / "bench" / "random-gpt2-cuda-h200.json").write_text(json.dumps(bench))
    row = tables.bench_table().splitlines()[2]
    assert "| NVIDIA H200, tf32, course batch 128, 2026-12-04 | 30.1 / 2,757 | **91x** | 96.6 / 10,978 |" in row


def test_refused_without_cuda(results_dir):
    done = subprocess.run([sys.executable, "-m", "course_utils", "gpu-check"], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: gpu-check needs a CUDA GPU") and "--dry-run" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not any(results_dir.iterdir())


# --------------------------------------------------------------------------------- the wheels
def test_have_file_formats(tmp_path):
    have = tmp_path / "have.txt"
    have.write_text("# pip freeze\nTorch==2.11.0\nnvidia_cublas 13.0\nPackage Version\n------- -------\n"
                    "pyzmq @ file:///x\n\nhuggingface-hub>=1\n")
    assert gpu_wheels.read_have(have) == {"torch", "nvidia-cublas", "pyzmq", "huggingface-hub"}


def test_runtime_needs_leave_out_test_tools_and_what_the_gpu_machine_has():
    roots = gpu_wheels.runtime_roots()
    assert "datasets" in roots and "evaluate" in roots and "ipywidgets" in roots
    assert not {"pytest", "nbval", "playwright", "ruff", "jupyterlab", "torch"} & set(roots)
    needed = gpu_wheels.closure(roots)
    assert {"dill", "multiprocess", "datasets"} <= set(needed)  # followed through datasets' own needs
    wanted = gpu_wheels.wheels_needed(have={"pyarrow", "pandas"})
    assert "datasets" in wanted and "pyarrow" not in wanted and "pandas" not in wanted
    assert not {"torch", "transformers", "tokenizers", "safetensors"} & set(wanted)  # the premise
    assert wanted["datasets"] == needed["datasets"]  # the version installed here


def test_download_command_pins_and_targets_the_gpu_python(tmp_path):
    command = gpu_wheels.download_command({"dill": "0.4.1", "pyzmq": "27.3.0"}, tmp_path, "3.12")
    assert command[1:4] == ["-m", "pip", "download"] and "--no-deps" in command
    assert command[command.index("--python-version") + 1] == "3.12" and "--only-binary=:all:" in command
    assert command[-2:] == ["dill==0.4.1", "pyzmq==27.3.0"] and "manylinux2014_x86_64" in command


def test_a_missing_have_file_is_one_line(tmp_path, capsys):
    assert gpu_wheels.main_wheels(tmp_path / "w", tmp_path / "nope.txt", "3.12") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --have") and "pip freeze" in err and len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------------- dry run
@pytest.mark.slow
def test_dry_run_on_the_cpu_records_every_step(results_dir):
    """Every step on the CPU, the rehearsal limited to one short notebook (the trimmed rehearsal of
    all eight runs in tests/test_rehearsal.py)."""
    done = subprocess.run([sys.executable, "-m", "course_utils", "gpu-check", "--dry-run", "--only", "02_data"],
                          capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "1. precision" in out and "4. full rehearsal" in out and "all steps passed" in out
    record = json.loads((results_dir / "runs" / "full-rehearsal-dry-run-cpu.json").read_text())
    assert (record["notebooks"]["02_data.ipynb"]["status"] == "ok"
            and record["notebooks"]["02_data.ipynb"]["seconds"] > 0)
    assert record["precision"]["precision"] == "fp32" and record["precision"]["finite"]
    assert record["bench"]["device"] == "cpu" and record["bench"]["course_batch_size"] == 32
    assert [loop["batch_size"] for loop in record["bare_loop"]] == [32, 128]
    assert record["t4_estimate_seconds"]["02"] > 0 and record["gpu"] is None
    assert (results_dir / "bench" / "pocket-cpu.json").is_file()
