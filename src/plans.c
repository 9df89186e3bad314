/*
 * plans.c
 *		The SQL that sched runs through SPI, prepared once per session and
 *		kept (SPI_keepplan), and the OIDs of sched's own types and
 *		sequences.
 *
 * Every statement names its objects with their schema and takes what
 * callers send only as $n parameters.  The plans' parameter types include
 * sched's own enums, whose OIDs change when the extension is dropped and
 * created again; an invalidation of one of those types (or a reset of the
 * whole cache, after which the types are looked up again to see) marks
 * the caches stale, and the next use looks everything up and prepares it
 * afresh.  The old plans may still be running when that happens (an
 * invalidation can arrive in the middle of a statement), so they are
 * freed at the end of the transaction.
 */
#include "sched.h"

#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "access/xact.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

/* An argument type: a built-in OID, or one of sched's types via SCHED_T. */
#define SCHED_T(id)		((Oid) (0xFFFF0000u | (id)))
#define IS_SCHED_T(o)	(((o) & 0xFFFF0000u) == 0xFFFF0000u)
#define MAX_PLAN_ARGS	11

typedef struct PlanSpec
{
	const char *sql;
	int			nargs;
	Oid			argtypes[MAX_PLAN_ARGS];
	int			cursor_options;
} PlanSpec;

/*
 * The fixed statements, indexed by SchedPlanId.
 */
static const PlanSpec fixed_specs[PLAN_COUNT_FIXED] = {
	[PLAN_AGENTS] = {
		"SELECT agent_id, slot_capacity, active, handles_visits, handles_callbacks,"
		" is_senior, name, phone FROM sched.agents ORDER BY agent_id",
		0, {0}, 0
	},
	/* the two below are the fallback of rowwriter.c; $n in column enum order */
	[PLAN_INSERT_HISTORY] = {
		"INSERT INTO sched.status_history"
		" (entity, entity_id, from_status, to_status, changed_by, note)"
		" VALUES ($1, $2, $3, $4, $5, $6)",
		6, {SCHED_T(TYPE_ENTITY), INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID}, 0
	},
	[PLAN_INSERT_OUTBOX] = {
		"INSERT INTO sched.outbox"
		" (entity, entity_id, channel, recipient, template, payload, run_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7)",
		7, {SCHED_T(TYPE_ENTITY), INT8OID, SCHED_T(TYPE_CHANNEL), TEXTOID, TEXTOID, JSONBOID,
		TIMESTAMPTZOID}, 0
	},
	/* the fallback of rowwriter.c's SchedCountInProfile */
	[PLAN_UPSERT_PROFILE] = {
		"INSERT INTO sched.user_profiles AS p"
		" (user_id, site_visits_scheduled, callbacks_requested, intent_points, lead_score)"
		" VALUES ($1, $2, $3, $4, $5)"
		" ON CONFLICT (user_id) DO UPDATE SET"
		" site_visits_scheduled = p.site_visits_scheduled + excluded.site_visits_scheduled,"
		" callbacks_requested = p.callbacks_requested + excluded.callbacks_requested,"
		" intent_points = p.intent_points + excluded.intent_points,"
		" lead_score = COALESCE(excluded.lead_score, p.lead_score),"
		" updated_at = pg_catalog.now()",
		5, {TEXTOID, INT4OID, INT4OID, INT4OID, INT4OID}, 0
	},
	[PLAN_FIND_VISIT_BY_KEY] = {
		"SELECT v FROM sched.scheduled_visits v"
		" WHERE v.user_id = $1 AND v.idempotency_key = $2",
		2, {TEXTOID, TEXTOID}, 0
	},
	[PLAN_FIND_CALLBACK_BY_KEY] = {
		"SELECT c FROM sched.callbacks c"
		" WHERE c.user_id = $1 AND c.idempotency_key = $2",
		2, {TEXTOID, TEXTOID}, 0
	},
	[PLAN_USER_SCHEDULE] = {
		"SELECT pg_catalog.jsonb_build_object("
		" 'visits', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(v)"
		"   ORDER BY v.created_at DESC, v.visit_id DESC)"
		"   FROM sched.scheduled_visits v WHERE v.user_id = $1), '[]'::pg_catalog.jsonb),"
		" 'callbacks', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(c)"
		"   ORDER BY c.created_at DESC, c.callback_id DESC)"
		"   FROM sched.callbacks c WHERE c.user_id = $1), '[]'::pg_catalog.jsonb))",
		1, {TEXTOID}, 0
	},
	/*
	 * The status calls: notes are written (and recorded in the history
	 * row) only when given, so each has a form without them.
	 */
	[PLAN_SET_VISIT_STATUS] = {
		"UPDATE sched.scheduled_visits AS v SET status = $2"
		" WHERE v.visit_id = $1 RETURNING v",
		3, {INT8OID, SCHED_T(TYPE_VISIT_STATUS), TEXTOID}, 0
	},
	[PLAN_SET_VISIT_STATUS_NOTES] = {
		"UPDATE sched.scheduled_visits AS v SET status = $2, rm_notes = $3"
		" WHERE v.visit_id = $1 RETURNING v",
		3, {INT8OID, SCHED_T(TYPE_VISIT_STATUS), TEXTOID}, 0
	},
	[PLAN_SET_CALLBACK_STATUS] = {
		"UPDATE sched.callbacks AS c SET status = $2,"
		" call_duration_s = COALESCE($4, c.call_duration_s),"
		" outcome = COALESCE($5, c.outcome)"
		" WHERE c.callback_id = $1 RETURNING c",
		5, {INT8OID, SCHED_T(TYPE_CALLBACK_STATUS), TEXTOID, INT4OID, TEXTOID}, 0
	},
	[PLAN_SET_CALLBACK_STATUS_NOTES] = {
		"UPDATE sched.callbacks AS c SET status = $2, agent_notes = $3,"
		" call_duration_s = COALESCE($4, c.call_duration_s),"
		" outcome = COALESCE($5, c.outcome)"
		" WHERE c.callback_id = $1 RETURNING c",
		5, {INT8OID, SCHED_T(TYPE_CALLBACK_STATUS), TEXTOID, INT4OID, TEXTOID}, 0
	},

	/*
	 * 1.1.  A visit's reminders not yet sent (outbox_reminder_idx has the
	 * same predicate).
	 */
	[PLAN_CANCEL_REMINDERS] = {
		"UPDATE sched.outbox SET state = 'cancelled', done_at = pg_catalog.now(), last_error = $2"
		" WHERE entity = 'visit' AND entity_id = $1"
		" AND template IN ('visit_reminder_24h', 'visit_reminder_1h')"
		" AND state IN ('pending', 'claimed')",
		2, {INT8OID, TEXTOID}, 0
	},
	/* a visit's status, locked: a concurrent move is waited for and seen */
	[PLAN_LOCK_VISIT] = {
		"SELECT v.status::text, v.agent_id, v.project FROM sched.scheduled_visits v"
		" WHERE v.visit_id = $1 FOR UPDATE",
		1, {INT8OID}, 0
	},
	/* once per visit: a second rating inserts nothing */
	[PLAN_INSERT_FEEDBACK] = {
		"INSERT INTO sched.visit_feedback AS f (visit_id, rating, comment, agent_id)"
		" VALUES ($1, $2, $3, $4) ON CONFLICT (visit_id) DO NOTHING RETURNING f",
		4, {INT8OID, INT4OID, TEXTOID, INT4OID}, 0
	},
	/* $1 visit_id, $2 visit_date, $3 time_slot: with the same agent, or round robin */
	[PLAN_RESCHEDULE_KEEP] = {
		"UPDATE sched.scheduled_visits AS v SET visit_date = $2, time_slot = $3"
		" WHERE v.visit_id = $1 RETURNING v",
		3, {INT8OID, DATEOID, SCHED_T(TYPE_TIME_SLOT)}, 0
	},
	[PLAN_RESCHEDULE_REASSIGN] = {
		"UPDATE sched.scheduled_visits AS v SET visit_date = $2, time_slot = $3, agent_id = NULL"
		" WHERE v.visit_id = $1 RETURNING v",
		3, {INT8OID, DATEOID, SCHED_T(TYPE_TIME_SLOT)}, 0
	},
	/*
	 * Claims: jobs whose lease ran out, then pending jobs whose time has
	 * come, each oldest first by its own partial index; rows another
	 * claim has locked are skipped.  $1 worker, $2 max_jobs, $3 lease.
	 */
	[PLAN_CLAIM_EXPIRED] = {
		"WITH due AS (SELECT o.job_id FROM sched.outbox o"
		"   WHERE o.state = 'claimed' AND o.lease_until <= pg_catalog.now()"
		"   ORDER BY o.lease_until LIMIT $2 FOR UPDATE SKIP LOCKED)"
		" , claimed AS (UPDATE sched.outbox o SET claimed_by = $1,"
		"   lease_until = pg_catalog.now() + $3, attempts = o.attempts + 1"
		"  FROM due WHERE o.job_id = due.job_id RETURNING o)"
		" SELECT c.o FROM claimed c ORDER BY (c.o).run_at, (c.o).job_id",
		3, {TEXTOID, INT4OID, INTERVALOID}, 0
	},
	[PLAN_CLAIM_DUE] = {
		"WITH due AS (SELECT o.job_id FROM sched.outbox o"
		"   WHERE o.state = 'pending' AND o.run_at <= pg_catalog.now()"
		"   ORDER BY o.run_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
		" , claimed AS (UPDATE sched.outbox o SET state = 'claimed', claimed_by = $1,"
		"   lease_until = pg_catalog.now() + $3, attempts = o.attempts + 1"
		"  FROM due WHERE o.job_id = due.job_id RETURNING o)"
		" SELECT c.o FROM claimed c ORDER BY (c.o).run_at, (c.o).job_id",
		3, {TEXTOID, INT4OID, INTERVALOID}, 0
	},
	/*
	 * What a job's message says: its own columns and the payload's facts,
	 * the callback deadline in local time ($2, sched.timezone).
	 */
	[PLAN_JOB_FACTS] = {
		"SELECT o.state::text, o.channel::text, o.recipient, o.template,"
		" o.payload->>'ref', o.payload->>'project', (o.payload->>'visit_date')::pg_catalog.date,"
		" o.payload->>'time_slot', o.payload->>'contact_name', o.payload->>'contact_phone',"
		" o.payload->>'agent_name', o.payload->>'agent_phone', o.payload->>'reason',"
		" o.payload->>'urgency',"
		" pg_catalog.timezone($2, (o.payload->>'due_at')::pg_catalog.timestamptz)"
		" FROM sched.outbox o WHERE o.job_id = $1",
		2, {INT8OID, TEXTOID}, 0
	},
	/* what a visit's calendar invite says; columns in the order ics_calls.c reads them */
	[PLAN_VISIT_INVITE] = {
		"SELECT v.ref, v.project, v.visit_date, v.time_slot::text, v.status::text,"
		" v.contact_name, v.contact_email, v.contact_phone, v.user_notes,"
		" a.name, a.email, a.phone,"
		" (SELECT pg_catalog.count(*)::int - 1 FROM sched.status_history h"
		"   WHERE h.entity = 'visit' AND h.entity_id = v.visit_id),"
		" v.updated_at, pg_catalog.current_database()"
		" FROM sched.scheduled_visits v LEFT JOIN sched.agents a ON a.agent_id = v.agent_id"
		" WHERE v.visit_id = $1",
		1, {INT8OID}, 0
	},
	/* a job's state and attempts, locked against claims and other calls */
	[PLAN_LOCK_JOB] = {
		"SELECT o.state::text, o.attempts FROM sched.outbox o WHERE o.job_id = $1 FOR UPDATE",
		1, {INT8OID}, 0
	},
	[PLAN_COMPLETE_JOB] = {
		"UPDATE sched.outbox o SET state = 'done', done_at = pg_catalog.now(), lease_until = NULL"
		" WHERE o.job_id = $1 RETURNING o",
		1, {INT8OID}, 0
	},
	/* $1 job_id, $2 error, $3 dead, $4 delay before the next attempt */
	[PLAN_FAIL_JOB] = {
		"UPDATE sched.outbox o SET last_error = $2, lease_until = NULL,"
		" state = CASE WHEN $3 THEN 'dead' ELSE 'pending' END::sched.job_state,"
		" done_at = CASE WHEN $3 THEN pg_catalog.now() END,"
		" run_at = CASE WHEN $3 THEN o.run_at ELSE pg_catalog.now() + $4 END"
		" WHERE o.job_id = $1 RETURNING o",
		4, {INT8OID, TEXTOID, BOOLOID, INTERVALOID}, 0
	},
	/*
	 * Visits still booked whose slot ended before $1 (the cut-off: as_of
	 * minus the grace), oldest first.  The date bound lets the status
	 * index do the work; the slot end is checked per row (clock.c, via
	 * sched.slot_bounds).
	 */
	[PLAN_MARK_NO_SHOWS] = {
		"UPDATE sched.scheduled_visits AS v SET status = 'no_show'"
		" WHERE v.visit_id IN (SELECT s.visit_id FROM sched.scheduled_visits s"
		"   WHERE s.status IN ('pending', 'confirmed') AND s.visit_date <= $2"
		"   AND (sched.slot_bounds(s.visit_date, s.time_slot)).ends_at <= $1"
		"   ORDER BY s.visit_date, s.time_slot, s.visit_id FOR UPDATE SKIP LOCKED)",
		2, {TIMESTAMPTZOID, DATEOID}, 0
	},
	/*
	 * Callbacks in the working queue whose deadline passed before $1
	 * without contact and that are not escalated yet; the announce trigger
	 * tells the seniors.  The queue is read through callbacks_queue_idx.
	 */
	[PLAN_ESCALATE_OVERDUE] = {
		"UPDATE sched.callbacks AS c SET escalated_at = $1"
		" WHERE c.callback_id IN (SELECT q.callback_id FROM sched.callbacks q"
		"   WHERE q.next_attempt_at IS NOT NULL AND q.escalated_at IS NULL"
		"   AND q.contacted_at IS NULL AND q.due_at <= $1"
		"   ORDER BY q.next_attempt_at, q.callback_id FOR UPDATE SKIP LOCKED)",
		1, {TIMESTAMPTZOID}, 0
	},
	/*
	 * The first table that names agent $1 (assignment.c's agent keys):
	 * through scheduled_visits_agent_slot_idx and callbacks_agent_idx.
	 */
	[PLAN_AGENT_REFERENCED] = {
		"(SELECT 'scheduled_visits' FROM sched.scheduled_visits WHERE agent_id = $1 LIMIT 1)"
		" UNION ALL (SELECT 'callbacks' FROM sched.callbacks WHERE agent_id = $1 LIMIT 1)"
		" LIMIT 1",
		1, {INT4OID}, 0
	},
	/* the same for any agent (TRUNCATE sched.agents) */
	[PLAN_ANY_AGENT_REFERENCED] = {
		"(SELECT 'scheduled_visits' FROM sched.scheduled_visits WHERE agent_id IS NOT NULL LIMIT 1)"
		" UNION ALL (SELECT 'callbacks' FROM sched.callbacks WHERE agent_id IS NOT NULL LIMIT 1)"
		" LIMIT 1",
		0, {0}, 0
	},
	/* PLAN_AGENTS and the daily cap */
	[PLAN_AGENTS_11] = {
		"SELECT agent_id, slot_capacity, active, handles_visits, handles_callbacks,"
		" is_senior, name, phone, daily_visit_cap FROM sched.agents ORDER BY agent_id",
		0, {0}, 0
	},
	/*
	 * Leave that had not ended three days ago: no slot that can still be
	 * booked starts before that (assignment.c).
	 */
	[PLAN_LEAVE] = {
		"SELECT agent_id, starts_at, ends_at FROM sched.agent_time_off"
		" WHERE ends_at > pg_catalog.now() - interval '3 days'"
		" ORDER BY agent_id, starts_at",
		0, {0}, 0
	},
	/* in strcmp order, which assignment.c searches */
	[PLAN_PROJECT_AGENTS] = {
		"SELECT project, agent_id FROM sched.project_agents"
		" ORDER BY project COLLATE \"C\", agent_id",
		0, {0}, 0
	},
};

/*
 * The listing calls: one statement per combination of filters given, so
 * that each combination gets the index made for it.  Bit i of the mask is
 * filter i below; all statements take every parameter, used or not.
 */
static const char *const list_visits_filters[LIST_VISITS_NFILTERS] = {
	" AND v.status = $1",
	" AND v.visit_date >= $2",
	" AND v.visit_date <= $3",
	" AND v.agent_id = $4",
};
static const char *const list_callbacks_filters[LIST_CALLBACKS_NFILTERS] = {
	" AND c.status = $1",
	" AND c.urgency = $2",
};

static const char *const type_names[TYPE_COUNT] = {
	[TYPE_TIME_SLOT] = "time_slot",
	[TYPE_VISIT_STATUS] = "visit_status",
	[TYPE_CALLBACK_STATUS] = "callback_status",
	[TYPE_URGENCY] = "urgency",
	[TYPE_ENTITY] = "entity",
	[TYPE_CHANNEL] = "channel",
};

static const char *const rel_names[REL_COUNT] = {
	[REL_AGENTS] = "agents",
	[REL_VISITS] = "scheduled_visits",
	[REL_CALLBACKS] = "callbacks",
	[REL_VISITS_AGENT_SLOT_IDX] = "scheduled_visits_agent_slot_idx",
	[REL_HISTORY] = "status_history",
	[REL_OUTBOX] = "outbox",
	[REL_PROFILES] = "user_profiles",
	[REL_PROFILES_PKEY] = "user_profiles_pkey",
	[REL_VISITS_STATUS_DATE_IDX] = "scheduled_visits_status_date_idx",
	[REL_TIME_OFF] = "agent_time_off",
	[REL_PROJECT_AGENTS] = "project_agents",
};

static const char *const seq_names[SEQ_COUNT] = {
	[SEQ_VISIT_TURN] = "visit_turn",
	[SEQ_CALLBACK_TURN] = "callback_turn",
	[SEQ_SENIOR_CALLBACK_TURN] = "senior_callback_turn",
};

static Oid	cached_namespace = InvalidOid;
static bool caches_stale = true;	/* nothing cached, or an own type changed */
static bool caches_unsure = false;	/* the syscache was reset: check */
static List *retired_plans = NIL;	/* freed at the end of the transaction */
static uint32 type_hashes[TYPE_COUNT];
static SPIPlanPtr fixed_plans[PLAN_COUNT_FIXED];
static SPIPlanPtr list_visits_plans[1 << LIST_VISITS_NFILTERS];
static SPIPlanPtr list_callbacks_plans[1 << LIST_CALLBACKS_NFILTERS];
static SPIPlanPtr queue_callbacks_plans[1 << LIST_CALLBACKS_NFILTERS];	/* 1.1 */
static Oid	type_oids[TYPE_COUNT];

/* The labels of each enum looked up so far, with their values. */
#define MAX_ENUM_LABELS 8
typedef struct EnumLabelCache
{
	int			n;
	char		label[MAX_ENUM_LABELS][NAMEDATALEN];
	Oid			value[MAX_ENUM_LABELS];
} EnumLabelCache;
static EnumLabelCache enum_labels[TYPE_COUNT];
static Oid	seq_oids[SEQ_COUNT];
static Oid	rel_oids[REL_COUNT];

/*
 * Retire: a plan to free when the transaction ends.
 */
static void
Retire(SPIPlanPtr plan)
{
	MemoryContext old;

	if (plan == NULL)
		return;
	old = MemoryContextSwitchTo(TopMemoryContext);
	retired_plans = lappend(retired_plans, plan);
	MemoryContextSwitchTo(old);
}

/*
 * FreeRetired: end of transaction; no statement of ours is running.
 */
static void
FreeRetired(XactEvent event, void *arg)
{
	ListCell   *lc;

	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT)
		return;
	foreach(lc, retired_plans)
		SPI_freeplan((SPIPlanPtr) lfirst(lc));
	list_free(retired_plans);
	retired_plans = NIL;
}

/*
 * ForgetAll: drop the plans and OIDs of a sched that is gone.
 */
static void
ForgetAll(void)
{
	int			i;

	for (i = 0; i < PLAN_COUNT_FIXED; i++)
		Retire(fixed_plans[i]);
	for (i = 0; i < (1 << LIST_VISITS_NFILTERS); i++)
		Retire(list_visits_plans[i]);
	for (i = 0; i < (1 << LIST_CALLBACKS_NFILTERS); i++)
	{
		Retire(list_callbacks_plans[i]);
		Retire(queue_callbacks_plans[i]);
	}
	memset(fixed_plans, 0, sizeof(fixed_plans));
	memset(list_visits_plans, 0, sizeof(list_visits_plans));
	memset(list_callbacks_plans, 0, sizeof(list_callbacks_plans));
	memset(queue_callbacks_plans, 0, sizeof(queue_callbacks_plans));
	memset(type_oids, 0, sizeof(type_oids));
	memset(enum_labels, 0, sizeof(enum_labels));
	memset(seq_oids, 0, sizeof(seq_oids));
	memset(rel_oids, 0, sizeof(rel_oids));
	memset(type_hashes, 0, sizeof(type_hashes));
}

/*
 * TypesChanged: syscache callback on pg_type.  Only our own types matter;
 * hashvalue 0 means the whole cache was reset.
 */
static void
TypesChanged(Datum arg, int cacheid, uint32 hashvalue)
{
	int			i;

	if (hashvalue == 0)
	{
		caches_unsure = true;
		return;
	}
	for (i = 0; i < TYPE_COUNT; i++)
		if (type_hashes[i] != 0 && type_hashes[i] == hashvalue)
			caches_stale = true;
}

/*
 * RelationsChanged: relcache callback; a table, index or sequence C code
 * uses directly was changed (perhaps dropped and made again, by DROP
 * EXTENSION or an upgrade script), so look its OID up again.
 */
static void
RelationsChanged(Datum arg, Oid relid)
{
	int			i;

	for (i = 0; i < REL_COUNT; i++)
		if (relid == InvalidOid || relid == rel_oids[i])
			rel_oids[i] = InvalidOid;
	for (i = 0; i < SEQ_COUNT; i++)
		if (relid == InvalidOid || relid == seq_oids[i])
			seq_oids[i] = InvalidOid;
}

/*
 * SchedPlansInit: called once per backend by _PG_init.
 */
void
SchedPlansInit(void)
{
	CacheRegisterSyscacheCallback(TYPEOID, TypesChanged, (Datum) 0);
	CacheRegisterRelcacheCallback(RelationsChanged, (Datum) 0);
	RegisterXactCallback(FreeRetired, NULL);
}

/*
 * TypesStillThere: after a cache reset, are the cached types the ones
 * that exist now?
 */
static bool
TypesStillThere(void)
{
	Oid			nsp = get_namespace_oid("sched", true);
	int			i;

	if (nsp != cached_namespace)
		return false;
	for (i = 0; i < TYPE_COUNT; i++)
		if (OidIsValid(type_oids[i]) &&
			GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(type_names[i]),
							ObjectIdGetDatum(nsp)) != type_oids[i])
			return false;
	return true;
}

/*
 * CheckNamespace: start afresh if our types changed since the caches were
 * filled; returns the OID of the sched schema.
 */
static Oid
CheckNamespace(void)
{
	if (caches_unsure)
	{
		caches_unsure = false;
		if (!caches_stale && !TypesStillThere())
			caches_stale = true;
	}
	if (caches_stale)
	{
		ForgetAll();
		cached_namespace = get_namespace_oid("sched", false);
		caches_stale = false;
	}
	return cached_namespace;
}

/*
 * SchedTypeOid: the OID of one of sched's enum types.
 */
Oid
SchedTypeOid(SchedTypeId id)
{
	Oid			nsp = CheckNamespace();

	if (!OidIsValid(type_oids[id]))
	{
		type_oids[id] = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										CStringGetDatum(type_names[id]),
										ObjectIdGetDatum(nsp));
		if (!OidIsValid(type_oids[id]))
			elog(ERROR, "type sched.%s is missing", type_names[id]);
		type_hashes[id] = GetSysCacheHashValue1(TYPEOID, ObjectIdGetDatum(type_oids[id]));
	}
	return type_oids[id];
}

/*
 * SchedEnumValue: the value of one label of one of sched's enums.
 */
Datum
SchedEnumValue(SchedTypeId id, const char *label)
{
	Oid			type = SchedTypeOid(id);	/* first: may forget the cache */
	EnumLabelCache *cache = &enum_labels[id];
	Oid			value;
	int			i;

	for (i = 0; i < cache->n; i++)
		if (strcmp(cache->label[i], label) == 0)
			return ObjectIdGetDatum(cache->value[i]);
	value = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
							ObjectIdGetDatum(type), CStringGetDatum(label));
	if (!OidIsValid(value))
		elog(ERROR, "sched.%s has no label \"%s\"", type_names[id], label);
	if (cache->n < MAX_ENUM_LABELS && strlen(label) < NAMEDATALEN)
	{
		strlcpy(cache->label[cache->n], label, NAMEDATALEN);
		cache->value[cache->n++] = value;
	}
	return ObjectIdGetDatum(value);
}

/*
 * RelOid: a relation of the sched schema by name, cached in *cache.
 */
static Oid
RelOid(Oid *cache, const char *name)
{
	Oid			nsp = CheckNamespace();

	if (!OidIsValid(*cache))
	{
		*cache = get_relname_relid(name, nsp);
		if (!OidIsValid(*cache))
			elog(ERROR, "relation sched.%s is missing", name);
	}
	return *cache;
}

/*
 * SchedSeqOid: the OID of one of the round-robin turn sequences.
 */
Oid
SchedSeqOid(SchedSeqId id)
{
	return RelOid(&seq_oids[id], seq_names[id]);
}

/*
 * SchedRelOid: the OID of a table or index that C code reads directly.
 */
Oid
SchedRelOid(SchedRelId id)
{
	return RelOid(&rel_oids[id], rel_names[id]);
}

/*
 * SchedHasV11: the schema is 1.1 or later (the outbox has leases
 * and reminders).  The library serves a database that has not run
 * ALTER EXTENSION sched UPDATE yet as 1.0 did.
 */
bool
SchedHasV11(void)
{
	return get_attnum(SchedRelOid(REL_OUTBOX), "lease_until") != InvalidAttrNumber;
}

/*
 * Prepare: prepare a statement and keep it for the session.
 */
static SPIPlanPtr
Prepare(const char *sql, int nargs, const Oid *spec_types, int cursor_options)
{
	Oid			argtypes[MAX_PLAN_ARGS];
	SPIPlanPtr	plan;
	int			i;

	for (i = 0; i < nargs; i++)
		argtypes[i] = IS_SCHED_T(spec_types[i])
			? SchedTypeOid((SchedTypeId) (spec_types[i] & 0xFFFF))
			: spec_types[i];
	plan = SPI_prepare_cursor(sql, nargs, argtypes, cursor_options);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s",
			 sql, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	return plan;
}

/*
 * SchedPlan: one of the fixed statements, prepared on first use.
 */
SPIPlanPtr
SchedPlan(SchedPlanId id)
{
	CheckNamespace();
	if (fixed_plans[id] == NULL)
		fixed_plans[id] = Prepare(fixed_specs[id].sql, fixed_specs[id].nargs,
								  fixed_specs[id].argtypes,
								  fixed_specs[id].cursor_options);
	return fixed_plans[id];
}

/*
 * ListPlan: the listing statement for a filter mask, built from constant
 * fragments (never from caller input).  Planned for each call's values
 * (CURSOR_OPT_CUSTOM_PLAN): how selective a date range is decides the
 * best index, and a generic plan cannot know it.
 */
static SPIPlanPtr
ListPlan(SPIPlanPtr *cache, int mask, const char *head,
		 const char *const *filters, int nfilters, const char *tail,
		 int nargs, const Oid *argtypes)
{
	StringInfoData sql;
	int			i;

	CheckNamespace();
	if (cache[mask] != NULL)
		return cache[mask];
	initStringInfo(&sql);
	appendStringInfoString(&sql, head);
	for (i = 0; i < nfilters; i++)
		if (mask & (1 << i))
			appendStringInfoString(&sql, filters[i]);
	appendStringInfoString(&sql, tail);
	cache[mask] = Prepare(sql.data, nargs, argtypes, CURSOR_OPT_CUSTOM_PLAN);
	pfree(sql.data);
	return cache[mask];
}

/*
 * SchedListVisitsPlan: parameters status, date_from, date_to, agent_id,
 * max_rows.
 */
SPIPlanPtr
SchedListVisitsPlan(int mask)
{
	static const Oid argtypes[] = {
		SCHED_T(TYPE_VISIT_STATUS), DATEOID, DATEOID, INT4OID, INT4OID
	};

	return ListPlan(list_visits_plans, mask,
					"SELECT v FROM sched.scheduled_visits v WHERE true",
					list_visits_filters, LIST_VISITS_NFILTERS,
					" ORDER BY v.visit_date, v.time_slot, v.visit_id LIMIT $5",
					lengthof(argtypes), argtypes);
}

/*
 * SchedListCallbacksPlan: parameters status, urgency, max_rows.  From
 * 1.1 the working queue comes first, what is due first (next_attempt_at;
 * NULL, out of the queue, sorts last), then urgent first, oldest first.
 */
SPIPlanPtr
SchedListCallbacksPlan(int mask)
{
	static const Oid argtypes[] = {
		SCHED_T(TYPE_CALLBACK_STATUS), SCHED_T(TYPE_URGENCY), INT4OID
	};
	bool		v11 = SchedHasV11();

	return ListPlan(v11 ? queue_callbacks_plans : list_callbacks_plans, mask,
					"SELECT c FROM sched.callbacks c WHERE true",
					list_callbacks_filters, LIST_CALLBACKS_NFILTERS,
					v11 ? " ORDER BY c.next_attempt_at, c.urgency, c.created_at, c.callback_id LIMIT $3"
					: " ORDER BY c.urgency, c.created_at, c.callback_id LIMIT $3",
					lengthof(argtypes), argtypes);
}

/*
 * SchedRunForDatum: execute a plan whose result is one column; true and
 * *result if it gave a row with a non-null value.
 */
bool
SchedRunForDatum(SPIPlanPtr plan, Datum *values, const char *nulls,
				 bool read_only, Datum *result)
{
	bool		isnull;
	int			rc = SPI_execute_plan(plan, values, nulls, read_only, 0);

	if (rc < 0)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		return false;
	*result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return !isnull;
}

/*
 * SchedReadOne: run a plan that reads the row of one id (its values as SPI
 * takes them); when it finds none, 404 "<what> <id> does not exist" with
 * hint, if any.  The row is then SPI_tuptable->vals[0] (SchedResultText).
 */
void
SchedReadOne(SchedPlanId plan, Datum *values, bool read_only, const char *what, int64 id,
			 const char *hint)
{
	if (SPI_execute_plan(SchedPlan(plan), values, NULL, read_only, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading %s " INT64_FORMAT " failed", what, id);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SCHED_NOT_FOUND),
				 errmsg("%s " INT64_FORMAT " does not exist", what, id),
				 hint ? errhint("%s", hint) : 0));
}

/*
 * SchedReadRows: run a plan that reads a whole table (no parameters) and
 * allocate, in cxt, room for as many entries of entry_size as it gave
 * rows (one more, so never zero); *n is the number of rows, which are in
 * SPI_tuptable until the caller frees it.
 */
void *
SchedReadRows(SchedPlanId plan, const char *what, MemoryContext cxt, Size entry_size, int *n)
{
	/*
	 * The latest committed rows, whatever the isolation level: the copy
	 * serves later transactions too, and an agent deleted after this
	 * transaction's snapshot must not be found (SchedHoldAgent).
	 */
	if (SPI_execute_snapshot(SchedPlan(plan), NULL, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading %s failed", what);
	*n = (int) SPI_processed;
	return MemoryContextAlloc(cxt, (SPI_processed + 1) * entry_size);
}

/*
 * SchedResultText: column (1-based) of the last SPI statement's first row
 * as text, or NULL when it is null.
 */
char *
SchedResultText(int column)
{
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, column);
}

/*
 * SchedCollectArgs: the call's arguments as SPI parameter values; the
 * first nfilters are optional filters, whose presence sets the bits of
 * the returned mask.
 */
int
SchedCollectArgs(FunctionCallInfo fcinfo, int nfilters, Datum *values, char *nulls)
{
	int			mask = 0;
	int			i;

	for (i = 0; i < PG_NARGS(); i++)
	{
		values[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		if (i < nfilters && !PG_ARGISNULL(i))
			mask |= 1 << i;
	}
	return mask;
}
