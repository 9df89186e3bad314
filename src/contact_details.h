/*
 * contact_details.h
 *		The contact details (name, phone, email, date, time slot) a
 *		customer's free-text chat reply gives.
 *
 * Pure C, no PostgreSQL headers (see rules.h), so that test/unit links
 * contact_details.c into a plain test binary and a fuzzer; chat_calls.c
 * makes it an SQL function.  sched_parse_contact_details reads at most
 * len bytes of its input, needs no terminating NUL, accepts any bytes
 * (NULs, invalid UTF-8), allocates nothing and runs in time linear in
 * len.  contact_details.c documents the rules in full.  (contact.c is
 * another thing: it checks and normalises a phone number or an email
 * address already given as one.)
 */
#ifndef SCHED_CONTACT_DETAILS_H
#define SCHED_CONTACT_DETAILS_H

#include "rules.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * What a reply gives.  A key not found has its has_ flag false, its
 * string empty and its numbers 0 (slot -1): nothing is ever guessed.
 */
typedef struct SchedContactDetails
{
	bool		has_name;
	char		name[SCHED_MAX_NAME + 1];	/* as written, UTF-8, <= 100 bytes */
	bool		has_phone;
	char		phone[SCHED_PHONE_BUFSZ];	/* E.164, sched_normalize_phone */
	bool		has_email;
	char		email[SCHED_MAX_EMAIL + 1]; /* sched_normalize_email */
	bool		has_date;
	int			year;
	int			month;			/* 1-12 */
	int			day;			/* 1-31 */
	bool		has_slot;
	int			slot;			/* SchedSlot: 0 morning, 1 afternoon, 2 evening */
} SchedContactDetails;

/*
 * Pulls the contact details out of a free-text reply such as "My name is
 * John Doe, phone +91 98765 43210, I'm free this Saturday morning".
 * today_* is the business's local date, against which "tomorrow", "this
 * Saturday" and "18 Jan" are read; if it is not a valid date of the years
 * 1 to 9999 no date is reported.  default_cc is the country code given to
 * a ten-digit national number (as sched_normalize_phone).  *out is always
 * fully written.
 */
extern void sched_parse_contact_details(const char *msg, size_t len,
										int today_year, int today_month,
										int today_day,
										const char *default_cc,
										SchedContactDetails *out);

#endif							/* SCHED_CONTACT_DETAILS_H */
