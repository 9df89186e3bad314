/*
 * outbox_calls.h
 *		The worker's calls (outbox_calls.c) own sched.job_max_attempts.
 */
#ifndef SCHED_OUTBOX_CALLS_H
#define SCHED_OUTBOX_CALLS_H

extern void SchedOutboxCallsInit(void);

#endif							/* SCHED_OUTBOX_CALLS_H */
