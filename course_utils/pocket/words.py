"""Hand-written vocabulary of the pocket bundle's synthetic tweets.

Used by :mod:`course_utils.pocket.textgen` with the templates of
:mod:`course_utils.pocket.tweet_templates`. Everything here was written for this course: no real
tweet and no dataset text is copied. A template is a string with ``{slot}`` fields; each slot
names an entry of :data:`SLOTS` (a tuple of alternatives, which may hold slots in turn) or a slot
computed in code (``{name}``, ``{city}``, ``{mention}``, ``{link}``, ``{time}``, ``{temp}``,
``{num}``...). Words are drawn with a seeded ``random.Random``, so only the order of these tuples
matters: editing them changes the shipped data (the tests notice).
"""

from __future__ import annotations


def _s(text: str) -> tuple[str, ...]:
    """Split a ``|``-separated list, one alternative per item."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


NAMES = _s(
    "Amy|Ben|Chloe|Dan|Ella|Finn|Grace|Hassan|Isla|Jay|Kemi|Leo|Maya|Nina|Omar|Priya|Quinn|Rosa|"
    "Sam|Tariq|Uma|Will|Yuki|Zoe|Alex|Bella|Carlos|Dev|Emma|Femi|Gina|Hugo|Ines|Jack|Kai|Lily|"
    "Mo|Noor|Olly|Pete|Ravi|Sara|Tom|Wen|Beth|Cal|Dara|Eli|Freya|Gabe|Hana|Ivy|Jo|Kat|Luca|Mia|"
    "Nate|Otis|Reza|Sofia|Theo|Val|Zara|Aisha|Mateo|Lena|Marcus|Jade|Ruby|Oscar|Nia|Felix|Layla|"
    "Kofi|Ana|Diego|Clara|Ibrahim|Mei|Arjun|Tess|Rory"
)
SURNAMES = _s(
    "Abbott|Baker|Castillo|Doyle|Evans|Fischer|Gallagher|Haddad|Ito|Jensen|Kowalski|Lindqvist|"
    "Mensah|Novak|Okafor|Patel|Quiroga|Ross|Sato|Thorne|Underwood|Varga|Walsh|Yilmaz|Zhou|Adler|"
    "Brennan|Carver|Delgado|Ekwueme|Farrow|Greer|Holt|Iqbal|Keane|Lowe|Moreau|Nash|Pike|Reyes"
)
HANDLE_WORDS = _s(
    "coffee|pixel|moon|taco|sleepy|indie|retro|tiny|cosmic|lazy|happy|salty|urban|biscuit|noodle|"
    "disco|mango|vinyl|rainy|night|owl|fox|chef|runner|gamer|bookworm|cactus|jazz|sunny|paper|"
    "velvet|rocket|ginger|mint|wild|quiet|neon|pebble|maple|dusty"
)
HANDLE_SUFFIXES = _s("_xo|bakes|_music|official|_irl|runs|reads|_uk|tweets|_art|x|_22|_99|lol|fan")
CITIES = _s(
    "London|Leeds|Glasgow|Dublin|Paris|Lyon|Berlin|Madrid|Lisbon|Rome|Austin|Chicago|Boston|"
    "Denver|Seattle|Toronto|Vancouver|Sydney|Melbourne|Auckland|Tokyo|Osaka|Seoul|Mumbai|Lagos|"
    "Nairobi|Cape Town|Mexico City|Miami|Portland|Manchester|Bristol|Cardiff|Edinburgh|Amsterdam|"
    "Prague|Vienna|Oslo|Athens|Istanbul|Brighton|Nashville|Montreal|Bangkok|Lima"
)
# Tweet-side words written in lower case (casing is decided per tweet in code).
SLOTS: dict[str, tuple[str, ...]] = {
    "friend": _s(
        "{mention}|{mention}|{mention}|{mention}|{name}|{name}|my sister|my brother|my mom|my dad|"
        "my roommate|my best friend|my boss|my cousin|grandma|my neighbour|my bf|my gf|"
        "my flatmate|my aunt|my coach|my grandad"
    ),
    "pal": _s(
        "{mention}|{mention}|{mention}|{mention}|{name}|{name}|mom|dad|guys|babe|sis|"
        "{mention} {mention}|everyone|mate|grandma"
    ),
    "place": _s(
        "the gym|the library|work|the office|the mall|the park|the beach|the airport|the station|"
        "the dentist|the doctor's|class|uni|school|the supermarket|grandma's|the pub|the cinema|"
        "the cafe|the laundromat|the post office|the vet|church|practice|the bank|{city}|the lake|"
        "the market|the stadium|the hairdresser|the hardware store|my aunt's|the pool|the garage"
    ),
    "store": _s(
        "Bean There|the Happy Noodle|Sunny Side Diner|Mama Rosa's|the corner shop|Golden Wok|"
        "the Daily Grind|Pizza Corner|the Crazy Crab|Good Times Grill|the farmers market|"
        "the bakery on {street}|Blue Door Books|the new place on {street}|Sweet Tooth|the food trucks|"
        "Lucky Dumpling|the Lazy Lobster|Two Spoons|Maple & Rye|the taco stand|Big Sal's"
    ),
    "street": _s(
        "main street|5th|king street|high street|elm|oak avenue|market street|station road|"
        "park lane|2nd ave|mill road|bridge street"
    ),
    "day": _s("monday|tuesday|wednesday|thursday|friday|saturday|sunday"),
    "when": _s(
        "today|tonight|tomorrow|this morning|this afternoon|this weekend|later|on {day}|"
        "next week|right now|tomorrow morning|this week|after work|on {day} night"
    ),
    "again": _s(
        "again|again|again|today|this morning|for the 3rd time|twice this week|"
        "again this week|on {day}"
    ),
    "food": _s(
        "pizza|tacos|ramen|sushi|pancakes|burritos|curry|pho|dumplings|bagels|nachos|waffles|"
        "mac and cheese|pad thai|fish and chips|burgers|falafel|banana bread|ice cream|cheesecake|"
        "fried chicken|noodles|soup|lasagna|croissants|donuts|salad|cheese toasties|brownies|"
        "cookies|chili|poke bowls|jollof rice|dim sum|empanadas|risotto|apple pie|churros|biryani"
    ),
    "drink": _s(
        "coffee|tea|iced coffee|a latte|bubble tea|hot chocolate|lemonade|a smoothie|matcha|"
        "orange juice|a flat white|chai|cold brew|a milkshake"
    ),
    "meal": _s(
        "breakfast|brunch|lunch|dinner|pizza|burger|sunday roast|curry night|taco tuesday|"
        "birthday cake|bbq"
    ),
    "pet": _s("dog|cat|puppy|kitten|hamster|rabbit|parrot|goldfish|bunny|pup|tortoise|guinea pig"),
    "item": _s(
        "keys|phone|wallet|headphones|sunglasses|laptop|notes|umbrella|charger|jacket|"
        "passport|bus pass|favourite mug|earrings|homework|glasses|water bottle|library book|"
        "scarf|ticket|bike lock|gym bag"
    ),
    "device": _s(
        "phone|laptop|tablet|headphones|car|tv|console|camera|kindle|watch|printer|router|speaker"
    ),
    "ailment": _s(
        "cold|headache|sore throat|migraine|stiff neck|fever|toothache|bad back|cough|"
        "stomach bug|hay fever"
    ),
    "duration": _s(
        "an hour|2 hours|45 minutes|ages|forever|90 minutes|half the day|3 hours|20 minutes"
    ),
    "exam": _s(
        "chem exam|driving test|maths test|history final|bio quiz|french oral|stats exam|"
        "physics midterm|piano exam|econ final|coding interview|swim test"
    ),
    "project": _s(
        "my thesis|the essay|the big project|my portfolio|the puzzle|the report|"
        "painting the kitchen|the bookshelf|my dissertation|the website|the quilt|"
        "the garden shed|the lab report|my first half marathon|the scarf i was knitting"
    ),
    "event": _s(
        "the concert|the party|{name}'s wedding|the game tonight|the festival|prom|"
        "graduation|the trip|my birthday|the weekend|the match|the gig|movie night|"
        "the long weekend|christmas|summer|spring break|the show|game night|the bbq|"
        "the road trip|our anniversary|the finale|the school play|the office party|"
        "the reunion|the camping trip"
    ),
    "show": _s(
        "Kitchen Wars|Harbor Street|The Glass Hour|Night Desk|Cold Case Diaries|Big Bake Off|"
        "The Lighthouse Keepers|Space Rangers|Island Life|Detective Moss|The Quiz Hour|"
        "Sunday League|Paper Towns|Metro Medics"
    ),
    "artist": _s(
        "Velvet Harbor|Maya Sol|Night Buses|DJ Pebble|Lola Vance|Northbound|"
        "Tin Hearts|Kid Comet|Ruby and the Rain|Paper Lanterns|Oscar Blue|Static Bloom"
    ),
    "money": _s("$20|a tenner|20 quid|$5|a gift card|$50|a fiver"),
    "cond": _s(
        "cloudy|raining|drizzly|windy|foggy|overcast|grey|sunny spells|light snow|mild|"
        "humid|misty|chilly|hailing"
    ),
    "bus": _s(
        "the 42|the 8:15|the night bus|the 19|the express|the tram|the metro|the 7 train|"
        "the ferry|the 73"
    ),
    "chore": _s(
        "groceries|ironing|vacuuming|the dishes|meal prep|cleaning the fridge|"
        "sorting the recycling|changing the sheets|walking the dog|watering the plants"
    ),
    "activity": _s(
        "a run|yoga|the gym|a swim|reading|homework|a bike ride|baking|gaming|"
        "a long walk|band practice|football"
    ),
    "gift": _s(
        "the flowers|the card|the coffee|the lift home|the birthday cake|the playlist|"
        "the help with my essay|the lovely message|dinner last night|the book|"
        "the tickets|looking after the dog"
    ),
    "miss_thing": _s(
        "summer|my old job|the beach|home|my grandma's cooking|uni|{city}|my friends|"
        "sleeping in|my dog|our old flat|the holidays"
    ),
    "title_adj": _s(
        "Happy|Sad|Lonely|Perfect|Terrible|Beautiful|Crazy|Awful|Lovely|Angry|Broken|"
        "Wonderful|Brilliant|Bad|Good|Great|Best|Worst|Sweet|Bitter|Hopeless|Lucky"
    ),
    "title_noun": _s(
        "Accidents|Days|Birds|Hearts|Summer|Machines|Strangers|Island|Neighbours|"
        "Mondays|Robots|Weather|Little Lies|Endings|Company|Ghosts|Kitchen|Lovers|"
        "Habits|Dreams"
    ),
    "title": _s(
        "{title_adj} {title_noun}|{title_adj} {title_noun}|{title_adj} {title_noun}|"
        "The {title_adj} {title_noun}|Love and Other {title_noun}|I Hate {title_noun}|"
        "Crazy in Love|Sad Songs for Sunny Days|The Worst Best Friend|Good Grief|Miserable Mornings|"
        "The Happiest Place|Love Is a Verb|Cry Baby Blues|Nobody Loves Tuesdays|Perfectly Awful"
    ),
    "media": _s("movie|film|documentary|book|podcast|show|album|series|song|musical"),
    "emo_adj": _s("sad|happy|scary|depressing|feel good|angry|romantic|tragic|funny|heartbreaking"),
    "platform": _s("netflix|the radio|tv tonight|spotify|the bbc|prime|youtube|the big screen"),
    "emo_topic": _s(
        "why we feel lonely|happiness at work|how stress affects sleep|fear of failure|"
        "why people love horror movies|grief in old novels|what makes music sad|"
        "anger in the workplace|the history of love letters|why we hate waiting"
    ),
    "petname": _s("Grumpy|Happy|Lucky|Misery|Joy|Sunny|Chaos|Angel|Trouble|Sweetie|Gloomy|Smiley"),
    "hobby_topic": _s(
        "sourdough|houseplants|running shoes|budget travel|film cameras|chess openings|"
        "bread baking|bike repairs|our trip to {city}|my garden|{food} recipes"
    ),
    "pos_adj": _s(
        "amazing|awesome|great|so good|perfect|incredible|lovely|beautiful|fantastic|"
        "brilliant|so much fun|epic|gorgeous|wonderful|the best|class|unreal|delightful"
    ),
    "neg_adj": _s(
        "awful|terrible|horrible|so bad|boring|a disaster|a nightmare|disappointing|"
        "rubbish|annoying|gross|the worst|pathetic|useless|a joke|a mess|ridiculous"
    ),
    "pos_adj_n": _s(
        "good|great|fun|nice|amazing|worth it|that good|impressive|ok|the best|"
        "enjoyable|what i wanted"
    ),
    "neg_adj_n": _s(
        "bad|boring|terrible|awful|that bad|too bad|a disaster|as bad as i thought|"
        "overrated|a waste of time|half bad|disappointing"
    ),
    "pos_pred": _s(
        "is {pos_adj}|was {pos_adj}|is {pos_adj}|was {pos_adj}|is honestly {pos_adj}|"
        "was just {pos_adj}|made my day|was worth every penny|rocks|is a dream|"
        "is everything|was {pos_adj} omg|is my new favourite thing|exceeded expectations"
    ),
    "neg_pred": _s(
        "is {neg_adj}|was {neg_adj}|is {neg_adj}|was {neg_adj}|is honestly {neg_adj}|"
        "was just {neg_adj}|sucks|sucked|ruined my day|was a waste of time|"
        "is driving me crazy|is a total letdown|makes me want to cry|is so overrated"
    ),
    "pos_adj_pred": _s("is {pos_adj}|was {pos_adj}|is really good|was so good|is {pos_adj}"),
    "neg_adj_pred": _s("is {neg_adj}|was {neg_adj}|is really bad|was so bad|is {neg_adj}"),
    "negpos_pred": _s(
        "is not {pos_adj_n}|was not {pos_adj_n}|isn't {pos_adj_n}|wasn't {pos_adj_n}|"
        "isn't {pos_adj_n} at all|wasn't {pos_adj_n} at all|is not {pos_adj_n} anymore|"
        "didn't live up to the hype|is not working|doesn't work|never works|won't load|"
        "wasn't worth the wait|didn't go well|is not ok|isn't what i hoped"
    ),
    "negneg_pred": _s(
        "is not {neg_adj_n}|was not {neg_adj_n}|isn't {neg_adj_n}|wasn't {neg_adj_n}|"
        "isn't {neg_adj_n} at all|wasn't {neg_adj_n} at all|never disappoints|never gets old|"
        "is not too shabby|didn't disappoint|couldn't be better|never fails to make me smile|"
        "has no flaws|isn't overrated at all|didn't let me down"
    ),
    "pos_v": _s(
        "love|i love|loving|i adore|i really enjoyed|i'm obsessed with|obsessed with|"
        "so happy with|i'm in love with|can't get enough of|i really like|so grateful for|"
        "enjoying|really impressed with|big fan of"
    ),
    "neg_v": _s(
        "hate|i hate|i can't stand|so done with|i'm so done with|fed up with|sick of|"
        "i really disliked|so annoyed with|disappointed with|i regret|tired of|"
        "really hating|i'm furious about|so mad about"
    ),
    "negpos_v": _s(
        "don't love|i don't love|i don't like|i do not like|not happy with|not a fan of|"
        "not loving|i didn't enjoy|not impressed with|not excited about|"
        "i didn't like|i don't really like|not feeling|never liked|"
        "can't say i like|can't say i enjoyed|not pleased with|not thrilled with"
    ),
    "negneg_v": _s(
        "i don't hate|don't hate|not mad at|not even mad about|no complaints about|"
        "can't complain about|i don't regret|never get tired of|can't stop smiling about|"
        "zero complaints about|i'm not sick of|not bored of|no regrets about"
    ),
    "pos_state": _s(
        "happy|so happy|excited|so excited|grateful|in such a good mood|pumped|stoked|"
        "proud|relaxed|blessed|thrilled|over the moon|buzzing|hyped|so content"
    ),
    "neg_state": _s(
        "sad|so sad|tired|exhausted|stressed|bored|annoyed|frustrated|gutted|"
        "heartbroken|sick|lonely|miserable|fed up|cranky|worn out|upset|drained|anxious"
    ),
    "pos_reason": _s(
        "today|rn|right now|about {event}|for {event}|to see {friend} {when}|"
        "about this weekend|after {event}|to be home|that {pos_event}"
    ),
    "neg_reason": _s(
        "today|rn|right now|about {event}|that {friend} is moving away|"
        "and it's only {day}|after {event}|of {event}|that {neg_event}"
    ),
    "good_adj": _s("great|lovely|beautiful|fantastic|brilliant|perfect|wonderful|gorgeous|fun"),
    "pos_event": _s(
        "aced my {exam}|got the job|passed my driving test|got tickets to {event}|"
        "finally finished {project}|{friend} surprised me with {food}|day off tomorrow|"
        "beach day with {friend}|got a promotion|my {pet} learned to sit|we won the game|"
        "just booked a trip to {city}|got upgraded to first class|found {money} in my old jacket|"
        "the sun is finally out|my package came early|snow day, no school|got an a on my essay|"
        "{friend} is coming to visit {when}|cooked {food} for the first time and it worked|"
        "grandma is feeling better|won the pub quiz|my plants are finally growing|"
        "bought my first car|{friend} got engaged|the new {show} season is out|got a raise|"
        "made it to {city} early|my {pet} is home from the vet and doing great"
    ),
    "neg_event": _s(
        "my flight got delayed {again}|lost my {item} {again}|spilled {drink} all over my {item}|"
        "my {device} died {again}|missed the bus {again}|{friend} forgot my birthday|"
        "stuck in traffic for {duration}|my {pet} is sick|failed my {exam}|woke up with a {ailment}|"
        "it's raining {again}|my car broke down on the way to {place}|locked myself out {again}|"
        "got a parking ticket|my {device} screen cracked|{store} got my order wrong {again}|"
        "burnt the {food}|no hot water {again}|stuck at work until {time}|my team lost {again}|"
        "got soaked walking to {place}|the wifi is down {again}|{friend} cancelled on me {again}|"
        "have to work all weekend|dropped my {item} in the sink|someone stole my bike|"
        "my {pet} chewed my {item}|the heating broke|waited {duration} for a bus that never came"
    ),
}

# Domains for "thing" clauses; a mixed tweet praises a thing and blames an aspect of it (or the
# reverse), so aspects are neither good nor bad in themselves. A trailing ``*`` marks a plural
# subject: its predicate is made to agree in code ("the fries are awful").
# fmt: off
DOMAINS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "tech": (_s("the new phone|my new laptop|this app|the new update|my headphones|the new console|"
                "my new watch|the new game"),
             _s("the battery|the screen|the price|the camera|the sound|the charger|the wifi|"
                "customer service|the loading times*|the keyboard")),
    "food": (_s("the new {food} place|this {food} recipe|dinner at {store}|mom's cooking|"
                "the food at {store}|brunch at {store}|my first attempt at {food}"),
             _s("the service|the portions*|the fries*|the dessert|the prices*|the decor|the coffee|"
                "the music in there|the drinks*")),
    "travel": (_s("the hotel|the trip to {city}|our airbnb|the beach in {city}|the road trip|"
                  "the holiday|the cruise|the cabin"),
               _s("the view|the food|the bed|the staff|the weather|the pool|the flight back|"
                  "the breakfast|the wifi|the location|the rooms*")),
    "music": (_s("the concert|the new {artist} album|the festival|the {artist} gig|this playlist|"
                 "the open mic night"),
              _s("the sound|the crowd|the setlist|the lights*|the opening act|the ticket price|"
                 "the last song|the seats*")),
    "screen": (_s("the movie|the new season of {show}|the finale of {show}|{show}|the new trailer|"
                  "the documentary"),
               _s("the ending|the acting|the soundtrack|the plot|the last episode|the special effects*|"
                  "the cliffhanger|the pacing")),
    "sports": (_s("the game|the match|our team|the new coach|the 5k this morning|football practice|"
                  "the derby"),
               _s("the ref|the defence|the second half|the weather|the result|the tickets*|the keeper|"
                  "the atmosphere")),
    "work": (_s("the new job|my shift|the team meeting|the new office|my internship|the project"),
             _s("the commute|my boss|the coffee|the hours*|the pay|the printer|the deadline|"
                "the open plan|the meetings*")),
    "school": (_s("chem class|the {exam}|my essay|uni|the field trip|the lecture|the new teacher"),
               _s("the teacher|the last question|the deadline|the group project|the homework|"
                  "the grading|the reading list|the exams*")),
    "home": (_s("the new flat|our garden|the new sofa|the weekend|the sunshine|the beach day|"
                "spring|the snow"),
             _s("the neighbours*|the rent|the light|the kitchen|the view|the garden|the heating|"
                "the wifi")),
    "pets": (_s("my new puppy|the cat|walking the dog|my {pet}|the new kitten|the dog park"),
             _s("the new vet|the new collar|the long walks*|the training|the new bed|the dog sitter|"
                "the toys*")),
    "shopping": (_s("the new jacket|these shoes*|the sale at the mall|my new bag|the new {device}|"
                    "the vintage market"),
                 _s("the price|the fit|the colour|the delivery|the material|the returns policy|"
                    "the packaging|the sizes*")),
    "family": (_s("dinner with my family|grandma's visit|my sister's wedding|the family bbq|"
                  "mum's birthday|the kids' school play"),
               _s("the food|the cake|the speeches*|the music|the seating plan|the photos*|"
                  "my uncle's jokes*")),
}
# fmt: on
