/*
 * scheduling_prompt.c
 *		The text that asks a customer for the details of the site visit or
 *		the callback their message asked for.
 *
 * Pure C, no PostgreSQL headers (see scheduling_prompt.h).
 */
#include "scheduling_prompt.h"

/*
 * sched_scheduling_prompt: the seed's prompt for a site visit, and one in
 * the same voice for a callback.
 */
const char *
sched_scheduling_prompt(SchedIntent intent)
{
	switch (intent)
	{
		case SCHED_INTENT_SITE_VISIT:
			return "**Great! Let's schedule your site visit.**\n\n"
				"Please share:\n"
				"\xe2\x80\xa2 Your name\n"
				"\xe2\x80\xa2 Phone number\n"
				"\xe2\x80\xa2 Preferred date and time\n\n"
				"Our Relationship Manager will confirm within 1 hour!";
		case SCHED_INTENT_CALLBACK:
			return "**Sure! Let's arrange a callback.**\n\n"
				"Please share:\n"
				"\xe2\x80\xa2 Your name\n"
				"\xe2\x80\xa2 Phone number\n"
				"\xe2\x80\xa2 Best time to call\n\n"
				"Our team will call you back shortly!";
		case SCHED_INTENT_NONE:
			break;
	}
	return NULL;
}
