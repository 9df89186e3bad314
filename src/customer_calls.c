/*
 * customer_calls.c
 *		The calls a customer makes for themself, through PostgREST with
 *		their own token: sched.book_my_visit, sched.request_my_callback,
 *		sched.my_schedule, sched.cancel_my_visit and
 *		sched.reschedule_my_visit (1.3).
 *
 * The customer is the request's user (identity.c), never an argument;
 * without one every call is 42501.  The calls take no user_id, lead_score
 * or session_id: the lead score comes from the user's profile.  Booking
 * is booking.c's, held to the open-item limits; cancelling and moving are
 * the admin calls' (visit_calls.c), on the customer's own visits only: a
 * visit of another user gives the same PT404 as a missing one, so ids
 * cannot be probed.  Results are rows of the views sched.my_visits and
 * sched.my_callbacks, which show only what a customer may see.
 */
#include "sched.h"
#include "booking.h"
#include "calls.h"
#include "checks.h"
#include "identity.h"
#include "plans.h"
#include "rows.h"
#include "triggers.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sched_book_my_visit);
PG_FUNCTION_INFO_V1(sched_request_my_callback);
PG_FUNCTION_INFO_V1(sched_my_schedule);
PG_FUNCTION_INFO_V1(sched_cancel_my_visit);
PG_FUNCTION_INFO_V1(sched_reschedule_my_visit);

/* a visit of the user's own ($1 visit_id, $2 user_id) */
static SchedStatement own_visit = {
	"SELECT v.visit_id FROM sched.scheduled_visits v"
	" WHERE v.visit_id OPERATOR(pg_catalog.=) $1 AND v.user_id OPERATOR(pg_catalog.=) $2",
	2, {INT8OID, TEXTOID}
};

/* the rows the calls return, as the customer sees them */
static SchedStatement my_visit = {
	"SELECT m FROM sched.my_visits m WHERE m.visit_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}
};
static SchedStatement my_callback = {
	"SELECT m FROM sched.my_callbacks m WHERE m.callback_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}
};

#define MY_SCHEDULE(visit) \
	"SELECT pg_catalog.jsonb_build_object(" \
	" 'visits', COALESCE((SELECT pg_catalog.jsonb_agg(" visit \
	"   ORDER BY m.created_at DESC, m.visit_id DESC)" \
	"   FROM sched.my_visits m), '[]'::pg_catalog.jsonb)," \
	" 'callbacks', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(m)" \
	"   ORDER BY m.created_at DESC, m.callback_id DESC)" \
	"   FROM sched.my_callbacks m), '[]'::pg_catalog.jsonb))"
static SchedStatement my_schedule = {
	MY_SCHEDULE("pg_catalog.to_jsonb(m)"),
	0, {}
};

/*
 * 1.4: each visit also with its slot_label, on the customer's own clock
 * too when their profile has a time zone that shows another time
 */
static SchedStatement my_schedule_14 = {
	MY_SCHEDULE("pg_catalog.to_jsonb(m) OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('slot_label',"
				" sched.slot_label(m.visit_date, m.time_slot,"
				"  (SELECT p.time_zone FROM sched.user_profiles p"
				"    WHERE p.user_id OPERATOR(pg_catalog.=) sched.request_user_id())))"),
	0, {}
};

/*
 * RowOf: the one-column result of a statement for one id, in the
 * caller's memory context.
 */
static Datum
RowOf(SchedStatement *stmt, int64 id, const char *what)
{
	Datum		value = Int64GetDatum(id);
	Datum		row;

	/* not read-only: the call's own change must be seen */
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (!SchedRunForDatum(SchedPrepared(stmt), &value, NULL, false, &row))
		elog(ERROR, "%s " INT64_FORMAT " is not the caller's", what, id);
	row = SPI_datumTransfer(row, false, -1);
	SPI_finish();
	return row;
}

/*
 * sched_book_my_visit: book_my_visit(project, visit_date, time_slot,
 * contact_name, contact_phone, contact_email, notes, idempotency_key).
 */
Datum
sched_book_my_visit(PG_FUNCTION_ARGS)
{
	static const int from_arg[] = {
		BV_PROJECT, BV_VISIT_DATE, BV_TIME_SLOT, BV_CONTACT_NAME, BV_CONTACT_PHONE,
		BV_CONTACT_EMAIL, BV_NOTES, BV_IDEMPOTENCY_KEY
	};
	Datum		values[BV_COUNT];
	bool		isnull[BV_COUNT];
	int			i;

	for (i = 0; i < lengthof(from_arg); i++)
	{
		isnull[from_arg[i]] = PG_ARGISNULL(i);
		values[from_arg[i]] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	return RowOf(&my_visit,
				 SchedRowId(SchedBookForCustomer(SCHED_VISIT, values, isnull, SchedRequireUser()),
					  "visit_id"),
				 "visit");
}

/*
 * sched_request_my_callback: request_my_callback(contact_name,
 * contact_phone, reason, urgency, contact_email, idempotency_key).
 */
Datum
sched_request_my_callback(PG_FUNCTION_ARGS)
{
	static const int from_arg[] = {
		BC_CONTACT_NAME, BC_CONTACT_PHONE, BC_REASON, BC_URGENCY, BC_CONTACT_EMAIL,
		BC_IDEMPOTENCY_KEY
	};
	Datum		values[BC_COUNT];
	bool		isnull[BC_COUNT];
	int			i;

	for (i = 0; i < lengthof(from_arg); i++)
	{
		isnull[from_arg[i]] = PG_ARGISNULL(i);
		values[from_arg[i]] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	return RowOf(&my_callback,
				 SchedRowId(SchedBookForCustomer(SCHED_CALLBACK, values, isnull, SchedRequireUser()),
					  "callback_id"),
				 "callback");
}

/*
 * sched_my_schedule: my_schedule(): the caller's visits and callbacks as
 * user_schedule gives them, with only the customer-facing columns; from
 * 1.4 each visit with its slot_label.
 */
Datum
sched_my_schedule(PG_FUNCTION_ARGS)
{
	Datum		result;
	SchedStatement *stmt;

	(void) SchedRequireUser();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	stmt = SchedSchemaVersion() >= SCHED_SCHEMA_14 ? &my_schedule_14 : &my_schedule;
	if (!SchedRunForDatum(SchedPrepared(stmt), NULL, NULL, true, &result))
		elog(ERROR, "my_schedule returned nothing");
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

/*
 * OnOwnVisit: run an admin call on a visit of the caller's own, with the
 * call's own arguments (the same as the admin call's), and return the
 * visit as the customer sees it; another user's visit is PT404, as a
 * missing one.
 */
static Datum
OnOwnVisit(FunctionCallInfo fcinfo, PGFunction admin_call)
{
	char	   *user = SchedRequireUser();
	Datum		values[2];
	Datum		found;
	int64		visit_id;

	SchedRequire(PG_ARGISNULL(0), "visit_id");
	visit_id = PG_GETARG_INT64(0);
	values[0] = Int64GetDatum(visit_id);
	values[1] = CStringGetTextDatum(user);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (!SchedRunForDatum(SchedPrepared(&own_visit), values, NULL, true, &found))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_NOT_FOUND),
				 errmsg("visit " INT64_FORMAT " does not exist", visit_id),
				 errhint("sched.my_visits shows your visits.")));
	SPI_finish();

	(void) SchedCallFor(psprintf("customer %s", user), admin_call, fcinfo);
	return RowOf(&my_visit, visit_id, "visit");
}

/*
 * sched_cancel_my_visit: cancel_my_visit(visit_id, reason), as
 * cancel_visit.
 */
Datum
sched_cancel_my_visit(PG_FUNCTION_ARGS)
{
	return OnOwnVisit(fcinfo, sched_cancel_visit);
}

/*
 * sched_reschedule_my_visit: reschedule_my_visit(visit_id, visit_date,
 * time_slot), as reschedule_visit.
 */
Datum
sched_reschedule_my_visit(PG_FUNCTION_ARGS)
{
	return OnOwnVisit(fcinfo, sched_reschedule_visit);
}
