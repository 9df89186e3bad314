/*
 * callback_calls.c
 *		The calls that act on requested callbacks: sched.list_callbacks
 *		and sched.set_callback_status (the sales team's screens), and
 *		sched.escalate_overdue_callbacks (1.1, the periodic sweep that
 *		flags callbacks whose deadline passed without contact).
 *
 * Like a DBA's plain UPDATE they only update rows: the BEFORE trigger
 * checks the move and plans the next attempt or gives up
 * (callback_guard.c), the AFTER trigger tells the customer, the seniors
 * and the listeners (announce.c).  Requesting a callback is
 * user_calls.c's.
 */
#include "sched.h"
#include "checks.h"
#include "plans.h"
#include "triggers.h"

#include "catalog/pg_type.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_list_callbacks);
PG_FUNCTION_INFO_V1(sched_set_callback_status);
PG_FUNCTION_INFO_V1(sched_escalate_overdue_callbacks);

#define LIST_CALLBACKS_NFILTERS 2

/*
 * list_callbacks: one statement per combination of the filters given
 * (SchedFilteredStatement); $1 status, $2 urgency, $3 max_rows.  From 1.1
 * the working queue comes first, what is due first (next_attempt_at;
 * NULL, out of the queue, sorts last), then urgent first, oldest first.
 */
static SchedStatement list_callbacks[1 << LIST_CALLBACKS_NFILTERS];
static SchedStatement list_callbacks_10[1 << LIST_CALLBACKS_NFILTERS];
static const char *const list_callbacks_filters[LIST_CALLBACKS_NFILTERS] = {
	" AND c.status OPERATOR(pg_catalog.=) $1",
	" AND c.urgency OPERATOR(pg_catalog.=) $2",
};

/*
 * The status call: agent_notes are written (and recorded in the history
 * row) only when given, so it has a form without them; call_duration_s
 * and outcome are kept when not given.
 */
static SchedStatement set_status = {
	"UPDATE sched.callbacks AS c SET status = $2,"
	" call_duration_s = COALESCE($4, c.call_duration_s),"
	" outcome = COALESCE($5, c.outcome)"
	" WHERE c.callback_id = $1 RETURNING c",
	5, {INT8OID, SCHED_TYPE(TYPE_CALLBACK_STATUS), TEXTOID, INT4OID, TEXTOID}
};
static SchedStatement set_status_notes = {
	"UPDATE sched.callbacks AS c SET status = $2, agent_notes = $3,"
	" call_duration_s = COALESCE($4, c.call_duration_s),"
	" outcome = COALESCE($5, c.outcome)"
	" WHERE c.callback_id = $1 RETURNING c",
	5, {INT8OID, SCHED_TYPE(TYPE_CALLBACK_STATUS), TEXTOID, INT4OID, TEXTOID}
};

/*
 * Callbacks in the working queue whose deadline passed before $1 without
 * contact and that are not escalated yet; the announce trigger tells the
 * seniors.  The queue is read through callbacks_queue_idx.
 */
static SchedStatement escalate_overdue = {
	"UPDATE sched.callbacks AS c SET escalated_at = $1"
	" WHERE c.callback_id IN (SELECT q.callback_id FROM sched.callbacks q"
	"   WHERE q.next_attempt_at IS NOT NULL AND q.escalated_at IS NULL"
	"   AND q.contacted_at IS NULL AND q.due_at <= $1"
	"   ORDER BY q.next_attempt_at, q.callback_id FOR UPDATE SKIP LOCKED)",
	1, {TIMESTAMPTZOID}
};

/*
 * sched_list_callbacks: list_callbacks(status, urgency, max_rows).
 */
Datum
sched_list_callbacks(PG_FUNCTION_ARGS)
{
	static const Oid argtypes[] = {
		SCHED_TYPE(TYPE_CALLBACK_STATUS), SCHED_TYPE(TYPE_URGENCY), INT4OID
	};
	Datum		values[lengthof(argtypes)];
	char		nulls[lengthof(argtypes)];
	int			mask = SchedCollectArgs(fcinfo, LIST_CALLBACKS_NFILTERS, values, nulls);
	bool		v11 = SchedSchemaVersion() >= SCHED_SCHEMA_11;

	SchedRequire(PG_ARGISNULL(2), "max_rows");
	SchedCheckMaxRows(PG_GETARG_INT32(2));
	SchedReturnRows(fcinfo,
					SchedFilteredStatement(v11 ? list_callbacks : list_callbacks_10, mask,
										   "SELECT c FROM sched.callbacks c WHERE true",
										   list_callbacks_filters, LIST_CALLBACKS_NFILTERS,
										   v11 ? " ORDER BY c.next_attempt_at, c.urgency, c.created_at, c.callback_id LIMIT $3"
										   : " ORDER BY c.urgency, c.created_at, c.callback_id LIMIT $3",
										   lengthof(argtypes), argtypes),
					values, nulls);
	return (Datum) 0;
}

/*
 * sched_set_callback_status: set_callback_status(callback_id, status,
 * agent_notes, call_duration_s, outcome): update, or 404.
 */
Datum
sched_set_callback_status(PG_FUNCTION_ARGS)
{
	SchedRequireTriggers(SCHED_CALLBACK);
	PG_RETURN_DATUM(SchedSetStatus(fcinfo, &set_status, &set_status_notes, "callback_id",
								   "callback", "sched.list_callbacks shows the callbacks there are."));
}

/*
 * sched_escalate_overdue_callbacks: escalate_overdue_callbacks(as_of):
 * every callback still in the working queue (not contacted, not given
 * up) whose deadline is at or before as_of and that is not escalated yet
 * gets escalated_at = as_of; returns how many.  Callbacks another session
 * is changing at that moment are skipped (the next run takes them).
 */
Datum
sched_escalate_overdue_callbacks(PG_FUNCTION_ARGS)
{
	Datum		values[1];

	SchedRequireTriggers(SCHED_CALLBACK);
	SchedRequire(PG_ARGISNULL(0), "as_of");
	/* 1.2 and before took any finite as_of */
	if (SchedSchemaVersion() >= SCHED_SCHEMA_13)
		SchedCheckPastTime(PG_GETARG_TIMESTAMPTZ(0), "as_of");
	else
		SchedCheckFiniteTime(PG_GETARG_TIMESTAMPTZ(0), "as_of");
	values[0] = PG_GETARG_DATUM(0);
	PG_RETURN_INT32(SchedSweep(&escalate_overdue, values, "escalating overdue callbacks"));
}
