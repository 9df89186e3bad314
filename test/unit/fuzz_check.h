/*
 * fuzz_check.h
 *		What the two libFuzzer targets (fuzz_rules.c, fuzz_chat.c) share:
 *		REQUIRE, which reports a broken invariant with the input in hex
 *		and aborts (libFuzzer records it as a crash), and exact-size
 *		copies of inputs, so that AddressSanitizer reports a read past
 *		them.
 *
 * Include it once, in the target's one C file; set cur_data, cur_size
 * and cur_what before checking.
 */
#ifndef SCHED_TEST_FUZZ_CHECK_H
#define SCHED_TEST_FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')

#define REQUIRE(cond) \
	do { \
		if (!(cond)) \
			Broken(#cond, __FILE__, __LINE__); \
	} while (0)

/* The current input and what is being checked, for Broken(). */
static const uint8_t *cur_data;
static size_t cur_size;
static const char *cur_what = "";

/*
 * Broken: report a failed invariant with the input in hex, then abort.
 */
static inline void
Broken(const char *cond, const char *file, int line)
{
	size_t		i;

	fprintf(stderr, "%s:%d: invariant broken while checking %s: %s\ninput (%zu bytes):",
			file, line, cur_what, cond, cur_size);
	for (i = 0; i < cur_size && i < 600; i++)
		fprintf(stderr, " %02x", cur_data[i]);
	fprintf(stderr, "\n");
	abort();
}

/*
 * Alloc: malloc that never returns NULL (a zero size gets a zero-size
 * block, which ASan treats as having no readable byte).
 */
static inline void *
Alloc(size_t n)
{
	void	   *p = malloc(n);

	if (p == NULL && n > 0)
	{
		perror("malloc");
		abort();
	}
	return p;
}

/*
 * Exact: a copy of s[0..len) with no terminating NUL.
 */
static inline char *
Exact(const char *s, size_t len)
{
	char	   *p = Alloc(len);

	if (len > 0)
		memcpy(p, s, len);
	return p;
}

#endif							/* SCHED_TEST_FUZZ_CHECK_H */
