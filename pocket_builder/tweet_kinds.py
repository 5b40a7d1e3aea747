"""The kinds of pocket tweets, and which label each kind gives its sentence.

A plain tweet says how the writer feels in words a bag of words can count. Most other kinds put
the feeling where only reading order finds it: a negation's scope ("wasn't awful at all"), the
clause after "but" or before "even though", sarcasm ("oh great, the bus never came"),
comparisons ("used to be brilliant"), questions and reported opinions (neutral although they
hold emotional words), a diminisher or an intensifier ("a bit tired" is neutral, "so tired" is
not), an emoticon after a plain sentence, and titles or names made of emotional words. Ambiguous
tweets (mixed feelings without "but", "well that happened") are written the same way whatever
their label: they are the data's label noise, as on the Hub. :func:`tweet` puts one together.
"""

from __future__ import annotations

import random

from pocket_builder import dressing
from pocket_builder import textgen as G
from pocket_builder import words as W

MAX_CHARS = G.MAX_CHARS

# Per label (0 negative, 1 neutral, 2 positive): the kinds and their weights.
KINDS: dict[int, tuple[tuple[str, float], ...]] = {
    0: (("plain", 22), ("negated", 12), ("contrast", 17), ("sarcasm", 9), ("comparison", 5),
        ("rhetorical", 6), ("reported", 4), ("scaled", 7), ("emoticon", 7), ("ambiguous", 11)),
    1: (("plain", 28), ("question", 12), ("reported", 12), ("scaled", 10), ("titles", 12),
        ("negated", 6), ("contrast", 5), ("comparison", 3), ("ambiguous", 12)),
    2: (("plain", 22), ("negated", 11), ("contrast", 17), ("sincere", 6), ("comparison", 5),
        ("rhetorical", 6), ("reported", 4), ("scaled", 7), ("emoticon", 8), ("ambiguous", 11)),
}
_SHARED_CUES = ("oh good,", "yay,", "perfect.", "awesome.", "brilliant.", "wonderful,", "fantastic,")
_SARCASTIC_ENDS = ("love that", "great start to the week", "perfect", "fantastic", "just brilliant",
                   "living the dream", "best day ever", "so much fun", "lucky me", "amazing")
_POS_EMOTICONS = (":)", ":D", "=)", ":-)", "<3", ";)", "(:", ":P")
_NEG_EMOTICONS = (":(", ":'(", ":/", "</3", ":-(", "D:", ":|", "):")


def _negated(rng: random.Random, about: W.Topic, label: int) -> str:
    """A negation whose scope decides the label ("not bad at all" is positive)."""
    if label == 1:
        x = G.thing(rng, about)
        return rng.choice((
            f"not sure about {x} yet",
            f"don't know if {x} {G.be(rng, x)} {G.adjective(rng, rng.choice((1, -1)))}",
            (f"not {rng.choice(('going', 'doing', 'starting', 'trying'))} {rng.choice(W.ACTIVITIES)} "
             f"{rng.choice(W.DAYS)}"),
            f"haven't decided about {x}",
            f"didn't {rng.choice(('see', 'check', 'hear about', 'get to'))} {x} {rng.choice(W.DAYS)}",
        ))
    sign = 1 if label == 2 else -1
    x = G.thing(rng, about)
    form = rng.randrange(6)
    if form in (0, 1):
        tail = (rng.choice((" at all", "", " this time", " actually", "")) if sign > 0
                else rng.choice(("", " at all", " this time", " sadly")))
        return f"{x} {G.be(rng, x, negated=True)} {G.adjective(rng, -sign)}{tail}"
    if form == 2:
        verb = rng.choice(W.VERB_NEG if sign > 0 else W.VERB_POS)
        verb = {"can't stand": "mind", "can't get enough of": "care about"}.get(verb, verb)
        return (f"I don't {verb.removeprefix('am ').removeprefix('really ')} {x}"
                f"{' anymore' if sign > 0 and rng.random() < 0.5 else ''}")
    if form == 3:
        return f"not {G.feeling(rng, -sign)} {rng.choice(('about ' + x, 'anymore', 'at all', 'today'))}"
    if form == 4:
        return f"never {rng.choice(('been', 'felt'))} so {G.feeling(rng, sign)}"
    if sign > 0:
        return rng.choice(("can't complain", "couldn't be happier", f"can't wait for {x}", "no complaints here",
                           f"nothing beats {x}", "couldn't ask for more", f"no regrets about {x}"))
    return rng.choice(("nothing is going right", "couldn't be worse", f"no one told me about {x}",
                       "not a single thing went right", f"can't find {x} anywhere", "nobody showed up"))


def _contrast(rng: random.Random, about: W.Topic, label: int) -> str:
    """Two clauses of opposite feeling; the connective decides which one counts."""
    if label == 1:
        return f"{G.neutral(rng, about)} but {G.neutral(rng, G.topic(rng))}"
    sign = 1 if label == 2 else -1
    a, b = G.polar(rng, about, -sign), G.polar(rng, about, sign)  # b is what the writer means
    form = rng.randrange(8)
    if form < 4:
        return (f"{a}{rng.choice((' but', ', but', '... but', ' but honestly', ' but then again', ' but in the end'))}"
                f" {b}")
    if form == 4:
        return f"{b}{rng.choice((' even though', ', even though', ' although', ' despite the fact'))} {a}"
    if form == 5:
        return f"{rng.choice(('although', 'even though', 'sure'))} {a}, {b}"
    if form == 6:
        return f"{a}. {rng.choice(('still,', 'that said,', 'however', 'then again'))} {b}"
    return f"thought {a}... {rng.choice(('turns out', 'actually', 'nope,'))} {b}"


def _comparison(rng: random.Random, about: W.Topic, label: int) -> str:
    """Better or worse than something, or "used to be"."""
    x = G.thing(rng, about)
    than = rng.choice(("last year", "the old one", "I expected", "last time", "the first one", "I remembered"))
    if label == 1:
        return (f"{x} {G.be(rng, x)} "
                f"{rng.choice(('about the same as', 'bigger than', 'longer than', 'cheaper than'))} {than}")
    if label == 2:
        return rng.choice((f"{x} {G.be(rng, x)} {rng.choice(('better', 'way better', 'so much better'))} than {than}",
                           "could have been worse", f"{x} {G.be(rng, x)} getting better",
                           f"{x} used to be {G.adjective(rng, -1)}, not anymore"))
    return rng.choice((f"{x} {G.be(rng, x)} {rng.choice(('worse', 'way worse', 'so much worse'))} than {than}",
                       "could have been better", f"{x} used to be {G.adjective(rng, 1)}",
                       f"{x} {G.be(rng, x)} not as {G.adjective(rng, 1, strong=False)} as {than}"))


def _question(rng: random.Random, about: W.Topic, label: int) -> str:
    """A real question (neutral, emotional words or not) or a rhetorical one (polar)."""
    x = G.thing(rng, about)
    if label == 1:
        return rng.choice((
            f"is {x} {G.adjective(rng, rng.choice((1, -1)), rng.random() < 0.5)}?",
            f"does anyone know if {x} {G.be(rng, x)} any good?",
            f"what time does {x} start?", f"anyone been to {rng.choice(W.PLACES)}?",
            f"has anyone seen {G.title(rng)}?", f"should I get {x}?", f"is {x} worth it?",
            f"anyone else {G.event(rng, about, 0)}?", f"where do you buy {rng.choice(W.OBJECTS)}?",
        ))
    if rng.random() < 0.4:  # the same frame as a real question, with the writer's answer in it
        return f"is it just me or is {x} {rng.choice(W.INTENSIFIERS)} {G.adjective(rng, label - 1)}?"
    if label == 2:
        return rng.choice((f"how is {x} this {G.adjective(rng, 1)}?!", f"can {x} get any better?",
                           f"is there anything better than {x}?", f"who else is {G.feeling(rng, 1)} about {x}?"))
    return rng.choice((f"why is {x} always so {G.adjective(rng, -1, rng.random() < 0.5)}?",
                       f"who thought {x} was a good idea?", f"can {x} get any worse?",
                       f"what is wrong with {x}?", "why does this always happen to me?"))


def _titles(rng: random.Random, about: W.Topic) -> str:
    """A neutral statement that holds emotional words as a name or a title."""
    name = G.title(rng)
    return rng.choice((
        f"watching {name}", f"{rng.choice(W.TITLE_KINDS)} {name} is on {rng.choice(W.TIMES)}",
        (f"{rng.choice(('my', 'our', 'the'))} {rng.choice(('cat', 'dog', 'puppy', 'horse'))} is called "
         f"{rng.choice(W.EMO_WORDS_POS + W.EMO_WORDS_NEG)}"),
        (f"{rng.choice(W.NAMES)} lives on {rng.choice(W.EMO_WORDS_POS + W.EMO_WORDS_NEG)} "
         f"{rng.choice(('Lane', 'Street', 'Road', 'Close'))}"),
        f"reading {name} by {invented_author(rng)}", f"{name} by {G.invented_name(rng)} on the radio",
        f"{rng.choice(W.TITLE_KINDS)} is called {name}",
        (f"the {G.invented_name(rng)} cafe does a '{rng.choice(W.EMO_WORDS_POS + W.EMO_WORDS_NEG).lower()} hour' "
         f"{rng.choice(W.TIMES)}"),
    ))


def invented_author(rng: random.Random) -> str:
    """A first name and an invented surname."""
    return f"{rng.choice(W.NAMES)} {G.invented_name(rng)}"


def _ambiguous(rng: random.Random, about: W.Topic) -> str:
    """Mixed or unclear feelings, written the same way whatever the label (label noise)."""
    x = G.thing(rng, about)
    form = rng.randrange(7)
    if form in (0, 1):
        parts = [G.polar(rng, about, 1), G.polar(rng, about, -1)]
        rng.shuffle(parts)
        return f"{parts[0]} {rng.choice(('and', 'and also', 'and', 'plus', '&'))} {parts[1]}"
    if form == 2:
        return (f"well that {rng.choice(('happened', 'was a day', 'was something', 'was interesting'))}. "
                f"{G.event(rng, about, rng.choice((1, -1, 0)))}")
    if form == 3:
        return f"{x} {G.be(rng, x)} {G.adjective(rng, rng.choice((1, -1)), strong=False)}, I guess"
    if form == 4:
        return f"not sure how I feel about {x}"
    if form == 5:
        return (f"{G.event(rng, about, rng.choice((1, -1)))}... "
                f"{rng.choice(('we will see', 'it is what it is', 'so there is that', 'typical', 'of course'))}")
    return f"{rng.choice(('oh well', 'right then', 'hmm', 'ok then'))}, {G.event(rng, about, rng.choice((1, -1, 0)))}"


def core(rng: random.Random, label: int) -> str:
    """The bare sentence of one tweet of class ``label``."""
    kind = G.pick(rng, KINDS[label])
    about = G.topic(rng)
    sign = (label - 1) or rng.choice((1, -1))
    if kind == "plain":
        if label == 1:
            return G.neutral(rng, about)
        first = G.polar(rng, about, sign)
        if rng.random() < 0.7:
            return first
        return f"{first}{rng.choice((' and', ', ', '. ', '! '))} {G.polar(rng, about, sign)}"
    if kind == "negated":
        return _negated(rng, about, label)
    if kind == "contrast":
        return _contrast(rng, about, label)
    if kind == "sarcasm":
        if rng.random() < 0.6:
            return f"{rng.choice(W.SARCASM_CUES)} {G.event(rng, about, -1)}"
        return f"{G.event(rng, about, -1)}. {rng.choice(_SARCASTIC_ENDS)}"
    if kind == "sincere":
        return f"{rng.choice(W.SINCERE_CUES + _SHARED_CUES)} {G.event(rng, about, 1)}"
    if kind == "comparison":
        return _comparison(rng, about, label)
    if kind in ("rhetorical", "question"):
        return _question(rng, about, label)
    if kind == "reported":
        reporter = rng.choice(W.REPORTERS).replace("{name}", rng.choice(W.NAMES))
        if label != 1:  # an opinion about the writer is the writer's news: it keeps its feeling
            verb = rng.choice(("I look", "I sound", "I did", "I was", "my cooking is", "my singing is"))
            return f"{reporter} {verb} {G.adjective(rng, sign)}"
        x = G.thing(rng, about)
        return f"{reporter} {x} {G.be(rng, x)} {G.adjective(rng, rng.choice((1, -1)), rng.random() < 0.6)}"
    if kind == "scaled":
        if label == 1:
            return G.scaled(rng, about, 0, "down")
        return G.scaled(rng, about, sign, rng.choice(("up", "up", "down")))
    if kind == "emoticon":
        return f"{G.neutral(rng, about)} {rng.choice(_POS_EMOTICONS if label == 2 else _NEG_EMOTICONS)}"
    if kind == "titles":
        return _titles(rng, about)
    return _ambiguous(rng, about)


def tweet(rng: random.Random, label: int) -> str:
    """One dressed tweet of class ``label``: the core, maybe with context, opener, closer, tail."""
    while True:
        text = core(rng, label)
        if rng.random() < 0.45:
            text = f"{G.neutral(rng, G.topic(rng))}{rng.choice(('. ', ', ', ' - ', '! ', ' and '))}{text}"
        for chance in (0.25, 0.4):  # a long tail: some tweets tell a whole story
            if rng.random() < chance:
                text = f"{text}{rng.choice(('. ', ', ', ' - ', ' ... '))}{G.neutral(rng, G.topic(rng))}"
        if rng.random() < 0.25:
            text = f"{rng.choice(W.OPENERS)}{rng.choice((' ', ', ', '... '))}{text}"
        if rng.random() < 0.12:
            text = f"{text}{rng.choice(('. ', ' ', ', '))}{rng.choice(W.CLOSERS)}"
        elif rng.random() < 0.06:
            text = (f"{text}{rng.choice(('. ', ' - ', ', '))}"
                    f"{rng.choice(('cheers', 'thanks', 'love you', 'miss you', 'say hi to', 'ask'))} {G.person(rng)}")
        tail = rng.random()
        tails = W.POS_TAILS if label == 2 else W.NEG_TAILS if label == 0 else W.NEU_TAILS
        if tail < 0.15:
            end = rng.choice(tails)
            text = f"{text}{rng.choice((' ', '')) if not end[0].isalpha() else ' '}{end}"
        if rng.random() < 0.02:
            text = f"{text} {rng.choice(W.HASHTAGS) if rng.random() < 0.5 else '#' + rng.choice(G.english_nouns())}"
        if rng.random() < 0.04:
            text = f"{text} {dressing.link(rng)}"
        if rng.random() < 0.003:
            text = f"@{rng.choice(W.NAMES).lower()}{rng.randint(1, 99)} {text}"
        text = dressing.dress(rng, text)
        if len(text) <= MAX_CHARS:
            return text

