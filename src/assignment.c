/*
 * assignment.c
 *		Round-robin assignment of agents, and the capacity of an agent's
 *		slot and day.
 *
 * Taking a turn.  Each pool (visit takers; callback takers; senior
 * callback takers: agents.c) has a sequence of tickets.  A booking takes
 * the next ticket with nextval, which never waits for another session and
 * is never rolled back, and starts looking at position (ticket - 1) mod n
 * of the pool's active agents in agent_id order; from 1.4, when the
 * agents' weights differ, at the agent the pool's weighted turn order
 * (sched_weighted_turns, smooth weighted round robin) gives that ticket.  Concurrent bookings
 * therefore take turns without queueing behind each other's transactions.
 * A ticket taken by a booking that then fails or rolls back is spent: its
 * agent misses that turn (docs/design.md states the fairness guarantee).
 * Agents who do not take the visit's project or are on leave during the
 * slot (1.1) do not spend the ticket: the turn goes to the next one in
 * agent_id order.
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
 * The advisory locks use the two-key form with first key
 * SCHED_LOCK_CLASS_AGENT_DAY, so they show in pg_locks as locktype
 * advisory, classid 1935894628.
 */
#include "sched.h"
#include "assignment.h"
#include "clock.h"
#include "compat.h"
#include "plans.h"
#include "rows.h"

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
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"

/*
 * A slot being placed: its date, slot and (when there is leave to check
 * it against) its times.
 */
typedef struct SlotWanted
{
	DateADT		visit_date;
	Datum		time_slot;
	int64		visit_id;		/* the visit being placed: not counted */
	int			slot;			/* SchedSlot of time_slot */
	bool		hours;			/* 1.4: agents' working hours apply */
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
	w->slot = sched_slot_from_name(SchedEnumLabel(time_slot));
	w->hours = SchedSchemaVersion() >= SCHED_SCHEMA_14;
	w->timed = false;
}

/*
 * AgentFree: the agent works the whole slot (1.4: their weekly hours, or
 * the business hours) and is not on leave or (1.4) busy during it.
 */
static bool
AgentFree(const SchedAgent *a, SlotWanted *w)
{
	if (w->hours && !SchedAgentWorks(a->agent_id, w->visit_date, w->slot))
		return false;
	if (!SchedAnyLeave())
		return true;
	if (!w->timed)
	{
		w->starts_at = SchedSlotStart(w->visit_date, w->slot);
		w->ends_at = SchedSlotEnd(w->visit_date, w->slot);
		w->timed = true;
	}
	return !SchedAgentOnLeave(a->agent_id, w->starts_at, w->ends_at);
}

/*
 * SchedCheckNotHoliday (1.4): 22023 when sched.holidays closes the
 * project (or every project) on the date.  Needs SPI.
 */
void
SchedCheckNotHoliday(const char *project, DateADT visit_date)
{
	const char *name;

	if (SchedSchemaVersion() < SCHED_SCHEMA_14)
		return;
	name = SchedHoliday(project, visit_date);
	if (name != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is a holiday", SchedDateText(visit_date)),
				 errdetail("sched.holidays closes %s that day (%s).", project, name),
				 errhint("sched.available_slots lists the slots that can be booked.")));
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
CountTaken(const SchedAgent *a, SlotWanted *w, int64 *slot_taken, int64 *day_taken)
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
EntriesLeaveRoom(const SchedAgent *a, SlotWanted *w)
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
TryPlace(const SchedAgent *a, SlotWanted *w, int64 *slot_taken, int64 *day_taken)
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
	SchedAgent *agent = SchedFindAgent(agent_id);
	SlotWanted	w;
	int64		slot_taken;
	int64		day_taken;

	if (agent == NULL || !SchedAgentIsIn(agent, POOL_VISITS) || agent->capacity <= 0)
		return false;
	if (!SchedAgentTakesProject(agent_id, project))
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
	SchedAgent *pool;
	SlotWanted	w;
	int			n;
	int			start;
	int			i;
	int			away = 0;
	int64		slot_taken;
	int64		day_taken;

	pool = SchedLoadPool(POOL_VISITS, project, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 SchedProjectHasList(project)
				 ? errmsg("no agent takes site visits to %s", project)
				 : errmsg("no agent takes site visits"),
				 SchedProjectHasList(project)
				 ? errdetail("None of the agents listed for the project in sched.project_agents is both active and handles_visits.")
				 : errdetail("No agent is both active and handles_visits."),
				 errhint("A DBA adds agents with INSERT INTO sched.agents."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_POOL)));

	InitSlotWanted(&w, visit_date, time_slot, visit_id);
	start = SchedTurnStart(POOL_VISITS, project, TakeTicket(SEQ_VISIT_TURN), n);
	for (i = 0; i < n; i++)
	{
		SchedAgent *agent = &pool[(start + i) % n];

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
			 ? errdetail("Of the %d agents who take site visits to %s, %d are on leave, busy or not working then and the others already have as many pending or confirmed visits as their slot_capacity or daily_visit_cap allows.",
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
	SchedAgent *agent = SchedFindAgent(agent_id);
	SlotWanted	w;
	int64		slot_taken;
	int64		day_taken;

	if (agent == NULL)
		return;
	if (!SchedAgentTakesProject(agent_id, project))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agent_id %d does not take site visits to %s", agent_id, project),
				 errdetail("The project lists its agents in sched.project_agents, and agent %d is not one of them.",
						   agent_id),
				 errhint("Choose a listed agent, or leave agent_id NULL to assign one round robin.")));
	InitSlotWanted(&w, visit_date, time_slot, visit_id);
	if (w.hours && !SchedAgentWorks(agent_id, visit_date, w.slot))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("agent %d does not work on %s in the %s slot",
						agent_id, SchedDateText(visit_date), SchedEnumLabel(time_slot)),
				 errdetail("The slot is not within the agent's hours of that weekday (sched.agent_hours or, for an agent without any, sched.business_hours)."),
				 errhint("Choose another agent, or leave agent_id NULL to assign one round robin."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_CAPACITY)));
	if (!AgentFree(agent, &w))
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("agent %d is on leave on %s in the %s slot",
						agent_id, SchedDateText(visit_date), SchedEnumLabel(time_slot)),
				 errdetail("sched.agent_time_off has leave of the agent (or, 1.4, sched.agent_busy a busy time) that overlaps the slot."),
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
	SchedAgent *pool;
	SlotWanted	w;
	int			n;
	int			i;
	int64		free = 0;

	pool = SchedLoadPool(POOL_VISITS, project, &n);
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
 * SchedAssignCallbackAgent: the next agent of the callback pool, or of
 * the senior pool for urgent callbacks.  Callbacks have no capacity.
 */
int32
SchedAssignCallbackAgent(bool urgent)
{
	SchedAgent *pool;
	int			n;
	int64		ticket;

	pool = SchedLoadPool(urgent ? POOL_SENIOR_CALLBACKS : POOL_CALLBACKS, NULL, &n);
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
	return pool[SchedTurnStart(urgent ? POOL_SENIOR_CALLBACKS : POOL_CALLBACKS, NULL, ticket, n)].agent_id;
}
