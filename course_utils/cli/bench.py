"""``python -m course_utils bench``: the tutorial's recipe against the course's, measured.

The same model trains and evaluates on the same tweets with the real ``Trainer``, twice: the
**seed recipe** as the tutorial writes it (pad to 1,024, batch 1, 4 accumulation steps, fp32,
``pad_token_id`` unset) and the **course recipe** (dynamic padding at 128 tokens, batch 32 (128 on CUDA),
length-grouped batches, evaluation sorted by length, the profile's precision). Each recipe runs
in a child process so that its peak memory is its own. Prints a table and a JSON line, and
records the result in ``results/bench/`` (:func:`course_utils.records.write_bench`).
``--help`` explains the default sizes and ``--accuracy`` (accuracy parity instead of speed).
The recipes themselves run in the children: :mod:`course_utils.cli.bench_recipes`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course_utils.cli.arguments import (
    COURSE_BATCH,
    COURSE_DEFAULT_SAMPLES,
    SEED_DEFAULT_SAMPLES,
    add_bench_arguments,
)
from course_utils.cli.bench_recipes import RESULT_PREFIX, SEED_ACCUMULATION
from course_utils.data import load_tweets
from course_utils.environment import (
    RECORD_SWITCH,
    STANDIN_LABEL,
    detect_device,
    hub_reachable,
    model_cached,
    repo_root,
    set_offline,
)
from course_utils.gpt2_tokenizer import GPT2_TOKENIZER_DIR
from course_utils.pocket import POCKET_MODEL_DIR
from course_utils.profiles import PRESETS, TUTORIAL_LEARNING_RATE, get_profile
from course_utils.records import results_dir, write_bench
from course_utils.schema import DataError


# --------------------------------------------------------------------------------- choosing
def choose_model(model: str) -> dict:
    """What the children load: real weights, a folder, or GPT-2 124M's shape with random weights."""
    if model == "pocket":
        return {"kind": "pocket", "source": str(POCKET_MODEL_DIR), "tokenizer": str(POCKET_MODEL_DIR),
                "label": "pocket tiny GPT-2 (pre-trained weights)", "size": "pocket",
                "short": "pocket tiny GPT-2"}
    if model != "gpt2":
        if not Path(model).expanduser().is_dir():
            raise ValueError(f"--model {model!r}: expected gpt2, pocket or a folder written by "
                             "save_pretrained (it holds config.json); no such folder.")
        return {"kind": "folder", "source": model, "tokenizer": model, "label": f"{model} (its weights)",
                "size": "gpt2", "short": Path(model).name}
    if hub_reachable() or model_cached("gpt2"):
        return {"kind": "hub", "source": "gpt2", "tokenizer": "gpt2",
                "label": "gpt2 (the real pre-trained weights)", "size": "gpt2", "short": "gpt2"}
    set_offline()
    return {"kind": "random-gpt2", "source": "gpt2 shape", "tokenizer": str(GPT2_TOKENIZER_DIR), "size": "gpt2",
            "short": "GPT-2 124M shape, random weights",
            "label": f"GPT-2 124M stand-in ({STANDIN_LABEL}), with gpt2's own tokenizer: the real "
                     "weights cannot be had here (no Hub, not cached); speed does not depend on their values"}


def bench_texts(model_kind: str, n_train: int, n_eval: int) -> tuple[dict, dict, str]:
    """The same tweets for both recipes: Hub data with the real gpt2 if it loads, else pocket.

    Returns ``(train, eval, description)`` with ``train = {"text": [...], "label": [...]}``;
    rows are shuffled with seed 42, so a smaller request gets a prefix of a larger one.
    """
    with contextlib.redirect_stdout(io.StringIO()):  # the loaders' per-split lines are not needed here
        dataset = None
        if model_kind == "hub":
            with contextlib.suppress(DataError):
                dataset, what = load_tweets(get_profile("small")), "Hub tweets"
        if dataset is None:
            dataset, what = load_tweets(get_profile("pocket")), "pocket synthetic tweets"
    parts = []
    for split, n in (("train", n_train), ("test", n_eval)):
        rows = dataset[split].shuffle(seed=42).select(range(min(n, len(dataset[split]))))
        parts.append({"text": rows["text"][:], "label": rows["label"][:]})
    return parts[0], parts[1], what


def run_in_child(spec: dict, workdir: Path) -> dict:
    """Run :func:`run_recipe` in a fresh Python process (a clean peak memory); its result."""
    spec_path = workdir / f"{spec['recipe']}.json"
    spec_path.write_text(json.dumps(spec))
    child = subprocess.run([sys.executable, "-m", "course_utils.cli.bench_recipes", str(spec_path)],
                           capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in reversed(child.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX):])
    tail = "\n".join((child.stdout + child.stderr).strip().splitlines()[-15:])
    raise RuntimeError(f"the {spec['recipe']} recipe failed (exit {child.returncode}):\n{tail}")


# --------------------------------------------------------------------------------- report
def format_table(seed: dict, course: dict, accuracy: bool = False) -> str:
    """The side-by-side table (plain text)."""
    rows = [("", "seed recipe", "course recipe", "course / seed")]

    def add(name, key, fmt, ratio=False):
        a, b = seed[key], course[key]
        rows.append((name, format(a, fmt), format(b, fmt), f"{b / a:,.1f}x" if ratio and a else ""))

    rows.append(("padding / train batch", f"to 1,024 / {seed['batch_size']} x {SEED_ACCUMULATION} accum.",
                 f"dynamic / {course['batch_size']}", ""))
    rows.append(("eval batch", str(seed["eval_batch_size"]), str(course["eval_batch_size"]), ""))
    rows.append(("precision", seed["precision"], course["precision"], ""))
    add("train samples", "train_samples", ",d")
    add("train samples/s", "train_samples_per_second", ",.3f", ratio=True)
    add("eval samples", "eval_samples", ",d")
    add("eval samples/s", "eval_samples_per_second", ",.3f", ratio=True)
    add("tokens per real token (train)", "tokens_per_real_token", ",.2f")
    add("tokens per real token (eval)", "eval_tokens_per_real_token", ",.2f")
    add(f"{seed['memory_kind']} (MB)", "peak_memory_mb", ",.0f", ratio=True)
    if accuracy:
        add("test accuracy", "accuracy", ".3f")
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join([row[0].ljust(widths[0]),
                                *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))])
                     for row in rows)


def _shown_path(source: str) -> str:
    """A Hub id as it is; a folder inside the repository relative to it (records stay portable)."""
    path = Path(source)
    return str(path.relative_to(repo_root())) if path.is_absolute() and path.is_relative_to(repo_root()) else source


def summary(seed: dict, course: dict, model: dict, data: str) -> dict:
    """The JSON line: speed-ups, padding, memory, and what was measured."""
    return {
        "train_speedup": round(course["train_samples_per_second"] / seed["train_samples_per_second"], 2),
        "eval_speedup": round(course["eval_samples_per_second"] / seed["eval_samples_per_second"], 2),
        "seed_train_samples_per_second": round(seed["train_samples_per_second"], 4),
        "course_train_samples_per_second": round(course["train_samples_per_second"], 4),
        "seed_eval_samples_per_second": round(seed["eval_samples_per_second"], 4),
        "course_eval_samples_per_second": round(course["eval_samples_per_second"], 4),
        "seed_tokens_per_real_token": round(seed["tokens_per_real_token"], 3),
        "course_tokens_per_real_token": round(course["tokens_per_real_token"], 3),
        "seed_peak_memory_mb": round(seed["peak_memory_mb"]),
        "course_peak_memory_mb": round(course["peak_memory_mb"]),
        "memory_kind": seed["memory_kind"],
        "seed_samples": seed["train_samples"], "course_samples": course["train_samples"],
        "model": model["label"], "model_short": model["short"], "weights": model["kind"],
        "tokenizer": _shown_path(model["tokenizer"]),
        "data": data, "device": seed["device"], "threads": seed["threads"],
        "course_batch_size": course["batch_size"], "course_precision": course["precision"],
    }


def bench_sizes(args: argparse.Namespace, size: str) -> dict:
    """Tweets per recipe, test tweets, epochs and learning rate: the same for both recipes with
    ``--accuracy``; in speed mode, the defaults per model size and device (one epoch)."""
    if args.accuracy:
        rate = args.learning_rate or (PRESETS["pocket"]["learning_rate"] if size == "pocket"
                                      else TUTORIAL_LEARNING_RATE)
        return {"seed": args.train_size, "course": args.train_size, "eval": args.test_size,
                "epochs": args.epochs, "learning_rate": rate}
    kind = "cuda" if detect_device() == "cuda" else "cpu"
    return {"seed": args.samples or SEED_DEFAULT_SAMPLES[size, kind],
            "course": args.samples or COURSE_DEFAULT_SAMPLES[size, kind],
            "eval": None, "epochs": 1, "learning_rate": None}


def run_both(args: argparse.Namespace, model: dict, train: dict, evaluation: dict, sizes: dict) -> dict:
    """Train and evaluate each recipe in a child process; ``{"seed": ..., "course": ...}``.
    Raises RuntimeError when a child fails."""
    results = {}
    course = {"batch_size": args.batch_size or COURSE_BATCH["cuda" if detect_device() == "cuda" else "cpu"],
              "eval_batch_size": args.eval_batch_size, "precision": args.precision,
              "group_by_length": args.group_by_length, "sort_eval": args.sort_eval}
    with tempfile.TemporaryDirectory(prefix="course-bench-") as workdir:
        for recipe in ("seed", "course"):
            n, n_eval = sizes[recipe], sizes["eval"] or sizes[recipe]
            spec = {"recipe": recipe, "model": model, "epochs": sizes["epochs"],
                    "learning_rate": sizes["learning_rate"], "course": course,
                    "train": {key: values[:n] for key, values in train.items()},
                    "eval": {key: values[:n_eval] for key, values in evaluation.items()},
                    "output_dir": str(Path(workdir) / recipe)}
            print(f"[bench] {recipe} recipe: training on {n:,} tweets, then evaluating ...", flush=True)
            started = time.perf_counter()
            results[recipe] = run_in_child(spec, Path(workdir))
            print(f"[bench] {recipe} recipe: done in {time.perf_counter() - started:.0f} s "
                  f"({results[recipe]['threads']} threads, {results[recipe]['device']})", flush=True)
    return results


def _load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def report(args: argparse.Namespace, results: dict, model: dict, data: str, sizes: dict, n_test: int,
           load: float) -> dict:
    """Print the table and the comparison lines; the JSON summary that is recorded."""
    seed, course = results["seed"], results["course"]
    load_after = _load_average()
    print()
    print(format_table(seed, course, accuracy=args.accuracy))
    print(f"\n[bench] load average after: {load_after:.2f}. Samples/s are timed from the first to the "
          "last training step (set-up excluded) and around trainer.evaluate().")
    out = summary(seed, course, model, data)
    print(f"[bench] the course recipe trains at {out['train_speedup']:,.1f}x and evaluates at "
          f"{out['eval_speedup']:,.1f}x the seed recipe's samples/s, computing "
          f"{out['course_tokens_per_real_token']:.2f} instead of {out['seed_tokens_per_real_token']:.1f} "
          "tokens per real token.")
    out["load_average"] = [round(load, 2), round(load_after, 2)]
    if args.accuracy:  # in speed mode the few tweets make accuracies meaningless: left out
        errors = [(a * (1 - a) / n_test) ** 0.5 for a in (seed["accuracy"], course["accuracy"])]
        print(f"[bench] test accuracy on the same {n_test} tweets after {sizes['epochs']:g} epoch(s) on the "
              f"same {sizes['seed']} tweets: seed {seed['accuracy']:.3f} (+/- {errors[0]:.3f}), course "
              f"{course['accuracy']:.3f} (+/- {errors[1]:.3f}) (+/-: one standard error).")
        out.update(seed_accuracy=round(seed["accuracy"], 4), course_accuracy=round(course["accuracy"], 4),
                   epochs=sizes["epochs"], learning_rate=sizes["learning_rate"], test_samples=n_test)
    return out


def main_bench(args: argparse.Namespace) -> int:
    """CLI entry: run both recipes, print the table, then the JSON line. 2 on bad input."""
    if getattr(args, "record", False):
        os.environ[RECORD_SWITCH] = "1"
    try:
        model = choose_model(args.model)
        sizes = bench_sizes(args, model["size"])
        largest = max(sizes["seed"], sizes["course"])
        train, evaluation, data = bench_texts(model["kind"], largest, sizes["eval"] or largest)
    except (ValueError, DataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    load = _load_average()
    print(f"[bench] model: {model['label']}")
    print(f"[bench] data: {data}; same tweets for both recipes (the seed recipe's are the first of "
          f"the course recipe's) | load average before: {load:.2f} on {os.cpu_count()} CPUs")
    if args.accuracy:
        print(f"[bench] accuracy parity: {sizes['seed']} training tweets, {len(evaluation['text'])} test "
              f"tweets, {sizes['epochs']:g} epoch(s), learning rate {sizes['learning_rate']:g} for both recipes")
    try:
        results = run_both(args, model, train, evaluation, sizes)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    out = report(args, results, model, data, sizes, len(evaluation["text"]), load)
    command = " ".join(["python -m course_utils bench", *(sys.argv[2:] if sys.argv[1:2] == ["bench"] else [])])
    path = write_bench(command, out)
    tracked = path.is_relative_to(results_dir())
    print(f"[bench] recorded in {path}" + (" (`python -m course_utils results` puts it in the README)" if tracked
                                           else " (your own record: --record writes the tracked results/)"))
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    parser = add_bench_arguments(argparse.ArgumentParser(prog="python -m course_utils bench"))
    sys.exit(main_bench(parser.parse_args()))
