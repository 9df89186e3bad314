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
 * locks that (agent, date, slot) with a transaction-level advisory lock
 * and counts the pending and confirmed visits there with a snapshot taken
 * after the lock was granted, so it sees every booking committed before
 * it, in any isolation level.  Two sessions after the last place in the
 * same slot of the same agent run one after the other; everything else
 * runs in parallel.  A full agent's lock is released at once and the
 * search moves on to the next agent in turn.  The count reads the agent's
 * (agent, date, slot) index entries directly rather than through SQL.
 *
 * The agents.  Each session reads sched.agents once and keeps it; the
 * statement trigger sched.agents_changed sends a relcache invalidation on
 * every change, and this session's callback then marks its copy stale.
 * Invalidations are read when a booking opens its table, so a booking
 * always sees the agents as of its own start, as SQL would.
 *
 * The advisory locks use the two-key form with first key
 * SCHED_LOCK_CLASS_SLOT, so they show in pg_locks as locktype advisory,
 * classid 1935894628.
 */
#include "sched.h"

#include "access/genam.h"
#include "access/htup_details.h"
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
	bool		active;
	bool		handles_visits;
	bool		handles_callbacks;
	bool		is_senior;
	char	   *name;
	char	   *phone;
} AgentEntry;

static MemoryContext agents_cxt = NULL;
static AgentEntry *agents = NULL;	/* in agent_id order; replaced, never
									 * changed, by LoadAgents */
static int	nagents = 0;
static bool agents_valid = false;
static Oid	agents_relid = InvalidOid;

/*
 * AgentsRelcacheChanged: relcache callback; sched.agents changed (or
 * everything did).
 */
static void
AgentsRelcacheChanged(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == agents_relid)
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
 * LoadAgents: read sched.agents into a new copy and replace the old one.
 * Marked valid before reading, so that an invalidation arriving meanwhile
 * wins; callers copy what they keep, so the old copy can go.
 */
static void
LoadAgents(void)
{
	MemoryContext cxt;
	AgentEntry *rows;
	uint64		i;

	agents_relid = SchedRelOid(REL_AGENTS);
	agents_valid = true;
	if (SPI_execute_plan(SchedPlan(PLAN_AGENTS), NULL, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading sched.agents failed");

	cxt = AllocSetContextCreate(TopMemoryContext, "sched agents", ALLOCSET_SMALL_SIZES);
	rows = MemoryContextAlloc(cxt, (SPI_processed + 1) * sizeof(AgentEntry));
	for (i = 0; i < SPI_processed; i++)
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
	}
	nagents = (int) SPI_processed;
	SPI_freetuptable(SPI_tuptable);
	if (agents_cxt != NULL)
		MemoryContextDelete(agents_cxt);
	agents_cxt = cxt;
	agents = rows;
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
 * LoadPool: the agents of a pool, in agent_id order (copies: the
 * session's copy may be replaced while they are in use).
 */
static AgentEntry *
LoadPool(SchedPool pool, int *n)
{
	int			nall;
	AgentEntry *all = Agents(&nall);
	AgentEntry *members = palloc((nall + 1) * sizeof(AgentEntry));
	int			i;

	*n = 0;
	for (i = 0; i < nall; i++)
		if (InPool(&all[i], pool))
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
 * is left to the foreign key to report.  Needs SPI.
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
 * SlotLockTag: the advisory lock of one agent's slot on one date.
 * Different slots may share a key (it is a hash); that only makes them
 * wait for each other, never lets two bookings into one place.
 */
static void
SlotLockTag(LOCKTAG *tag, int32 agent_id, DateADT visit_date, Datum time_slot)
{
	uint32		key;

	key = hash_combine(hash_bytes_uint32((uint32) agent_id),
					   hash_combine(hash_bytes_uint32((uint32) visit_date),
									hash_bytes_uint32(DatumGetObjectId(time_slot))));
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, SCHED_LOCK_CLASS_SLOT, key, 2);
}

/*
 * CountPlaces: pending and confirmed visits of an agent in a slot, other
 * than visit_id, as of now (not as of the transaction's snapshot), read
 * from the (agent_id, visit_date, time_slot) index; counting stops at
 * limit, which is all the caller needs to know.
 */
static int64
CountPlaces(int32 agent_id, DateADT visit_date, Datum time_slot, int64 visit_id,
			int64 limit)
{
	Relation	rel = table_open(SchedRelOid(REL_VISITS), AccessShareLock);
	const int  *col = SchedTableColumns(rel, TABLE_VISITS);
	Snapshot	snapshot;
	ScanKeyData keys[3];
	SysScanDesc scan;
	HeapTuple	tuple;
	int64		count = 0;

	/*
	 * Rows this very statement wrote before (a multi-row INSERT or UPDATE)
	 * carry the current command id; make them visible to the count.
	 */
	CommandCounterIncrement();
	snapshot = RegisterSnapshot(GetLatestSnapshot());

	ScanKeyInit(&keys[0], col[VC_AGENT_ID] + 1, BTEqualStrategyNumber,
				F_INT4EQ, Int32GetDatum(agent_id));
	ScanKeyInit(&keys[1], col[VC_VISIT_DATE] + 1, BTEqualStrategyNumber,
				F_DATE_EQ, DateADTGetDatum(visit_date));
	ScanKeyInit(&keys[2], col[VC_TIME_SLOT] + 1, BTEqualStrategyNumber,
				F_ENUM_EQ, time_slot);
	scan = systable_beginscan(rel, SchedRelOid(REL_VISITS_AGENT_SLOT_IDX), true,
							  snapshot, 3, keys);
	while (count < limit && HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		status = heap_getattr(tuple, col[VC_STATUS] + 1, RelationGetDescr(rel), &isnull);
		Datum		id = heap_getattr(tuple, col[VC_VISIT_ID] + 1, RelationGetDescr(rel), &isnull);

		if (DatumGetInt64(id) != visit_id &&
			sched_visit_holds_slot(sched_status_from_name(SCHED_VISIT, SchedEnumLabel(status))))
			count++;
	}
	systable_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);
	return count;
}

/*
 * TryPlace: lock the slot and take a place if one is free.  On success
 * the lock stays until the transaction ends, so that nobody else can
 * count this slot before our visit is committed or gone.
 */
static bool
TryPlace(int32 agent_id, int32 capacity, DateADT visit_date, Datum time_slot,
		 int64 visit_id, int64 *taken)
{
	LOCKTAG		tag;

	SlotLockTag(&tag, agent_id, visit_date, time_slot);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
	*taken = CountPlaces(agent_id, visit_date, time_slot, visit_id, capacity);
	if (*taken < capacity)
		return true;
	LockRelease(&tag, ExclusiveLock, false);
	return false;
}

/*
 * SchedAgentHasRoom: the agent still takes visits and has a free place in
 * the slot (visit_id not counted); if so the place is held, as by a
 * booking, until the transaction ends.  For a reschedule that would keep
 * the customer's agent.
 */
bool
SchedAgentHasRoom(int32 agent_id, DateADT visit_date, Datum time_slot, int64 visit_id)
{
	AgentEntry *agent = FindAgent(agent_id);
	int64		taken;

	if (agent == NULL || !InPool(agent, POOL_VISITS) || agent->capacity <= 0)
		return false;
	return TryPlace(agent_id, agent->capacity, visit_date, time_slot, visit_id, &taken);
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
 * SchedAssignVisitAgent: the agent whose turn it is and who has room in
 * the slot; the place is held (locked) until the transaction ends.
 * visit_id is the visit being placed (not counted against the slot).
 */
int32
SchedAssignVisitAgent(DateADT visit_date, Datum time_slot, int64 visit_id)
{
	AgentEntry *pool;
	int			n;
	int			start;
	int			i;
	int64		taken;

	pool = LoadPool(POOL_VISITS, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("no agent takes site visits"),
				 errdetail("No agent is both active and handles_visits."),
				 errhint("A DBA adds agents with INSERT INTO sched.agents."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_POOL)));

	start = sched_turn_start(TakeTicket(SEQ_VISIT_TURN), n);
	for (i = 0; i < n; i++)
	{
		AgentEntry *agent = &pool[(start + i) % n];

		if (agent->capacity > 0 &&
			TryPlace(agent->agent_id, agent->capacity, visit_date, time_slot,
					 visit_id, &taken))
			return agent->agent_id;
	}
	ereport(ERROR,
			(errcode(ERRCODE_SCHED_CONFLICT),
			 errmsg("no agent has room on %s in the %s slot",
					SchedDateText(visit_date), SchedEnumLabel(time_slot)),
			 errdetail("All %d agents who take site visits already have as many pending or confirmed visits in that slot as their slot_capacity allows.", n),
			 errhint("Offer the customer another date or slot."),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));
	return 0;					/* keep the compiler quiet */
}

/*
 * SchedClaimVisitPlace: a visit names its agent (a DBA's INSERT or
 * UPDATE): take a place with that agent or fail.  An agent that does not
 * exist is left to the foreign key to report.
 */
void
SchedClaimVisitPlace(int32 agent_id, DateADT visit_date, Datum time_slot,
					 int64 visit_id)
{
	AgentEntry *agent = FindAgent(agent_id);
	int32		capacity;
	int64		taken;

	if (agent == NULL)
		return;
	capacity = agent->capacity;

	if (!TryPlace(agent_id, capacity, visit_date, time_slot, visit_id, &taken))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("agent %d has no room on %s in the %s slot",
						agent_id, SchedDateText(visit_date), SchedEnumLabel(time_slot)),
				 errdetail("The agent already has as many pending or confirmed visits there as their slot_capacity (%d) allows.",
						   capacity),
				 errhint("Choose another agent, or leave agent_id NULL to assign one round robin."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));
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

	pool = LoadPool(urgent ? POOL_SENIOR_CALLBACKS : POOL_CALLBACKS, &n);
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
