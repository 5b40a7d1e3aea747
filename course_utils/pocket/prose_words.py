"""Hand-written templates for the pocket bundle's general (non-tweet) prose.

Used only by :func:`course_utils.pocket.tweets.make_general_text`: plain, grammatical English
sentences (nature, science, invented local history, cooking steps, town descriptions, daily
narration) that read nothing like tweets. They serve as pre-training text for the tiny GPT-2
and as the probe for catastrophic forgetting. Written for this course; the towns, people and
dates are invented. Slots work as in :mod:`course_utils.pocket.words`; ``{town}``,
``{person}``, ``{year}`` and ``{num}`` are computed in code.
"""

from __future__ import annotations

from course_utils.pocket.words import _s

TOWN_START = _s(
    "Ash|Bram|Cal|Dun|El|Fern|Glen|Hol|Kil|Lang|Mar|Nor|Oak|Pen|Ros|Stan|Thorn|Wel|"
    "Wick|Yar|Brid|Cran|Hart|Lud"
)
TOWN_END = _s("bury|ford|mouth|ton|wick|dale|field|haven|stead|bridge|more|by|holm|wood|port|ley")

PROSE_SLOTS: dict[str, tuple[str, ...]] = {
    "season": _s("spring|summer|autumn|winter|early spring|late autumn"),
    "animal": _s(
        "heron|fox|badger|otter|red deer|hare|kingfisher|owl|beaver|swallow|salmon|"
        "hedgehog|woodpecker|lynx|seal"
    ),
    "animals": _s(
        "herons|foxes|badgers|otters|deer|hares|kingfishers|owls|beavers|swallows|"
        "geese|hedgehogs|woodpeckers|seals|frogs|bees"
    ),
    "habitat": _s(
        "marsh|valley|forest|moor|estuary|meadow|lowlands|coastal dunes|river banks|"
        "pine woods|wetlands"
    ),
    "behaviour": _s(
        "gather near the water at dusk|move to lower ground to find food|"
        "raise their young among the reeds|spend most of the day hidden in the grass|"
        "travel long distances in search of shelter|feed on insects and seeds|"
        "return to the same nesting places every year"
    ),
    "tree": _s("oak|beech|birch|willow|pine|chestnut|ash|yew|cedar|maple|alder|rowan"),
    "trees": _s("oaks|beeches|birches|willows|pines|chestnut trees|cedars|maples|alders|limes"),
    "terrain": _s("northern slopes|rocky hillsides|high plateau|exposed cliffs|edge of the moor"),
    "river": _s("Allen|Bree|Cray|Dove|Esk|Frome|Lune|Tarn|Wend|Yeal|Corran|Mire"),
    "direction": _s("north|south|east|west|south-east|north-west"),
    "material": _s("metal rod|glass jar|copper wire|steel rail|block of wax|rubber band"),
    "substance": _s("Salt|Sugar|Baking soda|Instant coffee|Honey|Cocoa powder"),
    "medium": _s("water|steel|wood|stone|glass"),
    "metal": _s("Copper|Aluminium|Iron|Cast iron"),
    "metal_use": _s("cooking pots|kettles|radiators|frying pans|electrical wiring"),
    "sample": _s("soil samples|pond water|seedlings|bread dough|river sand|young plants"),
    "quantity": _s("temperature|weight|height|acidity|moisture"),
    "building": _s(
        "stone church|covered market|small school|watermill|public library|town hall|"
        "lighthouse|railway station|grain store|wooden theatre"
    ),
    "feature": _s("river|harbour|old road|village green|crossroads|northern gate|canal"),
    "institution": _s(
        "Public Library|Grammar School|Rowing Club|Town Museum|Botanical Garden|"
        "Choral Society|Fire Brigade|Weekly Gazette"
    ),
    "profession": _s(
        "schoolteacher|carpenter|doctor|merchant|shipbuilder|printer|baker|"
        "clockmaker|surveyor|weaver"
    ),
    "product": _s("wool|cheese|pottery|rope|cider|lace|woollen blankets|salted fish|clocks"),
    "cargo": _s("coal|timber|milk|slate|grain|passengers on market days"),
    "cook_verb": _s("Fry|Cook|Soften|Brown|Toast|Warm|Stir"),
    "ingredient": _s(
        "onions|garlic|mushrooms|leeks|peppers|spices|carrots|celery|shallots|"
        "breadcrumbs|almonds|chopped tomatoes|lentils|spinach"
    ),
    "heat": _s("low|medium|gentle|moderate"),
    "doneness": _s(
        "they turn golden|they are soft|they smell fragrant|they begin to colour|"
        "most of the liquid has gone"
    ),
    "dish": _s("baking tray|round cake tin|shallow dish|loaf tin|large saucepan|pie dish"),
    "baked": _s("bread|pie|cake|muffins|flatbreads|vegetables|biscuits|fish"),
    "side": _s("rice|a green salad|boiled potatoes|warm bread|roasted vegetables|noodles"),
    "district": _s("old quarter|harbour district|market area|university quarter|riverside"),
    "features": _s(
        "narrow streets|painted shutters|small bookshops|stone bridges|quiet courtyards|"
        "old warehouses|tall chimneys|tiled roofs|busy cafes"
    ),
    "goods": _s(
        "fruit and vegetables|fresh bread and cheese|flowers and plants|second-hand books|"
        "fish from the harbour|honey and jam"
    ),
    "side_bank": _s("north|south|east|west"),
    "walkway": _s("river path|old city walls|harbour wall|main avenue|canal towpath"),
    "landmark": _s("clock tower|old mill|cathedral|lighthouse|fountain|observatory|castle ruins"),
    "stone": _s("red brick|grey limestone|local sandstone|dark granite|timber and clay"),
    "century": _s("sixteenth|seventeenth|eighteenth|nineteenth"),
    "meal": _s("breakfast|lunch|dinner"),
    "dest": _s("market|library|post office|bakery|station|park|harbour|museum"),
    "task": _s(
        "buy apples and bread|return a pile of books|post a parcel|meet an old friend|"
        "collect a repaired watch|look at the new exhibition|buy fresh fish"
    ),
    "day": _s("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"),
    "routine": _s(
        "waters the plants|goes for a short run|reads the newspaper|writes a few letters|"
        "walks the dog around the park|practises the piano"
    ),
    "relative": _s("brother|sister|cousin|grandmother|uncle|neighbour|daughter|son"),
    "pastime": _s(
        "planting tomatoes|painting the fence|sorting old photographs|repairing a bicycle|"
        "baking bread|walking along the coast|fishing"
    ),
    "location": _s("garden|kitchen|workshop|park|allotment|back yard"),
    "dish_name": _s("a vegetable soup|a simple pasta|a fish stew|a mushroom risotto|a bean curry"),
    "grocery": _s("eggs|flour|butter|milk|rice|lemons|onions|coffee|cheese|apples|soap|candles"),
    "water": _s("river|lake|canal|sea|reservoir"),
    "features2": _s(
        "old tram lines|flower markets|hidden gardens|red-brick churches|small galleries|"
        "covered arcades|street musicians|canal-side terraces"
    ),
    "vegetable": _s("carrots|onions|courgettes|peppers|potatoes|leeks|parsnips|beetroots|cabbage"),
    "grain": _s("rice|lentils|quinoa|barley|chickpeas"),
    "leftovers": _s("soup|stew|sauce|rice|dough"),
    "liquid": _s("water|vinegar|salt water|alcohol|sugar syrup"),
    "diet": _s(
        "small fish|insects|berries and seeds|roots and bark|worms and beetles|grass and leaves|"
        "frogs and snails"
    ),
    "where_find": _s(
        "along the water's edge|under fallen logs|in the long grass|"
        "near the surface of the pond|among the rocks|at the edge of the fields"
    ),
    "harbour": _s("harbour|quay|old dock|fish market|ferry pier"),
    "fact": _s(
        "Water boils at a lower temperature on a mountain, because the air pressure is lower there.|"
        "The Moon takes about twenty-seven days to travel once around the Earth.|"
        "Plants use sunlight, water and carbon dioxide to make their own food.|"
        "A magnet attracts iron and nickel, but it has no effect on wood or glass.|"
        "Light travels much faster than sound, so lightning is seen before thunder is heard.|"
        "Ice floats on water because it is less dense than the liquid around it.|"
        "Bees carry pollen from flower to flower, which helps many plants to produce seeds.|"
        "The tides are caused mainly by the pull of the Moon on the oceans.|"
        "A rainbow appears when sunlight is bent and split by drops of water in the air.|"
        "Seeds need water, air and a suitable temperature before they begin to grow.|"
        "Salt water freezes at a lower temperature than fresh water.|"
        "The length of a shadow changes through the day as the Sun moves across the sky.|"
        "Heavy and light objects fall at the same rate when air resistance is very small.|"
        "Warm air rises because it is lighter than the cooler air around it.|"
        "Sound cannot travel through empty space, because there is nothing to carry the vibration."
    ),
}

PROSE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "nature": _s(
        "In {season}, the {animals} of the {habitat} {behaviour}.|"
        "The {animal} feeds mainly on {diet}, which it finds {where_find}.|"
        "Young {trees} grow slowly on the {terrain}, where the soil is thin and the wind is strong.|"
        "The River {river} rises in the hills above {town} and flows {direction} for about "
        "{num} kilometres before it reaches the sea.|"
        "After heavy rain, the {habitat} fills with shallow pools where {animals} come to drink.|"
        "A single {tree} can live for several hundred years if it is left undisturbed.|"
        "On clear evenings in {season}, large flocks of geese fly low over the {habitat}.|"
        "In a dry {season}, the water in the {habitat} near {town} can fall by more than a metre.|"
        "A pair of {animals} has nested under the old bridge at {town} for {small} years.|"
        "The first frost usually reaches the {habitat} around {town} in late October.|"
        "Along the banks of the River {river}, {trees} give shade to the path in {season}."
    ),
    "science": _s(
        "{fact}|"
        "When a {material} is heated, it expands slightly, and when it cools, it contracts again.|"
        "{substance} dissolves more quickly in warm water than in cold water.|"
        "Sound travels faster through {medium} than it does through air.|"
        "{metal} is a good conductor of heat, which is why it is often used for {metal_use}.|"
        "The students measured the {quantity} of the {sample} every morning for {num} days.|"
        "In the experiment, half of the {sample} were kept in the dark and half near a window.|"
        "When {liquid} is left in an open dish, it slowly evaporates into the air.|"
        "A thermometer in the {location} showed that the temperature rose by {small} degrees before noon.|"
        "The class recorded the {quantity} of the {sample} twice a day and drew a graph of the results."
    ),
    "history": _s(
        "In {year}, the people of {town} built a {building} beside the {feature}.|"
        "The {town} {institution} was founded in {year} by a {profession} named {person}.|"
        "For nearly {num} years, {town} was known for its {product} and its busy market.|"
        "During the winter of {year}, the River {river} froze so hard that carts could cross it.|"
        "The old bridge at {town} was rebuilt in stone after a great flood in {year}.|"
        "{person}, a {profession} from {town}, kept a careful record of the harvest for {num} years.|"
        "The first railway line to reach {town} opened in {rail_year} and carried mostly {cargo}.|"
        "The market charter of {town}, granted in {year}, allowed traders to sell {product} every {day}.|"
        "A fire in {year} destroyed much of the {building} at {town}, and it took {small} years to rebuild.|"
        "The {town} {institution} still keeps the letters that {person} wrote in the winter of {year}.|"
        "In the early years, the children of {town} walked {small} miles to the nearest school."
    ),
    "cooking": _s(
        "{cook_verb} the {ingredient} over {heat} heat until {doneness}, then add the {ingredient}.|"
        "Preheat the oven to {oven} degrees and line a {dish} with baking paper.|"
        "Let the dough rest for {num} minutes before you roll it out on a floured surface.|"
        "Season the {ingredient} with salt and pepper, and serve them with {side}.|"
        "Whisk the eggs with the milk, then pour the mixture slowly into the {dish}.|"
        "Bake the {baked} for about {num} minutes, or until the top is golden brown.|"
        "Chop the {vegetable} into small pieces and set them aside in a bowl.|"
        "Simmer the soup gently for {num} minutes, stirring it from time to time.|"
        "Rinse the {grain} in cold water until the water runs clear, then drain it well.|"
        "Spread the {vegetable} on a tray, drizzle them with oil and roast them for {num} minutes.|"
        "Keep the {leftovers} in a covered container in the fridge and use it within {small} days.|"
        "Add the {vegetable} to the pan, cover it and cook for {num} minutes on {heat} heat."
    ),
    "town": _s(
        "The {district} of {town} is known for its {features} and {features2}.|"
        "Every {day}, a market fills the main square of {town} with {goods}.|"
        "{town} lies on the {side_bank} bank of the River {river}, about {num} kilometres from the coast.|"
        "Visitors to {town} often walk along the {walkway} to see the {landmark}.|"
        "The {landmark} of {town} stands at the end of a long avenue lined with {trees}.|"
        "Most of the houses in the old town of {town} were built of {stone} in the {century} century.|"
        "A narrow lane leads from the {landmark} of {town} down to the {harbour}.|"
        "In {season}, the parks of {town} are full of people reading, walking and playing games.|"
        "The tram from the station to the centre of {town} takes about {num} minutes.|"
        "Many of the shops on the main street of {town} have been run by the same families for years."
    ),
    "daily": _s(
        "After {meal}, {name} walked to the {dest} to {task}.|"
        "On {day} mornings, {name} usually {routine} before going to work.|"
        "{name} and their {relative} spent the afternoon {pastime} in the {location}.|"
        "The bus was quiet, so {name} read a few chapters of a novel on the way to the {dest}.|"
        "In the evening, {name} cooked {dish_name} and called their {relative} to talk about the week.|"
        "{name} wrote a short list of things to buy: {grocery}, {grocery} and {grocery}.|"
        "When the rain stopped, {name} went for a long walk beside the {water}.|"
        "{name} missed the early train to {town}, so they waited on the platform with a cup of tea.|"
        "Before going to bed, {name} set out clothes for the next day and read for half an hour.|"
        "On {day} afternoon, {name} fixed a shelf in the hallway and then visited the {dest}.|"
        "At the weekend, {name} and their {relative} took the train to {town} and stayed until dark."
    ),
}
