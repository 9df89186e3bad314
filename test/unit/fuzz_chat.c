/*
 * fuzz_chat.c
 *		libFuzzer target for the chat helpers: intent detection
 *		(src/intent.c) with every nudge, and contact-detail extraction
 *		(src/contact_details.c) with several todays and country codes,
 *		with invariants on what they return.
 *
 * "make -C test/unit fuzz" builds it with clang-14 -fsanitize=fuzzer and
 * runs it on corpus_chat/.  Linked with fuzz_replay.c instead ("make
 * replay"), it replays the seeds without the libFuzzer runtime.
 *
 * Every input is copied into a malloc'd buffer of its exact size, with no
 * terminating NUL, and the output struct is filled with garbage before
 * each call, so that AddressSanitizer reports a read past the input and
 * UndefinedBehaviorSanitizer a flag left unwritten (a bool that is neither
 * 0 nor 1).  A broken invariant prints what it was and aborts, which
 * libFuzzer records as a crash.
 */
#define _POSIX_C_SOURCE 200809L

#include "calendar.h"
#include "chat_flow.h"
#include "contact_details.h"
#include "intent.h"
#include "rules.h"
#include "scheduling_prompt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

#define IS_ALPHA(c)	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))

/* Todays tried on every input (one more comes from the input's bytes). */
static const int todays[][3] = {
	{2026, 1, 14}, {2024, 2, 29}, {2026, 12, 31}, {9999, 12, 31}, {1, 1, 1},
	{2025, 2, 30}
};
#define NTODAYS (sizeof(todays) / sizeof(todays[0]))

/* Default country codes: the business's, another, none, and a bad one. */
static const char *const country_codes[] = {"91", "1", NULL, "0"};
#define NCODES (sizeof(country_codes) / sizeof(country_codes[0]))

/*
 * Utf8Valid: s[0..n) is valid UTF-8 (shortest forms, no surrogates).
 */
static int
Utf8Valid(const unsigned char *s, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		unsigned char c = s[i];
		size_t		k;
		unsigned long cp;
		size_t		j;

		if (c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
		{
			k = 2;
			cp = c & 0x1f;
		}
		else if (c >= 0xe0 && c <= 0xef)
		{
			k = 3;
			cp = c & 0x0f;
		}
		else if (c >= 0xf0 && c <= 0xf4)
		{
			k = 4;
			cp = c & 0x07;
		}
		else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++)
		{
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) || cp > 0x10ffff ||
			(cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k;
	}
	return 1;
}

/*
 * FuzzIntent: the answer is an intent; a nudge only ever turns "none"
 * into the nudged intent; names and prompts agree with it.
 */
static void
FuzzIntent(const char *s, size_t len)
{
	SchedIntent plain;
	SchedIntent again;
	SchedIntent n;
	SchedIntent parsed;

	cur_what = "intent";
	plain = sched_detect_intent(s, len, SCHED_INTENT_NONE);
	REQUIRE(plain == SCHED_INTENT_NONE || plain == SCHED_INTENT_SITE_VISIT ||
			plain == SCHED_INTENT_CALLBACK);
	again = sched_detect_intent(s, len, SCHED_INTENT_NONE);
	REQUIRE(again == plain);
	REQUIRE(sched_detect_intent(s, len, (SchedIntent) 5) == plain);
	REQUIRE(sched_detect_intent(s, len, (SchedIntent) -1) == plain);
	for (n = SCHED_INTENT_SITE_VISIT; n <= SCHED_INTENT_CALLBACK; n++)
	{
		SchedIntent r = sched_detect_intent(s, len, n);

		if (plain != SCHED_INTENT_NONE)
			REQUIRE(r == plain);
		else
			REQUIRE(r == SCHED_INTENT_NONE || r == n);
	}

	cur_what = "intent names and prompts";
	if (plain == SCHED_INTENT_NONE)
		REQUIRE(sched_intent_name(plain) == NULL &&
				sched_scheduling_prompt(plain) == NULL);
	else
	{
		const char *name = sched_intent_name(plain);

		REQUIRE(name != NULL);
		REQUIRE(sched_intent_from_name(name, strlen(name), &parsed) && parsed == plain);
		REQUIRE(sched_scheduling_prompt(plain) != NULL);
	}

	/* the input as a name */
	parsed = (SchedIntent) 42;
	if (sched_intent_from_name(s, len, &parsed))
	{
		REQUIRE(parsed == SCHED_INTENT_NONE || parsed == SCHED_INTENT_SITE_VISIT ||
				parsed == SCHED_INTENT_CALLBACK);
		if (parsed == SCHED_INTENT_NONE)
			REQUIRE(len == 0);
		else
			REQUIRE(strlen(sched_intent_name(parsed)) == len &&
					memcmp(sched_intent_name(parsed), s, len) == 0);
	}
	else
		REQUIRE(parsed == (SchedIntent) 42);
}

/*
 * CheckDetails: a result's fields are all written and well formed.
 */
static void
CheckDetails(const SchedContactDetails *c, const char *s, size_t len,
			 const int *today, const char *cc)
{
	size_t		n;
	size_t		i;

	/* loading a bool that is not 0 or 1 is a UBSan report */
	REQUIRE(c->has_name == true || c->has_name == false);

	cur_what = "details: name";
	REQUIRE(memchr(c->name, '\0', sizeof(c->name)) != NULL);
	n = strlen(c->name);
	if (!c->has_name)
		REQUIRE(n == 0);
	else
	{
		REQUIRE(n >= 2 && n <= SCHED_MAX_NAME);
		REQUIRE(Utf8Valid((const unsigned char *) c->name, n));
		REQUIRE(c->name[0] != ' ' && c->name[n - 1] != ' ');
		REQUIRE(strstr(c->name, "  ") == NULL);
		for (i = 0; i < n; i++)
		{
			unsigned char b = (unsigned char) c->name[i];

			REQUIRE(b >= 0x80 || IS_ALPHA(b) || b == ' ' || b == '.' ||
					b == '-' || b == '\'' || b == '`');
		}
	}

	cur_what = "details: phone";
	REQUIRE(memchr(c->phone, '\0', sizeof(c->phone)) != NULL);
	n = strlen(c->phone);
	if (!c->has_phone)
		REQUIRE(n == 0);
	else
	{
		char		again[SCHED_PHONE_BUFSZ];

		REQUIRE(c->phone[0] == '+');
		REQUIRE(n >= 5 && n <= 16);
		for (i = 1; i < n; i++)
			REQUIRE(IS_DIGIT(c->phone[i]));
		REQUIRE(sched_normalize_phone(c->phone, n, cc, again) == SCHED_PHONE_OK);
		REQUIRE(strcmp(again, c->phone) == 0);
	}

	cur_what = "details: email";
	REQUIRE(memchr(c->email, '\0', sizeof(c->email)) != NULL);
	n = strlen(c->email);
	if (!c->has_email)
		REQUIRE(n == 0);
	else
	{
		char	   *again = Alloc(n + 1);
		const char *at = strchr(c->email, '@');
		size_t		local;
		size_t		k;
		int			found = 0;

		REQUIRE(n >= 6 && n <= SCHED_MAX_EMAIL);
		REQUIRE(at != NULL && strchr(at + 1, '@') == NULL);
		REQUIRE(sched_normalize_email(c->email, n, again) == SCHED_EMAIL_OK);
		REQUIRE(strcmp(again, c->email) == 0);
		free(again);
		/* the local part and its '@' are in the message as written */
		local = (size_t) (at - c->email) + 1;
		for (k = 0; k + local <= len && !found; k++)
			found = memcmp(s + k, c->email, local) == 0;
		REQUIRE(found);
	}

	cur_what = "details: date";
	if (!c->has_date)
		REQUIRE(c->year == 0 && c->month == 0 && c->day == 0);
	else
	{
		REQUIRE(sched_valid_date(c->year, c->month, c->day));
		REQUIRE(sched_valid_date(today[0], today[1], today[2]));
	}

	cur_what = "details: slot";
	if (!c->has_slot)
		REQUIRE(c->slot == -1);
	else
		REQUIRE(c->slot >= 0 && c->slot < SLOT_N);
}

/*
 * ParseChecked: one parse into a garbage-filled struct, checked.
 */
static void
ParseChecked(const char *s, size_t len, const int *today, const char *cc,
			 SchedContactDetails *out)
{
	cur_what = "details";
	memset(out, 0xa5, sizeof(*out));
	sched_parse_contact_details(s, len, today[0], today[1], today[2], cc, out);
	CheckDetails(out, s, len, today, cc);
}

/*
 * FuzzDetails: every today (with the business's country code) and every
 * country code (with the first today); the same result twice; a
 * garbage-filled output struct is always fully rewritten; the country
 * code changes only the phone (and so the name read before it), and
 * today only the date.
 */
static void
FuzzDetails(const uint8_t *data, size_t size, const char *s, size_t len)
{
	int			extra[3];
	size_t		t;
	size_t		c;
	SchedContactDetails *base = Alloc(sizeof(SchedContactDetails));
	SchedContactDetails *other = Alloc(sizeof(SchedContactDetails));

	/* one more today from the input's first bytes: any year, bad months and days */
	extra[0] = 1 + (int) (((size > 0 ? data[0] : 0) << 8 | (size > 1 ? data[1] : 0)) % 10000);
	extra[1] = (size > 2 ? data[2] : 0) % 14;
	extra[2] = (size > 3 ? data[3] : 0) % 33;

	ParseChecked(s, len, todays[0], country_codes[0], base);
	ParseChecked(s, len, todays[0], country_codes[0], other);
	cur_what = "details: the same twice";
	REQUIRE(memcmp(base, other, sizeof(*base)) == 0);

	for (t = 1; t <= NTODAYS; t++)
	{
		ParseChecked(s, len, t < NTODAYS ? todays[t] : extra, country_codes[0], other);
		cur_what = "details: today changes only the date";
		REQUIRE(other->has_name == base->has_name && strcmp(other->name, base->name) == 0);
		REQUIRE(other->has_phone == base->has_phone && strcmp(other->phone, base->phone) == 0);
		REQUIRE(other->has_email == base->has_email && strcmp(other->email, base->email) == 0);
		REQUIRE(other->has_slot == base->has_slot && other->slot == base->slot);
	}
	for (c = 1; c < NCODES; c++)
	{
		ParseChecked(s, len, todays[0], country_codes[c], other);
		cur_what = "details: the country code changes only the phone (and a name before it)";
		REQUIRE(other->has_email == base->has_email && strcmp(other->email, base->email) == 0);
		REQUIRE(other->has_date == base->has_date && other->year == base->year &&
				other->month == base->month && other->day == base->day);
		REQUIRE(other->has_slot == base->has_slot && other->slot == base->slot);
	}
	free(base);
	free(other);
}

/*
 * FuzzFlow: the input as the next message in every state of a
 * conversation (1.4, chat_flow.c), with and without a project and an
 * upcoming visit: the reply is terminated, valid UTF-8 (the names in it
 * are, and a reply cut short is cut between characters), an
 * action comes only from a state that asks for one, and the state stays
 * a state.
 */
static void
FuzzFlow(const char *s, size_t n)
{
	int			state;
	int			variant;

	for (state = 0; state < SCHED_CHAT_STATES; state++)
		for (variant = 0; variant < 4; variant++)
		{
			SchedChatMemory m;
			SchedChatContext ctx;
			SchedChatTurn turn;

			sched_chat_reset(&m);
			m.state = (SchedChatState) state;
			m.intent = variant & 1 ? SCHED_INTENT_CALLBACK : SCHED_INTENT_SITE_VISIT;
			if (variant & 2)
			{
				m.known.has_name = m.known.has_phone = m.known.has_date = m.known.has_slot = true;
				strcpy(m.known.name, "Asha Rao");
				strcpy(m.known.phone, "+919876543210");
				m.known.year = 2026;
				m.known.month = 1;
				m.known.day = 17;
				m.known.slot = 0;
			}
			memset(&ctx, 0, sizeof(ctx));
			ctx.today.year = 2026;
			ctx.today.month = 1;
			ctx.today.day = 14;
			ctx.default_cc = "91";
			ctx.project = variant & 1 ? NULL : "Brigade Citrine";
			ctx.project_choices = "Brigade Citrine, Prestige Park";
			ctx.has_upcoming = variant & 2;
			ctx.upcoming_project = "Brigade Citrine";
			ctx.upcoming_date = ctx.today;
			ctx.upcoming_slot = 2;
			ctx.upcoming_ref = "visit_000001";
			memset(turn.reply, 0xAB, sizeof(turn.reply));
			sched_chat_step(&m, s, n, &ctx, &turn);
			REQUIRE(memchr(turn.reply, '\0', sizeof(turn.reply)) != NULL);
			REQUIRE(Utf8Valid((const unsigned char *) turn.reply, strlen(turn.reply)));
			REQUIRE(sched_chat_state_name(m.state) != NULL);
			REQUIRE(turn.action == SCHED_CHAT_NO_ACTION || state == SCHED_CHAT_CONFIRMING ||
					   state == SCHED_CHAT_CANCELLING || state == SCHED_CHAT_CONFIRMING_MOVE);
		}
}

/*
 * LLVMFuzzerTestOneInput: one input, through every check above.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = Exact((const char *) data, size);

	cur_data = data;
	cur_size = size;
	FuzzIntent(s, size);
	FuzzDetails(data, size, s, size);
	FuzzFlow(s, size);
	free(s);
	return 0;
}
