/*
 * availability_calls.c
 *		sched.available_slots: the slots a chat can offer a customer for a
 *		project, with how many more visits each takes.
 *
 * The count is booking's own rule applied to every slot at once: the
 * agents who would take the project's visits (assignment.c), less those
 * on leave during the slot, each with what their slot_capacity and
 * daily_visit_cap leave (sched_agent_room).  The places already held are
 * read from the (status, visit_date, ...) index over the date range, once
 * per live status, and kept in a hash table by agent and date.  Slots
 * outside the booking window (from the business's today, clock.c) or
 * already over are not listed, because booking refuses them; nor, from
 * 1.4, slots starting sooner than sched.min_notice or on a holiday.
 * Agents who are busy or not working then (1.4) are not counted.
 */
#include "sched.h"
#include "agents.h"
#include "assignment.h"
#include "checks.h"
#include "clock.h"
#include "compat.h"
#include "plans.h"
#include "rows.h"

#include "funcapi.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_available_slots);

/* The places an agent holds on a date, per slot. */
typedef struct HeldKey
{
	int32		agent_id;
	DateADT		visit_date;
} HeldKey;

typedef struct HeldEntry
{
	HeldKey		key;
	int64		slot[SLOT_N];
} HeldEntry;

/* What SchedFreePlaces asks about: the date and slot being counted. */
typedef struct Counting
{
	HTAB	   *held;
	DateADT		visit_date;
	int			slot;
} Counting;

/*
 * CountStatus: add the visits with one status dated date_from to date_to
 * to held, read through scheduled_visits_status_date_idx.
 */
static void
CountStatus(HTAB *held, Relation rel, const int *col, Snapshot snapshot, Datum status,
			DateADT date_from, DateADT date_to)
{
	TupleDesc	desc = RelationGetDescr(rel);
	ScanKeyData keys[3];
	SysScanDesc scan;
	HeapTuple	tuple;

	ScanKeyInit(&keys[0], col[VC_STATUS] + 1, BTEqualStrategyNumber, F_ENUM_EQ, status);
	ScanKeyInit(&keys[1], col[VC_VISIT_DATE] + 1, BTGreaterEqualStrategyNumber,
				F_DATE_GE, DateADTGetDatum(date_from));
	ScanKeyInit(&keys[2], col[VC_VISIT_DATE] + 1, BTLessEqualStrategyNumber,
				F_DATE_LE, DateADTGetDatum(date_to));
	scan = systable_beginscan(rel, SchedRelOid(REL_VISITS_STATUS_DATE_IDX), true,
							  snapshot, 3, keys);
	while (HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		bool		isnull;
		HeldKey		key;
		HeldEntry  *entry;
		bool		found;
		int			slot;
		Datum		agent = heap_getattr(tuple, col[VC_AGENT_ID] + 1, desc, &isnull);

		if (isnull)
			continue;
		memset(&key, 0, sizeof(key));
		key.agent_id = DatumGetInt32(agent);
		key.visit_date = DatumGetDateADT(heap_getattr(tuple, col[VC_VISIT_DATE] + 1, desc, &isnull));
		slot = sched_slot_from_name(SchedEnumLabel(heap_getattr(tuple, col[VC_TIME_SLOT] + 1,
																desc, &isnull)));
		if (slot < 0)
			elog(ERROR, "unknown time slot");
		entry = hash_search(held, &key, HASH_ENTER, &found);
		if (!found)
			memset(entry->slot, 0, sizeof(entry->slot));
		entry->slot[slot]++;
	}
	systable_endscan(scan);
}

/*
 * ReadHeld: the pending and confirmed visits per agent, date and slot
 * from date_from to date_to, as of now: with the latest snapshot, as
 * booking counts (assignment.c), so that in REPEATABLE READ too the list
 * shows what booking would find.
 */
static HTAB *
ReadHeld(DateADT date_from, DateADT date_to)
{
	HASHCTL		ctl;
	HTAB	   *held;
	Relation	rel = table_open(SchedRelOid(REL_VISITS), AccessShareLock);
	const int  *col = SchedTableColumns(rel, TABLE_VISITS);
	Snapshot	snapshot;

	ctl.keysize = sizeof(HeldKey);
	ctl.entrysize = sizeof(HeldEntry);
	ctl.hcxt = CurrentMemoryContext;
	held = hash_create("sched places held", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	CountStatus(held, rel, col, snapshot,
				SchedEnumValue(TYPE_VISIT_STATUS, "pending"), date_from, date_to);
	CountStatus(held, rel, col, snapshot,
				SchedEnumValue(TYPE_VISIT_STATUS, "confirmed"), date_from, date_to);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);
	return held;
}

/*
 * Held: SchedTakenFn over the hash table.
 */
static void
Held(void *arg, int32 agent_id, int64 *slot_taken, int64 *day_taken)
{
	Counting   *c = (Counting *) arg;
	HeldKey		key;
	HeldEntry  *entry;
	int			i;

	memset(&key, 0, sizeof(key));
	key.agent_id = agent_id;
	key.visit_date = c->visit_date;
	entry = hash_search(c->held, &key, HASH_FIND, NULL);
	*slot_taken = 0;
	*day_taken = 0;
	if (entry == NULL)
		return;
	*slot_taken = entry->slot[c->slot];
	for (i = 0; i < SLOT_N; i++)
		*day_taken += entry->slot[i];
}

/*
 * sched_available_slots: available_slots(project, date_from, days) ->
 * (visit_date, time_slot, starts_at, ends_at, free).
 */
Datum
sched_available_slots(PG_FUNCTION_ARGS)
{
	char	   *project;
	DateADT		today;
	DateADT		last_bookable;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	int64		first;
	int64		last;
	int64		d;
	int32		days;
	DateADT		date_from;
	Counting	counting;
	bool		v14;
	TimestampTz earliest;

	SchedRequire(PG_ARGISNULL(0), "project");
	SchedRequire(PG_ARGISNULL(2), "days");
	project = SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(0)), "project",
							 SCHED_MAX_PROJECT, true, false);
	days = PG_GETARG_INT32(2);
	SchedCheckIntRange(days, "days", 1, 366);

	/* the dates asked for, within the booking window; from today if NULL */
	SchedBookingWindow(&today, &last_bookable);
	date_from = PG_ARGISNULL(1) ? today : PG_GETARG_DATEADT(1);
	first = Max((int64) date_from, (int64) today);
	last = Min((int64) date_from + days - 1, (int64) last_bookable);
	if (DATE_NOT_FINITE(date_from))
		last = first - 1;		/* -infinity or infinity: nothing to list */

	SchedInitMaterializedSRF(fcinfo);
	if (first > last)
		PG_RETURN_NULL();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	v14 = SchedSchemaVersion() >= SCHED_SCHEMA_14;
	earliest = SchedEarliestStart();
	/* 1.3: only an active project's slots, as booking takes them */
	if (SchedSchemaVersion() >= SCHED_SCHEMA_13)
		(void) SchedCheckProjectTakesBookings(project);
	counting.held = ReadHeld((DateADT) first, (DateADT) last);
	for (d = first; d <= last; d++)
	{
		int			slot;

		if (v14 && SchedHoliday(project, (DateADT) d) != NULL)
			continue;			/* 1.4: closed, booking refuses it */
		counting.visit_date = (DateADT) d;
		for (slot = 0; slot < SLOT_N; slot++)
		{
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};
			TimestampTz starts_at = SchedSlotStart((DateADT) d, slot);
			TimestampTz ends_at = SchedSlotEnd((DateADT) d, slot);
			Datum		time_slot = SchedEnumValue(TYPE_TIME_SLOT, sched_slot_name(slot));
			int64		free;

			if (ends_at <= now)
				continue;		/* over: booking refuses it */
			if (v14 && starts_at < earliest)
				continue;		/* 1.4: sooner than sched.min_notice */
			counting.slot = slot;
			free = SchedFreePlaces(project, (DateADT) d, time_slot, starts_at, ends_at,
								   Held, &counting);
			values[0] = DateADTGetDatum((DateADT) d);
			values[1] = time_slot;
			values[2] = TimestampTzGetDatum(starts_at);
			values[3] = TimestampTzGetDatum(ends_at);
			values[4] = Int32GetDatum((int32) Min(free, (int64) PG_INT32_MAX));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	SPI_finish();
	PG_RETURN_NULL();
}
