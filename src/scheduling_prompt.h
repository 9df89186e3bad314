/*
 * scheduling_prompt.h
 *		What the chat bot adds to its answer, once a message asks for a
 *		site visit or a callback, to collect the booking's details.
 *
 * Pure C, no PostgreSQL headers; chat_calls.c makes it an SQL function.
 */
#ifndef SCHED_SCHEDULING_PROMPT_H
#define SCHED_SCHEDULING_PROMPT_H

#include "intent.h"

/*
 * The text the bot adds to its answer to collect the details of a visit
 * or a callback (UTF-8, static); NULL for SCHED_INTENT_NONE.
 */
extern const char *sched_scheduling_prompt(SchedIntent intent);

#endif							/* SCHED_SCHEDULING_PROMPT_H */
