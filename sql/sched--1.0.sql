/* sched--1.0.sql: the first release.  Frozen once released; later changes go into sched--1.0--X.sql. */

\echo Use "CREATE EXTENSION sched" to load this file. \quit

-- ---------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------

CREATE TYPE sched.time_slot AS ENUM ('morning', 'afternoon', 'evening');
COMMENT ON TYPE sched.time_slot IS
  'A site-visit slot: morning 09:00-12:00, afternoon 12:00-15:00, evening 15:00-18:00';

CREATE TYPE sched.visit_status AS ENUM ('pending', 'confirmed', 'completed', 'cancelled', 'no_show');
COMMENT ON TYPE sched.visit_status IS
  'Site-visit workflow: pending -> confirmed | cancelled | no_show; confirmed -> completed | cancelled | no_show; completed, cancelled and no_show are final';

CREATE TYPE sched.callback_status AS ENUM ('pending', 'contacted', 'completed', 'no_answer');
COMMENT ON TYPE sched.callback_status IS
  'Callback workflow: pending -> contacted | no_answer; no_answer -> contacted | no_answer; contacted -> completed; completed is final';

CREATE TYPE sched.urgency AS ENUM ('urgent', 'high', 'medium', 'low');
COMMENT ON TYPE sched.urgency IS
  'Callback urgency and its response deadline: urgent 30 minutes (senior agents only), high 2 hours, medium 4 hours, low 24 hours';

CREATE TYPE sched.entity AS ENUM ('visit', 'callback');
COMMENT ON TYPE sched.entity IS 'What a history row or outbox job is about: a site visit or a callback';

CREATE TYPE sched.channel AS ENUM ('email', 'sms', 'whatsapp', 'agent');
COMMENT ON TYPE sched.channel IS
  'How an outbox job is delivered: email or sms to the customer, whatsapp, or agent (a note to the assigned agent)';

CREATE TYPE sched.job_state AS ENUM ('pending', 'claimed', 'done', 'dead', 'cancelled');
COMMENT ON TYPE sched.job_state IS
  'State of an outbox job: pending (waiting for run_at), claimed (a worker has it), done (sent), dead (gave up), cancelled (no longer wanted)';

-- ---------------------------------------------------------------------
-- Sequences.  Ids come from sequences of their own (not identity columns)
-- so that pg_extension_config_dump can keep their positions.
-- ---------------------------------------------------------------------

CREATE SEQUENCE sched.agent_id_seq AS integer;
CREATE SEQUENCE sched.visit_id_seq;
CREATE SEQUENCE sched.callback_id_seq;
CREATE SEQUENCE sched.history_id_seq;
CREATE SEQUENCE sched.job_id_seq;

-- Round-robin turns: one ticket per booking, taken without waiting for
-- other sessions (nextval never blocks and is not rolled back).
CREATE SEQUENCE sched.visit_turn;
CREATE SEQUENCE sched.callback_turn;
CREATE SEQUENCE sched.senior_callback_turn;
COMMENT ON SEQUENCE sched.visit_turn IS
  'Round-robin ticket counter of the visit pool (active agents with handles_visits, in agent_id order)';
COMMENT ON SEQUENCE sched.callback_turn IS
  'Round-robin ticket counter of the callback pool (active agents with handles_callbacks, in agent_id order)';
COMMENT ON SEQUENCE sched.senior_callback_turn IS
  'Round-robin ticket counter of the urgent-callback pool (active senior agents with handles_callbacks)';

-- ---------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------

CREATE TABLE sched.agents (
  agent_id          integer PRIMARY KEY DEFAULT pg_catalog.nextval('sched.agent_id_seq'),
  name              text NOT NULL,
  phone             text NOT NULL,
  email             text,
  is_senior         boolean NOT NULL DEFAULT false,
  handles_visits    boolean NOT NULL DEFAULT true,
  handles_callbacks boolean NOT NULL DEFAULT true,
  active            boolean NOT NULL DEFAULT true,
  slot_capacity     integer NOT NULL DEFAULT 1 CHECK (slot_capacity >= 0),
  created_at        timestamptz NOT NULL DEFAULT pg_catalog.now()
);
ALTER SEQUENCE sched.agent_id_seq OWNED BY sched.agents.agent_id;
COMMENT ON TABLE sched.agents IS
  'Relationship managers and agents who take site visits and callbacks; a DBA adds them with INSERT and retires them with active = false';
COMMENT ON COLUMN sched.agents.phone IS 'Stored in E.164 form (+919876543210); normalised on write';
COMMENT ON COLUMN sched.agents.is_senior IS 'Senior agents take urgent callbacks, which go to nobody else';
COMMENT ON COLUMN sched.agents.handles_visits IS 'In the site-visit round robin';
COMMENT ON COLUMN sched.agents.handles_callbacks IS 'In the callback round robin';
COMMENT ON COLUMN sched.agents.active IS 'Inactive agents are skipped by every round robin; their existing bookings stay';
COMMENT ON COLUMN sched.agents.slot_capacity IS
  'Most pending or confirmed visits this agent takes in one date and slot; 0 takes none';

CREATE TABLE sched.scheduled_visits (
  visit_id        bigint PRIMARY KEY DEFAULT pg_catalog.nextval('sched.visit_id_seq'),
  ref             text GENERATED ALWAYS AS (
                    'visit_' || CASE WHEN visit_id < 1000000
                                     THEN pg_catalog.lpad(visit_id::text, 6, '0')
                                     ELSE visit_id::text END) STORED,
  user_id         text NOT NULL,
  session_id      text,
  project         text NOT NULL,
  visit_date      date NOT NULL,
  time_slot       sched.time_slot NOT NULL,
  contact_name    text NOT NULL,
  contact_phone   text NOT NULL,
  contact_email   text,
  agent_id        integer REFERENCES sched.agents (agent_id),
  status          sched.visit_status NOT NULL DEFAULT 'pending',
  user_notes      text,
  rm_notes        text,
  lead_score      integer,
  created_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
  updated_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
  confirmed_at    timestamptz,
  completed_at    timestamptz,
  cancelled_at    timestamptz,
  idempotency_key text
);
ALTER SEQUENCE sched.visit_id_seq OWNED BY sched.scheduled_visits.visit_id;
COMMENT ON TABLE sched.scheduled_visits IS
  'Site-visit bookings.  Write through sched.book_site_visit and sched.set_visit_status; plain INSERT and UPDATE obey the same rules (triggers)';
COMMENT ON COLUMN sched.scheduled_visits.ref IS 'Customer-facing reference, visit_000001, derived from visit_id';
COMMENT ON COLUMN sched.scheduled_visits.contact_phone IS 'Stored in E.164 form; ten-digit numbers get sched.default_country_code';
COMMENT ON COLUMN sched.scheduled_visits.agent_id IS 'The relationship manager, chosen round robin among active visit-taking agents with room in the slot';
COMMENT ON COLUMN sched.scheduled_visits.user_notes IS 'What the customer wrote (the notes argument of book_site_visit)';
COMMENT ON COLUMN sched.scheduled_visits.rm_notes IS 'What the relationship manager wrote';
COMMENT ON COLUMN sched.scheduled_visits.lead_score IS 'The lead score (0-100) at booking time';
COMMENT ON COLUMN sched.scheduled_visits.created_at IS
  'Booking time.  A row inserted with an earlier created_at is an import (pg_restore, migration): checked, but not assigned, capacity-checked or notified';
COMMENT ON COLUMN sched.scheduled_visits.idempotency_key IS
  'Caller-chosen key, unique per user_id: a repeated book_site_visit with the same key returns the first row';

CREATE TABLE sched.callbacks (
  callback_id     bigint PRIMARY KEY DEFAULT pg_catalog.nextval('sched.callback_id_seq'),
  ref             text GENERATED ALWAYS AS (
                    'callback_' || CASE WHEN callback_id < 1000000
                                        THEN pg_catalog.lpad(callback_id::text, 6, '0')
                                        ELSE callback_id::text END) STORED,
  user_id         text NOT NULL,
  session_id      text,
  contact_name    text NOT NULL,
  contact_phone   text NOT NULL,
  contact_email   text,
  reason          text,
  urgency         sched.urgency NOT NULL DEFAULT 'medium',
  due_at          timestamptz NOT NULL,
  agent_id        integer REFERENCES sched.agents (agent_id),
  status          sched.callback_status NOT NULL DEFAULT 'pending',
  attempts        integer NOT NULL DEFAULT 0,
  last_attempt_at timestamptz,
  call_duration_s integer,
  outcome         text,
  agent_notes     text,
  lead_score      integer,
  created_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
  updated_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
  contacted_at    timestamptz,
  completed_at    timestamptz,
  idempotency_key text
);
ALTER SEQUENCE sched.callback_id_seq OWNED BY sched.callbacks.callback_id;
COMMENT ON TABLE sched.callbacks IS
  'Callback requests.  Write through sched.request_callback and sched.set_callback_status; plain INSERT and UPDATE obey the same rules (triggers)';
COMMENT ON COLUMN sched.callbacks.ref IS 'Customer-facing reference, callback_000001, derived from callback_id';
COMMENT ON COLUMN sched.callbacks.contact_phone IS 'Stored in E.164 form; ten-digit numbers get sched.default_country_code';
COMMENT ON COLUMN sched.callbacks.due_at IS 'Response deadline: created_at plus the urgency''s SLA (urgent 30 min, high 2 h, medium 4 h, low 24 h)';
COMMENT ON COLUMN sched.callbacks.agent_id IS 'The agent, chosen round robin; urgent callbacks go to senior agents only';
COMMENT ON COLUMN sched.callbacks.attempts IS 'Call attempts: each move into contacted or no_answer counts one';
COMMENT ON COLUMN sched.callbacks.call_duration_s IS 'Length of the last call in seconds (0 to 86400)';
COMMENT ON COLUMN sched.callbacks.created_at IS
  'Request time.  A row inserted with an earlier created_at is an import: checked, but not assigned or notified';
COMMENT ON COLUMN sched.callbacks.idempotency_key IS
  'Caller-chosen key, unique per user_id: a repeated request_callback with the same key returns the first row';

CREATE TABLE sched.user_profiles (
  user_id               text PRIMARY KEY,
  site_visits_scheduled integer NOT NULL DEFAULT 0,
  callbacks_requested   integer NOT NULL DEFAULT 0,
  intent_points         integer NOT NULL DEFAULT 0,
  lead_score            integer,
  updated_at            timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE sched.user_profiles IS
  'Per-user counters for lead scoring, kept by the booking triggers';
COMMENT ON COLUMN sched.user_profiles.intent_points IS
  'Buying-intent points: each visit adds sched.visit_intent_points (3), each callback sched.callback_intent_points (2)';
COMMENT ON COLUMN sched.user_profiles.lead_score IS 'The latest lead_score a booking carried';

CREATE TABLE sched.status_history (
  history_id  bigint PRIMARY KEY DEFAULT pg_catalog.nextval('sched.history_id_seq'),
  entity      sched.entity NOT NULL,
  entity_id   bigint NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
  changed_by  text NOT NULL,
  note        text
);
ALTER SEQUENCE sched.history_id_seq OWNED BY sched.status_history.history_id;
COMMENT ON TABLE sched.status_history IS
  'One row per status change of a visit or callback, written by the triggers; from_status is NULL for the booking itself';
COMMENT ON COLUMN sched.status_history.changed_by IS
  'The role that made the change (the caller of a sched function, not the function''s owner)';
COMMENT ON COLUMN sched.status_history.note IS 'The rm_notes or agent_notes written with the change, if any';

CREATE TABLE sched.outbox (
  job_id     bigint PRIMARY KEY DEFAULT pg_catalog.nextval('sched.job_id_seq'),
  entity     sched.entity NOT NULL,
  entity_id  bigint NOT NULL,
  channel    sched.channel NOT NULL,
  recipient  text NOT NULL,
  template   text NOT NULL,
  payload    jsonb NOT NULL,
  run_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  state      sched.job_state NOT NULL DEFAULT 'pending',
  attempts   integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
ALTER SEQUENCE sched.job_id_seq OWNED BY sched.outbox.job_id;
COMMENT ON TABLE sched.outbox IS
  'Durable notification jobs, written in the same transaction as the change they announce; workers take pending jobs whose run_at has come';
COMMENT ON COLUMN sched.outbox.channel IS 'email or sms (the customer), whatsapp, or agent (a note to the assigned agent, sent to their phone)';
COMMENT ON COLUMN sched.outbox.attempts IS 'Delivery attempts so far, kept by the worker';
COMMENT ON COLUMN sched.outbox.template IS 'What to say: visit_booked, visit_confirmed, visit_cancelled, visit_completed, visit_missed, visit_assigned, visit_no_show, callback_requested, callback_assigned, callback_missed';
COMMENT ON COLUMN sched.outbox.payload IS 'Everything the template needs (ref, names, date, slot, agent), so that a worker need not re-read the booking';

-- ---------------------------------------------------------------------
-- Indexes: by user, status, date, agent and urgency, shaped for the
-- listing calls' filters and orders.
-- ---------------------------------------------------------------------

CREATE INDEX scheduled_visits_user_idx ON sched.scheduled_visits (user_id, created_at DESC, visit_id DESC);
CREATE INDEX scheduled_visits_status_date_idx ON sched.scheduled_visits (status, visit_date, time_slot, visit_id);
CREATE INDEX scheduled_visits_date_idx ON sched.scheduled_visits (visit_date, time_slot, visit_id);
CREATE INDEX scheduled_visits_agent_slot_idx ON sched.scheduled_visits (agent_id, visit_date, time_slot, visit_id);
CREATE UNIQUE INDEX scheduled_visits_idempotency_idx ON sched.scheduled_visits (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE INDEX callbacks_user_idx ON sched.callbacks (user_id, created_at DESC, callback_id DESC);
CREATE INDEX callbacks_status_urgency_idx ON sched.callbacks (status, urgency, created_at, callback_id);
CREATE INDEX callbacks_urgency_idx ON sched.callbacks (urgency, created_at, callback_id);
CREATE INDEX callbacks_agent_idx ON sched.callbacks (agent_id, status);
CREATE UNIQUE INDEX callbacks_idempotency_idx ON sched.callbacks (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE INDEX status_history_entity_idx ON sched.status_history (entity, entity_id, changed_at);
CREATE INDEX outbox_due_idx ON sched.outbox (run_at) WHERE state = 'pending';

-- ---------------------------------------------------------------------
-- Triggers: the rules, for every client
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.agent_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sched_agent_guard' LANGUAGE C;
COMMENT ON FUNCTION sched.agent_guard() IS
  'BEFORE INSERT OR UPDATE on sched.agents: checks the name and email and normalises the phone number';

CREATE FUNCTION sched.agents_changed() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sched_agents_changed' LANGUAGE C;
COMMENT ON FUNCTION sched.agents_changed() IS
  'AFTER INSERT, UPDATE, DELETE or TRUNCATE on sched.agents, per statement: tells every session to re-read the agent pools it keeps';

CREATE FUNCTION sched.visit_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sched_visit_guard' LANGUAGE C;
COMMENT ON FUNCTION sched.visit_guard() IS
  'BEFORE INSERT OR UPDATE on sched.scheduled_visits: checks and normalises the row, assigns an agent round robin within slot capacity, checks status moves and stamps their times';

CREATE FUNCTION sched.callback_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sched_callback_guard' LANGUAGE C;
COMMENT ON FUNCTION sched.callback_guard() IS
  'BEFORE INSERT OR UPDATE on sched.callbacks: checks and normalises the row, sets due_at, assigns an agent round robin (urgent: seniors only), checks status moves, counts attempts';

CREATE FUNCTION sched.visit_announce() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sched_visit_announce' LANGUAGE C;
COMMENT ON FUNCTION sched.visit_announce() IS
  'AFTER INSERT OR UPDATE on sched.scheduled_visits: writes status_history and outbox jobs, counts the booking in user_profiles, sends NOTIFY sched';

CREATE FUNCTION sched.callback_announce() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sched_callback_announce' LANGUAGE C;
COMMENT ON FUNCTION sched.callback_announce() IS
  'AFTER INSERT OR UPDATE on sched.callbacks: writes status_history and outbox jobs, counts the request in user_profiles, sends NOTIFY sched';

CREATE TRIGGER agents_guard BEFORE INSERT OR UPDATE ON sched.agents
  FOR EACH ROW EXECUTE FUNCTION sched.agent_guard();
CREATE TRIGGER agents_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sched.agents
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agents_changed();
CREATE TRIGGER scheduled_visits_guard BEFORE INSERT OR UPDATE ON sched.scheduled_visits
  FOR EACH ROW EXECUTE FUNCTION sched.visit_guard();
CREATE TRIGGER scheduled_visits_announce AFTER INSERT OR UPDATE ON sched.scheduled_visits
  FOR EACH ROW EXECUTE FUNCTION sched.visit_announce();
CREATE TRIGGER callbacks_guard BEFORE INSERT OR UPDATE ON sched.callbacks
  FOR EACH ROW EXECUTE FUNCTION sched.callback_guard();
CREATE TRIGGER callbacks_announce AFTER INSERT OR UPDATE ON sched.callbacks
  FOR EACH ROW EXECUTE FUNCTION sched.callback_announce();

-- ---------------------------------------------------------------------
-- User calls
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.book_site_visit(
  user_id text,
  project text,
  visit_date date,
  time_slot sched.time_slot,
  contact_name text,
  contact_phone text,
  contact_email text DEFAULT NULL,
  notes text DEFAULT NULL,
  session_id text DEFAULT NULL,
  lead_score integer DEFAULT NULL,
  idempotency_key text DEFAULT NULL)
RETURNS sched.scheduled_visits
AS 'MODULE_PATHNAME', 'sched_book_site_visit'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.book_site_visit(text, text, date, sched.time_slot, text, text, text, text, text, integer, text) IS
  'Books a site visit: checks the input, assigns a relationship manager round robin within slot capacity, counts it in the user''s profile, queues the confirmations and sends NOTIFY sched.  A repeated idempotency_key returns the first booking.  Errors: 22004 missing argument, 22023 bad value, PT409 nobody has room';

CREATE FUNCTION sched.request_callback(
  user_id text,
  contact_name text,
  contact_phone text,
  reason text DEFAULT NULL,
  urgency sched.urgency DEFAULT 'medium',
  contact_email text DEFAULT NULL,
  session_id text DEFAULT NULL,
  lead_score integer DEFAULT NULL,
  idempotency_key text DEFAULT NULL)
RETURNS sched.callbacks
AS 'MODULE_PATHNAME', 'sched_request_callback'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.request_callback(text, text, text, text, sched.urgency, text, text, integer, text) IS
  'Requests a callback: sets the deadline from the urgency, assigns an agent round robin (urgent: senior agents only), counts it in the user''s profile, queues the notifications and sends NOTIFY sched.  Errors: 22004, 22023, PT409 no agent available';

CREATE FUNCTION sched.user_schedule(user_id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sched_user_schedule'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.user_schedule(text) IS
  'A user''s visits and callbacks, newest first, every column: {"visits": [...], "callbacks": [...]}.  Errors: 22004';

-- ---------------------------------------------------------------------
-- Admin calls
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.list_visits(
  status sched.visit_status DEFAULT NULL,
  date_from date DEFAULT NULL,
  date_to date DEFAULT NULL,
  agent_id integer DEFAULT NULL,
  max_rows integer DEFAULT 100)
RETURNS SETOF sched.scheduled_visits
AS 'MODULE_PATHNAME', 'sched_list_visits'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 100
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.list_visits(sched.visit_status, date, date, integer, integer) IS
  'Admin: visits filtered by status, date range (inclusive) and agent, ordered by visit_date, time_slot, visit_id; at most max_rows (1-1000).  Errors: 22023';

CREATE FUNCTION sched.list_callbacks(
  status sched.callback_status DEFAULT NULL,
  urgency sched.urgency DEFAULT NULL,
  max_rows integer DEFAULT 100)
RETURNS SETOF sched.callbacks
AS 'MODULE_PATHNAME', 'sched_list_callbacks'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 100
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.list_callbacks(sched.callback_status, sched.urgency, integer) IS
  'Admin: callbacks filtered by status and urgency, urgent first, then oldest first; at most max_rows (1-1000).  Errors: 22023';

CREATE FUNCTION sched.set_visit_status(
  visit_id bigint,
  status sched.visit_status,
  rm_notes text DEFAULT NULL)
RETURNS sched.scheduled_visits
AS 'MODULE_PATHNAME', 'sched_set_visit_status'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.set_visit_status(bigint, sched.visit_status, text) IS
  'Admin: moves a visit to a new status (checked against the workflow), optionally replacing rm_notes; stamps the time, records history, queues notifications, sends NOTIFY.  Errors: 22004, 22023, PT404 no such visit, PT409 illegal move';

CREATE FUNCTION sched.set_callback_status(
  callback_id bigint,
  status sched.callback_status,
  agent_notes text DEFAULT NULL,
  call_duration_s integer DEFAULT NULL,
  outcome text DEFAULT NULL)
RETURNS sched.callbacks
AS 'MODULE_PATHNAME', 'sched_set_callback_status'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.set_callback_status(bigint, sched.callback_status, text, integer, text) IS
  'Admin: moves a callback to a new status; each move into contacted or no_answer counts an attempt.  Optional notes, call length and outcome replace the stored ones.  Errors: 22004, 22023, PT404 no such callback, PT409 illegal move';

-- ---------------------------------------------------------------------
-- Privileges.  Nothing is executable by PUBLIC; a DBA grants the two
-- kinds of call to roles of their own with the functions below
-- (docs/roles.md).
-- ---------------------------------------------------------------------

REVOKE ALL ON FUNCTION
  sched.book_site_visit(text, text, date, sched.time_slot, text, text, text, text, text, integer, text),
  sched.request_callback(text, text, text, text, sched.urgency, text, text, integer, text),
  sched.user_schedule(text),
  sched.list_visits(sched.visit_status, date, date, integer, integer),
  sched.list_callbacks(sched.callback_status, sched.urgency, integer),
  sched.set_visit_status(bigint, sched.visit_status, text),
  sched.set_callback_status(bigint, sched.callback_status, text, integer, text),
  sched.agent_guard(), sched.agents_changed(), sched.visit_guard(), sched.callback_guard(),
  sched.visit_announce(), sched.callback_announce()
FROM PUBLIC;

-- A regrole's text form is the role name already quoted as an identifier
-- (regroleout uses quote_identifier), so it is spliced in with %s.
CREATE FUNCTION sched.grant_user_calls(grantee regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA sched TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT EXECUTE ON FUNCTION '
    'sched.book_site_visit(text, text, date, sched.time_slot, text, text, text, text, text, integer, text), '
    'sched.request_callback(text, text, text, text, sched.urgency, text, text, integer, text), '
    'sched.user_schedule(text) TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_user_calls(regrole) IS
  'DBA: lets a role (the app''s, or PostgREST''s web role) book visits, request callbacks and read a user''s schedule, and nothing else';

CREATE FUNCTION sched.grant_admin_calls(grantee regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  PERFORM sched.grant_user_calls(grantee);
  EXECUTE pg_catalog.format(
    'GRANT EXECUTE ON FUNCTION '
    'sched.list_visits(sched.visit_status, date, date, integer, integer), '
    'sched.list_callbacks(sched.callback_status, sched.urgency, integer), '
    'sched.set_visit_status(bigint, sched.visit_status, text), '
    'sched.set_callback_status(bigint, sched.callback_status, text, integer, text) TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT SELECT ON sched.agents, sched.scheduled_visits, sched.callbacks, '
    'sched.user_profiles, sched.status_history, sched.outbox TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_admin_calls(regrole) IS
  'DBA: lets a role (the sales team''s admin screens) do everything the user calls do, list and move visits and callbacks, and read every sched table';

CREATE FUNCTION sched.revoke_calls(grantee regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  EXECUTE pg_catalog.format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sched FROM %s', grantee);
  EXECUTE pg_catalog.format('REVOKE ALL ON ALL TABLES IN SCHEMA sched FROM %s', grantee);
  EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA sched FROM %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.revoke_calls(regrole) IS
  'DBA: takes back everything grant_user_calls and grant_admin_calls gave a role';

REVOKE ALL ON FUNCTION sched.grant_user_calls(regrole), sched.grant_admin_calls(regrole),
  sched.revoke_calls(regrole) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- pg_dump keeps the data (bookings, agents, history, outbox) and the
-- positions of the id and turn sequences.
-- ---------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('sched.agents', '');
SELECT pg_catalog.pg_extension_config_dump('sched.scheduled_visits', '');
SELECT pg_catalog.pg_extension_config_dump('sched.callbacks', '');
SELECT pg_catalog.pg_extension_config_dump('sched.user_profiles', '');
SELECT pg_catalog.pg_extension_config_dump('sched.status_history', '');
SELECT pg_catalog.pg_extension_config_dump('sched.outbox', '');
SELECT pg_catalog.pg_extension_config_dump('sched.agent_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sched.visit_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sched.callback_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sched.history_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sched.job_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sched.visit_turn', '');
SELECT pg_catalog.pg_extension_config_dump('sched.callback_turn', '');
SELECT pg_catalog.pg_extension_config_dump('sched.senior_callback_turn', '');
