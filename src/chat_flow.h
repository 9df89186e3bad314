/*
 * chat_flow.h
 *		One turn of the booking conversation (sched.chat_turn, 1.4): what
 *		the customer's message changes in what the chat remembers, what to
 *		answer, and what to do.
 *
 * Pure C, no PostgreSQL headers, so that test/unit links chat_flow.c
 * into a plain test binary and a fuzzer; chat_turn_calls.c keeps the
 * memory in sched.chat_sessions, tells this file what the database knows
 * (the project, the customer's next visit) and carries out the action:
 * booking, cancelling or moving through the same calls as the customer's
 * own (book_my_visit's rules, cancel_my_visit, reschedule_my_visit).
 *
 * The conversation: a message that asks for a visit or a callback (or a
 * "yes" to the bot's nudge) starts collecting; each message's details
 * are merged into what is known (a later value replaces an earlier one);
 * the answer names only what is still missing; once nothing is, the bot
 * asks to confirm, and "yes" books.  "cancel" and "reschedule" act on the
 * customer's next visit, after a confirmation.
 */
#ifndef SCHED_CHAT_FLOW_H
#define SCHED_CHAT_FLOW_H

#include "contact_details.h"
#include "intent.h"
#include "messages.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum SchedChatState
{
	SCHED_CHAT_IDLE = 0,		/* nothing under way */
	SCHED_CHAT_COLLECTING,		/* a visit or callback, details missing */
	SCHED_CHAT_CONFIRMING,		/* everything known; asked "shall I book?" */
	SCHED_CHAT_CANCELLING,		/* asked "cancel your visit?" */
	SCHED_CHAT_RESCHEDULING,	/* asked for the visit's new date and slot */
	SCHED_CHAT_CONFIRMING_MOVE	/* asked "move your visit to ...?" */
} SchedChatState;

#define SCHED_CHAT_STATES	6

/* What the conversation remembers between messages. */
typedef struct SchedChatMemory
{
	SchedChatState state;
	SchedIntent intent;			/* what is being booked */
	SchedIntent last_nudge;		/* what the bot last offered */
	SchedContactDetails known;	/* the details collected so far */
} SchedChatMemory;

/* What the database knows for this turn. */
typedef struct SchedChatContext
{
	SchedDate	today;			/* the business's */
	const char *default_cc;		/* sched.default_country_code */
	const char *project;		/* the conversation's project, or NULL */
	const char *project_choices;	/* active projects to name, or NULL */
	bool		has_upcoming;	/* the customer's next live visit: */
	const char *upcoming_project;
	SchedDate	upcoming_date;
	int			upcoming_slot;
	const char *upcoming_ref;
} SchedChatContext;

typedef enum SchedChatAction
{
	SCHED_CHAT_NO_ACTION = 0,
	SCHED_CHAT_BOOK_VISIT,		/* known: date, slot, name, phone (email) */
	SCHED_CHAT_REQUEST_CALLBACK,	/* known: name, phone (email) */
	SCHED_CHAT_CANCEL_VISIT,	/* the upcoming visit */
	SCHED_CHAT_MOVE_VISIT		/* the upcoming visit, to known date and slot */
} SchedChatAction;

#define SCHED_CHAT_REPLY_MAX	2048

typedef struct SchedChatTurn
{
	SchedChatAction action;		/* to carry out; its answer is the caller's */
	char		reply[SCHED_CHAT_REPLY_MAX];	/* the answer when no action */
} SchedChatTurn;

/*
 * One message: reads at most len bytes (any bytes), changes *m and fills
 * *out.  With an action, the caller carries it out and then calls
 * sched_chat_after.
 */
extern void sched_chat_step(SchedChatMemory *m, const char *msg, size_t len,
							const SchedChatContext *ctx, SchedChatTurn *out);

/*
 * After the caller carried out the action: done (the conversation starts
 * over, keeping the customer's name, phone and email) or refused (the
 * date and slot are asked for again).
 */
extern void sched_chat_after(SchedChatMemory *m, SchedChatAction action, bool done);

/* A fresh conversation. */
extern void sched_chat_reset(SchedChatMemory *m);

/* "idle", "collecting", ... and back; false for an unknown name. */
extern const char *sched_chat_state_name(SchedChatState state);
extern bool sched_chat_state_from_name(const char *name, SchedChatState *out);

#endif							/* SCHED_CHAT_FLOW_H */
