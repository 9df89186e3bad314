/*
 * clock.c
 *		The business's clock: today, local times, and when a slot starts
 *		and ends, the one place where a visit's date and slot become
 *		moments in time.
 *
 * A slot's hours (workflow.c, sched_slot_hours) are local to the
 * business, whose time zone is the setting sched.timezone (default
 * Asia/Kolkata).  Reminders, no-shows and sched.slot_bounds all ask here,
 * so a change of zone or of daylight-saving time moves all of them alike.
 * A local time that a DST change skips or repeats is read the way
 * PostgreSQL reads timestamp AT TIME ZONE (timestamp_zone).
 */
#include "sched.h"

#include "access/xact.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_slot_bounds);

/*
 * LocalToZone: visit_date at hour (local, in sched.timezone) as a
 * timestamptz.
 */
static TimestampTz
LocalToZone(DateADT visit_date, int hour)
{
	Timestamp	local;

	if (DATE_NOT_FINITE(visit_date) ||
		visit_date < -(DateADT) 1000000 || visit_date > (DateADT) 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("visit_date %s has no slot times", SchedDateText(visit_date)),
				 errdetail("Slot times exist for dates within 2700 years of 2000-01-01.")));
	local = (Timestamp) visit_date * USECS_PER_DAY + (Timestamp) hour * USECS_PER_HOUR;
	return DatumGetTimestampTz(DirectFunctionCall2(timestamp_zone,
												   CStringGetTextDatum(sched_timezone),
												   TimestampGetDatum(local)));
}

/*
 * SchedLocalTime: t as a local time in sched.timezone.
 */
Timestamp
SchedLocalTime(TimestampTz t)
{
	return DatumGetTimestamp(DirectFunctionCall2(timestamptz_zone,
												 CStringGetTextDatum(sched_timezone),
												 TimestampTzGetDatum(t)));
}

/*
 * SchedLocalDate: the date of t in sched.timezone.
 */
DateADT
SchedLocalDate(TimestampTz t)
{
	return DatumGetDateADT(DirectFunctionCall1(timestamp_date,
											   TimestampGetDatum(SchedLocalTime(t))));
}

/*
 * SchedToday: the business's today, the date of now() in sched.timezone.
 * The booking window (no date in the past, none more than
 * sched.max_days_ahead ahead), reschedules and available_slots count
 * from it, whatever the session's TimeZone: a client on a UTC server and
 * one in Etc/GMT-14 see the same window.
 */
DateADT
SchedToday(void)
{
	return SchedLocalDate(GetCurrentTransactionStartTimestamp());
}

/*
 * SlotHours: the slot's local hours, or an error for a slot that is not
 * one (cannot happen through the enum).
 */
static void
SlotHours(int slot, int *start, int *end)
{
	if (!sched_slot_hours(slot, start, end))
		elog(ERROR, "slot %d is not a time slot", slot);
}

/*
 * SchedSlotStart: when the slot begins.
 */
TimestampTz
SchedSlotStart(DateADT visit_date, int slot)
{
	int			start;
	int			end;

	SlotHours(slot, &start, &end);
	return LocalToZone(visit_date, start);
}

/*
 * SchedSlotEnd: when the slot is over.
 */
TimestampTz
SchedSlotEnd(DateADT visit_date, int slot)
{
	int			start;
	int			end;

	SlotHours(slot, &start, &end);
	return LocalToZone(visit_date, end);
}

/*
 * sched_slot_bounds: slot_bounds(visit_date, time_slot) -> (starts_at,
 * ends_at).
 */
Datum
sched_slot_bounds(PG_FUNCTION_ARGS)
{
	DateADT		visit_date = PG_GETARG_DATEADT(0);
	int			slot = sched_slot_from_name(SchedEnumLabel(PG_GETARG_DATUM(1)));
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = TimestampTzGetDatum(SchedSlotStart(visit_date, slot));
	values[1] = TimestampTzGetDatum(SchedSlotEnd(visit_date, slot));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * SchedCheckSlotOpen: a visit can be booked into (or moved to) a slot
 * only until the slot ends (1.1); sched.available_slots lists the same.
 */
void
SchedCheckSlotOpen(DateADT visit_date, Datum time_slot)
{
	const char *label = SchedEnumLabel(time_slot);
	TimestampTz ends_at = SchedSlotEnd(visit_date, sched_slot_from_name(label));

	if (ends_at <= GetCurrentTransactionStartTimestamp())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s slot of %s is over", label, SchedDateText(visit_date)),
				 errdetail("It ended at %s (sched.timezone is %s).",
						   timestamptz_to_str(ends_at), sched_timezone),
				 errhint("sched.available_slots lists the slots that can still be booked.")));
}

/*
 * SchedBusinessTime: t, or the next opening of the business hours
 * (sched.business_hours, local to sched.timezone) when t falls outside
 * them.  Callback deadlines and retries go through here.  The opening is
 * found in local time, so it stays at the same local hour across a DST
 * change.
 */
TimestampTz
SchedBusinessTime(TimestampTz t)
{
	Timestamp	local;
	int64		day_usecs;
	int			minute;
	int			wait;

	if (TIMESTAMP_NOT_FINITE(t))
		return t;
	local = SchedLocalTime(t);
	day_usecs = local % USECS_PER_DAY;
	if (day_usecs < 0)
		day_usecs += USECS_PER_DAY;
	minute = (int) (day_usecs / USECS_PER_MINUTE);
	wait = sched_minutes_until_open(minute, sched_business_open, sched_business_close);
	if (wait == 0)
		return t;
	/* the opening minute itself, with no seconds left over */
	local = local - day_usecs + (int64) (minute + wait) * USECS_PER_MINUTE;
	return DatumGetTimestampTz(DirectFunctionCall2(timestamp_zone,
												   CStringGetTextDatum(sched_timezone),
												   TimestampGetDatum(local)));
}
