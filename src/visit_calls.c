/*
 * visit_calls.c
 *		Calls that change visits after booking: sched.reschedule_visit,
 *		sched.cancel_visit (the customer's cancel), sched.mark_no_shows
 *		(the periodic sweep) and sched.record_feedback.
 *
 * Like the status calls they only update the row; the triggers check the
 * move, free the place in the slot, cancel the reminders, record history
 * and queue the messages (guards.c, announce.c).
 */
#include "sched.h"

#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_reschedule_visit);
PG_FUNCTION_INFO_V1(sched_cancel_visit);
PG_FUNCTION_INFO_V1(sched_mark_no_shows);
PG_FUNCTION_INFO_V1(sched_record_feedback);

/* the note status_history records for a customer's cancel */
#define CUSTOMER_NOTE		"by customer"

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

	SchedReadOne(PLAN_LOCK_VISIT, values, false, "visit", visit_id,
				 "sched.user_schedule shows a user's visits.");
	status = sched_status_from_name(SCHED_VISIT, SchedResultText(1));
	if (status < 0)
		elog(ERROR, "visit " INT64_FORMAT " has an unknown status", visit_id);
	*agent_id = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	if (isnull)
		*agent_id = 0;
	if (project != NULL)
		*project = SchedResultText(3);
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
	if (!SchedRunForDatum(SchedPlan(keep ? PLAN_RESCHEDULE_KEEP : PLAN_RESCHEDULE_REASSIGN),
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
		if (!SchedRunForDatum(SchedPlan(PLAN_SET_VISIT_STATUS), values, "  n", false, &row))
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
	uint64		marked;

	SchedRequire(PG_ARGISNULL(0), "as_of");
	SchedRequire(PG_ARGISNULL(1), "grace");
	grace = PG_GETARG_INTERVAL_P(1);
	SchedCheckInterval(grace, "grace", &zero, &seven_days, "0 and 7 days");
	if (TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite time")));

	cutoff = DirectFunctionCall2(timestamptz_mi_interval, PG_GETARG_DATUM(0), PointerGetDatum(grace));
	values[0] = cutoff;
	/* no slot of a later local date can have ended */
	values[1] = DateADTGetDatum(SchedLocalDate(DatumGetTimestampTz(cutoff)));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_plan(SchedPlan(PLAN_MARK_NO_SHOWS), values, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "marking no-shows failed");
	marked = SPI_processed;
	SPI_finish();
	PG_RETURN_INT32((int32) Min(marked, (uint64) PG_INT32_MAX));
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
	if (!SchedRunForDatum(SchedPlan(PLAN_INSERT_FEEDBACK), values, nulls, false, &row))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("visit " INT64_FORMAT " has been rated already", visit_id),
				 errdetail("A visit is rated once."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_FEEDBACK)));
	row = SPI_datumTransfer(row, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(row);
}
