/*
 * contact.c
 *		Normalising and checking what a customer types: names and notes,
 *		phone numbers and email addresses.
 *
 * Pure C, no PostgreSQL headers (see rules.h).  Every function reads at
 * most len bytes of its input, never past it, and needs no terminating
 * NUL, because test/unit/fuzz_rules.c feeds them arbitrary bytes.
 */
#include "rules.h"

#include <string.h>

#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c)	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define IS_SPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r' || \
					 (c) == '\f' || (c) == '\v')

/* Longest digit string we keep while reading a phone number. */
#define PHONE_MAX_READ	20

/*
 * National number lengths we know for sure, checked when a number carries
 * one of these country codes.  Other codes get E.164's general bounds.
 */
static const struct
{
	const char *cc;
	size_t		national_digits;
}			known_plans[] =
{
	{"91", 10},					/* India: 10 digits, mobile and fixed line */
	{"1", 10},					/* North American Numbering Plan */
};

/*
 * sched_trim: move *start past leading white space and shorten *len by
 * the leading and trailing white space.
 */
void
sched_trim(const char **start, size_t *len)
{
	const char *s = *start;
	size_t		n = *len;

	while (n > 0 && IS_SPACE((unsigned char) s[0]))
	{
		s++;
		n--;
	}
	while (n > 0 && IS_SPACE((unsigned char) s[n - 1]))
		n--;
	*start = s;
	*len = n;
}

/*
 * sched_check_text: a required text must not be blank; no text may hold a
 * control character, except tab and line breaks in multi-line notes.
 */
SchedTextProblem
sched_check_text(const char *s, size_t len, bool required, bool multiline)
{
	size_t		i;

	sched_trim(&s, &len);
	if (required && len == 0)
		return SCHED_TEXT_BLANK;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == 0x7f)
		{
			if (multiline && (c == '\t' || c == '\n' || c == '\r'))
				continue;
			return SCHED_TEXT_CONTROL;
		}
	}
	return SCHED_TEXT_OK;
}

/*
 * What makes a name or project look like a link or markup, for
 * sched_looks_like_link.  Letters are in lower case; the text is folded
 * to match.
 */
static const char *const link_marks[] =
{
	"http",						/* http:// and https:// */
	"www.",
	"://",						/* any other scheme */
	"<",						/* HTML, and <autolinks> in email */
	"\xef\xbc\x9c",				/* U+FF1C FULLWIDTH LESS-THAN SIGN */
	"\xef\xb9\xa4",				/* U+FE64 SMALL LESS-THAN SIGN */
};

/*
 * StartsWithMark: s[0..len) starts with mark (NUL-terminated, lower
 * case), ignoring the case of ASCII letters in s.
 */
static bool
StartsWithMark(const char *s, size_t len, const char *mark)
{
	size_t		i;

	for (i = 0; mark[i] != '\0'; i++)
	{
		unsigned char c;

		if (i >= len)
			return false;
		c = (unsigned char) s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char) (c - 'A' + 'a');
		if (c != (unsigned char) mark[i])
			return false;
	}
	return true;
}

/*
 * sched_looks_like_link: a contact name or project is spliced into the
 * customer's own SMS and email, so text that a phone or mail reader could
 * show as a link or markup ("http", "www.", "://", "<" in any case, and
 * the fullwidth and small less-than signs phones draw as "<") is refused:
 * otherwise anyone who can book could make sched a phishing relay.  Any
 * bytes, NUL or invalid UTF-8 included; reads s[0..len) only.
 */
bool
sched_looks_like_link(const char *s, size_t len)
{
	size_t		i;
	size_t		m;

	for (i = 0; i < len; i++)
		for (m = 0; m < sizeof(link_marks) / sizeof(link_marks[0]); m++)
			if (StartsWithMark(s + i, len - i, link_marks[m]))
				return true;
	return false;
}

/*
 * sched_valid_country_code: one to three digits, the first not 0.
 */
bool
sched_valid_country_code(const char *s)
{
	size_t		n = 0;

	if (s == NULL || s[0] == '0')
		return false;
	while (s[n] != '\0')
	{
		if (!IS_DIGIT(s[n]) || n >= 3)
			return false;
		n++;
	}
	return n >= 1;
}

/*
 * CheckInternational: digits is a full international number without '+'.
 * E.164 allows at most 15 digits; nothing real is shorter than 8.  A
 * country code never starts with 0, and for the plans in known_plans the
 * national part has its exact length and does not start with 0.
 */
static SchedPhoneProblem
CheckInternational(const char *digits, size_t n)
{
	size_t		i;

	if (n < 8 || n > 15)
		return SCHED_PHONE_BAD_LENGTH;
	if (digits[0] == '0')
		return SCHED_PHONE_BAD_DIGIT;
	for (i = 0; i < sizeof(known_plans) / sizeof(known_plans[0]); i++)
	{
		size_t		cclen = strlen(known_plans[i].cc);

		if (strncmp(digits, known_plans[i].cc, cclen) != 0)
			continue;
		if (n - cclen != known_plans[i].national_digits)
			return SCHED_PHONE_BAD_LENGTH;
		if (digits[cclen] == '0')
			return SCHED_PHONE_BAD_DIGIT;
		break;
	}
	return SCHED_PHONE_OK;
}

/*
 * sched_normalize_phone: accepted forms, after removing spaces, dashes,
 * dots and parentheses:
 *   +<country code><number>       international, 8 to 15 digits
 *   00<country code><number>      the same with the international prefix
 *   <10 digits>                   national, gets default_cc
 *   0<10 digits>                  national with the trunk prefix 0
 *   <default_cc><10 digits>       international without the '+'
 * Anything else is not a plausible number.  A default_cc that is not a
 * valid country code turns the two national forms off.
 */
SchedPhoneProblem
sched_normalize_phone(const char *in, size_t len, const char *default_cc,
					  char *out)
{
	char		digits[PHONE_MAX_READ + 1];
	char		intl[PHONE_MAX_READ + 4];
	size_t		nd = 0;
	size_t		cclen = sched_valid_country_code(default_cc) ? strlen(default_cc) : 0;
	bool		plus = false;
	size_t		i;
	SchedPhoneProblem result;

	out[0] = '\0';
	sched_trim(&in, &len);
	if (len == 0)
		return SCHED_PHONE_BLANK;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) in[i];

		if (IS_DIGIT(c))
		{
			if (nd >= PHONE_MAX_READ)
				return SCHED_PHONE_BAD_LENGTH;
			digits[nd++] = (char) c;
		}
		else if (c == '+')
		{
			if (i != 0)
				return SCHED_PHONE_BAD_PLUS;
			plus = true;
		}
		else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')')
			return SCHED_PHONE_BAD_CHAR;
	}
	digits[nd] = '\0';

	if (plus)
		memcpy(intl, digits, nd + 1);
	else if (nd >= 2 && digits[0] == '0' && digits[1] == '0')
		memcpy(intl, digits + 2, nd - 1);
	else if (cclen > 0 && (nd == 10 || (nd == 11 && digits[0] == '0')))
	{
		const char *national = digits + (nd - 10);

		if (national[0] == '0')
			return SCHED_PHONE_BAD_DIGIT;
		memcpy(intl, default_cc, cclen);
		memcpy(intl + cclen, national, 11);
	}
	else if (cclen > 0 && nd == cclen + 10 &&
			 strncmp(digits, default_cc, cclen) == 0)
		memcpy(intl, digits, nd + 1);
	else
		return SCHED_PHONE_BAD_LENGTH;

	result = CheckInternational(intl, strlen(intl));
	if (result != SCHED_PHONE_OK)
		return result;
	out[0] = '+';
	memcpy(out + 1, intl, strlen(intl) + 1);
	return SCHED_PHONE_OK;
}

/* True for the characters RFC 5322 allows unquoted in a local part. */
static bool
IsAtext(unsigned char c)
{
	return IS_ALPHA(c) || IS_DIGIT(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

/*
 * CheckLocalPart: 1 to 64 characters of atext separated by single dots.
 */
static bool
CheckLocalPart(const char *s, size_t n)
{
	size_t		i;

	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '.')
		{
			if (s[i - 1] == '.')
				return false;
		}
		else if (!IsAtext(c))
			return false;
	}
	return true;
}

/*
 * IsIdnaPrefix: s starts with the IDNA prefix "xn--" in any case, since
 * the domain is checked before it is lower-cased.  s holds 4 bytes or more.
 */
static bool
IsIdnaPrefix(const char *s)
{
	return (s[0] == 'x' || s[0] == 'X') && (s[1] == 'n' || s[1] == 'N') &&
		s[2] == '-' && s[3] == '-';
}

/*
 * CheckDomain: at least two labels of 1 to 63 letters, digits and inner
 * hyphens, at most 253 characters; the last label is letters only (two or
 * more) or an IDNA "xn--" label.
 */
static bool
CheckDomain(const char *s, size_t n)
{
	size_t		start = 0;
	size_t		labels = 0;
	size_t		i;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i <= n; i++)
	{
		size_t		llen;

		if (i < n && s[i] != '.')
		{
			unsigned char c = (unsigned char) s[i];

			if (!IS_ALPHA(c) && !IS_DIGIT(c) && c != '-')
				return false;
			continue;
		}
		llen = i - start;
		if (llen == 0 || llen > 63 || s[start] == '-' || s[i - 1] == '-')
			return false;
		labels++;
		if (i == n)
		{
			size_t		j;
			bool		letters = llen >= 2;

			for (j = start; j < i && letters; j++)
				letters = IS_ALPHA((unsigned char) s[j]);
			if (!letters && !(llen > 4 && IsIdnaPrefix(s + start)))
				return false;
		}
		start = i + 1;
	}
	return labels >= 2;
}

/*
 * sched_normalize_email: one '@', a valid local part and domain (no quoted
 * local parts, no address literals, no non-ASCII: internationalised
 * domains must be given in their xn-- form).  The domain is lower-cased.
 */
SchedEmailProblem
sched_normalize_email(const char *in, size_t len, char *out)
{
	const char *at = NULL;
	size_t		i;
	size_t		local_len;

	out[0] = '\0';
	sched_trim(&in, &len);
	if (len > SCHED_MAX_EMAIL)
		return SCHED_EMAIL_TOO_LONG;
	for (i = 0; i < len; i++)
	{
		if (in[i] == '@')
		{
			if (at != NULL)
				return SCHED_EMAIL_NO_AT;
			at = in + i;
		}
	}
	if (at == NULL)
		return SCHED_EMAIL_NO_AT;
	local_len = (size_t) (at - in);
	if (local_len > 64)
		return SCHED_EMAIL_TOO_LONG;
	if (!CheckLocalPart(in, local_len))
		return SCHED_EMAIL_BAD_LOCAL;
	if (!CheckDomain(at + 1, len - local_len - 1))
		return SCHED_EMAIL_BAD_DOMAIN;

	for (i = 0; i < len; i++)
	{
		char		c = in[i];

		if (i > local_len && c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		out[i] = c;
	}
	out[len] = '\0';
	return SCHED_EMAIL_OK;
}

/*
 * sched_phone_problem_text: errdetail text for a phone problem.
 */
const char *
sched_phone_problem_text(SchedPhoneProblem p)
{
	switch (p)
	{
		case SCHED_PHONE_OK:
			return "The number is valid.";
		case SCHED_PHONE_BLANK:
			return "The number is empty.";
		case SCHED_PHONE_BAD_CHAR:
			return "A phone number may hold only digits, a leading +, spaces, dashes, dots and parentheses.";
		case SCHED_PHONE_BAD_PLUS:
			return "A + may only start the number.";
		case SCHED_PHONE_BAD_LENGTH:
			return "The number has too few or too many digits for its country.";
		case SCHED_PHONE_BAD_DIGIT:
			return "A country code or national number cannot start with 0.";
	}
	return "The number is not valid.";
}

/*
 * sched_email_problem_text: errdetail text for an email problem.
 */
const char *
sched_email_problem_text(SchedEmailProblem p)
{
	switch (p)
	{
		case SCHED_EMAIL_OK:
			return "The address is valid.";
		case SCHED_EMAIL_TOO_LONG:
			return "The address is longer than 254 characters, or its local part longer than 64.";
		case SCHED_EMAIL_NO_AT:
			return "An address needs exactly one @.";
		case SCHED_EMAIL_BAD_LOCAL:
			return "The part before @ may hold letters, digits, single dots and !#$%&'*+/=?^_`{|}~- only.";
		case SCHED_EMAIL_BAD_DOMAIN:
			return "The part after @ must be a domain name such as example.com.";
	}
	return "The address is not valid.";
}
