/*
 * intent.h
 *		Does a customer's chat message ask for a site visit or a callback,
 *		and the SQL names of the intents.
 *
 * Pure C, no PostgreSQL headers, so that test/unit links intent.c into a
 * plain test binary and a fuzzer; chat_calls.c turns these into SQL
 * functions.  sched_detect_intent reads at most len bytes of its input,
 * needs no terminating NUL, accepts any bytes (NULs, invalid UTF-8),
 * allocates nothing and runs in time linear in len.  intent.c documents
 * the rules in full.
 */
#ifndef SCHED_INTENT_H
#define SCHED_INTENT_H

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

/*
 * A bare affirmative ("yes", "ok go ahead", "haan ji"), the words a nudge
 * takes as accepting it, and nothing more (1.4: the chat's confirmations).
 */
extern bool sched_is_bare_yes(const char *msg, size_t len);

/* "site_visit", "callback", or NULL for SCHED_INTENT_NONE (or a bad value). */
extern const char *sched_intent_name(SchedIntent intent);

/*
 * Parses an intent name of len bytes: "site_visit" or "callback", exact
 * and in lower case; NULL or empty gives SCHED_INTENT_NONE.  False (and
 * *out untouched) for anything else.
 */
extern bool sched_intent_from_name(const char *s, size_t len, SchedIntent *out);

#endif							/* SCHED_INTENT_H */
