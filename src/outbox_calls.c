/*
 * outbox_calls.c
 *		The notification worker's calls: sched.claim_jobs,
 *		sched.render_message, sched.complete_job and sched.fail_job; and
 *		the admin's sched.retry_job (1.3).
 *
 * The outbox is a queue.  A worker claims due jobs for a lease; a job it
 * neither completes nor fails before the lease runs out (the worker
 * crashed, or hangs) is due again and the next claim takes it.  Claims
 * lock the rows they take and skip rows another claim has locked
 * (FOR UPDATE SKIP LOCKED), so two workers never get the same job and
 * never wait for each other.  A failed job is tried again after a delay
 * that doubles with each attempt (workflow.c, sched_retry_delay_s), and
 * after sched.job_max_attempts attempts (defined here) it is dead: kept,
 * with its last error, for a person to look at.
 */
#include "sched.h"
#include "checks.h"
#include "clock.h"
#include "compat.h"
#include "messages.h"
#include "outbox_calls.h"
#include "plans.h"
#include "protect.h"
#include "triggers.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_claim_jobs);
PG_FUNCTION_INFO_V1(sched_complete_job);
PG_FUNCTION_INFO_V1(sched_fail_job);
PG_FUNCTION_INFO_V1(sched_fail_job_permanently);
PG_FUNCTION_INFO_V1(sched_render_message);
PG_FUNCTION_INFO_V1(sched_retry_job);

#define MAX_CLAIM			1000
#define RETRY_BASE_S		60
#define RETRY_MAX_S			3600
#define MAX_ERROR_CHARS		2000

static int	job_max_attempts = 5;

/*
 * Claims: jobs whose lease ran out, then pending jobs whose time has come,
 * each oldest first by its own partial index; rows another claim has
 * locked are skipped.  $1 worker, $2 max_jobs, $3 lease.
 */
static SchedStatement claim_expired = {
	"WITH due AS (SELECT o.job_id FROM sched.outbox o"
	"   WHERE o.state OPERATOR(pg_catalog.=) 'claimed'::sched.job_state AND o.lease_until <= pg_catalog.now()"
	"   ORDER BY o.lease_until LIMIT $2 FOR UPDATE SKIP LOCKED)"
	" , claimed AS (UPDATE sched.outbox o SET claimed_by = $1,"
	"   lease_until = pg_catalog.now() + $3, attempts = o.attempts + 1"
	"  FROM due WHERE o.job_id = due.job_id RETURNING o)"
	" SELECT c.o FROM claimed c ORDER BY (c.o).run_at, (c.o).job_id",
	3, {TEXTOID, INT4OID, INTERVALOID}
};
static SchedStatement claim_due = {
	"WITH due AS (SELECT o.job_id FROM sched.outbox o"
	"   WHERE o.state OPERATOR(pg_catalog.=) 'pending'::sched.job_state AND o.run_at <= pg_catalog.now()"
	"   ORDER BY o.run_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
	" , claimed AS (UPDATE sched.outbox o SET state = 'claimed', claimed_by = $1,"
	"   lease_until = pg_catalog.now() + $3, attempts = o.attempts + 1"
	"  FROM due WHERE o.job_id = due.job_id RETURNING o)"
	" SELECT c.o FROM claimed c ORDER BY (c.o).run_at, (c.o).job_id",
	3, {TEXTOID, INT4OID, INTERVALOID}
};

/* a job's state and attempts, locked against claims and other calls */
static SchedStatement lock_job = {
	"SELECT o.state::text AS state, o.attempts FROM sched.outbox o WHERE o.job_id = $1 FOR UPDATE",
	1, {INT8OID}
};

static SchedStatement complete_job = {
	"UPDATE sched.outbox o SET state = 'done', done_at = pg_catalog.now(), lease_until = NULL"
	" WHERE o.job_id = $1 RETURNING o",
	1, {INT8OID}
};

/* $1 job_id, $2 error, $3 dead, $4 delay before the next attempt */
static SchedStatement fail_job = {
	"UPDATE sched.outbox o SET last_error = $2, lease_until = NULL,"
	" state = CASE WHEN $3 THEN 'dead' ELSE 'pending' END::sched.job_state,"
	" done_at = CASE WHEN $3 THEN pg_catalog.now() END,"
	" run_at = CASE WHEN $3 THEN o.run_at ELSE pg_catalog.now() + $4 END"
	" WHERE o.job_id = $1 RETURNING o",
	4, {INT8OID, TEXTOID, BOOLOID, INTERVALOID}
};

/* a dead job due again at once, its attempts counted anew (1.3) */
static SchedStatement retry_job = {
	"UPDATE sched.outbox o SET state = 'pending', attempts = 0, run_at = pg_catalog.now(),"
	" claimed_by = NULL, lease_until = NULL, done_at = NULL"
	" WHERE o.job_id OPERATOR(pg_catalog.=) $1 RETURNING o",
	1, {INT8OID}
};

/* what a job's message says: its own columns and the payload's facts */
#define JOB_FACTS_COLUMNS \
	"SELECT o.state::text AS state, o.channel::text AS channel, o.recipient, o.template," \
	" o.payload->>'ref' AS ref, o.payload->>'project' AS project," \
	" (o.payload->>'visit_date')::pg_catalog.date AS visit_date," \
	" o.payload->>'time_slot' AS time_slot, o.payload->>'contact_name' AS contact_name," \
	" o.payload->>'contact_phone' AS contact_phone, o.payload->>'agent_name' AS agent_name," \
	" o.payload->>'agent_phone' AS agent_phone, o.payload->>'reason' AS reason," \
	" o.payload->>'urgency' AS urgency," \
	" (o.payload->>'due_at')::pg_catalog.timestamptz AS due_at"
static SchedStatement job_facts = {
	JOB_FACTS_COLUMNS
	" FROM sched.outbox o WHERE o.job_id = $1",
	1, {INT8OID}
};

/*
 * 1.4: and, read when it is sent, the customer's time zone (a visit's),
 * whether they take WhatsApp (opted in and chose it) and whether they
 * wrote on WhatsApp in the last 24 hours (its customer service window)
 */
static SchedStatement job_facts_14 = {
	JOB_FACTS_COLUMNS ","
	" CASE WHEN o.entity OPERATOR(pg_catalog.=) 'visit'::sched.entity THEN p.time_zone END AS time_zone,"
	" p.preferred_channel::pg_catalog.text AS preferred_channel,"
	" p.whatsapp_opt_in_at IS NOT NULL AS opted_in,"
	" COALESCE(s.whatsapp_inbound_at > pg_catalog.now() - interval '24 hours', false) AS in_window"
	" FROM sched.outbox o"
	" LEFT JOIN LATERAL (SELECT v.user_id FROM sched.scheduled_visits v"
	"   WHERE o.entity OPERATOR(pg_catalog.=) 'visit'::sched.entity AND v.visit_id OPERATOR(pg_catalog.=) o.entity_id"
	"   UNION ALL SELECT c.user_id FROM sched.callbacks c"
	"   WHERE o.entity OPERATOR(pg_catalog.=) 'callback'::sched.entity AND c.callback_id OPERATOR(pg_catalog.=) o.entity_id) u ON true"
	" LEFT JOIN sched.user_profiles p ON p.user_id OPERATOR(pg_catalog.=) u.user_id"
	" LEFT JOIN sched.chat_sessions s ON s.user_id OPERATOR(pg_catalog.=) u.user_id"
	" WHERE o.job_id = $1",
	1, {INT8OID}
};

/*
 * SchedOutboxCallsInit: define sched.job_max_attempts; called once by
 * _PG_init.
 */
void
SchedOutboxCallsInit(void)
{
	DefineCustomIntVariable("sched.job_max_attempts",
							"Delivery attempts an outbox job gets before it is dead.",
							"sched.fail_job retries a job with a growing delay until it has had this many attempts.",
							&job_max_attempts,
							5, 1, 100,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
}

/*
 * CheckLease: a lease from one second to one day.
 */
static void
CheckLease(Interval *lease)
{
	Interval	one_second = {.time = USECS_PER_SEC};
	Interval	one_day = {.day = 1};

	SchedCheckInterval(lease, "lease", &one_second, &one_day, "1 second and 1 day");
}

/*
 * sched_claim_jobs: claim_jobs(worker, max_jobs, lease).  Expired leases
 * first (they have waited longest), then due jobs by run_at.  Before
 * them, the visit reminders that have come within sched.reminder_horizon
 * are written (announce.c, SchedQueueDueReminders).
 */
Datum
sched_claim_jobs(PG_FUNCTION_ARGS)
{
	Datum		values[3];
	int32		max_jobs;
	uint64		got;

	SchedRequire(PG_ARGISNULL(0), "worker");
	SchedRequire(PG_ARGISNULL(1), "max_jobs");
	SchedRequire(PG_ARGISNULL(2), "lease");
	values[0] = CStringGetTextDatum(SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(0)),
												   "worker", SCHED_MAX_IDENT, true, false));
	max_jobs = PG_GETARG_INT32(1);
	SchedCheckIntRange(max_jobs, "max_jobs", 1, MAX_CLAIM);
	CheckLease(PG_GETARG_INTERVAL_P(2));
	values[2] = PG_GETARG_DATUM(2);

	SchedInitMaterializedSRF(fcinfo);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* 1.1's reminders: those that came within sched.reminder_horizon */
	if (SchedSchemaVersion() >= SCHED_SCHEMA_11)
		SchedQueueDueReminders();
	values[1] = Int32GetDatum(max_jobs);
	if (SPI_execute_plan(SchedPrepared(&claim_expired), values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "claiming expired jobs failed");
	got = SchedAddWholeRows(fcinfo);
	if (got < (uint64) max_jobs)
	{
		values[1] = Int32GetDatum(max_jobs - (int32) got);
		if (SPI_execute_plan(SchedPrepared(&claim_due), values, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "claiming due jobs failed");
		(void) SchedAddWholeRows(fcinfo);
	}
	SPI_finish();
	return (Datum) 0;
}

/*
 * LockJob: lock the job and read its attempts; 404 when there is no such
 * job, 409 when it is not claimed.  Needs SPI.
 */
static int32
LockJob(int64 job_id, const char *verb)
{
	Datum		values[1] = {Int64GetDatum(job_id)};
	bool		isnull;
	char	   *state;

	SchedReadOne(&lock_job, values, false, "job", job_id, NULL);
	state = SchedResultText("state");
	if (strcmp(state, "claimed") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("job " INT64_FORMAT " cannot be %s: it is %s, not claimed", job_id, verb, state),
				 errdetail("Only a claimed job can be completed or failed; a reminder is cancelled with its visit."),
				 errhint("Claim jobs with sched.claim_jobs and send only what it returns.")));
	return DatumGetInt32(SchedResultValue("attempts", &isnull));
}

/*
 * UpdateJob: run the complete or fail plan; returns the job's new row.
 */
static Datum
UpdateJob(SchedStatement *stmt, Datum *values)
{
	Datum		row;

	if (!SchedRunForDatum(SchedPrepared(stmt), values, NULL, false, &row))
		elog(ERROR, "job " INT64_FORMAT " vanished", DatumGetInt64(values[0]));
	return SPI_datumTransfer(row, false, -1);
}

/*
 * sched_complete_job: complete_job(job_id).
 */
Datum
sched_complete_job(PG_FUNCTION_ARGS)
{
	Datum		values[1];
	Datum		row;

	SchedRequire(PG_ARGISNULL(0), "job_id");
	values[0] = PG_GETARG_DATUM(0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	(void) LockJob(PG_GETARG_INT64(0), "completed");
	row = UpdateJob(&complete_job, values);
	SPI_finish();
	PG_RETURN_DATUM(row);
}

/*
 * FailJob: the job the call names failed; dead if permanent or once it
 * has had sched.job_max_attempts attempts, else due again after the
 * backoff.
 */
static Datum
FailJob(FunctionCallInfo fcinfo, bool permanent)
{
	Datum		values[4];
	Interval   *delay = palloc0(sizeof(Interval));
	int32		attempts;
	Datum		row;

	SchedRequire(PG_ARGISNULL(0), "job_id");
	SchedRequire(PG_ARGISNULL(1), "error");
	values[0] = PG_GETARG_DATUM(0);
	values[1] = CStringGetTextDatum(SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(1)),
												   "error", MAX_ERROR_CHARS, true, true));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	attempts = LockJob(PG_GETARG_INT64(0), "failed");
	delay->time = sched_retry_delay_s(attempts, RETRY_BASE_S, RETRY_MAX_S) * USECS_PER_SEC;
	values[2] = BoolGetDatum(permanent || attempts >= job_max_attempts);
	values[3] = IntervalPGetDatum(delay);
	row = UpdateJob(&fail_job, values);
	SPI_finish();
	PG_RETURN_DATUM(row);
}

/*
 * sched_fail_job: fail_job(job_id, error): tried again after the backoff,
 * dead after sched.job_max_attempts attempts.
 */
Datum
sched_fail_job(PG_FUNCTION_ARGS)
{
	return FailJob(fcinfo, false);
}

/*
 * sched_fail_job_permanently: fail_job_permanently(job_id, error) (1.4):
 * the provider refused for good; dead at once.
 */
Datum
sched_fail_job_permanently(PG_FUNCTION_ARGS)
{
	return FailJob(fcinfo, true);
}

/*
 * sched_retry_job: retry_job(job_id): a dead job back to pending, due now
 * with its attempts counted anew (its last_error kept); PT409 for a job
 * in any other state.  The one way back from dead (protect_triggers.c).
 */
Datum
sched_retry_job(PG_FUNCTION_ARGS)
{
	Datum		values[1];
	Datum		row;
	char	   *state;
	int64		job_id;

	SchedRequire(PG_ARGISNULL(0), "job_id");
	job_id = PG_GETARG_INT64(0);
	values[0] = PG_GETARG_DATUM(0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	SchedReadOne(&lock_job, values, false, "job", job_id, NULL);
	state = SchedResultText("state");
	if (strcmp(state, "dead") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("job " INT64_FORMAT " cannot be retried: it is %s, not dead", job_id, state),
				 errdetail("Only a job that used up its attempts is retried by hand; pending and claimed jobs are on their way."),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, SCHED_CONSTRAINT_TRANSITION)));
	sched_retrying_job = true;
	PG_TRY();
	{
		row = UpdateJob(&retry_job, values);
	}
	PG_FINALLY();
	{
		sched_retrying_job = false;
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_DATUM(row);
}

/*
 * ValidVisitDate: a visit date that has slot times (clock.c): finite and
 * within 2700 years of 2000.
 */
static bool
ValidVisitDate(Datum d, bool isnull)
{
	return !isnull && !DATE_NOT_FINITE(DatumGetDateADT(d)) &&
		DatumGetDateADT(d) > -(DateADT) 1000000 && DatumGetDateADT(d) < (DateADT) 1000000;
}

/*
 * ClippedText: a rendered text as a text datum, cut at a character
 * boundary if the renderer had to cut it.
 */
static Datum
ClippedText(const char *s)
{
	int			len = strlen(s);

	return PointerGetDatum(cstring_to_text_with_len(s, pg_mbcliplen(s, len, len)));
}

/*
 * TemplateParameters: a template's values as a JSON array of strings, in
 * order.
 */
static Datum
TemplateParameters(const SchedWhatsAppTemplate *wa)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;
	int			i;

	(void) pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < wa->nparams; i++)
	{
		JsonbValue	v;
		int			len = strlen(wa->params[i]);

		v.type = jbvString;
		v.val.string.val = pstrdup(wa->params[i]);
		v.val.string.len = pg_mbcliplen(wa->params[i], len, len);
		(void) pushJsonbValue(&state, WJB_ELEM, &v);
	}
	result = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	return JsonbPGetDatum(JsonbValueToJsonb(result));
}

/*
 * sched_render_message: render_message(job_id) -> (channel, recipient,
 * subject, body): the text the recipient receives.  A cancelled job is
 * refused (409), so a worker that renders right before sending never
 * sends a reminder of a cancelled visit.
 */
Datum
sched_render_message(PG_FUNCTION_ARGS)
{
	int64		job_id;
	Datum		args[1];
	SchedMessageFacts f;
	SchedMessage msg;
	bool		isnull;
	Datum		d;
	Datum		visit_date;
	bool		no_visit_date;
	char	   *state;
	char	   *urgency;
	char	   *slot;
	char	   *zone;
	bool		v14;
	bool		as_template = false;
	SchedWhatsAppTemplate wa;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, true, true, true};

	SchedRequire(PG_ARGISNULL(0), "job_id");
	job_id = PG_GETARG_INT64(0);
	SchedInitMaterializedSRF(fcinfo);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = Int64GetDatum(job_id);
	v14 = SchedSchemaVersion() >= SCHED_SCHEMA_14;
	SchedReadOne(v14 ? &job_facts_14 : &job_facts,
				 args, true, "job", job_id, NULL);
	state = SchedResultText("state");
	if (strcmp(state, "cancelled") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("job " INT64_FORMAT " is cancelled", job_id),
				 errdetail("Its visit was cancelled, completed, missed or moved after the job was queued."),
				 errhint("Do not send it.")));

	memset(&f, 0, sizeof(f));
	f.channel = SchedResultText("channel");
	f.template_name = SchedResultText("template");
	f.ref = SchedResultText("ref");
	f.project = SchedResultText("project");
	visit_date = SchedResultValue("visit_date", &no_visit_date);
	if (!no_visit_date)
		f.visit_date = SchedDateOf(DatumGetDateADT(visit_date));
	slot = SchedResultText("time_slot");
	f.slot = slot ? sched_slot_from_name(slot) : -1;
	f.contact_name = SchedResultText("contact_name");
	f.contact_phone = SchedResultText("contact_phone");
	f.agent_name = SchedResultText("agent_name");
	f.agent_phone = SchedResultText("agent_phone");
	f.reason = SchedResultText("reason");
	urgency = SchedResultText("urgency");
	f.urgency = urgency ? sched_urgency_from_name(urgency) : -1;
	d = SchedResultValue("due_at", &isnull);
	if (!isnull && !TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(d)))
	{
		/* the deadline as the customer's clock shows it (clock.c) */
		Timestamp	local = SchedLocalTime(DatumGetTimestampTz(d));
		struct pg_tm tm;
		fsec_t		fsec;

		if (!TIMESTAMP_NOT_FINITE(local) && timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) == 0)
		{
			f.due_date.year = tm.tm_year;
			f.due_date.month = tm.tm_mon;
			f.due_date.day = tm.tm_mday;
			f.due_hour = tm.tm_hour;
			f.due_minute = tm.tm_min;
		}
	}
	/*
	 * 1.4: a customer who opted in to WhatsApp and chose it gets their
	 * texts there instead of by SMS, and never without the opt-in; outside
	 * WhatsApp's 24-hour window as a template (below)
	 */
	if (v14)
	{
		char	   *preferred = SchedResultText("preferred_channel");
		bool		opted_in = DatumGetBool(SchedResultValue("opted_in", &isnull));

		if ((strcmp(f.channel, "sms") == 0 && opted_in && preferred != NULL &&
			 strcmp(preferred, "whatsapp") == 0) ||
			(strcmp(f.channel, "whatsapp") == 0 && opted_in))
		{
			f.channel = "whatsapp";
			as_template = !DatumGetBool(SchedResultValue("in_window", &isnull));
		}
		else if (strcmp(f.channel, "whatsapp") == 0)
			f.channel = "sms";
	}
	/* a customer abroad also reads the slot on their own clock (1.4) */
	zone = v14 ? SchedResultText("time_zone") : NULL;
	if (zone != NULL && f.slot >= 0 && ValidVisitDate(visit_date, no_visit_date) &&
		strcmp(f.channel, "agent") != 0)
		SchedSlotClocks(DatumGetDateADT(visit_date), f.slot, SchedZoneName(zone), &f.zone_abbrev,
						&f.customer);
	if (!sched_message_render(&f, &msg))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("job " INT64_FORMAT " has no message: template %s on channel %s is not one of sched's",
						job_id, f.template_name, f.channel)));

	values[0] = CStringGetTextDatum(f.channel);
	values[1] = CStringGetTextDatum(SchedResultText("recipient"));
	values[2] = msg.has_subject ? ClippedText(msg.subject) : (Datum) 0;
	nulls[2] = !msg.has_subject;
	values[3] = ClippedText(msg.body);
	/* 1.4: outside the window, the template WhatsApp takes instead of text */
	if (as_template && sched_whatsapp_template(&f, &wa))
	{
		values[4] = CStringGetTextDatum(wa.name);
		values[5] = CStringGetTextDatum(wa.language);
		values[6] = TemplateParameters(&wa);
		nulls[4] = nulls[5] = nulls[6] = false;
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	SPI_finish();
	return (Datum) 0;
}
