/*
 * user_calls.c
 *		The calls the trusted back end (the chat service) makes for a
 *		user it names: sched.book_site_visit, sched.request_callback and
 *		sched.user_schedule.  The customers' own calls, which take the
 *		user from the request, are customer_calls.c's.
 *
 * Booking is booking.c's: these calls pass their arguments on, not
 * limited (the back end and bulk imports are trusted).
 */
#include "sched.h"
#include "booking.h"
#include "checks.h"
#include "plans.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sched_book_site_visit);
PG_FUNCTION_INFO_V1(sched_request_callback);
PG_FUNCTION_INFO_V1(sched_user_schedule);

static SchedStatement user_schedule = {
	"SELECT pg_catalog.jsonb_build_object("
	" 'visits', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(v)"
	"   ORDER BY v.created_at DESC, v.visit_id DESC)"
	"   FROM sched.scheduled_visits v WHERE v.user_id = $1), '[]'::pg_catalog.jsonb),"
	" 'callbacks', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(c)"
	"   ORDER BY c.created_at DESC, c.callback_id DESC)"
	"   FROM sched.callbacks c WHERE c.user_id = $1), '[]'::pg_catalog.jsonb))",
	1, {TEXTOID}
};

/*
 * CallBook: a booking call's arguments, as they came, to SchedBook.
 */
static Datum
CallBook(FunctionCallInfo fcinfo, SchedEntity e)
{
	Datum		values[BV_COUNT];
	bool		isnull[BV_COUNT];
	int			i;

	Assert(PG_NARGS() <= BV_COUNT);
	for (i = 0; i < PG_NARGS(); i++)
	{
		isnull[i] = PG_ARGISNULL(i);
		values[i] = isnull[i] ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	return SchedBook(e, values, isnull, false);
}

/*
 * sched_book_site_visit: book_site_visit(user_id, project, visit_date,
 * time_slot, contact_name, contact_phone, contact_email, notes,
 * session_id, lead_score, idempotency_key).
 */
Datum
sched_book_site_visit(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(CallBook(fcinfo, SCHED_VISIT));
}

/*
 * sched_request_callback: request_callback(user_id, contact_name,
 * contact_phone, reason, urgency, contact_email, session_id, lead_score,
 * idempotency_key).
 */
Datum
sched_request_callback(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(CallBook(fcinfo, SCHED_CALLBACK));
}

/*
 * sched_user_schedule: {"visits": [...], "callbacks": [...]}, newest first.
 */
Datum
sched_user_schedule(PG_FUNCTION_ARGS)
{
	Datum		user_id;
	Datum		result;

	/* user_id is stored trimmed */
	user_id = CStringGetTextDatum(SchedUserIdArg(fcinfo, 0));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (!SchedRunForDatum(SchedPrepared(&user_schedule), &user_id, NULL, true, &result))
		elog(ERROR, "user_schedule returned nothing");
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(result);
}
