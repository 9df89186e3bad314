/*
 * protect_triggers.c
 *		The trigger sched.protect_rows (1.3): what nobody, not even a
 *		DBA's plain statement, may do to sched's records.
 *
 * - A visit or callback is never deleted (0A000): it is cancelled, or its
 *   person erased (erase_user), so its reminders are cancelled and its
 *   history written like every other change.
 * - status_history is append-only: no UPDATE or DELETE (0A000); erasure
 *   alone may blank a note.
 * - An outbox job moves only as the worker's calls move it
 *   (workflow.c, sched_job_move_allowed): a job that was sent is never
 *   made pending again, so it is never sent twice (PT409); a dead job goes
 *   back to pending only through sched.retry_job.  A job not sent yet
 *   (pending or claimed) is not deleted (0A000): cancel it.
 * - TRUNCATE of the visits, callbacks, history or outbox is refused
 *   (0A000) unless a superuser turns on sched.allow_truncate for the
 *   session (resetting a test database).
 *
 * The trigger is ordinary (ENABLE ORIGIN), so a superuser's
 * session_replication_role = replica (logical replication, pg_restore
 * --disable-triggers) passes it, as it passes every trigger.
 */
#include "sched.h"
#include "plans.h"
#include "protect.h"
#include "rows.h"
#include "search_path.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "utils/guc.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(sched_protect_rows);

bool		sched_retrying_job = false;
bool		sched_erasing = false;

static bool allow_truncate = false;

void
SchedProtectInit(void)
{
	DefineCustomBoolVariable("sched.allow_truncate",
							 "Lets this session TRUNCATE sched's visits, callbacks, history and outbox.",
							 "Off: TRUNCATE of them is refused, as DELETE of visits and callbacks always is.  For resetting a test database.",
							 &allow_truncate,
							 false,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);
}

/*
 * JobState: the state of an outbox row, as sched_job_state_from_name
 * numbers it.
 */
static int
JobState(Relation rel, HeapTuple tuple)
{
	bool		isnull;
	int			attno = SPI_fnumber(RelationGetDescr(rel), "state");
	Datum		value;

	if (attno <= 0)
		elog(ERROR, "sched.outbox has no column state");
	value = heap_getattr(tuple, attno, RelationGetDescr(rel), &isnull);
	return isnull ? -1 : sched_job_state_from_name(SchedEnumLabel(value));
}

static void
Refuse(const char *what, const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s", what),
			 detail ? errdetail("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
}

/*
 * OutboxRow: an UPDATE may move a job only as the workflow allows; a
 * DELETE may remove only jobs that are over (done, dead, cancelled).
 */
static void
OutboxRow(TriggerData *td)
{
	Relation	rel = td->tg_relation;
	int			from = JobState(rel, td->tg_trigtuple);

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		if (from == JOB_PENDING || from == JOB_CLAIMED)
			Refuse(psprintf("cannot delete an outbox job that is %s", sched_job_state_name(from)),
				   "It has not been sent yet; deleting it would lose the notification of a committed change.",
				   "Cancel it: UPDATE sched.outbox SET state = 'cancelled' WHERE job_id = ...");
		return;
	}
	{
		int			to = JobState(rel, td->tg_newtuple);

		if (!sched_job_move_allowed(from, to, sched_retrying_job))
			ereport(ERROR,
					(errcode(ERRCODE_SCHED_CONFLICT),
					 errmsg("an outbox job cannot move from %s to %s",
							sched_job_state_name(from) ? sched_job_state_name(from) : "?",
							sched_job_state_name(to) ? sched_job_state_name(to) : "?"),
					 errdetail("Jobs move pending -> claimed -> done, pending (a failed try) or dead, and pending or claimed -> cancelled; a sent job is never sent again."),
					 errhint("sched.retry_job moves a dead job back to pending."),
					 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_TRANSITION)));
	}
}

/*
 * sched_protect_rows: BEFORE DELETE (and, on status_history and
 * sched.outbox, UPDATE) FOR EACH ROW, and BEFORE TRUNCATE FOR EACH
 * STATEMENT, on the visits, callbacks, history and outbox.
 */
static Datum
ProtectRows(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TriggerEvent event;
	Oid			relid;
	const char *table;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"protect_rows\" was not called by trigger manager")));
	event = td->tg_event;
	relid = RelationGetRelid(td->tg_relation);
	table = RelationGetRelationName(td->tg_relation);
	if (!TRIGGER_FIRED_BEFORE(event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"protect_rows\" must be fired BEFORE")));

	if (TRIGGER_FIRED_BY_TRUNCATE(event))
	{
		if (!allow_truncate)
			Refuse(psprintf("cannot truncate sched.%s", table),
				   "Visits, callbacks, their history and their outbox are kept: a booking is cancelled, a person erased.",
				   "A superuser resetting a test database may SET sched.allow_truncate = on first.");
		return PointerGetDatum(NULL);
	}
	if (!TRIGGER_FIRED_FOR_ROW(event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"protect_rows\" must be fired FOR EACH ROW on DELETE or UPDATE")));

	if (relid == SchedRelOid(REL_OUTBOX))
	{
		OutboxRow(td);
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(event) ? td->tg_newtuple : td->tg_trigtuple);
	}
	if (relid == SchedRelOid(REL_HISTORY))
	{
		if (TRIGGER_FIRED_BY_UPDATE(event) && sched_erasing)
			return PointerGetDatum(td->tg_newtuple);
		Refuse(psprintf("cannot %s sched.status_history rows", TRIGGER_FIRED_BY_UPDATE(event) ? "update" : "delete"),
			   "The status history is append-only.",
			   "sched.erase_user blanks a person's notes in it.");
	}
	if (TRIGGER_FIRED_BY_DELETE(event))
		Refuse(psprintf("cannot delete from sched.%s", table),
			   "A booking is kept with its history and messages.",
			   relid == SchedRelOid(REL_VISITS)
			   ? "Cancel it (sched.cancel_visit), or erase the person (sched.erase_user)."
			   : "Complete it (sched.set_callback_status), or erase the person (sched.erase_user).");
	elog(ERROR, "function \"protect_rows\" fired for an unexpected event on %s", table);
	return PointerGetDatum(NULL);
}

Datum
sched_protect_rows(PG_FUNCTION_ARGS)
{
	return SchedPinned(ProtectRows, fcinfo);
}
