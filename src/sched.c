/*
 * sched.c
 *		The module's entry point: PG_MODULE_MAGIC, and _PG_init, which
 *		has each part define its settings and register its caches.
 *
 * Every setting is PGC_SUSET and defined by the part that reads it: they
 * are rules (how far ahead a visit may be booked, how phone numbers are
 * read, how intent is scored), and no client may relax a rule for its own
 * session.  A DBA sets them in postgresql.conf or with ALTER SYSTEM /
 * ALTER DATABASE ... SET.  docs/design.md has the map of src/.
 */
#include "sched.h"
#include "agents.h"
#include "booking.h"
#include "chat_turn_calls.h"
#include "checks.h"
#include "clock.h"
#include "identity.h"
#include "notifier.h"
#include "outbox_calls.h"
#include "plans.h"
#include "protect.h"
#include "rowwriter.h"
#include "triggers.h"

#include "utils/guc.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * _PG_init: the settings (sched.*, a reserved prefix), the caches'
 * invalidation callbacks and, when preloaded, the notifier's shared
 * memory and worker.
 */
void
_PG_init(void)
{
	SchedChecksInit();			/* default_country_code, max_days_ahead */
	SchedClockInit();			/* timezone, business_hours */
	SchedAnnounceInit();		/* visit_intent_points, callback_intent_points */
	SchedCallbacksInit();		/* callback_max_attempts */
	SchedOutboxCallsInit();		/* job_max_attempts */
	SchedIdentityInit();		/* user_id_claim */
	SchedBookingInit();			/* max_open_visits_per_user, max_open_callbacks_per_user */
	SchedProtectInit();			/* allow_truncate */
	SchedChatTurnInit();		/* chat_session_ttl */
	MarkGUCPrefixReserved("sched");

	SchedPlansInit();
	SchedAgentsInit();
	SchedRowWriterInit();
	SchedNotifierInit();
}
