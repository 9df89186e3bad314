/*
 * test_chat_flow.c
 *		Unit tests of the booking conversation (src/chat_flow.c, 1.4): the
 *		states a message moves it through, what is remembered, what each
 *		answer asks for, and when an action is due.  No database: the
 *		context stands in for what chat_turn_calls.c reads.
 */
#include "chat_flow.h"

#include "check.h"

static SchedChatContext
Context(const char *project, bool upcoming)
{
	SchedChatContext c;

	memset(&c, 0, sizeof(c));
	c.today.year = 2026;
	c.today.month = 1;
	c.today.day = 14;			/* a Wednesday */
	c.default_cc = "91";
	c.project = project;
	c.project_choices = "Brigade Citrine, Prestige Park";
	c.has_upcoming = upcoming;
	c.upcoming_project = "Brigade Citrine";
	c.upcoming_date.year = 2026;
	c.upcoming_date.month = 1;
	c.upcoming_date.day = 17;
	c.upcoming_slot = 0;
	c.upcoming_ref = "visit_000042";
	return c;
}

static SchedChatTurn
Say(SchedChatMemory *m, const SchedChatContext *c, const char *msg)
{
	SchedChatTurn t;

	SetContext("message \"%s\" in state %s", msg, sched_chat_state_name(m->state));
	sched_chat_step(m, msg, strlen(msg), c, &t);
	return t;
}

static void
TestVisit(void)
{
	SchedChatMemory m;
	SchedChatContext none = Context(NULL, false);
	SchedChatContext known = Context("Brigade Citrine", false);
	SchedChatTurn t;

	sched_chat_reset(&m);
	t = Say(&m, &none, "what is the price of a 3 BHK?");
	CHECK_INT(m.state, SCHED_CHAT_IDLE);
	CHECK_INT(m.last_nudge, SCHED_INTENT_SITE_VISIT);
	CHECK(strstr(t.reply, "Would you like to visit the site?") != NULL);

	t = Say(&m, &none, "yes");
	CHECK_INT(m.state, SCHED_CHAT_COLLECTING);
	CHECK_INT(m.intent, SCHED_INTENT_SITE_VISIT);
	CHECK(strstr(t.reply, "which project") != NULL);
	CHECK(strstr(t.reply, "Our projects: Brigade Citrine, Prestige Park.") != NULL);

	t = Say(&m, &known, "my name is Asha Rao, 98765 43210");
	CHECK_STR(t.reply, "Thanks! I still need the date and the time (morning 9-12, afternoon 12-3 or evening 3-6).");
	t = Say(&m, &known, "saturday");
	CHECK_STR(t.reply, "Thanks! I still need the time (morning 9-12, afternoon 12-3 or evening 3-6).");
	t = Say(&m, &known, "evening");
	CHECK_INT(m.state, SCHED_CHAT_CONFIRMING);
	CHECK_STR(t.reply, "Shall I book a site visit to Brigade Citrine on Sat 17 Jan, 3 PM-6 PM for Asha Rao (+919876543210)? Reply YES to confirm, or tell me what to change.");
	CHECK_INT(t.action, SCHED_CHAT_NO_ACTION);

	/* a change while confirming: asked again */
	t = Say(&m, &known, "make it morning");
	CHECK_INT(m.state, SCHED_CHAT_CONFIRMING);
	CHECK(strstr(t.reply, "Sat 17 Jan, 9 AM-12 PM") != NULL);
	t = Say(&m, &known, "no");
	CHECK_INT(m.state, SCHED_CHAT_COLLECTING);
	CHECK_STR(t.reply, "No problem. What would you like to change?");
	t = Say(&m, &known, "sunday");
	CHECK_INT(m.state, SCHED_CHAT_CONFIRMING);
	/* a yes with a change is the change, asked again */
	t = Say(&m, &known, "yes, but on monday");
	CHECK_INT(t.action, SCHED_CHAT_NO_ACTION);
	CHECK_INT(m.state, SCHED_CHAT_CONFIRMING);
	CHECK_INT(m.known.day, 19);
	t = Say(&m, &known, "sunday");
	t = Say(&m, &known, "Haan ji!");
	CHECK_INT(t.action, SCHED_CHAT_BOOK_VISIT);
	CHECK_INT(m.known.day, 18);

	sched_chat_after(&m, SCHED_CHAT_BOOK_VISIT, true);
	CHECK_INT(m.state, SCHED_CHAT_IDLE);
	CHECK(m.known.has_name && m.known.has_phone && !m.known.has_date && !m.known.has_slot);
	CHECK_STR(m.known.name, "Asha Rao");

	/* the next request needs no contact details again */
	t = Say(&m, &known, "can I visit on friday afternoon?");
	CHECK_INT(m.state, SCHED_CHAT_CONFIRMING);
	CHECK(strstr(t.reply, "Fri 16 Jan, 12 PM-3 PM") != NULL);

	/* the project gone while confirming (it stopped taking bookings): asked for */
	t = Say(&m, &none, "yes");
	CHECK_INT(t.action, SCHED_CHAT_NO_ACTION);
	CHECK_INT(m.state, SCHED_CHAT_COLLECTING);
	CHECK(strstr(t.reply, "the project you would like to see") != NULL);
	t = Say(&m, &known, "yes");
	CHECK_INT(m.state, SCHED_CHAT_CONFIRMING);

	/* a refused booking asks for the date and slot again */
	t = Say(&m, &known, "yes");
	CHECK_INT(t.action, SCHED_CHAT_BOOK_VISIT);
	sched_chat_after(&m, SCHED_CHAT_BOOK_VISIT, false);
	CHECK_INT(m.state, SCHED_CHAT_COLLECTING);
	CHECK(!m.known.has_date && !m.known.has_slot && m.known.has_name);
}

static void
TestCallback(void)
{
	SchedChatMemory m;
	SchedChatContext c = Context(NULL, false);
	SchedChatTurn t;

	sched_chat_reset(&m);
	t = Say(&m, &c, "please call me back on 9876543210");
	CHECK_INT(m.intent, SCHED_INTENT_CALLBACK);
	CHECK_INT(m.state, SCHED_CHAT_COLLECTING);
	CHECK(strstr(t.reply, "callback") != NULL);
	CHECK(strstr(t.reply, "project") == NULL);
	t = Say(&m, &c, "my name is Neha Joshi");
	CHECK_STR(t.reply, "Shall I ask our team to call Neha Joshi on +919876543210? Reply YES to confirm, or tell me what to change.");
	t = Say(&m, &c, "ok");
	CHECK_INT(t.action, SCHED_CHAT_REQUEST_CALLBACK);

	/* "cancel" while collecting, with no visit booked, stops */
	sched_chat_reset(&m);
	(void) Say(&m, &c, "call me");
	t = Say(&m, &c, "cancel");
	CHECK_INT(m.state, SCHED_CHAT_IDLE);
	CHECK_STR(t.reply, "OK, I have stopped. Message me whenever you would like to book.");
}

static void
TestCancelAndMove(void)
{
	SchedChatMemory m;
	SchedChatContext c = Context("Brigade Citrine", true);
	SchedChatContext empty = Context("Brigade Citrine", false);
	SchedChatTurn t;

	sched_chat_reset(&m);
	t = Say(&m, &c, "I want to cancel my visit");
	CHECK_INT(m.state, SCHED_CHAT_CANCELLING);
	CHECK_STR(t.reply, "Cancel your site visit to Brigade Citrine on Sat 17 Jan, 9 AM-12 PM (ref visit_000042)? Reply YES to cancel it.");
	t = Say(&m, &c, "nahi");
	CHECK_INT(m.state, SCHED_CHAT_IDLE);
	CHECK_INT(t.action, SCHED_CHAT_NO_ACTION);
	(void) Say(&m, &c, "cancel");
	t = Say(&m, &c, "yes");
	CHECK_INT(t.action, SCHED_CHAT_CANCEL_VISIT);

	sched_chat_reset(&m);
	t = Say(&m, &c, "please reschedule to sunday");
	CHECK_INT(m.state, SCHED_CHAT_RESCHEDULING);
	CHECK_STR(t.reply, "Which time (morning, afternoon or evening) would you like instead?");
	t = Say(&m, &c, "evening");
	CHECK_INT(m.state, SCHED_CHAT_CONFIRMING_MOVE);
	CHECK_STR(t.reply, "Move your site visit to Brigade Citrine (ref visit_000042) to Sun 18 Jan, 3 PM-6 PM? Reply YES to confirm.");
	t = Say(&m, &c, "no");
	CHECK_INT(m.state, SCHED_CHAT_RESCHEDULING);
	t = Say(&m, &c, "monday morning");
	CHECK_INT(m.state, SCHED_CHAT_CONFIRMING_MOVE);
	t = Say(&m, &c, "ok");
	CHECK_INT(t.action, SCHED_CHAT_MOVE_VISIT);
	CHECK_INT(m.known.day, 19);

	sched_chat_reset(&m);
	t = Say(&m, &empty, "cancel");
	CHECK_INT(m.state, SCHED_CHAT_IDLE);
	CHECK_STR(t.reply, "You have no upcoming site visit to cancel. Would you like to book one?");
	t = Say(&m, &empty, "yes");
	CHECK_INT(m.state, SCHED_CHAT_COLLECTING);
	CHECK_INT(m.intent, SCHED_INTENT_SITE_VISIT);
}

static void
TestBareYes(void)
{
	SetContext("bare affirmatives");
	CHECK(sched_is_bare_yes("yes", 3));
	CHECK(sched_is_bare_yes("ok go ahead", 11));
	CHECK(sched_is_bare_yes("Haan ji!", 8));
	CHECK(sched_is_bare_yes("\xe0\xa4\xb9\xe0\xa4\xbe\xe0\xa4\x82", 9));	/* हां */
	CHECK(!sched_is_bare_yes("yes, but on monday at the other project", 39));
	CHECK(!sched_is_bare_yes("no", 2));
	CHECK(!sched_is_bare_yes("", 0));
	CHECK(!sched_is_bare_yes("please", 6));
}

static void
TestStates(void)
{
	SchedChatState s;
	int			i;

	SetContext("state names");
	for (i = 0; i < SCHED_CHAT_STATES; i++)
	{
		CHECK(sched_chat_state_from_name(sched_chat_state_name((SchedChatState) i), &s));
		CHECK_INT(s, i);
	}
	CHECK(!sched_chat_state_from_name("booked", &s));
	CHECK(!sched_chat_state_from_name(NULL, &s));
	CHECK(sched_chat_state_name((SchedChatState) 99) == NULL);
}

static void
TestLongReply(void)
{
	SchedChatMemory m;
	SchedChatContext c = Context(NULL, false);
	SchedChatTurn t;
	char		choices[3000];
	size_t		i;

	/* project names that do not fit: cut between characters */
	for (i = 0; i + 3 < sizeof(choices); i += 3)
		memcpy(choices + i, "\xe0\xa4\xb8", 3);	/* Devanagari sa */
	choices[i] = '\0';
	c.project_choices = choices;
	sched_chat_reset(&m);
	t = Say(&m, &c, "I want to visit");
	CHECK(strlen(t.reply) < sizeof(t.reply));
	CHECK((strlen(t.reply) - strlen(strstr(t.reply, "\xe0"))) % 1 == 0);
	CHECK(strlen(strstr(t.reply, "\xe0\xa4\xb8")) % 3 == 0);
}

int
main(void)
{
	TestVisit();
	TestCallback();
	TestCancelAndMove();
	TestBareYes();
	TestStates();
	TestLongReply();
	return CheckSummary("test_chat_flow");
}
