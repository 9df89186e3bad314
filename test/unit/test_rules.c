/*
 * test_rules.c
 *		Unit tests of the pure scheduling rules (src/contact.c and
 *		src/workflow.c), with no PostgreSQL and no test framework.
 *
 * Build and run with "make -C test/unit check".  Every CHECK counts; a
 * failed one prints file:line, what was compared and both values, and the
 * program exits 1 after printing a one-line summary.  Inputs are copied
 * into buffers of their exact length (no terminating NUL) and outputs go
 * to buffers of the documented size, so that AddressSanitizer reports any
 * read or write past either.
 */
#include "rules.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/*
 * Repeat: n copies of c followed by tail, in a malloc'd NUL-terminated
 * string.
 */
static char *
Repeat(char c, size_t n, const char *tail)
{
	size_t		tl = strlen(tail);
	char	   *p = malloc(n + tl + 1);

	if (p == NULL)
	{
		perror("malloc");
		exit(2);
	}
	memset(p, c, n);
	memcpy(p + n, tail, tl + 1);
	return p;
}

/*
 * IsSentence: non-empty, starts with a capital letter, ends with a period.
 */
static int
IsSentence(const char *s)
{
	size_t		n = s ? strlen(s) : 0;

	return n > 1 && isupper((unsigned char) s[0]) && s[n - 1] == '.';
}

/* ---------------------------------------------------------------------
 * sched_trim and sched_check_text
 * ---------------------------------------------------------------------
 */

typedef struct TrimCase
{
	int			line;
	const char *in;
	size_t		skip;			/* expected bytes removed at the start */
	size_t		keep;			/* expected length after trimming */
} TrimCase;

static const TrimCase trim_cases[] = {
	{__LINE__, "", 0, 0},
	{__LINE__, "   ", 3, 0},
	{__LINE__, " \t\n\r\f\v", 6, 0},
	{__LINE__, "abc", 0, 3},
	{__LINE__, "  abc  ", 2, 3},
	{__LINE__, "\tab c\n", 1, 4},
	{__LINE__, "\r\na\r\n", 2, 1},
	{__LINE__, "\x01 a \x01", 0, 5},	/* control chars are not space */
	{__LINE__, "\xc2\xa0x\xc2\xa0", 0, 5},	/* nor is U+00A0 */
};

/*
 * TestTrim: the table above, each input given without a terminating NUL.
 */
static void
TestTrim(void)
{
	size_t		i;

	for (i = 0; i < sizeof(trim_cases) / sizeof(trim_cases[0]); i++)
	{
		const TrimCase *t = &trim_cases[i];
		size_t		len = strlen(t->in);
		char	   *buf = Exact(t->in, len);
		const char *s = buf;
		size_t		n = len;

		SetContext("trim %s, table line %d", Quote(t->in, len), t->line);
		sched_trim(&s, &n);
		CHECK_INT(s - buf, t->skip);
		CHECK_INT(n, t->keep);
		free(buf);
	}
	context[0] = '\0';
}

typedef struct TextCase
{
	int			line;
	const char *in;
	/* expected result for required x multiline: [0][0] is neither */
	SchedTextProblem want[2][2];
} TextCase;

#define OK_	SCHED_TEXT_OK
#define BLK	SCHED_TEXT_BLANK
#define CTL	SCHED_TEXT_CONTROL

static const TextCase text_cases[] = {
	/* in                       !req,!ml  !req,ml   req,!ml   req,ml */
	{__LINE__, "", {{OK_, OK_}, {BLK, BLK}}},
	{__LINE__, "   ", {{OK_, OK_}, {BLK, BLK}}},
	{__LINE__, " \t\r\n\f\v ", {{OK_, OK_}, {BLK, BLK}}},
	{__LINE__, "Asha Rao", {{OK_, OK_}, {OK_, OK_}}},
	{__LINE__, "  Asha Rao \n", {{OK_, OK_}, {OK_, OK_}}},
	{__LINE__, "Asha\tRao", {{CTL, OK_}, {CTL, OK_}}},
	{__LINE__, "line 1\nline 2", {{CTL, OK_}, {CTL, OK_}}},
	{__LINE__, "line 1\r\nline 2", {{CTL, OK_}, {CTL, OK_}}},
	{__LINE__, "a\fb", {{CTL, CTL}, {CTL, CTL}}},
	{__LINE__, "a\vb", {{CTL, CTL}, {CTL, CTL}}},
	{__LINE__, "a\x01" "b", {{CTL, CTL}, {CTL, CTL}}},
	{__LINE__, "\x1b[31mred", {{CTL, CTL}, {CTL, CTL}}},
	{__LINE__, "a\x1f", {{CTL, CTL}, {CTL, CTL}}},
	{__LINE__, "a\x7f", {{CTL, CTL}, {CTL, CTL}}},
	{__LINE__, "\x7f", {{CTL, CTL}, {CTL, CTL}}},
	{__LINE__, " ~ ", {{OK_, OK_}, {OK_, OK_}}},
	{__LINE__, "caf\xc3\xa9 \xe0\xa4\xa8\xe0\xa4\xae", {{OK_, OK_}, {OK_, OK_}}},
	{__LINE__, "\xff\x80", {{OK_, OK_}, {OK_, OK_}}},	/* bytes >= 0x80 are the encoding's business */
};

/*
 * TestText: the table above for the four flag combinations, then a NUL
 * byte inside the length, and a length shorter than the string.
 */
static void
TestText(void)
{
	size_t		i;
	int			req;
	int			ml;
	char	   *buf;

	for (i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++)
	{
		const TextCase *t = &text_cases[i];
		size_t		len = strlen(t->in);

		buf = Exact(t->in, len);
		for (req = 0; req < 2; req++)
			for (ml = 0; ml < 2; ml++)
			{
				SetContext("check_text %s required=%d multiline=%d, table line %d",
						   Quote(t->in, len), req, ml, t->line);
				CHECK_INT(sched_check_text(buf, len, req, ml), t->want[req][ml]);
			}
		free(buf);
	}

	SetContext("check_text with an embedded NUL");
	buf = Exact("a\0b", 3);
	CHECK_INT(sched_check_text(buf, 3, true, true), SCHED_TEXT_CONTROL);
	free(buf);

	SetContext("check_text reads only len bytes");
	buf = Exact("ok\x01", 3);
	CHECK_INT(sched_check_text(buf, 2, true, false), SCHED_TEXT_OK);
	CHECK_INT(sched_check_text(buf, 0, true, false), SCHED_TEXT_BLANK);
	CHECK_INT(sched_check_text(buf, 0, false, false), SCHED_TEXT_OK);
	free(buf);
	context[0] = '\0';
}

#undef OK_
#undef BLK
#undef CTL

/* ---------------------------------------------------------------------
 * sched_looks_like_link
 * ---------------------------------------------------------------------
 */

typedef struct LinkCase
{
	int			line;
	const char *in;
	bool		want;			/* refused as a link or markup */
} LinkCase;

static const LinkCase link_cases[] = {
	/* names and projects that are fine */
	{__LINE__, "", false},
	{__LINE__, "John Doe", false},
	{__LINE__, "Brigade Citrine", false},
	{__LINE__, "Dr. Asha Rao", false},
	{__LINE__, "O'Brien-Smith & Sons", false},
	{__LINE__, "Prestige Lakeside Habitat, Phase 2 (Tower B)", false},
	{__LINE__, "a > b", false},
	{__LINE__, "Awww", false},	/* no dot after the w's */
	{__LINE__, "htt p", false},
	{__LINE__, "a:/b", false},
	{__LINE__, "\xe0\xa4\x85\xe0\xa4\xa8\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xaf\xe0\xa4\xbe "
	 "\xe0\xa4\xb6\xe0\xa4\xb0\xe0\xa5\x8d\xe0\xa4\xae\xe0\xa4\xbe", false},	/* Ananya Sharma in Devanagari */
	{__LINE__, "Asha \xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\xb5", false},	/* Rao in Devanagari */
	{__LINE__, "\xef\xbc\x9d\xef\xbc\x9e", false},	/* fullwidth = and > */
	{__LINE__, "\xef\xbc", false},	/* a cut fullwidth sign */
	{__LINE__, "\xff\xfe\x80", false},	/* invalid UTF-8 */
	/* links and markup */
	{__LINE__, "visit http://x.io", true},
	{__LINE__, "HTTPS://evil", true},
	{__LINE__, "hTtP", true},
	{__LINE__, "http", true},
	{__LINE__, "www.example.com", true},
	{__LINE__, "WwW.example.com", true},
	{__LINE__, "evil.com://", true},
	{__LINE__, "ftp://x", true},
	{__LINE__, "<b>hi</b>", true},
	{__LINE__, "a < b", true},
	{__LINE__, "<", true},
	{__LINE__, "John Doe<", true},
	{__LINE__, "\xef\xbc\x9cscript", true},	/* U+FF1C, fullwidth '<' */
	{__LINE__, "\xef\xb9\xa4script", true},	/* U+FE64, small '<' */
	{__LINE__, "Asha \xef\xbc\x9c", true},
	{__LINE__, "\xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\xb5 http", true},
	{__LINE__, "\xef\xef\xbc\x9c", true},	/* after a stray lead byte */
};

/*
 * TestLink: the table above, each input given without a terminating NUL;
 * then lengths that stop before a mark and NUL bytes inside the length.
 */
static void
TestLink(void)
{
	size_t		i;
	char	   *buf;

	for (i = 0; i < sizeof(link_cases) / sizeof(link_cases[0]); i++)
	{
		const LinkCase *t = &link_cases[i];
		size_t		len = strlen(t->in);

		buf = Exact(t->in, len);
		SetContext("looks_like_link %s, table line %d", Quote(t->in, len), t->line);
		CHECK_INT(sched_looks_like_link(buf, len), t->want);
		free(buf);
	}

	SetContext("looks_like_link reads only len bytes");
	buf = Exact("http", 4);
	CHECK_INT(sched_looks_like_link(buf, 3), false);
	CHECK_INT(sched_looks_like_link(buf, 0), false);
	CHECK_INT(sched_looks_like_link(buf + 1, 3), false);
	CHECK_INT(sched_looks_like_link(buf, 4), true);
	free(buf);
	buf = Exact("www.x", 5);
	CHECK_INT(sched_looks_like_link(buf, 3), false);
	CHECK_INT(sched_looks_like_link(buf, 4), true);
	free(buf);
	buf = Exact("ab<", 3);
	CHECK_INT(sched_looks_like_link(buf, 2), false);
	CHECK_INT(sched_looks_like_link(buf, 3), true);
	free(buf);
	buf = Exact("x\xef\xbc\x9c", 4);
	CHECK_INT(sched_looks_like_link(buf, 3), false);
	CHECK_INT(sched_looks_like_link(buf, 4), true);
	free(buf);

	SetContext("looks_like_link with an embedded NUL");
	buf = Exact("John\0http", 9);
	CHECK_INT(sched_looks_like_link(buf, 9), true);
	free(buf);
	buf = Exact("\0<", 2);
	CHECK_INT(sched_looks_like_link(buf, 2), true);
	free(buf);
	buf = Exact("ht\0tp", 5);	/* a NUL splits the mark */
	CHECK_INT(sched_looks_like_link(buf, 5), false);
	free(buf);
	context[0] = '\0';
}

/* ---------------------------------------------------------------------
 * sched_valid_country_code
 * ---------------------------------------------------------------------
 */

/*
 * TestCountryCode: one to three digits, not starting with 0.
 */
static void
TestCountryCode(void)
{
	static const char *const good[] = {"1", "7", "44", "91", "971", "999"};
	static const char *const bad[] = {
		"", "0", "00", "01", "091", "1234", "9a", "a9", "+91", " 91", "91 ",
		"-1", "9.1", "\xd9\xa1"		/* ARABIC-INDIC DIGIT ONE */
	};
	size_t		i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	{
		SetContext("country code %s", Quote(good[i], strlen(good[i])));
		CHECK(sched_valid_country_code(good[i]));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		SetContext("country code %s", Quote(bad[i], strlen(bad[i])));
		CHECK(!sched_valid_country_code(bad[i]));
	}
	SetContext("country code NULL");
	CHECK(!sched_valid_country_code(NULL));
	context[0] = '\0';
}

/* ---------------------------------------------------------------------
 * sched_normalize_phone
 * ---------------------------------------------------------------------
 */

typedef struct PhoneCase
{
	int			line;
	const char *in;
	const char *cc;				/* default country code, may be NULL */
	SchedPhoneProblem want;
	const char *out;			/* expected output; "" unless OK */
} PhoneCase;

#define OK		SCHED_PHONE_OK
#define BLANK	SCHED_PHONE_BLANK
#define CHAR	SCHED_PHONE_BAD_CHAR
#define PLUS	SCHED_PHONE_BAD_PLUS
#define LENGTH	SCHED_PHONE_BAD_LENGTH
#define DIGIT	SCHED_PHONE_BAD_DIGIT
#define COUNTRY	SCHED_PHONE_BAD_COUNTRY
#define NOPLAN	SCHED_PHONE_NOT_IN_PLAN
#define SERVICE	SCHED_PHONE_SERVICE
#define P(in, cc, want, out) {__LINE__, in, cc, want, out}

static const PhoneCase phone_cases[] = {
	/* the accepted forms of the comment above sched_normalize_phone */
	P("+91 98765 43210", "91", OK, "+919876543210"),
	P("+919876543210", "91", OK, "+919876543210"),
	P("00 44 20 7946 0958", "91", OK, "+442079460958"),
	P("0044 20 7946 0958", "91", OK, "+442079460958"),
	P("9876543210", "91", OK, "+919876543210"),
	P("09876543210", "91", OK, "+919876543210"),
	P("919876543210", "91", OK, "+919876543210"),
	P("91 98765 43210", "91", OK, "+919876543210"),
	P("+1 212 555 0100", "91", OK, "+12125550100"),
	P("2125550100", "1", OK, "+12125550100"),
	P("12125550100", "1", OK, "+12125550100"),
	P("1 (212) 555-0100", "1", OK, "+12125550100"),
	P("011 91 98765 43210", "1", OK, "+919876543210"),	/* the IDD of +1 */
	P("07911 123456", "44", OK, "+447911123456"),
	P("7911 123456", "44", OK, "+447911123456"),
	P("050 123 4567", "971", OK, "+971501234567"),
	P("501234567", "971", OK, "+971501234567"),
	P("971501234567", "971", OK, "+971501234567"),
	/* the spellings Indian customers use (issue 13) */
	P("(+91) 98765 43210", "91", OK, "+919876543210"),
	P("(+91)-98765-43210", "91", OK, "+919876543210"),
	P("+91 (0) 98765 43210", "91", OK, "+919876543210"),
	P("+91 (0)80 2345 6789", "91", OK, "+918023456789"),
	P("080 2345 6789", "91", OK, "+918023456789"),
	P("(080) 23456789", "91", OK, "+918023456789"),
	P("011-2345-6789", "91", OK, "+911123456789"),
	P("0141 234 5678", "91", OK, "+911412345678"),
	P("91 80 2345 6789", "91", OK, "+918023456789"),
	/* the national number of foreign numbers: trunk prefix and shape */
	P("+44 (0) 20 7946 0958", "91", OK, "+442079460958"),
	P("+44 7911 123456", "91", OK, "+447911123456"),
	P("+971 50 123 4567", "91", OK, "+971501234567"),
	P("00971 50 123 4567", "91", OK, "+971501234567"),
	P("+65 9123 4567", "91", OK, "+6591234567"),
	P("+61 412 345 678", "91", OK, "+61412345678"),
	P("+1 (416) 555-0199", "91", OK, "+14165550199"),
	P("+966 50 123 4567", "91", OK, "+966501234567"),
	P("+0091 98765 43210", "91", OK, "+919876543210"),	/* "+" and 00 */
	/* a national-looking number that starts with the default code */
	P("9198765432", "91", OK, "+919198765432"),
	/* separators: ( ) - . and spaces, anywhere */
	P("+1 (212) 555-0100", "91", OK, "+12125550100"),
	P("(212) 555-0100", "1", OK, "+12125550100"),
	P("212.555.0100", "1", OK, "+12125550100"),
	P("+91-98765-43210", "91", OK, "+919876543210"),
	P("+91.98765.43210", "91", OK, "+919876543210"),
	P("+ 91 (98765) 43210", "91", OK, "+919876543210"),
	P("98765--43210..", "91", OK, "+919876543210"),
	P("(0)98765 43210", "91", OK, "+919876543210"),
	P("+91()9876543210", "91", OK, "+919876543210"),
	/* surrounding white space is trimmed */
	P("   +91 98765 43210   ", "91", OK, "+919876543210"),
	P("\t+919876543210\r\n", "91", OK, "+919876543210"),
	P("\v9876543210\f", "91", OK, "+919876543210"),
	/* E.164 bounds for codes without a known plan: 8 to 15 digits */
	P("+4930 1234", "91", OK, "+49301234"),
	P("+49 30 901820", "91", OK, "+4930901820"),
	P("+49 30 12345678", "91", OK, "+493012345678"),
	P("0049 30 12345678", "91", OK, "+493012345678"),
	/* international forms do not need a default country code */
	P("+919876543210", NULL, OK, "+919876543210"),
	P("+919876543210", "", OK, "+919876543210"),
	P("0044 20 7946 0958", "1234", OK, "+442079460958"),

	/* blank */
	P("", "91", BLANK, ""),
	P("   ", "91", BLANK, ""),
	P(" \t\r\n\f\v", "91", BLANK, ""),
	/* letters and other symbols */
	P("abc", "91", CHAR, ""),
	P("98765 4321O", "91", CHAR, ""),
	P("+91 98765 43210 ext 5", "91", CHAR, ""),
	P("+91/98765/43210", "91", CHAR, ""),
	P("+91 98765\t43210", "91", CHAR, ""),
	P("+91 98765\n43210", "91", CHAR, ""),
	P("+91_9876543210", "91", CHAR, ""),
	P("+91,9876543210", "91", CHAR, ""),
	P("#9876543210", "91", CHAR, ""),
	P("*9876543210", "91", CHAR, ""),
	P("tel:+919876543210", "91", CHAR, ""),
	P("+91 98765\xc2\xa0" "43210", "91", CHAR, ""),	/* no-break space */
	P("\xd9\xa9\xd9\xa8", "91", CHAR, ""),		/* Arabic-Indic digits */
	P("a+919876543210", "91", CHAR, ""),		/* the letter comes first */
	P("+a919876543210", "91", CHAR, ""),
	/* a '+' anywhere but first */
	P("91+9876543210", "91", PLUS, ""),
	P("++919876543210", "91", PLUS, ""),
	P("9(+91) 98765 43210", "91", PLUS, ""),
	P("+91 98765 43210+", "91", PLUS, ""),
	P(" + +919876543210", "91", PLUS, ""),
	/* too short */
	P("+", "91", LENGTH, ""),
	P("00", "91", LENGTH, ""),
	P("---", "91", LENGTH, ""),
	P("()", "91", LENGTH, ""),
	P("+49 30 1", "91", LENGTH, ""),
	P("0049 30 1", "91", LENGTH, ""),
	P("12345", "91", LENGTH, ""),
	P("98765432", "91", NOPLAN, ""),		/* 8 digits: only 1... */
	P("987654321", "91", NOPLAN, ""),
	P("9876543", "91", LENGTH, ""),		/* dialled within an area only */
	/* too long: over 15 digits, and over the 20 digits that are read */
	P("+49 1234 5678 9012 34", "91", LENGTH, ""),
	P("+1234567890123456789", "91", LENGTH, ""),
	P("+12345678901234567890", "91", LENGTH, ""),
	P("+123456789012345678901", "91", LENGTH, ""),
	P("+123456789012345678901x", "91", LENGTH, ""),	/* stops reading at 21 */
	P("+12345678901234567890x", "91", CHAR, ""),	/* 20 read, then the x */
	P("123456789012345678901234567890", "91", LENGTH, ""),
	P("98765432101", "91", NOPLAN, ""),
	P("9198765432101", "91", NOPLAN, ""),
	P("98765 43210 98765", "91", LENGTH, ""),
	/* a national number starting with 0 */
	P("0123456789", "91", NOPLAN, ""),
	P("00123456789", "91", LENGTH, ""),	/* 00 prefix, then +1 with 8 digits */
	P("0 0876543210", "91", COUNTRY, ""),	/* also the 00 prefix: no +8... */
	P("+91 01234 56789", "91", NOPLAN, ""),
	P("91 01234 56789", "91", NOPLAN, ""),
	P("+1 012 555 0100", "91", NOPLAN, ""),
	P("1 012 555 0100", "1", NOPLAN, ""),
	/* a country code starting with 0, or that no country uses */
	P("+0 44 20 7946 0958", "91", DIGIT, ""),
	P("+091 98765 43210", "91", DIGIT, ""),
	P("+999 1234 5678", "91", COUNTRY, ""),
	P("00 28 1234 5678", "91", COUNTRY, ""),
	P("000 44 20 7946 0958", "91", LENGTH, ""),
	/* India and NANP numbers of the wrong length: 9 and 11 digits are
	 * lengths of India's 1... numbers, 12 digits are not */
	P("+91 98765 4321", "91", NOPLAN, ""),
	P("+91 98765 432100", "91", NOPLAN, ""),
	P("0091 98765 4321", "91", NOPLAN, ""),
	P("+91 98765 43210 1234", "91", LENGTH, ""),
	/* numbers that cannot exist: an Indian landline's subscriber number
	 * starts 2-7; some mobile ranges are not given out */
	P("080 1345 6789", "91", OK, "+918013456789"),	/* a mobile range */
	P("044 9345 6789", "91", NOPLAN, ""),
	P("011 8345 6789", "91", NOPLAN, ""),
	P("022 0345 6789", "91", NOPLAN, ""),
	P("0141 834 5678", "91", NOPLAN, ""),
	P("+91 55551 23456", "91", NOPLAN, ""),
	P("+44 20 7946 095", "91", NOPLAN, ""),
	/* service numbers exist, but take no text message */
	P("1800 425 1234", "91", SERVICE, ""),
	P("+91 1800 425 1234", "91", SERVICE, ""),
	P("1860 425 1234", "91", SERVICE, ""),
	P("+1 800 555 0199", "91", SERVICE, ""),
	P("+44 800 123 4567", "91", SERVICE, ""),
	P("+1 212 555 010", "91", LENGTH, ""),
	P("+1 212 555 01000", "91", LENGTH, ""),
	/* national forms with another default code */
	P("919876543210", "44", LENGTH, ""),
	P("09876543210", "44", NOPLAN, ""),
	/* a default code that is not one turns the national forms off */
	P("9876543210", NULL, LENGTH, ""),
	P("9876543210", "", LENGTH, ""),
	P("9876543210", "0", LENGTH, ""),
	P("9876543210", "09", LENGTH, ""),
	P("9876543210", "1234", LENGTH, ""),
	P("9876543210", "9a", LENGTH, ""),
	P("9876543210", "+91", LENGTH, ""),
	P("09876543210", "", LENGTH, ""),
	P("09876543210", "1234", LENGTH, ""),
	P("919876543210", "", LENGTH, ""),
	P("919876543210", "9a", LENGTH, ""),
	P("0123456789", "", LENGTH, ""),
	P("123456789012", "1234", LENGTH, ""),
};

#undef P

/*
 * RunPhone: normalise in[0..len) with cc into an exact-size output
 * buffer; returns the result and copies the output to out.
 */
static SchedPhoneProblem
RunPhone(const char *in, size_t len, const char *cc, char *out)
{
	char	   *buf = Exact(in, len);
	char	   *o = malloc(SCHED_PHONE_BUFSZ);
	SchedPhoneProblem r;

	if (o == NULL)
		exit(2);
	memset(o, 'X', SCHED_PHONE_BUFSZ);
	r = sched_normalize_phone(buf, len, cc, o);
	memcpy(out, o, SCHED_PHONE_BUFSZ);
	free(o);
	free(buf);
	return r;
}

/*
 * TestPhone: the table above; an accepted output must normalise to
 * itself, with any default code.
 */
static void
TestPhone(void)
{
	size_t		i;
	char		out[SCHED_PHONE_BUFSZ];
	char		again[SCHED_PHONE_BUFSZ];

	for (i = 0; i < sizeof(phone_cases) / sizeof(phone_cases[0]); i++)
	{
		const PhoneCase *t = &phone_cases[i];
		size_t		len = strlen(t->in);
		SchedPhoneProblem r;

		SetContext("phone %s cc %s, table line %d", Quote(t->in, len),
				   Quote(t->cc, t->cc ? strlen(t->cc) : 0), t->line);
		r = RunPhone(t->in, len, t->cc, out);
		CHECK_INT(r, t->want);
		CHECK(memchr(out, '\0', SCHED_PHONE_BUFSZ) != NULL);
		if (memchr(out, '\0', SCHED_PHONE_BUFSZ) == NULL)
			continue;
		CHECK_STR(out, t->out);
		if (r != SCHED_PHONE_OK)
			continue;
		CHECK_INT(RunPhone(out, strlen(out), t->cc, again), SCHED_PHONE_OK);
		CHECK_STR(again, out);
		CHECK_INT(RunPhone(out, strlen(out), NULL, again), SCHED_PHONE_OK);
		CHECK_STR(again, out);
	}

	SetContext("phone reads only len bytes");
	CHECK_INT(RunPhone("+919876543210 ext 5", 13, "91", out), SCHED_PHONE_OK);
	CHECK_STR(out, "+919876543210");
	CHECK_INT(RunPhone("9876543210x", 10, "91", out), SCHED_PHONE_OK);
	CHECK_STR(out, "+919876543210");
	CHECK_INT(RunPhone("+919876543210", 0, "91", out), SCHED_PHONE_BLANK);

	SetContext("phone with an embedded NUL");
	CHECK_INT(RunPhone("+91\0" "9876543210", 14, "91", out), SCHED_PHONE_BAD_CHAR);
	CHECK_STR(out, "");

	/* the shapes' matcher skips ahead on this order (contact.c HasShape) */
	SetContext("phone plans' prefixes sorted within their groups");
	CHECK(sched_phone_shapes_sorted());
	context[0] = '\0';
}

#undef OK
#undef BLANK
#undef CHAR
#undef PLUS
#undef LENGTH
#undef DIGIT
#undef COUNTRY
#undef NOPLAN
#undef SERVICE

/* ---------------------------------------------------------------------
 * sched_normalize_email
 * ---------------------------------------------------------------------
 */

typedef struct EmailCase
{
	int			line;
	const char *in;
	SchedEmailProblem want;
	const char *out;			/* expected output; "" unless OK */
} EmailCase;

#define OK		SCHED_EMAIL_OK
#define LONG	SCHED_EMAIL_TOO_LONG
#define NOAT	SCHED_EMAIL_NO_AT
#define LOCAL	SCHED_EMAIL_BAD_LOCAL
#define DOMAIN	SCHED_EMAIL_BAD_DOMAIN
#define E(in, want, out) {__LINE__, in, want, out}

static const EmailCase email_cases[] = {
	E("user@example.com", OK, "user@example.com"),
	E("a@b.co", OK, "a@b.co"),
	E("first.last@example.com", OK, "first.last@example.com"),
	E("first.last+tag@example.co.in", OK, "first.last+tag@example.co.in"),
	E("user+a+b@example.com", OK, "user+a+b@example.com"),
	E("o'brien@example.ie", OK, "o'brien@example.ie"),
	E("a!#$%&'*+/=?^_`{|}~-z@example.com", OK, "a!#$%&'*+/=?^_`{|}~-z@example.com"),
	E("user@mail.sub.example.org", OK, "user@mail.sub.example.org"),
	E("user@sub-domain.ex-ample-1.com", OK, "user@sub-domain.ex-ample-1.com"),
	E("user@a--b.com", OK, "user@a--b.com"),
	E("user@123.example.com", OK, "user@123.example.com"),
	E("user@xn--mnchen-3ya.de", OK, "user@xn--mnchen-3ya.de"),
	E("user@example.xn--p1ai", OK, "user@example.xn--p1ai"),
	E("user@example.xn--90ais", OK, "user@example.xn--90ais"),
	/* the domain is lower-cased, the local part keeps its case */
	E("User.Name@Mail.Example.COM", OK, "User.Name@mail.example.com"),
	E("USER@EXAMPLE.COM", OK, "USER@example.com"),
	E("Asha@EXAMPLE.XN--P1AI", OK, "Asha@example.xn--p1ai"),
	E("Asha@example.Xn--p1ai", OK, "Asha@example.xn--p1ai"),
	E("Asha@example.xN--p1ai", OK, "Asha@example.xn--p1ai"),
	/* surrounding white space is trimmed */
	E("  user@example.com  ", OK, "user@example.com"),
	E("\tuser@example.com\r\n", OK, "user@example.com"),

	/* not exactly one @ */
	E("", NOAT, ""),
	E("   ", NOAT, ""),
	E("userexample.com", NOAT, ""),
	E("user(at)example.com", NOAT, ""),
	E("a@b@example.com", NOAT, ""),
	E("user@@example.com", NOAT, ""),
	E("\"a@b\"@example.com", NOAT, ""),
	/* the local part */
	E("@example.com", LOCAL, ""),
	E(".user@example.com", LOCAL, ""),
	E("user.@example.com", LOCAL, ""),
	E("us..er@example.com", LOCAL, ""),
	E(".@example.com", LOCAL, ""),
	E("us er@example.com", LOCAL, ""),
	E("user,x@example.com", LOCAL, ""),
	E("\"quoted\"@example.com", LOCAL, ""),
	E("user(comment)@example.com", LOCAL, ""),
	E("<user>@example.com", LOCAL, ""),
	E("user;x@example.com", LOCAL, ""),
	E("user\\x@example.com", LOCAL, ""),
	E("us[e]r@example.com", LOCAL, ""),
	E("us\x01" "er@example.com", LOCAL, ""),
	E("us\ter@example.com", LOCAL, ""),
	E("us\x7f" "er@example.com", LOCAL, ""),
	E("us\xc3\xa9r@example.com", LOCAL, ""),	/* non-ASCII */
	E("\xff@example.com", LOCAL, ""),
	/* the domain */
	E("user@", DOMAIN, ""),
	E("user@localhost", DOMAIN, ""),
	E("user@com", DOMAIN, ""),
	E("user@.example.com", DOMAIN, ""),
	E("user@example.com.", DOMAIN, ""),
	E("user@example..com", DOMAIN, ""),
	E("user@.", DOMAIN, ""),
	E("user@-example.com", DOMAIN, ""),
	E("user@example-.com", DOMAIN, ""),
	E("user@example.-com", DOMAIN, ""),
	E("user@example.com-", DOMAIN, ""),
	E("user@exa_mple.com", DOMAIN, ""),
	E("user@exa mple.com", DOMAIN, ""),
	E("user@example.com ;", DOMAIN, ""),
	E("user@[192.168.0.1]", DOMAIN, ""),
	E("user@192.168.0.1", DOMAIN, ""),
	E("user@example.123", DOMAIN, ""),
	E("user@example.c0m", DOMAIN, ""),
	E("user@example.c", DOMAIN, ""),
	E("user@example.xn--", DOMAIN, ""),
	E("user@example.xn-", DOMAIN, ""),
	E("user@example.xn--p1ai-", DOMAIN, ""),
	E("user@example.x1--p1ai", DOMAIN, ""),	/* almost "xn--" */
	E("user@example.1n--p1ai", DOMAIN, ""),
	E("user@example.xna-p1ai", DOMAIN, ""),
	E("user@example.xn-ap1ai", DOMAIN, ""),
	E("user@m\xc3\xbcnchen.de", DOMAIN, ""),	/* non-ASCII */
	E("user@example.\xc3\xa9u", DOMAIN, ""),
	E("user@exam\x01ple.com", DOMAIN, ""),
};

#undef E

/*
 * RunEmail: normalise in[0..len) into an exact-size (len + 1) output
 * buffer; returns the result and a malloc'd copy of the output.
 */
static SchedEmailProblem
RunEmail(const char *in, size_t len, char **out)
{
	char	   *buf = Exact(in, len);
	char	   *o = malloc(len + 1);
	SchedEmailProblem r;

	if (o == NULL)
		exit(2);
	memset(o, 'X', len + 1);
	r = sched_normalize_email(buf, len, o);
	free(buf);
	*out = o;
	return r;
}

/*
 * CheckEmail: one case, and for an accepted address that its output
 * normalises to itself.
 */
static void
CheckEmail(const char *in, size_t len, SchedEmailProblem want,
		   const char *want_out)
{
	char	   *out;
	char	   *again;
	SchedEmailProblem r = RunEmail(in, len, &out);

	CHECK_INT(r, want);
	CHECK(memchr(out, '\0', len + 1) != NULL);
	if (memchr(out, '\0', len + 1) != NULL)
		CHECK_STR(out, want_out);
	if (r == SCHED_EMAIL_OK && want == SCHED_EMAIL_OK)
	{
		CHECK_INT(RunEmail(out, strlen(out), &again), SCHED_EMAIL_OK);
		CHECK_STR(again, out);
		free(again);
	}
	free(out);
}

/*
 * TestEmail: the table above, then the length limits built out of
 * repeated characters.
 */
static void
TestEmail(void)
{
	size_t		i;
	char	   *local64 = Repeat('a', 64, "");
	char	   *label63 = Repeat('b', 63, "");
	char	   *s;
	char	   *out;
	char		domain[300];

	for (i = 0; i < sizeof(email_cases) / sizeof(email_cases[0]); i++)
	{
		const EmailCase *t = &email_cases[i];
		size_t		len = strlen(t->in);

		SetContext("email %s, table line %d", Quote(t->in, len), t->line);
		CheckEmail(t->in, len, t->want, t->out);
	}

	/* local part: 64 is the limit */
	s = Repeat('a', 64, "@example.com");
	SetContext("email with a 64-character local part");
	CheckEmail(s, strlen(s), SCHED_EMAIL_OK, s);
	free(s);
	s = Repeat('a', 65, "@example.com");
	SetContext("email with a 65-character local part");
	CheckEmail(s, strlen(s), SCHED_EMAIL_TOO_LONG, "");
	free(s);
	s = Repeat('a', 200, "@example.com");
	SetContext("email with a 200-character local part");
	CheckEmail(s, strlen(s), SCHED_EMAIL_TOO_LONG, "");
	free(s);

	/* domain labels: 63 is the limit */
	snprintf(domain, sizeof(domain), "user@%s.com", label63);
	SetContext("email with a 63-character label");
	CheckEmail(domain, strlen(domain), SCHED_EMAIL_OK, domain);
	snprintf(domain, sizeof(domain), "user@%sb.com", label63);
	SetContext("email with a 64-character label");
	CheckEmail(domain, strlen(domain), SCHED_EMAIL_BAD_DOMAIN, "");
	snprintf(domain, sizeof(domain), "user@example.%sb", label63);
	SetContext("email with a 64-character top-level label");
	CheckEmail(domain, strlen(domain), SCHED_EMAIL_BAD_DOMAIN, "");

	/* the whole address: 254 is the limit (64 + 1 + 63 + 1 + 63 + 1 + 57 + 4) */
	s = malloc(300);
	if (s == NULL)
		exit(2);
	snprintf(s, 300, "%s@%s.%s.%.57s.com", local64, label63, label63, label63);
	SetContext("email of 254 characters");
	CHECK_INT(strlen(s), 254);
	CheckEmail(s, strlen(s), SCHED_EMAIL_OK, s);
	snprintf(domain, sizeof(domain), "  %s \n", s);
	SetContext("email of 254 characters with white space around");
	CheckEmail(domain, strlen(domain), SCHED_EMAIL_OK, s);
	snprintf(s, 300, "%s@%s.%s.%.58s.com", local64, label63, label63, label63);
	SetContext("email of 255 characters");
	CHECK_INT(strlen(s), 255);
	CheckEmail(s, strlen(s), SCHED_EMAIL_TOO_LONG, "");
	free(s);
	s = Repeat('a', 300, "");
	SetContext("300 characters and no @");
	CheckEmail(s, strlen(s), SCHED_EMAIL_TOO_LONG, "");
	free(s);

	/* the length is respected and a NUL byte is just a bad character */
	SetContext("email reads only len bytes");
	CHECK_INT(RunEmail("user@example.com>", 16, &out), SCHED_EMAIL_OK);
	CHECK_STR(out, "user@example.com");
	free(out);
	SetContext("email with an embedded NUL");
	CHECK_INT(RunEmail("us\0r@example.com", 16, &out), SCHED_EMAIL_BAD_LOCAL);
	free(out);
	CHECK_INT(RunEmail("user@exa\0ple.com", 16, &out), SCHED_EMAIL_BAD_DOMAIN);
	free(out);

	/* the same address in any case of its domain gives the same output */
	SetContext("email domain case");
	CHECK_INT(RunEmail("Me@Example.Xn--P1ai", 19, &out), SCHED_EMAIL_OK);
	CHECK_STR(out, "Me@example.xn--p1ai");
	free(out);

	free(local64);
	free(label63);
	context[0] = '\0';
}

#undef OK
#undef LONG
#undef NOAT
#undef LOCAL
#undef DOMAIN

/*
 * TestProblemTexts: a sentence for every problem code, all different,
 * and a fallback sentence for a value outside the enum.
 */
static void
TestProblemTexts(void)
{
	int			p;
	int			q;

	for (p = SCHED_PHONE_OK; p <= SCHED_PHONE_SERVICE; p++)
	{
		SetContext("phone problem %d", p);
		CHECK(IsSentence(sched_phone_problem_text((SchedPhoneProblem) p)));
		for (q = SCHED_PHONE_OK; q < p; q++)
			CHECK(strcmp(sched_phone_problem_text((SchedPhoneProblem) p),
						 sched_phone_problem_text((SchedPhoneProblem) q)) != 0);
	}
	SetContext("phone problem out of range");
	CHECK(IsSentence(sched_phone_problem_text((SchedPhoneProblem) 99)));

	for (p = SCHED_EMAIL_OK; p <= SCHED_EMAIL_BAD_DOMAIN; p++)
	{
		SetContext("email problem %d", p);
		CHECK(IsSentence(sched_email_problem_text((SchedEmailProblem) p)));
		for (q = SCHED_EMAIL_OK; q < p; q++)
			CHECK(strcmp(sched_email_problem_text((SchedEmailProblem) p),
						 sched_email_problem_text((SchedEmailProblem) q)) != 0);
	}
	SetContext("email problem out of range");
	CHECK(IsSentence(sched_email_problem_text((SchedEmailProblem) 99)));
	context[0] = '\0';
}

/* ---------------------------------------------------------------------
 * workflow.c
 * ---------------------------------------------------------------------
 */

typedef struct Move
{
	SchedEntity entity;
	int			from;
	int			to;
} Move;

/* Every allowed move; all others must be refused. */
static const Move allowed_moves[] = {
	{SCHED_VISIT, VISIT_PENDING, VISIT_CONFIRMED},
	{SCHED_VISIT, VISIT_PENDING, VISIT_CANCELLED},
	{SCHED_VISIT, VISIT_PENDING, VISIT_NO_SHOW},
	{SCHED_VISIT, VISIT_CONFIRMED, VISIT_COMPLETED},
	{SCHED_VISIT, VISIT_CONFIRMED, VISIT_CANCELLED},
	{SCHED_VISIT, VISIT_CONFIRMED, VISIT_NO_SHOW},
	{SCHED_CALLBACK, CALLBACK_PENDING, CALLBACK_CONTACTED},
	{SCHED_CALLBACK, CALLBACK_PENDING, CALLBACK_NO_ANSWER},
	{SCHED_CALLBACK, CALLBACK_CONTACTED, CALLBACK_COMPLETED},
	{SCHED_CALLBACK, CALLBACK_NO_ANSWER, CALLBACK_CONTACTED},
	{SCHED_CALLBACK, CALLBACK_NO_ANSWER, CALLBACK_NO_ANSWER},
};

/*
 * MoveListed: true if (e, from, to) is in allowed_moves.
 */
static int
MoveListed(SchedEntity e, int from, int to)
{
	size_t		i;

	for (i = 0; i < sizeof(allowed_moves) / sizeof(allowed_moves[0]); i++)
		if (allowed_moves[i].entity == e && allowed_moves[i].from == from &&
			allowed_moves[i].to == to)
			return 1;
	return 0;
}

/*
 * TestNames: entity names, status and urgency labels both ways.
 */
static void
TestNames(void)
{
	static const char *const visit[] = {
		"pending", "confirmed", "completed", "cancelled", "no_show"
	};
	static const char *const callback[] = {
		"pending", "contacted", "completed", "no_answer"
	};
	static const char *const urgency[] = {"urgent", "high", "medium", "low"};
	static const char *const unknown[] = {
		"", "Pending", "PENDING", " pending", "pending ", "no-show", "noshow",
		"done", "new", "pendingx", "pend"
	};
	int			i;
	size_t		u;

	SetContext("entity names and counts");
	CHECK_STR(sched_entity_name(SCHED_VISIT), "visit");
	CHECK_STR(sched_entity_name(SCHED_CALLBACK), "callback");
	CHECK_INT(sched_status_count(SCHED_VISIT), 5);
	CHECK_INT(sched_status_count(SCHED_CALLBACK), 4);

	for (i = 0; i < 5; i++)
	{
		SetContext("visit status %d", i);
		CHECK_STR(sched_status_name(SCHED_VISIT, i), visit[i]);
		CHECK_INT(sched_status_from_name(SCHED_VISIT, visit[i]), i);
	}
	for (i = 0; i < 4; i++)
	{
		SetContext("callback status %d", i);
		CHECK_STR(sched_status_name(SCHED_CALLBACK, i), callback[i]);
		CHECK_INT(sched_status_from_name(SCHED_CALLBACK, callback[i]), i);
	}
	for (i = 0; i < 4; i++)
	{
		SetContext("urgency %d", i);
		CHECK_STR(sched_urgency_name(i), urgency[i]);
		CHECK_INT(sched_urgency_from_name(urgency[i]), i);
	}

	SetContext("status and urgency numbers out of range");
	CHECK_STR(sched_status_name(SCHED_VISIT, -1), NULL);
	CHECK_STR(sched_status_name(SCHED_VISIT, VISIT_NSTATUS), NULL);
	CHECK_STR(sched_status_name(SCHED_VISIT, INT_MIN), NULL);
	CHECK_STR(sched_status_name(SCHED_VISIT, INT_MAX), NULL);
	CHECK_STR(sched_status_name(SCHED_CALLBACK, -1), NULL);
	CHECK_STR(sched_status_name(SCHED_CALLBACK, CALLBACK_NSTATUS), NULL);
	CHECK_STR(sched_urgency_name(-1), NULL);
	CHECK_STR(sched_urgency_name(URGENCY_N), NULL);
	CHECK_STR(sched_urgency_name(INT_MAX), NULL);

	SetContext("labels of the other entity");
	CHECK_INT(sched_status_from_name(SCHED_VISIT, "contacted"), -1);
	CHECK_INT(sched_status_from_name(SCHED_VISIT, "no_answer"), -1);
	CHECK_INT(sched_status_from_name(SCHED_CALLBACK, "confirmed"), -1);
	CHECK_INT(sched_status_from_name(SCHED_CALLBACK, "cancelled"), -1);
	CHECK_INT(sched_status_from_name(SCHED_CALLBACK, "no_show"), -1);
	CHECK_INT(sched_urgency_from_name("pending"), -1);
	for (u = 0; u < sizeof(unknown) / sizeof(unknown[0]); u++)
	{
		SetContext("unknown label %s", Quote(unknown[u], strlen(unknown[u])));
		CHECK_INT(sched_status_from_name(SCHED_VISIT, unknown[u]), -1);
		CHECK_INT(sched_status_from_name(SCHED_CALLBACK, unknown[u]), -1);
		CHECK_INT(sched_urgency_from_name(unknown[u]), -1);
	}
	context[0] = '\0';
}

/*
 * TestNotifyRing: the notifier's guards at their edges (notifier.c): the
 * payload lengths NOTIFY takes, and ring entries that cannot be trusted.
 */
static void
TestNotifyRing(void)
{
	const size_t max = 7904;	/* NOTIFY_PAYLOAD_MAX_LENGTH with 8 kB pages */
	const size_t h = 4;			/* the length word */

	SetContext("payload lengths");
	CHECK(!sched_notify_payload_fits(0, max));
	CHECK(sched_notify_payload_fits(1, max));
	CHECK(sched_notify_payload_fits(max - 1, max));
	CHECK(!sched_notify_payload_fits(max, max));
	CHECK(!sched_notify_payload_fits((size_t) -1, max));

	SetContext("ring entries");
	CHECK(sched_ring_entry_ok(10, 0, 14, max, h));			/* exactly up to head */
	CHECK(sched_ring_entry_ok(10, 100, 200, max, h));
	CHECK(!sched_ring_entry_ok(10, 0, 13, max, h));			/* one byte past head */
	CHECK(!sched_ring_entry_ok(0, 0, 100, max, h));			/* empty: never written */
	CHECK(!sched_ring_entry_ok((uint32_t) max, 0, 100000, max, h));	/* too long for NOTIFY */
	CHECK(!sched_ring_entry_ok(UINT32_MAX, 0, UINT64_MAX, max, h));	/* garbage length */
	CHECK(!sched_ring_entry_ok(10, 200, 100, max, h));		/* past head already */
	CHECK(!sched_ring_entry_ok(10, 98, 100, max, h));		/* not even the header fits */
	CHECK(sched_ring_entry_ok(10, UINT64_MAX - 14, UINT64_MAX, max, h));	/* no overflow at the top */
	CHECK(!sched_ring_entry_ok(10, UINT64_MAX - 13, UINT64_MAX, max, h));
}

/*
 * TestRefs: a booking's ref, in 1.0's shape on the first timeline and with
 * the timeline after a failover (1.3).
 */
static void
TestRefs(void)
{
	char		ref[SCHED_REF_SIZE];

	SetContext("refs");
	CHECK_INT(sched_format_ref(ref, sizeof(ref), SCHED_VISIT, 1, 1), 12);
	CHECK_STR(ref, "visit_000001");
	sched_format_ref(ref, sizeof(ref), SCHED_CALLBACK, 123456, 1);
	CHECK_STR(ref, "callback_123456");
	sched_format_ref(ref, sizeof(ref), SCHED_VISIT, 1000000, 1);
	CHECK_STR(ref, "visit_1000000");
	sched_format_ref(ref, sizeof(ref), SCHED_VISIT, -7, 1);
	CHECK_STR(ref, "visit_0000-7");			/* lpad('-7', 6, '0'), as 1.0 */
	sched_format_ref(ref, sizeof(ref), SCHED_VISIT, -1234567, 1);
	CHECK_STR(ref, "visit_-12345");			/* lpad cuts to six */
	sched_format_ref(ref, sizeof(ref), SCHED_VISIT, 123, 2);
	CHECK_STR(ref, "visit_000123-2");		/* after a failover */
	sched_format_ref(ref, sizeof(ref), SCHED_VISIT, 123, 1);
	CHECK_STR(ref, "visit_000123");			/* the lost booking's: never the same */
	sched_format_ref(ref, sizeof(ref), SCHED_CALLBACK, INT64_MAX, UINT32_MAX);
	CHECK_STR(ref, "callback_9223372036854775807-4294967295");
	CHECK(strlen(ref) < SCHED_REF_SIZE);
	CHECK_INT(sched_format_ref(ref, 8, SCHED_VISIT, 123, 2) >= 8, 1);	/* cut, never overrun */
	CHECK_INT(strlen(ref), 7);
}

/*
 * TestJobMoves: every pair of outbox job states, by name, against the
 * moves the worker's calls make (1.3), with and without retry_job.
 */
static void
TestJobMoves(void)
{
	static const char *const allowed[] = {
		"pending>pending", "pending>claimed", "pending>cancelled",
		"claimed>claimed", "claimed>done", "claimed>pending", "claimed>dead", "claimed>cancelled",
		"done>done", "dead>dead", "cancelled>cancelled"
	};
	int			from;
	int			to;
	size_t		i;

	SetContext("job state names");
	CHECK_INT(sched_job_state_from_name("pending"), JOB_PENDING);
	CHECK_INT(sched_job_state_from_name("cancelled"), JOB_CANCELLED);
	CHECK_INT(sched_job_state_from_name("sent"), -1);
	CHECK(sched_job_state_name(JOB_NSTATE) == NULL);
	CHECK(sched_job_state_name(-1) == NULL);
	for (from = -1; from <= JOB_NSTATE; from++)
		for (to = -1; to <= JOB_NSTATE; to++)
		{
			char		move[64];
			bool		listed = false;

			snprintf(move, sizeof(move), "%s>%s",
					 sched_job_state_name(from) ? sched_job_state_name(from) : "?",
					 sched_job_state_name(to) ? sched_job_state_name(to) : "?");
			for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
				if (strcmp(allowed[i], move) == 0)
					listed = true;
			SetContext("job move %s", move);
			CHECK_INT(sched_job_move_allowed(from, to, false), listed);
			CHECK_INT(sched_job_move_allowed(from, to, true),
					  listed || (from == JOB_DEAD && to == JOB_PENDING));
		}
}

/*
 * TestTransitions: every pair, in range or not, against allowed_moves;
 * then which statuses are final and which hold a slot.
 */
static void
TestTransitions(void)
{
	static const int odd[] = {INT_MIN, -1000, 1000, INT_MAX};
	int			e;
	int			from;
	int			to;
	size_t		i;

	for (e = SCHED_VISIT; e <= SCHED_CALLBACK; e++)
	{
		int			n = sched_status_count((SchedEntity) e);

		for (from = -2; from <= n + 1; from++)
			for (to = -2; to <= n + 1; to++)
			{
				SetContext("%s move %d -> %d", sched_entity_name((SchedEntity) e),
						   from, to);
				CHECK_INT(sched_transition_allowed((SchedEntity) e, from, to),
						  MoveListed((SchedEntity) e, from, to));
			}
		for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		{
			SetContext("%s move with %d", sched_entity_name((SchedEntity) e),
					   odd[i]);
			CHECK(!sched_transition_allowed((SchedEntity) e, odd[i], 0));
			CHECK(!sched_transition_allowed((SchedEntity) e, 0, odd[i]));
			CHECK(!sched_transition_allowed((SchedEntity) e, odd[i], odd[i]));
		}
	}

	SetContext("final statuses");
	CHECK(!sched_status_is_final(SCHED_VISIT, VISIT_PENDING));
	CHECK(!sched_status_is_final(SCHED_VISIT, VISIT_CONFIRMED));
	CHECK(sched_status_is_final(SCHED_VISIT, VISIT_COMPLETED));
	CHECK(sched_status_is_final(SCHED_VISIT, VISIT_CANCELLED));
	CHECK(sched_status_is_final(SCHED_VISIT, VISIT_NO_SHOW));
	CHECK(!sched_status_is_final(SCHED_CALLBACK, CALLBACK_PENDING));
	CHECK(!sched_status_is_final(SCHED_CALLBACK, CALLBACK_CONTACTED));
	CHECK(sched_status_is_final(SCHED_CALLBACK, CALLBACK_COMPLETED));
	CHECK(!sched_status_is_final(SCHED_CALLBACK, CALLBACK_NO_ANSWER));

	SetContext("statuses holding a slot");
	CHECK(sched_visit_holds_slot(VISIT_PENDING));
	CHECK(sched_visit_holds_slot(VISIT_CONFIRMED));
	CHECK(!sched_visit_holds_slot(VISIT_COMPLETED));
	CHECK(!sched_visit_holds_slot(VISIT_CANCELLED));
	CHECK(!sched_visit_holds_slot(VISIT_NO_SHOW));
	CHECK(!sched_visit_holds_slot(-1));
	CHECK(!sched_visit_holds_slot(VISIT_NSTATUS));
	context[0] = '\0';
}

/*
 * TestStampsAndAttempts: the column stamped on arrival in each status,
 * and which arrivals count a call attempt.
 */
static void
TestStampsAndAttempts(void)
{
	static const char *const visit_stamp[] = {
		NULL, "confirmed_at", "completed_at", "cancelled_at", NULL
	};
	static const char *const callback_stamp[] = {
		NULL, "contacted_at", "completed_at", NULL
	};
	static const int callback_attempt[] = {0, 1, 0, 1};
	int			s;

	for (s = -1; s <= VISIT_NSTATUS; s++)
	{
		SetContext("visit status %d", s);
		CHECK_STR(sched_status_stamp_column(SCHED_VISIT, s),
				  s >= 0 && s < VISIT_NSTATUS ? visit_stamp[s] : NULL);
		CHECK(!sched_status_counts_attempt(SCHED_VISIT, s));
	}
	for (s = -1; s <= CALLBACK_NSTATUS; s++)
	{
		int			in_range = s >= 0 && s < CALLBACK_NSTATUS;

		SetContext("callback status %d", s);
		CHECK_STR(sched_status_stamp_column(SCHED_CALLBACK, s),
				  in_range ? callback_stamp[s] : NULL);
		CHECK_INT(sched_status_counts_attempt(SCHED_CALLBACK, s),
				  in_range ? callback_attempt[s] : 0);
	}
	context[0] = '\0';
}

/*
 * TestSla: minutes per urgency, -1 outside the enum.
 */
static void
TestSla(void)
{
	SetContext("SLA minutes");
	CHECK_INT(sched_sla_minutes(URGENCY_URGENT), 30);
	CHECK_INT(sched_sla_minutes(URGENCY_HIGH), 120);
	CHECK_INT(sched_sla_minutes(URGENCY_MEDIUM), 240);
	CHECK_INT(sched_sla_minutes(URGENCY_LOW), 1440);
	CHECK_INT(sched_sla_minutes(-1), -1);
	CHECK_INT(sched_sla_minutes(URGENCY_N), -1);
	CHECK_INT(sched_sla_minutes(INT_MIN), -1);
	CHECK_INT(sched_sla_minutes(INT_MAX), -1);
	CHECK_INT(sched_sla_minutes(sched_urgency_from_name("urgent")), 30);
	CHECK_INT(sched_sla_minutes(sched_urgency_from_name("low")), 1440);
	CHECK_INT(sched_sla_minutes(sched_urgency_from_name("nope")), -1);
	context[0] = '\0';
}

typedef struct JobsCase
{
	int			line;
	SchedEntity entity;
	int			status;
	int			njobs;
	SchedJobSpec jobs[3];
} JobsCase;

#define PHONE	SCHED_TO_CUSTOMER_PHONE
#define EMAIL	SCHED_TO_CUSTOMER_EMAIL
#define AGENT	SCHED_TO_AGENT
#define J(e, s, n, ...) {__LINE__, e, s, n, {__VA_ARGS__}}

static const JobsCase jobs_cases[] = {
	J(SCHED_VISIT, SCHED_EVENT_CREATED, 3,
	  {"sms", PHONE, "visit_booked"},
	  {"email", EMAIL, "visit_booked"},
	  {"agent", AGENT, "visit_assigned"}),
	J(SCHED_VISIT, VISIT_PENDING, 0, {NULL, PHONE, NULL}),
	J(SCHED_VISIT, VISIT_CONFIRMED, 2,
	  {"sms", PHONE, "visit_confirmed"},
	  {"email", EMAIL, "visit_confirmed"}),
	J(SCHED_VISIT, VISIT_COMPLETED, 1,
	  {"email", EMAIL, "visit_completed"}),
	J(SCHED_VISIT, VISIT_CANCELLED, 3,
	  {"sms", PHONE, "visit_cancelled"},
	  {"email", EMAIL, "visit_cancelled"},
	  {"agent", AGENT, "visit_cancelled"}),
	J(SCHED_VISIT, VISIT_NO_SHOW, 2,
	  {"sms", PHONE, "visit_missed"},
	  {"agent", AGENT, "visit_no_show"}),
	J(SCHED_VISIT, VISIT_NSTATUS, 0, {NULL, PHONE, NULL}),
	J(SCHED_VISIT, SCHED_EVENT_MOVED, 3,
	  {"sms", PHONE, "visit_rescheduled"},
	  {"email", EMAIL, "visit_rescheduled"},
	  {"agent", AGENT, "visit_rescheduled"}),
	J(SCHED_VISIT, -3, 0, {NULL, PHONE, NULL}),
	J(SCHED_VISIT, 1000, 0, {NULL, PHONE, NULL}),
	J(SCHED_CALLBACK, SCHED_EVENT_CREATED, 3,
	  {"sms", PHONE, "callback_requested"},
	  {"email", EMAIL, "callback_requested"},
	  {"agent", AGENT, "callback_assigned"}),
	J(SCHED_CALLBACK, CALLBACK_PENDING, 0, {NULL, PHONE, NULL}),
	J(SCHED_CALLBACK, CALLBACK_CONTACTED, 0, {NULL, PHONE, NULL}),
	J(SCHED_CALLBACK, CALLBACK_COMPLETED, 0, {NULL, PHONE, NULL}),
	J(SCHED_CALLBACK, CALLBACK_NO_ANSWER, 1,
	  {"sms", PHONE, "callback_missed"}),
	J(SCHED_CALLBACK, CALLBACK_NSTATUS, 0, {NULL, PHONE, NULL}),
	J(SCHED_CALLBACK, SCHED_EVENT_MOVED, 0, {NULL, PHONE, NULL}),
	J(SCHED_CALLBACK, SCHED_EVENT_GAVE_UP, 2,
	  {"sms", PHONE, "callback_unreachable"},
	  {"email", EMAIL, "callback_unreachable"}),
	J(SCHED_CALLBACK, SCHED_EVENT_OVERDUE, 1,
	  {"agent", SCHED_TO_SENIORS, "callback_overdue"}),
	J(SCHED_VISIT, SCHED_EVENT_OVERDUE, 0, {NULL, PHONE, NULL}),
	J(SCHED_CALLBACK, -5, 0, {NULL, PHONE, NULL}),
};

#undef J

/*
 * TestJobs: the table above, and that every job uses a channel and a
 * template sched.outbox accepts, sent to the recipient its channel
 * implies.
 */
static void
TestJobs(void)
{
	static const char *const templates[] = {
		"visit_booked", "visit_confirmed", "visit_cancelled",
		"visit_completed", "visit_missed", "visit_assigned", "visit_no_show",
		"visit_rescheduled",
		"callback_requested", "callback_assigned", "callback_missed",
		"callback_unreachable", "callback_overdue"
	};
	static const SchedJobSpec poison = {"poison", SCHED_TO_AGENT, "poison"};
	size_t		i;
	int			j;
	size_t		k;

	for (i = 0; i < sizeof(jobs_cases) / sizeof(jobs_cases[0]); i++)
	{
		const JobsCase *t = &jobs_cases[i];
		const SchedJobSpec *jobs = &poison;
		int			n;

		SetContext("jobs of %s status %d, table line %d",
				   sched_entity_name(t->entity), t->status, t->line);
		n = sched_jobs_for(t->entity, t->status, &jobs);
		CHECK_INT(n, t->njobs);
		if (n == 0)
		{
			CHECK(jobs == NULL);
			continue;
		}
		CHECK(jobs != NULL);
		if (jobs == NULL || n != t->njobs)
			continue;
		for (j = 0; j < n; j++)
		{
			int			known = 0;

			SetContext("job %d of %s status %d, table line %d", j,
					   sched_entity_name(t->entity), t->status, t->line);
			CHECK_STR(jobs[j].channel, t->jobs[j].channel);
			CHECK_INT(jobs[j].recipient, t->jobs[j].recipient);
			CHECK_STR(jobs[j].template_name, t->jobs[j].template_name);

			if (strcmp(jobs[j].channel, "agent") == 0)
				CHECK(jobs[j].recipient == AGENT || jobs[j].recipient == SCHED_TO_SENIORS);
			else
				CHECK_INT(jobs[j].recipient, strcmp(jobs[j].channel, "sms") == 0 ? PHONE : EMAIL);
			CHECK(strcmp(jobs[j].channel, "agent") == 0 ||
				  strcmp(jobs[j].channel, "sms") == 0 ||
				  strcmp(jobs[j].channel, "email") == 0);
			for (k = 0; k < sizeof(templates) / sizeof(templates[0]); k++)
				known |= strcmp(jobs[j].template_name, templates[k]) == 0;
			CHECK(known);
			CHECK(strncmp(jobs[j].template_name, sched_entity_name(t->entity),
						  strlen(sched_entity_name(t->entity))) == 0);
		}
	}
	context[0] = '\0';
}

#undef PHONE
#undef EMAIL
#undef AGENT

/*
 * TestTurns: round-robin start positions.
 */
static void
TestTurns(void)
{
	static const int want3[] = {0, 1, 2, 0, 1, 2, 0};
	int64_t		t;

	for (t = 1; t <= 7; t++)
	{
		SetContext("ticket %lld of 3", (long long) t);
		CHECK_INT(sched_turn_start(t, 3), want3[t - 1]);
	}
	SetContext("one agent");
	for (t = 1; t <= 5; t++)
		CHECK_INT(sched_turn_start(t, 1), 0);

	SetContext("bad pool size or ticket");
	CHECK_INT(sched_turn_start(1, 0), -1);
	CHECK_INT(sched_turn_start(1, -1), -1);
	CHECK_INT(sched_turn_start(1, INT_MIN), -1);
	CHECK_INT(sched_turn_start(0, 3), -1);
	CHECK_INT(sched_turn_start(-1, 3), -1);
	CHECK_INT(sched_turn_start(INT64_MIN, 3), -1);
	CHECK_INT(sched_turn_start(0, 0), -1);

	SetContext("large tickets");
	CHECK_INT(sched_turn_start(INT64_MAX, 3), 0);	/* (2^63 - 2) % 3 */
	CHECK_INT(sched_turn_start(INT64_MAX, 7), 6);
	CHECK_INT(sched_turn_start(INT64_MAX, 1), 0);
	CHECK_INT(sched_turn_start(INT64_MAX, INT_MAX), 0);	/* 2^63 - 2 = 2(2^31 - 1)(...) */
	CHECK_INT(sched_turn_start(INT64_MAX - 1, INT_MAX), INT_MAX - 1);
	CHECK_INT(sched_turn_start((int64_t) 5000000000001LL, 10), 0);
	CHECK_INT(sched_turn_start((int64_t) 5000000000002LL, 10), 1);
	CHECK_INT(sched_turn_start(((int64_t) 1 << 32) + 1, 2), 0);
	CHECK_INT(sched_turn_start(((int64_t) 1 << 32) + 2, 2), 1);
	CHECK_INT(sched_turn_start(((int64_t) 1 << 32) + 1, 3), 1);	/* 2^32 % 3 */

	SetContext("consecutive tickets visit every agent once");
	{
		int			seen[5] = {0, 0, 0, 0, 0};
		int			k;

		for (t = 1000000000000LL; t < 1000000000005LL; t++)
		{
			int			p = sched_turn_start(t, 5);

			CHECK(p >= 0 && p < 5);
			if (p >= 0 && p < 5)
				seen[p]++;
		}
		for (k = 0; k < 5; k++)
			CHECK_INT(seen[k], 1);
	}
	context[0] = '\0';
}

/*
 * TestSlotsAndReminders: slot hours, names, and the reminder plan.
 */
static void
TestSlotsAndReminders(void)
{
	static const int want[SLOT_N][2] = {{9, 12}, {12, 15}, {15, 18}};
	const SchedReminderSpec *r;
	int			n;
	int			i;
	int			start;
	int			end;

	for (i = 0; i < SLOT_N; i++)
	{
		SetContext("slot %d", i);
		CHECK(sched_slot_hours(i, &start, &end));
		CHECK_INT(start, want[i][0]);
		CHECK_INT(end, want[i][1]);
		CHECK_INT(sched_slot_from_name(sched_slot_name(i)), i);
	}
	SetContext("slots out of range");
	CHECK(!sched_slot_hours(-1, &start, &end));
	CHECK(!sched_slot_hours(SLOT_N, &start, &end));
	CHECK(sched_slot_name(SLOT_N) == NULL);
	CHECK_INT(sched_slot_from_name("night"), -1);
	CHECK_INT(sched_slot_from_name("Morning"), -1);

	SetContext("reminders");
	n = sched_visit_reminders(&r);
	CHECK_INT(n, 3);
	for (i = 0; i < n; i++)
	{
		CHECK(r[i].minutes_before == 24 * 60 || r[i].minutes_before == 60);
		CHECK(strncmp(r[i].job.template_name, "visit_reminder_", 15) == 0);
		CHECK(r[i].job.recipient != SCHED_TO_AGENT);
	}
	CHECK_INT(r[0].minutes_before, 1440);
	CHECK(strcmp(r[2].job.template_name, "visit_reminder_1h") == 0);
	context[0] = '\0';
}

/*
 * TestRetryDelay: exponential backoff of failed outbox jobs.
 */
static void
TestRetryDelay(void)
{
	SetContext("backoff doubles from the base");
	CHECK(sched_retry_delay_s(1, 60, 3600) == 60);
	CHECK(sched_retry_delay_s(2, 60, 3600) == 120);
	CHECK(sched_retry_delay_s(3, 60, 3600) == 240);
	CHECK(sched_retry_delay_s(6, 60, 3600) == 1920);
	SetContext("capped at the maximum");
	CHECK(sched_retry_delay_s(7, 60, 3600) == 3600);
	CHECK(sched_retry_delay_s(1000, 60, 3600) == 3600);
	CHECK(sched_retry_delay_s(INT_MAX, 60, 3600) == 3600);
	CHECK(sched_retry_delay_s(70, INT64_MAX / 2, INT64_MAX) == INT64_MAX);
	CHECK(sched_retry_delay_s(1, 7200, 3600) == 3600);
	SetContext("nonsense in, no wait out");
	CHECK(sched_retry_delay_s(0, 60, 3600) == 60);
	CHECK(sched_retry_delay_s(-5, 60, 3600) == 60);
	CHECK(sched_retry_delay_s(3, 0, 3600) == 0);
	CHECK(sched_retry_delay_s(3, 60, -1) == 0);
	context[0] = '\0';
}

/*
 * TestAgentRoom: what a slot and a day leave an agent.
 */
static void
TestAgentRoom(void)
{
	SetContext("no daily cap: the slot decides");
	CHECK(sched_agent_room(2, -1, 0, 0) == 2);
	CHECK(sched_agent_room(2, -1, 1, 40) == 1);
	CHECK(sched_agent_room(2, -1, 2, 2) == 0);
	CHECK(sched_agent_room(0, -1, 0, 0) == 0);
	SetContext("the day leaves less than the slot");
	CHECK(sched_agent_room(3, 4, 0, 3) == 1);
	CHECK(sched_agent_room(3, 4, 1, 4) == 0);
	CHECK(sched_agent_room(3, 0, 0, 0) == 0);
	SetContext("the slot leaves less than the day");
	CHECK(sched_agent_room(1, 5, 0, 2) == 1);
	CHECK(sched_agent_room(1, 5, 1, 2) == 0);
	SetContext("over the limit (a cap lowered later): none, not negative");
	CHECK(sched_agent_room(1, -1, 3, 3) == 0);
	CHECK(sched_agent_room(5, 2, 0, 6) == 0);
	CHECK(sched_agent_room(INT64_MAX, INT64_MAX, 0, 0) == INT64_MAX);
	CHECK(sched_agent_room(INT64_MIN, -1, INT64_MAX, 0) == 0);
	CHECK(sched_agent_room(5, 3, INT64_MIN, INT64_MIN) == 3);
	CHECK(sched_agent_room(INT64_MAX, INT64_MAX, INT64_MIN, 1) == INT64_MAX - 1);
	context[0] = '\0';
}

/*
 * TestCallbackRetries: the gap after each unanswered call, the business
 * hours setting, and the wait until they open.
 */
static void
TestCallbackRetries(void)
{
	int			open = -1;
	int			close = -1;

	SetContext("retry gaps grow and stop at a day");
	CHECK_INT(sched_callback_retry_minutes(1), 60);
	CHECK_INT(sched_callback_retry_minutes(2), 120);
	CHECK_INT(sched_callback_retry_minutes(3), 240);
	CHECK_INT(sched_callback_retry_minutes(5), 960);
	CHECK_INT(sched_callback_retry_minutes(6), 1440);
	CHECK_INT(sched_callback_retry_minutes(INT_MAX), 1440);
	CHECK_INT(sched_callback_retry_minutes(0), 60);
	CHECK_INT(sched_callback_retry_minutes(-3), 60);
	CHECK_INT(sched_callback_retry_minutes(INT_MIN), 60);

	SetContext("business hours settings");
	CHECK(sched_parse_business_hours("09:00-18:00", &open, &close));
	CHECK_INT(open, 540);
	CHECK_INT(close, 1080);
	CHECK(sched_parse_business_hours("00:00-24:00", &open, &close));
	CHECK_INT(open, 0);
	CHECK_INT(close, 1440);
	CHECK(sched_parse_business_hours("08:30-20:45", &open, &close));
	CHECK_INT(open, 510);
	CHECK_INT(close, 1245);
	CHECK(!sched_parse_business_hours("18:00-09:00", &open, &close));
	CHECK(!sched_parse_business_hours("09:00-09:00", &open, &close));
	CHECK(!sched_parse_business_hours("9:00-18:00", &open, &close));
	CHECK(!sched_parse_business_hours("09:00-18:00 ", &open, &close));
	CHECK(!sched_parse_business_hours("09:00 18:00", &open, &close));
	CHECK(!sched_parse_business_hours("09:60-18:00", &open, &close));
	CHECK(!sched_parse_business_hours("09:00-24:01", &open, &close));
	CHECK(!sched_parse_business_hours("24:00-24:00", &open, &close));
	CHECK(!sched_parse_business_hours("25:00-26:00", &open, &close));
	CHECK(!sched_parse_business_hours("", &open, &close));
	CHECK(!sched_parse_business_hours(NULL, &open, &close));
	CHECK(!sched_parse_business_hours("ab:cd-ef:gh", &open, &close));

	SetContext("minutes until open, 09:00-18:00");
	CHECK_INT(sched_minutes_until_open(540, 540, 1080), 0);
	CHECK_INT(sched_minutes_until_open(1079, 540, 1080), 0);
	CHECK_INT(sched_minutes_until_open(1080, 540, 1080), 900);	/* 18:00 -> 09:00 */
	CHECK_INT(sched_minutes_until_open(1380, 540, 1080), 600);	/* 23:00 */
	CHECK_INT(sched_minutes_until_open(0, 540, 1080), 540);
	CHECK_INT(sched_minutes_until_open(539, 540, 1080), 1);
	SetContext("always open");
	CHECK_INT(sched_minutes_until_open(0, 0, 1440), 0);
	CHECK_INT(sched_minutes_until_open(1439, 0, 1440), 0);

	context[0] = '\0';
}

/*
 * TestAvailability (1.4): agents' working hours covering a slot, and
 * sched.min_notice's durations.
 */
static void
TestAvailability(void)
{
	SchedHoursRange day[] = {{9 * 60, 13 * 60}, {14 * 60, 18 * 60}};
	SchedHoursRange touching[] = {{12 * 60, 15 * 60}, {9 * 60, 12 * 60}};
	SchedHoursRange overlapping[] = {{9 * 60, 11 * 60}, {10 * 60, 12 * 60 + 30}};
	SchedHoursRange night[] = {{0, 24 * 60}};
	int			m = -1;

	SetContext("working hours cover a slot whole");
	CHECK(sched_hours_cover(day, 2, 9 * 60, 12 * 60));			/* morning */
	CHECK(!sched_hours_cover(day, 2, 12 * 60, 15 * 60));		/* a gap 13-14 */
	CHECK(sched_hours_cover(day, 2, 15 * 60, 18 * 60));
	CHECK(!sched_hours_cover(day, 2, 15 * 60, 18 * 60 + 1));
	CHECK(!sched_hours_cover(day, 2, 8 * 60 + 59, 12 * 60));
	CHECK(sched_hours_cover(touching, 2, 9 * 60, 15 * 60));	/* unordered, touching */
	CHECK(sched_hours_cover(overlapping, 2, 9 * 60, 12 * 60));
	CHECK(!sched_hours_cover(overlapping, 2, 9 * 60, 13 * 60));
	CHECK(sched_hours_cover(night, 1, 15 * 60, 18 * 60));
	CHECK(!sched_hours_cover(NULL, 0, 9 * 60, 12 * 60));
	CHECK(sched_hours_cover(NULL, 0, 9 * 60, 9 * 60));

	SetContext("minimum notice");
	CHECK(sched_parse_notice("2 hours", &m));
	CHECK_INT(m, 120);
	CHECK(sched_parse_notice("90 minutes", &m));
	CHECK_INT(m, 90);
	CHECK(sched_parse_notice("1 day", &m));
	CHECK_INT(m, 1440);
	CHECK(sched_parse_notice("1h 30min", &m));
	CHECK_INT(m, 90);
	CHECK(sched_parse_notice(" 2h ", &m));
	CHECK_INT(m, 120);
	CHECK(sched_parse_notice("0", &m));
	CHECK_INT(m, 0);
	CHECK(sched_parse_notice("0 minutes", &m));
	CHECK_INT(m, 0);
	CHECK(sched_parse_notice("30 days", &m));
	CHECK_INT(m, 30 * 1440);
	CHECK(!sched_parse_notice("31 days", &m));
	CHECK(!sched_parse_notice("999999 hours", &m));
	CHECK(!sched_parse_notice("1234567 min", &m));
	CHECK(!sched_parse_notice("2", &m));
	CHECK(!sched_parse_notice("hours", &m));
	CHECK(!sched_parse_notice("-2 hours", &m));
	CHECK(!sched_parse_notice("2 fortnights", &m));
	CHECK(!sched_parse_notice("2.5 hours", &m));
	CHECK(!sched_parse_notice("", &m));
	CHECK(!sched_parse_notice(NULL, &m));
}

/*
 * main: run every group, print the summary, exit 1 on any failure.
 */
int
main(void)
{
	TestTrim();
	TestText();
	TestLink();
	TestCountryCode();
	TestPhone();
	TestEmail();
	TestProblemTexts();
	TestNames();
	TestTransitions();
	TestJobMoves();
	TestNotifyRing();
	TestRefs();
	TestStampsAndAttempts();
	TestSla();
	TestJobs();
	TestTurns();
	TestSlotsAndReminders();
	TestRetryDelay();
	TestAgentRoom();
	TestCallbackRetries();
	TestAvailability();

	return CheckSummary("test_rules");
}
