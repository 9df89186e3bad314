/*
 * callback_guard.c
 *		The BEFORE INSERT OR UPDATE trigger of callbacks, and the rules of
 *		a callback's life it applies: the SLA deadline, the working queue
 *		(1.1), retries after unanswered calls and giving up.
 *
 * On every write the columns are checked as for visits.  A new request
 * starts pending at the transaction's time, due by its urgency's SLA
 * (moved to the next opening of sched.business_hours from 1.1), in the
 * working queue, with the next agent of its pool (urgent: the seniors).
 * An update that moves the status is checked and stamped (triggers.c); a
 * new urgency gives a new deadline; an unanswered call puts the next
 * attempt after a gap that grows with the attempts, until
 * sched.callback_max_attempts (defined here) calls have gone unanswered.
 * What a callback then tells the customer and the seniors is announce.c's;
 * the calls that act on callbacks are in callback_calls.c.
 */
#include "sched.h"
#include "agents.h"
#include "assignment.h"
#include "clock.h"
#include "plans.h"
#include "search_path.h"
#include "triggers.h"

#include "access/xact.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_callback_guard);

static int	callback_max_attempts = 3;

/*
 * SchedCallbacksInit: define sched.callback_max_attempts; called once by
 * _PG_init.
 */
void
SchedCallbacksInit(void)
{
	DefineCustomIntVariable("sched.callback_max_attempts",
							"Unanswered calls after which a callback leaves the working queue.",
							"The customer is then told that the team could not reach them.",
							&callback_max_attempts,
							3, 1, 20,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
}

/*
 * RowUrgency: the callback's urgency as a number (URGENCY_URGENT ...).
 */
static int
RowUrgency(SchedRow *row)
{
	return sched_urgency_from_name(SchedEnumLabel(ROW_VALUE(row, CC_URGENCY)));
}

/*
 * DueAt: created_at plus the urgency's SLA; from 1.1 moved to the next
 * opening when that falls outside business hours (a request made at night
 * is due the next morning).
 */
static Datum
DueAt(SchedRow *row)
{
	TimestampTz created = DatumGetTimestampTz(ROW_VALUE(row, CC_CREATED_AT));
	TimestampTz due = created + (TimestampTz) sched_sla_minutes(RowUrgency(row)) * USECS_PER_MINUTE;

	if (SchedSchemaVersion() >= SCHED_SCHEMA_11)
		due = SchedBusinessTime(due);
	return TimestampTzGetDatum(due);
}

/*
 * PlanNextAttempt: 1.1's working queue after a status move to status:
 * next_attempt_at is when the callback is next due (NULL: out of the
 * queue).  An unanswered call is tried again after a gap that grows with
 * the attempts, inside business hours, until sched.callback_max_attempts
 * calls have gone unanswered; then the callback is given up (gave_up_at)
 * and the customer is told (announce.c).
 */
static void
PlanNextAttempt(SchedRow *row, int status)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	int32		attempts = DatumGetInt32(ROW_VALUE(row, CC_ATTEMPTS));

	if (status != CALLBACK_NO_ANSWER || !ROW_ISNULL(row, CC_GAVE_UP_AT))
	{
		SchedRowSet(row, CC_NEXT_ATTEMPT_AT, (Datum) 0, true);
		return;
	}
	if (attempts >= callback_max_attempts)
	{
		SchedRowSet(row, CC_NEXT_ATTEMPT_AT, (Datum) 0, true);
		SchedStampNow(row, CC_GAVE_UP_AT);
		return;
	}
	SchedRowSet(row, CC_NEXT_ATTEMPT_AT,
				TimestampTzGetDatum(SchedBusinessTime(now + (TimestampTz) sched_callback_retry_minutes(attempts)
													  * USECS_PER_MINUTE)),
				false);
}

/*
 * CheckCallbackColumns: in the order of request_callback's arguments,
 * then set_callback_status's.
 */
static void
CheckCallbackColumns(TriggerData *td, SchedRow *row)
{
	SchedGuardText(td, row, CC_USER_ID, SCHED_MAX_IDENT, true, false);
	SchedGuardText(td, row, CC_CONTACT_NAME, SCHED_MAX_NAME, true, false);
	SchedGuardNoLink(td, row, CC_CONTACT_NAME);
	SchedGuardPhone(td, row, CC_CONTACT_PHONE);
	SchedGuardText(td, row, CC_REASON, SCHED_MAX_SHORT, false, true);
	SchedGuardRequired(td, row, CC_URGENCY);
	SchedGuardEmail(td, row, CC_CONTACT_EMAIL);
	SchedGuardText(td, row, CC_SESSION_ID, SCHED_MAX_IDENT, false, false);
	SchedGuardRange(td, row, CC_LEAD_SCORE, 0, SCHED_MAX_LEAD_SCORE);
	SchedGuardText(td, row, CC_IDEMPOTENCY_KEY, SCHED_MAX_IDENT, false, false);
	SchedGuardText(td, row, CC_AGENT_NOTES, SCHED_MAX_NOTE, false, true);
	SchedGuardRange(td, row, CC_CALL_DURATION_S, 0, SCHED_MAX_CALL_SECONDS);
	SchedGuardText(td, row, CC_OUTCOME, SCHED_MAX_SHORT, false, true);
	SchedGuardRequired(td, row, CC_STATUS);
}

/*
 * CallbackPool: the agents who take this callback: seniors for urgent.
 */
static SchedPool
CallbackPool(SchedRow *row)
{
	return RowUrgency(row) == URGENCY_URGENT ? POOL_SENIOR_CALLBACKS : POOL_CALLBACKS;
}

/*
 * AssignCallback: the next agent of the callback's pool.
 */
static void
AssignCallback(SchedRow *row)
{
	SchedRowSet(row, CC_AGENT_ID,
				Int32GetDatum(SchedAssignCallbackAgent(RowUrgency(row) == URGENCY_URGENT)),
				false);
}

/*
 * GuardNewCallback: a request starts pending at now(), due by its SLA,
 * with no attempts, given to the next agent (urgent: the next senior).
 */
static void
GuardNewCallback(SchedRow *row)
{
	SchedRequirePending(row, SchedEntityColumns(SCHED_CALLBACK));
	SchedStampNow(row, CC_CREATED_AT);
	SchedStampNow(row, CC_UPDATED_AT);
	SchedRowSet(row, CC_DUE_AT, DueAt(row), false);
	SchedRowSet(row, CC_ATTEMPTS, Int32GetDatum(0), false);
	SchedRowSet(row, CC_LAST_ATTEMPT_AT, (Datum) 0, true);
	SchedRowSet(row, CC_CONTACTED_AT, (Datum) 0, true);
	SchedRowSet(row, CC_COMPLETED_AT, (Datum) 0, true);
	if (SchedSchemaVersion() >= SCHED_SCHEMA_11)
	{
		/* in the working queue, due by its deadline */
		SchedRowSet(row, CC_NEXT_ATTEMPT_AT, ROW_VALUE(row, CC_DUE_AT), false);
		SchedRowSet(row, CC_GAVE_UP_AT, (Datum) 0, true);
		SchedRowSet(row, CC_ESCALATED_AT, (Datum) 0, true);
	}
	if (ROW_ISNULL(row, CC_AGENT_ID))
		AssignCallback(row);
	else
		SchedCheckAgentTakes(DatumGetInt32(ROW_VALUE(row, CC_AGENT_ID)), CallbackPool(row));
}

/*
 * GuardCallbackUpdate: a new urgency gives a new deadline; agent_id set
 * to NULL assigns one round robin; a named agent must take the
 * callback's urgency; a callback raised to urgent whose agent is not a
 * senior goes to the next senior.
 */
static void
GuardCallbackUpdate(TriggerData *td, SchedRow *old, SchedRow *new)
{
	bool		urgency_changed = !SchedRowEqual(old, new, CC_URGENCY);
	int			to = SchedRowStatus(new, SCHED_CALLBACK, CC_STATUS);
	bool		move = SchedGuardUpdate(td, old, new, SchedEntityColumns(SCHED_CALLBACK));

	if (urgency_changed)
		SchedRowSet(new, CC_DUE_AT, DueAt(new), false);
	if (SchedSchemaVersion() >= SCHED_SCHEMA_11)
	{
		if (move)
			PlanNextAttempt(new, to);
		else if (urgency_changed && to == CALLBACK_PENDING)
			SchedRowSet(new, CC_NEXT_ATTEMPT_AT, ROW_VALUE(new, CC_DUE_AT), false);
	}
	if (ROW_ISNULL(new, CC_AGENT_ID))
	{
		if (SchedColumnAssigned(td, new, CC_AGENT_ID))
			AssignCallback(new);
	}
	else if (!SchedRowEqual(old, new, CC_AGENT_ID))
		SchedCheckAgentTakes(DatumGetInt32(ROW_VALUE(new, CC_AGENT_ID)), CallbackPool(new));
	else if (urgency_changed && CallbackPool(new) == POOL_SENIOR_CALLBACKS &&
			 !SchedAgentInPool(DatumGetInt32(ROW_VALUE(new, CC_AGENT_ID)), POOL_SENIOR_CALLBACKS))
		AssignCallback(new);
}

/*
 * ImportCallback: an imported callback keeps what it brings; a missing
 * deadline follows from its urgency, and an open callback without a
 * queue time joins the working queue due by its deadline.
 */
static void
ImportCallback(SchedRow *row)
{
	int			status = SchedRowStatus(row, SCHED_CALLBACK, CC_STATUS);

	if (ROW_ISNULL(row, CC_DUE_AT))
		SchedRowSet(row, CC_DUE_AT, DueAt(row), false);
	if (SchedSchemaVersion() >= SCHED_SCHEMA_11 && ROW_ISNULL(row, CC_NEXT_ATTEMPT_AT) &&
		ROW_ISNULL(row, CC_GAVE_UP_AT) &&
		(status == CALLBACK_PENDING || status == CALLBACK_NO_ANSWER))
		SchedRowSet(row, CC_NEXT_ATTEMPT_AT, ROW_VALUE(row, CC_DUE_AT), false);
}

/*
 * sched_callback_guard: BEFORE INSERT OR UPDATE on callbacks.
 */
static Datum
CallbackGuard(PG_FUNCTION_ARGS)
{
	static const SchedGuardRules rules = {
		.name = "callback_guard",
		.entity = SCHED_CALLBACK,
		.check_columns = CheckCallbackColumns,
		.new_row = GuardNewCallback,
		.imported_row = ImportCallback,
		.update = GuardCallbackUpdate,
	};

	return SchedGuard(fcinfo, &rules);
}

Datum
sched_callback_guard(PG_FUNCTION_ARGS)
{
	return SchedPinned(CallbackGuard, fcinfo);
}
