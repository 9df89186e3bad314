/*
 * admin_calls.c
 *		The calls of the sales team's admin screens: sched.list_visits,
 *		sched.list_callbacks, sched.set_visit_status and
 *		sched.set_callback_status.
 *
 * The status calls update the row and let the triggers check the move,
 * stamp its time, record it and announce it, exactly as they do for a
 * DBA's plain UPDATE.  Their own job is to say 404 when there is no such
 * row.
 */
#include "sched.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(sched_list_visits);
PG_FUNCTION_INFO_V1(sched_list_callbacks);
PG_FUNCTION_INFO_V1(sched_set_visit_status);
PG_FUNCTION_INFO_V1(sched_set_callback_status);

#define MAX_LIST_ARGS 5

/*
 * SchedStartRows: a set-returning call's result, a materialised set of
 * whole rows of its result type; rows are added with SchedAddRows.
 */
Tuplestorestate *
SchedStartRows(FunctionCallInfo fcinfo)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	Tuplestorestate *store;
	MemoryContext old;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTupleDescCopy(tupdesc);
	store = tuplestore_begin_heap(false, false, work_mem);
	MemoryContextSwitchTo(old);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = tupdesc;
	return store;
}

/*
 * SchedAddRows: the rows of the last SPI statement, whose one column is a
 * whole row of the result type, added to the set.  Returns how many.
 */
uint64
SchedAddRows(Tuplestorestate *store)
{
	uint64		i;

	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		whole = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
		HeapTupleHeader header = DatumGetHeapTupleHeader(whole);
		HeapTupleData tuple;

		tuple.t_len = HeapTupleHeaderGetDatumLength(header);
		ItemPointerSetInvalid(&tuple.t_self);
		tuple.t_tableOid = InvalidOid;
		tuple.t_data = header;
		tuplestore_puttuple(store, &tuple);
	}
	return SPI_processed;
}

/*
 * ReturnRows: run the listing plan for the filter mask and hand its rows
 * back.
 */
static Datum
ReturnRows(FunctionCallInfo fcinfo, SPIPlanPtr (*plan_for) (int mask), int mask,
		   Datum *values, char *nulls)
{
	Tuplestorestate *store = SchedStartRows(fcinfo);
	int			rc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_plan(plan_for(mask), values, nulls, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	(void) SchedAddRows(store);
	SPI_finish();
	return (Datum) 0;
}

/*
 * sched_list_visits: list_visits(status, date_from, date_to, agent_id,
 * max_rows), ordered by visit_date, time_slot, visit_id.
 */
Datum
sched_list_visits(PG_FUNCTION_ARGS)
{
	Datum		values[MAX_LIST_ARGS];
	char		nulls[MAX_LIST_ARGS];
	int			mask = SchedCollectArgs(fcinfo, LIST_VISITS_NFILTERS, values, nulls);

	SchedRequire(PG_ARGISNULL(4), "max_rows");
	SchedCheckMaxRows(PG_GETARG_INT32(4));
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2) &&
		PG_GETARG_DATEADT(1) > PG_GETARG_DATEADT(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("date_from must not be after date_to")));
	return ReturnRows(fcinfo, SchedListVisitsPlan, mask, values, nulls);
}

/*
 * sched_list_callbacks: list_callbacks(status, urgency, max_rows), urgent
 * first, then oldest first.
 */
Datum
sched_list_callbacks(PG_FUNCTION_ARGS)
{
	Datum		values[MAX_LIST_ARGS];
	char		nulls[MAX_LIST_ARGS];
	int			mask = SchedCollectArgs(fcinfo, LIST_CALLBACKS_NFILTERS, values, nulls);

	SchedRequire(PG_ARGISNULL(2), "max_rows");
	SchedCheckMaxRows(PG_GETARG_INT32(2));
	return ReturnRows(fcinfo, SchedListCallbacksPlan, mask, values, nulls);
}

/*
 * SetStatus: the shared body of the status calls: update, or 404.  The
 * notes (third argument) are written only when given.
 */
static Datum
SetStatus(FunctionCallInfo fcinfo, SchedPlanId plan, SchedPlanId plan_with_notes,
		  SchedEntity e)
{
	Datum		values[MAX_LIST_ARGS];
	char		nulls[MAX_LIST_ARGS];
	Datum		result;
	const char *entity = sched_entity_name(e);

	SchedRequire(PG_ARGISNULL(0), e == SCHED_VISIT ? "visit_id" : "callback_id");
	SchedRequire(PG_ARGISNULL(1), "status");
	(void) SchedCollectArgs(fcinfo, 0, values, nulls);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (!SchedRunForDatum(SchedPlan(PG_ARGISNULL(2) ? plan : plan_with_notes),
						  values, nulls, false, &result))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_NOT_FOUND),
				 errmsg("%s " INT64_FORMAT " does not exist", entity, PG_GETARG_INT64(0)),
				 errhint("sched.list_%ss shows the %ss there are.", entity, entity)));
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

/*
 * sched_set_visit_status: set_visit_status(visit_id, status, rm_notes).
 */
Datum
sched_set_visit_status(PG_FUNCTION_ARGS)
{
	return SetStatus(fcinfo, PLAN_SET_VISIT_STATUS, PLAN_SET_VISIT_STATUS_NOTES, SCHED_VISIT);
}

/*
 * sched_set_callback_status: set_callback_status(callback_id, status,
 * agent_notes, call_duration_s, outcome).
 */
Datum
sched_set_callback_status(PG_FUNCTION_ARGS)
{
	return SetStatus(fcinfo, PLAN_SET_CALLBACK_STATUS, PLAN_SET_CALLBACK_STATUS_NOTES,
					 SCHED_CALLBACK);
}
