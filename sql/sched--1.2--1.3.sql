/* sched--1.2--1.3.sql: every client, safely: the business's today as the defaults' date, customers and agents identified by the request, abuse limits, data that cannot be edited behind the rules. */

\echo Use "ALTER EXTENSION sched UPDATE TO '1.3'" to load this file. \quit

-- ---------------------------------------------------------------------
-- One "today".  available_slots' date_from and parse_contact_details'
-- today defaulted to CURRENT_DATE, the date in the session's TimeZone;
-- everything else counts from the date in sched.timezone.  From 1.3 both
-- default to NULL, which the calls take as the business's today (an
-- explicit NULL too, which was an error, 22004).  A default is evaluated
-- with the caller's privileges, so a function as the default would need a
-- grant of its own; NULL needs none.
-- ---------------------------------------------------------------------

CREATE OR REPLACE FUNCTION sched.available_slots(
  project text,
  date_from date DEFAULT NULL,
  days integer DEFAULT 7)
RETURNS TABLE (visit_date date, time_slot sched.time_slot, starts_at timestamptz,
               ends_at timestamptz, free integer)
AS 'MODULE_PATHNAME', 'sched_available_slots'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 21
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.available_slots(text, date, integer) IS
  'What can be offered to a customer for a project: every slot from date_from (NULL or left out: the business''s today, the date in sched.timezone) for days days (1-366) that is inside the booking window and not over yet, with its times in sched.timezone and how many more visits it takes (free; 0 when full).  A slot with free > 0 is bookable now and one with free = 0 is not: the count uses the same rules as booking (the project''s agents, leave, slot_capacity, daily_visit_cap).  Errors: 22004, 22023';

CREATE OR REPLACE FUNCTION sched.parse_contact_details(message text, today date DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sched_sql_parse_contact_details'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION sched.parse_contact_details(text, date) IS
  'Chat: the name, phone (E.164), email, visit_date (ISO) and time_slot found in a free-text reply such as "My name is John Doe, phone +91 98765 43210, I''m free this Saturday morning"; keys not found are absent, never guessed.  Relative dates count from today (NULL or left out: the business''s today, the date in sched.timezone).  Errors: 22023 today is not a finite date';

-- ---------------------------------------------------------------------
-- Who is calling.  The customer and agent calls take their user from the
-- request (the JWT claims PostgREST and Supabase set), never from an
-- argument; docs/roles.md.
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.request_user_id()
RETURNS text
AS 'MODULE_PATHNAME', 'sched_request_user_id'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION sched.request_user_id() IS
  'The end user of the current request: the claim named by sched.user_id_claim (default sub) in request.jwt.claims (PostgREST 9 and later, Supabase), else the legacy request.jwt.claim.<name> setting, else NULL; trimmed.  Never request.headers.  Errors: 22P02 request.jwt.claims is not JSON';

ALTER TABLE sched.agents ADD COLUMN login text UNIQUE;
COMMENT ON COLUMN sched.agents.login IS
  'The agent''s user in requests (the value of the sched.user_id_claim claim of their token): the agent calls and sched.my_assignments act for the active agent whose login it is; NULL: no agent calls';

-- the customers' open-item limits count by phone too
CREATE INDEX scheduled_visits_open_phone_idx ON sched.scheduled_visits (contact_phone, visit_date)
  WHERE status OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'confirmed']::sched.visit_status[]);
CREATE INDEX callbacks_queue_phone_idx ON sched.callbacks (contact_phone)
  WHERE next_attempt_at IS NOT NULL;

-- ---------------------------------------------------------------------
-- Projects.  When sched.projects has rows, every booking names an active
-- one (22023); an empty table keeps 1.2's rule (any project), so an
-- upgrade changes nothing until a DBA fills it.  visit_ics gives the
-- project's location.  Kept in each session's copy of the agents.
-- ---------------------------------------------------------------------

CREATE TABLE sched.projects (
  project  text PRIMARY KEY CHECK (pg_catalog.char_length(project) BETWEEN 1 AND 200),
  location text CHECK (pg_catalog.char_length(location) <= 500),
  active   boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE sched.projects IS
  'The property projects that take site visits: when it has rows, a booking (any path) must name an active one (22023); empty, any project is taken (as in 1.2).  A DBA adds them with INSERT and closes one with active = false';
COMMENT ON COLUMN sched.projects.project IS 'The name bookings use, matched exactly';
COMMENT ON COLUMN sched.projects.location IS 'Its address, for calendar invites (visit_ics); NULL: none';
COMMENT ON COLUMN sched.projects.active IS 'Takes new bookings; visits already booked stay';
SELECT pg_catalog.pg_extension_config_dump('sched.projects', '');
CREATE TRIGGER projects_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sched.projects
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agents_changed();
COMMENT ON FUNCTION sched.agents_changed() IS
  'AFTER INSERT, UPDATE, DELETE or TRUNCATE on sched.agents, sched.agent_time_off, sched.project_agents and sched.projects, per statement: tells every session to re-read the agents (and projects) it keeps';

-- ---------------------------------------------------------------------
-- What a customer and an agent see.  Each view shows only the calling
-- user's rows (security_barrier: a caller's own filters never see
-- another's); PostgREST's filters, ordering and paging work on them.
-- ---------------------------------------------------------------------

CREATE VIEW sched.my_visits WITH (security_barrier) AS
SELECT v.visit_id, v.ref, v.project, v.visit_date, v.time_slot, b.starts_at, b.ends_at,
       v.status, v.created_at, v.confirmed_at, v.completed_at, v.cancelled_at, v.updated_at,
       a.name AS agent_name, a.phone AS agent_phone,
       v.contact_name, v.contact_phone, v.contact_email, v.user_notes AS notes
  FROM sched.scheduled_visits v
  LEFT JOIN sched.agents a ON a.agent_id OPERATOR(pg_catalog.=) v.agent_id
  CROSS JOIN LATERAL sched.slot_bounds(v.visit_date, v.time_slot) b
 WHERE v.user_id OPERATOR(pg_catalog.=) sched.request_user_id();
COMMENT ON VIEW sched.my_visits IS
  'Customer: the calling user''s site visits (sched.request_user_id()), with the slot''s local times and the assigned relationship manager''s name and phone; no team-only columns (rm_notes, lead_score, idempotency_key, session_id)';

CREATE VIEW sched.my_callbacks WITH (security_barrier) AS
SELECT c.callback_id, c.ref, c.urgency, c.reason, c.status, c.due_at, c.created_at,
       c.contacted_at, c.completed_at, c.updated_at,
       a.name AS agent_name, a.phone AS agent_phone,
       c.contact_name, c.contact_phone, c.contact_email
  FROM sched.callbacks c
  LEFT JOIN sched.agents a ON a.agent_id OPERATOR(pg_catalog.=) c.agent_id
 WHERE c.user_id OPERATOR(pg_catalog.=) sched.request_user_id();
COMMENT ON VIEW sched.my_callbacks IS
  'Customer: the calling user''s callbacks (sched.request_user_id()), with the deadline and the assigned agent''s name and phone; no team-only columns (agent_notes, outcome, attempts, lead_score, idempotency_key, session_id)';

CREATE VIEW sched.my_assignments WITH (security_barrier) AS
SELECT 'visit'::sched.entity AS entity, v.visit_id AS id, v.ref, v.status::text AS status,
       v.project, v.visit_date, v.time_slot, b.starts_at, b.ends_at,
       NULL::sched.urgency AS urgency, NULL::timestamptz AS due_at, NULL::timestamptz AS next_attempt_at,
       v.contact_name, v.contact_phone, v.contact_email, v.user_notes AS notes,
       v.rm_notes AS agent_notes, v.created_at, v.updated_at
  FROM sched.agents a
  JOIN sched.scheduled_visits v ON v.agent_id OPERATOR(pg_catalog.=) a.agent_id
  CROSS JOIN LATERAL sched.slot_bounds(v.visit_date, v.time_slot) b
 WHERE a.login OPERATOR(pg_catalog.=) sched.request_user_id() AND a.active
UNION ALL
SELECT 'callback'::sched.entity, c.callback_id, c.ref, c.status::text,
       NULL, NULL, NULL, NULL, NULL,
       c.urgency, c.due_at, c.next_attempt_at,
       c.contact_name, c.contact_phone, c.contact_email, c.reason,
       c.agent_notes, c.created_at, c.updated_at
  FROM sched.agents a
  JOIN sched.callbacks c ON c.agent_id OPERATOR(pg_catalog.=) a.agent_id
 WHERE a.login OPERATOR(pg_catalog.=) sched.request_user_id() AND a.active;
COMMENT ON VIEW sched.my_assignments IS
  'Agent: the visits and callbacks assigned to the calling agent (the active agent whose login is sched.request_user_id()), one row per item: entity, id, ref, status, a visit''s date, slot and local times or a callback''s urgency, deadline and next attempt, the customer''s contact details and notes (a callback''s reason), the agent''s own notes';

-- ---------------------------------------------------------------------
-- Customer calls: the user is the request's; none takes a user_id, a
-- lead_score or a session_id.
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.book_my_visit(
  project text,
  visit_date date,
  time_slot sched.time_slot,
  contact_name text,
  contact_phone text,
  contact_email text DEFAULT NULL,
  notes text DEFAULT NULL,
  idempotency_key text DEFAULT NULL)
RETURNS sched.my_visits
AS 'MODULE_PATHNAME', 'sched_book_my_visit'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.book_my_visit(text, date, sched.time_slot, text, text, text, text, text) IS
  'Customer: books a site visit for the request''s user, as book_site_visit does (the lead score from the user''s profile), within sched.max_open_visits_per_user open visits per user and per contact phone.  Errors: 42501 no user in the request, 22004, 22023, PT409 nobody has room, PT429 too many open visits';

CREATE FUNCTION sched.request_my_callback(
  contact_name text,
  contact_phone text,
  reason text DEFAULT NULL,
  urgency sched.urgency DEFAULT 'medium',
  contact_email text DEFAULT NULL,
  idempotency_key text DEFAULT NULL)
RETURNS sched.my_callbacks
AS 'MODULE_PATHNAME', 'sched_request_my_callback'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.request_my_callback(text, text, text, sched.urgency, text, text) IS
  'Customer: requests a callback for the request''s user, as request_callback does, within sched.max_open_callbacks_per_user callbacks in the working queue per user and per contact phone.  Errors: 42501 no user in the request, 22004, 22023, PT409 no agent available, PT429 too many open callbacks';

CREATE FUNCTION sched.my_schedule()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sched_my_schedule'
LANGUAGE C STABLE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.my_schedule() IS
  'Customer: the request''s user''s visits and callbacks, newest first, as sched.my_visits and sched.my_callbacks show them: {"visits": [...], "callbacks": [...]}.  Errors: 42501 no user in the request';

CREATE FUNCTION sched.cancel_my_visit(visit_id bigint, reason text DEFAULT NULL)
RETURNS sched.my_visits
AS 'MODULE_PATHNAME', 'sched_cancel_my_visit'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.cancel_my_visit(bigint, text) IS
  'Customer: cancels one of the request''s user''s own visits, as cancel_visit does.  Errors: 42501 no user in the request, 22004, 22023, PT404 no such visit of the user''s (another user''s too), PT409 not pending or confirmed';

CREATE FUNCTION sched.reschedule_my_visit(visit_id bigint, visit_date date, time_slot sched.time_slot)
RETURNS sched.my_visits
AS 'MODULE_PATHNAME', 'sched_reschedule_my_visit'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.reschedule_my_visit(bigint, date, sched.time_slot) IS
  'Customer: moves one of the request''s user''s own visits to another date or slot, as reschedule_visit does.  Errors: 42501 no user in the request, 22004, 22023, PT404 no such visit of the user''s (another user''s too), PT409 not movable or no room';

-- ---------------------------------------------------------------------
-- Agent calls: the agent is the active agent whose login is the
-- request's user.
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.set_my_visit_status(
  visit_id bigint,
  status sched.visit_status,
  rm_notes text DEFAULT NULL)
RETURNS sched.my_assignments
AS 'MODULE_PATHNAME', 'sched_set_my_visit_status'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.set_my_visit_status(bigint, sched.visit_status, text) IS
  'Agent: moves one of the calling agent''s own visits, as set_visit_status does; status_history names the agent.  Errors: 42501 the request''s user is no active agent, 22004, 22023, PT404 no such visit of the agent''s (another agent''s too), PT409 illegal move';

CREATE FUNCTION sched.set_my_callback_status(
  callback_id bigint,
  status sched.callback_status,
  agent_notes text DEFAULT NULL,
  call_duration_s integer DEFAULT NULL,
  outcome text DEFAULT NULL)
RETURNS sched.my_assignments
AS 'MODULE_PATHNAME', 'sched_set_my_callback_status'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.set_my_callback_status(bigint, sched.callback_status, text, integer, text) IS
  'Agent: moves one of the calling agent''s own callbacks, as set_callback_status does; status_history names the agent.  Errors: 42501 the request''s user is no active agent, 22004, 22023, PT404 no such callback of the agent''s (another agent''s too), PT409 illegal move';

REVOKE ALL ON FUNCTION
  sched.request_user_id(),
  sched.book_my_visit(text, date, sched.time_slot, text, text, text, text, text),
  sched.request_my_callback(text, text, text, sched.urgency, text, text),
  sched.my_schedule(), sched.cancel_my_visit(bigint, text),
  sched.reschedule_my_visit(bigint, date, sched.time_slot),
  sched.set_my_visit_status(bigint, sched.visit_status, text),
  sched.set_my_callback_status(bigint, sched.callback_status, text, integer, text)
FROM PUBLIC;

-- ---------------------------------------------------------------------
-- The grants of a deployment's roles.  The customers' and agents' roles
-- are identified by the request alone, so they must be roles nobody logs
-- in as (PostgREST's and Supabase's are NOLOGIN): a session of its own
-- could set request.jwt.claims to anything.
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.grant_customer_calls(grantee regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF (SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) grantee) THEN
    RAISE EXCEPTION 'role % can log in', grantee
      USING ERRCODE = '22023',
            DETAIL = 'A session of its own could set request.jwt.claims, and so be any user.',
            HINT = 'Grant to a NOLOGIN role that PostgREST switches to (its anonymous or authenticated role).';
  END IF;
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA sched TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT EXECUTE ON FUNCTION sched.request_user_id(), '
    'sched.book_my_visit(text, date, sched.time_slot, text, text, text, text, text), '
    'sched.request_my_callback(text, text, text, sched.urgency, text, text), '
    'sched.my_schedule(), sched.cancel_my_visit(bigint, text), '
    'sched.reschedule_my_visit(bigint, date, sched.time_slot), '
    'sched.available_slots(text, date, integer), sched.slot_bounds(date, sched.time_slot) TO %s', grantee);
  EXECUTE pg_catalog.format('GRANT SELECT ON sched.my_visits, sched.my_callbacks TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_customer_calls(regrole) IS
  'DBA: lets a NOLOGIN role (PostgREST''s or Supabase''s authenticated role) act for the request''s user: see the free slots, book, request callbacks, read, cancel and move their own, and nothing else.  Errors: 22023 a role that can log in';

CREATE FUNCTION sched.grant_agent_calls(grantee regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF (SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) grantee) THEN
    RAISE EXCEPTION 'role % can log in', grantee
      USING ERRCODE = '22023',
            DETAIL = 'A session of its own could set request.jwt.claims, and so be any agent.',
            HINT = 'Grant to a NOLOGIN role that PostgREST switches to for the sales agents'' tokens.';
  END IF;
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA sched TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT EXECUTE ON FUNCTION sched.request_user_id(), '
    'sched.set_my_visit_status(bigint, sched.visit_status, text), '
    'sched.set_my_callback_status(bigint, sched.callback_status, text, integer, text), '
    'sched.slot_bounds(date, sched.time_slot) TO %s', grantee);
  EXECUTE pg_catalog.format('GRANT SELECT ON sched.my_assignments TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_agent_calls(regrole) IS
  'DBA: lets a NOLOGIN role (the one PostgREST switches to for sales agents'' tokens) act for the agent whose login is the request''s user: list their own visits and callbacks (sched.my_assignments) and move them, and nothing else.  Errors: 22023 a role that can log in';

COMMENT ON FUNCTION sched.grant_user_calls(regrole) IS
  'DBA: the back-end grant: lets a trusted role (the chat service, which names the user itself) see the free slots, book visits, request callbacks, read a user''s schedule and use the chat helpers, and nothing else.  Never for an end user''s role: it can act for any user (grant_customer_calls is theirs)';
COMMENT ON FUNCTION sched.revoke_calls(regrole) IS
  'DBA: takes back everything grant_customer_calls, grant_agent_calls, grant_user_calls, grant_admin_calls and grant_worker_calls gave a role';
REVOKE ALL ON FUNCTION sched.grant_customer_calls(regrole), sched.grant_agent_calls(regrole) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- Records that cannot be edited behind the rules, whoever writes: no
-- DELETE of visits and callbacks, an append-only history, outbox jobs
-- that move only as the worker's calls move them, and no TRUNCATE unless
-- a superuser turns on sched.allow_truncate for the session.
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.protect_rows() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sched_protect_rows' LANGUAGE C;
COMMENT ON FUNCTION sched.protect_rows() IS
  'BEFORE DELETE on visits and callbacks, BEFORE UPDATE OR DELETE on status_history and outbox (per row), BEFORE TRUNCATE on all four: refuses deleting bookings and history and unsent jobs (0A000), editing history (0A000), outbox state moves the worker''s calls do not make (PT409), and TRUNCATE unless sched.allow_truncate (0A000)';
REVOKE ALL ON FUNCTION sched.protect_rows() FROM PUBLIC;

CREATE TRIGGER scheduled_visits_protect BEFORE DELETE ON sched.scheduled_visits
  FOR EACH ROW EXECUTE FUNCTION sched.protect_rows();
CREATE TRIGGER scheduled_visits_protect_truncate BEFORE TRUNCATE ON sched.scheduled_visits
  FOR EACH STATEMENT EXECUTE FUNCTION sched.protect_rows();
CREATE TRIGGER callbacks_protect BEFORE DELETE ON sched.callbacks
  FOR EACH ROW EXECUTE FUNCTION sched.protect_rows();
CREATE TRIGGER callbacks_protect_truncate BEFORE TRUNCATE ON sched.callbacks
  FOR EACH STATEMENT EXECUTE FUNCTION sched.protect_rows();
CREATE TRIGGER status_history_protect BEFORE UPDATE OR DELETE ON sched.status_history
  FOR EACH ROW EXECUTE FUNCTION sched.protect_rows();
CREATE TRIGGER status_history_protect_truncate BEFORE TRUNCATE ON sched.status_history
  FOR EACH STATEMENT EXECUTE FUNCTION sched.protect_rows();
CREATE TRIGGER outbox_protect BEFORE UPDATE OR DELETE ON sched.outbox
  FOR EACH ROW EXECUTE FUNCTION sched.protect_rows();
CREATE TRIGGER outbox_protect_truncate BEFORE TRUNCATE ON sched.outbox
  FOR EACH STATEMENT EXECUTE FUNCTION sched.protect_rows();

CREATE FUNCTION sched.retry_job(job_id bigint)
RETURNS sched.outbox
AS 'MODULE_PATHNAME', 'sched_retry_job'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.retry_job(bigint) IS
  'Admin: moves a dead outbox job back to pending, due now, its attempts counted anew (the one way back from dead).  Errors: 22004, PT404 no such job, PT409 not dead';
REVOKE ALL ON FUNCTION sched.retry_job(bigint) FROM PUBLIC;

CREATE FUNCTION sched.erase_user(user_id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sched_erase_user'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.erase_user(text) IS
  'Admin: the right to be forgotten (DPDP Act, GDPR): replaces a user''s names, phones, emails and notes in their visits, callbacks, history and feedback, and their outbox jobs'' recipients and payloads, with [erased]; cancels their unsent jobs; keeps ids, statuses, dates, agents and counts; one history row per item.  Returns the counts.  A second call changes nothing.  Errors: 22004, 22023';
REVOKE ALL ON FUNCTION sched.erase_user(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION sched.grant_admin_calls(grantee regrole)
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
    'sched.set_callback_status(bigint, sched.callback_status, text, integer, text), '
    'sched.reschedule_visit(bigint, date, sched.time_slot), '
    'sched.cancel_visit(bigint, text), sched.mark_no_shows(timestamptz, interval), '
    'sched.escalate_overdue_callbacks(timestamptz), '
    'sched.visit_ics(bigint), sched.record_feedback(bigint, integer, text), '
    'sched.assignment_stats(date, date), sched.agent_performance(date, date), '
    'sched.retry_job(bigint), sched.erase_user(text) TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT SELECT ON sched.agents, sched.scheduled_visits, sched.callbacks, '
    'sched.user_profiles, sched.status_history, sched.outbox, sched.visit_feedback, '
    'sched.agent_time_off, sched.project_agents, sched.projects TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_admin_calls(regrole) IS
  'DBA: lets a role (the sales team''s admin screens) do everything the back-end calls do, list, move, reschedule and cancel visits and callbacks, mark no-shows, escalate overdue callbacks, retry dead jobs, erase a user, record feedback, read the reports and every sched table';

-- Roles that had the admin calls before 1.3 get its new ones (retry_job,
-- erase_user, SELECT on sched.projects) when a DBA runs
-- sched.grant_admin_calls(role) again: a grant made in this script would
-- be recorded as one of the extension's initial privileges (pg_init_privs),
-- which pg_dump leaves out and which keep the role from being dropped.

-- ---------------------------------------------------------------------
-- Hardening.  The trigger functions run with whatever search_path the
-- writer has (a DBA's, or an application's); like the SECURITY DEFINER
-- calls they now pin pg_catalog, pg_temp, so no operator or function
-- planted in a schema on that path is ever resolved by sched's SQL (whose
-- operators on sched's own types are also written OPERATOR(pg_catalog.=),
-- as PostgreSQL's referential-integrity triggers write theirs).
-- ---------------------------------------------------------------------

ALTER FUNCTION sched.agent_guard() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION sched.agents_changed() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION sched.agent_keys() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION sched.visit_guard() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION sched.callback_guard() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION sched.visit_announce() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION sched.callback_announce() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION sched.protect_rows() SET search_path = pg_catalog, pg_temp;

-- No sched function runs in a parallel operation.  With
-- force_parallel_mode (debug_parallel_query from PostgreSQL 16), which any
-- user may set, a statement calling a PARALLEL SAFE or RESTRICTED function
-- runs in parallel mode, and there (1) available_slots and visit_ics,
-- which read the latest committed rows, failed with XX000, and (2) a first
-- call that loaded the library could not apply the database's sched.*
-- settings (PostgreSQL refuses to set parameters in parallel mode), so
-- that session ran with the defaults, sched.user_id_claim included: a
-- customer could be given another user's rows.  sched's calls are small
-- indexed reads and writes; none gains from parallel query.  (The calls
-- this script creates are PARALLEL UNSAFE where they are created.)
ALTER FUNCTION sched.user_schedule(text) PARALLEL UNSAFE;
ALTER FUNCTION sched.list_visits(sched.visit_status, date, date, integer, integer) PARALLEL UNSAFE;
ALTER FUNCTION sched.list_callbacks(sched.callback_status, sched.urgency, integer) PARALLEL UNSAFE;
ALTER FUNCTION sched.slot_bounds(date, sched.time_slot) PARALLEL UNSAFE;
ALTER FUNCTION sched.detect_intent(text, text) PARALLEL UNSAFE;
ALTER FUNCTION sched.scheduling_prompt(text) PARALLEL UNSAFE;
ALTER FUNCTION sched.render_message(bigint) PARALLEL UNSAFE;
ALTER FUNCTION sched.visit_ics(bigint) PARALLEL UNSAFE;
ALTER FUNCTION sched.assignment_stats(date, date) PARALLEL UNSAFE;
ALTER FUNCTION sched.agent_performance(date, date) PARALLEL UNSAFE;

-- A change of the agents, their leave, the project lists or the projects
-- made with triggers off for the session (session_replication_role =
-- replica: a logical-replication subscriber, a DBA's bulk load) reached no
-- other session's copy, so a long-lived connection kept booking a retired
-- agent.  The statement triggers that announce a change (they only send
-- an invalidation) now fire in every mode.  (pg_restore
-- --disable-triggers turns them off and on again with ALTER TABLE, which
-- itself tells every session to read the tables again.)
ALTER TABLE sched.agents ENABLE ALWAYS TRIGGER agents_changed;
ALTER TABLE sched.agent_time_off ENABLE ALWAYS TRIGGER agent_time_off_changed;
ALTER TABLE sched.project_agents ENABLE ALWAYS TRIGGER project_agents_changed;
ALTER TABLE sched.projects ENABLE ALWAYS TRIGGER projects_changed;

-- status_history.changed_at was the transaction's start (now()), so two
-- moves of one item in one transaction had the same time and could sort
-- in either order.  It is the moment the row is written from 1.3.
ALTER TABLE sched.status_history ALTER COLUMN changed_at SET DEFAULT pg_catalog.clock_timestamp();
COMMENT ON COLUMN sched.status_history.changed_at IS
  'When the change was written (clock_timestamp(), from 1.3; the transaction''s start before): two moves in one transaction keep their order';

-- ---------------------------------------------------------------------
-- Refs that are never given out twice.  ref was generated from the id;
-- after an asynchronous failover the bookings the standby never received
-- are lost, and the promoted node's sequences give their ids out again,
-- so a customer's SMS could name someone else's booking.  From 1.3 the
-- ref is written once, by the trigger, from the id and, after a
-- failover, the timeline it is made on ("visit_000123-2"), and never
-- changes.  Existing refs keep their values.
-- ---------------------------------------------------------------------
ALTER TABLE sched.scheduled_visits ALTER COLUMN ref DROP EXPRESSION;
ALTER TABLE sched.scheduled_visits ALTER COLUMN ref SET NOT NULL;
ALTER TABLE sched.callbacks ALTER COLUMN ref DROP EXPRESSION;
ALTER TABLE sched.callbacks ALTER COLUMN ref SET NOT NULL;
COMMENT ON COLUMN sched.scheduled_visits.ref IS
  'Customer-facing reference, visit_000001, from visit_id; from 1.3 written once by the trigger, with the timeline after a failover (visit_000123-2), so that no ref is given out twice; cannot be changed';
COMMENT ON COLUMN sched.callbacks.ref IS
  'Customer-facing reference, callback_000001, from callback_id; from 1.3 written once by the trigger, with the timeline after a failover (callback_000123-2), so that no ref is given out twice; cannot be changed';
