/*
 * intent.c
 *		The intent of a customer's chat message: site visit, callback or
 *		nothing (sched_detect_intent), read from its words (words.c) with
 *		the cues of wordlists.c.
 *
 * Pure C, no PostgreSQL headers (see intent.h).
 *
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
 */
#include "intent.h"

#include "wordlists.h"
#include "words.h"

#include <string.h>

/* Longest message, in words, that can still be a bare affirmative. */
#define AFFIRM_MAX_WORDS 12

/*
 * IsNegator: word k negates what follows it in its clause.
 */
static bool
IsNegator(Scanner *sc, long k)
{
	const Word *w = WordAt(sc, k);
	const Word *next = WordNextInClause(sc, k);
	const Word *prev = WordPrevInClause(sc, k);

	if (w == NULL)
		return false;
	if (WordInList(w, sched_plain_negators))
		return true;
	if (WordIs(w, "never"))
		return !WordIs(next, "mind");
	if (WordIs(w, "cant"))
		return !WordIs(next, "wait");
	if (WordIs(w, "not"))
		return !WordInList(next, sched_not_exceptions_next) &&
			!WordIs(prev, "why") && !WordIs(prev, "if") && !WordIs(prev, "or");
	if (WordIs(w, "no"))
		return WordInList(next, sched_no_next);
	if (WordIs(w, "stop") || WordIs(w, "stopped"))
		return !WordIs(next, "by") && !WordIs(next, "over") &&
			!WordIs(prev, "bus") && !WordIs(prev, "metro") &&
			!WordIs(prev, "last") && !WordIs(prev, "next");
	if (WordIs(w, "instead"))
		return WordIs(next, "of");
	if (WordIs(w, "than"))
		return WordIs(prev, "rather");
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

		if (!WordSameClause(sc, j))
			break;
		p = WordAt(sc, j - 1);
		if (WordInList(p, sched_break_words) && !WordIs(p, "instead") &&
			!WordIs(p, "rather"))
			break;
		if (IsNegator(sc, j - 1))
			return true;
		if (!WordInList(p, sched_light_words) && ++content > 2)
			break;
	}
	for (j = to + 1; j <= to + 3; j++)
	{
		const Word *w;

		if (!WordSameClause(sc, j))
			break;
		w = WordAt(sc, j);
		if (WordInList(w, sched_break_words))
			break;
		if (WordInList(w, sched_post_negators))
			return true;
		if ((WordIs(w, "not") || WordIs(w, "isnt")) && WordInList(WordNextInClause(sc, j), sched_not_needed))
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
	while (j <= i + 3 && WordSameClause(sc, j))
	{
		if (!WordInList(WordAt(sc, j), sched_determiners))
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
	const Word *w = WordAt(sc, j);

	if (j < 0 || w == NULL)
		return false;
	if (!WordInList(w, sched_property_words) &&
		!(determined && WordInList(w, sched_property_plurals)))
		return false;
	return !WordInList(WordNextInClause(sc, j), sched_media_words);
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
	const Word *p1 = WordPrevInClause(sc, i);
	const Word *p2 = p1 ? WordPrevInClause(sc, i - 1) : NULL;
	const Word *o = obj >= 0 ? WordAt(sc, obj) : NULL;

	if (PropertyObject(sc, obj, determined))
		return true;
	/* nothing after it, a place before it: "a sample flat I can see?" */
	if (WordNextInClause(sc, i) == NULL)
	{
		long		j;

		for (j = i - 1; j >= i - 6 && j >= 0 && WordSameClause(sc, j + 1); j--)
			if (WordInList(WordAt(sc, j), sched_property_words) ||
				WordInList(WordAt(sc, j), sched_property_plurals))
				return true;
	}
	/* come see, come and see, come n see, come to see, go see, go and see */
	if (WordIs(p1, "come") || WordIs(p1, "coming") || WordIs(p1, "go") ||
		((WordIs(p1, "and") || WordIs(p1, "n")) &&
		 (WordIs(p2, "come") || WordIs(p2, "coming") || WordIs(p2, "go"))) ||
		(WordIs(p1, "to") && (WordIs(p2, "come") || WordIs(p2, "coming"))))
		return true;
	/* a wish, then a capitalised name that is not a media word */
	if (o != NULL && o->cap && o->letters &&
		!WordInList(o, sched_media_words) && !WordInList(o, sched_you_words) &&
		!WordIs(o, "i") && !WordIs(o, "it") &&
		!WordInList(WordAt(sc, obj + 1), sched_media_words))
	{
		if (WordIs(p1, "wanna") ||
			(WordIs(p1, "to") && WordInList(p2, sched_wish_words)) ||
			((WordIs(p1, "i") || WordIs(p1, "we")) &&
			 (WordIs(p2, "can") || WordIs(p2, "could") || WordIs(p2, "may"))))
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

	while (j >= 0 && WordSameClause(sc, j + 1) && skipped < 3)
	{
		const Word *w = WordAt(sc, j);

		if (WordInList(w, sched_property_words) ||
			WordInList(w, sched_property_plurals))
			return !WordInList(WordAt(sc, j + 1), sched_media_words);
		if (WordIs(w, "aake") || WordIs(w, "aakar") || WordIs(w, "aa") ||
			WordIs(w, "jaake") || WordIs(w, "aaker") || WordIs(w, "akar") ||
			WordIs(w, "आकर") ||
			WordIs(w, "आके"))
			return true;
		if (WordInList(w, sched_media_words))
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
		"inspection", "seeing", "walk", "walkthrough", "pe", "par", "pr",
		"viewing", "पर", "पे",
		END_OF_LIST
	};
	static const char *const skip[] = {
		"the", "your", "ur", "our", "this", "that", "to", "at", "over", "down",
		"on", "up", "me", "us", "you", "there", "my", "family", "wife",
		"parents", "with", END_OF_LIST
	};
	long		j = i - 1;
	int			skipped = 0;

	if (WordInList(WordNextInClause(sc, i), site_after))
		return true;
	while (j >= 0 && WordSameClause(sc, j + 1) && skipped < 4)
	{
		const Word *w = WordAt(sc, j);

		if (WordInList(w, sched_come_words) || WordIs(w, "take") ||
			WordIs(w, "drop"))
			return true;
		if (!WordInList(w, skip))
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

	while (j <= i + 4 && WordSameClause(sc, j) && steps < 4)
	{
		const Word *w = WordAt(sc, j);

		if (WordIs(w, "to") || WordIs(w, "at") || WordIs(w, "over") ||
			WordIs(w, "down") || WordIs(w, "and"))
		{
			j++;
			steps++;
			continue;
		}
		if (WordInList(w, sched_determiners))
		{
			determined = true;
			j++;
			steps++;
			continue;
		}
		if (WordIs(w, "home") && !determined)
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

	if (WordInList(WordNextInClause(sc, i), not_after))
		return false;
	while (steps < 4)
	{
		const Word *p;

		if (!WordSameClause(sc, j))
			return steps > 0;	/* only helpers before it: "can come at 11" */
		p = WordAt(sc, j - 1);
		if (WordInList(p, subjects))
			return true;
		if (WordIs(p, "to"))
			return WordInList(WordPrevInClause(sc, j - 1), sched_wish_words);
		if (!WordInList(p, helpers))
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
	const Word *w = WordAt(sc, i);
	const Word *prev = WordPrevInClause(sc, i);
	const Word *next = WordNextInClause(sc, i);
	bool		determined;
	long		obj;

	*from = i;
	*to = i;
	if (WordInList(w, sched_visit_words))
	{
		const Word *before = prev;

		if (WordIs(prev, "site") || WordIs(prev, "sight") ||
			WordIs(prev, "property"))
			before = WordPrevInClause(sc, i - 1);
		if (WordInList(before, sched_not_in_person) ||
			WordInList(prev, sched_not_in_person))
			return false;
		/* a visit that is over: "the visit was good" */
		if (WordIs(next, "was") || WordIs(next, "went") ||
			WordIs(next, "were"))
			return false;
		if (WordIs(w, "visiting") &&
			(WordIs(next, "card") || WordIs(next, "cards")))
			return false;
		obj = ObjectAfter(sc, i, &determined);
		if (obj >= 0 && WordInList(WordAt(sc, obj), sched_web_words))
			return false;
		return true;
	}
	if (WordIs(w, "tour") || WordIs(w, "tours") || WordIs(w, "tuor") ||
		WordIs(w, "touring") || WordIs(w, "walkthrough"))
	{
		const Word *prev2 = prev ? WordPrevInClause(sc, i - 1) : NULL;

		if (WordInList(prev, sched_not_in_person))
			return false;
		if (WordIs(prev, "on") || (WordIs(prev, "a") && WordIs(prev2, "on")))
			return false;
		if (WordIs(next, "was") || WordIs(next, "went") ||
			WordIs(next, "were"))
			return false;
		return true;
	}
	if (WordIs(w, "see") || WordIs(w, "seeing"))
		return SeeCue(sc, i);
	/* SMS "c" for see, only with a place to see: "wnt 2 c d site" */
	if (WordIs(w, "c"))
	{
		obj = ObjectAfter(sc, i, &determined);
		return PropertyObject(sc, obj, determined);
	}
	if (WordInList(w, sched_hindi_come))
		return true;
	/* "aa sakta hoon", "aa jaunga", "aa raha hoon"; not "call aa raha hai" */
	if ((WordIs(w, "aa") || WordIs(w, "आ")) &&
		WordInList(next, sched_hindi_come_after) &&
		!WordInList(prev, sched_callback_words) && !WordIs(prev, "call") &&
		!WordIs(prev, "phone") && !WordIs(prev, "fone"))
	{
		*to = i + 1;
		return true;
	}
	/* "aana hai", "aana chahta hoon", "आना चाहता हूं" */
	if ((WordIs(w, "aana") || WordIs(w, "aane") || WordIs(w, "ana") ||
		 WordIs(w, "आना") ||
		 WordIs(w, "आने")) &&
		(WordIs(next, "hai") || WordIs(next, "chahta") || WordIs(next, "chahte") ||
		 WordIs(next, "chahti") || WordIs(next, "chahenge") ||
		 WordIs(next, "है") ||
		 WordInList(next, sched_past_stoppers)))
	{
		*to = i + 1;
		return true;
	}
	if (WordInList(w, sched_see_hindi))
		return HindiSeeCue(sc, i);
	if (WordIs(w, "view") || WordIs(w, "check") || WordIs(w, "checkout") ||
		WordIs(w, "inspect") || WordIs(w, "look"))
	{
		long		at = i;

		if ((WordIs(w, "check") && WordIs(next, "out")) ||
			(WordIs(w, "look") &&
			 (WordIs(next, "at") || WordIs(next, "around"))))
			at = i + 1;
		else if (WordIs(w, "look"))
			return false;
		obj = ObjectAfter(sc, at, &determined);
		return determined && PropertyObject(sc, obj, true);
	}
	if (WordIs(w, "viewing"))
		return WordIs(prev, "a") || WordIs(prev, "an") ||
			WordIs(prev, "book") || WordIs(prev, "schedule") ||
			WordIs(prev, "arrange") || WordIs(prev, "fix") ||
			WordIs(prev, "for") || WordIs(prev, "site") ||
			WordIs(prev, "property");
	if (WordIs(w, "site") || WordIs(w, "साइट"))
		return SiteCue(sc, i);
	if (WordIs(w, "in") && WordIs(next, "person"))
	{
		*to = i + 1;
		return true;
	}
	if (WordIs(w, "inperson") || WordIs(w, "physically"))
		return true;
	if ((WordIs(w, "come") || WordIs(w, "coming")) && WordIs(next, "over"))
	{
		*to = i + 1;
		return true;
	}
	if (((WordIs(w, "drop") || WordIs(w, "stop") || WordIs(w, "swing")) && WordIs(next, "by")) ||
		(WordIs(w, "pop") && (WordIs(next, "by") || WordIs(next, "in") || WordIs(next, "over"))))
	{
		*to = i + 1;
		return true;
	}
	/* "drop in at the site", "drop in tomorrow"; not "a drop in the price" */
	if (WordIs(w, "drop") && WordIs(next, "in"))
	{
		const Word *after = WordNextInClause(sc, i + 1);

		*to = i + 1;
		return after == NULL || WordIs(after, "at") || WordIs(after, "to") ||
			WordIs(after, "on") || WordIs(after, "for") ||
			WordIs(after, "tomorrow") || WordIs(after, "today") ||
			WordIs(after, "sometime") || WordIs(after, "this") ||
			WordIs(after, "next");
	}
	if (WordIs(w, "show"))
	{
		long		at = i;

		if (WordIs(next, "me") || WordIs(next, "us"))
			at = i + 1;
		if (WordIs(WordNextInClause(sc, at), "around"))
			return true;
		obj = ObjectAfter(sc, at, &determined);
		return determined && PropertyObject(sc, obj, true);
	}
	if ((WordIs(w, "come") || WordIs(w, "coming")) && ComeCue(sc, i))
		return true;
	if (WordInList(w, sched_come_words) && ComeToPlaceCue(sc, i, to))
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

	while (steps < 3 && WordSameClause(sc, j))
	{
		const Word *p = WordAt(sc, j - 1);

		if (WordInList(p, sched_self_subjects))
			return true;
		if (WordIs(p, "me") && WordIs(WordPrevInClause(sc, j - 1), "let"))
			return true;
		if (!WordInList(p, sched_modal_words))
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
	const Word *w = WordAt(sc, i);
	const Word *prev = WordPrevInClause(sc, i);
	const Word *next = WordNextInClause(sc, i);

	*from = i;
	*to = i;
	if (WordInList(w, sched_callback_words))
		return true;
	if (WordIs(w, "call") || WordIs(w, "calling") || WordIs(w, "caal") ||
		WordIs(w, "cll") || WordInList(w, sched_call_devanagari))
	{
		bool		determined;
		long		obj = ObjectAfter(sc, i, &determined);

		if (WordIs(prev, "so") || WordInList(next, sched_you_words) ||
			WordIs(next, "it") || WordIs(next, "center") ||
			WordIs(next, "centre"))
			return false;
		/* another sense: "call the lift", "your call", "what do you call the balcony" */
		if (obj >= 0 && WordInList(WordAt(sc, obj), sched_call_things))
			return false;
		if (WordInList(prev, sched_call_noun_before))
			return false;
		/* "it's your call", "is it your call" */
		if ((WordIs(prev, "your") || WordIs(prev, "ur")) &&
			(WordIs(WordPrevInClause(sc, i - 1), "its") ||
			 WordIs(WordPrevInClause(sc, i - 1), "it") ||
			 WordIs(WordPrevInClause(sc, i - 1), "is")))
			return false;
		if ((WordInList(prev, sched_you_words) || WordIs(prev, "we") ||
			 WordIs(prev, "they") || WordIs(prev, "people") ||
			 WordIs(prev, "ppl")) &&
			determined && !WordIs(WordAt(sc, obj), "number"))
			return false;
		if (SelfCalls(sc, i))
			return false;
		/* a question about a call that was or was not made: "did anyone call me?" */
		if (WordIs(prev, "did") || WordIs(WordPrevInClause(sc, i - 1), "did") ||
			(prev != NULL && WordIs(WordPrevInClause(sc, i - 2), "did")))
			return false;
		if (WordIs(w, "calling") &&
			(WordIs(prev, "keep") || WordIs(prev, "keeps") ||
			 WordIs(prev, "kept") || WordIs(prev, "been") ||
			 WordIs(prev, "am") || WordIs(prev, "im") || WordIs(prev, "is") ||
			 WordIs(prev, "are") || WordIs(prev, "were") ||
			 WordIs(prev, "was") || WordIs(prev, "tried") ||
			 WordIs(prev, "trying") || WordIs(prev, "try")))
			return false;
		return true;
	}
	if (WordIs(w, "cal") || WordIs(w, "cl"))
		return WordInList(next, sched_cal_next) || WordIs(prev, "a");
	if (WordIs(w, "phone") || WordIs(w, "fone") || WordIs(w, "phn") ||
		WordIs(w, "फोन"))
	{
		const Word *prev2 = prev ? WordPrevInClause(sc, i - 1) : NULL;

		if (WordInList(next, sched_phone_verb_next))
		{
			*to = i + 1;
			return true;
		}
		if (WordIs(next, "number") || WordIs(next, "no") ||
			WordIs(next, "num") || WordIs(next, "nos") ||
			WordIs(next, "numbers"))
			return false;
		return WordInList(prev, sched_channel_words) ||
			(WordIs(prev, "the") && WordInList(prev2, sched_channel_words));
	}
	if (WordIs(w, "ring"))
	{
		if (WordInList(next, sched_me_us) || WordIs(next, "back"))
			return true;
		return WordIs(prev, "a") && !WordIs(next, "road") &&
			!WordIs(next, "roads") && !WordIs(next, "rd");
	}
	if (WordIs(w, "contact") || WordIs(w, "reach"))
	{
		if (WordInList(next, sched_me_us))
			return true;
		return WordIs(w, "reach") && WordIs(next, "out") &&
			WordIs(WordNextInClause(sc, i + 1), "to") &&
			WordInList(WordNextInClause(sc, i + 2), sched_me_us);
	}
	if (WordIs(w, "talk") || WordIs(w, "speak") || WordIs(w, "talking") || WordIs(w, "speaking"))
	{
		long		j;

		if (!WordIs(next, "to") && !WordIs(next, "with"))
			return false;
		for (j = i + 2; j <= i + 4 && WordSameClause(sc, j); j++)
		{
			const Word *o = WordAt(sc, j);

			if (WordInList(o, sched_talk_to_whom))
			{
				*to = j;
				return true;
			}
			if (!WordInList(o, sched_determiners) && !WordIs(o, "any") &&
				!WordIs(o, "one") && !WordIs(o, "of") && !WordIs(o, "real") &&
				!WordIs(o, "sales"))
				return false;
		}
		return false;
	}
	if (WordIs(w, "baat") || WordIs(w, "bat") ||
		WordIs(w, "बात"))
		return WordInList(next, sched_baat_next);
	if (WordIs(w, "touch"))
	{
		const Word *prev2 = prev ? WordPrevInClause(sc, i - 1) : NULL;

		if (!WordIs(prev, "in") ||
			!(WordIs(prev2, "get") || WordIs(prev2, "be") ||
			  WordIs(prev2, "keep") || WordIs(prev2, "stay")))
			return false;
		if (WordIs(next, "with") &&
			WordInList(WordNextInClause(sc, i + 1), sched_you_words))
			return false;
		*from = i - 2;
		return true;
	}
	return false;
}

/*
 * CallMe: the callback cue ending at word i names whom to call back:
 * "call me", "call back", "ring us"; a past tense before it is then the
 * reason for asking ("I got your message, call me back").
 */
static bool
CallMe(Scanner *sc, long i)
{
	const Word *next = WordNextInClause(sc, i);

	return WordInList(WordAt(sc, i), sched_callback_words) ||
		WordInList(next, sched_me_us) || WordIs(next, "back") ||
		WordIs(next, "bak") || WordIs(next, "bk");
}

/*
 * AffirmClass: 2 if word i is an affirmative, 1 if it may go with one,
 * 0 if it makes the message more than a bare yes.
 */
static int
AffirmClass(Scanner *sc, long i)
{
	const Word *w = WordAt(sc, i);
	const Word *prev = i > 0 ? WordAt(sc, i - 1) : NULL;

	if (WordIs(w, "not"))
		return WordIs(prev, "why") ? 2 : 0;
	if (WordIs(w, "why"))
		return WordIs(WordAt(sc, i + 1), "not") ? 1 : 0;
	if (WordIs(w, "course"))
		return WordIs(prev, "of") ? 2 : 0;
	if (WordIs(w, "ahead"))
		return WordIs(prev, "go") ? 2 : 1;
	if (WordInList(w, sched_affirm_core))
		return 2;
	if (WordInList(w, sched_affirm_filler))
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

	WordScanInit(&sc, msg, len);
	for (i = 0; WordAt(&sc, i) != NULL; i++)
	{
		long		from;
		long		to;

		if (VisitCue(&sc, i, &from, &to) && !Negated(&sc, from, to) &&
			!WordsInPast(&sc, from, to, true))
		{
			visit = true;
			break;				/* a visit wins */
		}
		if (!callback && CallbackCue(&sc, i, &from, &to) && !Negated(&sc, from, to) &&
			!WordsInPast(&sc, from, to, !CallMe(&sc, to)))
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
 * sched_is_bare_yes (1.4): the message is a bare affirmative, as a nudge
 * takes it ("yes", "ok go ahead", "haan ji", "हां"), and nothing more.
 */
bool
sched_is_bare_yes(const char *msg, size_t len)
{
	Scanner		sc;
	bool		affirmed = false;
	long		i;

	WordScanInit(&sc, msg, len);
	for (i = 0; WordAt(&sc, i) != NULL; i++)
	{
		int			a = AffirmClass(&sc, i);

		if (a == 0 || i >= AFFIRM_MAX_WORDS)
			return false;
		if (a == 2)
			affirmed = true;
	}
	return affirmed;
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
