/*
 * rowwriter.c
 *		Inserting the rows that announce a change (status_history and
 *		outbox) without going through SQL.
 *
 * A booking writes a history row and two or three outbox rows.  Through
 * SPI each INSERT pays for a plan check, an executor start-up and shut-down
 * and a snapshot, more than the insertion itself.  Here the rows go in the
 * way logical replication applies them (ExecSimpleRelationInsert): NOT
 * NULL and CHECK constraints are checked, index entries made, the heap and
 * WAL written as for any INSERT.  Columns the caller does not give get
 * their defaults (job_id, run_at, state ...), from expressions compiled once
 * per session and dropped by the table's relcache invalidation, so a
 * column that a later version adds with a default is filled correctly.
 *
 * A DBA may add triggers or row-level security to these tables; then the
 * rows go through the SPI statements (plans.c) instead, so that the
 * triggers fire and the policies apply.
 */
#include "sched.h"

#include "access/table.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "utils/inval.h"
#include "utils/memutils.h"

/*
 * Default expressions of one table, compiled for the session.  An
 * invalidation only marks them stale: it can arrive while they are being
 * evaluated (nextval takes a lock, and taking a lock reads invalidations),
 * so they are freed and compiled again at the start of the next write.
 */
typedef struct DefaultsCache
{
	Oid			relid;
	bool		valid;
	MemoryContext cxt;
	ExprState **defaults;		/* per attribute, NULL: no default */
} DefaultsCache;

static DefaultsCache history_defaults;
static DefaultsCache outbox_defaults;

/*
 * DefaultsChanged: relcache callback; the table changed (ALTER TABLE,
 * TRUNCATE, DROP EXTENSION), so compile its defaults again next time.
 */
static void
DefaultsChanged(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == history_defaults.relid)
		history_defaults.valid = false;
	if (relid == InvalidOid || relid == outbox_defaults.relid)
		outbox_defaults.valid = false;
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
	int			i;

	MemoryContext cxt;
	ExprState **defaults;

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
	return defaults;
}

/*
 * WriteThroughSql: the rows one INSERT statement each (the table has
 * triggers or row-level security).  Needs SPI.
 */
static void
WriteThroughSql(SchedTable t, int nrows, int ncols, const Datum *values, const bool *nulls)
{
	SPIPlanPtr	plan = SchedPlan(t == TABLE_OUTBOX ? PLAN_INSERT_OUTBOX : PLAN_INSERT_HISTORY);
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
	Relation	rel = table_open(SchedRelOid(t == TABLE_OUTBOX ? REL_OUTBOX : REL_HISTORY),
								 RowExclusiveLock);
	TupleDesc	desc = RelationGetDescr(rel);
	const int  *col;
	ExprState **defaults;
	EState	   *estate;
	RangeTblEntry *rte;
	ResultRelInfo *rri;
	ExprContext *econtext;
	TupleTableSlot *slot;
	bool	   *given;
	int			r;
	int			c;
	int			i;

	if (nrows == 0)
	{
		table_close(rel, NoLock);
		return;
	}
	if (rel->trigdesc != NULL || rel->rd_rel->relrowsecurity)
	{
		table_close(rel, NoLock);
		WriteThroughSql(t, nrows, ncols, values, nulls);
		return;
	}
	col = SchedTableColumns(rel, t);
	defaults = Defaults(t == TABLE_OUTBOX ? &outbox_defaults : &history_defaults, rel);
	estate = CreateExecutorState();
	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = RelationGetRelid(rel);
	rte->relkind = rel->rd_rel->relkind;
	rte->rellockmode = RowExclusiveLock;
	ExecInitRangeTable(estate, list_make1(rte));
	rri = makeNode(ResultRelInfo);
	InitResultRelInfo(rri, rel, 1, NULL, 0);
	ExecOpenIndices(rri, false);
	estate->es_output_cid = GetCurrentCommandId(true);
	slot = ExecInitExtraTupleSlot(estate, desc, &TTSOpsVirtual);
	econtext = GetPerTupleExprContext(estate);
	given = palloc0(desc->natts * sizeof(bool));
	for (c = 0; c < ncols; c++)
		given[col[c]] = true;

	for (r = 0; r < nrows; r++)
	{
		ExecClearTuple(slot);
		for (i = 0; i < desc->natts; i++)
		{
			slot->tts_isnull[i] = true;
			slot->tts_values[i] = (Datum) 0;
			if (!given[i] && defaults[i] != NULL)
				slot->tts_values[i] = ExecEvalExprSwitchContext(defaults[i], econtext,
																&slot->tts_isnull[i]);
		}
		for (c = 0; c < ncols; c++)
		{
			slot->tts_values[col[c]] = values[r * ncols + c];
			slot->tts_isnull[col[c]] = nulls[r * ncols + c];
		}
		ExecStoreVirtualTuple(slot);
		ExecSimpleRelationInsert(rri, estate, slot);
		ResetPerTupleExprContext(estate);
	}

	ExecCloseIndices(rri);
	ExecResetTupleTable(estate->es_tupleTable, false);
	FreeExecutorState(estate);
	table_close(rel, NoLock);
}
