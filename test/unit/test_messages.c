/*
 * test_messages.c
 *		Unit tests of src/messages.c: every template sched writes renders,
 *		in the seed's words, and no fact can overrun a buffer.
 */
#include "messages.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	checks_run = 0;
static int	checks_failed = 0;

#define CHECK(cond, what) \
	do { checks_run++; if (!(cond)) { checks_failed++; \
		printf("FAILED %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, what); } } while (0)

#define CONTAINS(text, part, what) CHECK(strstr((text), (part)) != NULL, what)

/*
 * Seed: the facts of the seed's story (John Doe, Brigade Citrine,
 * Saturday 17 January 2026, morning, Priya Sharma).
 */
static SchedMessageFacts
Seed(const char *template_name, const char *channel)
{
	SchedMessageFacts f;

	memset(&f, 0, sizeof(f));
	f.template_name = template_name;
	f.channel = channel;
	f.ref = "visit_000001";
	f.project = "Brigade Citrine";
	f.contact_name = "John Doe";
	f.contact_phone = "+919876543210";
	f.agent_name = "Priya Sharma";
	f.agent_phone = "+919876543211";
	f.urgency = -1;
	f.visit_date.year = 2026;
	f.visit_date.month = 1;
	f.visit_date.day = 17;
	f.slot = SLOT_MORNING;
	return f;
}

/*
 * TestSeedTexts: the seed's confirmation texts, word for word where the
 * seed gives them.
 */
static void
TestSeedTexts(void)
{
	SchedMessageFacts f = Seed("visit_confirmed", "sms");
	SchedMessage m;

	CHECK(sched_message_render(&f, &m), "visit_confirmed sms renders");
	CHECK(strcmp(m.body, "Confirmed: Brigade Citrine visit on Sat 9 AM") == 0, m.body);
	CHECK(!m.has_subject && m.subject[0] == '\0', "an sms has no subject");

	f = Seed("visit_confirmed", "email");
	CHECK(sched_message_render(&f, &m), "visit_confirmed email renders");
	CHECK(m.has_subject && strcmp(m.subject, "Your visit is confirmed!") == 0, m.subject);

	f = Seed("visit_booked", "email");
	CHECK(sched_message_render(&f, &m), "visit_booked email renders");
	CONTAINS(m.subject, "Brigade Citrine", m.subject);
	CONTAINS(m.body, "Site visit scheduled!", m.body);
	CONTAINS(m.body, "Date: Saturday, January 17, 2026", m.body);
	CONTAINS(m.body, "Time: 9:00 AM - 12:00 PM", m.body);
	CONTAINS(m.body, "Property: Brigade Citrine", m.body);
	CONTAINS(m.body, "Your Relationship Manager:\nPriya Sharma\n+91 98765 43211", m.body);
	CONTAINS(m.body, "We'll send you a reminder 1 day before your visit!", m.body);

	f = Seed("visit_booked", "sms");
	CHECK(sched_message_render(&f, &m), "visit_booked sms renders");
	CONTAINS(m.body, "Sat 17 Jan, 9 AM-12 PM", m.body);
	CONTAINS(m.body, "Priya Sharma (+91 98765 43211)", m.body);

	f = Seed("visit_reminder_1h", "sms");
	CHECK(sched_message_render(&f, &m), "visit_reminder_1h renders");
	CONTAINS(m.body, "starts at 9 AM today", m.body);

	f = Seed("visit_assigned", "agent");
	CHECK(sched_message_render(&f, &m), "visit_assigned renders");
	CONTAINS(m.body, "John Doe (+91 98765 43210)", m.body);
	CONTAINS(m.body, "Please call to confirm within 1 hour.", m.body);

	f = Seed("callback_requested", "email");
	f.ref = "callback_000001";
	f.urgency = URGENCY_HIGH;
	CHECK(sched_message_render(&f, &m), "callback_requested email renders");
	CONTAINS(m.body, "Callback ID: callback_000001", m.body);
	CONTAINS(m.body, "Agent: Priya Sharma", m.body);
	CONTAINS(m.body, "Expected callback: Within 1-2 hours", m.body);
	CONTAINS(m.body, "Urgency: high", m.body);

	f = Seed("callback_assigned", "agent");
	f.urgency = URGENCY_URGENT;
	f.reason = "price of 3BHK";
	f.due_date = f.visit_date;
	f.due_hour = 14;
	f.due_minute = 30;
	CHECK(sched_message_render(&f, &m), "callback_assigned renders");
	CONTAINS(m.body, "(urgent)", m.body);
	CONTAINS(m.body, "by 2:30 PM, Sat 17 Jan", m.body);
	CONTAINS(m.body, "Reason: price of 3BHK", m.body);

	f = Seed("callback_unreachable", "sms");
	f.ref = "callback_000002";
	CHECK(sched_message_render(&f, &m), "callback_unreachable sms renders");
	CONTAINS(m.body, "We could not reach you about your request (callback_000002)", m.body);
	CHECK(!m.has_subject, "an sms has no subject");
	f.channel = "email";
	CHECK(sched_message_render(&f, &m), "callback_unreachable email renders");
	CONTAINS(m.subject, "We could not reach you", m.subject);

	f = Seed("callback_overdue", "agent");
	f.ref = "callback_000003";
	f.urgency = URGENCY_HIGH;
	f.due_date = f.visit_date;
	f.due_hour = 9;
	f.due_minute = 0;
	CHECK(sched_message_render(&f, &m), "callback_overdue renders");
	CONTAINS(m.body, "Overdue callback callback_000003 (high)", m.body);
	CONTAINS(m.body, "was due by 9 AM, Sat 17 Jan and has not been reached", m.body);
	f.channel = "sms";
	CHECK(!sched_message_render(&f, &m), "callback_overdue goes to agents only");
}

/*
 * TestEveryTemplate: every job the workflow and the reminders queue has
 * a text on its channel.
 */
static void
TestEveryTemplate(void)
{
	int			e;
	int			status;
	const SchedJobSpec *jobs;
	const SchedReminderSpec *reminders;
	int			n;
	int			i;
	SchedMessage m;
	char		what[128];

	for (e = SCHED_VISIT; e <= SCHED_CALLBACK; e++)
		for (status = SCHED_EVENT_OVERDUE; status < sched_status_count((SchedEntity) e); status++)
		{
			n = sched_jobs_for((SchedEntity) e, status, &jobs);
			for (i = 0; i < n; i++)
			{
				SchedMessageFacts f = Seed(jobs[i].template_name, jobs[i].channel);

				snprintf(what, sizeof(what), "%s on %s", jobs[i].template_name, jobs[i].channel);
				CHECK(sched_message_render(&f, &m), what);
				CHECK(m.body[0] != '\0', what);
				CHECK(m.has_subject == (strcmp(jobs[i].channel, "email") == 0), what);
			}
		}
	n = sched_visit_reminders(&reminders);
	for (i = 0; i < n; i++)
	{
		SchedMessageFacts f = Seed(reminders[i].job.template_name, reminders[i].job.channel);

		CHECK(sched_message_render(&f, &m), reminders[i].job.template_name);
	}
}

/*
 * TestUnknownAndMissing: unknown templates and channels render nothing;
 * missing facts are left out, not printed as "(null)".
 */
static void
TestUnknownAndMissing(void)
{
	SchedMessageFacts f = Seed("visit_exploded", "sms");
	SchedMessage m;

	CHECK(!sched_message_render(&f, &m) && m.body[0] == '\0', "unknown template");
	f = Seed("visit_booked", "pigeon");
	CHECK(!sched_message_render(&f, &m), "unknown channel");
	f = Seed("visit_assigned", "sms");
	CHECK(!sched_message_render(&f, &m), "an agent template on a customer channel");
	f = Seed(NULL, "sms");
	CHECK(!sched_message_render(&f, &m), "no template");

	f = Seed("visit_booked", "email");
	f.agent_name = NULL;
	f.agent_phone = NULL;
	f.project = NULL;
	f.visit_date.year = 0;
	f.slot = -1;
	CHECK(sched_message_render(&f, &m), "renders without facts");
	CHECK(strstr(m.body, "(null)") == NULL && strstr(m.subject, "(null)") == NULL, m.body);
	CONTAINS(m.body, "(date to be confirmed)", m.body);
	CHECK(strstr(m.body, "Relationship Manager:\n") == NULL, "no RM block without an agent");
}

/*
 * TestLongFacts: facts far longer than any buffer are cut, never overrun.
 */
static void
TestLongFacts(void)
{
	static char big[20000];
	SchedMessageFacts f;
	SchedMessage m;

	memset(big, 'x', sizeof(big) - 1);
	f = Seed("visit_booked", "email");
	f.project = big;
	f.contact_name = big;
	f.agent_name = big;
	CHECK(sched_message_render(&f, &m), "renders with huge facts");
	CHECK(strlen(m.body) == SCHED_BODY_MAX - 1, "the body is cut at its buffer");
	CHECK(strlen(m.subject) == SCHED_SUBJECT_MAX - 1, "the subject is cut at its buffer");
}

/*
 * TestDates: weekdays and phone display.
 */
static void
TestDates(void)
{
	SchedDate	d2000 = {2000, 1, 1};
	SchedDate	leap = {2024, 2, 29};
	SchedDate	epoch = {1970, 1, 1};
	SchedDate	bad = {2023, 2, 29};
	SchedDate	seed = {2026, 1, 17};
	char		phone[24];

	CHECK(strcmp(sched_weekday_name(d2000, true), "Saturday") == 0, "2000-01-01");
	CHECK(strcmp(sched_weekday_name(leap, false), "Thu") == 0, "2024-02-29");
	CHECK(strcmp(sched_weekday_name(epoch, false), "Thu") == 0, "1970-01-01");
	CHECK(strcmp(sched_weekday_name(seed, false), "Sat") == 0, "2026-01-17");
	CHECK(sched_weekday_name(bad, false) == NULL, "2023-02-29 is no date");
	sched_display_phone("+919876543210", phone, sizeof(phone));
	CHECK(strcmp(phone, "+91 98765 43210") == 0, phone);
	sched_display_phone("+14155550123", phone, sizeof(phone));
	CHECK(strcmp(phone, "+14155550123") == 0, phone);
	sched_display_phone(NULL, phone, sizeof(phone));
	CHECK(phone[0] == '\0', "no phone");
}

/*
 * main
 */
/*
 * Abroad: the seed's visit for a customer in New York, whose clock shows
 * 10:30 PM on the Friday when the Saturday morning slot starts in India.
 */
static SchedMessageFacts
Abroad(const char *template_name, const char *channel)
{
	SchedMessageFacts f = Seed(template_name, channel);

	f.zone_abbrev = "IST";
	f.customer.zone = "America/New_York";
	f.customer.abbrev = "EST";
	f.customer.date.year = 2026;
	f.customer.date.month = 1;
	f.customer.date.day = 16;
	f.customer.hour = 22;
	f.customer.minute = 30;
	return f;
}

/*
 * TestCustomersAbroad (1.4): a customer whose clock differs reads the
 * slot in the business's time, with its zone, and then on their own
 * clock; agents' notes and customers at home are unchanged.
 */
static void
TestCustomersAbroad(void)
{
	SchedMessageFacts f = Abroad("visit_confirmed", "sms");
	SchedMessage m;
	SchedCustomerClock c;
	char		label[128];

	CHECK(sched_message_render(&f, &m), "visit_confirmed sms abroad renders");
	CHECK(strcmp(m.body, "Confirmed: Brigade Citrine visit on Sat 9 AM IST (Fri 10:30 PM in New York)") == 0, m.body);
	f = Abroad("visit_booked", "sms");
	CHECK(sched_message_render(&f, &m), "visit_booked sms abroad renders");
	CONTAINS(m.body, "Brigade Citrine, Sat 17 Jan, 9 AM-12 PM IST (Fri 10:30 PM in New York). Your RM", m.body);
	f = Abroad("visit_booked", "email");
	CHECK(sched_message_render(&f, &m), "visit_booked email abroad renders");
	CONTAINS(m.body, "Time: 9:00 AM - 12:00 PM IST (Friday 10:30 PM in New York)\n", m.body);
	f = Abroad("visit_reminder_1h", "whatsapp");
	CHECK(sched_message_render(&f, &m), "visit_reminder_1h whatsapp abroad renders");
	CONTAINS(m.body, "starts at 9 AM IST (Fri 10:30 PM in New York) today", m.body);
	f = Abroad("visit_assigned", "agent");
	CHECK(sched_message_render(&f, &m), "visit_assigned abroad renders");
	CHECK(strstr(m.body, "New York") == NULL && strstr(m.body, "IST") == NULL, m.body);

	/* zones that name no place say their offset */
	f = Abroad("visit_confirmed", "sms");
	f.customer.zone = "Etc/GMT-4";
	f.customer.abbrev = "+04";
	f.customer.date.day = 17;
	f.customer.hour = 7;
	f.customer.minute = 30;
	CHECK(sched_message_render(&f, &m), "visit_confirmed sms in Etc/GMT-4 renders");
	CHECK(strcmp(m.body, "Confirmed: Brigade Citrine visit on Sat 9 AM IST (Sat 7:30 AM UTC+04)") == 0, m.body);
	f.customer.zone = "UTC";
	f.customer.abbrev = "UTC";
	f.customer.hour = 3;
	CHECK(sched_message_render(&f, &m), "visit_confirmed sms in UTC renders");
	CHECK(strcmp(m.body, "Confirmed: Brigade Citrine visit on Sat 9 AM IST (Sat 3:30 AM UTC)") == 0, m.body);
	f.customer.zone = "America/Argentina/Buenos_Aires";
	CHECK(sched_message_render(&f, &m), "a three-part zone renders");
	CONTAINS(m.body, "in Buenos Aires)", m.body);

	/* the label of sched.slot_label */
	sched_format_slot_label(f.visit_date, SLOT_MORNING, "IST", NULL, label, sizeof(label));
	CHECK(strcmp(label, "Sat 17 Jan, 9 AM-12 PM IST") == 0, label);
	c = Abroad("visit_booked", "sms").customer;
	sched_format_slot_label(f.visit_date, SLOT_EVENING, "IST", &c, label, sizeof(label));
	CHECK(strcmp(label, "Sat 17 Jan, 3 PM-6 PM IST (Fri 10:30 PM in New York)") == 0, label);
	sched_format_slot_label(f.visit_date, SLOT_MORNING, NULL, NULL, label, sizeof(label));
	CHECK(strcmp(label, "Sat 17 Jan, 9 AM-12 PM") == 0, label);
	sched_format_slot_label(f.visit_date, SLOT_MORNING, "IST", NULL, label, 12);
	CHECK(strlen(label) == 11, "a short buffer is cut, not overrun");
	c.zone = "America/";
	sched_format_slot_label(f.visit_date, SLOT_MORNING, "IST", &c, label, sizeof(label));
	CHECK(strstr(label, " in )") == NULL, label);
}

/*
 * TestWhatsAppTemplates (1.4): each customer's message has a template
 * whose {{n}} count matches its values, in order, one line each, never
 * empty; agents' notes have none.
 */
static void
TestWhatsAppTemplates(void)
{
	static const char *const customer[] = {
		"visit_booked", "visit_confirmed", "visit_reminder_24h", "visit_reminder_1h",
		"visit_rescheduled", "visit_cancelled", "visit_completed", "visit_missed",
		"callback_requested", "callback_unreachable", "callback_missed"
	};
	SchedMessageFacts f;
	SchedWhatsAppTemplate t;
	size_t		i;

	for (i = 0; i < sizeof(customer) / sizeof(customer[0]); i++)
	{
		const char *body;
		char		want[24];
		int			k;

		f = Seed(customer[i], "whatsapp");
		CHECK(sched_whatsapp_template(&f, &t), customer[i]);
		CHECK(strncmp(t.name, "sched_", 6) == 0 && strcmp(t.name + 6, customer[i]) == 0, t.name);
		CHECK(strcmp(t.language, "en") == 0, t.name);
		body = sched_whatsapp_template_body(t.name);
		CHECK(body != NULL, t.name);
		for (k = 1; k <= SCHED_WA_MAX_PARAMS; k++)
		{
			snprintf(want, sizeof(want), "{{%d}}", k);
			CHECK((strstr(body, want) != NULL) == (k <= t.nparams), body);
		}
		CHECK(body[0] != '{' && body[strlen(body) - 1] != '}', body);	/* Meta refuses a variable at either end */
		for (k = 0; k < t.nparams; k++)
			CHECK(t.params[k][0] != '\0' && strchr(t.params[k], '\n') == NULL, t.params[k]);
	}
	f = Seed("visit_booked", "whatsapp");
	CHECK(sched_whatsapp_template(&f, &t), "visit_booked");
	CHECK(t.nparams == 4, "visit_booked has 4 values");
	CHECK(strcmp(t.params[0], "Brigade Citrine") == 0, t.params[0]);
	CHECK(strcmp(t.params[1], "Sat 17 Jan, 9 AM-12 PM") == 0, t.params[1]);
	CHECK(strcmp(t.params[2], "Priya Sharma (+91 98765 43211)") == 0, t.params[2]);
	f = Abroad("visit_booked", "whatsapp");
	CHECK(sched_whatsapp_template(&f, &t), "visit_booked abroad");
	CHECK(strcmp(t.params[1], "Sat 17 Jan, 9 AM-12 PM IST (Fri 10:30 PM in New York)") == 0, t.params[1]);
	f = Seed("visit_assigned", "agent");
	CHECK(!sched_whatsapp_template(&f, &t), "an agent's note has no template");
	f = Seed("no_such_template", "whatsapp");
	CHECK(!sched_whatsapp_template(&f, &t), "an unknown message has no template");
	CHECK(sched_whatsapp_template_body("sched_nothing") == NULL, "no body for an unknown template");
}

int
main(void)
{
	TestSeedTexts();
	TestEveryTemplate();
	TestUnknownAndMissing();
	TestLongFacts();
	TestDates();
	TestCustomersAbroad();
	TestWhatsAppTemplates();
	if (checks_failed > 0)
	{
		printf("test_messages: %d of %d checks FAILED\n", checks_failed, checks_run);
		return 1;
	}
	printf("test_messages: all %d checks passed\n", checks_run);
	return 0;
}
