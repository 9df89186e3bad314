/*
 * assignment.h
 *		Round-robin assignment and the capacity of an agent's slot and
 *		day (assignment.c).
 */
#ifndef SCHED_ASSIGNMENT_H
#define SCHED_ASSIGNMENT_H

#include "sched.h"
#include "agents.h"

#include "utils/date.h"

/* All need SPI. */
extern int32 SchedAssignVisitAgent(const char *project, DateADT visit_date, Datum time_slot,
								   int64 visit_id);
extern int32 SchedAssignCallbackAgent(bool urgent);
extern void SchedClaimVisitPlace(int32 agent_id, const char *project, DateADT visit_date,
								 Datum time_slot, int64 visit_id);
extern bool SchedAgentHasRoom(int32 agent_id, const char *project, DateADT visit_date,
							  Datum time_slot, int64 visit_id);

/* The visits an agent holds in the slot and on the date being counted. */
typedef void (*SchedTakenFn) (void *arg, int32 agent_id, int64 *slot_taken, int64 *day_taken);
extern void SchedCheckNotHoliday(const char *project, DateADT visit_date);
extern int64 SchedFreePlaces(const char *project, DateADT visit_date, Datum time_slot,
							 TimestampTz starts_at, TimestampTz ends_at,
							 SchedTakenFn taken, void *arg);

#endif							/* SCHED_ASSIGNMENT_H */
