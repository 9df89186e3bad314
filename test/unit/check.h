/*
 * check.h
 *		The small test harness of test_rules.c and test_chat.c: counted
 *		checks that print file:line, the case being checked and both
 *		values when they fail, and a one-line summary.  No framework.
 *
 * Include it once, in the test program's one C file.  SetContext() names
 * the case the checks that follow are about; CheckSummary() prints the
 * summary and gives the exit status.
 */
#ifndef SCHED_TEST_CHECK_H
#define SCHED_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	checks_run = 0;
static int	checks_failed = 0;

/* What the checks that follow are about; printed with a failure. */
static char context[1200] = "";

#define CHECK(cond) \
	CheckTrue((cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(got, want) \
	CheckInt((long long) (got), (long long) (want), #got, __FILE__, __LINE__)
#define CHECK_STR(got, want) \
	CheckStr((got), (want), #got, __FILE__, __LINE__)

/*
 * Quote: s[0..len) as a C-like literal in a static buffer (one of two, so
 * that two quoted strings can appear in one printf).
 */
static inline const char *
Quote(const char *s, size_t len)
{
	static char bufs[2][1200];
	static int	which = 0;
	char	   *b = bufs[which];
	size_t		o = 0;
	size_t		i;

	which = 1 - which;
	if (s == NULL)
		return "NULL";
	b[o++] = '"';
	for (i = 0; i < len && o < sizeof(bufs[0]) - 8; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
			o += (size_t) sprintf(b + o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t) sprintf(b + o, "\\x%02x", c);
		else
			b[o++] = (char) c;
	}
	if (i < len)
		o += (size_t) sprintf(b + o, "...");
	b[o++] = '"';
	b[o] = '\0';
	return b;
}

/*
 * SetContext: printf-style description of the case being checked.
 */
static inline void
SetContext(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(context, sizeof(context), fmt, ap);
	va_end(ap);
}

/*
 * Fail: count and report one failed check.
 */
static inline void
Fail(const char *file, int line)
{
	checks_failed++;
	fprintf(stderr, "%s:%d: FAILED", file, line);
	if (context[0] != '\0')
		fprintf(stderr, " [%s]", context);
	fprintf(stderr, "\n");
}

/*
 * CheckTrue: cond must hold.
 */
static inline void
CheckTrue(int cond, const char *what, const char *file, int line)
{
	checks_run++;
	if (cond)
		return;
	Fail(file, line);
	fprintf(stderr, "    expected true: %s\n", what);
}

/*
 * CheckInt: got must equal want.
 */
static inline void
CheckInt(long long got, long long want, const char *what,
		 const char *file, int line)
{
	checks_run++;
	if (got == want)
		return;
	Fail(file, line);
	fprintf(stderr, "    %s is %lld, expected %lld\n", what, got, want);
}

/*
 * CheckStr: got must equal want; either may be NULL.
 */
static inline void
CheckStr(const char *got, const char *want, const char *what,
		 const char *file, int line)
{
	checks_run++;
	if (got == NULL && want == NULL)
		return;
	if (got != NULL && want != NULL && strcmp(got, want) == 0)
		return;
	Fail(file, line);
	fprintf(stderr, "    %s is %s, expected %s\n", what,
			Quote(got, got ? strlen(got) : 0),
			Quote(want, want ? strlen(want) : 0));
}

/*
 * Exact: a malloc'd copy of s[0..len) with no terminating NUL, so that
 * AddressSanitizer catches a read past len.  Free with free().
 */
static inline char *
Exact(const char *s, size_t len)
{
	char	   *p = malloc(len > 0 ? len : 1);

	if (p == NULL)
	{
		perror("malloc");
		exit(2);
	}
	if (len > 0)
		memcpy(p, s, len);
	return p;
}

/*
 * CheckSummary: print the program's one-line summary; the exit status.
 */
static inline int
CheckSummary(const char *program)
{
	if (checks_failed > 0)
	{
		printf("%s: %d of %d checks FAILED\n", program, checks_failed, checks_run);
		return 1;
	}
	printf("%s: all %d checks passed\n", program, checks_run);
	return 0;
}

#endif							/* SCHED_TEST_CHECK_H */
