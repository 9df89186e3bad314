/*
 * messages.h
 *		The texts customers and agents receive, rendered from an outbox
 *		job's template and facts: pure C, no PostgreSQL headers (see
 *		rules.h), so that test/unit checks every template.
 */
#ifndef SCHED_MESSAGES_H
#define SCHED_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>

/* A calendar date; year 0 means none. */
typedef struct SchedDate
{
	int			year;
	int			month;			/* 1-12 */
	int			day;			/* 1-31 */
} SchedDate;

/*
 * What a message may say.  Strings are NUL-terminated UTF-8 or NULL when
 * unknown; the renderer writes what it has and leaves out what it has not.
 */
typedef struct SchedMessageFacts
{
	const char *template_name;	/* sched.outbox.template */
	const char *channel;		/* email, sms, whatsapp, agent */
	const char *ref;
	const char *project;
	const char *contact_name;
	const char *contact_phone;	/* E.164 */
	const char *agent_name;
	const char *agent_phone;	/* E.164 */
	const char *reason;			/* callbacks */
	int			urgency;		/* SchedUrgency, -1 for visits */
	SchedDate	visit_date;
	int			slot;			/* SchedSlot, -1 if none */
	SchedDate	due_date;		/* callbacks: the deadline, local */
	int			due_hour;		/* 0-23 */
	int			due_minute;
} SchedMessageFacts;

#define SCHED_SUBJECT_MAX	256
#define SCHED_BODY_MAX		4096

typedef struct SchedMessage
{
	bool		has_subject;	/* email only */
	char		subject[SCHED_SUBJECT_MAX];
	char		body[SCHED_BODY_MAX];
} SchedMessage;

/*
 * Renders the message of a job.  False if the template or channel is not
 * one sched writes (the output is then empty).
 */
extern bool sched_message_render(const SchedMessageFacts *facts, SchedMessage *out);

/* "Sat", "Saturday" of a date (proleptic Gregorian); NULL if invalid. */
extern const char *sched_weekday_name(SchedDate d, bool full);

/*
 * A phone number as people write it: "+91 98765 43210" for an Indian
 * mobile number, other E.164 numbers unchanged.  out holds 24 bytes.
 */
extern void sched_display_phone(const char *e164, char *out, size_t outsz);

#endif							/* SCHED_MESSAGES_H */
