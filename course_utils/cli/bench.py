"""``python -m course_utils bench``: the tutorial's recipe against the course's, measured.

The same model trains and evaluates on the same tweets with the real ``Trainer``, twice: the
**seed recipe** as the tutorial writes it (pad to 1,024, batch 1, 4 accumulation steps, fp32,
``pad_token_id`` unset) and the **course recipe** (dynamic padding at 128 tokens, batch 32 (128 on CUDA),
length-grouped batches, evaluation sorted by length, the profile's precision). Each recipe runs
in a child process so that its peak memory is its own. Prints a table and a JSON line, and
records the result in ``results/bench/`` (:func:`course_utils.cli.records.write_bench`).
``--help`` explains the default sizes and ``--accuracy`` (accuracy parity instead of speed).
One module of about 400 lines because the child processes run it (``--worker``) as the parent does.
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

import torch
from datasets import Dataset
from transformers import (
    GPT2ForSequenceClassification,
    Trainer,
    TrainerCallback,
    TrainingArguments,
    default_data_collator,
)

from course_utils.cli.arguments import (
    COURSE_BATCH,
    COURSE_DEFAULT_SAMPLES,
    SEED_DEFAULT_SAMPLES,
    add_bench_arguments,
)
from course_utils.cli.records import write_bench
from course_utils.cli.rehearse import standin_config
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
from course_utils.metrics import make_compute_metrics
from course_utils.model import load_classifier, load_tokenizer, without_loss_kwargs
from course_utils.pocket import POCKET_MODEL_DIR
from course_utils.profiles import PRESETS, TUTORIAL_LEARNING_RATE, get_profile
from course_utils.results import results_dir
from course_utils.schema import ID2LABEL, LABEL2ID, DataError
from course_utils.training import finetune, sort_by_length, tokenize_dataset

RESULT_PREFIX = "[bench-result] "
COURSE_MAX_LENGTH = 128
SEED_BATCH, SEED_ACCUMULATION = 1, 4

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


# --------------------------------------------------------------------------------- one recipe (child)
class _Clock:
    """A ``TrainerCallback`` timing training from its first to its last step (set-up excluded)."""

    def __init__(self):
        clock = self

        class Callback(TrainerCallback):
            def on_train_begin(self, args, state, control, **kwargs):
                clock.start = time.perf_counter()

            def on_train_end(self, args, state, control, **kwargs):
                clock.seconds = time.perf_counter() - clock.start

        self.callback, self.start, self.seconds = Callback(), 0.0, 0.0


class _CountingCollator:
    """Wraps a data collator and counts the tokens it hands out, padded and real."""

    def __init__(self, collator):
        self.collator, self.tokens, self.real = collator, 0, 0

    def __call__(self, features):
        batch = self.collator(features)
        self.tokens += batch["input_ids"].numel()
        self.real += int(batch["attention_mask"].sum())
        return batch

    def ratio(self) -> float:
        return self.tokens / max(self.real, 1)


def _memory_mb() -> tuple[float, str]:
    """Peak memory of this process so far (MB) and what it is."""
    import resource  # Unix only (Linux, macOS): imported where it is needed

    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**20, "CUDA max allocated"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10), "peak RSS"


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return _memory_mb()[0]


def _load(spec: dict):

    tokenizer = load_tokenizer(spec["model"]["tokenizer"])
    if spec["model"]["kind"] == "random-gpt2":
        torch.manual_seed(0)
        model = without_loss_kwargs(GPT2ForSequenceClassification(standin_config(
            num_labels=3, id2label=ID2LABEL, label2id=LABEL2ID, pad_token_id=tokenizer.pad_token_id)))
    else:
        model = load_classifier(spec["model"]["source"], tokenizer)
    return tokenizer, model


def run_recipe(spec: dict) -> dict:
    """Train then evaluate one recipe with the Trainer; returns its measurements."""

    tokenizer, model = _load(spec)
    loaded_mb = _current_rss_mb()
    if torch.cuda.is_available():
        model.cuda()
        torch.cuda.reset_peak_memory_stats()
    train, evaluation = Dataset.from_dict(spec["train"]), Dataset.from_dict(spec["eval"])
    output_dir, epochs, learning_rate = spec["output_dir"], spec["epochs"], spec["learning_rate"]
    clock = _Clock()
    common = {"num_train_epochs": epochs, "eval_strategy": "no", "save_strategy": "no",
              "logging_strategy": "no", "report_to": "none", "disable_tqdm": True,
              "use_cpu": detect_device() == "cpu", **({"learning_rate": learning_rate} if learning_rate else {})}
    if spec["recipe"] == "seed":
        # The tutorial's code: pad to the model's maximum, batch 1, accumulate 4, default collator.
        model.config.pad_token_id = None  # the tutorial never sets it; batch 1 makes that legal
        max_length = min(tokenizer.model_max_length, model.config.n_positions)

        def tokenize_function(examples):
            return tokenizer(examples["text"], padding="max_length", truncation=True, max_length=max_length)

        train_set = train.map(tokenize_function, batched=True, remove_columns=["text"])
        eval_set = evaluation.map(tokenize_function, batched=True, remove_columns=["text"])
        collator = _CountingCollator(default_data_collator)
        arguments = TrainingArguments(output_dir=output_dir, per_device_train_batch_size=SEED_BATCH,
                                      per_device_eval_batch_size=SEED_BATCH,
                                      gradient_accumulation_steps=SEED_ACCUMULATION, **common)
        trainer = Trainer(model=model, args=arguments, train_dataset=train_set, eval_dataset=eval_set,
                          data_collator=collator, compute_metrics=make_compute_metrics(),
                          callbacks=[clock.callback])
    else:
        # The course's code path: the helpers the notebooks and the train command use.
        course = spec["course"]
        # The settings of the profile this machine would get online: full on CUDA, else small.
        profile = get_profile("full" if detect_device() == "cuda" else "small")
        profile = profile.replace(
            train_batch_size=course["batch_size"], max_length=COURSE_MAX_LENGTH,
            eval_batch_size=course["eval_batch_size"] or profile.eval_batch_size,
            precision=course["precision"] or profile.precision)
        train_set = tokenize_dataset(train, tokenizer, profile.max_length)
        eval_set = tokenize_dataset(evaluation, tokenizer, profile.max_length)
        if course.get("sort_eval", True):
            eval_set = sort_by_length(eval_set)
        sampling = "group_by_length" if course["group_by_length"] else "random"
        trainer = finetune(model, tokenizer, train_set, eval_set, profile, output_dir, train=False,
                           ordered_eval=course.get("sort_eval", True), callbacks=[clock.callback],
                           train_sampling_strategy=sampling, **common)
        collator = trainer.data_collator = _CountingCollator(trainer.data_collator)
    trainer.train()
    train_ratio, collator.tokens, collator.real = collator.ratio(), 0, 0
    started = time.perf_counter()
    metrics = trainer.evaluate()
    eval_seconds = time.perf_counter() - started
    peak_mb, memory_kind = _memory_mb()
    samples = len(train_set) * epochs
    return {
        "recipe": spec["recipe"], "train_samples": len(train_set), "epochs": epochs,
        "train_seconds": clock.seconds, "train_samples_per_second": samples / clock.seconds,
        "eval_samples": len(eval_set), "eval_seconds": eval_seconds,
        "eval_samples_per_second": len(eval_set) / eval_seconds,
        "tokens_per_real_token": train_ratio, "eval_tokens_per_real_token": collator.ratio(),
        "accuracy": metrics.get("eval_accuracy"), "peak_memory_mb": peak_mb,
        "memory_kind": memory_kind, "loaded_rss_mb": loaded_mb, "threads": torch.get_num_threads(),
        "device": detect_device(), "precision": "fp32" if spec["recipe"] == "seed" else profile.precision,
        "batch_size": SEED_BATCH if spec["recipe"] == "seed" else profile.train_batch_size,
        "eval_batch_size": SEED_BATCH if spec["recipe"] == "seed" else profile.eval_batch_size,
    }


def run_in_child(spec: dict, workdir: Path) -> dict:
    """Run :func:`run_recipe` in a fresh Python process (a clean peak memory); its result."""
    spec_path = workdir / f"{spec['recipe']}.json"
    spec_path.write_text(json.dumps(spec))
    child = subprocess.run([sys.executable, "-m", "course_utils.cli.bench", "--worker", str(spec_path)],
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
    return "\n".join("  ".join([row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))])
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


def main_bench(args: argparse.Namespace) -> int:
    """CLI entry: run both recipes, print the table, then the JSON line. 2 on bad input."""
    if getattr(args, "record", False):
        os.environ[RECORD_SWITCH] = "1"
    try:
        model = choose_model(args.model)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = model["size"]
    if args.accuracy:
        n_seed = n_course = args.train_size
        n_eval = args.test_size
        epochs = args.epochs
        learning_rate = args.learning_rate or (PRESETS["pocket"]["learning_rate"] if size == "pocket" else TUTORIAL_LEARNING_RATE)
    else:
        kind = "cuda" if detect_device() == "cuda" else "cpu"
        n_seed = args.samples or SEED_DEFAULT_SAMPLES[size, kind]
        n_course = args.samples or COURSE_DEFAULT_SAMPLES[size, kind]
        n_eval, epochs, learning_rate = None, 1, None
    try:
        train, evaluation, data = bench_texts(model["kind"], max(n_seed, n_course),
                                              n_eval or max(n_seed, n_course))
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"[bench] model: {model['label']}")
    print(f"[bench] data: {data}; same tweets for both recipes (the seed recipe's are the first of "
          f"the course recipe's) | load average before: {load:.2f} on {os.cpu_count()} CPUs")
    if args.accuracy:
        print(f"[bench] accuracy parity: {n_seed} training tweets, {len(evaluation['text'])} test "
              f"tweets, {epochs:g} epoch(s), learning rate {learning_rate:g} for both recipes")
    results = {}
    with tempfile.TemporaryDirectory(prefix="course-bench-") as workdir:
        for recipe, n in (("seed", n_seed), ("course", n_course)):
            spec = {
                "recipe": recipe, "model": model, "epochs": epochs, "learning_rate": learning_rate,
                "train": {key: values[:n] for key, values in train.items()},
                "eval": {key: values[: (n_eval or n)] for key, values in evaluation.items()},
                "course": {"batch_size": args.batch_size or COURSE_BATCH["cuda" if detect_device() == "cuda" else "cpu"],
                           "eval_batch_size": args.eval_batch_size,
                           "precision": args.precision, "group_by_length": args.group_by_length,
                           "sort_eval": args.sort_eval},
                "output_dir": str(Path(workdir) / recipe),
            }
            print(f"[bench] {recipe} recipe: training on {n:,} tweets, then evaluating ...", flush=True)
            started = time.perf_counter()
            try:
                results[recipe] = run_in_child(spec, Path(workdir))
            except RuntimeError as error:
                print(f"error: {error}", file=sys.stderr)
                return 1
            print(f"[bench] {recipe} recipe: done in {time.perf_counter() - started:.0f} s "
                  f"({results[recipe]['threads']} threads, {results[recipe]['device']})", flush=True)
    seed, course = results["seed"], results["course"]
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print()
    print(format_table(seed, course, accuracy=args.accuracy))
    print(f"\n[bench] load average after: {load_after:.2f}. Samples/s are timed from the first to the "
          "last training step (set-up excluded) and around trainer.evaluate().")
    out = summary(seed, course, model, data)
    print(f"[bench] the course recipe trains at {out['train_speedup']:,.1f}x and evaluates at "
          f"{out['eval_speedup']:,.1f}x the seed recipe's samples/s, computing "
          f"{out['course_tokens_per_real_token']:.2f} instead of {out['seed_tokens_per_real_token']:.1f} "
          "tokens per real token.")
    if args.accuracy:
        n_test = len(evaluation["text"])
        errors = [(a * (1 - a) / n_test) ** 0.5 for a in (seed["accuracy"], course["accuracy"])]
        print(f"[bench] test accuracy on the same {n_test} tweets after {epochs:g} epoch(s) on the same "
              f"{n_seed} tweets: seed {seed['accuracy']:.3f} (+/- {errors[0]:.3f}), course "
              f"{course['accuracy']:.3f} (+/- {errors[1]:.3f}) (+/-: one standard error).")
    out["load_average"] = [round(load, 2), round(load_after, 2)]
    if args.accuracy:  # in speed mode the few tweets make accuracies meaningless: left out
        out.update(seed_accuracy=round(seed["accuracy"], 4), course_accuracy=round(course["accuracy"], 4),
                   epochs=epochs, learning_rate=learning_rate, test_samples=len(evaluation["text"]))
    path = write_bench(" ".join(["python -m course_utils bench", *(sys.argv[2:] if sys.argv[1:2] == ["bench"] else [])]),
                       out)
    tracked = path.is_relative_to(results_dir())
    print(f"[bench] recorded in {path}" + (" (`python -m course_utils results` puts it in the README)" if tracked
                                           else " (your own record: --record writes the tracked results/)"))
    print(json.dumps(out), flush=True)
    return 0


def _worker(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    result = run_recipe(spec)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        sys.exit(_worker(sys.argv[2]))
    parser = add_bench_arguments(argparse.ArgumentParser(prog="python -m course_utils bench"))
    sys.exit(main_bench(parser.parse_args()))
