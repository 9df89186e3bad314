/*
 * chat.h
 *		Reading a customer's chat messages: does a message ask for a site
 *		visit or a callback, what the bot answers when it does, and which
 *		contact details (name, phone, email, date, time slot) a free-text
 *		reply gives.
 *
 * Pure C, no PostgreSQL headers (see rules.h), so that test/unit links
 * chat.c into a plain test binary and a fuzzer; chat_calls.c turns these
 * into SQL functions.  Every function reads at most len bytes of its
 * input, needs no terminating NUL, accepts any bytes (NULs, invalid
 * UTF-8), allocates nothing and runs in time linear in len.  chat.c
 * documents the rules in full.
 */
#ifndef SCHED_CHAT_H
#define SCHED_CHAT_H

#include "rules.h"

#include <stdbool.h>
#include <stddef.h>

/* What a message asks for. */
typedef enum SchedIntent
{
	SCHED_INTENT_NONE = 0,
	SCHED_INTENT_SITE_VISIT,
	SCHED_INTENT_CALLBACK
} SchedIntent;

/*
 * The intent of a customer's message.  last_nudge is what the bot last
 * offered (SCHED_INTENT_NONE if nothing): a bare "yes" / "ok" / "sure"
 * / "haan ji" accepts it.  Explicit words win over the nudge; when a
 * message asks for both, the site visit wins; negated requests ("don't
 * call me", "no need to visit") count for nothing.
 */
extern SchedIntent sched_detect_intent(const char *msg, size_t len,
									   SchedIntent last_nudge);

/* "site_visit", "callback", or NULL for SCHED_INTENT_NONE (or a bad value). */
extern const char *sched_intent_name(SchedIntent intent);

/*
 * Parses an intent name of len bytes: "site_visit" or "callback", exact
 * and in lower case; NULL or empty gives SCHED_INTENT_NONE.  False (and
 * *out untouched) for anything else.
 */
extern bool sched_intent_from_name(const char *s, size_t len, SchedIntent *out);

/*
 * The text the bot adds to its answer to collect the details of a visit
 * or a callback (UTF-8, static); NULL for SCHED_INTENT_NONE.
 */
extern const char *sched_scheduling_prompt(SchedIntent intent);

/*
 * What a reply gives.  A key not found has its has_ flag false, its
 * string empty and its numbers 0 (slot -1): nothing is ever guessed.
 */
typedef struct SchedContactDetails
{
	bool		has_name;
	char		name[SCHED_MAX_NAME + 1];	/* as written, UTF-8, <= 100 bytes */
	bool		has_phone;
	char		phone[SCHED_PHONE_BUFSZ];	/* E.164, sched_normalize_phone */
	bool		has_email;
	char		email[SCHED_MAX_EMAIL + 1]; /* sched_normalize_email */
	bool		has_date;
	int			year;
	int			month;			/* 1-12 */
	int			day;			/* 1-31 */
	bool		has_slot;
	int			slot;			/* SchedSlot: 0 morning, 1 afternoon, 2 evening */
} SchedContactDetails;

/*
 * Pulls the contact details out of a free-text reply such as "My name is
 * John Doe, phone +91 98765 43210, I'm free this Saturday morning".
 * today_* is the business's local date, against which "tomorrow", "this
 * Saturday" and "18 Jan" are read; if it is not a valid date of the years
 * 1 to 9999 no date is reported.  default_cc is the country code given to
 * a ten-digit national number (as sched_normalize_phone).  *out is always
 * fully written.
 */
extern void sched_parse_contact_details(const char *msg, size_t len,
										int today_year, int today_month,
										int today_day,
										const char *default_cc,
										SchedContactDetails *out);

/*
 * Calendar helpers used by the parser, exported for the tests: whether
 * y-m-d is a real date of the proleptic Gregorian calendar (years 1 to
 * 9999), and its day number (days since 1970-01-01, may be negative).
 */
extern bool sched_valid_date(int year, int month, int day);
extern long sched_days_from_civil(int year, int month, int day);

#endif							/* SCHED_CHAT_H */
