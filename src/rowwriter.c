/*
 * rowwriter.c
 *		Writing the rows that announce a change (status_history, outbox)
 *		and count it (user_profiles) without going through SQL.
 *
 * A booking writes a history row, two or three outbox rows and a profile
 * count.  Through SPI each of those statements pays for a plan check, an
 * executor start-up and shut-down and a snapshot, more than the writing
 * itself.  Here the rows go in the way logical replication applies them
 * (ExecSimpleRelationInsert / ExecSimpleRelationUpdate): NOT NULL and
 * CHECK constraints are checked, index entries made, the heap and WAL
 * written as for any INSERT or UPDATE.  Columns the caller does not give
 * get their defaults (job_id, run_at, state ...), from expressions
 * compiled once per session, so a column that a later version adds with a
 * default is filled correctly; the partial indexes' predicates, the
 * tables' CHECK constraints and the generated ref column are compiled once
 * per session too.
 *
 * A DBA may add triggers or row-level security to these tables; then the
 * rows go through SQL instead (the statements below), so that the
 * triggers fire and the policies apply.
 *
 * The booking calls insert their visit or callback the same way
 * (SchedInsertBooking), with the table's row triggers fired as for an
 * INSERT: the BEFORE trigger while the row goes in, the AFTER triggers
 * (sched's own, any a DBA added) when it is in.  A DBA's statement
 * trigger, transition table or row-level security sends the booking
 * through an INSERT statement instead, so that they work as for any
 * INSERT (docs/performance.md measured what the statements cost).
 */
#include "sched.h"
#include "compat.h"
#include "plans.h"
#include "rows.h"
#include "rowwriter.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "executor/nodeModifyTable.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/*
 * Default expressions of one table, compiled for the session.  An
 * invalidation only marks them stale: it can arrive while they are being
 * evaluated (nextval takes a lock, and taking a lock reads invalidations),
 * so they are freed and compiled again at the start of the next write.
 */
#define MAX_CACHED_PREDICATES 8

typedef struct DefaultsCache
{
	Oid			relid;
	bool		valid;
	MemoryContext cxt;
	ExprState **defaults;		/* per attribute, NULL: no default */
	int			npredicates;	/* partial indexes' predicates, compiled */
	Oid			predicate_index[MAX_CACHED_PREDICATES];
	ExprState  *predicate[MAX_CACHED_PREDICATES];
	bool		generated_ready;	/* generated[] is compiled */
	ExprState **generated;		/* stored generated columns, per attribute */
	int			ngenerated;
	bool		checks_ready;	/* checks[] is compiled */
	ExprState **checks;			/* CHECK constraints, in the table's order */
	int			nchecks;
} DefaultsCache;

/*
 * The same rows through SQL, for tables with triggers or row-level
 * security of a DBA's: $n in the order of the column enums (HistoryColumn,
 * OutboxColumn).
 */
static SchedStatement insert_history = {
	"INSERT INTO sched.status_history"
	" (entity, entity_id, from_status, to_status, changed_by, note)"
	" VALUES ($1, $2, $3, $4, $5, $6)",
	6, {SCHED_TYPE(TYPE_ENTITY), INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID}
};
static SchedStatement insert_outbox = {
	"INSERT INTO sched.outbox"
	" (entity, entity_id, channel, recipient, template, payload, run_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7)",
	7, {SCHED_TYPE(TYPE_ENTITY), INT8OID, SCHED_TYPE(TYPE_CHANNEL), TEXTOID, TEXTOID, JSONBOID,
	TIMESTAMPTZOID}
};
static SchedStatement upsert_profile = {
	"INSERT INTO sched.user_profiles AS p"
	" (user_id, site_visits_scheduled, callbacks_requested, intent_points, lead_score)"
	" VALUES ($1, $2, $3, $4, $5)"
	" ON CONFLICT (user_id) DO UPDATE SET"
	" site_visits_scheduled = p.site_visits_scheduled + excluded.site_visits_scheduled,"
	" callbacks_requested = p.callbacks_requested + excluded.callbacks_requested,"
	" intent_points = p.intent_points + excluded.intent_points,"
	" lead_score = COALESCE(excluded.lead_score, p.lead_score),"
	" updated_at = pg_catalog.now()",
	5, {TEXTOID, INT4OID, INT4OID, INT4OID, INT4OID}
};

/* a booking, with the booking call's arguments in order, returned whole */
static SchedStatement insert_visit = {
	"INSERT INTO sched.scheduled_visits AS v"
	" (user_id, project, visit_date, time_slot, contact_name, contact_phone, contact_email,"
	" user_notes, session_id, lead_score, idempotency_key)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING v",
	11, {TEXTOID, TEXTOID, DATEOID, SCHED_TYPE(TYPE_TIME_SLOT), TEXTOID, TEXTOID, TEXTOID,
	TEXTOID, TEXTOID, INT4OID, TEXTOID}
};
static SchedStatement insert_callback = {
	"INSERT INTO sched.callbacks AS c"
	" (user_id, contact_name, contact_phone, reason, urgency, contact_email, session_id,"
	" lead_score, idempotency_key)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING c",
	9, {TEXTOID, TEXTOID, TEXTOID, TEXTOID, SCHED_TYPE(TYPE_URGENCY), TEXTOID, TEXTOID,
	INT4OID, TEXTOID}
};

static DefaultsCache history_defaults;
static DefaultsCache outbox_defaults;
static DefaultsCache profile_defaults;
static DefaultsCache visit_defaults;
static DefaultsCache callback_defaults;

/* A table opened for writing rows without SQL. */
typedef struct Writer
{
	Relation	rel;
	SchedTable	table;
	const int  *col;			/* the table's column map */
	ExprState **defaults;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;		/* the row being written */
} Writer;

/*
 * DefaultsChanged: relcache callback; the table changed (ALTER TABLE,
 * TRUNCATE, DROP EXTENSION), so compile its defaults again next time.
 */
static void
DefaultsChanged(Datum arg, Oid relid)
{
	DefaultsCache *all[] = {&history_defaults, &outbox_defaults, &profile_defaults,
	&visit_defaults, &callback_defaults};
	int			i;

	for (i = 0; i < lengthof(all); i++)
		if (relid == InvalidOid || relid == all[i]->relid)
			all[i]->valid = false;
}

/*
 * SchedRowWriterInit: called once per backend by _PG_init.
 */
void
SchedRowWriterInit(void)
{
	CacheRegisterRelcacheCallback(DefaultsChanged, (Datum) 0);
}

/*
 * Defaults: the compiled default expressions of rel.
 */
static ExprState **
Defaults(DefaultsCache *cache, Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old;
	MemoryContext cxt;
	ExprState **defaults;
	int			i;

	if (cache->valid && cache->defaults != NULL && cache->relid == RelationGetRelid(rel))
		return cache->defaults;

	/* valid from now on unless an invalidation arrives while compiling */
	cache->valid = true;
	cache->relid = RelationGetRelid(rel);
	cxt = AllocSetContextCreate(TopMemoryContext, "sched row writer",
								ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);
	defaults = palloc0(desc->natts * sizeof(ExprState *));
	for (i = 0; i < desc->natts; i++)
	{
		Node	   *def;

		if (TupleDescAttr(desc, i)->attisdropped ||
			TupleDescAttr(desc, i)->attgenerated)
			continue;
		def = build_column_default(rel, i + 1);
		if (def != NULL)
			defaults[i] = ExecInitExpr(expression_planner((Expr *) def), NULL);
	}
	MemoryContextSwitchTo(old);
	if (cache->cxt != NULL)
		MemoryContextDelete(cache->cxt);
	cache->cxt = cxt;
	cache->defaults = defaults;
	cache->npredicates = 0;
	cache->generated_ready = false;
	cache->checks_ready = false;
	return defaults;
}

/*
 * ReusePredicates: give the partial indexes of an opened writer their
 * predicates compiled once per session, in the defaults' context (so they
 * go when the table changes), instead of the executor compiling them for
 * every write (ExecInsertIndexTuples compiles a missing ii_PredicateState).
 */
static void
ReusePredicates(ResultRelInfo *rri, DefaultsCache *cache)
{
	int			i;

	for (i = 0; i < rri->ri_NumIndices; i++)
	{
		IndexInfo  *ii = rri->ri_IndexRelationInfo[i];
		Oid			index = RelationGetRelid(rri->ri_IndexRelationDescs[i]);
		int			k;

		if (ii->ii_Predicate == NIL)
			continue;
		for (k = 0; k < cache->npredicates; k++)
			if (cache->predicate_index[k] == index)
				break;
		if (k == cache->npredicates)
		{
			MemoryContext old;

			if (k == MAX_CACHED_PREDICATES)
				continue;		/* the executor compiles this one itself */
			old = MemoryContextSwitchTo(cache->cxt);
			cache->predicate[k] =
				ExecInitQual((List *) expression_planner((Expr *) copyObject(ii->ii_Predicate)),
							 NULL);
			MemoryContextSwitchTo(old);
			cache->predicate_index[k] = index;
			cache->npredicates++;
		}
		ii->ii_PredicateState = cache->predicate[k];
	}
}

/*
 * ReuseGenerated: give an opened writer the expressions of the table's
 * stored generated columns (the visits' and callbacks' ref) compiled once
 * per session, as ReusePredicates does for index predicates: an INSERT
 * computes every stored generated column, and the executor would compile
 * them for every write (ExecComputeStoredGenerated compiles them when it
 * finds none).
 */
static void
ReuseGenerated(ResultRelInfo *rri, DefaultsCache *cache)
{
	Relation	rel = rri->ri_RelationDesc;
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (desc->constr == NULL || !desc->constr->has_generated_stored)
		return;
	if (!cache->generated_ready)
	{
		MemoryContext old = MemoryContextSwitchTo(cache->cxt);

		cache->generated = palloc0(desc->natts * sizeof(ExprState *));
		cache->ngenerated = 0;
		for (i = 0; i < desc->natts; i++)
		{
			Node	   *expr;

			if (TupleDescAttr(desc, i)->attgenerated != ATTRIBUTE_GENERATED_STORED)
				continue;
			expr = build_column_default(rel, i + 1);
			if (expr == NULL)
				elog(ERROR, "no generation expression found for column %d of \"%s\"",
					 i + 1, RelationGetRelationName(rel));
			cache->generated[i] = ExecInitExpr(expression_planner((Expr *) expr), NULL);
			cache->ngenerated++;
		}
		MemoryContextSwitchTo(old);
		cache->generated_ready = true;
	}
	SchedSetInsertGenerated(rri, cache->generated, cache->ngenerated);
}

/*
 * ReuseChecks: give an opened writer the table's CHECK constraints
 * compiled once per session, as ReusePredicates does for index
 * predicates: ExecConstraints reads every constraint's stored expression
 * and compiles it for each new result relation, that is for every write
 * here (about 26,000 instructions of a booking, whose visit and profile
 * rows both have CHECK constraints).
 */
static void
ReuseChecks(ResultRelInfo *rri, DefaultsCache *cache)
{
	Relation	rel = rri->ri_RelationDesc;
	TupleConstr *constr = RelationGetDescr(rel)->constr;
	int			i;

	if (constr == NULL || constr->num_check == 0)
		return;
	if (!cache->checks_ready)
	{
		MemoryContext old = MemoryContextSwitchTo(cache->cxt);

		cache->checks = palloc0(constr->num_check * sizeof(ExprState *));
		for (i = 0; i < constr->num_check; i++)
			cache->checks[i] = SchedCompileCheck(rel, i);
		cache->nchecks = constr->num_check;
		MemoryContextSwitchTo(old);
		cache->checks_ready = true;
	}
	/* a count that differs (cannot, short of a missed invalidation): the executor compiles them */
	if (cache->nchecks == constr->num_check)
		SchedSetCheckExprs(rri, cache->checks);
}

/*
 * InsertTriggers: the table has triggers that an INSERT fires: per row
 * (rows too), or per statement and with transition tables (statement).
 * Triggers on other events (sched's protect_rows on the history and the
 * outbox, 1.3) do not concern a writer that only inserts.
 */
static bool
InsertTriggers(TriggerDesc *triggers, bool rows)
{
	if (triggers == NULL)
		return false;
	return triggers->trig_insert_before_statement || triggers->trig_insert_after_statement ||
		triggers->trig_insert_new_table ||
		(rows && (triggers->trig_insert_before_row || triggers->trig_insert_after_row ||
				  triggers->trig_insert_instead_row));
}

/*
 * OpenWriter: open one of the tables for writing without SQL; false (and
 * nothing open) if it has row-level security or triggers an INSERT
 * fires.  The booking tables (with_triggers) have sched's own row
 * triggers, which fire here as for an INSERT; only a statement trigger or
 * a trigger with a transition table (a DBA's) sends their rows through
 * SQL too.
 */
static bool
OpenWriter(Writer *w, SchedTable t, bool with_triggers)
{
	static const SchedRelId ids[] = {
		[TABLE_VISITS] = REL_VISITS, [TABLE_CALLBACKS] = REL_CALLBACKS,
		[TABLE_HISTORY] = REL_HISTORY, [TABLE_OUTBOX] = REL_OUTBOX,
		[TABLE_PROFILES] = REL_PROFILES,
	};
	static DefaultsCache *const caches[] = {
		[TABLE_VISITS] = &visit_defaults, [TABLE_CALLBACKS] = &callback_defaults,
		[TABLE_HISTORY] = &history_defaults, [TABLE_OUTBOX] = &outbox_defaults,
		[TABLE_PROFILES] = &profile_defaults,
	};
	RangeTblEntry *rte;
	Relation	rel = table_open(SchedRelOid(ids[t]), RowExclusiveLock);
	TriggerDesc *triggers = rel->trigdesc;

	if (rel->rd_rel->relrowsecurity || InsertTriggers(triggers, !with_triggers))
	{
		table_close(rel, NoLock);
		return false;
	}
	w->table = t;
	w->estate = CreateExecutorState();
	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = RelationGetRelid(rel);
	rte->relkind = rel->rd_rel->relkind;
	rte->rellockmode = RowExclusiveLock;
	SchedInitRangeTable(w->estate, rte);
	w->rri = makeNode(ResultRelInfo);
	ExecInitResultRelation(w->estate, w->rri, 1);
	w->rel = w->rri->ri_RelationDesc;
	table_close(rel, NoLock);	/* the result relation holds it open */
	w->col = SchedTableColumns(w->rel, t);
	w->defaults = Defaults(caches[t], w->rel);
	ExecOpenIndices(w->rri, false);
	ReusePredicates(w->rri, caches[t]);
	ReuseGenerated(w->rri, caches[t]);
	ReuseChecks(w->rri, caches[t]);
	w->estate->es_output_cid = GetCurrentCommandId(true);
	w->slot = ExecInitExtraTupleSlot(w->estate, RelationGetDescr(w->rel), &TTSOpsVirtual);
	return true;
}

static void
CloseWriter(Writer *w)
{
	ExecCloseResultRelations(w->estate);	/* the indexes */
	ExecCloseRangeTableRelations(w->estate);	/* the table */
	ExecResetTupleTable(w->estate->es_tupleTable, false);
	FreeExecutorState(w->estate);
}

/*
 * FillDefaults: the writer's slot holds every column's default, NULL
 * where there is none, except the columns in given[].
 */
static void
FillDefaultsIn(Writer *w, const bool *given, TupleTableSlot *slot)
{
	TupleDesc	desc = RelationGetDescr(w->rel);
	ExprContext *econtext = GetPerTupleExprContext(w->estate);
	int			i;

	ExecClearTuple(slot);
	for (i = 0; i < desc->natts; i++)
	{
		slot->tts_isnull[i] = true;
		slot->tts_values[i] = (Datum) 0;
		if (!given[i] && w->defaults[i] != NULL)
			slot->tts_values[i] = ExecEvalExprSwitchContext(w->defaults[i], econtext,
															&slot->tts_isnull[i]);
	}
}

static void
FillDefaults(Writer *w, const bool *given)
{
	FillDefaultsIn(w, given, w->slot);
}

/*
 * InsertMany: insert rows into a table without INSERT triggers as
 * ExecSimpleRelationInsert would insert each, but with one heap call
 * (heap_multi_insert: one buffer lock and one WAL record per page instead
 * of one per row), then each row's index entries.  The slots hold their
 * own copies of their values (materialised).
 */
static void
InsertMany(Writer *w, TupleTableSlot **slots, int nslots)
{
	Relation	rel = w->rel;
	int			i;

	Assert(!InsertTriggers(rel->trigdesc, true));
	CheckCmdReplicaIdentity(rel, CMD_INSERT);
	for (i = 0; i < nslots; i++)
	{
		if (rel->rd_att->constr && rel->rd_att->constr->has_generated_stored)
			ExecComputeStoredGenerated(w->rri, w->estate, slots[i], CMD_INSERT);
		if (rel->rd_att->constr)
			ExecConstraints(w->rri, slots[i], w->estate);
		ExecMaterializeSlot(slots[i]);
		ResetPerTupleExprContext(w->estate);
	}
	table_multi_insert(rel, slots, nslots, GetCurrentCommandId(true), 0, NULL);
	for (i = 0; i < nslots; i++)
	{
		if (w->rri->ri_NumIndices > 0)
			SchedInsertIndexEntries(w->rri, slots[i], w->estate);
		ResetPerTupleExprContext(w->estate);
	}
}

/*
 * WriteThroughSql: the rows one INSERT statement each (the table has
 * triggers or row-level security).  Needs SPI.
 */
static void
WriteThroughSql(SchedTable t, int nrows, int ncols, const Datum *values, const bool *nulls)
{
	SPIPlanPtr	plan = SchedPrepared(t == TABLE_OUTBOX ? &insert_outbox : &insert_history);
	char	   *cnulls = palloc(ncols);
	int			r;
	int			c;

	for (r = 0; r < nrows; r++)
	{
		for (c = 0; c < ncols; c++)
			cnulls[c] = nulls[r * ncols + c] ? 'n' : ' ';
		if (SPI_execute_plan(plan, (Datum *) &values[r * ncols], cnulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "inserting into %s failed", t == TABLE_OUTBOX ? "sched.outbox" : "sched.status_history");
	}
}

/*
 * SchedWriteRows: insert nrows rows into status_history (TABLE_HISTORY)
 * or outbox (TABLE_OUTBOX).  values and nulls hold nrows * ncols entries,
 * row by row, in the order of the table's column enum (HistoryColumn,
 * OutboxColumn); every other column gets its default.  Needs SPI (for
 * the fallback).
 */
void
SchedWriteRows(SchedTable t, int nrows, int ncols,
			   const Datum *values, const bool *nulls)
{
	Writer		w;
	bool	   *given;
	TupleTableSlot **slots;
	int			r;
	int			c;

	if (nrows == 0)
		return;
	if (!OpenWriter(&w, t, false))
	{
		WriteThroughSql(t, nrows, ncols, values, nulls);
		return;
	}
	given = palloc0(RelationGetDescr(w.rel)->natts * sizeof(bool));
	for (c = 0; c < ncols; c++)
		given[w.col[c]] = true;
	slots = palloc(nrows * sizeof(TupleTableSlot *));
	for (r = 0; r < nrows; r++)
	{
		slots[r] = r == 0 ? w.slot :
			ExecInitExtraTupleSlot(w.estate, RelationGetDescr(w.rel), &TTSOpsVirtual);
		FillDefaultsIn(&w, given, slots[r]);
		for (c = 0; c < ncols; c++)
		{
			slots[r]->tts_values[w.col[c]] = values[r * ncols + c];
			slots[r]->tts_isnull[w.col[c]] = nulls[r * ncols + c];
		}
		ExecStoreVirtualTuple(slots[r]);
		ExecMaterializeSlot(slots[r]);	/* the defaults are per tuple */
		ResetPerTupleExprContext(w.estate);
	}
	InsertMany(&w, slots, nrows);
	CloseWriter(&w);
}

/*
 * LockProfile: serialise the counting of one user's bookings, so that
 * the first booking of a user can insert the profile row without racing
 * another (a shared hash only makes two users wait for each other).
 */
static void
LockProfile(const char *user_id)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, SCHED_LOCK_CLASS_PROFILE,
						 hash_bytes((const unsigned char *) user_id, strlen(user_id)), 2);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * SchedCountInProfile: add a booking to the user's profile: visits and
 * callbacks counted, intent points added, lead_score replaced when the
 * booking carries one; the row is made on the user's first booking.
 * Needs SPI (for the fallback).
 */
void
SchedCountInProfile(Datum user_id, int32 visits, int32 callbacks, int32 points,
					Datum lead_score, bool score_null)
{
	Writer		w;
	TupleTableSlot *found;
	bool	   *given;
	const int  *col;

	/* a profile row written earlier in this statement must be seen and locked */
	CommandCounterIncrement();
	if (!OpenWriter(&w, TABLE_PROFILES, false))
	{
		Datum		values[5] = {user_id, Int32GetDatum(visits), Int32GetDatum(callbacks),
		Int32GetDatum(points), lead_score};
		char		nulls[5] = {' ', ' ', ' ', ' ', score_null ? 'n' : ' '};

		if (SPI_execute_plan(SchedPrepared(&upsert_profile), values, nulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "updating user_profiles failed");
		return;
	}
	col = w.col;
	LockProfile(TextDatumGetCString(user_id));

	/* look the user up by the primary key, locking the row if it is there */
	given = palloc0(RelationGetDescr(w.rel)->natts * sizeof(bool));
	ExecClearTuple(w.slot);
	memset(w.slot->tts_isnull, true, RelationGetDescr(w.rel)->natts * sizeof(bool));
	w.slot->tts_values[col[PC_USER_ID]] = user_id;
	w.slot->tts_isnull[col[PC_USER_ID]] = false;
	ExecStoreVirtualTuple(w.slot);
	found = table_slot_create(w.rel, &w.estate->es_tupleTable);
	if (RelationFindReplTupleByIndex(w.rel, SchedRelOid(REL_PROFILES_PKEY), LockTupleExclusive,
									 w.slot, found))
	{
		slot_getallattrs(found);
		ExecClearTuple(w.slot);
		memcpy(w.slot->tts_values, found->tts_values, RelationGetDescr(w.rel)->natts * sizeof(Datum));
		memcpy(w.slot->tts_isnull, found->tts_isnull, RelationGetDescr(w.rel)->natts * sizeof(bool));
		w.slot->tts_values[col[PC_VISITS]] =
			Int32GetDatum(DatumGetInt32(found->tts_values[col[PC_VISITS]]) + visits);
		w.slot->tts_values[col[PC_CALLBACKS]] =
			Int32GetDatum(DatumGetInt32(found->tts_values[col[PC_CALLBACKS]]) + callbacks);
		w.slot->tts_values[col[PC_POINTS]] =
			Int32GetDatum(DatumGetInt32(found->tts_values[col[PC_POINTS]]) + points);
		w.slot->tts_values[col[PC_UPDATED_AT]] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
		w.slot->tts_isnull[col[PC_UPDATED_AT]] = false;
		if (!score_null)
		{
			w.slot->tts_values[col[PC_LEAD_SCORE]] = lead_score;
			w.slot->tts_isnull[col[PC_LEAD_SCORE]] = false;
		}
		ExecStoreVirtualTuple(w.slot);
		ExecSimpleRelationUpdate(w.rri, w.estate, NULL, found, w.slot);
	}
	else
	{
		given[col[PC_USER_ID]] = given[col[PC_VISITS]] = given[col[PC_CALLBACKS]] = true;
		given[col[PC_POINTS]] = given[col[PC_LEAD_SCORE]] = true;
		FillDefaults(&w, given);
		w.slot->tts_values[col[PC_USER_ID]] = user_id;
		w.slot->tts_isnull[col[PC_USER_ID]] = false;
		w.slot->tts_values[col[PC_VISITS]] = Int32GetDatum(visits);
		w.slot->tts_isnull[col[PC_VISITS]] = false;
		w.slot->tts_values[col[PC_CALLBACKS]] = Int32GetDatum(callbacks);
		w.slot->tts_isnull[col[PC_CALLBACKS]] = false;
		w.slot->tts_values[col[PC_POINTS]] = Int32GetDatum(points);
		w.slot->tts_isnull[col[PC_POINTS]] = false;
		w.slot->tts_values[col[PC_LEAD_SCORE]] = lead_score;
		w.slot->tts_isnull[col[PC_LEAD_SCORE]] = score_null;
		ExecStoreVirtualTuple(w.slot);
		ExecSimpleRelationInsert(w.rri, w.estate, w.slot);
	}
	CloseWriter(&w);
}

/*
 * InsertBookingThroughSql: the booking through an INSERT ... RETURNING
 * statement, for a table whose DBA added statement triggers, transition
 * tables or row-level security.  The columns must be the booking call's
 * arguments, in order.
 */
static Datum
InsertBookingThroughSql(SchedTable t, int ncols, const int *cols,
						const Datum *values, const bool *nulls)
{
	static const int visit_args[] = {
		VC_USER_ID, VC_PROJECT, VC_VISIT_DATE, VC_TIME_SLOT, VC_CONTACT_NAME,
		VC_CONTACT_PHONE, VC_CONTACT_EMAIL, VC_USER_NOTES, VC_SESSION_ID,
		VC_LEAD_SCORE, VC_IDEMPOTENCY_KEY
	};
	static const int callback_args[] = {
		CC_USER_ID, CC_CONTACT_NAME, CC_CONTACT_PHONE, CC_REASON, CC_URGENCY,
		CC_CONTACT_EMAIL, CC_SESSION_ID, CC_LEAD_SCORE, CC_IDEMPOTENCY_KEY
	};
	bool		visit = t == TABLE_VISITS;
	char		cnulls[SCHED_MAX_ARGS];
	Datum		row;
	int			c;

	if (ncols != (visit ? lengthof(visit_args) : lengthof(callback_args)) ||
		memcmp(cols, visit ? visit_args : callback_args, ncols * sizeof(int)) != 0)
		elog(ERROR, "SchedInsertBooking: the columns are not the booking call's arguments");
	for (c = 0; c < ncols; c++)
		cnulls[c] = nulls[c] ? 'n' : ' ';
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (!SchedRunForDatum(SchedPrepared(visit ? &insert_visit : &insert_callback),
						  (Datum *) values, cnulls, false, &row))
		elog(ERROR, "inserting the booking returned no row");
	row = SPI_datumTransfer(row, false, -1);
	SPI_finish();
	return row;
}

/*
 * SchedInsertBooking: insert a visit (TABLE_VISITS) or callback
 * (TABLE_CALLBACKS) as an INSERT statement would, triggers included, and
 * return the stored row as a composite value in the current memory
 * context.  values and nulls are ncols values of the columns cols[] (the
 * table's column enum: the booking call's arguments); every other column
 * gets its default.  A table with a DBA's statement triggers, transition
 * tables or row-level security gets an INSERT statement instead.
 */
Datum
SchedInsertBooking(SchedTable t, int ncols, const int *cols,
				   const Datum *values, const bool *nulls)
{
	Writer		w;
	bool	   *given;
	Datum		row;
	int			c;

	if (!OpenWriter(&w, t, true))
		return InsertBookingThroughSql(t, ncols, cols, values, nulls);
	given = palloc0(RelationGetDescr(w.rel)->natts * sizeof(bool));
	for (c = 0; c < ncols; c++)
		given[w.col[cols[c]]] = true;
	FillDefaults(&w, given);
	for (c = 0; c < ncols; c++)
	{
		w.slot->tts_values[w.col[cols[c]]] = values[c];
		w.slot->tts_isnull[w.col[cols[c]]] = nulls[c];
	}
	ExecStoreVirtualTuple(w.slot);

	AfterTriggerBeginQuery();
	ExecSimpleRelationInsert(w.rri, w.estate, w.slot);
	AfterTriggerEndQuery(w.estate);

	/* the row as stored: what the BEFORE trigger made of it, ref computed */
	row = ExecFetchSlotHeapTupleDatum(w.slot);
	CloseWriter(&w);
	return row;
}
