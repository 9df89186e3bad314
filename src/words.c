/*
 * words.c
 *		The word scanner of the chat readers (intent.c and
 *		contact_details.c).
 *
 * Pure C, no PostgreSQL headers.  Every function reads at most len bytes
 * of its input, never past it, needs no terminating NUL, allocates
 * nothing and runs in time linear in len: test/unit/fuzz_chat.c feeds the
 * readers arbitrary bytes.
 *
 * Both readers work on words: runs of ASCII letters and digits, plus the
 * letters of other scripts when they are valid UTF-8 (Latin-1 and Latin
 * Extended, Greek, Cyrillic, Arabic and the Indic scripts).  An apostrophe
 * (' ` or U+2019) between two letters is dropped, so "don't", "don’t" and
 * "dont" are the same word, as are "I'm" and "im".  Matching ignores ASCII
 * case and squeezes a run of three or more of the same letter to two
 * ("pleeease" is "pleease", "calll" is "call", "yesss" is "yess").  Other
 * letters are matched as their UTF-8 bytes, whole characters only, with
 * the spellings of one Devanagari word made one: a nukta is dropped (so
 * "फ़ोन" is "फोन", and the precomposed "ज़" is "ज"), a candrabindu is
 * an anusvara ("हूँ" is "हूं"), and a zero-width joiner or non-joiner
 * inside a word is left out.  Any other byte (invalid UTF-8 and NUL
 * included) separates words; . , ; : ! ? ( ) [ ] { } " | the danda
 * marks (। ॥) and line breaks also end a clause, which stops a negation
 * ("don't visit, call me").  A thumbs-up emoji is a word of its own, an
 * affirmative.
 *
 * The words are read once, left to right, through a ring of RING_SIZE
 * words; every rule looks at most LOOK_BACK words behind and LOOK_AHEAD
 * ahead of the word it is at, so memory is fixed and time is linear.
 */
#include "words.h"

#include "wordlists.h"

#include <string.h>

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
 * IsJoiner: a zero-width non-joiner or joiner, kept inside a word but not
 * in its folded form.
 */
static bool
IsJoiner(unsigned long c)
{
	return c == 0x200c || c == 0x200d;
}

/*
 * IsCaselessCodePoint: a letter of a script with no upper case (Arabic,
 * the Indic scripts): a word starting with one is "capitalised" for the
 * name rules, but says nothing about being a name.
 */
static bool
IsCaselessCodePoint(unsigned long c)
{
	return (c >= 0x620 && c <= 0x64a) || (c >= 0x900 && c <= 0xdff);
}

/*
 * FoldCodePoint: the code point a non-ASCII letter is matched as: a
 * Devanagari nukta letter as its base letter, a candrabindu as an
 * anusvara; 0 for a nukta, which is left out.
 */
static unsigned long
FoldCodePoint(unsigned long c)
{
	static const unsigned long nukta_base[8] = {
		0x915, 0x916, 0x917, 0x91c, 0x921, 0x922, 0x92b, 0x92f
	};

	if (c == 0x93c)
		return 0;
	if (c == 0x901)
		return 0x902;
	if (c >= 0x958 && c <= 0x95f)
		return nukta_base[c - 0x958];
	if (c == 0x929)
		return 0x928;
	if (c == 0x931)
		return 0x930;
	if (c == 0x934)
		return 0x933;
	return c;
}

/*
 * FoldCodePointInto: append a non-ASCII letter to w as UTF-8 (2 or 3
 * bytes, all or none: a character is never split); on overflow the word
 * stops being whole.
 */
static void
FoldCodePointInto(Word *w, size_t *n, unsigned long c)
{
	c = FoldCodePoint(c);
	if (c == 0)
		return;
	if (c < 0x800)
	{
		if (*n + 2 >= WORD_MAX)
		{
			w->whole = false;
			return;
		}
		w->w[(*n)++] = (char) (0xc0 | (c >> 6));
		w->w[(*n)++] = (char) (0x80 | (c & 0x3f));
	}
	else
	{
		if (*n + 3 >= WORD_MAX)
		{
			w->whole = false;
			return;
		}
		w->w[(*n)++] = (char) (0xe0 | (c >> 12));
		w->w[(*n)++] = (char) (0x80 | ((c >> 6) & 0x3f));
		w->w[(*n)++] = (char) (0x80 | (c & 0x3f));
	}
	w->w[*n] = '\0';
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
			if (k > 0 && (cp == 0x964 || cp == 0x965))
				brk = true;
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
		if (first >= 0x80 && Utf8Decode(s, len, sc->pos, &cp) > 0)
			w->caseless = IsCaselessCodePoint(cp);
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
			if (k > 0 && (IsLetterCodePoint(cp) ||
						  (IsJoiner(cp) && sc->pos + (size_t) k < len &&
						   (unsigned char) s[sc->pos + (size_t) k] >= 0x80)))
			{
				w->digits = false;
				if (!IsJoiner(cp))
					FoldCodePointInto(w, &n, cp);
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
 * WordScanInit: a scanner over s[0..len).
 */
void
WordScanInit(Scanner *sc, const char *s, size_t len)
{
	sc->s = s;
	sc->len = len;
	sc->pos = 0;
	sc->count = 0;
	sc->done = (s == NULL || len == 0);
}

/*
 * WordAt: word number i (from 0), reading on as needed; NULL before the
 * first, past the last, or when the ring no longer holds it (a rule never
 * asks for that: it stays within LOOK_BACK and LOOK_AHEAD).
 */
const Word *
WordAt(Scanner *sc, long i)
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
 * WordIs: word w (may be NULL) is exactly the folded text t.
 */
bool
WordIs(const Word *w, const char *t)
{
	return w != NULL && w->whole && strcmp(w->w, t) == 0;
}

/*
 * WordInList: word w (may be NULL) is one of a NULL-terminated list.
 */
bool
WordInList(const Word *w, const char *const *list)
{
	if (w == NULL || !w->whole)
		return false;
	for (; *list != NULL; list++)
		if ((*list)[0] == w->w[0] && strcmp(w->w, *list) == 0)
			return true;
	return false;
}

/*
 * WordGap: the bytes between word a and the word after it, b.
 */
void
WordGap(const Scanner *sc, const Word *a, const Word *b, const char **gap, size_t *n)
{
	*gap = sc->s + a->end;
	*n = b->start - a->end;
}

/*
 * WordGapIs: the bytes between words a and b are exactly text t.
 */
bool
WordGapIs(const Scanner *sc, const Word *a, const Word *b, const char *t)
{
	const char *g;
	size_t		n;

	WordGap(sc, a, b, &g, &n);
	return n == strlen(t) && memcmp(g, t, n) == 0;
}

/*
 * WordGapOnly: the bytes between words a and b are only characters of set
 * (and there is at least one when nonempty).
 */
bool
WordGapOnly(const Scanner *sc, const Word *a, const Word *b, const char *set, bool nonempty)
{
	const char *g;
	size_t		n;
	size_t		i;

	WordGap(sc, a, b, &g, &n);
	if (nonempty && n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (g[i] == '\0' || strchr(set, g[i]) == NULL)
			return false;
	return true;
}

/*
 * WordSameClause: words i-1 and i are in one clause (both exist, and no
 * clause break between them).
 */
bool
WordSameClause(Scanner *sc, long i)
{
	const Word *w = WordAt(sc, i);

	return w != NULL && i > 0 && !w->brk && WordAt(sc, i - 1) != NULL;
}

/*
 * WordPrevInClause: word i-1 when it is in the clause of word i, else NULL.
 */
const Word *
WordPrevInClause(Scanner *sc, long i)
{
	return WordSameClause(sc, i) ? WordAt(sc, i - 1) : NULL;
}

/*
 * WordNextInClause: word i+1 when it is in the clause of word i, else NULL.
 */
const Word *
WordNextInClause(Scanner *sc, long i)
{
	return WordSameClause(sc, i + 1) ? WordAt(sc, i + 1) : NULL;
}

/*
 * WordsInPast: the words [from, to] (a cue, a day) are said of the past,
 * not asked for: in their clause, a past-tense verb before them ("we came
 * for a visit", "I had a call with", "maine ... kiya") with no wish or
 * modal in between ("we came last week and want to visit again" is a
 * wish), when back is set; or, in the three words after them, a Hindi
 * perfective or a past time ("visit kiya tha", "kal aaye the", "the
 * visit yesterday", "site dekh ke aaye"; "karna tha", a polite wish, is
 * not one).
 */
bool
WordsInPast(Scanner *sc, long from, long to, bool back)
{
	long		j;

	for (j = from; back && j > 0 && from - j < 6; j--)
	{
		const Word *p;

		if (!WordSameClause(sc, j))
			break;
		p = WordAt(sc, j - 1);
		if (WordInList(p, sched_past_stoppers) || WordInList(p, sched_wish_words))
			break;
		if (WordInList(p, sched_past_verbs))
			return true;
	}
	for (j = to + 1; j <= to + 3; j++)
	{
		const Word *w;

		if (!WordSameClause(sc, j))
			break;
		w = WordAt(sc, j);
		if (WordInList(w, sched_past_stoppers) || WordInList(w, sched_break_words))
			break;
		if (WordInList(w, sched_past_after))
			return true;
		if (WordIs(w, "last") &&
			(WordIs(WordNextInClause(sc, j), "week") ||
			 WordIs(WordNextInClause(sc, j), "month") ||
			 WordIs(WordNextInClause(sc, j), "year") ||
			 WordIs(WordNextInClause(sc, j), "time") ||
			 WordIs(WordNextInClause(sc, j), "weekend")))
			return true;
	}
	return false;
}
