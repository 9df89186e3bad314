/*
 * ics_calls.c
 *		sched.visit_ics: a visit as a calendar invite.
 *
 * Reads the visit, its agent and how many changes it has had, and hands
 * them to the pure writer (ics.c).  The UID is the visit's ref at the
 * database's name, the same for every version of the invite; SEQUENCE is
 * the number of changes recorded in status_history after the booking, so
 * a calendar replaces its copy when the visit is confirmed, moved or
 * cancelled; DTSTAMP is the visit's updated_at.
 */
#include "sched.h"
#include "agents.h"
#include "checks.h"
#include "clock.h"
#include "ics.h"
#include "plans.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(sched_visit_ics);

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
 * sched_visit_ics: visit_ics(visit_id) -> text.
 */
Datum
sched_visit_ics(PG_FUNCTION_ARGS)
{
	int64		visit_id;
	Datum		args[1];
	bool		isnull;
	SchedIcsVisit v;
	DateADT		visit_date;
	int			slot;
	Timestamp	local_start;
	char	   *status;
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

	memset(&v, 0, sizeof(v));
	visit_date = DatumGetDateADT(SchedResultValue("visit_date", &isnull));
	slot = sched_slot_from_name(SchedResultText("time_slot"));
	local_start = SchedSlotLocalStart(visit_date, slot);
	v.utc_offset_s = (int) ((local_start - SchedSlotStart(visit_date, slot)) / USECS_PER_SEC);
	v.start = IcsTime(local_start);
	v.end = IcsTime(SchedSlotLocalEnd(visit_date, slot));
	v.stamp = IcsTime(DatumGetTimestampTz(SchedResultValue("updated_at", &isnull)));
	v.tzid = SchedTimezone();
	ref = SchedResultText("ref");
	v.uid = psprintf("%s@%s.sched", ref, SchedResultText("database"));
	v.sequence = DatumGetInt32(SchedResultValue("sequence", &isnull));
	status = SchedResultText("status");
	v.cancelled = strcmp(status, "cancelled") == 0;
	v.confirmed = strcmp(status, "confirmed") == 0 || strcmp(status, "completed") == 0 ||
		strcmp(status, "no_show") == 0;
	project = SchedResultText("project");
	v.summary = psprintf("Site visit: %s", project);
	v.location = project;
	v.attendee_name = SchedResultText("contact_name");
	v.attendee_email = SchedResultText("contact_email");
	v.attendee_phone = SchedResultText("contact_phone");
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
