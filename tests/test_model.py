"""Model and tokenizer loading from the pocket bundle, with the calls used for gpt2."""

import pytest
import torch
from transformers import AutoTokenizer, GPT2ForSequenceClassification

from course_utils.model import ModelSourceError, load_classifier, load_tokenizer, parameter_table
from course_utils.pocket import POCKET_MODEL_DIR


def test_pocket_bundle_loads_like_gpt2():
    tokenizer = AutoTokenizer.from_pretrained(POCKET_MODEL_DIR)
    assert type(tokenizer).__name__ == "GPT2Tokenizer"
    assert tokenizer.model_max_length == 1024 and tokenizer.pad_token is None  # like gpt2
    model, info = GPT2ForSequenceClassification.from_pretrained(POCKET_MODEL_DIR, num_labels=3,
                                                                output_loading_info=True)
    assert model.config.n_positions == 1024
    assert info["missing_keys"] == {"score.weight"} or set(info["missing_keys"]) == {"score.weight"}


def test_load_tokenizer_sets_pad_to_eos(pocket_tokenizer):
    assert pocket_tokenizer.pad_token == pocket_tokenizer.eos_token == "<|endoftext|>"
    assert pocket_tokenizer.pad_token_id == pocket_tokenizer.eos_token_id


def test_load_classifier_sets_pad_id_and_labels(pocket_tokenizer):
    model = load_classifier(str(POCKET_MODEL_DIR), pocket_tokenizer)
    assert model.config.pad_token_id == pocket_tokenizer.pad_token_id
    assert model.config.id2label == {0: "negative", 1: "neutral", 2: "positive"}
    assert model.config.label2id["positive"] == 2
    batch = pocket_tokenizer(["so happy today", "meh"], padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**batch).logits
    assert logits.shape == (2, 3)


def test_batch_of_two_fails_without_pad_id(pocket_tokenizer):
    model = GPT2ForSequenceClassification.from_pretrained(POCKET_MODEL_DIR, num_labels=3)
    batch = pocket_tokenizer(["so happy today", "meh"], padding=True, return_tensors="pt")
    with pytest.raises(ValueError, match="padding token"):
        model(**batch)


def test_padding_does_not_change_prediction(pocket_tokenizer):
    model = load_classifier(str(POCKET_MODEL_DIR), pocket_tokenizer).eval()
    alone = pocket_tokenizer(["omg best day ever @sam"], return_tensors="pt")
    padded = pocket_tokenizer(["omg best day ever @sam", "a much longer tweet about the weather and my commute"],
                              padding=True, return_tensors="pt")
    with torch.no_grad():
        assert torch.allclose(model(**alone).logits[0], model(**padded).logits[0], atol=1e-4)


def test_num_labels_mismatch_is_explained(pocket_tokenizer):
    with pytest.raises(ValueError, match="num_labels=2.*3 classes"):
        load_classifier(str(POCKET_MODEL_DIR), pocket_tokenizer, num_labels=2)


def test_missing_model_folder_is_explained(tmp_path, pocket_tokenizer):
    with pytest.raises(ModelSourceError, match="does not exist"):
        load_tokenizer(str(tmp_path / "no_such_model"))
    with pytest.raises(ModelSourceError, match="does not exist"):
        load_classifier(str(tmp_path / "no_such_model"), pocket_tokenizer)


def test_hub_model_offline_is_explained():
    with pytest.raises(ModelSourceError, match="prefetch.*COURSE_PROFILE=pocket"):
        load_tokenizer("gpt2-not-cached-anywhere")


def test_parameter_table_marks_the_new_head():
    model, info = GPT2ForSequenceClassification.from_pretrained(POCKET_MODEL_DIR, num_labels=3,
                                                                output_loading_info=True)
    table = parameter_table(model, list(info["missing_keys"]))
    head = table[table["part"] == "classification head"]
    assert head["status"].tolist() == ["new (random)"]
    assert head["parameters"].item() == model.config.n_embd * 3
    assert table["parameters"].sum() == sum(p.numel() for p in model.parameters())


def test_read_positions_match_the_model_rule(pocket_tokenizer):
    from course_utils.model import read_positions

    texts = ["so happy today", "meh", "a much longer tweet about the weather"]
    right = pocket_tokenizer(texts, padding=True)
    lengths = [sum(mask) for mask in right["attention_mask"]]
    assert read_positions(right["input_ids"], pocket_tokenizer.pad_token_id) == [n - 1 for n in lengths]
    pocket_tokenizer.padding_side = "left"
    try:
        left = pocket_tokenizer(texts, padding=True)
    finally:
        pocket_tokenizer.padding_side = "right"
    width = len(left["input_ids"][0])
    assert read_positions(left["input_ids"], pocket_tokenizer.pad_token_id) == [width - 1] * 3


def test_plot_read_positions_draws_every_position(pocket_tokenizer):
    from course_utils.model import plot_read_positions

    batch = pocket_tokenizer(["so happy today", "meh"], padding=True, return_tensors="pt")
    fig = plot_read_positions(pocket_tokenizer, batch)
    assert len(fig.axes[0].patches) == batch["input_ids"].numel()
    assert sum("read" == t.get_text() for t in fig.axes[0].texts) == 2


def test_plot_read_positions_draws_emoji_without_missing_glyphs(pocket_tokenizer):
    import warnings

    from course_utils.model import plot_read_positions

    batch = pocket_tokenizer(["so happy 😍😍", "meh 🙄"], padding=True, return_tensors="pt")
    fig = plot_read_positions(pocket_tokenizer, batch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
        fig.canvas.draw()


def test_freeze_all_but_top_leaves_the_top_blocks_and_head_trainable(pocket_tokenizer):
    from course_utils.model import freeze_all_but_top

    model = freeze_all_but_top(load_classifier(pocket_tokenizer.name_or_path, pocket_tokenizer), 2)
    trainable = {name.split(".")[2] if ".h." in name else name for name, p in model.named_parameters()
                 if p.requires_grad}
    last = model.config.n_layer - 1
    assert trainable == {str(last - 1), str(last), "transformer.ln_f.weight", "transformer.ln_f.bias",
                         "score.weight"}


def test_quiet_library_output_hides_or_cleans_the_load_report(caplog):
    """The LOAD REPORT appears without escape codes where asked, and not at all otherwise."""
    import logging

    from transformers import GPT2ForSequenceClassification
    from transformers.utils import logging as hf_logging

    from course_utils.model import quiet_library_output

    propagates = logging.getLogger("transformers").propagate
    hf_logging.enable_propagation()  # let caplog see Transformers' records
    try:
        quiet_library_output(load_reports=True)
        with caplog.at_level(logging.WARNING):
            GPT2ForSequenceClassification.from_pretrained(str(POCKET_MODEL_DIR), num_labels=3)
        reports = [r.getMessage() for r in caplog.records if "LOAD REPORT" in r.getMessage()]
        assert reports and all("\x1b[" not in r and "score.weight" in r for r in reports)
        caplog.clear()
        quiet_library_output()
        quiet_library_output()  # idempotent: one filter, still hiding
        with caplog.at_level(logging.WARNING):
            GPT2ForSequenceClassification.from_pretrained(str(POCKET_MODEL_DIR), num_labels=3)
            logging.getLogger("transformers.trainer_utils").warning("mtime may not be reliable on this filesystem")
            logging.getLogger("transformers.trainer_utils").warning("something a student can act on")
        messages = [r.getMessage() for r in caplog.records]
        assert not any("LOAD REPORT" in m or "mtime" in m for m in messages)
        assert "something a student can act on" in messages
        assert not hf_logging.is_progress_bar_enabled()
    finally:
        logging.getLogger("transformers").propagate = propagates
        hf_logging.enable_progress_bar()
