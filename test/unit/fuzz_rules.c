/*
 * fuzz_rules.c
 *		libFuzzer target for the input checks of src/contact.c, with
 *		invariants on what they accept (sched_looks_like_link against a
 *		slow restatement), plus a few workflow.c calls on arbitrary
 *		integers.
 *
 * "make -C test/unit fuzz" builds it with clang-14 -fsanitize=fuzzer.
 * Linked with fuzz_replay.c instead ("make replay"), it replays the
 * corpus without the libFuzzer runtime.
 *
 * Every input is copied into a malloc'd buffer of its exact size, with no
 * terminating NUL, and outputs go to buffers of the documented size, so
 * that AddressSanitizer reports any read or write past either.  A broken
 * invariant prints what it was and aborts, which libFuzzer records as a
 * crash.
 */
#define _POSIX_C_SOURCE 200809L

#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

#define IS_UPPER(c)	((c) >= 'A' && (c) <= 'Z')
#define IS_LOWER(c)	((c) >= 'a' && (c) <= 'z')
#define IS_SPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r' || \
					 (c) == '\f' || (c) == '\v')

/* Default country codes tried on every input: valid ones and not. */
static const char *const country_codes[] = {
	NULL, "", "91", "1", "44", "971", "0", "1234", "9a"
};
#define NCODES (sizeof(country_codes) / sizeof(country_codes[0]))

/*
 * Trimmed: the bounds of s[0..len) without surrounding white space,
 * computed here independently of sched_trim.
 */
static void
Trimmed(const char *s, size_t len, size_t *from, size_t *to)
{
	size_t		a = 0;
	size_t		b = len;

	while (a < b && IS_SPACE((unsigned char) s[a]))
		a++;
	while (b > a && IS_SPACE((unsigned char) s[b - 1]))
		b--;
	*from = a;
	*to = b;
}

/*
 * Phone: normalise s[0..len) with cc into an exact-size output buffer;
 * returns the result and copies the output to out.
 */
static SchedPhoneProblem
Phone(const char *s, size_t len, const char *cc, char *out)
{
	char	   *in = Exact(s, len);
	char	   *o = Alloc(SCHED_PHONE_BUFSZ);
	SchedPhoneProblem r;

	memset(o, 'X', SCHED_PHONE_BUFSZ);
	r = sched_normalize_phone(in, len, cc, o);
	REQUIRE(r >= SCHED_PHONE_OK && r <= SCHED_PHONE_SERVICE);
	REQUIRE(memchr(o, '\0', SCHED_PHONE_BUFSZ) != NULL);
	REQUIRE(r == SCHED_PHONE_OK || o[0] == '\0');
	REQUIRE(sched_phone_problem_text(r)[0] != '\0');
	memcpy(out, o, SCHED_PHONE_BUFSZ);
	free(o);
	free(in);
	return r;
}

/*
 * CheckPhoneOutput: '+', then at most 15 digits, no leading 0, and for
 * India and NANP ten national digits (India's fixed lines and mobiles),
 * not starting with 0 (NANP's: with 2-9).
 */
static void
CheckPhoneOutput(const char *out)
{
	size_t		n = strlen(out);
	size_t		i;

	REQUIRE(out[0] == '+');
	REQUIRE(n >= 5 && n <= 16);
	for (i = 1; i < n; i++)
		REQUIRE(IS_DIGIT(out[i]));
	REQUIRE(out[1] != '0');
	if (strncmp(out, "+91", 3) == 0)
		REQUIRE(n == 13 && out[3] != '0');
	if (strncmp(out, "+1", 2) == 0)
		REQUIRE(n == 12 && out[2] >= '2');
}

/*
 * FuzzPhone: every default code; an accepted number is well formed,
 * normalises to itself and is the same once stripped of separators; an
 * international form does not depend on the default code (but +1's
 * international prefix is 011, not 00), and an invalid default code
 * behaves as none.
 */
static void
FuzzPhone(const char *s, size_t len)
{
	char		intl_out[SCHED_PHONE_BUFSZ];
	SchedPhoneProblem intl;
	size_t		c;

	cur_what = "phone";
	intl = Phone(s, len, NULL, intl_out);
	for (c = 0; c < NCODES; c++)
	{
		const char *cc = country_codes[c];
		char		out[SCHED_PHONE_BUFSZ];
		char		again[SCHED_PHONE_BUFSZ];
		char	   *compact;
		SchedPhoneProblem r;
		size_t		nc = 0;
		size_t		from;
		size_t		to;
		size_t		i;

		r = Phone(s, len, cc, out);
		if (!sched_valid_country_code(cc))
			REQUIRE(r == intl && strcmp(out, intl_out) == 0);
		/* +1 dials out with 011, the others with 00 as none does */
		if (intl == SCHED_PHONE_OK && (cc == NULL || strcmp(cc, "1") != 0))
			REQUIRE(r == SCHED_PHONE_OK && strcmp(out, intl_out) == 0);
		if (r != SCHED_PHONE_OK)
			continue;
		CheckPhoneOutput(out);

		REQUIRE(Phone(out, strlen(out), cc, again) == SCHED_PHONE_OK);
		REQUIRE(strcmp(again, out) == 0);
		REQUIRE(Phone(out, strlen(out), NULL, again) == SCHED_PHONE_OK);
		REQUIRE(strcmp(again, out) == 0);

		/* the same number with only its '+' and digits */
		Trimmed(s, len, &from, &to);
		compact = Alloc(to - from + 1);
		for (i = from; i < to; i++)
			if (IS_DIGIT(s[i]) || s[i] == '+')
				compact[nc++] = s[i];
		REQUIRE(Phone(compact, nc, cc, again) == SCHED_PHONE_OK);
		REQUIRE(strcmp(again, out) == 0);
		free(compact);
	}
}

/*
 * Email: normalise s[0..len) into an exact-size (len + 1) output buffer;
 * returns the result and a malloc'd copy of the output.
 */
static SchedEmailProblem
Email(const char *s, size_t len, char **out)
{
	char	   *in = Exact(s, len);
	char	   *o = Alloc(len + 1);
	SchedEmailProblem r;

	memset(o, 'X', len + 1);
	r = sched_normalize_email(in, len, o);
	REQUIRE(r >= SCHED_EMAIL_OK && r <= SCHED_EMAIL_BAD_DOMAIN);
	REQUIRE(memchr(o, '\0', len + 1) != NULL);
	REQUIRE(r == SCHED_EMAIL_OK || o[0] == '\0');
	REQUIRE(sched_email_problem_text(r)[0] != '\0');
	free(in);
	*out = o;
	return r;
}

/*
 * ChangeDomainCase: a copy of s[0..len) with every ASCII letter after the
 * first '@' in upper case (upper) or lower case.
 */
static char *
ChangeDomainCase(const char *s, size_t len, int upper)
{
	char	   *p = Exact(s, len);
	const char *at = memchr(s, '@', len);
	size_t		i;

	for (i = at ? (size_t) (at - s) + 1 : len; i < len; i++)
	{
		if (upper && IS_LOWER(p[i]))
			p[i] = (char) (p[i] - 'a' + 'A');
		else if (!upper && IS_UPPER(p[i]))
			p[i] = (char) (p[i] - 'A' + 'a');
	}
	return p;
}

/*
 * FuzzEmail: an accepted address is the trimmed input, printable ASCII,
 * one '@', the local part unchanged and the domain lower-cased; it
 * normalises to itself; and the case of the domain changes nothing.
 */
static void
FuzzEmail(const char *s, size_t len)
{
	char	   *out;
	char	   *again;
	SchedEmailProblem r;
	int			upper;

	cur_what = "email";
	r = Email(s, len, &out);
	if (r == SCHED_EMAIL_OK)
	{
		size_t		from;
		size_t		to;
		size_t		n = strlen(out);
		const char *at = strchr(out, '@');
		size_t		i;

		Trimmed(s, len, &from, &to);
		REQUIRE(n == to - from);
		REQUIRE(n >= 6 && n <= SCHED_MAX_EMAIL);	/* a@b.cd */
		REQUIRE(at != NULL && strchr(at + 1, '@') == NULL);
		REQUIRE(at - out >= 1 && at - out <= 64);
		for (i = 0; i < n; i++)
		{
			unsigned char c = (unsigned char) out[i];
			unsigned char o = (unsigned char) s[from + i];

			REQUIRE(c > 0x20 && c < 0x7f);
			if (out + i <= at)
				REQUIRE(c == o);
			else
				REQUIRE(c == (IS_UPPER(o) ? o - 'A' + 'a' : o));
		}
		REQUIRE(out[0] != '.' && at[-1] != '.' && strstr(out, "..") == NULL);
		REQUIRE(at[1] != '.' && at[1] != '-' && out[n - 1] != '.' &&
				out[n - 1] != '-' && strchr(at, '.') != NULL);

		REQUIRE(Email(out, n, &again) == SCHED_EMAIL_OK);
		REQUIRE(strcmp(again, out) == 0);
		free(again);
	}

	for (upper = 0; upper <= 1; upper++)
	{
		char	   *v = ChangeDomainCase(s, len, upper);

		cur_what = upper ? "email, domain in upper case" : "email, domain in lower case";
		REQUIRE(Email(v, len, &again) == r);
		REQUIRE(strcmp(again, out) == 0);
		free(again);
		free(v);
	}
	free(out);
}

/*
 * FuzzText: sched_trim and sched_check_text against a plain statement of
 * the rule.
 */
static void
FuzzText(const char *s, size_t len)
{
	const char *t = s;
	size_t		tlen = len;
	size_t		from;
	size_t		to;
	int			required;
	int			multiline;

	cur_what = "text";
	sched_trim(&t, &tlen);
	Trimmed(s, len, &from, &to);
	REQUIRE(t == s + from && tlen == to - from);

	for (required = 0; required <= 1; required++)
		for (multiline = 0; multiline <= 1; multiline++)
		{
			SchedTextProblem want = SCHED_TEXT_OK;
			size_t		i;

			if (required && from == to)
				want = SCHED_TEXT_BLANK;
			for (i = from; i < to && want == SCHED_TEXT_OK; i++)
			{
				unsigned char c = (unsigned char) s[i];

				if ((c < 0x20 || c == 0x7f) &&
					!(multiline && (c == '\t' || c == '\n' || c == '\r')))
					want = SCHED_TEXT_CONTROL;
			}
			REQUIRE(sched_check_text(s, len, required, multiline) == want);
		}
}

/*
 * What sched_looks_like_link refuses, restated here: ASCII marks in lower
 * case, then the UTF-8 of U+FF1C and U+FE64.
 */
static const struct
{
	const char *bytes;
	size_t		len;
}			link_marks[] =
{
	{"http", 4}, {"www.", 4}, {"://", 3}, {"<", 1},
	{"\xef\xbc\x9c", 3}, {"\xef\xb9\xa4", 3}
};

/*
 * SlowLooksLikeLink: the rule written the slow, obvious way: lower-case a
 * copy of the whole input, then compare every mark at every offset.
 */
static bool
SlowLooksLikeLink(const char *s, size_t len)
{
	char	   *low = Exact(s, len);
	bool		found = false;
	size_t		m;
	size_t		i;

	for (i = 0; i < len; i++)
		if (IS_UPPER(low[i]))
			low[i] = (char) (low[i] - 'A' + 'a');
	for (m = 0; m < sizeof(link_marks) / sizeof(link_marks[0]); m++)
		for (i = 0; i + link_marks[m].len <= len; i++)
			if (memcmp(low + i, link_marks[m].bytes, link_marks[m].len) == 0)
				found = true;
	free(low);
	return found;
}

/*
 * FuzzLink: sched_looks_like_link agrees with the slow statement of the
 * rule on the input, on the input with every ASCII letter's case flipped
 * (which changes nothing), and on the input less its last byte.
 */
static void
FuzzLink(const char *s, size_t len)
{
	char	   *flipped = Exact(s, len);
	bool		got = sched_looks_like_link(s, len);
	size_t		i;

	cur_what = "looks_like_link";
	REQUIRE(got == SlowLooksLikeLink(s, len));

	cur_what = "looks_like_link, case flipped";
	for (i = 0; i < len; i++)
	{
		if (IS_UPPER(flipped[i]))
			flipped[i] = (char) (flipped[i] - 'A' + 'a');
		else if (IS_LOWER(flipped[i]))
			flipped[i] = (char) (flipped[i] - 'a' + 'A');
	}
	REQUIRE(sched_looks_like_link(flipped, len) == got);
	free(flipped);

	cur_what = "looks_like_link, last byte cut";
	if (len > 0)
	{
		bool		shorter = sched_looks_like_link(s, len - 1);

		REQUIRE(shorter == SlowLooksLikeLink(s, len - 1));
		REQUIRE(!shorter || got);
	}
}

/*
 * Int: the next 8 bytes of the input as an integer (zeros past its end).
 */
static int64_t
Int(const uint8_t *data, size_t size, size_t at)
{
	uint64_t	v = 0;
	size_t		i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | (at + i < size ? data[at + i] : 0);
	return (int64_t) v;
}

/*
 * FuzzWorkflow: arbitrary numbers stay in range or get the documented
 * refusal, and a label found for a string is that string.
 */
static void
FuzzWorkflow(const uint8_t *data, size_t size, const char *s, size_t len)
{
	int64_t		ticket = Int(data, size, 0);
	int			n = (int) (int32_t) (uint32_t) Int(data, size, 8);
	int			a = (int) (int32_t) (uint32_t) Int(data, size, 16);
	int			b = (int) (int32_t) (uint32_t) Int(data, size, 24);
	int			turn = sched_turn_start(ticket, n);
	char	   *name = Alloc(len + 1);
	int			e;

	cur_what = "workflow";
	if (n < 1 || ticket < 1)
		REQUIRE(turn == -1);
	else
		REQUIRE(turn >= 0 && turn < n && turn == (int) ((ticket - 1) % n));

	for (e = SCHED_VISIT; e <= SCHED_CALLBACK; e++)
	{
		int			count = sched_status_count((SchedEntity) e);
		int			st;
		const SchedJobSpec *jobs;

		if (sched_transition_allowed((SchedEntity) e, a, b))
			REQUIRE(a >= 0 && a < count && b >= 0 && b < count &&
					!sched_status_is_final((SchedEntity) e, a));
		if (a < 0 || a >= count)
			REQUIRE(sched_status_name((SchedEntity) e, a) == NULL &&
					sched_status_stamp_column((SchedEntity) e, a) == NULL &&
					!sched_status_counts_attempt((SchedEntity) e, a));
		REQUIRE(sched_jobs_for((SchedEntity) e, a, &jobs) >= 0);

		if (len > 0)
			memcpy(name, s, len);
		name[len] = '\0';
		st = sched_status_from_name((SchedEntity) e, name);
		if (st != -1)
			REQUIRE(st >= 0 && st < count &&
					strcmp(sched_status_name((SchedEntity) e, st), name) == 0);
	}
	if (a < 0 || a >= URGENCY_N)
		REQUIRE(sched_sla_minutes(a) == -1 && sched_urgency_name(a) == NULL);
	else
		REQUIRE(sched_sla_minutes(a) > 0);

	/* 1.1: availability, retries and business hours */
	REQUIRE(sched_agent_room(a, b, n, ticket) >= 0);
	REQUIRE(sched_callback_retry_minutes(a) >= 60 && sched_callback_retry_minutes(a) <= 1440);
	{
		int			open;
		int			close;

		if (sched_parse_business_hours(name, &open, &close))
		{
			int			minute = (int) ((uint32_t) b % 1440);
			int			wait = sched_minutes_until_open(minute, open, close);
			int			at = (minute + wait) % 1440;

			REQUIRE(strlen(name) == 11 && open >= 0 && open < close && close <= 1440);
			REQUIRE(wait >= 0 && wait < 1440);
			REQUIRE(at >= open && at < close);
			REQUIRE(wait == 0 || minute < open || minute >= close);
		}
	}
	free(name);
}

/*
 * LLVMFuzzerTestOneInput: one input, through every check above.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = Exact((const char *) data, size);

	cur_data = data;
	cur_size = size;
	FuzzText(s, size);
	FuzzLink(s, size);
	FuzzPhone(s, size);
	FuzzEmail(s, size);
	FuzzWorkflow(data, size, s, size);
	free(s);
	return 0;
}
