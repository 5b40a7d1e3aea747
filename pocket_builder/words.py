"""Hand-written vocabulary of the pocket bundle's synthetic tweets.

Used by :mod:`pocket_builder.textgen`, :mod:`~pocket_builder.tweet_kinds` and
:mod:`~pocket_builder.dressing`. Everything here was written for this course: no real
tweet and no dataset text is copied. Each topic holds things people tweet about (noun phrases),
neutral happenings, good and bad happenings; the sentiment words are graded (mild, strong) so
that intensifiers and diminishers can change a tweet's label. Only the order of these tuples
matters to the seeded generator: editing them changes the shipped data (the tests notice).
Over 300 lines on purpose: it is data (word lists), not logic, and reads best in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


def _s(text: str) -> tuple[str, ...]:
    """Split a ``|``-separated list, one alternative per item."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


@dataclass(frozen=True)
class Topic:
    """One thing people tweet about: nouns, neutral, good and bad happenings (first person)."""

    things: tuple[str, ...]
    neutral: tuple[str, ...]
    good: tuple[str, ...]
    bad: tuple[str, ...]


TOPICS: dict[str, Topic] = {
    "work": Topic(
        _s("the meeting|my shift|the new boss|the office|my desk|the project|the deadline|the team|"
           "my inbox|the printer|the new job|the overtime|the interview|the spreadsheet|my manager|"
           "the staff party|the commute|the training day|the report|the coffee machine"),
        _s("heading into the office|on my lunch break|at my desk till six|back at work tomorrow|"
           "writing up the report|covering a shift for a colleague|in meetings all afternoon|"
           "filing the last invoices|sorting out my emails|starting the night shift"),
        _s("got the job|got a raise|finished the project early|the boss bought everyone lunch|"
           "got the afternoon off|my presentation went well|finally got promoted|the meeting got cancelled"),
        _s("got called in on my day off|the printer jammed again|lost the whole spreadsheet|"
           "have to work the weekend|missed the deadline|the boss yelled at me|got stuck doing overtime|"
           "my laptop crashed before I saved"),
    ),
    "school": Topic(
        _s("the exam|my essay|the maths test|revision|the lecture|my teacher|homework|the coursework|"
           "the library|chemistry|the history paper|finals|my grades|the school trip|the assignment|"
           "biology class|the presentation|french|the timetable|my dissertation"),
        _s("revising in the library|walking to class|handing in the essay on friday|"
           "reading chapter four|at a lecture till three|waiting for the exam results|"
           "doing maths homework|printing my notes|meeting my study group at noon|back to school monday"),
        _s("passed my driving theory|got an A on the essay|passed all my exams|finished my dissertation|"
           "the exam was cancelled|my teacher said my project was the best|got into uni|aced the test"),
        _s("failed the maths test|forgot my essay at home|have three exams tomorrow|got a D|"
           "lost my notes|the library is closed|have to redo the whole assignment|fell asleep in the exam"),
    ),
    "weather": Topic(
        _s("the weather|the rain|the sunshine|the snow|this heat|the wind|the forecast|the storm|"
           "the fog|the sky|this cold|the thunder|the frost|the humidity|the hail|the breeze|"
           "the clouds|the drizzle|the sunrise|the weekend weather"),
        _s("it is raining again|the forecast says showers|clouds rolling in|it is 14 degrees|"
           "snow expected tonight|the wind picked up|it is foggy outside|grey skies all day|"
           "sun is out for now|checking the forecast"),
        _s("the sun finally came out|it is warm enough for shorts|a gorgeous sunset tonight|"
           "blue skies all weekend|the snow day means no school|sitting in the garden in the sun|"
           "the rain stopped just in time"),
        _s("got soaked on the way home|the storm knocked the power out|it is freezing and the heating broke|"
           "stuck inside because of the rain|my umbrella broke|the snow cancelled my flight|"
           "too hot to sleep"),
    ),
    "health": Topic(
        _s("this cold|my headache|the flu|my back|the dentist|my throat|the doctor|my knee|"
           "the hospital|hay fever|my tooth|the medicine|this cough|the check up|my allergies|"
           "my sore eyes|my ankle|the clinic|the vaccine|my stomach"),
        _s("at the doctor at ten|picking up a prescription|taking it easy today|drinking lots of water|"
           "waiting at the clinic|off to the dentist later|resting my knee|booked a check up"),
        _s("feeling better at last|the fever broke|the dentist said no fillings|my back stopped hurting|"
           "got the all clear from the doctor|slept ten hours and feel great|my cold is finally gone"),
        _s("caught the flu|my throat is killing me|been sick all week|threw my back out|"
           "got a migraine again|up all night coughing|sprained my ankle|need a root canal"),
    ),
    "tv": Topic(
        _s("the finale|the new episode|that show|the season premiere|the documentary|the news|"
           "the talent show|the cooking show|the quiz show|the soap|the series|the new season|"
           "the season finale|the pilot|the cartoon|the drama|the reality show|the late show|"
           "the box set|the trailer"),
        _s("watching the news|the finale is on at nine|catching up on the series|two episodes left|"
           "the new season starts tonight|channel surfing|recording the match|watching the late show"),
        _s("the finale was worth the wait|they renewed the show|binge watched the whole season|"
           "my favourite character came back|the new episode was hilarious"),
        _s("they cancelled my favourite show|the finale ruined everything|someone spoiled the ending|"
           "missed the new episode|the tv broke mid episode|the box set is not on any app"),
    ),
    "music": Topic(
        _s("the new album|the gig|the concert|that song|the band|the festival|the playlist|"
           "the tickets|the radio|the tour|the single|the remix|the music video|the encore|"
           "the headline act|the support band|my guitar|piano practice|the choir|the soundcheck"),
        _s("listening to the radio|making a playlist for the drive|queueing for the gig|"
           "practising guitar|the album comes out friday|on my way to the concert|"
           "tickets go on sale at nine|learning a new song"),
        _s("got front row tickets|the band played my favourite song|met the singer after the gig|"
           "the new album is on repeat|finally learned the solo|the festival lineup is out"),
        _s("the gig sold out before I could buy tickets|the band cancelled the tour|"
           "lost my voice at the concert|my guitar string snapped|the sound at the gig was terrible|"
           "missed the encore"),
    ),
    "phone": Topic(
        _s("my phone|the new phone|the battery|the update|my laptop|the wifi|the charger|the app|"
           "the screen|my headphones|the signal|my tablet|the internet|my computer|the camera|"
           "the keyboard|the router|my old phone|the password reset|the game console"),
        _s("charging my phone|installing the update|waiting for the wifi guy|backing up my photos|"
           "setting up the new laptop|downloading the app|restarting the router|buying a new charger"),
        _s("the new phone arrived early|got my photos back|the update fixed the battery|"
           "the wifi is finally fast|found my headphones|my laptop survived the coffee"),
        _s("dropped my phone in the bath|the battery died at 2 percent|the update deleted everything|"
           "the wifi keeps cutting out|cracked my screen|lost my charger again|my laptop will not turn on"),
    ),
    "family": Topic(
        _s("my mum|my dad|my sister|my brother|mother's day|my nan|the kids|my cousin|my aunt|"
           "my grandad|the family dinner|my parents|the wedding|the baby|my niece|my nephew|"
           "the christening|the reunion|my uncle|the in laws"),
        _s("having dinner with my parents|driving to my nan's|babysitting my nephew|"
           "buying flowers for mother's day|calling my mum later|at my cousin's for the weekend|"
           "picking the kids up at three|helping my dad in the garage"),
        _s("my sister had a baby girl|my mum loved her present|the whole family came for dinner|"
           "my brother is coming home|my nan turned ninety|my parents got me tickets"),
        _s("forgot mother's day|my parents are fighting again|my brother broke my headphones|"
           "my nan is in hospital|missed my sister's birthday|the family dinner turned into a row"),
    ),
    "food": Topic(
        _s("the pizza|dinner|breakfast|the curry|the cake|my coffee|the tea|lunch|the pasta|"
           "the burger|the new cafe|the soup|the pancakes|the chips|the takeaway|the bakery|"
           "the ice cream|the roast|the salad|the sushi"),
        _s("making pasta tonight|grabbing a coffee|having toast for breakfast|ordering a takeaway|"
           "baking bread|picking up milk on the way home|trying the new cafe|making soup"),
        _s("the cake came out perfect|found my favourite ice cream|the takeaway came early|"
           "the new cafe does free refills|made the best pancakes ever|my mum made a roast"),
        _s("burnt the dinner|the milk was off|dropped my ice cream|the takeaway forgot my order|"
           "the cafe ran out of cake|my coffee went cold|broke a tooth on the bread"),
    ),
    "travel": Topic(
        _s("the flight|the train|the bus|the holiday|the hotel|the airport|the road trip|"
           "the ferry|the traffic|my suitcase|the beach|the trip|the tube|the motorway|"
           "the queue at security|the campsite|the drive|the passport|the cruise|the tram"),
        _s("on the train to leeds|packing for the trip|at the airport|waiting for the bus|"
           "driving up north tomorrow|checking in at the hotel|on the ferry|queueing at security"),
        _s("got upgraded to first class|the flight landed early|the hotel has a pool|"
           "the beach was empty|made the last train|the road trip starts today|booked the holiday"),
        _s("missed my flight|the train got cancelled|stuck in traffic for two hours|lost my suitcase|"
           "the bus never came|the hotel lost my booking|the ferry is delayed again|left my passport at home"),
    ),
    "sport": Topic(
        _s("the match|the game|the gym|my run|the team|the final|the race|the football|the derby|"
           "the swim|the yoga class|the marathon|training|the league|the cup run|the coach|"
           "the penalty|the referee|the tennis|the cricket"),
        _s("going for a run|at the gym after work|watching the match|training at six|"
           "the game kicks off at three|signed up for the marathon|swimming laps|at the yoga class"),
        _s("we won the final|ran my best time|scored a goal|we are through to the final|"
           "finished the marathon|lifted a new personal best|we beat them three nil"),
        _s("we lost again|pulled a muscle|the match got rained off|missed the penalty|"
           "got sent off|we got relegated|the gym is closed|twisted my knee in training"),
    ),
    "pets": Topic(
        _s("my dog|the cat|the puppy|the kitten|my hamster|the vet|the fish|my rabbit|the walk|"
           "the dog park|the bird|the new puppy|my horse|the goldfish|the tortoise|the parrot|"
           "the pet shop|the dog bed|the cat flap|the lead"),
        _s("walking the dog|taking the cat to the vet|feeding the fish|cleaning the hamster cage|"
           "at the dog park|buying cat food|brushing the dog|letting the cat in"),
        _s("the puppy learned to sit|my cat came home|the vet said she is healthy|"
           "we adopted a kitten|the dog loved the beach|my rabbit had babies"),
        _s("the dog ate my shoes|my cat is missing|the vet bill was huge|the puppy chewed the sofa|"
           "my hamster died|the dog got out again|the cat was sick on the bed"),
    ),
    "home": Topic(
        _s("the house|my room|the flat|the garden|the laundry|the washing machine|the neighbours|"
           "the move|the rent|the dishes|the boiler|the new sofa|the landlord|the kitchen|"
           "the bathroom|the shed|the lawn|the curtains|the fridge|the hoover"),
        _s("doing the laundry|cleaning my room|painting the kitchen|mowing the lawn|"
           "packing boxes for the move|waiting for the plumber|hoovering|putting up shelves"),
        _s("moved into the new flat|the garden looks amazing|finally fixed the boiler|"
           "the new sofa came|got the deposit back|finished painting the kitchen"),
        _s("the boiler broke again|the washing machine flooded the kitchen|the rent went up|"
           "the neighbours partied all night|locked myself out|the landlord kept the deposit|"
           "a pipe burst"),
    ),
    "friends": Topic(
        _s("the party|my friends|the weekend|my best friend|the night out|the sleepover|"
           "the birthday|the barbecue|the date|the hangover|the pub quiz|the bonfire|the picnic|"
           "the wedding party|the karaoke|the group chat|the surprise party|the prom|"
           "the housewarming|the games night"),
        _s("meeting friends at eight|getting ready for the party|at the pub quiz|planning a picnic|"
           "on the way to the barbecue|texting the group chat|picking up my friend from the station"),
        _s("my best friend is visiting|we won the pub quiz|the surprise party worked|"
           "had the best night out|got asked on a date|everyone came to my birthday"),
        _s("nobody came to my party|got stood up|my best friend moved away|fell out with my friends|"
           "the barbecue got rained off|the hangover is real|lost my phone at the party"),
    ),
    "shopping": Topic(
        _s("the sale|the shops|my new shoes|the dress|the mall|the order|the delivery|the queue|"
           "the supermarket|the jacket|the refund|the bargain|the jeans|my new bag|the checkout|"
           "the parcel|the shopping centre|the gift|the receipt|the market"),
        _s("at the shops|doing the weekly shop|waiting in for a parcel|returning the jeans|"
           "looking for a birthday present|queueing at the checkout|picking up the order"),
        _s("got the jacket half price|the parcel came a day early|found the perfect dress|"
           "got a full refund|bought new shoes|found a bargain at the market"),
        _s("the parcel got lost|they sold out of my size|the shoes gave me blisters|"
           "the refund was refused|queued for an hour for nothing|the dress ripped"),
    ),
    "film": Topic(
        _s("the film|the movie|the cinema|the sequel|the popcorn|the premiere|the ending|"
           "the actor|the remake|the horror film|the musical|the play|the theatre|the comedy|"
           "the soundtrack|the book|the novel|the audiobook|the comic|the author"),
        _s("going to the cinema tonight|reading before bed|watching a film with my brother|"
           "half way through the book|queueing for popcorn|the play starts at half seven"),
        _s("the sequel was even better|cried at the ending in a good way|got tickets to the premiere|"
           "finished the book in one night|the musical was a dream"),
        _s("the film was sold out|fell asleep in the cinema|the remake ruined it|"
           "someone spoiled the book|the sequel was a mess|the projector broke mid film"),
    ),
    "sleep": Topic(
        _s("sleep|my alarm|the morning|tonight|the lie in|my bed|the nap|monday|the weekend|"
           "sunday|the night|friday|the day off|the holidays|today|tomorrow|this week|the evening|"
           "saturday|the bank holiday"),
        _s("going to bed early|up at six tomorrow|having a lazy sunday|awake at 3am|"
           "taking a nap|making tea before bed|setting my alarm|having a day off"),
        _s("slept in till noon|got a lie in|the long weekend starts now|had a proper nap|"
           "friday at last|the holidays start today"),
        _s("cannot sleep|my alarm did not go off|up all night|monday again|woke up with a headache|"
           "overslept and missed the bus|the weekend went too fast"),
    ),
}

# Sentiment words, graded. Adjectives describe a thing; feelings describe the writer.
POS_MILD = _s("nice|fine|decent|pleasant|cute|good|alright|sweet|fun|cosy|tidy|handy|neat|solid")
POS_STRONG = _s(
    "amazing|awesome|brilliant|fantastic|wonderful|perfect|incredible|gorgeous|lovely|great|"
    "excellent|epic|superb|beautiful|magical|outstanding|delightful|stunning|fabulous|the best"
)
NEG_MILD = _s("boring|annoying|slow|messy|disappointing|tiring|dull|awkward|weird|meh|bland|noisy|cold|late")
NEG_STRONG = _s(
    "awful|terrible|horrible|dreadful|rubbish|a nightmare|gross|painful|miserable|a disaster|"
    "disgusting|useless|pathetic|the worst|unbearable|shocking|atrocious|hopeless|depressing|sad"
)
FEEL_POS_MILD = _s("ok|content|calm|relaxed|fine|glad|chilled|pleased")
FEEL_POS_STRONG = _s(
    "happy|excited|thrilled|grateful|proud|stoked|chuffed|buzzing|over the moon|blessed|"
    "delighted|so happy|ecstatic|overjoyed"
)
FEEL_NEG_MILD = _s("tired|bored|sleepy|hungry|cold|restless|meh|off|flat|nervous")
FEEL_NEG_STRONG = _s(
    "sad|exhausted|sick|annoyed|upset|gutted|stressed|worried|lonely|fed up|grumpy|miserable|"
    "heartbroken|furious|depressed|devastated|anxious|done|broken"
)
VERB_POS = _s("love|adore|enjoy|really like|can't get enough of|am obsessed with|am in love with")
VERB_NEG = _s("hate|dread|can't stand|am sick of|am so over|despise|am tired of|regret")

INTENSIFIERS = _s("so|really|very|super|extremely|incredibly|totally|seriously|absolutely|well|proper|sooo")
DIMINISHERS = _s("a bit|a little|slightly|kinda|kind of|sort of|somewhat|a tad|fairly|quite")

# Names whose meaning is emotional but which are neutral here (titles, places, pets).
EMO_WORDS_POS = _s(
    "Happy|Lucky|Joy|Sunny|Hope|Love|Sweet|Golden|Bright|Merry|Glory|Perfect|Dream|Brave|Wonder|Bliss"
)
EMO_WORDS_NEG = _s(
    "Sad|Broken|Dark|Lonely|Lost|Bitter|Cold|Grim|Bad|Angry|Wild|Misery|Fear|Rage|Storm|Gloomy"
)
TITLE_NOUNS = _s(
    "Days|Hearts|Town|Street|Island|Valley|Road|Summer|Nights|Kingdom|Hour|Bones|Eyes|River|"
    "Feet|House|Secrets|Lane|Harbour|Company|Season|Games|Garden|Machine|Letters|Songs"
)
TITLE_KINDS = _s(
    "the film|the new series|the book|the song|the album|the play|the podcast|the game|"
    "the documentary|the musical"
)

NAMES = _s(
    "Amy|Ben|Chloe|Dan|Ella|Finn|Grace|Hassan|Isla|Jay|Kemi|Leo|Maya|Nina|Omar|Priya|Quinn|Rosa|"
    "Sam|Tariq|Uma|Will|Yuki|Zoe|Alex|Bella|Carlos|Dev|Emma|Femi|Gina|Hugo|Ines|Jack|Kai|Lily|"
    "Mo|Noor|Olly|Pete|Ravi|Sara|Tom|Wen|Beth|Cal|Dara|Eli|Freya|Gabe|Hana|Ivy|Jo|Kat|Luca|Mia|"
    "Nate|Otis|Reza|Sofia|Theo|Val|Zara|Aisha|Mateo|Lena|Marcus|Jade|Ruby|Oscar|Nia|Felix|Layla|"
    "Kofi|Ana|Diego|Clara|Ibrahim|Mei|Arjun|Tess|Rory|Becca|Charlie|Danny|Erin|Gemma|Harry|"
    "Jess|Katie|Liam|Megan|Ollie|Rachel|Steph|Tasha|Vicky|Abby|Callum|Dom|Fran|Josh|Lucy|Matt|"
    "Nick|Paige|Rhys|Shaz|Toby|Wes|Kirsty|Gaz|Hayley|Jodie|Kieran|Ellie|Ryan|Holly|Sophie"
)
PLACES = _s(
    "London|Leeds|Glasgow|Dublin|Paris|Lyon|Berlin|Madrid|Lisbon|Rome|Austin|Chicago|Boston|"
    "Denver|Seattle|Toronto|Vancouver|Sydney|Melbourne|Auckland|Tokyo|Osaka|Seoul|Mumbai|Lagos|"
    "Cardiff|Bristol|Brighton|Manchester|Liverpool|Newcastle|Oxford|Cambridge|York|Bath|Belfast|"
    "Edinburgh|Aberdeen|Norwich|Exeter|Phoenix|Portland|Atlanta|Miami|Dallas|Ohio|Texas|Vegas|"
    "Cornwall|Wales|Kent|Devon|Florida|Spain|Ibiza|Greece|Cork|Galway|Perth|Brisbane"
)
TIMES = _s(
    "at 5|at 6|at 7.30|at 8|at 9|at noon|at half ten|at 3pm|at 11|after lunch|before work|"
    "tonight|tomorrow|on friday|on sunday|this weekend|next week|in the morning|later|at midnight"
)
HASHTAGS = _s(
    "#followfriday|#mothersday|#fb|#musicmonday|#tv|#work|#exams|#rain|#sunday|#fail|#win|"
    "#nowplaying|#random|#life|#weekend|#monday|#friday|#summer|#coffee|#gym|#bbq|#football"
)
LINK_HOSTS = ("http://bit.ly/", "http://twitpic.com/", "http://tinyurl.com/", "http://tr.im/")

# Conversational pieces that carry no sentiment of their own.
OPENERS = _s(
    "ok so|well|so|right|hmm|tbh|honestly|just|today|oh|btw|anyway|omg|guess what|yeah|"
    "morning all|evening all|update|good morning|night all|fyi|random but|ok|hey all|aww|dude|lol|"
    "I'm like|it's official|so it's|here's the thing|I'd say|you know what|don't ask|let's see"
)
CLOSERS = _s(
    "anyway|that's all|off to bed now|back to it|more later|just saying|lol|haha|ha|x|xx|"
    "oh well|whatever|night|bye for now|will update|as you do|how's everyone|you?|we'll see|"
    "that's life|don't ask|it's fine|I'll live|you know|isn't it|what's new|"
    "what are you all up to"
)
POS_TAILS = _s(":)|:D|=)|:-)|<3|!!|!|yay|woo|xx|;)|:P|hehe|whoop whoop|best day")
NEG_TAILS = _s(":(|:'(|:/|</3|ugh|smh|fml|sigh|boo|grr|urgh|meh|fail|nooo|why me")
NEU_TAILS = _s("lol|haha|...|?|.|!|x|hmm|ok|right|cheers|bye|brb|later|g2g")
SARCASM_CUES = _s(
    "oh great,|just what I needed:|love that for me:|yay,|perfect.|awesome.|brilliant.|"
    "what a great start:|best day ever:|oh good,|thanks a lot,|this is fine:|fantastic,|"
    "nothing like|my favourite thing:|wonderful,"
)
SINCERE_CUES = _s(
    "so happy:|great news:|guess what:|best feeling:|finally!|woohoo,|big news:|proud moment:|"
    "good day:|what a week:|love this:|can't believe it:|dreams do come true:|made up:"
)
REPORTERS = _s(
    "{name} says|{name} thinks|my mum says|my dad reckons|apparently|the paper says|"
    "{name} told me|the reviews say|everyone keeps saying|my sister swears|the teacher said|"
    "{name} keeps telling me|word is|the radio said|{name} texted that|some guy on the bus said|"
    "the guide says|{name} wrote that"
)

# Everyday things and pastimes, for open-ended neutral sentences (the long tail of tweet words).
OBJECTS = _s(
    "umbrella|kettle|toaster|blender|backpack|wallet|scarf|jumper|hoodie|trainers|sandals|sunglasses|"
    "notebook|stapler|calculator|lamp|pillow|duvet|mattress|candle|mirror|hairdryer|toothbrush|"
    "razor|towel|bike|helmet|skateboard|scooter|tent|sleeping bag|torch|compass|map|bin|bucket|"
    "ladder|hammer|drill|paintbrush|easel|sketchbook|crayons|puzzle|jigsaw|board game|chess set|"
    "deck of cards|frisbee|kite|football boots|swimsuit|goggles|yoga mat|dumbbells|water bottle|"
    "flask|lunchbox|thermos|teapot|mug|frying pan|saucepan|wok|oven glove|apron|rolling pin|"
    "cookbook|recipe book|plant pot|watering can|hosepipe|wheelbarrow|lawnmower|bird feeder|"
    "doormat|coat hook|key ring|padlock|alarm clock|wristwatch|bracelet|necklace|earrings|ring|"
    "perfume|lipstick|nail varnish|hair tie|hairbrush|comb|shampoo|sun cream|plasters|vitamins|"
    "headband|beanie|wellies|raincoat|gloves|socks|slippers|pyjamas|dressing gown|blazer|tie|"
    "cufflinks|suit|waistcoat|skirt|shorts|leggings|tracksuit|cardigan|poncho|bow tie|mittens|"
    "postcard|stamp|envelope|birthday card|calendar|diary|planner|sticky notes|highlighter|"
    "pencil case|ruler|rubber|sharpener|glue stick|scissors|tape|bubble wrap|cardboard box|"
    "flowers|tulips|roses|sunflowers|cactus|bonsai|fern|orchid|herbs|tomato plants|strawberries|"
    "blueberries|bananas|avocados|mangoes|lemons|peppers|mushrooms|onions|garlic|spinach|carrots|"
    "potatoes|noodles|rice|lentils|porridge|cereal|granola|yoghurt|cheese|butter|jam|honey|"
    "marmalade|crumpets|bagels|croissants|muffins|cookies|brownies|doughnuts|flapjacks|scones|"
    "biscuits|crisps|popcorn|chocolate|sweets|lemonade|smoothie|milkshake|hot chocolate|juice|"
    "vinyl|record player|speaker|microphone|amp|drum kit|ukulele|violin|trumpet|flute|keyboard stand|"
    "camera lens|tripod|memory card|hard drive|mouse|webcam|printer ink|phone case|screen protector|"
    "smartwatch|e-reader|console|controller|joystick|headset|projector|remote|extension lead"
)
ACTIVITIES = _s(
    "knitting|baking|gardening|cycling|hiking|swimming|running|painting|drawing|sketching|reading|"
    "writing|journaling|sewing|crocheting|pottery|woodwork|fishing|birdwatching|climbing|bouldering|"
    "skating|surfing|sailing|rowing|kayaking|camping|stargazing|photography|dancing|singing|"
    "juggling|origami|calligraphy|chess|sudoku|crosswords|meditating|stretching|boxing|karate|"
    "fencing|archery|golf|bowling|darts|snooker|pool|badminton|squash|netball|rugby|hockey|"
    "volleyball|basketball|baseball|skiing|snowboarding|paddleboarding|ice skating|rollerblading|"
    "jogging|pilates|spinning|zumba|tidying|decorating|upcycling|composting|recycling|volunteering|"
    "tutoring|revising|coding|blogging|vlogging|podcasting|streaming|gaming|quilting|weaving|"
    "embroidery|beekeeping|foraging|geocaching|metal detecting|model making|scrapbooking|"
    "busking|improv|karaoke|salsa|ballet|tap dancing|line dancing|poetry|sculpting|printmaking"
)
DAYS = _s(
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|this morning|this afternoon|"
    "tonight|tomorrow|next week|the weekend|last night|yesterday|at lunch|after school|after work"
)
NAME_PARTS = (
    _s("ka|le|mi|ro|ta|ne|sa|jo|da|li|ma|be|ca|fe|ha|ri|zo|vi|na|lu|ke|pe|so|ti|ra|mo|el|an|ar|is"),
    _s("ly|na|ra|den|son|ley|lie|ton|ma|ri|ssa|dy|rin|na|lo|la|nie|sha|ke|ya|ro|vin|mer|tha|cie"),
)
