/*
 * agents.c
 *		The agents as each session keeps them, the pools the round robin
 *		draws from, and the agent keys.
 *
 * The copy.  Each session reads sched.agents (and, in 1.1, the project
 * lists and the leave that has not ended; in 1.3, sched.projects) once and
 * keeps them, sorted, in memory; the statement trigger sched.agents_changed (agent_triggers.c)
 * sends a relcache invalidation on every change of any of these
 * tables, and this session's callback then marks its copy stale.
 * Invalidations are read when a booking opens its table, so a booking
 * always sees the agents as of its own start, as SQL would.  The leave
 * kept is what had not ended three days before the copy was read: no slot
 * that can be booked from then on (today or later, in any time zone)
 * starts before that.  The rows are read with the latest snapshot,
 * whatever the isolation level: the copy serves later transactions too.
 *
 * Who may take a visit (1.1): an agent listed in sched.project_agents for
 * the visit's project when the project has a list, and not on leave
 * (sched.agent_time_off) at any moment of the slot; from 1.4 not busy
 * either (sched.agent_busy, the agent's own calendar, kept with the
 * leave), and working the whole slot: within the agent's weekly hours
 * (sched.agent_hours) or, for an agent without any, sched.business_hours.
 * Holidays (sched.holidays) close a project's slots, or every project's,
 * for everyone.
 *
 * The agent keys.  From 1.2 the visits' and callbacks' agent_id have no
 * foreign key: the key is kept here, for a fraction of the cost of the
 * foreign key's query and row lock at every booking.  A row that names an
 * agent holds a share lock on the agent's key group until its transaction
 * ends (SchedHoldAgent); deleting an agent or changing its agent_id takes
 * the group's lock exclusively, so it waits for the bookings under way,
 * and then refuses if anything names the agent (sched.agent_keys).  The
 * groups are the agent_id modulo AGENT_KEY_GROUPS, so TRUNCATE can lock
 * them all.  The advisory locks use the two-key form with first key
 * SCHED_LOCK_CLASS_AGENT_KEY (pg_locks: classid 1935894631).
 */
#include "sched.h"
#include "agents.h"
#include "clock.h"
#include "plans.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/datetime.h"
#include "utils/snapmgr.h"

#define AGENT_KEY_GROUPS 64

/* A period of leave (sched.agent_time_off). */
typedef struct LeaveEntry
{
	int32		agent_id;
	TimestampTz starts_at;
	TimestampTz ends_at;
} LeaveEntry;

/* A row of sched.projects (1.3). */
typedef struct ProjectEntry
{
	char	   *project;
	char	   *location;		/* NULL: none */
	bool		active;
} ProjectEntry;

/* A range of an agent's weekly hours (sched.agent_hours, 1.4). */
typedef struct HoursEntry
{
	int32		agent_id;
	int			weekday;		/* 1 Monday - 7 Sunday */
	SchedHoursRange range;		/* minutes of the local day */
} HoursEntry;

/* A holiday (sched.holidays, 1.4). */
typedef struct HolidayEntry
{
	DateADT		day;
	char	   *project;		/* NULL: every project */
	char	   *name;
} HolidayEntry;

/* A row of sched.project_agents. */
typedef struct ProjectAgent
{
	char	   *project;
	int32		agent_id;
} ProjectAgent;

/*
 * The session's copy; everything below is replaced together, never
 * changed, by LoadAgents.
 */
static MemoryContext agents_cxt = NULL;
static SchedAgent *agents = NULL;	/* in agent_id order */
static int	nagents = 0;
static LeaveEntry *leave = NULL;	/* in agent_id order */
static int	nleave = 0;
static ProjectAgent *project_agents = NULL; /* in (project, agent_id) order, strcmp */
static int	nproject_agents = 0;
static ProjectEntry *projects = NULL;	/* 1.3, in strcmp order */
static int	nprojects = 0;
static HoursEntry *hours = NULL;	/* 1.4, in (agent_id, weekday) order */
static int	nhours = 0;
static HolidayEntry *holidays = NULL;	/* 1.4, in day order */
static int	nholidays = 0;
static bool agents_valid = false;

/*
 * The weighted turn order of a pool (1.4), worked out when a booking
 * first needs it and kept with the copy: the pool, the project's first
 * row in project_agents (-1: no list, every project alike), and one whole
 * cycle of sched_weighted_turns (length 0: all weights equal, the plain
 * round robin).
 */
typedef struct TurnOrder
{
	SchedPool	pool;
	int			listed;
	int			length;
	int		   *order;
	struct TurnOrder *next;
} TurnOrder;

static TurnOrder *turn_orders = NULL;	/* in agents_cxt */
static Oid	agents_relid = InvalidOid;
static Oid	leave_relid = InvalidOid;
static Oid	project_agents_relid = InvalidOid;
static Oid	projects_relid = InvalidOid;
static Oid	hours_relid = InvalidOid;
static Oid	holidays_relid = InvalidOid;
static Oid	busy_relid = InvalidOid;

static SchedStatement read_agents = {
	"SELECT agent_id, slot_capacity, active, handles_visits, handles_callbacks,"
	" is_senior, name, phone, NULL::pg_catalog.int4 AS daily_visit_cap, 1 AS weight"
	" FROM sched.agents ORDER BY agent_id"
};

/* 1.1: with the daily cap */
static SchedStatement read_agents_11 = {
	"SELECT agent_id, slot_capacity, active, handles_visits, handles_callbacks,"
	" is_senior, name, phone, daily_visit_cap, 1 AS weight FROM sched.agents ORDER BY agent_id"
};

/* 1.4: with the weight */
static SchedStatement read_agents_14 = {
	"SELECT agent_id, slot_capacity, active, handles_visits, handles_callbacks,"
	" is_senior, name, phone, daily_visit_cap, weight FROM sched.agents ORDER BY agent_id"
};

/* leave that had not ended three days ago: no bookable slot starts before that */
static SchedStatement read_leave = {
	"SELECT agent_id, starts_at, ends_at FROM sched.agent_time_off"
	" WHERE ends_at > pg_catalog.now() - interval '3 days'"
	" ORDER BY agent_id, starts_at"
};

/* 1.4: and the busy times of the agents' own calendars, kept alike */
static SchedStatement read_leave_14 = {
	"SELECT agent_id, starts_at, ends_at FROM sched.agent_time_off"
	" WHERE ends_at > pg_catalog.now() - interval '3 days'"
	" UNION ALL SELECT agent_id, starts_at, ends_at FROM sched.agent_busy"
	" WHERE ends_at > pg_catalog.now() - interval '3 days'"
	" ORDER BY 1, 2"
};

/* 1.4: the agents' weekly hours, in minutes of the day */
static SchedStatement read_hours = {
	"SELECT agent_id, weekday::pg_catalog.int4 AS weekday,"
	" (EXTRACT(EPOCH FROM starts) / 60)::pg_catalog.int4 AS starts,"
	" (EXTRACT(EPOCH FROM ends) / 60)::pg_catalog.int4 AS ends"
	" FROM sched.agent_hours ORDER BY agent_id, weekday, starts"
};

/* 1.4: the holidays from three days ago on: no bookable slot is earlier */
static SchedStatement read_holidays = {
	"SELECT day, project, name FROM sched.holidays"
	" WHERE day >= (pg_catalog.now() - interval '3 days')::pg_catalog.date"
	" ORDER BY day, project NULLS FIRST"
};

/* in strcmp order, which ProjectRow searches */
static SchedStatement read_project_agents = {
	"SELECT project, agent_id FROM sched.project_agents"
	" ORDER BY project COLLATE \"C\", agent_id"
};

/* 1.3: the projects that take bookings, in strcmp order, which FindProject searches */
static SchedStatement read_projects = {
	"SELECT project, location, active FROM sched.projects ORDER BY project COLLATE \"C\""
};

/*
 * The first table that names agent $1, through
 * scheduled_visits_agent_slot_idx and callbacks_agent_idx; and the same
 * for any agent (TRUNCATE sched.agents).
 */
static SchedStatement agent_referenced = {
	"(SELECT 'scheduled_visits' AS tbl FROM sched.scheduled_visits WHERE agent_id = $1 LIMIT 1)"
	" UNION ALL (SELECT 'callbacks' FROM sched.callbacks WHERE agent_id = $1 LIMIT 1)"
	" LIMIT 1",
	1, {INT4OID}
};
static SchedStatement any_agent_referenced = {
	"(SELECT 'scheduled_visits' AS tbl FROM sched.scheduled_visits WHERE agent_id IS NOT NULL LIMIT 1)"
	" UNION ALL (SELECT 'callbacks' FROM sched.callbacks WHERE agent_id IS NOT NULL LIMIT 1)"
	" LIMIT 1"
};

/*
 * AgentsRelcacheChanged: relcache callback; sched.agents, its leave or
 * its project lists changed (or everything did).
 */
static void
AgentsRelcacheChanged(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == agents_relid || relid == leave_relid ||
		relid == project_agents_relid || relid == projects_relid ||
		relid == hours_relid || relid == holidays_relid || relid == busy_relid)
		agents_valid = false;
}

/*
 * SchedAgentsInit: called once per backend by _PG_init.
 */
void
SchedAgentsInit(void)
{
	CacheRegisterRelcacheCallback(AgentsRelcacheChanged, (Datum) 0);
}

/*
 * ReadAgents: the rows of sched.agents, in cxt.
 */
static SchedAgent *
ReadAgents(MemoryContext cxt, SchedSchema version, int *n)
{
	SchedAgent *rows = SchedReadRows(version >= SCHED_SCHEMA_14 ? &read_agents_14
									 : version >= SCHED_SCHEMA_11 ? &read_agents_11 : &read_agents,
									 "sched.agents", cxt, sizeof(SchedAgent), n);
	int			c_id = SchedResultColumn("agent_id");
	int			c_capacity = SchedResultColumn("slot_capacity");
	int			c_active = SchedResultColumn("active");
	int			c_visits = SchedResultColumn("handles_visits");
	int			c_callbacks = SchedResultColumn("handles_callbacks");
	int			c_senior = SchedResultColumn("is_senior");
	int			c_name = SchedResultColumn("name");
	int			c_phone = SchedResultColumn("phone");
	int			c_cap = SchedResultColumn("daily_visit_cap");
	int			c_weight = SchedResultColumn("weight");
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		SchedAgent *a = &rows[i];
		bool		isnull;
		Datum		cap;

		a->agent_id = DatumGetInt32(SPI_getbinval(tuple, desc, c_id, &isnull));
		a->capacity = DatumGetInt32(SPI_getbinval(tuple, desc, c_capacity, &isnull));
		a->active = DatumGetBool(SPI_getbinval(tuple, desc, c_active, &isnull));
		a->handles_visits = DatumGetBool(SPI_getbinval(tuple, desc, c_visits, &isnull));
		a->handles_callbacks = DatumGetBool(SPI_getbinval(tuple, desc, c_callbacks, &isnull));
		a->is_senior = DatumGetBool(SPI_getbinval(tuple, desc, c_senior, &isnull));
		a->name = MemoryContextStrdup(cxt, SPI_getvalue(tuple, desc, c_name));
		a->phone = MemoryContextStrdup(cxt, SPI_getvalue(tuple, desc, c_phone));
		cap = SPI_getbinval(tuple, desc, c_cap, &isnull);
		a->daily_cap = isnull ? -1 : DatumGetInt32(cap);
		a->weight = DatumGetInt32(SPI_getbinval(tuple, desc, c_weight, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * ReadLeave: the leave that had not ended three days before now, in cxt;
 * from 1.4 with the agents' busy times among it.
 */
static LeaveEntry *
ReadLeave(MemoryContext cxt, bool v14, int *n)
{
	LeaveEntry *rows = SchedReadRows(v14 ? &read_leave_14 : &read_leave, "sched.agent_time_off", cxt,
									 sizeof(LeaveEntry), n);
	int			c_id = SchedResultColumn("agent_id");
	int			c_starts = SchedResultColumn("starts_at");
	int			c_ends = SchedResultColumn("ends_at");
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		rows[i].agent_id = DatumGetInt32(SPI_getbinval(tuple, desc, c_id, &isnull));
		rows[i].starts_at = DatumGetTimestampTz(SPI_getbinval(tuple, desc, c_starts, &isnull));
		rows[i].ends_at = DatumGetTimestampTz(SPI_getbinval(tuple, desc, c_ends, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * ReadHours: sched.agent_hours (1.4), in cxt.
 */
static HoursEntry *
ReadHours(MemoryContext cxt, int *n)
{
	HoursEntry *rows = SchedReadRows(&read_hours, "sched.agent_hours", cxt, sizeof(HoursEntry), n);
	int			c_id = SchedResultColumn("agent_id");
	int			c_weekday = SchedResultColumn("weekday");
	int			c_starts = SchedResultColumn("starts");
	int			c_ends = SchedResultColumn("ends");
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		rows[i].agent_id = DatumGetInt32(SPI_getbinval(tuple, desc, c_id, &isnull));
		rows[i].weekday = DatumGetInt32(SPI_getbinval(tuple, desc, c_weekday, &isnull));
		rows[i].range.starts = DatumGetInt32(SPI_getbinval(tuple, desc, c_starts, &isnull));
		rows[i].range.ends = DatumGetInt32(SPI_getbinval(tuple, desc, c_ends, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * ReadHolidays: sched.holidays (1.4) from three days ago on, in cxt.
 */
static HolidayEntry *
ReadHolidays(MemoryContext cxt, int *n)
{
	HolidayEntry *rows = SchedReadRows(&read_holidays, "sched.holidays", cxt,
									   sizeof(HolidayEntry), n);
	int			c_day = SchedResultColumn("day");
	int			c_project = SchedResultColumn("project");
	int			c_name = SchedResultColumn("name");
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *project = SPI_getvalue(tuple, desc, c_project);
		bool		isnull;

		rows[i].day = DatumGetDateADT(SPI_getbinval(tuple, desc, c_day, &isnull));
		rows[i].project = project ? MemoryContextStrdup(cxt, project) : NULL;
		rows[i].name = MemoryContextStrdup(cxt, SPI_getvalue(tuple, desc, c_name));
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * ReadProjectAgents: sched.project_agents, in cxt.
 */
static ProjectAgent *
ReadProjectAgents(MemoryContext cxt, int *n)
{
	ProjectAgent *rows = SchedReadRows(&read_project_agents, "sched.project_agents", cxt,
									   sizeof(ProjectAgent), n);
	int			c_project = SchedResultColumn("project");
	int			c_id = SchedResultColumn("agent_id");
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		rows[i].project = MemoryContextStrdup(cxt, SPI_getvalue(tuple, desc, c_project));
		rows[i].agent_id = DatumGetInt32(SPI_getbinval(tuple, desc, c_id, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * ReadProjects: sched.projects (1.3), in cxt.
 */
static ProjectEntry *
ReadProjects(MemoryContext cxt, int *n)
{
	ProjectEntry *rows = SchedReadRows(&read_projects, "sched.projects", cxt,
									   sizeof(ProjectEntry), n);
	int			c_project = SchedResultColumn("project");
	int			c_location = SchedResultColumn("location");
	int			c_active = SchedResultColumn("active");
	int			i;

	for (i = 0; i < *n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *location = SPI_getvalue(tuple, desc, c_location);
		bool		isnull;

		rows[i].project = MemoryContextStrdup(cxt, SPI_getvalue(tuple, desc, c_project));
		rows[i].location = location ? MemoryContextStrdup(cxt, location) : NULL;
		rows[i].active = DatumGetBool(SPI_getbinval(tuple, desc, c_active, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * LoadAgents: read the agents (and in 1.1 their leave and project lists)
 * into a new copy and replace the old one.  Marked valid before reading,
 * so that an invalidation arriving meanwhile wins; callers copy what they
 * keep, so the old copy can go.
 */
static void
LoadAgents(void)
{
	MemoryContext cxt;
	SchedSchema version = SchedSchemaVersion();
	bool		v11 = version >= SCHED_SCHEMA_11;
	bool		v13 = version >= SCHED_SCHEMA_13;
	bool		v14 = version >= SCHED_SCHEMA_14;
	SchedAgent *new_agents;
	HoursEntry *new_hours = NULL;
	HolidayEntry *new_holidays = NULL;
	int			n_hours = 0;
	int			n_holidays = 0;
	ProjectEntry *new_projects = NULL;
	int			n_projects = 0;
	LeaveEntry *new_leave = NULL;
	ProjectAgent *new_project_agents = NULL;
	int			n_agents;
	int			n_leave = 0;
	int			n_project_agents = 0;

	agents_relid = SchedRelOid(REL_AGENTS);
	leave_relid = v11 ? SchedRelOid(REL_TIME_OFF) : InvalidOid;
	project_agents_relid = v11 ? SchedRelOid(REL_PROJECT_AGENTS) : InvalidOid;
	projects_relid = v13 ? SchedRelOid(REL_PROJECTS) : InvalidOid;
	hours_relid = v14 ? SchedRelOid(REL_AGENT_HOURS) : InvalidOid;
	holidays_relid = v14 ? SchedRelOid(REL_HOLIDAYS) : InvalidOid;
	busy_relid = v14 ? SchedRelOid(REL_AGENT_BUSY) : InvalidOid;
	agents_valid = true;

	cxt = AllocSetContextCreate(TopMemoryContext, "sched agents", ALLOCSET_SMALL_SIZES);
	PG_TRY();
	{
		new_agents = ReadAgents(cxt, version, &n_agents);
		if (v11)
		{
			new_leave = ReadLeave(cxt, v14, &n_leave);
			new_project_agents = ReadProjectAgents(cxt, &n_project_agents);
		}
		if (v13)
			new_projects = ReadProjects(cxt, &n_projects);
		if (v14)
		{
			new_hours = ReadHours(cxt, &n_hours);
			new_holidays = ReadHolidays(cxt, &n_holidays);
		}
	}
	PG_CATCH();
	{
		agents_valid = false;
		MemoryContextDelete(cxt);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (agents_cxt != NULL)
		MemoryContextDelete(agents_cxt);
	agents_cxt = cxt;
	turn_orders = NULL;			/* they were in the old copy's context */
	agents = new_agents;
	nagents = n_agents;
	leave = new_leave;
	nleave = n_leave;
	project_agents = new_project_agents;
	nproject_agents = n_project_agents;
	projects = new_projects;
	nprojects = n_projects;
	hours = new_hours;
	nhours = n_hours;
	holidays = new_holidays;
	nholidays = n_holidays;
}

/*
 * Agents: this session's copy of sched.agents, current.  Needs SPI.
 */
static SchedAgent *
Agents(int *n)
{
	AcceptInvalidationMessages();
	if (!agents_valid)
		LoadAgents();
	*n = nagents;
	return agents;
}

/* bsearch comparators: an agent_id against an agent or a leave entry */
static int
CompareAgentId(const void *key, const void *entry)
{
	int32		id = *(const int32 *) key;
	int32		other = ((const SchedAgent *) entry)->agent_id;

	return id < other ? -1 : id > other ? 1 : 0;
}

static int
CompareLeaveAgent(const void *key, const void *entry)
{
	int32		id = *(const int32 *) key;
	int32		other = ((const LeaveEntry *) entry)->agent_id;

	return id < other ? -1 : id > other ? 1 : 0;
}

static int
CompareHoursAgent(const void *key, const void *entry)
{
	int32		id = *(const int32 *) key;
	int32		other = ((const HoursEntry *) entry)->agent_id;

	return id < other ? -1 : id > other ? 1 : 0;
}

/* a project against a row of sched.project_agents */
static int
CompareProject(const void *key, const void *entry)
{
	return strcmp((const char *) key, ((const ProjectAgent *) entry)->project);
}

/*
 * SchedFindAgent: an agent by id, or NULL, from the copy made current
 * (read again if anything changed).  The agent points into the copy: it
 * stays valid until the next call that may read the copy again
 * (SchedFindAgent, SchedLoadPool, SchedAgentInPool, SchedCheckAgentTakes,
 * SchedHoldAgent, SchedAgentContact, SchedSeniorPhones).  Needs SPI.
 */
SchedAgent *
SchedFindAgent(int32 agent_id)
{
	int			n;
	SchedAgent *all = Agents(&n);

	return bsearch(&agent_id, all, n, sizeof(SchedAgent), CompareAgentId);
}

/*
 * ProjectRow: where the project's rows of sched.project_agents start, or
 * -1 when it has none (every visit-taking agent takes it).  Call after
 * Agents().
 */
static int
ProjectRow(const char *project)
{
	ProjectAgent *found = bsearch(project, project_agents, nproject_agents,
								  sizeof(ProjectAgent), CompareProject);
	int			i;

	if (found == NULL)
		return -1;
	for (i = found - project_agents; i > 0 && strcmp(project_agents[i - 1].project, project) == 0; i--)
		;
	return i;
}

/*
 * ListedFrom: the agent is among the project's rows starting at first.
 */
static bool
ListedFrom(int first, const char *project, int32 agent_id)
{
	int			i;

	for (i = first; i < nproject_agents && strcmp(project_agents[i].project, project) == 0; i++)
		if (project_agents[i].agent_id == agent_id)
			return true;
	return false;
}

/*
 * The four below read the copy as the last SchedFindAgent or
 * SchedLoadPool of the caller's operation loaded it, and never read it
 * again: the agents found there stay valid, and one operation (a booking,
 * a move) sees one copy of the agents, leave and project lists.
 */

/* a project against a row of sched.projects */
static int
CompareProjectEntry(const void *key, const void *entry)
{
	return strcmp((const char *) key, ((const ProjectEntry *) entry)->project);
}

/*
 * SchedProjectState (1.3): whether sched.projects has rows at all
 * (*listed), and the project's row: PROJECT_ACTIVE, PROJECT_INACTIVE or
 * PROJECT_UNKNOWN, with its location (NULL if none) when location is not
 * NULL.  Makes the copy current; needs SPI.  A 1.2 schema lists none.
 */
SchedProjectStateKind
SchedProjectState(const char *project, bool *listed, const char **location)
{
	const ProjectEntry *p;
	int			n;

	(void) Agents(&n);
	*listed = nprojects > 0;
	if (location != NULL)
		*location = NULL;
	p = nprojects > 0 ? bsearch(project, projects, nprojects, sizeof(ProjectEntry), CompareProjectEntry) : NULL;
	if (p == NULL)
		return PROJECT_UNKNOWN;
	if (location != NULL)
		*location = p->location;
	return p->active ? PROJECT_ACTIVE : PROJECT_INACTIVE;
}

/*
 * SchedCheckProjectTakesBookings (1.3): while sched.projects has rows, only
 * an active project takes bookings (22023 otherwise); returns whether the
 * table has rows.  Booking (visit_guard.c) and available_slots ask here.
 * Makes the copy current; needs SPI.
 */
bool
SchedCheckProjectTakesBookings(const char *project)
{
	bool		listed;
	SchedProjectStateKind state = SchedProjectState(project, &listed, NULL);

	if (listed && state != PROJECT_ACTIVE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("project \"%s\" does not take bookings", project),
				 errdetail(state == PROJECT_INACTIVE ? "It is inactive in sched.projects."
						   : "sched.projects does not list it."),
				 errhint("sched.projects lists the projects that take bookings.")));
	return listed;
}

/*
 * SchedProjectHasList: the project lists its agents in
 * sched.project_agents.
 */
bool
SchedProjectHasList(const char *project)
{
	return ProjectRow(project) >= 0;
}

/*
 * SchedAgentTakesProject: the project has no list, or lists the agent.
 */
bool
SchedAgentTakesProject(int32 agent_id, const char *project)
{
	int			first = ProjectRow(project);

	return first < 0 || ListedFrom(first, project, agent_id);
}

/*
 * SchedAnyLeave: some agent has leave that has not ended (so slots must
 * be timed to check it).
 */
bool
SchedAnyLeave(void)
{
	return nleave > 0;
}

/*
 * SchedAgentOnLeave: the agent has leave overlapping [starts_at,
 * ends_at).
 */
bool
SchedAgentOnLeave(int32 agent_id, TimestampTz starts_at, TimestampTz ends_at)
{
	LeaveEntry *found;
	int			first;
	int			i;

	found = bsearch(&agent_id, leave, nleave, sizeof(LeaveEntry), CompareLeaveAgent);
	if (found == NULL)
		return false;
	for (first = found - leave; first > 0 && leave[first - 1].agent_id == agent_id; first--)
		;
	for (i = first; i < nleave && leave[i].agent_id == agent_id; i++)
		if (leave[i].starts_at < ends_at && leave[i].ends_at > starts_at)
			return true;
	return false;
}

/*
 * SchedAgentWorks (1.4): the agent works the whole of the slot on its
 * date: within their hours of that weekday (sched.agent_hours), or, for
 * an agent with no hours at all, within sched.business_hours.
 */
bool
SchedAgentWorks(int32 agent_id, DateADT visit_date, int slot)
{
	int			weekday = j2day(visit_date + POSTGRES_EPOCH_JDATE);	/* 0 Sunday */
	int			start;
	int			end;
	int			i;
	int			first;
	int			n = 0;
	SchedHoursRange day[32];

	HoursEntry *found = bsearch(&agent_id, hours, nhours, sizeof(HoursEntry), CompareHoursAgent);

	if (found == NULL)
		return SchedBusinessHoursCover(slot);
	for (first = found - hours; first > 0 && hours[first - 1].agent_id == agent_id; first--)
		;
	if (weekday == 0)
		weekday = 7;
	for (i = first; i < nhours && hours[i].agent_id == agent_id; i++)
		if (hours[i].weekday == weekday && n < (int) lengthof(day))
			day[n++] = hours[i].range;
	if (!sched_slot_hours(slot, &start, &end))
		return false;
	return sched_hours_cover(day, n, start * 60, end * 60);
}

/*
 * SchedHoliday (1.4): the name of the holiday that closes the project on
 * the date (its own, or one of every project), or NULL; from the copy
 * made current.  Needs SPI.
 */
const char *
SchedHoliday(const char *project, DateADT visit_date)
{
	int			i;
	int			n;

	(void) Agents(&n);

	for (i = 0; i < nholidays && holidays[i].day <= visit_date; i++)
		if (holidays[i].day == visit_date &&
			(holidays[i].project == NULL || strcmp(holidays[i].project, project) == 0))
			return holidays[i].name;
	return NULL;
}

/*
 * SchedAgentContact: the name and phone of an agent (copies, in the
 * current memory context), for messages; false if there is no such
 * agent.  Needs SPI.
 */
bool
SchedAgentContact(int32 agent_id, const char **name, const char **phone)
{
	SchedAgent *a = SchedFindAgent(agent_id);

	if (a == NULL)
		return false;
	*name = pstrdup(a->name);
	*phone = pstrdup(a->phone);
	return true;
}

/*
 * SchedAgentIsIn: the agent belongs to the pool.
 */
bool
SchedAgentIsIn(const SchedAgent *a, SchedPool pool)
{
	if (!a->active)
		return false;
	switch (pool)
	{
		case POOL_VISITS:
			return a->handles_visits;
		case POOL_CALLBACKS:
			return a->handles_callbacks;
		case POOL_SENIOR_CALLBACKS:
			return a->handles_callbacks && a->is_senior;
	}
	return false;
}

/*
 * SchedLoadPool: the agents of a pool, in agent_id order, from the copy
 * made current (copies of the entries, in the current memory context; their
 * name and phone point into the copy, valid as SchedFindAgent's result
 * is).  For visits of a project with a list, only the listed agents.
 * Needs SPI.
 */
SchedAgent *
SchedLoadPool(SchedPool pool, const char *project, int *n)
{
	int			nall;
	SchedAgent *all = Agents(&nall);
	SchedAgent *members = palloc((nall + 1) * sizeof(SchedAgent));
	int			listed = project != NULL ? ProjectRow(project) : -1;
	int			i;

	*n = 0;
	for (i = 0; i < nall; i++)
		if (SchedAgentIsIn(&all[i], pool) &&
			(listed < 0 || ListedFrom(listed, project, all[i].agent_id)))
			members[(*n)++] = all[i];
	return members;
}

/*
 * SchedTurnStart (1.4): the position in the pool, as the caller's
 * SchedLoadPool returned it (n agents), where the turn numbered ticket
 * starts looking: ticket after ticket around the pool when the agents'
 * weights are equal, else by the pool's weighted turn order.  Reads the
 * copy as that SchedLoadPool loaded it.
 */
int
SchedTurnStart(SchedPool pool, const char *project, int64 ticket, int n)
{
	int			listed = project != NULL ? ProjectRow(project) : -1;
	TurnOrder  *t;

	for (t = turn_orders; t != NULL; t = t->next)
		if (t->pool == pool && t->listed == listed)
			break;
	if (t == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(agents_cxt);
		int		   *weights = palloc(Max(nagents, 1) * sizeof(int));
		int			members = 0;
		int			sum = 0;
		bool		equal = true;
		int			i;

		for (i = 0; i < nagents; i++)
			if (SchedAgentIsIn(&agents[i], pool) &&
				(listed < 0 || ListedFrom(listed, project, agents[i].agent_id)))
			{
				weights[members] = agents[i].weight;
				equal = equal && weights[members] == weights[0];
				sum += weights[members];
				members++;
			}
		t = palloc(sizeof(TurnOrder));
		t->pool = pool;
		t->listed = listed;
		t->length = 0;
		t->order = NULL;
		if (!equal)
		{
			int64	   *credit = palloc(members * sizeof(int64));

			t->order = palloc(sum * sizeof(int));
			t->length = sched_weighted_turns(weights, members, credit, t->order);
			pfree(credit);
			if (t->length != sum)
				elog(ERROR, "an agent's weight is outside 1-%d", SCHED_MAX_WEIGHT);
		}
		pfree(weights);
		t->next = turn_orders;
		turn_orders = t;
		MemoryContextSwitchTo(old);
	}
	if (t->length == 0)
		return sched_turn_start(ticket, n);
	return t->order[sched_turn_start(ticket, t->length)];
}

/*
 * SchedAgentInPool: the agent exists and belongs to the pool.  Needs SPI.
 */
bool
SchedAgentInPool(int32 agent_id, SchedPool pool)
{
	SchedAgent *a = SchedFindAgent(agent_id);

	return a != NULL && SchedAgentIsIn(a, pool);
}

/*
 * SchedCheckAgentTakes: a booking that names its agent must name one of
 * the pool the round robin would have used.  An agent that does not exist
 * is left to SchedHoldAgent to report.  Needs SPI.
 */
void
SchedCheckAgentTakes(int32 agent_id, SchedPool pool)
{
	static const char *const what[] = {
		[POOL_VISITS] = "site visits",
		[POOL_CALLBACKS] = "callbacks",
		[POOL_SENIOR_CALLBACKS] = "urgent callbacks",
	};
	static const char *const who[] = {
		[POOL_VISITS] = "active agents with handles_visits",
		[POOL_CALLBACKS] = "active agents with handles_callbacks",
		[POOL_SENIOR_CALLBACKS] = "active senior agents with handles_callbacks",
	};

	SchedAgent *a = SchedFindAgent(agent_id);

	if (a == NULL || SchedAgentIsIn(a, pool))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("agent_id %d does not take %s", agent_id, what[pool]),
			 errdetail("Only %s take %s.", who[pool], what[pool]),
			 errhint("Leave agent_id NULL to assign one round robin.")));
}

/*
 * SchedSeniorPhones: the phones of the agents who take urgent callbacks
 * (active seniors who handle callbacks), copies in the current memory
 * context; returns how many.  Needs SPI.
 */
int
SchedSeniorPhones(const char ***phones)
{
	int			n;
	SchedAgent *pool = SchedLoadPool(POOL_SENIOR_CALLBACKS, NULL, &n);
	int			i;

	*phones = palloc((n + 1) * sizeof(char *));
	for (i = 0; i < n; i++)
		(*phones)[i] = pstrdup(pool[i].phone);
	pfree(pool);
	return n;
}

/*
 * AgentKeyLock: the advisory lock of an agent's key group.
 */
static void
AgentKeyLock(int32 agent_id, LOCKMODE mode)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, SCHED_LOCK_CLASS_AGENT_KEY,
						 (uint32) agent_id % AGENT_KEY_GROUPS, 2);
	(void) LockAcquire(&tag, mode, false, false);
}

/*
 * SchedHoldAgent: the agent a row of table names exists, and nobody can
 * delete it (or change its agent_id) until this transaction ends; else
 * 23503, as from a foreign key.  The lock comes first: a deletion that
 * committed before it was granted has sent its invalidation, which Agents
 * reads, and the copy is read again with the latest snapshot.  Needs SPI.
 */
void
SchedHoldAgent(int32 agent_id, const char *table)
{
	AgentKeyLock(agent_id, ShareLock);
	if (SchedFindAgent(agent_id) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("insert or update on table \"%s\" names an agent that does not exist", table),
				 errdetail("Key (agent_id)=(%d) is not present in table \"agents\".", agent_id),
				 errhint("Name an agent of sched.agents, or leave agent_id NULL to assign one round robin.")));
}

/*
 * SchedLockAgentKeys: keep new rows from naming agent_id (all: any
 * agent) until this transaction ends, waiting for the transactions that
 * already named one.
 */
void
SchedLockAgentKeys(int32 agent_id, bool all)
{
	int			g;

	if (!all)
		AgentKeyLock(agent_id, ExclusiveLock);
	else
		for (g = 0; g < AGENT_KEY_GROUPS; g++)
			AgentKeyLock(g, ExclusiveLock);
}

/*
 * SchedAgentReferencedFrom: the first table whose rows name agent_id
 * (any: any agent), as of now rather than the transaction's snapshot, or
 * NULL.  Call after SchedLockAgentKeys.  Needs SPI.
 */
const char *
SchedAgentReferencedFrom(int32 agent_id, bool any)
{
	Datum		arg = Int32GetDatum(agent_id);

	if (SPI_execute_snapshot(SchedPrepared(any ? &any_agent_referenced : &agent_referenced),
							 any ? NULL : &arg, NULL, GetLatestSnapshot(), InvalidSnapshot,
							 true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking for rows naming an agent failed");
	if (SPI_processed == 0)
		return NULL;
	return SchedResultText("tbl");
}
