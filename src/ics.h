/*
 * ics.h
 *		A visit as an RFC 5545 calendar invite (VCALENDAR with one
 *		VEVENT), and (1.4) an agent's calendar to subscribe to (one
 *		VCALENDAR, many VEVENTs, written one at a time): pure C, no
 *		PostgreSQL headers, so that test/unit checks the escaping and line
 *		folding on their own.
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

/*
 * An event: a visit's slot or (1.4, in an agent's calendar) a callback's
 * deadline.
 */
typedef struct SchedIcsVisit
{
	const char *uid;			/* stable: the same visit always has the same */
	int			sequence;		/* bumped on each change */
	bool		cancelled;		/* STATUS:CANCELLED and METHOD:CANCEL */
	bool		confirmed;		/* STATUS:CONFIRMED, else TENTATIVE */
	bool		transparent;	/* TRANSP:TRANSPARENT: leaves the time free */
	const char *tzid;			/* sched.timezone */
	int			utc_offset_s;	/* of tzid at the visit (the invite's VTIMEZONE) */
	SchedIcsTime start;			/* local, in tzid */
	SchedIcsTime end;
	SchedIcsTime stamp;			/* UTC: when the invite's content last changed */
	const char *summary;
	const char *location;		/* the project; NULL: no LOCATION */
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

/*
 * A change of the zone's UTC offset (daylight-saving time starting or
 * ending) within a calendar's days.
 */
typedef struct SchedIcsOffsetChange
{
	SchedIcsTime onset;			/* local, in the offset before the change */
	int			from_s;			/* the offset before */
	int			to_s;			/* and after */
	bool		daylight;		/* the offset after is daylight-saving time */
} SchedIcsOffsetChange;

/* A calendar to subscribe to: its name and its zone over its days. */
typedef struct SchedIcsCalendar
{
	const char *name;			/* X-WR-CALNAME and NAME: what the client shows */
	const char *tzid;			/* sched.timezone */
	int			utc_offset_s;	/* in force on the calendar's first day */
	bool		daylight;		/* that offset is daylight-saving time */
	const SchedIcsOffsetChange *changes;	/* in time order */
	int			nchanges;
	int			refresh_minutes;	/* how often a client should read it again */
} SchedIcsCalendar;

/*
 * An agent's calendar, written in three steps so that the events need not
 * all be in memory at once: the head (VCALENDAR, no METHOD: a published
 * calendar, not an invitation; and the VTIMEZONE with every offset
 * change), each event (VEVENT, as sched_ics_write writes it), the end.
 * The same rules of lines, escaping and folding.
 */
extern void sched_ics_calendar_begin(const SchedIcsCalendar *c, SchedIcsEmit emit, void *ctx);
extern void sched_ics_calendar_event(const SchedIcsVisit *v, SchedIcsEmit emit, void *ctx);
extern void sched_ics_calendar_end(SchedIcsEmit emit, void *ctx);

#endif							/* SCHED_ICS_H */
