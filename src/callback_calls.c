/*
 * callback_calls.c
 *		Calls that act on callbacks after the request (1.1):
 *		sched.escalate_overdue_callbacks, the periodic sweep that flags
 *		callbacks whose deadline passed without contact.
 *
 * Like the visit calls it only updates rows; the announce trigger tells
 * the senior agents and the listeners (announce.c).  Retries and giving
 * up happen in the BEFORE trigger when a call goes unanswered (guards.c).
 */
#include "sched.h"

#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_escalate_overdue_callbacks);

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
	uint64		escalated;

	SchedRequire(PG_ARGISNULL(0), "as_of");
	if (TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite time")));
	values[0] = PG_GETARG_DATUM(0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_plan(SchedPlan(PLAN_ESCALATE_OVERDUE), values, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "escalating overdue callbacks failed");
	escalated = SPI_processed;
	SPI_finish();
	PG_RETURN_INT32((int32) Min(escalated, (uint64) PG_INT32_MAX));
}
