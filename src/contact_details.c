/*
 * contact_details.c
 *		The contact details a customer's free-text chat reply gives: a
 *		name, a phone number, an email address, a date and a time slot
 *		(sched_parse_contact_details).
 *
 * Pure C, no PostgreSQL headers (see contact_details.h).  Every function
 * reads at most len bytes of its input, never past it, needs no
 * terminating NUL, allocates nothing and runs in time linear in len:
 * test/unit/fuzz_chat.c feeds it arbitrary bytes.
 *
 * Name, date and slot are read from the words (words.c, with the lists
 * of wordlists.c), phone and email from the bytes, which contact.c then
 * normalises.  Each key takes the first match, left to right; see the
 * functions below for what each reads: TryName and LeadingName (name),
 * DateAt (date), TrySlot and ClockTime (slot), FindPhone (phone),
 * FindEmail (email).  test/unit/chat_contacts.tsv lists examples.
 */
#include "contact_details.h"

#include "calendar.h"
#include "wordlists.h"
#include "words.h"

#include <string.h>

/* Phone runs: digit groups and digits looked at. */
#define PHONE_MAX_GROUPS 12
#define PHONE_GROUP_DIGITS 15
#define PHONE_MAX_DIGITS 20

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
	if (WordInList(w, sched_titles))
	{
		if (!first)
			return false;
	}
	else if (w->end - w->start == 1 && IS_UPPER((unsigned char) s[w->start]) &&
			 w->end < sc->len && s[w->end] == '.')
	{
		/* an initial: "A. R. Rahman" */
	}
	else if (WordInList(w, sched_name_stop) ||
			 WordInList(w, sched_media_words) ||
			 WordInList(w, sched_property_words) ||
			 WordInList(w, sched_property_plurals))
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

	WordGap(sc, a, b, &g, &n);
	if (n == 1 && g[0] == '-')
		return true;
	if (n > 0 && g[0] == '.')
	{
		bool		initial = (a->end - a->start == 1 && a->letters);

		if (!initial && !WordInList(a, sched_titles))
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
	const Word *first = WordAt(sc, j);
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
		const Word *w = WordAt(sc, k);

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
	if (WordInList(last, sched_titles) && last == first)
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
 * NameBefore: a name of up to max words ending just before word i, in
 * its clause, capitalised when capitals: it must open a clause, follow a
 * greeting or, when opener is not NULL, follow a word of opener.
 */
static bool
NameBefore(Scanner *sc, long i, int max, bool capitals,
		   const char *const *opener, SchedContactDetails *out)
{
	long		k = i - 1;
	long		start = -1;

	if (!WordSameClause(sc, i))
		return false;
	while (k >= 0 && i - k <= max && NameWordOk(sc, WordAt(sc, k), capitals, true))
	{
		start = k;
		if (!WordSameClause(sc, k))
			break;
		k--;
	}
	if (start < 0)
		return false;
	if (start > 0 && !WordAt(sc, start)->brk &&
		!WordInList(WordAt(sc, start - 1), sched_greetings) &&
		!(opener != NULL && WordInList(WordAt(sc, start - 1), opener)))
		return false;
	return CollectName(sc, start, capitals, i, NULL, out);
}

/*
 * HindiNameWord: "naam" (name) in Latin script or Devanagari, or "name"
 * after a Hindi "my" ("mera name Rahul hai").
 */
static bool
HindiNameWord(const Word *w)
{
	return WordIs(w, "naam") || WordIs(w, "nam") || WordIs(w, "naame") ||
		WordIs(w, "नाम") ||
		WordIs(w, "name");
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
 *   thank the agent by name);
 *   Hindi: "mera naam X hai", "naam: X", "mera naam hai X", "मेरा नाम X
 *   है" (any case of X, ending at "hai"); "main X bol raha / rahi hoon",
 *   "X bol rahi hoon", "मैं X बोल रहा हूं" (any case); "main X hoon" with
 *   X capitalised (Latin script only: "मैं ठीक हूं" is "I am fine").
 * LeadingName reads one more form once the phone number is known.
 */
static bool
TryName(Scanner *sc, long i, SchedContactDetails *out)
{
	const Word *w = WordAt(sc, i);
	const Word *prev = WordPrevInClause(sc, i);
	const Word *next = WordAt(sc, i + 1);

	/* "Rahul Sharma here", after a greeting or opening a clause */
	if (WordIs(w, "here") && (next == NULL || next->brk) && i > 0)
		return NameBefore(sc, i, 3, true, NULL, out);
	if (next == NULL)
		return false;
	if (WordIs(w, "name") &&
		(prev == NULL || WordIs(prev, "my") || WordIs(prev, "full") ||
		 WordIs(prev, "customer") || WordIs(prev, "contact")))
	{
		if (WordGapOnly(sc, w, next, " \t:-=", false) &&
			!WordGapOnly(sc, w, next, " \t", false))
			return CollectName(sc, i + 1, false, -1, NULL, out);
		if (WordIs(next, "is") && !next->brk)
			return CollectName(sc, i + 2, false, -1, NULL, out);
		if ((prev == NULL || WordIs(prev, "my")) && !next->brk)
			return CollectName(sc, i + 1, true, -1, NULL, out);
		return false;
	}
	if (HindiNameWord(w) && (prev == NULL || WordInList(prev, sched_my_hindi)))
	{
		/* "mera naam X hai", "naam: X", "मेरा नाम X है", "mera naam hai X" */
		long		k = i + 1;

		if (next->brk && !WordGapOnly(sc, w, next, " \t:-=", true))
			return false;
		if ((WordIs(next, "hai") || WordIs(next, "he") || WordIs(next, "is") ||
			 WordIs(next, "है")) &&
			WordSameClause(sc, i + 2))
			k++;
		return CollectName(sc, k, false, -1, NULL, out);
	}
	/* "main Neha Joshi bol rahi hoon", any case */
	if (WordInList(w, sched_speaking_words) && i > 0 &&
		WordInList(next, sched_speaking_next) && !next->brk)
		return NameBefore(sc, i, 4, false, sched_i_hindi, out);
	if (WordInList(w, sched_i_hindi) && !next->brk && !next->caseless)
	{
		/* "main Rohit hoon": a capitalised name, then "hoon" */
		long		last;

		if (!CollectName(sc, i + 1, true, -1, &last, out))
			return false;
		if (WordInList(WordNextInClause(sc, last), sched_am_hindi))
			return true;
		out->has_name = false;
		out->name[0] = '\0';
		return false;
	}
	if ((WordIs(w, "regards") || WordIs(w, "rgds") ||
		 WordIs(w, "sincerely")) &&
		next->brk && next->cap)
	{
		long		last;

		/* a sign-off: the name must end the message or its clause */
		if (!CollectName(sc, i + 1, true, -1, &last, out))
			return false;
		if (WordAt(sc, last + 1) != NULL && !WordAt(sc, last + 1)->brk)
		{
			out->has_name = false;
			out->name[0] = '\0';
			return false;
		}
		return true;
	}
	if (WordIs(w, "names") && WordIs(prev, "my") && !next->brk)
		return CollectName(sc, i + 1, false, -1, NULL, out);
	if ((WordIs(w, "im") || WordIs(w, "iam") || WordIs(w, "myself")) &&
		!next->brk)
		return CollectName(sc, i + 1, true, -1, NULL, out);
	if (WordIs(w, "i") && WordIs(next, "am") && !next->brk)
	{
		const Word *after = WordAt(sc, i + 2);

		return after != NULL && !after->brk && CollectName(sc, i + 2, true, -1, NULL, out);
	}
	if (WordIs(w, "this") && WordIs(next, "is") && !next->brk &&
		(prev == NULL || WordInList(prev, sched_greetings)))
	{
		const Word *after = WordAt(sc, i + 2);

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
		for (k = 0; k < 3 && sched_month_names[m][k] != NULL; k++)
			if (strcmp(w->w, sched_month_names[m][k]) == 0)
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
		size_t		n = strlen(sched_weekday_names[d][0]);

		if (strcmp(w->w, sched_weekday_names[d][0]) == 0 ||
			(strncmp(w->w, sched_weekday_names[d][0], n) == 0 && strcmp(w->w + n, "s") == 0))
		{
			*abbrev = false;
			return d;
		}
		for (k = 1; k < 3 && sched_weekday_names[d][k] != NULL; k++)
			if (strcmp(w->w, sched_weekday_names[d][k]) == 0)
			{
				*abbrev = true;
				return d;
			}
		for (k = 0; k < 8 && sched_weekday_hindi[d][k] != NULL; k++)
			if (strcmp(w->w, sched_weekday_hindi[d][k]) == 0)
			{
				*abbrev = false;
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

	sched_civil_from_days(today->days + days, &y, &m, &d);
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
	const Word *a = WordAt(sc, k);
	const Word *b = WordAt(sc, k + 1);
	int			y;

	if (a == NULL || b == NULL || !WordGapOnly(sc, a, b, " \t,-", true) ||
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
	const Word *a = WordAt(sc, i);
	const Word *b = WordAt(sc, i + 1);
	const Word *c = WordAt(sc, i + 2);
	const char *sep;
	int			y;
	int			m;
	int			d;

	if (a == NULL || b == NULL || c == NULL || !a->digits || !b->digits ||
		!c->digits)
		return false;
	if (WordGapIs(sc, a, b, "-") && WordGapIs(sc, b, c, "-"))
		sep = "-";
	else if (WordGapIs(sc, a, b, "/") && WordGapIs(sc, b, c, "/"))
		sep = "/";
	else if (WordGapIs(sc, a, b, ".") && WordGapIs(sc, b, c, "."))
		sep = ".";
	else
		return false;
	/* not part of a longer chain such as a phone number written 98-76-54-32 */
	if (i > 0 && WordAt(sc, i - 1) != NULL && WordAt(sc, i - 1)->digits &&
		WordGapIs(sc, WordAt(sc, i - 1), a, sep))
		return false;
	if (WordAt(sc, i + 3) != NULL && WordAt(sc, i + 3)->digits &&
		WordGapIs(sc, c, WordAt(sc, i + 3), sep))
		return false;
	if (a->ndigits == 4 && YearNumber(a, false, &y) &&
		SmallNumber(b, &m) && SmallNumber(c, &d))
		return SetDate(out, y, m, d);
	if (SmallNumber(a, &d) && SmallNumber(b, &m) && YearNumber(c, true, &y))
		return SetDate(out, y, m, d);
	return false;
}

/*
 * DayWord: word w names a day: today, tomorrow, kal, parso or a weekday.
 */
static bool
DayWord(const Word *w)
{
	bool		abbrev;

	return WordInList(w, sched_today_words) || WordInList(w, sched_tomorrow_words) ||
		WordInList(w, sched_kal_words) || WordInList(w, sched_parso_words) ||
		WeekdayOf(w, &abbrev) >= 0;
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

	for (j = i; j > i - 3 && WordSameClause(sc, j); j--)
	{
		const Word *p = WordAt(sc, j - 1);

		/* "kal nahi parso": that "nahi" is said of the day before it */
		if (WordInList(p, sched_not_then_after) && !WordIs(p, "not") &&
			DayWord(WordPrevInClause(sc, j - 1)))
			return false;
		/* not "not sure", nor "nahi to" (if not, then): "kal nahi to parso" */
		if (WordInList(p, sched_not_then))
			return !(WordIs(p, "not") && WordIs(WordAt(sc, j), "sure")) &&
				!(WordIs(WordAt(sc, j), "to") && !WordIs(p, "not")) &&
				!WordIs(WordAt(sc, j), "toh");
		if (WordInList(p, sched_break_words))
			return false;
	}
	/* "Sunday nahi", "kal nahi", "Saturday not possible" (not "not sure") */
	for (j = i + 1; j <= i + 2 && WordSameClause(sc, j); j++)
	{
		const Word *n = WordAt(sc, j);

		if (WordInList(n, sched_not_then_after))
			return !WordIs(WordNextInClause(sc, j), "sure") &&
				!WordIs(WordNextInClause(sc, j), "only");
		if (!WordIs(n, "ko") && !WordIs(n, "morning") && !WordIs(n, "evening") &&
			!WordIs(n, "afternoon") && !WordIs(n, "को"))
			break;
	}
	return false;
}

static int	ClockTime(Scanner *sc, long i);

/*
 * SlotWord: word w names a slot ("morning", "aftn", "shaam" ...).
 */
static bool
SlotWord(const Word *w)
{
	int			slot;

	for (slot = 0; slot < SLOT_N; slot++)
		if (WordInList(w, sched_slot_words[slot]))
			return true;
	return false;
}

/*
 * WeekWord: "week" or Hindi "hafte" / "हफ्ते".
 */
static bool
WeekWord(const Word *w)
{
	return WordIs(w, "week") || WordIs(w, "hafte") || WordIs(w, "hafta") ||
		WordIs(w, "हफ्ते");
}

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
	const Word *w = WordAt(sc, i);
	const Word *prev = WordPrevInClause(sc, i);
	const Word *next = WordNextInClause(sc, i);
	int			d;
	int			m;
	int			wd;
	int			y;
	bool		suffixed;
	bool		abbrev;

	if (WordInList(w, sched_today_words))
		return SetOffset(out, today, 0);
	if (WordInList(w, sched_tomorrow_words) || WordInList(w, sched_kal_words))
		return SetOffset(out, today, 1);
	if (WordIs(w, "day") && WordIs(next, "after") && WordInList(WordNextInClause(sc, i + 1), sched_tomorrow_words))
		return SetOffset(out, today, 2);
	if (WordInList(w, sched_parso_words))
		return SetOffset(out, today, 2);
	/* "next week Tuesday", "agle hafte somvar": that day of the next calendar week */
	if (WordInList(w, sched_next_words) && WeekWord(next) &&
		(wd = WeekdayOf(WordNextInClause(sc, i + 1), &abbrev)) >= 0)
		return SetOffset(out, today, NextWeekOffset(today, wd));
	wd = WeekdayOf(w, &abbrev);
	if (wd >= 0 && WordInList(next, sched_next_words) &&
		WeekWord(WordNextInClause(sc, i + 1)))
		return SetOffset(out, today, NextWeekOffset(today, wd));
	if (wd >= 0)
	{
		int			ahead = (wd - today->weekday + 7) % 7;
		bool		qualified = WordIs(prev, "this") || WordIs(prev, "on") ||
			WordIs(prev, "coming") || WordIs(prev, "by") ||
			WordIs(prev, "is") || WordIs(prev, "iss") ||
			WordIs(prev, "इस") ||
			WordInList(prev, sched_next_words);

		if (abbrev && !qualified &&
			!(SlotWord(next) || WordIs(next, "eve") ||
			  (next != NULL && ClockTime(sc, i + 1) >= 0)))
			return false;
		/* "last Sunday", "pichle somvar": a day gone by, no booking date */
		if (WordInList(prev, sched_last_words))
			return false;
		if (WordInList(prev, sched_next_words))
			return SetOffset(out, today, NextWeekOffset(today, wd));
		return SetOffset(out, today, ahead);
	}
	if (NumericDate(sc, i, out))
		return true;
	if (DayNumber(w, &d, &suffixed))
	{
		long		k = i + 1;

		/* "18 th Jan" */
		if (!suffixed &&
			(WordIs(WordAt(sc, k), "th") || WordIs(WordAt(sc, k), "st") ||
			 WordIs(WordAt(sc, k), "nd") || WordIs(WordAt(sc, k), "rd")) &&
			WordSameClause(sc, k))
			k++;
		if (WordIs(WordAt(sc, k), "of") && WordSameClause(sc, k))
			k++;
		m = MonthOf(WordAt(sc, k));
		if (m > 0 &&
			WordGapOnly(sc, WordAt(sc, k - 1), WordAt(sc, k), " \t-", false))
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
		WordGapOnly(sc, w, next, " \t", true))
	{
		/* "may" after a subject is a verb: "I may 2 ..." */
		if (m == 5 &&
			(WordIs(prev, "i") || WordIs(prev, "we") || WordIs(prev, "you") ||
			 WordIs(prev, "it") || WordIs(prev, "they") ||
			 WordIs(prev, "he") || WordIs(prev, "she")))
			return false;
		/* not a time: "Jan 10:30", "Jan 10am" */
		if (next->end < sc->len && sc->s[next->end] == ':')
			return false;
		y = YearAfter(sc, i + 1, today);
		if (y > 0)
			return SetDate(out, y, m, d);
		return SetYearless(out, today, m, d);
	}
	if (WordIs(w, "on") || WordIs(w, "by"))
	{
		long		k = i + 1;
		const Word *dw;
		const Word *after;
		int			tries;

		if (WordIs(WordAt(sc, k), "the") && WordSameClause(sc, k))
			k++;
		dw = WordAt(sc, k);
		/* "on 15/2": day and month without a year */
		if (dw != NULL && WordAt(sc, k + 1) != NULL && SmallNumber(dw, &d) &&
			SmallNumber(WordAt(sc, k + 1), &m) && WordGapIs(sc, dw, WordAt(sc, k + 1), "/") &&
			!(WordAt(sc, k + 1)->end < sc->len && sc->s[WordAt(sc, k + 1)->end] == '/') &&
			!WordIs(WordAt(sc, k + 2), "bhk"))
			return d >= 1 && d <= 31 && SetYearless(out, today, m, d);
		if (!WordSameClause(sc, k) || !DayNumber(dw, &d, &suffixed) ||
			!suffixed)
			return false;
		after = WordNextInClause(sc, k);
		if (WordInList(after, sched_address_words) || MonthOf(after) > 0 || WordIs(after, "of"))
			return false;
		/* the next day d of a month, on or after today */
		y = today->year;
		m = today->month;
		for (tries = 0; tries < 4; tries++)
		{
			if (d <= sched_days_in_month(y, m) &&
				(tries > 0 || d >= today->day))
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
 * TryDate: the date starting at word i (DateAt), unless the words around
 * it say "not then" (NotThen) or put it in the past (WordsInPast: "we
 * came on 10 Jan", "kal aaye the": "kal" is then yesterday).
 */
static bool
TryDate(Scanner *sc, long i, const Today *today, SchedContactDetails *out)
{
	if (!DateAt(sc, i, today, out))
		return false;
	if (!NotThen(sc, i) && !WordsInPast(sc, i, i, true))
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
	const Word *w = WordAt(sc, k);
	const Word *n = WordAt(sc, k + 1);

	if (WordIs(w, "am"))
		return 1;
	if (WordIs(w, "pm"))
		return 2;
	if ((WordIs(w, "a") || WordIs(w, "p")) && WordIs(n, "m") &&
		WordGapIs(sc, w, n, "."))
		return WordIs(w, "a") ? 1 : 2;
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
	const Word *w = WordAt(sc, i);
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
	n = WordAt(sc, i + 1);
	if (n == NULL)
		return -1;
	/* "4 pm" */
	ap = AmPm(sc, i + 1);
	if (ap > 0 && WordGapOnly(sc, w, n, " \t", false))
		return HourTo24(h, ap);
	/* "10:30", "10:30 am", "10.30am" */
	if (WordGapIs(sc, w, n, ":") || WordGapIs(sc, w, n, "."))
	{
		bool		colon = WordGapIs(sc, w, n, ":");
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
		if (ap > 0 && WordAt(sc, i + 2) != NULL &&
			WordGapOnly(sc, n, WordAt(sc, i + 2), " \t", false))
			return HourTo24(h, ap);
		/* 24-hour only with a colon, and not followed by more ":ss" */
		if (colon && h <= 23 && !(n->end < sc->len && sc->s[n->end] == ':'))
			return h;
	}
	return -1;
}

/*
 * PastDayBefore: the word before word i in its clause is a day gone by:
 * "yesterday evening", "last Sunday morning".
 */
static bool
PastDayBefore(Scanner *sc, long i)
{
	const Word *p = WordPrevInClause(sc, i);
	bool		abbrev;

	if (WordIs(p, "yesterday") || WordIs(p, "yday"))
		return true;
	return p != NULL && WeekdayOf(p, &abbrev) >= 0 &&
		WordInList(WordPrevInClause(sc, i - 1), sched_last_words);
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
	const Word *w = WordAt(sc, i);
	const Word *next = WordNextInClause(sc, i);
	int			slot = -1;

	/* a greeting: "good morning", "gud evening" */
	if (WordIs(WordPrevInClause(sc, i), "good") ||
		WordIs(WordPrevInClause(sc, i), "gud"))
		return false;
	if (WordInList(w, sched_slot_words[SLOT_MORNING]) ||
		(WordIs(w, "before") &&
		 (WordIs(next, "noon") || WordIs(next, "lunch"))))
		slot = SLOT_MORNING;
	else if (WordInList(w, sched_slot_words[SLOT_AFTERNOON]) ||
			 ((WordIs(w, "after") || WordIs(w, "post")) &&
			  (WordIs(next, "noon") || WordIs(next, "lunch"))) ||
			 (WordIs(w, "lunch") && WordIs(next, "time")))
		slot = SLOT_AFTERNOON;
	else if (WordInList(w, sched_slot_words[SLOT_EVENING]))
		slot = SLOT_EVENING;
	else
	{
		int			h = ClockTime(sc, i);

		if (h >= 0)
			slot = SlotOfHour(h);
	}
	if (slot < 0 || NotThen(sc, i) || WordsInPast(sc, i, i, true) ||
		PastDayBefore(sc, i))
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
 * 98765 43210"), and so must a name in a script without capitals
 * ("राहुल शर्मा, 98765 43210"; "कल सुबह आऊंगा 98765 43210" is no name).
 */
static void
LeadingName(const char *msg, size_t len, size_t phone_at, SchedContactDetails *out)
{
	Scanner		sc;
	long		k = 0;
	long		last;
	size_t		p;
	bool		marked;

	WordScanInit(&sc, msg, len);
	while (k < 2 && WordInList(WordAt(&sc, k), sched_greetings))
		k++;
	if (WordAt(&sc, k) == NULL || WordAt(&sc, k)->start >= phone_at ||
		!CollectName(&sc, k, true, -1, &last, out))
		return;
	/* a caseless script has no capitals to tell a name: a mark is needed */
	marked = last > k && !WordAt(&sc, k)->caseless;
	for (p = WordAt(&sc, last)->end; p < phone_at; p++)
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
	today.weekday = sched_weekday(today.days);

	WordScanInit(&sc, msg, len);
	for (i = 0; WordAt(&sc, i) != NULL; i++)
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
