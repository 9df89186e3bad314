/*
 * search_path.h
 *		The search_path sched's trigger functions run with, pinned in C
 *		(search_path.c).
 */
#ifndef SCHED_SEARCH_PATH_H
#define SCHED_SEARCH_PATH_H

#include "sched.h"

/* what every sched function runs with; as pg_proc.proconfig spells it */
#define SCHED_SEARCH_PATH	"pg_catalog, pg_temp"

/* fn(fcinfo) run with the search_path pinned: a trigger function's body */
extern Datum SchedPinned(PGFunction fn, FunctionCallInfo fcinfo);

#endif							/* SCHED_SEARCH_PATH_H */
