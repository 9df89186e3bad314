/* sched--1.3--1.4.sql: messages that really leave (a provider's permanent refusal), weighted turns. */

\echo Use "ALTER EXTENSION sched UPDATE TO '1.4'" to load this file. \quit

-- ---------------------------------------------------------------------
-- A provider's permanent refusal.  fail_job retries a job with a growing
-- delay until it has had sched.job_max_attempts attempts; an invalid
-- number or a rejected template fails the same way every time, so the
-- worker says so and the job is dead at once, with the provider's reason.
-- A call of its own, not a third argument of fail_job: no function name
-- in sched is overloaded (a changed signature would also lose fail_job's
-- grants).
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.fail_job_permanently(job_id bigint, error text)
RETURNS sched.outbox
AS 'MODULE_PATHNAME', 'sched_fail_job_permanently'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.fail_job_permanently(bigint, text) IS
  'Worker: the provider refused a claimed job for good (an invalid number, a rejected template, a mailbox that does not exist): it is dead at once, kept with error as its last_error, however many attempts it had left; sched.retry_job sends it again.  Errors: 22004, 22023, PT404, PT409 as for complete_job';

REVOKE ALL ON FUNCTION sched.fail_job_permanently(bigint, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION sched.grant_worker_calls(grantee regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA sched TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT EXECUTE ON FUNCTION sched.claim_jobs(text, integer, interval), '
    'sched.render_message(bigint), sched.complete_job(bigint), sched.fail_job(bigint, text), '
    'sched.fail_job_permanently(bigint, text), sched.visit_ics(bigint), '
    'sched.sync_agent_busy(integer, text, jsonb) TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_worker_calls(regrole) IS
  'DBA: lets a role (the notification worker''s) claim outbox jobs, render their messages and calendar invites, complete and fail them (for good when the provider refuses), sync the agents'' busy times from their calendars, and nothing else';

-- ---------------------------------------------------------------------
-- Weighted turns.  An agent's weight (1-100, default 1) is how many turns
-- they take in each cycle of their pool: smooth weighted round robin
-- (sched_weighted_turns in src/workflow.c), an agent of weight 2 taking
-- two turns for one of weight 1, interleaved.  Equal weights keep the
-- plain round robin, A B C A B C, exactly.
-- ---------------------------------------------------------------------

ALTER TABLE sched.agents ADD COLUMN weight integer NOT NULL DEFAULT 1
  CONSTRAINT agents_weight_check CHECK (weight BETWEEN 1 AND 100);
COMMENT ON COLUMN sched.agents.weight IS
  'Turns per cycle of the round robin (1-100, default 1): an agent of weight 2 is given two bookings for every one an agent of weight 1 is given, interleaved; equal weights are the plain round robin';

-- assignment_stats shows each agent's weight and share beside the counts
-- (new columns at the end; the body is parsed here, once, so no operator
-- on a caller's search_path is ever used).  A function's columns cannot
-- change in place, so the 1.3 function is replaced by a new one, which
-- the admins get when a DBA runs sched.grant_admin_calls again (below).
DROP FUNCTION sched.assignment_stats(date, date);
CREATE FUNCTION sched.assignment_stats(date_from date, date_to date)
RETURNS TABLE (agent_id integer, name text, active boolean, visits bigint, callbacks bigint,
               urgent_callbacks bigint, customer_cancels bigint, no_shows bigint,
               weight integer, visit_share numeric, weight_share numeric)
LANGUAGE sql STABLE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  WITH counts AS (
    SELECT a.agent_id, a.name, a.active, a.weight,
           a.active AND a.handles_visits AS takes_visits,
           (SELECT count(*) FROM sched.scheduled_visits v
             WHERE v.agent_id = a.agent_id
               AND v.created_at >= date_from
               AND v.created_at < date_to + 1
               AND v.status <> 'no_show'
               AND NOT EXISTS (SELECT FROM sched.status_history h
                                WHERE h.entity = 'visit'
                                  AND h.entity_id = v.visit_id
                                  AND h.to_status = 'cancelled'
                                  AND h.note LIKE 'by customer%')) AS visits,
           (SELECT count(*) FROM sched.callbacks c
             WHERE c.agent_id = a.agent_id
               AND c.created_at >= date_from
               AND c.created_at < date_to + 1) AS callbacks,
           (SELECT count(*) FROM sched.callbacks c
             WHERE c.agent_id = a.agent_id
               AND c.created_at >= date_from
               AND c.created_at < date_to + 1
               AND c.urgency = 'urgent') AS urgent_callbacks,
           (SELECT count(*) FROM sched.scheduled_visits v
             WHERE v.agent_id = a.agent_id
               AND v.created_at >= date_from
               AND v.created_at < date_to + 1
               AND EXISTS (SELECT FROM sched.status_history h
                            WHERE h.entity = 'visit'
                              AND h.entity_id = v.visit_id
                              AND h.to_status = 'cancelled'
                              AND h.note LIKE 'by customer%')) AS customer_cancels,
           (SELECT count(*) FROM sched.scheduled_visits v
             WHERE v.agent_id = a.agent_id
               AND v.created_at >= date_from
               AND v.created_at < date_to + 1
               AND v.status = 'no_show') AS no_shows
      FROM sched.agents a)
  SELECT agent_id, name, active, visits, callbacks, urgent_callbacks, customer_cancels, no_shows, weight,
         round(visits::numeric / nullif(sum(visits) OVER (), 0), 4),
         CASE WHEN takes_visits THEN round(weight::numeric / sum(weight) FILTER (WHERE takes_visits) OVER (), 4) END
    FROM counts
   ORDER BY agent_id;
END;
COMMENT ON FUNCTION sched.assignment_stats(date, date) IS
  'Admin: per agent, the bookings they were given from date_from to date_to (by booking date, inclusive): visits (not counting the customer''s cancels and no-shows, shown apart), callbacks and urgent callbacks; and (1.4) the agent''s weight, their share of those visits and the share their weight gives them among the active agents who take visits (NULL for the others), so that a DBA can see the rotation is fair (docs/design.md states the guarantee)';
REVOKE ALL ON FUNCTION sched.assignment_stats(date, date) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- Grants.  The roles that had the admin or worker calls get 1.4's new and
-- replaced ones (assignment_stats, fail_job_permanently, the calendars)
-- when a DBA runs their grant function again, as for 1.3's new calls: a
-- grant made in this script would be recorded as one of the extension's
-- initial privileges (pg_init_privs), which pg_dump leaves out, so the
-- role would lose it in a dump and restore.
-- ---------------------------------------------------------------------

-- ---------------------------------------------------------------------
-- Agents' calendars.  An agent's pending and confirmed visits and the
-- deadlines of their callbacks in the working queue, as one RFC 5545
-- calendar an app serves at a URL for Google Calendar or Outlook to
-- subscribe to: the visits with visit_ics's UID, SEQUENCE and times, a
-- callback's deadline as a short event that leaves the time free.  Read
-- only: it answers on a hot standby.  The admin's call names the agent;
-- the agent's own call (my_calendar) is the request's agent.
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.agent_calendar(agent_id integer, date_from date, date_to date)
RETURNS text
AS 'MODULE_PATHNAME', 'sched_agent_calendar'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.agent_calendar(integer, date, date) IS
  'Admin: an agent''s calendar to subscribe to (RFC 5545, no METHOD): their pending (TENTATIVE) and confirmed visits from date_from to date_to, with the UID, SEQUENCE and times visit_ics gives them, and the deadlines (due_at) of their callbacks in the working queue, as 15-minute events that leave the time free; the customer''s name, phone, email and own notes.  At most 366 days.  Errors: 22004, 22023 a range backwards or too long, PT404 no such agent';
REVOKE ALL ON FUNCTION sched.agent_calendar(integer, date, date) FROM PUBLIC;

CREATE FUNCTION sched.my_calendar(date_from date, date_to date)
RETURNS text
AS 'MODULE_PATHNAME', 'sched_my_calendar'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.my_calendar(date, date) IS
  'Agent: sched.agent_calendar of the calling agent (the active agent whose login is sched.request_user_id()).  Errors: 42501 the request''s user is no active agent, 22004, 22023';
REVOKE ALL ON FUNCTION sched.my_calendar(date, date) FROM PUBLIC;

-- The grants with the calendars added (given to existing roles by
-- running them again: see Grants above).
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
    'sched.retry_job(bigint), sched.erase_user(text), '
    'sched.agent_calendar(integer, date, date), sched.sync_agent_busy(integer, text, jsonb) TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT SELECT ON sched.agents, sched.scheduled_visits, sched.callbacks, '
    'sched.user_profiles, sched.status_history, sched.outbox, sched.visit_feedback, '
    'sched.agent_time_off, sched.project_agents, sched.projects, '
    'sched.agent_hours, sched.holidays, sched.agent_busy, sched.chat_sessions TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_admin_calls(regrole) IS
  'DBA: lets a role (the sales team''s admin screens) do everything the back-end calls do, list, move, reschedule and cancel visits and callbacks, mark no-shows, escalate overdue callbacks, retry dead jobs, erase a user, record feedback, read the reports, the agents'' calendars and every sched table, and sync the agents'' busy times';

CREATE OR REPLACE FUNCTION sched.grant_agent_calls(grantee regrole)
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
    'sched.slot_bounds(date, sched.time_slot), sched.my_calendar(date, date) TO %s', grantee);
  EXECUTE pg_catalog.format('GRANT SELECT ON sched.my_assignments TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_agent_calls(regrole) IS
  'DBA: lets a NOLOGIN role (the one PostgREST switches to for sales agents'' tokens) act for the agent whose login is the request''s user: list their own visits and callbacks (sched.my_assignments), move them and read their calendar (sched.my_calendar), and nothing else.  Errors: 22023 a role that can log in';

-- ---------------------------------------------------------------------
-- Customers abroad.  A customer's time zone (an IANA name) in their
-- profile: their messages and my_schedule show a visit's slot in the
-- project's time and, when it differs, on their own clock ("Sat 17 Jan,
-- 9 AM-12 PM IST (Fri 10:30 PM in New York)").  Set by the customer
-- (set_my_time_zone) or the back end (set_time_zone_for); cleared by
-- erase_user.
-- ---------------------------------------------------------------------

ALTER TABLE sched.user_profiles ADD COLUMN time_zone text;
COMMENT ON COLUMN sched.user_profiles.time_zone IS
  'The customer''s time zone (1.4), an IANA name as the tz database spells it (America/New_York), set by sched.set_my_time_zone or sched.set_time_zone_for: messages and my_schedule also show a visit''s slot on this clock when it reads another time than the project''s; NULL: the project''s time only';

CREATE FUNCTION sched.slot_label(visit_date date, time_slot sched.time_slot, zone text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sched_slot_label'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION sched.slot_label(date, sched.time_slot, text) IS
  'A visit''s slot as a customer reads it: ''Sat 17 Jan, 9 AM-12 PM IST'' (the slot''s hours and the abbreviation of sched.timezone then), and with a zone whose clock reads another time at the slot''s start '' (Fri 10:30 PM in New York)'' after it.  Errors: 22004 a NULL date or slot, 22023 a zone that is not a tz database name';
REVOKE ALL ON FUNCTION sched.slot_label(date, sched.time_slot, text) FROM PUBLIC;

CREATE FUNCTION sched.set_my_time_zone(zone text)
RETURNS text
AS 'MODULE_PATHNAME', 'sched_set_my_time_zone'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.set_my_time_zone(text) IS
  'Customer: the calling user''s time zone (an IANA name such as America/New_York, or UTC), for the slot on their own clock in their messages and my_schedule; NULL clears it.  Returns the zone as stored (the tz database''s spelling).  Errors: 42501 no user in the request, 22023 not a tz database name';
REVOKE ALL ON FUNCTION sched.set_my_time_zone(text) FROM PUBLIC;

CREATE FUNCTION sched.set_time_zone_for(user_id text, zone text)
RETURNS text
AS 'MODULE_PATHNAME', 'sched_set_time_zone_for'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.set_time_zone_for(text, text) IS
  'Back end: sched.set_my_time_zone for the user it names (the chat service, which knows the customer''s country).  Errors: 22004 a NULL user_id, 22023 a bad user_id or a zone that is not a tz database name';
REVOKE ALL ON FUNCTION sched.set_time_zone_for(text, text) FROM PUBLIC;

-- The grants with the time zone calls added (existing roles get them when
-- a DBA runs the grant functions again: see Grants above).
CREATE OR REPLACE FUNCTION sched.grant_user_calls(grantee regrole)
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
    'sched.user_schedule(text), sched.slot_bounds(date, sched.time_slot), '
    'sched.available_slots(text, date, integer), '
    'sched.detect_intent(text, text), sched.scheduling_prompt(text), '
    'sched.parse_contact_details(text, date), '
    'sched.slot_label(date, sched.time_slot, text), sched.set_time_zone_for(text, text), '
    'sched.chat_turn_for(text, sched.channel, text, text, text, text), '
    'sched.set_channel_for(text, sched.channel, boolean) TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_user_calls(regrole) IS
  'DBA: the back-end grant: lets a trusted role (the chat service, which names the user itself) see the free slots, book visits, request callbacks, read a user''s schedule, set a user''s time zone, use the chat helpers and hold a user''s chat (chat_turn_for) and record their channel and WhatsApp opt-in, and nothing else.  Never for an end user''s role: it can act for any user (grant_customer_calls is theirs)';

CREATE OR REPLACE FUNCTION sched.grant_customer_calls(grantee regrole)
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
    'sched.available_slots(text, date, integer), sched.slot_bounds(date, sched.time_slot), '
    'sched.slot_label(date, sched.time_slot, text), sched.set_my_time_zone(text), '
    'sched.chat_turn(sched.channel, text, text, text, text), '
    'sched.set_my_channel(sched.channel, boolean) TO %s', grantee);
  EXECUTE pg_catalog.format('GRANT SELECT ON sched.my_visits, sched.my_callbacks TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_customer_calls(regrole) IS
  'DBA: lets a NOLOGIN role (PostgREST''s or Supabase''s authenticated role) act for the request''s user: see the free slots, book, request callbacks, read, cancel and move their own, set their time zone and the channel of their texts, chat with the booking bot (chat_turn), and nothing else.  Errors: 22023 a role that can log in';

-- ---------------------------------------------------------------------
-- Availability the way calendar tools model it.  Weekly working hours
-- per agent (an agent without any works sched.business_hours), holidays
-- (one project's or every project's), the busy times of the agents' own
-- calendars, and a minimum notice (the setting sched.min_notice).  The
-- round robin, a visit that names its agent and available_slots all
-- honour them; the session copies of the agents (agents.c) keep them and
-- are told of every change by sched.agents_changed, as for leave.
-- Bookings made before a change stay.
-- ---------------------------------------------------------------------

CREATE TABLE sched.agent_hours (
  agent_id integer NOT NULL REFERENCES sched.agents (agent_id),
  weekday  smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts   time NOT NULL,
  ends     time NOT NULL,
  PRIMARY KEY (agent_id, weekday, starts),
  CHECK (ends > starts)
);
COMMENT ON TABLE sched.agent_hours IS
  'An agent''s weekly working hours (1.4): on weekday (1 Monday to 7 Sunday, ISO 8601) from starts to ends, local times in sched.timezone (ends may be 24:00); several ranges a day allowed, and ranges that touch or overlap join.  The agent takes a visit only in a slot their hours cover whole; an agent with no rows here works sched.business_hours';
SELECT pg_catalog.pg_extension_config_dump('sched.agent_hours', '');

CREATE TABLE sched.holidays (
  day     date NOT NULL,
  project text CHECK (pg_catalog.char_length(project) BETWEEN 1 AND 200),
  name    text NOT NULL CHECK (pg_catalog.char_length(name) BETWEEN 1 AND 200),
  UNIQUE NULLS NOT DISTINCT (day, project)
);
COMMENT ON TABLE sched.holidays IS
  'Days without site visits (1.4): the project''s (project NULL: every project''s).  Their slots are not offered by available_slots, and a visit booked or moved onto one is refused (22023); visits already booked stay';
SELECT pg_catalog.pg_extension_config_dump('sched.holidays', '');

CREATE TABLE sched.agent_busy (
  agent_id    integer NOT NULL REFERENCES sched.agents (agent_id),
  source      text NOT NULL CHECK (pg_catalog.char_length(source) BETWEEN 1 AND 100),
  external_id text NOT NULL CHECK (pg_catalog.char_length(external_id) BETWEEN 1 AND 500),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  PRIMARY KEY (agent_id, source, external_id),
  CHECK (ends_at > starts_at)
);
COMMENT ON TABLE sched.agent_busy IS
  'Busy times from the agents'' own calendars (1.4; the seed''s "check RM availability"), one source (a calendar) at a time, written by sched.sync_agent_busy: the round robin does not give an agent a visit in a slot they are busy at any moment of, as for sched.agent_time_off';
CREATE INDEX agent_busy_ends_idx ON sched.agent_busy (ends_at);
SELECT pg_catalog.pg_extension_config_dump('sched.agent_busy', '');

CREATE TRIGGER agent_hours_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sched.agent_hours
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agents_changed();
CREATE TRIGGER holidays_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sched.holidays
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agents_changed();
CREATE TRIGGER agent_busy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sched.agent_busy
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agents_changed();
COMMENT ON FUNCTION sched.agents_changed() IS
  'AFTER INSERT, UPDATE, DELETE or TRUNCATE on sched.agents, sched.agent_time_off, sched.project_agents, sched.projects and (1.4) sched.agent_hours, sched.holidays and sched.agent_busy, per statement: tells every session to re-read the agents it keeps';

CREATE FUNCTION sched.sync_agent_busy(agent_id integer, source text, busy jsonb)
RETURNS integer
AS 'MODULE_PATHNAME', 'sched_sync_agent_busy'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.sync_agent_busy(integer, text, jsonb) IS
  'Admin or worker: replaces the busy times of one source (a calendar, such as ''google'') for an agent with busy, a JSON array of objects with external_id, starts_at and ends_at ([] clears it), in one call; returns the number of blocks kept.  Errors: 22004, 22023 not an array, more than 2000 blocks, a block that is not one (times are ISO 8601 with their offset) or an external_id twice, 22008 a time that is none, PT404 no such agent';
REVOKE ALL ON FUNCTION sched.sync_agent_busy(integer, text, jsonb) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- A chat turn in one call.  The seed's chat flow kept in the database:
-- sched.chat_turn takes one inbound message of the customer's, remembers
-- the conversation in sched.chat_sessions and answers; "yes" to its
-- confirmation question books through book_my_visit's rules.  The flow is
-- pure C (src/chat_flow.c); src/chat_turn_calls.c keeps the memory and
-- carries out the bookings, cancels and moves.
-- ---------------------------------------------------------------------

CREATE TABLE sched.chat_sessions (
  user_id             text PRIMARY KEY,
  state               text NOT NULL DEFAULT 'idle'
                      CHECK (state IN ('idle', 'collecting', 'confirming', 'cancelling', 'rescheduling', 'confirming_move')),
  intent              text CHECK (intent IN ('site_visit', 'callback')),
  last_nudge          text CHECK (last_nudge IN ('site_visit', 'callback')),
  project             text,
  details             jsonb NOT NULL DEFAULT '{}',
  recent              jsonb NOT NULL DEFAULT '[]',
  channel             sched.channel,
  last_inbound_at     timestamptz,
  whatsapp_inbound_at timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE sched.chat_sessions IS
  'What sched.chat_turn remembers of each user''s conversation (1.4): its state, what is being booked, the details collected so far (details: name, phone, email, visit_date, time_slot), the project, the last nudge, the last 20 message ids with their answers (recent: the same message again gets the same answer), and when the customer last wrote (whatsapp_inbound_at, set by chat_turn_for for a whatsapp message, opens WhatsApp''s 24-hour customer service window).  Forgotten after sched.chat_session_ttl without a message; erase_user deletes it';
SELECT pg_catalog.pg_extension_config_dump('sched.chat_sessions', '');

CREATE FUNCTION sched.chat_turn(channel sched.channel, message_id text, message text,
                                project text DEFAULT NULL, contact_phone text DEFAULT NULL)
RETURNS TABLE (reply text, state text, visit_id bigint, callback_id bigint)
AS 'MODULE_PATHNAME', 'sched_chat_turn'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 1
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.chat_turn(sched.channel, text, text, text, text) IS
  'Customer: one inbound chat message of the request''s user (WhatsApp, SMS, the web chat), and the answer: the scheduling prompt, a question naming only the details still missing, a confirmation question, and on "yes" the booking (book_my_visit''s rules, message_id as the idempotency key) with the confirmation text; "cancel" and "reschedule" act on the customer''s next visit.  project: the property the chat is about, when the app knows it.  The same message_id again returns the first answer.  state: idle, collecting, confirming, cancelling, rescheduling, confirming_move, or after an action booked, callback_requested, cancelled, rescheduled.  Errors: 42501 no user, 22004, 22023 a bad message_id, project or contact_phone';
REVOKE ALL ON FUNCTION sched.chat_turn(sched.channel, text, text, text, text) FROM PUBLIC;

CREATE FUNCTION sched.chat_turn_for(user_id text, channel sched.channel, message_id text, message text,
                                    project text DEFAULT NULL, contact_phone text DEFAULT NULL)
RETURNS TABLE (reply text, state text, visit_id bigint, callback_id bigint)
AS 'MODULE_PATHNAME', 'sched_chat_turn_for'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 1
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.chat_turn_for(text, sched.channel, text, text, text, text) IS
  'Back end: sched.chat_turn for the user it names (a WhatsApp webhook that knows the sender).  Errors as chat_turn''s, and 22004 or 22023 for user_id';
REVOKE ALL ON FUNCTION sched.chat_turn_for(text, sched.channel, text, text, text, text) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- WhatsApp as a channel.  A customer who opted in (WhatsApp Business
-- requires a recorded opt-in) and chose WhatsApp gets the texts SMS would
-- carry (confirmations, reminders, cancellations) on WhatsApp instead;
-- email is unchanged; without the opt-in nothing goes to WhatsApp.  The
-- outbox jobs stay as queued (sms); render_message says the channel they
-- go on.  WhatsApp takes free text only within 24 hours of the customer's
-- last message (chat_turn_for records it) and an approved template
-- otherwise: render_message gives the template's name, language and
-- ordered parameters then (docs/notifications.md lists the templates).
-- ---------------------------------------------------------------------

ALTER TABLE sched.user_profiles
  ADD COLUMN whatsapp_opt_in_at timestamptz,
  ADD COLUMN preferred_channel sched.channel
    CHECK (preferred_channel IN ('sms'::sched.channel, 'whatsapp'::sched.channel));
COMMENT ON COLUMN sched.user_profiles.whatsapp_opt_in_at IS
  'When the customer agreed to messages on WhatsApp (1.4; WhatsApp Business requires it), set by set_my_channel or set_channel_for with opt_in; NULL: never on WhatsApp';
COMMENT ON COLUMN sched.user_profiles.preferred_channel IS
  'sms or whatsapp (1.4): where the customer''s texts go; whatsapp only with whatsapp_opt_in_at; NULL: sms';

CREATE FUNCTION sched.set_my_channel(channel sched.channel, opt_in boolean)
RETURNS TABLE (preferred_channel sched.channel, whatsapp_opt_in_at timestamptz)
AS 'MODULE_PATHNAME', 'sched_set_my_channel'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 1
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.set_my_channel(sched.channel, boolean) IS
  'Customer: where the request''s user gets their texts: whatsapp (with opt_in true, recorded with its time, kept while it stands) or sms; opt_in false withdraws the WhatsApp opt-in.  Errors: 42501 no user, 22004, 22023 a channel other than sms or whatsapp, or whatsapp without opt_in';
REVOKE ALL ON FUNCTION sched.set_my_channel(sched.channel, boolean) FROM PUBLIC;

CREATE FUNCTION sched.set_channel_for(user_id text, channel sched.channel, opt_in boolean)
RETURNS TABLE (preferred_channel sched.channel, whatsapp_opt_in_at timestamptz)
AS 'MODULE_PATHNAME', 'sched_set_channel_for'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 1
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.set_channel_for(text, sched.channel, boolean) IS
  'Back end: sched.set_my_channel for the user it names (a WhatsApp webhook recording the customer''s agreement).  Errors as set_my_channel''s, and 22004 or 22023 for user_id';
REVOKE ALL ON FUNCTION sched.set_channel_for(text, sched.channel, boolean) FROM PUBLIC;

-- render_message gains the template's columns; its columns cannot change
-- in place, so it is replaced (a worker's role gets it again from
-- grant_worker_calls: see Grants above)
DROP FUNCTION sched.render_message(bigint);
CREATE FUNCTION sched.render_message(job_id bigint)
RETURNS TABLE (channel text, recipient text, subject text, body text,
               template_name text, language text, parameters jsonb)
AS 'MODULE_PATHNAME', 'sched_render_message'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 1
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.render_message(bigint) IS
  'Worker: the text an outbox job sends, in the seed''s words: subject (email only) and body, with the recipient and the channel it goes on (1.4: whatsapp instead of sms for a customer who opted in and chose it, sms instead of whatsapp without the opt-in), so that a worker only has to send.  For WhatsApp outside the 24 hours after the customer''s last message, also the approved template to send instead of the body: template_name, language and parameters (a JSON array of its values in order); NULL otherwise.  Dates and times are local to sched.timezone.  Errors: 22004, PT404 no such job, PT409 the job is cancelled (do not send it), 22023 a template sched does not write';
REVOKE ALL ON FUNCTION sched.render_message(bigint) FROM PUBLIC;


-- ---------------------------------------------------------------------
-- The trigger functions pin their search_path in C.  1.3 pinned it with
-- SET clauses, which make PostgreSQL save, set and restore the setting
-- around every trigger call (about 9,000 instructions each, twice a
-- booking), although the triggers almost always fire inside one of
-- sched's calls, which has pinned the same path already.  From 1.4 the
-- functions set search_path = pg_catalog, pg_temp themselves when it is
-- not in force (src/search_path.c), with the same effect for a DBA's plain
-- UPDATE on any search_path (test/pgtap/210_search_path.sql).
-- ---------------------------------------------------------------------

ALTER FUNCTION sched.agent_guard() RESET search_path;
ALTER FUNCTION sched.agents_changed() RESET search_path;
ALTER FUNCTION sched.agent_keys() RESET search_path;
ALTER FUNCTION sched.visit_guard() RESET search_path;
ALTER FUNCTION sched.callback_guard() RESET search_path;
ALTER FUNCTION sched.visit_announce() RESET search_path;
ALTER FUNCTION sched.callback_announce() RESET search_path;
ALTER FUNCTION sched.protect_rows() RESET search_path;
