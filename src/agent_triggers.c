/*
 * agent_triggers.c
 *		The triggers of sched.agents and of the tables the session's copy
 *		of the agents is made of: the BEFORE trigger that checks an
 *		agent's row, the agent keys that keep a named agent from being
 *		deleted or renumbered, and the statement trigger that tells every
 *		session to read its copy again (agents.c).
 */
#include "sched.h"
#include "agents.h"
#include "rows.h"
#include "search_path.h"
#include "triggers.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "utils/inval.h"

PG_FUNCTION_INFO_V1(sched_agent_guard);
PG_FUNCTION_INFO_V1(sched_agent_keys);
PG_FUNCTION_INFO_V1(sched_agents_changed);

/*
 * sched_agent_guard: agents have a name, a phone number in E.164 and, if
 * any, a well-formed email.
 */
static Datum
AgentGuard(PG_FUNCTION_ARGS)
{
	TriggerData *td = SchedCheckTriggerCall(fcinfo, "agent_guard", true);
	bool		insert = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	SchedRow	row;

	SchedRowInit(&row, td->tg_relation, TABLE_AGENTS,
				 insert ? td->tg_trigtuple : td->tg_newtuple);
	SchedGuardText(td, &row, AC_NAME, SCHED_MAX_NAME, true, false);
	SchedGuardPhone(td, &row, AC_PHONE);
	SchedGuardEmail(td, &row, AC_EMAIL);
	return PointerGetDatum(heap_form_tuple(row.tupdesc, row.values, row.nulls));
}

Datum
sched_agent_guard(PG_FUNCTION_ARGS)
{
	return SchedPinned(AgentGuard, fcinfo);
}

/*
 * sched_agent_keys: BEFORE DELETE OR UPDATE OF agent_id on sched.agents
 * (per row), and BEFORE and AFTER TRUNCATE (per statement): the agent
 * keys of visits and callbacks (agents.c, SchedHoldAgent).  An agent
 * named by a visit or callback cannot be deleted or renumbered (23503, as
 * a foreign key's RESTRICT would say); sched.agents cannot be truncated
 * while a visit or callback names an agent, unless they are truncated in
 * the same statement (0A000).  Both wait for the bookings under way.
 */
static Datum
AgentKeys(PG_FUNCTION_ARGS)
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

Datum
sched_agent_keys(PG_FUNCTION_ARGS)
{
	return SchedPinned(AgentKeys, fcinfo);
}

/*
 * sched_agents_changed: AFTER ... FOR EACH STATEMENT on sched.agents.
 * The invalidation goes out when the change commits (and to this session
 * at its next command).
 */
static Datum
AgentsChanged(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"agents_changed\" must be fired FOR EACH STATEMENT")));
	CacheInvalidateRelcache(td->tg_relation);
	return PointerGetDatum(NULL);
}

Datum
sched_agents_changed(PG_FUNCTION_ARGS)
{
	return SchedPinned(AgentsChanged, fcinfo);
}

