"""The pocket bundle's builder: tokenizer, packing, a deterministic (tiny) pre-training."""

import json

import torch

from course_utils.pocket import POCKET_MODEL_DIR
from course_utils.pocket.build import (
    REPORT,
    TinyConfig,
    lm_loss,
    new_model,
    pack_blocks,
    pretrain,
    train_tokenizer,
)

TEXTS = [f"tweet number {i} about the weather and my cat 😺 #sunny" for i in range(200)] + \
        [f"The river near town {i} flows slowly to the sea." for i in range(200)]


def test_tokenizer_is_gpt2_like():
    tokenizer = train_tokenizer(TEXTS, vocab_size=400)
    assert tokenizer.eos_token == tokenizer.bos_token == "<|endoftext|>"
    assert tokenizer.pad_token is None and tokenizer.model_max_length == 1024
    assert tokenizer.decode(tokenizer("héllo 😺 @you")["input_ids"]) == "héllo 😺 @you"  # byte-level: lossless


def test_pack_blocks_are_full_and_separated():
    tokenizer = train_tokenizer(TEXTS, vocab_size=400)
    blocks = pack_blocks(TEXTS[:50], tokenizer, block_size=16)
    assert blocks and all(len(b) == 16 for b in blocks)
    assert any(tokenizer.eos_token_id in b for b in blocks)


def test_pretraining_is_deterministic_and_lowers_loss():
    tokenizer = train_tokenizer(TEXTS, vocab_size=400)
    config = TinyConfig(vocab_size=400, n_embd=32, n_layer=1, n_head=2, block_size=16, batch_size=8,
                        steps=30, warmup_steps=5)
    blocks = pack_blocks(TEXTS, tokenizer, config.block_size)
    runs = []
    for _ in range(2):
        model = new_model(config, tokenizer)
        before = lm_loss(model, tokenizer, TEXTS[:40], block_size=16)
        pretrain(model, blocks, config, log_every=0)
        runs.append((before, lm_loss(model, tokenizer, TEXTS[:40], block_size=16), model.state_dict()))
    assert runs[0][1] < runs[0][0] - 1.0
    assert all(torch.equal(runs[0][2][k], runs[1][2][k]) for k in runs[0][2])


def test_shipped_bundle_is_small_and_pretrained():
    report = json.loads((POCKET_MODEL_DIR / REPORT).read_text())
    assert report["bundle_bytes"] < 8_000_000
    assert report["probe_loss_pretrained"] < report["probe_loss_random_init"] - 2
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in POCKET_MODEL_DIR.iterdir()}
