/*
 * notifier.h
 *		NOTIFY sched at commit, through a background worker when sched is
 *		in shared_preload_libraries (notifier.c).
 */
#ifndef SCHED_NOTIFIER_H
#define SCHED_NOTIFIER_H

#include "sched.h"

extern void SchedNotifierInit(void);
extern void SchedNotify(const char *payload);

#endif							/* SCHED_NOTIFIER_H */
