/*
 * plans.c
 *		The statements sched runs through SPI, prepared once per session
 *		and kept (SPI_keepplan); the OIDs of sched's own types, tables and
 *		sequences; and which version of the schema the database has.
 *
 * Each statement is declared (a SchedStatement) next to the code that
 * reads its result; here is only how they are kept.  Every statement
 * names its objects with their schema and takes what callers send only as
 * $n parameters.  The plans' parameter types include sched's own enums,
 * whose OIDs change when the extension is dropped and created again; an
 * invalidation of one of those types (or a reset of the whole cache, after
 * which the types are looked up again to see) marks the caches stale, and
 * the next use looks everything up and prepares it afresh.  The old plans
 * may still be running when that happens (an invalidation can arrive in
 * the middle of a statement), so they are freed at the end of the
 * transaction.
 */
#include "sched.h"
#include "plans.h"
#include "checks.h"
#include "compat.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#define IS_SCHED_TYPE(o)	(((o) & 0xFFFF0000u) == 0xFFFF0000u)

static const char *const type_names[TYPE_COUNT] = {
	[TYPE_TIME_SLOT] = "time_slot",
	[TYPE_VISIT_STATUS] = "visit_status",
	[TYPE_CALLBACK_STATUS] = "callback_status",
	[TYPE_URGENCY] = "urgency",
	[TYPE_ENTITY] = "entity",
	[TYPE_CHANNEL] = "channel",
};

static const char *const rel_names[REL_COUNT] = {
	[REL_AGENTS] = "agents",
	[REL_VISITS] = "scheduled_visits",
	[REL_CALLBACKS] = "callbacks",
	[REL_VISITS_AGENT_SLOT_IDX] = "scheduled_visits_agent_slot_idx",
	[REL_HISTORY] = "status_history",
	[REL_OUTBOX] = "outbox",
	[REL_PROFILES] = "user_profiles",
	[REL_PROFILES_PKEY] = "user_profiles_pkey",
	[REL_VISITS_STATUS_DATE_IDX] = "scheduled_visits_status_date_idx",
	[REL_TIME_OFF] = "agent_time_off",
	[REL_PROJECT_AGENTS] = "project_agents",
	[REL_PROJECTS] = "projects",
	[REL_AGENT_HOURS] = "agent_hours",
	[REL_HOLIDAYS] = "holidays",
	[REL_AGENT_BUSY] = "agent_busy",
};

static const char *const seq_names[SEQ_COUNT] = {
	[SEQ_VISIT_TURN] = "visit_turn",
	[SEQ_CALLBACK_TURN] = "callback_turn",
	[SEQ_SENIOR_CALLBACK_TURN] = "senior_callback_turn",
};

static Oid	cached_namespace = InvalidOid;
static bool caches_stale = true;	/* nothing cached, or an own type changed */
static bool caches_unsure = false;	/* the syscache was reset: check */
static List *retired_plans = NIL;	/* freed at the end of the transaction */
static List *prepared = NIL;	/* the statements holding a plan, in TopMemoryContext */
static uint32 type_hashes[TYPE_COUNT];
static Oid	type_oids[TYPE_COUNT];
static Oid	seq_oids[SEQ_COUNT];
static Oid	rel_oids[REL_COUNT];
static SchedSchema schema_version = 0;	/* 0: not decided yet */
static Oid	schema_version_relid = InvalidOid;	/* the callbacks it was decided on */
static bool schema_version_current = false; /* no invalidation since deciding began */

/* The labels of each enum looked up so far, with their values. */
#define MAX_ENUM_LABELS 8
typedef struct EnumLabelCache
{
	int			n;
	char		label[MAX_ENUM_LABELS][NAMEDATALEN];
	Oid			value[MAX_ENUM_LABELS];
} EnumLabelCache;
static EnumLabelCache enum_labels[TYPE_COUNT];

/*
 * FreeRetired: end of transaction; no statement of ours is running.
 */
static void
FreeRetired(XactEvent event, void *arg)
{
	ListCell   *lc;

	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT)
		return;
	foreach(lc, retired_plans)
		SPI_freeplan((SPIPlanPtr) lfirst(lc));
	list_free(retired_plans);
	retired_plans = NIL;
}

/*
 * ForgetAll: drop the plans and OIDs of a sched that is gone; the plans
 * are freed when the transaction ends.
 */
static void
ForgetAll(void)
{
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	ListCell   *lc;

	foreach(lc, prepared)
	{
		SchedStatement *stmt = (SchedStatement *) lfirst(lc);

		retired_plans = lappend(retired_plans, stmt->plan);
		stmt->plan = NULL;
	}
	list_free(prepared);
	prepared = NIL;
	MemoryContextSwitchTo(old);
	memset(type_oids, 0, sizeof(type_oids));
	memset(enum_labels, 0, sizeof(enum_labels));
	memset(seq_oids, 0, sizeof(seq_oids));
	memset(rel_oids, 0, sizeof(rel_oids));
	memset(type_hashes, 0, sizeof(type_hashes));
	schema_version = 0;
	schema_version_current = false;
}

/*
 * TypesChanged: syscache callback on pg_type.  Only our own types matter;
 * hashvalue 0 means the whole cache was reset.
 */
static void
TypesChanged(Datum arg, int cacheid, uint32 hashvalue)
{
	int			i;

	if (hashvalue == 0)
	{
		caches_unsure = true;
		return;
	}
	for (i = 0; i < TYPE_COUNT; i++)
		if (type_hashes[i] != 0 && type_hashes[i] == hashvalue)
			caches_stale = true;
}

/*
 * RelationsChanged: relcache callback; a table, index or sequence C code
 * uses directly was changed (perhaps dropped and made again, by DROP
 * EXTENSION or an upgrade script), so look its OID up again, and decide
 * the schema version again when the callbacks changed (the 1.1 script
 * adds their columns last).
 */
static void
RelationsChanged(Datum arg, Oid relid)
{
	int			i;

	if (relid == InvalidOid || relid == schema_version_relid ||
		(rel_oids[REL_AGENTS] != InvalidOid && relid == rel_oids[REL_AGENTS]))
	{
		schema_version = 0;
		schema_version_current = false;
	}
	for (i = 0; i < REL_COUNT; i++)
		if (relid == InvalidOid || relid == rel_oids[i])
			rel_oids[i] = InvalidOid;
	for (i = 0; i < SEQ_COUNT; i++)
		if (relid == InvalidOid || relid == seq_oids[i])
			seq_oids[i] = InvalidOid;
}

/*
 * SchedPlansInit: called once per backend by _PG_init.
 */
void
SchedPlansInit(void)
{
	CacheRegisterSyscacheCallback(TYPEOID, TypesChanged, (Datum) 0);
	CacheRegisterRelcacheCallback(RelationsChanged, (Datum) 0);
	RegisterXactCallback(FreeRetired, NULL);
}

/*
 * TypesStillThere: after a cache reset, are the cached types the ones
 * that exist now?
 */
static bool
TypesStillThere(void)
{
	Oid			nsp = get_namespace_oid("sched", true);
	int			i;

	if (nsp != cached_namespace)
		return false;
	for (i = 0; i < TYPE_COUNT; i++)
		if (OidIsValid(type_oids[i]) &&
			GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(type_names[i]),
							ObjectIdGetDatum(nsp)) != type_oids[i])
			return false;
	return true;
}

/*
 * CheckNamespace: start afresh if our types changed since the caches were
 * filled; returns the OID of the sched schema.
 */
static Oid
CheckNamespace(void)
{
	if (caches_unsure)
	{
		caches_unsure = false;
		if (!caches_stale && !TypesStillThere())
			caches_stale = true;
	}
	if (caches_stale)
	{
		ForgetAll();
		cached_namespace = get_namespace_oid("sched", false);
		caches_stale = false;
	}
	return cached_namespace;
}

/*
 * TypeOid: the OID of one of sched's enum types.
 */
static Oid
TypeOid(SchedTypeId id)
{
	Oid			nsp = CheckNamespace();

	if (!OidIsValid(type_oids[id]))
	{
		type_oids[id] = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										CStringGetDatum(type_names[id]),
										ObjectIdGetDatum(nsp));
		if (!OidIsValid(type_oids[id]))
			elog(ERROR, "type sched.%s is missing", type_names[id]);
		type_hashes[id] = GetSysCacheHashValue1(TYPEOID, ObjectIdGetDatum(type_oids[id]));
	}
	return type_oids[id];
}

/*
 * SchedEnumValue: the value of one label of one of sched's enums.
 */
Datum
SchedEnumValue(SchedTypeId id, const char *label)
{
	Oid			type = TypeOid(id);	/* first: may forget the cache */
	EnumLabelCache *cache = &enum_labels[id];
	Oid			value;
	int			i;

	for (i = 0; i < cache->n; i++)
		if (strcmp(cache->label[i], label) == 0)
			return ObjectIdGetDatum(cache->value[i]);
	value = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
							ObjectIdGetDatum(type), CStringGetDatum(label));
	if (!OidIsValid(value))
		elog(ERROR, "sched.%s has no label \"%s\"", type_names[id], label);
	if (cache->n < MAX_ENUM_LABELS && strlen(label) < NAMEDATALEN)
	{
		strlcpy(cache->label[cache->n], label, NAMEDATALEN);
		cache->value[cache->n++] = value;
	}
	return ObjectIdGetDatum(value);
}

/*
 * RelOid: a relation of the sched schema by name, cached in *cache.
 */
static Oid
RelOid(Oid *cache, const char *name)
{
	Oid			nsp = CheckNamespace();

	if (!OidIsValid(*cache))
	{
		*cache = get_relname_relid(name, nsp);
		if (!OidIsValid(*cache))
			elog(ERROR, "relation sched.%s is missing", name);
	}
	return *cache;
}

/*
 * SchedSeqOid: the OID of one of the round-robin turn sequences.
 */
Oid
SchedSeqOid(SchedSeqId id)
{
	return RelOid(&seq_oids[id], seq_names[id]);
}

/*
 * SchedRelOid: the OID of a table or index that C code reads directly.
 */
Oid
SchedRelOid(SchedRelId id)
{
	return RelOid(&rel_oids[id], rel_names[id]);
}

/*
 * SchedSchemaVersion: 1.1 (or later) once the callbacks have their queue
 * columns, the last objects the 1.1 script adds that C code reads; 1.3
 * once the agents have their login as well; else 1.0.  Every "is this
 * 1.1?" question in sched asks here.  The answer is forgotten when the
 * callbacks change, which the 1.3 script does after adding the login (an
 * index of its own on them).
 */
SchedSchema
SchedSchemaVersion(void)
{
	Oid			callbacks = SchedRelOid(REL_CALLBACKS);	/* first: may forget the cache */
	SchedSchema version;

	if (schema_version != 0)
		return schema_version;
	/* an invalidation of the callbacks while deciding leaves it undecided */
	schema_version_relid = callbacks;
	schema_version_current = true;
	version = get_attnum(callbacks, "next_attempt_at") != InvalidAttrNumber
		? SCHED_SCHEMA_11 : SCHED_SCHEMA_10;
	if (version == SCHED_SCHEMA_11 &&
		get_attnum(SchedRelOid(REL_AGENTS), "login") != InvalidAttrNumber)
		version = SCHED_SCHEMA_13;
	if (version == SCHED_SCHEMA_13 &&
		get_attnum(SchedRelOid(REL_AGENTS), "weight") != InvalidAttrNumber)
		version = SCHED_SCHEMA_14;
	if (schema_version_current)
		schema_version = version;
	return version;
}

/*
 * SchedPrepared: the statement's plan, prepared and kept on first use
 * (again after the caches were forgotten).
 */
SPIPlanPtr
SchedPrepared(SchedStatement *stmt)
{
	Oid			argtypes[SCHED_MAX_ARGS];
	MemoryContext old;
	SPIPlanPtr	plan;
	int			i;

	CheckNamespace();
	if (stmt->plan != NULL)
		return stmt->plan;
	Assert(stmt->nargs <= SCHED_MAX_ARGS);
	for (i = 0; i < stmt->nargs; i++)
		argtypes[i] = IS_SCHED_TYPE(stmt->argtypes[i])
			? TypeOid((SchedTypeId) (stmt->argtypes[i] & 0xFFFF))
			: stmt->argtypes[i];
	plan = SPI_prepare_cursor(stmt->sql, stmt->nargs, argtypes, stmt->cursor_options);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s",
			 stmt->sql, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	old = MemoryContextSwitchTo(TopMemoryContext);
	prepared = lappend(prepared, stmt);
	MemoryContextSwitchTo(old);
	stmt->plan = plan;
	return plan;
}

/*
 * SchedRunForDatum: execute a plan whose result is one column; true and
 * *result if it gave a row with a non-null value.
 */
bool
SchedRunForDatum(SPIPlanPtr plan, Datum *values, const char *nulls,
				 bool read_only, Datum *result)
{
	bool		isnull;
	int			rc = SPI_execute_plan(plan, values, nulls, read_only, 0);

	if (rc < 0)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		return false;
	*result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return !isnull;
}

/*
 * SchedReadOne: run a statement that reads the row of one id (its values
 * as SPI takes them); when it finds none, 404 "<what> <id> does not
 * exist" with hint, if any.  The row is then the result's first
 * (SchedResultText).
 */
void
SchedReadOne(SchedStatement *stmt, Datum *values, bool read_only, const char *what, int64 id,
			 const char *hint)
{
	if (SPI_execute_plan(SchedPrepared(stmt), values, NULL, read_only, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading %s " INT64_FORMAT " failed", what, id);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_NOT_FOUND),
				 errmsg("%s " INT64_FORMAT " does not exist", what, id),
				 hint ? errhint("%s", hint) : 0));
}

/*
 * SchedReadRows: run a statement that reads a whole table (no
 * parameters) and allocate, in cxt, room for as many entries of
 * entry_size as it gave rows (one more, so never zero); *n is the number
 * of rows, which are in SPI_tuptable until the caller frees it.
 */
void *
SchedReadRows(SchedStatement *stmt, const char *what, MemoryContext cxt, Size entry_size, int *n)
{
	/*
	 * The latest committed rows, whatever the isolation level: the copy
	 * serves later transactions too, and an agent deleted after this
	 * transaction's snapshot must not be found (SchedHoldAgent).
	 */
	if (SPI_execute_snapshot(SchedPrepared(stmt), NULL, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading %s failed", what);
	*n = (int) SPI_processed;
	return MemoryContextAlloc(cxt, (SPI_processed + 1) * entry_size);
}

/*
 * SchedReturnRows: a set-returning call's result: the rows of a statement
 * whose one column is a whole row of the call's result type.  Connects to
 * SPI itself.
 */
void
SchedReturnRows(FunctionCallInfo fcinfo, SchedStatement *stmt, Datum *values, const char *nulls)
{
	int			rc;

	SchedInitMaterializedSRF(fcinfo);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_plan(SchedPrepared(stmt), values, nulls, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	(void) SchedAddWholeRows(fcinfo);
	SPI_finish();
}

/*
 * SchedResultColumn: the attribute number of a column of the last SPI
 * statement's result, by name.
 */
int
SchedResultColumn(const char *name)
{
	int			attno = SPI_fnumber(SPI_tuptable->tupdesc, name);

	if (attno <= 0)
		elog(ERROR, "the result has no column \"%s\"", name);
	return attno;
}

/*
 * SchedResultText: a column of the last SPI statement's first row as
 * text, or NULL when it is null.
 */
char *
SchedResultText(const char *name)
{
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, SchedResultColumn(name));
}

/*
 * SchedResultValue: a column of the last SPI statement's first row.
 */
Datum
SchedResultValue(const char *name, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
						 SchedResultColumn(name), isnull);
}

/*
 * SchedCollectArgs: the call's arguments as SPI parameter values; the
 * first nfilters are optional filters, whose presence sets the bits of
 * the returned mask.
 */
int
SchedCollectArgs(FunctionCallInfo fcinfo, int nfilters, Datum *values, char *nulls)
{
	int			mask = 0;
	int			i;

	for (i = 0; i < PG_NARGS(); i++)
	{
		values[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		if (i < nfilters && !PG_ARGISNULL(i))
			mask |= 1 << i;
	}
	return mask;
}

/*
 * SchedFilteredStatement: one of a listing call's statements, one per
 * combination of the filters given (bit i of mask: filter i), so that
 * each combination gets the index made for it.  Its SQL is built from
 * constant fragments (never from caller input) on first use, and it is
 * planned for each call's values (CURSOR_OPT_CUSTOM_PLAN): how selective
 * a date range is decides the best index, and a generic plan cannot know
 * it.  Every statement takes every parameter, used or not.
 */
SchedStatement *
SchedFilteredStatement(SchedStatement *stmts, int mask, const char *head,
					   const char *const *filters, int nfilters, const char *tail,
					   int nargs, const Oid *argtypes)
{
	SchedStatement *stmt = &stmts[mask];

	if (stmt->sql == NULL)
	{
		StringInfoData sql;
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
		int			i;

		initStringInfo(&sql);
		appendStringInfoString(&sql, head);
		for (i = 0; i < nfilters; i++)
			if (mask & (1 << i))
				appendStringInfoString(&sql, filters[i]);
		appendStringInfoString(&sql, tail);
		MemoryContextSwitchTo(old);
		Assert(nargs <= SCHED_MAX_ARGS);
		stmt->nargs = nargs;
		memcpy(stmt->argtypes, argtypes, nargs * sizeof(Oid));
		stmt->cursor_options = CURSOR_OPT_CUSTOM_PLAN;
		stmt->sql = sql.data;
	}
	return stmt;
}

/*
 * SchedAddWholeRows: add the rows of the last SPI statement, whose one
 * column is a whole row of the call's result type, to a set-returning
 * call's result (InitMaterializedSRF).  Returns how many.
 */
uint64
SchedAddWholeRows(FunctionCallInfo fcinfo)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint64		i;

	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		HeapTupleData tuple;

		SchedWholeRowTuple(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull),
						   InvalidOid, &tuple);
		tuplestore_puttuple(rsinfo->setResult, &tuple);
	}
	return SPI_processed;
}

/*
 * SchedWholeRowTuple: a whole-row Datum as a tuple (pointing into it),
 * of table table_oid (InvalidOid when it is a result, not a table's row).
 */
void
SchedWholeRowTuple(Datum whole, Oid table_oid, HeapTupleData *tuple)
{
	tuple->t_data = DatumGetHeapTupleHeader(whole);
	tuple->t_len = HeapTupleHeaderGetDatumLength(tuple->t_data);
	ItemPointerSetInvalid(&tuple->t_self);
	tuple->t_tableOid = table_oid;
}

/*
 * SchedChangeOne: run an UPDATE ... RETURNING the whole row of one id, in
 * an SPI connection of its own; the row as it is now (in the caller's
 * memory context), or 404 "<what> <id> does not exist" with hint.
 */
Datum
SchedChangeOne(SchedStatement *stmt, Datum *values, const char *nulls, const char *what,
			   int64 id, const char *hint)
{
	Datum		row;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (!SchedRunForDatum(SchedPrepared(stmt), values, nulls, false, &row))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_NOT_FOUND),
				 errmsg("%s " INT64_FORMAT " does not exist", what, id),
				 hint ? errhint("%s", hint) : 0));
	row = SPI_datumTransfer(row, false, -1);
	SPI_finish();
	return row;
}

/*
 * SchedSweep: run an UPDATE of many rows (a periodic sweep), in an SPI
 * connection of its own; how many it changed, as the int4 the sweeps
 * return.
 */
int32
SchedSweep(SchedStatement *stmt, Datum *values, const char *what)
{
	uint64		changed;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_plan(SchedPrepared(stmt), values, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "%s failed", what);
	changed = SPI_processed;
	SPI_finish();
	return (int32) Min(changed, (uint64) PG_INT32_MAX);
}

/*
 * SchedSetStatus: the body of the status calls (set_visit_status,
 * set_callback_status: the id, the status, the notes, then their own
 * arguments): the update, through with_notes when the notes are given
 * (they are written, and recorded in the history row, only then), else
 * through plain; the row as it is now, or 404.
 */
Datum
SchedSetStatus(FunctionCallInfo fcinfo, SchedStatement *plain, SchedStatement *with_notes,
			   const char *id_name, const char *what, const char *hint)
{
	Datum		values[SCHED_MAX_ARGS];
	char		nulls[SCHED_MAX_ARGS];

	SchedRequire(PG_ARGISNULL(0), id_name);
	SchedRequire(PG_ARGISNULL(1), "status");
	(void) SchedCollectArgs(fcinfo, 0, values, nulls);
	return SchedChangeOne(PG_ARGISNULL(2) ? plain : with_notes, values, nulls, what,
						  PG_GETARG_INT64(0), hint);
}
