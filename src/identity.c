/*
 * identity.c
 *		Who is calling: the end user of the current request, and the
 *		agent whose login that user is.
 *
 * PostgREST (9 and later) and Supabase start every request's transaction
 * by setting request.jwt.claims to the verified JWT's claims, as JSON,
 * after switching to the request's role; older PostgREST set one setting
 * per claim, request.jwt.claim.<name>.  The user is the claim named by
 * sched.user_id_claim (default "sub").  The customer and agent calls
 * (customer_calls.c, agent_calls.c) and the views my_visits, my_callbacks
 * and my_assignments take the user only from here, never from an
 * argument, and never from request.headers, which the client writes.
 *
 * Any session may set request.jwt.claims itself, as it may any
 * placeholder setting: the claims are trustworthy only in a session whose
 * SQL comes from PostgREST, which is why grant_customer_calls and
 * grant_agent_calls refuse roles that can log in (docs/roles.md).
 */
#include "sched.h"
#include "identity.h"
#include "plans.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(sched_request_user_id);

/* longest claim name sched.user_id_claim takes */
#define MAX_CLAIM_NAME	63

static char *user_id_claim = NULL;

/* the last claims read, and the user they gave, kept for the session */
static char *cached_claims = NULL;
static char *cached_claim_name = NULL;
static char *cached_user = NULL;

/* the active agent whose login is $1 */
static SchedStatement agent_by_login = {
	"SELECT a.agent_id FROM sched.agents a WHERE a.login OPERATOR(pg_catalog.=) $1 AND a.active",
	1, {TEXTOID}
};

static bool
CheckClaimName(char **newval, void **extra, GucSource source)
{
	const char *c;

	if (*newval == NULL || (*newval)[0] == '\0' || strlen(*newval) > MAX_CLAIM_NAME)
	{
		GUC_check_errdetail("The claim's name must have 1 to %d characters.", MAX_CLAIM_NAME);
		return false;
	}
	for (c = *newval; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			  (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == ':' || *c == '.'))
		{
			GUC_check_errdetail("The claim's name may have letters, digits, \"_\", \"-\", \":\" and \".\".");
			return false;
		}
	return true;
}

void
SchedIdentityInit(void)
{
	DefineCustomStringVariable("sched.user_id_claim",
							   "The JWT claim that names the user of a request (request.jwt.claims).",
							   "The customer and agent calls take their user from it: the value of this claim in request.jwt.claims, as PostgREST sets it.",
							   &user_id_claim,
							   "sub",
							   PGC_SUSET, 0,
							   CheckClaimName, NULL, NULL);
}

/*
 * Trimmed: a claim's value as sched stores user ids (trimmed), or NULL
 * when nothing is left.
 */
static char *
Trimmed(const char *value)
{
	const char *start = value;
	size_t		len = strlen(value);

	sched_trim(&start, &len);
	return len > 0 ? pnstrdup(start, len) : NULL;
}

/*
 * ClaimOf: the named claim of a JSON object of claims, as text: a string
 * as it is, a number in its text form; NULL for any other kind of value,
 * a missing claim, or claims that are not an object.  Malformed JSON is
 * an error (22P02), as it is for any jsonb input.
 */
static char *
ClaimOf(const char *claims, const char *name)
{
	Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(claims)));
	JsonbValue	key;
	JsonbValue *found;

	if (!JB_ROOT_IS_OBJECT(jb))
		return NULL;
	key.type = jbvString;
	key.val.string.val = (char *) name;
	key.val.string.len = strlen(name);
	found = findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &key);
	if (found == NULL)
		return NULL;
	if (found->type == jbvString)
		return Trimmed(pnstrdup(found->val.string.val, found->val.string.len));
	if (found->type == jbvNumeric)
		return Trimmed(DatumGetCString(DirectFunctionCall1(numeric_out,
														   NumericGetDatum(found->val.numeric))));
	return NULL;
}

static char *
TopCopy(const char *s)
{
	return s ? MemoryContextStrdup(TopMemoryContext, s) : NULL;
}

/*
 * SchedRequestUserId: the user of the current request: the claim named
 * by sched.user_id_claim in request.jwt.claims, else the legacy
 * request.jwt.claim.<name> setting, else NULL.  The views call it once
 * per row they look at, so the last claims and their user are kept.
 */
char *
SchedRequestUserId(void)
{
	const char *claims = GetConfigOption("request.jwt.claims", true, false);
	char	   *user = NULL;

	if (claims != NULL && claims[0] != '\0')
	{
		if (cached_claims != NULL && strcmp(cached_claims, claims) == 0 &&
			strcmp(cached_claim_name, user_id_claim) == 0)
			user = cached_user ? pstrdup(cached_user) : NULL;
		else
		{
			user = ClaimOf(claims, user_id_claim);
			if (cached_claims)
				pfree(cached_claims);
			if (cached_claim_name)
				pfree(cached_claim_name);
			if (cached_user)
				pfree(cached_user);
			cached_claims = cached_claim_name = cached_user = NULL;
			cached_user = TopCopy(user);
			cached_claim_name = TopCopy(user_id_claim);
			cached_claims = TopCopy(claims);
		}
	}
	if (user == NULL)
	{
		const char *legacy = GetConfigOption(psprintf("request.jwt.claim.%s", user_id_claim),
											 true, false);

		if (legacy != NULL)
			user = Trimmed(legacy);
	}
	return user;
}

/*
 * SchedRequireUser: the request's user, or 42501 (PostgREST answers 401
 * for its anonymous role, 403 otherwise).
 */
char *
SchedRequireUser(void)
{
	char	   *user = SchedRequestUserId();

	if (user == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("this call needs the user of the request"),
				 errdetail("The request's JWT claims (request.jwt.claims) name no user in the claim \"%s\" (sched.user_id_claim).",
						   user_id_claim),
				 errhint("Call it with a user's token, through an API that sets request.jwt.claims (PostgREST, Supabase, PostGraphile with pgSettings).")));
	return user;
}

/*
 * SchedRequireAgent: the active agent whose login is the request's user,
 * or 42501.  Needs SPI.
 */
int32
SchedRequireAgent(void)
{
	char	   *user = SchedRequireUser();
	Datum		value = CStringGetTextDatum(user);
	Datum		agent_id;

	if (!SchedRunForDatum(SchedPrepared(&agent_by_login), &value, NULL, true, &agent_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("the user of the request is not an active agent"),
				 errdetail("No active row of sched.agents has the login \"%s\".", user),
				 errhint("A DBA names an agent's login with UPDATE sched.agents SET login = ...")));
	return DatumGetInt32(agent_id);
}

/*
 * sched_request_user_id: sched.request_user_id().
 */
Datum
sched_request_user_id(PG_FUNCTION_ARGS)
{
	char	   *user = SchedRequestUserId();

	if (user == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(user));
}
