"""The dataset's schema, defined once: label names and ids, the columns, and the data error.

Introduced in notebook 02 (the data notebook). Every split the course loads has the columns
``id`` (str), ``text`` (str), ``label`` (int: 0 negative, 1 neutral, 2 positive) and
``label_text`` (str), whatever its source. :mod:`course_utils.data` and
:mod:`course_utils.local_files` build on these; the model's ``id2label`` comes from here too.
"""

from __future__ import annotations

import numpy as np
from datasets import Features, Value

LABELS = ("negative", "neutral", "positive")
ID2LABEL = dict(enumerate(LABELS))
LABEL2ID = {name: i for i, name in ID2LABEL.items()}
FEATURES = Features({"id": Value("string"), "text": Value("string"),
                     "label": Value("int64"), "label_text": Value("string")})


class DataError(ValueError):
    """Bad input data; the message names the file or split and says how to fix it."""


def parse_label(value: object) -> int | None:
    """``0/1/2`` or ``negative/neutral/positive`` (any case, spaces ignored) as an int; else None.

    Out-of-range numbers (e.g. ``3``) are returned as they are, for the caller to report.
    """
    if isinstance(value, str):
        key = value.strip().lower()
        if key in LABEL2ID:
            return LABEL2ID[key]
        try:
            value = float(key)
        except ValueError:
            return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    return None
