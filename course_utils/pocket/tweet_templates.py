"""Hand-written templates and style lists of the pocket bundle's synthetic tweets.

Used by :mod:`course_utils.pocket.textgen`: a tweet is a core sentence of some kind (plain
opinion, negation, "but" clauses, sarcasm, neutral statements that quote emotional words...),
maybe with a scene-setting opener and follow-up sentences, then dressed with slang, emoji,
hashtags, mentions and links. Slots are explained in :mod:`course_utils.pocket.words`. Written
for this course; no real tweet is copied.
"""

from __future__ import annotations

from course_utils.pocket.words import _s

# fmt: off


def _weights(text: str) -> tuple[tuple[str, int], ...]:
    """``"a 3|b 1"`` -> ``(("a", 3), ("b", 1))``."""
    return tuple((item.split()[0], int(item.split()[1])) for item in _s(text))


# Kinds of tweet core per label, with weights ("mixed" and "implicit" are built in code: two
# clauses of opposite feeling joined by "but"; a neutral sentence whose feeling is in the emoji).
KINDS: dict[int, tuple[tuple[str, int], ...]] = {
    0: _weights("neg_plain 36|neg_negated 18|mixed 20|neg_sarcastic 7|neg_framed 6|"
                "neg_question 6|neg_short 7|implicit 9"),
    1: _weights("neu_plain 38|neu_question 15|neu_emotional 32|neu_link 7|neu_short 5|neu_but 5"),
    2: _weights("pos_plain 41|pos_negated 16|mixed 20|pos_framed 7|pos_question 4|pos_short 8|"
                "implicit 9"),
}
CONNECTORS = (" but ", " but ", ", but ", "... but ", " but honestly ", " but tbh ", " but then ")
# Verb forms for a plural subject ("the fries are awful").
PLURAL = dict(pair.split(">") for pair in _s(
    "is>are|was>were|isn't>aren't|wasn't>weren't|has>have|doesn't>don't|sucks>suck|rocks>rock|"
    "makes>make"))
TIMES = _s("7|8:30|noon|9am|6pm|half 7|10|5:45|midnight|3pm|7:15|11")

# Tweet cores by kind, all lower case. {thing}/{aspect} come from one domain of DOMAINS.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "pos_plain": _s(
        "{thing} {pos_pred}|{thing} {pos_pred}|{thing} {pos_pred}|{pos_v} {thing}|{pos_v} {thing}|"
        "{pos_event}|{pos_event}|so {pos_state} {pos_reason}|feeling {pos_state} {pos_reason}|so {pos_state}, {pos_event}|"
        "happy {day} everyone|thank you {pal} for {gift}|thanks for {gift} {pal}|"
        "{pal} you're the best|good morning {pal}, have a great day|can't wait for {event}|"
        "best {meal} ever|{event} was {pos_adj}|congrats {pal}, so proud of you|"
        "happy birthday {pal}! hope it's a good one|just had the best {food} at {store}|"
        "{drink} and {show} on a {day} night, perfect|love my {pet} so much|"
        "my {pet} is the cutest|nothing beats {food} on a {day}|what a {good_adj} day|"
        "had a great time at {event} with {friend}|{city} you were {pos_adj}|"
        "ready for {event}, {pos_state}|{pos_event}, best day ever|finally {pos_event}|"
        "{pos_event} and {thing} {pos_pred}"
    ),
    "neg_plain": _s(
        "{thing} {neg_pred}|{thing} {neg_pred}|{thing} {neg_pred}|{neg_v} {thing}|{neg_v} {thing}|"
        "{neg_event}|{neg_event}|so {neg_state} {neg_reason}|feeling {neg_state} {neg_reason}|so {neg_state}. {neg_event}|"
        "ugh {neg_event}|miss you {pal}|i miss {miss_thing}|can't believe {neg_event}|"
        "worst {meal} ever|{event} was {neg_adj}|{day}s are the worst|"
        "my {pet} is sick and i'm worried|dreading {event}|sorry {pal}, {neg_event}|"
        "rip my {item}|really need a break|nobody came to {event}|i give up on {thing}|"
        "{neg_event} and now {thing} {neg_pred}|{neg_event}, worst day ever|"
        "{neg_event}. why does this always happen to me|so much for {event}|"
        "{city} is so {cond} and i'm {neg_state}|stuck at home with a {ailment}"
    ),
    "pos_negated": _s(
        "{thing} {negneg_pred}|{thing} {negneg_pred}|{thing} {negneg_pred}|{negneg_v} {thing}|"
        "{negneg_v} {thing}|not bad for a {day}|honestly not bad|can't complain|"
        "no complaints {when}|couldn't be happier|couldn't have asked for a better day|"
        "never been this {pos_state}|not a bad way to spend a {day}|{event}? not bad at all|"
        "didn't expect {thing} to be this good|can't stop smiling|not even tired after {event}|"
        "never had {food} this good|nothing beats {thing}|i couldn't be prouder of {friend}|"
        "no way, {pos_event}"
    ),
    "neg_negated": _s(
        "{thing} {negpos_pred}|{thing} {negpos_pred}|{thing} {negpos_pred}|{negpos_v} {thing}|"
        "{negpos_v} {thing}|not happy about {thing}|not in the mood for {event}|this is not ok|"
        "{event} was no fun|nothing good about {day}s|not a good day|can't find my {item} anywhere|"
        "didn't sleep at all|no one showed up to {event}|i don't feel good|"
        "not looking forward to {event}|not cool {pal}|my {device} won't turn on|"
        "can't sleep|i don't want to go to {place}|never going to {store} again|"
        "{friend} didn't even say happy birthday|not ready for {event}"
    ),
    "neg_sarcastic": _s(
        "love it when {neg_event}|oh great, {neg_event}|just what i needed, {neg_event}|"
        "perfect, {neg_event}|brilliant, {neg_event}|best {day} ever. {neg_event}|"
        "well that's just great, {neg_event}|fantastic start to the week, {neg_event}|"
        "thanks a lot {pal}, {neg_event}|yay, {neg_event}|cool cool cool, {neg_event}|"
        "love how {thing} {neg_pred}|so glad i paid for {thing}, it {neg_pred}"
    ),
    "pos_framed": _s(
        "finished a book called {title} and loved every page|{friend} was right, {thing} {pos_adj_pred}|"
        "the song {title} came on the radio and made my day|watched {title} last night, {pos_adj}|"
        "{friend} said {thing} {neg_adj_pred} but i loved it|the reviews were wrong, {thing} {pos_adj_pred}|"
        "heard {thing} {neg_adj_pred}, turns out it {pos_adj_pred}|reading a book called {title}, can't put it down|"
        "everyone says {thing} {pos_adj_pred} and they're right|{title} by {artist} is my favourite song"
    ),
    "neg_framed": _s(
        "reading a book called {title} and it's so boring|the song {title} is on again, make it stop|"
        "{friend} said {thing} {pos_adj_pred}, it wasn't|watched {title} last night, total waste of time|"
        "heard {thing} {pos_adj_pred}, it {neg_adj_pred}|the reviews lied, {thing} {neg_adj_pred}|"
        "everyone says {thing} {pos_adj_pred} but i just don't get it|{friend} was right, {thing} {neg_adj_pred}|"
        "apparently {thing} {pos_adj_pred}? not for me|the {emo_adj} {media} made me cry for real"
    ),
    "pos_question": _s(
        "how is {thing} this good?|who else is {pos_state} for {event}?|"
        "isn't {thing} {pos_adj}?|is it {day} yet? can't wait for {event}"
    ),
    "neg_question": _s(
        "why is {thing} always {neg_adj}?|why does my {device} keep dying?|"
        "how is {thing} still {neg_adj}?|can this week be over already?|"
        "why would {pal} do that?|who decided {day}s should start at {time}?|"
        "is it just me or is {thing} {neg_adj}?|why is everything so expensive?"
    ),
    "pos_short": _s(
        "yesss|love it|so happy|best day|thank you!!|aww cute|haha love this|yay {day}|"
        "good times|so much fun|{food}! yum|love you {pal}|happy {day}|made my day|"
        "this is great|cheers {pal}|good morning sunshine|so proud|what a day|"
        "{food} night, yes|free at last|i love {day}s"
    ),
    "neg_short": _s(
        "ugh|so tired|not fun|sad|this sucks|nooo|fml|i hate {day}s|bored|"
        "missing {friend}|can't sleep|my head hurts|why me|worst day|feeling sick|"
        "{day}s suck|so cold|ouch|rip my {item}|so done|ugh {day}|i want to go home"
    ),
    "neu_plain": _s(
        "on {bus} to {city}|on {bus} to {place}|waiting for {bus}|just landed in {city}|"
        "boarding now, see you in {city}|walking to {place}|driving to {place} {when}|"
        "at {place} with {friend}|heading to {place} {when}|back from {place}|"
        "just got home from {place}|leaving {place} now|on my way to {place}|"
        "{temp} and {cond} in {city}|{cond} {when} in {city}|forecast says {cond} for {day}|"
        "it's {cond} again|looks like {cond} later|{temp} outside right now|"
        "weather app says {cond} all week|{friend} and i are going to {place} on {day}|"
        "dinner at {time} with {friend}|need to buy {food} {when}|doing laundry then {chore}|"
        "gonna watch {show} tonight|meeting {friend} at {store} at {time}|"
        "moving to {city} next month|{project} is due on {day}|booked a table at {store} for {time}|"
        "picking up {friend} from {place} at {time}|working from home {when}|packing for {city}|"
        "my shift starts at {time}|{chore}, then {activity}|cooking {food} for dinner|"
        "family dinner on {day}|haircut at {time}|{activity} at {time} then work|"
        "library until {time}|{exam} on {day}|studying for my {exam}|just woke up|"
        "having {food} for lunch|drinking {drink} and reading|watching {show} with {friend}|"
        "at work till {time}|listening to {artist}|on hold with the bank|charging my phone|"
        "making {food}|trying the {food} at {store}|reading the news|fixing my bike|"
        "{friend} is making {food}|first day of the new term|day 3 of {project}|"
        "{chore} {when}|{activity} {when}, then {chore}|{friend} is in {city} {when}|"
        "{store} is closed on {day}s now|the {show} episode is {num} minutes long|"
        "{friend} just texted, running {num} minutes late|new neighbours moved in {when}"
    ),
    "neu_question": _s(
        "does anyone know what time {store} closes?|what time does {place} open on {day}?|"
        "has anyone tried the {food} at {store}?|where can i get my {device} fixed in {city}?|"
        "is {event} still on {when}?|who's going to {event}?|should i get {food} or {food}?|"
        "what's everyone doing {when}?|anyone watching {show}?|how long is the train to {city}?|"
        "what channel is the game on?|{pal} where are you?|does {store} take cards?|"
        "is it {cond} where you are?|what should i cook tonight?|anyone have a spare {item}?|"
        "how do you reset a {device}?|which bus goes to {place}?|did anyone record {show}?|"
        "is {bus} running {when}?|when does {show} come back?|do i need a jacket {when}?|"
        "what's the best {food} in {city}?|where can i find good {food} in {city}?|"
        "is {show} worth watching?|any good {media} recommendations?|{pal} did you get my text?|"
        "what's the wifi password {pal}?|is {thing} worth it?|which is better, {food} or {food}?"
    ),
    "neu_emotional": _s(
        "reading a book called {title}|the song {title} is on the radio|"
        "anyone know if {title} is on {platform}?|anyone know if the {emo_adj} {media} is on netflix?|"
        "watching a documentary called {title}|the new {title} trailer drops {day}|"
        "{friend}'s band is called {title}|who sings {title}?|just added {title} to my list|"
        "{title} is on tv at {time}|there's a cafe called {title} near {place}|"
        "my essay is about {emo_topic}|psych lecture today was on {emo_topic}|"
        "the museum has an exhibit called {title}|my playlist is called {title} lol|"
        "trying to remember the lyrics to {title}|{title} is the book for our club on {day}|"
        "the cat at {store} is called {petname}|our new {pet} is called {petname}|"
        "happy hour at {store} is 5 to 7|is the {emo_adj} {media} too much for kids?|"
        "{friend} says {thing} {pos_adj_pred}, we'll see|reviews say {thing} {neg_adj_pred}, trying it anyway|"
        "apparently {thing} {pos_adj_pred}?|heard {thing} {neg_adj_pred}, is that true?|"
        "{friend} thinks {thing} {pos_adj_pred}, haven't tried it yet|"
        "{friend} says {thing} {neg_adj_pred}, not sure yet|the survey asks if i'm happy with {thing}|"
        "quiz question: name a song with love in the title|podcast episode on {emo_topic}|"
        "the {emo_adj} {media} at {time} or the {emo_adj} one at {time}?|"
        "rating {thing} from awful to amazing for a class survey|"
        "the radio is doing a sad songs hour|{title} by {artist} is on right now|"
        "{friend} wants to watch something {emo_adj}, any ideas?|is {thing} really {pos_adj}?|"
        "debate at work: is {food} {pos_adj} or {neg_adj}?|what's the worst {media} you've seen?|"
        "{title} or {title}, which one?|they play {title} at {store} every morning|"
        "is {thing} as {neg_adj} as people say?|not sure if {thing} {pos_adj_pred}, need to try it|"
        "my sister keeps saying {thing} {pos_adj_pred}|the {emo_adj} {media} was based on a true story|"
        "is {thing} {pos_adj} or overrated?|any {good_adj} {food} places near {place}?|"
        "would you say {thing} {pos_adj_pred}?|rate {thing} out of 10?|if {thing} {pos_adj_pred} i might go {when}|"
        "does anyone actually hate {food}?|which {device} is the best for {activity}?|"
        "if it's {cond} {when} the bbq is off|the {emo_adj} bit of {title} is in chapter {num}|"
        "{friend} asked if {thing} {neg_adj_pred}, no idea tbh|is {thing} {neg_adj} or is it just me?|"
        "the forecast says it'll be {good_adj} on {day}|the new {show} host says the show {pos_adj_pred}|"
        "writing a review of {thing} for class|the {media} is called {title}, look it up"
    ),
    "neu_link": _s(
        "new post: {hobby_topic} {link}|photos from {event} {link}|{store} opens at {time} on {day}|"
        "update: {event} moved to {day}|check out this {media} about {hobby_topic} {link}|"
        "{pal} {link}|my {food} recipe {link}|reminder: {event} is on {day} at {time}|"
        "listening to {artist} - {title} {link}|watching {show} {link}|here's the map to {place} {link}|"
        "notes from today's lecture {link}|the {city} bus timetable changes {day} {link}|"
        "live now {link}|new episode of {show} tonight at {time}"
    ),
    "neu_short": _s(
        "at work|heading out|morning all|lunch time|on the bus|at the gym|brb|reading|"
        "watching {show}|{food} for dinner|back online|going to bed|coffee time|tea time|"
        "on my way|home now|hi {pal}|in {city} {when}|laundry day|{day} again|"
        "hmm|night all|ok {pal}|at {place}"
    ),
    "neu_but": _s(
        "going to {place} but first {drink}|was gonna do {activity} but {friend} wants "
        "{food}, so {food} it is|leaving now but might be {num} minutes late|"
        "i'd say yes but i need to check my calendar|want to watch {show} but "
        "need to finish {project} first|it's {cond} but the match is still on"
    ),
}

# Second sentences after a core (by class, plus shared ones) and neutral scene-setting before.
TAILS = {
    "negative": _s(
        "why does this always happen to me|worst {day} ever|need {drink} asap|can this day be over|"
        "going back to bed|just my luck|not impressed|i give up|this day keeps getting worse|"
        "someone send help|could cry|never again|so over it|this week needs to end|"
        "ruined my whole day|i just want to sleep|and it's only {day}|typical|so tired of this|"
        "great start to the week|now i'm late for {place}|no {drink} can fix this|send {food}"
    ),
    "neutral": _s(
        "will report back|let me know|anyone else going?|see you there {pal}|will post pics|"
        "{pal} text me when you're there|same time next week?|not sure what to expect|"
        "we'll see how it goes|still deciding|it's on {day} i think|just so you know|"
        "i'll bring {food}|taking {drink} with me|nothing else planned"
    ),
    "positive": _s(
        "can't wait to go back|10/10 would recommend|still smiling|thanks {pal}|"
        "see you all {when}|going to sleep so well tonight|{pal} you have to try it|"
        "what a way to start the week|life is good|this made my whole week|so worth the wait|"
        "already planning the next one|i needed this|love you all|good vibes only|"
        "treating myself to {food} to celebrate|happy tears|best {day} in ages|"
        "could not ask for more|grinning like an idiot"
    ),
    "shared": _s(
        "anyway|back to work|more later|long day tomorrow|then {chore}|then bed|"
        "{pal} you know what i mean|off to {place} now|brb|home around {time}|"
        "back by {time}|the train leaves at {time}|need {drink}"
    ),
}
CONTEXTS = _s(
    "just got home|back from {place}|on {bus}|at {place} with {friend}|first day back at {place}|"
    "day 2 in {city}|sitting at {place}|lunch break|finally home|at {place} again|gym done|"
    "{day} morning|quick update|so {when}|waiting at {place}|up early for {place}|"
    "{friend} is here|still at {place}|back in {city}|just woke up"
)

# Short add-ons around a tweet core, by sentiment; mixed across classes on purpose.
OPENERS = {
    "negative": _s("ugh|omg|honestly|tbh|seriously|ngl|wow|great,|lol|well"),
    "neutral": _s("ok so|btw|fyi|lol|so|tbh|random but|quick one:|just saying|idk"),
    "positive": _s("omg|yay|honestly|tbh|ngl|wow|aww|lol|yes|woo"),
}
CLOSERS = {
    "negative": _s("smh|ugh|sigh|fml|lol|seriously|again|why|help|..."),
    "neutral": _s("lol|btw|idk|tbh|anyway|i guess|fyi|haha|we'll see|..."),
    "positive": _s("lol|haha|yay|so happy|love it|woo|omg|!!|xx|best day"),
}
HASHTAGS = {
    "negative": _s("#fml|#mondays|#fail|#sad|#ugh|#firstworldproblems|#annoyed|#nosleep|#worstday"),
    "neutral": _s("#commute|#nowplaying|#weather|#studying|#worklife|#tbt|#news|#question|#travel"),
    "positive": _s("#blessed|#happy|#winning|#goodtimes|#love|#friyay|#grateful|#bestday|#yum"),
    "topic": _s(
        "#coffee|#travel|#music|#books|#football|#cats|#dogs|#foodie|#gym|#exams|#weekend|"
        "#tv|#running|#baking|#gaming|#uni|#family|#pizza|#concert|#rain"
    ),
}
EMOJI = {
    "negative": _s("😭|😩|😡|😞|💔|🙄|😤|😢|😒|🤦|😷|😫|🥶|😔"),
    "neutral": _s("🤔|📚|☕|🚌|🌧️|📍|👀|🎧|🍕|✈️|🏃|📺|🤷|🗓️"),
    "positive": _s("😍|😊|🎉|❤️|🥳|😎|👍|🙌|✨|😁|🥰|💕|☀️|😋|🤩|💯"),
    "shared": _s("😂|🙃|😅|🤣|😬|🙈"),
}
EMOTICONS = {"negative": ":(", "neutral": ":/", "positive": ":)"}
# Words a tweeter stretches ("sooo", "yesss"); (pattern, replacement) casual rewrites.
EMPHASIS = _s(
    "love|hate|best|worst|never|not|amazing|awful|need|so|really|still|always|again|"
    "finally|actually|very|cannot|sick|happy|sad|tired|ever|all|no"
)
ELONGATE = _s(
    "so|yes|no|love|good|please|omg|hate|tired|cute|happy|sad|now|really|bored|"
    "what|ugh|yay|why|cold|hot|miss|best|fun|nice|sleepy|wow"
)
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\byou\b", "u"),
    (r"\byour\b", "ur"),
    (r"\bright now\b", "rn"),
    (r"\bbecause\b", "cuz"),
    (r"\btonight\b", "tonite"),
    (r"\bpeople\b", "ppl"),
    (r"\bplease\b", "pls"),
    (r"\bgoing to (?=(be|get|go|watch|try|need|have|make|see|buy|miss)\b)", "gonna "),
    (r"\bwant to\b", "wanna"),
    (r"\bthanks\b", "thx"),
    (r"\bthank you\b", "ty"),
    (r"\bbirthday\b", "bday"),
    (r"\btomorrow\b", "tmrw"),
    (r"\bwith\b", "w/"),
    (r"\band\b", "&"),
    (r"\bfavourite\b", "fave"),
    (r"\bminutes\b", "mins"),
)
