"""The pocket bundle's builder (packing, a deterministic tiny pre-training) and the shipped bundle."""

import json
import re

import pytest
import torch

from course_utils.gpt2_tokenizer import GPT2_TOKENIZER_DIR, TOKENIZER_FILES, load_gpt2_tokenizer
from course_utils.pocket import POCKET_ENGLISH_FILE, POCKET_MODEL_DIR
from course_utils.pretraining import TinyConfig, lm_loss, new_model, pack_blocks, pretrain
from pocket_builder.model_report import REPORT

TEXTS = [f"tweet number {i} about the weather and my cat 😺 #sunny" for i in range(200)] + \
        [f"The river near town {i} flows slowly to the sea." for i in range(200)]


def test_pack_blocks_are_full_and_separated():
    tokenizer = load_gpt2_tokenizer()
    blocks = pack_blocks(TEXTS[:50], tokenizer, block_size=16)
    assert blocks and all(len(b) == 16 for b in blocks)
    assert any(tokenizer.eos_token_id in b for b in blocks)


def _pretrain_twice(**phases):
    """Two pre-trainings of a tiny model with the same config: (loss before, loss after, weights) each."""
    tokenizer = load_gpt2_tokenizer()
    config = TinyConfig(n_embd=32, n_layer=1, n_head=2, block_size=16, batch_size=8, steps=30, warmup_steps=5,
                        **phases)
    blocks = pack_blocks(TEXTS, tokenizer, config.block_size)
    runs = []
    for _ in range(2):
        model = new_model(config, tokenizer)
        before = lm_loss(model, tokenizer, TEXTS[:40], block_size=16)
        pretrain(model, blocks, config, log_every=0)
        runs.append((before, lm_loss(model, tokenizer, TEXTS[:40], block_size=16), model.state_dict()))
    return runs


@pytest.mark.slow
def test_pretraining_is_deterministic_and_lowers_loss():
    # 20 steps with the softmax over the corpus's tokens only, then 10 over all 50,257
    runs = _pretrain_twice(batch_softmax_steps=0, full_softmax_steps=10)
    assert runs[0][1] < runs[0][0] - 1.0
    assert all(torch.equal(runs[0][2][k], runs[1][2][k]) for k in runs[0][2])


def test_restricted_softmax_is_the_full_one_over_the_tokens_that_occur():
    import torch.nn.functional as F

    from course_utils.pretraining import restricted_lm_loss

    tokenizer = load_gpt2_tokenizer()
    model = new_model(TinyConfig(n_embd=32, n_layer=1, n_head=2), tokenizer).eval()
    batch = torch.tensor(pack_blocks(TEXTS[:20], tokenizer, 16)[:4])
    used = torch.unique(batch)
    position = torch.full((len(tokenizer),), -100)
    position[used] = torch.arange(len(used))
    logits = model(input_ids=batch).logits[:, :-1][..., used]  # the full logits, then the used columns
    expected = F.cross_entropy(logits.reshape(-1, len(used)), position[batch[:, 1:]].reshape(-1))
    assert torch.allclose(restricted_lm_loss(model, batch, used, position), expected, atol=1e-5)


def test_shipped_bundle_uses_gpt2s_tokenizer_and_is_small():
    for name in TOKENIZER_FILES:
        assert (POCKET_MODEL_DIR / name).read_bytes() == (GPT2_TOKENIZER_DIR / name).read_bytes(), name
    config = json.loads((POCKET_MODEL_DIR / "config.json").read_text())
    assert (config["vocab_size"], config["n_positions"]) == (50257, 1024)
    assert sum(p.stat().st_size for p in POCKET_MODEL_DIR.iterdir() if p.name != REPORT) < 25_000_000


@pytest.mark.slow
def test_batch_softmax_phase_trains_and_stays_deterministic():
    """The cheapest phase (softmax over the batch's own tokens) still lowers the full loss."""
    runs = _pretrain_twice(batch_softmax_steps=20, full_softmax_steps=5)
    assert all(after < before - 1.0 for before, after, _ in runs)
    assert all(torch.equal(runs[0][2][k], runs[1][2][k]) for k in runs[0][2])


# ------------------------------------------------------------------ the shipped model, measured
@pytest.mark.slow
def test_shipped_model_has_read_english_and_tweets():
    """Perplexity on held-out English and on test tweets, far below a random twin's (about 50,000)."""
    from course_utils.pocket import pretraining_texts
    from pocket_builder import tweets
    from pocket_builder.model_report import perplexities

    english_probe = pretraining_texts()[1][:100]
    test_tweets = [r["text"] for r in tweets.read_pocket_data()["test"][:200]]
    measured = perplexities(POCKET_MODEL_DIR, english_probe, test_tweets)
    for probe in measured.values():
        assert probe["random_init"] > 20_000 and probe["pretrained"] < probe["random_init"] / 50, measured


def test_shipped_model_continues_prompts_in_english():
    from pocket_builder.model_report import continuations

    words = re.findall(r"[A-Za-z']+", " ".join(continuations(POCKET_MODEL_DIR).values()))
    english = set(re.findall(r"[a-z']+", POCKET_ENGLISH_FILE.read_text().lower()))
    assert len(words) >= 25 and sum(w.lower() in english for w in words) / len(words) > 0.8, words


@pytest.mark.slow
def test_pretraining_is_worth_points_on_a_small_budget():
    """The course recipe on 500 training tweets: the pre-trained weights beat random ones."""
    from pocket_builder import tweets
    from pocket_builder.measure import shuffled_train
    from pocket_builder.model_report import VALIDATION_ROWS, finetune_accuracy

    data = tweets.read_pocket_data()
    rows = shuffled_train(data["train"])
    test = data["test"][:600]
    pretrained, random_init = (
        finetune_accuracy(POCKET_MODEL_DIR, rows[:500], rows[-VALIDATION_ROWS:], test, random_init=start)
        for start in (False, True)
    )
    assert pretrained >= random_init + 0.04, (pretrained, random_init)


@pytest.mark.slow
def test_hub_report_measures_whatever_the_small_profile_loads(monkeypatch):
    """``pocket hub`` takes the small profile's tweets (here the pocket ones stand in for the Hub)."""
    import course_utils.data
    from pocket_builder import model_report, tweets

    monkeypatch.setattr(model_report, "load_tweets", lambda profile: course_utils.data.load_pocket())
    report = model_report.hub_report(train_rows=4100, test_rows=300)
    assert (report["train_rows"], report["test_rows"]) == (4100, 300)
    # the pocket tweets' only repeats are their planned scrape damage; a sample holds some of them
    assert 0 <= report["overlapping_texts"] <= sum(tweets.DAMAGE.values())
    assert set(report["bag_of_words_test_accuracy"]) == {250, 500, 1000, 2000, 4000}
    assert 10 < report["surface_train"]["gpt2_tokens"]["mean"] < 30
