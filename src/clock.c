/*
 * clock.c
 *		The business's clock: today, local times, and when a slot starts
 *		and ends, the one place where a visit's date and slot become
 *		moments in time; and business hours.
 *
 * A slot's hours (workflow.c, sched_slot_hours) are local to the
 * business, whose time zone is the setting sched.timezone (default
 * Asia/Kolkata), defined here with sched.business_hours.  Today (the
 * booking window), reminders, no-shows, messages, calendar invites and
 * sched.slot_bounds all ask here, so a change of zone or of
 * daylight-saving time moves all of them alike.  A local time that a DST
 * change skips or repeats is read the way PostgreSQL reads timestamp AT
 * TIME ZONE (timestamp_zone).
 */
#include "sched.h"
#include "clock.h"
#include "compat.h"
#include "rows.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "funcapi.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

static char *timezone_name = NULL;
static char *business_hours = NULL;
static int	business_open = 9 * 60; /* minutes since midnight, from the above */
static int	business_close = 18 * 60;

PG_FUNCTION_INFO_V1(sched_slot_bounds);

/*
 * CheckTimezone: GUC check hook of sched.timezone: a zone the server
 * knows (a name from the tz database, such as Asia/Kolkata).
 */
static bool
CheckTimezone(char **newval, void **extra, GucSource source)
{
	if (*newval != NULL && **newval != '\0' && pg_tzset(*newval) != NULL)
		return true;
	GUC_check_errdetail("A time zone name from the tz database is needed, such as Asia/Kolkata.");
	return false;
}

/*
 * CheckBusinessHours: GUC check hook of sched.business_hours; the parsed
 * minutes go to AssignBusinessHours through extra.
 */
static bool
CheckBusinessHours(char **newval, void **extra, GucSource source)
{
	int			open;
	int			close;
	int		   *minutes;

	if (!sched_parse_business_hours(*newval, &open, &close))
	{
		GUC_check_errdetail("Business hours are written HH:MM-HH:MM in local time, opening before closing, such as 09:00-18:00; 00:00-24:00 is always open.");
		return false;
	}
	minutes = SchedGucMalloc(2 * sizeof(int));	/* guc.c frees extra */
	if (minutes == NULL)
		return false;
	minutes[0] = open;
	minutes[1] = close;
	*extra = minutes;
	return true;
}

static void
AssignBusinessHours(const char *newval, void *extra)
{
	business_open = ((int *) extra)[0];
	business_close = ((int *) extra)[1];
}

/*
 * SchedClockInit: define the settings; called once by _PG_init.
 */
void
SchedClockInit(void)
{
	DefineCustomStringVariable("sched.timezone",
							   "Time zone of the business: slot times, reminders and no-shows are local to it.",
							   NULL,
							   &timezone_name,
							   "Asia/Kolkata",
							   PGC_SUSET, 0,
							   CheckTimezone, NULL, NULL);
	DefineCustomStringVariable("sched.business_hours",
							   "Opening hours of the sales team, local to sched.timezone, every day: HH:MM-HH:MM.",
							   "Callback deadlines and retries that would fall outside them move to the next opening; 00:00-24:00 turns the rule off.",
							   &business_hours,
							   "09:00-18:00",
							   PGC_SUSET, 0,
							   CheckBusinessHours, AssignBusinessHours, NULL);
}

/*
 * SchedTimezone: the name of the business's time zone (sched.timezone).
 */
const char *
SchedTimezone(void)
{
	return timezone_name;
}

/*
 * SchedDateText: a date in ISO 8601 (2026-01-18) whatever the DateStyle,
 * for messages.
 */
char *
SchedDateText(DateADT d)
{
	int			year;
	int			month;
	int			day;

	if (DATE_NOT_FINITE(d))
		return pstrdup(DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
	j2date(d + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	return psprintf("%04d-%02d-%02d", year, month, day);
}

/*
 * WallClock: visit_date at hour, as the local time (in sched.timezone) it
 * names; an error for a date too far away to have one.
 */
static Timestamp
WallClock(DateADT visit_date, int hour)
{
	if (DATE_NOT_FINITE(visit_date) ||
		visit_date < -(DateADT) 1000000 || visit_date > (DateADT) 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("visit_date %s has no slot times", SchedDateText(visit_date)),
				 errdetail("Slot times exist for dates within 2700 years of 2000-01-01.")));
	return (Timestamp) visit_date * USECS_PER_DAY + (Timestamp) hour * USECS_PER_HOUR;
}

/*
 * LocalToZone: a local time in sched.timezone as a timestamptz.
 */
static TimestampTz
LocalToZone(Timestamp local)
{
	return DatumGetTimestampTz(DirectFunctionCall2(timestamp_zone,
												   CStringGetTextDatum(timezone_name),
												   TimestampGetDatum(local)));
}

/*
 * SchedLocalTime: t as a local time in sched.timezone.
 */
Timestamp
SchedLocalTime(TimestampTz t)
{
	return DatumGetTimestamp(DirectFunctionCall2(timestamptz_zone,
												 CStringGetTextDatum(timezone_name),
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
 * SchedSlotLocalStart, SchedSlotLocalEnd: the slot's hours on its date,
 * as the local times a calendar in sched.timezone shows.
 */
Timestamp
SchedSlotLocalStart(DateADT visit_date, int slot)
{
	int			start;
	int			end;

	SlotHours(slot, &start, &end);
	return WallClock(visit_date, start);
}

Timestamp
SchedSlotLocalEnd(DateADT visit_date, int slot)
{
	int			start;
	int			end;

	SlotHours(slot, &start, &end);
	return WallClock(visit_date, end);
}

/*
 * SchedSlotStart: when the slot begins.
 */
TimestampTz
SchedSlotStart(DateADT visit_date, int slot)
{
	return LocalToZone(SchedSlotLocalStart(visit_date, slot));
}

/*
 * SchedSlotEnd: when the slot is over.
 */
TimestampTz
SchedSlotEnd(DateADT visit_date, int slot)
{
	return LocalToZone(SchedSlotLocalEnd(visit_date, slot));
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
						   timestamptz_to_str(ends_at), timezone_name),
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
	wait = sched_minutes_until_open(minute, business_open, business_close);
	if (wait == 0)
		return t;
	/* the opening minute itself, with no seconds left over */
	return LocalToZone(local - day_usecs + (int64) (minute + wait) * USECS_PER_MINUTE);
}
