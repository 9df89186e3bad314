/*
 * checks.c
 *		The pure rules of contact.c and the date window, turned into
 *		errors a caller understands: 22004 for a missing value, 22023 for
 *		a bad one, each naming the argument (which is also the column).
 */
#include "sched.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

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
									sched_default_country_code, out);
	if (problem != SCHED_PHONE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a plausible phone number", name),
				 errdetail("%s", sched_phone_problem_text(problem)),
				 errhint("Give the number with its country code, as in +91 98765 43210; ten-digit numbers get the country code %s.",
						 sched_default_country_code)));
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
 * SchedDateText: a date in ISO 8601 (2026-01-18) whatever the DateStyle,
 * for messages.
 */
char *
SchedDateText(DateADT d)
{
	int			year;
	int			month;
	int			day;

	if (DATE_NOT_FINITE(d))
		return pstrdup(DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
	j2date(d + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	return psprintf("%04d-%02d-%02d", year, month, day);
}

/*
 * SchedCheckVisitDate: from today to sched.max_days_ahead days ahead,
 * today being the business's (clock.c), not the session's.
 */
void
SchedCheckVisitDate(DateADT visit_date, const char *name)
{
	DateADT		today = SchedToday();

	if (visit_date < today)		/* -infinity too */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be in the past", name),
				 errdetail("It is %s; today is %s in sched.timezone (%s).",
						   SchedDateText(visit_date),
						   SchedDateText(today), sched_timezone)));
	if ((int64) visit_date - today > sched_max_days_ahead)	/* infinity too */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is more than %d days ahead", name, sched_max_days_ahead),
				 errdetail("It is %s; the last day that can be booked is %s.",
						   SchedDateText(visit_date),
						   SchedDateText(today + sched_max_days_ahead)),
				 errhint("sched.max_days_ahead sets the booking window.")));
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
