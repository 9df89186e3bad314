/*
 * chat.c
 *		Reading a customer's chat messages: the intent of a message
 *		(site visit, callback or nothing), the prompt that collects the
 *		details, and the contact details a free-text reply gives.
 *
 * Pure C, no PostgreSQL headers (see rules.h and chat.h).  Every function
 * reads at most len bytes of its input, never past it, needs no
 * terminating NUL, allocates nothing and runs in time linear in len:
 * test/unit/fuzz_chat.c feeds them arbitrary bytes.
 *
 * Words
 * -----
 * Both readers work on words: runs of ASCII letters and digits, plus the
 * letters of other scripts when they are valid UTF-8 (Latin-1 and Latin
 * Extended, Greek, Cyrillic, Arabic and the Indic scripts).  An apostrophe
 * (' ` or U+2019) between two letters is dropped, so "don't", "don’t" and
 * "dont" are the same word, as are "I'm" and "im".  Matching ignores ASCII
 * case and squeezes a run of three or more of the same letter to two
 * ("pleeease" is "pleease", "calll" is "call", "yesss" is "yess").  Any
 * other byte (invalid UTF-8 and NUL included) separates words; . , ; : ! ?
 * ( ) [ ] { } " | and line breaks also end a clause, which stops a
 * negation ("don't visit, call me").  A thumbs-up emoji is a word of its
 * own, an affirmative.
 *
 * The words are read once, left to right, through a ring of RING_SIZE
 * words; every rule looks at most LOOK_BACK words behind and LOOK_AHEAD
 * ahead of the word it is at, so memory is fixed and time is linear.
 *
 * Intents (sched_detect_intent)
 * -----------------------------
 * site_visit cues, matched as whole words:
 *   - visit and its forms and typos: visit, visits, visiting, revisit,
 *     sitevisit, visti, vist, vsit, viist, visiit, vissit, vizit, visitt.
 *     Not "visitor", "visited" or "visitation" (other words), not a past
 *     or virtual visit ("my last visit", "virtual site visit", "the visit
 *     was good"), not a website ("visit our website", "visit the link")
 *     and not a "visiting card" (Indian English for a business card).
 *   - tour, tours, touring, tuor; not a "virtual/video/online/3D/360
 *     tour" (no one has to come), not "on tour" / "on a tour" (Indian
 *     English for travelling), not "the tour was great".  A
 *     "walkthrough" likewise.
 *   - see / seeing with something to see: a property word ("see the
 *     flat", "see the site", "see a 2bhk"; a plural one only after a
 *     determiner: "see the flats", not "see flats in Whitefield", which is
 *     a search), unless a media word follows it ("see the flat photos");
 *     or, ending its clause, after a property word ("a sample flat I can
 *     see?"); or after come / go ("come and see", "come to see"); or
 *     after a wish ("I'd like to see", "want to see", "can I see") with a
 *     capitalised name as the object ("I'd like to see Brigade
 *     Citrine").  "I see", "let me see", "see you", "seems", "oversee"
 *     and "see the price" are not cues.  Hindi "flat dekhna hai", "site
 *     dekhne aana", "aake dekhna" likewise.
 *   - view / check (out) / inspect / look at / show (me) a property after
 *     a determiner ("view the apartment", "check out the property", "have
 *     a look at the villa", "show me the flat"; not "show me flats under
 *     1 crore"); "viewing" as a noun ("book a viewing").
 *   - site, when one comes, goes, reaches, meets or is taken there ("come
 *     to the site", "meet at site", "take me to site"), or with "site
 *     inspection", "site pe aana".  "website" is another word.
 *   - coming to a property ("come to your office", "reach the project"),
 *     "come over", "drop by", "drop in at", "stop by", "swing by", "pop
 *     in", "show me around", "in person", "physically".
 *   - the customer coming: "I will come on Sunday", "we are coming
 *     tomorrow", "want to come", "can come at 11" (not "come back", "come
 *     from", "visitors coming", "possession will come").
 * callback cues:
 *   - callback and its spellings: callback, callbacks, callbak, calback,
 *     calbak, callbk, callbck, callme; call / calling, except "so called",
 *     "call you" / "call your office" and "I'll call" / "we will call"
 *     (the customer calling us: no callback needed), "call it a day",
 *     "call centre", "keep calling" (a complaint) and "tried calling";
 *     "called" and "calls" are other words.
 *   - the typo "cal" before me / us / back / karo / please / tomorrow /
 *     now / later, or after "a".
 *   - phone (fone, phn) as a verb ("phone me", "phone karo", "phone pe")
 *     or a channel ("on phone", "over the phone", "by phone"); a phone
 *     number given as data ("my phone number is ...", "phone:
 *     98765...") is not a request.
 *   - ring me / ring back / "give me a ring" (but "Outer Ring Road" is
 *     not), contact me, reach me / reach out to me, "get in touch" (not
 *     "in touch with you"), talk / speak to someone, an agent, an
 *     executive, a person, the RM, the sales team ...; Hindi "baat karni
 *     hai".
 * Negation: a cue does not count when, in the same clause, one of don't,
 * do not, didn't, doesn't, never (not "never mind"), can't / cannot (not
 * "can't wait"), won't, not (not "not sure", "not only", "not just", "why
 * not", "if not", "or not"), without, cancel, stop (not "stop by", "bus
 * stop"), "instead of", "rather than", or "no" before need, call, visit,
 * site, tour, phone, more, further, time, interest, one or point stands
 * before it with at most two other content words in between (articles,
 * pronouns and "site" do not count: "not interested in a site visit" is
 * negated, "don't have time now call me" is not); or when, in the three
 * words after it, "mat", "nahi" / "nahin", "cancel", or "not required /
 * needed / necessary / possible / feasible" follows ("call mat karo",
 * "site visit cancel kar do", "site visit not required").  "but", "so", "because", "please", "kindly", "then" and
 * punctuation end a negation's reach ("dont visit, call me" is a
 * callback).
 * Both: when a message holds a site_visit cue and a callback cue, both
 * not negated, it is a site_visit: a visit is the larger commitment, and
 * its booking has the Relationship Manager call the customer to confirm
 * anyway ("call me to fix a site visit" is a site_visit; "don't visit,
 * call me" is a callback).
 * Nudge: with no cue, a message of at most 12 words that holds an
 * affirmative (yes, yeah, yep, sure, ok, okay, alright, fine, haan, ha,
 * ji, hanji, absolutely, definitely, "of course", "why not", "go ahead",
 * great, perfect, done, interested, a thumbs-up ...) and otherwise only
 * fillers (please, pls, sir, thanks, go, do it, that works, I am, would
 * love to, a day or slot word such as "tomorrow morning") accepts
 * last_nudge; "yes but later", "ok 9876543210" or "no" do not.
 * Known limits: the rules read words, not grammar, so a third party's
 * visit ("is the seller visiting India?") still counts, a request made
 * without any cue word ("pls share your number, I want details") does
 * not, and a negation more than two content words before its cue without
 * punctuation in between ("don't have any time right now call me") is not
 * seen.  test/unit/chat_intents.tsv lists what the rules answer.
 *
 * Contact details (sched_parse_contact_details)
 * ---------------------------------------------
 * Each key takes the first match, left to right; see the functions below
 * for what each reads: TryName and LeadingName (name), DateAt (date),
 * TrySlot and ClockTime (slot), FindPhone (phone), FindEmail (email).
 * test/unit/chat_contacts.tsv lists examples.
 */
#include "chat.h"

#include <string.h>

#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_UPPER(c)	((c) >= 'A' && (c) <= 'Z')
#define IS_LOWER(c)	((c) >= 'a' && (c) <= 'z')
#define IS_ALPHA(c)	(IS_UPPER(c) || IS_LOWER(c))
#define IS_ALNUM(c)	(IS_ALPHA(c) || IS_DIGIT(c))

/* Longest folded word kept; a longer word matches nothing. */
#define WORD_MAX	24

/*
 * The ring of words, and how far a rule may look either way of the word
 * it is at (the rules below stay within 10 back and 8 ahead).
 */
#define RING_SIZE	32
#define LOOK_BACK	12
#define LOOK_AHEAD	12

/* Compile-time check: the window fits in the ring. */
typedef char RingHoldsWindow[(LOOK_BACK + LOOK_AHEAD + 1 <= RING_SIZE) ? 1 : -1];

/* Longest message, in words, that can still be a bare affirmative. */
#define AFFIRM_MAX_WORDS 12

/* Phone runs: digit groups and digits looked at. */
#define PHONE_MAX_GROUPS 12
#define PHONE_GROUP_DIGITS 15
#define PHONE_MAX_DIGITS 20

/* The text a NULL-terminated word list ends with. */
#define END_OF_LIST NULL

/* ---------------------------------------------------------------------
 * Words
 * ---------------------------------------------------------------------
 */
typedef struct Word
{
	size_t		start;			/* bytes [start, end) of the message */
	size_t		end;
	char		w[WORD_MAX];	/* folded: lower case, apostrophes out, squeezed */
	bool		whole;			/* w holds all of the word */
	bool		brk;			/* a clause ends before it (or it is the first) */
	bool		cap;			/* starts with an upper-case or caseless letter */
	bool		letters;		/* no digit in it */
	bool		digits;			/* only ASCII digits */
	int			ndigits;		/* its length when digits (at most 100) */
} Word;

typedef struct Scanner
{
	const char *s;
	size_t		len;
	size_t		pos;			/* next byte to read */
	long		count;			/* words read so far */
	bool		done;			/* no more words */
	Word		ring[RING_SIZE];
} Scanner;

/*
 * Utf8Decode: the length (2 to 4) of the valid, shortest-form UTF-8
 * sequence at s[pos] and its code point, or 0 if there is none there.
 */
static int
Utf8Decode(const char *s, size_t len, size_t pos, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *) s + pos;
	size_t		avail = len - pos;
	int			n;
	unsigned long c;
	int			i;

	if (u[0] >= 0xc2 && u[0] <= 0xdf)
	{
		n = 2;
		c = u[0] & 0x1f;
	}
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
	{
		n = 3;
		c = u[0] & 0x0f;
	}
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
	{
		n = 4;
		c = u[0] & 0x07;
	}
	else
		return 0;
	if (avail < (size_t) n)
		return 0;
	for (i = 1; i < n; i++)
	{
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
		(c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * IsLetterCodePoint: the non-ASCII letters a word (or a name) may hold:
 * Latin-1 and Latin Extended-A/B letters, Greek, Cyrillic, Arabic, and the
 * Indic scripts from Devanagari to Sinhala (less the danda marks).
 */
static bool
IsLetterCodePoint(unsigned long c)
{
	if (c >= 0xc0 && c <= 0x24f)
		return c != 0xd7 && c != 0xf7;
	if (c >= 0x370 && c <= 0x3ff)
		return c != 0x37e && c != 0x387;
	if (c >= 0x400 && c <= 0x52f)
		return true;
	if (c >= 0x620 && c <= 0x64a)
		return true;
	if (c >= 0x900 && c <= 0xdff)
		return c != 0x964 && c != 0x965;
	return false;
}

/* True for the ASCII bytes that end a clause. */
static bool
IsClauseBreak(unsigned char c)
{
	switch (c)
	{
		case '.':
		case ',':
		case ';':
		case ':':
		case '!':
		case '?':
		case '(':
		case ')':
		case '[':
		case ']':
		case '{':
		case '}':
		case '"':
		case '|':
		case '\n':
		case '\r':
			return true;
		default:
			return false;
	}
}

/*
 * IsApostrophe: an apostrophe (' ` or U+2019) at s[pos] between two ASCII
 * letters; its length in bytes, or 0.
 */
static int
IsApostrophe(const char *s, size_t len, size_t pos)
{
	int			n = 0;

	if (pos == 0 || !IS_ALPHA((unsigned char) s[pos - 1]))
		return 0;
	if (s[pos] == '\'' || s[pos] == '`')
		n = 1;
	else if (pos + 2 < len && (unsigned char) s[pos] == 0xe2 &&
			 (unsigned char) s[pos + 1] == 0x80 && (unsigned char) s[pos + 2] == 0x99)
		n = 3;
	if (n == 0 || pos + n >= len || !IS_ALPHA((unsigned char) s[pos + n]))
		return 0;
	return n;
}

/*
 * FoldChar: append one folded character to w (lower case, a run of three
 * or more of one letter kept as two); on overflow the word stops being
 * whole.
 */
static void
FoldChar(Word *w, size_t *n, char c)
{
	if (IS_UPPER(c))
		c = (char) (c - 'A' + 'a');
	if (IS_LOWER(c) && *n >= 2 && w->w[*n - 1] == c && w->w[*n - 2] == c)
		return;
	if (*n + 1 >= WORD_MAX)
	{
		w->whole = false;
		return;
	}
	w->w[(*n)++] = c;
	w->w[*n] = '\0';
}

/*
 * ScanWord: read the next word from sc into w; false at the end.
 */
static bool
ScanWord(Scanner *sc, Word *w)
{
	const char *s = sc->s;
	size_t		len = sc->len;
	bool		brk = (sc->count == 0);
	size_t		n = 0;
	unsigned long cp;
	int			k;

	/* separators */
	while (sc->pos < len)
	{
		unsigned char c = (unsigned char) s[sc->pos];

		if (IS_ALNUM(c))
			break;
		if (c >= 0x80)
		{
			k = Utf8Decode(s, len, sc->pos, &cp);
			if (k > 0 && IsLetterCodePoint(cp))
				break;
			if (k > 0 && cp == 0x1f44d)
			{
				/* a thumbs-up is the word "thumbsup" */
				memset(w, 0, sizeof(*w));
				w->start = sc->pos;
				w->end = sc->pos + (size_t) k;
				w->brk = brk;
				w->whole = true;
				w->letters = true;
				strcpy(w->w, "thumbsup");
				sc->pos += (size_t) k;
				return true;
			}
			sc->pos += k > 0 ? (size_t) k : 1;
			continue;
		}
		if (IsClauseBreak(c))
			brk = true;
		sc->pos++;
	}
	if (sc->pos >= len)
		return false;

	memset(w, 0, sizeof(*w));
	w->start = sc->pos;
	w->brk = brk;
	w->whole = true;
	w->letters = true;
	w->digits = true;
	{
		unsigned char first = (unsigned char) s[sc->pos];

		w->cap = IS_UPPER(first) || first >= 0x80;
	}
	while (sc->pos < len)
	{
		unsigned char c = (unsigned char) s[sc->pos];

		if (IS_ALNUM(c))
		{
			if (IS_DIGIT(c))
			{
				w->letters = false;
				if (w->ndigits < 100)	/* enough to tell 1, 2 and 4 digits */
					w->ndigits++;
			}
			else
				w->digits = false;
			FoldChar(w, &n, (char) c);
			sc->pos++;
			continue;
		}
		if (c >= 0x80)
		{
			k = Utf8Decode(s, len, sc->pos, &cp);
			if (k > 0 && IsLetterCodePoint(cp))
			{
				w->digits = false;
				FoldChar(w, &n, '#');
				sc->pos += (size_t) k;
				continue;
			}
		}
		k = IsApostrophe(s, len, sc->pos);
		if (k > 0)
		{
			sc->pos += (size_t) k;
			continue;
		}
		break;
	}
	w->end = sc->pos;
	if (!w->digits)
		w->ndigits = 0;
	return true;
}

/*
 * ScanInit: a scanner over s[0..len).
 */
static void
ScanInit(Scanner *sc, const char *s, size_t len)
{
	sc->s = s;
	sc->len = len;
	sc->pos = 0;
	sc->count = 0;
	sc->done = (s == NULL || len == 0);
}

/*
 * Tok: word number i (from 0), reading on as needed; NULL before the
 * first, past the last, or when the ring no longer holds it (a rule never
 * asks for that: it stays within LOOK_BACK and LOOK_AHEAD).
 */
static const Word *
Tok(Scanner *sc, long i)
{
	if (i < 0)
		return NULL;
	while (i >= sc->count && !sc->done)
	{
		if (ScanWord(sc, &sc->ring[sc->count % RING_SIZE]))
			sc->count++;
		else
			sc->done = true;
	}
	if (i >= sc->count || i + RING_SIZE <= sc->count)
		return NULL;
	return &sc->ring[i % RING_SIZE];
}

/*
 * Is: word w (may be NULL) is exactly the folded text t.
 */
static bool
Is(const Word *w, const char *t)
{
	return w != NULL && w->whole && strcmp(w->w, t) == 0;
}

/*
 * InList: word w (may be NULL) is one of a NULL-terminated list.
 */
static bool
InList(const Word *w, const char *const *list)
{
	if (w == NULL || !w->whole)
		return false;
	for (; *list != NULL; list++)
		if ((*list)[0] == w->w[0] && strcmp(w->w, *list) == 0)
			return true;
	return false;
}

/*
 * Gap: the bytes between word a and the word after it, b.
 */
static void
Gap(const Scanner *sc, const Word *a, const Word *b, const char **gap, size_t *n)
{
	*gap = sc->s + a->end;
	*n = b->start - a->end;
}

/*
 * GapIs: the bytes between words a and b are exactly text t.
 */
static bool
GapIs(const Scanner *sc, const Word *a, const Word *b, const char *t)
{
	const char *g;
	size_t		n;

	Gap(sc, a, b, &g, &n);
	return n == strlen(t) && memcmp(g, t, n) == 0;
}

/*
 * GapOnly: the bytes between words a and b are only characters of set
 * (and there is at least one when nonempty).
 */
static bool
GapOnly(const Scanner *sc, const Word *a, const Word *b, const char *set, bool nonempty)
{
	const char *g;
	size_t		n;
	size_t		i;

	Gap(sc, a, b, &g, &n);
	if (nonempty && n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (g[i] == '\0' || strchr(set, g[i]) == NULL)
			return false;
	return true;
}

/* ---------------------------------------------------------------------
 * Word lists
 * ---------------------------------------------------------------------
 */
static const char *const visit_words[] = {
	"visit", "visits", "visiting", "revisit", "sitevisit", "visti", "vist",
	"vsit", "viist", "visiit", "vissit", "vizit", "visitt", END_OF_LIST
};

/* What makes a visit or tour not one where someone comes. */
static const char *const not_in_person[] = {
	"virtual", "video", "online", "digital", "e", "vr", "3d", "360",
	"last", "previous", "earlier", "prior", "recent", END_OF_LIST
};

/* Objects of "visit" that are not a place. */
static const char *const web_words[] = {
	"website", "web", "link", "page", "url", "app", "portal", "www", "blog",
	"channel", "instagram", "facebook", "youtube", "profile", END_OF_LIST
};

/* Places to see or come to. */
static const char *const property_words[] = {
	"flat", "property", "site", "apartment", "apt", "house", "home", "villa",
	"project", "unit", "place", "plot", "sample", "model", "show", "showflat",
	"1bhk", "2bhk", "3bhk", "4bhk", "5bhk", "bhk", "penthouse", "duplex",
	"tower", "building", "society", "clubhouse", "amenities", "construction",
	"premises", "ghar", "makaan", "makan", "office", "layout",
	END_OF_LIST
};

/* The same, in the plural: a search unless a determiner comes first. */
static const char *const property_plurals[] = {
	"flats", "properties", "apartments", "apts", "houses", "homes", "villas",
	"projects", "units", "plots", "towers", "buildings", "offices",
	END_OF_LIST
};

/* Things one sees on a screen, not on site. */
static const char *const media_words[] = {
	"photo", "photos", "pic", "pics", "picture", "pictures", "image",
	"images", "video", "videos", "plan", "plans", "brochure", "details",
	"price", "prices", "pricing", "cost", "rate", "rates", "availability",
	"documents", "document", "docs", "status", "map", "size", "area",
	"floor", "list", "options", "option", "reviews", "review", "location",
	"address", "approval", "approvals", "offers", "offer", "deal", "specs",
	"specifications", "website", "link", "number", "loan", END_OF_LIST
};

/* Determiners skipped before an object. */
static const char *const determiners[] = {
	"the", "a", "an", "your", "ur", "our", "this", "that", "these", "those",
	"some", "ua", "yr", END_OF_LIST
};

/* Words of a wish before "see". */
static const char *const wish_words[] = {
	"like", "love", "want", "wanted", "wish", "planning", "plan", "need",
	"able", "keen", "interested", "eager", "hoping", "hope", END_OF_LIST
};

static const char *const come_words[] = {
	"come", "coming", "go", "going", "reach", "reaching", "meet", "arrive",
	"bring", "visit", END_OF_LIST
};

static const char *const see_hindi[] = {
	"dekhna", "dekhne", "dekhni", "dekh", "dekhenge", "dekhunga", "dikhao",
	"dikha", "dikhana", "dikhado", "dikhaiye", END_OF_LIST
};

static const char *const callback_words[] = {
	"callback", "callbacks", "callbak", "calback", "calbak", "callbk",
	"callbck", "callme", "calme", "callmeback", END_OF_LIST
};

/* Who is being called in "call you": the customer calls us. */
static const char *const you_words[] = {
	"you", "u", "ya", "your", "ur", "yu", "yourself", END_OF_LIST
};

/* A customer who says they will call. */
static const char *const self_subjects[] = {
	"i", "we", "ill", "well", "il", "iwill", "ive", "id", "lets", END_OF_LIST
};

static const char *const modal_words[] = {
	"will", "shall", "can", "could", "would", "may", "might", "should",
	"also", "then", "just", "definitely", "surely", "myself", "personally",
	END_OF_LIST
};

/* What follows the typo "cal" when it is a call. */
static const char *const cal_next[] = {
	"me", "us", "back", "bak", "bk", "karo", "kar", "kardo", "kijiye", "pls",
	"plz", "please", "tomorrow", "tmrw", "today", "now", "asap", "later",
	END_OF_LIST
};

/* What follows "phone" when it is a verb. */
static const char *const phone_verb_next[] = {
	"me", "us", "back", "karo", "kar", "kardo", "kijiye", "karna", "karein",
	"kare", "karen", "kro", "call", "pe", "par", "conversation",
	"discussion", END_OF_LIST
};

/* Channels: "on phone", "over the phone". */
static const char *const channel_words[] = {
	"on", "over", "by", "via", "thru", "through", END_OF_LIST
};

static const char *const me_us[] = {"me", "us", END_OF_LIST};

/* Whom a customer asks to talk to. */
static const char *const talk_to_whom[] = {
	"someone", "somebody", "anyone", "anybody", "agent", "agents",
	"executive", "exec", "person", "human", "rm", "manager", "sales",
	"team", "expert", "advisor", "adviser", "consultant", "representative",
	"rep", "salesperson", "relationship", "staff", "broker", END_OF_LIST
};

static const char *const baat_next[] = {
	"karni", "karna", "karo", "kar", "kijiye", "karwa", "karwao", "karein",
	"krni", "krna", "kro", "karenge", END_OF_LIST
};

/* Words that end a negation's reach. */
static const char *const break_words[] = {
	"but", "so", "because", "bcoz", "bcz", "coz", "cause", "since",
	"however", "please", "pls", "plz", "plss", "plzz", "kindly", "then",
	"rather", "instead", END_OF_LIST
};

/* Words a negation reaches over without counting them. */
static const char *const light_words[] = {
	"a", "an", "the", "to", "me", "us", "my", "your", "ur", "you", "u",
	"any", "of", "for", "in", "on", "at", "with", "this", "that", "it",
	"is", "am", "are", "be", "site", "just", "even", "really", "ever",
	"again", "i", "we", "do", "get", "or", "nor", END_OF_LIST
};

static const char *const plain_negators[] = {
	"dont", "donot", "dnt", "didnt", "doesnt", "cannot", "wont", "without",
	"neither", "nor", "cancel", "cancelled", "canceled", "cancelling",
	"nobody", END_OF_LIST
};

/* What "no" negates: "no need", "no calls", "no time". */
static const char *const no_next[] = {
	"need", "needs", "call", "calls", "calling", "callback", "visit",
	"visits", "visiting", "site", "tour", "phone", "more", "further",
	"time", "interest", "one", "point", "requirement", END_OF_LIST
};

/* What "not" does not negate. */
static const char *const not_exceptions_next[] = {
	"sure", "only", "just", END_OF_LIST
};

static const char *const post_negators[] = {
	"mat", "nahi", "nahin", "nai", "nhi", "nahii", "cancel", "cancelled",
	"canceled", END_OF_LIST
};

static const char *const not_needed[] = {
	"required", "needed", "necessary", "possible", "feasible", "reqd",
	"req", "interested", END_OF_LIST
};

/* Bare affirmatives, and the words that may go with them. */
static const char *const affirm_core[] = {
	"yes", "yess", "yeah", "yea", "yeh", "yah", "ya", "yep", "yup", "sure",
	"surely", "ok", "okay", "okk", "okey", "okie", "k", "kk", "alright",
	"allright", "haan", "han", "haa", "ha", "hanji", "haanji", "ji",
	"absolutely", "definitely", "certainly", "done", "great", "perfect",
	"cool", "interested", "thumbsup", "fine", "good", "bilkul", "theek",
	"thik", "chalo", "yes", END_OF_LIST
};

static const char *const affirm_filler[] = {
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
 * Intents
 * ---------------------------------------------------------------------
 */

/*
 * SameClause: words i-1 and i are in one clause (both exist, and no
 * clause break between them).
 */
static bool
SameClause(Scanner *sc, long i)
{
	const Word *w = Tok(sc, i);

	return w != NULL && i > 0 && !w->brk && Tok(sc, i - 1) != NULL;
}

/*
 * PrevInClause: word i-1 when it is in the clause of word i, else NULL.
 */
static const Word *
PrevInClause(Scanner *sc, long i)
{
	return SameClause(sc, i) ? Tok(sc, i - 1) : NULL;
}

/*
 * NextInClause: word i+1 when it is in the clause of word i, else NULL.
 */
static const Word *
NextInClause(Scanner *sc, long i)
{
	return SameClause(sc, i + 1) ? Tok(sc, i + 1) : NULL;
}

/*
 * IsNegator: word k negates what follows it in its clause.
 */
static bool
IsNegator(Scanner *sc, long k)
{
	const Word *w = Tok(sc, k);
	const Word *next = NextInClause(sc, k);
	const Word *prev = PrevInClause(sc, k);

	if (w == NULL)
		return false;
	if (InList(w, plain_negators))
		return true;
	if (Is(w, "never"))
		return !Is(next, "mind");
	if (Is(w, "cant"))
		return !Is(next, "wait");
	if (Is(w, "not"))
		return !InList(next, not_exceptions_next) &&
			!Is(prev, "why") && !Is(prev, "if") && !Is(prev, "or");
	if (Is(w, "no"))
		return InList(next, no_next);
	if (Is(w, "stop") || Is(w, "stopped"))
		return !Is(next, "by") && !Is(next, "over") && !Is(prev, "bus") &&
			!Is(prev, "metro") && !Is(prev, "last") && !Is(prev, "next");
	if (Is(w, "instead"))
		return Is(next, "of");
	if (Is(w, "than"))
		return Is(prev, "rather");
	return false;
}

/*
 * Negated: the cue at words [from, to] is negated: a negator before it
 * in its clause with at most two content words in between, or a Hindi
 * negation or "not required" in the three words after it.
 */
static bool
Negated(Scanner *sc, long from, long to)
{
	int			content = 0;
	long		j;

	for (j = from; j > 0 && from - j < 8; j--)
	{
		const Word *p;

		if (!SameClause(sc, j))
			break;
		p = Tok(sc, j - 1);
		if (InList(p, break_words) && !Is(p, "instead") && !Is(p, "rather"))
			break;
		if (IsNegator(sc, j - 1))
			return true;
		if (!InList(p, light_words) && ++content > 2)
			break;
	}
	for (j = to + 1; j <= to + 3; j++)
	{
		const Word *w;

		if (!SameClause(sc, j))
			break;
		w = Tok(sc, j);
		if (InList(w, break_words))
			break;
		if (InList(w, post_negators))
			return true;
		if ((Is(w, "not") || Is(w, "isnt")) && InList(NextInClause(sc, j), not_needed))
			return true;
	}
	return false;
}

/*
 * ObjectAfter: the index of the first word after word i, in its clause,
 * that is not a determiner (at most two skipped), or -1; *determined
 * tells whether one was skipped.
 */
static long
ObjectAfter(Scanner *sc, long i, bool *determined)
{
	long		j = i + 1;

	*determined = false;
	while (j <= i + 3 && SameClause(sc, j))
	{
		if (!InList(Tok(sc, j), determiners))
			return j;
		*determined = true;
		j++;
	}
	return -1;
}

/*
 * PropertyObject: word j is a place to see (a plural one only after a
 * determiner) and is not followed by a media word ("the flat photos").
 */
static bool
PropertyObject(Scanner *sc, long j, bool determined)
{
	const Word *w = Tok(sc, j);

	if (j < 0 || w == NULL)
		return false;
	if (!InList(w, property_words) &&
		!(determined && InList(w, property_plurals)))
		return false;
	return !InList(NextInClause(sc, j), media_words);
}

/*
 * SeeCue: "see" / "seeing" at word i with something to see, or after
 * come / go, or after a wish with a capitalised name as object.
 */
static bool
SeeCue(Scanner *sc, long i)
{
	bool		determined;
	long		obj = ObjectAfter(sc, i, &determined);
	const Word *p1 = PrevInClause(sc, i);
	const Word *p2 = p1 ? PrevInClause(sc, i - 1) : NULL;
	const Word *o = obj >= 0 ? Tok(sc, obj) : NULL;

	if (PropertyObject(sc, obj, determined))
		return true;
	/* nothing after it, a place before it: "a sample flat I can see?" */
	if (NextInClause(sc, i) == NULL)
	{
		long		j;

		for (j = i - 1; j >= i - 6 && j >= 0 && SameClause(sc, j + 1); j--)
			if (InList(Tok(sc, j), property_words) ||
				InList(Tok(sc, j), property_plurals))
				return true;
	}
	/* come see, come and see, come n see, come to see, go see, go and see */
	if (Is(p1, "come") || Is(p1, "coming") || Is(p1, "go") ||
		((Is(p1, "and") || Is(p1, "n")) &&
		 (Is(p2, "come") || Is(p2, "coming") || Is(p2, "go"))) ||
		(Is(p1, "to") && (Is(p2, "come") || Is(p2, "coming"))))
		return true;
	/* a wish, then a capitalised name that is not a media word */
	if (o != NULL && o->cap && o->letters && !InList(o, media_words) &&
		!InList(o, you_words) && !Is(o, "i") && !Is(o, "it") &&
		!InList(Tok(sc, obj + 1), media_words))
	{
		if (Is(p1, "wanna") ||
			(Is(p1, "to") && InList(p2, wish_words)) ||
			((Is(p1, "i") || Is(p1, "we")) &&
			 (Is(p2, "can") || Is(p2, "could") || Is(p2, "may"))))
			return true;
	}
	return false;
}

/*
 * HindiSeeCue: "dekhna" and its kin at word i, after a place word or
 * after "aake" (having come).
 */
static bool
HindiSeeCue(Scanner *sc, long i)
{
	long		j = i - 1;
	int			skipped = 0;

	while (j >= 0 && SameClause(sc, j + 1) && skipped < 3)
	{
		const Word *w = Tok(sc, j);

		if (InList(w, property_words) || InList(w, property_plurals))
			return !InList(Tok(sc, j + 1), media_words);
		if (Is(w, "aake") || Is(w, "aakar") || Is(w, "aa") || Is(w, "jaake"))
			return true;
		if (InList(w, media_words))
			return false;
		j--;
		skipped++;
	}
	return false;
}

/*
 * SiteCue: "site" at word i, where one comes, goes, meets or is taken:
 * the words before it (skipping prepositions and determiners) hold a
 * verb of coming, or an inspection or "pe" follows.
 */
static bool
SiteCue(Scanner *sc, long i)
{
	static const char *const site_after[] = {
		"inspection", "seeing", "walk", "walkthrough", "pe", "par", "viewing",
		END_OF_LIST
	};
	static const char *const skip[] = {
		"the", "your", "ur", "our", "this", "that", "to", "at", "over", "down",
		"on", "up", "me", "us", "you", "there", "my", "family", "wife",
		"parents", "with", END_OF_LIST
	};
	long		j = i - 1;
	int			skipped = 0;

	if (InList(NextInClause(sc, i), site_after))
		return true;
	while (j >= 0 && SameClause(sc, j + 1) && skipped < 4)
	{
		const Word *w = Tok(sc, j);

		if (InList(w, come_words) || Is(w, "take") || Is(w, "drop"))
			return true;
		if (!InList(w, skip))
			return false;
		j--;
		skipped++;
	}
	return false;
}

/*
 * ComeToPlaceCue: a verb of coming at word i, then (to / at / over to)
 * and a place: "come to your office", "reach the project", "meet at the
 * flat".  "go home" is not a visit.
 */
static bool
ComeToPlaceCue(Scanner *sc, long i, long *to)
{
	long		j = i + 1;
	bool		determined = false;
	int			steps = 0;

	while (j <= i + 4 && SameClause(sc, j) && steps < 4)
	{
		const Word *w = Tok(sc, j);

		if (Is(w, "to") || Is(w, "at") || Is(w, "over") || Is(w, "down") ||
			Is(w, "and"))
		{
			j++;
			steps++;
			continue;
		}
		if (InList(w, determiners))
		{
			determined = true;
			j++;
			steps++;
			continue;
		}
		if (Is(w, "home") && !determined)
			return false;
		if (PropertyObject(sc, j, determined))
		{
			*to = j;
			return true;
		}
		return false;
	}
	return false;
}

/*
 * ComeCue: "come" / "coming" at word i said of the customer: "I will
 * come on Sunday", "we are coming tomorrow", "want to come", "can come
 * at 11"; not "come back", "come from", "visitors coming", "possession
 * will come".
 */
static bool
ComeCue(Scanner *sc, long i)
{
	static const char *const not_after[] = {
		"back", "from", "up", "across", "true", "out", "under", "into",
		"with", END_OF_LIST
	};
	static const char *const helpers[] = {
		"can", "could", "may", "will", "shall", "would", "should", "also",
		"definitely", "surely", "am", "are", "be", "both", "all", "only",
		"just", "then", "might", "easily", END_OF_LIST
	};
	static const char *const subjects[] = {
		"i", "we", "im", "ill", "well", "were", "id", "wed", "iam", "wanna",
		END_OF_LIST
	};
	long		j = i;
	int			steps = 0;

	if (InList(NextInClause(sc, i), not_after))
		return false;
	while (steps < 4)
	{
		const Word *p;

		if (!SameClause(sc, j))
			return steps > 0;	/* only helpers before it: "can come at 11" */
		p = Tok(sc, j - 1);
		if (InList(p, subjects))
			return true;
		if (Is(p, "to"))
			return InList(PrevInClause(sc, j - 1), wish_words);
		if (!InList(p, helpers))
			return false;
		j--;
		steps++;
	}
	return false;
}

/*
 * VisitCue: word i starts or ends a site_visit cue, which spans words
 * [*from, *to].
 */
static bool
VisitCue(Scanner *sc, long i, long *from, long *to)
{
	const Word *w = Tok(sc, i);
	const Word *prev = PrevInClause(sc, i);
	const Word *next = NextInClause(sc, i);
	bool		determined;
	long		obj;

	*from = i;
	*to = i;
	if (InList(w, visit_words))
	{
		const Word *before = prev;

		if (Is(prev, "site") || Is(prev, "sight") || Is(prev, "property"))
			before = PrevInClause(sc, i - 1);
		if (InList(before, not_in_person) || InList(prev, not_in_person))
			return false;
		/* a visit that is over: "the visit was good" */
		if (Is(next, "was") || Is(next, "went") || Is(next, "were"))
			return false;
		if (Is(w, "visiting") && (Is(next, "card") || Is(next, "cards")))
			return false;
		obj = ObjectAfter(sc, i, &determined);
		if (obj >= 0 && InList(Tok(sc, obj), web_words))
			return false;
		return true;
	}
	if (Is(w, "tour") || Is(w, "tours") || Is(w, "tuor") || Is(w, "touring") ||
		Is(w, "walkthrough"))
	{
		const Word *prev2 = prev ? PrevInClause(sc, i - 1) : NULL;

		if (InList(prev, not_in_person))
			return false;
		if (Is(prev, "on") || (Is(prev, "a") && Is(prev2, "on")))
			return false;
		if (Is(next, "was") || Is(next, "went") || Is(next, "were"))
			return false;
		return true;
	}
	if (Is(w, "see") || Is(w, "seeing"))
		return SeeCue(sc, i);
	if (InList(w, see_hindi))
		return HindiSeeCue(sc, i);
	if (Is(w, "view") || Is(w, "check") || Is(w, "checkout") ||
		Is(w, "inspect") || Is(w, "look"))
	{
		long		at = i;

		if ((Is(w, "check") && Is(next, "out")) ||
			(Is(w, "look") && (Is(next, "at") || Is(next, "around"))))
			at = i + 1;
		else if (Is(w, "look"))
			return false;
		obj = ObjectAfter(sc, at, &determined);
		return determined && PropertyObject(sc, obj, true);
	}
	if (Is(w, "viewing"))
		return Is(prev, "a") || Is(prev, "an") || Is(prev, "book") ||
			Is(prev, "schedule") || Is(prev, "arrange") || Is(prev, "fix") ||
			Is(prev, "for") || Is(prev, "site") || Is(prev, "property");
	if (Is(w, "site"))
		return SiteCue(sc, i);
	if (Is(w, "in") && Is(next, "person"))
	{
		*to = i + 1;
		return true;
	}
	if (Is(w, "inperson") || Is(w, "physically"))
		return true;
	if ((Is(w, "come") || Is(w, "coming")) && Is(next, "over"))
	{
		*to = i + 1;
		return true;
	}
	if (((Is(w, "drop") || Is(w, "stop") || Is(w, "swing")) && Is(next, "by")) ||
		(Is(w, "pop") && (Is(next, "by") || Is(next, "in") || Is(next, "over"))))
	{
		*to = i + 1;
		return true;
	}
	/* "drop in at the site", "drop in tomorrow"; not "a drop in the price" */
	if (Is(w, "drop") && Is(next, "in"))
	{
		const Word *after = NextInClause(sc, i + 1);

		*to = i + 1;
		return after == NULL || Is(after, "at") || Is(after, "to") ||
			Is(after, "on") || Is(after, "for") || Is(after, "tomorrow") ||
			Is(after, "today") || Is(after, "sometime") || Is(after, "this") ||
			Is(after, "next");
	}
	if (Is(w, "show"))
	{
		long		at = i;

		if (Is(next, "me") || Is(next, "us"))
			at = i + 1;
		if (Is(NextInClause(sc, at), "around"))
			return true;
		obj = ObjectAfter(sc, at, &determined);
		return determined && PropertyObject(sc, obj, true);
	}
	if ((Is(w, "come") || Is(w, "coming")) && ComeCue(sc, i))
		return true;
	if (InList(w, come_words) && ComeToPlaceCue(sc, i, to))
		return true;
	return false;
}

/*
 * SelfCalls: the customer says they will call ("I'll call", "we will
 * call", "let me call"): the words before word i, skipping modals.
 */
static bool
SelfCalls(Scanner *sc, long i)
{
	long		j = i;
	int			steps = 0;

	while (steps < 3 && SameClause(sc, j))
	{
		const Word *p = Tok(sc, j - 1);

		if (InList(p, self_subjects))
			return true;
		if (Is(p, "me") && Is(PrevInClause(sc, j - 1), "let"))
			return true;
		if (!InList(p, modal_words))
			return false;
		j--;
		steps++;
	}
	return false;
}

/*
 * CallbackCue: word i starts a callback cue spanning [*from, *to].
 */
static bool
CallbackCue(Scanner *sc, long i, long *from, long *to)
{
	const Word *w = Tok(sc, i);
	const Word *prev = PrevInClause(sc, i);
	const Word *next = NextInClause(sc, i);

	*from = i;
	*to = i;
	if (InList(w, callback_words))
		return true;
	if (Is(w, "call") || Is(w, "calling") || Is(w, "caal"))
	{
		if (Is(prev, "so") || InList(next, you_words) || Is(next, "it") ||
			Is(next, "center") || Is(next, "centre"))
			return false;
		if (SelfCalls(sc, i))
			return false;
		if (Is(w, "calling") &&
			(Is(prev, "keep") || Is(prev, "keeps") || Is(prev, "kept") ||
			 Is(prev, "been") || Is(prev, "am") || Is(prev, "im") ||
			 Is(prev, "is") || Is(prev, "are") || Is(prev, "were") ||
			 Is(prev, "was") || Is(prev, "tried") || Is(prev, "trying") ||
			 Is(prev, "try")))
			return false;
		return true;
	}
	if (Is(w, "cal"))
		return InList(next, cal_next) || Is(prev, "a");
	if (Is(w, "phone") || Is(w, "fone") || Is(w, "phn"))
	{
		const Word *prev2 = prev ? PrevInClause(sc, i - 1) : NULL;

		if (InList(next, phone_verb_next))
		{
			*to = i + 1;
			return true;
		}
		if (Is(next, "number") || Is(next, "no") || Is(next, "num") ||
			Is(next, "nos") || Is(next, "numbers"))
			return false;
		return InList(prev, channel_words) ||
			(Is(prev, "the") && InList(prev2, channel_words));
	}
	if (Is(w, "ring"))
	{
		if (InList(next, me_us) || Is(next, "back"))
			return true;
		return Is(prev, "a") && !Is(next, "road") && !Is(next, "roads") &&
			!Is(next, "rd");
	}
	if (Is(w, "contact") || Is(w, "reach"))
	{
		if (InList(next, me_us))
			return true;
		return Is(w, "reach") && Is(next, "out") &&
			Is(NextInClause(sc, i + 1), "to") &&
			InList(NextInClause(sc, i + 2), me_us);
	}
	if (Is(w, "talk") || Is(w, "speak") || Is(w, "talking") || Is(w, "speaking"))
	{
		long		j;

		if (!Is(next, "to") && !Is(next, "with"))
			return false;
		for (j = i + 2; j <= i + 4 && SameClause(sc, j); j++)
		{
			const Word *o = Tok(sc, j);

			if (InList(o, talk_to_whom))
			{
				*to = j;
				return true;
			}
			if (!InList(o, determiners) && !Is(o, "any") && !Is(o, "one") &&
				!Is(o, "of") && !Is(o, "real") && !Is(o, "sales"))
				return false;
		}
		return false;
	}
	if (Is(w, "baat"))
		return InList(next, baat_next);
	if (Is(w, "touch"))
	{
		const Word *prev2 = prev ? PrevInClause(sc, i - 1) : NULL;

		if (!Is(prev, "in") || !(Is(prev2, "get") || Is(prev2, "be") ||
								 Is(prev2, "keep") || Is(prev2, "stay")))
			return false;
		if (Is(next, "with") && InList(NextInClause(sc, i + 1), you_words))
			return false;
		*from = i - 2;
		return true;
	}
	return false;
}

/*
 * AffirmClass: 2 if word i is an affirmative, 1 if it may go with one,
 * 0 if it makes the message more than a bare yes.
 */
static int
AffirmClass(Scanner *sc, long i)
{
	const Word *w = Tok(sc, i);
	const Word *prev = i > 0 ? Tok(sc, i - 1) : NULL;

	if (Is(w, "not"))
		return Is(prev, "why") ? 2 : 0;
	if (Is(w, "why"))
		return Is(Tok(sc, i + 1), "not") ? 1 : 0;
	if (Is(w, "course"))
		return Is(prev, "of") ? 2 : 0;
	if (Is(w, "ahead"))
		return Is(prev, "go") ? 2 : 1;
	if (InList(w, affirm_core))
		return 2;
	if (InList(w, affirm_filler))
		return 1;
	return 0;
}

/*
 * sched_detect_intent: see the comment at the top of this file.
 */
SchedIntent
sched_detect_intent(const char *msg, size_t len, SchedIntent last_nudge)
{
	Scanner		sc;
	bool		visit = false;
	bool		callback = false;
	bool		bare = true;
	bool		affirmed = false;
	long		i;

	ScanInit(&sc, msg, len);
	for (i = 0; Tok(&sc, i) != NULL; i++)
	{
		long		from;
		long		to;

		if (VisitCue(&sc, i, &from, &to) && !Negated(&sc, from, to))
		{
			visit = true;
			break;				/* a visit wins */
		}
		if (!callback && CallbackCue(&sc, i, &from, &to) && !Negated(&sc, from, to))
			callback = true;
		if (bare)
		{
			int			a = AffirmClass(&sc, i);

			if (a == 0 || i >= AFFIRM_MAX_WORDS)
				bare = false;
			else if (a == 2)
				affirmed = true;
		}
	}
	if (visit)
		return SCHED_INTENT_SITE_VISIT;
	if (callback)
		return SCHED_INTENT_CALLBACK;
	if (bare && affirmed &&
		(last_nudge == SCHED_INTENT_SITE_VISIT || last_nudge == SCHED_INTENT_CALLBACK))
		return last_nudge;
	return SCHED_INTENT_NONE;
}

/*
 * sched_intent_name: the SQL name of an intent.
 */
const char *
sched_intent_name(SchedIntent intent)
{
	switch (intent)
	{
		case SCHED_INTENT_SITE_VISIT:
			return "site_visit";
		case SCHED_INTENT_CALLBACK:
			return "callback";
		case SCHED_INTENT_NONE:
			break;
	}
	return NULL;
}

/*
 * sched_intent_from_name: the intent of an SQL name; NULL or empty is
 * none.
 */
bool
sched_intent_from_name(const char *s, size_t len, SchedIntent *out)
{
	if (s == NULL || len == 0)
	{
		*out = SCHED_INTENT_NONE;
		return true;
	}
	if (len == 10 && memcmp(s, "site_visit", 10) == 0)
	{
		*out = SCHED_INTENT_SITE_VISIT;
		return true;
	}
	if (len == 8 && memcmp(s, "callback", 8) == 0)
	{
		*out = SCHED_INTENT_CALLBACK;
		return true;
	}
	return false;
}

/*
 * sched_scheduling_prompt: the seed's prompt for a site visit, and one in
 * the same voice for a callback.
 */
const char *
sched_scheduling_prompt(SchedIntent intent)
{
	switch (intent)
	{
		case SCHED_INTENT_SITE_VISIT:
			return "**Great! Let's schedule your site visit.**\n\n"
				"Please share:\n"
				"\xe2\x80\xa2 Your name\n"
				"\xe2\x80\xa2 Phone number\n"
				"\xe2\x80\xa2 Preferred date and time\n\n"
				"Our Relationship Manager will confirm within 1 hour!";
		case SCHED_INTENT_CALLBACK:
			return "**Sure! Let's arrange a callback.**\n\n"
				"Please share:\n"
				"\xe2\x80\xa2 Your name\n"
				"\xe2\x80\xa2 Phone number\n"
				"\xe2\x80\xa2 Best time to call\n\n"
				"Our team will call you back shortly!";
		case SCHED_INTENT_NONE:
			break;
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Calendar
 * ---------------------------------------------------------------------
 */

/*
 * IsLeap: a leap year of the Gregorian calendar.
 */
static bool
IsLeap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * DaysInMonth: 28 to 31; 0 for a month that is not one.
 */
static int
DaysInMonth(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && IsLeap(y) ? 29 : days[m - 1];
}

/*
 * sched_valid_date: a real date of the years 1 to 9999.
 */
bool
sched_valid_date(int year, int month, int day)
{
	return year >= 1 && year <= 9999 && day >= 1 &&
		day <= DaysInMonth(year, month);
}

/*
 * sched_days_from_civil: days since 1970-01-01 (H. Hinnant's
 * days_from_civil, proleptic Gregorian calendar).
 */
long
sched_days_from_civil(int year, int month, int day)
{
	long		y = (long) year - (month <= 2);
	long		era = (y >= 0 ? y : y - 399) / 400;
	long		yoe = y - era * 400;
	long		mp = (month + 9) % 12;
	long		doy = (153 * mp + 2) / 5 + day - 1;
	long		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/*
 * CivilFromDays: the date of a day number (the inverse of
 * sched_days_from_civil).
 */
static void
CivilFromDays(long z, int *year, int *month, int *day)
{
	long		era;
	long		doe;
	long		yoe;
	long		doy;
	long		mp;
	long		y;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = (int) (mp < 10 ? mp + 3 : mp - 9);
	*year = (int) (y + (*month <= 2));
}

/*
 * Weekday: 0 Sunday to 6 Saturday, of a day number.
 */
static int
Weekday(long z)
{
	return (int) (z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

/* ---------------------------------------------------------------------
 * Contact details
 * ---------------------------------------------------------------------
 */

/* What the parser knows of today. */
typedef struct Today
{
	bool		ok;
	int			year;
	int			month;
	int			day;
	long		days;
	int			weekday;
} Today;

static const char *const weekday_names[7][3] = {
	{"sunday", "sun", NULL},
	{"monday", "mon", NULL},
	{"tuesday", "tue", "tues"},
	{"wednesday", "wed", NULL},
	{"thursday", "thu", "thurs"},
	{"friday", "fri", NULL},
	{"saturday", "sat", NULL},
};

static const char *const month_names[12][3] = {
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

static const char *const tomorrow_words[] = {
	"tomorrow", "tomorow", "tommorow", "tommorrow", "tmrw", "tmr", "tmrow",
	"tomm", "tmorrow", "2morrow", "2mrw", END_OF_LIST
};

/* Words after an ordinal that make it an address, not a date. */
static const char *const address_words[] = {
	"floor", "flr", "cross", "main", "block", "stage", "phase", "sector",
	"street", "road", "rd", "avenue", "lane", "tower", "wing", "storey",
	"story", "level", "layout", "house", "apartment", "flat", "time",
	"attempt", "visit", END_OF_LIST
};

/* Words before a date or slot that mean "not then". */
static const char *const not_then[] = {
	"not", "except", "cant", "cannot", "busy", "unavailable", "excluding",
	END_OF_LIST
};

/* Words a name cannot hold (lower case). */
static const char *const name_stop[] = {
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
static const char *const titles[] = {
	"mr", "mrs", "ms", "dr", "shri", "smt", "sri", "prof", END_OF_LIST
};

static const char *const greetings[] = {
	"hi", "hello", "hey", "hii", "helo", "dear", "namaste", "namaskar",
	"hlo", "hiii", END_OF_LIST
};

/*
 * NameWordOk: word w may be in a name: letters only, not a stop word, a
 * media or a property word ("Brochure", "Flat"; a title only as the
 * first word), of a consistent case (capitalised when
 * capitals is set), and not glued to an email address or a number.
 */
static bool
NameWordOk(const Scanner *sc, const Word *w, bool capitals, bool first)
{
	const char *s = sc->s;

	if (w == NULL || !w->letters)
		return false;
	if (capitals && !w->cap)
		return false;
	if (InList(w, titles))
	{
		if (!first)
			return false;
	}
	else if (w->end - w->start == 1 && IS_UPPER((unsigned char) s[w->start]) &&
			 w->end < sc->len && s[w->end] == '.')
	{
		/* an initial: "A. R. Rahman" */
	}
	else if (InList(w, name_stop) || InList(w, media_words) ||
			 InList(w, property_words) || InList(w, property_plurals))
		return false;
	if (w->start > 0)
	{
		unsigned char b = (unsigned char) s[w->start - 1];

		if (b == '@' || b == '_' || b == '.' || IS_DIGIT(b) || b == '\'' ||
			b == '/')
			return false;
	}
	if (w->end < sc->len)
	{
		unsigned char a = (unsigned char) s[w->end];

		if (a == '@' || a == '_' || IS_DIGIT(a) || a == '/')
			return false;
		/* "john.doe", "rahul'9" */
		if ((a == '.' || a == '\'') && w->end + 1 < sc->len &&
			IS_ALNUM((unsigned char) s[w->end + 1]))
			return false;
	}
	return true;
}

/*
 * NameJoinOk: the bytes between two words of a name: white space without
 * a line break, or one hyphen, or a dot and white space after an initial
 * or a title ("A. R. Rahman", "Dr. Mehta").
 */
static bool
NameJoinOk(const Scanner *sc, const Word *a, const Word *b)
{
	const char *g;
	size_t		n;
	size_t		i = 0;

	Gap(sc, a, b, &g, &n);
	if (n == 1 && g[0] == '-')
		return true;
	if (n > 0 && g[0] == '.')
	{
		bool		initial = (a->end - a->start == 1 && a->letters);

		if (!initial && !InList(a, titles))
			return false;
		i = 1;
	}
	if (i == n)
		return false;
	for (; i < n; i++)
		if (g[i] != ' ' && g[i] != '\t')
			return false;
	return true;
}

/*
 * CollectName: the name starting at word j: its words while they are
 * name words joined as names are, at most 5 words, at most 100 bytes,
 * ending before word stop (if stop >= 0).  The case of the first word
 * sets the rule: after a capitalised word, only capitalised words follow
 * ("My name is Rahul looking for a flat" is Rahul), after a lower-case
 * one any name word does ("my name is john doe").  Copies it as written,
 * white space squeezed to one space, into out, and the index of its last
 * word into *last_word (if not NULL); false if there is none.
 */
static bool
CollectName(Scanner *sc, long j, bool capitals, long stop, long *last_word,
			SchedContactDetails *out)
{
	const Word *first = Tok(sc, j);
	const Word *last;
	long		k;
	size_t		from;
	size_t		to;
	size_t		n = 0;
	size_t		i;
	int			words = 1;

	if (!NameWordOk(sc, first, capitals, true))
		return false;
	if (first->cap)
		capitals = true;
	last = first;
	for (k = j + 1; words < 5 && (stop < 0 || k < stop); k++)
	{
		const Word *w = Tok(sc, k);

		if (w == NULL || !NameJoinOk(sc, last, w) ||
			!NameWordOk(sc, w, capitals, false) ||
			w->end - first->start > SCHED_MAX_NAME)
			break;
		last = w;
		words++;
	}
	if (last_word != NULL)
		*last_word = j + words - 1;
	/* a title alone is no name (a title can only come first) */
	if (InList(last, titles) && last == first)
		return false;
	from = first->start;
	to = last->end;
	if (to - from > SCHED_MAX_NAME || to - from < 2)
		return false;
	for (i = from; i < to; i++)
	{
		char		c = sc->s[i];

		if (c == ' ' || c == '\t')
		{
			if (n > 0 && out->name[n - 1] == ' ')
				continue;
			c = ' ';
		}
		out->name[n++] = c;
	}
	out->name[n] = '\0';
	out->has_name = true;
	return true;
}

/*
 * NameBeforeHere: "X here" with "here" at word i: up to three
 * capitalised words before it, opening a clause (or the message) or after
 * a greeting ("Hi, Rahul Sharma here", "Hello Rahul here").
 */
static bool
NameBeforeHere(Scanner *sc, long i, SchedContactDetails *out)
{
	long		k = i - 1;
	long		start = -1;

	/* back over up to three capitalised words in the clause of "here" */
	if (!SameClause(sc, i))
		return false;
	while (k >= 0 && i - k <= 3 && NameWordOk(sc, Tok(sc, k), true, true))
	{
		start = k;
		if (!SameClause(sc, k))
			break;
		k--;
	}
	if (start < 0)
		return false;
	/* the name must open a clause or follow a greeting */
	if (start > 0 && !Tok(sc, start)->brk &&
		!InList(Tok(sc, start - 1), greetings))
		return false;
	return CollectName(sc, start, true, i, NULL, out);
}

/*
 * TryName: a name introduced at word i:
 *   "my name is X", "my name's X", "name is X", "name: X", "name - X",
 *   "full name: X" (any case of X; "name" must start a clause or follow
 *   my / full / customer / contact, so "the project name is X" is none);
 *   "my name X" with X capitalised;
 *   "I am X", "I'm X", "Iam X", "myself X" (Indian English) and "this is
 *   X" at the start of a clause, only with X capitalised and not a stop
 *   word: "I'm free", "I am Interested", "I'm From Pune" give none;
 *   "X here" at the start of the message or after a greeting ("Hi, Rahul
 *   Sharma here"), X capitalised;
 *   "Name X" at the start of a clause, X capitalised;
 *   a sign-off: "Regards, X" / "Sincerely, X" with X capitalised and
 *   ending the message or its clause ("Thanks, X" is not one: customers
 *   thank the agent by name).
 * LeadingName reads one more form once the phone number is known.
 */
static bool
TryName(Scanner *sc, long i, SchedContactDetails *out)
{
	const Word *w = Tok(sc, i);
	const Word *prev = PrevInClause(sc, i);
	const Word *next = Tok(sc, i + 1);

	if (Is(w, "here") && (next == NULL || next->brk) && i > 0)
		return NameBeforeHere(sc, i, out);
	if (next == NULL)
		return false;
	if (Is(w, "name") &&
		(prev == NULL || Is(prev, "my") || Is(prev, "full") ||
		 Is(prev, "customer") || Is(prev, "contact")))
	{
		if (GapOnly(sc, w, next, " \t:-=", false) &&
			!GapOnly(sc, w, next, " \t", false))
			return CollectName(sc, i + 1, false, -1, NULL, out);
		if (Is(next, "is") && !next->brk)
			return CollectName(sc, i + 2, false, -1, NULL, out);
		if ((prev == NULL || Is(prev, "my")) && !next->brk)
			return CollectName(sc, i + 1, true, -1, NULL, out);
		return false;
	}
	if ((Is(w, "regards") || Is(w, "rgds") || Is(w, "sincerely")) &&
		next->brk && next->cap)
	{
		long		last;

		/* a sign-off: the name must end the message or its clause */
		if (!CollectName(sc, i + 1, true, -1, &last, out))
			return false;
		if (Tok(sc, last + 1) != NULL && !Tok(sc, last + 1)->brk)
		{
			out->has_name = false;
			out->name[0] = '\0';
			return false;
		}
		return true;
	}
	if (Is(w, "names") && Is(prev, "my") && !next->brk)
		return CollectName(sc, i + 1, false, -1, NULL, out);
	if ((Is(w, "im") || Is(w, "iam") || Is(w, "myself")) && !next->brk)
		return CollectName(sc, i + 1, true, -1, NULL, out);
	if (Is(w, "i") && Is(next, "am") && !next->brk)
	{
		const Word *after = Tok(sc, i + 2);

		return after != NULL && !after->brk && CollectName(sc, i + 2, true, -1, NULL, out);
	}
	if (Is(w, "this") && Is(next, "is") && !next->brk &&
		(prev == NULL || InList(prev, greetings)))
	{
		const Word *after = Tok(sc, i + 2);

		return after != NULL && !after->brk && CollectName(sc, i + 2, true, -1, NULL, out);
	}
	return false;
}

/*
 * DayNumber: word w is a day of the month, 1 to 31, with or without an
 * ordinal suffix ("18", "18th", "1st"); *suffixed tells which.
 */
static bool
DayNumber(const Word *w, int *day, bool *suffixed)
{
	const char *t;
	int			d = 0;
	int			nd = 0;

	if (w == NULL || !w->whole)
		return false;
	t = w->w;
	while (IS_DIGIT(*t) && nd < 3)
	{
		d = d * 10 + (*t - '0');
		t++;
		nd++;
	}
	if (nd == 0 || nd > 2 || d < 1 || d > 31)
		return false;
	*suffixed = false;
	if (*t != '\0')
	{
		if (strcmp(t, "st") != 0 && strcmp(t, "nd") != 0 &&
			strcmp(t, "rd") != 0 && strcmp(t, "th") != 0)
			return false;
		*suffixed = true;
	}
	*day = d;
	return true;
}

/*
 * MonthOf: 1-12 for a month's name or abbreviation, else 0.
 */
static int
MonthOf(const Word *w)
{
	int			m;
	int			k;

	if (w == NULL || !w->whole)
		return 0;
	for (m = 0; m < 12; m++)
		for (k = 0; k < 3 && month_names[m][k] != NULL; k++)
			if (strcmp(w->w, month_names[m][k]) == 0)
				return m + 1;
	return 0;
}

/*
 * WeekdayOf: 0 (Sunday) to 6 for a weekday's name (also "saturdays",
 * from "Saturday's"), abbreviated when abbrev; -1 if not.
 */
static int
WeekdayOf(const Word *w, bool *abbrev)
{
	int			d;
	int			k;

	if (w == NULL || !w->whole)
		return -1;
	for (d = 0; d < 7; d++)
	{
		size_t		n = strlen(weekday_names[d][0]);

		if (strcmp(w->w, weekday_names[d][0]) == 0 ||
			(strncmp(w->w, weekday_names[d][0], n) == 0 && strcmp(w->w + n, "s") == 0))
		{
			*abbrev = false;
			return d;
		}
		for (k = 1; k < 3 && weekday_names[d][k] != NULL; k++)
			if (strcmp(w->w, weekday_names[d][k]) == 0)
			{
				*abbrev = true;
				return d;
			}
	}
	return -1;
}

/*
 * YearNumber: word w is a year of four digits (1-9999), or of two
 * (2000-2099) when two_digit.
 */
static bool
YearNumber(const Word *w, bool two_digit, int *year)
{
	if (w == NULL || !w->digits || !w->whole)
		return false;
	if (w->ndigits == 4)
	{
		*year = (w->w[0] - '0') * 1000 + (w->w[1] - '0') * 100 +
			(w->w[2] - '0') * 10 + (w->w[3] - '0');
		return *year >= 1;
	}
	if (w->ndigits == 2 && two_digit)
	{
		*year = 2000 + (w->w[0] - '0') * 10 + (w->w[1] - '0');
		return true;
	}
	return false;
}

/*
 * SmallNumber: word w is one or two digits; its value.
 */
static bool
SmallNumber(const Word *w, int *v)
{
	if (w == NULL || !w->digits || !w->whole || w->ndigits < 1 || w->ndigits > 2)
		return false;
	*v = w->ndigits == 1 ? w->w[0] - '0' : (w->w[0] - '0') * 10 + (w->w[1] - '0');
	return true;
}

/*
 * SetDate: report y-m-d if it is a real date.
 */
static bool
SetDate(SchedContactDetails *out, int y, int m, int d)
{
	if (!sched_valid_date(y, m, d))
		return false;
	out->has_date = true;
	out->year = y;
	out->month = m;
	out->day = d;
	return true;
}

/*
 * SetOffset: report today plus days.
 */
static bool
SetOffset(SchedContactDetails *out, const Today *today, long days)
{
	int			y;
	int			m;
	int			d;

	CivilFromDays(today->days + days, &y, &m, &d);
	return SetDate(out, y, m, d);
}

/*
 * SetYearless: day d of month m without a year: this year's if that is
 * today or later, else next year's; a date that is not real in that year
 * (29 February) is none.
 */
static bool
SetYearless(SchedContactDetails *out, const Today *today, int m, int d)
{
	int			y = today->year;

	if (m < today->month || (m == today->month && d < today->day))
		y++;
	return SetDate(out, y, m, d);
}

/*
 * YearAfter: a year written after word k ("18 Jan 2026", "Jan 18, 2026"),
 * separated by white space, a comma or a hyphen, and between last year
 * and five years on (so "18 Jan 1030 hrs" has none); 0 if none.
 */
static int
YearAfter(Scanner *sc, long k, const Today *today)
{
	const Word *a = Tok(sc, k);
	const Word *b = Tok(sc, k + 1);
	int			y;

	if (a == NULL || b == NULL || !GapOnly(sc, a, b, " \t,-", true) ||
		!YearNumber(b, false, &y) || y < today->year - 1 || y > today->year + 5)
		return 0;
	return y;
}

/*
 * NumericDate: "2026-01-18" (ISO, also with / or .) or "18/01/2026",
 * "18-01-2026", "18.01.26" (day, month, year: the Indian order) starting
 * at word i, the three numbers joined by one and the same separator.
 */
static bool
NumericDate(Scanner *sc, long i, SchedContactDetails *out)
{
	const Word *a = Tok(sc, i);
	const Word *b = Tok(sc, i + 1);
	const Word *c = Tok(sc, i + 2);
	const char *sep;
	int			y;
	int			m;
	int			d;

	if (a == NULL || b == NULL || c == NULL || !a->digits || !b->digits ||
		!c->digits)
		return false;
	if (GapIs(sc, a, b, "-") && GapIs(sc, b, c, "-"))
		sep = "-";
	else if (GapIs(sc, a, b, "/") && GapIs(sc, b, c, "/"))
		sep = "/";
	else if (GapIs(sc, a, b, ".") && GapIs(sc, b, c, "."))
		sep = ".";
	else
		return false;
	/* not part of a longer chain such as a phone number written 98-76-54-32 */
	if (i > 0 && Tok(sc, i - 1) != NULL && Tok(sc, i - 1)->digits &&
		GapIs(sc, Tok(sc, i - 1), a, sep))
		return false;
	if (Tok(sc, i + 3) != NULL && Tok(sc, i + 3)->digits &&
		GapIs(sc, c, Tok(sc, i + 3), sep))
		return false;
	if (a->ndigits == 4 && YearNumber(a, false, &y) &&
		SmallNumber(b, &m) && SmallNumber(c, &d))
		return SetDate(out, y, m, d);
	if (SmallNumber(a, &d) && SmallNumber(b, &m) && YearNumber(c, true, &y))
		return SetDate(out, y, m, d);
	return false;
}

/*
 * NotThen: the word before word i, in its clause (up to three back),
 * says "not then": "not tomorrow", "busy in the morning", "can't do
 * Saturday".  "not sure" does not.
 */
static bool
NotThen(Scanner *sc, long i)
{
	long		j;

	for (j = i; j > i - 3 && SameClause(sc, j); j--)
	{
		const Word *p = Tok(sc, j - 1);

		if (InList(p, not_then))
			return !(Is(p, "not") && Is(Tok(sc, j), "sure"));
		if (InList(p, break_words))
			return false;
	}
	return false;
}

static int	ClockTime(Scanner *sc, long i);

/*
 * NextWeekOffset: days from today to weekday wd (0 Sunday) of the next
 * calendar week, weeks running Monday to Sunday.
 */
static int
NextWeekOffset(const Today *today, int wd)
{
	int			today_mon0 = (today->weekday + 6) % 7;
	int			wd_mon0 = (wd + 6) % 7;

	return 7 - today_mon0 + wd_mon0;
}

/*
 * DateAt: a date starting at word i.  Relative words count from today:
 *   "today" (0), "tomorrow" and its spellings (1), "day after tomorrow"
 *   and Hindi "parso" (2);
 *   a weekday, alone or after "this", "on", "coming", "by": the next such
 *   day on or after today (today when today is that day); after "next":
 *   seven days later than that ("next Saturday" on a Thursday is nine
 *   days ahead); "next week Tuesday" / "Tuesday next week": the Tuesday
 *   of the next calendar week (Monday to Sunday).  The short forms (sat,
 *   sun, wed ...) only after one of those words or before a slot word or
 *   a time ("Sat 10am"), since "sat", "sun" and "wed" are also English
 *   words;
 *   "18 Jan", "18th January", "18th of January", "Jan 18", "January 18th"
 *   and the same with a four-digit year after them (from last year to
 *   five years on; another number is not taken for a year); without a
 *   year, the date this year if it is today or later, else next year;
 *   "on the 18th", "on 18th": the next 18th on or after today (not "on
 *   the 5th floor", "on 3rd cross");
 *   "on 15/2", "by 15/2": day and month, with the year as for "18 Jan"
 *   (not "on 2/3 BHK");
 *   numeric dates as NumericDate reads them.
 * Every date must be real (leap years included) and of the years 1 to
 * 9999.  TryDate skips a date right after "not", "except", "busy", "can't".
 */
static bool
DateAt(Scanner *sc, long i, const Today *today, SchedContactDetails *out)
{
	const Word *w = Tok(sc, i);
	const Word *prev = PrevInClause(sc, i);
	const Word *next = NextInClause(sc, i);
	int			d;
	int			m;
	int			wd;
	int			y;
	bool		suffixed;
	bool		abbrev;

	if (Is(w, "today") || Is(w, "tday") || Is(w, "2day") || Is(w, "aaj"))
		return SetOffset(out, today, 0);
	if (InList(w, tomorrow_words))
		return SetOffset(out, today, 1);
	if (Is(w, "day") && Is(next, "after") && InList(NextInClause(sc, i + 1), tomorrow_words))
		return SetOffset(out, today, 2);
	if (Is(w, "parso") || Is(w, "parson"))
		return SetOffset(out, today, 2);
	/* "next week Tuesday": that day of the week (Monday to Sunday) after this one */
	if (Is(w, "next") && Is(next, "week") &&
		(wd = WeekdayOf(NextInClause(sc, i + 1), &abbrev)) >= 0)
		return SetOffset(out, today, NextWeekOffset(today, wd));
	wd = WeekdayOf(w, &abbrev);
	if (wd >= 0 && Is(next, "next") && Is(NextInClause(sc, i + 1), "week"))
		return SetOffset(out, today, NextWeekOffset(today, wd));
	if (wd >= 0)
	{
		int			ahead = (wd - today->weekday + 7) % 7;
		bool		qualified = Is(prev, "this") || Is(prev, "on") ||
			Is(prev, "coming") || Is(prev, "by") || Is(prev, "next");

		if (abbrev && !qualified &&
			!(Is(next, "morning") || Is(next, "afternoon") || Is(next, "evening") ||
			  Is(next, "eve") || Is(next, "mrng") ||
			  (next != NULL && ClockTime(sc, i + 1) >= 0)))
			return false;
		if (Is(prev, "next"))
			ahead += 7;
		return SetOffset(out, today, ahead);
	}
	if (NumericDate(sc, i, out))
		return true;
	if (DayNumber(w, &d, &suffixed))
	{
		long		k = i + 1;

		/* "18 th Jan" */
		if (!suffixed && (Is(Tok(sc, k), "th") || Is(Tok(sc, k), "st") ||
						  Is(Tok(sc, k), "nd") || Is(Tok(sc, k), "rd")) &&
			SameClause(sc, k))
			k++;
		if (Is(Tok(sc, k), "of") && SameClause(sc, k))
			k++;
		m = MonthOf(Tok(sc, k));
		if (m > 0 && GapOnly(sc, Tok(sc, k - 1), Tok(sc, k), " \t-", false))
		{
			y = YearAfter(sc, k, today);
			if (y > 0)
				return SetDate(out, y, m, d);
			return SetYearless(out, today, m, d);
		}
		return false;
	}
	m = MonthOf(w);
	if (m > 0 && next != NULL && DayNumber(next, &d, &suffixed) &&
		GapOnly(sc, w, next, " \t", true))
	{
		/* "may" after a subject is a verb: "I may 2 ..." */
		if (m == 5 && (Is(prev, "i") || Is(prev, "we") || Is(prev, "you") ||
					   Is(prev, "it") || Is(prev, "they") || Is(prev, "he") ||
					   Is(prev, "she")))
			return false;
		/* not a time: "Jan 10:30", "Jan 10am" */
		if (next->end < sc->len && sc->s[next->end] == ':')
			return false;
		y = YearAfter(sc, i + 1, today);
		if (y > 0)
			return SetDate(out, y, m, d);
		return SetYearless(out, today, m, d);
	}
	if (Is(w, "on") || Is(w, "by"))
	{
		long		k = i + 1;
		const Word *dw;
		const Word *after;
		int			tries;

		if (Is(Tok(sc, k), "the") && SameClause(sc, k))
			k++;
		dw = Tok(sc, k);
		/* "on 15/2": day and month without a year */
		if (dw != NULL && Tok(sc, k + 1) != NULL && SmallNumber(dw, &d) &&
			SmallNumber(Tok(sc, k + 1), &m) && GapIs(sc, dw, Tok(sc, k + 1), "/") &&
			!(Tok(sc, k + 1)->end < sc->len && sc->s[Tok(sc, k + 1)->end] == '/') &&
			!Is(Tok(sc, k + 2), "bhk"))
			return d >= 1 && d <= 31 && SetYearless(out, today, m, d);
		if (!SameClause(sc, k) || !DayNumber(dw, &d, &suffixed) || !suffixed)
			return false;
		after = NextInClause(sc, k);
		if (InList(after, address_words) || MonthOf(after) > 0 || Is(after, "of"))
			return false;
		/* the next day d of a month, on or after today */
		y = today->year;
		m = today->month;
		for (tries = 0; tries < 4; tries++)
		{
			if (d <= DaysInMonth(y, m) && (tries > 0 || d >= today->day))
				return SetDate(out, y, m, d);
			if (++m > 12)
			{
				m = 1;
				y++;
			}
		}
		return false;
	}
	return false;
}

/*
 * TryDate: the date starting at word i (DateAt), unless the words before
 * it say "not then" (NotThen).
 */
static bool
TryDate(Scanner *sc, long i, const Today *today, SchedContactDetails *out)
{
	if (!DateAt(sc, i, today, out))
		return false;
	if (!NotThen(sc, i))
		return true;
	out->has_date = false;
	out->year = out->month = out->day = 0;
	return false;
}

/*
 * SlotOfHour: the slot holding a local hour (sched_slot_hours), or -1.
 */
static int
SlotOfHour(int hour)
{
	int			slot;

	for (slot = 0; slot < SLOT_N; slot++)
	{
		int			start;
		int			end;

		if (sched_slot_hours(slot, &start, &end) && hour >= start && hour < end)
			return slot;
	}
	return -1;
}

/*
 * AmPm: word k (with the next word, for "a.m.") says am (1) or pm (2); 0
 * if neither.
 */
static int
AmPm(Scanner *sc, long k)
{
	const Word *w = Tok(sc, k);
	const Word *n = Tok(sc, k + 1);

	if (Is(w, "am"))
		return 1;
	if (Is(w, "pm"))
		return 2;
	if ((Is(w, "a") || Is(w, "p")) && Is(n, "m") && GapIs(sc, w, n, "."))
		return Is(w, "a") ? 1 : 2;
	return 0;
}

/*
 * HourTo24: a 12-hour clock hour (1-12) and am (1) / pm (2) as 0-23; -1
 * if the hour is not one.
 */
static int
HourTo24(int h, int ampm)
{
	if (h < 1 || h > 12)
		return -1;
	if (ampm == 1)
		return h == 12 ? 0 : h;
	return h == 12 ? 12 : h + 12;
}

/*
 * ClockTime: a time of day starting at word i, as an hour 0-23, or -1:
 *   "4 pm", "4pm", "4 p.m.", "10:30 am", "10.30am", "10:30am";
 *   "16:00", "9:45" (24-hour, with a colon and no am/pm);
 * "at 4", "2 o'clock" and "10.30" alone are too ambiguous and give none.
 */
static int
ClockTime(Scanner *sc, long i)
{
	const Word *w = Tok(sc, i);
	const Word *n;
	int			h;
	int			mins;
	int			ap;

	if (w == NULL || !w->whole)
		return -1;
	/* not the tail of a longer number or time ("1.5", "10:30:45") */
	if (w->start > 0)
	{
		char		b = sc->s[w->start - 1];

		if ((b == ':' || b == '.') && w->start > 1 &&
			IS_DIGIT((unsigned char) sc->s[w->start - 2]))
			return -1;
	}
	/* "10am", "4pm" */
	if (!w->digits && !w->letters)
	{
		size_t		nd = strspn(w->w, "0123456789");

		if ((nd == 1 || nd == 2) &&
			(strcmp(w->w + nd, "am") == 0 || strcmp(w->w + nd, "pm") == 0))
		{
			h = nd == 1 ? w->w[0] - '0' : (w->w[0] - '0') * 10 + (w->w[1] - '0');
			return HourTo24(h, w->w[nd] == 'a' ? 1 : 2);
		}
		return -1;
	}
	if (!SmallNumber(w, &h))
		return -1;
	n = Tok(sc, i + 1);
	if (n == NULL)
		return -1;
	/* "4 pm" */
	ap = AmPm(sc, i + 1);
	if (ap > 0 && GapOnly(sc, w, n, " \t", false))
		return HourTo24(h, ap);
	/* "10:30", "10:30 am", "10.30am" */
	if (GapIs(sc, w, n, ":") || GapIs(sc, w, n, "."))
	{
		bool		colon = GapIs(sc, w, n, ":");
		size_t		nd = strspn(n->w, "0123456789");

		if (!n->whole || nd != 2)
			return -1;
		mins = (n->w[0] - '0') * 10 + (n->w[1] - '0');
		if (mins > 59)
			return -1;
		if (strcmp(n->w + 2, "am") == 0 || strcmp(n->w + 2, "pm") == 0)
			return HourTo24(h, n->w[2] == 'a' ? 1 : 2);
		if (n->w[2] != '\0')
			return -1;
		ap = AmPm(sc, i + 2);
		if (ap > 0 && Tok(sc, i + 2) != NULL &&
			GapOnly(sc, n, Tok(sc, i + 2), " \t", false))
			return HourTo24(h, ap);
		/* 24-hour only with a colon, and not followed by more ":ss" */
		if (colon && h <= 23 && !(n->end < sc->len && sc->s[n->end] == ':'))
			return h;
	}
	return -1;
}

/*
 * TrySlot: a time slot at word i:
 *   morning: "morning", "mornings", "mrng", "forenoon", "before noon",
 *   "before lunch";
 *   afternoon: "afternoon", "after noon", "after lunch", "post lunch",
 *   "lunch time", "noon", "midday";
 *   evening: "evening", "evenings", "evng";
 *   a clock time (ClockTime) in a slot's hours: 9:00-11:59 morning,
 *   12:00-14:59 afternoon, 15:00-17:59 evening; other hours are no slot
 *   and the search goes on.
 * "night", "tonight" and "eve" give none, nor does a greeting ("good
 * morning").  A slot right after "not", "except", "busy" ("busy in the
 * morning") is skipped.
 */
static bool
TrySlot(Scanner *sc, long i, SchedContactDetails *out)
{
	const Word *w = Tok(sc, i);
	const Word *next = NextInClause(sc, i);
	int			slot = -1;

	/* a greeting: "good morning", "gud evening" */
	if (Is(PrevInClause(sc, i), "good") || Is(PrevInClause(sc, i), "gud"))
		return false;
	if (Is(w, "morning") || Is(w, "mornings") || Is(w, "mrng") ||
		Is(w, "morng") || Is(w, "forenoon") ||
		(Is(w, "before") && (Is(next, "noon") || Is(next, "lunch"))))
		slot = SLOT_MORNING;
	else if (Is(w, "afternoon") || Is(w, "afternoons") || Is(w, "aftrnoon") ||
			 Is(w, "noon") || Is(w, "midday") || Is(w, "lunchtime") ||
			 ((Is(w, "after") || Is(w, "post")) && (Is(next, "noon") || Is(next, "lunch"))) ||
			 (Is(w, "lunch") && Is(next, "time")))
		slot = SLOT_AFTERNOON;
	else if (Is(w, "evening") || Is(w, "evenings") || Is(w, "evng") ||
			 Is(w, "evning"))
		slot = SLOT_EVENING;
	else
	{
		int			h = ClockTime(sc, i);

		if (h >= 0)
			slot = SlotOfHour(h);
	}
	if (slot < 0 || NotThen(sc, i))
		return false;
	out->has_slot = true;
	out->slot = slot;
	return true;
}

/*
 * PhoneJoined: byte c glues a number to a word, an address or a date
 * around it ("x9876543210", "98765@ybl", "18/01").
 */
static bool
PhoneJoined(unsigned char c)
{
	return IS_ALPHA(c) || c == '@' || c == '_' || c == '/' || c == '\\';
}

/*
 * TryPhoneGroups: the widest span of the digit groups of one run that
 * normalises (leftmost of equal width); a '+' before the first group
 * counts only for spans that start with it.
 */
static bool
TryPhoneGroups(const char *s, const size_t *gstart, const size_t *glen,
			   int ngroups, bool plus, const char *default_cc,
			   size_t *at, SchedContactDetails *out)
{
	int			width;
	int			first;

	for (width = ngroups; width >= 1; width--)
		for (first = 0; first + width <= ngroups; first++)
		{
			char		compact[PHONE_MAX_DIGITS + 2];
			size_t		n = 0;
			int			g;
			bool		fits = true;

			if (plus && first == 0)
				compact[n++] = '+';
			for (g = first; g < first + width && fits; g++)
			{
				if (n + glen[g] > PHONE_MAX_DIGITS + 1)
					fits = false;
				else
				{
					memcpy(compact + n, s + gstart[g], glen[g]);
					n += glen[g];
				}
			}
			if (!fits)
				continue;
			if (sched_normalize_phone(compact, n, default_cc, out->phone) == SCHED_PHONE_OK)
			{
				out->has_phone = true;
				*at = gstart[first] - (plus && first == 0 ? 1 : 0);
				return true;
			}
		}
	out->phone[0] = '\0';
	return false;
}

/*
 * FindPhone: the first phone number: a run of digit groups separated by
 * spaces, dashes, dots or parentheses (at most three such bytes at a
 * time), with an optional leading '+', not glued to letters, '@', '_' or
 * '/' on either side; the widest span of its groups that
 * sched_normalize_phone accepts with default_cc ("98765 43210 18 Jan"
 * gives +919876543210).  A run of more than 12 groups, or with a group of
 * more than 15 digits, is no number.  *at is where the number found
 * starts.
 */
static void
FindPhone(const char *s, size_t len, const char *default_cc, size_t *at,
		  SchedContactDetails *out)
{
	size_t		pos = 0;

	while (pos < len)
	{
		size_t		gstart[PHONE_MAX_GROUPS];
		size_t		glen[PHONE_MAX_GROUPS];
		int			ngroups = 0;
		bool		plus = false;
		bool		usable = true;
		size_t		run_start = pos;
		size_t		p;
		unsigned char c = (unsigned char) s[pos];

		if (!IS_DIGIT(c) && c != '+')
		{
			pos++;
			continue;
		}
		if (c == '+')
		{
			if (pos + 1 >= len || !IS_DIGIT((unsigned char) s[pos + 1]))
			{
				pos++;
				continue;
			}
			plus = true;
			pos++;
		}
		if (run_start > 0 && (PhoneJoined((unsigned char) s[run_start - 1]) ||
							  IS_DIGIT((unsigned char) s[run_start - 1])))
			usable = false;
		/* the groups */
		for (;;)
		{
			size_t		gs = pos;
			size_t		sep = 0;

			while (pos < len && IS_DIGIT((unsigned char) s[pos]))
				pos++;
			if (ngroups < PHONE_MAX_GROUPS && pos - gs <= PHONE_GROUP_DIGITS)
			{
				gstart[ngroups] = gs;
				glen[ngroups] = pos - gs;
				ngroups++;
			}
			else
				usable = false;
			p = pos;
			while (p < len && sep <= 3 &&
				   (s[p] == ' ' || s[p] == '-' || s[p] == '.' || s[p] == '(' ||
					s[p] == ')'))
			{
				p++;
				sep++;
			}
			if (sep == 0 || sep > 3 || p >= len || !IS_DIGIT((unsigned char) s[p]))
				break;
			pos = p;
		}
		/* pos is just past the last digit */
		if (pos < len && (PhoneJoined((unsigned char) s[pos]) ||
						  (s[pos] == '.' && pos + 1 < len &&
						   IS_ALNUM((unsigned char) s[pos + 1]))))
			usable = false;
		if (usable && TryPhoneGroups(s, gstart, glen, ngroups, plus, default_cc, at, out))
			return;
	}
}

/* True for the bytes of an email's local part (RFC 5322 atext, and dots). */
static bool
IsLocalChar(unsigned char c)
{
	return IS_ALNUM(c) || (c != '\0' && strchr(".!#$%&*+/=?^_{|}~-", c) != NULL);
}

/*
 * FindEmail: the first address: around each '@', the local part's bytes
 * before it and the domain's (letters, digits, '-', '.') after it, less a
 * sentence's dot at the end, when sched_normalize_email accepts them.
 */
static void
FindEmail(const char *s, size_t len, SchedContactDetails *out)
{
	size_t		at;

	for (at = 0; at < len; at++)
	{
		size_t		left = at;
		size_t		right = at + 1;

		if (s[at] != '@')
			continue;
		while (left > 0 && IsLocalChar((unsigned char) s[left - 1]))
			left--;
		while (left < at && s[left] == '.')
			left++;
		while (right < len && (IS_ALNUM((unsigned char) s[right]) ||
							   s[right] == '-' || s[right] == '.'))
			right++;
		while (right > at + 1 && (s[right - 1] == '.' || s[right - 1] == '-'))
			right--;
		if (left == at || right == at + 1 || right - left > SCHED_MAX_EMAIL)
			continue;
		if (sched_normalize_email(s + left, right - left, out->email) == SCHED_EMAIL_OK)
		{
			out->has_email = true;
			return;
		}
		out->email[0] = '\0';
	}
}

/*
 * LeadingName: a reply in the prompt's order, "Ravi Kumar, 98765 43210,
 * Sunday 11am": capitalised name words opening the message (after an
 * optional greeting), then the phone number found, with only white space
 * and , - : ; / ( between them; a single word only with one of those
 * marks or a line break after it ("Rahul, 98765 43210", not "Rahul
 * 98765 43210").
 */
static void
LeadingName(const char *msg, size_t len, size_t phone_at, SchedContactDetails *out)
{
	Scanner		sc;
	long		k = 0;
	long		last;
	size_t		p;
	bool		marked;

	ScanInit(&sc, msg, len);
	while (k < 2 && InList(Tok(&sc, k), greetings))
		k++;
	if (Tok(&sc, k) == NULL || Tok(&sc, k)->start >= phone_at ||
		!CollectName(&sc, k, true, -1, &last, out))
		return;
	marked = last > k;
	for (p = Tok(&sc, last)->end; p < phone_at; p++)
	{
		char		c = msg[p];

		if (c == ' ' || c == '\t')
			continue;
		if (c == '\0' || strchr(",-:;/(\n\r", c) == NULL)
		{
			marked = false;
			break;
		}
		marked = true;
	}
	if (!marked)
	{
		out->has_name = false;
		out->name[0] = '\0';
	}
}

/*
 * sched_parse_contact_details: name, date and slot from the words (the
 * first of each, see TryName, TryDate, TrySlot), phone and email from the
 * bytes (FindPhone, FindEmail), and a name before the number
 * (LeadingName) when no other was found.
 */
void
sched_parse_contact_details(const char *msg, size_t len,
							int today_year, int today_month, int today_day,
							const char *default_cc,
							SchedContactDetails *out)
{
	Scanner		sc;
	Today		today;
	long		i;

	memset(out, 0, sizeof(*out));
	out->slot = -1;
	if (msg == NULL)
		len = 0;

	today.ok = sched_valid_date(today_year, today_month, today_day);
	today.year = today_year;
	today.month = today_month;
	today.day = today_day;
	today.days = today.ok ? sched_days_from_civil(today_year, today_month, today_day) : 0;
	today.weekday = Weekday(today.days);

	ScanInit(&sc, msg, len);
	for (i = 0; Tok(&sc, i) != NULL; i++)
	{
		if (!out->has_name)
			(void) TryName(&sc, i, out);
		if (!out->has_date && today.ok)
			(void) TryDate(&sc, i, &today, out);
		if (!out->has_slot)
			(void) TrySlot(&sc, i, out);
		if (out->has_name && out->has_date && out->has_slot)
			break;
	}
	if (len > 0)
	{
		size_t		phone_at = 0;

		FindPhone(msg, len, default_cc, &phone_at, out);
		FindEmail(msg, len, out);
		if (out->has_phone && !out->has_name)
			LeadingName(msg, len, phone_at, out);
	}
}
