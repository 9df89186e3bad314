/*
 * ics.c
 *		Writing a visit as an RFC 5545 calendar invite.
 *
 * The rules that matter (RFC 5545 section 3): lines end in CRLF; a
 * content line longer than 75 octets is folded by CRLF and one space, and
 * a fold must not split a multi-octet UTF-8 character; TEXT values escape
 * backslash, semicolon, comma and line breaks; parameter values that
 * hold ':' ';' or ',' are quoted and may not contain '"'; control
 * characters other than tab appear nowhere.  The time zone of DTSTART and
 * DTEND is named with TZID and described by a VTIMEZONE: an invite's has
 * the zone's UTC offset at the visit (the slots, 09:00-18:00, never
 * straddle a daylight-saving change); a calendar's (1.4) has the offset
 * of its first day and every change within its days, so that each event
 * reads in the offset of its own day.
 */
#include "ics.h"

#include <stdio.h>
#include <string.h>

#define ICS_LINE_OCTETS 75

/* A content line being written, folded as it goes. */
typedef struct Folder
{
	SchedIcsEmit emit;
	void	   *ctx;
	int			col;			/* octets on the current physical line */
} Folder;

/*
 * Utf8Length: octets of the character that starts with byte c; a byte
 * that cannot start one counts alone.
 */
static int
Utf8Length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/*
 * Put: len octets of a line, folded before any character that would pass
 * 75 octets.
 */
static void
Put(Folder *f, const char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		int			n = Utf8Length((unsigned char) s[i]);

		if ((size_t) n > len - i)
			n = (int) (len - i);
		if (f->col + n > ICS_LINE_OCTETS)
		{
			f->emit(f->ctx, "\r\n ", 3);
			f->col = 1;
		}
		f->emit(f->ctx, s + i, (size_t) n);
		f->col += n;
		i += (size_t) n;
	}
}

static void
PutString(Folder *f, const char *s)
{
	Put(f, s, strlen(s));
}

/*
 * EndLine: CRLF.
 */
static void
EndLine(Folder *f)
{
	f->emit(f->ctx, "\r\n", 2);
	f->col = 0;
}

/*
 * PutText: a TEXT value, escaped; CR is dropped (CRLF is a line break),
 * other control characters but tab are dropped.
 */
static void
PutText(Folder *f, const char *s)
{
	for (; s != NULL && *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '\\' || c == ';' || c == ',')
		{
			char		esc[2] = {'\\', (char) c};

			Put(f, esc, 2);
		}
		else if (c == '\n')
			Put(f, "\\n", 2);
		else if ((c < 0x20 && c != '\t') || c == 0x7F)
			continue;
		else
		{
			/* a whole UTF-8 character at once, so that no fold splits it */
			int			n = Utf8Length(c);
			int			k;

			for (k = 1; k < n && s[k] != '\0'; k++)
				;
			Put(f, s, (size_t) k);
			s += k - 1;
		}
	}
}

/*
 * PutParam: a quoted parameter value: no '"', no control characters.
 */
static void
PutParam(Folder *f, const char *s)
{
	Put(f, "\"", 1);
	for (; s != NULL && *s; s++)
	{
		unsigned char c = (unsigned char) *s;
		int			n;
		int			k;

		if (c == '"' || (c < 0x20 && c != '\t') || c == 0x7F)
			continue;
		n = Utf8Length(c);
		for (k = 1; k < n && s[k] != '\0'; k++)
			;
		Put(f, s, (size_t) k);
		s += k - 1;
	}
	Put(f, "\"", 1);
}

/*
 * PutParamValue: a parameter value, quoted only when it must be (it holds
 * ':', ';' or ','), as some calendars read TZID="..." badly.
 */
static void
PutParamValue(Folder *f, const char *s)
{
	if (strpbrk(s, ":;,\"") != NULL || strpbrk(s, "\t") != NULL)
		PutParam(f, s);
	else
		PutString(f, s);
}

/*
 * TextLine: NAME:VALUE with VALUE escaped as TEXT.
 */
static void
TextLine(Folder *f, const char *name, const char *value)
{
	PutString(f, name);
	Put(f, ":", 1);
	PutText(f, value);
	EndLine(f);
}

/*
 * RawLine: NAME:VALUE where VALUE needs no escaping (numbers, times,
 * enumerated values).
 */
static void
RawLine(Folder *f, const char *name, const char *value)
{
	PutString(f, name);
	Put(f, ":", 1);
	PutString(f, value);
	EndLine(f);
}

/*
 * TimeText: 20260117T090000 (local) or 20260117T033000Z (UTC).
 */
static void
TimeText(char *out, size_t outsz, const SchedIcsTime *t, bool utc)
{
	snprintf(out, outsz, "%04d%02d%02dT%02d%02d%02d%s",
			 t->year, t->month, t->day, t->hour, t->minute, t->second, utc ? "Z" : "");
}

/*
 * OffsetText: +0530, -0800, +054500 when there are seconds.
 */
static void
OffsetText(char *out, size_t outsz, int offset_s)
{
	int			a = offset_s < 0 ? -offset_s : offset_s;
	char		sign = offset_s < 0 ? '-' : '+';

	if (a % 60 != 0)
		snprintf(out, outsz, "%c%02d%02d%02d", sign, a / 3600, a / 60 % 60, a % 60);
	else
		snprintf(out, outsz, "%c%02d%02d", sign, a / 3600, a / 60 % 60);
}

/*
 * Person: ORGANIZER or ATTENDEE with CN, addressed by email or else by
 * telephone; nothing if neither is known.
 */
static void
Person(Folder *f, const char *prop, const char *params, const char *name,
	   const char *email, const char *phone)
{
	if ((email == NULL || email[0] == '\0') && (phone == NULL || phone[0] == '\0'))
		return;
	PutString(f, prop);
	if (name != NULL)
	{
		Put(f, ";CN=", 4);
		PutParam(f, name);
	}
	PutString(f, params);
	if (email != NULL && email[0] != '\0')
	{
		Put(f, ":mailto:", 8);
		PutString(f, email);
	}
	else
	{
		Put(f, ":tel:", 5);
		PutString(f, phone);
	}
	EndLine(f);
}

/*
 * Head: BEGIN:VCALENDAR and the calendar's own properties; METHOD only for
 * an invitation (a published calendar has none).
 */
static void
Head(Folder *f, const char *method)
{
	RawLine(f, "BEGIN", "VCALENDAR");
	RawLine(f, "VERSION", "2.0");
	RawLine(f, "PRODID", "-//sched//site visits//EN");
	RawLine(f, "CALSCALE", "GREGORIAN");
	if (method != NULL)
		RawLine(f, "METHOD", method);
}

/*
 * Observance: one STANDARD or DAYLIGHT part of a VTIMEZONE: from onset
 * (local, in offset from_s; NULL: 1970, that is, from the start), the
 * offset is to_s.
 */
static void
Observance(Folder *f, bool daylight, const SchedIcsTime *onset, int from_s, int to_s)
{
	char		t[32];

	RawLine(f, "BEGIN", daylight ? "DAYLIGHT" : "STANDARD");
	if (onset != NULL)
		TimeText(t, sizeof(t), onset, false);
	else
		snprintf(t, sizeof(t), "19700101T000000");
	RawLine(f, "DTSTART", t);
	OffsetText(t, sizeof(t), from_s);
	RawLine(f, "TZOFFSETFROM", t);
	OffsetText(t, sizeof(t), to_s);
	RawLine(f, "TZOFFSETTO", t);
	RawLine(f, "END", daylight ? "DAYLIGHT" : "STANDARD");
}

/*
 * LocalTimeLine: NAME;TZID=zone:20260117T090000.
 */
static void
LocalTimeLine(Folder *f, const char *name, const char *tzid, const SchedIcsTime *at)
{
	char		t[32];

	PutString(f, name);
	PutString(f, ";TZID=");
	PutParamValue(f, tzid);
	TimeText(t, sizeof(t), at, false);
	Put(f, ":", 1);
	PutString(f, t);
	EndLine(f);
}

/*
 * Event: one VEVENT.
 */
static void
Event(Folder *f, const SchedIcsVisit *v)
{
	char		t[32];
	char		seq[16];

	RawLine(f, "BEGIN", "VEVENT");
	TextLine(f, "UID", v->uid);
	snprintf(seq, sizeof(seq), "%d", v->sequence < 0 ? 0 : v->sequence);
	RawLine(f, "SEQUENCE", seq);
	TimeText(t, sizeof(t), &v->stamp, true);
	RawLine(f, "DTSTAMP", t);
	LocalTimeLine(f, "DTSTART", v->tzid, &v->start);
	LocalTimeLine(f, "DTEND", v->tzid, &v->end);
	TextLine(f, "SUMMARY", v->summary);
	if (v->location != NULL && v->location[0] != '\0')
		TextLine(f, "LOCATION", v->location);
	if (v->description != NULL && v->description[0] != '\0')
		TextLine(f, "DESCRIPTION", v->description);
	Person(f, "ORGANIZER", "", v->organizer_name, v->organizer_email, v->organizer_phone);
	Person(f, "ATTENDEE", ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION", v->attendee_name,
		   v->attendee_email, v->attendee_phone);
	RawLine(f, "STATUS", v->cancelled ? "CANCELLED" : v->confirmed ? "CONFIRMED" : "TENTATIVE");
	RawLine(f, "TRANSP", v->transparent ? "TRANSPARENT" : "OPAQUE");
	RawLine(f, "END", "VEVENT");
}

/*
 * sched_ics_write: the whole VCALENDAR of an invite.
 */
void
sched_ics_write(const SchedIcsVisit *v, SchedIcsEmit emit, void *ctx)
{
	Folder		f = {emit, ctx, 0};

	Head(&f, v->cancelled ? "CANCEL" : "REQUEST");
	RawLine(&f, "BEGIN", "VTIMEZONE");
	TextLine(&f, "TZID", v->tzid);
	Observance(&f, false, NULL, v->utc_offset_s, v->utc_offset_s);
	RawLine(&f, "END", "VTIMEZONE");
	Event(&f, v);
	RawLine(&f, "END", "VCALENDAR");
}

/*
 * sched_ics_calendar_begin: a published calendar's head and its
 * VTIMEZONE: the offset of its first day from the start, then each
 * change.  X-WR-CALNAME and X-PUBLISHED-TTL are what Google Calendar and
 * Outlook read; NAME and REFRESH-INTERVAL are their RFC 7986 forms.
 */
void
sched_ics_calendar_begin(const SchedIcsCalendar *c, SchedIcsEmit emit, void *ctx)
{
	Folder		f = {emit, ctx, 0};
	char		ttl[32];
	int			i;

	Head(&f, NULL);
	TextLine(&f, "NAME", c->name);
	TextLine(&f, "X-WR-CALNAME", c->name);
	TextLine(&f, "X-WR-TIMEZONE", c->tzid);
	snprintf(ttl, sizeof(ttl), "PT%dM", c->refresh_minutes > 0 ? c->refresh_minutes : 60);
	RawLine(&f, "REFRESH-INTERVAL;VALUE=DURATION", ttl);
	RawLine(&f, "X-PUBLISHED-TTL", ttl);
	RawLine(&f, "BEGIN", "VTIMEZONE");
	TextLine(&f, "TZID", c->tzid);
	Observance(&f, c->daylight, NULL, c->utc_offset_s, c->utc_offset_s);
	for (i = 0; i < c->nchanges; i++)
		Observance(&f, c->changes[i].daylight, &c->changes[i].onset,
				   c->changes[i].from_s, c->changes[i].to_s);
	RawLine(&f, "END", "VTIMEZONE");
}

/*
 * sched_ics_calendar_event: one event of a published calendar.
 */
void
sched_ics_calendar_event(const SchedIcsVisit *v, SchedIcsEmit emit, void *ctx)
{
	Folder		f = {emit, ctx, 0};

	Event(&f, v);
}

/*
 * sched_ics_calendar_end: END:VCALENDAR.
 */
void
sched_ics_calendar_end(SchedIcsEmit emit, void *ctx)
{
	Folder		f = {emit, ctx, 0};

	RawLine(&f, "END", "VCALENDAR");
}
