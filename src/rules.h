/*
 * rules.h
 *		The scheduling rules that need no database: contact normalisation,
 *		the status workflows, SLA arithmetic, the notification plan and the
 *		round-robin turn arithmetic.
 *
 * Nothing here includes a PostgreSQL header, so that test/unit can link
 * contact.c and workflow.c into a plain test binary and a fuzzer.  The
 * PostgreSQL side (sched.h and the files that include it) turns the result
 * codes below into ereport() calls with documented SQLSTATEs.
 */
#ifndef SCHED_RULES_H
#define SCHED_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------
 * Length limits, in characters, of the text a caller may send.
 * docs/api.md lists them; the triggers enforce them on every write.
 * ---------------------------------------------------------------------
 */
#define SCHED_MAX_NAME		100		/* contact_name, agent name */
#define SCHED_MAX_PROJECT	200		/* project */
#define SCHED_MAX_IDENT		200		/* user_id, session_id, idempotency_key */
#define SCHED_MAX_NOTE		2000	/* user_notes, rm_notes, agent_notes */
#define SCHED_MAX_SHORT		500		/* reason, outcome */
#define SCHED_MAX_EMAIL		254		/* RFC 5321 path limit */
#define SCHED_MAX_CALL_SECONDS	86400	/* call_duration_s: one day */
#define SCHED_MAX_LEAD_SCORE	100		/* lead_score: 0 to 100 */

/* A normalised phone number: '+', at most 15 digits (E.164), NUL. */
#define SCHED_PHONE_BUFSZ	17

/* ---------------------------------------------------------------------
 * contact.c
 * ---------------------------------------------------------------------
 */
typedef enum SchedTextProblem
{
	SCHED_TEXT_OK = 0,
	SCHED_TEXT_BLANK,			/* empty or only white space */
	SCHED_TEXT_CONTROL			/* a control character where none may be */
} SchedTextProblem;

typedef enum SchedPhoneProblem
{
	SCHED_PHONE_OK = 0,
	SCHED_PHONE_BLANK,			/* nothing but white space */
	SCHED_PHONE_BAD_CHAR,		/* a letter or symbol other than + ( ) - . space */
	SCHED_PHONE_BAD_PLUS,		/* a '+' anywhere but first */
	SCHED_PHONE_BAD_LENGTH,		/* not a length its country's numbering plan uses */
	SCHED_PHONE_BAD_DIGIT,		/* a country code starting with 0 */
	SCHED_PHONE_BAD_COUNTRY,	/* a country code no country uses */
	SCHED_PHONE_NOT_IN_PLAN,	/* no number of its country starts so */
	SCHED_PHONE_SERVICE			/* a toll-free or other service number */
} SchedPhoneProblem;

typedef enum SchedEmailProblem
{
	SCHED_EMAIL_OK = 0,
	SCHED_EMAIL_TOO_LONG,		/* over 254 octets, or a part over its limit */
	SCHED_EMAIL_NO_AT,			/* not exactly one '@' */
	SCHED_EMAIL_BAD_LOCAL,		/* the part before '@' */
	SCHED_EMAIL_BAD_DOMAIN		/* the part after '@' */
} SchedEmailProblem;

/*
 * Trims leading and trailing ASCII white space: *start and *len are moved
 * in place; no copy is made.
 */
extern void sched_trim(const char **start, size_t *len);

/*
 * Checks a piece of text after trimming: blank when required, control
 * characters (tab, CR and LF are allowed only when multiline).
 */
extern SchedTextProblem sched_check_text(const char *s, size_t len,
										 bool required, bool multiline);

/*
 * True if s[0..len) looks like a link or markup: "http", "www.", "://" or
 * "<" in any case, or a fullwidth or small "<".  Names and projects go
 * into the customer's SMS and email, and must not carry a link there.
 */
extern bool sched_looks_like_link(const char *s, size_t len);

/*
 * Normalises a phone number to E.164 ("+919876543210") in out, which must
 * hold SCHED_PHONE_BUFSZ bytes, when libphonenumber would call it valid.
 * default_cc is the country code, digits only, of the country whose
 * numbers may be given without one.  See contact.c for the accepted forms.
 */
extern SchedPhoneProblem sched_normalize_phone(const char *in, size_t len,
											   const char *default_cc,
											   char *out);

/* every phone plan's shapes have their prefixes sorted within each group */
extern bool sched_phone_shapes_sorted(void);

/*
 * Checks an email address and writes its normalised form (surrounding
 * white space removed, domain in lower case) to out, which must hold
 * len + 1 bytes.
 */
extern SchedEmailProblem sched_normalize_email(const char *in, size_t len,
											   char *out);

/* True if s (NUL-terminated) is a usable country code: 1-3 digits, no leading 0. */
extern bool sched_valid_country_code(const char *s);

/* One line of English, for errdetail, describing a problem code. */
extern const char *sched_phone_problem_text(SchedPhoneProblem p);
extern const char *sched_email_problem_text(SchedEmailProblem p);

/* ---------------------------------------------------------------------
 * notify_ring.c: the notifier's guards (notifier.c)
 * ---------------------------------------------------------------------
 */
/* NOTIFY takes a payload of 1 to max - 1 bytes. */
extern bool sched_notify_payload_fits(size_t len, size_t max);

/* A ring entry of len payload bytes after a header of header bytes, at pos, fits before head. */
extern bool sched_ring_entry_ok(uint32_t len, uint64_t pos, uint64_t head, size_t max, size_t header);

/* ---------------------------------------------------------------------
 * workflow.c
 * ---------------------------------------------------------------------
 */
typedef enum SchedEntity
{
	SCHED_VISIT = 0,
	SCHED_CALLBACK = 1
} SchedEntity;

/* sched.visit_status, in the enum's declaration order */
typedef enum SchedVisitStatus
{
	VISIT_PENDING = 0,
	VISIT_CONFIRMED,
	VISIT_COMPLETED,
	VISIT_CANCELLED,
	VISIT_NO_SHOW,
	VISIT_NSTATUS
} SchedVisitStatus;

/* sched.callback_status, in the enum's declaration order */
typedef enum SchedCallbackStatus
{
	CALLBACK_PENDING = 0,
	CALLBACK_CONTACTED,
	CALLBACK_COMPLETED,
	CALLBACK_NO_ANSWER,
	CALLBACK_NSTATUS
} SchedCallbackStatus;

/* sched.urgency, in the enum's declaration order */
typedef enum SchedUrgency
{
	URGENCY_URGENT = 0,
	URGENCY_HIGH,
	URGENCY_MEDIUM,
	URGENCY_LOW,
	URGENCY_N
} SchedUrgency;

/* "visit" or "callback" */
extern const char *sched_entity_name(SchedEntity e);

/* A booking's ref ("visit_000123", "-2" after a failover to timeline 2); returns its length. */
#define SCHED_REF_SIZE 48
extern size_t sched_format_ref(char *out, size_t size, SchedEntity e, int64_t id, uint32_t timeline);

/* Number of statuses of an entity's workflow. */
extern int	sched_status_count(SchedEntity e);

/* Label of a status; NULL when out of range. */
extern const char *sched_status_name(SchedEntity e, int status);

/* Status of a label, or -1 when the label is not one. */
extern int	sched_status_from_name(SchedEntity e, const char *name);

/* The urgency of a label, or -1. */
extern int	sched_urgency_from_name(const char *name);
extern const char *sched_urgency_name(int urgency);

/* True if the workflow allows the move; from == to only for listed loops. */
extern bool sched_transition_allowed(SchedEntity e, int from, int to);

/* sched.job_state, in the enum's declaration order */
typedef enum SchedJobState
{
	JOB_PENDING = 0,
	JOB_CLAIMED,
	JOB_DONE,
	JOB_DEAD,
	JOB_CANCELLED,
	JOB_NSTATE
} SchedJobState;

/* The state of a label, or -1 when the label is not one. */
extern int	sched_job_state_from_name(const char *name);
extern const char *sched_job_state_name(int state);

/*
 * True if an outbox job may move from one state to another by an UPDATE
 * (1.3): pending -> claimed -> done | pending (a failed try) | dead;
 * pending or claimed -> cancelled; a claimed job claimed again; any state
 * kept.  dead -> pending only when retrying (retry_job).
 */
extern bool sched_job_move_allowed(int from, int to, bool retrying);

/* True if a status can never be left. */
extern bool sched_status_is_final(SchedEntity e, int status);

/*
 * True if a visit in this status holds its place in a slot: only pending
 * and confirmed visits count against an agent's slot_capacity.
 */
extern bool sched_visit_holds_slot(int status);

/*
 * The timestamp column that records arriving in a status
 * ("confirmed_at", ...), or NULL if that status has none.
 */
extern const char *sched_status_stamp_column(SchedEntity e, int status);

/* True if arriving in this status is a call attempt (callbacks only). */
extern bool sched_status_counts_attempt(SchedEntity e, int status);

/* Minutes the team has to answer a callback of this urgency; -1 if bad. */
extern int	sched_sla_minutes(int urgency);

/* Where a notification goes. */
typedef enum SchedRecipient
{
	SCHED_TO_CUSTOMER_PHONE,	/* contact_phone */
	SCHED_TO_CUSTOMER_EMAIL,	/* contact_email, skipped when NULL */
	SCHED_TO_AGENT,				/* the assigned agent, skipped when none */
	SCHED_TO_SENIORS			/* every active senior agent who handles callbacks */
} SchedRecipient;

typedef struct SchedJobSpec
{
	const char *channel;		/* sched.outbox.channel */
	SchedRecipient recipient;
	const char *template_name;	/* sched.outbox.template */
} SchedJobSpec;

/* The event "created" for sched_jobs_for: the row was just booked. */
#define SCHED_EVENT_CREATED (-1)
/* The event "moved": a live visit got another date or slot (1.1). */
#define SCHED_EVENT_MOVED (-2)
/* The event "gave up": a callback reached its last attempt unanswered (1.1). */
#define SCHED_EVENT_GAVE_UP (-3)
/* The event "overdue": a callback's deadline passed without contact (1.1). */
#define SCHED_EVENT_OVERDUE (-4)

/*
 * The outbox jobs written when an entity is created (status
 * SCHED_EVENT_CREATED) or arrives in a status.  Returns how many; *jobs
 * points at a static array.
 */
extern int	sched_jobs_for(SchedEntity e, int status, const SchedJobSpec **jobs);

/*
 * Round robin: the position in a pool of n agents (ordered by agent_id)
 * where the turn numbered ticket (1, 2, 3 ...) starts looking.  Tickets
 * come from a sequence, so consecutive bookings start at consecutive
 * agents.  Returns -1 if n < 1 or ticket < 1.
 */
extern int	sched_turn_start(int64_t ticket, int n);

/*
 * Weighted turns (1.4): the order in which a pool of n agents (ordered by
 * agent_id) with weights (1 to SCHED_MAX_WEIGHT) take turns, spread
 * smoothly: each turn goes to the agent furthest from running out of time
 * for its share (an earliest-deadline order, workflow.c).  Writes one
 * whole cycle, the positions (0 to n-1) of the agents turn by turn, into
 * order (room for the sum of the weights) and returns its length, the sum
 * of the weights; credit is scratch for n values.  An agent of weight 2
 * gets two turns for one of weight 1, interleaved (A B A, not A A B);
 * equal weights give 0, 1, ..., n-1, the plain round robin; and after any
 * number of turns each agent has had its exact share (turns x weight /
 * sum of the weights) within one turn.  Returns -1 if n < 1 or a weight is
 * out of range.  The round robin takes turn number ticket at
 * order[sched_turn_start(ticket, length)].
 */
#define SCHED_MAX_WEIGHT 100
extern int	sched_weighted_turns(const int *weights, int n, int64_t *credit, int *order);

/*
 * How many more visits an agent takes in one slot: capacity (their
 * slot_capacity) less the pending or confirmed visits they have in the
 * slot, and no more than daily_cap (negative: no daily cap) less those
 * they have on the whole date.  Never negative.  The round robin, a
 * visit that names its agent and sched.available_slots all ask here, so
 * what is offered is what booking accepts.
 */
extern int64_t sched_agent_room(int64_t capacity, int64_t daily_cap,
								int64_t slot_taken, int64_t day_taken);

/*
 * Callback retries (1.1): after the attempts-th unanswered call, the next
 * is due this many minutes later (before business hours move it): one
 * hour after the first, doubling with each, at most a day.
 */
extern int	sched_callback_retry_minutes(int attempts);

/*
 * Business hours (1.1): a setting such as "09:00-18:00", local time, the
 * same every day.  Parses into minutes since midnight, open < close, close
 * at most 24:00; "00:00-24:00" is always open.  False for anything else.
 */
extern bool sched_parse_business_hours(const char *s, int *open_minute, int *close_minute);

/*
 * Minutes from minute_of_day (0-1439) until business hours are next open:
 * 0 when they are open then, else until today's or tomorrow's opening.
 */
extern int	sched_minutes_until_open(int minute_of_day, int open_minute, int close_minute);

/*
 * 1.4: an agent's working hours on a day (sched.agent_hours), as minutes
 * since local midnight, [starts, ends).  True when the ranges together
 * (they may overlap or touch) cover [from_minute, to_minute) whole.
 */
typedef struct SchedHoursRange
{
	int			starts;			/* 0-1439 */
	int			ends;			/* 1-1440, after starts */
} SchedHoursRange;

extern bool sched_hours_cover(const SchedHoursRange *ranges, int n, int from_minute, int to_minute);

/*
 * 1.4: sched.min_notice: a duration in minutes, from "2 hours", "90
 * minutes", "1 day", "2h", "30min", "1 h 30 min" or "0"; 0 to 30 days.
 * False for anything else.
 */
extern bool sched_parse_notice(const char *s, int *minutes);

/* sched.time_slot, in the enum's declaration order */
typedef enum SchedSlot
{
	SLOT_MORNING = 0,
	SLOT_AFTERNOON,
	SLOT_EVENING,
	SLOT_N
} SchedSlot;

/* The slot of a label, or -1. */
extern int	sched_slot_from_name(const char *name);
extern const char *sched_slot_name(int slot);

/*
 * The local hours a slot covers: [*start_hour, *end_hour), morning 9-12,
 * afternoon 12-15, evening 15-18.  False if slot is out of range.
 */
extern bool sched_slot_hours(int slot, int *start_hour, int *end_hour);

/*
 * A reminder of a visit: an outbox job whose run_at is minutes_before
 * the slot starts.  Queued when the visit is booked (or moved to another
 * date or slot) only if that time is still ahead: a visit booked inside
 * a reminder's window gets no such reminder, because the booking
 * confirmation just sent says the same.  Cancelled with the visit.
 */
typedef struct SchedReminderSpec
{
	SchedJobSpec job;
	int			minutes_before;
} SchedReminderSpec;

/* The reminders of a visit; *reminders points at a static array. */
extern int	sched_visit_reminders(const SchedReminderSpec **reminders);

/*
 * Seconds a failed outbox job waits before its next attempt: base_s after
 * the first failure, doubling with each one, at most max_s.  attempts is
 * the number of attempts made so far (1 after the first).
 */
extern int64_t sched_retry_delay_s(int attempts, int64_t base_s, int64_t max_s);

#endif							/* SCHED_RULES_H */
