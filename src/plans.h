/*
 * plans.h
 *		The statements sched runs through SPI, each declared next to the
 *		code that reads its result and prepared once per session; sched's
 *		own types, tables and sequences by OID; and which version of the
 *		schema the database has (plans.c).
 */
#ifndef SCHED_PLANS_H
#define SCHED_PLANS_H

#include "sched.h"

#include "executor/spi.h"

/* sched's enum types */
typedef enum SchedTypeId
{
	TYPE_TIME_SLOT,
	TYPE_VISIT_STATUS,
	TYPE_CALLBACK_STATUS,
	TYPE_URGENCY,
	TYPE_ENTITY,
	TYPE_CHANNEL,
	TYPE_COUNT
} SchedTypeId;

/* the round-robin turn sequences */
typedef enum SchedSeqId
{
	SEQ_VISIT_TURN,
	SEQ_CALLBACK_TURN,
	SEQ_SENIOR_CALLBACK_TURN,
	SEQ_COUNT
} SchedSeqId;

/* the tables and indexes C code reads or writes directly */
typedef enum SchedRelId
{
	REL_AGENTS,
	REL_VISITS,
	REL_CALLBACKS,
	REL_VISITS_AGENT_SLOT_IDX,
	REL_HISTORY,
	REL_OUTBOX,
	REL_PROFILES,
	REL_PROFILES_PKEY,
	REL_VISITS_STATUS_DATE_IDX,
	REL_TIME_OFF,				/* 1.1 */
	REL_PROJECT_AGENTS,			/* 1.1 */
	REL_PROJECTS,				/* 1.3 */
	REL_AGENT_HOURS,			/* 1.4 */
	REL_HOLIDAYS,				/* 1.4 */
	REL_AGENT_BUSY,				/* 1.4 */
	REL_COUNT
} SchedRelId;

/*
 * A statement: its SQL (every object schema-qualified, caller input only
 * as $n parameters) and argument types, and the plan kept for the
 * session once it is first used.  Declare one as a static variable next
 * to the code that reads its result, and read result columns by name.
 */
#define SCHED_MAX_ARGS	18

/* an argument of one of sched's own types, whose OIDs change with DROP/CREATE EXTENSION */
#define SCHED_TYPE(id)	((Oid) (0xFFFF0000u | (id)))

typedef struct SchedStatement
{
	const char *sql;
	int			nargs;
	Oid			argtypes[SCHED_MAX_ARGS];	/* built-in OIDs or SCHED_TYPE() */
	int			cursor_options; /* CURSOR_OPT_CUSTOM_PLAN for ones planned per call */
	SPIPlanPtr	plan;			/* kept for the session, NULL until first used */
} SchedStatement;

extern void SchedPlansInit(void);

/* a listing call's statement for the filters given (bit i: filter i) */
extern SchedStatement *SchedFilteredStatement(SchedStatement *stmts, int mask, const char *head,
											  const char *const *filters, int nfilters,
											  const char *tail, int nargs, const Oid *argtypes);

/* Need SPI_connect first. */
extern SPIPlanPtr SchedPrepared(SchedStatement *stmt);
extern bool SchedRunForDatum(SPIPlanPtr plan, Datum *values, const char *nulls,
							 bool read_only, Datum *result);
extern void SchedReadOne(SchedStatement *stmt, Datum *values, bool read_only,
						 const char *what, int64 id, const char *hint);
extern void *SchedReadRows(SchedStatement *stmt, const char *what, MemoryContext cxt,
						   Size entry_size, int *n);
extern uint64 SchedAddWholeRows(FunctionCallInfo fcinfo);
/* A whole-row Datum (SELECT t FROM ...) as a tuple of table_oid's rowtype. */
extern void SchedWholeRowTuple(Datum whole, Oid table_oid, HeapTupleData *tuple);

/* These connect to SPI themselves. */
extern void SchedReturnRows(FunctionCallInfo fcinfo, SchedStatement *stmt, Datum *values,
							const char *nulls);
extern Datum SchedChangeOne(SchedStatement *stmt, Datum *values, const char *nulls,
							const char *what, int64 id, const char *hint);
extern int32 SchedSweep(SchedStatement *stmt, Datum *values, const char *what);
extern Datum SchedSetStatus(FunctionCallInfo fcinfo, SchedStatement *plain,
							SchedStatement *with_notes, const char *id_name,
							const char *what, const char *hint);

/* The last SPI statement's result, by column name. */
extern int	SchedResultColumn(const char *name);
extern char *SchedResultText(const char *name);
extern Datum SchedResultValue(const char *name, bool *isnull);

extern int	SchedCollectArgs(FunctionCallInfo fcinfo, int nfilters,
							 Datum *values, char *nulls);

/* OIDs of sched's objects, looked up once and kept until they change. */
extern Datum SchedEnumValue(SchedTypeId id, const char *label);
extern Oid	SchedSeqOid(SchedSeqId id);
extern Oid	SchedRelOid(SchedRelId id);

/*
 * The schema the database has: the library serves a database that has
 * not run ALTER EXTENSION sched UPDATE yet as its version did.  Decided
 * once when the cache is filled, again after a change to sched's tables.
 */
typedef enum SchedSchema
{
	SCHED_SCHEMA_10 = 10,		/* 1.0 */
	SCHED_SCHEMA_11 = 11,		/* 1.1 and 1.2: reminders, leases, the callback queue */
	SCHED_SCHEMA_13 = 13,		/* 1.3: agents' logins; no links in customers' texts */
	SCHED_SCHEMA_14 = 14		/* 1.4: agents' weights */
} SchedSchema;

extern SchedSchema SchedSchemaVersion(void);

#endif							/* SCHED_PLANS_H */
