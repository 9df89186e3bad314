/*
 * chat_flow.c
 *		One turn of the booking conversation (chat_flow.h).
 *
 * Words are matched on a normalised copy of the message: ASCII letters
 * and digits lower-cased, everything else a single space, with a space
 * at each end, so that " yes " is a whole word.  Only the first
 * NORM_BYTES bytes are read for the short answers (yes, no, cancel,
 * reschedule); the details are read by contact_details.c, the intent by
 * intent.c, each within its own limits.
 */
#include "chat_flow.h"
#include "scheduling_prompt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NORM_BYTES	300

static const char *const state_names[SCHED_CHAT_STATES] = {
	"idle", "collecting", "confirming", "cancelling", "rescheduling", "confirming_move"
};

const char *
sched_chat_state_name(SchedChatState state)
{
	if ((int) state < 0 || (int) state >= SCHED_CHAT_STATES)
		return NULL;
	return state_names[state];
}

bool
sched_chat_state_from_name(const char *name, SchedChatState *out)
{
	int			i;

	for (i = 0; name != NULL && i < SCHED_CHAT_STATES; i++)
		if (strcmp(name, state_names[i]) == 0)
		{
			*out = (SchedChatState) i;
			return true;
		}
	return false;
}

void
sched_chat_reset(SchedChatMemory *m)
{
	memset(m, 0, sizeof(*m));
	m->state = SCHED_CHAT_IDLE;
	m->intent = SCHED_INTENT_NONE;
	m->last_nudge = SCHED_INTENT_NONE;
	m->known.slot = -1;
}

/* A reply being written: never overflows, always terminated. */
typedef struct Reply
{
	char	   *buf;
	size_t		size;
	size_t		len;
} Reply;

#ifdef __GNUC__
static void Say(Reply *r, const char *fmt,...) __attribute__((format(printf, 2, 3)));
#endif

static void
Say(Reply *r, const char *fmt,...)
{
	va_list		ap;
	int			n;

	if (r->len + 1 >= r->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, r->size - r->len, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if (r->len + (size_t) n < r->size)
	{
		r->len += (size_t) n;
		return;
	}
	/* cut short: not inside a UTF-8 character */
	r->len = r->size - 1;
	{
		size_t		lead = r->len;
		size_t		need;
		unsigned char c;

		while (lead > 0 && r->len - lead < 4 && ((unsigned char) r->buf[lead - 1] & 0xC0) == 0x80)
			lead--;
		if (lead > 0)
		{
			c = (unsigned char) r->buf[lead - 1];
			need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			if (r->len - (lead - 1) < need)
				r->len = lead - 1;
		}
		r->buf[r->len] = '\0';
		r->size = r->len + 1;	/* full: nothing more is appended after a cut */
	}
}

/*
 * Normalise: " word word " of the first NORM_BYTES bytes (see above).
 */
static void
Normalise(const char *msg, size_t len, char *out, size_t outsz)
{
	size_t		o = 0;
	size_t		i;
	bool		space = true;

	out[o++] = ' ';
	for (i = 0; i < len && i < NORM_BYTES && o + 2 < outsz; i++)
	{
		unsigned char c = (unsigned char) msg[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char) (c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		{
			out[o++] = (char) c;
			space = false;
		}
		else if (!space)
		{
			out[o++] = ' ';
			space = true;
		}
	}
	if (!space)
		out[o++] = ' ';
	out[o] = '\0';
}

/* a phrase (" word word ") appears in the normalised message */
static bool
Has(const char *norm, const char *phrase)
{
	char		padded[64];

	snprintf(padded, sizeof(padded), " %s ", phrase);
	return strstr(norm, padded) != NULL;
}

static bool
HasAny(const char *norm, const char *const *phrases)
{
	for (; *phrases != NULL; phrases++)
		if (Has(norm, *phrases))
			return true;
	return false;
}

/* the whole message is one of the phrases */
static bool
IsAny(const char *norm, const char *const *phrases)
{
	char		padded[64];

	for (; *phrases != NULL; phrases++)
	{
		snprintf(padded, sizeof(padded), " %s ", *phrases);
		if (strcmp(norm, padded) == 0)
			return true;
	}
	return false;
}

static const char *const no_words[] = {
	"no", "n", "nope", "nah", "not now", "no thanks", "no thank you", "nahi", "nahin",
	"na", "mat karo", "wait", "dont", "don t", "do not", NULL
};
static const char *const cancel_words[] = {
	"cancel", "cancel it", "cancel my visit", "cancel the visit", "cancel visit",
	"cancel karo", "cancel kar do", "cancel karna hai", "radd", NULL
};
static const char *const move_words[] = {
	"reschedule", "re schedule", "postpone", "prepone", "change the date", "change my visit",
	"move my visit", "change date", "another day", "different day", "shift my visit", NULL
};

/* a bare yes, as intent.c reads one (the same words a nudge takes) */
static bool
IsYes(const char *msg, size_t len)
{
	return sched_is_bare_yes(msg ? msg : "", len);
}

static bool
IsNo(const char *norm)
{
	return IsAny(norm, no_words);
}

/* "Sat 17 Jan, 9 AM-12 PM" */
static void
Label(Reply *r, int year, int month, int day, int slot)
{
	SchedDate	d = {year, month, day};
	char		label[128];

	sched_format_slot_label(d, slot, NULL, NULL, label, sizeof(label));
	Say(r, "%s", label);
}

/* merge what a message gave into what is known; later values win */
static void
Merge(SchedContactDetails *known, const SchedContactDetails *got, bool dates_only)
{
	if (!dates_only)
	{
		if (got->has_name)
		{
			known->has_name = true;
			memcpy(known->name, got->name, sizeof(known->name));
		}
		if (got->has_phone)
		{
			known->has_phone = true;
			memcpy(known->phone, got->phone, sizeof(known->phone));
		}
		if (got->has_email)
		{
			known->has_email = true;
			memcpy(known->email, got->email, sizeof(known->email));
		}
	}
	if (got->has_date)
	{
		known->has_date = true;
		known->year = got->year;
		known->month = got->month;
		known->day = got->day;
	}
	if (got->has_slot)
	{
		known->has_slot = true;
		known->slot = got->slot;
	}
}

/* the message gives a detail other than the one known */
static bool
Changes(const SchedContactDetails *known, const SchedContactDetails *got)
{
	return (got->has_name && (!known->has_name || strcmp(got->name, known->name) != 0)) ||
		(got->has_phone && (!known->has_phone || strcmp(got->phone, known->phone) != 0)) ||
		(got->has_email && (!known->has_email || strcmp(got->email, known->email) != 0)) ||
		(got->has_date && (!known->has_date || got->year != known->year ||
						   got->month != known->month || got->day != known->day)) ||
		(got->has_slot && (!known->has_slot || got->slot != known->slot));
}

/* the things still missing, as a list: "your name, your phone number and the date" */
static int
Missing(const SchedChatMemory *m, const SchedChatContext *ctx, const char **items)
{
	int			n = 0;

	if (m->intent == SCHED_INTENT_SITE_VISIT && ctx->project == NULL)
		items[n++] = "the project you would like to see";
	if (!m->known.has_name)
		items[n++] = "your name";
	if (!m->known.has_phone)
		items[n++] = "your phone number";
	if (m->intent == SCHED_INTENT_SITE_VISIT)
	{
		if (!m->known.has_date)
			items[n++] = "the date";
		if (!m->known.has_slot)
			items[n++] = "the time (morning 9-12, afternoon 12-3 or evening 3-6)";
	}
	return n;
}

static void
List(Reply *r, const char **items, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		Say(r, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", items[i]);
}

/* the question that ends collecting */
static void
AskToConfirm(SchedChatMemory *m, const SchedChatContext *ctx, Reply *r)
{
	m->state = SCHED_CHAT_CONFIRMING;
	if (m->intent == SCHED_INTENT_SITE_VISIT)
	{
		Say(r, "Shall I book a site visit to %s on ", ctx->project);
		Label(r, m->known.year, m->known.month, m->known.day, m->known.slot);
		Say(r, " for %s (%s)? Reply YES to confirm, or tell me what to change.",
			m->known.name, m->known.phone);
	}
	else
		Say(r, "Shall I ask our team to call %s on %s? Reply YES to confirm, or tell me what to change.",
			m->known.name, m->known.phone);
}

/* collecting: ask for what is missing, or to confirm */
static void
Collect(SchedChatMemory *m, const SchedChatContext *ctx, Reply *r, bool first)
{
	const char *items[5];
	int			n = Missing(m, ctx, items);

	if (n == 0)
	{
		AskToConfirm(m, ctx, r);
		return;
	}
	m->state = SCHED_CHAT_COLLECTING;
	if (first)
	{
		Say(r, "%s", sched_scheduling_prompt(m->intent));
		if (m->intent == SCHED_INTENT_SITE_VISIT && ctx->project == NULL)
			Say(r, " And which project would you like to see?");
	}
	else
	{
		Say(r, "Thanks! I still need ");
		List(r, items, n);
		Say(r, ".");
	}
	if (m->intent == SCHED_INTENT_SITE_VISIT && ctx->project == NULL && ctx->project_choices != NULL)
		Say(r, " Our projects: %s.", ctx->project_choices);
}

/* "cancel": the next visit, after a confirmation */
static void
StartCancel(SchedChatMemory *m, const SchedChatContext *ctx, Reply *r)
{
	if (!ctx->has_upcoming)
	{
		sched_chat_reset(m);
		Say(r, "You have no upcoming site visit to cancel. Would you like to book one?");
		m->last_nudge = SCHED_INTENT_SITE_VISIT;
		return;
	}
	m->state = SCHED_CHAT_CANCELLING;
	Say(r, "Cancel your site visit to %s on ", ctx->upcoming_project);
	Label(r, ctx->upcoming_date.year, ctx->upcoming_date.month, ctx->upcoming_date.day, ctx->upcoming_slot);
	Say(r, " (ref %s)? Reply YES to cancel it.", ctx->upcoming_ref);
}

/* "reschedule": the next visit's new date and slot, then a confirmation */
static void
Moving(SchedChatMemory *m, const SchedChatContext *ctx, Reply *r)
{
	if (m->known.has_date && m->known.has_slot)
	{
		m->state = SCHED_CHAT_CONFIRMING_MOVE;
		Say(r, "Move your site visit to %s (ref %s) to ", ctx->upcoming_project, ctx->upcoming_ref);
		Label(r, m->known.year, m->known.month, m->known.day, m->known.slot);
		Say(r, "? Reply YES to confirm.");
		return;
	}
	m->state = SCHED_CHAT_RESCHEDULING;
	Say(r, "Which %s would you like instead?",
		!m->known.has_date && !m->known.has_slot ? "date and time (morning, afternoon or evening)"
		: !m->known.has_date ? "date" : "time (morning, afternoon or evening)");
}

static void
StartMove(SchedChatMemory *m, const SchedChatContext *ctx, const SchedContactDetails *got, Reply *r)
{
	if (!ctx->has_upcoming)
	{
		sched_chat_reset(m);
		Say(r, "You have no upcoming site visit to move. Would you like to book one?");
		m->last_nudge = SCHED_INTENT_SITE_VISIT;
		return;
	}
	m->known.has_date = false;
	m->known.has_slot = false;
	Merge(&m->known, got, true);
	Moving(m, ctx, r);
}

void
sched_chat_step(SchedChatMemory *m, const char *msg, size_t len,
				const SchedChatContext *ctx, SchedChatTurn *out)
{
	char		norm[NORM_BYTES + 3];
	SchedContactDetails got;
	Reply		r = {out->reply, sizeof(out->reply), 0};
	SchedIntent intent;
	bool		wants_cancel;
	bool		wants_move;

	out->action = SCHED_CHAT_NO_ACTION;
	out->reply[0] = '\0';
	if (msg == NULL)
		len = 0;
	Normalise(msg ? msg : "", len, norm, sizeof(norm));
	sched_parse_contact_details(msg ? msg : "", len, ctx->today.year, ctx->today.month,
								ctx->today.day, ctx->default_cc, &got);
	wants_cancel = HasAny(norm, cancel_words);
	wants_move = HasAny(norm, move_words);

	switch (m->state)
	{
		case SCHED_CHAT_CANCELLING:
			if (IsYes(msg, len) && ctx->has_upcoming)
			{
				out->action = SCHED_CHAT_CANCEL_VISIT;
				return;
			}
			if (IsNo(norm))
			{
				sched_chat_reset(m);
				Say(&r, "OK, your visit stays as it is.");
				return;
			}
			break;
		case SCHED_CHAT_CONFIRMING_MOVE:
			if (IsYes(msg, len) && ctx->has_upcoming)
			{
				out->action = SCHED_CHAT_MOVE_VISIT;
				return;
			}
			/* FALLTHROUGH */
		case SCHED_CHAT_RESCHEDULING:
			if (!ctx->has_upcoming || wants_cancel)
				break;
			if (IsNo(norm))
			{
				m->known.has_date = m->known.has_slot = false;
				m->state = SCHED_CHAT_RESCHEDULING;
				Say(&r, "Which date and time (morning, afternoon or evening) would you like instead?");
				return;
			}
			Merge(&m->known, &got, true);
			Moving(m, ctx, &r);
			return;
		case SCHED_CHAT_CONFIRMING:
			{
				const char *missing[5];

				/* something known went (the project stopped taking bookings): ask */
				if (Missing(m, ctx, missing) > 0)
				{
					Merge(&m->known, &got, false);
					Collect(m, ctx, &r, false);
					return;
				}
			}
			if (Changes(&m->known, &got))
			{
				/* "yes, but Sunday": the change first, then ask again */
				Merge(&m->known, &got, false);
				Collect(m, ctx, &r, false);
				return;
			}
			if (IsYes(msg, len))
			{
				out->action = m->intent == SCHED_INTENT_SITE_VISIT
					? SCHED_CHAT_BOOK_VISIT : SCHED_CHAT_REQUEST_CALLBACK;
				return;
			}
			if (IsNo(norm))
			{
				m->state = SCHED_CHAT_COLLECTING;
				Say(&r, "No problem. What would you like to change?");
				return;
			}
			/* FALLTHROUGH */
		case SCHED_CHAT_COLLECTING:
			if (wants_cancel && !ctx->has_upcoming)
			{
				sched_chat_reset(m);
				Say(&r, "OK, I have stopped. Message me whenever you would like to book.");
				return;
			}
			if (wants_cancel || wants_move)
				break;
			Merge(&m->known, &got, false);
			Collect(m, ctx, &r, false);
			return;
		case SCHED_CHAT_IDLE:
			break;
	}

	/* a new request */
	if (wants_cancel)
	{
		StartCancel(m, ctx, &r);
		return;
	}
	if (wants_move)
	{
		StartMove(m, ctx, &got, &r);
		return;
	}
	intent = sched_detect_intent(msg ? msg : "", len, m->last_nudge);
	if (intent == SCHED_INTENT_NONE)
	{
		m->state = SCHED_CHAT_IDLE;
		m->last_nudge = SCHED_INTENT_SITE_VISIT;
		Say(&r, "I can book you a site visit or have our team call you back. Would you like to visit the site?");
		return;
	}
	m->state = SCHED_CHAT_COLLECTING;
	m->intent = intent;
	m->last_nudge = SCHED_INTENT_NONE;
	m->known.has_date = m->known.has_slot = false;
	Merge(&m->known, &got, false);
	Collect(m, ctx, &r, true);
}

void
sched_chat_after(SchedChatMemory *m, SchedChatAction action, bool done)
{
	if (done)
	{
		SchedContactDetails keep = m->known;

		sched_chat_reset(m);
		m->known.has_name = keep.has_name;
		memcpy(m->known.name, keep.name, sizeof(keep.name));
		m->known.has_phone = keep.has_phone;
		memcpy(m->known.phone, keep.phone, sizeof(keep.phone));
		m->known.has_email = keep.has_email;
		memcpy(m->known.email, keep.email, sizeof(keep.email));
		return;
	}
	/* refused: the date and slot are asked for again */
	m->known.has_date = false;
	m->known.has_slot = false;
	m->known.slot = -1;
	m->state = action == SCHED_CHAT_MOVE_VISIT ? SCHED_CHAT_RESCHEDULING
		: action == SCHED_CHAT_CANCEL_VISIT ? SCHED_CHAT_IDLE : SCHED_CHAT_COLLECTING;
}
