/*
 * words.h
 *		The word scanner the chat readers (intent.c, contact_details.c)
 *		share: a message's words read once, left to right, through a ring,
 *		with the clause each one is in and the bytes between them.
 *
 * Pure C, no PostgreSQL headers.  words.c says what a word is.
 */
#ifndef SCHED_WORDS_H
#define SCHED_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_UPPER(c)	((c) >= 'A' && (c) <= 'Z')
#define IS_LOWER(c)	((c) >= 'a' && (c) <= 'z')
#define IS_ALPHA(c)	(IS_UPPER(c) || IS_LOWER(c))
#define IS_ALNUM(c)	(IS_ALPHA(c) || IS_DIGIT(c))

/*
 * Longest folded word kept, in bytes with its NUL; a longer word matches
 * nothing.  Room for 21 Devanagari characters (3 bytes each).
 */
#define WORD_MAX	64

/*
 * The ring of words, and how far a rule may look either way of the word
 * it is at (the rules stay within 10 back and 8 ahead).
 */
#define RING_SIZE	32
#define LOOK_BACK	12
#define LOOK_AHEAD	12

/* Compile-time check: the window fits in the ring. */
typedef char RingHoldsWindow[(LOOK_BACK + LOOK_AHEAD + 1 <= RING_SIZE) ? 1 : -1];

/* The text a NULL-terminated word list ends with. */
#define END_OF_LIST NULL

typedef struct Word
{
	size_t		start;			/* bytes [start, end) of the message */
	size_t		end;
	char		w[WORD_MAX];	/* folded: lower case, apostrophes out, squeezed;
								 * other letters as UTF-8 (words.c) */
	bool		whole;			/* w holds all of the word */
	bool		brk;			/* a clause ends before it (or it is the first) */
	bool		cap;			/* starts with an upper-case or caseless letter */
	bool		caseless;		/* starts with a letter of a script without case */
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

/* Reading: words are numbered from 0; a NULL word is none. */
extern void WordScanInit(Scanner *sc, const char *s, size_t len);
extern const Word *WordAt(Scanner *sc, long i);

/* Matching a word against folded text, or a list ending in END_OF_LIST. */
extern bool WordIs(const Word *w, const char *t);
extern bool WordInList(const Word *w, const char *const *list);

/* Clauses: whether words i-1 and i share one, and a word's neighbours in it. */
extern bool WordSameClause(Scanner *sc, long i);
extern const Word *WordPrevInClause(Scanner *sc, long i);
extern const Word *WordNextInClause(Scanner *sc, long i);

/* The bytes between word a and the word after it, b. */
extern void WordGap(const Scanner *sc, const Word *a, const Word *b,
					const char **gap, size_t *n);
extern bool WordGapIs(const Scanner *sc, const Word *a, const Word *b,
					  const char *t);
extern bool WordGapOnly(const Scanner *sc, const Word *a, const Word *b,
						const char *set, bool nonempty);

/* Words said of the past, not asked for (words.c). */
extern bool WordsInPast(Scanner *sc, long from, long to, bool back);

#endif							/* SCHED_WORDS_H */
