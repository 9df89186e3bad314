/*
 * erasure_calls.c
 *		sched.erase_user (1.3): the right to be forgotten (India's DPDP
 *		Act, the GDPR).
 *
 * The person's names, phones, emails and notes in their visits and
 * callbacks, the notes of those items' history and feedback, and their
 * outbox jobs' recipients and payloads are replaced by a fixed marker;
 * their jobs not sent yet are cancelled.  Ids, statuses, dates, agents
 * and the profile's counts stay, so statistics stay true, and each item
 * gets one history row saying it was erased.  The profile's time zone
 * (1.4) is cleared and the user's chat (1.4) deleted.  Items erased already are
 * left alone, so a second call changes nothing.  The one path allowed
 * past the history's append-only rule and the booking tables' column
 * checks (sched_erasing, protect_triggers.c).
 */
#include "sched.h"
#include "checks.h"
#include "plans.h"
#include "protect.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(sched_erase_user);

#define ERASED		"[erased]"
/* the note of the history row an erasure writes (left alone by the next one) */
#define ERASURE_NOTE	"personal data erased"

/* 1.4: the customer's time zone, which says where they live */
static SchedStatement erase_time_zone = {
	"UPDATE sched.user_profiles p SET time_zone = NULL, updated_at = pg_catalog.now()"
	" WHERE p.user_id OPERATOR(pg_catalog.=) $1 AND p.time_zone IS NOT NULL",
	1, {TEXTOID}
};

/* 1.4: the user's chat, which holds their words */
static SchedStatement erase_chat = {
	"DELETE FROM sched.chat_sessions s WHERE s.user_id OPERATOR(pg_catalog.=) $1",
	1, {TEXTOID}
};

/* $1 user_id, $2 the marker, $3 who erases */
static SchedStatement erase_history_notes = {
	"UPDATE sched.status_history h SET note = $2"
	" WHERE h.note IS NOT NULL AND h.note OPERATOR(pg_catalog.<>) $2 AND h.note OPERATOR(pg_catalog.<>) '" ERASURE_NOTE "'"
	"   AND ((h.entity OPERATOR(pg_catalog.=) 'visit'::sched.entity AND h.entity_id IN"
	"         (SELECT v.visit_id FROM sched.scheduled_visits v WHERE v.user_id OPERATOR(pg_catalog.=) $1))"
	"     OR (h.entity OPERATOR(pg_catalog.=) 'callback'::sched.entity AND h.entity_id IN"
	"         (SELECT c.callback_id FROM sched.callbacks c WHERE c.user_id OPERATOR(pg_catalog.=) $1)))",
	3, {TEXTOID, TEXTOID, TEXTOID}
};
static SchedStatement erase_visits = {
	"WITH erased AS (UPDATE sched.scheduled_visits v SET contact_name = $2, contact_phone = $2,"
	"   contact_email = CASE WHEN v.contact_email IS NULL THEN NULL ELSE $2 END,"
	"   user_notes = CASE WHEN v.user_notes IS NULL THEN NULL ELSE $2 END,"
	"   rm_notes = CASE WHEN v.rm_notes IS NULL THEN NULL ELSE $2 END"
	"  WHERE v.user_id OPERATOR(pg_catalog.=) $1 AND v.contact_name OPERATOR(pg_catalog.<>) $2"
	"  RETURNING v.visit_id, v.status)"
	" INSERT INTO sched.status_history (entity, entity_id, from_status, to_status, changed_by, note)"
	" SELECT 'visit', e.visit_id, e.status::text, e.status::text, $3, '" ERASURE_NOTE "' FROM erased e",
	3, {TEXTOID, TEXTOID, TEXTOID}
};
static SchedStatement erase_callbacks = {
	"WITH erased AS (UPDATE sched.callbacks c SET contact_name = $2, contact_phone = $2,"
	"   contact_email = CASE WHEN c.contact_email IS NULL THEN NULL ELSE $2 END,"
	"   reason = CASE WHEN c.reason IS NULL THEN NULL ELSE $2 END,"
	"   agent_notes = CASE WHEN c.agent_notes IS NULL THEN NULL ELSE $2 END,"
	"   outcome = CASE WHEN c.outcome IS NULL THEN NULL ELSE $2 END"
	"  WHERE c.user_id OPERATOR(pg_catalog.=) $1 AND c.contact_name OPERATOR(pg_catalog.<>) $2"
	"  RETURNING c.callback_id, c.status)"
	" INSERT INTO sched.status_history (entity, entity_id, from_status, to_status, changed_by, note)"
	" SELECT 'callback', e.callback_id, e.status::text, e.status::text, $3, '" ERASURE_NOTE "' FROM erased e",
	3, {TEXTOID, TEXTOID, TEXTOID}
};

/* the jobs of the user's items (the outbox has no index for this: a rare call) */
#define USER_JOBS \
	" ((o.entity OPERATOR(pg_catalog.=) 'visit'::sched.entity AND o.entity_id IN" \
	"    (SELECT v.visit_id FROM sched.scheduled_visits v WHERE v.user_id OPERATOR(pg_catalog.=) $1))" \
	"  OR (o.entity OPERATOR(pg_catalog.=) 'callback'::sched.entity AND o.entity_id IN" \
	"    (SELECT c.callback_id FROM sched.callbacks c WHERE c.user_id OPERATOR(pg_catalog.=) $1)))"

static SchedStatement cancel_jobs = {
	"UPDATE sched.outbox o SET state = 'cancelled', last_error = '" ERASURE_NOTE "', lease_until = NULL"
	" WHERE o.state OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'claimed']::sched.job_state[]) AND" USER_JOBS,
	3, {TEXTOID, TEXTOID, TEXTOID}
};
static SchedStatement erase_jobs = {
	"UPDATE sched.outbox o SET recipient = $2, payload = '{\"erased\": true}'::pg_catalog.jsonb"
	" WHERE o.recipient OPERATOR(pg_catalog.<>) $2 AND" USER_JOBS,
	3, {TEXTOID, TEXTOID, TEXTOID}
};
static SchedStatement erase_feedback = {
	"UPDATE sched.visit_feedback f SET comment = $2"
	" WHERE f.comment IS NOT NULL AND f.comment OPERATOR(pg_catalog.<>) $2 AND f.visit_id IN"
	"  (SELECT v.visit_id FROM sched.scheduled_visits v WHERE v.user_id OPERATOR(pg_catalog.=) $1)",
	3, {TEXTOID, TEXTOID, TEXTOID}
};

/*
 * Run: one erasing statement; how many rows it wrote.
 */
static int64
Run(SchedStatement *stmt, Datum *values)
{
	int			rc = SPI_execute_plan(SchedPrepared(stmt), values, NULL, false, 0);

	if (rc != SPI_OK_UPDATE && rc != SPI_OK_INSERT)
		elog(ERROR, "erasing failed: %s", SPI_result_code_string(rc));
	return (int64) SPI_processed;
}

static int64
RunDelete(SchedStatement *stmt, Datum *values)
{
	if (SPI_execute_plan(SchedPrepared(stmt), values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "erasing failed");
	return (int64) SPI_processed;
}

static void
PushCount(JsonbParseState **state, const char *key, int64 n)
{
	JsonbValue	k;
	JsonbValue	v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(n);
	(void) pushJsonbValue(state, WJB_KEY, &k);
	(void) pushJsonbValue(state, WJB_VALUE, &v);
}

/*
 * sched_erase_user: erase_user(user_id) -> {"visits", "callbacks",
 * "history_notes", "jobs_cancelled", "jobs_erased", "feedback"}, the rows
 * it erased.
 */
Datum
sched_erase_user(PG_FUNCTION_ARGS)
{
	char	   *user_id;
	char	   *by = GetUserNameFromId(GetOuterUserId(), true);
	Datum		values[3];
	int64		notes,
				visits,
				callbacks,
				cancelled,
				jobs,
				feedback;
	JsonbParseState *state = NULL;
	JsonbValue *result;

	user_id = SchedUserIdArg(fcinfo, 0);
	values[0] = CStringGetTextDatum(user_id);
	values[1] = CStringGetTextDatum(ERASED);
	values[2] = CStringGetTextDatum(by ? by : "?");

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	sched_erasing = true;
	PG_TRY();
	{
		/* the notes first: the history rows this call adds say only "erased" */
		notes = Run(&erase_history_notes, values);
		visits = Run(&erase_visits, values);
		callbacks = Run(&erase_callbacks, values);
		cancelled = Run(&cancel_jobs, values);
		jobs = Run(&erase_jobs, values);
		feedback = Run(&erase_feedback, values);
		if (SchedSchemaVersion() >= SCHED_SCHEMA_14)
		{
			(void) Run(&erase_time_zone, values);
			(void) RunDelete(&erase_chat, values);
		}
	}
	PG_FINALLY();
	{
		sched_erasing = false;
	}
	PG_END_TRY();
	SPI_finish();

	(void) pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	PushCount(&state, "visits", visits);
	PushCount(&state, "callbacks", callbacks);
	PushCount(&state, "history_notes", notes);
	PushCount(&state, "jobs_cancelled", cancelled);
	PushCount(&state, "jobs_erased", jobs);
	PushCount(&state, "feedback", feedback);
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(result));
}
