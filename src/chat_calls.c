/*
 * chat_calls.c
 *		The chat helpers as SQL calls: sched.detect_intent,
 *		sched.scheduling_prompt and sched.parse_contact_details.
 *
 * The reading of the customer's words is pure C (intent.c,
 * scheduling_prompt.c, contact_details.c, no PostgreSQL headers,
 * unit-tested and fuzzed); this file only turns SQL values into C strings
 * and the results back into text and jsonb.  The SQL-callable functions
 * are sched_sql_<name>, as those files have the sched_<name> ones.
 */
#include "sched.h"
#include "checks.h"
#include "clock.h"
#include "contact_details.h"
#include "intent.h"
#include "scheduling_prompt.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(sched_sql_detect_intent);
PG_FUNCTION_INFO_V1(sched_sql_scheduling_prompt);
PG_FUNCTION_INFO_V1(sched_sql_parse_contact_details);

/* Longest message read: a chat reply, not a document. */
#define MAX_MESSAGE_BYTES	10000

/*
 * IntentArg: an intent name argument ("site_visit", "callback"; NULL is
 * none); 22023 for anything else.
 */
static SchedIntent
IntentArg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	text	   *t;
	SchedIntent intent;

	if (PG_ARGISNULL(argno))
		return SCHED_INTENT_NONE;
	t = PG_GETARG_TEXT_PP(argno);
	if (!sched_intent_from_name(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &intent))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be site_visit or callback", name)));
	return intent;
}

/*
 * MessageArg: the message's bytes, at most MAX_MESSAGE_BYTES of them (the
 * rest of a longer one is not read).
 */
static const char *
MessageArg(FunctionCallInfo fcinfo, int argno, size_t *len)
{
	text	   *t = PG_GETARG_TEXT_PP(argno);

	*len = Min(VARSIZE_ANY_EXHDR(t), MAX_MESSAGE_BYTES);
	return VARDATA_ANY(t);
}

/*
 * sched_sql_detect_intent: detect_intent(message, last_nudge).
 */
Datum
sched_sql_detect_intent(PG_FUNCTION_ARGS)
{
	SchedIntent nudge = IntentArg(fcinfo, 1, "last_nudge");
	const char *message;
	size_t		len;
	const char *name;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	message = MessageArg(fcinfo, 0, &len);
	name = sched_intent_name(sched_detect_intent(message, len, nudge));
	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/*
 * sched_sql_scheduling_prompt: scheduling_prompt(intent).
 */
Datum
sched_sql_scheduling_prompt(PG_FUNCTION_ARGS)
{
	SchedIntent intent = IntentArg(fcinfo, 0, "intent");
	const char *prompt = sched_scheduling_prompt(intent);

	if (prompt == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(prompt));
}

/*
 * PushText: one key and text value of the result object.  A value cut to
 * its length limit is cut at a character boundary.
 */
static void
PushText(JsonbParseState **state, const char *key, const char *value)
{
	JsonbValue	k = {.type = jbvString};
	JsonbValue	v = {.type = jbvString};

	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v.val.string.val = (char *) value;
	v.val.string.len = pg_mbcliplen(value, strlen(value), strlen(value));
	(void) pushJsonbValue(state, WJB_KEY, &k);
	(void) pushJsonbValue(state, WJB_VALUE, &v);
}

/*
 * sched_sql_parse_contact_details: parse_contact_details(message, today).
 * The keys come out in jsonb's order; absent ones were not found.  A NULL
 * today (1.3's default) is the business's today (clock.c).
 */
Datum
sched_sql_parse_contact_details(PG_FUNCTION_ARGS)
{
	SchedContactDetails found;
	JsonbParseState *state = NULL;
	JsonbValue *result;
	const char *message;
	size_t		len;
	DateADT		today;
	int			year;
	int			month;
	int			day;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	today = PG_ARGISNULL(1) ? SchedToday() : PG_GETARG_DATEADT(1);
	if (DATE_NOT_FINITE(today))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("today must be a finite date")));
	j2date(today + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	if (year < 1 || year > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("today must be between the years 1 and 9999")));

	message = MessageArg(fcinfo, 0, &len);
	sched_parse_contact_details(message, len, year, month, day,
								SchedDefaultCountryCode(), &found);

	(void) pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	if (found.has_name)
		PushText(&state, "name", found.name);
	if (found.has_phone)
		PushText(&state, "phone", found.phone);
	if (found.has_email)
		PushText(&state, "email", found.email);
	if (found.has_date)
		PushText(&state, "visit_date",
				 psprintf("%04d-%02d-%02d", found.year, found.month, found.day));
	if (found.has_slot)
		PushText(&state, "time_slot", sched_slot_name(found.slot));
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(result));
}
