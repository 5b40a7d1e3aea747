"""Bad input and faults against ``python -m course_utils train``, as a clumsy or unlucky user meets them.

Each case runs the command (in this process, as ``main_train``) and checks the exit code (0 done,
1 failed run or fault, 2 bad input, 130 Ctrl-C), that a refusal is one ``error: ...`` line naming
the problem, that no traceback escapes, and that nothing saved before was changed: a finished
run beside the case's folder keeps every byte. Accepted cases train a few steps on the pocket
model. The run writes the table (case, exit code, message, nothing lost) to
``build/train_cases.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from course_utils.pocket import POCKET_DATA_FILES

pytestmark = pytest.mark.slow  # about 60 runs of the command, a few of them training

QUICK = ["--profile", "pocket", "--train-size", "48", "--val-size", "8", "--test-size", "16", "--max-steps", "1"]


def pocket_rows(n: int, start: int = 0) -> pd.DataFrame:
    return pd.read_json(POCKET_DATA_FILES["train"], lines=True).iloc[start:start + n]


@dataclass
class Case:
    name: str
    argv: list[str] | Callable[[Path], list[str]]  # flags after QUICK, or made in the case's folder
    code: int
    message: str  # a regex the error line (or, for accepted runs, stdout) must match
    env: dict[str, str] = field(default_factory=dict)
    patch: Callable | None = None  # (monkeypatch, folder) -> None, to stage a fault
    base: list[str] = field(default_factory=lambda: QUICK)  # flags before argv

    def __str__(self) -> str:
        return self.name


def data_file(name: str, content: str | bytes | Callable[[Path], None], *flags: str):
    """argv maker: write ``name`` in the case's folder, then train on it."""
    def make(folder: Path) -> list[str]:
        path = folder / name
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return ["--data", str(path), *flags]
    return make


def csv_of(texts, labels, **columns) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        pd.DataFrame({"text": texts, "label": labels, **columns}).to_csv(path, index=False)
    return write


def pocket_csv(n: int = 120, labels=None, text=None, **kwargs) -> Callable[[Path], None]:
    rows = pocket_rows(n)
    return csv_of(list(rows["text"]) if text is None else text, list(rows["label_text"]) if labels is None else labels,
                  **kwargs)


def parquet_with(labels) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        rows = pocket_rows(len(labels))
        pd.DataFrame({"text": rows["text"], "label": labels}).to_parquet(path)
    return write


def kaggle(path: Path) -> None:
    rows = pocket_rows(120)
    pd.DataFrame({"textID": rows["id"], "text": rows["text"], "selected_text": rows["text"],
                  "sentiment": rows["label_text"]}).to_csv(path, index=False)


def same_file_twice(folder: Path) -> list[str]:
    pocket_csv()(folder / "a.csv")
    return ["--data", str(folder / "a.csv"), "--test-data", str(folder / "a.csv")]


def in_folder(*flags: str, target: str = "run") -> Callable[[Path], list[str]]:
    return lambda folder: [*flags, "--output-dir", str(folder / target)]


def blocker(kind: str) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / "afile").write_text("x")
        return ["--output-dir", str(folder / "afile" / ("run" if kind == "under" else ""))]
    return make


def full_disk(monkeypatch, folder):
    monkeypatch.setattr("shutil.disk_usage",
                        lambda path: argparse.Namespace(total=2**30, used=2**30 - 2**20, free=2**20))


def crash_in_training(error: BaseException):
    def patch(monkeypatch, folder):
        import course_utils.cli.train as train

        def crash(*args, **kwargs):
            raise error
        monkeypatch.setattr(train, "finetune", crash)
    return patch


LONG = "sooo tired of waiting for the bus again " * 500  # 20,000 characters, 100 times max_length

CASES = [
    # ------------------------------------------------------------------ data files
    Case("empty file (0 bytes)", data_file("t.csv", ""), 2, r"is empty \(0 bytes\)"),
    Case("header only", data_file("t.csv", "text,label\n"), 2, r"has a header but no rows|is empty"),
    Case("blank rows only", data_file("t.csv", "text,label\n,\n,\n"), 2, r"has a header but no rows"),
    Case("no text column", data_file("t.csv", "tweet,label\nhi,positive\n"), 2, r"has no 'text' column"),
    Case("no label column", data_file("t.csv", "text,score\nhi,1\n"), 2, r"has no label column"),
    Case("unknown label word", data_file("t.csv", pocket_csv(labels=["happy"] * 120)), 2, r"happy"),
    Case("capitalised labels",
         data_file("t.csv", pocket_csv(labels=[x.upper() for x in pocket_rows(120)["label_text"]])),
         0, r"\[train\] rows used"),
    Case("float labels 0.0/1.0/2.0",
         data_file("t.csv", pocket_csv(labels=[float(x) for x in pocket_rows(120)["label"]])),
         0, r"\[train\] rows used"),
    Case("float label 1.5", data_file("t.csv", pocket_csv(labels=[1.5] * 120)), 2, r"1\.5"),
    Case("label 3 (out of range)", data_file("t.csv", pocket_csv(labels=[3] * 120)), 2, r"Allowed: 0 \(negative\)"),
    Case("label -1", data_file("t.csv", pocket_csv(labels=[-1] * 120)), 2, r"-1"),
    Case("missing labels", data_file("t.csv", "text,label\nhi,\nho,positive\n"), 2, r"have no label"),
    Case("some empty texts", data_file("t.csv", pocket_csv(text=[*list(pocket_rows(118)["text"]), "", ""])),
         0, r"\[train\] rows used"),
    Case("every text empty", data_file("t.csv", "text,label\n,positive\n,negative\n"), 2, r"from 0 row\(s\)"),
    Case("texts of 20,000 characters", data_file("t.csv", pocket_csv(text=[LONG] * 120)), 0, r"\[train\] rows used"),
    Case("semicolon-separated CSV", data_file("t.csv", "text;label\nhi;positive\n"), 2, r"semicolon-separated"),
    Case("latin-1 encoded CSV", data_file("t.csv", "text,label\ncaf\xe9 time,positive\n".encode("latin-1")), 2,
         r"Could not read .* as CSV: 'utf-8' codec"),
    Case("UTF-8 with a BOM", data_file("t.csv", lambda p: p.write_bytes(b"\xef\xbb\xbf" + pocket_rows_csv())),
         0, r"\[train\] rows used"),
    Case("CRLF line ends", data_file("t.csv", lambda p: p.write_bytes(pocket_rows_csv().replace(b"\n", b"\r\n"))),
         0, r"\[train\] rows used"),
    Case("newlines inside quoted texts",
         data_file("t.csv", pocket_csv(text=[f"line one\nline two {i}" for i in range(120)])),
         0, r"\[train\] rows used"),
    Case("unterminated quote", data_file("t.csv", 'text,label\n"hi,positive\nho,negative\n'), 2,
         r"line 3 has 1 field\(s\) but the header has 2.*a quote never closed"),
    Case("binary file named .csv", data_file("t.csv", bytes(range(256)) * 20), 2,
         r"is not a text file \(it holds NUL bytes\)"),
    Case("unknown extension .txt", data_file("t.txt", "text,label\nhi,positive\n"), 2,
         r"unsupported file type '\.txt'"),
    Case("a folder as --data", lambda folder: ["--data", str(folder)], 2, r"is a folder, not a file"),
    Case("a missing --data path", lambda folder: ["--data", str(folder / "nope.csv")], 2, r"Data file not found"),
    Case("a missing --test-data path", lambda folder: [*data_file("a.csv", pocket_csv())(folder), "--test-data",
                                                       str(folder / "nope.csv")], 2, r"Data file not found"),
    Case("malformed JSON line", data_file("t.jsonl", '{"text": "a", "label": 1}\n{"text": "b", "label": 2\n'), 2,
         r"line 2 is not valid JSON"),
    Case("JSON line that is a list", data_file("t.jsonl", '["a", 1]\n'), 2, r"line 1 is a JSON list"),
    Case("JSON lines, labels as words", data_file("t.jsonl", "".join(
        json.dumps({"text": t, "label": lab}) + "\n"
        for t, lab in zip(pocket_rows(120)["text"], pocket_rows(120)["label_text"], strict=True))),
         0, r"\[train\] rows used"),
    Case("Parquet, labels 0.0-2.0", data_file("t.parquet", parquet_with([float(x) for x in pocket_rows(120)["label"]])),
         0, r"\[train\] rows used"),
    Case("Parquet, label 1.5", data_file("t.parquet", parquet_with([1.5] * 120)), 2, r"1\.5"),
    Case("not Parquet at all", data_file("t.parquet", "text,label\n"), 2, r"Could not read .* as Parquet"),
    Case("Kaggle CSV (textID,text,selected_text,sentiment)", data_file("train.csv", kaggle), 0,
         r"holding out 20% of train"),
    Case("one class only", data_file("t.csv", pocket_csv(labels=["neutral"] * 120)), 0, r"WARNING: every training row"),
    Case("test file = train file", same_file_twice, 0, r"WARNING: 16 of 16 test rows also occur"),
    Case("the same text with two labels", lambda folder: [
        *data_file("t.csv", pocket_csv(40, text=["same words here"] * 2 + list(pocket_rows(38)["text"]),
                                       labels=["positive", "negative"] + list(pocket_rows(38)["label_text"])))(folder),
        "--test-data", data_file("u.csv", lambda p: pocket_csv(16)(p))(folder)[1], "--val-size", "0"],
         0, r"WARNING: 1 texts occur in the training rows with different labels"),
    Case("a 2-row file", data_file("t.csv", "text,label\nhappy day,positive\nsad day,negative\n"), 2,
         r"too few|has 1 row"),
    Case("a 300-row file, default sizes", lambda folder: [*data_file("t.csv", pocket_csv(300))(folder),
                                                          "--train-size", "1000",
                                                          "--val-size", "500", "--test-size", "1000"],
         0, r"train_size=1,000 is more than the data allows \(240 rows in its split\)"),
    # ------------------------------------------------------------------ flags
    Case("--epochs inf", ["--epochs", "inf"], 2, r"must be a positive, finite number"),
    Case("--epochs nan", ["--epochs", "nan"], 2, r"must be a positive, finite number"),
    Case("--learning-rate 0", ["--learning-rate", "0"], 2, r"must be a positive, finite number"),
    Case("--learning-rate -1", ["--learning-rate", "-1"], 2, r"must be a positive, finite number"),
    Case("--batch-size 0", ["--batch-size", "0"], 2, r"must be at least 1"),
    Case("--batch-size 1.5", ["--batch-size", "1.5"], 2, r"expected a whole number"),
    Case("--train-size abc", ["--train-size", "abc"], 2, r"expected a whole number"),
    Case("--max-length 5000", ["--max-length", "5000"], 2, r"more than the 1,024 positions"),
    Case("--precision fp16 on a CPU", ["--precision", "fp16"], 2, r"fp16 needs a GPU"),
    Case("--precision tf32 on a CPU", ["--precision", "tf32"], 2, r"tf32 needs a CUDA GPU"),
    Case("--profile huge", ["--profile", "huge"], 2, r"invalid choice: 'huge'"),
    Case("--model: a missing folder", lambda folder: ["--model", str(folder / "no_model")], 2,
         r"does not exist|not found"),
    Case("--model: a folder without a model", lambda folder: ["--model", str(folder)], 2,
         r"config\.json|not a model|model"),
    Case("--resume with --overwrite", in_folder("--resume", "--overwrite"), 2, r"contradict each other"),
    Case("--resume with nothing to resume", in_folder("--resume"), 2, r"holds no checkpoint to resume from"),
    # ------------------------------------------------------------------ COURSE_* variables
    Case("COURSE_EPOCHS=nan", [], 2, r"COURSE_EPOCHS='nan' must be", env={"COURSE_EPOCHS": "nan"}),
    Case("COURSE_LR=inf", [], 2, r"COURSE_LR='inf' must be", env={"COURSE_LR": "inf"}),
    Case("COURSE_TRAIN_SIZE=abc", [], 2, r"COURSE_TRAIN_SIZE='abc' is not a valid int",
         env={"COURSE_TRAIN_SIZE": "abc"}),
    Case("COURSE_PRECISION=fp64", [], 2, r"COURSE_PRECISION must be one of", env={"COURSE_PRECISION": "fp64"}),
    Case("COURSE_PLAN=huge", [], 2, r"COURSE_PLAN must be one of", env={"COURSE_PLAN": "huge"}),
    Case("COURSE_VAL_SIZE=0 (no validation)", [], 0, r"validation 0", env={"COURSE_VAL_SIZE": "0"},
         base=[flag for flag in QUICK if flag not in ("--val-size", "8")]),
    # ------------------------------------------------------------------ the output folder and faults
    Case("--output-dir is a file", blocker("file"), 2, r"is a file, not a folder"),
    Case("--output-dir under a file", blocker("under"), 2, r"cannot be created: .*afile is a file"),
    Case("disk (nearly) full", in_folder(), 2, r"only 1 MB are free", patch=full_disk),
    Case("a finished run in the folder", in_folder(target="previous"), 2, r"holds a finished run"),
    Case("an I/O error during training", in_folder(), 1, r"Input/output error\. Nothing was marked finished",
         patch=crash_in_training(OSError(5, "Input/output error"))),
    Case("disk full while saving", in_folder(), 1, r"No space left on device.*No checkpoint was saved yet",
         patch=crash_in_training(OSError(28, "No space left on device"))),
    Case("Ctrl-C during training", in_folder(), 130, r"interrupted: .*No checkpoint was saved yet",
         patch=crash_in_training(KeyboardInterrupt())),
    Case("a learning rate of 1e6", ["--learning-rate", "1e6", "--max-steps", "4"], 1, r"training diverged"),
    # ------------------------------------------------------------------ round two (issue 22): files
    Case("an unquoted comma in every tweet", data_file("t.csv", "text,label\n" + "".join(
        f"{t.replace(',', ' ')}, really,{lab}\n"
        for t, lab in zip(pocket_rows(120)["text"], pocket_rows(120)["label_text"], strict=True))),
         2, r"line 2 has 3 field\(s\) but the header has 2 \(text, label\): a comma inside a tweet"),
    Case("an unquoted comma in some tweets", data_file("t.csv", lambda p: p.write_bytes(
        pocket_rows_csv() + b"so tired, so sad,negative\n")), 2, r"line \d+ has 3 field\(s\)"),
    Case("a stray tab in a TSV", data_file("t.tsv", "text\tlabel\nfine day\tpositive\nbad\tday\tnegative\n"), 2,
         r"line 3 has 3 field\(s\).*a tab inside a tweet"),
    Case("Parquet, texts stored as bytes (read as UTF-8)", data_file("t.parquet", lambda p: pd.DataFrame({
        "text": [t.encode() for t in pocket_rows(120)["text"]], "label": pocket_rows(120)["label"]}).to_parquet(p)),
         0, r"\[train\] rows used"),
    Case("Parquet, texts that are numbers", data_file("t.parquet", lambda p: pd.DataFrame({
        "text": range(120), "label": pocket_rows(120)["label"]}).to_parquet(p)),
         2, r"column 'text' holds int64 values, not text"),
    Case("JSON lines, a text that is a list", data_file("t.jsonl", '{"text": ["so", "sad"], "label": 0}\n'), 2,
         r"holds list values, not text"),
    Case("label and sentiment columns that disagree", data_file("t.csv", pocket_csv(
        sentiment=["negative"] * 120)), 2, r"columns 'label' and 'sentiment' disagree in \d+ of 120 rows"),
    Case("label and label_text that agree (the Hub's columns)", data_file("t.csv", lambda p: pd.DataFrame({
        "text": pocket_rows(120)["text"], "label": pocket_rows(120)["label"],
        "label_text": pocket_rows(120)["label_text"]}).to_csv(p, index=False)), 0, r"\[train\] rows used"),
    Case(".csv.zst without the zstandard package", data_file("t.csv.zst", b"\x28\xb5\x2f\xfd"), 2,
         r"needs the Python package 'zstandard'.*pip install zstandard",
         patch=lambda mp, folder: hide_module(mp, "zstandard")),
    Case("bad data with --overwrite keeps the previous run", lambda folder: [
        *data_file("t.csv", "tweet,label\nhi,positive\n")(folder), "--output-dir", str(folder / "previous"),
        "--overwrite"],
         2, r"has no 'text' column"),
    # ------------------------------------------------------------------ round two: flags and variables
    Case("--output-dir ''", ["--output-dir", ""], 2, r"argument --output-dir: is empty"),
    Case("--data ''", ["--data", ""], 2, r"argument --data: is empty"),
    Case("--epochs 1e308", ["--epochs", "1e308"], 2, r"argument --epochs: must be at most 1,000",
         base=[flag for flag in QUICK if flag not in ("--max-steps", "1")]),
    Case("--batch-size 10**20", ["--batch-size", str(10**20)], 2, r"argument --batch-size: must be at most 1,048,576"),
    Case("--seed -1", ["--seed", "-1"], 2, r"argument --seed: must be between 0 and 4,294,967,295, got -1"),
    Case("a cut-off model.safetensors as --model",
         lambda folder: ["--model", cut_model(folder, "model.safetensors")], 2,
         r"model\.safetensors is incomplete .*cut off"),
    Case("a cut-off config.json as --model", lambda folder: ["--model", cut_model(folder, "config.json")], 2,
         r"config\.json is not valid JSON: was it cut off"),
    Case("COURSE_PROFILE=bogus", [], 2, r"Unknown profile 'bogus'", env={"COURSE_PROFILE": "bogus"},
         base=[flag for flag in QUICK if flag not in ("--profile", "pocket")]),
    Case("COURSE_EPOCH=3 (a typo)", [], 2, r"COURSE_EPOCH is not a course setting \(did you mean COURSE_EPOCHS\?\)",
         env={"COURSE_EPOCH": "3"}),
    Case("COURSE_EPOCHS=1e308", [], 2, r"COURSE_EPOCHS='1e308' must be at most 1,000", env={"COURSE_EPOCHS": "1e308"}),
    Case("COURSE_BATCH_SIZE=1e30", [], 2, r"COURSE_BATCH_SIZE='1e30' is not a valid int",
         env={"COURSE_BATCH_SIZE": "1e30"}),
    Case("COURSE_RECORD=yes", [], 2, r"COURSE_RECORD='yes' must be 1 \(on\) or 0 \(off\)",
         env={"COURSE_RECORD": "yes"}),
    Case("Ctrl-C during start-up", [], 130, r"interrupted: .*No checkpoint was saved yet",
         patch=lambda mp, folder: mp.setattr(
        "course_utils.cli.train.resolve_profile", lambda args: (_ for _ in ()).throw(KeyboardInterrupt()))),
]


def hide_module(monkeypatch, name: str) -> None:
    """As if package ``name`` were not installed (importlib finds no spec for it)."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda module, *a: None if module == name else real(module, *a))


def cut_model(folder: Path, name: str) -> str:
    """A copy of the pocket model with ``name`` cut to half its length (a copy that stopped)."""
    from course_utils.pocket import POCKET_MODEL_DIR

    model = folder / "model_copy"
    shutil.copytree(POCKET_MODEL_DIR, model)
    data = (model / name).read_bytes()
    (model / name).write_bytes(data[: len(data) // 2])
    return str(model)


def pocket_rows_csv() -> bytes:
    rows = pocket_rows(120)
    return pd.DataFrame({"text": rows["text"], "label": rows["label_text"]}).to_csv(index=False).encode()


def digest(folder: Path) -> dict[str, str]:
    """Every file's hash; the (empty) lock file a refused run may leave is not a change."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".train.lock"}


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A finished run, as train leaves one: it must keep every byte, whatever a case does."""
    folder = tmp_path_factory.mktemp("outputs") / "previous"
    (folder / "final").mkdir(parents=True)
    (folder / "final" / "model.safetensors").write_bytes(b"weights" * 1000)
    (folder / "metrics.json").write_text('{"test_accuracy": 0.5}\n')
    (folder / "config.json").write_text('{"seed": 42}\n')
    return folder


def run_case(case: Case, folder: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    import logging

    from course_utils.cli import build_parser
    from course_utils.cli.train import main_train

    # Transformers' own handler keeps the stderr of the test that first logged (closed since):
    # without it, a warning goes to logging's last-resort handler, which writes to today's stderr.
    monkeypatch.setattr(logging.getLogger("transformers"), "handlers", [])

    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(folder / "outputs"))
    argv = case.argv(folder) if callable(case.argv) else list(case.argv)
    if case.patch:
        case.patch(monkeypatch, folder)
    try:
        code = main_train(build_parser().parse_args(["train", *case.base, *argv]))
    except SystemExit as exit_:  # argparse refusing a flag: its usage line and one message
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def table():
    rows = []
    yield rows
    out = Path(__file__).resolve().parents[1] / "build" / "train_cases.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("| case | exit | message (last line) | nothing lost |\n|---|---|---|---|\n"
                   + "".join(f"| {name} | {code} | {message} | {kept} |\n" for name, code, message, kept in rows))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_case(case, previous, table, tmp_path, monkeypatch, capsys):
    before = digest(previous)
    shutil.copytree(previous, tmp_path / "previous")  # the case may aim at a copy of it
    code, out, err = run_case(case, tmp_path, monkeypatch, capsys)
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    shown = (lines[-1] if code else next((x for x in out.splitlines() if re.search(case.message, x)), ""))[:160]
    table.append((case.name, code, shown.replace("|", "/"), "yes" if digest(previous) == before else "NO"))
    assert "Traceback" not in err + out
    assert code == case.code, f"exit {code}, expected {case.code}\n{err[-1500:]}"
    if code == 0:
        assert re.search(case.message, out), out[-1500:]
        assert json.loads(out.strip().splitlines()[-1])["test_rows"] > 0  # the last line is the metrics
    else:
        last = lines[-1]
        assert last.startswith(("error: ", "interrupted: ", "python -m course_utils train: error: ")), err[-1500:]
        assert re.search(case.message, last), last
        assert not (tmp_path / "run" / "metrics.json").exists()  # a refused or failed run is never finished
    if code == 2:  # refused before anything was written to the output folder
        assert not [*tmp_path.glob("run/run.json"), *tmp_path.glob("outputs/*/run.json")]
    assert digest(previous) == before and digest(tmp_path / "previous") == before  # nothing lost


def test_there_are_ninety_cases_or_more():
    assert len(CASES) >= 90 and len({case.name for case in CASES}) == len(CASES)
