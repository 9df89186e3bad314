/*
 * triggers.c
 *		What the BEFORE triggers of scheduled_visits and callbacks
 *		(visit_guard.c, callback_guard.c) and the AFTER trigger that
 *		announces their changes (announce.c) share: how they were called,
 *		which columns a statement assigns, imports, status moves, and the
 *		checks of one column.
 *
 * A row inserted with a created_at before the transaction began is an
 * import (pg_restore, a migration): its columns are checked, but it keeps
 * its status, times and agent, and is not announced.
 */
#include "sched.h"
#include "triggers.h"
#include "agents.h"
#include "checks.h"
#include "plans.h"
#include "protect.h"

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "access/table.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "executor/spi.h"
#include "nodes/bitmapset.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

bool		sched_naming_arguments = false;
const char *sched_change_note = NULL;
const char *sched_change_actor = NULL;

/*
 * SchedRequireTriggers: the calls that write visits or callbacks leave the
 * checks, the round robin, the history and the messages to the table's
 * guard and announce triggers.  If a DBA disabled one, or the session runs
 * with session_replication_role = replica (when ordinary triggers do not
 * fire), a call would write behind the rules: it refuses instead (55000),
 * naming the trigger.
 */
void
SchedRequireTriggers(SchedEntity e)
{
	static const char *const names[2][2] = {
		[SCHED_VISIT] = {"scheduled_visits_guard", "scheduled_visits_announce"},
		[SCHED_CALLBACK] = {"callbacks_guard", "callbacks_announce"},
	};
	Relation	rel = table_open(SchedRelOid(e == SCHED_VISIT ? REL_VISITS : REL_CALLBACKS),
								 AccessShareLock);
	TriggerDesc *desc = rel->trigdesc;
	int			i;
	int			t;

	for (i = 0; i < 2; i++)
	{
		char		state = 0;
		bool		fires;

		for (t = 0; desc != NULL && t < desc->numtriggers; t++)
			if (strcmp(desc->triggers[t].tgname, names[e][i]) == 0)
				state = desc->triggers[t].tgenabled;
		fires = state == TRIGGER_FIRES_ALWAYS ||
			(state == TRIGGER_FIRES_ON_ORIGIN && SessionReplicationRole != SESSION_REPLICATION_ROLE_REPLICA) ||
			(state == TRIGGER_FIRES_ON_REPLICA && SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA);
		if (!fires)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("sched's trigger %s on sched.%s would not fire", names[e][i],
							RelationGetRelationName(rel)),
					 state == 0 ? errdetail("It does not exist.")
					 : state == TRIGGER_DISABLED ? errdetail("It is disabled.")
					 : errdetail("This session's session_replication_role is %s.",
								 SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA ? "replica" : "origin"),
					 errhint("sched's calls check and announce every change through it: ALTER TABLE sched.%s ENABLE TRIGGER %s, or RESET session_replication_role.",
							 RelationGetRelationName(rel), names[e][i])));
	}
	table_close(rel, AccessShareLock);
}

/*
 * SchedCallFor: run a call's C function with status_history naming the
 * customer or agent it acts for.
 */
Datum
SchedCallFor(const char *actor, PGFunction fn, FunctionCallInfo fcinfo)
{
	Datum		result;

	sched_change_actor = actor;
	PG_TRY();
	{
		result = fn(fcinfo);
	}
	PG_FINALLY();
	{
		sched_change_actor = NULL;
	}
	PG_END_TRY();
	return result;
}

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
 * SchedGuardText, SchedGuardPhone, SchedGuardEmail, SchedGuardRequired,
 * SchedGuardRange: check one column if the statement assigns it, writing
 * back the normalised value.  Errors name the column, which is also the
 * argument of the sched calls (SchedGuardTextAs names it otherwise).
 */
void
SchedGuardTextAs(TriggerData *td, SchedRow *row, int c, const char *name, int max_chars,
				 bool required, bool multiline)
{
	if (!SchedColumnAssigned(td, row, c))
		return;
	SchedRowSetText(row, c, SchedCheckText(SchedRowText(row, c), name,
										   max_chars, required, multiline));
}

void
SchedGuardText(TriggerData *td, SchedRow *row, int c, int max_chars,
			   bool required, bool multiline)
{
	SchedGuardTextAs(td, row, c, row->names[c], max_chars, required, multiline);
}

/*
 * SchedGuardNoLink: from 1.3, text that goes into the customer's
 * messages must not look like a link (SchedCheckNoLink).
 */
void
SchedGuardNoLink(TriggerData *td, SchedRow *row, int c)
{
	if (SchedColumnAssigned(td, row, c) && SchedSchemaVersion() >= SCHED_SCHEMA_13)
		SchedCheckNoLink(SchedRowText(row, c), row->names[c]);
}

void
SchedGuardPhone(TriggerData *td, SchedRow *row, int c)
{
	if (!SchedColumnAssigned(td, row, c))
		return;
	SchedRowSetText(row, c, SchedCheckPhone(SchedRowText(row, c), row->names[c]));
}

void
SchedGuardEmail(TriggerData *td, SchedRow *row, int c)
{
	if (!SchedColumnAssigned(td, row, c))
		return;
	SchedRowSetText(row, c, SchedCheckEmail(SchedRowText(row, c), row->names[c]));
}

void
SchedGuardRequired(TriggerData *td, SchedRow *row, int c)
{
	if (SchedColumnAssigned(td, row, c))
		SchedRequire(ROW_ISNULL(row, c), row->names[c]);
}

void
SchedGuardRange(TriggerData *td, SchedRow *row, int c, int32 min, int32 max)
{
	if (SchedColumnAssigned(td, row, c) && !ROW_ISNULL(row, c))
		SchedCheckIntRange(DatumGetInt32(ROW_VALUE(row, c)), row->names[c], min, max);
}

/*
 * SchedRequirePending: a new booking starts at the start of its workflow.
 */
void
SchedRequirePending(SchedRow *row, const EntityColumns *cols)
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
 * SchedStampNow: set a timestamp column to the transaction's time, now().
 */
void
SchedStampNow(SchedRow *row, int c)
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
		SchedStampNow(row, SchedRowFind(row, stamp));
	if (sched_status_counts_attempt(cols->entity, to))
	{
		int32		attempts = ROW_ISNULL(row, CC_ATTEMPTS) ? 0
			: DatumGetInt32(ROW_VALUE(row, CC_ATTEMPTS));

		SchedRowSet(row, CC_ATTEMPTS, Int32GetDatum(attempts + 1), false);
		SchedStampNow(row, CC_LAST_ATTEMPT_AT);
	}
}

/*
 * SchedGuardUpdate: what an UPDATE of either booking table must respect:
 * the id stays, a status move is legal and recorded, updated_at is now.
 * Returns whether the update is a status move.
 */
bool
SchedGuardUpdate(TriggerData *td, SchedRow *old, SchedRow *new,
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
	/* 1.3: the ref is no longer generated, and stays what the customer was sent */
	if (SchedSchemaVersion() >= SCHED_SCHEMA_13 && !SchedRowEqual(old, new, cols->ref))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s cannot be changed", new->names[cols->ref])));
	if (move)
		ApplyMove(new, cols, id, from, to);
	SchedStampNow(new, cols->updated_at);
	return move;
}

/*
 * SetRef (1.3): a new booking's ref, from its id and, after a failover, the
 * timeline it is made on (sched_format_ref), so that an id given out again
 * after an asynchronous failover never repeats a ref a customer was sent.
 * An import keeps the ref it brings (a restore), or gets the plain one.
 */
static void
SetRef(SchedRow *row, const EntityColumns *cols, bool import)
{
	char		ref[SCHED_REF_SIZE];

	if (import && !ROW_ISNULL(row, cols->ref))
		return;
	(void) sched_format_ref(ref, sizeof(ref), cols->entity, DatumGetInt64(ROW_VALUE(row, cols->id)),
							import ? 1 : (uint32) GetWALInsertionTimeLine());
	SchedRowSetText(row, cols->ref, ref);
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
 * HoldRowAgent: the agent the row names, if it names one anew (a new
 * row, or agent_id changed), exists and stays until this transaction
 * ends.  Called once the guards are done, for an agent named by the row and one chosen
 * round robin alike; the guards leave an agent that does not exist to it.
 * Not for imports, which keep their agent_id as given, like their status
 * and times: a restore or migration may load the visits before the agents
 * (1.1's foreign keys also made pg_dump dump the agents first).
 */
static void
HoldRowAgent(SchedRow *new, SchedRow *old, int c, const char *table)
{
	if (!ROW_ISNULL(new, c) && (old == NULL || !SchedRowEqual(old, new, c)))
		SchedHoldAgent(DatumGetInt32(ROW_VALUE(new, c)), table);
}


/*
 * SchedGuard: the BEFORE INSERT OR UPDATE trigger of a booking table,
 * with the table's own rules: check the columns the statement assigns
 * (in the order of the booking call's arguments), then treat a new row,
 * an import or an update; a row that names an agent anew holds it
 * (agents.c).  Returns the row to store.
 */
Datum
SchedGuard(FunctionCallInfo fcinfo, const SchedGuardRules *rules)
{
	TriggerData *td = SchedCheckTriggerCall(fcinfo, rules->name, true);
	const EntityColumns *cols = SchedEntityColumns(rules->entity);
	bool		insert = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	bool		import;
	MemoryContext outer = CurrentMemoryContext;
	SchedRow	new;
	SchedRow	old;
	HeapTuple	result;

	/*
	 * erase_user's own update replaces personal data with a marker no
	 * column check would take, and changes nothing the rules govern.
	 */
	if (!insert && sched_erasing)
		return PointerGetDatum(td->tg_newtuple);

	SchedRowInit(&new, td->tg_relation, cols->table,
				 insert ? td->tg_trigtuple : td->tg_newtuple);
	rules->check_columns(td, &new);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	import = insert && SchedIsImport(&new, cols->created_at);
	if (!insert)
	{
		SchedRowInit(&old, td->tg_relation, cols->table, td->tg_trigtuple);
		rules->update(td, &old, &new);
	}
	else if (!import)
		rules->new_row(&new);
	else if (rules->imported_row != NULL)
		rules->imported_row(&new);
	if (insert && SchedSchemaVersion() >= SCHED_SCHEMA_13)
		SetRef(&new, cols, import);
	if (!import)
		HoldRowAgent(&new, insert ? NULL : &old, cols->agent_id,
					 RelationGetRelationName(td->tg_relation));
	result = FormResult(&new, outer);
	SPI_finish();
	return PointerGetDatum(result);
}
