//! The word lists the speaker rules read: verbs of saying, pronouns,
//! titles and roles, and the words that mark a place or a body. Closed
//! classes of words, in English, Spanish, German and French.

/// Verbs and phrases of saying (English, Spanish, German, French).
#[rustfmt::skip]
pub(super) const CUES: [&str; 75] = [
    "said", "says", "added", "adds", "told", "tells", "asked", "replied", "warned", "insisted", "explained",
    "wrote", "writes", "claimed", "argued", "recalled", "recalls", "admitted", "noted", "continued", "conceded",
    "stated", "declared", "laughed", "posted", "tweeted", "shouted", "urged", "acknowledged", "remembered",
    "according", "dijo", "afirmó", "explicó", "añadió", "aseguró", "señaló", "declaró", "comentó", "advirtió",
    "según", "dice", "cuenta", "explica", "asegura", "añade", "afirma", "señala", "relata", "insiste", "recuerda",
    "sagte", "sagt", "erklärte", "betonte", "meinte", "warnte", "déclaré", "dit", "explique", "ajoute", "estime",
    "affirme", "selon", "assuré", "assure", "résume", "indique", "souligne", "précise", "confie", "raconte",
    "poursuit", "regrette", "déclare",
];

/// Words that end a name's run: pronouns, articles, numbers in words,
/// and capitalised words at a sentence's start that are not names.
#[rustfmt::skip]
pub(super) const NOT_NAMES: [&str; 41] = [
    "i", "he", "she", "they", "we", "you", "it", "one", "another", "a", "an", "the", "in", "on", "at", "but",
    "and", "when", "after", "then", "my", "our", "his", "her", "their", "this", "that", "there", "er", "sie", "es",
    "wir", "il", "elle", "ils", "elles", "on", "ella", "él", "ellos", "by",
];

/// Pronouns a speaker is referred back to by.
#[rustfmt::skip]
pub(super) const PRONOUNS: [&str; 12] = [
    "he", "she", "they", "er", "sie", "il", "elle", "ella", "él", "ellos", "ils", "elles",
];

/// Titles and roles written before a name ("Judge Caroline Whitlock",
/// "Chief Executive Isabel Ferreira"): the speaker is the person, so a run
/// is cut after the last of them.
#[rustfmt::skip]
pub(super) const TITLES: [&str; 84] = [
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev", "judge",
    "inspector", "detective", "sergeant", "constable", "superintendent", "chief", "forecaster", "councillor",
    "cllr", "mayor", "minister", "president", "senator", "governor", "captain", "coach", "director",
    "commissioner", "officer", "executive", "chairman", "chairwoman", "chair", "spokesman", "spokeswoman",
    "spokesperson", "leader", "secretary", "manager", "head", "founder", "editor", "m", "mme", "mlle", "sr", "sra",
    "dra", "herr", "frau", "geschäftsführer", "geschäftsführerin", "vorsitzende", "vorsitzender", "stadtrat",
    "stadträtin", "sprecher", "sprecherin", "oberbürgermeister", "bürgermeister", "bürgermeisterin", "resident",
    "pensioner", "sheriff", "local", "mp", "msp", "mep", "deputy", "rep", "sen", "gov", "alderman", "alderwoman",
    "trustee", "crofter", "congressman", "congresswoman", "assemblyman", "assemblywoman",
];

/// Head words of the names of places and bodies, which a pronoun such as
/// "she" does not refer back to.
#[rustfmt::skip]
pub(super) const NOT_PEOPLE: [&str; 58] = [
    "council", "university", "road", "street", "ministry", "police", "markets", "bank", "group", "trust",
    "company", "association", "party", "court", "club", "school", "hospital", "agency", "authority", "co", "ltd",
    "inc", "port", "city", "county", "department", "office", "stadtwerke", "government", "service", "board",
    "union", "committee", "labs", "institute", "foundation", "commission", "coalition", "alliance", "network",
    "society", "federation", "campaign", "capital", "securities", "holdings", "news", "press", "water",
    "democrats", "republicans", "museum", "library", "line", "railway", "airport", "centre", "center",
];

/// Words after which a capitalised run is a place or a body, not a
/// speaker ("who lives in Ashby North", "the chair of Shires FA"). Not
/// "by": after it comes who did something ("found by Tobias Wren").
#[rustfmt::skip]
pub(super) const PREPOSITIONS: [&str; 15] = [
    "in", "at", "on", "from", "of", "for", "to", "near", "with", "into", "beim", "bei", "aus", "en", "à",
];

#[rustfmt::skip]
pub(super) const WEEKDAYS_MONTHS: [&str; 19] = [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "june", "july", "august", "september", "october", "november", "december", "yesterday",
];
