/*
 * wordlists.c
 *		The words the chat readers look for: the cues of a site visit or a
 *		callback, negations and bare affirmatives (intent.c), and the words
 *		of dates, time slots and names (contact_details.c).
 *
 * Every list is folded as words.c folds a message (lower case, no
 * apostrophes, no run of three of a letter) and ends with END_OF_LIST.
 * A list that one rule alone reads stays in that rule's function.
 */
#include "wordlists.h"

#include "words.h"

/* ---------------------------------------------------------------------
 * Site visit cues (intent.c); the places and media words also keep
 * them out of a name (contact_details.c).
 * ---------------------------------------------------------------------
 */
const char *const sched_visit_words[] = {
	"visit", "visits", "visiting", "revisit", "sitevisit", "visti", "vist",
	"vsit", "viist", "visiit", "vissit", "vizit", "visitt", END_OF_LIST
};

/* What makes a visit or tour not one where someone comes. */
const char *const sched_not_in_person[] = {
	"virtual", "video", "online", "digital", "e", "vr", "3d", "360",
	"last", "previous", "earlier", "prior", "recent", END_OF_LIST
};

/* Objects of "visit" that are not a place. */
const char *const sched_web_words[] = {
	"website", "web", "link", "page", "url", "app", "portal", "www", "blog",
	"channel", "instagram", "facebook", "youtube", "profile", END_OF_LIST
};

/* Places to see or come to. */
const char *const sched_property_words[] = {
	"flat", "property", "site", "apartment", "apt", "house", "home", "villa",
	"project", "unit", "place", "plot", "sample", "model", "show", "showflat",
	"1bhk", "2bhk", "3bhk", "4bhk", "5bhk", "bhk", "penthouse", "duplex",
	"tower", "building", "society", "clubhouse", "amenities", "construction",
	"premises", "ghar", "makaan", "makan", "office", "layout",
	END_OF_LIST
};

/* The same, in the plural: a search unless a determiner comes first. */
const char *const sched_property_plurals[] = {
	"flats", "properties", "apartments", "apts", "houses", "homes", "villas",
	"projects", "units", "plots", "towers", "buildings", "offices",
	END_OF_LIST
};

/* Things one sees on a screen, not on site. */
const char *const sched_media_words[] = {
	"photo", "photos", "pic", "pics", "picture", "pictures", "image",
	"images", "video", "videos", "plan", "plans", "brochure", "details",
	"price", "prices", "pricing", "cost", "rate", "rates", "availability",
	"documents", "document", "docs", "status", "map", "size", "area",
	"floor", "list", "options", "option", "reviews", "review", "location",
	"address", "approval", "approvals", "offers", "offer", "deal", "specs",
	"specifications", "website", "link", "number", "loan", END_OF_LIST
};

/* Determiners skipped before an object. */
const char *const sched_determiners[] = {
	"the", "a", "an", "your", "ur", "our", "this", "that", "these", "those",
	"some", "ua", "yr", END_OF_LIST
};

/* Words of a wish before "see". */
const char *const sched_wish_words[] = {
	"like", "love", "want", "wanted", "wish", "planning", "plan", "need",
	"able", "keen", "interested", "eager", "hoping", "hope", END_OF_LIST
};

const char *const sched_come_words[] = {
	"come", "coming", "go", "going", "reach", "reaching", "meet", "arrive",
	"bring", "visit", END_OF_LIST
};

const char *const sched_see_hindi[] = {
	"dekhna", "dekhne", "dekhni", "dekh", "dekhenge", "dekhunga", "dikhao",
	"dikha", "dikhana", "dikhado", "dikhaiye", END_OF_LIST
};

/* ---------------------------------------------------------------------
 * Callback cues (intent.c).
 * ---------------------------------------------------------------------
 */
const char *const sched_callback_words[] = {
	"callback", "callbacks", "callbak", "calback", "calbak", "callbk",
	"callbck", "callme", "calme", "callmeback", END_OF_LIST
};

/* Who is being called in "call you": the customer calls us. */
const char *const sched_you_words[] = {
	"you", "u", "ya", "your", "ur", "yu", "yourself", END_OF_LIST
};

/* A customer who says they will call. */
const char *const sched_self_subjects[] = {
	"i", "we", "ill", "well", "il", "iwill", "ive", "id", "lets", END_OF_LIST
};

const char *const sched_modal_words[] = {
	"will", "shall", "can", "could", "would", "may", "might", "should",
	"also", "then", "just", "definitely", "surely", "myself", "personally",
	END_OF_LIST
};

/* What follows the typo "cal" when it is a call. */
const char *const sched_cal_next[] = {
	"me", "us", "back", "bak", "bk", "karo", "kar", "kardo", "kijiye", "pls",
	"plz", "please", "tomorrow", "tmrw", "today", "now", "asap", "later",
	END_OF_LIST
};

/* What follows "phone" when it is a verb. */
const char *const sched_phone_verb_next[] = {
	"me", "us", "back", "karo", "kar", "kardo", "kijiye", "karna", "karein",
	"kare", "karen", "kro", "call", "pe", "par", "conversation",
	"discussion", END_OF_LIST
};

/* Channels: "on phone", "over the phone". */
const char *const sched_channel_words[] = {
	"on", "over", "by", "via", "thru", "through", END_OF_LIST
};

const char *const sched_me_us[] = {"me", "us", END_OF_LIST};

/* Whom a customer asks to talk to. */
const char *const sched_talk_to_whom[] = {
	"someone", "somebody", "anyone", "anybody", "agent", "agents",
	"executive", "exec", "person", "human", "rm", "manager", "sales",
	"team", "expert", "advisor", "adviser", "consultant", "representative",
	"rep", "salesperson", "relationship", "staff", "broker", END_OF_LIST
};

const char *const sched_baat_next[] = {
	"karni", "karna", "karo", "kar", "kijiye", "karwa", "karwao", "karein",
	"krni", "krna", "kro", "karenge", END_OF_LIST
};

/* ---------------------------------------------------------------------
 * Negation (intent.c); a break word also ends the reach of "not then"
 * before a date or slot (contact_details.c).
 * ---------------------------------------------------------------------
 */
/* Words that end a negation's reach. */
const char *const sched_break_words[] = {
	"but", "so", "because", "bcoz", "bcz", "coz", "cause", "since",
	"however", "please", "pls", "plz", "plss", "plzz", "kindly", "then",
	"rather", "instead", END_OF_LIST
};

/* Words a negation reaches over without counting them. */
const char *const sched_light_words[] = {
	"a", "an", "the", "to", "me", "us", "my", "your", "ur", "you", "u",
	"any", "of", "for", "in", "on", "at", "with", "this", "that", "it",
	"is", "am", "are", "be", "site", "just", "even", "really", "ever",
	"again", "i", "we", "do", "get", "or", "nor", END_OF_LIST
};

const char *const sched_plain_negators[] = {
	"dont", "donot", "dnt", "didnt", "doesnt", "cannot", "wont", "without",
	"neither", "nor", "cancel", "cancelled", "canceled", "cancelling",
	"nobody", END_OF_LIST
};

/* What "no" negates: "no need", "no calls", "no time". */
const char *const sched_no_next[] = {
	"need", "needs", "call", "calls", "calling", "callback", "visit",
	"visits", "visiting", "site", "tour", "phone", "more", "further",
	"time", "interest", "one", "point", "requirement", END_OF_LIST
};

/* What "not" does not negate. */
const char *const sched_not_exceptions_next[] = {
	"sure", "only", "just", END_OF_LIST
};

const char *const sched_post_negators[] = {
	"mat", "nahi", "nahin", "nai", "nhi", "nahii", "cancel", "cancelled",
	"canceled", END_OF_LIST
};

const char *const sched_not_needed[] = {
	"required", "needed", "necessary", "possible", "feasible", "reqd",
	"req", "interested", END_OF_LIST
};

/* ---------------------------------------------------------------------
 * Bare affirmatives (intent.c).
 * ---------------------------------------------------------------------
 */
/* Bare affirmatives, and the words that may go with them. */
const char *const sched_affirm_core[] = {
	"yes", "yess", "yeah", "yea", "yeh", "yah", "ya", "yep", "yup", "sure",
	"surely", "ok", "okay", "okk", "okey", "okie", "k", "kk", "alright",
	"allright", "haan", "han", "haa", "ha", "hanji", "haanji", "ji",
	"absolutely", "definitely", "certainly", "done", "great", "perfect",
	"cool", "interested", "thumbsup", "fine", "good", "bilkul", "theek",
	"thik", "chalo", "yes", END_OF_LIST
};

const char *const sched_affirm_filler[] = {
	"please", "pls", "plz", "plss", "plzz", "plez", "pl", "go", "do", "it",
	"that", "thats", "this", "sir", "mam", "maam", "madam", "bro", "boss",
	"dear", "thanks", "thank", "thankyou", "thx", "ty", "you", "u",
	"sounds", "lets", "let", "us", "me", "book", "of", "i", "im", "am",
	"we", "are", "would", "like", "love", "to", "be", "nice", "works",
	"work", "now", "today", "tomorrow", "tmrw", "morning", "afternoon",
	"evening", "weekend", "the", "hai", "ho", "kar", "karo", "very", "much",
	"so", "really", "na", "ahead", "sunday", "monday", "tuesday",
	"wednesday", "thursday", "friday", "saturday", "id", "will", "a",
	"then", END_OF_LIST
};

/* ---------------------------------------------------------------------
 * Dates and slots (contact_details.c).
 * ---------------------------------------------------------------------
 */
const char *const sched_weekday_names[7][3] = {
	{"sunday", "sun", NULL},
	{"monday", "mon", NULL},
	{"tuesday", "tue", "tues"},
	{"wednesday", "wed", NULL},
	{"thursday", "thu", "thurs"},
	{"friday", "fri", NULL},
	{"saturday", "sat", NULL},
};

const char *const sched_month_names[12][3] = {
	{"january", "jan", NULL},
	{"february", "feb", NULL},
	{"march", "mar", NULL},
	{"april", "apr", NULL},
	{"may", NULL, NULL},
	{"june", "jun", NULL},
	{"july", "jul", NULL},
	{"august", "aug", NULL},
	{"september", "sep", "sept"},
	{"october", "oct", NULL},
	{"november", "nov", NULL},
	{"december", "dec", NULL},
};

const char *const sched_tomorrow_words[] = {
	"tomorrow", "tomorow", "tommorow", "tommorrow", "tmrw", "tmr", "tmrow",
	"tomm", "tmorrow", "2morrow", "2mrw", END_OF_LIST
};

/* Words after an ordinal that make it an address, not a date. */
const char *const sched_address_words[] = {
	"floor", "flr", "cross", "main", "block", "stage", "phase", "sector",
	"street", "road", "rd", "avenue", "lane", "tower", "wing", "storey",
	"story", "level", "layout", "house", "apartment", "flat", "time",
	"attempt", "visit", END_OF_LIST
};

/* Words before a date or slot that mean "not then". */
const char *const sched_not_then[] = {
	"not", "except", "cant", "cannot", "busy", "unavailable", "excluding",
	END_OF_LIST
};

/* ---------------------------------------------------------------------
 * Names (contact_details.c).
 * ---------------------------------------------------------------------
 */
/* Words a name cannot hold (lower case). */
const char *const sched_name_stop[] = {
	"a", "an", "the", "and", "or", "but", "i", "im", "me", "my", "mine", "we",
	"you", "your", "ur", "is", "am", "are", "was", "were", "be", "been",
	"will", "would", "shall", "can", "could", "may", "might", "should",
	"want", "wanted", "wanna", "need", "like", "looking", "interested",
	"planning", "searching", "calling", "writing", "from", "here", "there",
	"at", "on", "in", "for", "to", "of", "by", "with", "this", "that",
	"next", "coming", "free", "available", "busy", "ok", "okay", "fine",
	"good", "great", "sure", "yes", "no", "not", "please", "pls", "plz",
	"kindly", "thanks", "thank", "phone", "mobile", "mob", "number", "num",
	"ph", "tel", "telephone", "contact", "cell", "whatsapp", "email",
	"mail", "emailid", "id", "call", "callback", "visit", "site", "today",
	"tomorrow", "tmrw", "morning", "afternoon", "evening", "noon", "night",
	"pm", "also", "just", "very", "so", "too", "still", "currently", "new",
	"back", "again", "sir", "madam", "mam", "maam", "ji", "hi", "hello",
	"hey", "bro", "happy", "glad", "sorry", "it", "its", "they", "he",
	"she", "his", "her", "our", "their", "what", "when", "where", "who",
	"how", "why", "if", "then", "after", "before", "around", "about",
	"between", "as", "do", "does", "did", "have", "has", "had", "get", "got",
	"send", "share", "give", "reach", "speak", "talk", "willing", "ready",
	"done", "home", "office", "work", "working", "staying", "living",
	"based", "moving", "relocating", "buying", "purchasing", "booking",
	"book", "owner", "client", "customer", "buyer", "investor", "nri",
	"retired", "married", "only", "all", "both", "waiting", "asking",
	"inquiring", "enquiring", "enquiry", "inquiry", "regarding", "re",
	"well", "unable", "able", "confirm", "confirming", "confirmed", "flat",
	"property", "apartment", "house", "villa", "plot", "bhk", "new",
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "january", "february", "march", "april", "june", "july",
	"august", "september", "october", "november", "december", "weekend",
	"week", "month", "currently", "actually", "really", "also", "myself",
	"name", "names", "full", "sir", "mr", "mrs", "ms", "dr", "shri", "smt",
	"sri", "prof", "interested", "intrested", "thinking", "keen", "eager",
	"here", "tmr", "abhi", "kal", "aaj", "hoon", "hu", "hun", "hai",
	END_OF_LIST
};

/* Titles that may start a name, with their dot ("Dr. Mehta"). */
const char *const sched_titles[] = {
	"mr", "mrs", "ms", "dr", "shri", "smt", "sri", "prof", END_OF_LIST
};

const char *const sched_greetings[] = {
	"hi", "hello", "hey", "hii", "helo", "dear", "namaste", "namaskar",
	"hlo", "hiii", END_OF_LIST
};
