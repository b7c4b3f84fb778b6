//! The word lists of `random_pet`, shaped like Terraform's (petname): a name is an animal, after
//! an adjective for two words, after adverbs for more. The lists are Plinth's own, shorter ones.

use crate::support::Source;

const ADVERBS: &[&str] = &[
    "ably",
    "actively",
    "amazingly",
    "boldly",
    "bravely",
    "brightly",
    "briskly",
    "calmly",
    "carefully",
    "cheaply",
    "cleanly",
    "clearly",
    "closely",
    "correctly",
    "curiously",
    "daily",
    "deeply",
    "deftly",
    "eagerly",
    "early",
    "easily",
    "evenly",
    "exactly",
    "fairly",
    "finally",
    "firmly",
    "freely",
    "fully",
    "gently",
    "gladly",
    "greatly",
    "happily",
    "highly",
    "honestly",
    "humbly",
    "ideally",
    "jointly",
    "kindly",
    "largely",
    "lightly",
    "likely",
    "lively",
    "loyally",
    "mainly",
    "merely",
    "mildly",
    "mostly",
    "neatly",
    "nicely",
    "notably",
    "openly",
    "politely",
    "presently",
    "promptly",
    "properly",
    "quickly",
    "quietly",
    "rapidly",
    "rarely",
    "readily",
    "really",
    "safely",
    "sharply",
    "simply",
    "slowly",
    "smoothly",
    "solely",
    "steadily",
    "strongly",
    "suddenly",
    "surely",
    "sweetly",
    "swiftly",
    "tightly",
    "truly",
    "usefully",
    "vastly",
    "warmly",
    "wholly",
    "wisely",
];

const ADJECTIVES: &[&str] = &[
    "able", "active", "adapted", "amused", "apt", "awake", "balanced", "big", "bold", "brave", "bright", "busy",
    "calm", "capable", "careful", "charmed", "cheerful", "civil", "clean", "clever", "cool", "correct", "cosmic",
    "crisp", "curious", "daring", "decent", "deep", "direct", "eager", "easy", "electric", "enough", "epic", "exact",
    "fair", "famous", "fancy", "fast", "fine", "firm", "fit", "fleet", "fluent", "free", "fresh", "friendly", "funny",
    "gentle", "giving", "glad", "golden", "good", "grand", "happy", "hardy", "helpful", "heroic", "honest", "humble",
    "ideal", "immune", "innocent", "joint", "keen", "key", "kind", "large", "legal", "light", "literate", "lively",
    "loved", "loyal", "lucky", "magical", "main", "master", "merry", "mighty", "modern", "moral", "natural", "neat",
    "new", "nice", "noble", "normal", "open", "optimal", "patient", "perfect", "pleasant", "polite", "precious",
    "present", "pretty", "prime", "proper", "proud", "quick", "quiet", "rapid", "rare", "ready", "real", "renewed",
    "rich", "robust", "safe", "secure", "sharp", "shining", "simple", "smart", "smooth", "solid", "sound", "special",
    "stable", "steady", "strong", "sunny", "super", "sure", "sweet", "swift", "tender", "thankful", "tidy", "tight",
    "topical", "true", "trusty", "up", "useful", "valid", "vast", "vital", "warm", "well", "whole", "wise", "witty",
    "worthy", "young", "zesty",
];

const NAMES: &[&str] = &[
    "alpaca", "ant", "ape", "badger", "bass", "bat", "bear", "beaver", "bee", "beetle", "bird", "bison", "boar",
    "bobcat", "buck", "buffalo", "bull", "camel", "cat", "cheetah", "chicken", "cicada", "clam", "cobra", "cod",
    "colt", "condor", "coral", "cougar", "cow", "coyote", "crab", "crane", "cricket", "crow", "deer", "dingo", "dodo",
    "dog", "dolphin", "dove", "dragon", "duck", "eagle", "eel", "elk", "emu", "falcon", "ferret", "finch", "fish",
    "flamingo", "fly", "fox", "frog", "gannet", "gazelle", "gecko", "gibbon", "giraffe", "gnu", "goat", "goose",
    "gopher", "gorilla", "grouse", "gull", "hare", "hawk", "hen", "heron", "hippo", "horse", "hound", "husky", "ibex",
    "iguana", "impala", "jackal", "jaguar", "jay", "kid", "kingfish", "kite", "kiwi", "koala", "krill", "lamb", "lark",
    "lemur", "leopard", "lion", "lizard", "llama", "lobster", "locust", "lynx", "macaw", "mackerel", "mako", "mammoth",
    "manatee", "mantis", "marlin", "marmot", "mink", "mole", "mongoose", "monkey", "moose", "moth", "mouse", "mule",
    "newt", "nutria", "ocelot", "octopus", "orca", "oriole", "osprey", "ostrich", "otter", "owl", "ox", "oyster",
    "panda", "panther", "parrot", "peacock", "pelican", "penguin", "pheasant", "pig", "pigeon", "pika", "polliwog",
    "pony", "poodle", "porpoise", "possum", "puma", "python", "quail", "rabbit", "raccoon", "ram", "raven", "redbird",
    "reindeer", "rhino", "robin", "salmon", "seal", "shark", "sheep", "shrew", "shrimp", "skink", "skunk", "sloth",
    "snail", "snake", "snipe", "sparrow", "squid", "stag", "starfish", "stork", "swan", "swift", "tahr", "tapir",
    "termite", "tern", "tetra", "tiger", "toad", "tomcat", "toucan", "trout", "tuna", "turkey", "turtle", "urchin",
    "viper", "vulture", "walrus", "wasp", "weasel", "whale", "wildcat", "wolf", "wombat", "worm", "wren", "yak",
    "zebra",
];

fn one(list: &[&'static str], rng: &mut Source) -> String {
    list[rng.below(list.len() as u64) as usize].to_string()
}

/// `length` words (at least one): adverbs, then an adjective, then an animal.
pub(crate) fn pet(length: usize, rng: &mut Source) -> Vec<String> {
    let mut words = Vec::with_capacity(length);
    for _ in 2..length {
        words.push(one(ADVERBS, rng));
    }
    if length >= 2 {
        words.push(one(ADJECTIVES, rng));
    }
    words.push(one(NAMES, rng));
    words
}
