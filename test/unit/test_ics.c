/*
 * test_ics.c
 *		Unit tests of src/ics.c: RFC 5545 line ends, folding at 75 octets
 *		without splitting UTF-8 characters, TEXT escaping and parameter
 *		quoting.
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

	if (checks_failed > 0)
	{
		printf("test_ics: %d of %d checks FAILED\n", checks_failed, checks_run);
		return 1;
	}
	printf("test_ics: all %d checks passed\n", checks_run);
	return 0;
}
