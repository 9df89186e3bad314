/*
 * busy_calls.c
 *		sched.sync_agent_busy (1.4): the busy times of an agent's own
 *		calendar (the seed's "check RM availability").
 *
 * A calendar sync (a worker reading the agent's Google or Outlook
 * free/busy, say) sends, per agent and source, the whole list of busy
 * blocks it sees; the call replaces that source's blocks for the agent
 * with the list in one statement pair, so the table never holds half a
 * sync.  The round robin and available_slots keep the blocks with the
 * agents' leave (agents.c) and honour them alike: an agent busy at any
 * moment of a slot is not given a visit in it.  Visits already booked
 * stay.  Two syncs of one agent run one after the other (the agent's row
 * is locked FOR NO KEY UPDATE, which bookings never wait for).
 */
#include "sched.h"
#include "checks.h"
#include "plans.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(sched_sync_agent_busy);

/* the most blocks one sync keeps: a year of a busy calendar */
#define MAX_BUSY_BLOCKS		2000
#define MAX_SOURCE_CHARS	100
#define MAX_EXTERNAL_ID_CHARS	500

/* the agent, locked against another sync of theirs */
static SchedStatement lock_agent = {
	"SELECT a.agent_id FROM sched.agents a WHERE a.agent_id OPERATOR(pg_catalog.=) $1"
	" FOR NO KEY UPDATE",
	1, {INT4OID}
};

/*
 * The first element that is not a busy block, by its position (1-based),
 * or a repeated external_id.  A time is an ISO 8601 timestamp that ends in
 * its offset (or Z), so that the session's TimeZone never decides it and
 * 'infinity' or 'now' never get in; one that looks like a time but is
 * none (30 February) fails its cast here, with 22008, before anything is
 * written.
 */
#define BUSY_TIME	"'[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?([+-][0-9]{2}(:?[0-9]{2})?|Z)$'"
static SchedStatement first_bad_block = {
	"SELECT b.n::pg_catalog.int4 AS n, NULL::pg_catalog.text AS repeated FROM"
	" pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS b(e, n)"
	" WHERE CASE WHEN pg_catalog.jsonb_typeof(b.e) IS DISTINCT FROM 'object'"
	"    OR pg_catalog.jsonb_typeof(b.e->'external_id') IS DISTINCT FROM 'string'"
	"    OR pg_catalog.jsonb_typeof(b.e->'starts_at') IS DISTINCT FROM 'string'"
	"    OR pg_catalog.jsonb_typeof(b.e->'ends_at') IS DISTINCT FROM 'string'"
	"    OR pg_catalog.char_length(b.e->>'external_id') NOT BETWEEN 1 AND " CppAsString2(MAX_EXTERNAL_ID_CHARS)
	"    OR b.e->>'starts_at' OPERATOR(pg_catalog.!~) " BUSY_TIME
	"    OR b.e->>'ends_at' OPERATOR(pg_catalog.!~) " BUSY_TIME
	"  THEN true"
	/* only times that look like times are read, after the checks above */
	"  ELSE (b.e->>'ends_at')::pg_catalog.timestamptz <= (b.e->>'starts_at')::pg_catalog.timestamptz END"
	" UNION ALL (SELECT NULL, b.e->>'external_id' FROM pg_catalog.jsonb_array_elements($1) AS b(e)"
	"   GROUP BY b.e->>'external_id' HAVING pg_catalog.count(*) > 1 LIMIT 1)"
	" ORDER BY 1 NULLS LAST LIMIT 1",
	1, {JSONBOID}
};

/* $1 agent_id, $2 source */
static SchedStatement delete_blocks = {
	"DELETE FROM sched.agent_busy b"
	" WHERE b.agent_id OPERATOR(pg_catalog.=) $1 AND b.source OPERATOR(pg_catalog.=) $2",
	2, {INT4OID, TEXTOID}
};

/* $1 agent_id, $2 source, $3 the blocks */
static SchedStatement insert_blocks = {
	"INSERT INTO sched.agent_busy (agent_id, source, external_id, starts_at, ends_at)"
	" SELECT $1, $2, b.e->>'external_id', (b.e->>'starts_at')::pg_catalog.timestamptz,"
	"        (b.e->>'ends_at')::pg_catalog.timestamptz"
	" FROM pg_catalog.jsonb_array_elements($3) AS b(e)",
	3, {INT4OID, TEXTOID, JSONBOID}
};

/*
 * CheckBlocks: busy is an array of at most MAX_BUSY_BLOCKS busy blocks,
 * each an object with external_id, starts_at and ends_at, ends_at after
 * starts_at, no external_id twice.  Needs SPI.
 */
static void
CheckBlocks(Jsonb *busy)
{
	Datum		values[1] = {JsonbPGetDatum(busy)};
	bool		isnull;
	Datum		n;

	if (!JB_ROOT_IS_ARRAY(busy) || JB_ROOT_IS_SCALAR(busy))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("busy must be a JSON array"),
				 errdetail("Each element is an object with external_id, starts_at and ends_at; [] clears the source.")));
	if (JB_ROOT_COUNT(busy) > MAX_BUSY_BLOCKS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("busy has more than %d blocks", MAX_BUSY_BLOCKS),
				 errdetail("It has %u.", (unsigned) JB_ROOT_COUNT(busy)),
				 errhint("Send the blocks of the days that can be booked (sched.max_days_ahead).")));
	if (SPI_execute_plan(SchedPrepared(&first_bad_block), values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "checking the busy blocks failed");
	if (SPI_processed == 0)
		return;
	n = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("busy block %d is not a busy time", DatumGetInt32(n)),
				 errdetail("Each element is an object with external_id (1 to %d characters), starts_at and ends_at (ISO 8601 timestamps ending in their offset or Z, such as 2026-12-05T10:00:00+05:30), ends_at after starts_at.",
						   MAX_EXTERNAL_ID_CHARS)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("busy has external_id \"%s\" more than once",
					SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2))));
}

/*
 * sched_sync_agent_busy: sync_agent_busy(agent_id, source, busy) -> the
 * number of blocks kept for the agent and source.
 */
Datum
sched_sync_agent_busy(PG_FUNCTION_ARGS)
{
	int32		agent_id;
	char	   *source;
	Jsonb	   *busy;
	Datum		values[3];
	uint64		kept;

	SchedRequire(PG_ARGISNULL(0), "agent_id");
	SchedRequire(PG_ARGISNULL(1), "source");
	SchedRequire(PG_ARGISNULL(2), "busy");
	agent_id = PG_GETARG_INT32(0);
	source = SchedCheckText(text_to_cstring(PG_GETARG_TEXT_PP(1)), "source", MAX_SOURCE_CHARS,
							true, false);
	busy = PG_GETARG_JSONB_P(2);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	values[0] = Int32GetDatum(agent_id);
	values[1] = CStringGetTextDatum(source);
	values[2] = JsonbPGetDatum(busy);
	SchedReadOne(&lock_agent, values, false, "agent", agent_id, NULL);
	CheckBlocks(busy);
	if (SPI_execute_plan(SchedPrepared(&delete_blocks), values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "clearing the busy blocks failed");
	if (SPI_execute_plan(SchedPrepared(&insert_blocks), values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "keeping the busy blocks failed");
	kept = SPI_processed;
	SPI_finish();
	PG_RETURN_INT32((int32) kept);
}
