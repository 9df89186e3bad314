/*
 * booking.h
 *		The shared body of every booking call (booking.c): the idempotency
 *		key, the customer's open-item limits and the insert.  Owns the
 *		settings sched.max_open_visits_per_user and
 *		sched.max_open_callbacks_per_user.
 */
#ifndef SCHED_BOOKING_H
#define SCHED_BOOKING_H

#include "sched.h"

/* the arguments of book_site_visit, in order */
enum
{
	BV_USER_ID, BV_PROJECT, BV_VISIT_DATE, BV_TIME_SLOT, BV_CONTACT_NAME,
	BV_CONTACT_PHONE, BV_CONTACT_EMAIL, BV_NOTES, BV_SESSION_ID, BV_LEAD_SCORE,
	BV_IDEMPOTENCY_KEY, BV_COUNT
};

/* the arguments of request_callback, in order */
enum
{
	BC_USER_ID, BC_CONTACT_NAME, BC_CONTACT_PHONE, BC_REASON, BC_URGENCY,
	BC_CONTACT_EMAIL, BC_SESSION_ID, BC_LEAD_SCORE, BC_IDEMPOTENCY_KEY, BC_COUNT
};

extern void SchedBookingInit(void);

/*
 * Book a visit or a callback from the arguments of book_site_visit or
 * request_callback (values[i] and isnull[i] in that order); limited:
 * a customer call, held to the open-item limits.  Returns the row (of
 * sched.scheduled_visits or sched.callbacks): the new one, or the one a
 * repeated idempotency key made.
 */
extern Datum SchedBook(SchedEntity e, Datum *values, bool *isnull, bool limited);

/*
 * A customer's own booking (book_my_visit, request_my_callback, the chat):
 * SchedBook held to the limits, for user, with the lead score of the
 * user's profile, no session_id, and the history naming the customer.
 * Needs no SPI connection (makes its own).
 */
extern Datum SchedBookForCustomer(SchedEntity e, Datum *values, bool *isnull, const char *user);

#endif							/* SCHED_BOOKING_H */
