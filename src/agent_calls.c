/*
 * agent_calls.c
 *		The calls a sales agent makes from their dashboard, with their own
 *		token: sched.set_my_visit_status and sched.set_my_callback_status
 *		(1.3); the view sched.my_assignments lists their items.
 *
 * The agent is the active row of sched.agents whose login is the
 * request's user (identity.c); none is 42501.  The moves are the admin
 * calls' (visit_calls.c, callback_calls.c), with the same rules, on the
 * agent's own items only: another agent's item gives the same PT404 as a
 * missing one.  status_history names the agent.
 */
#include "sched.h"
#include "calls.h"
#include "checks.h"
#include "identity.h"
#include "plans.h"
#include "triggers.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sched_set_my_visit_status);
PG_FUNCTION_INFO_V1(sched_set_my_callback_status);

/* an item of the agent's own ($1 id, $2 agent_id) */
static SchedStatement own_visit = {
	"SELECT v.visit_id FROM sched.scheduled_visits v"
	" WHERE v.visit_id OPERATOR(pg_catalog.=) $1 AND v.agent_id OPERATOR(pg_catalog.=) $2",
	2, {INT8OID, INT4OID}
};
static SchedStatement own_callback = {
	"SELECT c.callback_id FROM sched.callbacks c"
	" WHERE c.callback_id OPERATOR(pg_catalog.=) $1 AND c.agent_id OPERATOR(pg_catalog.=) $2",
	2, {INT8OID, INT4OID}
};

/* the item as the agent sees it ($1 entity, $2 id) */
static SchedStatement my_assignment = {
	"SELECT m FROM sched.my_assignments m"
	" WHERE m.entity OPERATOR(pg_catalog.=) $1 AND m.id OPERATOR(pg_catalog.=) $2",
	2, {SCHED_TYPE(TYPE_ENTITY), INT8OID}
};

/*
 * OnOwnItem: run an admin status call on an item of the calling agent's
 * own, with the call's own arguments, and return the item as
 * my_assignments shows it.
 */
static Datum
OnOwnItem(FunctionCallInfo fcinfo, SchedEntity e, SchedStatement *own, const char *id_name,
		  PGFunction admin_call)
{
	const char *what = sched_entity_name(e);
	Datum		values[2];
	Datum		found;
	Datum		row;
	int32		agent_id;
	int64		id;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	agent_id = SchedRequireAgent();
	SchedRequire(PG_ARGISNULL(0), id_name);
	id = PG_GETARG_INT64(0);
	values[0] = Int64GetDatum(id);
	values[1] = Int32GetDatum(agent_id);
	if (!SchedRunForDatum(SchedPrepared(own), values, NULL, true, &found))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_NOT_FOUND),
				 errmsg("%s " INT64_FORMAT " does not exist", what, id),
				 errhint("sched.my_assignments shows your visits and callbacks.")));
	SPI_finish();

	(void) SchedCallFor(psprintf("agent %d", agent_id), admin_call, fcinfo);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	values[0] = SchedEnumValue(TYPE_ENTITY, what);
	values[1] = Int64GetDatum(id);
	/* not read-only: the move must be seen */
	if (!SchedRunForDatum(SchedPrepared(&my_assignment), values, NULL, false, &row))
		elog(ERROR, "%s " INT64_FORMAT " is not the agent's", what, id);
	row = SPI_datumTransfer(row, false, -1);
	SPI_finish();
	return row;
}

/*
 * sched_set_my_visit_status: set_my_visit_status(visit_id, status,
 * rm_notes), as set_visit_status.
 */
Datum
sched_set_my_visit_status(PG_FUNCTION_ARGS)
{
	return OnOwnItem(fcinfo, SCHED_VISIT, &own_visit, "visit_id", sched_set_visit_status);
}

/*
 * sched_set_my_callback_status: set_my_callback_status(callback_id,
 * status, agent_notes, call_duration_s, outcome), as set_callback_status.
 */
Datum
sched_set_my_callback_status(PG_FUNCTION_ARGS)
{
	return OnOwnItem(fcinfo, SCHED_CALLBACK, &own_callback, "callback_id",
					 sched_set_callback_status);
}
