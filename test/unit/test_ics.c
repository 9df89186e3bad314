/*
 * test_ics.c
 *		Unit tests of src/ics.c: RFC 5545 line ends, folding at 75 octets
 *		without splitting UTF-8 characters, TEXT escaping and parameter
 *		quoting, in an invite and (1.4) in an agent's calendar.
 */
#include "ics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	checks_run = 0;
static int	checks_failed = 0;

#define CHECK(cond, what) \
	do { checks_run++; if (!(cond)) { checks_failed++; \
		printf("FAILED %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, what); } } while (0)

static char out[65536];
static size_t outlen;

/*
 * Collect: the writer's output into out[].
 */
static void
Collect(void *ctx, const char *s, size_t len)
{
	(void) ctx;
	if (outlen + len < sizeof(out))
	{
		memcpy(out + outlen, s, len);
		outlen += len;
		out[outlen] = '\0';
	}
}

/*
 * Visit: the seed's visit.
 */
static SchedIcsVisit
Visit(void)
{
	SchedIcsVisit v;

	memset(&v, 0, sizeof(v));
	v.uid = "visit_000001@sales.sched";
	v.sequence = 1;
	v.confirmed = true;
	v.tzid = "Asia/Kolkata";
	v.utc_offset_s = 19800;
	v.start = (SchedIcsTime) {2026, 1, 17, 9, 0, 0};
	v.end = (SchedIcsTime) {2026, 1, 17, 12, 0, 0};
	v.stamp = (SchedIcsTime) {2026, 1, 14, 4, 5, 6};
	v.summary = "Site visit: Brigade Citrine";
	v.location = "Brigade Citrine";
	v.description = "Site visit visit_000001 to Brigade Citrine.";
	v.organizer_name = "Priya Sharma";
	v.organizer_email = "priya@example.com";
	v.attendee_name = "John Doe";
	v.attendee_phone = "+919876543210";
	return v;
}

/*
 * Render: write v into out[].
 */
static void
Render(const SchedIcsVisit *v)
{
	outlen = 0;
	out[0] = '\0';
	sched_ics_write(v, Collect, NULL);
}

/*
 * CheckLines: every line ends in CRLF, is at most 75 octets, and no fold
 * splits a UTF-8 character (a continuation line never starts with a
 * continuation byte after its space).
 */
static void
CheckLines(const char *what)
{
	const char *p = out;

	CHECK(outlen >= 2 && out[outlen - 2] == '\r' && out[outlen - 1] == '\n', what);
	while (*p)
	{
		const char *e = strstr(p, "\r\n");

		CHECK(e != NULL, what);
		if (e == NULL)
			return;
		CHECK(e - p <= 75, what);
		CHECK(memchr(p, '\n', (size_t) (e - p)) == NULL, what);
		if (*p == ' ')
			CHECK(((unsigned char) p[1] & 0xC0) != 0x80, what);
		p = e + 2;
	}
}

/*
 * Unfolded: out[] with every CRLF+space removed.
 */
static char *
Unfolded(void)
{
	static char u[65536];
	size_t		i;
	size_t		o = 0;

	for (i = 0; i < outlen; i++)
	{
		if (out[i] == '\r' && out[i + 1] == '\n' && out[i + 2] == ' ')
		{
			i += 2;
			continue;
		}
		u[o++] = out[i];
	}
	u[o] = '\0';
	return u;
}

/*
 * RenderCalendar: a calendar of the given events into out[], in London's
 * zone with its two changes of a year.
 */
static void
RenderCalendar(const char *name, const SchedIcsVisit *events, int n)
{
	static const SchedIcsOffsetChange changes[] = {
		{{2026, 3, 29, 1, 0, 0}, 0, 3600, true},
		{{2026, 10, 25, 2, 0, 0}, 3600, 0, false},
	};
	SchedIcsCalendar c;
	int			i;

	memset(&c, 0, sizeof(c));
	c.name = name;
	c.tzid = "Europe/London";
	c.utc_offset_s = 0;
	c.changes = changes;
	c.nchanges = 2;
	c.refresh_minutes = 60;
	outlen = 0;
	out[0] = '\0';
	sched_ics_calendar_begin(&c, Collect, NULL);
	for (i = 0; i < n; i++)
		sched_ics_calendar_event(&events[i], Collect, NULL);
	sched_ics_calendar_end(Collect, NULL);
}

/*
 * Count: how many times s occurs in u.
 */
static int
Count(const char *u, const char *s)
{
	int			n = 0;

	for (u = strstr(u, s); u != NULL; u = strstr(u + 1, s))
		n++;
	return n;
}

/*
 * CheckCalendar: an agent's calendar (1.4): no METHOD, its name escaped,
 * a VTIMEZONE with the first day's offset and each change, one VEVENT
 * per event, a callback's deadline transparent and without LOCATION,
 * long names folded.
 */
static void
CheckCalendar(void)
{
	SchedIcsVisit ev[3];
	char		longname[400];
	char	   *u;
	int			i;

	ev[0] = Visit();
	ev[0].confirmed = false;
	ev[0].tzid = "Europe/London";
	ev[1] = Visit();
	ev[1].uid = "visit_000002@sales.sched";
	ev[1].tzid = "Europe/London";
	ev[1].start = (SchedIcsTime) {2026, 7, 4, 15, 0, 0};
	ev[1].end = (SchedIcsTime) {2026, 7, 4, 18, 0, 0};
	ev[2] = Visit();
	ev[2].uid = "callback_000007@sales.sched";
	ev[2].sequence = 0;
	ev[2].tzid = "Europe/London";
	ev[2].transparent = true;
	ev[2].location = NULL;
	ev[2].summary = "Call back: Asha Rao, +919876543210 (urgent)";
	ev[2].start = (SchedIcsTime) {2026, 7, 4, 10, 30, 0};
	ev[2].end = (SchedIcsTime) {2026, 7, 4, 10, 45, 0};

	RenderCalendar("sched: Priya Sharma, RM; Bangalore", ev, 3);
	CheckLines("calendar");
	u = Unfolded();
	CHECK(strncmp(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0, "calendar header");
	CHECK(strstr(u, "METHOD") == NULL, "a published calendar has no METHOD");
	CHECK(strstr(u, "\r\nX-WR-CALNAME:sched: Priya Sharma\\, RM\\; Bangalore\r\n") != NULL, "name escaped");
	CHECK(strstr(u, "\r\nNAME:sched: Priya Sharma\\, RM\\; Bangalore\r\n") != NULL, "RFC 7986 name");
	CHECK(strstr(u, "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT60M\r\nX-PUBLISHED-TTL:PT60M\r\n") != NULL, "refresh");
	CHECK(Count(u, "BEGIN:VTIMEZONE\r\n") == 1 && Count(u, "\r\nTZID:Europe/London\r\n") == 1, "one VTIMEZONE");
	CHECK(strstr(u, "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\n") != NULL,
		  "the first day's offset from the start");
	CHECK(strstr(u, "BEGIN:DAYLIGHT\r\nDTSTART:20260329T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nEND:DAYLIGHT\r\n") != NULL,
		  "summer time starts");
	CHECK(strstr(u, "BEGIN:STANDARD\r\nDTSTART:20261025T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\n") != NULL,
		  "and ends");
	CHECK(Count(u, "BEGIN:VEVENT\r\n") == 3 && Count(u, "END:VEVENT\r\n") == 3, "three events");
	CHECK(strstr(u, "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:visit_000001@sales.sched\r\n") != NULL, "events after the zone");
	CHECK(strstr(u, "\r\nDTSTART;TZID=Europe/London:20260704T150000\r\n") != NULL, "a summer event in local time");
	CHECK(strstr(u, "\r\nUID:callback_000007@sales.sched\r\nSEQUENCE:0\r\n") != NULL, "the callback's own UID");
	CHECK(strstr(u, "\r\nSUMMARY:Call back: Asha Rao\\, +919876543210 (urgent)\r\n") != NULL, "summary escaped");
	CHECK(Count(u, "\r\nLOCATION:") == 2, "no LOCATION for the callback");
	CHECK(Count(u, "\r\nTRANSP:TRANSPARENT\r\n") == 1 && Count(u, "\r\nTRANSP:OPAQUE\r\n") == 2,
		  "the deadline leaves the time free, the visits do not");
	CHECK(Count(u, "\r\nSTATUS:TENTATIVE\r\n") == 1 && Count(u, "\r\nSTATUS:CONFIRMED\r\n") == 2, "statuses");
	CHECK(outlen > 17 && strcmp(out + outlen - 17, "END:VEVENT\r\nEND:") != 0 &&
		  strcmp(out + outlen - 15, "END:VCALENDAR\r\n") == 0, "footer");

	/* an empty calendar is still a calendar; a long name is folded */
	for (i = 0; i < 130; i++)
		memcpy(longname + 3 * i, "\xe0\xa4\x95", 3);
	longname[390] = '\0';
	RenderCalendar(longname, ev, 0);
	CheckLines("calendar with a long name");
	u = Unfolded();
	CHECK(strstr(u, longname) != NULL, "the long name unfolds whole");
	CHECK(Count(u, "BEGIN:VEVENT") == 0 && strstr(u, "END:VTIMEZONE\r\nEND:VCALENDAR\r\n") != NULL, "no events");

	/* the invite's DTSTART and zone are the calendar's */
	Render(&ev[1]);
	CHECK(strstr(Unfolded(), "\r\nDTSTART;TZID=Europe/London:20260704T150000\r\n") != NULL, "same DTSTART as the invite");
}

int
main(void)
{
	SchedIcsVisit v = Visit();
	char		longtext[3000];
	char	   *u;
	int			i;

	Render(&v);
	CheckLines("seed visit");
	u = Unfolded();
	CHECK(strncmp(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0, "header");
	CHECK(strstr(u, "\r\nMETHOD:REQUEST\r\n") != NULL, "method request");
	CHECK(strstr(u, "\r\nUID:visit_000001@sales.sched\r\n") != NULL, "uid");
	CHECK(strstr(u, "\r\nSEQUENCE:1\r\n") != NULL, "sequence");
	CHECK(strstr(u, "\r\nDTSTART;TZID=Asia/Kolkata:20260117T090000\r\n") != NULL, "dtstart");
	CHECK(strstr(u, "\r\nDTEND;TZID=Asia/Kolkata:20260117T120000\r\n") != NULL, "dtend");
	CHECK(strstr(u, "\r\nDTSTAMP:20260114T040506Z\r\n") != NULL, "dtstamp");
	CHECK(strstr(u, "\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\n") != NULL, "offset");
	CHECK(strstr(u, "\r\nORGANIZER;CN=\"Priya Sharma\":mailto:priya@example.com\r\n") != NULL, "organizer");
	CHECK(strstr(u, "\r\nATTENDEE;CN=\"John Doe\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:tel:+919876543210\r\n") != NULL, "attendee by phone");
	CHECK(strstr(u, "\r\nSTATUS:CONFIRMED\r\n") != NULL, "confirmed");
	CHECK(strstr(out, "END:VCALENDAR\r\n") != NULL, "footer");

	/* escaping */
	v.description = "a\\b;c,d\ne\r\nf\x01g";
	v.organizer_name = "Priya \"P\" Sharma; RM";
	Render(&v);
	u = Unfolded();
	CHECK(strstr(u, "\r\nDESCRIPTION:a\\\\b\\;c\\,d\\ne\\nfg\r\n") != NULL, "text escaping");
	CHECK(strstr(u, "ORGANIZER;CN=\"Priya P Sharma; RM\":") != NULL, "param quoting drops quotes");

	/* folding of long and multi-byte text */
	longtext[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(longtext, "\xe0\xa4\x95");	/* U+0915, three octets */
	v.description = longtext;
	Render(&v);
	CheckLines("300 Devanagari letters");
	u = Unfolded();
	CHECK(strstr(u, longtext) != NULL, "unfolding gives the text back");
	memset(longtext, 'x', 2000);
	longtext[2000] = '\0';
	v.description = longtext;
	Render(&v);
	CheckLines("2000 octets");
	CHECK(strstr(Unfolded(), longtext) != NULL, "long ASCII text survives folding");

	/* cancelled, tentative, no organizer, negative offsets */
	v = Visit();
	v.cancelled = true;
	v.organizer_name = NULL;
	v.organizer_email = NULL;
	v.utc_offset_s = -(3 * 3600 + 30 * 60);
	Render(&v);
	u = Unfolded();
	CHECK(strstr(u, "\r\nMETHOD:CANCEL\r\n") != NULL && strstr(u, "\r\nSTATUS:CANCELLED\r\n") != NULL, "cancelled");
	CHECK(strstr(u, "ORGANIZER") == NULL, "no organizer without an agent");
	CHECK(strstr(u, "TZOFFSETTO:-0330") != NULL, "negative offset");
	v.cancelled = false;
	v.confirmed = false;
	Render(&v);
	CHECK(strstr(out, "\r\nSTATUS:TENTATIVE\r\n") != NULL, "pending is tentative");

	CheckCalendar();

	if (checks_failed > 0)
	{
		printf("test_ics: %d of %d checks FAILED\n", checks_failed, checks_run);
		return 1;
	}
	printf("test_ics: all %d checks passed\n", checks_run);
	return 0;
}
