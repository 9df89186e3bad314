/*
 * compat.h
 *		Every difference between the PostgreSQL majors sched builds against
 *		(15 to 18), in one place: the files call these names and never test
 *		PG_VERSION_NUM themselves.
 *
 * Majors without server headers here (16) follow the documented changes
 * of their release; test/check-matrix.sh builds and tests 15, 17 and 18.
 */
#ifndef SCHED_COMPAT_H
#define SCHED_COMPAT_H

#include "postgres.h"

#include "access/genam.h"
#include "executor/executor.h"
#include "funcapi.h"
#include "nodes/bitmapset.h"
#include "optimizer/optimizer.h"
#if PG_VERSION_NUM >= 160000
#include "parser/parse_relation.h"
#endif
#if PG_VERSION_NUM >= 180000
#include "rewrite/rewriteHandler.h"
#endif
#include "storage/proc.h"
#include "utils/rel.h"
#include "utils/guc.h"

#if PG_VERSION_NUM < 150000
#error "sched needs PostgreSQL 15 or later"
#endif

/*
 * SchedGucMalloc: memory for a GUC check hook's extra.  From 16 the
 * server frees it with guc_free (pfree-compatible), so it must come from
 * guc_malloc; before, it was freed with free().
 */
#if PG_VERSION_NUM >= 160000
#define SchedGucMalloc(size)	guc_malloc(LOG, (size))
#else
#define SchedGucMalloc(size)	malloc(size)
#endif

/*
 * SchedMyProcNumber: this backend's index in ProcGlobal->allProcs (17:
 * MyProcNumber instead of MyProc->pgprocno).
 */
#if PG_VERSION_NUM >= 170000
#define SchedMyProcNumber()		((int) MyProcNumber)
#else
#define SchedMyProcNumber()		(MyProc->pgprocno)
#endif

/*
 * SchedInitRangeTable: an executor state whose range table is the one
 * relation rte (16 added the permission infos: rte gets one, asking for
 * nothing, as logical replication's apply does; the executor looks it up
 * for the updated columns when an UPDATE is not HOT.  18 added the
 * unpruned relations, which must hold it).
 */
static inline void
SchedInitRangeTable(EState *estate, RangeTblEntry *rte)
{
#if PG_VERSION_NUM >= 160000
	List	   *perminfos = NIL;

	addRTEPermissionInfo(&perminfos, rte);
#endif
#if PG_VERSION_NUM >= 180000
	ExecInitRangeTable(estate, list_make1(rte), perminfos, bms_make_singleton(1));
#elif PG_VERSION_NUM >= 160000
	ExecInitRangeTable(estate, list_make1(rte), perminfos);
#else
	ExecInitRangeTable(estate, list_make1(rte));
#endif
}

/*
 * SchedSetInsertGenerated: give a result relation the compiled
 * expressions of its stored generated columns for INSERT (16 split them
 * into the INSERT and UPDATE sets).
 */
static inline void
SchedSetInsertGenerated(ResultRelInfo *rri, ExprState **exprs, int n)
{
#if PG_VERSION_NUM >= 160000
	rri->ri_GeneratedExprsI = exprs;
	rri->ri_NumGeneratedNeededI = n;
#else
	rri->ri_GeneratedExprs = exprs;
	rri->ri_NumGeneratedNeeded = n;
#endif
}

/*
 * SchedCompileCheck: CHECK constraint i of rel compiled for any executor
 * state, as ExecRelCheck compiles it for one (18: a NOT ENFORCED
 * constraint has none, NULL, and virtual generated columns are expanded
 * in it).  SchedSetCheckExprs gives a result relation such an array, in
 * the order of rel's constraints, so ExecConstraints does not compile them
 * again (18 renamed the field).
 */
static inline ExprState *
SchedCompileCheck(Relation rel, int i)
{
	ConstrCheck *check = &RelationGetDescr(rel)->constr->check[i];
	Expr	   *expr;

#if PG_VERSION_NUM >= 180000
	if (!check->ccenforced)
		return NULL;
#endif
	expr = (Expr *) stringToNode(check->ccbin);
#if PG_VERSION_NUM >= 180000
	expr = (Expr *) expand_generated_columns_in_expr((Node *) expr, rel, 1);
#endif
	return ExecInitExpr(expression_planner(expr), NULL);
}

static inline void
SchedSetCheckExprs(ResultRelInfo *rri, ExprState **exprs)
{
#if PG_VERSION_NUM >= 180000
	rri->ri_CheckConstraintExprs = exprs;
#else
	rri->ri_ConstraintExprs = exprs;
#endif
}

/*
 * SchedInsertIndexEntries: a new row's index entries, every index (16
 * added onlySummarizing, for HOT updates; an INSERT makes them all).
 */
static inline void
SchedInsertIndexEntries(ResultRelInfo *rri, TupleTableSlot *slot, EState *estate)
{
#if PG_VERSION_NUM >= 160000
	list_free(ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL, false));
#else
	list_free(ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL));
#endif
}

/*
 * SchedInitMaterializedSRF: a set-returning call's materialised result
 * (15.0 had only SetSingleFuncCall, which every 15.x keeps; 16 has only
 * InitMaterializedSRF).
 */
#if PG_VERSION_NUM >= 160000
#define SchedInitMaterializedSRF(fcinfo)	InitMaterializedSRF((fcinfo), 0)
#else
#define SchedInitMaterializedSRF(fcinfo)	SetSingleFuncCall((fcinfo), 0)
#endif

/*
 * SchedIndexBeginScan: an index scan without ORDER BY (18 added the
 * instrumentation argument, NULL when nothing is counted).
 */
#if PG_VERSION_NUM >= 180000
#define SchedIndexBeginScan(heap, index, snapshot, nkeys) \
	index_beginscan((heap), (index), (snapshot), NULL, (nkeys), 0)
#else
#define SchedIndexBeginScan(heap, index, snapshot, nkeys) \
	index_beginscan((heap), (index), (snapshot), (nkeys), 0)
#endif

#endif							/* SCHED_COMPAT_H */
