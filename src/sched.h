/*
 * sched.h
 *		What every PostgreSQL-side file of sched shares: the SQLSTATEs of
 *		our own, the constraint names errors carry and the keys of the
 *		advisory locks.  Each part declares the rest in a header of its
 *		own (plans.h, rows.h, checks.h, clock.h, agents.h, assignment.h,
 *		rowwriter.h, notifier.h, triggers.h); the pure rules, which need
 *		no PostgreSQL, are in rules.h.
 */
#ifndef SCHED_H
#define SCHED_H

#include "postgres.h"

#include "fmgr.h"

#include "rules.h"

/*
 * SQLSTATEs of our own, in PostgREST's "PTxyz -> HTTP xyz" form.  The
 * standard ones we use are 22004 (a required argument is NULL) and 22023
 * (a bad value).  docs/errors.md lists all of them.
 */
#define ERRCODE_SCHED_NOT_FOUND		MAKE_SQLSTATE('P','T','4','0','4')
#define ERRCODE_SCHED_CONFLICT		MAKE_SQLSTATE('P','T','4','0','9')
#define ERRCODE_SCHED_TOO_MANY		MAKE_SQLSTATE('P','T','4','2','9')

/*
 * The constraint name that errors carry (libpq's PG_DIAG_CONSTRAINT_NAME),
 * so that a driver can tell the two kinds of PT409 apart without parsing
 * the message.
 */
#define SCHED_CONSTRAINT_TRANSITION	"sched_status_transition"
#define SCHED_CONSTRAINT_CAPACITY	"sched_agent_capacity"
#define SCHED_CONSTRAINT_POOL		"sched_agent_pool"
#define SCHED_CONSTRAINT_FEEDBACK	"sched_feedback_once"

/*
 * First keys of sched's advisory locks (two-key form): an agent's date
 * (assignment.c), a user's idempotency key (booking.c), a user's
 * profile (rowwriter.c), a group of agent ids kept from deletion
 * (agents.c), a customer's or phone number's open items (booking.c) and
 * the writing of reminders as they come due (announce.c).  pg_locks shows
 * them as classid 1935894628, 1935894629, 1935894630, 1935894631,
 * 1935894632 and 1935894633.
 */
#define SCHED_LOCK_CLASS_AGENT_DAY	0x73636864u /* "schd" */
#define SCHED_LOCK_CLASS_KEY		0x73636865u
#define SCHED_LOCK_CLASS_PROFILE	0x73636866u
#define SCHED_LOCK_CLASS_AGENT_KEY	0x73636867u
#define SCHED_LOCK_CLASS_LIMIT		0x73636868u
#define SCHED_LOCK_CLASS_REMINDERS	0x73636869u

#endif							/* SCHED_H */
