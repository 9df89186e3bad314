-- ALTER EXTENSION sched UPDATE from 1.0 keeps every row and brings the
-- 1.1 calls; the 1.0 schema keeps working with the new library until it
-- is updated (no reminders before the update, reminders after).
DROP EXTENSION IF EXISTS sched CASCADE;
CREATE EXTENSION sched VERSION '1.0';
-- bookings write their reminders here (the horizon: pgTAP 115_reminder_horizon)
SET sched.reminder_horizon = '30 days';
SELECT extversion FROM pg_extension WHERE extname = 'sched';
INSERT INTO sched.agents (name, phone) VALUES ('Upgrade Agent', '9876543299');
SELECT ref, status FROM sched.book_site_visit('up_user', 'Brigade Citrine', current_date + 5, 'morning',
                                              'Before Update', '9876543210');
SELECT template FROM sched.outbox ORDER BY job_id;
-- callbacks under the 1.0 schema (the 1.1 library has no queue columns to fill)
SELECT ref, status FROM sched.request_callback('up_user', 'Before Update', '9876543210', urgency => 'high');
SELECT ref, status FROM sched.request_callback('up_user', 'Before Update', '9876543210', urgency => 'low');
SELECT status, attempts FROM sched.set_callback_status(2, 'no_answer');
SELECT ref, status FROM sched.request_callback('up_user', 'Before Update', '9876543210', urgency => 'medium');
SELECT status, attempts FROM sched.set_callback_status(3, 'no_answer');
SELECT status, attempts FROM sched.set_callback_status(3, 'no_answer');
SELECT status, attempts FROM sched.set_callback_status(3, 'no_answer');
SELECT count(*) AS claim_jobs_before FROM pg_proc WHERE proname = 'claim_jobs';
ALTER EXTENSION sched UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'sched';
-- the rows are all there
SELECT ref, status, contact_name FROM sched.scheduled_visits ORDER BY visit_id;
SELECT count(*) AS outbox_jobs, count(*) FILTER (WHERE claimed_by IS NULL) AS unclaimed FROM sched.outbox;
-- the open callbacks join the working queue: the pending one due by its
-- deadline, the unanswered one an hour after its call; the one unanswered
-- three times (sched.callback_max_attempts) is given up, silently
SELECT ref, status, attempts, next_attempt_at = due_at AS due_by_deadline,
       next_attempt_at = last_attempt_at + interval '1 hour' AS retry_in_an_hour,
       gave_up_at = last_attempt_at AS given_up
  FROM sched.list_callbacks() ORDER BY callback_id;
SELECT count(*) AS unreachable_messages FROM sched.outbox WHERE template = 'callback_unreachable';
-- the visit booked before the update is cancelled like any other
SELECT status FROM sched.cancel_visit(1, 'plans changed');
-- a booking after the update has reminders
SELECT ref FROM sched.book_site_visit('up_user', 'Brigade Citrine', current_date + 5, 'morning',
                                      'After Update', '9876543210');
SELECT template, state FROM sched.outbox WHERE entity = 'visit' AND entity_id = 2 ORDER BY job_id;
-- and the worker can claim what was queued before and after
SELECT template, attempts FROM sched.claim_jobs('upgrade-test', 100) ORDER BY job_id;
-- 1.1 -> 1.2: the agent keys move from foreign keys to sched's triggers,
-- with the same SQLSTATE before and after
DROP EXTENSION sched CASCADE;
CREATE EXTENSION sched VERSION '1.1';
INSERT INTO sched.agents (name, phone) VALUES ('Upgrade Agent', '9876543299'), ('Spare Agent', '9876543298');
SELECT ref, agent_id FROM sched.book_site_visit('up_user', 'Brigade Citrine', current_date + 5, 'morning',
                                                'Before 1.2', '9876543210');
SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('sched.scheduled_visits'::regclass, 'sched.callbacks'::regclass) ORDER BY 1;
\set VERBOSITY sqlstate
DELETE FROM sched.agents WHERE agent_id = 1;
ALTER EXTENSION sched UPDATE TO '1.2';
SELECT extversion FROM pg_extension WHERE extname = 'sched';
SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('sched.scheduled_visits'::regclass, 'sched.callbacks'::regclass) ORDER BY 1;
SELECT ref, agent_id, contact_name FROM sched.scheduled_visits ORDER BY visit_id;
DELETE FROM sched.agents WHERE agent_id = 1;
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
  VALUES ('up_user', 'Brigade Citrine', current_date + 5, 'evening', 'Nobody', '9876543210', 42);
\set VERBOSITY default
SELECT ref, agent_id FROM sched.book_site_visit('up_user', 'Brigade Citrine', current_date + 5, 'morning',
                                                'After 1.2', '9876543210');
-- a role with the 1.2 admin calls, and one with the back end's
CREATE ROLE up_admin NOLOGIN;
CREATE ROLE up_backend NOLOGIN;
SELECT sched.grant_admin_calls('up_admin'), sched.grant_user_calls('up_backend');
-- until the update the library serves 1.2 as it was: no link rule yet
SELECT ref FROM sched.book_site_visit('up_user', 'Brigade Citrine', current_date + 6, 'morning',
                                      'Old rule http', '9876543210');
-- 1.2 -> 1.3: the rows stay; the defaults of available_slots' date_from
-- and parse_contact_details' today become the business's today; names
-- with links are refused from then on
ALTER EXTENSION sched UPDATE TO '1.3';
SELECT extversion FROM pg_extension WHERE extname = 'sched';
SELECT ref, agent_id, contact_name FROM sched.scheduled_visits ORDER BY visit_id;
SELECT p.proname, pg_get_function_arguments(p.oid) FROM pg_proc p
 WHERE p.pronamespace = 'sched'::regnamespace AND p.proname IN ('available_slots', 'parse_contact_details') ORDER BY 1;
SELECT ref FROM sched.book_site_visit('up_user', 'Brigade Citrine', current_date + 6, 'afternoon',
                                      'New rule http', '9876543210');
SELECT column_name FROM information_schema.columns WHERE table_schema = 'sched' AND table_name = 'agents' AND column_name = 'login';
-- 1.2's roles keep their calls; granting the admin calls again adds 1.3's
SET ROLE up_admin;
SELECT count(*) > 0 AS admin_lists FROM sched.list_visits();
RESET ROLE;
SELECT has_function_privilege('up_admin', 'sched.retry_job(bigint)', 'EXECUTE') AS admin_may_retry_before;
SELECT sched.grant_admin_calls('up_admin');
SELECT has_function_privilege('up_admin', 'sched.retry_job(bigint)', 'EXECUTE') AS admin_may_retry,
       has_function_privilege('up_admin', 'sched.erase_user(text)', 'EXECUTE') AS admin_may_erase,
       has_function_privilege('up_backend', 'sched.retry_job(bigint)', 'EXECUTE') AS backend_may_retry;
SET ROLE up_backend;
SELECT ref FROM sched.book_site_visit('up_user2', 'Brigade Citrine', current_date + 7, 'morning', 'Back End', '9876543211');
RESET ROLE;
-- and the customers' calls work on the updated database
CREATE ROLE up_customer NOLOGIN;
SELECT sched.grant_customer_calls('up_customer');
SET ROLE up_customer;
SELECT set_config('request.jwt.claims', '{"sub": "up_customer_1"}', false) IS NOT NULL AS claims_set;
SELECT ref, status, agent_name IS NOT NULL AS has_rm FROM sched.book_my_visit('Brigade Citrine', current_date + 8, 'evening', 'Customer One', '9876543212');
SELECT count(*) AS my_visits FROM sched.my_visits;
RESET ROLE;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS claims_reset;
SELECT sched.revoke_calls('up_admin'), sched.revoke_calls('up_backend'), sched.revoke_calls('up_customer');
DROP ROLE up_admin, up_backend, up_customer;
-- 1.3 -> 1.4: the rows stay and every agent has weight 1.  The roles
-- keep their 1.3 calls; 1.4's new and replaced ones (fail_job_permanently,
-- assignment_stats with its new columns, the calendars) come when the DBA
-- runs the grant functions again, since a grant made by the update script
-- would be an initial privilege that pg_dump leaves out
CREATE ROLE up_worker NOLOGIN;
CREATE ROLE up_admin NOLOGIN;
CREATE ROLE up_agent NOLOGIN;
SELECT sched.grant_worker_calls('up_worker'), sched.grant_admin_calls('up_admin'), sched.grant_agent_calls('up_agent');
ALTER EXTENSION sched UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'sched';
SELECT count(*) AS visits_kept, count(DISTINCT agent_id) AS agents_kept FROM sched.scheduled_visits;
SELECT name, weight FROM sched.agents ORDER BY agent_id;
SELECT count(*) > 0 AS has_profiles, count(time_zone) AS profiles_with_zone FROM sched.user_profiles;
SELECT (SELECT count(*) FROM sched.agent_hours) AS hours, (SELECT count(*) FROM sched.holidays) AS holidays,
       (SELECT count(*) FROM sched.agent_busy) AS busy, current_setting('sched.min_notice') AS min_notice;
CREATE FUNCTION pg_temp.up_privileges() RETURNS TABLE (role text, call text, may boolean) LANGUAGE sql AS $$
  SELECT r, f, has_function_privilege(r, f, 'EXECUTE')
    FROM (VALUES ('up_worker', 'sched.fail_job(bigint, text)'),
                 ('up_worker', 'sched.fail_job_permanently(bigint, text)'),
                 ('up_worker', 'sched.assignment_stats(date, date)'),
                 ('up_worker', 'sched.sync_agent_busy(integer, text, jsonb)'),
                 ('up_admin', 'sched.list_visits(sched.visit_status, date, date, integer, integer)'),
                 ('up_admin', 'sched.fail_job_permanently(bigint, text)'),
                 ('up_admin', 'sched.assignment_stats(date, date)'),
                 ('up_admin', 'sched.agent_calendar(integer, date, date)'),
                 ('up_admin', 'sched.set_time_zone_for(text, text)'),
                 ('up_admin', 'sched.chat_turn_for(text, sched.channel, text, text, text, text)'),
                 ('up_worker', 'sched.render_message(bigint)'),
                 ('up_agent', 'sched.set_my_visit_status(bigint, sched.visit_status, text)'),
                 ('up_agent', 'sched.my_calendar(date, date)'),
                 ('up_agent', 'sched.agent_calendar(integer, date, date)')) AS c(r, f)
$$;
SELECT * FROM pg_temp.up_privileges();
SELECT sched.grant_worker_calls('up_worker'), sched.grant_admin_calls('up_admin'), sched.grant_agent_calls('up_agent');
SELECT * FROM pg_temp.up_privileges();
SELECT count(*) AS stats_functions FROM pg_proc WHERE proname LIKE 'assignment_stats%';
SET ROLE up_admin;
SELECT name, visits, weight, visit_share, weight_share FROM sched.assignment_stats(current_date - 1, current_date + 1) ORDER BY agent_id;
RESET ROLE;
SET ROLE up_worker;
SELECT job_id AS up_job FROM sched.claim_jobs('up-worker', 1) \gset
SELECT state, last_error FROM sched.fail_job_permanently(:up_job, 'invalid number');
RESET ROLE;
SELECT sched.revoke_calls('up_worker'), sched.revoke_calls('up_admin'), sched.revoke_calls('up_agent');
DROP ROLE up_worker, up_admin, up_agent;
