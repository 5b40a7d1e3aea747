"""The two recipes of ``bench``, one per child process: ``python -m course_utils.cli.bench_recipes
SPEC.json`` trains and evaluates one recipe with the real ``Trainer`` and prints its measurements
as one ``[bench-result]`` JSON line (training and evaluation samples/s, tokens computed per real
token, peak memory). :mod:`course_utils.cli.bench` starts the children and compares them.
"""

from __future__ import annotations

import json
import os
import sys
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

from course_utils.cli.rehearse import standin_config
from course_utils.environment import (
    detect_device,
)
from course_utils.metrics import make_compute_metrics
from course_utils.model import load_classifier, load_tokenizer, without_loss_kwargs
from course_utils.profiles import get_profile
from course_utils.schema import ID2LABEL, LABEL2ID
from course_utils.training import finetune, sort_by_length, tokenize_dataset, training_arguments

RESULT_PREFIX = "[bench-result] "
COURSE_MAX_LENGTH = 128
SEED_BATCH, SEED_ACCUMULATION = 1, 4


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


def seed_trainer(spec: dict, tokenizer, model, train, evaluation, common: dict, clock) -> tuple:
    """The tutorial's code: pad to the model's maximum, batch 1, accumulate 4, default collator.
    Returns the trainer, its counting collator and the settings it ran with."""
    model.config.pad_token_id = None  # the tutorial never sets it; batch 1 makes that legal
    max_length = min(tokenizer.model_max_length, model.config.n_positions)

    def tokenize_function(examples):
        return tokenizer(examples["text"], padding="max_length", truncation=True, max_length=max_length)

    train_set = train.map(tokenize_function, batched=True, remove_columns=["text"])
    eval_set = evaluation.map(tokenize_function, batched=True, remove_columns=["text"])
    collator = _CountingCollator(default_data_collator)
    arguments = TrainingArguments(output_dir=spec["output_dir"], per_device_train_batch_size=SEED_BATCH,
                                  per_device_eval_batch_size=SEED_BATCH,
                                  gradient_accumulation_steps=SEED_ACCUMULATION, **common)
    trainer = Trainer(model=model, args=arguments, train_dataset=train_set, eval_dataset=eval_set,
                      data_collator=collator, compute_metrics=make_compute_metrics(), callbacks=[clock.callback])
    return trainer, collator, {"precision": "fp32", "batch_size": SEED_BATCH, "eval_batch_size": SEED_BATCH}


def course_trainer(spec: dict, tokenizer, model, train, evaluation, common: dict, clock) -> tuple:
    """The course's code path: the helpers the notebooks and the train command use, with the
    settings of the profile this machine would get online (full on CUDA, else small)."""
    course = spec["course"]
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
    arguments = training_arguments(profile, spec["output_dir"], train_sampling_strategy=sampling, **common)
    trainer = finetune(model, tokenizer, train_set, eval_set, arguments, train=False,
                       ordered_eval=course.get("sort_eval", True), callbacks=[clock.callback])
    collator = trainer.data_collator = _CountingCollator(trainer.data_collator)
    return trainer, collator, {"precision": profile.precision, "batch_size": profile.train_batch_size,
                               "eval_batch_size": profile.eval_batch_size}


def run_recipe(spec: dict) -> dict:
    """Train then evaluate one recipe with the Trainer; returns its measurements."""
    tokenizer, model = _load(spec)
    loaded_mb = _current_rss_mb()
    if torch.cuda.is_available():
        model.cuda()
        torch.cuda.reset_peak_memory_stats()
    train, evaluation = Dataset.from_dict(spec["train"]), Dataset.from_dict(spec["eval"])
    epochs, learning_rate, clock = spec["epochs"], spec["learning_rate"], _Clock()
    common = {"num_train_epochs": epochs, "eval_strategy": "no", "save_strategy": "no",
              "logging_strategy": "no", "report_to": "none", "disable_tqdm": True,
              "use_cpu": detect_device() == "cpu", **({"learning_rate": learning_rate} if learning_rate else {})}
    build = seed_trainer if spec["recipe"] == "seed" else course_trainer
    trainer, collator, settings = build(spec, tokenizer, model, train, evaluation, common, clock)
    trainer.train()
    train_ratio, collator.tokens, collator.real = collator.ratio(), 0, 0
    started = time.perf_counter()
    metrics = trainer.evaluate()
    eval_seconds = time.perf_counter() - started
    peak_mb, memory_kind = _memory_mb()
    train_samples, eval_samples = len(trainer.train_dataset), len(trainer.eval_dataset)
    return {
        "recipe": spec["recipe"], "train_samples": train_samples, "epochs": epochs,
        "train_seconds": clock.seconds, "train_samples_per_second": train_samples * epochs / clock.seconds,
        "eval_samples": eval_samples, "eval_seconds": eval_seconds,
        "eval_samples_per_second": eval_samples / eval_seconds,
        "tokens_per_real_token": train_ratio, "eval_tokens_per_real_token": collator.ratio(),
        "accuracy": metrics.get("eval_accuracy"), "peak_memory_mb": peak_mb,
        "memory_kind": memory_kind, "loaded_rss_mb": loaded_mb, "threads": torch.get_num_threads(),
        "device": detect_device(), **settings,
    }


def _worker(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    result = run_recipe(spec)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1]))
