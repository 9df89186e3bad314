/*
 * phone_check.c
 *		Runs sched_normalize_phone (src/contact.c) on lines of stdin, for
 *		phone_corpus.py to compare with libphonenumber.
 *
 * Each input line is "default_cc<TAB>number"; each output line is
 * "+E164" for an accepted number, or "! <problem number>" for a refused
 * one.  The number may hold any byte but a line break.  An accepted
 * output must normalise to itself (with any default code): a line "?" plus
 * the two outputs reports one that does not.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

int
main(void)
{
	char		line[4096];

	while (fgets(line, sizeof(line), stdin) != NULL)
	{
		size_t		len = strlen(line);
		char	   *tab = strchr(line, '\t');
		char		out[SCHED_PHONE_BUFSZ];
		char		again[SCHED_PHONE_BUFSZ];
		SchedPhoneProblem r;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (tab == NULL)
		{
			fprintf(stderr, "phone_check: no tab in \"%s\"\n", line);
			return 2;
		}
		*tab = '\0';
		r = sched_normalize_phone(tab + 1, strlen(tab + 1), line, out);
		if (r != SCHED_PHONE_OK)
		{
			printf("! %d\n", (int) r);
			continue;
		}
		if (sched_normalize_phone(out, strlen(out), "1", again) != SCHED_PHONE_OK ||
			strcmp(out, again) != 0)
			printf("? %s %s\n", out, again);
		else
			printf("%s\n", out);
	}
	return 0;
}
