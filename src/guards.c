/*
 * guards.c
 *		The BEFORE INSERT OR UPDATE triggers of agents, scheduled_visits
 *		and callbacks: every write, from a sched function, PostgREST or a
 *		DBA's psql, passes through them.
 *
 * On every write: required columns are present, text is trimmed and
 * within its length, phone numbers are normalised to E.164, emails are
 * checked.  On a new booking: it starts pending, the visit date is in the
 * booking window, the times are the transaction's, the callback's due_at
 * follows from its urgency, and an agent is assigned round robin (with a
 * place in the slot for visits).  On an update: a status move must be one
 * the workflow allows; it stamps its time (and counts a call attempt);
 * moving a live visit to another agent, date or slot takes a place there.
 *
 * A row inserted with a created_at before the transaction began is an
 * import (pg_restore, a migration): its columns are checked, but it keeps
 * its status, times and agent, and is not announced.
 */
#include "sched.h"

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "access/xact.h"
#include "nodes/bitmapset.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

bool		sched_naming_arguments = false;

PG_FUNCTION_INFO_V1(sched_agent_guard);
PG_FUNCTION_INFO_V1(sched_agent_keys);
PG_FUNCTION_INFO_V1(sched_visit_guard);
PG_FUNCTION_INFO_V1(sched_callback_guard);

/*
 * SchedCheckTriggerCall: refuse to run unless fired as a row trigger on
 * INSERT or UPDATE, BEFORE or AFTER as the function expects.
 */
TriggerData *
SchedCheckTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before)
{
	TriggerData *trigdata;
	TriggerEvent event;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by trigger manager", name)));
	trigdata = (TriggerData *) fcinfo->context;
	event = trigdata->tg_event;
	if (!TRIGGER_FIRED_FOR_ROW(event) ||
		(before ? !TRIGGER_FIRED_BEFORE(event) : !TRIGGER_FIRED_AFTER(event)) ||
		!(TRIGGER_FIRED_BY_INSERT(event) || TRIGGER_FIRED_BY_UPDATE(event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired %s INSERT OR UPDATE FOR EACH ROW",
						name, before ? "BEFORE" : "AFTER")));
	return trigdata;
}

/*
 * SchedColumnAssigned: the statement gives the column a value: every
 * column of an INSERT, the SET list of an UPDATE.
 */
bool
SchedColumnAssigned(TriggerData *trigdata, SchedRow *row, int c)
{
	int			attno = row->col[c] + 1;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		return true;
	return bms_is_member(attno - FirstLowInvalidHeapAttributeNumber,
						 trigdata->tg_updatedcols);
}

/*
 * SchedIsImport: created_at was given, and is before this transaction.
 */
bool
SchedIsImport(SchedRow *row, int created_col)
{
	return !ROW_ISNULL(row, created_col) &&
		DatumGetTimestampTz(ROW_VALUE(row, created_col)) < GetCurrentTransactionStartTimestamp();
}

/*
 * SchedIsStatusMove: the update moves the status: it changes it, or sets
 * it again where the workflow has a loop (a callback's no_answer, another
 * try).  Setting any other status to itself is not a move.
 */
bool
SchedIsStatusMove(TriggerData *trigdata, SchedRow *row,
				  const EntityColumns *cols, int old_status, int new_status)
{
	if (old_status != new_status)
		return true;
	return SchedColumnAssigned(trigdata, row, cols->status) &&
		sched_transition_allowed(cols->entity, old_status, old_status);
}

/*
 * SchedCheckMove: an illegal move fails with PT409, naming both statuses
 * and the moves that are allowed.
 */
void
SchedCheckMove(SchedEntity e, int64 id, int from, int to)
{
	StringInfoData allowed;
	int			s;
	int			n = 0;

	if (sched_transition_allowed(e, from, to))
		return;
	initStringInfo(&allowed);
	for (s = 0; s < sched_status_count(e); s++)
	{
		if (!sched_transition_allowed(e, from, s))
			continue;
		appendStringInfo(&allowed, "%s%s", n > 0 ? ", " : "", sched_status_name(e, s));
		n++;
	}
	ereport(ERROR,
			(errcode(ERRCODE_SCHED_CONFLICT),
			 errmsg("illegal %s status change from %s to %s",
					sched_entity_name(e), sched_status_name(e, from),
					sched_status_name(e, to)),
			 n == 0
			 ? errdetail("The %s %lld is %s, a final status.", sched_entity_name(e),
						 (long long) id, sched_status_name(e, from))
			 : errdetail("A %s %s can move to: %s.", sched_status_name(e, from),
						 sched_entity_name(e), allowed.data),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_TRANSITION)));
}

/*
 * CheckText, CheckPhone, CheckEmail, CheckRequired, CheckRange: check one
 * column if the statement assigns it, writing back the normalised value.
 * Errors name the column, which is also the argument of the sched calls
 * (CheckTextAs names it otherwise).
 */
static void
CheckTextAs(TriggerData *td, SchedRow *row, int c, const char *name, int max_chars,
			bool required, bool multiline)
{
	if (!SchedColumnAssigned(td, row, c))
		return;
	SchedRowSetText(row, c, SchedCheckText(SchedRowText(row, c), name,
										   max_chars, required, multiline));
}

static void
CheckText(TriggerData *td, SchedRow *row, int c, int max_chars,
		  bool required, bool multiline)
{
	CheckTextAs(td, row, c, row->names[c], max_chars, required, multiline);
}

static void
CheckPhone(TriggerData *td, SchedRow *row, int c)
{
	if (!SchedColumnAssigned(td, row, c))
		return;
	SchedRowSetText(row, c, SchedCheckPhone(SchedRowText(row, c), row->names[c]));
}

static void
CheckEmail(TriggerData *td, SchedRow *row, int c)
{
	if (!SchedColumnAssigned(td, row, c))
		return;
	SchedRowSetText(row, c, SchedCheckEmail(SchedRowText(row, c), row->names[c]));
}

static void
CheckRequired(TriggerData *td, SchedRow *row, int c)
{
	if (SchedColumnAssigned(td, row, c))
		SchedRequire(ROW_ISNULL(row, c), row->names[c]);
}

static void
CheckRange(TriggerData *td, SchedRow *row, int c, int32 min, int32 max)
{
	if (SchedColumnAssigned(td, row, c) && !ROW_ISNULL(row, c))
		SchedCheckIntRange(DatumGetInt32(ROW_VALUE(row, c)), row->names[c], min, max);
}

/*
 * RequirePending: a new booking starts at the start of its workflow.
 */
static void
RequirePending(SchedRow *row, const EntityColumns *cols)
{
	int			status = SchedRowStatus(row, cols->entity, cols->status);

	if (status != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a new %s must be pending", sched_entity_name(cols->entity)),
				 errdetail("It was inserted as %s; later statuses are reached by updating it.",
						   sched_status_name(cols->entity, status))));
}

/*
 * StampNow: set a timestamp column to the transaction's time, now().
 */
static void
StampNow(SchedRow *row, int c)
{
	SchedRowSet(row, c, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);
}

/*
 * ApplyMove: a checked status move stamps the status's time column and,
 * for callbacks, counts an attempt.
 */
static void
ApplyMove(SchedRow *row, const EntityColumns *cols, int64 id, int from, int to)
{
	const char *stamp;

	SchedCheckMove(cols->entity, id, from, to);
	stamp = sched_status_stamp_column(cols->entity, to);
	if (stamp != NULL)
		StampNow(row, SchedRowFind(row, stamp));
	if (sched_status_counts_attempt(cols->entity, to))
	{
		int32		attempts = ROW_ISNULL(row, CC_ATTEMPTS) ? 0
			: DatumGetInt32(ROW_VALUE(row, CC_ATTEMPTS));

		SchedRowSet(row, CC_ATTEMPTS, Int32GetDatum(attempts + 1), false);
		StampNow(row, CC_LAST_ATTEMPT_AT);
	}
}

/*
 * GuardUpdate: what an UPDATE of either booking table must respect: the
 * id stays, a status move is legal and recorded, updated_at is now.
 * Returns whether the update is a status move.
 */
static bool
GuardUpdate(TriggerData *td, SchedRow *old, SchedRow *new,
			const EntityColumns *cols)
{
	int64		id = DatumGetInt64(ROW_VALUE(old, cols->id));
	int			from = SchedRowStatus(old, cols->entity, cols->status);
	int			to = SchedRowStatus(new, cols->entity, cols->status);
	bool		move = SchedIsStatusMove(td, new, cols, from, to);

	if (!SchedRowEqual(old, new, cols->id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s cannot be changed", new->names[cols->id])));
	if (move)
		ApplyMove(new, cols, id, from, to);
	StampNow(new, cols->updated_at);
	return move;
}

/*
 * FormResult: the row to store, built in the trigger's memory context.
 */
static HeapTuple
FormResult(SchedRow *row, MemoryContext outer)
{
	MemoryContext old = MemoryContextSwitchTo(outer);
	HeapTuple	result = heap_form_tuple(row->tupdesc, row->values, row->nulls);

	MemoryContextSwitchTo(old);
	return result;
}

/*
 * HoldAgent: the agent the row names, if it names one anew (a new row, or
 * agent_id changed), exists and stays until this transaction ends.  Called
 * once the guards are done, for an agent named by the row and one chosen
 * round robin alike; the guards leave an agent that does not exist to it.
 * Not for imports, which keep their agent_id as given, like their status
 * and times: a restore or migration may load the visits before the agents
 * (1.1's foreign keys also made pg_dump dump the agents first).
 */
static void
HoldAgent(SchedRow *new, SchedRow *old, int c, const char *table)
{
	if (!ROW_ISNULL(new, c) && (old == NULL || !SchedRowEqual(old, new, c)))
		SchedHoldAgent(DatumGetInt32(ROW_VALUE(new, c)), table);
}

/*
 * sched_agent_guard: agents have a name, a phone number in E.164 and, if
 * any, a well-formed email.
 */
Datum
sched_agent_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = SchedCheckTriggerCall(fcinfo, "agent_guard", true);
	bool		insert = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	SchedRow	row;

	SchedRowInit(&row, td->tg_relation, TABLE_AGENTS,
				 insert ? td->tg_trigtuple : td->tg_newtuple);
	CheckText(td, &row, AC_NAME, SCHED_MAX_NAME, true, false);
	CheckPhone(td, &row, AC_PHONE);
	CheckEmail(td, &row, AC_EMAIL);
	return PointerGetDatum(heap_form_tuple(row.tupdesc, row.values, row.nulls));
}

/*
 * sched_agent_keys: BEFORE DELETE OR UPDATE OF agent_id on sched.agents
 * (per row), and BEFORE and AFTER TRUNCATE (per statement): the agent
 * keys of visits and callbacks (assignment.c, SchedHoldAgent).  An agent
 * named by a visit or callback cannot be deleted or renumbered (23503, as
 * a foreign key's RESTRICT would say); sched.agents cannot be truncated
 * while a visit or callback names an agent, unless they are truncated in
 * the same statement (0A000).  Both wait for the bookings under way.
 */
Datum
sched_agent_keys(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TriggerEvent event;
	HeapTuple	result;
	int32		agent_id;
	const char *table;
	SchedRow	old;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"agent_keys\" was not called by trigger manager")));
	event = td->tg_event;
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
	{
		if (TRIGGER_FIRED_BEFORE(event))
		{
			SchedLockAgentKeys(0, true);
			return PointerGetDatum(NULL);
		}
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		table = SchedAgentReferencedFrom(0, true);
		if (table != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot truncate sched.agents while sched.%s names agents", table),
					 errhint("Truncate sched.scheduled_visits and sched.callbacks in the same statement, or retire agents with UPDATE sched.agents SET active = false.")));
		SPI_finish();
		return PointerGetDatum(NULL);
	}
	if (!TRIGGER_FIRED_FOR_ROW(event) || !TRIGGER_FIRED_BEFORE(event) ||
		!(TRIGGER_FIRED_BY_DELETE(event) || TRIGGER_FIRED_BY_UPDATE(event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"agent_keys\" must be fired BEFORE DELETE OR UPDATE FOR EACH ROW or BEFORE and AFTER TRUNCATE")));

	result = TRIGGER_FIRED_BY_DELETE(event) ? td->tg_trigtuple : td->tg_newtuple;
	SchedRowInit(&old, td->tg_relation, TABLE_AGENTS, td->tg_trigtuple);
	if (TRIGGER_FIRED_BY_UPDATE(event))
	{
		SchedRow	new;

		SchedRowInit(&new, td->tg_relation, TABLE_AGENTS, td->tg_newtuple);
		if (SchedRowEqual(&old, &new, AC_AGENT_ID))
			return PointerGetDatum(result);
	}
	agent_id = DatumGetInt32(ROW_VALUE(&old, AC_AGENT_ID));
	SchedLockAgentKeys(agent_id, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	table = SchedAgentReferencedFrom(agent_id, false);
	if (table != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("update or delete on table \"agents\" would leave rows of \"%s\" without their agent", table),
				 errdetail("Key (agent_id)=(%d) is still referenced from table \"%s\".", agent_id, table),
				 errhint("Retire the agent with UPDATE sched.agents SET active = false.")));
	SPI_finish();
	return PointerGetDatum(result);
}

/*
 * CheckVisitColumns: in the order of book_site_visit's arguments, so that
 * the first bad argument is the one reported.
 */
static void
CheckVisitColumns(TriggerData *td, SchedRow *row)
{
	CheckText(td, row, VC_USER_ID, SCHED_MAX_IDENT, true, false);
	CheckText(td, row, VC_PROJECT, SCHED_MAX_PROJECT, true, false);
	CheckRequired(td, row, VC_VISIT_DATE);
	CheckRequired(td, row, VC_TIME_SLOT);
	CheckText(td, row, VC_CONTACT_NAME, SCHED_MAX_NAME, true, false);
	CheckPhone(td, row, VC_CONTACT_PHONE);
	CheckEmail(td, row, VC_CONTACT_EMAIL);
	/* book_site_visit's argument notes is the column user_notes */
	CheckTextAs(td, row, VC_USER_NOTES, sched_naming_arguments ? "notes" : "user_notes",
				SCHED_MAX_NOTE, false, true);
	CheckText(td, row, VC_SESSION_ID, SCHED_MAX_IDENT, false, false);
	CheckRange(td, row, VC_LEAD_SCORE, 0, SCHED_MAX_LEAD_SCORE);
	CheckText(td, row, VC_IDEMPOTENCY_KEY, SCHED_MAX_IDENT, false, false);
	CheckText(td, row, VC_RM_NOTES, SCHED_MAX_NOTE, false, true);
	CheckRequired(td, row, VC_STATUS);
}

/*
 * PlaceVisit: a visit that is new (old NULL) or moves takes a place: with
 * the agent whose turn it is when agent_id is NULL, else with the agent
 * it names, who must take such visits.
 */
static void
PlaceVisit(SchedRow *row, SchedRow *old)
{
	DateADT		visit_date = DatumGetDateADT(ROW_VALUE(row, VC_VISIT_DATE));
	Datum		time_slot = ROW_VALUE(row, VC_TIME_SLOT);
	int64		visit_id = DatumGetInt64(ROW_VALUE(row, VC_VISIT_ID));
	char	   *project = SchedRowText(row, VC_PROJECT);

	if (ROW_ISNULL(row, VC_AGENT_ID))
	{
		SchedRowSet(row, VC_AGENT_ID,
					Int32GetDatum(SchedAssignVisitAgent(project, visit_date, time_slot, visit_id)),
					false);
		return;
	}
	if (old == NULL || !SchedRowEqual(old, row, VC_AGENT_ID))
		SchedCheckAgentTakes(DatumGetInt32(ROW_VALUE(row, VC_AGENT_ID)), POOL_VISITS);
	SchedClaimVisitPlace(DatumGetInt32(ROW_VALUE(row, VC_AGENT_ID)), project,
						 visit_date, time_slot, visit_id);
}

/*
 * GuardNewVisit: a booking starts pending, inside the booking window and
 * (1.1) in a slot that is not over, at now(), with an agent who has room.
 */
static void
GuardNewVisit(SchedRow *row)
{
	DateADT		visit_date = DatumGetDateADT(ROW_VALUE(row, VC_VISIT_DATE));
	Datum		time_slot = ROW_VALUE(row, VC_TIME_SLOT);

	RequirePending(row, SchedEntityColumns(SCHED_VISIT));
	SchedCheckVisitDate(visit_date, "visit_date");
	if (SchedHasV11())
		SchedCheckSlotOpen(visit_date, time_slot);
	StampNow(row, VC_CREATED_AT);
	StampNow(row, VC_UPDATED_AT);
	SchedRowSet(row, VC_CONFIRMED_AT, (Datum) 0, true);
	SchedRowSet(row, VC_COMPLETED_AT, (Datum) 0, true);
	SchedRowSet(row, VC_CANCELLED_AT, (Datum) 0, true);
	PlaceVisit(row, NULL);
}

/*
 * GuardVisitUpdate: a live visit that moves to another agent, date, slot
 * or project takes a place there (agent_id set to NULL: round robin
 * again), with an agent who takes the project's visits.
 */
static void
GuardVisitUpdate(TriggerData *td, SchedRow *old, SchedRow *new)
{
	DateADT		visit_date;
	Datum		time_slot;

	(void) GuardUpdate(td, old, new, SchedEntityColumns(SCHED_VISIT));
	if (!sched_visit_holds_slot(SchedRowStatus(new, SCHED_VISIT, VC_STATUS)))
		return;
	if (SchedRowEqual(old, new, VC_AGENT_ID) &&
		SchedRowEqual(old, new, VC_VISIT_DATE) &&
		SchedRowEqual(old, new, VC_TIME_SLOT) &&
		SchedRowEqual(old, new, VC_PROJECT))
		return;

	visit_date = DatumGetDateADT(ROW_VALUE(new, VC_VISIT_DATE));
	time_slot = ROW_VALUE(new, VC_TIME_SLOT);
	if (!SchedRowEqual(old, new, VC_VISIT_DATE))
		SchedCheckVisitDate(visit_date, "visit_date");
	if ((!SchedRowEqual(old, new, VC_VISIT_DATE) || !SchedRowEqual(old, new, VC_TIME_SLOT)) &&
		SchedHasV11())
		SchedCheckSlotOpen(visit_date, time_slot);
	PlaceVisit(new, old);
}

/*
 * sched_visit_guard: BEFORE INSERT OR UPDATE on scheduled_visits.
 */
Datum
sched_visit_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = SchedCheckTriggerCall(fcinfo, "visit_guard", true);
	bool		insert = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	bool		import;
	MemoryContext outer = CurrentMemoryContext;
	SchedRow	new;
	SchedRow	old;
	HeapTuple	result;

	SchedRowInit(&new, td->tg_relation, TABLE_VISITS,
				 insert ? td->tg_trigtuple : td->tg_newtuple);
	CheckVisitColumns(td, &new);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	import = insert && SchedIsImport(&new, VC_CREATED_AT);
	if (!insert)
	{
		SchedRowInit(&old, td->tg_relation, TABLE_VISITS, td->tg_trigtuple);
		GuardVisitUpdate(td, &old, &new);
	}
	else if (!import)
		GuardNewVisit(&new);
	if (!import)
		HoldAgent(&new, insert ? NULL : &old, VC_AGENT_ID, "scheduled_visits");
	result = FormResult(&new, outer);
	SPI_finish();
	return PointerGetDatum(result);
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

	if (ROW_HAS(row, CC_NEXT_ATTEMPT_AT))
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
	if (attempts >= sched_callback_max_attempts)
	{
		SchedRowSet(row, CC_NEXT_ATTEMPT_AT, (Datum) 0, true);
		StampNow(row, CC_GAVE_UP_AT);
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
	CheckText(td, row, CC_USER_ID, SCHED_MAX_IDENT, true, false);
	CheckText(td, row, CC_CONTACT_NAME, SCHED_MAX_NAME, true, false);
	CheckPhone(td, row, CC_CONTACT_PHONE);
	CheckText(td, row, CC_REASON, SCHED_MAX_SHORT, false, true);
	CheckRequired(td, row, CC_URGENCY);
	CheckEmail(td, row, CC_CONTACT_EMAIL);
	CheckText(td, row, CC_SESSION_ID, SCHED_MAX_IDENT, false, false);
	CheckRange(td, row, CC_LEAD_SCORE, 0, SCHED_MAX_LEAD_SCORE);
	CheckText(td, row, CC_IDEMPOTENCY_KEY, SCHED_MAX_IDENT, false, false);
	CheckText(td, row, CC_AGENT_NOTES, SCHED_MAX_NOTE, false, true);
	CheckRange(td, row, CC_CALL_DURATION_S, 0, SCHED_MAX_CALL_SECONDS);
	CheckText(td, row, CC_OUTCOME, SCHED_MAX_SHORT, false, true);
	CheckRequired(td, row, CC_STATUS);
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
	RequirePending(row, SchedEntityColumns(SCHED_CALLBACK));
	StampNow(row, CC_CREATED_AT);
	StampNow(row, CC_UPDATED_AT);
	SchedRowSet(row, CC_DUE_AT, DueAt(row), false);
	SchedRowSet(row, CC_ATTEMPTS, Int32GetDatum(0), false);
	SchedRowSet(row, CC_LAST_ATTEMPT_AT, (Datum) 0, true);
	SchedRowSet(row, CC_CONTACTED_AT, (Datum) 0, true);
	SchedRowSet(row, CC_COMPLETED_AT, (Datum) 0, true);
	if (ROW_HAS(row, CC_NEXT_ATTEMPT_AT))
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
	bool		move = GuardUpdate(td, old, new, SchedEntityColumns(SCHED_CALLBACK));

	if (urgency_changed)
		SchedRowSet(new, CC_DUE_AT, DueAt(new), false);
	if (ROW_HAS(new, CC_NEXT_ATTEMPT_AT))
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
 * sched_callback_guard: BEFORE INSERT OR UPDATE on callbacks.
 */
Datum
sched_callback_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = SchedCheckTriggerCall(fcinfo, "callback_guard", true);
	bool		insert = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	bool		import;
	MemoryContext outer = CurrentMemoryContext;
	SchedRow	new;
	SchedRow	old;
	HeapTuple	result;

	SchedRowInit(&new, td->tg_relation, TABLE_CALLBACKS,
				 insert ? td->tg_trigtuple : td->tg_newtuple);
	CheckCallbackColumns(td, &new);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	import = insert && SchedIsImport(&new, CC_CREATED_AT);
	if (!insert)
	{
		SchedRowInit(&old, td->tg_relation, TABLE_CALLBACKS, td->tg_trigtuple);
		GuardCallbackUpdate(td, &old, &new);
	}
	else if (import)
	{
		if (ROW_ISNULL(&new, CC_DUE_AT))
			SchedRowSet(&new, CC_DUE_AT, DueAt(&new), false);
		/* an open callback imported without a queue time is due by its deadline */
		if (ROW_HAS(&new, CC_NEXT_ATTEMPT_AT) && ROW_ISNULL(&new, CC_NEXT_ATTEMPT_AT) &&
			ROW_ISNULL(&new, CC_GAVE_UP_AT) &&
			(SchedRowStatus(&new, SCHED_CALLBACK, CC_STATUS) == CALLBACK_PENDING ||
			 SchedRowStatus(&new, SCHED_CALLBACK, CC_STATUS) == CALLBACK_NO_ANSWER))
			SchedRowSet(&new, CC_NEXT_ATTEMPT_AT, ROW_VALUE(&new, CC_DUE_AT), false);
	}
	else
		GuardNewCallback(&new);
	if (!import)
		HoldAgent(&new, insert ? NULL : &old, CC_AGENT_ID, "callbacks");
	result = FormResult(&new, outer);
	SPI_finish();
	return PointerGetDatum(result);
}
