/*
 * assignment.c
 *		Round-robin assignment of agents, slot capacity, and the agents
 *		each session keeps in memory.
 *
 * Taking a turn.  Each pool (visit takers; callback takers; senior
 * callback takers) has a sequence of tickets.  A booking takes the next
 * ticket with nextval, which never waits for another session and is never
 * rolled back, and starts looking at position (ticket - 1) mod n of the
 * pool's active agents in agent_id order.  Concurrent bookings therefore
 * take turns without queueing behind each other's transactions.  A ticket
 * taken by a booking that then fails or rolls back is spent: its agent
 * misses that turn (docs/design.md states the fairness guarantee).
 *
 * Capacity.  Before a visit takes a place with an agent, the booking
 * locks that agent's date with a transaction-level advisory lock and
 * counts the pending and confirmed visits the agent has in the slot and
 * on the whole date, with a snapshot taken after the lock was granted, so
 * it sees every booking committed before it, in any isolation level.  The
 * slot's capacity and the agent's daily cap (1.1) are both checked under
 * that one lock (sched_agent_room).  Two sessions after the last place of
 * the same agent on the same date run one after the other; everything
 * else runs in parallel.  A full agent's lock is released at once and the
 * search moves on to the next agent in turn.  The count reads the agent's
 * index entries for the slot (for the whole date when the agent has a
 * daily cap) directly rather than through SQL, and stops once the agent
 * is full.
 *
 * Who may take a visit (1.1): an agent listed in sched.project_agents for
 * the visit's project when the project has a list, and not on leave
 * (sched.agent_time_off) at any moment of the slot.  Agents skipped so do
 * not spend the ticket: the turn goes to the next one in agent_id order.
 *
 * The agents.  Each session reads sched.agents (and, in 1.1, the project
 * lists and the leave that has not ended) once and keeps them; the
 * statement trigger sched.agents_changed sends a relcache invalidation on
 * every change of any of the three tables, and this session's callback
 * then marks its copy stale.  Invalidations are read when a booking opens
 * its table, so a booking always sees the agents as of its own start, as
 * SQL would.  The leave kept is what had not ended three days before the
 * copy was read: no slot that can be booked from then on (today or
 * later, in any time zone) starts before that.
 *
 * The advisory locks use the two-key form with first key
 * SCHED_LOCK_CLASS_AGENT_DAY, so they show in pg_locks as locktype
 * advisory, classid 1935894628.
 */
#include "sched.h"
#include "compat.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/itup.h"
#include "access/relscan.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/xact.h"
#include "commands/sequence.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"


PG_FUNCTION_INFO_V1(sched_agents_changed);

/* One row of sched.agents, as this session keeps it. */
typedef struct AgentEntry
{
	int32		agent_id;
	int32		capacity;
	int32		daily_cap;		/* -1: none (or a 1.0 schema) */
	bool		active;
	bool		handles_visits;
	bool		handles_callbacks;
	bool		is_senior;
	char	   *name;
	char	   *phone;
} AgentEntry;

/* A period of leave (sched.agent_time_off). */
typedef struct LeaveEntry
{
	int32		agent_id;
	TimestampTz starts_at;
	TimestampTz ends_at;
} LeaveEntry;

/* A row of sched.project_agents. */
typedef struct ProjectAgent
{
	char	   *project;
	int32		agent_id;
} ProjectAgent;

/*
 * The session's copy; everything below is replaced together, never
 * changed, by LoadAgents.
 */
static MemoryContext agents_cxt = NULL;
static AgentEntry *agents = NULL;	/* in agent_id order */
static int	nagents = 0;
static LeaveEntry *leave = NULL;	/* in agent_id order */
static int	nleave = 0;
static ProjectAgent *project_agents = NULL; /* in (project, agent_id) order,
											 * strcmp */
static int	nproject_agents = 0;
static bool agents_valid = false;
static Oid	agents_relid = InvalidOid;
static Oid	leave_relid = InvalidOid;
static Oid	project_agents_relid = InvalidOid;

/*
 * AgentsRelcacheChanged: relcache callback; sched.agents, its leave or
 * its project lists changed (or everything did).
 */
static void
AgentsRelcacheChanged(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == agents_relid || relid == leave_relid ||
		relid == project_agents_relid)
		agents_valid = false;
}

/*
 * SchedAssignmentInit: called once per backend by _PG_init.
 */
void
SchedAssignmentInit(void)
{
	CacheRegisterRelcacheCallback(AgentsRelcacheChanged, (Datum) 0);
}

/*
 * sched_agents_changed: AFTER ... FOR EACH STATEMENT on sched.agents.
 * The invalidation goes out when the change commits (and to this session
 * at its next command).
 */
Datum
sched_agents_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"agents_changed\" must be fired FOR EACH STATEMENT")));
	CacheInvalidateRelcache(td->tg_relation);
	return PointerGetDatum(NULL);
}

/*
 * ReadAgents: the rows of sched.agents, in cxt.
 */
static AgentEntry *
ReadAgents(MemoryContext cxt, bool v11, int *n)
{
	AgentEntry *rows = SchedReadRows(v11 ? PLAN_AGENTS_11 : PLAN_AGENTS, "sched.agents",
									 cxt, sizeof(AgentEntry), n);
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		AgentEntry *a = &rows[i];
		bool		isnull;

		a->agent_id = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &isnull));
		a->capacity = DatumGetInt32(SPI_getbinval(tuple, desc, 2, &isnull));
		a->active = DatumGetBool(SPI_getbinval(tuple, desc, 3, &isnull));
		a->handles_visits = DatumGetBool(SPI_getbinval(tuple, desc, 4, &isnull));
		a->handles_callbacks = DatumGetBool(SPI_getbinval(tuple, desc, 5, &isnull));
		a->is_senior = DatumGetBool(SPI_getbinval(tuple, desc, 6, &isnull));
		a->name = MemoryContextStrdup(cxt, SPI_getvalue(tuple, desc, 7));
		a->phone = MemoryContextStrdup(cxt, SPI_getvalue(tuple, desc, 8));
		a->daily_cap = -1;
		if (v11)
		{
			Datum		cap = SPI_getbinval(tuple, desc, 9, &isnull);

			if (!isnull)
				a->daily_cap = DatumGetInt32(cap);
		}
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * ReadLeave: the leave that had not ended three days before now (plans.c,
 * PLAN_LEAVE), in cxt.
 */
static LeaveEntry *
ReadLeave(MemoryContext cxt, int *n)
{
	LeaveEntry *rows = SchedReadRows(PLAN_LEAVE, "sched.agent_time_off", cxt,
									 sizeof(LeaveEntry), n);
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		rows[i].agent_id = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &isnull));
		rows[i].starts_at = DatumGetTimestampTz(SPI_getbinval(tuple, desc, 2, &isnull));
		rows[i].ends_at = DatumGetTimestampTz(SPI_getbinval(tuple, desc, 3, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * ReadProjectAgents: sched.project_agents, in cxt.
 */
static ProjectAgent *
ReadProjectAgents(MemoryContext cxt, int *n)
{
	ProjectAgent *rows = SchedReadRows(PLAN_PROJECT_AGENTS, "sched.project_agents", cxt,
									   sizeof(ProjectAgent), n);
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		rows[i].project = MemoryContextStrdup(cxt, SPI_getvalue(tuple, desc, 1));
		rows[i].agent_id = DatumGetInt32(SPI_getbinval(tuple, desc, 2, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * LoadAgents: read the agents (and in 1.1 their leave and project lists)
 * into a new copy and replace the old one.  Marked valid before reading,
 * so that an invalidation arriving meanwhile wins; callers copy what they
 * keep, so the old copy can go.
 */
static void
LoadAgents(void)
{
	MemoryContext cxt;
	bool		v11 = SchedHasV11();
	AgentEntry *new_agents;
	LeaveEntry *new_leave = NULL;
	ProjectAgent *new_project_agents = NULL;
	int			n_agents;
	int			n_leave = 0;
	int			n_project_agents = 0;

	agents_relid = SchedRelOid(REL_AGENTS);
	leave_relid = v11 ? SchedRelOid(REL_TIME_OFF) : InvalidOid;
	project_agents_relid = v11 ? SchedRelOid(REL_PROJECT_AGENTS) : InvalidOid;
	agents_valid = true;

	cxt = AllocSetContextCreate(TopMemoryContext, "sched agents", ALLOCSET_SMALL_SIZES);
	PG_TRY();
	{
		new_agents = ReadAgents(cxt, v11, &n_agents);
		if (v11)
		{
			new_leave = ReadLeave(cxt, &n_leave);
			new_project_agents = ReadProjectAgents(cxt, &n_project_agents);
		}
	}
	PG_CATCH();
	{
		agents_valid = false;
		MemoryContextDelete(cxt);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (agents_cxt != NULL)
		MemoryContextDelete(agents_cxt);
	agents_cxt = cxt;
	agents = new_agents;
	nagents = n_agents;
	leave = new_leave;
	nleave = n_leave;
	project_agents = new_project_agents;
	nproject_agents = n_project_agents;
}

/*
 * Agents: this session's copy of sched.agents, current.  Needs SPI.
 */
static AgentEntry *
Agents(int *n)
{
	AcceptInvalidationMessages();
	if (!agents_valid)
		LoadAgents();
	*n = nagents;
	return agents;
}

/*
 * FindAgent: an agent by id, or NULL.
 */
static AgentEntry *
FindAgent(int32 agent_id)
{
	int			n;
	AgentEntry *all = Agents(&n);
	int			lo = 0;
	int			hi = n - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (all[mid].agent_id == agent_id)
			return &all[mid];
		if (all[mid].agent_id < agent_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/*
 * SchedAgentContact: the name and phone of an agent (copies, in the
 * current memory context), for messages; false if there is no such
 * agent.  Needs SPI.
 */
bool
SchedAgentContact(int32 agent_id, const char **name, const char **phone)
{
	AgentEntry *a = FindAgent(agent_id);

	if (a == NULL)
		return false;
	*name = pstrdup(a->name);
	*phone = pstrdup(a->phone);
	return true;
}

/*
 * InPool: the agent belongs to the pool.
 */
static bool
InPool(const AgentEntry *a, SchedPool pool)
{
	if (!a->active)
		return false;
	switch (pool)
	{
		case POOL_VISITS:
			return a->handles_visits;
		case POOL_CALLBACKS:
			return a->handles_callbacks;
		case POOL_SENIOR_CALLBACKS:
			return a->handles_callbacks && a->is_senior;
	}
	return false;
}

/*
 * ProjectListed: where the project's rows of sched.project_agents start,
 * or -1 when it has none (every visit-taking agent takes it).
 */
static int
ProjectListed(const char *project)
{
	int			lo = 0;
	int			hi = nproject_agents;

	/* the first row whose project is not below it */
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (strcmp(project_agents[mid].project, project) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nproject_agents && strcmp(project_agents[lo].project, project) == 0)
		return lo;
	return -1;
}

/*
 * ListedFrom: the agent is among the project's rows starting at first.
 */
static bool
ListedFrom(int first, const char *project, int32 agent_id)
{
	int			i;

	for (i = first; i < nproject_agents && strcmp(project_agents[i].project, project) == 0; i++)
		if (project_agents[i].agent_id == agent_id)
			return true;
	return false;
}

/*
 * OnLeave: the agent has leave overlapping [starts_at, ends_at).
 */
static bool
OnLeave(int32 agent_id, TimestampTz starts_at, TimestampTz ends_at)
{
	int			lo = 0;
	int			hi = nleave;
	int			i;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (leave[mid].agent_id < agent_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < nleave && leave[i].agent_id == agent_id; i++)
		if (leave[i].starts_at < ends_at && leave[i].ends_at > starts_at)
			return true;
	return false;
}

/*
 * A slot being placed: its date, slot and (when there is leave to check
 * it against) its times.
 */
typedef struct SlotWanted
{
	DateADT		visit_date;
	Datum		time_slot;
	int64		visit_id;		/* the visit being placed: not counted */
	bool		timed;			/* starts_at and ends_at are set */
	TimestampTz starts_at;
	TimestampTz ends_at;
} SlotWanted;

static void
InitSlotWanted(SlotWanted *w, DateADT visit_date, Datum time_slot, int64 visit_id)
{
	w->visit_date = visit_date;
	w->time_slot = time_slot;
	w->visit_id = visit_id;
	w->timed = false;
}

/*
 * AgentFree: the agent is not on leave during the slot (looked up after
 * Agents()).
 */
static bool
AgentFree(const AgentEntry *a, SlotWanted *w)
{
	if (nleave == 0)
		return true;
	if (!w->timed)
	{
		int			slot = sched_slot_from_name(SchedEnumLabel(w->time_slot));

		w->starts_at = SchedSlotStart(w->visit_date, slot);
		w->ends_at = SchedSlotEnd(w->visit_date, slot);
		w->timed = true;
	}
	return !OnLeave(a->agent_id, w->starts_at, w->ends_at);
}

/*
 * LoadPool: the agents of a pool, in agent_id order (copies: the
 * session's copy may be replaced while they are in use).  For visits of
 * a project with a list, only the listed agents.
 */
static AgentEntry *
LoadPool(SchedPool pool, const char *project, int *n)
{
	int			nall;
	AgentEntry *all = Agents(&nall);
	AgentEntry *members = palloc((nall + 1) * sizeof(AgentEntry));
	int			listed = project != NULL ? ProjectListed(project) : -1;
	int			i;

	*n = 0;
	for (i = 0; i < nall; i++)
		if (InPool(&all[i], pool) &&
			(listed < 0 || ListedFrom(listed, project, all[i].agent_id)))
			members[(*n)++] = all[i];
	return members;
}

/*
 * SchedAgentInPool: the agent exists and belongs to the pool.  Needs SPI.
 */
bool
SchedAgentInPool(int32 agent_id, SchedPool pool)
{
	AgentEntry *a = FindAgent(agent_id);

	return a != NULL && InPool(a, pool);
}

/*
 * SchedCheckAgentTakes: a booking that names its agent must name one of
 * the pool the round robin would have used.  An agent that does not exist
 * is left to SchedHoldAgent to report.  Needs SPI.
 */
void
SchedCheckAgentTakes(int32 agent_id, SchedPool pool)
{
	static const char *const what[] = {
		[POOL_VISITS] = "site visits",
		[POOL_CALLBACKS] = "callbacks",
		[POOL_SENIOR_CALLBACKS] = "urgent callbacks",
	};
	static const char *const who[] = {
		[POOL_VISITS] = "active agents with handles_visits",
		[POOL_CALLBACKS] = "active agents with handles_callbacks",
		[POOL_SENIOR_CALLBACKS] = "active senior agents with handles_callbacks",
	};

	if (FindAgent(agent_id) == NULL || SchedAgentInPool(agent_id, pool))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("agent_id %d does not take %s", agent_id, what[pool]),
			 errdetail("Only %s take %s.", who[pool], what[pool]),
			 errhint("Leave agent_id NULL to assign one round robin.")));
}

/*
 * Agent keys.  From 1.2 the visits' and callbacks' agent_id have no
 * foreign key: the key is kept here, for a fraction of the cost of the
 * foreign key's query and row lock at every booking.  A row that names an
 * agent holds a share lock on the agent's key group until its transaction
 * ends (SchedHoldAgent); deleting an agent or changing its agent_id takes
 * the group's lock exclusively, so it waits for the bookings under way,
 * and then refuses if anything names the agent (sched_agent_keys).  The
 * groups are the agent_id modulo AGENT_KEY_GROUPS, so TRUNCATE can lock
 * them all.
 */
#define AGENT_KEY_GROUPS 64

static void
AgentKeyLock(int32 agent_id, LOCKMODE mode)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, SCHED_LOCK_CLASS_AGENT_KEY,
						 (uint32) agent_id % AGENT_KEY_GROUPS, 2);
	(void) LockAcquire(&tag, mode, false, false);
}

/*
 * SchedHoldAgent: the agent a row of table names exists, and nobody can
 * delete it (or change its agent_id) until this transaction ends; else
 * 23503, as from a foreign key.  The lock comes first: a deletion that
 * committed before it was granted has sent its invalidation, which Agents
 * reads, and the copy is read again with the latest snapshot.  Needs SPI.
 */
void
SchedHoldAgent(int32 agent_id, const char *table)
{
	AgentKeyLock(agent_id, ShareLock);
	if (FindAgent(agent_id) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("insert or update on table \"%s\" names an agent that does not exist", table),
				 errdetail("Key (agent_id)=(%d) is not present in table \"agents\".", agent_id),
				 errhint("Name an agent of sched.agents, or leave agent_id NULL to assign one round robin.")));
}

/*
 * SchedLockAgentKeys: keep new rows from naming agent_id (all: any
 * agent) until this transaction ends, waiting for the transactions that
 * already named one.
 */
void
SchedLockAgentKeys(int32 agent_id, bool all)
{
	int			g;

	if (!all)
		AgentKeyLock(agent_id, ExclusiveLock);
	else
		for (g = 0; g < AGENT_KEY_GROUPS; g++)
			AgentKeyLock(g, ExclusiveLock);
}

/*
 * SchedAgentReferencedFrom: the first table whose rows name agent_id
 * (any: any agent), as of now rather than the transaction's snapshot, or
 * NULL.  Call after SchedLockAgentKeys.  Needs SPI.
 */
const char *
SchedAgentReferencedFrom(int32 agent_id, bool any)
{
	Datum		arg = Int32GetDatum(agent_id);

	if (SPI_execute_snapshot(SchedPlan(any ? PLAN_ANY_AGENT_REFERENCED : PLAN_AGENT_REFERENCED),
							 any ? NULL : &arg, NULL, GetLatestSnapshot(), InvalidSnapshot,
							 true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking for rows naming an agent failed");
	if (SPI_processed == 0)
		return NULL;
	return SchedResultText(1);
}

/*
 * DayLockTag: the advisory lock of one agent's date.  Different dates may
 * share a key (it is a hash); that only makes them wait for each other,
 * never lets two bookings into one place.
 */
static void
DayLockTag(LOCKTAG *tag, int32 agent_id, DateADT visit_date)
{
	uint32		key;

	key = hash_combine(hash_bytes_uint32((uint32) agent_id),
					   hash_bytes_uint32((uint32) visit_date));
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, SCHED_LOCK_CLASS_AGENT_DAY, key, 2);
}

/*
 * CountTaken: the pending and confirmed visits of an agent in a slot and
 * on its whole date, other than visit_id, as of now (not as of the
 * transaction's snapshot), read from the (agent_id, visit_date,
 * time_slot) index.  Counting stops once the agent is known to be full:
 * an agent without a daily cap has only the slot's entries read, up to
 * its capacity (*day_taken is then left at 0, which no rule reads).
 */
static void
CountTaken(const AgentEntry *a, SlotWanted *w, int64 *slot_taken, int64 *day_taken)
{
	Relation	rel = table_open(SchedRelOid(REL_VISITS), AccessShareLock);
	const int  *col = SchedTableColumns(rel, TABLE_VISITS);
	TupleDesc	desc = RelationGetDescr(rel);
	bool		whole_day = a->daily_cap >= 0;
	Snapshot	snapshot;
	ScanKeyData keys[3];
	SysScanDesc scan;
	HeapTuple	tuple;

	/*
	 * Rows this very statement wrote before (a multi-row INSERT or UPDATE)
	 * carry the current command id; make them visible to the count.
	 */
	CommandCounterIncrement();
	snapshot = RegisterSnapshot(GetLatestSnapshot());

	ScanKeyInit(&keys[0], col[VC_AGENT_ID] + 1, BTEqualStrategyNumber,
				F_INT4EQ, Int32GetDatum(a->agent_id));
	ScanKeyInit(&keys[1], col[VC_VISIT_DATE] + 1, BTEqualStrategyNumber,
				F_DATE_EQ, DateADTGetDatum(w->visit_date));
	ScanKeyInit(&keys[2], col[VC_TIME_SLOT] + 1, BTEqualStrategyNumber,
				F_ENUM_EQ, w->time_slot);
	scan = systable_beginscan(rel, SchedRelOid(REL_VISITS_AGENT_SLOT_IDX), true,
							  snapshot, whole_day ? 2 : 3, keys);
	*slot_taken = 0;
	*day_taken = 0;
	while (*slot_taken < a->capacity && (!whole_day || *day_taken < a->daily_cap) &&
		   HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		status = heap_getattr(tuple, col[VC_STATUS] + 1, desc, &isnull);
		Datum		id = heap_getattr(tuple, col[VC_VISIT_ID] + 1, desc, &isnull);
		Datum		slot = heap_getattr(tuple, col[VC_TIME_SLOT] + 1, desc, &isnull);

		if (DatumGetInt64(id) == w->visit_id ||
			!sched_visit_holds_slot(sched_status_from_name(SCHED_VISIT, SchedEnumLabel(status))))
			continue;
		if (whole_day)
			(*day_taken)++;
		if (DatumGetObjectId(slot) == DatumGetObjectId(w->time_slot))
			(*slot_taken)++;
	}
	systable_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);
}

/*
 * EntriesLeaveRoom: the agent has fewer index entries in the slot than its
 * capacity (and, with a daily cap, on the date than the cap).  Every live
 * visit the count could see has an entry under its agent, date and slot,
 * so fewer entries than places means a free place, found from the index
 * alone; only an agent whose entries reach a limit (full, or with
 * cancelled visits among them) needs CountTaken's visit-by-visit count.
 * With ample capacity this keeps a booking from reading every visit
 * already in the slot.
 */
static bool
EntriesLeaveRoom(const AgentEntry *a, SlotWanted *w)
{
	bool		whole_day = a->daily_cap >= 0;
	int			nkeys = whole_day ? 2 : 3;
	Relation	rel = table_open(SchedRelOid(REL_VISITS), AccessShareLock);
	Relation	index = index_open(SchedRelOid(REL_VISITS_AGENT_SLOT_IDX), AccessShareLock);
	Snapshot	snapshot = RegisterSnapshot(GetLatestSnapshot());
	ScanKeyData keys[3];
	IndexScanDesc scan;
	int64		slot_entries = 0;
	int64		day_entries = 0;

	/* index columns: agent_id, visit_date, time_slot, visit_id */
	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT4EQ, Int32GetDatum(a->agent_id));
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_DATE_EQ, DateADTGetDatum(w->visit_date));
	ScanKeyInit(&keys[2], 3, BTEqualStrategyNumber, F_ENUM_EQ, w->time_slot);
	scan = SchedIndexBeginScan(rel, index, snapshot, nkeys);
	scan->xs_want_itup = whole_day;		/* to read each entry's slot */
	index_rescan(scan, keys, nkeys, NULL, 0);
	while (slot_entries < a->capacity && (!whole_day || day_entries < a->daily_cap) &&
		   index_getnext_tid(scan, ForwardScanDirection) != NULL)
	{
		if (whole_day)
		{
			bool		isnull;
			Datum		slot = index_getattr(scan->xs_itup, 3, scan->xs_itupdesc, &isnull);

			day_entries++;
			if (!isnull && DatumGetObjectId(slot) == DatumGetObjectId(w->time_slot))
				slot_entries++;
		}
		else
			slot_entries++;
	}
	index_endscan(scan);
	UnregisterSnapshot(snapshot);
	index_close(index, AccessShareLock);
	table_close(rel, AccessShareLock);
	return slot_entries < a->capacity && (!whole_day || day_entries < a->daily_cap);
}

/*
 * TryPlace: lock the agent's date and take a place if the slot and the
 * day have room.  On success the lock stays until the transaction ends,
 * so that nobody else can count this date before our visit is committed
 * or gone.  On failure *slot_taken and *day_taken say what was found.
 */
static bool
TryPlace(const AgentEntry *a, SlotWanted *w, int64 *slot_taken, int64 *day_taken)
{
	LOCKTAG		tag;

	DayLockTag(&tag, a->agent_id, w->visit_date);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
	*slot_taken = 0;
	*day_taken = 0;
	if (a->capacity > 0 && a->daily_cap != 0 && EntriesLeaveRoom(a, w))
		return true;
	CountTaken(a, w, slot_taken, day_taken);
	if (sched_agent_room(a->capacity, a->daily_cap, *slot_taken, *day_taken) > 0)
		return true;
	LockRelease(&tag, ExclusiveLock, false);
	return false;
}

/*
 * SchedAgentHasRoom: the agent still takes the project's visits, is not
 * on leave and has room in the slot (visit_id not counted); if so the
 * place is held, as by a booking, until the transaction ends.  For a
 * reschedule that would keep the customer's agent.
 */
bool
SchedAgentHasRoom(int32 agent_id, const char *project, DateADT visit_date, Datum time_slot,
				  int64 visit_id)
{
	AgentEntry *agent = FindAgent(agent_id);
	SlotWanted	w;
	int			listed;
	int64		slot_taken;
	int64		day_taken;

	if (agent == NULL || !InPool(agent, POOL_VISITS) || agent->capacity <= 0)
		return false;
	listed = ProjectListed(project);
	if (listed >= 0 && !ListedFrom(listed, project, agent_id))
		return false;
	InitSlotWanted(&w, visit_date, time_slot, visit_id);
	if (!AgentFree(agent, &w))
		return false;
	return TryPlace(agent, &w, &slot_taken, &day_taken);
}

/*
 * TakeTicket: the next turn of a pool; never waits.
 */
static int64
TakeTicket(SchedSeqId seq)
{
	return nextval_internal(SchedSeqOid(seq), false);
}

/*
 * SchedAssignVisitAgent: the agent whose turn it is, who takes the
 * project's visits, is not on leave and has room in the slot; the place
 * is held (locked) until the transaction ends.  visit_id is the visit
 * being placed (not counted against the slot).
 */
int32
SchedAssignVisitAgent(const char *project, DateADT visit_date, Datum time_slot, int64 visit_id)
{
	AgentEntry *pool;
	SlotWanted	w;
	int			n;
	int			start;
	int			i;
	int			away = 0;
	int64		slot_taken;
	int64		day_taken;

	pool = LoadPool(POOL_VISITS, project, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 ProjectListed(project) >= 0
				 ? errmsg("no agent takes site visits to %s", project)
				 : errmsg("no agent takes site visits"),
				 ProjectListed(project) >= 0
				 ? errdetail("None of the agents listed for the project in sched.project_agents is both active and handles_visits.")
				 : errdetail("No agent is both active and handles_visits."),
				 errhint("A DBA adds agents with INSERT INTO sched.agents."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_POOL)));

	InitSlotWanted(&w, visit_date, time_slot, visit_id);
	start = sched_turn_start(TakeTicket(SEQ_VISIT_TURN), n);
	for (i = 0; i < n; i++)
	{
		AgentEntry *agent = &pool[(start + i) % n];

		if (!AgentFree(agent, &w))
		{
			away++;
			continue;
		}
		if (agent->capacity > 0 && TryPlace(agent, &w, &slot_taken, &day_taken))
			return agent->agent_id;
	}
	ereport(ERROR,
			(errcode(ERRCODE_SCHED_CONFLICT),
			 errmsg("no agent has room on %s in the %s slot",
					SchedDateText(visit_date), SchedEnumLabel(time_slot)),
			 away > 0
			 ? errdetail("Of the %d agents who take site visits to %s, %d are on leave then and the others already have as many pending or confirmed visits as their slot_capacity or daily_visit_cap allows.",
						 n, project, away)
			 : errdetail("All %d agents who take site visits to %s already have as many pending or confirmed visits as their slot_capacity or daily_visit_cap allows.",
						 n, project),
			 errhint("Offer the customer another date or slot (sched.available_slots lists them)."),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));
	return 0;					/* keep the compiler quiet */
}

/*
 * SchedClaimVisitPlace: a visit names its agent (a DBA's INSERT or
 * UPDATE): take a place with that agent or fail.  The agent must take
 * the project's visits and not be on leave then.  An agent that does not
 * exist is left to SchedHoldAgent to report.
 */
void
SchedClaimVisitPlace(int32 agent_id, const char *project, DateADT visit_date,
					 Datum time_slot, int64 visit_id)
{
	AgentEntry *agent = FindAgent(agent_id);
	SlotWanted	w;
	int			listed;
	int64		slot_taken;
	int64		day_taken;

	if (agent == NULL)
		return;
	listed = ProjectListed(project);
	if (listed >= 0 && !ListedFrom(listed, project, agent_id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agent_id %d does not take site visits to %s", agent_id, project),
				 errdetail("The project lists its agents in sched.project_agents, and agent %d is not one of them.",
						   agent_id),
				 errhint("Choose a listed agent, or leave agent_id NULL to assign one round robin.")));
	InitSlotWanted(&w, visit_date, time_slot, visit_id);
	if (!AgentFree(agent, &w))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("agent %d is on leave on %s in the %s slot",
						agent_id, SchedDateText(visit_date), SchedEnumLabel(time_slot)),
				 errdetail("sched.agent_time_off has leave of the agent that overlaps the slot."),
				 errhint("Choose another agent, or leave agent_id NULL to assign one round robin."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));

	if (!TryPlace(agent, &w, &slot_taken, &day_taken))
	{
		if (agent->daily_cap >= 0 && day_taken >= agent->daily_cap)
			ereport(ERROR,
					(errcode(ERRCODE_SCHED_CONFLICT),
					 errmsg("agent %d has no room on %s", agent_id, SchedDateText(visit_date)),
					 errdetail("The agent already has as many pending or confirmed visits that day as their daily_visit_cap (%d) allows.",
							   agent->daily_cap),
					 errhint("Choose another agent, or leave agent_id NULL to assign one round robin."),
					 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("agent %d has no room on %s in the %s slot",
						agent_id, SchedDateText(visit_date), SchedEnumLabel(time_slot)),
				 errdetail("The agent already has as many pending or confirmed visits there as their slot_capacity (%d) allows.",
						   agent->capacity),
				 errhint("Choose another agent, or leave agent_id NULL to assign one round robin."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));
	}
}

/*
 * SchedFreePlaces: sched.available_slots' count of one slot: the places
 * left with every agent who would take it (the project's, not on leave),
 * given the visits each holds (taken, looked up by agent_id).  Needs SPI.
 */
int64
SchedFreePlaces(const char *project, DateADT visit_date, Datum time_slot,
				TimestampTz starts_at, TimestampTz ends_at,
				SchedTakenFn taken, void *arg)
{
	AgentEntry *pool;
	SlotWanted	w;
	int			n;
	int			i;
	int64		free = 0;

	pool = LoadPool(POOL_VISITS, project, &n);
	InitSlotWanted(&w, visit_date, time_slot, 0);
	w.timed = true;
	w.starts_at = starts_at;
	w.ends_at = ends_at;
	for (i = 0; i < n; i++)
	{
		int64		slot_taken;
		int64		day_taken;

		if (!AgentFree(&pool[i], &w))
			continue;
		taken(arg, pool[i].agent_id, &slot_taken, &day_taken);
		free += sched_agent_room(pool[i].capacity, pool[i].daily_cap, slot_taken, day_taken);
	}
	pfree(pool);
	return free;
}

/*
 * SchedSeniorPhones: the phones of the agents who take urgent callbacks
 * (active seniors who handle callbacks), copies in the current memory
 * context; returns how many.  Needs SPI.
 */
int
SchedSeniorPhones(const char ***phones)
{
	int			n;
	AgentEntry *pool = LoadPool(POOL_SENIOR_CALLBACKS, NULL, &n);
	int			i;

	*phones = palloc((n + 1) * sizeof(char *));
	for (i = 0; i < n; i++)
		(*phones)[i] = pstrdup(pool[i].phone);
	pfree(pool);
	return n;
}

/*
 * SchedAssignCallbackAgent: the next agent of the callback pool, or of
 * the senior pool for urgent callbacks.  Callbacks have no capacity.
 */
int32
SchedAssignCallbackAgent(bool urgent)
{
	AgentEntry *pool;
	int			n;
	int64		ticket;

	pool = LoadPool(urgent ? POOL_SENIOR_CALLBACKS : POOL_CALLBACKS, NULL, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 urgent ? errmsg("no senior agent takes urgent callbacks")
				 : errmsg("no agent takes callbacks"),
				 urgent ? errdetail("Urgent callbacks go only to agents who are active, senior and handle callbacks; there are none.")
				 : errdetail("No agent is both active and handles_callbacks."),
				 errhint("A DBA adds agents with INSERT INTO sched.agents."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_POOL)));
	ticket = TakeTicket(urgent ? SEQ_SENIOR_CALLBACK_TURN : SEQ_CALLBACK_TURN);
	return pool[sched_turn_start(ticket, n)].agent_id;
}
