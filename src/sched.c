/*
 * sched.c
 *		The module's entry point: PG_MODULE_MAGIC, the settings, and the
 *		start-up of the parts that need it.
 *
 * Every setting is PGC_SUSET: they are rules (how far ahead a visit may
 * be booked, how phone numbers are read, how intent is scored), and no
 * client may relax a rule for its own session.  A DBA sets them in
 * postgresql.conf or with ALTER SYSTEM / ALTER DATABASE ... SET.
 */
#include "sched.h"

#include "pgtime.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

char	   *sched_default_country_code = NULL;
int			sched_max_days_ahead = 90;
int			sched_visit_intent_points = 3;
int			sched_callback_intent_points = 2;
char	   *sched_timezone = NULL;
int			sched_job_max_attempts = 5;

void		_PG_init(void);

/*
 * CheckCountryCode: GUC check hook of sched.default_country_code.
 */
static bool
CheckCountryCode(char **newval, void **extra, GucSource source)
{
	if (sched_valid_country_code(*newval))
		return true;
	GUC_check_errdetail("A country code is one to three digits, not starting with 0, such as 91.");
	return false;
}

/*
 * CheckTimezone: GUC check hook of sched.timezone: a zone the server
 * knows (a name from the tz database, such as Asia/Kolkata).
 */
static bool
CheckTimezone(char **newval, void **extra, GucSource source)
{
	if (*newval != NULL && **newval != '\0' && pg_tzset(*newval) != NULL)
		return true;
	GUC_check_errdetail("A time zone name from the tz database is needed, such as Asia/Kolkata.");
	return false;
}

/*
 * _PG_init: define the settings.
 */
void
_PG_init(void)
{
	DefineCustomStringVariable("sched.default_country_code",
							   "Country code given to ten-digit phone numbers.",
							   "Numbers written with + or 00 keep their own country code.",
							   &sched_default_country_code,
							   "91",
							   PGC_SUSET, 0,
							   CheckCountryCode, NULL, NULL);
	DefineCustomIntVariable("sched.max_days_ahead",
							"How many days ahead a site visit may be booked.",
							NULL,
							&sched_max_days_ahead,
							90, 0, 3650,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("sched.visit_intent_points",
							"Intent points a booked site visit adds to the user's profile.",
							NULL,
							&sched_visit_intent_points,
							3, 0, 1000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("sched.callback_intent_points",
							"Intent points a callback request adds to the user's profile.",
							NULL,
							&sched_callback_intent_points,
							2, 0, 1000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomStringVariable("sched.timezone",
							   "Time zone of the business: slot times, reminders and no-shows are local to it.",
							   NULL,
							   &sched_timezone,
							   "Asia/Kolkata",
							   PGC_SUSET, 0,
							   CheckTimezone, NULL, NULL);
	DefineCustomIntVariable("sched.job_max_attempts",
							"Delivery attempts an outbox job gets before it is dead.",
							"sched.fail_job retries a job with a growing delay until it has had this many attempts.",
							&sched_job_max_attempts,
							5, 1, 100,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("sched");

	SchedPlansInit();
	SchedAssignmentInit();
	SchedRowWriterInit();
	SchedNotifierInit();
}
