/*
 * announce.c
 *		The AFTER INSERT OR UPDATE triggers of scheduled_visits and
 *		callbacks: what a booking or a status move tells the world, all
 *		in the transaction that made it.
 *
 * For a new booking and for each status move: a status_history row; the
 * outbox jobs the workflow lists for the event (workflow.c,
 * sched_jobs_for), whose payload holds what the message needs; and a
 * NOTIFY on channel "sched" with a small JSON payload (entity, id, ref,
 * op, old_status, new_status, agent_id; user_id too before 1.3) that a listener uses to
 * wake up and re-read.  A new booking is also counted in user_profiles.
 * Because all of this commits or rolls back with the change itself, a
 * committed change can never lose its notification; an import (see
 * triggers.c) announces nothing.  How many intent points a booking adds
 * (sched.visit_intent_points, sched.callback_intent_points) is set here.
 */
#include "sched.h"
#include "agents.h"
#include "clock.h"
#include "notifier.h"
#include "plans.h"
#include "rows.h"
#include "rowwriter.h"
#include "search_path.h"
#include "triggers.h"

#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sched_visit_announce);
PG_FUNCTION_INFO_V1(sched_callback_announce);

static int	visit_intent_points = 3;
static int	callback_intent_points = 2;
static char *reminder_horizon = NULL;
static int	reminder_horizon_minutes = 2 * 24 * 60;	/* from the above */

/*
 * A visit's reminders not yet sent (outbox_reminder_idx has the same
 * predicate), cancelled with a reason ($2).
 */
static SchedStatement cancel_reminders = {
	"UPDATE sched.outbox SET state = 'cancelled', done_at = pg_catalog.now(), last_error = $2"
	" WHERE entity OPERATOR(pg_catalog.=) 'visit'::sched.entity AND entity_id = $1"
	" AND template IN ('visit_reminder_24h', 'visit_reminder_1h')"
	" AND state OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'claimed']::sched.job_state[])",
	2, {INT8OID, TEXTOID}
};

/* CheckReminderHorizon: GUC check hook of sched.reminder_horizon */
static bool
CheckReminderHorizon(char **newval, void **extra, GucSource source)
{
	return SchedCheckDurationSetting(newval, extra, 60);
}

static void
AssignReminderHorizon(const char *newval, void *extra)
{
	reminder_horizon_minutes = *(int *) extra;
}

/*
 * SchedAnnounceInit: define the intent-points settings and the reminder
 * horizon; called once by _PG_init.
 */
void
SchedAnnounceInit(void)
{
	DefineCustomIntVariable("sched.visit_intent_points",
							"Intent points a booked site visit adds to the user's profile.",
							NULL,
							&visit_intent_points,
							3, 0, 1000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("sched.callback_intent_points",
							"Intent points a callback request adds to the user's profile.",
							NULL,
							&callback_intent_points,
							2, 0, 1000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomStringVariable("sched.reminder_horizon",
							   "How far ahead a visit's reminders are written to the outbox.",
							   "A booking or a move writes the reminders due within it; sched.claim_jobs writes the others once they come within it.",
							   &reminder_horizon,
							   "2 days",
							   PGC_SUSET, 0,
							   CheckReminderHorizon, AssignReminderHorizon, NULL);
}

/* A change to announce. */
typedef struct SchedChange
{
	SchedEntity entity;
	int64		id;
	int			old_status;		/* -1 for a new booking */
	int			new_status;
	SchedRow   *row;			/* the row after the change */
	const char *note;			/* notes written with the change, or NULL */
	bool		status_move;	/* a booking or a status move (else a visit's new date or slot) */
	const char *op;				/* the NOTIFY's op when not insert or update */
	int			event;			/* the jobs' event when not the move's (0) */
} SchedChange;

/* The assigned agent, as the outbox payload shows them. */
typedef struct AgentContact
{
	const char *name;
	const char *phone;
} AgentContact;

/*
 * A JSON object being written: as text into buf (the NOTIFY payload), or
 * as jsonb into state (the outbox payload, stored without being parsed
 * from text).
 */
typedef struct JsonOut
{
	StringInfo	buf;
	JsonbParseState *state;
} JsonOut;

static void
JsonBegin(JsonOut *out)
{
	if (out->buf)
		appendStringInfoChar(out->buf, '{');
	else
		pushJsonbValue(&out->state, WJB_BEGIN_OBJECT, NULL);
}

/*
 * JsonbKey: the key of the next member of a jsonb object.
 */
static void
JsonbKey(JsonOut *out, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(&out->state, WJB_KEY, &k);
}

/*
 * JsonMember: one member; value NULL is JSON null, number says whether a
 * non-null value is a number (written as is) or a string.
 */
static void
JsonMember(JsonOut *out, const char *key, const char *value, bool number)
{
	if (out->buf)
	{
		if (out->buf->len > 1)
			appendStringInfoChar(out->buf, ',');
		escape_json(out->buf, key);
		appendStringInfoChar(out->buf, ':');
		if (value == NULL)
			appendStringInfoString(out->buf, "null");
		else if (number)
			appendStringInfoString(out->buf, value);
		else
			escape_json(out->buf, value);
	}
	else
	{
		JsonbValue	v;

		JsonbKey(out, key);
		if (value == NULL)
			v.type = jbvNull;
		else if (number)
		{
			v.type = jbvNumeric;
			v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(value),
																ObjectIdGetDatum(InvalidOid),
																Int32GetDatum(-1)));
		}
		else
		{
			v.type = jbvString;
			v.val.string.val = (char *) value;
			v.val.string.len = strlen(value);
		}
		pushJsonbValue(&out->state, WJB_VALUE, &v);
	}
}

static void
JsonText(JsonOut *out, const char *key, const char *value)
{
	JsonMember(out, key, value, false);
}

static void
JsonInt(JsonOut *out, const char *key, int64 value, bool isnull)
{
	char		digits[MAXINT8LEN + 1];

	if (out->buf == NULL && !isnull)
	{
		/* straight to a numeric, without printing and parsing digits */
		JsonbValue	v;

		JsonbKey(out, key);
		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(value);
		pushJsonbValue(&out->state, WJB_VALUE, &v);
		return;
	}
	snprintf(digits, sizeof(digits), INT64_FORMAT, value);
	JsonMember(out, key, isnull ? NULL : digits, true);
}

/*
 * JsonEnd: close the object; the text is in out->buf, or the jsonb is
 * returned.
 */
static Jsonb *
JsonEnd(JsonOut *out)
{
	if (out->buf)
	{
		appendStringInfoChar(out->buf, '}');
		return NULL;
	}
	return JsonbValueToJsonb(pushJsonbValue(&out->state, WJB_END_OBJECT, NULL));
}

/*
 * JsonColumn: a column by name; dates and times in ISO 8601 as to_json
 * writes them, enums and text as strings, integers as numbers.
 */
static void
JsonColumn(JsonOut *out, SchedRow *row, int c)
{
	Oid			typid = TupleDescAttr(row->tupdesc, row->col[c])->atttypid;
	Datum		value = ROW_VALUE(row, c);

	if (ROW_ISNULL(row, c))
		JsonText(out, row->names[c], NULL);
	else if (typid == DATEOID || typid == TIMESTAMPTZOID)
		JsonText(out, row->names[c], JsonEncodeDateTime(NULL, value, typid, NULL));
	else if (typid == INT4OID)
		JsonInt(out, row->names[c], DatumGetInt32(value), false);
	else if (typid == INT8OID)
		JsonInt(out, row->names[c], DatumGetInt64(value), false);
	else if (typid == TEXTOID)
		JsonText(out, row->names[c], TextDatumGetCString(value));
	else
		JsonText(out, row->names[c], SchedEnumLabel(value));
}

/*
 * StatusName: a status number as its label, NULL for "none yet".
 */
static const char *
StatusName(SchedEntity e, int status)
{
	return status < 0 ? NULL : sched_status_name(e, status);
}

/*
 * RowInt32: an int4 column, or -1 when null.
 */
static int32
RowInt32(SchedRow *row, int c, bool *isnull)
{
	*isnull = ROW_ISNULL(row, c);
	return *isnull ? -1 : DatumGetInt32(ROW_VALUE(row, c));
}

/*
 * LookupAgent: the assigned agent's name and phone; false if none.
 */
static bool
LookupAgent(SchedRow *row, const EntityColumns *cols, AgentContact *agent)
{
	bool		isnull;
	int32		agent_id = RowInt32(row, cols->agent_id, &isnull);

	return !isnull && SchedAgentContact(agent_id, &agent->name, &agent->phone);
}

/* payload members that are not columns of the row */
#define PAYLOAD_AGENT_NAME		(-1)
#define PAYLOAD_AGENT_PHONE		(-2)
#define PAYLOAD_STATUS			(-3)
#define PAYLOAD_PREVIOUS_STATUS	(-4)

/*
 * BuildPayload: the outbox payload: the booking's customer-facing facts,
 * its status move, and the agent.  The members go in the order jsonb
 * stores an object's keys (shorter first, then bytewise), so that closing
 * the object finds them sorted instead of sorting them (about 8,000
 * instructions a booking); any other order gives the same payload.
 */
static Jsonb *
BuildPayload(const SchedChange *change, const AgentContact *agent)
{
	static const int visit_members[] = {
		VC_REF, PAYLOAD_STATUS, VC_PROJECT, VC_AGENT_ID, VC_TIME_SLOT, PAYLOAD_AGENT_NAME,
		VC_VISIT_DATE, PAYLOAD_AGENT_PHONE, VC_CONTACT_NAME, VC_CONTACT_PHONE,
		PAYLOAD_PREVIOUS_STATUS
	};
	static const int callback_members[] = {
		CC_REF, CC_DUE_AT, CC_REASON, PAYLOAD_STATUS, CC_URGENCY, CC_AGENT_ID,
		PAYLOAD_AGENT_NAME, PAYLOAD_AGENT_PHONE, CC_CONTACT_NAME, CC_CONTACT_PHONE,
		PAYLOAD_PREVIOUS_STATUS
	};
	bool		visit = change->entity == SCHED_VISIT;
	const int  *members = visit ? visit_members : callback_members;
	int			nmembers = visit ? lengthof(visit_members) : lengthof(callback_members);
	JsonOut		out = {NULL, NULL};
	int			i;

	JsonBegin(&out);
	for (i = 0; i < nmembers; i++)
	{
		switch (members[i])
		{
			case PAYLOAD_AGENT_NAME:
				JsonText(&out, "agent_name", agent ? agent->name : NULL);
				break;
			case PAYLOAD_AGENT_PHONE:
				JsonText(&out, "agent_phone", agent ? agent->phone : NULL);
				break;
			case PAYLOAD_STATUS:
				JsonText(&out, "status", StatusName(change->entity, change->new_status));
				break;
			case PAYLOAD_PREVIOUS_STATUS:
				JsonText(&out, "previous_status", StatusName(change->entity, change->old_status));
				break;
			default:
				JsonColumn(&out, change->row, members[i]);
		}
	}
	return JsonEnd(&out);
}

/*
 * Outbox rows being gathered for one INSERT.
 */
#define MAX_JOBS 8

typedef struct JobRows
{
	Datum		values[MAX_JOBS][OC_COUNT];
	bool		nulls[MAX_JOBS][OC_COUNT];
	int			n;
	const char *phone;			/* the customer's */
	const char *email;			/* the customer's, or NULL */
	AgentContact agent;
	bool		have_agent;
	Datum		payload;
} JobRows;

/*
 * StartJobs: what every job of a change shares: the recipients and the
 * payload.
 */
static void
StartJobs(JobRows *jobs, const SchedChange *change, const EntityColumns *cols)
{
	memset(jobs->nulls, 0, sizeof(jobs->nulls));
	jobs->n = 0;
	jobs->phone = SchedRowText(change->row, cols->contact_phone);
	jobs->email = SchedRowText(change->row, cols->contact_email);
	jobs->have_agent = LookupAgent(change->row, cols, &jobs->agent);
	jobs->payload = JsonbPGetDatum(BuildPayload(change, jobs->have_agent ? &jobs->agent : NULL));
}

/*
 * FlushJobs: write the jobs gathered so far.
 */
static void
FlushJobs(JobRows *jobs)
{
	SchedWriteRows(TABLE_OUTBOX, jobs->n, OC_COUNT, &jobs->values[0][0], &jobs->nulls[0][0]);
	memset(jobs->nulls, 0, sizeof(jobs->nulls));
	jobs->n = 0;
}

/*
 * AddJob: one job, due at run_at; skipped when its recipient is missing
 * (no email given, no agent assigned).  recipient is the phone of a
 * SCHED_TO_SENIORS job.
 */
static void
AddJob(JobRows *jobs, const SchedChange *change, const SchedJobSpec *spec, TimestampTz run_at,
	   const char *recipient)
{
	const char *to = NULL;
	Datum	   *values;

	if (jobs->n >= MAX_JOBS)
		FlushJobs(jobs);
	values = jobs->values[jobs->n];

	switch (spec->recipient)
	{
		case SCHED_TO_CUSTOMER_PHONE:
			to = jobs->phone;
			break;
		case SCHED_TO_CUSTOMER_EMAIL:
			to = jobs->email;
			break;
		case SCHED_TO_AGENT:
			to = jobs->have_agent ? jobs->agent.phone : NULL;
			break;
		case SCHED_TO_SENIORS:
			to = recipient;
			break;
	}
	if (to == NULL)
		return;
	values[OC_ENTITY] = SchedEnumValue(TYPE_ENTITY, sched_entity_name(change->entity));
	values[OC_ENTITY_ID] = Int64GetDatum(change->id);
	values[OC_CHANNEL] = SchedEnumValue(TYPE_CHANNEL, spec->channel);
	values[OC_RECIPIENT] = CStringGetTextDatum(to);
	values[OC_TEMPLATE] = CStringGetTextDatum(spec->template_name);
	values[OC_PAYLOAD] = jobs->payload;
	values[OC_RUN_AT] = TimestampTzGetDatum(run_at);
	jobs->n++;
}

/*
 * ReminderRunAt: when reminder spec is due for a visit starting at starts.
 * ReminderDue: the same in *run_at, and true if that is within the horizon of now: after now (a reminder whose
 * time has passed is never written, see rules.h, SchedReminderSpec) and
 * no later than sched.reminder_horizon from now.
 */
static TimestampTz
ReminderRunAt(const SchedReminderSpec *spec, TimestampTz starts)
{
	return starts - (TimestampTz) spec->minutes_before * USECS_PER_MINUTE;
}

static bool
ReminderDue(const SchedReminderSpec *spec, TimestampTz starts, TimestampTz now, TimestampTz *run_at)
{
	*run_at = ReminderRunAt(spec, starts);
	return *run_at > now &&
		*run_at <= now + (TimestampTz) reminder_horizon_minutes * USECS_PER_MINUTE;
}

/*
 * VisitStart: when the visit of row starts.
 */
static TimestampTz
VisitStart(SchedRow *row)
{
	int			slot = sched_slot_from_name(SchedEnumLabel(ROW_VALUE(row, VC_TIME_SLOT)));

	return SchedSlotStart(DatumGetDateADT(ROW_VALUE(row, VC_VISIT_DATE)), slot);
}

/*
 * AddReminders: the visit's reminders due within the horizon.  Those due
 * later are written by sched.claim_jobs when they come within it
 * (SchedQueueDueReminders), so that a booking writes two outbox rows
 * instead of four (the WAL and index entries of the two others were a
 * third of a booking's).
 */
static void
AddReminders(JobRows *jobs, const SchedChange *change)
{
	const SchedReminderSpec *reminders;
	int			n = sched_visit_reminders(&reminders);
	TimestampTz starts = VisitStart(change->row);
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	int			i;

	for (i = 0; i < n; i++)
	{
		TimestampTz run_at;

		if (ReminderDue(&reminders[i], starts, now, &run_at))
			AddJob(jobs, change, &reminders[i].job, run_at, NULL);
	}
}

/*
 * CancelReminders: the visit's reminders not yet sent are cancelled, in
 * this transaction: a visit that is over, cancelled or moved has none.
 */
static void
CancelReminders(const SchedChange *change, const char *why)
{
	Datum		values[2] = {Int64GetDatum(change->id), CStringGetTextDatum(why)};
	int			rc = SPI_execute_plan(SchedPrepared(&cancel_reminders), values, NULL, false, 0);

	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "cancelling reminders failed: %s", SPI_result_code_string(rc));
}

/*
 * QueueJobs: the outbox jobs of an event (a status, SCHED_EVENT_*), and
 * a live visit's reminders when it is booked or moved (reminders ==
 * true).  A job for the senior agents goes to each of them.
 */
static void
QueueJobs(const SchedChange *change, const EntityColumns *cols, int event, bool reminders)
{
	const SchedJobSpec *specs;
	int			nspecs;
	JobRows		jobs;
	int			i;
	TimestampTz now = GetCurrentTransactionStartTimestamp();

	nspecs = sched_jobs_for(change->entity, event, &specs);
	if (nspecs == 0 && !reminders)
		return;
	StartJobs(&jobs, change, cols);
	for (i = 0; i < nspecs; i++)
	{
		if (specs[i].recipient == SCHED_TO_SENIORS)
		{
			const char **phones;
			int			n = SchedSeniorPhones(&phones);
			int			k;

			for (k = 0; k < n; k++)
				AddJob(&jobs, change, &specs[i], now, phones[k]);
		}
		else
			AddJob(&jobs, change, &specs[i], now, NULL);
	}
	if (reminders)
		AddReminders(&jobs, change);
	FlushJobs(&jobs);
}

/*
 * RecordHistory: one status_history row, changed_by the role outside any
 * SECURITY DEFINER function (the caller, not sched's owner), and the
 * customer or agent of the request when their own call made the change
 * ("web_user (agent 3)").
 */
static void
RecordHistory(const SchedChange *change)
{
	const char *from = StatusName(change->entity, change->old_status);
	char	   *by = GetUserNameFromId(GetOuterUserId(), true);
	Datum		values[HC_COUNT];
	bool		nulls[HC_COUNT] = {false};

	if (sched_change_actor != NULL)
		by = psprintf("%s (%s)", by ? by : "?", sched_change_actor);

	values[HC_ENTITY] = SchedEnumValue(TYPE_ENTITY, sched_entity_name(change->entity));
	values[HC_ENTITY_ID] = Int64GetDatum(change->id);
	values[HC_FROM_STATUS] = from ? CStringGetTextDatum(from) : (Datum) 0;
	nulls[HC_FROM_STATUS] = from == NULL;
	values[HC_TO_STATUS] = CStringGetTextDatum(StatusName(change->entity, change->new_status));
	values[HC_CHANGED_BY] = CStringGetTextDatum(by ? by : "?");
	values[HC_NOTE] = change->note ? CStringGetTextDatum(change->note) : (Datum) 0;
	nulls[HC_NOTE] = change->note == NULL;
	SchedWriteRows(TABLE_HISTORY, 1, HC_COUNT, values, nulls);
}

/*
 * CountInProfile: a new booking adds to the user's counters and intent
 * points, and carries its lead_score over.
 */
static void
CountInProfile(const SchedChange *change, const EntityColumns *cols)
{
	bool		visit = change->entity == SCHED_VISIT;

	SchedCountInProfile(ROW_VALUE(change->row, cols->user_id),
						visit ? 1 : 0, visit ? 0 : 1,
						visit ? visit_intent_points : callback_intent_points,
						ROW_VALUE(change->row, cols->lead_score),
						ROW_ISNULL(change->row, cols->lead_score));
}

/*
 * Notify: NOTIFY sched, '<small JSON>'.  Delivered after commit, only if
 * the change commits (notifier.c).
 */
static void
Notify(const SchedChange *change, const EntityColumns *cols)
{
	StringInfoData buf;
	JsonOut		out = {&buf, NULL};
	bool		isnull;
	int32		agent_id = RowInt32(change->row, cols->agent_id, &isnull);

	initStringInfo(&buf);
	JsonBegin(&out);
	JsonText(&out, "entity", sched_entity_name(change->entity));
	JsonInt(&out, "id", change->id, false);
	JsonText(&out, "ref", SchedRowText(change->row, cols->ref));
	JsonText(&out, "op", change->op ? change->op : change->old_status < 0 ? "insert" : "update");
	JsonText(&out, "old_status", StatusName(change->entity, change->old_status));
	JsonText(&out, "new_status", StatusName(change->entity, change->new_status));
	JsonInt(&out, "agent_id", agent_id, isnull);
	/* from 1.3 the payload names no person: any role that can connect may LISTEN */
	if (SchedSchemaVersion() < SCHED_SCHEMA_13)
		JsonText(&out, "user_id", SchedRowText(change->row, cols->user_id));
	JsonEnd(&out);
	SchedNotify(buf.data);
}

/*
 * AnnounceChange: everything a change tells, in this transaction.  With
 * the 1.1 schema (reminders) a visit also has reminders: queued when it
 * is booked, moved when its date or slot changes (moved), cancelled when
 * it stops holding its place.
 */
static void
AnnounceChange(const SchedChange *change, bool reminders, bool moved)
{
	const EntityColumns *cols = SchedEntityColumns(change->entity);
	bool		live = change->entity == SCHED_VISIT && sched_visit_holds_slot(change->new_status);

	if (reminders && change->old_status >= 0 && (moved || !live))
		CancelReminders(change, moved ? "visit moved" : "visit no longer booked");
	RecordHistory(change);
	QueueJobs(change, cols,
			  change->event != 0 ? change->event :
			  !change->status_move ? SCHED_EVENT_MOVED :
			  change->old_status < 0 ? SCHED_EVENT_CREATED : change->new_status,
			  reminders && live && (change->old_status < 0 || moved));
	if (change->old_status < 0)
		CountInProfile(change, cols);
	Notify(change, cols);
}

/*
 * AnnounceEscalation: a callback flagged overdue (escalated_at set, by
 * sched.escalate_overdue_callbacks or a DBA): the senior agents are told,
 * and listeners get a NOTIFY with op "escalated".  Not a status move, so
 * no history row.
 */
static Datum
AnnounceEscalation(SchedChange *change)
{
	const EntityColumns *cols = SchedEntityColumns(change->entity);

	change->op = "escalated";
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	QueueJobs(change, cols, SCHED_EVENT_OVERDUE, false);
	Notify(change, cols);
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * Announce: the AFTER trigger of either table.  A new booking (not an
 * import) and a status move are announced; other updates are not.
 */
static Datum
Announce(TriggerData *td, SchedEntity e)
{
	const EntityColumns *cols = SchedEntityColumns(e);
	SchedRow	new;
	SchedRow	old;
	SchedChange change;
	bool		v11 = SchedSchemaVersion() >= SCHED_SCHEMA_11;
	bool		reminders = e == SCHED_VISIT && v11;
	bool		moved = false;
	bool		gave_up = false;
	bool		escalated = false;

	SchedRowInit(&new, td->tg_relation, cols->table,
				 TRIGGER_FIRED_BY_INSERT(td->tg_event) ? td->tg_trigtuple : td->tg_newtuple);
	change.entity = e;
	change.id = DatumGetInt64(ROW_VALUE(&new, cols->id));
	change.row = &new;
	change.new_status = SchedRowStatus(&new, e, cols->status);
	change.note = NULL;
	change.status_move = true;
	change.op = NULL;
	change.event = 0;
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		if (SchedIsImport(&new, cols->created_at))
			return PointerGetDatum(NULL);
		change.old_status = -1;
	}
	else
	{
		SchedRowInit(&old, td->tg_relation, cols->table, td->tg_trigtuple);
		change.old_status = SchedRowStatus(&old, e, cols->status);
		/* 1.0 (no reminders) announced no moves in time */
		moved = reminders && sched_visit_holds_slot(change.new_status) &&
			!(SchedRowEqual(&old, &new, VC_VISIT_DATE) && SchedRowEqual(&old, &new, VC_TIME_SLOT));
		/* 1.1's callbacks: given up after the last attempt, escalated when overdue */
		if (e == SCHED_CALLBACK && v11)
		{
			gave_up = ROW_ISNULL(&old, CC_GAVE_UP_AT) && !ROW_ISNULL(&new, CC_GAVE_UP_AT);
			escalated = ROW_ISNULL(&old, CC_ESCALATED_AT) && !ROW_ISNULL(&new, CC_ESCALATED_AT);
		}
		if (!SchedIsStatusMove(td, &new, cols, change.old_status, change.new_status))
		{
			if (escalated)
				return AnnounceEscalation(&change);
			if (!moved)
				return PointerGetDatum(NULL);
			change.status_move = false;	/* a move in time only */
		}
		if (sched_change_note != NULL)
			change.note = sched_change_note;
		else if (!change.status_move)
			change.note = psprintf("moved from %s %s to %s %s",
								   SchedDateText(DatumGetDateADT(ROW_VALUE(&old, VC_VISIT_DATE))),
								   SchedEnumLabel(ROW_VALUE(&old, VC_TIME_SLOT)),
								   SchedDateText(DatumGetDateADT(ROW_VALUE(&new, VC_VISIT_DATE))),
								   SchedEnumLabel(ROW_VALUE(&new, VC_TIME_SLOT)));
		else if (SchedColumnAssigned(td, &new, cols->notes))
			change.note = SchedRowText(&new, cols->notes);
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* the last unanswered call says "could not reach you", not "we will try again" */
	if (gave_up && change.status_move)
		change.event = SCHED_EVENT_GAVE_UP;
	AnnounceChange(&change, reminders, moved);
	if (escalated)
		QueueJobs(&change, cols, SCHED_EVENT_OVERDUE, false);
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * sched_visit_announce: AFTER INSERT OR UPDATE on scheduled_visits.
 */
static Datum
VisitAnnounce(PG_FUNCTION_ARGS)
{
	return Announce(SchedCheckTriggerCall(fcinfo, "visit_announce", false), SCHED_VISIT);
}

Datum
sched_visit_announce(PG_FUNCTION_ARGS)
{
	return SchedPinned(VisitAnnounce, fcinfo);
}

/*
 * sched_callback_announce: AFTER INSERT OR UPDATE on callbacks.
 */
static Datum
CallbackAnnounce(PG_FUNCTION_ARGS)
{
	return Announce(SchedCheckTriggerCall(fcinfo, "callback_announce", false), SCHED_CALLBACK);
}

Datum
sched_callback_announce(PG_FUNCTION_ARGS)
{
	return SchedPinned(CallbackAnnounce, fcinfo);
}

/*
 * Reminders written when they come within the horizon (sched.claim_jobs).
 *
 * Live visits on the dates whose slots can have a reminder due within the
 * horizon ($1 to $2), by id; then the reminders already waiting in that
 * time ($1, $2] (outbox_reminder_idx), by visit.  A reminder is written
 * for each that is due and not waiting, after the visit's row is locked
 * and found unchanged: a concurrent move, cancellation or erasure either
 * waits for this transaction and then cancels what it wrote, or has
 * committed and is seen here (SKIP LOCKED leaves a visit being changed
 * to the next claim).  One claim at a time does this (an advisory lock,
 * SCHED_LOCK_CLASS_REMINDERS, taken without waiting), so two never write
 * the same reminder.
 */
static SchedStatement live_visits_between = {
	"SELECT v.visit_id, v.visit_date, v.time_slot, v.contact_email IS NOT NULL"
	" FROM sched.scheduled_visits v"
	" WHERE v.status OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'confirmed']::sched.visit_status[])"
	" AND v.visit_date >= $1 AND v.visit_date <= $2 ORDER BY v.visit_id",
	2, {DATEOID, DATEOID}
};

static SchedStatement reminders_waiting = {
	"SELECT o.entity_id, o.template, o.channel::text, o.run_at FROM sched.outbox o"
	" WHERE o.entity OPERATOR(pg_catalog.=) 'visit'::sched.entity"
	" AND o.template IN ('visit_reminder_24h', 'visit_reminder_1h')"
	" AND o.state OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'claimed']::sched.job_state[])"
	" AND o.run_at > $1 AND o.run_at <= $2",
	2, {TIMESTAMPTZOID, TIMESTAMPTZOID}
};

static SchedStatement lock_visit = {
	"SELECT v FROM sched.scheduled_visits v WHERE v.visit_id = $1 FOR SHARE SKIP LOCKED",
	1, {INT8OID}
};

/*
 * The last scan of this backend: the visits table it read, the horizon
 * and its transaction's start.  A claim in a later transaction less than
 * REMINDER_SCAN_GAP after it does not scan again (a worker claims on
 * every wake-up; a scan reads every live visit of the horizon's days):
 * a reminder comes within the horizon at least an hour before it is
 * due, so a minute late is still days or hours early.
 */
#define REMINDER_SCAN_GAP	(60 * USECS_PER_SEC)
static Oid	scanned_rel = InvalidOid;
static int	scanned_horizon = -1;
static TimestampTz scanned_at = 0;

/* A live visit that may have reminders to write. */
typedef struct ReminderVisit
{
	int64		visit_id;
	DateADT		visit_date;
	int			slot;
	TimestampTz starts;			/* when its slot starts */
	uint32		due;			/* bit i: reminder spec i is due and not waiting */
} ReminderVisit;

static int
CompareReminderVisit(const void *a, const void *b)
{
	int64		x = ((const ReminderVisit *) a)->visit_id;
	int64		y = ((const ReminderVisit *) b)->visit_id;

	return x < y ? -1 : x > y;
}

/*
 * WriteReminders: the due reminders of one visit, if it is still live in
 * the same slot once its row is locked.
 */
static void
WriteReminders(const ReminderVisit *v, const SchedReminderSpec *specs, int nspecs,
			   Relation rel, TimestampTz now)
{
	Datum		id = Int64GetDatum(v->visit_id);
	Datum		whole;
	HeapTupleData tuple;
	SchedRow	row;
	SchedChange change;
	JobRows		jobs;
	TimestampTz starts;
	int			i;

	if (!SchedRunForDatum(SchedPrepared(&lock_visit), &id, NULL, false, &whole))
		return;					/* being changed: the next claim sees it */
	SchedWholeRowTuple(whole, RelationGetRelid(rel), &tuple);
	SchedRowInit(&row, rel, TABLE_VISITS, &tuple);
	change.entity = SCHED_VISIT;
	change.id = v->visit_id;
	change.row = &row;
	change.new_status = SchedRowStatus(&row, SCHED_VISIT, VC_STATUS);
	change.old_status = -1;
	change.note = NULL;
	change.status_move = false;
	change.op = NULL;
	change.event = 0;
	if (!sched_visit_holds_slot(change.new_status) ||
		DatumGetDateADT(ROW_VALUE(&row, VC_VISIT_DATE)) != v->visit_date ||
		sched_slot_from_name(SchedEnumLabel(ROW_VALUE(&row, VC_TIME_SLOT))) != v->slot)
		return;					/* moved or over since it was read */
	starts = VisitStart(&row);
	StartJobs(&jobs, &change, SchedEntityColumns(SCHED_VISIT));
	for (i = 0; i < nspecs; i++)
	{
		TimestampTz run_at;

		if ((v->due & (1u << i)) && ReminderDue(&specs[i], starts, now, &run_at))
			AddJob(&jobs, &change, &specs[i].job, run_at, NULL);
	}
	FlushJobs(&jobs);
}

/*
 * SchedQueueDueReminders: write the reminders of live visits that have
 * come within sched.reminder_horizon and are not in the outbox yet.
 * Called by sched.claim_jobs in its SPI connection, so that a worker
 * that claims jobs at least once per horizon sends every reminder on
 * time; a claim that finds another claim doing it goes on without, and
 * so does one that follows this backend's last scan within a minute.
 */
void
SchedQueueDueReminders(void)
{
	const SchedReminderSpec *specs;
	int			nspecs = sched_visit_reminders(&specs);
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	TimestampTz until = now + (TimestampTz) reminder_horizon_minutes * USECS_PER_MINUTE;
	Oid			visits_oid = SchedRelOid(REL_VISITS);
	int			least = INT_MAX;
	int			most = 0;
	Datum		values[2];
	LOCKTAG		tag;
	ReminderVisit *visits;
	int			nvisits = 0;
	Relation	rel;
	uint64		i;
	int			k;

	Assert(nspecs <= 32);
	if (visits_oid == scanned_rel && reminder_horizon_minutes == scanned_horizon &&
		now > scanned_at && now - scanned_at < REMINDER_SCAN_GAP)
		return;
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, SCHED_LOCK_CLASS_REMINDERS, 0, 2);
	if (LockAcquire(&tag, ExclusiveLock, false, true) == LOCKACQUIRE_NOT_AVAIL)
		return;
	scanned_rel = visits_oid;
	scanned_horizon = reminder_horizon_minutes;
	scanned_at = now;
	for (k = 0; k < nspecs; k++)
	{
		least = Min(least, specs[k].minutes_before);
		most = Max(most, specs[k].minutes_before);
	}
	/* a day either side: a slot's local date is its visit_date */
	values[0] = DateADTGetDatum(SchedLocalDate(now + (TimestampTz) least * USECS_PER_MINUTE) - 1);
	values[1] = DateADTGetDatum(SchedLocalDate(until + (TimestampTz) most * USECS_PER_MINUTE) + 1);
	if (SPI_execute_plan(SchedPrepared(&live_visits_between), values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the visits to remind failed");
	visits = palloc(Max(SPI_processed, 1) * sizeof(ReminderVisit));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		bool		isnull;
		ReminderVisit *v = &visits[nvisits];
		bool		has_email;

		v->visit_id = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
		v->visit_date = DatumGetDateADT(SPI_getbinval(t, d, 2, &isnull));
		v->slot = sched_slot_from_name(SchedEnumLabel(SPI_getbinval(t, d, 3, &isnull)));
		has_email = DatumGetBool(SPI_getbinval(t, d, 4, &isnull));
		v->due = 0;
		v->starts = SchedSlotStart(v->visit_date, v->slot);
		for (k = 0; k < nspecs; k++)
		{
			TimestampTz run_at;

			/* AddJob would skip it: no row lock for nothing to write */
			if (specs[k].job.recipient == SCHED_TO_CUSTOMER_EMAIL && !has_email)
				continue;
			if (ReminderDue(&specs[k], v->starts, now, &run_at))
				v->due |= 1u << k;
		}
		if (v->due != 0)
			nvisits++;
	}
	if (nvisits == 0)
		return;

	/* what is already waiting is not written again */
	values[0] = TimestampTzGetDatum(now);
	values[1] = TimestampTzGetDatum(until);
	if (SPI_execute_plan(SchedPrepared(&reminders_waiting), values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the reminders waiting failed");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		bool		isnull;
		ReminderVisit key;
		ReminderVisit *v;
		char	   *template_name;
		char	   *channel;
		TimestampTz run_at;

		key.visit_id = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
		v = bsearch(&key, visits, nvisits, sizeof(ReminderVisit), CompareReminderVisit);
		if (v == NULL)
			continue;
		template_name = SPI_getvalue(t, d, 2);
		channel = SPI_getvalue(t, d, 3);
		run_at = DatumGetTimestampTz(SPI_getbinval(t, d, 4, &isnull));
		for (k = 0; k < nspecs; k++)
			if (strcmp(specs[k].job.template_name, template_name) == 0 &&
				strcmp(specs[k].job.channel, channel) == 0 &&
				ReminderRunAt(&specs[k], v->starts) == run_at)
				v->due &= ~(1u << k);
	}

	rel = table_open(visits_oid, AccessShareLock);
	for (k = 0; k < nvisits; k++)
		if (visits[k].due != 0)
			WriteReminders(&visits[k], specs, nspecs, rel, now);
	table_close(rel, AccessShareLock);
}
