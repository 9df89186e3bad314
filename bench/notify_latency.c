/*
 * notify_latency.c
 *		How long after a booking commits does a LISTENing session hear of
 *		it?  Run beside a load (bench/run-in-cluster.sh does).
 *
 * usage: notify_latency SECONDS [INTERVAL_MS]
 * Connection from the usual PG* environment variables.
 *
 * Two connections: a listener (LISTEN sched) and a prober that books a
 * visit for user "probe_<n>" every INTERVAL_MS (default 20) in autocommit
 * mode.  The latency of probe n is the time from the booking call
 * returning (it has committed) to the listener seeing the notification
 * that names probe_<n>.  Notifications from the load are read and
 * ignored.  Prints: samples, p50, p99 and max in milliseconds, and how
 * many probes were never heard of within 5 seconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "libpq-fe.h"

static double
NowMs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static PGconn *
Connect(void)
{
	PGconn	   *conn = PQconnectdb("");

	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "notify_latency: %s", PQerrorMessage(conn));
		exit(2);
	}
	return conn;
}

static void
Exec(PGconn *conn, const char *sql)
{
	PGresult   *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fprintf(stderr, "notify_latency: %s: %s", sql, PQerrorMessage(conn));
		exit(2);
	}
	PQclear(res);
}

/*
 * WaitFor: read notifications until one names the probe's user; returns
 * the time it was seen, or -1 after timeout_ms.
 */
static double
WaitFor(PGconn *listener, const char *needle, double timeout_ms)
{
	double		deadline = NowMs() + timeout_ms;
	int			sock = PQsocket(listener);

	for (;;)
	{
		PGnotify   *n;
		fd_set		fds;
		struct timeval tv;
		double		left = deadline - NowMs();

		PQconsumeInput(listener);
		while ((n = PQnotifies(listener)) != NULL)
		{
			int			found = strstr(n->extra, needle) != NULL;

			PQfreemem(n);
			if (found)
				return NowMs();
		}
		if (left <= 0)
			return -1;
		FD_ZERO(&fds);
		FD_SET(sock, &fds);
		tv.tv_sec = (long) (left / 1000);
		tv.tv_usec = (long) ((left - tv.tv_sec * 1000.0) * 1000);
		select(sock + 1, &fds, NULL, NULL, &tv);
	}
}

static int
CompareDouble(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	double		seconds = argc > 1 ? atof(argv[1]) : 10;
	double		interval = argc > 2 ? atof(argv[2]) : 20;
	PGconn	   *listener = Connect();
	PGconn	   *prober = Connect();
	double	   *lat = malloc(sizeof(double) * 1000000);
	int			n = 0;
	int			lost = 0;
	double		end = NowMs() + seconds * 1000;

	Exec(listener, "LISTEN sched");
	Exec(prober, "PREPARE probe (text) AS SELECT visit_id FROM sched.book_site_visit($1, "
		 "'Brigade Citrine', current_date + 2 + (random() * 58)::int, 'evening', 'Probe', '9876543210')");
	while (NowMs() < end && n < 1000000)
	{
		char		user[64];
		char		needle[96];
		const char *params[1] = {user};
		PGresult   *res;
		double		done;
		double		seen;

		snprintf(user, sizeof(user), "probe_%d_%d", (int) getpid(), n + lost);
		res = PQexecPrepared(prober, "probe", 1, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			fprintf(stderr, "notify_latency: booking failed: %s", PQerrorMessage(prober));
			exit(2);
		}
		/* the payload names the visit (from 1.3 no user) */
		snprintf(needle, sizeof(needle), "\"entity\":\"visit\",\"id\":%s,", PQgetvalue(res, 0, 0));
		PQclear(res);
		done = NowMs();
		seen = WaitFor(listener, needle, 5000);
		if (seen < 0)
			lost++;
		else
			lat[n++] = seen > done ? seen - done : 0;
		while (NowMs() < done + interval)
			WaitFor(listener, "\x01never", done + interval - NowMs());
	}
	qsort(lat, n, sizeof(double), CompareDouble);
	if (n == 0)
		printf("samples 0 lost %d\n", lost);
	else
		printf("samples %d p50_ms %.2f p99_ms %.2f max_ms %.2f lost %d\n",
			   n, lat[n / 2], lat[(int) (n * 0.99)], lat[n - 1], lost);
	PQfinish(listener);
	PQfinish(prober);
	return lost > 0 ? 1 : 0;
}
