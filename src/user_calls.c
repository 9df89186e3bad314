/*
 * user_calls.c
 *		The calls a customer-facing app makes: sched.book_site_visit,
 *		sched.request_callback and sched.user_schedule.
 *
 * The booking calls are thin: they insert the row, and the triggers
 * (visit_guard.c, callback_guard.c, announce.c) check it, assign the agent, and announce it, so
 * that a plain INSERT gets exactly the same treatment (errors name the
 * arguments: the trigger is told that a call is inserting).  The row goes
 * in without an SQL statement (rowwriter.c), triggers fired as for one.
 * What is theirs alone is the idempotency key: a call repeating a user's
 * key returns the row the first call made, and does nothing else.
 */
#include "sched.h"
#include "checks.h"
#include "plans.h"
#include "rows.h"
#include "rowwriter.h"
#include "triggers.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sched_book_site_visit);
PG_FUNCTION_INFO_V1(sched_request_callback);
PG_FUNCTION_INFO_V1(sched_user_schedule);

#define MAX_CALL_ARGS 11

/* a user's booking by its idempotency key */
static SchedStatement find_visit_by_key = {
	"SELECT v FROM sched.scheduled_visits v"
	" WHERE v.user_id = $1 AND v.idempotency_key = $2",
	2, {TEXTOID, TEXTOID}
};
static SchedStatement find_callback_by_key = {
	"SELECT c FROM sched.callbacks c"
	" WHERE c.user_id = $1 AND c.idempotency_key = $2",
	2, {TEXTOID, TEXTOID}
};

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
 * Trimmed: a text argument as the trigger will store it, trimmed (only
 * trimmed: checking it is the trigger's job, in argument order).
 */
static char *
Trimmed(Datum value)
{
	char	   *s = TextDatumGetCString(value);
	const char *start = s;
	size_t		len = strlen(s);

	sched_trim(&start, &len);
	return pnstrdup(start, len);
}

/*
 * LockKey: serialise the calls that carry one user's idempotency key, so
 * that the second waits for the first to commit and then finds its row,
 * instead of racing it for an agent and a place.  Different keys never
 * wait for each other (a shared hash only makes two keys wait).
 */
static void
LockKey(SchedEntity e, const char *user_id, const char *key)
{
	LOCKTAG		tag;
	uint32		h;

	h = hash_combine(hash_bytes((const unsigned char *) user_id, strlen(user_id)),
					 hash_bytes((const unsigned char *) key, strlen(key)));
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, SCHED_LOCK_CLASS_KEY, hash_combine(h, (uint32) e), 2);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * InsertOnce: the shared body of the booking calls.  With an
 * idempotency key, take the key's lock and look for the user's key; if
 * it is new, insert the row (rowwriter.c), the triggers doing the rest.
 * cols[] maps the call's arguments to the table's columns.  A DBA's INSERT
 * with the same key at the same moment, or one committed after this
 * transaction's snapshot under REPEATABLE READ, makes the insert fail on
 * the key's unique index (23505).
 */
static Datum
InsertOnce(FunctionCallInfo fcinfo, SchedEntity e, SchedStatement *find,
		   const int *cols, int user_arg, int key_arg)
{
	Datum		values[MAX_CALL_ARGS];
	char		nulls[MAX_CALL_ARGS];
	bool		isnull[MAX_CALL_ARGS];
	Datum		key[2];
	Datum		result = (Datum) 0;
	bool		keyed;
	bool		found = false;
	int			i;

	(void) SchedCollectArgs(fcinfo, 0, values, nulls);
	keyed = !PG_ARGISNULL(user_arg) && !PG_ARGISNULL(key_arg);
	if (keyed)
	{
		char	   *user_id = Trimmed(values[user_arg]);
		char	   *idem = Trimmed(values[key_arg]);

		keyed = user_id[0] != '\0' && idem[0] != '\0';
		if (keyed)
			LockKey(e, user_id, idem);
		key[0] = CStringGetTextDatum(user_id);
		key[1] = CStringGetTextDatum(idem);
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (keyed)
		found = SchedRunForDatum(SchedPrepared(find), key, NULL, false, &result);
	if (found)
		result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	if (found)
		PG_RETURN_DATUM(result);

	for (i = 0; i < PG_NARGS(); i++)
		isnull[i] = PG_ARGISNULL(i);
	sched_naming_arguments = true;
	PG_TRY();
	{
		result = SchedInsertBooking(e == SCHED_VISIT ? TABLE_VISITS : TABLE_CALLBACKS,
									PG_NARGS(), cols, values, isnull);
	}
	PG_FINALLY();
	{
		sched_naming_arguments = false;
	}
	PG_END_TRY();
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
	static const int cols[] = {
		VC_USER_ID, VC_PROJECT, VC_VISIT_DATE, VC_TIME_SLOT, VC_CONTACT_NAME,
		VC_CONTACT_PHONE, VC_CONTACT_EMAIL, VC_USER_NOTES, VC_SESSION_ID,
		VC_LEAD_SCORE, VC_IDEMPOTENCY_KEY
	};

	return InsertOnce(fcinfo, SCHED_VISIT, &find_visit_by_key, cols, 0, 10);
}

/*
 * sched_request_callback: request_callback(user_id, contact_name,
 * contact_phone, reason, urgency, contact_email, session_id, lead_score,
 * idempotency_key).
 */
Datum
sched_request_callback(PG_FUNCTION_ARGS)
{
	static const int cols[] = {
		CC_USER_ID, CC_CONTACT_NAME, CC_CONTACT_PHONE, CC_REASON, CC_URGENCY,
		CC_CONTACT_EMAIL, CC_SESSION_ID, CC_LEAD_SCORE, CC_IDEMPOTENCY_KEY
	};

	return InsertOnce(fcinfo, SCHED_CALLBACK, &find_callback_by_key, cols, 0, 8);
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
	/* user_id is stored trimmed */
	user_id = CStringGetTextDatum(SchedCheckText(TextDatumGetCString(PG_GETARG_DATUM(0)),
												 "user_id", SCHED_MAX_IDENT, true, false));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (!SchedRunForDatum(SchedPrepared(&user_schedule), &user_id, NULL, true, &result))
		elog(ERROR, "user_schedule returned nothing");
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(result);
}
