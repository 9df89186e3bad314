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
#include "compat.h"

#include "pgtime.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

char	   *sched_default_country_code = NULL;
int			sched_max_days_ahead = 90;
int			sched_visit_intent_points = 3;
int			sched_callback_intent_points = 2;
char	   *sched_timezone = NULL;
int			sched_job_max_attempts = 5;
char	   *sched_business_hours = NULL;
int			sched_business_open = 9 * 60;
int			sched_business_close = 18 * 60;
int			sched_callback_max_attempts = 3;

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
 * CheckBusinessHours: GUC check hook of sched.business_hours; the parsed
 * minutes go to AssignBusinessHours through extra.
 */
static bool
CheckBusinessHours(char **newval, void **extra, GucSource source)
{
	int			open;
	int			close;
	int		   *minutes;

	if (!sched_parse_business_hours(*newval, &open, &close))
	{
		GUC_check_errdetail("Business hours are written HH:MM-HH:MM in local time, opening before closing, such as 09:00-18:00; 00:00-24:00 is always open.");
		return false;
	}
	minutes = SchedGucMalloc(2 * sizeof(int));	/* guc.c frees extra */
	if (minutes == NULL)
		return false;
	minutes[0] = open;
	minutes[1] = close;
	*extra = minutes;
	return true;
}

static void
AssignBusinessHours(const char *newval, void *extra)
{
	sched_business_open = ((int *) extra)[0];
	sched_business_close = ((int *) extra)[1];
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
	DefineCustomStringVariable("sched.business_hours",
							   "Opening hours of the sales team, local to sched.timezone, every day: HH:MM-HH:MM.",
							   "Callback deadlines and retries that would fall outside them move to the next opening; 00:00-24:00 turns the rule off.",
							   &sched_business_hours,
							   "09:00-18:00",
							   PGC_SUSET, 0,
							   CheckBusinessHours, AssignBusinessHours, NULL);
	DefineCustomIntVariable("sched.callback_max_attempts",
							"Unanswered calls after which a callback leaves the working queue.",
							"The customer is then told that the team could not reach them.",
							&sched_callback_max_attempts,
							3, 1, 20,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("sched");

	SchedPlansInit();
	SchedAssignmentInit();
	SchedRowWriterInit();
	SchedNotifierInit();
}
