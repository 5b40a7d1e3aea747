"""Reading your own tweet files (CSV, TSV, Parquet, JSON lines) into the course schema.

Introduced in notebook 02, through :func:`course_utils.data.load_local` (which imports this module). Two layouts are
accepted: the course schema (``text`` plus ``label`` as 0/1/2 or as a name, or ``label_text``)
and the Kaggle "Tweet Sentiment Extraction" CSVs (``textID, text, selected_text, sentiment``;
the Kaggle test file has no ``selected_text``). Every problem is a :class:`DataError` that names
the file and says what was expected.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import importlib.util
import lzma
from pathlib import Path

import pandas as pd

from course_utils.schema import LABELS, DataError, parse_label

FORMATS = {".csv": "CSV", ".tsv": "TSV", ".parquet": "Parquet", ".pq": "Parquet",
           ".jsonl": "JSON lines", ".ndjson": "JSON lines", ".json": "JSON lines"}
COMPRESSIONS = (".gz", ".bz2", ".xz", ".zip", ".zst")
COMPRESSION_PACKAGES = {".zst": "zstandard"}  # what pandas needs beyond the standard library
TEXT_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}  # the rest are not sniffed
ID_COLUMNS = ("id", "textid")  # "textID" in the Kaggle files
LABEL_COLUMNS = ("label", "label_text", "sentiment")  # all present must agree; the first is used
ADVICE = {
    "CSV": "Check that it is a UTF-8, comma-separated file with a header row, and that tweets "
           "containing commas or quotes are quoted (pandas `DataFrame.to_csv` does this).",
    "TSV": "Check that it is a UTF-8, tab-separated file with a header row, and that tweets "
           "containing tabs or quotes are quoted (pandas `to_csv(sep='\\t')` does this).",
    "Parquet": "Check that it really is a Parquet file (e.g. from pandas `DataFrame.to_parquet`) "
               "and that it was copied completely.",
    "JSON lines": 'Check that every line is one JSON object, e.g. {"text": "...", "label": "positive"}.',
}
EXPECTED = ("expected 'text' and 'label' (0/1/2 or negative/neutral/positive) or 'label_text', "
            "or the Kaggle columns textID, text, sentiment")


def file_format(path: Path) -> str:
    """The format name for ``path``'s extension (``data.csv.gz`` counts as CSV)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSIONS:
        suffixes = suffixes[:-1]
    fmt = FORMATS.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        raise DataError(
            f"{path}: unsupported file type {''.join(path.suffixes) or '(no extension)'!r}. "
            "Use .csv, .tsv, .parquet or .jsonl (optionally compressed, e.g. .csv.gz)."
        )
    return fmt


def check_compression(path: Path) -> None:
    """Refuse a compressed file whose decompressor is not installed, naming the package."""
    package = COMPRESSION_PACKAGES.get(path.suffix.lower())
    if package and importlib.util.find_spec(package) is None:
        raise DataError(f"{path}: reading {path.suffix} files needs the Python package {package!r}, which "
                        f"is not installed: `pip install {package}`, or decompress the file first.")


def _open_text(path: Path):
    """``path`` opened as UTF-8 text through its compression; None for ``.zip``/``.zst`` (not sniffed)."""
    suffix = path.suffix.lower()
    if suffix in COMPRESSIONS and suffix not in TEXT_OPENERS:
        return None
    return TEXT_OPENERS.get(suffix, open)(path, "rt", encoding="utf-8", errors="replace", newline="")


def check_fields(path: Path, fmt: str) -> None:
    """Refuse a CSV/TSV row whose field count differs from the header's. pandas reads a file whose
    rows all have one field more than the header (an unquoted comma in every tweet) by making the
    first field an index: every tweet cut, no error. Rows of blanks are left to the reader."""
    handle = _open_text(path)
    if handle is None:
        return
    separator = "tab" if fmt == "TSV" else "comma"
    try:
        with handle:
            if "\x00" in handle.read(4096):
                raise DataError(f"{path} is not a text file (it holds NUL bytes): save the tweets as a UTF-8 "
                                f"{fmt} file, or use .parquet for a Parquet file.")
            handle.seek(0)
            rows = csv.reader(handle, delimiter="\t" if fmt == "TSV" else ",")
            header = next(rows, None) or []
            for row in rows:
                if len(row) != len(header) and any(cell.strip() for cell in row):
                    raise DataError(
                        f"{path}: line {rows.line_num} has {len(row)} field(s) but the header has "
                        f"{len(header)} ({', '.join(header)[:80]}): a {separator} inside a tweet that is not "
                        "in quotes, or a quote never closed? Quote such tweets (\"hello, world\"; pandas "
                        "`to_csv` does), or fix that line.")
    except csv.Error:
        return  # a field beyond csv's size limit, a NUL byte: the reader's own message will do


def _read(path: Path, fmt: str) -> pd.DataFrame:
    if fmt in ("CSV", "TSV"):
        # Everything as text first (ids like "1e3" stay strings, a tweet "null" stays a tweet);
        # only truly empty fields become missing.
        return pd.read_csv(path, sep="\t" if fmt == "TSV" else ",", dtype=str,
                           keep_default_na=False, na_values=[""])
    if fmt == "Parquet":
        return pd.read_parquet(path)
    with open(path, encoding="utf-8", errors="replace") as file:
        is_array = path.suffix.lower() == ".json" and file.read(1024).lstrip().startswith("[")
    # JSON lines: one object per line; a .json file may also hold one array of objects.
    if not is_array:
        _check_json_lines(path)
    return pd.read_json(path, lines=not is_array, dtype=False, convert_dates=False)


def _check_json_lines(path: Path) -> None:
    """Name the first line that is not one JSON object (pandas only gives a character position)."""
    import json

    file = _open_text(path)
    if file is None:
        return  # pandas reads those; its own message has to do
    with file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as error:
                raise ValueError(f"line {number} is not valid JSON ({error.msg})") from None
            if not isinstance(value, dict):
                raise ValueError(f"line {number} is a JSON {type(value).__name__}, not an object")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read one local file into a DataFrame, turning every failure into a clear :class:`DataError`."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise DataError(f"{path} is a folder, not a file: give the path of the data file inside it "
                        "(.csv, .tsv, .parquet or .jsonl).")
    if not path.is_file():
        where = "" if path.is_absolute() else f" (relative paths start from {Path.cwd()})"
        raise DataError(f"Data file not found: {path}{where}. Check the path and the file name.")
    fmt = file_format(path)
    check_compression(path)
    if path.stat().st_size == 0:
        raise DataError(f"{path} is empty (0 bytes). Expected a {fmt} file with a header row "
                        "and one tweet per row.")
    if fmt in ("CSV", "TSV"):
        check_fields(path, fmt)
    try:
        frame = _read(path, fmt)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} is empty (no header, no rows). Expected a {fmt} file with a "
                        "header row and one tweet per row.") from None
    except (ValueError, OSError) as error:  # parser errors, bad encoding, not Parquet, bad JSON
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0].rstrip(".")
        raise DataError(f"Could not read {path} as {fmt}: {reason}. {ADVICE[fmt]}") from None
    if fmt == "CSV" and len(frame.columns) == 1 and ";" in str(frame.columns[0]):
        raise DataError(f"{path} looks semicolon-separated (its header is {frame.columns[0]!r}): save it "
                        "comma-separated (pandas `to_csv`, or 'CSV (comma delimited)' in a spreadsheet).")
    frame = frame.dropna(how="all")  # fully blank rows (e.g. trailing ",,,") are not tweets
    if frame.empty:
        raise DataError(f"{path} has a header but no rows. Add tweets, one per row.")
    return frame


def _row_numbers(mask: pd.Series) -> str:
    rows = [str(i + 1) for i in range(len(mask)) if mask.iloc[i]]
    return ", ".join(rows[:5]) + (", ..." if len(rows) > 5 else "")


def parse_labels(values: pd.Series, source: str, column: str) -> list[int]:
    """Label ids 0..2 from 0/1/2 or names (any case, spaces ignored); DataError on anything else."""
    missing = values.isna()
    if missing.any():
        raise DataError(
            f"{source}: {int(missing.sum())} row(s) have no label in column {column!r} (data row(s) "
            f"{_row_numbers(missing)}, counting from 1 after the header). Fill in {'/'.join(LABELS)} (or 0/1/2) "
            "or remove those rows."
        )
    labels = [parse_label(v) for v in values]
    unknown = sorted({repr(v) for v, label in zip(values, labels, strict=True) if label is None})
    if unknown:
        raise DataError(
            f"{source}: unknown label value(s) in column {column!r}: {', '.join(unknown[:10])}"
            f"{', ...' if len(unknown) > 10 else ''}. Allowed: {', '.join(LABELS)} (case and "
            "surrounding spaces are ignored) or 0, 1, 2. Fix or remove those rows."
        )
    out_of_range = sorted({label for label in labels if not 0 <= label < len(LABELS)})
    if out_of_range:
        raise DataError(
            f"{source}: label value(s) out of range in column {column!r}: "
            f"{', '.join(map(str, out_of_range))}. Allowed: 0 (negative), 1 (neutral), 2 (positive)."
        )
    return labels


def _text(value: object) -> str | None:
    """An id cell as text; missing cells (None, NaN) stay None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, str) else str(value)


def tweet_texts(values: pd.Series, source: str, column: str) -> list[str | None]:
    """The tweets of ``column``: strings as they are, UTF-8 bytes decoded (Parquet written from
    bytes), missing cells None; a DataError for cells that are not text (numbers, lists, bytes
    that are not UTF-8), which would otherwise train on their printed form ("b'...'", "12")."""
    texts, bad = [], []
    for index, value in enumerate(values):
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(index)
        elif not (value is None or isinstance(value, str) or (isinstance(value, float) and value != value)):
            bad.append(index)
        texts.append(_text(value))
    if bad:
        example = values.iloc[bad[0]]
        raise DataError(
            f"{source}: column {column!r} holds {type(example).__name__} values, not text, in {len(bad)} "
            f"row(s) (data row(s) {', '.join(str(i + 1) for i in bad[:5])}{', ...' if len(bad) > 5 else ''}; "
            f"e.g. {str(example)[:40]!r}). Point 'text' at the column with the tweets, or store them as text.")
    return texts


def label_column_values(frame: pd.DataFrame, columns: dict[str, str], source: str) -> tuple[str, list[int]]:
    """The label column and its ids. Where several label columns exist (``label``, ``label_text``,
    ``sentiment``) they must agree row by row: one silently winning could train on the wrong one."""
    present = [columns[name] for name in LABEL_COLUMNS if name in columns]
    parsed = {column: parse_labels(frame[column], source, str(column)) for column in present}
    first, labels = present[0], parsed[present[0]]
    for other in present[1:]:
        differ = [i for i, (a, b) in enumerate(zip(labels, parsed[other], strict=True)) if a != b]
        if differ:
            row = differ[0]
            raise DataError(
                f"{source}: columns {first!r} and {other!r} disagree in {len(differ)} of {len(labels)} rows "
                f"(data row {row + 1}: {LABELS[labels[row]]} vs {LABELS[parsed[other][row]]}). Keep the "
                "right one and delete the other column.")
    return first, labels


def read_tweets(path: str | Path, split: str = "train") -> dict[str, list]:
    """Read ``path`` and return its columns ``id, text, label, label_text`` as lists.

    Column names are matched ignoring case and spaces; ``textID`` becomes ``id`` and
    ``sentiment`` becomes the label. Other columns (e.g. Kaggle's ``selected_text``) are left
    out. Rows without an id get ``"<split>-<row>"``.
    """
    frame = read_table(path)
    columns: dict[str, str] = {}
    for column in frame.columns:
        columns.setdefault(str(column).strip().lstrip("\ufeff").lower(), column)
    found = ", ".join(map(str, frame.columns))
    merged = len(frame.columns) == 1 and file_format(Path(path)) in ("CSV", "TSV")
    hint = " If the columns look merged, the separator is wrong (.csv: comma, .tsv: tab)." if merged else ""
    if "text" not in columns:
        raise DataError(f"{path} has no 'text' column. Columns found: {found}; {EXPECTED}. "
                        f"Rename the column holding the tweets to 'text'.{hint}")
    if not any(name in columns for name in LABEL_COLUMNS):
        raise DataError(f"{path} has no label column. Columns found: {found}; {EXPECTED}. "
                        f"Add a 'label' column (negative/neutral/positive or 0/1/2).{hint}")
    _, labels = label_column_values(frame, columns, str(path))
    id_column = next((columns[name] for name in ID_COLUMNS if name in columns), None)
    ids = frame[id_column] if id_column is not None else [None] * len(frame)
    return {
        "id": [_text(v) or f"{split}-{i}" for i, v in enumerate(ids)],
        "text": tweet_texts(frame[columns["text"]], str(path), str(columns["text"])),
        "label": labels,
        "label_text": [LABELS[label] for label in labels],
    }
