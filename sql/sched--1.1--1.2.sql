/* sched--1.1--1.2.sql: the agent keys of visits and callbacks kept by sched instead of foreign keys, for the speed of booking. */

\echo Use "ALTER EXTENSION sched UPDATE TO '1.2'" to load this file. \quit

-- ---------------------------------------------------------------------
-- Agent keys.  A foreign key on scheduled_visits.agent_id and
-- callbacks.agent_id ran a query and locked the agent's row at every
-- booking: a tenth of a booking's work, and a write to sched.agents'
-- page each time.  The visits' and callbacks' guards now check the agent
-- in the session's copy of sched.agents under a shared advisory lock, and
-- sched.agent_keys keeps an agent that anything names from being deleted
-- or renumbered (23503) and sched.agents from being truncated alone
-- (0A000).  Same rules as the foreign keys (RESTRICT), all clients, also
-- a DBA's plain statements; see docs/errors.md.
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.agent_keys() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sched_agent_keys' LANGUAGE C;
COMMENT ON FUNCTION sched.agent_keys() IS
  'BEFORE DELETE OR UPDATE OF agent_id on sched.agents (per row), BEFORE and AFTER TRUNCATE (per statement): an agent that a visit or callback names cannot be deleted or renumbered (23503), nor sched.agents truncated while they name agents (0A000)';

-- a trigger function only: nobody calls it (as for the other trigger functions)
REVOKE ALL ON FUNCTION sched.agent_keys() FROM PUBLIC;

CREATE TRIGGER agents_keys BEFORE DELETE OR UPDATE OF agent_id ON sched.agents
  FOR EACH ROW EXECUTE FUNCTION sched.agent_keys();
CREATE TRIGGER agents_keys_truncate BEFORE TRUNCATE ON sched.agents
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agent_keys();
CREATE TRIGGER agents_keys_truncated AFTER TRUNCATE ON sched.agents
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agent_keys();

ALTER TABLE sched.scheduled_visits DROP CONSTRAINT scheduled_visits_agent_id_fkey;
ALTER TABLE sched.callbacks DROP CONSTRAINT callbacks_agent_id_fkey;

COMMENT ON COLUMN sched.scheduled_visits.agent_id IS
  'The relationship manager, chosen round robin among active visit-taking agents with room in the slot; an agent of sched.agents (kept by the triggers, not a foreign key: 23503)';
COMMENT ON COLUMN sched.callbacks.agent_id IS
  'The agent, chosen round robin; urgent callbacks go to senior agents only; an agent of sched.agents (kept by the triggers, not a foreign key: 23503)';
