/*
 * rows.h
 *		The rows of sched's tables as the triggers and calls see them:
 *		columns by name, mapped once to attribute numbers (rows.c).
 */
#ifndef SCHED_ROWS_H
#define SCHED_ROWS_H

#include "sched.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "utils/rel.h"

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
	/* 1.1 (SCHED_SCHEMA_11): absent from a 1.0 schema, col[] -1 there */
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

/* An int8 column (an id) of a whole-row Datum a call returned; never NULL. */
extern int64 SchedRowId(Datum row, const char *column);

#endif							/* SCHED_ROWS_H */
