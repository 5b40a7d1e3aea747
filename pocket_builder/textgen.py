"""The text engine of the pocket bundle: the clauses of sentences with a known feeling.

:func:`pocket_builder.tweet_kinds.tweet` writes one synthetic tweet of a given class. It picks a
*kind* of tweet (plain, negated, contrast, sarcasm, comparison, question, reported feeling,
diminished or intensified, emoticon only, emotional words in a title or name, genuinely
ambiguous), builds the sentence from the clauses below, then dresses it the way the Hub tweets
look with :mod:`pocket_builder.dressing` (leading and double spaces, backtick apostrophes, lower
case, typos, stretched words, links). All randomness comes from the ``random.Random`` passed in
(no global state, no hash or set order): the same seed, the same text.
"""

from __future__ import annotations

import functools
import random
import re

from pocket_builder import english
from pocket_builder import words as W

MAX_CHARS = 140
_SINGULAR_S = ("ss", "us", "is", "news", "maths", "series", "chips")


def pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    """A weighted choice that depends only on ``rng``."""
    x = rng.random() * sum(weight for _, weight in weighted)
    for item, weight in weighted:
        x -= weight
        if x < 0:
            return item
    return weighted[-1][0]


def is_plural(thing: str) -> bool:
    """Rough number agreement for the noun phrases of :mod:`words` ("the kids" -> plural)."""
    last = thing.split()[-1]
    return last.endswith("s") and not last.endswith(_SINGULAR_S)


def be(rng: random.Random, thing: str, negated: bool = False) -> str:
    """"is"/"was" (or "are"/"were"), optionally negated, agreeing with ``thing``."""
    past = rng.random() < 0.45
    verb = ("were" if past else "are") if is_plural(thing) else ("was" if past else "is")
    return verb + ("n't" if negated else "")


def topic(rng: random.Random) -> W.Topic:
    """One of the topics, equally likely."""
    return W.TOPICS[rng.choice(sorted(W.TOPICS))]


@functools.cache
def english_nouns() -> tuple[str, ...]:
    """Nouns from the bundle's English text, less the sentiment words (the long tail of words)."""

    sentiment = {w for group in (W.POS_MILD, W.POS_STRONG, W.NEG_MILD, W.NEG_STRONG, W.FEEL_POS_MILD,
                                 W.FEEL_POS_STRONG, W.FEEL_NEG_MILD, W.FEEL_NEG_STRONG) for w in group}
    return tuple(w for w in english.nouns(list(_english_passages())) if w not in sentiment)


@functools.cache
def english_words() -> tuple[str, ...]:
    """Every lower-case word of seven letters or more in the bundle's English text."""
    found = dict.fromkeys(w for passage in _english_passages() for w in re.findall(r"\b[a-z]{7,}\b", passage))
    return tuple(found)


@functools.cache
def english_gerunds() -> tuple[str, ...]:
    """"-ing" words from the bundle's English text, less the sentiment words."""

    return tuple(w for w in english.gerunds(list(_english_passages())) if w not in W.VERB_POS + W.VERB_NEG)


@functools.cache
def _english_passages() -> tuple[str, ...]:

    return tuple(english.ENGLISH_FILE.read_text(encoding="utf-8").splitlines())


def thing(rng: random.Random, about: W.Topic) -> str:
    """A noun phrase of the topic, sometimes an everyday object, a pastime or any noun instead."""
    r = rng.random()
    if r < 0.06:
        return title(rng) if rng.random() < 0.5 else f"{rng.choice(W.TITLE_KINDS)} {title(rng)}"
    if r < 0.24:
        return rng.choice(("the ", "this ", "that ", "the whole ", "my ")) + rng.choice(english_nouns())
    if r < 0.32:
        return rng.choice(("my ", "the ", "my new ", "this ")) + rng.choice(W.OBJECTS)
    if r < 0.38:
        return rng.choice(W.ACTIVITIES + english_gerunds())
    return rng.choice(about.things)


def adjective(rng: random.Random, sign: int, strong: bool = True) -> str:
    """A sentiment adjective of ``sign`` (+1/-1), strong or mild."""
    if sign > 0:
        return rng.choice(W.POS_STRONG if strong else W.POS_MILD)
    return rng.choice(W.NEG_STRONG if strong else W.NEG_MILD)


def feeling(rng: random.Random, sign: int, strong: bool = True) -> str:
    """A feeling of the writer of ``sign`` (+1/-1), strong or mild."""
    if sign > 0:
        return rng.choice(W.FEEL_POS_STRONG if strong else W.FEEL_POS_MILD)
    return rng.choice(W.FEEL_NEG_STRONG if strong else W.FEEL_NEG_MILD)


def event(rng: random.Random, about: W.Topic, sign: int) -> str:
    """Something that happened: good (+1), bad (-1) or neutral (0)."""
    return rng.choice(about.good if sign > 0 else about.bad if sign < 0 else about.neutral)


def i_am(rng: random.Random) -> str:
    """The writer as subject of a feeling."""
    return rng.choice(("I'm", "feeling", "I feel", "I am", "been feeling", "I'm feeling", "I'm", "I've been"))


def polar(rng: random.Random, about: W.Topic, sign: int) -> str:
    """A clause that clearly says something good (+1) or bad (-1), sometimes with a time."""
    text = _polar(rng, about, sign)
    return f"{text} {rng.choice(W.DAYS)}" if rng.random() < 0.25 else text


def _polar(rng: random.Random, about: W.Topic, sign: int) -> str:
    x = thing(rng, about)
    boost = rng.choice(W.INTENSIFIERS) + " " if rng.random() < 0.35 else ""
    form = rng.randrange(8)
    if form == 0:
        return f"{x} {be(rng, x)} {boost}{adjective(rng, sign)}"
    if form == 1:
        return f"I {rng.choice(W.VERB_POS if sign > 0 else W.VERB_NEG)} {x}"
    if form == 2:
        return f"{i_am(rng)} {boost}{feeling(rng, sign)}"
    if form in (3, 4):
        happened = event(rng, about, sign)
        if rng.random() < 0.3:
            return f"{happened}, {rng.choice(('that is', 'it is', 'that was'))} {adjective(rng, sign)}"
        return happened
    if form == 5:
        adj = adjective(rng, sign)
        if adj.startswith(("the ", "a ")):
            return f"{x} {be(rng, x)} {adj}"
        noun = rng.choice(("day", "week", "night", "morning", "idea", "start", "weekend", "evening"))
        return f"what {'an' if adj[0] in 'aeiou' else 'a'} {adj} {noun}"
    if form == 6:
        ending = (rng.choice(("made my day", "made my week", "is the highlight of my week")) if sign > 0
                  else rng.choice(("ruined my day", "ruined everything", "is doing my head in")))
        return f"{x} {ending}"
    most = rng.choice(("best", "loveliest", "nicest") if sign > 0 else ("worst", "saddest", "dullest"))
    return f"{most} {rng.choice(('day', 'night', 'week', 'weekend', 'idea'))} ever"


def scaled(rng: random.Random, about: W.Topic, sign: int, degree: str) -> str:
    """A feeling scaled by a diminisher or an intensifier: "a bit tired" (a mild word made
    smaller) reads as neutral; "so tired" and "a bit heartbroken" (a strong word) do not."""
    scale = rng.choice(W.DIMINISHERS if degree == "down" else W.INTENSIFIERS)
    strong = degree == "down" and sign != 0  # only a strong word survives a diminisher
    sign = sign or rng.choice((1, -1))
    if rng.random() < 0.5:
        x = thing(rng, about)
        return f"{x} {be(rng, x)} {scale} {adjective(rng, sign, strong)}"
    return f"{i_am(rng)} {scale} {feeling(rng, sign, strong)}"


def neutral(rng: random.Random, about: W.Topic) -> str:
    """A clause that reports something without a feeling."""
    form = rng.randrange(18)
    x = thing(rng, about)
    if form >= 16 or form == 14:
        word = rng.choice(english_words())
        return rng.choice((f"just googled '{word}'", f"had to look up '{word}'",
                           f"what does '{word}' even mean?",
                           f"spelling test word: {word}", f"new word of the day: {word}",
                           f"how do you even pronounce '{word}'?", f"{person(rng)} used '{word}' in a sentence"))
    if form == 15:
        return (f"{rng.choice(('told', 'asked', 'texted', 'met', 'called', 'helped'))} {person(rng)} "
                f"{rng.choice(W.DAYS)}")
    if form in (0, 1, 2):
        doing = event(rng, about, 0)
        if rng.random() < 0.3:
            doing += f" with {person(rng)}"
        return f"I am {doing}" if doing.split()[0].endswith("ing") and rng.random() < 0.5 else doing
    if form == 10:
        return (f"{rng.choice(('I am', 'I have been', 'I will be', 'I have to be', 'we are'))} "
                f"{rng.choice(('at', 'in', 'near', 'back in'))} "
                f"{rng.choice(W.PLACES + (invented_name(rng),))} {rng.choice(W.DAYS)}")
    if form == 11:
        counted = ("emails", "pages to read", "boxes", "tabs open", "texts", "minutes", "jobs to do",
                   "songs to learn")
        return f"{rng.choice(('I have', 'I still have', 'I will have', 'got'))} {number(rng)} {rng.choice(counted)}"
    if form == 12:
        return (f"{rng.choice(('listening to', 'ordered from', 'reading about', 'just heard of', 'texting'))} "
                f"{invented_name(rng)}")
    if form == 13:
        return (f"{rng.choice(('it is', 'that is', 'there is'))} {rng.choice(('a', 'the'))} {rng.choice(W.OBJECTS)} "
                f"{rng.choice(('on the table', 'in the hall', 'by the door', 'in my bag', 'for sale'))}")
    if form == 3:
        return f"{x} {rng.choice(('is', 'starts', 'is on', 'is back', 'finishes'))} {rng.choice(W.TIMES)}"
    if form == 4:
        return (f"{person(rng)} is {rng.choice(('coming over', 'picking me up', 'in town', 'driving'))} "
                f"{rng.choice(W.DAYS)}")
    if form == 5:
        return (f"{rng.choice(('going to', 'just got back from', 'off to', 'flying to', 'driving to'))} "
                f"{rng.choice(W.PLACES)} {rng.choice(W.DAYS)}")
    if form == 6:
        pondering = ("need to sort out", "thinking about", "looking at", "talking about", "reading up on", "googling",
                     "asking about", "learning about")
        return f"{rng.choice(pondering)} {rng.choice((x, 'the ' + rng.choice(english_nouns())))}"
    if form == 7:
        return (f"{rng.choice(('bought', 'borrowed', 'found', 'ordered', 'need'))} "
                f"{rng.choice(('a', 'a new', 'another', 'an old'))} {rng.choice(W.OBJECTS)}")
    if form == 8:
        return (f"{rng.choice(('trying', 'doing', 'starting', 'going back to', 'no more'))} "
                f"{rng.choice(W.ACTIVITIES + english_gerunds())} {rng.choice(W.DAYS)}")
    return f"{rng.choice(W.DAYS)} {rng.choice(('is for', 'means', 'will be'))} {rng.choice(W.ACTIVITIES)}"


def person(rng: random.Random) -> str:
    """A friend's first name: a common one or an invented one."""
    return rng.choice(W.NAMES) if rng.random() < 0.3 else invented_name(rng)


def number(rng: random.Random) -> str:
    """A number as tweets write them."""
    n = rng.randint(2, 250)
    return rng.choice((str(n), f"{n}ish", f"like {n}", f"over {n}", f"about {n}", f"{n}k", f"{n}th", f"{n}+"))


def invented_name(rng: random.Random) -> str:
    """A made-up proper name from syllables (bands, shops, pets): the long tail of real tweets."""
    start, end = W.NAME_PARTS
    return (rng.choice(start) + rng.choice(start[:10]) * (rng.random() < 0.3) + rng.choice(end)).capitalize()


def title(rng: random.Random) -> str:
    """A title or name made of emotional words ("Broken Hearts", "The Happy Valley")."""
    word = rng.choice(W.EMO_WORDS_POS + W.EMO_WORDS_NEG)
    return f"{'The ' if rng.random() < 0.4 else ''}{word} {rng.choice(W.TITLE_NOUNS)}"
