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

#include "ics.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(sched_visit_ics);

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
	int			start_hour;
	int			end_hour;
	TimestampTz starts;
	Timestamp	local_start;
	char	   *status;
	char	   *ref;
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
	SchedReadOne(PLAN_VISIT_INVITE, args, true, "visit", visit_id, NULL);

	memset(&v, 0, sizeof(v));
	visit_date = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	slot = sched_slot_from_name(SchedResultText(4));
	if (!sched_slot_hours(slot, &start_hour, &end_hour))
		elog(ERROR, "visit " INT64_FORMAT " has no slot", visit_id);
	starts = SchedSlotStart(visit_date, slot);
	local_start = (Timestamp) visit_date * USECS_PER_DAY + (Timestamp) start_hour * USECS_PER_HOUR;
	v.utc_offset_s = (int) ((local_start - starts) / USECS_PER_SEC);
	v.start = IcsTime(local_start);
	v.end = IcsTime(local_start + (Timestamp) (end_hour - start_hour) * USECS_PER_HOUR);
	v.stamp = IcsTime(DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
														14, &isnull)));
	v.tzid = sched_timezone;
	ref = SchedResultText(1);
	v.uid = psprintf("%s@%s.sched", ref, SchedResultText(15));
	v.sequence = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 13, &isnull));
	status = SchedResultText(5);
	v.cancelled = strcmp(status, "cancelled") == 0;
	v.confirmed = strcmp(status, "confirmed") == 0 || strcmp(status, "completed") == 0 ||
		strcmp(status, "no_show") == 0;
	v.location = SchedResultText(2);
	v.summary = psprintf("Site visit: %s", v.location);
	v.attendee_name = SchedResultText(6);
	v.attendee_email = SchedResultText(7);
	v.attendee_phone = SchedResultText(8);
	v.organizer_name = SchedResultText(10);
	v.organizer_email = SchedResultText(11);
	agent_phone = SchedResultText(12);
	v.organizer_phone = agent_phone;
	rm_line = v.organizer_name
		? psprintf("\nYour Relationship Manager: %s, %s", v.organizer_name, agent_phone ? agent_phone : "")
		: "";
	notes = SchedResultText(9);
	v.description = psprintf("Site visit %s to %s.%s%s%s", ref, v.location, rm_line,
							 notes ? "\nYour notes: " : "", notes ? notes : "");

	initStringInfo(&out);
	sched_ics_write(&v, AppendIcs, &out);
	result = cstring_to_text_with_len(out.data, out.len);
	result = (text *) SPI_datumTransfer(PointerGetDatum(result), false, -1);
	SPI_finish();
	PG_RETURN_TEXT_P(result);
}
