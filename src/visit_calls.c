/*
 * visit_calls.c
 *		The calls that act on booked visits: sched.list_visits and
 *		sched.set_visit_status (the sales team's screens),
 *		sched.reschedule_visit, sched.cancel_visit (the customer's cancel),
 *		sched.mark_no_shows (the periodic sweep) and sched.record_feedback.
 *
 * Like a DBA's plain UPDATE they only update the row; the triggers check
 * the move, free the place in the slot, cancel the reminders, record
 * history and queue the messages (visit_guard.c, announce.c).  Their own
 * job is to check their arguments and say 404 when there is no such
 * visit.  Booking is user_calls.c's.
 */
#include "sched.h"
#include "assignment.h"
#include "checks.h"
#include "clock.h"
#include "plans.h"
#include "triggers.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_list_visits);
PG_FUNCTION_INFO_V1(sched_set_visit_status);
PG_FUNCTION_INFO_V1(sched_reschedule_visit);
PG_FUNCTION_INFO_V1(sched_cancel_visit);
PG_FUNCTION_INFO_V1(sched_mark_no_shows);
PG_FUNCTION_INFO_V1(sched_record_feedback);

/* the note status_history records for a customer's cancel */
#define CUSTOMER_NOTE		"by customer"

#define LIST_VISITS_NFILTERS	4

/*
 * list_visits: one statement per combination of the filters given
 * (SchedFilteredStatement); $1 status, $2 date_from, $3 date_to,
 * $4 agent_id, $5 max_rows.
 */
static SchedStatement list_visits[1 << LIST_VISITS_NFILTERS];
static const char *const list_visits_filters[LIST_VISITS_NFILTERS] = {
	" AND v.status OPERATOR(pg_catalog.=) $1",
	" AND v.visit_date >= $2",
	" AND v.visit_date <= $3",
	" AND v.agent_id = $4",
};

/*
 * The status call: notes are written (and recorded in the history row)
 * only when given, so it has a form without them.
 */
static SchedStatement set_status = {
	"UPDATE sched.scheduled_visits AS v SET status = $2"
	" WHERE v.visit_id = $1 RETURNING v",
	3, {INT8OID, SCHED_TYPE(TYPE_VISIT_STATUS), TEXTOID}
};
static SchedStatement set_status_notes = {
	"UPDATE sched.scheduled_visits AS v SET status = $2, rm_notes = $3"
	" WHERE v.visit_id = $1 RETURNING v",
	3, {INT8OID, SCHED_TYPE(TYPE_VISIT_STATUS), TEXTOID}
};

/* a visit's status, locked: a concurrent move is waited for and seen */
static SchedStatement lock_visit = {
	"SELECT v.status::text AS status, v.agent_id, v.project FROM sched.scheduled_visits v"
	" WHERE v.visit_id = $1 FOR UPDATE",
	1, {INT8OID}
};

/* $1 visit_id, $2 visit_date, $3 time_slot: with the same agent, or round robin */
static SchedStatement reschedule_keep = {
	"UPDATE sched.scheduled_visits AS v SET visit_date = $2, time_slot = $3"
	" WHERE v.visit_id = $1 RETURNING v",
	3, {INT8OID, DATEOID, SCHED_TYPE(TYPE_TIME_SLOT)}
};
static SchedStatement reschedule_reassign = {
	"UPDATE sched.scheduled_visits AS v SET visit_date = $2, time_slot = $3, agent_id = NULL"
	" WHERE v.visit_id = $1 RETURNING v",
	3, {INT8OID, DATEOID, SCHED_TYPE(TYPE_TIME_SLOT)}
};

/*
 * Visits still booked whose slot ended before $1 (the cut-off: as_of
 * minus the grace), oldest first.  The date bound ($2) lets the status
 * index do the work; the slot end is checked per row (clock.c, via
 * sched.slot_bounds).
 */
static SchedStatement mark_no_shows = {
	"UPDATE sched.scheduled_visits AS v SET status = 'no_show'"
	" WHERE v.visit_id IN (SELECT s.visit_id FROM sched.scheduled_visits s"
	"   WHERE s.status OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'confirmed']::sched.visit_status[])"
	"   AND s.visit_date <= $2"
	"   AND (sched.slot_bounds(s.visit_date, s.time_slot)).ends_at <= $1"
	"   ORDER BY s.visit_date, s.time_slot, s.visit_id FOR UPDATE SKIP LOCKED)",
	2, {TIMESTAMPTZOID, DATEOID}
};

/* once per visit: a second rating inserts nothing */
static SchedStatement insert_feedback = {
	"INSERT INTO sched.visit_feedback AS f (visit_id, rating, comment, agent_id)"
	" VALUES ($1, $2, $3, $4) ON CONFLICT (visit_id) DO NOTHING RETURNING f",
	4, {INT8OID, INT4OID, TEXTOID, INT4OID}
};

/*
 * sched_list_visits: list_visits(status, date_from, date_to, agent_id,
 * max_rows), ordered by visit_date, time_slot, visit_id.
 */
Datum
sched_list_visits(PG_FUNCTION_ARGS)
{
	static const Oid argtypes[] = {
		SCHED_TYPE(TYPE_VISIT_STATUS), DATEOID, DATEOID, INT4OID, INT4OID
	};
	Datum		values[lengthof(argtypes)];
	char		nulls[lengthof(argtypes)];
	int			mask = SchedCollectArgs(fcinfo, LIST_VISITS_NFILTERS, values, nulls);

	SchedRequire(PG_ARGISNULL(4), "max_rows");
	SchedCheckMaxRows(PG_GETARG_INT32(4));
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2) &&
		PG_GETARG_DATEADT(1) > PG_GETARG_DATEADT(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("date_from must not be after date_to")));
	SchedReturnRows(fcinfo,
					SchedFilteredStatement(list_visits, mask,
										   "SELECT v FROM sched.scheduled_visits v WHERE true",
										   list_visits_filters, LIST_VISITS_NFILTERS,
										   " ORDER BY v.visit_date, v.time_slot, v.visit_id LIMIT $5",
										   lengthof(argtypes), argtypes),
					values, nulls);
	return (Datum) 0;
}

/*
 * sched_set_visit_status: set_visit_status(visit_id, status, rm_notes):
 * update, or 404.  The notes are written only when given.
 */
Datum
sched_set_visit_status(PG_FUNCTION_ARGS)
{
	SchedRequireTriggers(SCHED_VISIT);
	PG_RETURN_DATUM(SchedSetStatus(fcinfo, &set_status, &set_status_notes, "visit_id", "visit",
								   "sched.list_visits shows the visits there are."));
}

/*
 * LockVisitStatus: lock the visit and return its status, its agent in
 * *agent_id (0 for none) and, if project is not NULL, its project; 404 if
 * there is no such visit.  Needs SPI.
 */
static int
LockVisitStatus(int64 visit_id, int32 *agent_id, char **project)
{
	bool		isnull;
	Datum		values[1] = {Int64GetDatum(visit_id)};
	int			status;

	SchedReadOne(&lock_visit, values, false, "visit", visit_id,
				 "sched.user_schedule shows a user's visits.");
	status = sched_status_from_name(SCHED_VISIT, SchedResultText("status"));
	if (status < 0)
		elog(ERROR, "visit " INT64_FORMAT " has an unknown status", visit_id);
	*agent_id = DatumGetInt32(SchedResultValue("agent_id", &isnull));
	if (isnull)
		*agent_id = 0;
	if (project != NULL)
		*project = SchedResultText("project");
	return status;
}

/*
 * sched_reschedule_visit: reschedule_visit(visit_id, visit_date,
 * time_slot).  The customer keeps their agent when the agent still takes
 * visits and has room in the new slot (the place is held before the
 * update); otherwise the round robin picks one.  The triggers check the
 * date, free the old place, record the move and send the messages.
 */
Datum
sched_reschedule_visit(PG_FUNCTION_ARGS)
{
	int64		visit_id;
	DateADT		visit_date;
	int32		agent_id;
	char	   *project;
	int			status;
	bool		keep;
	Datum		values[3];
	Datum		row;

	SchedRequireTriggers(SCHED_VISIT);
	SchedRequire(PG_ARGISNULL(0), "visit_id");
	SchedRequire(PG_ARGISNULL(1), "visit_date");
	SchedRequire(PG_ARGISNULL(2), "time_slot");
	visit_id = PG_GETARG_INT64(0);
	visit_date = PG_GETARG_DATEADT(1);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	status = LockVisitStatus(visit_id, &agent_id, &project);
	if (!sched_visit_holds_slot(status))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("visit " INT64_FORMAT " is %s and cannot be rescheduled",
						visit_id, sched_status_name(SCHED_VISIT, status)),
				 errdetail("Only pending or confirmed visits can move to another date or slot."),
				 errhint("Book a new visit instead."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_TRANSITION)));
	SchedCheckVisitDate(visit_date, "visit_date");
	SchedCheckSlotOpen(visit_date, PG_GETARG_DATUM(2));
	keep = agent_id != 0 &&
		SchedAgentHasRoom(agent_id, project, visit_date, PG_GETARG_DATUM(2), visit_id);
	values[0] = Int64GetDatum(visit_id);
	values[1] = DateADTGetDatum(visit_date);
	values[2] = PG_GETARG_DATUM(2);
	if (!SchedRunForDatum(SchedPrepared(keep ? &reschedule_keep : &reschedule_reassign),
						  values, NULL, false, &row))
		elog(ERROR, "visit " INT64_FORMAT " vanished", visit_id);
	row = SPI_datumTransfer(row, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(row);
}

/*
 * sched_cancel_visit: cancel_visit(visit_id, reason).  The history note
 * reads "by customer" or "by customer: <reason>", which tells a
 * customer's cancel from the team's.
 */
Datum
sched_cancel_visit(PG_FUNCTION_ARGS)
{
	int64		visit_id;
	char	   *reason = NULL;
	const char *note;
	Datum		values[3];
	Datum		row;
	int32		agent_id;

	SchedRequireTriggers(SCHED_VISIT);
	SchedRequire(PG_ARGISNULL(0), "visit_id");
	visit_id = PG_GETARG_INT64(0);
	if (!PG_ARGISNULL(1))
		reason = SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(1)), "reason",
								SCHED_MAX_SHORT, false, false);

	note = reason ? psprintf(CUSTOMER_NOTE ": %s", reason) : CUSTOMER_NOTE;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	SchedCheckMove(SCHED_VISIT, visit_id, LockVisitStatus(visit_id, &agent_id, NULL), VISIT_CANCELLED);
	values[0] = Int64GetDatum(visit_id);
	values[1] = SchedEnumValue(TYPE_VISIT_STATUS, "cancelled");
	values[2] = (Datum) 0;		/* rm_notes: this plan does not write them */
	PG_TRY();
	{
		sched_change_note = note;
		if (!SchedRunForDatum(SchedPrepared(&set_status), values, "  n", false, &row))
			elog(ERROR, "visit " INT64_FORMAT " vanished", visit_id);
	}
	PG_FINALLY();
	{
		sched_change_note = NULL;
	}
	PG_END_TRY();
	row = SPI_datumTransfer(row, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(row);
}

/*
 * sched_mark_no_shows: mark_no_shows(as_of, grace): every visit still
 * booked whose slot ended at or before as_of - grace becomes a no-show.
 * Visits another session is changing at that moment are skipped (the
 * next run takes them).
 */
Datum
sched_mark_no_shows(PG_FUNCTION_ARGS)
{
	Interval	seven_days = {.day = 7};
	Interval	zero = {0};
	Interval   *grace;
	Datum		cutoff;
	Datum		values[2];

	SchedRequireTriggers(SCHED_VISIT);
	SchedRequire(PG_ARGISNULL(0), "as_of");
	SchedRequire(PG_ARGISNULL(1), "grace");
	grace = PG_GETARG_INTERVAL_P(1);
	SchedCheckInterval(grace, "grace", &zero, &seven_days, "0 and 7 days");
	/* 1.2 and before took any finite as_of */
	if (SchedSchemaVersion() >= SCHED_SCHEMA_13)
		SchedCheckPastTime(PG_GETARG_TIMESTAMPTZ(0), "as_of");
	else
		SchedCheckFiniteTime(PG_GETARG_TIMESTAMPTZ(0), "as_of");

	cutoff = DirectFunctionCall2(timestamptz_mi_interval, PG_GETARG_DATUM(0), PointerGetDatum(grace));
	values[0] = cutoff;
	/* no slot of a later local date can have ended */
	values[1] = DateADTGetDatum(SchedLocalDate(DatumGetTimestampTz(cutoff)));
	PG_RETURN_INT32(SchedSweep(&mark_no_shows, values, "marking no-shows"));
}

/*
 * sched_record_feedback: record_feedback(visit_id, rating, comment): a
 * completed visit's rating, once.  The visit is locked while the rating
 * goes in, so two ratings of one visit cannot both be taken.
 */
Datum
sched_record_feedback(PG_FUNCTION_ARGS)
{
	int64		visit_id;
	int32		agent_id;
	int			status;
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	char	   *comment = NULL;
	Datum		row;

	SchedRequire(PG_ARGISNULL(0), "visit_id");
	SchedRequire(PG_ARGISNULL(1), "rating");
	visit_id = PG_GETARG_INT64(0);
	SchedCheckIntRange(PG_GETARG_INT32(1), "rating", 1, 5);
	if (!PG_ARGISNULL(2))
		comment = SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(2)), "comment",
								 SCHED_MAX_NOTE, false, true);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	status = LockVisitStatus(visit_id, &agent_id, NULL);
	if (status != VISIT_COMPLETED)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("visit " INT64_FORMAT " is %s: only a completed visit can be rated",
						visit_id, sched_status_name(SCHED_VISIT, status)),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_FEEDBACK)));
	values[0] = Int64GetDatum(visit_id);
	values[1] = PG_GETARG_DATUM(1);
	values[2] = comment ? CStringGetTextDatum(comment) : (Datum) 0;
	nulls[2] = comment ? ' ' : 'n';
	values[3] = Int32GetDatum(agent_id);
	nulls[3] = agent_id != 0 ? ' ' : 'n';
	if (!SchedRunForDatum(SchedPrepared(&insert_feedback), values, nulls, false, &row))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("visit " INT64_FORMAT " has been rated already", visit_id),
				 errdetail("A visit is rated once."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_FEEDBACK)));
	row = SPI_datumTransfer(row, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(row);
}
