/*
 * search_path.c
 *		The trigger functions' pinned search_path.
 *
 * Every sched trigger function runs with search_path = pg_catalog,
 * pg_temp, whoever made the change and with whatever search_path, so that
 * nothing planted in a schema on a DBA's or an application's path is
 * resolved by its SQL (1.3).  The calls pin it with SET search_path in
 * their definitions; the trigger functions (1.4) pin it here instead.  A
 * function's SET clause makes PostgreSQL save, set and restore the setting
 * around every call (about 9,000 instructions), although the triggers
 * almost always fire inside one of sched's own calls, which has pinned the
 * same path already: PinSearchPath sets it only when it is not in
 * force, the way the SET clause would (a new GUC nest level; an error
 * rolls it back with the transaction or subtransaction, as for the SET
 * clause).
 */
#include "sched.h"
#include "search_path.h"

#include "catalog/namespace.h"
#include "utils/guc.h"

/*
 * PinSearchPath: from here on the search_path is SCHED_SEARCH_PATH;
 * returns what UnpinSearchPath takes to put the caller's back.
 */
static int
PinSearchPath(void)
{
	int			nest;

	if (namespace_search_path != NULL &&
		strcmp(namespace_search_path, SCHED_SEARCH_PATH) == 0)
		return -1;
	nest = NewGUCNestLevel();
	(void) set_config_option("search_path", SCHED_SEARCH_PATH, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nest;
}

/*
 * UnpinSearchPath: the search_path the trigger was called with.
 */
static void
UnpinSearchPath(int pin)
{
	if (pin >= 0)
		AtEOXact_GUC(true, pin);
}

/*
 * SchedPinned: a trigger function's body, fn, run with the search_path
 * pinned.
 */
Datum
SchedPinned(PGFunction fn, FunctionCallInfo fcinfo)
{
	int			pin = PinSearchPath();
	Datum		result = fn(fcinfo);

	UnpinSearchPath(pin);
	return result;
}
