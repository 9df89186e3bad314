/*
 * user_calls.c
 *		The calls a customer-facing app makes: sched.book_site_visit,
 *		sched.request_callback and sched.user_schedule.
 *
 * The booking calls are thin: they insert the row, and the triggers
 * (guards.c, announce.c) check it, assign the agent, and announce it, so
 * that a plain INSERT gets exactly the same treatment.  What is theirs
 * alone is the idempotency key: a call repeating a user's key returns the
 * row the first call made, and does nothing else.
 */
#include "sched.h"

#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sched_book_site_visit);
PG_FUNCTION_INFO_V1(sched_request_callback);
PG_FUNCTION_INFO_V1(sched_user_schedule);

#define MAX_CALL_ARGS 11

/*
 * InsertOnce: the shared body of the booking calls.  Look for the user's
 * idempotency key; if it is new, insert.  ON CONFLICT DO NOTHING covers
 * two calls with one key at once: the second waits for the first to
 * commit, inserts nothing, and returns the first one's row.
 */
static Datum
InsertOnce(FunctionCallInfo fcinfo, SchedPlanId find_plan, SchedPlanId insert_plan,
		   int user_arg, int key_arg)
{
	Datum		values[MAX_CALL_ARGS];
	char		nulls[MAX_CALL_ARGS];
	Datum		key[2];
	Datum		result = (Datum) 0;
	bool		keyed;
	bool		found = false;

	(void) SchedCollectArgs(fcinfo, 0, values, nulls);
	keyed = !PG_ARGISNULL(user_arg) && !PG_ARGISNULL(key_arg);
	key[0] = values[user_arg];
	key[1] = values[key_arg];

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (keyed)
		found = SchedRunForDatum(SchedPlan(find_plan), key, NULL, false, &result);
	if (!found)
		found = SchedRunForDatum(SchedPlan(insert_plan), values, nulls, false, &result);
	if (!found && keyed)
		found = SchedRunForDatum(SchedPlan(find_plan), key, NULL, false, &result);
	if (!found)
		elog(ERROR, "the booking was neither inserted nor found");
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

/*
 * sched_book_site_visit: book_site_visit(user_id, project, visit_date,
 * time_slot, contact_name, contact_phone, contact_email, notes,
 * session_id, lead_score, idempotency_key).
 */
Datum
sched_book_site_visit(PG_FUNCTION_ARGS)
{
	/* notes is stored as user_notes: check it here so errors name it */
	if (!PG_ARGISNULL(7))
		(void) SchedCheckText(TextDatumGetCString(PG_GETARG_DATUM(7)), "notes",
							  SCHED_MAX_NOTE, false, true);
	return InsertOnce(fcinfo, PLAN_FIND_VISIT_BY_KEY, PLAN_INSERT_VISIT, 0, 10);
}

/*
 * sched_request_callback: request_callback(user_id, contact_name,
 * contact_phone, reason, urgency, contact_email, session_id, lead_score,
 * idempotency_key).
 */
Datum
sched_request_callback(PG_FUNCTION_ARGS)
{
	return InsertOnce(fcinfo, PLAN_FIND_CALLBACK_BY_KEY, PLAN_INSERT_CALLBACK, 0, 8);
}

/*
 * sched_user_schedule: {"visits": [...], "callbacks": [...]}, newest first.
 */
Datum
sched_user_schedule(PG_FUNCTION_ARGS)
{
	Datum		user_id;
	Datum		result;

	SchedRequire(PG_ARGISNULL(0), "user_id");
	user_id = PG_GETARG_DATUM(0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (!SchedRunForDatum(SchedPlan(PLAN_USER_SCHEDULE), &user_id, NULL, true, &result))
		elog(ERROR, "user_schedule returned nothing");
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(result);
}
