/*
 * messages.c
 *		The texts of sched's notifications, in the words of the seed's
 *		prototype: the booking confirmation ("Site visit scheduled!"),
 *		the SMS "Confirmed: Brigade Citrine visit on Sat 9 AM", the
 *		reminders, and the notes to agents.
 *
 * Pure C (see messages.h).  Every text is built into a fixed buffer with
 * bounded appends, so no fact, however long, can overrun it; a text that
 * would not fit is cut (the SQL side cuts it at a character boundary).
 */
#include "messages.h"

#include "calendar.h"
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A text being written into a fixed buffer. */
typedef struct Text
{
	char	   *buf;
	size_t		cap;
	size_t		len;
} Text;

static const char *const weekday_short[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const weekday_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};
static const char *const month_short[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const month_long[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"
};

/* How soon the team calls back, as the seed's confirmation says it. */
static const char *const sla_words[URGENCY_N] = {
	"within 30 minutes", "within 1-2 hours", "within 4 hours", "within 24 hours"
};

#if defined(__GNUC__)
static void Add(Text *t, const char *fmt,...) __attribute__((format(printf, 2, 3)));
#endif

/*
 * Add: append printf-style; output past the buffer is dropped.
 */
static void
Add(Text *t, const char *fmt,...)
{
	va_list		ap;
	int			n;

	if (t->len + 1 >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->len += (size_t) n < t->cap - t->len ? (size_t) n : t->cap - t->len - 1;
}

/*
 * Or: the fact, or a stand-in when it is unknown.
 */
static const char *
Or(const char *s, const char *otherwise)
{
	return s != NULL && s[0] != '\0' ? s : otherwise;
}

/*
 * ValidDate: a real calendar date (calendar.c keeps the calendar
 * arithmetic).
 */
static bool
ValidDate(SchedDate d)
{
	return sched_valid_date(d.year, d.month, d.day);
}

/*
 * sched_weekday_name: the day of the week of a date.
 */
const char *
sched_weekday_name(SchedDate d, bool full)
{
	int			wd;

	if (!ValidDate(d))
		return NULL;
	wd = sched_weekday(sched_days_from_civil(d.year, d.month, d.day));
	return full ? weekday_long[wd] : weekday_short[wd];
}

/*
 * sched_display_phone: "+91 98765 43210" for +91 and ten digits.
 */
void
sched_display_phone(const char *e164, char *out, size_t outsz)
{
	if (outsz == 0)
		return;
	if (e164 == NULL)
	{
		out[0] = '\0';
		return;
	}
	if (strncmp(e164, "+91", 3) == 0 && strlen(e164) == 13)
		snprintf(out, outsz, "+91 %.5s %.5s", e164 + 3, e164 + 8);
	else
		snprintf(out, outsz, "%s", e164);
}

/*
 * LongDate: "Saturday, January 17, 2026".
 */
static void
LongDate(Text *t, SchedDate d)
{
	if (!ValidDate(d))
		Add(t, "(date to be confirmed)");
	else
		Add(t, "%s, %s %d, %d", sched_weekday_name(d, true), month_long[d.month - 1], d.day, d.year);
}

/*
 * ShortDate: "Sat 17 Jan".
 */
static void
ShortDate(Text *t, SchedDate d)
{
	if (!ValidDate(d))
		Add(t, "(date to be confirmed)");
	else
		Add(t, "%s %d %s", sched_weekday_name(d, false), d.day, month_short[d.month - 1]);
}

/*
 * Clock: "9 AM", "12 PM", "2:30 PM"; with_minutes forces "9:00 AM".
 */
static void
Clock(Text *t, int hour, int minute, bool with_minutes)
{
	int			h12 = hour % 12 == 0 ? 12 : hour % 12;
	const char *ampm = hour < 12 ? "AM" : "PM";

	if (with_minutes || minute != 0)
		Add(t, "%d:%02d %s", h12, minute, ampm);
	else
		Add(t, "%d %s", h12, ampm);
}

/*
 * SlotTime: "9:00 AM - 12:00 PM" (long) or "9 AM-12 PM" (short).
 */
static void
SlotTime(Text *t, int slot, bool long_form)
{
	int			start;
	int			end;

	if (!sched_slot_hours(slot, &start, &end))
	{
		Add(t, "(time to be confirmed)");
		return;
	}
	Clock(t, start, 0, long_form);
	Add(t, long_form ? " - " : "-");
	Clock(t, end, 0, long_form);
}

/*
 * SlotStart: "9 AM".
 */
static void
SlotStart(Text *t, int slot)
{
	int			start;
	int			end;

	if (sched_slot_hours(slot, &start, &end))
		Clock(t, start, 0, false);
}

/*
 * Abbrev: a zone abbreviation as people read it: "IST", "EST"; the
 * numeric ones the tz database gives zones without a name ("+04") as
 * "UTC+04".
 */
static void
Abbrev(Text *t, const char *abbrev)
{
	if (abbrev == NULL || abbrev[0] == '\0')
		return;
	Add(t, " %s%s", abbrev[0] == '+' || abbrev[0] == '-' ? "UTC" : "", abbrev);
}

/*
 * Place: the city of an IANA zone name, "New York" of "America/New_York",
 * "Buenos Aires" of "America/Argentina/Buenos_Aires"; false for a zone
 * that names no place ("UTC", "Etc/GMT+5").
 */
static bool
Place(const char *zone, char *out, size_t outsz)
{
	const char *city = strrchr(zone, '/');
	size_t		i;

	if (city == NULL || strncmp(zone, "Etc/", 4) == 0 || outsz == 0)
		return false;
	city++;
	for (i = 0; city[i] != '\0' && i + 1 < outsz; i++)
		out[i] = city[i] == '_' ? ' ' : city[i];
	out[i] = '\0';
	return i > 0;
}

/*
 * CustomerClock: " IST (Fri 10:30 PM in New York)": after a slot's time,
 * the business zone and the slot's start on the customer's clock, when
 * the customer's zone is known and shows another time; nothing otherwise.
 */
static void
CustomerClock(Text *t, const char *zone_abbrev, const SchedCustomerClock *c, bool long_form)
{
	char		place[64];

	if (c == NULL || c->zone == NULL || !ValidDate(c->date))
		return;
	Abbrev(t, zone_abbrev);
	Add(t, " (%s ", sched_weekday_name(c->date, long_form));
	Clock(t, c->hour, c->minute, long_form);
	if (Place(c->zone, place, sizeof(place)))
		Add(t, " in %s)", place);
	else
	{
		Abbrev(t, c->abbrev);
		Add(t, ")");
	}
}

/*
 * sched_format_slot_label: "Sat 17 Jan, 9 AM-12 PM IST (Fri 10:30 PM in New York)".
 */
void
sched_format_slot_label(SchedDate d, int slot, const char *abbrev,
				 const SchedCustomerClock *customer, char *out, size_t outsz)
{
	Text		t = {out, outsz, 0};

	if (outsz == 0)
		return;
	out[0] = '\0';
	ShortDate(&t, d);
	Add(&t, ", ");
	SlotTime(&t, slot, false);
	if (customer != NULL && customer->zone != NULL)
		CustomerClock(&t, abbrev, customer, false);
	else
		Abbrev(&t, abbrev);
}

/*
 * Rm: "Priya Sharma (+91 98765 43211)", or a promise of one.
 */
static void
Rm(Text *t, const SchedMessageFacts *f)
{
	char		phone[24];

	sched_display_phone(f->agent_phone, phone, sizeof(phone));
	if (f->agent_name == NULL)
		Add(t, "your Relationship Manager");
	else if (phone[0] != '\0')
		Add(t, "%s (%s)", f->agent_name, phone);
	else
		Add(t, "%s", f->agent_name);
}

/*
 * VisitFacts: the block of an email about a visit.
 */
static void
VisitFacts(Text *t, const SchedMessageFacts *f)
{
	char		phone[24];

	Add(t, "Date: ");
	LongDate(t, f->visit_date);
	Add(t, "\nTime: ");
	SlotTime(t, f->slot, true);
	CustomerClock(t, f->zone_abbrev, &f->customer, true);
	Add(t, "\nProperty: %s\n", Or(f->project, "(to be confirmed)"));
	if (f->agent_name != NULL)
	{
		sched_display_phone(f->agent_phone, phone, sizeof(phone));
		Add(t, "\nYour Relationship Manager:\n%s\n%s\n", f->agent_name, phone);
	}
	Add(t, "\nReference: %s\n", Or(f->ref, "-"));
}

/*
 * CustomerPhone: the customer's number for an agent's note.
 */
static void
CustomerLine(Text *t, const SchedMessageFacts *f)
{
	char		phone[24];

	sched_display_phone(f->contact_phone, phone, sizeof(phone));
	Add(t, "%s (%s)", Or(f->contact_name, "the customer"), phone);
}

/*
 * VisitWhen: "Brigade Citrine, Sat 17 Jan, 9 AM-12 PM", and for a
 * customer whose clock differs " IST (Fri 10:30 PM in New York)".
 */
static void
VisitWhen(Text *t, const SchedMessageFacts *f, bool customer)
{
	Add(t, "%s, ", Or(f->project, "the property"));
	ShortDate(t, f->visit_date);
	Add(t, ", ");
	SlotTime(t, f->slot, false);
	if (customer)
		CustomerClock(t, f->zone_abbrev, &f->customer, false);
}

/*
 * Sla: "within 1-2 hours".
 */
static const char *
Sla(int urgency)
{
	return urgency >= 0 && urgency < URGENCY_N ? sla_words[urgency] : "soon";
}

/*
 * RenderVisit: the visit templates.  Returns false for an unknown one.
 */
static bool
RenderVisit(const SchedMessageFacts *f, bool email, bool agent, Text *s, Text *b)
{
	const char *tpl = f->template_name;
	const char *hello = Or(f->contact_name, "there");

	if (agent)
	{
		if (strcmp(tpl, "visit_assigned") == 0)
			Add(b, "New site visit %s: ", Or(f->ref, ""));
		else if (strcmp(tpl, "visit_cancelled") == 0)
			Add(b, "Cancelled: site visit %s with ", Or(f->ref, ""));
		else if (strcmp(tpl, "visit_rescheduled") == 0)
			Add(b, "Rescheduled: site visit %s with ", Or(f->ref, ""));
		else if (strcmp(tpl, "visit_no_show") == 0)
			Add(b, "No-show: site visit %s with ", Or(f->ref, ""));
		else
			return false;
		CustomerLine(b, f);
		Add(b, ", ");
		VisitWhen(b, f, !agent);
		if (strcmp(tpl, "visit_assigned") == 0)
			Add(b, ". Please call to confirm within 1 hour.");
		else if (strcmp(tpl, "visit_rescheduled") == 0)
			Add(b, " is the new time.");
		else if (strcmp(tpl, "visit_no_show") == 0)
			Add(b, ". Please follow up.");
		else
			Add(b, ".");
		return true;
	}

	if (strcmp(tpl, "visit_booked") == 0)
	{
		if (!email)
		{
			Add(b, "Site visit booked: ");
			VisitWhen(b, f, !agent);
			Add(b, ". Your RM ");
			Rm(b, f);
			Add(b, " will confirm within 1 hour. Ref %s", Or(f->ref, "-"));
			return true;
		}
		Add(s, "Site visit scheduled: %s, ", Or(f->project, "your visit"));
		LongDate(s, f->visit_date);
		Add(b, "Hi %s,\n\nSite visit scheduled!\n\n", hello);
		VisitFacts(b, f);
		Add(b, "\nOur Relationship Manager will confirm within 1 hour. "
			"We'll send you a reminder 1 day before your visit!\n");
		return true;
	}
	if (strcmp(tpl, "visit_confirmed") == 0)
	{
		if (!email)
		{
			/* the seed's SMS, word for word */
			Add(b, "Confirmed: %s visit on %s ", Or(f->project, "your"),
				Or(sched_weekday_name(f->visit_date, false), "the day"));
			SlotStart(b, f->slot);
			CustomerClock(b, f->zone_abbrev, &f->customer, false);
			return true;
		}
		Add(s, "Your visit is confirmed!");
		Add(b, "Hi %s,\n\nYour visit is confirmed!\n\n", hello);
		VisitFacts(b, f);
		return true;
	}
	if (strcmp(tpl, "visit_reminder_24h") == 0 || strcmp(tpl, "visit_reminder_1h") == 0)
	{
		bool		day = tpl[15] == '2';

		if (!email)
		{
			if (day)
			{
				Add(b, "Reminder: your site visit to ");
				VisitWhen(b, f, !agent);
				Add(b, " is tomorrow. RM ");
			}
			else
			{
				Add(b, "Reminder: your site visit to %s starts at ", Or(f->project, "the property"));
				SlotStart(b, f->slot);
				CustomerClock(b, f->zone_abbrev, &f->customer, false);
				Add(b, " today. RM ");
			}
			Rm(b, f);
			Add(b, ". Ref %s", Or(f->ref, "-"));
			return true;
		}
		Add(s, "Reminder: your site visit %s", day ? "tomorrow" : "today");
		Add(b, "Hi %s,\n\nA reminder of your site visit %s.\n\n", hello, day ? "tomorrow" : "today");
		VisitFacts(b, f);
		return true;
	}
	if (strcmp(tpl, "visit_rescheduled") == 0)
	{
		if (!email)
		{
			Add(b, "Rescheduled: your site visit is now ");
			VisitWhen(b, f, !agent);
			Add(b, ". RM ");
			Rm(b, f);
			Add(b, ". Ref %s", Or(f->ref, "-"));
			return true;
		}
		Add(s, "Your site visit has a new time");
		Add(b, "Hi %s,\n\nYour site visit has been rescheduled.\n\n", hello);
		VisitFacts(b, f);
		return true;
	}
	if (strcmp(tpl, "visit_cancelled") == 0)
	{
		if (!email)
		{
			Add(b, "Cancelled: your site visit to ");
			VisitWhen(b, f, !agent);
			Add(b, " (%s). Reply to book another time.", Or(f->ref, "-"));
			return true;
		}
		Add(s, "Your site visit is cancelled");
		Add(b, "Hi %s,\n\nYour site visit has been cancelled.\n\n", hello);
		VisitFacts(b, f);
		Add(b, "\nReply to this message to book another time.\n");
		return true;
	}
	if (strcmp(tpl, "visit_completed") == 0)
	{
		Add(s, "Thank you for visiting %s", Or(f->project, "us"));
		Add(b, "Hi %s,\n\nThank you for visiting %s. How was your visit? "
			"Rate it from 1 to 5 stars by replying to this message.\n\nReference: %s\n",
			hello, Or(f->project, "the property"), Or(f->ref, "-"));
		if (!email)
		{
			s->len = 0;
			s->buf[0] = '\0';
		}
		return true;
	}
	if (strcmp(tpl, "visit_missed") == 0)
	{
		Add(b, "We missed you at %s on ", Or(f->project, "your site visit"));
		ShortDate(b, f->visit_date);
		Add(b, ". Reply to book another time. Ref %s", Or(f->ref, "-"));
		if (email)
			Add(s, "We missed you today");
		return true;
	}
	return false;
}

/*
 * RenderCallback: the callback templates.
 */
static bool
RenderCallback(const SchedMessageFacts *f, bool email, bool agent, Text *s, Text *b)
{
	const char *tpl = f->template_name;

	if (agent)
	{
		char		phone[24];

		if (strcmp(tpl, "callback_overdue") == 0)
		{
			sched_display_phone(f->contact_phone, phone, sizeof(phone));
			Add(b, "Overdue callback %s (%s): %s at %s was due by ", Or(f->ref, ""),
				f->urgency >= 0 && f->urgency < URGENCY_N ? sched_urgency_name(f->urgency) : "?",
				Or(f->contact_name, "the customer"), phone);
			Clock(b, f->due_hour, f->due_minute, false);
			Add(b, ", ");
			ShortDate(b, f->due_date);
			Add(b, " and has not been reached. Assigned to %s.", Or(f->agent_name, "nobody"));
			return true;
		}
		if (strcmp(tpl, "callback_assigned") != 0)
			return false;
		sched_display_phone(f->contact_phone, phone, sizeof(phone));
		Add(b, "Callback %s (%s): call %s at %s by ", Or(f->ref, ""),
			f->urgency >= 0 && f->urgency < URGENCY_N ? sched_urgency_name(f->urgency) : "?",
			Or(f->contact_name, "the customer"), phone);
		Clock(b, f->due_hour, f->due_minute, false);
		Add(b, ", ");
		ShortDate(b, f->due_date);
		if (f->reason != NULL && f->reason[0] != '\0')
			Add(b, ". Reason: %s", f->reason);
		Add(b, ".");
		return true;
	}
	if (strcmp(tpl, "callback_requested") == 0)
	{
		if (!email)
		{
			Add(b, "Callback requested (%s). %s will call you %s.", Or(f->ref, "-"),
				Or(f->agent_name, "Our team"), Sla(f->urgency));
			return true;
		}
		Add(s, "We'll call you back %s", Sla(f->urgency));
		Add(b, "Hi %s,\n\nCallback requested successfully.\n\nCallback ID: %s\nAgent: %s\n"
			"Expected callback: %c%s\n",
			Or(f->contact_name, "there"), Or(f->ref, "-"), Or(f->agent_name, "our team"),
			Sla(f->urgency)[0] - ('a' - 'A'), Sla(f->urgency) + 1);
		if (f->urgency >= 0 && f->urgency < URGENCY_N)
			Add(b, "Urgency: %s\n", sched_urgency_name(f->urgency));
		return true;
	}
	if (strcmp(tpl, "callback_unreachable") == 0)
	{
		Add(b, "We could not reach you about your request (%s) after several tries. "
			"Reply to this message or request a new callback at a time that suits you.",
			Or(f->ref, "-"));
		if (email)
			Add(s, "We could not reach you");
		return true;
	}
	if (strcmp(tpl, "callback_missed") == 0)
	{
		Add(b, "We tried to call you about your request (%s) but could not reach you. "
			"We will try again.", Or(f->ref, "-"));
		if (email)
			Add(s, "We could not reach you");
		return true;
	}
	return false;
}

/*
 * sched_message_render: subject (email) and body of a job.
 */
bool
sched_message_render(const SchedMessageFacts *f, SchedMessage *out)
{
	Text		s = {out->subject, sizeof(out->subject), 0};
	Text		b = {out->body, sizeof(out->body), 0};
	bool		email;
	bool		agent;
	bool		ok;

	out->subject[0] = '\0';
	out->body[0] = '\0';
	out->has_subject = false;
	if (f->template_name == NULL || f->channel == NULL)
		return false;
	email = strcmp(f->channel, "email") == 0;
	agent = strcmp(f->channel, "agent") == 0;
	if (!email && !agent && strcmp(f->channel, "sms") != 0 && strcmp(f->channel, "whatsapp") != 0)
		return false;
	if (strncmp(f->template_name, "visit_", 6) == 0)
		ok = RenderVisit(f, email, agent, &s, &b);
	else if (strncmp(f->template_name, "callback_", 9) == 0)
		ok = RenderCallback(f, email, agent, &s, &b);
	else
		ok = false;
	if (!ok)
	{
		out->subject[0] = '\0';
		out->body[0] = '\0';
		return false;
	}
	out->has_subject = email && out->subject[0] != '\0';
	if (!email)
		out->subject[0] = '\0';
	return true;
}

/* ---------------------------------------------------------------------
 * WhatsApp templates (1.4)
 * ---------------------------------------------------------------------
 */

/* sched's templates: the message template each one stands for, its body */
static const struct
{
	const char *message;		/* the outbox job's template */
	const char *name;			/* the WhatsApp template */
	int			nparams;
	const char *body;
}			wa_templates[] = {
	{"visit_booked", "sched_visit_booked", 4,
	"Site visit booked: {{1}}, {{2}}. Your RM {{3}} will confirm within 1 hour. Ref {{4}}."},
	{"visit_confirmed", "sched_visit_confirmed", 3,
	"Confirmed: your site visit to {{1}}, {{2}}. Ref {{3}}."},
	{"visit_reminder_24h", "sched_visit_reminder_24h", 4,
	"Reminder: your site visit to {{1}}, {{2}} is tomorrow. RM {{3}}. Ref {{4}}."},
	{"visit_reminder_1h", "sched_visit_reminder_1h", 4,
	"Reminder: your site visit to {{1}} starts at {{2}} today. RM {{3}}. Ref {{4}}."},
	{"visit_rescheduled", "sched_visit_rescheduled", 4,
	"Rescheduled: your site visit is now {{1}}, {{2}}. RM {{3}}. Ref {{4}}."},
	{"visit_cancelled", "sched_visit_cancelled", 3,
	"Cancelled: your site visit to {{1}}, {{2}} ({{3}}). Reply to book another time."},
	{"visit_completed", "sched_visit_completed", 2,
	"Thank you for visiting {{1}}. How was your visit? Rate it from 1 to 5 stars by replying to this message. Reference: {{2}}."},
	{"visit_missed", "sched_visit_missed", 3,
	"We missed you at {{1}} on {{2}}. Reply to book another time. Ref {{3}}."},
	{"callback_requested", "sched_callback_requested", 3,
	"Callback requested ({{1}}). {{2}} will call you {{3}}."},
	{"callback_unreachable", "sched_callback_unreachable", 1,
	"We could not reach you about your request ({{1}}) after several tries. Reply to this message or request a new callback at a time that suits you."},
	{"callback_missed", "sched_callback_missed", 1,
	"We tried to call you about your request ({{1}}) but could not reach you. We will try again."},
};

#define WA_TEMPLATES	(sizeof(wa_templates) / sizeof(wa_templates[0]))

const char *
sched_whatsapp_template_body(const char *name)
{
	size_t		i;

	for (i = 0; name != NULL && i < WA_TEMPLATES; i++)
		if (strcmp(wa_templates[i].name, name) == 0)
			return wa_templates[i].body;
	return NULL;
}

/* the next parameter, as a Text */
static Text
Param(SchedWhatsAppTemplate *t, int i)
{
	Text		p = {t->params[i], SCHED_WA_PARAM_MAX, 0};

	t->params[i][0] = '\0';
	return p;
}

/* "Sat 17 Jan, 9 AM-12 PM IST (Fri 10:30 PM in New York)" */
static void
WhenParam(Text *p, const SchedMessageFacts *f)
{
	ShortDate(p, f->visit_date);
	Add(p, ", ");
	SlotTime(p, f->slot, false);
	CustomerClock(p, f->zone_abbrev, &f->customer, false);
}

bool
sched_whatsapp_template(const SchedMessageFacts *f, SchedWhatsAppTemplate *t)
{
	size_t		i;
	int			k;
	const char *tpl = f->template_name;
	Text		p;

	memset(t, 0, sizeof(*t));
	for (i = 0; tpl != NULL && i < WA_TEMPLATES; i++)
		if (strcmp(wa_templates[i].message, tpl) == 0)
			break;
	if (tpl == NULL || i == WA_TEMPLATES)
		return false;
	t->name = wa_templates[i].name;
	t->language = "en";
	t->nparams = wa_templates[i].nparams;

	if (strncmp(tpl, "visit_", 6) == 0)
	{
		p = Param(t, 0);
		Add(&p, "%s", Or(f->project, "the property"));
		p = Param(t, 1);
		if (strcmp(tpl, "visit_reminder_1h") == 0)
		{
			SlotStart(&p, f->slot);
			CustomerClock(&p, f->zone_abbrev, &f->customer, false);
		}
		else if (strcmp(tpl, "visit_missed") == 0)
			ShortDate(&p, f->visit_date);
		else if (strcmp(tpl, "visit_completed") == 0)
			Add(&p, "%s", Or(f->ref, "-"));
		else
			WhenParam(&p, f);
		if (t->nparams == 3)
		{
			p = Param(t, 2);
			Add(&p, "%s", Or(f->ref, "-"));
		}
		else if (t->nparams == 4)
		{
			p = Param(t, 2);
			Rm(&p, f);
			p = Param(t, 3);
			Add(&p, "%s", Or(f->ref, "-"));
		}
	}
	else
	{
		p = Param(t, 0);
		Add(&p, "%s", Or(f->ref, "-"));
		if (strcmp(tpl, "callback_requested") == 0)
		{
			p = Param(t, 1);
			Add(&p, "%s", Or(f->agent_name, "Our team"));
			p = Param(t, 2);
			Add(&p, "%s", Sla(f->urgency));
		}
	}
	/* one line each, never empty */
	for (k = 0; k < t->nparams; k++)
	{
		char	   *c;

		for (c = t->params[k]; *c != '\0'; c++)
			if (*c == '\n' || *c == '\r' || *c == '\t')
				*c = ' ';
		if (t->params[k][0] == '\0')
			strcpy(t->params[k], "-");
	}
	return true;
}

