/*
 * identity.h
 *		Who is calling (identity.c): the end user of the current request,
 *		from the JWT claims PostgREST and Supabase set, and the active
 *		agent whose login that user is.  identity.c owns the setting
 *		sched.user_id_claim.
 */
#ifndef SCHED_IDENTITY_H
#define SCHED_IDENTITY_H

#include "sched.h"

extern void SchedIdentityInit(void);

/* the request's user, trimmed; NULL when the request names none */
extern char *SchedRequestUserId(void);

/* the same, or 42501 when the request names no user */
extern char *SchedRequireUser(void);

/* the active agent whose login is the request's user, or 42501 (needs SPI) */
extern int32 SchedRequireAgent(void);

#endif							/* SCHED_IDENTITY_H */
