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
	"vsit", "viist", "visiit", "vissit", "vizit", "visitt", "vst", "viset",
	"vzit", "visitin",
	"विजिट", "विसिट", END_OF_LIST
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
	"फ्लैट", "फ्लेट", "प्रोजेक्ट", "साइट", "घर", "मकान", "प्रॉपर्टी",
	"प्रोपर्टी", "अपार्टमेंट", "प्लॉट", "प्लाट", "विला", "ऑफिस", "सैंपल",
	"सेंपल", "फ्लैट्स", "प्रोजेक्ट्स",
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
	"some", "ua", "yr", "d", "da", "teh", "ye", "yeh", "woh", "wo", "ek",
	"आपका", "आपकी", "आपके", "ये", "यह", "वो", "वह", "एक",
	END_OF_LIST
};

/* Words of a wish before "see". */
const char *const sched_wish_words[] = {
	"like", "love", "want", "wanted", "wish", "planning", "plan", "need",
	"able", "keen", "interested", "eager", "hoping", "hope", "wnt", "wana",
	"wnna", "luv", "lyk", "lik", END_OF_LIST
};

const char *const sched_come_words[] = {
	"come", "coming", "go", "going", "reach", "reaching", "meet", "arrive",
	"bring", "visit", END_OF_LIST
};

const char *const sched_see_hindi[] = {
	"dekhna", "dekhne", "dekhni", "dekh", "dekhenge", "dekhunga", "dikhao",
	"dikha", "dikhana", "dikhado", "dikhaiye", "dekhana", "dekhlo",
	"dekhungi", "dikhaoge", "dikhayenge", "dikhaenge", "dikhwa", "dikhwao",
	"dikhayiye",
	"देखना", "देखने", "देखनी", "देख", "देखेंगे", "देखूंगा", "देखूंगी",
	"दिखाओ", "दिखा", "दिखाना", "दिखाइए", "दिखाइये", "दिखाएंगे", "दिखाएं",
	END_OF_LIST
};

/* The customer will come (Hindi): "main kal aaunga", "हम आएंगे". */
const char *const sched_hindi_come[] = {
	"aaunga", "aaungi", "aaoonga", "aaoongi", "aunga", "aungi", "aaonga",
	"aayenge", "aaenge", "ayenge", "aayengi", "aaengi", "aayega", "aaega",
	"आऊंगा", "आऊंगी", "आउंगा", "आउंगी", "आएंगे", "आयेंगे", "आएंगी",
	"आयेंगी", "आएगा", "आयेगा", END_OF_LIST
};

/* What makes "aa" (come) the customer coming: "aa sakta hoon", "aa jaunga". */
const char *const sched_hindi_come_after[] = {
	"sakta", "sakte", "sakti", "skta", "skte", "skti", "jaunga", "jaungi",
	"jayenge", "jaenge", "jaayenge", "jau", "jaaun", "jaye",
	"jaaye", "jaen",
	"सकता", "सकते", "सकती", "जाऊंगा", "जाऊंगी", "जाएंगे", "जायेंगे", "जाऊं",
	END_OF_LIST
};

/* ---------------------------------------------------------------------
 * Callback cues (intent.c).
 * ---------------------------------------------------------------------
 */
const char *const sched_callback_words[] = {
	"callback", "callbacks", "callbak", "calback", "calbak", "callbk",
	"callbck", "callme", "calme", "callmeback", "clbk", "cllbk",
	"कॉलबैक", END_OF_LIST
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
	"bck", "kr", "kro", "krdo", "kariye", "dena", "karna", "2mrw",
	"2day", "tmr", "soon", END_OF_LIST
};

/* What follows "phone" when it is a verb. */
const char *const sched_phone_verb_next[] = {
	"me", "us", "back", "karo", "kar", "kardo", "kijiye", "karna", "karein",
	"kare", "karen", "kro", "call", "pe", "par", "conversation",
	"discussion", "kr", "krna", "krdo", "dena", "kariye", "karlo",
	"kijie",
	"करें", "करो", "कीजिए", "कीजिये", "करना", "करिए", "करिये", "कर", "करे",
	"करेंगे", END_OF_LIST
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
	"krni", "krna", "kro", "karenge", "kare", "karen", "karwado", "karvao",
	"karva", "krwa", "krwao", "kara", "karao", "karado",
	"करनी", "करना", "करो", "कर", "कीजिए", "करें", "करवा", "करवाओ", "कराओ",
	"करवाइए", "करे", END_OF_LIST
};

/* "call" in Devanagari. */
const char *const sched_call_devanagari[] = {
	"कॉल", "कोल", "काल", END_OF_LIST
};

/* What a call is not a callback for: a lift, a guard, a cab. */
const char *const sched_call_things[] = {
	"lift", "lifts", "elevator", "elevators", "security", "guard", "guards",
	"watchman", "maintenance", "reception", "intercom", "ambulance",
	"police", "cab", "cabs", "taxi", "uber", "ola", "auto", "plumber",
	"electrician", "housekeeping", "concierge", "helpline", "fire",
	"rate", "rates", "charges", "quality", "drop", "drops", "log", "logs",
	"recording", "recordings", "history", "waiting", "button", "bell",
	"लिफ्ट", END_OF_LIST
};

/* Words before "call" that make it a decision or a past call. */
const char *const sched_call_noun_before[] = {
	"tough", "good", "final", "close", "judgement",
	"judgment", "wake", "wakeup", "last", "earlier", "previous", "prior",
	"conference", "bad", "right", "wrong", "big", "spam", "fake", "roll",
	END_OF_LIST
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
	"nobody", "nahi", "nahin", "nhi", "nai", "nahii", "mat", "shouldnt", "wouldnt", "couldnt", "isnt", "arent", "havent", "hasnt",
	"नहीं", "नही", "मत", "न", END_OF_LIST
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
	"canceled", "नहीं", "नही", "मत", "न", "कैंसल", END_OF_LIST
};

/*
 * Past tense: verbs that, before a cue in its clause, make it something
 * that happened ("we came for a visit in March", "I had a call with
 * Priya"), and the words that, in between, make it a wish again ("we came
 * last week and want to visit again").
 */
const char *const sched_past_verbs[] = {
	"came", "went", "visited", "did", "had", "attended", "completed",
	"took", "saw", "made", "got", "received", "enjoyed", "liked", "loved",
	"was", "were", "seen", "been", "done", "gone", "finished", "ive",
	"called", "phoned", "rang", "spoke", "talked", "met", "messaged",
	"stayed", "toured", "checked",
	"maine", "humne", "hamne", "मैंने", "हमने",
	END_OF_LIST
};

const char *const sched_past_stoppers[] = {
	"want", "wanna", "wnt", "wana", "like", "love", "need", "can", "could",
	"will", "would", "shall", "may", "might", "plan", "planning", "hoping",
	"hope", "again", "another", "next", "please", "pls", "plz", "let",
	"lets", "wish", "now", "today", "tomorrow", "kindly", "and", "but",
	"also", "one", "more", "wondering", "wanting", "cn", "cud", "wud",
	"should", "thinking", "think", "thought", "prefer", "preferred",
	"preferably", "free", "available", "ok", "okay", "fine", "good",
	"works", "suits", "convenient", "possible", "chahte", "chahta", "chahti", "phir", "dobara", "fir", "dubara",
	"चाहते", "चाहता", "चाहती", "फिर", "दोबारा", END_OF_LIST
};

/*
 * Words after a cue or a day (within three) that put it in the past:
 * "site visit done", "kal aaye the", "visit kiya tha", "yesterday".
 */
const char *const sched_past_after[] = {
	"yesterday", "ago", "already", "happened", "completed",
	"kiya", "kia", "kiye", "kie", "aaye", "aaya", "aayi", "aye", "aya",
	"ayi", "aae", "aai", "gaye", "gaya", "gayi", "gye", "gya", "gyi", "dekha",
	"dekhi", "hua", "hui", "huyi", "huwa", "mila", "mile", "mili", "liya",
	"diya", "pichle", "pichhle", "pichla",
	"किया", "किए", "किये", "आए", "आये", "आया", "आई", "गए", "गये", "गया",
	"गई", "देखा", "देखी", "हुआ", "हुई", "मिला", "मिले", "पिछले", END_OF_LIST
};

const char *const sched_not_needed[] = {
	"required", "needed", "necessary", "possible", "feasible", "reqd",
	"req", "interested", END_OF_LIST
};

/* "chahiye" (wanted) and its negations in the words after a cue. */
const char *const sched_hindi_want[] = {
	"chahiye", "chahie", "chaiye", "chahye", "चाहिए", "चाहिये", END_OF_LIST
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
	"thik", "chalo", "yes", "acha", "accha", "achha", "acchha", "zaroor",
	"zarur", "jaroor", "jarur", "hnji", "hn", "hmm",
	"हां", "जी", "हांजी", "ठीक", "बिल्कुल", "बिलकुल", "जरूर", "अच्छा",
	"ओके", END_OF_LIST
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
	"then", "kal", "parso", "aaj", "subah", "shaam", "sham", "dopahar",
	"ko", "kr", "kro", "dijiye", "kijiye", "bhai", "bhaiya", "ji",
	"h", "sahi", "badhiya", "chalega", "chalenge", "done", "fix",
	"है", "कल", "परसों", "आज", "सुबह", "शाम", "दोपहर", "को", "करो", "कर",
	"दो", "दीजिए", "कीजिए", "सर", "चलेगा", "जी", END_OF_LIST
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

/*
 * The days in Hindi, in Latin script and Devanagari (0 Sunday), read as
 * the full English names are.
 */
const char *const sched_weekday_hindi[7][8] = {
	{"ravivar", "raviwar", "itwar", "itvaar", "itwaar", "रविवार", "इतवार", NULL},
	{"somvar", "somwar", "somvaar", "somwaar", "सोमवार", NULL},
	{"mangalvar", "mangalwar", "mangalvaar", "mangalwaar", "मंगलवार", NULL},
	{"budhvar", "budhwar", "budhvaar", "budhwaar", "बुधवार", NULL},
	{"guruvar", "guruwar", "brihaspativar", "veervar", "गुरुवार", "वीरवार", "बृहस्पतिवार", NULL},
	{"shukravar", "shukrawar", "shukarvar", "shukarwar", "शुक्रवार", NULL},
	{"shanivar", "shaniwar", "shanivaar", "shaniwaar", "शनिवार", NULL},
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
	"tomm", "tmorrow", "2morrow", "2mrw", "2moro", "2morow", "2mro", "tmw",
	"tomoro", "tomorro", "tmrrw", "tomorw", "tommorw", "2mrow", "tmro",
	END_OF_LIST
};

/*
 * Hindi "kal" (tomorrow, or yesterday in the past tense) and "parso" (the
 * day after tomorrow, or before yesterday), and "aaj" (today).
 */
const char *const sched_kal_words[] = {"kal", "kl", "कल", END_OF_LIST};
const char *const sched_parso_words[] = {
	"parso", "parson", "parsoo", "parsu", "परसों", "परसो", END_OF_LIST
};
const char *const sched_today_words[] = {
	"today", "tday", "2day", "aaj", "आज", END_OF_LIST
};

/* Words before a day that put it in the past ("last Sunday"). */
const char *const sched_last_words[] = {
	"last", "past", "previous", "pichle", "pichhle", "pichla", "पिछले",
	"पिछला", END_OF_LIST
};

/* Words before a day that mean the next calendar week's ("agle somvar"). */
const char *const sched_next_words[] = {
	"next", "nxt", "agle", "agla", "agli", "अगले", "अगला", "अगली",
	END_OF_LIST
};

/* The slots in words, English, shorthand and Hindi (0 morning ...). */
const char *const sched_slot_words[3][24] = {
	{"morning", "mornings", "mrng", "morng", "mornin", "mrning", "morn",
		"forenoon", "subah", "subha", "suba", "subeh", "savere", "savera",
		"सुबह", "सवेरे", NULL},
	{"afternoon", "afternoons", "aftrnoon", "aftn", "aftnoon", "afternun",
		"afternon", "noon", "midday", "lunchtime", "dopahar", "dopehar",
		"dophar", "dupahar", "dopaher", "dupehar", "dopahr", "दोपहर", NULL},
	{"evening", "evenings", "evng", "evning", "evenin", "eveng", "evnng",
		"shaam", "sham", "shyaam", "shaamko", "शाम", NULL},
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
	"nahi", "nahin", "nhi", "nai", "नहीं", "नही", END_OF_LIST
};

/* Words after a date or slot that mean "not then" ("Sunday nahi"). */
const char *const sched_not_then_after[] = {
	"nahi", "nahin", "nhi", "nai", "not", "mat", "नहीं", "नही",
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
	"mera", "meri", "mere", "naam", "nam", "main", "mai", "mein", "bol",
	"raha", "rahi", "rha", "rhi", "ka", "ke", "ko", "se", "pe", "par",
	"aur", "parso", "subah", "shaam", "dopahar", "baje", "bhai",
	"haan", "nahi", "yahan", "wahan", "hoo", "h",
	"sakta", "sakti", "sakte",
	"aana", "aaunga", "aaungi", "karna", "karo", "kar", "chahiye",
	"cl", "cll", "bk", "bak", "2mrw", "evng",
	"mrng",
	"मेरा", "मेरी", "मेरे", "नाम", "है", "हूं", "हु", "हैं", "मैं", "में",
	"बोल", "रहा", "रही", "का", "की", "के", "को", "से", "पर", "पे", "और",
	"जी", "मुझे", "आप", "हम", "कॉल", "फोन", "करें", "करो", "कीजिए", "करना",
	"चाहिए", "नंबर", "मोबाइल", "कल", "आज", "परसों", "सुबह", "शाम", "दोपहर",
	"कृपया", "प्लीज", "नमस्ते", "नमस्कार", "था", "थी", "हां", "नहीं",
	"आऊंगा", "आऊंगी", "आएंगे", "आना", "देखना", "देखने", "चाहता", "चाहती",
	"चाहते", "सकता", "सकती", "सकते", "बजे", "समय", "टाइम", "फ्री",
	"मैने", "मैंने", "हमें", "यह", "ये", "वो", "एक", "तो", "भी", "अभी",
	"सर", "भाई", "साइट", "विजिट", "फ्लैट",
	END_OF_LIST
};

/* Hindi "my" before "naam", "I" before a name, and "am" after it. */
const char *const sched_my_hindi[] = {
	"mera", "meraa", "mere", "apna", "my", "मेरा", "मेरे", END_OF_LIST
};
const char *const sched_i_hindi[] = {
	"main", "mai", "mein", "me", "mei", "मैं", "मै", END_OF_LIST
};
const char *const sched_am_hindi[] = {
	"hoon", "hu", "hun", "hoo", "हूं", "हु", END_OF_LIST
};

/* "bol raha hoon" (this is X speaking). */
const char *const sched_speaking_words[] = {
	"bol", "bool", "बोल", END_OF_LIST
};
const char *const sched_speaking_next[] = {
	"raha", "rahi", "rha", "rhi", "rahe", "रहा", "रही", "रहे", END_OF_LIST
};

/* Titles that may start a name, with their dot ("Dr. Mehta"). */
const char *const sched_titles[] = {
	"mr", "mrs", "ms", "dr", "shri", "smt", "sri", "prof", END_OF_LIST
};

const char *const sched_greetings[] = {
	"hi", "hello", "hey", "hii", "helo", "dear", "namaste", "namaskar",
	"hlo", "hiii", "नमस्ते", "नमस्कार", "हेलो", "हाय", END_OF_LIST
};
