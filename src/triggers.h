/*
 * triggers.h
 *		What the BEFORE triggers of visits and callbacks (visit_guard.c,
 *		callback_guard.c) and the AFTER trigger that announces their
 *		changes (announce.c) share (triggers.c).
 */
#ifndef SCHED_TRIGGERS_H
#define SCHED_TRIGGERS_H

#include "sched.h"
#include "rows.h"

#include "commands/trigger.h"

/* The triggers' settings, defined once by _PG_init. */
extern void SchedCallbacksInit(void);	/* callback_guard.c */
extern void SchedAnnounceInit(void);	/* announce.c */

/* announce.c: the reminders that came within the horizon (claim_jobs) */
extern void SchedQueueDueReminders(void);

/* set by the booking calls while they insert: errors name arguments */
extern bool sched_naming_arguments;

/* set by a call while it updates: the note status_history records */
extern const char *sched_change_note;

/* set by a customer's or agent's own call: whom status_history names */
extern const char *sched_change_actor;
extern Datum SchedCallFor(const char *actor, PGFunction fn, FunctionCallInfo fcinfo);

/* the calls refuse to write when the table's guard or announce trigger would not fire */
extern void SchedRequireTriggers(SchedEntity e);

extern TriggerData *SchedCheckTriggerCall(FunctionCallInfo fcinfo,
										  const char *name, bool before);
extern bool SchedColumnAssigned(TriggerData *trigdata, SchedRow *row, int c);
extern bool SchedIsImport(SchedRow *row, int created_col);
extern bool SchedIsStatusMove(TriggerData *trigdata, SchedRow *row,
							  const EntityColumns *cols,
							  int old_status, int new_status);
extern void SchedCheckMove(SchedEntity e, int64 id, int from, int to);

/*
 * Checks of one column, made when the statement assigns it (every column
 * of an INSERT, the SET list of an UPDATE), writing back the normalised
 * value.  Errors name the column, which is also the argument of the
 * sched calls (SchedGuardTextAs names it otherwise).
 */
extern void SchedGuardText(TriggerData *td, SchedRow *row, int c, int max_chars,
						   bool required, bool multiline);
extern void SchedGuardTextAs(TriggerData *td, SchedRow *row, int c, const char *name,
							 int max_chars, bool required, bool multiline);
extern void SchedGuardNoLink(TriggerData *td, SchedRow *row, int c);
extern void SchedGuardPhone(TriggerData *td, SchedRow *row, int c);
extern void SchedGuardEmail(TriggerData *td, SchedRow *row, int c);
extern void SchedGuardRequired(TriggerData *td, SchedRow *row, int c);
extern void SchedGuardRange(TriggerData *td, SchedRow *row, int c, int32 min, int32 max);

/* What a new booking and an update of either table must respect. */
extern void SchedRequirePending(SchedRow *row, const EntityColumns *cols);
extern void SchedStampNow(SchedRow *row, int c);
extern bool SchedGuardUpdate(TriggerData *td, SchedRow *old, SchedRow *new,
							 const EntityColumns *cols);

/* How one booking table's BEFORE trigger treats its rows. */
typedef struct SchedGuardRules
{
	const char *name;			/* the trigger function's, for errors */
	SchedEntity entity;
	void		(*check_columns) (TriggerData *td, SchedRow *row);
	void		(*new_row) (SchedRow *row);
	void		(*imported_row) (SchedRow *row);	/* NULL: kept as given */
	void		(*update) (TriggerData *td, SchedRow *old, SchedRow *new);
} SchedGuardRules;

extern Datum SchedGuard(FunctionCallInfo fcinfo, const SchedGuardRules *rules);

#endif							/* SCHED_TRIGGERS_H */
