/*
 * agents.h
 *		The agents as each session keeps them (agents.c): sched.agents
 *		with, from 1.1, the project lists and the leave; the pools the
 *		round robin draws from; and the agent keys that stand in for the
 *		visits' and callbacks' foreign keys (1.2).
 */
#ifndef SCHED_AGENTS_H
#define SCHED_AGENTS_H

#include "sched.h"

#include "datatype/timestamp.h"
#include "utils/date.h"

typedef enum SchedPool
{
	POOL_VISITS,				/* active, handles_visits */
	POOL_CALLBACKS,				/* active, handles_callbacks */
	POOL_SENIOR_CALLBACKS		/* active, handles_callbacks, is_senior */
} SchedPool;

/* One row of sched.agents, as this session keeps it. */
typedef struct SchedAgent
{
	int32		agent_id;
	int32		capacity;
	int32		daily_cap;		/* -1: none (or a 1.0 schema) */
	bool		active;
	bool		handles_visits;
	bool		handles_callbacks;
	bool		is_senior;
	int32		weight;			/* 1.4: turns per cycle (1 in older schemas) */
	char	   *name;
	char	   *phone;
} SchedAgent;

extern void SchedAgentsInit(void);

/* These make the copy current, reading it again if anything changed; need SPI. */
extern SchedAgent *SchedFindAgent(int32 agent_id);
extern SchedAgent *SchedLoadPool(SchedPool pool, const char *project, int *n);
extern int	SchedTurnStart(SchedPool pool, const char *project, int64 ticket, int n);
extern bool SchedAgentInPool(int32 agent_id, SchedPool pool);
extern void SchedCheckAgentTakes(int32 agent_id, SchedPool pool);
extern bool SchedAgentContact(int32 agent_id, const char **name, const char **phone);
extern int	SchedSeniorPhones(const char ***phones);
extern const char *SchedHoliday(const char *project, DateADT visit_date);	/* 1.4 */

/* 1.3: sched.projects, kept in the same copy */
typedef enum SchedProjectStateKind
{
	PROJECT_UNKNOWN,
	PROJECT_INACTIVE,
	PROJECT_ACTIVE
} SchedProjectStateKind;

extern SchedProjectStateKind SchedProjectState(const char *project, bool *listed,
											   const char **location);
extern bool SchedCheckProjectTakesBookings(const char *project);

/*
 * These read the copy as the operation's last SchedFindAgent or
 * SchedLoadPool left it, never again, so that what those returned stays
 * valid and one operation sees one copy.
 */
extern bool SchedAgentIsIn(const SchedAgent *a, SchedPool pool);

extern bool SchedAgentTakesProject(int32 agent_id, const char *project);
extern bool SchedProjectHasList(const char *project);
extern bool SchedAgentOnLeave(int32 agent_id, TimestampTz starts_at, TimestampTz ends_at);
extern bool SchedAnyLeave(void);
extern bool SchedAgentWorks(int32 agent_id, DateADT visit_date, int slot);

/* The agent keys. */
extern void SchedHoldAgent(int32 agent_id, const char *table);
extern void SchedLockAgentKeys(int32 agent_id, bool all);
extern const char *SchedAgentReferencedFrom(int32 agent_id, bool any);

#endif							/* SCHED_AGENTS_H */
