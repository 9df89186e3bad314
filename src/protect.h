/*
 * protect.h
 *		The triggers that keep sched's records from being edited behind
 *		its rules (protect_triggers.c, 1.3), and the two calls allowed
 *		past them: retrying a dead job and erasing a user.  Owns the
 *		setting sched.allow_truncate.
 */
#ifndef SCHED_PROTECT_H
#define SCHED_PROTECT_H

#include "sched.h"

extern void SchedProtectInit(void);

/* set by retry_job while it moves a dead job back to pending */
extern bool sched_retrying_job;

/* set by erase_user while it blanks the user's history notes */
extern bool sched_erasing;

#endif							/* SCHED_PROTECT_H */
