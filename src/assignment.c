/*
 * assignment.c
 *		Round-robin assignment of agents, and slot capacity.
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
 * search moves on to the next agent in turn.
 *
 * The advisory locks use the two-key form with first key SCHED_LOCK_CLASS,
 * so they show in pg_locks as locktype advisory, classid 1935894628.
 */
#include "sched.h"

#include "commands/sequence.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"

#define SCHED_LOCK_CLASS	0x73636864u	/* "schd" */

typedef struct PoolAgent
{
	int32		agent_id;
	int32		capacity;
} PoolAgent;

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
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, SCHED_LOCK_CLASS, key, 2);
}

/*
 * CountPlaces: pending and confirmed visits of an agent in a slot, other
 * than visit_id, as of now (not as of the transaction's snapshot).
 */
static int64
CountPlaces(int32 agent_id, DateADT visit_date, Datum time_slot, int64 visit_id)
{
	Datum		values[4];
	bool		isnull;
	int64		count;

	values[0] = Int32GetDatum(agent_id);
	values[1] = DateADTGetDatum(visit_date);
	values[2] = time_slot;
	values[3] = Int64GetDatum(visit_id);
	if (SPI_execute_snapshot(SchedPlan(PLAN_SLOT_COUNT), values, NULL,
							 GetLatestSnapshot(), InvalidSnapshot,
							 false, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "counting the places of agent %d failed", agent_id);
	count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1, &isnull));
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
	*taken = CountPlaces(agent_id, visit_date, time_slot, visit_id);
	if (*taken < capacity)
		return true;
	LockRelease(&tag, ExclusiveLock, false);
	return false;
}

/*
 * LoadPool: the agents of a pool in agent_id order; capacity is read from
 * the second column when the plan has one.
 */
static PoolAgent *
LoadPool(SchedPlanId plan, int *n)
{
	PoolAgent  *pool;
	uint64		i;

	if (SPI_execute_plan(SchedPlan(plan), NULL, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the agent pool failed");
	*n = (int) SPI_processed;
	pool = palloc((SPI_processed + 1) * sizeof(PoolAgent));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		pool[i].agent_id = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &isnull));
		pool[i].capacity = desc->natts >= 2
			? DatumGetInt32(SPI_getbinval(tuple, desc, 2, &isnull)) : 0;
	}
	SPI_freetuptable(SPI_tuptable);
	return pool;
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
 */
int32
SchedAssignVisitAgent(DateADT visit_date, Datum time_slot)
{
	PoolAgent  *pool;
	int			n;
	int			start;
	int			i;
	int64		taken;

	pool = LoadPool(PLAN_VISIT_POOL, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("no agent takes site visits"),
				 errdetail("No agent is both active and handles_visits."),
				 errhint("A DBA adds agents with INSERT INTO sched.agents."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));

	start = sched_turn_start(TakeTicket(SEQ_VISIT_TURN), n);
	for (i = 0; i < n; i++)
	{
		PoolAgent  *agent = &pool[(start + i) % n];

		if (agent->capacity > 0 &&
			TryPlace(agent->agent_id, agent->capacity, visit_date, time_slot,
					 0, &taken))
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
	Datum		arg = Int32GetDatum(agent_id);
	bool		isnull;
	int32		capacity;
	int64		taken;

	if (SPI_execute_plan(SchedPlan(PLAN_AGENT_CONTACT), &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading agent %d failed", agent_id);
	if (SPI_processed == 0)
		return;
	capacity = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
										   SPI_tuptable->tupdesc, 4, &isnull));
	SPI_freetuptable(SPI_tuptable);

	if (!TryPlace(agent_id, capacity, visit_date, time_slot, visit_id, &taken))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("agent %d has no room on %s in the %s slot",
						agent_id, SchedDateText(visit_date), SchedEnumLabel(time_slot)),
				 errdetail("The agent already has %lld pending or confirmed visits there; their slot_capacity is %d.",
						   (long long) taken, capacity),
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
	PoolAgent  *pool;
	int			n;
	int64		ticket;

	pool = LoadPool(urgent ? PLAN_SENIOR_CALLBACK_POOL : PLAN_CALLBACK_POOL, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 urgent ? errmsg("no senior agent takes urgent callbacks")
				 : errmsg("no agent takes callbacks"),
				 urgent ? errdetail("Urgent callbacks go only to agents who are active, senior and handle callbacks; there are none.")
				 : errdetail("No agent is both active and handles_callbacks."),
				 errhint("A DBA adds agents with INSERT INTO sched.agents."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));
	ticket = TakeTicket(urgent ? SEQ_SENIOR_CALLBACK_TURN : SEQ_CALLBACK_TURN);
	return pool[sched_turn_start(ticket, n)].agent_id;
}
