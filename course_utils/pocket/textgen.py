"""The text engine of the pocket bundle: fills templates and dresses sentences as tweets.

:func:`tweet` writes one synthetic tweet of a given class, :func:`prose_item` one or two plain
sentences of general English; :mod:`course_utils.pocket.tweets` builds the datasets from them.
All randomness comes from the ``random.Random`` passed in (no global state, no hash or set
order), so the same seed always gives the same text. Word lists and templates live in
:mod:`course_utils.pocket.words`, :mod:`course_utils.pocket.tweet_templates` and
:mod:`course_utils.pocket.prose_words`.
"""

from __future__ import annotations

import random
import re

from course_utils.pocket import prose_words as P
from course_utils.pocket import tweet_templates as T
from course_utils.pocket import words as W

SENTIMENTS = ("negative", "neutral", "positive")  # by label, as tweets.LABELS
MAX_CHARS = 140

_SLOT = re.compile(r"\{(\w+)\}")
_URL = re.compile(r"https?://\S+")
_LINK_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_KEYBOARD = dict(zip("aeiousntrlhdmgyc", "sroiyaamtkgfnhtv", strict=True))  # a neighbouring key


def _special(key: str, rng: random.Random) -> str | None:
    """Slots computed in code rather than drawn from a list (None when ``key`` is not one)."""
    if key == "name":
        return rng.choice(W.NAMES)
    if key == "city":
        return rng.choice(W.CITIES)
    if key == "mention":
        return _mention(rng)
    if key == "link":
        return _link(rng)
    if key == "time":
        return rng.choice(T.TIMES)
    if key == "num":
        return str(rng.choice((5, 10, 12, 15, 20, 25, 30, 40, 45, 60)))
    if key == "temp":
        degrees = rng.randint(-4, 34)
        return rng.choice((f"{degrees} degrees", f"{degrees}°C", f"{degrees}c"))
    if key == "year":
        return str(rng.randint(1612, 1938))
    if key == "rail_year":
        return str(rng.randint(1838, 1912))
    if key == "small":
        return str(rng.randint(2, 9))
    if key == "oven":
        return str(rng.randrange(160, 230, 10))
    if key == "town":
        return rng.choice(P.TOWN_START) + rng.choice(P.TOWN_END)
    if key == "person":
        return f"{rng.choice(W.NAMES)} {rng.choice(W.SURNAMES)}"
    return None


def _mention(rng: random.Random) -> str:
    """An invented @handle."""
    name = rng.choice(W.NAMES).lower()
    style = rng.random()
    if style < 0.35:
        handle = f"{name}{rng.randint(1, 99)}"
    elif style < 0.6:
        handle = name + rng.choice(W.HANDLE_SUFFIXES)
    elif style < 0.85:
        handle = rng.choice(W.HANDLE_WORDS) + rng.choice(("", "_")) + rng.choice(W.HANDLE_WORDS)
    else:
        handle = f"{name}_{rng.choice(W.SURNAMES).lower()}"
    return "@" + handle[:15]


def _link(rng: random.Random) -> str:
    """An invented short link (t.co, bit.ly or twitpic style)."""
    host, size = rng.choice(
        (
            ("http://t.co/", 8),
            ("http://t.co/", 8),
            ("http://bit.ly/", 6),
            ("http://twitpic.com/", 5),
        )
    )
    return host + "".join(rng.choice(_LINK_CHARS) for _ in range(size))


def _agree(pred: str) -> str:
    """Make a predicate agree with a plural subject ("is awful" -> "are awful")."""
    first, _, rest = pred.partition(" ")
    if first == "never" and rest:
        verb, _, tail = rest.partition(" ")
        return f"never {verb.removesuffix('s')} {tail}".rstrip()
    return f"{T.PLURAL.get(first, first)} {rest}".rstrip()


def _fill(template: str, rng: random.Random, slots: dict, bound: dict[str, str]) -> str:
    """Fill ``{slot}`` fields left to right; ``bound`` holds the tweet's fixed thing/aspect."""
    state = {"plural": False}

    def expand(text: str, depth: int) -> str:
        def one(match: re.Match) -> str:
            key = match.group(1)
            if key in bound:
                value = bound[key]
                state["plural"] = value.endswith("*")
                return value.removesuffix("*")
            value = _special(key, rng)
            if value is None:
                value = expand(rng.choice(slots[key]), depth + 1) if depth < 8 else key
                if key.endswith("_pred") and state["plural"]:
                    value = _agree(value)
            if key.endswith("_pred"):
                state["plural"] = False
            return value

        return _SLOT.sub(one, text)

    return expand(template, 0)


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    """A weighted choice that depends only on ``rng``."""
    total = sum(weight for _, weight in weighted)
    x = rng.random() * total
    for item, weight in weighted:
        x -= weight
        if x < 0:
            return item
    return weighted[-1][0]


def _bind(rng: random.Random) -> dict[str, str]:
    """Choose a domain and fix the tweet's {thing} and {aspect} (still with slots inside)."""
    things, aspects = W.DOMAINS[rng.choice(sorted(W.DOMAINS))]
    bound = {"thing": rng.choice(things), "aspect": rng.choice(aspects)}
    return {k: _fill(v, rng, W.SLOTS, {}) for k, v in bound.items()}


def _mixed(rng: random.Random, label: int, bound: dict[str, str]) -> str:
    """Two clauses of opposite polarity joined by "but"; ``label`` is the second one's."""
    first, second = ("pos", "neg") if label == 0 else ("neg", "pos")
    if rng.random() < 0.25:
        a, b = f"{{{first}_event}}", f"{{{second}_event}}"
    else:
        neg_first = {"pos": "negneg", "neg": "negpos"}[first]
        neg_second = {"pos": "negneg", "neg": "negpos"}[second]
        a = rng.choice(
            (
                f"{{thing}} {{{first}_pred}}",
                f"{{thing}} {{{first}_pred}}",
                f"{{{first}_v}} {{thing}}",
                f"{{thing}} {{{neg_first}_pred}}",
            )
        )
        b = rng.choice(
            (
                f"{{aspect}} {{{second}_pred}}",
                f"{{aspect}} {{{second}_pred}}",
                f"{{{second}_v}} {{aspect}}",
                f"{{aspect}} {{{neg_second}_pred}}",
            )
        )
    return _fill(a + rng.choice(T.CONNECTORS) + b, rng, W.SLOTS, bound)


def _core(rng: random.Random, label: int) -> str:
    """The bare, lower-case sentence of one tweet of class ``label``."""
    kind = pick(rng, T.KINDS[label])
    bound = _bind(rng)
    if kind == "mixed":
        core = _mixed(rng, label, bound)
    elif kind == "implicit":  # a plain neutral sentence whose feeling is only in the emoji
        core = _fill(
            rng.choice(T.TEMPLATES[rng.choice(("neu_plain", "neu_plain", "neu_short"))]),
            rng,
            W.SLOTS,
            bound,
        )
        marks = T.EMOJI[SENTIMENTS[label]] + (T.EMOTICONS[SENTIMENTS[label]],)
        core += rng.choice(("", " ", " ")) + rng.choice(marks) * rng.choice((1, 1, 2, 3))
    else:
        core = _fill(rng.choice(T.TEMPLATES[kind]), rng, W.SLOTS, bound)
    for chance in (0.2 if kind.endswith("short") else 0.6, 0.28):
        if rng.random() >= chance:
            break
        r = rng.random()
        tails = T.TAILS[SENTIMENTS[label] if r < (0.7 if label == 1 else 0.45) else "shared"]
        sep = " " if core[-1] in "?!." else rng.choice((". ", ". ", ", ", "! ", " - ", " ", "... "))
        core += sep + _fill(rng.choice(tails), rng, W.SLOTS, bound)
    if rng.random() < 0.38:
        core = (
            _fill(rng.choice(T.CONTEXTS), rng, W.SLOTS, bound)
            + rng.choice((". ", ", ", "... "))
            + core
        )
    return core


def _elongate(word: str, rng: random.Random) -> str:
    """Stretch a word as tweeters do: "so" -> "sooo", "good" -> "gooood", "yes" -> "yesss"."""
    extra = rng.randint(2, 5)
    if word[-1] in "aeiouyshm":
        return word + word[-1] * extra
    i = max(i for i, ch in enumerate(word) if ch in "aeiouy" or i == 0)
    return word[: i + 1] + word[i] * extra + word[i + 1 :]


def _typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: swapped, dropped, doubled or neighbouring letter."""
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op < 0.7:
        return word[:i] + word[i + 1 :]
    if op < 0.85:
        return word[:i] + word[i] + word[i:]
    return word[:i] + _KEYBOARD.get(word[i], word[i]) + word[i + 1 :]


def _words_sub(text: str, pattern: str, change, rng: random.Random, count: int = 1) -> str:
    """Apply ``change`` to ``count`` random whole words of ``text`` matching ``pattern``."""
    spots = [m.span() for m in re.finditer(pattern, text)]
    for start, end in sorted(rng.sample(spots, min(count, len(spots))), reverse=True):
        text = text[:start] + change(text[start:end], rng) + text[end:]
    return text


def _case(text: str, rng: random.Random) -> str:
    """Casual lower case mostly, sometimes sentence case, emphasis caps or all caps."""
    r = rng.random()
    if r < 0.58:
        return text.lower()
    text = re.sub(r"\bi\b", "I", text)
    text = re.sub(r"(^|[.!?] )([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    if r < 0.9:
        return text
    if r < 0.98:
        pattern = r"\b(" + "|".join(T.EMPHASIS) + r")\b"
        if not re.search(pattern, text):
            pattern = r"\b[a-z]{3,7}\b"
        return _words_sub(text, pattern, lambda w, _: w.upper(), rng)
    return text.upper()


def _decorate(core: str, label: int, rng: random.Random) -> str:
    """Turn a clean sentence into a tweet: slang, stretching, typos, case, emoji, tags, links."""
    sentiment = SENTIMENTS[label]
    links = _URL.findall(core)  # kept out of the way of slang, typos and casing
    text = _URL.sub("\x00", core)
    if rng.random() < 0.12:
        text = f"{rng.choice(T.OPENERS[sentiment])} {text}"
    if rng.random() < 0.14:
        text = f"{text} {rng.choice(T.CLOSERS[sentiment])}"
    if rng.random() < 0.35:
        for pattern, short in T.ABBREVIATIONS:
            if rng.random() < 0.5:
                text = re.sub(pattern, short, text)
    if rng.random() < 0.25:
        text = re.sub(r"(?<=[a-z])'(?=[a-z])", "", text)
    if rng.random() < (0.06 if label == 1 else 0.18):
        text = _words_sub(text, r"\b(" + "|".join(T.ELONGATE) + r")\b", _elongate, rng)
    if rng.random() < 0.15:
        text = _words_sub(text, r"(?<![@#/\w])[a-z]{4,}\b", _typo, rng, rng.choice((1, 1, 2)))
    if text[-1] not in "?!.)" and rng.random() < 0.45:
        ends = {
            0: ("...", "!", ".", "!!", " :(", ".."),
            1: (".", ".", "...", "!", " :)", "."),
            2: ("!", "!!", "!!!", " :)", ".", " :))"),
        }[label]
        text += rng.choice(ends)
    text = _case(text, rng)
    for link in links:
        text = text.replace("\x00", link, 1)
    emoji_rate = (0.28, 0.14, 0.35)[label]
    if rng.random() < emoji_rate:
        r = rng.random()
        pool = (
            T.EMOJI["shared"]
            if r < 0.15
            else T.EMOJI[rng.choice(SENTIMENTS)]
            if r < 0.2
            else T.EMOJI[sentiment]
        )
        text += rng.choice(("", " ", " ")) + rng.choice(pool) * rng.choice((1, 1, 1, 2, 3))
    if rng.random() < 0.13:
        tags = T.HASHTAGS["topic"] if rng.random() < 0.6 else T.HASHTAGS[sentiment]
        text += " " + rng.choice(tags)
    if rng.random() < (0.05 if label == 1 else 0.015):
        text += " " + _link(rng)
    if rng.random() < 0.26:
        text = _mention(rng) + " " + text
        if rng.random() < 0.15:
            text = _mention(rng) + " " + text
    if rng.random() < 0.07:
        text = text.replace("'", "`")
    if rng.random() < 0.05:
        text = " " + text
    return text


def tweet(rng: random.Random, label: int) -> str:
    """One non-empty tweet of class ``label`` of at most MAX_CHARS characters."""
    while True:
        text = _decorate(_core(rng, label), label, rng).replace("\n", " ")
        if text.strip() and len(text) <= MAX_CHARS:
            return text


def prose_item(rng: random.Random) -> str:
    """One or two sentences of plain prose on one topic (nature, science, history...)."""
    templates = P.PROSE_TEMPLATES[rng.choice(sorted(P.PROSE_TEMPLATES))]
    first = rng.choice(templates)
    chosen = [first] + (
        [rng.choice([t for t in templates if t != first])] if rng.random() < 0.4 else []
    )
    return " ".join(_capital(_fill(t, rng, P.PROSE_SLOTS, {})) for t in chosen)


def _capital(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]
