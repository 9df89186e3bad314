/*
 * sched.h
 *		Declarations shared by the PostgreSQL side of sched: settings,
 *		SQLSTATEs, the plan and catalog cache, column maps, the checks
 *		and the parts the triggers and SQL calls are made of.
 *
 * The pure rules live in rules.h; this header adds what needs PostgreSQL.
 */
#ifndef SCHED_H
#define SCHED_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "rules.h"

/*
 * SQLSTATEs of our own, in PostgREST's "PTxyz -> HTTP xyz" form.  The
 * standard ones we use are 22004 (a required argument is NULL) and 22023
 * (a bad value).  docs/errors.md lists all of them.
 */
#define ERRCODE_SCHED_NOT_FOUND		MAKE_SQLSTATE('P','T','4','0','4')
#define ERRCODE_SCHED_CONFLICT		MAKE_SQLSTATE('P','T','4','0','9')

/*
 * The constraint name that errors carry (libpq's PG_DIAG_CONSTRAINT_NAME),
 * so that a driver can tell the two kinds of PT409 apart without parsing
 * the message.
 */
#define SCHED_CONSTRAINT_TRANSITION	"sched_status_transition"
#define SCHED_CONSTRAINT_CAPACITY	"sched_agent_capacity"
#define SCHED_CONSTRAINT_POOL		"sched_agent_pool"
#define SCHED_CONSTRAINT_FEEDBACK	"sched_feedback_once"

/*
 * First keys of sched's advisory locks (two-key form): an agent's date
 * (assignment.c), a user's idempotency key (user_calls.c), a user's
 * profile (rowwriter.c) and a group of agent ids kept from deletion
 * (assignment.c).  pg_locks shows them as classid 1935894628, 1935894629,
 * 1935894630 and 1935894631.
 */
#define SCHED_LOCK_CLASS_AGENT_DAY	0x73636864u /* "schd" */
#define SCHED_LOCK_CLASS_KEY		0x73636865u
#define SCHED_LOCK_CLASS_PROFILE	0x73636866u
#define SCHED_LOCK_CLASS_AGENT_KEY	0x73636867u

/* sched.c: settings (GUCs), all PGC_SUSET so that no client can relax them */
extern char *sched_default_country_code;
extern int	sched_max_days_ahead;
extern int	sched_visit_intent_points;
extern int	sched_callback_intent_points;
extern char *sched_timezone;
extern int	sched_job_max_attempts;
extern char *sched_business_hours;
extern int	sched_business_open;	/* minutes since midnight, from the above */
extern int	sched_business_close;
extern int	sched_callback_max_attempts;

/* clock.c: today, local times and slot times in sched.timezone */
extern DateADT SchedToday(void);
extern DateADT SchedLocalDate(TimestampTz t);
extern Timestamp SchedLocalTime(TimestampTz t);
extern TimestampTz SchedSlotStart(DateADT visit_date, int slot);
extern TimestampTz SchedSlotEnd(DateADT visit_date, int slot);
extern void SchedCheckSlotOpen(DateADT visit_date, Datum time_slot);
extern TimestampTz SchedBusinessTime(TimestampTz t);

/* ---------------------------------------------------------------------
 * plans.c: SPI plans kept for the session, and sched's own OIDs
 * ---------------------------------------------------------------------
 */
typedef enum SchedPlanId
{
	PLAN_AGENTS,
	PLAN_INSERT_HISTORY,
	PLAN_INSERT_OUTBOX,
	PLAN_UPSERT_PROFILE,
	PLAN_FIND_VISIT_BY_KEY,
	PLAN_FIND_CALLBACK_BY_KEY,
	PLAN_USER_SCHEDULE,
	PLAN_SET_VISIT_STATUS,
	PLAN_SET_VISIT_STATUS_NOTES,
	PLAN_SET_CALLBACK_STATUS,
	PLAN_SET_CALLBACK_STATUS_NOTES,
	/* 1.1 */
	PLAN_CANCEL_REMINDERS,
	PLAN_LOCK_VISIT,
	PLAN_INSERT_FEEDBACK,
	PLAN_RESCHEDULE_KEEP,
	PLAN_RESCHEDULE_REASSIGN,
	PLAN_CLAIM_EXPIRED,
	PLAN_CLAIM_DUE,
	PLAN_JOB_FACTS,
	PLAN_VISIT_INVITE,
	PLAN_LOCK_JOB,
	PLAN_COMPLETE_JOB,
	PLAN_FAIL_JOB,
	PLAN_MARK_NO_SHOWS,
	PLAN_AGENTS_11,
	PLAN_LEAVE,
	PLAN_PROJECT_AGENTS,
	PLAN_ESCALATE_OVERDUE,
	PLAN_AGENT_REFERENCED,
	PLAN_ANY_AGENT_REFERENCED,
	PLAN_COUNT_FIXED				/* the listing plans follow, per filter mask */
} SchedPlanId;

/* The listing calls keep one plan per combination of given filters. */
#define LIST_VISITS_NFILTERS	4
#define LIST_CALLBACKS_NFILTERS 2

extern void SchedPlansInit(void);

/* Needs SPI_connect first. */
extern SPIPlanPtr SchedPlan(SchedPlanId id);
extern SPIPlanPtr SchedListVisitsPlan(int mask);
extern SPIPlanPtr SchedListCallbacksPlan(int mask);
extern int	SchedCollectArgs(FunctionCallInfo fcinfo, int nfilters,
							 Datum *values, char *nulls);
extern bool SchedRunForDatum(SPIPlanPtr plan, Datum *values, const char *nulls,
							 bool read_only, Datum *result);
extern char *SchedResultText(int column);
extern void SchedReadOne(SchedPlanId plan, Datum *values, bool read_only, const char *what,
						 int64 id, const char *hint);
extern void *SchedReadRows(SchedPlanId plan, const char *what, MemoryContext cxt,
						   Size entry_size, int *n);

/* OIDs of sched's types and sequences, looked up once per installation. */
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

typedef enum SchedSeqId
{
	SEQ_VISIT_TURN,
	SEQ_CALLBACK_TURN,
	SEQ_SENIOR_CALLBACK_TURN,
	SEQ_COUNT
} SchedSeqId;

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
	REL_COUNT
} SchedRelId;

extern Oid	SchedTypeOid(SchedTypeId id);
extern Datum SchedEnumValue(SchedTypeId id, const char *label);
extern Oid	SchedSeqOid(SchedSeqId id);
extern Oid	SchedRelOid(SchedRelId id);

/* True once the schema is 1.1 or later (the library serves 1.0 too). */
extern bool SchedHasV11(void);

/* ---------------------------------------------------------------------
 * columns.c: attribute numbers of the tables' columns, by name
 * ---------------------------------------------------------------------
 */
typedef enum VisitColumn
{
	VC_VISIT_ID, VC_REF, VC_USER_ID, VC_SESSION_ID, VC_PROJECT,
	VC_VISIT_DATE, VC_TIME_SLOT, VC_CONTACT_NAME, VC_CONTACT_PHONE,
	VC_CONTACT_EMAIL, VC_AGENT_ID, VC_STATUS, VC_USER_NOTES, VC_RM_NOTES,
	VC_LEAD_SCORE, VC_CREATED_AT, VC_UPDATED_AT, VC_CONFIRMED_AT,
	VC_COMPLETED_AT, VC_CANCELLED_AT, VC_IDEMPOTENCY_KEY,
	VC_COUNT
} VisitColumn;

typedef enum CallbackColumn
{
	CC_CALLBACK_ID, CC_REF, CC_USER_ID, CC_SESSION_ID, CC_CONTACT_NAME,
	CC_CONTACT_PHONE, CC_CONTACT_EMAIL, CC_REASON, CC_URGENCY, CC_DUE_AT,
	CC_AGENT_ID, CC_STATUS, CC_ATTEMPTS, CC_LAST_ATTEMPT_AT,
	CC_CALL_DURATION_S, CC_OUTCOME, CC_AGENT_NOTES, CC_LEAD_SCORE,
	CC_CREATED_AT, CC_UPDATED_AT, CC_CONTACTED_AT, CC_COMPLETED_AT,
	CC_IDEMPOTENCY_KEY,
	/* 1.1: absent from a 1.0 schema (their col[] is -1; see ROW_HAS) */
	CC_NEXT_ATTEMPT_AT, CC_GAVE_UP_AT, CC_ESCALATED_AT,
	CC_COUNT
} CallbackColumn;

#define CC_FIRST_V11	CC_NEXT_ATTEMPT_AT

typedef enum AgentColumn
{
	AC_AGENT_ID, AC_NAME, AC_PHONE, AC_EMAIL,
	AC_COUNT
} AgentColumn;

/* The columns of status_history and outbox that the triggers write. */
typedef enum HistoryColumn
{
	HC_ENTITY, HC_ENTITY_ID, HC_FROM_STATUS, HC_TO_STATUS, HC_CHANGED_BY, HC_NOTE,
	HC_COUNT
} HistoryColumn;

typedef enum OutboxColumn
{
	OC_ENTITY, OC_ENTITY_ID, OC_CHANNEL, OC_RECIPIENT, OC_TEMPLATE, OC_PAYLOAD,
	OC_RUN_AT,
	OC_COUNT
} OutboxColumn;

typedef enum ProfileColumn
{
	PC_USER_ID, PC_VISITS, PC_CALLBACKS, PC_POINTS, PC_LEAD_SCORE, PC_UPDATED_AT,
	PC_COUNT
} ProfileColumn;

typedef enum SchedTable
{
	TABLE_VISITS,
	TABLE_CALLBACKS,
	TABLE_AGENTS,
	TABLE_HISTORY,
	TABLE_OUTBOX,
	TABLE_PROFILES
} SchedTable;

/*
 * A row being checked or announced: its values deformed, and a map from
 * our column enums to 0-based attribute indexes.
 */
typedef struct SchedRow
{
	TupleDesc	tupdesc;
	const int  *col;			/* col[VC_x] = attribute index (0-based) */
	const char *const *names;	/* names[VC_x] = column name */
	int			ncols;			/* entries in col and names */
	Datum	   *values;
	bool	   *nulls;
} SchedRow;

/*
 * The columns that visits and callbacks share, so that code serving both
 * can find them: indexes into VisitColumn or CallbackColumn.
 */
typedef struct EntityColumns
{
	SchedEntity entity;
	SchedTable	table;
	int			id;
	int			ref;
	int			user_id;
	int			status;
	int			agent_id;
	int			created_at;
	int			updated_at;
	int			notes;			/* rm_notes or agent_notes */
	int			contact_name;
	int			contact_phone;
	int			contact_email;
	int			lead_score;
} EntityColumns;

extern const EntityColumns *SchedEntityColumns(SchedEntity e);

/* The column map of a table: map[VC_x] = attribute index (0-based). */
extern const int *SchedTableColumns(Relation rel, SchedTable t);

/* Deform tuple (a row of table t of rel) in the current memory context. */
extern void SchedRowInit(SchedRow *row, Relation rel, SchedTable t, HeapTuple tuple);

#define ROW_HAS(row, c)			((row)->col[c] >= 0)
#define ROW_ISNULL(row, c)		((row)->nulls[(row)->col[c]])
#define ROW_VALUE(row, c)		((row)->values[(row)->col[c]])
extern char *SchedRowText(SchedRow *row, int c);	/* NULL when null */
extern void SchedRowSet(SchedRow *row, int c, Datum value, bool isnull);
extern void SchedRowSetText(SchedRow *row, int c, const char *value);
extern int	SchedRowFind(SchedRow *row, const char *name);
extern bool SchedRowEqual(SchedRow *a, SchedRow *b, int c);
extern int	SchedRowStatus(SchedRow *row, SchedEntity e, int c);

/* Label of an enum value (a status, slot or urgency). */
extern const char *SchedEnumLabel(Datum value);

/* ---------------------------------------------------------------------
 * checks.c: the pure rules wrapped in ereport()
 * ---------------------------------------------------------------------
 */
extern void SchedRequire(bool isnull, const char *name);
extern char *SchedCheckText(const char *value, const char *name, int max_chars,
							bool required, bool multiline);
extern char *SchedCheckPhone(const char *value, const char *name);
extern char *SchedCheckEmail(const char *value, const char *name);
extern void SchedCheckIntRange(int32 value, const char *name, int32 min, int32 max);
extern char *SchedDateText(DateADT d);
extern void SchedCheckVisitDate(DateADT visit_date, const char *name);
extern int	SchedCheckMaxRows(int32 max_rows);
extern void SchedCheckInterval(Interval *value, const char *name, Interval *min, Interval *max,
							   const char *range_words);

/* admin_calls.c: set-returning calls' results */
extern Tuplestorestate *SchedStartRows(FunctionCallInfo fcinfo);
extern uint64 SchedAddRows(Tuplestorestate *store);

/* ---------------------------------------------------------------------
 * assignment.c: round robin and slot capacity
 * ---------------------------------------------------------------------
 */
typedef enum SchedPool
{
	POOL_VISITS,				/* active, handles_visits */
	POOL_CALLBACKS,				/* active, handles_callbacks */
	POOL_SENIOR_CALLBACKS		/* active, handles_callbacks, is_senior */
} SchedPool;

extern int32 SchedAssignVisitAgent(const char *project, DateADT visit_date, Datum time_slot,
								   int64 visit_id);
extern bool SchedAgentInPool(int32 agent_id, SchedPool pool);
extern void SchedCheckAgentTakes(int32 agent_id, SchedPool pool);
extern void SchedHoldAgent(int32 agent_id, const char *table);
extern void SchedLockAgentKeys(int32 agent_id, bool all);
extern const char *SchedAgentReferencedFrom(int32 agent_id, bool any);
extern void SchedClaimVisitPlace(int32 agent_id, const char *project, DateADT visit_date,
								 Datum time_slot, int64 visit_id);
extern bool SchedAgentHasRoom(int32 agent_id, const char *project, DateADT visit_date,
							  Datum time_slot, int64 visit_id);

/* The visits an agent holds in the slot and on the date being counted. */
typedef void (*SchedTakenFn) (void *arg, int32 agent_id, int64 *slot_taken, int64 *day_taken);
extern int64 SchedFreePlaces(const char *project, DateADT visit_date, Datum time_slot,
							 TimestampTz starts_at, TimestampTz ends_at,
							 SchedTakenFn taken, void *arg);
extern int32 SchedAssignCallbackAgent(bool urgent);
extern bool SchedAgentContact(int32 agent_id, const char **name, const char **phone);
extern int	SchedSeniorPhones(const char ***phones);
extern void SchedAssignmentInit(void);

/* ---------------------------------------------------------------------
 * rowwriter.c: history, outbox and profile rows written without SQL
 * ---------------------------------------------------------------------
 */
extern void SchedRowWriterInit(void);
extern void SchedWriteRows(SchedTable t, int nrows, int ncols,
						   const Datum *values, const bool *nulls);
extern Datum SchedInsertBooking(SchedTable t, int ncols, const int *cols,
								const Datum *values, const bool *nulls);
extern void SchedCountInProfile(Datum user_id, int32 visits, int32 callbacks, int32 points,
								Datum lead_score, bool score_null);

/* ---------------------------------------------------------------------
 * notifier.c: NOTIFY sched at commit, through a background worker when
 * sched is in shared_preload_libraries
 * ---------------------------------------------------------------------
 */
extern void SchedNotifierInit(void);
extern void SchedNotify(const char *payload);

/* ---------------------------------------------------------------------
 * guards.c: what the BEFORE and AFTER triggers share
 * ---------------------------------------------------------------------
 */
/* set by the booking calls while they insert: errors name arguments */
extern bool sched_naming_arguments;

/* set by a call while it updates: the note status_history records (announce.c) */
extern const char *sched_change_note;

extern TriggerData *SchedCheckTriggerCall(FunctionCallInfo fcinfo,
										  const char *name, bool before);
extern bool SchedColumnAssigned(TriggerData *trigdata, SchedRow *row, int c);
extern bool SchedIsImport(SchedRow *row, int created_col);
extern void SchedCheckMove(SchedEntity e, int64 id, int from, int to);
extern bool SchedIsStatusMove(TriggerData *trigdata, SchedRow *row,
							  const EntityColumns *cols,
							  int old_status, int new_status);

#endif							/* SCHED_H */
