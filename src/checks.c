/*
 * checks.c
 *		The pure rules of contact.c and the booking window, turned into
 *		errors a caller understands: 22004 for a missing value, 22023 for
 *		a bad one, each naming the argument (which is also the column).
 *
 * The settings these rules read are defined here: how phone numbers
 * without a country code are read (sched.default_country_code) and how
 * far ahead a visit may be booked (sched.max_days_ahead).  Like every
 * sched setting they are PGC_SUSET: they are rules, and no client may
 * relax a rule for its own session.
 */
#include "sched.h"
#include "checks.h"
#include "clock.h"

#include "access/xact.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

static char *default_country_code = NULL;
static int	max_days_ahead = 90;

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
 * SchedChecksInit: define the settings; called once by _PG_init.
 */
void
SchedChecksInit(void)
{
	DefineCustomStringVariable("sched.default_country_code",
							   "Country code given to ten-digit phone numbers.",
							   "Numbers written with + or 00 keep their own country code.",
							   &default_country_code,
							   "91",
							   PGC_SUSET, 0,
							   CheckCountryCode, NULL, NULL);
	DefineCustomIntVariable("sched.max_days_ahead",
							"How many days ahead a site visit may be booked.",
							NULL,
							&max_days_ahead,
							90, 0, 3650,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
}

/*
 * SchedDefaultCountryCode: sched.default_country_code, for readers of
 * phone numbers.
 */
const char *
SchedDefaultCountryCode(void)
{
	return default_country_code;
}

/*
 * SchedRequire: a required argument or column is NULL.
 */
void
SchedRequire(bool isnull, const char *name)
{
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

/*
 * SchedCheckNoLink: 22023 when text that goes into the customer's own
 * SMS and email (a contact name, a project) looks like a link or markup
 * (contact.c's sched_looks_like_link): sched must not relay phishing
 * texts to any number a caller gives.
 */
void
SchedCheckNoLink(const char *value, const char *name)
{
	if (value != NULL && sched_looks_like_link(value, strlen(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain a link or markup", name),
				 errdetail("It goes into the customer's text messages and email: text with \"http\", \"www.\", \"://\" or \"<\" is refused.")));
}

/*
 * SchedCheckText: trims value and checks it is not blank (when required),
 * holds no control characters (tab and line breaks are allowed in
 * multi-line notes) and has at most max_chars characters.  Returns the
 * trimmed copy, or NULL for a NULL value or a blank optional one (a form
 * field left empty means "not given").
 */
char *
SchedCheckText(const char *value, const char *name, int max_chars,
			   bool required, bool multiline)
{
	const char *s = value;
	size_t		len;
	int			nchars;

	if (value == NULL)
	{
		SchedRequire(required, name);
		return NULL;
	}
	len = strlen(value);
	switch (sched_check_text(s, len, required, multiline))
	{
		case SCHED_TEXT_OK:
			break;
		case SCHED_TEXT_BLANK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not be empty", name)));
			break;
		case SCHED_TEXT_CONTROL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not contain control characters", name),
					 multiline ? errdetail("Tabs and line breaks are the only control characters allowed.") : 0));
			break;
	}
	sched_trim(&s, &len);
	if (len == 0)
		return NULL;
	nchars = pg_mbstrlen_with_len(s, (int) len);
	if (nchars > max_chars)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is too long", name),
				 errdetail("It has %d characters; at most %d are allowed.",
						   nchars, max_chars)));
	return pnstrdup(s, len);
}

/*
 * SchedCheckPhone: a plausible phone number, returned in E.164 form.
 */
char *
SchedCheckPhone(const char *value, const char *name)
{
	char		out[SCHED_PHONE_BUFSZ];
	SchedPhoneProblem problem;

	SchedRequire(value == NULL, name);
	problem = sched_normalize_phone(value, strlen(value),
									default_country_code, out);
	if (problem != SCHED_PHONE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a plausible phone number", name),
				 errdetail("%s", sched_phone_problem_text(problem)),
				 errhint("Give the number with its country code, as in +91 98765 43210; ten-digit numbers get the country code %s.",
						 default_country_code)));
	return pstrdup(out);
}

/*
 * SchedCheckEmail: a well-formed address, returned normalised; NULL or
 * blank gives NULL (every email is optional).
 */
char *
SchedCheckEmail(const char *value, const char *name)
{
	size_t		len;
	char	   *out;
	SchedEmailProblem problem;

	if (value == NULL)
		return NULL;
	len = strlen(value);
	if (sched_check_text(value, len, true, true) == SCHED_TEXT_BLANK)
		return NULL;
	out = palloc(len + 1);
	problem = sched_normalize_email(value, len, out);
	if (problem != SCHED_EMAIL_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a valid email address", name),
				 errdetail("%s", sched_email_problem_text(problem))));
	return out;
}

/*
 * SchedCheckIntRange: min <= value <= max.
 */
void
SchedCheckIntRange(int32 value, const char *name, int32 min, int32 max)
{
	if (value < min || value > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %d and %d", name, min, max),
				 errdetail("It is %d.", value)));
}

/*
 * SchedCheckVisitDate: from today to sched.max_days_ahead days ahead,
 * today being the business's (clock.c), not the session's.
 */
void
SchedCheckVisitDate(DateADT visit_date, const char *name)
{
	DateADT		today;
	DateADT		last;

	SchedBookingWindow(&today, &last);
	if (visit_date < today)		/* -infinity too */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be in the past", name),
				 errdetail("It is %s; today is %s in sched.timezone (%s).",
						   SchedDateText(visit_date),
						   SchedDateText(today), SchedTimezone())));
	if (visit_date > last)		/* infinity too */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is more than %d days ahead", name, max_days_ahead),
				 errdetail("It is %s; the last day that can be booked is %s.",
						   SchedDateText(visit_date),
						   SchedDateText(last)),
				 errhint("sched.max_days_ahead sets the booking window.")));
}

/*
 * SchedBookingWindow: the first and last day that can be booked: the
 * business's today and sched.max_days_ahead days after it.
 */
void
SchedBookingWindow(DateADT *first, DateADT *last)
{
	*first = SchedToday();
	*last = *first + max_days_ahead;
}

/*
 * SchedUserIdArg: a user_id argument, as the back end's calls take it:
 * required (22004), trimmed, 1 to SCHED_MAX_IDENT characters without
 * control characters (22023).
 */
char *
SchedUserIdArg(FunctionCallInfo fcinfo, int argno)
{
	SchedRequire(PG_ARGISNULL(argno), "user_id");
	return SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(argno)), "user_id", SCHED_MAX_IDENT,
						  true, false);
}

/*
 * SchedCheckMaxRows: the listing calls return 1 to 1000 rows.
 */
int
SchedCheckMaxRows(int32 max_rows)
{
	SchedCheckIntRange(max_rows, "max_rows", 1, 1000);
	return max_rows;
}

/*
 * SchedCheckInterval: an interval argument within [min, max]; 22023 with
 * the range in words otherwise.
 */
void
SchedCheckInterval(Interval *value, const char *name, Interval *min, Interval *max,
				   const char *range_words)
{
	if (DatumGetInt32(DirectFunctionCall2(interval_cmp, IntervalPGetDatum(value),
										  IntervalPGetDatum(min))) < 0 ||
		DatumGetInt32(DirectFunctionCall2(interval_cmp, IntervalPGetDatum(value),
										  IntervalPGetDatum(max))) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %s", name, range_words)));
}

/*
 * SchedCheckPastTime: a sweep's as_of (mark_no_shows,
 * escalate_overdue_callbacks, from 1.3) is finite and not later than
 * now(): a sweep records what has happened, and a future as_of would mark
 * every live visit a no-show and text every customer.
 */
void
SchedCheckPastTime(TimestampTz value, const char *name)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();

	SchedCheckFiniteTime(value, name);
	if (value > now)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be later than now()", name),
				 errdetail("It is %s; now() is %s.", timestamptz_to_str(value), timestamptz_to_str(now)),
				 errhint("A sweep marks what has already happened; leave %s out to sweep up to now.", name)));
}

/*
 * SchedCheckFiniteTime: a time argument (as_of) that is not infinity.
 */
void
SchedCheckFiniteTime(TimestampTz value, const char *name)
{
	if (TIMESTAMP_NOT_FINITE(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite time", name)));
}
