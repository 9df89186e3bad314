/*
 * ics.h
 *		A visit as an RFC 5545 calendar invite (VCALENDAR with one
 *		VEVENT): pure C, no PostgreSQL headers, so that test/unit checks
 *		the escaping and line folding on their own.
 */
#ifndef SCHED_ICS_H
#define SCHED_ICS_H

#include <stdbool.h>
#include <stddef.h>

/* Where the text goes: called with pieces of the calendar in order. */
typedef void (*SchedIcsEmit) (void *ctx, const char *s, size_t len);

/* A moment as written in a calendar: local or UTC, to the second. */
typedef struct SchedIcsTime
{
	int			year, month, day, hour, minute, second;
} SchedIcsTime;

typedef struct SchedIcsVisit
{
	const char *uid;			/* stable: the same visit always has the same */
	int			sequence;		/* bumped on each change */
	bool		cancelled;		/* STATUS:CANCELLED and METHOD:CANCEL */
	bool		confirmed;		/* STATUS:CONFIRMED, else TENTATIVE */
	const char *tzid;			/* sched.timezone */
	int			utc_offset_s;	/* of tzid at the visit */
	SchedIcsTime start;			/* local, in tzid */
	SchedIcsTime end;
	SchedIcsTime stamp;			/* UTC: when the invite's content last changed */
	const char *summary;
	const char *location;		/* the project */
	const char *description;	/* may span lines */
	const char *organizer_name; /* the agent; NULL if none */
	const char *organizer_email;
	const char *organizer_phone;	/* E.164, used when there is no email */
	const char *attendee_name;	/* the customer */
	const char *attendee_email;
	const char *attendee_phone;
} SchedIcsVisit;

/*
 * Writes the calendar: CRLF line ends, TEXT values escaped, lines folded
 * at 75 octets without splitting a UTF-8 character.
 */
extern void sched_ics_write(const SchedIcsVisit *v, SchedIcsEmit emit, void *ctx);

#endif							/* SCHED_ICS_H */
