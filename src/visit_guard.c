/*
 * visit_guard.c
 *		The BEFORE INSERT OR UPDATE trigger of scheduled_visits: every
 *		write, from a sched call, PostgREST or a DBA's psql, passes
 *		through it.
 *
 * On every write: required columns are present, text is trimmed and
 * within its length, phone numbers are normalised to E.164, emails are
 * checked.  A new booking starts pending, on a date in the booking window
 * and (1.1) in a slot that is not over, at the transaction's time, with an
 * agent who takes the project's visits, is not on leave and has room
 * (round robin unless the row names one).  On an update: a status move
 * must be one the workflow allows and stamps its time (triggers.c); a
 * live visit moved to another agent, date, slot or project takes a place
 * there.  An import (triggers.c) is checked but keeps what it brings.
 */
#include "sched.h"
#include "agents.h"
#include "assignment.h"
#include "checks.h"
#include "clock.h"
#include "plans.h"
#include "search_path.h"
#include "triggers.h"

PG_FUNCTION_INFO_V1(sched_visit_guard);

/*
 * CheckVisitColumns: in the order of book_site_visit's arguments, so that
 * the first bad argument is the one reported.
 */
static void
CheckVisitColumns(TriggerData *td, SchedRow *row)
{
	SchedGuardText(td, row, VC_USER_ID, SCHED_MAX_IDENT, true, false);
	SchedGuardText(td, row, VC_PROJECT, SCHED_MAX_PROJECT, true, false);
	SchedGuardRequired(td, row, VC_VISIT_DATE);
	SchedGuardRequired(td, row, VC_TIME_SLOT);
	SchedGuardText(td, row, VC_CONTACT_NAME, SCHED_MAX_NAME, true, false);
	SchedGuardNoLink(td, row, VC_CONTACT_NAME);
	SchedGuardPhone(td, row, VC_CONTACT_PHONE);
	SchedGuardEmail(td, row, VC_CONTACT_EMAIL);
	/* book_site_visit's argument notes is the column user_notes */
	SchedGuardTextAs(td, row, VC_USER_NOTES, sched_naming_arguments ? "notes" : "user_notes",
				SCHED_MAX_NOTE, false, true);
	SchedGuardText(td, row, VC_SESSION_ID, SCHED_MAX_IDENT, false, false);
	SchedGuardRange(td, row, VC_LEAD_SCORE, 0, SCHED_MAX_LEAD_SCORE);
	SchedGuardText(td, row, VC_IDEMPOTENCY_KEY, SCHED_MAX_IDENT, false, false);
	SchedGuardText(td, row, VC_RM_NOTES, SCHED_MAX_NOTE, false, true);
	SchedGuardRequired(td, row, VC_STATUS);
}

/*
 * PlaceVisit: a visit that is new (old NULL) or moves takes a place: with
 * the agent whose turn it is when agent_id is NULL, else with the agent
 * it names, who must take such visits.
 */
static void
PlaceVisit(SchedRow *row, SchedRow *old)
{
	DateADT		visit_date = DatumGetDateADT(ROW_VALUE(row, VC_VISIT_DATE));
	Datum		time_slot = ROW_VALUE(row, VC_TIME_SLOT);
	int64		visit_id = DatumGetInt64(ROW_VALUE(row, VC_VISIT_ID));
	char	   *project = SchedRowText(row, VC_PROJECT);

	if (ROW_ISNULL(row, VC_AGENT_ID))
	{
		SchedRowSet(row, VC_AGENT_ID,
					Int32GetDatum(SchedAssignVisitAgent(project, visit_date, time_slot, visit_id)),
					false);
		return;
	}
	if (old == NULL || !SchedRowEqual(old, row, VC_AGENT_ID))
		SchedCheckAgentTakes(DatumGetInt32(ROW_VALUE(row, VC_AGENT_ID)), POOL_VISITS);
	SchedClaimVisitPlace(DatumGetInt32(ROW_VALUE(row, VC_AGENT_ID)), project,
						 visit_date, time_slot, visit_id);
}

/*
 * CheckProject (1.3): while sched.projects has rows, a visit names an
 * active one; while it is empty any project goes (1.2's rule), but not
 * one that looks like a link, for it is spliced into the customer's
 * messages (SchedCheckNoLink).
 */
static void
CheckProject(SchedRow *row)
{
	const char *project = SchedRowText(row, VC_PROJECT);

	if (SchedSchemaVersion() >= SCHED_SCHEMA_13 && !SchedCheckProjectTakesBookings(project))
		SchedCheckNoLink(project, "project");
}

/*
 * GuardNewVisit: a booking starts pending, inside the booking window and
 * (1.1) in a slot that is not over (1.4: that starts after the minimum
 * notice, on no holiday), at now(), with an agent who has room.
 */
static void
GuardNewVisit(SchedRow *row)
{
	DateADT		visit_date = DatumGetDateADT(ROW_VALUE(row, VC_VISIT_DATE));
	Datum		time_slot = ROW_VALUE(row, VC_TIME_SLOT);

	SchedRequirePending(row, SchedEntityColumns(SCHED_VISIT));
	CheckProject(row);
	SchedCheckVisitDate(visit_date, "visit_date");
	if (SchedSchemaVersion() >= SCHED_SCHEMA_11)
		SchedCheckSlotOpen(visit_date, time_slot);
	if (SchedSchemaVersion() >= SCHED_SCHEMA_14)
		SchedCheckNotice(visit_date, time_slot);
	SchedCheckNotHoliday(SchedRowText(row, VC_PROJECT), visit_date);
	SchedStampNow(row, VC_CREATED_AT);
	SchedStampNow(row, VC_UPDATED_AT);
	SchedRowSet(row, VC_CONFIRMED_AT, (Datum) 0, true);
	SchedRowSet(row, VC_COMPLETED_AT, (Datum) 0, true);
	SchedRowSet(row, VC_CANCELLED_AT, (Datum) 0, true);
	PlaceVisit(row, NULL);
}

/*
 * GuardVisitUpdate: a live visit that moves to another agent, date, slot
 * or project takes a place there (agent_id set to NULL: round robin
 * again), with an agent who takes the project's visits.
 */
static void
GuardVisitUpdate(TriggerData *td, SchedRow *old, SchedRow *new)
{
	DateADT		visit_date;
	Datum		time_slot;

	(void) SchedGuardUpdate(td, old, new, SchedEntityColumns(SCHED_VISIT));
	if (!SchedRowEqual(old, new, VC_PROJECT))
		CheckProject(new);
	if (!sched_visit_holds_slot(SchedRowStatus(new, SCHED_VISIT, VC_STATUS)))
		return;
	if (SchedRowEqual(old, new, VC_AGENT_ID) &&
		SchedRowEqual(old, new, VC_VISIT_DATE) &&
		SchedRowEqual(old, new, VC_TIME_SLOT) &&
		SchedRowEqual(old, new, VC_PROJECT))
		return;

	visit_date = DatumGetDateADT(ROW_VALUE(new, VC_VISIT_DATE));
	time_slot = ROW_VALUE(new, VC_TIME_SLOT);
	if (!SchedRowEqual(old, new, VC_VISIT_DATE))
		SchedCheckVisitDate(visit_date, "visit_date");
	if ((!SchedRowEqual(old, new, VC_VISIT_DATE) || !SchedRowEqual(old, new, VC_TIME_SLOT)) &&
		SchedSchemaVersion() >= SCHED_SCHEMA_11)
	{
		SchedCheckSlotOpen(visit_date, time_slot);
		if (SchedSchemaVersion() >= SCHED_SCHEMA_14)
			SchedCheckNotice(visit_date, time_slot);
	}
	if (!SchedRowEqual(old, new, VC_VISIT_DATE) || !SchedRowEqual(old, new, VC_PROJECT))
		SchedCheckNotHoliday(SchedRowText(new, VC_PROJECT), visit_date);
	PlaceVisit(new, old);
}

/*
 * sched_visit_guard: BEFORE INSERT OR UPDATE on scheduled_visits.  An
 * import keeps its date, slot, agent and status as given.
 */
static Datum
VisitGuard(PG_FUNCTION_ARGS)
{
	static const SchedGuardRules rules = {
		.name = "visit_guard",
		.entity = SCHED_VISIT,
		.check_columns = CheckVisitColumns,
		.new_row = GuardNewVisit,
		.imported_row = NULL,
		.update = GuardVisitUpdate,
	};

	return SchedGuard(fcinfo, &rules);
}

Datum
sched_visit_guard(PG_FUNCTION_ARGS)
{
	return SchedPinned(VisitGuard, fcinfo);
}
