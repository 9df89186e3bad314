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

#include <ctype.h>

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
static char *min_notice = NULL;
static int	min_notice_minutes = 120;	/* from the above (1.4) */

PG_FUNCTION_INFO_V1(sched_slot_bounds);

/* the longest time zone name sched keeps (the tz database's are under 40) */
#define ZONE_NAME_MAX	64

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
 * SchedCheckDurationSetting: the body of a GUC check hook of a duration
 * setting (sched.min_notice, sched.chat_session_ttl; 1.4): "2 hours",
 * "90 minutes", "1 day" (sched_parse_notice), from min_minutes to 30
 * days; the minutes go to the assign hook through extra.
 */
bool
SchedCheckDurationSetting(char **newval, void **extra, int min_minutes)
{
	int			minutes;
	int		   *kept;

	if (!sched_parse_notice(*newval, &minutes) || minutes < min_minutes)
	{
		if (min_minutes > 0)
			GUC_check_errdetail("A duration from %d minute%s to 30 days is needed, such as 24 hours.",
								min_minutes, min_minutes == 1 ? "" : "s");
		else
			GUC_check_errdetail("A duration of at most 30 days is needed, such as 2 hours, 90 minutes, 1 day or 0.");
		return false;
	}
	kept = SchedGucMalloc(sizeof(int));	/* guc.c frees extra */
	if (kept == NULL)
		return false;
	*kept = minutes;
	*extra = kept;
	return true;
}

/* CheckMinNotice: GUC check hook of sched.min_notice (1.4) */
static bool
CheckMinNotice(char **newval, void **extra, GucSource source)
{
	return SchedCheckDurationSetting(newval, extra, 0);
}

static void
AssignMinNotice(const char *newval, void *extra)
{
	min_notice_minutes = *(int *) extra;
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
	DefineCustomStringVariable("sched.min_notice",
							   "How long before a slot starts it can still be booked or moved into (1.4).",
							   "A slot starting sooner is refused (22023) and sched.available_slots does not offer it; 0 turns the rule off.",
							   &min_notice,
							   "2 hours",
							   PGC_SUSET, 0,
							   CheckMinNotice, AssignMinNotice, NULL);
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
 * SchedDateOf: a date's year, month and day, for the pure C (messages,
 * the chat); zeros for an infinite date.
 */
SchedDate
SchedDateOf(DateADT d)
{
	SchedDate	out = {0, 0, 0};

	if (!DATE_NOT_FINITE(d))
		j2date(d + POSTGRES_EPOCH_JDATE, &out.year, &out.month, &out.day);
	return out;
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
 * SchedCheckNotice (1.4): a visit can be booked into (or moved to) a slot
 * only until sched.min_notice before it starts.
 */
void
SchedCheckNotice(DateADT visit_date, Datum time_slot)
{
	const char *label = SchedEnumLabel(time_slot);

	if (SchedSlotStart(visit_date, sched_slot_from_name(label)) < SchedEarliestStart())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s slot of %s starts too soon", label, SchedDateText(visit_date)),
				 errdetail("A slot can be booked or moved into until %s before it starts (sched.min_notice).",
						   min_notice),
				 errhint("sched.available_slots lists the slots that can still be booked.")));
}

/*
 * SchedEarliestStart (1.4): the earliest start of a slot that can be
 * booked now: the transaction's start plus sched.min_notice; with no
 * notice, any start (a slot under way can be booked until it ends, as
 * before 1.4).
 */
TimestampTz
SchedEarliestStart(void)
{
	if (min_notice_minutes == 0)
		return DT_NOBEGIN;
	return GetCurrentTransactionStartTimestamp() + (TimestampTz) min_notice_minutes * USECS_PER_MINUTE;
}

/*
 * SchedBusinessHoursCover (1.4): the business hours cover the slot whole,
 * for an agent without working hours of their own.
 */
bool
SchedBusinessHoursCover(int slot)
{
	int			start;
	int			end;
	SchedHoursRange open;

	SlotHours(slot, &start, &end);
	open.starts = business_open;
	open.ends = business_close;
	return sched_hours_cover(&open, 1, start * 60, end * 60);
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

/*
 * SchedZoneName: a customer's time zone (1.4) as the tz database spells
 * it ("America/New_York" of "america/new_york"), or NULL when name is
 * not one: an Area/Location name of the tz database or UTC.  POSIX
 * strings, which the server would also take ("EST5EDT" aside, "XYZ+3"),
 * are refused: they name no place and drift from real rules.
 */
const char *
SchedZoneName(const char *name)
{
	size_t		len = strlen(name);
	size_t		i;
	pg_tz	   *tz;

	if (len == 0 || len > ZONE_NAME_MAX || !isalpha((unsigned char) name[0]))
		return NULL;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char) name[i]) && strchr("/_+-", name[i]) == NULL)
			return NULL;
	if (strchr(name, '/') == NULL && pg_strcasecmp(name, "UTC") != 0)
		return NULL;
	if (strstr(name, "//") != NULL || name[len - 1] == '/')
		return NULL;
	/*
	 * A sign before a digit is a POSIX offset ("Asia/Nowhere+5" would be
	 * read as one): only Etc/GMT+N and Etc/GMT-N of the tz database have it
	 */
	for (i = 0; i + 1 < len; i++)
		if ((name[i] == '+' || name[i] == '-') && isdigit((unsigned char) name[i + 1]) &&
			pg_strncasecmp(name, "Etc/GMT", 7) != 0)
			return NULL;
	tz = pg_tzset(name);
	return tz ? pg_get_timezone_name(tz) : NULL;
}

/*
 * ZoneClock: the wall clock of t in a zone: date, hour, minute and the
 * zone's abbreviation then ("IST", "EST", "+04").
 */
static bool
ZoneClock(TimestampTz t, pg_tz *tz, SchedCustomerClock *c)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			offset;
	const char *abbrev = NULL;

	if (tz == NULL || timestamp2tm(t, &offset, &tm, &fsec, &abbrev, tz) != 0)
		return false;
	c->date.year = tm.tm_year;
	c->date.month = tm.tm_mon;
	c->date.day = tm.tm_mday;
	c->hour = tm.tm_hour;
	c->minute = tm.tm_min;
	c->abbrev = abbrev ? pstrdup(abbrev) : NULL;
	return true;
}

/*
 * SchedSlotClocks: for a visit's slot, the business zone's abbreviation
 * at its start (into *abbrev) and, when zone is a customer's zone whose
 * clock reads another time then, the slot's start on that clock (into
 * customer; its zone is left NULL otherwise).
 */
void
SchedSlotClocks(DateADT visit_date, int slot, const char *zone,
				const char **abbrev, SchedCustomerClock *customer)
{
	TimestampTz start = SchedSlotStart(visit_date, slot);
	SchedCustomerClock business;

	memset(customer, 0, sizeof(*customer));
	*abbrev = NULL;
	if (!ZoneClock(start, pg_tzset(timezone_name), &business))
		return;
	*abbrev = business.abbrev;
	if (zone == NULL || !ZoneClock(start, pg_tzset(zone), customer))
	{
		memset(customer, 0, sizeof(*customer));
		return;
	}
	if (customer->hour == business.hour && customer->minute == business.minute &&
		customer->date.day == business.date.day)
		memset(customer, 0, sizeof(*customer));
	else
		customer->zone = zone;
}

/*
 * SchedRequireZone: SchedZoneName, or 22023 naming the argument.
 */
const char *
SchedRequireZone(const char *name, const char *what)
{
	const char *zone = SchedZoneName(name);

	if (zone == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a time zone", what),
				 errdetail("A name from the tz database is needed, such as America/New_York, Europe/London or UTC.")));
	return zone;
}
