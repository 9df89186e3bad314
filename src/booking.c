/*
 * booking.c
 *		The shared body of every booking call: book_site_visit and
 *		request_callback (user_calls.c, the trusted back end's), and
 *		book_my_visit and request_my_callback (customer_calls.c).
 *
 * The calls are thin: they insert the row, and the triggers
 * (visit_guard.c, callback_guard.c, announce.c) check it, assign the
 * agent, and announce it, so that a plain INSERT gets exactly the same
 * treatment (errors name the arguments: the trigger is told that a call
 * is inserting).  The row goes in without an SQL statement (rowwriter.c),
 * triggers fired as for one.  What is the calls' alone:
 *
 * - the idempotency key: a call repeating a user's key returns the row
 *   the first call made, and does nothing else;
 * - for the customers' calls, the open-item limits: at most
 *   sched.max_open_visits_per_user pending or confirmed visits from the
 *   business's today on, and sched.max_open_callbacks_per_user callbacks
 *   in the working queue, per user and per contact phone (PT429).  The
 *   user's and the phone's locks are held to the end of the transaction,
 *   so two requests cannot both take the last allowed place; the count
 *   reads the latest committed rows, whatever the isolation level.
 */
#include "sched.h"
#include "booking.h"
#include "checks.h"
#include "clock.h"
#include "plans.h"
#include "rows.h"
#include "rowwriter.h"
#include "triggers.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"

static int	max_open_visits = 3;
static int	max_open_callbacks = 2;

/* a user's booking by its idempotency key */
static SchedStatement find_visit_by_key = {
	"SELECT v FROM sched.scheduled_visits v"
	" WHERE v.user_id OPERATOR(pg_catalog.=) $1 AND v.idempotency_key OPERATOR(pg_catalog.=) $2",
	2, {TEXTOID, TEXTOID}
};
static SchedStatement find_callback_by_key = {
	"SELECT c FROM sched.callbacks c"
	" WHERE c.user_id OPERATOR(pg_catalog.=) $1 AND c.idempotency_key OPERATOR(pg_catalog.=) $2",
	2, {TEXTOID, TEXTOID}
};

/*
 * Open items of a user ($1) and of a contact phone ($2): visits pending
 * or confirmed from the business's today ($3), callbacks in the working
 * queue.  The phone's count uses the partial indexes made for it.
 */
static SchedStatement count_open_visits = {
	"SELECT (SELECT pg_catalog.count(*) FROM sched.scheduled_visits v"
	"         WHERE v.user_id OPERATOR(pg_catalog.=) $1"
	"           AND v.status OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'confirmed']::sched.visit_status[])"
	"           AND v.visit_date OPERATOR(pg_catalog.>=) $3) AS by_user,"
	"       (SELECT pg_catalog.count(*) FROM sched.scheduled_visits v"
	"         WHERE v.contact_phone OPERATOR(pg_catalog.=) $2"
	"           AND v.status OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'confirmed']::sched.visit_status[])"
	"           AND v.visit_date OPERATOR(pg_catalog.>=) $3) AS by_phone",
	3, {TEXTOID, TEXTOID, DATEOID}
};
static SchedStatement count_open_callbacks = {
	"SELECT (SELECT pg_catalog.count(*) FROM sched.callbacks c"
	"         WHERE c.user_id OPERATOR(pg_catalog.=) $1 AND c.next_attempt_at IS NOT NULL) AS by_user,"
	"       (SELECT pg_catalog.count(*) FROM sched.callbacks c"
	"         WHERE c.contact_phone OPERATOR(pg_catalog.=) $2 AND c.next_attempt_at IS NOT NULL) AS by_phone",
	3, {TEXTOID, TEXTOID, DATEOID}
};

/* How each entity's call lays out its arguments. */
typedef struct CallLayout
{
	SchedTable	table;
	SchedStatement *find;		/* the user's row of a key */
	SchedStatement *count_open; /* the limits' counts */
	int			nargs;
	const int  *cols;			/* the table's column of each argument */
	int			user_arg;
	int			phone_arg;
	int			key_arg;
	const char *what;			/* "visits", "callbacks" */
	const char *setting;
	const int  *limit;
} CallLayout;

static const int visit_cols[BV_COUNT] = {
	VC_USER_ID, VC_PROJECT, VC_VISIT_DATE, VC_TIME_SLOT, VC_CONTACT_NAME,
	VC_CONTACT_PHONE, VC_CONTACT_EMAIL, VC_USER_NOTES, VC_SESSION_ID,
	VC_LEAD_SCORE, VC_IDEMPOTENCY_KEY
};
static const int callback_cols[BC_COUNT] = {
	CC_USER_ID, CC_CONTACT_NAME, CC_CONTACT_PHONE, CC_REASON, CC_URGENCY,
	CC_CONTACT_EMAIL, CC_SESSION_ID, CC_LEAD_SCORE, CC_IDEMPOTENCY_KEY
};

static const CallLayout layouts[] = {
	[SCHED_VISIT] = {TABLE_VISITS, &find_visit_by_key, &count_open_visits, BV_COUNT, visit_cols,
		BV_USER_ID, BV_CONTACT_PHONE, BV_IDEMPOTENCY_KEY,
	"open visits", "sched.max_open_visits_per_user", &max_open_visits},
	[SCHED_CALLBACK] = {TABLE_CALLBACKS, &find_callback_by_key, &count_open_callbacks, BC_COUNT,
		callback_cols, BC_USER_ID, BC_CONTACT_PHONE, BC_IDEMPOTENCY_KEY,
	"callbacks waiting for a call", "sched.max_open_callbacks_per_user", &max_open_callbacks},
};

void
SchedBookingInit(void)
{
	DefineCustomIntVariable("sched.max_open_visits_per_user",
							"Most pending or confirmed visits from today on that the customer calls let one user, or one contact phone, have.",
							"book_my_visit refuses one more with PT429.  The back end's book_site_visit and a DBA's INSERT are not limited.",
							&max_open_visits,
							3, 0, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("sched.max_open_callbacks_per_user",
							"Most callbacks in the working queue that the customer calls let one user, or one contact phone, have.",
							"request_my_callback refuses one more with PT429.  The back end's request_callback and a DBA's INSERT are not limited.",
							&max_open_callbacks,
							2, 0, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
}

/*
 * Trimmed: a text argument as the trigger will store it, trimmed (only
 * trimmed: checking it is the trigger's job, in argument order).
 */
static char *
Trimmed(Datum value)
{
	char	   *s = TextDatumGetCString(value);
	const char *start = s;
	size_t		len = strlen(s);

	sched_trim(&start, &len);
	return pnstrdup(start, len);
}

/*
 * LockText: an exclusive advisory lock, to the end of the transaction, on
 * a hash of (entity, the parts): different values only wait for each
 * other when their hashes meet.
 */
static void
LockText(uint32 lock_class, SchedEntity e, const char *a, const char *b)
{
	LOCKTAG		tag;
	uint32		h;

	h = hash_bytes((const unsigned char *) a, strlen(a));
	if (b != NULL)
		h = hash_combine(h, hash_bytes((const unsigned char *) b, strlen(b)));
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, lock_class, hash_combine(h, (uint32) e), 2);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * CheckLimits: PT429 when the user or the phone already has as many open
 * items as the setting allows.  The locks are taken user first, then
 * phone, by every call, so two calls cannot wait for each other in a
 * circle.  Needs SPI.
 */
static void
CheckLimits(SchedEntity e, const CallLayout *call, const char *user_id, Datum *values, bool *isnull)
{
	Datum		args[3];
	char	   *phone;
	int64		by_user;
	int64		by_phone;
	bool		null;

	/* a missing or bad phone is the trigger's error to give */
	if (isnull[call->phone_arg])
		return;
	phone = SchedCheckPhone(TextDatumGetCString(values[call->phone_arg]), "contact_phone");

	LockText(SCHED_LOCK_CLASS_LIMIT, e, "user", user_id);
	LockText(SCHED_LOCK_CLASS_LIMIT, e, "phone", phone);

	args[0] = CStringGetTextDatum(user_id);
	args[1] = CStringGetTextDatum(phone);
	args[2] = DateADTGetDatum(SchedToday());
	if (SPI_execute_snapshot(SchedPrepared(call->count_open), args, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "counting a user's %s failed", call->what);
	by_user = DatumGetInt64(SchedResultValue("by_user", &null));
	by_phone = DatumGetInt64(SchedResultValue("by_phone", &null));
	if (by_user >= *call->limit)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_TOO_MANY),
				 errmsg("this user already has %lld %s, the most %s allows",
						(long long) by_user, call->what, call->setting),
				 errhint("Cancel one, or wait until one is over.")));
	if (by_phone >= *call->limit)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_TOO_MANY),
				 errmsg("this contact_phone already has %lld %s, the most %s allows",
						(long long) by_phone, call->what, call->setting),
				 errhint("Cancel one, or wait until one is over.")));
}

/*
 * SchedBook: with an idempotency key, take the key's lock and look for
 * the user's key; if it is new (and, for a customer, within the limits),
 * insert the row (rowwriter.c), the triggers doing the rest.  A DBA's
 * INSERT with the same key at the same moment, or one committed after
 * this transaction's snapshot under REPEATABLE READ, makes the insert
 * fail on the key's unique index (23505).
 */
Datum
SchedBook(SchedEntity e, Datum *values, bool *isnull, bool limited)
{
	const CallLayout *call = &layouts[e];
	Datum		key[2];
	Datum		result = (Datum) 0;
	char	   *user_id = NULL;
	bool		keyed = false;
	bool		found = false;

	SchedRequireTriggers(e);
	if (!isnull[call->user_arg])
		user_id = Trimmed(values[call->user_arg]);
	if (user_id != NULL && user_id[0] != '\0' && !isnull[call->key_arg])
	{
		char	   *idem = Trimmed(values[call->key_arg]);

		keyed = idem[0] != '\0';
		if (keyed)
			LockText(SCHED_LOCK_CLASS_KEY, e, user_id, idem);
		key[0] = CStringGetTextDatum(user_id);
		key[1] = CStringGetTextDatum(idem);
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (keyed)
		found = SchedRunForDatum(SchedPrepared(call->find), key, NULL, false, &result);
	if (found)
		result = SPI_datumTransfer(result, false, -1);
	else if (limited && user_id != NULL && user_id[0] != '\0')
		CheckLimits(e, call, user_id, values, isnull);
	SPI_finish();
	if (found)
		return result;

	sched_naming_arguments = true;
	PG_TRY();
	{
		result = SchedInsertBooking(call->table, call->nargs, call->cols, values, isnull);
	}
	PG_FINALLY();
	{
		sched_naming_arguments = false;
	}
	PG_END_TRY();
	return result;
}

/* the lead score a user's profile carries */
static SchedStatement profile_lead_score = {
	"SELECT p.lead_score FROM sched.user_profiles p WHERE p.user_id OPERATOR(pg_catalog.=) $1",
	1, {TEXTOID}
};

/*
 * SchedBookForCustomer: see booking.h.  The user, the lead score and the
 * history's actor are set here; the other arguments are the caller's.
 */
Datum
SchedBookForCustomer(SchedEntity e, Datum *values, bool *isnull, const char *user)
{
	int			user_arg = e == SCHED_VISIT ? BV_USER_ID : BC_USER_ID;
	int			lead_arg = e == SCHED_VISIT ? BV_LEAD_SCORE : BC_LEAD_SCORE;
	int			session_arg = e == SCHED_VISIT ? BV_SESSION_ID : BC_SESSION_ID;
	Datum		user_datum = CStringGetTextDatum(user);
	Datum		lead;
	Datum		row;

	values[user_arg] = user_datum;
	isnull[user_arg] = false;
	values[session_arg] = (Datum) 0;
	isnull[session_arg] = true;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	isnull[lead_arg] = !SchedRunForDatum(SchedPrepared(&profile_lead_score), &user_datum,
										 NULL, true, &lead);
	values[lead_arg] = isnull[lead_arg] ? (Datum) 0 : lead;
	SPI_finish();

	sched_change_actor = psprintf("customer %s", user);
	PG_TRY();
	{
		row = SchedBook(e, values, isnull, true);
	}
	PG_FINALLY();
	{
		sched_change_actor = NULL;
	}
	PG_END_TRY();
	return row;
}

