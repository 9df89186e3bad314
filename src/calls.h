/*
 * calls.h
 *		The admin calls that the customers' and agents' own calls
 *		(customer_calls.c, agent_calls.c) run once they have checked that
 *		the item is the caller's: the same arguments, in the same order.
 */
#ifndef SCHED_CALLS_H
#define SCHED_CALLS_H

#include "sched.h"

extern PGDLLEXPORT Datum sched_set_visit_status(PG_FUNCTION_ARGS);	/* visit_calls.c */
extern PGDLLEXPORT Datum sched_reschedule_visit(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum sched_cancel_visit(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum sched_set_callback_status(PG_FUNCTION_ARGS);	/* callback_calls.c */

#endif							/* SCHED_CALLS_H */
