/*
 * workflow.c
 *		The status workflows of visits and callbacks, the timestamps and
 *		attempt counts that moves record, callback SLAs, the notifications
 *		each event sends, and round-robin turn arithmetic.
 *
 * Pure C, no PostgreSQL headers (see rules.h).  The tables below are the
 * single statement of these rules; docs/workflows.md draws them.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

static const char *const visit_status_names[VISIT_NSTATUS] = {
	"pending", "confirmed", "completed", "cancelled", "no_show"
};

static const char *const callback_status_names[CALLBACK_NSTATUS] = {
	"pending", "contacted", "completed", "no_answer"
};

static const char *const urgency_names[URGENCY_N] = {
	"urgent", "high", "medium", "low"
};

/*
 * Allowed moves, [from][to].  Visits: pending -> confirmed, cancelled,
 * no_show; confirmed -> completed, cancelled, no_show; the rest are final.
 */
static const bool visit_moves[VISIT_NSTATUS][VISIT_NSTATUS] = {
	/* to:            pending confirmed completed cancelled no_show */
	[VISIT_PENDING] = {false, true, false, true, true},
	[VISIT_CONFIRMED] = {false, false, true, true, true},
	[VISIT_COMPLETED] = {false, false, false, false, false},
	[VISIT_CANCELLED] = {false, false, false, false, false},
	[VISIT_NO_SHOW] = {false, false, false, false, false},
};

/*
 * Callbacks: pending -> contacted, no_answer; no_answer -> contacted,
 * no_answer (another try); contacted -> completed; completed is final.
 */
static const bool callback_moves[CALLBACK_NSTATUS][CALLBACK_NSTATUS] = {
	/* to:                pending contacted completed no_answer */
	[CALLBACK_PENDING] = {false, true, false, true},
	[CALLBACK_CONTACTED] = {false, false, true, false},
	[CALLBACK_COMPLETED] = {false, false, false, false},
	[CALLBACK_NO_ANSWER] = {false, true, false, true},
};

/* Response deadlines: urgent 30 min, high 2 h, medium 4 h, low 24 h. */
static const int sla_minutes[URGENCY_N] = {30, 120, 240, 1440};

/* The outbox jobs of each event (see rules.h, SchedJobSpec). */
static const SchedJobSpec visit_created_jobs[] = {
	{"sms", SCHED_TO_CUSTOMER_PHONE, "visit_booked"},
	{"email", SCHED_TO_CUSTOMER_EMAIL, "visit_booked"},
	{"agent", SCHED_TO_AGENT, "visit_assigned"},
};
static const SchedJobSpec visit_confirmed_jobs[] = {
	{"sms", SCHED_TO_CUSTOMER_PHONE, "visit_confirmed"},
	{"email", SCHED_TO_CUSTOMER_EMAIL, "visit_confirmed"},
};
static const SchedJobSpec visit_completed_jobs[] = {
	{"email", SCHED_TO_CUSTOMER_EMAIL, "visit_completed"},
};
static const SchedJobSpec visit_cancelled_jobs[] = {
	{"sms", SCHED_TO_CUSTOMER_PHONE, "visit_cancelled"},
	{"email", SCHED_TO_CUSTOMER_EMAIL, "visit_cancelled"},
	{"agent", SCHED_TO_AGENT, "visit_cancelled"},
};
static const SchedJobSpec visit_no_show_jobs[] = {
	{"sms", SCHED_TO_CUSTOMER_PHONE, "visit_missed"},
	{"agent", SCHED_TO_AGENT, "visit_no_show"},
};
static const SchedJobSpec visit_moved_jobs[] = {
	{"sms", SCHED_TO_CUSTOMER_PHONE, "visit_rescheduled"},
	{"email", SCHED_TO_CUSTOMER_EMAIL, "visit_rescheduled"},
	{"agent", SCHED_TO_AGENT, "visit_rescheduled"},
};
static const SchedJobSpec callback_created_jobs[] = {
	{"sms", SCHED_TO_CUSTOMER_PHONE, "callback_requested"},
	{"email", SCHED_TO_CUSTOMER_EMAIL, "callback_requested"},
	{"agent", SCHED_TO_AGENT, "callback_assigned"},
};
static const SchedJobSpec callback_no_answer_jobs[] = {
	{"sms", SCHED_TO_CUSTOMER_PHONE, "callback_missed"},
};
static const SchedJobSpec callback_gave_up_jobs[] = {
	{"sms", SCHED_TO_CUSTOMER_PHONE, "callback_unreachable"},
	{"email", SCHED_TO_CUSTOMER_EMAIL, "callback_unreachable"},
};
static const SchedJobSpec callback_overdue_jobs[] = {
	{"agent", SCHED_TO_SENIORS, "callback_overdue"},
};

#define NJOBS(a) ((int) (sizeof(a) / sizeof((a)[0])))

static const char *const slot_names[SLOT_N] = {"morning", "afternoon", "evening"};

/* Local hours of the slots: [start, end). */
static const int slot_hours[SLOT_N][2] = {{9, 12}, {12, 15}, {15, 18}};

/*
 * Visit reminders: the day before by SMS and email, an hour before by SMS
 * (and a note to the agent).
 */
static const SchedReminderSpec visit_reminders[] = {
	{{"sms", SCHED_TO_CUSTOMER_PHONE, "visit_reminder_24h"}, 24 * 60},
	{{"email", SCHED_TO_CUSTOMER_EMAIL, "visit_reminder_24h"}, 24 * 60},
	{{"sms", SCHED_TO_CUSTOMER_PHONE, "visit_reminder_1h"}, 60},
};

/*
 * sched_entity_name: the name used in status_history.entity, the outbox
 * and NOTIFY payloads.
 */
const char *
sched_entity_name(SchedEntity e)
{
	return e == SCHED_VISIT ? "visit" : "callback";
}

/*
 * sched_format_ref: the customer-facing reference of a visit or callback
 * into out (size bytes, at least SCHED_REF_SIZE): "visit_000123", as 1.0's
 * generated column made it (ids under a million padded to six digits, or
 * cut to six characters as lpad cuts), and from 1.3, for a booking made
 * after a failover, the timeline it was made on: "visit_000123-2".  A
 * booking lost in an asynchronous failover took its id with it; the id is
 * given out again on the new timeline, the ref never is.  Returns the
 * length.
 */
size_t
sched_format_ref(char *out, size_t size, SchedEntity e, int64_t id, uint32_t timeline)
{
	static const char zeros[] = "000000";
	char		digits[24];
	int			n;
	int			len;

	n = snprintf(digits, sizeof(digits), "%lld", (long long) id);
	if (id < 1000000)
		len = snprintf(out, size, "%s_%s%.*s", sched_entity_name(e),
					   n < 6 ? &zeros[n] : "", 6, digits);
	else
		len = snprintf(out, size, "%s_%s", sched_entity_name(e), digits);
	if (timeline > 1 && len >= 0 && (size_t) len < size)
		len += snprintf(out + len, size - len, "-%u", (unsigned) timeline);
	return len < 0 ? 0 : (size_t) len;
}

/*
 * sched_status_count: how many statuses the entity's enum has.
 */
int
sched_status_count(SchedEntity e)
{
	return e == SCHED_VISIT ? VISIT_NSTATUS : CALLBACK_NSTATUS;
}

/*
 * sched_status_name: the enum label of a status number.
 */
const char *
sched_status_name(SchedEntity e, int status)
{
	if (status < 0 || status >= sched_status_count(e))
		return NULL;
	return e == SCHED_VISIT ? visit_status_names[status]
		: callback_status_names[status];
}

/*
 * sched_status_from_name: the status number of an enum label.
 */
int
sched_status_from_name(SchedEntity e, const char *name)
{
	int			i;

	for (i = 0; i < sched_status_count(e); i++)
		if (strcmp(name, sched_status_name(e, i)) == 0)
			return i;
	return -1;
}

/*
 * sched_urgency_from_name: the urgency number of an enum label.
 */
int
sched_urgency_from_name(const char *name)
{
	int			i;

	for (i = 0; i < URGENCY_N; i++)
		if (strcmp(name, urgency_names[i]) == 0)
			return i;
	return -1;
}

/*
 * sched_urgency_name: the enum label of an urgency number.
 */
const char *
sched_urgency_name(int urgency)
{
	if (urgency < 0 || urgency >= URGENCY_N)
		return NULL;
	return urgency_names[urgency];
}

/*
 * sched_transition_allowed: look the move up in the entity's table.
 */
bool
sched_transition_allowed(SchedEntity e, int from, int to)
{
	int			n = sched_status_count(e);

	if (from < 0 || from >= n || to < 0 || to >= n)
		return false;
	return e == SCHED_VISIT ? visit_moves[from][to] : callback_moves[from][to];
}

/*
 * sched_status_is_final: a status with no move out of it.
 */
bool
sched_status_is_final(SchedEntity e, int status)
{
	int			to;

	for (to = 0; to < sched_status_count(e); to++)
		if (sched_transition_allowed(e, status, to))
			return false;
	return true;
}

/*
 * sched_visit_holds_slot: pending and confirmed visits occupy a place.
 */
bool
sched_visit_holds_slot(int status)
{
	return status == VISIT_PENDING || status == VISIT_CONFIRMED;
}

/*
 * sched_status_stamp_column: the column stamped with now() on arrival.
 */
const char *
sched_status_stamp_column(SchedEntity e, int status)
{
	if (e == SCHED_VISIT)
	{
		switch (status)
		{
			case VISIT_CONFIRMED:
				return "confirmed_at";
			case VISIT_COMPLETED:
				return "completed_at";
			case VISIT_CANCELLED:
				return "cancelled_at";
			default:
				return NULL;
		}
	}
	switch (status)
	{
		case CALLBACK_CONTACTED:
			return "contacted_at";
		case CALLBACK_COMPLETED:
			return "completed_at";
		default:
			return NULL;
	}
}

/*
 * sched_status_counts_attempt: each move into contacted or no_answer is
 * one more call attempt.
 */
bool
sched_status_counts_attempt(SchedEntity e, int status)
{
	return e == SCHED_CALLBACK &&
		(status == CALLBACK_CONTACTED || status == CALLBACK_NO_ANSWER);
}

/*
 * sched_sla_minutes: the response deadline of an urgency, in minutes.
 */
int
sched_sla_minutes(int urgency)
{
	if (urgency < 0 || urgency >= URGENCY_N)
		return -1;
	return sla_minutes[urgency];
}

/*
 * sched_jobs_for: the notifications an event sends.
 */
int
sched_jobs_for(SchedEntity e, int status, const SchedJobSpec **jobs)
{
	*jobs = NULL;
	if (e == SCHED_VISIT)
	{
		switch (status)
		{
			case SCHED_EVENT_CREATED:
				*jobs = visit_created_jobs;
				return NJOBS(visit_created_jobs);
			case SCHED_EVENT_MOVED:
				*jobs = visit_moved_jobs;
				return NJOBS(visit_moved_jobs);
			case VISIT_CONFIRMED:
				*jobs = visit_confirmed_jobs;
				return NJOBS(visit_confirmed_jobs);
			case VISIT_COMPLETED:
				*jobs = visit_completed_jobs;
				return NJOBS(visit_completed_jobs);
			case VISIT_CANCELLED:
				*jobs = visit_cancelled_jobs;
				return NJOBS(visit_cancelled_jobs);
			case VISIT_NO_SHOW:
				*jobs = visit_no_show_jobs;
				return NJOBS(visit_no_show_jobs);
			default:
				return 0;
		}
	}
	switch (status)
	{
		case SCHED_EVENT_CREATED:
			*jobs = callback_created_jobs;
			return NJOBS(callback_created_jobs);
		case CALLBACK_NO_ANSWER:
			*jobs = callback_no_answer_jobs;
			return NJOBS(callback_no_answer_jobs);
		case SCHED_EVENT_GAVE_UP:
			*jobs = callback_gave_up_jobs;
			return NJOBS(callback_gave_up_jobs);
		case SCHED_EVENT_OVERDUE:
			*jobs = callback_overdue_jobs;
			return NJOBS(callback_overdue_jobs);
		default:
			return 0;
	}
}

/*
 * sched_callback_retry_minutes: 60, 120, 240 ... 1440.
 */
int
sched_callback_retry_minutes(int attempts)
{
	int			minutes = 60;
	int			i;

	for (i = 1; i < attempts && minutes < 1440; i++)
		minutes *= 2;
	return minutes < 1440 ? minutes : 1440;
}

/*
 * ParseClock: "HH:MM" at s (exactly five characters), 00:00 to 24:00, as
 * minutes since midnight; -1 if it is not one.
 */
static int
ParseClock(const char *s)
{
	int			h;
	int			m;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
		s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/*
 * sched_parse_business_hours: "HH:MM-HH:MM", nothing else.
 */
bool
sched_parse_business_hours(const char *s, int *open_minute, int *close_minute)
{
	int			open;
	int			close;

	if (s == NULL || strlen(s) != 11 || s[5] != '-')
		return false;
	open = ParseClock(s);
	close = ParseClock(s + 6);
	if (open < 0 || close < 0 || open >= close || open == 24 * 60)
		return false;
	*open_minute = open;
	*close_minute = close;
	return true;
}

/*
 * sched_minutes_until_open: open hours are [open, close) each day.
 */
int
sched_minutes_until_open(int minute_of_day, int open_minute, int close_minute)
{
	if (minute_of_day >= open_minute && minute_of_day < close_minute)
		return 0;
	if (minute_of_day < open_minute)
		return open_minute - minute_of_day;
	return 24 * 60 - minute_of_day + open_minute;
}

/*
 * sched_hours_cover: sweep the ranges from from_minute on, each time
 * taking the furthest end of a range that starts by then, until
 * to_minute is reached or no range continues.  n is small (a day's
 * ranges), so the sweep is quadratic without harm.
 */
bool
sched_hours_cover(const SchedHoursRange *ranges, int n, int from_minute, int to_minute)
{
	int			reached = from_minute;

	if (from_minute >= to_minute)
		return true;
	for (;;)
	{
		int			furthest = reached;
		int			i;

		for (i = 0; i < n; i++)
			if (ranges[i].starts <= reached && ranges[i].ends > furthest)
				furthest = ranges[i].ends;
		if (furthest >= to_minute)
			return true;
		if (furthest == reached)
			return false;
		reached = furthest;
	}
}

/*
 * NoticeUnit: the minutes of a unit word of sched.min_notice, or -1.
 */
static int
NoticeUnit(const char *word, size_t len)
{
	static const struct
	{
		const char *name;
		int			minutes;
	}			units[] = {
		{"min", 1}, {"mins", 1}, {"minute", 1}, {"minutes", 1},
		{"h", 60}, {"hour", 60}, {"hours", 60},
		{"d", 24 * 60}, {"day", 24 * 60}, {"days", 24 * 60},
	};
	size_t		i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == len && strncmp(units[i].name, word, len) == 0)
			return units[i].minutes;
	return -1;
}

/*
 * sched_parse_notice: numbers each followed by a unit, spaces allowed
 * between and around them; "0" alone.  At most 30 days.
 */
bool
sched_parse_notice(const char *s, int *minutes)
{
	const char *p = s;
	long		total = 0;
	bool		any = false;

	if (s == NULL)
		return false;
	while (*p == ' ')
		p++;
	if (strcmp(p, "0") == 0)
	{
		*minutes = 0;
		return true;
	}
	while (*p != '\0')
	{
		long		number = 0;
		const char *word;
		int			unit;
		int			digits = 0;

		while (*p >= '0' && *p <= '9' && digits < 6)
		{
			number = number * 10 + (*p++ - '0');
			digits++;
		}
		if (digits == 0 || (*p >= '0' && *p <= '9'))
			return false;
		while (*p == ' ')
			p++;
		word = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			p++;
		unit = NoticeUnit(word, (size_t) (p - word));
		if (unit < 0)
			return false;
		total += number * unit;
		if (total > 30 * 24 * 60)
			return false;
		any = true;
		while (*p == ' ')
			p++;
	}
	if (!any)
		return false;
	*minutes = (int) total;
	return true;
}

/*
 * sched_turn_start: ticket 1 starts at position 0, ticket 2 at 1, and so
 * on around the pool.
 */
int
sched_turn_start(int64_t ticket, int n)
{
	if (n < 1 || ticket < 1)
		return -1;
	return (int) ((ticket - 1) % n);
}

/*
 * sched_weighted_turns: see rules.h.  Agent i's k-th turn of a cycle is
 * due in the window from (k - 1) * sum / w_i to k * sum / w_i turns; each
 * turn goes to the agent whose next turn's window has opened and closes
 * first (the first in agent_id order among equals).  An open window
 * keeps an agent from running ahead of its share by a whole turn, and
 * taking the one that closes first keeps it from falling behind by one.
 * credit[i] holds the turns agent i has had so far.
 */
int
sched_weighted_turns(const int *weights, int n, int64_t *credit, int *order)
{
	int64_t		sum = 0;
	int64_t		turn;
	int			i;

	if (n < 1)
		return -1;
	for (i = 0; i < n; i++)
	{
		if (weights[i] < 1 || weights[i] > SCHED_MAX_WEIGHT)
			return -1;
		sum += weights[i];
		credit[i] = 0;
	}
	for (turn = 0; turn < sum; turn++)
	{
		int			best = -1;

		for (i = 0; i < n; i++)
		{
			/* open: had * sum <= turn * w; closes at (had + 1) * sum / w */
			if (credit[i] * sum > turn * weights[i])
				continue;
			if (best < 0 ||
				(credit[i] + 1) * weights[best] < (credit[best] + 1) * weights[i])
				best = i;
		}
		if (best < 0)			/* cannot happen: the turns had sum to turn */
			return -1;
		credit[best]++;
		order[turn] = best;
	}
	return (int) sum;
}

/*
 * sched_agent_room: the smaller of what the slot and the day leave.
 */
int64_t
sched_agent_room(int64_t capacity, int64_t daily_cap, int64_t slot_taken, int64_t day_taken)
{
	int64_t		room;

	/* counts are never negative; read a negative one as none */
	if (slot_taken < 0)
		slot_taken = 0;
	if (day_taken < 0)
		day_taken = 0;
	if (capacity <= slot_taken)
		return 0;
	room = capacity - slot_taken;
	if (daily_cap >= 0)
	{
		if (daily_cap <= day_taken)
			return 0;
		if (daily_cap - day_taken < room)
			room = daily_cap - day_taken;
	}
	return room;
}

/*
 * sched_slot_from_name: the slot of a label, or -1.
 */
int
sched_slot_from_name(const char *name)
{
	int			i;

	for (i = 0; i < SLOT_N; i++)
		if (strcmp(name, slot_names[i]) == 0)
			return i;
	return -1;
}

/*
 * sched_slot_name: the label of a slot, or NULL.
 */
const char *
sched_slot_name(int slot)
{
	return slot >= 0 && slot < SLOT_N ? slot_names[slot] : NULL;
}

/*
 * sched_slot_hours: the local hours a slot covers.
 */
bool
sched_slot_hours(int slot, int *start_hour, int *end_hour)
{
	if (slot < 0 || slot >= SLOT_N)
		return false;
	*start_hour = slot_hours[slot][0];
	*end_hour = slot_hours[slot][1];
	return true;
}

/*
 * sched_visit_reminders: the reminders every live visit has.
 */
int
sched_visit_reminders(const SchedReminderSpec **reminders)
{
	*reminders = visit_reminders;
	return NJOBS(visit_reminders);
}

/*
 * sched_retry_delay_s: exponential backoff, without overflow for any
 * number of attempts.
 */
int64_t
sched_retry_delay_s(int attempts, int64_t base_s, int64_t max_s)
{
	int64_t		delay = base_s;
	int			i;

	if (base_s <= 0 || max_s <= 0)
		return 0;
	for (i = 1; i < attempts && delay < max_s; i++)
		delay = delay > max_s / 2 ? max_s : delay * 2;
	return delay < max_s ? delay : max_s;
}

/* sched.job_state's labels, in the enum's order */
static const char *const job_state_names[JOB_NSTATE] = {
	[JOB_PENDING] = "pending",
	[JOB_CLAIMED] = "claimed",
	[JOB_DONE] = "done",
	[JOB_DEAD] = "dead",
	[JOB_CANCELLED] = "cancelled",
};

/* The moves of an outbox job an UPDATE may make (row: from, column: to). */
static const bool job_moves[JOB_NSTATE][JOB_NSTATE] = {
	/* pending: claimed by a worker, or cancelled (with its visit) */
	[JOB_PENDING] = {[JOB_PENDING] = true, [JOB_CLAIMED] = true, [JOB_CANCELLED] = true},
	/* claimed: sent, failed (to try again, or for good), cancelled, or claimed again after its lease */
	[JOB_CLAIMED] = {[JOB_CLAIMED] = true, [JOB_DONE] = true, [JOB_PENDING] = true,
	[JOB_DEAD] = true, [JOB_CANCELLED] = true},
	[JOB_DONE] = {[JOB_DONE] = true},
	[JOB_DEAD] = {[JOB_DEAD] = true},
	[JOB_CANCELLED] = {[JOB_CANCELLED] = true},
};

/*
 * sched_job_state_from_name / sched_job_state_name: a job state's label.
 */
int
sched_job_state_from_name(const char *name)
{
	int			i;

	for (i = 0; i < JOB_NSTATE; i++)
		if (strcmp(job_state_names[i], name) == 0)
			return i;
	return -1;
}

const char *
sched_job_state_name(int state)
{
	return state >= 0 && state < JOB_NSTATE ? job_state_names[state] : NULL;
}

/*
 * sched_job_move_allowed: look the move up; a dead job goes back to
 * pending only when an admin retries it.  Sent jobs stay sent, so nothing
 * is ever sent twice by an UPDATE.
 */
bool
sched_job_move_allowed(int from, int to, bool retrying)
{
	if (from < 0 || from >= JOB_NSTATE || to < 0 || to >= JOB_NSTATE)
		return false;
	if (retrying && from == JOB_DEAD && to == JOB_PENDING)
		return true;
	return job_moves[from][to];
}

