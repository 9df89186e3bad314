/*
 * ics_calls.c
 *		sched.visit_ics: a visit as a calendar invite; (1.4)
 *		sched.agent_calendar and sched.my_calendar: an agent's visits and
 *		callback deadlines as a calendar to subscribe to.
 *
 * Reads the visit, its agent and how many changes it has had, and hands
 * them to the pure writer (ics.c).  The UID is the visit's ref at the
 * database's name, the same for every version of the invite and in the
 * agent's calendar; SEQUENCE is the number of changes recorded in
 * status_history after the booking, so a calendar replaces its copy when
 * the visit is confirmed, moved or cancelled; DTSTAMP is the visit's
 * updated_at.  A callback's deadline has the callback's ref as its UID,
 * counted the same way.
 */
#include "sched.h"
#include "agents.h"
#include "checks.h"
#include "clock.h"
#include "ics.h"
#include "identity.h"
#include "plans.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(sched_visit_ics);
PG_FUNCTION_INFO_V1(sched_agent_calendar);
PG_FUNCTION_INFO_V1(sched_my_calendar);

/* an agent's calendar: at most a year and a day, read this many rows at a time */
#define CALENDAR_MAX_DAYS	366
#define CALENDAR_BATCH		256
/* a callback's deadline is shown as an event of this many minutes */
#define CALLBACK_MINUTES	15
/* offset changes of the zone kept in one calendar (real zones: up to 4 a year) */
#define CALENDAR_MAX_CHANGES	16

/* what a visit's calendar invite says */
static SchedStatement visit_invite = {
	"SELECT v.ref, v.project, v.visit_date, v.time_slot::text AS time_slot,"
	" v.status::text AS status, v.contact_name, v.contact_email, v.contact_phone, v.user_notes,"
	" a.name AS agent_name, a.email AS agent_email, a.phone AS agent_phone,"
	" (SELECT pg_catalog.count(*)::int - 1 FROM sched.status_history h"
	"   WHERE h.entity OPERATOR(pg_catalog.=) 'visit'::sched.entity AND h.entity_id = v.visit_id) AS sequence,"
	" v.updated_at, pg_catalog.current_database() AS database"
	" FROM sched.scheduled_visits v LEFT JOIN sched.agents a ON a.agent_id = v.agent_id"
	" WHERE v.visit_id = $1",
	1, {INT8OID}
};

/*
 * AppendIcs: the writer's output goes into a StringInfo.
 */
static void
AppendIcs(void *ctx, const char *s, size_t len)
{
	appendBinaryStringInfo((StringInfo) ctx, s, (int) len);
}

/*
 * IcsTime: the fields of a timestamp as it is stored: a timestamptz reads
 * as UTC, a local timestamp as the local time it is.
 */
static SchedIcsTime
IcsTime(int64 t)
{
	SchedIcsTime out = {0, 0, 0, 0, 0, 0};
	struct pg_tm tm;
	fsec_t		fsec;

	if (timestamp2tm((Timestamp) t, NULL, &tm, &fsec, NULL, NULL) == 0)
	{
		out.year = tm.tm_year;
		out.month = tm.tm_mon;
		out.day = tm.tm_mday;
		out.hour = tm.tm_hour;
		out.minute = tm.tm_min;
		out.second = tm.tm_sec;
	}
	return out;
}

/*
 * RowText, RowValue: a column of a row of the last SPI result, by name.
 */
static char *
RowText(HeapTuple row, const char *name)
{
	return SPI_getvalue(row, SPI_tuptable->tupdesc, SchedResultColumn(name));
}

static Datum
RowValue(HeapTuple row, const char *name, bool *isnull)
{
	return SPI_getbinval(row, SPI_tuptable->tupdesc, SchedResultColumn(name), isnull);
}

/*
 * VisitEvent: what an invite and an agent's calendar say alike of a visit
 * (its row read by visit_invite or calendar_visits): UID, SEQUENCE,
 * DTSTAMP, the slot's local times and offset, the status and the
 * customer.
 */
static void
VisitEvent(SchedIcsVisit *v, HeapTuple row, const char *database)
{
	bool		isnull;
	DateADT		visit_date = DatumGetDateADT(RowValue(row, "visit_date", &isnull));
	int			slot = sched_slot_from_name(RowText(row, "time_slot"));
	Timestamp	local_start = SchedSlotLocalStart(visit_date, slot);
	char	   *status = RowText(row, "status");

	memset(v, 0, sizeof(*v));
	v->utc_offset_s = (int) ((local_start - SchedSlotStart(visit_date, slot)) / USECS_PER_SEC);
	v->start = IcsTime(local_start);
	v->end = IcsTime(SchedSlotLocalEnd(visit_date, slot));
	v->stamp = IcsTime(DatumGetTimestampTz(RowValue(row, "updated_at", &isnull)));
	v->tzid = SchedTimezone();
	v->uid = psprintf("%s@%s.sched", RowText(row, "ref"), database);
	v->sequence = DatumGetInt32(RowValue(row, "sequence", &isnull));
	v->cancelled = strcmp(status, "cancelled") == 0;
	v->confirmed = strcmp(status, "confirmed") == 0 || strcmp(status, "completed") == 0 ||
		strcmp(status, "no_show") == 0;
	v->attendee_name = RowText(row, "contact_name");
	v->attendee_email = RowText(row, "contact_email");
	v->attendee_phone = RowText(row, "contact_phone");
}

/*
 * sched_visit_ics: visit_ics(visit_id) -> text.
 */
Datum
sched_visit_ics(PG_FUNCTION_ARGS)
{
	int64		visit_id;
	Datum		args[1];
	SchedIcsVisit v;
	char	   *ref;
	char	   *project;
	char	   *notes;
	char	   *agent_phone;
	char	   *rm_line;
	StringInfoData out;
	text	   *result;

	SchedRequire(PG_ARGISNULL(0), "visit_id");
	visit_id = PG_GETARG_INT64(0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = Int64GetDatum(visit_id);
	SchedReadOne(&visit_invite, args, true, "visit", visit_id, NULL);

	VisitEvent(&v, SPI_tuptable->vals[0], SchedResultText("database"));
	ref = SchedResultText("ref");
	project = SchedResultText("project");
	v.summary = psprintf("Site visit: %s", project);
	v.location = project;
	v.organizer_name = SchedResultText("agent_name");
	v.organizer_email = SchedResultText("agent_email");
	agent_phone = SchedResultText("agent_phone");
	v.organizer_phone = agent_phone;
	rm_line = v.organizer_name
		? psprintf("\nYour Relationship Manager: %s, %s", v.organizer_name, agent_phone ? agent_phone : "")
		: "";
	notes = SchedResultText("user_notes");

	/* 1.3: the project's address, when sched.projects gives one (read last: it may run SPI) */
	if (SchedSchemaVersion() >= SCHED_SCHEMA_13)
	{
		bool		listed;
		const char *location;

		(void) SchedProjectState(project, &listed, &location);
		if (location != NULL)
			v.location = psprintf("%s, %s", project, location);
	}
	v.description = psprintf("Site visit %s to %s.%s%s%s", ref, v.location, rm_line,
							 notes ? "\nYour notes: " : "", notes ? notes : "");

	initStringInfo(&out);
	sched_ics_write(&v, AppendIcs, &out);
	result = cstring_to_text_with_len(out.data, out.len);
	result = (text *) SPI_datumTransfer(PointerGetDatum(result), false, -1);
	SPI_finish();
	PG_RETURN_TEXT_P(result);
}

/* the calendar's agent ($1) */
static SchedStatement calendar_agent = {
	"SELECT a.name, a.email, a.phone, pg_catalog.current_database() AS database"
	" FROM sched.agents a WHERE a.agent_id OPERATOR(pg_catalog.=) $1",
	1, {INT4OID}
};

/*
 * the agent's ($1) pending and confirmed visits from $2 to $3, as
 * visit_invite reads a visit
 */
static SchedStatement calendar_visits = {
	"SELECT v.ref, v.project, v.visit_date, v.time_slot::text AS time_slot,"
	" v.status::text AS status, v.contact_name, v.contact_email, v.contact_phone, v.user_notes,"
	" p.location,"
	" (SELECT pg_catalog.count(*)::int - 1 FROM sched.status_history h"
	"   WHERE h.entity OPERATOR(pg_catalog.=) 'visit'::sched.entity AND h.entity_id = v.visit_id) AS sequence,"
	" v.updated_at"
	" FROM sched.scheduled_visits v"
	" LEFT JOIN sched.projects p ON p.project OPERATOR(pg_catalog.=) v.project"
	" WHERE v.agent_id OPERATOR(pg_catalog.=) $1"
	" AND v.visit_date OPERATOR(pg_catalog.>=) $2 AND v.visit_date OPERATOR(pg_catalog.<=) $3"
	" AND v.status OPERATOR(pg_catalog.=) ANY ('{pending,confirmed}'::sched.visit_status[])"
	" ORDER BY v.visit_date, v.time_slot, v.visit_id",
	3, {INT4OID, DATEOID, DATEOID}
};

/*
 * the agent's ($1) callbacks in the working queue whose deadline is on a
 * day from $2 to $3 in the zone $4
 */
static SchedStatement calendar_callbacks = {
	"SELECT c.ref, c.urgency::text AS urgency, c.due_at,"
	" c.contact_name, c.contact_email, c.contact_phone,"
	" (SELECT pg_catalog.count(*)::int - 1 FROM sched.status_history h"
	"   WHERE h.entity OPERATOR(pg_catalog.=) 'callback'::sched.entity AND h.entity_id = c.callback_id) AS sequence,"
	" c.updated_at"
	" FROM sched.callbacks c"
	" WHERE c.agent_id OPERATOR(pg_catalog.=) $1 AND c.next_attempt_at IS NOT NULL"
	" AND c.due_at OPERATOR(pg_catalog.>=) pg_catalog.timezone($4, $2::pg_catalog.timestamp)"
	" AND c.due_at OPERATOR(pg_catalog.<) pg_catalog.timezone($4, ($3 OPERATOR(pg_catalog.+) 1)::pg_catalog.timestamp)"
	" ORDER BY c.due_at, c.callback_id",
	4, {INT4OID, DATEOID, DATEOID, TEXTOID}
};

/* the agent, as every event of their calendar names them */
typedef struct CalendarAgent
{
	const char *name;
	const char *email;
	const char *phone;
	const char *database;
} CalendarAgent;

/*
 * CheckCalendarDay: 22023 for a day no calendar can hold.
 */
static void
CheckCalendarDay(DateADT d, const char *name)
{
	if (DATE_NOT_FINITE(d) || d < -(DateADT) 1000000 || d > (DateADT) 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is out of range", name),
				 errdetail("It is %s; a calendar covers days within 2700 years of 2000-01-01.",
						   SchedDateText(d))));
}

/*
 * CheckCalendarDays: the days of a calendar, from and to (inclusive):
 * 22004 for a NULL, 22023 for a range backwards or longer than
 * CALENDAR_MAX_DAYS.
 */
static void
CheckCalendarDays(FunctionCallInfo fcinfo, int first_arg, DateADT *from, DateADT *to)
{
	SchedRequire(PG_ARGISNULL(first_arg), "date_from");
	SchedRequire(PG_ARGISNULL(first_arg + 1), "date_to");
	*from = PG_GETARG_DATEADT(first_arg);
	*to = PG_GETARG_DATEADT(first_arg + 1);
	CheckCalendarDay(*from, "date_from");
	CheckCalendarDay(*to, "date_to");
	if (*from > *to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("date_from must not be after date_to")));
	if (*to - *from + 1 > CALENDAR_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a calendar covers at most %d days", CALENDAR_MAX_DAYS),
				 errdetail("From %s to %s is %d days.", SchedDateText(*from), SchedDateText(*to),
						   (int) (*to - *from + 1)),
				 errhint("Ask for the days a client shows, such as a month back and a year ahead.")));
}

/*
 * UnixToLocal: seconds since 1970 in UTC, plus an offset, as the local
 * time they read as.
 */
static SchedIcsTime
UnixToLocal(pg_time_t t, long offset_s)
{
	return IcsTime(((Timestamp) (t + offset_s) -
					(Timestamp) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY) * USECS_PER_SEC);
}

/*
 * CalendarZone: sched.timezone over the days from and to: the offset in
 * force at their start and each change of it until their end (into
 * changes, at most CALENDAR_MAX_CHANGES), from the server's tz database.
 * The days are widened by 14 hours on each side, the most any zone is
 * from UTC.
 */
static void
CalendarZone(SchedIcsCalendar *c, SchedIcsOffsetChange *changes, DateADT from, DateADT to)
{
	pg_tz	   *tz = pg_tzset(SchedTimezone());
	pg_time_t	t = ((pg_time_t) from + POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY - 14 * SECS_PER_HOUR;
	pg_time_t	end = ((pg_time_t) to + 1 + POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY + 14 * SECS_PER_HOUR;
	long		before_off;
	long		after_off;
	int			before_dst;
	int			after_dst;
	pg_time_t	boundary;
	int			found;

	if (tz == NULL)
		elog(ERROR, "time zone \"%s\" is not known", SchedTimezone());
	c->tzid = SchedTimezone();
	c->changes = changes;
	c->nchanges = 0;
	found = pg_next_dst_boundary(&t, &before_off, &before_dst, &boundary, &after_off, &after_dst, tz);
	if (found < 0)
		elog(ERROR, "no UTC offset of \"%s\" at %s", SchedTimezone(), SchedDateText(from));
	c->utc_offset_s = (int) before_off;
	c->daylight = before_dst > 0;
	while (found > 0 && boundary > t && boundary < end && c->nchanges < CALENDAR_MAX_CHANGES)
	{
		SchedIcsOffsetChange *ch = &changes[c->nchanges++];

		ch->onset = UnixToLocal(boundary, before_off);
		ch->from_s = (int) before_off;
		ch->to_s = (int) after_off;
		ch->daylight = after_dst > 0;
		t = boundary;
		found = pg_next_dst_boundary(&t, &before_off, &before_dst, &boundary, &after_off, &after_dst, tz);
	}
}

/*
 * CalendarVisit: the VEVENT of a visit in the agent's calendar: the
 * invite's UID, SEQUENCE, times and status; a summary that names the
 * customer, and a description with their phone and their own notes (what
 * the invite shows them), never the agent's notes.
 */
static void
CalendarVisit(SchedIcsVisit *v, HeapTuple row, const CalendarAgent *agent)
{
	char	   *project = RowText(row, "project");
	char	   *location = RowText(row, "location");
	char	   *notes = RowText(row, "user_notes");

	VisitEvent(v, row, agent->database);
	v->location = location ? psprintf("%s, %s", project, location) : project;
	v->summary = psprintf("Site visit: %s (%s)", project, v->attendee_name);
	v->description = psprintf("Site visit %s to %s.\nCustomer: %s, %s%s%s%s%s",
							  RowText(row, "ref"), v->location, v->attendee_name, v->attendee_phone,
							  v->attendee_email ? ", " : "", v->attendee_email ? v->attendee_email : "",
							  notes ? "\nCustomer's notes: " : "", notes ? notes : "");
}

/*
 * CalendarCallback: the VEVENT of a callback's deadline: a short event at
 * due_at that leaves the agent's time free (a deadline, not an
 * appointment), with the callback's own UID.
 */
static void
CalendarCallback(SchedIcsVisit *v, HeapTuple row, const CalendarAgent *agent)
{
	bool		isnull;
	Timestamp	due = SchedLocalTime(DatumGetTimestampTz(RowValue(row, "due_at", &isnull)));
	char	   *ref = RowText(row, "ref");
	char	   *urgency = RowText(row, "urgency");

	memset(v, 0, sizeof(*v));
	v->uid = psprintf("%s@%s.sched", ref, agent->database);
	v->sequence = DatumGetInt32(RowValue(row, "sequence", &isnull));
	v->stamp = IcsTime(DatumGetTimestampTz(RowValue(row, "updated_at", &isnull)));
	v->tzid = SchedTimezone();
	v->start = IcsTime(due);
	v->end = IcsTime(due + (Timestamp) CALLBACK_MINUTES * USECS_PER_MINUTE);
	v->confirmed = true;
	v->transparent = true;
	v->attendee_name = RowText(row, "contact_name");
	v->attendee_email = RowText(row, "contact_email");
	v->attendee_phone = RowText(row, "contact_phone");
	v->summary = psprintf("Call back: %s, %s (%s)", v->attendee_name, v->attendee_phone, urgency);
	v->description = psprintf("Callback %s, %s urgency: call %s on %s by this time.",
							  ref, urgency, v->attendee_name, v->attendee_phone);
}

typedef void (*CalendarEventFn) (SchedIcsVisit *v, HeapTuple row, const CalendarAgent *agent);

/*
 * CalendarEvents: run stmt as a cursor and write each row's event, a
 * batch of rows at a time, each row's strings in a context reset after
 * it: a year of a busy agent holds one batch in memory, not the year.
 */
static void
CalendarEvents(SchedStatement *stmt, Datum *values, CalendarEventFn fill,
			   const CalendarAgent *agent, StringInfo out)
{
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext, "sched calendar row",
												 ALLOCSET_SMALL_SIZES);
	Portal		portal = SPI_cursor_open(NULL, SchedPrepared(stmt), values, NULL, true);

	for (;;)
	{
		uint64		i;

		SPI_cursor_fetch(portal, true, CALENDAR_BATCH);
		if (SPI_processed == 0)
			break;
		for (i = 0; i < SPI_processed; i++)
		{
			MemoryContext old = MemoryContextSwitchTo(rowcxt);
			SchedIcsVisit v;

			CHECK_FOR_INTERRUPTS();
			fill(&v, SPI_tuptable->vals[i], agent);
			v.organizer_name = agent->name;
			v.organizer_email = agent->email;
			v.organizer_phone = agent->phone;
			sched_ics_calendar_event(&v, AppendIcs, out);
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(rowcxt);
}

/*
 * AgentCalendar: the calendar of agent_id's visits and callback deadlines
 * from one day to another, as text (the StringInfo becomes the text
 * itself: no copy of a large calendar).  Needs SPI; ends it.
 */
static text *
AgentCalendar(int32 agent_id, DateADT from, DateADT to, StringInfo out)
{
	Datum		values[4];
	CalendarAgent agent;
	SchedIcsCalendar cal;
	SchedIcsOffsetChange changes[CALENDAR_MAX_CHANGES];

	values[0] = Int32GetDatum(agent_id);
	SchedReadOne(&calendar_agent, values, true, "agent", agent_id,
				 "sched.agents lists the agents there are.");
	agent.name = SchedResultText("name");
	agent.email = SchedResultText("email");
	agent.phone = SchedResultText("phone");
	agent.database = SchedResultText("database");

	memset(&cal, 0, sizeof(cal));
	cal.name = psprintf("sched: %s", agent.name);
	cal.refresh_minutes = 60;
	CalendarZone(&cal, changes, from, to);
	sched_ics_calendar_begin(&cal, AppendIcs, out);

	values[1] = DateADTGetDatum(from);
	values[2] = DateADTGetDatum(to);
	values[3] = CStringGetTextDatum(SchedTimezone());
	CalendarEvents(&calendar_visits, values, CalendarVisit, &agent, out);
	CalendarEvents(&calendar_callbacks, values, CalendarCallback, &agent, out);
	sched_ics_calendar_end(AppendIcs, out);
	SPI_finish();

	SET_VARSIZE(out->data, out->len);
	return (text *) out->data;
}

/*
 * StartCalendar: the text a calendar is written into, in the call's own
 * memory (it is the result), with room for the text's header.
 */
static void
StartCalendar(StringInfo out)
{
	initStringInfo(out);
	appendStringInfoSpaces(out, VARHDRSZ);
}

/*
 * sched_agent_calendar: agent_calendar(agent_id, date_from, date_to) ->
 * text.
 */
Datum
sched_agent_calendar(PG_FUNCTION_ARGS)
{
	StringInfoData out;
	int32		agent_id;
	DateADT		from;
	DateADT		to;

	SchedRequire(PG_ARGISNULL(0), "agent_id");
	agent_id = PG_GETARG_INT32(0);
	CheckCalendarDays(fcinfo, 1, &from, &to);
	StartCalendar(&out);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PG_RETURN_TEXT_P(AgentCalendar(agent_id, from, to, &out));
}

/*
 * sched_my_calendar: my_calendar(date_from, date_to) -> text: the
 * calendar of the agent whose login is the request's user (42501 for
 * none).
 */
Datum
sched_my_calendar(PG_FUNCTION_ARGS)
{
	StringInfoData out;
	int32		agent_id;
	DateADT		from;
	DateADT		to;

	StartCalendar(&out);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	agent_id = SchedRequireAgent();
	CheckCalendarDays(fcinfo, 0, &from, &to);
	PG_RETURN_TEXT_P(AgentCalendar(agent_id, from, to, &out));
}
