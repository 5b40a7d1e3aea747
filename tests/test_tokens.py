"""Tokenizer helpers: token tables, coloured HTML, the widget, length stats, padding cost."""

from course_utils.model import load_classifier
from course_utils.tokens import (
    length_stats,
    padding_cost,
    plot_padding_cost,
    token_table,
    tokens_html,
)
from course_utils.widgets import token_widget


def test_token_table_round_trips(pocket_tokenizer):
    text = "sooo happy @bestie"
    table = token_table(pocket_tokenizer, text)
    assert "".join(table["text"]) == text
    assert table["id"].tolist() == pocket_tokenizer(text)["input_ids"]


def test_token_table_shows_byte_pieces_of_an_emoji(pocket_tokenizer):
    table = token_table(pocket_tokenizer, "happy 😍")  # GPT-2 has no token for this emoji
    assert len(table) > 2 and "\ufffd" in "".join(table["text"])  # a piece alone is no character
    assert pocket_tokenizer.decode(table["id"].tolist()) == "happy 😍"  # together they are


def test_tokens_html_escapes_and_counts(pocket_tokenizer):
    html = tokens_html(pocket_tokenizer, "<b>hi</b>")
    assert "<b>hi" not in html and "&lt;" in html
    assert f"{len(pocket_tokenizer('<b>hi</b>')['input_ids'])} tokens" in html


def test_widget_updates_on_typing(pocket_tokenizer):
    widget = token_widget(pocket_tokenizer, value="hi")
    box, view = widget.children
    box.value = "a brand new tweet"
    assert "17 characters" in view.value


def test_length_stats(pocket_tokenizer):
    stats = length_stats(pocket_tokenizer, ["a", "a b c d", "hello world"])
    assert stats["max"] >= stats["p99"] >= stats["median"] >= 1


def test_padding_cost_measures_both_recipes(pocket_tokenizer, pocket_splits):
    model = load_classifier(pocket_tokenizer.name_or_path, pocket_tokenizer)
    texts = pocket_splits["train"]["text"][:]
    table = padding_cost(model, pocket_tokenizer, texts, batch_size=4, repeats=2)
    assert table.loc["max_length", "tokens per batch"] == 4 * 1024
    assert table.loc["dynamic", "tokens per batch"] < 4 * 100
    assert table.loc["max_length", "tokens per real token"] > 10
    assert table.loc["dynamic", "slowdown"] == 1.0
    assert table.loc["max_length", "slowdown"] > 1  # 4,096 positions against a few dozen
    assert table.loc["max_length", "seconds per batch"] > table.loc["dynamic", "seconds per batch"]
    assert plot_padding_cost(table).axes
