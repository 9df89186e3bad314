/*
 * chat_turn_calls.c
 *		sched.chat_turn and sched.chat_turn_for (1.4): the seed's chat flow
 *		kept in the database, one inbound message at a time.
 *
 * The conversation itself is pure C (chat_flow.c).  This file keeps what
 * it remembers per user in sched.chat_sessions (locked FOR UPDATE, so two
 * messages of one user are taken one after the other), forgets it after
 * sched.chat_session_ttl, tells the flow what the database knows (the
 * project: the call's, the conversation's, or one of sched.projects named
 * in the message; the customer's next visit) and carries out what the
 * flow decides, through the customer's own rules: a booking is
 * book_my_visit's (the open-item limits, the lead score of the profile,
 * the message id as the idempotency key), a cancel or a move is
 * cancel_my_visit's or reschedule_my_visit's.  A refused booking (a full
 * slot, a holiday, too short a notice) is answered, not raised: the
 * reply names the refusal and the free slots nearest the one asked for.
 *
 * WhatsApp delivers a message again after a timeout: the last
 * RECENT_MESSAGES message ids of a user are kept with their answers, and
 * the same id again returns the first answer and changes nothing.  The
 * time of the customer's last WhatsApp message is kept for WhatsApp's
 * 24-hour customer service window.
 */
#include "sched.h"
#include "agents.h"
#include "booking.h"
#include "calls.h"
#include "chat_flow.h"
#include "chat_turn_calls.h"
#include "checks.h"
#include "clock.h"
#include "compat.h"
#include "identity.h"
#include "plans.h"
#include "rows.h"
#include "triggers.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

PG_FUNCTION_INFO_V1(sched_chat_turn);
PG_FUNCTION_INFO_V1(sched_chat_turn_for);

#define MAX_MESSAGE_BYTES	10000
#define MAX_MESSAGE_ID		200
#define RECENT_MESSAGES		20
/* room for the arguments of either booking */
#define BOOKING_ARGS		((int) BV_COUNT > (int) BC_COUNT ? (int) BV_COUNT : (int) BC_COUNT)

static char *session_ttl = NULL;
static int	session_ttl_minutes = 24 * 60;

static SchedStatement open_session = {
	"INSERT INTO sched.chat_sessions AS s (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING",
	1, {TEXTOID}
};

/* $1 user_id, $2 ttl in minutes, $3 message_id: the memory, or the first answer to the message */
static SchedStatement read_session = {
	"SELECT s.state, s.intent, s.last_nudge, s.project,"
	" s.details->>'name' AS name, s.details->>'phone' AS phone, s.details->>'email' AS email,"
	" (s.details->>'visit_id')::pg_catalog.int8 AS asked_visit_id,"
	" (s.details->>'visit_date')::pg_catalog.date AS visit_date, s.details->>'time_slot' AS time_slot,"
	" s.updated_at < pg_catalog.now() - pg_catalog.make_interval(mins => $2) AS expired,"
	" rep.e IS NOT NULL AS repeated, rep.e->>'reply' AS repeated_reply, rep.e->>'state' AS repeated_state,"
	" (rep.e->>'visit_id')::pg_catalog.int8 AS repeated_visit_id,"
	" (rep.e->>'callback_id')::pg_catalog.int8 AS repeated_callback_id"
	" FROM sched.chat_sessions s LEFT JOIN LATERAL"
	"  (SELECT r.e FROM pg_catalog.jsonb_array_elements(s.recent) AS r(e)"
	"    WHERE r.e->>'message_id' OPERATOR(pg_catalog.=) $3 LIMIT 1) rep ON true"
	" WHERE s.user_id OPERATOR(pg_catalog.=) $1 FOR UPDATE OF s",
	3, {TEXTOID, INT4OID, TEXTOID}
};

/*
 * $1 user_id, $2 state, $3 intent, $4 last_nudge, $5 project, $6-$10 the
 * details, $11 message_id, $12 reply, $13 the turn's state, $14 visit_id,
 * $15 callback_id, $16 channel, $17 the message came through the back end
 * (a WhatsApp webhook: only then does a WhatsApp message open WhatsApp's
 * window; a customer's own call may name any channel), $18 the visit a
 * cancel or move question is about
 */
static SchedStatement write_session = {
	"UPDATE sched.chat_sessions s SET state = $2, intent = $3, last_nudge = $4, project = $5,"
	" details = pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('name', $6, 'phone', $7,"
	"   'email', $8, 'visit_date', $9, 'time_slot', $10, 'visit_id', $18)),"
	" recent = pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('message_id', $11, 'reply', $12,"
	"   'state', $13, 'visit_id', $14, 'callback_id', $15))"
	"   OPERATOR(pg_catalog.||) COALESCE((SELECT pg_catalog.jsonb_agg(r.e ORDER BY r.n)"
	"     FROM pg_catalog.jsonb_array_elements(s.recent) WITH ORDINALITY AS r(e, n)"
	"     WHERE r.n < " CppAsString2(RECENT_MESSAGES) "), '[]'::pg_catalog.jsonb),"
	" channel = $16, last_inbound_at = pg_catalog.now(),"
	" whatsapp_inbound_at = CASE WHEN $17 AND $16 OPERATOR(pg_catalog.=) 'whatsapp'::sched.channel"
	"   THEN pg_catalog.now() ELSE s.whatsapp_inbound_at END,"
	" updated_at = pg_catalog.now()"
	" WHERE s.user_id OPERATOR(pg_catalog.=) $1",
	18, {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, DATEOID, TEXTOID,
	TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID, SCHED_TYPE(TYPE_CHANNEL), BOOLOID, INT8OID}
};

/* an active project named in the message, the longest name first */
static SchedStatement project_in_message = {
	"SELECT p.project FROM sched.projects p"
	" WHERE p.active AND pg_catalog.strpos(pg_catalog.lower($1), pg_catalog.lower(p.project)) > 0"
	" ORDER BY pg_catalog.char_length(p.project) DESC, p.project LIMIT 1",
	1, {TEXTOID}
};

static SchedStatement project_choices = {
	"SELECT pg_catalog.string_agg(x.project, ', ' ORDER BY x.project) AS choices"
	" FROM (SELECT p.project FROM sched.projects p WHERE p.active ORDER BY p.project LIMIT 5) x",
	0, {}
};

/* $1 user_id, $2 today: the customer's next live visit */
static SchedStatement next_visit = {
	"SELECT v.visit_id, v.ref, v.project, v.visit_date, v.time_slot::pg_catalog.text AS time_slot"
	" FROM sched.scheduled_visits v"
	" WHERE v.user_id OPERATOR(pg_catalog.=) $1 AND v.visit_date >= $2"
	"   AND v.status::pg_catalog.text IN ('pending', 'confirmed')"
	" ORDER BY v.visit_date, v.time_slot, v.visit_id LIMIT 1",
	2, {TEXTOID, DATEOID}
};

/* $1 entity, $2 id, $3 template: the customer's text message of it */
static SchedStatement message_of = {
	"SELECT (sched.render_message(o.job_id)).body FROM sched.outbox o"
	" WHERE o.entity OPERATOR(pg_catalog.=) $1 AND o.entity_id OPERATOR(pg_catalog.=) $2"
	"   AND o.template OPERATOR(pg_catalog.=) $3 AND o.state::pg_catalog.text <> 'cancelled'"
	"   AND o.channel::pg_catalog.text IN ('sms', 'whatsapp')"
	" ORDER BY o.job_id DESC LIMIT 1",
	3, {SCHED_TYPE(TYPE_ENTITY), INT8OID, TEXTOID}
};

/* $1 project, $2 the date asked for: the free slots nearest to it */
static SchedStatement nearest_free = {
	"SELECT s.visit_date, s.time_slot::pg_catalog.text AS time_slot"
	" FROM sched.available_slots($1, $2 - 3, 10) s WHERE s.free > 0"
	" ORDER BY abs(s.visit_date - $2), s.visit_date, s.time_slot LIMIT 3",
	2, {TEXTOID, DATEOID}
};

/*
 * CheckTtl: GUC check hook of sched.chat_session_ttl: a duration of one
 * minute to 30 days.
 */
static bool
CheckTtl(char **newval, void **extra, GucSource source)
{
	return SchedCheckDurationSetting(newval, extra, 1);
}

static void
AssignTtl(const char *newval, void *extra)
{
	session_ttl_minutes = *(int *) extra;
}

void
SchedChatTurnInit(void)
{
	DefineCustomStringVariable("sched.chat_session_ttl",
							   "How long sched.chat_turn remembers a conversation after its last message (1.4).",
							   "A message after that starts afresh.",
							   &session_ttl,
							   "24 hours",
							   PGC_SUSET, 0,
							   CheckTtl, AssignTtl, NULL);
}

static DateADT
DateADTOf(int year, int month, int day)
{
	return date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
}

static Datum
TextOrNull(const char *s, bool has, char *null)
{
	*null = has && s != NULL ? ' ' : 'n';
	return has && s != NULL ? CStringGetTextDatum(s) : (Datum) 0;
}

/* copy a result string into a fixed buffer (the memory's fields) */
static bool
Keep(char *dst, size_t size, const char *src)
{
	if (src == NULL)
		return false;
	strlcpy(dst, src, size);
	return true;
}

/*
 * ReadMemory: the session's memory from the row just read (SPI).
 */
static void
ReadMemory(SchedChatMemory *m, char **project)
{
	bool		isnull;
	Datum		d;
	char	   *s;

	sched_chat_reset(m);
	s = SchedResultText("state");
	if (s == NULL || !sched_chat_state_from_name(s, &m->state))
		m->state = SCHED_CHAT_IDLE;
	s = SchedResultText("intent");
	if (s == NULL || !sched_intent_from_name(s, strlen(s), &m->intent))
		m->intent = SCHED_INTENT_NONE;
	s = SchedResultText("last_nudge");
	if (s == NULL || !sched_intent_from_name(s, strlen(s), &m->last_nudge))
		m->last_nudge = SCHED_INTENT_NONE;
	*project = SchedResultText("project");
	m->known.has_name = Keep(m->known.name, sizeof(m->known.name), SchedResultText("name"));
	m->known.has_phone = Keep(m->known.phone, sizeof(m->known.phone), SchedResultText("phone"));
	m->known.has_email = Keep(m->known.email, sizeof(m->known.email), SchedResultText("email"));
	d = SchedResultValue("visit_date", &isnull);
	if (!isnull && !DATE_NOT_FINITE(DatumGetDateADT(d)))
	{
		SchedDate	date = SchedDateOf(DatumGetDateADT(d));

		m->known.has_date = true;
		m->known.year = date.year;
		m->known.month = date.month;
		m->known.day = date.day;
	}
	s = SchedResultText("time_slot");
	m->known.slot = s ? sched_slot_from_name(s) : -1;
	m->known.has_slot = m->known.slot >= 0;
	/* a memory that names an intent it has not got is no conversation */
	if (m->state != SCHED_CHAT_IDLE && m->state != SCHED_CHAT_CANCELLING &&
		m->state != SCHED_CHAT_RESCHEDULING && m->state != SCHED_CHAT_CONFIRMING_MOVE &&
		m->intent == SCHED_INTENT_NONE)
		m->state = SCHED_CHAT_IDLE;
}

/* the result row being built */
typedef struct TurnResult
{
	char	   *reply;
	const char *state;
	int64		visit_id;		/* 0: none */
	int64		callback_id;
} TurnResult;

/*
 * Attempt: run fn(arg) in a subtransaction; a refusal a customer can act
 * on (22xxx, PT409, PT429) is caught and its message returned, anything
 * else raised again.  NULL when fn succeeded.
 */
static char *
Attempt(Datum (*fn) (void *arg), void *arg, Datum *result)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	char	   *volatile refusal = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		*result = fn(arg);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(cxt);
		e = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		if (ERRCODE_TO_CATEGORY(e->sqlerrcode) != ERRCODE_DATA_EXCEPTION &&
			e->sqlerrcode != ERRCODE_SCHED_CONFLICT && e->sqlerrcode != ERRCODE_SCHED_TOO_MANY)
			ReThrowError(e);
		refusal = pstrdup(e->message);
		FreeErrorData(e);
	}
	PG_END_TRY();
	return refusal;
}

/* what a booking needs: SchedBookForCustomer's arguments */
typedef struct BookingArgs
{
	SchedEntity entity;
	Datum	   *values;
	bool	   *isnull;
	const char *user;
} BookingArgs;

static Datum
DoBook(void *arg)
{
	BookingArgs *b = arg;

	return SchedBookForCustomer(b->entity, b->values, b->isnull, b->user);
}

/* one argument of a booking call, given */
static void
Give(Datum *values, bool *isnull, int arg, Datum value)
{
	values[arg] = value;
	isnull[arg] = false;
}

/* what a cancel or a move needs */
typedef struct VisitCallArgs
{
	PGFunction	fn;
	int			nargs;
	Datum		args[3];
	const char *actor;
} VisitCallArgs;

static Datum
DoVisitCall(void *arg)
{
	VisitCallArgs *v = arg;
	LOCAL_FCINFO(fc, 3);
	int			i;

	InitFunctionCallInfoData(*fc, NULL, v->nargs, InvalidOid, NULL, NULL);
	for (i = 0; i < v->nargs; i++)
	{
		fc->args[i].value = v->args[i];
		fc->args[i].isnull = false;
	}
	return SchedCallFor(v->actor, v->fn, fc);
}

/* the project still takes bookings (22023 otherwise), for Attempt */
static Datum
DoCheckProject(void *arg)
{
	return BoolGetDatum(SchedCheckProjectTakesBookings((const char *) arg));
}

/* the free slots nearest the date asked for, for Attempt: $1 project, $2 date */
static Datum
DoNearestFree(void *arg)
{
	Datum	   *values = arg;

	if (SPI_execute_plan(SchedPrepared(&nearest_free), values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the free slots failed");
	return (Datum) 0;
}

/* the customer's text of a template of the item (its outbox job's) */
static char *
MessageOf(SchedEntity e, int64 id, const char *template_name)
{
	Datum		values[3];
	Datum		body;

	values[0] = SchedEnumValue(TYPE_ENTITY, e == SCHED_VISIT ? "visit" : "callback");
	values[1] = Int64GetDatum(id);
	values[2] = CStringGetTextDatum(template_name);
	if (!SchedRunForDatum(SchedPrepared(&message_of), values, NULL, false, &body))
		return NULL;
	return TextDatumGetCString(body);
}

/* "Sorry, <refusal>. The nearest free slots: ...; ... Which would suit you?" */
static char *
Refused(const char *refusal, const char *project, DateADT asked)
{
	StringInfoData s;
	Datum		values[2];
	Datum		found;
	uint64		i;

	initStringInfo(&s);
	appendStringInfo(&s, "Sorry, I could not do that: %s.", refusal);
	if (project == NULL)
		return s.data;
	values[0] = CStringGetTextDatum(project);
	values[1] = DateADTGetDatum(asked);
	/* a project that takes no bookings has no free slots to offer */
	if (Attempt(DoNearestFree, values, &found) != NULL)
		SPI_processed = 0;
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		SchedDate	d = SchedDateOf(DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[i],
															   SPI_tuptable->tupdesc, 1, &isnull)));
		int			slot = sched_slot_from_name(SPI_getvalue(SPI_tuptable->vals[i],
															 SPI_tuptable->tupdesc, 2));
		char		label[128];

		sched_format_slot_label(d, slot, NULL, NULL, label, sizeof(label));
		appendStringInfo(&s, "%s%s", i == 0 ? " The nearest free slots: " : "; ", label);
	}
	appendStringInfoString(&s, SPI_processed > 0 ? ". Which would suit you?"
						   : " Which other date would suit you?");
	return s.data;
}

/*
 * Act: carry out the flow's action; the reply, the state and the item.
 */
static void
Act(SchedChatMemory *m, SchedChatAction action, const char *user, const char *project,
	const char *message_id, int64 upcoming_id, TurnResult *res)
{
	char	   *actor = psprintf("customer %s", user);
	char	   *refusal;
	Datum		row;
	DateADT		asked = m->known.has_date ? DateADTOf(m->known.year, m->known.month, m->known.day) : SchedToday();

	if ((action == SCHED_CHAT_BOOK_VISIT || action == SCHED_CHAT_MOVE_VISIT) && project == NULL)
		elog(ERROR, "chat action without a project");	/* chat_flow.c asks for it first */
	if (action == SCHED_CHAT_BOOK_VISIT || action == SCHED_CHAT_REQUEST_CALLBACK)
	{
		bool		visit = action == SCHED_CHAT_BOOK_VISIT;
		Datum		values[BOOKING_ARGS];
		bool		isnull[BOOKING_ARGS];
		BookingArgs b = {visit ? SCHED_VISIT : SCHED_CALLBACK, values, isnull, user};

		/* the user, lead score and session are SchedBookForCustomer's */
		memset(isnull, true, sizeof(isnull));
		if (visit)
		{
			Give(values, isnull, BV_PROJECT, CStringGetTextDatum(project));
			Give(values, isnull, BV_VISIT_DATE, DateADTGetDatum(asked));
			Give(values, isnull, BV_TIME_SLOT, SchedEnumValue(TYPE_TIME_SLOT, sched_slot_name(m->known.slot)));
			Give(values, isnull, BV_CONTACT_NAME, CStringGetTextDatum(m->known.name));
			Give(values, isnull, BV_CONTACT_PHONE, CStringGetTextDatum(m->known.phone));
			if (m->known.has_email)
				Give(values, isnull, BV_CONTACT_EMAIL, CStringGetTextDatum(m->known.email));
			Give(values, isnull, BV_IDEMPOTENCY_KEY, CStringGetTextDatum(message_id));
		}
		else
		{
			Give(values, isnull, BC_CONTACT_NAME, CStringGetTextDatum(m->known.name));
			Give(values, isnull, BC_CONTACT_PHONE, CStringGetTextDatum(m->known.phone));
			Give(values, isnull, BC_URGENCY, SchedEnumValue(TYPE_URGENCY, "medium"));
			if (m->known.has_email)
				Give(values, isnull, BC_CONTACT_EMAIL, CStringGetTextDatum(m->known.email));
			Give(values, isnull, BC_IDEMPOTENCY_KEY, CStringGetTextDatum(message_id));
		}
		refusal = Attempt(DoBook, &b, &row);
		if (refusal != NULL)
		{
			res->reply = Refused(refusal, visit ? project : NULL, asked);
			sched_chat_after(m, action, false);
			res->state = sched_chat_state_name(m->state);
			return;
		}
		if (visit)
		{
			res->visit_id = SchedRowId(row, "visit_id");
			res->reply = MessageOf(SCHED_VISIT, res->visit_id, "visit_booked");
		}
		else
		{
			res->callback_id = SchedRowId(row, "callback_id");
			res->reply = MessageOf(SCHED_CALLBACK, res->callback_id, "callback_requested");
		}
		if (res->reply == NULL)
			res->reply = pstrdup(visit ? "Your site visit is booked." : "Our team will call you back.");
		res->state = visit ? "booked" : "callback_requested";
		sched_chat_after(m, action, true);
		return;
	}
	else
	{
		bool		cancel = action == SCHED_CHAT_CANCEL_VISIT;
		VisitCallArgs v = {cancel ? sched_cancel_visit : sched_reschedule_visit, cancel ? 2 : 3, {0}, actor};

		v.args[0] = Int64GetDatum(upcoming_id);
		if (cancel)
			v.args[1] = CStringGetTextDatum("in chat");
		else
		{
			v.args[1] = DateADTGetDatum(asked);
			v.args[2] = SchedEnumValue(TYPE_TIME_SLOT, sched_slot_name(m->known.slot));
		}
		refusal = Attempt(DoVisitCall, &v, &row);
		if (refusal != NULL)
		{
			res->reply = Refused(refusal, cancel ? NULL : project, asked);
			sched_chat_after(m, action, false);
			res->state = sched_chat_state_name(m->state);
			return;
		}
		res->visit_id = upcoming_id;
		res->reply = MessageOf(SCHED_VISIT, upcoming_id, cancel ? "visit_cancelled" : "visit_rescheduled");
		if (res->reply == NULL)
			res->reply = pstrdup(cancel ? "Your site visit is cancelled." : "Your site visit is moved.");
		res->state = cancel ? "cancelled" : "rescheduled";
		sched_chat_after(m, action, true);
	}
}

/* a column of the last result as int8, 0 when NULL */
static int64
ResultId(const char *column)
{
	bool		isnull;
	Datum		d = SchedResultValue(column, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/*
 * ChatTurn: one message of user's; the arguments from first on are
 * chat_turn's (channel, message_id, message, project, contact_phone).
 */
static Datum
ChatTurn(FunctionCallInfo fcinfo, const char *user, int first, bool from_back_end)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		channel;
	char	   *message_id;
	text	   *message;
	size_t		len;
	char	   *project_arg = NULL;
	char	   *phone_arg = NULL;
	Datum		values[18];
	char		nulls[18];
	int64		asked_visit_id;
	char	   *session_project;
	bool		isnull;
	Datum		d;
	SchedChatMemory m;
	SchedChatContext ctx;
	SchedChatTurn turn;
	TurnResult	res = {NULL, NULL, 0, 0};
	char	   *project;
	int64		upcoming_id = 0;
	char	   *upcoming_project = NULL;
	Datum		out[4];
	bool		out_null[4] = {false, false, true, true};

	SchedRequire(PG_ARGISNULL(first), "channel");
	SchedRequire(PG_ARGISNULL(first + 1), "message_id");
	SchedRequire(PG_ARGISNULL(first + 2), "message");
	channel = PG_GETARG_DATUM(first);
	if (strcmp(SchedEnumLabel(channel), "agent") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("channel must be whatsapp, sms or email"),
				 errdetail("A chat is the customer's; agent is the channel of the agents' notes.")));
	message_id = SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(first + 1)), "message_id",
								MAX_MESSAGE_ID, true, false);
	message = PG_GETARG_TEXT_PP(first + 2);
	len = pg_mbcliplen(VARDATA_ANY(message), VARSIZE_ANY_EXHDR(message),
					   Min(VARSIZE_ANY_EXHDR(message), MAX_MESSAGE_BYTES));
	if (!PG_ARGISNULL(first + 3))
		project_arg = SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(first + 3)), "project",
									 SCHED_MAX_PROJECT, true, false);
	if (!PG_ARGISNULL(first + 4))
		phone_arg = SchedCheckPhone(text_to_cstring(PG_GETARG_TEXT_PP(first + 4)), "contact_phone");
	if (SchedSchemaVersion() < SCHED_SCHEMA_14)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sched's tables have no chat sessions before 1.4"),
				 errhint("ALTER EXTENSION sched UPDATE.")));
	SchedInitMaterializedSRF(fcinfo);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	values[0] = CStringGetTextDatum(user);
	if (SPI_execute_plan(SchedPrepared(&open_session), values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "opening the chat session failed");
	values[1] = Int32GetDatum(session_ttl_minutes);
	values[2] = CStringGetTextDatum(message_id);
	SchedReadOne(&read_session, values, false, "chat session", 0, NULL);
	if (DatumGetBool(SchedResultValue("repeated", &isnull)))
	{
		/* the same message again: its first answer, and nothing changes */
		res.reply = SchedResultText("repeated_reply");
		res.state = SchedResultText("repeated_state");
		res.visit_id = ResultId("repeated_visit_id");
		res.callback_id = ResultId("repeated_callback_id");
		goto answer;
	}
	ReadMemory(&m, &project);
	asked_visit_id = ResultId("asked_visit_id");
	if (DatumGetBool(SchedResultValue("expired", &isnull)))
	{
		sched_chat_reset(&m);
		project = NULL;
		asked_visit_id = 0;
	}
	session_project = project;

	/* the project: the call's, the conversation's, or one the message names */
	if (project_arg != NULL)
	{
		/* another property than the one asked about: ask again */
		if (m.state == SCHED_CHAT_CONFIRMING && session_project != NULL &&
			strcmp(project_arg, session_project) != 0)
			m.state = SCHED_CHAT_COLLECTING;
		project = project_arg;
	}
	else if (project == NULL)
	{
		Datum		msg = PointerGetDatum(cstring_to_text_with_len(VARDATA_ANY(message), len));

		if (SchedRunForDatum(SchedPrepared(&project_in_message), &msg, NULL, true, &d))
			project = TextDatumGetCString(d);
	}
	/* a project that takes no bookings (any more) is asked for again */
	if (project != NULL)
	{
		Datum		ignored;

		if (Attempt(DoCheckProject, project, &ignored) != NULL)
			project = NULL;
	}
	if (phone_arg != NULL && !m.known.has_phone)
	{
		m.known.has_phone = true;
		strlcpy(m.known.phone, phone_arg, sizeof(m.known.phone));
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.today = SchedDateOf(SchedToday());
	ctx.default_cc = SchedDefaultCountryCode();
	ctx.project = project;
	if (project == NULL && SchedRunForDatum(SchedPrepared(&project_choices), NULL, NULL, true, &d))
		ctx.project_choices = TextDatumGetCString(d);
	values[1] = DateADTGetDatum(SchedToday());
	if (SPI_execute_plan(SchedPrepared(&next_visit), values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading the next visit failed");
	if (SPI_processed > 0)
	{
		ctx.has_upcoming = true;
		upcoming_id = ResultId("visit_id");
		upcoming_project = SchedResultText("project");
		ctx.upcoming_project = upcoming_project;
		ctx.upcoming_ref = SchedResultText("ref");
		ctx.upcoming_date = SchedDateOf(DatumGetDateADT(SchedResultValue("visit_date", &isnull)));
		ctx.upcoming_slot = sched_slot_from_name(SchedResultText("time_slot"));
	}

	sched_chat_step(&m, VARDATA_ANY(message), len, &ctx, &turn);
	if ((turn.action == SCHED_CHAT_CANCEL_VISIT || turn.action == SCHED_CHAT_MOVE_VISIT) &&
		upcoming_id != asked_visit_id)
	{
		/* the next visit is not the one the question named (changed meanwhile) */
		sched_chat_reset(&m);
		turn.action = SCHED_CHAT_NO_ACTION;
		strlcpy(turn.reply, "Your visits changed since I asked. Please tell me again what you would like to do.",
				sizeof(turn.reply));
	}
	if (turn.action == SCHED_CHAT_NO_ACTION)
	{
		res.reply = pstrdup(turn.reply);
		res.state = sched_chat_state_name(m.state);
	}
	else
		Act(&m, turn.action, user,
			turn.action == SCHED_CHAT_MOVE_VISIT ? upcoming_project : project,
			message_id, upcoming_id, &res);

	/* what the conversation remembers, and this message's answer */
	memset(nulls, ' ', sizeof(nulls));
	values[0] = CStringGetTextDatum(user);
	values[1] = CStringGetTextDatum(sched_chat_state_name(m.state));
	values[2] = TextOrNull(sched_intent_name(m.intent), true, &nulls[2]);
	values[3] = TextOrNull(sched_intent_name(m.last_nudge), true, &nulls[3]);
	values[4] = TextOrNull(project, true, &nulls[4]);
	values[5] = TextOrNull(m.known.name, m.known.has_name, &nulls[5]);
	values[6] = TextOrNull(m.known.phone, m.known.has_phone, &nulls[6]);
	values[7] = TextOrNull(m.known.email, m.known.has_email, &nulls[7]);
	values[8] = m.known.has_date ? DateADTGetDatum(DateADTOf(m.known.year, m.known.month, m.known.day)) : (Datum) 0;
	nulls[8] = m.known.has_date ? ' ' : 'n';
	values[9] = TextOrNull(m.known.has_slot ? sched_slot_name(m.known.slot) : NULL, m.known.has_slot, &nulls[9]);
	values[10] = CStringGetTextDatum(message_id);
	values[11] = CStringGetTextDatum(res.reply);
	values[12] = CStringGetTextDatum(res.state);
	values[13] = Int64GetDatum(res.visit_id);
	nulls[13] = res.visit_id ? ' ' : 'n';
	values[14] = Int64GetDatum(res.callback_id);
	nulls[14] = res.callback_id ? ' ' : 'n';
	values[15] = channel;
	values[16] = BoolGetDatum(from_back_end);
	/* the visit a cancel or move question names, to act on that one only */
	asked_visit_id = (m.state == SCHED_CHAT_CANCELLING || m.state == SCHED_CHAT_RESCHEDULING ||
					  m.state == SCHED_CHAT_CONFIRMING_MOVE) ? upcoming_id : 0;
	values[17] = Int64GetDatum(asked_visit_id);
	nulls[17] = asked_visit_id ? ' ' : 'n';
	if (SPI_execute_plan(SchedPrepared(&write_session), values, nulls, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "keeping the chat session failed");

answer:
	out[0] = CStringGetTextDatum(res.reply ? res.reply : "");
	out[1] = CStringGetTextDatum(res.state ? res.state : "idle");
	out[2] = Int64GetDatum(res.visit_id);
	out_null[2] = res.visit_id == 0;
	out[3] = Int64GetDatum(res.callback_id);
	out_null[3] = res.callback_id == 0;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, out_null);
	SPI_finish();
	return (Datum) 0;
}

/*
 * sched_chat_turn: chat_turn(channel, message_id, message, project,
 * contact_phone): the customer's own, the user the request's.
 */
Datum
sched_chat_turn(PG_FUNCTION_ARGS)
{
	return ChatTurn(fcinfo, SchedRequireUser(), 0, false);
}

/*
 * sched_chat_turn_for: chat_turn_for(user_id, channel, message_id,
 * message, project, contact_phone): the back end's, for a user it names.
 */
Datum
sched_chat_turn_for(PG_FUNCTION_ARGS)
{
	return ChatTurn(fcinfo, SchedUserIdArg(fcinfo, 0), 1, true);
}
