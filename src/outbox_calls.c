/*
 * outbox_calls.c
 *		The notification worker's calls: sched.claim_jobs,
 *		sched.render_message, sched.complete_job and sched.fail_job.
 *
 * The outbox is a queue.  A worker claims due jobs for a lease; a job it
 * neither completes nor fails before the lease runs out (the worker
 * crashed, or hangs) is due again and the next claim takes it.  Claims
 * lock the rows they take and skip rows another claim has locked
 * (FOR UPDATE SKIP LOCKED), so two workers never get the same job and
 * never wait for each other.  A failed job is tried again after a delay
 * that doubles with each attempt (workflow.c, sched_retry_delay_s), and
 * after sched.job_max_attempts attempts it is dead: kept, with its last
 * error, for a person to look at.
 */
#include "sched.h"

#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "messages.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_claim_jobs);
PG_FUNCTION_INFO_V1(sched_complete_job);
PG_FUNCTION_INFO_V1(sched_fail_job);
PG_FUNCTION_INFO_V1(sched_render_message);

#define MAX_CLAIM			1000
#define RETRY_BASE_S		60
#define RETRY_MAX_S			3600
#define MAX_ERROR_CHARS		2000

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
 * first (they have waited longest), then due jobs by run_at.
 */
Datum
sched_claim_jobs(PG_FUNCTION_ARGS)
{
	Tuplestorestate *store;
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

	store = SchedStartRows(fcinfo);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	values[1] = Int32GetDatum(max_jobs);
	if (SPI_execute_plan(SchedPlan(PLAN_CLAIM_EXPIRED), values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "claiming expired jobs failed");
	got = SchedAddRows(store);
	if (got < (uint64) max_jobs)
	{
		values[1] = Int32GetDatum(max_jobs - (int32) got);
		if (SPI_execute_plan(SchedPlan(PLAN_CLAIM_DUE), values, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "claiming due jobs failed");
		(void) SchedAddRows(store);
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

	SchedReadOne(PLAN_LOCK_JOB, values, false, "job", job_id, NULL);
	state = SchedResultText(1);
	if (strcmp(state, "claimed") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("job " INT64_FORMAT " cannot be %s: it is %s, not claimed", job_id, verb, state),
				 errdetail("Only a claimed job can be completed or failed; a reminder is cancelled with its visit."),
				 errhint("Claim jobs with sched.claim_jobs and send only what it returns.")));
	return DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
}

/*
 * UpdateJob: run the complete or fail plan; returns the job's new row.
 */
static Datum
UpdateJob(SchedPlanId plan, Datum *values)
{
	Datum		row;

	if (!SchedRunForDatum(SchedPlan(plan), values, NULL, false, &row))
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
	row = UpdateJob(PLAN_COMPLETE_JOB, values);
	SPI_finish();
	PG_RETURN_DATUM(row);
}

/*
 * sched_fail_job: fail_job(job_id, error): dead once the job has had
 * sched.job_max_attempts attempts, else due again after the backoff.
 */
Datum
sched_fail_job(PG_FUNCTION_ARGS)
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
	values[2] = BoolGetDatum(attempts >= sched_job_max_attempts);
	values[3] = IntervalPGetDatum(delay);
	row = UpdateJob(PLAN_FAIL_JOB, values);
	SPI_finish();
	PG_RETURN_DATUM(row);
}

/*
 * DateOf: a date as year, month and day (year 0: none).
 */
static SchedDate
DateOf(DateADT d)
{
	SchedDate	out = {0, 0, 0};

	if (!DATE_NOT_FINITE(d))
		j2date(d + POSTGRES_EPOCH_JDATE, &out.year, &out.month, &out.day);
	return out;
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
 * sched_render_message: render_message(job_id) -> (channel, recipient,
 * subject, body): the text the recipient receives.  A cancelled job is
 * refused (409), so a worker that renders right before sending never
 * sends a reminder of a cancelled visit.
 */
Datum
sched_render_message(PG_FUNCTION_ARGS)
{
	int64		job_id;
	Datum		args[2];
	SchedMessageFacts f;
	SchedMessage msg;
	bool		isnull;
	Datum		d;
	char	   *state;
	char	   *urgency;
	char	   *slot;
	TupleDesc	tupdesc;
	Tuplestorestate *store;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	SchedRequire(PG_ARGISNULL(0), "job_id");
	job_id = PG_GETARG_INT64(0);
	store = SchedStartRows(fcinfo);
	tupdesc = ((ReturnSetInfo *) fcinfo->resultinfo)->setDesc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = Int64GetDatum(job_id);
	args[1] = CStringGetTextDatum(sched_timezone);
	SchedReadOne(PLAN_JOB_FACTS, args, true, "job", job_id, NULL);
	state = SchedResultText(1);
	if (strcmp(state, "cancelled") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_CONFLICT),
				 errmsg("job " INT64_FORMAT " is cancelled", job_id),
				 errdetail("Its visit was cancelled, completed, missed or moved after the job was queued."),
				 errhint("Do not send it.")));

	memset(&f, 0, sizeof(f));
	f.channel = SchedResultText(2);
	f.template_name = SchedResultText(4);
	f.ref = SchedResultText(5);
	f.project = SchedResultText(6);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 7, &isnull);
	if (!isnull)
		f.visit_date = DateOf(DatumGetDateADT(d));
	slot = SchedResultText(8);
	f.slot = slot ? sched_slot_from_name(slot) : -1;
	f.contact_name = SchedResultText(9);
	f.contact_phone = SchedResultText(10);
	f.agent_name = SchedResultText(11);
	f.agent_phone = SchedResultText(12);
	f.reason = SchedResultText(13);
	urgency = SchedResultText(14);
	f.urgency = urgency ? sched_urgency_from_name(urgency) : -1;
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 15, &isnull);
	if (!isnull)
	{
		Timestamp	local = DatumGetTimestamp(d);
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
	if (!sched_message_render(&f, &msg))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("job " INT64_FORMAT " has no message: template %s on channel %s is not one of sched's",
						job_id, f.template_name, f.channel)));

	values[0] = CStringGetTextDatum(f.channel);
	values[1] = CStringGetTextDatum(SchedResultText(3));
	values[2] = msg.has_subject ? ClippedText(msg.subject) : (Datum) 0;
	nulls[2] = !msg.has_subject;
	values[3] = ClippedText(msg.body);
	tuplestore_putvalues(store, tupdesc, values, nulls);
	SPI_finish();
	return (Datum) 0;
}
