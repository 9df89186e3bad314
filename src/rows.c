/*
 * rows.c
 *		Reading and changing the rows the triggers see, by column name.
 *
 * The attribute numbers of sched's tables are looked up by name once and
 * kept, keyed on the table's OID, column count and column types: an
 * upgrade script that adds a column, a DROP/CREATE EXTENSION, or a DBA's
 * ALTER COLUMN ... TYPE makes them be looked up again.  Each column must
 * have the type sched writes into it: a DBA who changed one gets an error
 * naming it (42804), never a value of the wrong type in a row.
 */
#include "sched.h"
#include "rows.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

static const char *const visit_columns[VC_COUNT] = {
	"visit_id", "ref", "user_id", "session_id", "project",
	"visit_date", "time_slot", "contact_name", "contact_phone",
	"contact_email", "agent_id", "status", "user_notes", "rm_notes",
	"lead_score", "created_at", "updated_at", "confirmed_at",
	"completed_at", "cancelled_at", "idempotency_key",
};

static const char *const callback_columns[CC_COUNT] = {
	"callback_id", "ref", "user_id", "session_id", "contact_name",
	"contact_phone", "contact_email", "reason", "urgency", "due_at",
	"agent_id", "status", "attempts", "last_attempt_at",
	"call_duration_s", "outcome", "agent_notes", "lead_score",
	"created_at", "updated_at", "contacted_at", "completed_at",
	"idempotency_key",
	/* 1.1, optional (CC_FIRST_V11) */
	"next_attempt_at", "gave_up_at", "escalated_at",
};

/*
 * The type of each column, as sched writes it: a built-in type's OID, or
 * 0 and the name of one of sched's enums.
 */
typedef struct ColumnType
{
	Oid			oid;
	const char *enum_name;
} ColumnType;

#define T_INT8	{INT8OID, NULL}
#define T_INT4	{INT4OID, NULL}
#define T_TEXT	{TEXTOID, NULL}
#define T_DATE	{DATEOID, NULL}
#define T_TSTZ	{TIMESTAMPTZOID, NULL}
#define T_JSONB	{JSONBOID, NULL}
#define T_ENUM(name) {InvalidOid, name}

static const ColumnType visit_types[VC_COUNT] = {
	T_INT8, T_TEXT, T_TEXT, T_TEXT, T_TEXT,
	T_DATE, T_ENUM("time_slot"), T_TEXT, T_TEXT,
	T_TEXT, T_INT4, T_ENUM("visit_status"), T_TEXT, T_TEXT,
	T_INT4, T_TSTZ, T_TSTZ, T_TSTZ,
	T_TSTZ, T_TSTZ, T_TEXT,
};

static const ColumnType callback_types[CC_COUNT] = {
	T_INT8, T_TEXT, T_TEXT, T_TEXT, T_TEXT,
	T_TEXT, T_TEXT, T_TEXT, T_ENUM("urgency"), T_TSTZ,
	T_INT4, T_ENUM("callback_status"), T_INT4, T_TSTZ,
	T_INT4, T_TEXT, T_TEXT, T_INT4,
	T_TSTZ, T_TSTZ, T_TSTZ, T_TSTZ,
	T_TEXT,
	T_TSTZ, T_TSTZ, T_TSTZ,
};

static const char *const agent_columns[AC_COUNT] = {
	"agent_id", "name", "phone", "email",
};

static const char *const history_columns[HC_COUNT] = {
	"entity", "entity_id", "from_status", "to_status", "changed_by", "note",
};

static const char *const outbox_columns[OC_COUNT] = {
	"entity", "entity_id", "channel", "recipient", "template", "payload",
	"run_at",
};

static const char *const profile_columns[PC_COUNT] = {
	"user_id", "site_visits_scheduled", "callbacks_requested", "intent_points",
	"lead_score", "updated_at",
};

static const ColumnType agent_types[AC_COUNT] = {T_INT4, T_TEXT, T_TEXT, T_TEXT};
static const ColumnType history_types[HC_COUNT] = {
	T_ENUM("entity"), T_INT8, T_TEXT, T_TEXT, T_TEXT, T_TEXT,
};
static const ColumnType outbox_types[OC_COUNT] = {
	T_ENUM("entity"), T_INT8, T_ENUM("channel"), T_TEXT, T_TEXT, T_JSONB, T_TSTZ,
};
static const ColumnType profile_types[PC_COUNT] = {T_TEXT, T_INT4, T_INT4, T_INT4, T_INT4, T_TSTZ};

typedef struct ColumnCache
{
	Oid			relid;
	int			natts;
	int			col[CC_COUNT];	/* the longest of the lists */
	Oid			type[CC_COUNT];	/* each mapped column's type when mapped */
} ColumnCache;

StaticAssertDecl((int) CC_COUNT >= (int) VC_COUNT && (int) CC_COUNT >= (int) AC_COUNT &&
				 (int) CC_COUNT >= (int) HC_COUNT && (int) CC_COUNT >= (int) OC_COUNT &&
				 (int) CC_COUNT >= (int) PC_COUNT,
				 "ColumnCache.col must hold every table's columns");

/*
 * CheckType: a column has the type sched writes into it, or 42804.
 */
static void
CheckType(Relation rel, const char *column, Oid have, const ColumnType *want)
{
	bool		ok;

	if (want->enum_name == NULL)
		ok = have == want->oid;
	else
	{
		/* sched's enum of that name (by its schema, whatever the search_path) */
		HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(have));

		ok = false;
		if (HeapTupleIsValid(tup))
		{
			Form_pg_type typ = (Form_pg_type) GETSTRUCT(tup);
			char	   *schema = get_namespace_name(typ->typnamespace);

			ok = typ->typtype == TYPTYPE_ENUM && strcmp(NameStr(typ->typname), want->enum_name) == 0 &&
				schema != NULL && strcmp(schema, "sched") == 0;
			ReleaseSysCache(tup);
		}
	}
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of sched.%s has type %s, but sched writes %s there",
						column, RelationGetRelationName(rel), format_type_be(have),
						want->enum_name ? psprintf("sched.%s", want->enum_name) : format_type_be(want->oid)),
				 errhint("Change the column back with ALTER TABLE sched.%s ALTER COLUMN %s TYPE %s.",
						 RelationGetRelationName(rel), column,
						 want->enum_name ? psprintf("sched.%s", want->enum_name) : format_type_be(want->oid))));
}

/*
 * Current: the cache still describes rel: same table, same number of
 * columns, and each mapped column still of the type it had.
 */
static bool
Current(ColumnCache *cache, TupleDesc desc, Oid relid, int n)
{
	int			i;

	if (cache->relid != relid || cache->natts != desc->natts)
		return false;
	for (i = 0; i < n; i++)
		if (cache->col[i] >= 0 && TupleDescAttr(desc, cache->col[i])->atttypid != cache->type[i])
			return false;
	return true;
}

/*
 * MapColumns: fill or reuse a cache for rel.  The columns from required
 * on are optional: -1 when the table lacks them (a 1.0 schema).
 */
static const int *
MapColumns(ColumnCache *cache, Relation rel, const char *const *names, const ColumnType *types,
		   int n, int required)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (Current(cache, desc, RelationGetRelid(rel), n))
		return cache->col;
	cache->relid = InvalidOid;	/* until the whole map is made */
	for (i = 0; i < n; i++)
	{
		int			attno = SPI_fnumber(desc, names[i]);

		if (attno <= 0 && i >= required)
		{
			cache->col[i] = -1;
			continue;
		}
		if (attno <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of sched.%s is missing, but sched writes it",
							names[i], RelationGetRelationName(rel)),
					 errhint("A DBA dropped or renamed it; sched.%s needs every column its version created.",
							 RelationGetRelationName(rel))));
		cache->type[i] = TupleDescAttr(desc, attno - 1)->atttypid;
		CheckType(rel, names[i], cache->type[i], &types[i]);
		cache->col[i] = attno - 1;
	}
	cache->relid = RelationGetRelid(rel);
	cache->natts = desc->natts;
	return cache->col;
}

typedef struct TableSpec
{
	const char *const *names;
	const ColumnType *types;
	int			count;
	int			required;		/* the columns before this one */
	ColumnCache *cache;
} TableSpec;

static ColumnCache visits_cache;
static ColumnCache callbacks_cache;
static ColumnCache agents_cache;
static ColumnCache history_cache;
static ColumnCache outbox_cache;
static ColumnCache profile_cache;

static const TableSpec tables[] = {
	[TABLE_VISITS] = {visit_columns, visit_types, VC_COUNT, VC_COUNT, &visits_cache},
	[TABLE_CALLBACKS] = {callback_columns, callback_types, CC_COUNT, CC_FIRST_V11, &callbacks_cache},
	[TABLE_AGENTS] = {agent_columns, agent_types, AC_COUNT, AC_COUNT, &agents_cache},
	[TABLE_HISTORY] = {history_columns, history_types, HC_COUNT, HC_COUNT, &history_cache},
	[TABLE_OUTBOX] = {outbox_columns, outbox_types, OC_COUNT, OC_COUNT, &outbox_cache},
	[TABLE_PROFILES] = {profile_columns, profile_types, PC_COUNT, PC_COUNT, &profile_cache},
};

static const EntityColumns visit_entity = {
	.entity = SCHED_VISIT,
	.table = TABLE_VISITS,
	.id = VC_VISIT_ID,
	.ref = VC_REF,
	.user_id = VC_USER_ID,
	.status = VC_STATUS,
	.agent_id = VC_AGENT_ID,
	.created_at = VC_CREATED_AT,
	.updated_at = VC_UPDATED_AT,
	.notes = VC_RM_NOTES,
	.contact_name = VC_CONTACT_NAME,
	.contact_phone = VC_CONTACT_PHONE,
	.contact_email = VC_CONTACT_EMAIL,
	.lead_score = VC_LEAD_SCORE,
};

static const EntityColumns callback_entity = {
	.entity = SCHED_CALLBACK,
	.table = TABLE_CALLBACKS,
	.id = CC_CALLBACK_ID,
	.ref = CC_REF,
	.user_id = CC_USER_ID,
	.status = CC_STATUS,
	.agent_id = CC_AGENT_ID,
	.created_at = CC_CREATED_AT,
	.updated_at = CC_UPDATED_AT,
	.notes = CC_AGENT_NOTES,
	.contact_name = CC_CONTACT_NAME,
	.contact_phone = CC_CONTACT_PHONE,
	.contact_email = CC_CONTACT_EMAIL,
	.lead_score = CC_LEAD_SCORE,
};

/*
 * SchedEntityColumns: the shared columns of visits or callbacks.
 */
const EntityColumns *
SchedEntityColumns(SchedEntity e)
{
	return e == SCHED_VISIT ? &visit_entity : &callback_entity;
}

/*
 * SchedTableColumns: the column map of one of sched's tables.
 */
const int *
SchedTableColumns(Relation rel, SchedTable t)
{
	return MapColumns(tables[t].cache, rel, tables[t].names, tables[t].types, tables[t].count,
					  tables[t].required);
}

/*
 * SchedRowInit: deform a tuple into row, in the current memory context.
 */
void
SchedRowInit(SchedRow *row, Relation rel, SchedTable t, HeapTuple tuple)
{
	TupleDesc	desc = RelationGetDescr(rel);

	row->tupdesc = desc;
	row->col = SchedTableColumns(rel, t);
	row->names = tables[t].names;
	row->ncols = tables[t].count;
	row->values = palloc(desc->natts * sizeof(Datum));
	row->nulls = palloc(desc->natts * sizeof(bool));
	heap_deform_tuple(tuple, desc, row->values, row->nulls);
}

/*
 * SchedRowFind: the column enum of a column name, or -1.
 */
int
SchedRowFind(SchedRow *row, const char *name)
{
	int			i;

	for (i = 0; i < row->ncols; i++)
		if (strcmp(row->names[i], name) == 0)
			return i;
	return -1;
}

/*
 * SchedRowEqual: the column holds the same value in both rows.
 */
bool
SchedRowEqual(SchedRow *a, SchedRow *b, int c)
{
	Form_pg_attribute att = TupleDescAttr(a->tupdesc, a->col[c]);

	if (ROW_ISNULL(a, c) || ROW_ISNULL(b, c))
		return ROW_ISNULL(a, c) == ROW_ISNULL(b, c);
	return datumIsEqual(ROW_VALUE(a, c), ROW_VALUE(b, c), att->attbyval, att->attlen);
}

/*
 * SchedRowStatus: the workflow number of a status column's value.
 */
int
SchedRowStatus(SchedRow *row, SchedEntity e, int c)
{
	int			status;

	if (ROW_ISNULL(row, c))
		return -1;
	status = sched_status_from_name(e, SchedEnumLabel(ROW_VALUE(row, c)));
	if (status < 0)
		elog(ERROR, "unknown %s status", sched_entity_name(e));
	return status;
}

/*
 * SchedRowText: a text column as a C string, or NULL.
 */
char *
SchedRowText(SchedRow *row, int c)
{
	if (ROW_ISNULL(row, c))
		return NULL;
	return TextDatumGetCString(ROW_VALUE(row, c));
}

/*
 * SchedRowSet: replace a column's value.
 */
void
SchedRowSet(SchedRow *row, int c, Datum value, bool isnull)
{
	row->values[row->col[c]] = isnull ? (Datum) 0 : value;
	row->nulls[row->col[c]] = isnull;
}

/*
 * SchedRowSetText: replace a text column's value; NULL sets it null.
 */
void
SchedRowSetText(SchedRow *row, int c, const char *value)
{
	if (value == NULL)
		SchedRowSet(row, c, (Datum) 0, true);
	else
		SchedRowSet(row, c, CStringGetTextDatum(value), false);
}

/*
 * SchedEnumLabel: the label of an enum value (a syscache lookup).
 */
const char *
SchedEnumLabel(Datum value)
{
	return DatumGetCString(DirectFunctionCall1(enum_out, value));
}

/*
 * SchedRowId: see rows.h.
 */
int64
SchedRowId(Datum row, const char *column)
{
	bool		isnull;
	Datum		id = GetAttributeByName(DatumGetHeapTupleHeader(row), column, &isnull);

	if (isnull)
		elog(ERROR, "the row has no %s", column);
	return DatumGetInt64(id);
}

