"""The dressing of the pocket bundle's tweets: what makes a sentence look like one of the Hub's.

:func:`dress` adds typos, stretched words ("sooo"), contractions, casing, backtick or dropped
apostrophes and stray spaces; :func:`link` writes an invented short link. Used by
:mod:`pocket_builder.tweet_kinds` on the sentences that :mod:`pocket_builder.textgen` builds. All
randomness comes from the ``random.Random`` passed in: the same seed, the same text.
"""

from __future__ import annotations

import random

from pocket_builder import words as W

_LINK_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_KEYBOARD = dict(zip("aeiousntrlhdmgyc", "sroiyaamtkgfnhtv", strict=True))  # a neighbouring key


def _typo(rng: random.Random, word: str) -> str:
    """One keyboard slip in ``word``: a swap, a dropped, doubled or neighbouring letter."""
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == 1:
        return word[:i] + word[i + 1:]
    if op == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + _KEYBOARD.get(word[i], word[i]) + word[i + 1:]


def _stretch(word: str, times: int) -> str:
    """"so" -> "sooo": the last vowel (or letter) repeated."""
    for i in range(len(word) - 1, -1, -1):
        if word[i] in "aeiouy":
            return word[: i + 1] + word[i] * times + word[i + 1:]
    return word + word[-1] * times


_CONTRACTIONS = (("I am", "I'm"), ("I have", "I've"), ("I will", "I'll"), ("it is", "it's"),
                 ("that is", "that's"), ("there is", "there's"), ("do not", "don't"),
                 ("did not", "didn't"), ("cannot", "can't"), ("is not", "isn't"), ("was not", "wasn't"),
                 ("will not", "won't"), ("we are", "we're"), ("they are", "they're"), ("what is", "what's"))


def contract(rng: random.Random, text: str) -> str:
    """Contract "I am", "do not"... as people type them, most of the time."""
    for full, short in _CONTRACTIONS:
        if full in text and rng.random() < 0.85:
            text = text.replace(full, short)
    return text


def link(rng: random.Random) -> str:
    """An invented short link."""
    return rng.choice(W.LINK_HOSTS) + "".join(rng.choice(_LINK_CHARS) for _ in range(rng.randint(5, 7)))


def dress(rng: random.Random, text: str) -> str:
    """Typos, stretched words, casing, apostrophes and stray spaces, as in the Hub tweets."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if word.isalpha() and len(word) >= 4 and rng.random() < 0.12:
            words[i] = _typo(rng, word)
    if rng.random() < 0.065:
        candidates = [i for i, w in enumerate(words) if w.isalpha() and 2 <= len(w) <= 6]
        if candidates:
            i = rng.choice(candidates)
            words[i] = _stretch(words[i], rng.randint(2, 5))
    if rng.random() < 0.03:
        i = rng.randrange(len(words))
        words[i] = words[i].upper()
    text = contract(rng, " ".join(words))
    case = rng.random()
    if case < 0.22:
        text = text.lower()
    elif case < 0.93:
        text = text[0].upper() + text[1:]
    style = rng.random()
    if style < 0.66:
        text = text.replace("'", "`")
    elif style < 0.74:
        text = text.replace("'", "")
    if rng.random() < 0.35 and " " in text:
        spaces = [i for i, c in enumerate(text) if c == " "]
        i = rng.choice(spaces)
        text = text[:i] + " " + text[i:]
    if rng.random() < 0.40:
        text = " " + text
    return text
