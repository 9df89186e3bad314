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
 * The start of a visit's slot on a customer's clock (1.4), when the
 * customer's time zone (user_profiles.time_zone) shows another time than
 * the business's; zone NULL: not shown.
 */
typedef struct SchedCustomerClock
{
	const char *zone;			/* IANA name, "America/New_York" */
	const char *abbrev;			/* the zone's abbreviation then, "EST", "+04" */
	SchedDate	date;
	int			hour;			/* 0-23 */
	int			minute;
} SchedCustomerClock;

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
	/* 1.4: the business zone's abbreviation at the slot's start ("IST") */
	const char *zone_abbrev;
	SchedCustomerClock customer;	/* 1.4: customers' messages only */
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

/*
 * A visit's slot as a customer reads it (sched.slot_label, 1.4):
 * "Sat 17 Jan, 9 AM-12 PM IST", and when the customer's clock differs,
 * " (Fri 10:30 PM in New York)" after it.  abbrev may be NULL; customer
 * may be NULL or have no zone.
 */
extern void sched_format_slot_label(SchedDate d, int slot, const char *abbrev,
							 const SchedCustomerClock *customer, char *out, size_t outsz);

/*
 * A WhatsApp template message (1.4): WhatsApp lets a business write first,
 * or more than 24 hours after the customer's last message, only with a
 * template Meta approved: its name, language and the ordered values of
 * its {{1}}, {{2}}... (docs/notifications.md lists sched's templates).
 */
#define SCHED_WA_MAX_PARAMS		4
#define SCHED_WA_PARAM_MAX		256

typedef struct SchedWhatsAppTemplate
{
	const char *name;			/* "sched_visit_booked" */
	const char *language;		/* "en" */
	int			nparams;
	char		params[SCHED_WA_MAX_PARAMS][SCHED_WA_PARAM_MAX];
} SchedWhatsAppTemplate;

/*
 * The template of a customer's message (any template but the agents'
 * notes); false for one that has none.  Each value is one line, never
 * empty (WhatsApp refuses empty parameters).
 */
extern bool sched_whatsapp_template(const SchedMessageFacts *facts, SchedWhatsAppTemplate *out);

/* The body of a template with its {{n}} placeholders, for approval; NULL if none. */
extern const char *sched_whatsapp_template_body(const char *name);

/* "Sat", "Saturday" of a date (proleptic Gregorian); NULL if invalid. */
extern const char *sched_weekday_name(SchedDate d, bool full);

/*
 * A phone number as people write it: "+91 98765 43210" for an Indian
 * mobile number, other E.164 numbers unchanged.  out holds 24 bytes.
 */
extern void sched_display_phone(const char *e164, char *out, size_t outsz);

#endif							/* SCHED_MESSAGES_H */
