/* sched--1.0--1.1.sql: reminders, the notification worker's calls, rescheduling, the customer's cancel, no-shows and the chat helpers. */

\echo Use "ALTER EXTENSION sched UPDATE TO '1.1'" to load this file. \quit

-- ---------------------------------------------------------------------
-- The outbox as a work queue: a worker claims due jobs for a lease, then
-- completes or fails them (sched.claim_jobs, complete_job, fail_job).
-- ---------------------------------------------------------------------

ALTER TABLE sched.outbox
  ADD COLUMN claimed_by text,
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN done_at timestamptz;
COMMENT ON COLUMN sched.outbox.claimed_by IS 'The worker that claimed the job last (sched.claim_jobs)';
COMMENT ON COLUMN sched.outbox.lease_until IS
  'A claimed job not completed or failed by then goes back to the queue: the next claim_jobs may take it';
COMMENT ON COLUMN sched.outbox.done_at IS 'When the job was completed, died or was cancelled';
COMMENT ON COLUMN sched.outbox.attempts IS 'Delivery attempts so far: each claim counts one';
COMMENT ON COLUMN sched.outbox.run_at IS
  'When the job is due: now for the confirmations, before the slot for reminders, later after a failure (backoff)';
COMMENT ON COLUMN sched.outbox.template IS 'What to say: visit_booked, visit_confirmed, visit_cancelled, visit_completed, visit_missed, visit_assigned, visit_no_show, visit_rescheduled, visit_reminder_24h, visit_reminder_1h, callback_requested, callback_assigned, callback_missed, callback_unreachable, callback_overdue';

-- claims read expired leases through this one, due jobs through outbox_due_idx
CREATE INDEX outbox_lease_idx ON sched.outbox (lease_until) WHERE state = 'claimed';
-- a visit's live reminders, moved or cancelled with the visit
CREATE INDEX outbox_reminder_idx ON sched.outbox (entity_id)
  WHERE entity = 'visit' AND template IN ('visit_reminder_24h', 'visit_reminder_1h')
    AND state IN ('pending', 'claimed');

CREATE FUNCTION sched.claim_jobs(
  worker text,
  max_jobs integer DEFAULT 10,
  lease interval DEFAULT '5 minutes')
RETURNS SETOF sched.outbox
AS 'MODULE_PATHNAME', 'sched_claim_jobs'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 10
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.claim_jobs(text, integer, interval) IS
  'Worker: takes up to max_jobs (1-1000) due jobs, oldest run_at first: pending ones whose run_at has come and claimed ones whose lease ran out.  Each is claimed by worker until now() + lease (1 second to 1 day) and counts an attempt.  Jobs another worker is claiming are skipped (FOR UPDATE SKIP LOCKED), so two workers never get the same job.  Errors: 22004, 22023';

CREATE FUNCTION sched.complete_job(job_id bigint)
RETURNS sched.outbox
AS 'MODULE_PATHNAME', 'sched_complete_job'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.complete_job(bigint) IS
  'Worker: a claimed job was sent; it becomes done.  Errors: 22004, PT404 no such job, PT409 the job is not claimed (its lease ran out and another worker has it, or it was cancelled)';

CREATE FUNCTION sched.fail_job(job_id bigint, error text)
RETURNS sched.outbox
AS 'MODULE_PATHNAME', 'sched_fail_job'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.fail_job(bigint, text) IS
  'Worker: a claimed job could not be sent.  It is tried again after a backoff (1 minute, doubling per attempt, at most 1 hour), or becomes dead, kept with its last_error, once it has had sched.job_max_attempts attempts.  Errors: 22004, 22023, PT404, PT409 as for complete_job';

-- ---------------------------------------------------------------------
-- Throughput: each booking takes four or five job ids and a history id.
-- A session keeps 32 of each in hand instead of locking the sequence for
-- every one (at 16 clients that lock is a queue); ids stay unique, and
-- may leave gaps and come out of commit order across sessions, as they
-- already could.  The round-robin turn sequences and the visit and
-- callback ids (customer-facing refs) are not cached.
-- ---------------------------------------------------------------------
ALTER SEQUENCE sched.job_id_seq CACHE 32;
ALTER SEQUENCE sched.history_id_seq CACHE 32;

-- ---------------------------------------------------------------------
-- Availability: who takes a project's visits, leave, a daily cap.  The
-- round robin reads these with the agents (kept per session, re-read on
-- every change through sched.agents_changed).
-- ---------------------------------------------------------------------

ALTER TABLE sched.agents ADD COLUMN daily_visit_cap integer CHECK (daily_visit_cap >= 0);
COMMENT ON COLUMN sched.agents.daily_visit_cap IS
  'Most pending or confirmed visits this agent takes on one date, all slots together; NULL: no daily cap (slot_capacity still holds)';

CREATE SEQUENCE sched.time_off_id_seq;
CREATE TABLE sched.agent_time_off (
  time_off_id bigint PRIMARY KEY DEFAULT pg_catalog.nextval('sched.time_off_id_seq'),
  agent_id    integer NOT NULL REFERENCES sched.agents (agent_id),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  reason      text CHECK (pg_catalog.char_length(reason) <= 500),
  created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
  CHECK (ends_at > starts_at)
);
ALTER SEQUENCE sched.time_off_id_seq OWNED BY sched.agent_time_off.time_off_id;
COMMENT ON TABLE sched.agent_time_off IS
  'Leave: the round robin skips the agent for every slot that overlaps [starts_at, ends_at), and a visit that names the agent there is refused.  Visits already booked stay (reassign them with UPDATE ... SET agent_id = NULL)';
CREATE INDEX agent_time_off_agent_idx ON sched.agent_time_off (agent_id, ends_at);
SELECT pg_catalog.pg_extension_config_dump('sched.agent_time_off', '');
SELECT pg_catalog.pg_extension_config_dump('sched.time_off_id_seq', '');

CREATE TABLE sched.project_agents (
  project  text NOT NULL CHECK (pg_catalog.char_length(project) BETWEEN 1 AND 200),
  agent_id integer NOT NULL REFERENCES sched.agents (agent_id),
  PRIMARY KEY (project, agent_id)
);
COMMENT ON TABLE sched.project_agents IS
  'Who takes a project''s site visits: when a project (matched exactly) has rows here, only those agents (still active and handling visits) take its visits; a project with no rows is taken by every visit-taking agent';
CREATE INDEX project_agents_agent_idx ON sched.project_agents (agent_id);
SELECT pg_catalog.pg_extension_config_dump('sched.project_agents', '');

CREATE TRIGGER agent_time_off_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sched.agent_time_off
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agents_changed();
CREATE TRIGGER project_agents_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sched.project_agents
  FOR EACH STATEMENT EXECUTE FUNCTION sched.agents_changed();
COMMENT ON FUNCTION sched.agents_changed() IS
  'AFTER INSERT, UPDATE, DELETE or TRUNCATE on sched.agents, sched.agent_time_off and sched.project_agents, per statement: tells every session to re-read the agents it keeps';

CREATE FUNCTION sched.available_slots(
  project text,
  date_from date DEFAULT CURRENT_DATE,
  days integer DEFAULT 7)
RETURNS TABLE (visit_date date, time_slot sched.time_slot, starts_at timestamptz,
               ends_at timestamptz, free integer)
AS 'MODULE_PATHNAME', 'sched_available_slots'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 21
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.available_slots(text, date, integer) IS
  'What can be offered to a customer for a project: every slot from date_from for days days (1-366) that is inside the booking window and not over yet, with its times in sched.timezone and how many more visits it takes (free; 0 when full).  A slot with free > 0 is bookable now and one with free = 0 is not: the count uses the same rules as booking (the project''s agents, leave, slot_capacity, daily_visit_cap).  Errors: 22004, 22023';

-- ---------------------------------------------------------------------
-- Callbacks that slip: the working queue (next_attempt_at), retries
-- inside business hours, giving up, and escalation when overdue.
-- ---------------------------------------------------------------------

ALTER TABLE sched.callbacks
  ADD COLUMN next_attempt_at timestamptz,
  ADD COLUMN gave_up_at timestamptz,
  ADD COLUMN escalated_at timestamptz;
COMMENT ON COLUMN sched.callbacks.next_attempt_at IS
  'When the callback is next due: its deadline (due_at) while nobody has called, after an unanswered call the retry time (1 hour after the first, doubling, inside sched.business_hours); NULL once it has left the working queue (contacted, completed or given up)';
COMMENT ON COLUMN sched.callbacks.gave_up_at IS
  'When the callback left the working queue unanswered, after sched.callback_max_attempts calls; the customer is told (callback_unreachable)';
COMMENT ON COLUMN sched.callbacks.escalated_at IS
  'When the callback was flagged overdue (its due_at passed without contact) and the senior agents were told (callback_overdue); set by sched.escalate_overdue_callbacks or a DBA';
COMMENT ON COLUMN sched.callbacks.due_at IS
  'Response deadline: created_at plus the urgency''s SLA (urgent 30 min, high 2 h, medium 4 h, low 24 h), moved to the next opening of sched.business_hours when it falls outside them';

-- A 1.0 database's open callbacks join the queue: due by their deadline,
-- or an hour (doubling per attempt, at most a day) after the last
-- unanswered call; those already unanswered sched.callback_max_attempts
-- times (3 unless set) are given up, as the trigger would have done, but
-- without a message (they were not given up when the calls were made).
-- Business hours are not applied to these times.  Triggers are off: this
-- only fills the new columns.
ALTER TABLE sched.callbacks DISABLE TRIGGER USER;
UPDATE sched.callbacks
   SET next_attempt_at = CASE WHEN status = 'pending' THEN due_at
                              ELSE COALESCE(last_attempt_at, updated_at)
                                   + interval '1 hour' * 2 ^ LEAST(GREATEST(attempts - 1, 0), 5) END
 WHERE status = 'pending'
    OR (status = 'no_answer'
        AND attempts < COALESCE(NULLIF(pg_catalog.current_setting('sched.callback_max_attempts', true), '')::integer, 3));
UPDATE sched.callbacks
   SET gave_up_at = COALESCE(last_attempt_at, updated_at)
 WHERE status = 'no_answer'
   AND attempts >= COALESCE(NULLIF(pg_catalog.current_setting('sched.callback_max_attempts', true), '')::integer, 3);
ALTER TABLE sched.callbacks ENABLE TRIGGER USER;

-- list_callbacks orders the working queue first, what is due first
DROP INDEX sched.callbacks_status_urgency_idx;
DROP INDEX sched.callbacks_urgency_idx;
CREATE INDEX callbacks_status_queue_idx ON sched.callbacks (status, next_attempt_at, urgency, created_at, callback_id);
CREATE INDEX callbacks_queue_idx ON sched.callbacks (next_attempt_at, urgency, created_at, callback_id);
COMMENT ON FUNCTION sched.list_callbacks(sched.callback_status, sched.urgency, integer) IS
  'Admin: callbacks filtered by status and urgency: the working queue first, what is due first (next_attempt_at), then the rest urgent first, oldest first; at most max_rows (1-1000).  Errors: 22023';

CREATE FUNCTION sched.escalate_overdue_callbacks(as_of timestamptz DEFAULT pg_catalog.now())
RETURNS integer
AS 'MODULE_PATHNAME', 'sched_escalate_overdue_callbacks'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.escalate_overdue_callbacks(timestamptz) IS
  'Flags every callback still in the working queue whose due_at is at or before as_of and that nobody has reached: escalated_at is set, each active senior agent who handles callbacks gets a callback_overdue note, and NOTIFY sched says op "escalated"; returns how many.  Each callback is escalated once.  Meant for pg_cron: SELECT cron.schedule(''sched-overdue'', ''*/5 * * * *'', ''SELECT sched.escalate_overdue_callbacks()'').  Errors: 22004, 22023';

-- ---------------------------------------------------------------------
-- Changes to a booking: reschedule, the customer's cancel, no-shows
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.reschedule_visit(visit_id bigint, visit_date date, time_slot sched.time_slot)
RETURNS sched.scheduled_visits
AS 'MODULE_PATHNAME', 'sched_reschedule_visit'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.reschedule_visit(bigint, date, sched.time_slot) IS
  'Moves a pending or confirmed visit to another date and slot: the same agent when they still take visits and have room there, else the next agent round robin; frees the old place, moves the reminders, records the move in status_history and tells the customer and agent (visit_rescheduled).  Errors: 22004, 22023 date outside the booking window, PT404 no such visit, PT409 the visit is over or cancelled, or nobody has room';

CREATE FUNCTION sched.cancel_visit(visit_id bigint, reason text DEFAULT NULL)
RETURNS sched.scheduled_visits
AS 'MODULE_PATHNAME', 'sched_cancel_visit'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.cancel_visit(bigint, text) IS
  'Cancels a pending or confirmed visit at the customer''s request: frees its place in the slot, cancels its reminders, records the reason in status_history and queues the cancellation messages.  Errors: 22004, 22023, PT404 no such visit, PT409 the visit is already completed, cancelled or a no-show';

CREATE FUNCTION sched.mark_no_shows(
  as_of timestamptz DEFAULT pg_catalog.now(),
  grace interval DEFAULT '2 hours')
RETURNS integer
AS 'MODULE_PATHNAME', 'sched_mark_no_shows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.mark_no_shows(timestamptz, interval) IS
  'Moves every visit still pending or confirmed whose slot ended (in sched.timezone) more than grace (0 to 7 days) before as_of to no_show, as set_visit_status would, and returns how many.  Meant for pg_cron: SELECT cron.schedule(''sched-no-shows'', ''*/15 * * * *'', ''SELECT sched.mark_no_shows()'').  Errors: 22004, 22023';

CREATE FUNCTION sched.slot_bounds(
  visit_date date,
  time_slot sched.time_slot,
  OUT starts_at timestamptz,
  OUT ends_at timestamptz)
AS 'MODULE_PATHNAME', 'sched_slot_bounds'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sched.slot_bounds(date, sched.time_slot) IS
  'When a slot starts and ends: its local hours (morning 09:00-12:00, afternoon 12:00-15:00, evening 15:00-18:00) on visit_date in sched.timezone.  Reminders and no-shows are timed from it';

-- ---------------------------------------------------------------------
-- The chat helpers: pure functions over the customer's words
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.detect_intent(message text, last_nudge text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sched_sql_detect_intent'
LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION sched.detect_intent(text, text) IS
  'Chat: ''site_visit'' when a message asks to visit, see or tour a property, ''callback'' when it asks for a call, the nudged intent (last_nudge) for a bare yes, sure or ok after a nudge, NULL otherwise.  Errors: 22023 last_nudge is not site_visit or callback';

CREATE FUNCTION sched.scheduling_prompt(intent text)
RETURNS text
AS 'MODULE_PATHNAME', 'sched_sql_scheduling_prompt'
LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION sched.scheduling_prompt(text) IS
  'Chat: the text asking the customer for the details a booking needs (site_visit) or a callback needs (callback); NULL for NULL.  Errors: 22023 unknown intent';

CREATE FUNCTION sched.parse_contact_details(message text, today date DEFAULT CURRENT_DATE)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sched_sql_parse_contact_details'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION sched.parse_contact_details(text, date) IS
  'Chat: the name, phone (E.164), email, visit_date (ISO) and time_slot found in a free-text reply such as "My name is John Doe, phone +91 98765 43210, I''m free this Saturday morning"; keys not found are absent, never guessed.  Relative dates count from today.  Errors: 22004 today is NULL';

-- ---------------------------------------------------------------------
-- Privileges
-- ---------------------------------------------------------------------

REVOKE ALL ON FUNCTION
  sched.claim_jobs(text, integer, interval), sched.complete_job(bigint), sched.fail_job(bigint, text),
  sched.reschedule_visit(bigint, date, sched.time_slot),
  sched.cancel_visit(bigint, text), sched.mark_no_shows(timestamptz, interval),
  sched.escalate_overdue_callbacks(timestamptz),
  sched.slot_bounds(date, sched.time_slot), sched.available_slots(text, date, integer),
  sched.detect_intent(text, text), sched.scheduling_prompt(text), sched.parse_contact_details(text, date)
FROM PUBLIC;

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
    'sched.parse_contact_details(text, date) TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_user_calls(regrole) IS
  'DBA: lets a role (the app''s, or PostgREST''s web role) see the free slots, book visits, request callbacks, read a user''s schedule and use the chat helpers, and nothing else';

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
    'sched.assignment_stats(date, date), sched.agent_performance(date, date) TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT SELECT ON sched.agents, sched.scheduled_visits, sched.callbacks, '
    'sched.user_profiles, sched.status_history, sched.outbox, sched.visit_feedback, '
    'sched.agent_time_off, sched.project_agents TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_admin_calls(regrole) IS
  'DBA: lets a role (the sales team''s admin screens) do everything the user calls do, list, move, reschedule and cancel visits and callbacks, mark no-shows, escalate overdue callbacks, record feedback, read the reports and every sched table';

CREATE FUNCTION sched.grant_worker_calls(grantee regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA sched TO %s', grantee);
  EXECUTE pg_catalog.format(
    'GRANT EXECUTE ON FUNCTION sched.claim_jobs(text, integer, interval), '
    'sched.render_message(bigint), sched.complete_job(bigint), sched.fail_job(bigint, text), '
    'sched.visit_ics(bigint) TO %s', grantee);
END
$fn$;
COMMENT ON FUNCTION sched.grant_worker_calls(regrole) IS
  'DBA: lets a role (the notification worker''s) claim outbox jobs, render their messages and calendar invites, complete and fail them, and nothing else';

REVOKE ALL ON FUNCTION sched.grant_worker_calls(regrole) FROM PUBLIC;

CREATE FUNCTION sched.render_message(job_id bigint)
RETURNS TABLE (channel text, recipient text, subject text, body text)
AS 'MODULE_PATHNAME', 'sched_render_message'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 1
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.render_message(bigint) IS
  'Worker: the text an outbox job sends, in the seed''s words: subject (email only) and body, with the recipient and channel, so that a worker only has to send.  Dates and times are local to sched.timezone.  Errors: 22004, PT404 no such job, PT409 the job is cancelled (do not send it), 22023 a template sched does not write';

REVOKE ALL ON FUNCTION sched.render_message(bigint) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- Calendar invite
-- ---------------------------------------------------------------------

CREATE FUNCTION sched.visit_ics(visit_id bigint)
RETURNS text
AS 'MODULE_PATHNAME', 'sched_visit_ics'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.visit_ics(bigint) IS
  'A visit as an RFC 5545 calendar invite (VCALENDAR, one VEVENT): stable UID, SEQUENCE bumped on each change, DTSTART/DTEND in sched.timezone, SUMMARY, LOCATION = project, ORGANIZER = the agent, ATTENDEE = the customer, STATUS CANCELLED (METHOD:CANCEL) after a cancel.  Errors: 22004, PT404 no such visit';

REVOKE ALL ON FUNCTION sched.visit_ics(bigint) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- Feedback and the numbers a sales manager reads
-- ---------------------------------------------------------------------

CREATE TABLE sched.visit_feedback (
  visit_id   bigint PRIMARY KEY REFERENCES sched.scheduled_visits (visit_id),
  rating     integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment    text,
  agent_id   integer REFERENCES sched.agents (agent_id),
  created_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE sched.visit_feedback IS
  'The customer''s rating of a completed visit, one per visit, written by sched.record_feedback';
COMMENT ON COLUMN sched.visit_feedback.rating IS '1 to 5 stars';
COMMENT ON COLUMN sched.visit_feedback.agent_id IS 'The relationship manager of the visit when it was rated';
CREATE INDEX visit_feedback_agent_idx ON sched.visit_feedback (agent_id);
SELECT pg_catalog.pg_extension_config_dump('sched.visit_feedback', '');

CREATE FUNCTION sched.record_feedback(visit_id bigint, rating integer, comment text DEFAULT NULL)
RETURNS sched.visit_feedback
AS 'MODULE_PATHNAME', 'sched_record_feedback'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.record_feedback(bigint, integer, text) IS
  'Records the customer''s 1-5 star rating (and comment, up to 2000 characters) of a completed visit, once per visit.  Errors: 22004, 22023 rating outside 1-5 or a bad comment, PT404 no such visit, PT409 the visit is not completed or already rated';

CREATE FUNCTION sched.assignment_stats(date_from date, date_to date)
RETURNS TABLE (agent_id integer, name text, active boolean, visits bigint, callbacks bigint,
               urgent_callbacks bigint, customer_cancels bigint, no_shows bigint)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT a.agent_id, a.name, a.active,
         (SELECT count(*) FROM sched.scheduled_visits v
           WHERE v.agent_id = a.agent_id AND v.created_at >= date_from AND v.created_at < date_to + 1
             AND v.status <> 'no_show'
             AND NOT EXISTS (SELECT FROM sched.status_history h
                              WHERE h.entity = 'visit' AND h.entity_id = v.visit_id
                                AND h.to_status = 'cancelled' AND h.note LIKE 'by customer%')),
         (SELECT count(*) FROM sched.callbacks c
           WHERE c.agent_id = a.agent_id AND c.created_at >= date_from AND c.created_at < date_to + 1),
         (SELECT count(*) FROM sched.callbacks c
           WHERE c.agent_id = a.agent_id AND c.created_at >= date_from AND c.created_at < date_to + 1
             AND c.urgency = 'urgent'),
         (SELECT count(*) FROM sched.scheduled_visits v
           WHERE v.agent_id = a.agent_id AND v.created_at >= date_from AND v.created_at < date_to + 1
             AND EXISTS (SELECT FROM sched.status_history h
                          WHERE h.entity = 'visit' AND h.entity_id = v.visit_id
                            AND h.to_status = 'cancelled' AND h.note LIKE 'by customer%')),
         (SELECT count(*) FROM sched.scheduled_visits v
           WHERE v.agent_id = a.agent_id AND v.created_at >= date_from AND v.created_at < date_to + 1
             AND v.status = 'no_show')
    FROM sched.agents a
   ORDER BY a.agent_id;
END;
COMMENT ON FUNCTION sched.assignment_stats(date, date) IS
  'Admin: per agent, the bookings they were given from date_from to date_to (by booking date, inclusive): visits (not counting the customer''s cancels and no-shows, shown apart), callbacks and urgent callbacks, so that a DBA can see the rotation is fair (docs/design.md states the guarantee)';

CREATE FUNCTION sched.agent_performance(date_from date, date_to date)
RETURNS TABLE (agent_id integer, name text, visits_assigned bigint, visits_confirmed bigint,
               visits_completed bigint, no_show_rate numeric, average_rating numeric,
               callbacks_handled bigint, callbacks_within_sla numeric, median_time_to_contact interval)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT a.agent_id, a.name,
         count(v.visit_id),
         count(v.confirmed_at),
         count(*) FILTER (WHERE v.status = 'completed'),
         round(count(*) FILTER (WHERE v.status = 'no_show')::numeric
               / nullif(count(*) FILTER (WHERE v.status IN ('completed', 'no_show')), 0), 3),
         (SELECT round(avg(f.rating), 2) FROM sched.visit_feedback f
            JOIN sched.scheduled_visits fv ON fv.visit_id = f.visit_id
           WHERE f.agent_id = a.agent_id AND fv.visit_date BETWEEN date_from AND date_to),
         (SELECT count(*) FROM sched.callbacks c
           WHERE c.agent_id = a.agent_id AND c.created_at >= date_from AND c.created_at < date_to + 1),
         (SELECT round(count(*) FILTER (WHERE c.contacted_at <= c.due_at)::numeric / nullif(count(*), 0), 3)
            FROM sched.callbacks c
           WHERE c.agent_id = a.agent_id AND c.created_at >= date_from AND c.created_at < date_to + 1),
         (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY c.contacted_at - c.created_at)
            FROM sched.callbacks c
           WHERE c.agent_id = a.agent_id AND c.created_at >= date_from AND c.created_at < date_to + 1
             AND c.contacted_at IS NOT NULL)
    FROM sched.agents a
    LEFT JOIN sched.scheduled_visits v ON v.agent_id = a.agent_id AND v.visit_date BETWEEN date_from AND date_to
   GROUP BY a.agent_id, a.name
   ORDER BY a.agent_id;
END;
COMMENT ON FUNCTION sched.agent_performance(date, date) IS
  'Admin: per agent, for visits dated and callbacks requested from date_from to date_to: visits assigned, confirmed and completed, the no-show rate (of visits that ended), the average rating, callbacks handled, the share reached (contacted) within their SLA, and the median time to first contact';

REVOKE ALL ON FUNCTION sched.record_feedback(bigint, integer, text), sched.assignment_stats(date, date),
  sched.agent_performance(date, date) FROM PUBLIC;
