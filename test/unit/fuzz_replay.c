/*
 * fuzz_replay.c
 *		A main() for the fuzz targets (fuzz_rules.c, fuzz_chat.c) without
 *		libFuzzer: it replays the files and directories given on the
 *		command line, or standard input when given none, each as one input
 *		to LLVMFuzzerTestOneInput, so that CI runs the seed corpora (and
 *		any crash files) with any C compiler ("make replay").
 *
 * Each input is handed over in a malloc'd buffer of its exact size, as
 * libFuzzer does, so that AddressSanitizer reports a read past it.  A
 * broken invariant aborts in the target; reaching the end means every
 * input held.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the target's name, for messages */
static const char *program = "fuzz";

/*
 * Alloc: malloc that never returns NULL (a zero size gets a zero-size
 * block, which ASan treats as having no readable byte).
 */
static void *
Alloc(size_t n)
{
	void	   *p = malloc(n);

	if (p == NULL && n > 0)
	{
		perror("malloc");
		exit(2);
	}
	return p;
}

/*
 * ReplayStream: read a whole stream and run it as one input.
 */
static void
ReplayStream(FILE *f, const char *name)
{
	size_t		cap = 4096;
	size_t		n = 0;
	size_t		got;
	uint8_t    *buf = Alloc(cap);
	uint8_t    *exact;

	while ((got = fread(buf + n, 1, cap - n, f)) > 0)
	{
		n += got;
		if (n == cap)
		{
			cap *= 2;
			buf = realloc(buf, cap);
			if (buf == NULL)
			{
				perror("realloc");
				exit(2);
			}
		}
	}
	if (ferror(f))
	{
		fprintf(stderr, "%s: cannot read %s\n", program, name);
		exit(2);
	}
	/* an exact-size copy: ASan sees a read past the input */
	exact = Alloc(n);
	if (n > 0)
		memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
}

/*
 * ReplayPath: a regular file is one input; a directory is every regular
 * file in it (not recursively).  Returns how many inputs were run.
 */
static int
ReplayPath(const char *path)
{
	struct stat st;
	FILE	   *f;

	if (stat(path, &st) != 0)
	{
		perror(path);
		exit(2);
	}
	if (S_ISDIR(st.st_mode))
	{
		DIR		   *d = opendir(path);
		struct dirent *de;
		int			count = 0;

		if (d == NULL)
		{
			perror(path);
			exit(2);
		}
		while ((de = readdir(d)) != NULL)
		{
			size_t		need = strlen(path) + strlen(de->d_name) + 2;
			char	   *full;
			struct stat fst;

			if (de->d_name[0] == '.')
				continue;
			full = Alloc(need);
			snprintf(full, need, "%s/%s", path, de->d_name);
			if (stat(full, &fst) == 0 && S_ISREG(fst.st_mode))
				count += ReplayPath(full);
			free(full);
		}
		closedir(d);
		return count;
	}
	f = fopen(path, "rb");
	if (f == NULL)
	{
		perror(path);
		exit(2);
	}
	ReplayStream(f, path);
	fclose(f);
	return 1;
}

/*
 * main: replay every argument, or standard input.
 */
int
main(int argc, char **argv)
{
	int			count = 0;
	int			i;
	const char *slash = strrchr(argv[0], '/');
	size_t		len;

	/* "fuzz_rules_replay" reports as fuzz_rules */
	program = slash ? slash + 1 : argv[0];
	len = strlen(program);
	if (len > 7 && strcmp(program + len - 7, "_replay") == 0)
		program = strndup(program, len - 7);
	if (argc < 2)
	{
		ReplayStream(stdin, "standard input");
		count = 1;
	}
	for (i = 1; i < argc; i++)
		count += ReplayPath(argv[i]);
	printf("%s: %d inputs replayed, all invariants held\n", program, count);
	return 0;
}
