/*
 * session_memory.c
 *		Does a long session grow?  Makes CALLS book_site_visit calls on one
 *		connection and reports the serving backend's private memory
 *		(RssAnon, from /proc; run as root on the server's machine) after
 *		a 1% warm-up and at the end.
 *
 * usage: session_memory CALLS
 * Connection from the usual PG* environment variables.  Every 20,000
 * calls a second connection marks the probe's visits completed (with
 * triggers off), so that an agent's slot does not fill up with live
 * visits over a million calls: only the calling session is measured.
 * Prints:
 * calls, RssAnon after warm-up and at the end (kB), growth (kB), and the
 * total RSS growth for reference (it includes shared buffers the backend
 * touched for the first time, which is not growth of the session).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpq-fe.h"

static long
ProcStatusKb(int pid, const char *field)
{
	char		path[64];
	char		line[256];
	FILE	   *f;
	long		kb = -1;
	size_t		flen = strlen(field);

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (f == NULL)
	{
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, flen) == 0 && line[flen] == ':')
			kb = atol(line + flen + 1);
	fclose(f);
	return kb;
}

int
main(int argc, char **argv)
{
	long		calls = argc > 1 ? atol(argv[1]) : 1000000;
	long		warm = calls / 100 > 1000 ? calls / 100 : 1000;
	PGconn	   *conn = PQconnectdb("");
	PGconn	   *helper = PQconnectdb("");
	PGresult   *res;
	int			pid;
	long		anon0 = 0;
	long		rss0 = 0;
	long		i;

	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "session_memory: %s", PQerrorMessage(conn));
		return 2;
	}
	pid = PQbackendPID(conn);
	res = PQprepare(conn, "book",
					"SELECT visit_id FROM sched.book_site_visit('mem_' || $1, 'Brigade Citrine', "
					"current_date + 2 + ($1::bigint % 89)::int, "
					"(ARRAY['morning','afternoon','evening'])[1 + $1::bigint % 3]::sched.time_slot, "
					"'Memory Probe', '9876543210', notes => 'note ' || $1)", 1, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		fprintf(stderr, "session_memory: %s", PQerrorMessage(conn));
		return 2;
	}
	PQclear(res);
	for (i = 1; i <= calls; i++)
	{
		char		arg[32];
		const char *params[1] = {arg};

		snprintf(arg, sizeof(arg), "%ld", i);
		res = PQexecPrepared(conn, "book", 1, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			fprintf(stderr, "session_memory: call %ld: %s", i, PQerrorMessage(conn));
			return 2;
		}
		PQclear(res);
		if (i % 20000 == 0)
		{
			res = PQexec(helper, "SET session_replication_role = replica; "
						 "UPDATE sched.scheduled_visits SET status = 'completed' "
						 "WHERE status = 'pending' AND user_id LIKE 'mem\\_%'");
			if (PQresultStatus(res) != PGRES_COMMAND_OK)
			{
				fprintf(stderr, "session_memory: %s", PQerrorMessage(helper));
				return 2;
			}
			PQclear(res);
		}
		if (i == warm)
		{
			anon0 = ProcStatusKb(pid, "RssAnon");
			rss0 = ProcStatusKb(pid, "VmRSS");
		}
	}
	{
		long		anon1 = ProcStatusKb(pid, "RssAnon");
		long		rss1 = ProcStatusKb(pid, "VmRSS");

		printf("calls %ld rss_anon_kb %ld -> %ld growth_kb %ld (vm_rss growth_kb %ld)\n",
			   calls, anon0, anon1, anon1 - anon0, rss1 - rss0);
	}
	PQfinish(conn);
	PQfinish(helper);
	return 0;
}
