/*
 * profile_calls.c
 *		A customer's settings (1.4): the time zone (sched.set_my_time_zone
 *		for the customer's own token, sched.set_time_zone_for for the back
 *		end, and sched.slot_label, a slot as a customer reads it) and the
 *		channel of their texts (sched.set_my_channel, sched.set_channel_for:
 *		WhatsApp, with the opt-in WhatsApp Business requires, or SMS).
 *
 * Many buyers of Indian property live abroad.  With a time zone in their
 * profile (sched.user_profiles.time_zone, an IANA name), their messages
 * and my_schedule show a visit's slot in the project's time and, when it
 * differs, on their own clock (clock.c, SchedSlotClocks; messages.c).
 * The zone is checked against the server's tz database and stored as it
 * spells it; NULL clears it.  One profile row per user: a caller cannot
 * grow the table by more than themself.
 */
#include "sched.h"
#include "checks.h"
#include "clock.h"
#include "compat.h"
#include "identity.h"
#include "plans.h"
#include "rows.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(sched_set_my_time_zone);
PG_FUNCTION_INFO_V1(sched_set_time_zone_for);
PG_FUNCTION_INFO_V1(sched_slot_label);
PG_FUNCTION_INFO_V1(sched_set_my_channel);
PG_FUNCTION_INFO_V1(sched_set_channel_for);

/* $1 user_id, $2 the zone or NULL */
static SchedStatement set_time_zone = {
	"INSERT INTO sched.user_profiles AS p (user_id, time_zone) VALUES ($1, $2)"
	" ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone, updated_at = pg_catalog.now()"
	" WHERE p.time_zone IS DISTINCT FROM excluded.time_zone",
	2, {TEXTOID, TEXTOID}
};

/*
 * SetTimeZone: the user's zone set to the call's zone argument (or
 * cleared when it is NULL); returns the zone as stored.
 */
static Datum
SetTimeZone(FunctionCallInfo fcinfo, const char *user_id, int zone_arg)
{
	const char *zone = NULL;
	Datum		values[2];
	char		nulls[2] = {' ', ' '};

	if (SchedSchemaVersion() < SCHED_SCHEMA_14)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sched's tables have no time zones before 1.4"),
				 errhint("ALTER EXTENSION sched UPDATE.")));
	if (!PG_ARGISNULL(zone_arg))
		zone = SchedRequireZone(text_to_cstring(PG_GETARG_TEXT_PP(zone_arg)), "zone");
	values[0] = CStringGetTextDatum(user_id);
	values[1] = zone ? CStringGetTextDatum(zone) : (Datum) 0;
	nulls[1] = zone ? ' ' : 'n';

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_plan(SchedPrepared(&set_time_zone), values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "setting the time zone failed");
	SPI_finish();
	if (zone == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(zone));
}

/*
 * sched_set_my_time_zone: set_my_time_zone(zone): the calling customer's
 * time zone (the request's user, identity.c).
 */
Datum
sched_set_my_time_zone(PG_FUNCTION_ARGS)
{
	return SetTimeZone(fcinfo, SchedRequireUser(), 0);
}

/*
 * sched_set_time_zone_for: set_time_zone_for(user_id, zone): the back
 * end's, for a user it names.
 */
Datum
sched_set_time_zone_for(PG_FUNCTION_ARGS)
{
	return SetTimeZone(fcinfo, SchedUserIdArg(fcinfo, 0), 1);
}

/*
 * sched_slot_label: slot_label(visit_date, time_slot, zone) (1.4): the
 * slot as a customer reads it, "Sat 17 Jan, 9 AM-12 PM IST", and with a
 * zone whose clock differs " (Fri 10:30 PM in New York)" after it.
 */
Datum
sched_slot_label(PG_FUNCTION_ARGS)
{
	DateADT		visit_date;
	int			slot;
	const char *zone = NULL;
	const char *abbrev;
	SchedCustomerClock customer;
	SchedDate	d;
	char		label[256];

	SchedRequire(PG_ARGISNULL(0), "visit_date");
	SchedRequire(PG_ARGISNULL(1), "time_slot");
	visit_date = PG_GETARG_DATEADT(0);
	slot = sched_slot_from_name(SchedEnumLabel(PG_GETARG_DATUM(1)));
	if (!PG_ARGISNULL(2))
		zone = SchedRequireZone(text_to_cstring(PG_GETARG_TEXT_PP(2)), "zone");
	SchedSlotClocks(visit_date, slot, zone, &abbrev, &customer);
	j2date(visit_date + POSTGRES_EPOCH_JDATE, &d.year, &d.month, &d.day);
	sched_format_slot_label(d, slot, abbrev, &customer, label, sizeof(label));
	PG_RETURN_TEXT_P(cstring_to_text(label));
}

/* $1 user_id, $2 channel, $3 opt_in: the customer's channel and opt-in */
static SchedStatement set_channel = {
	"INSERT INTO sched.user_profiles AS p (user_id, preferred_channel, whatsapp_opt_in_at)"
	" VALUES ($1, $2, CASE WHEN $3 THEN pg_catalog.now() END)"
	" ON CONFLICT (user_id) DO UPDATE SET preferred_channel = excluded.preferred_channel,"
	" whatsapp_opt_in_at = CASE WHEN $3 THEN COALESCE(p.whatsapp_opt_in_at, pg_catalog.now()) END,"
	" updated_at = pg_catalog.now()"
	" RETURNING p.preferred_channel, p.whatsapp_opt_in_at",
	3, {TEXTOID, SCHED_TYPE(TYPE_CHANNEL), BOOLOID}
};

/*
 * SetChannel: the user's texts on channel (sms or whatsapp), opted in to
 * WhatsApp or not (WhatsApp needs it); returns the row (preferred_channel,
 * whatsapp_opt_in_at).  The opt-in keeps its first time while it stands.
 */
static Datum
SetChannel(FunctionCallInfo fcinfo, const char *user_id, int first)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *channel;
	bool		opt_in;
	Datum		values[3];
	Datum		out[2];
	bool		out_null[2];

	SchedRequire(PG_ARGISNULL(first), "channel");
	SchedRequire(PG_ARGISNULL(first + 1), "opt_in");
	channel = SchedEnumLabel(PG_GETARG_DATUM(first));
	opt_in = PG_GETARG_BOOL(first + 1);
	if (strcmp(channel, "sms") != 0 && strcmp(channel, "whatsapp") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("channel must be sms or whatsapp"),
				 errdetail("Email goes to the address of each booking; %s is not a channel of texts.", channel)));
	if (strcmp(channel, "whatsapp") == 0 && !opt_in)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("WhatsApp needs the customer's opt-in"),
				 errdetail("WhatsApp Business sends only to customers who agreed to it."),
				 errhint("Pass opt_in => true when the customer has agreed.")));
	if (SchedSchemaVersion() < SCHED_SCHEMA_14)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sched's tables have no channels per customer before 1.4"),
				 errhint("ALTER EXTENSION sched UPDATE.")));
	SchedInitMaterializedSRF(fcinfo);
	values[0] = CStringGetTextDatum(user_id);
	values[1] = PG_GETARG_DATUM(first);
	values[2] = BoolGetDatum(opt_in);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_plan(SchedPrepared(&set_channel), values, NULL, false, 0) != SPI_OK_INSERT_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "setting the channel failed");
	out[0] = SchedResultValue("preferred_channel", &out_null[0]);
	out[1] = SchedResultValue("whatsapp_opt_in_at", &out_null[1]);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, out_null);
	SPI_finish();
	return (Datum) 0;
}

/*
 * sched_set_my_channel: set_my_channel(channel, opt_in): the calling
 * customer's.
 */
Datum
sched_set_my_channel(PG_FUNCTION_ARGS)
{
	return SetChannel(fcinfo, SchedRequireUser(), 0);
}

/*
 * sched_set_channel_for: set_channel_for(user_id, channel, opt_in): the
 * back end's (a WhatsApp webhook recording the customer's "I agree").
 */
Datum
sched_set_channel_for(PG_FUNCTION_ARGS)
{
	return SetChannel(fcinfo, SchedUserIdArg(fcinfo, 0), 1);
}

