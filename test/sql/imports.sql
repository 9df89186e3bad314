-- Rows inserted with a created_at before the transaction are imports
-- (this is how pg_restore brings them back): checked, but not assigned,
-- not capacity-checked and not announced.  A new row is announced.
SET client_min_messages = warning;
-- deadlines are SLAs at any hour here (business hours: 150_callback_queue)
SET sched.business_hours = '00:00-24:00';
-- a booking writes its reminders here (the horizon: pgTAP 115_reminder_horizon)
SET sched.reminder_horizon = '30 days';
-- a fresh start: TRUNCATE is refused unless a superuser allows it (1.3)
SET sched.allow_truncate = on;
TRUNCATE sched.visit_feedback, sched.scheduled_visits, sched.callbacks, sched.status_history, sched.outbox,
         sched.user_profiles, sched.agents RESTART IDENTITY CASCADE;
RESET sched.allow_truncate;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('Only Agent', '9876543210', 1);

-- An old, completed visit and an old callback come back as they were.
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name,
    contact_phone, agent_id, status, created_at, updated_at, confirmed_at, completed_at)
VALUES ('old_user', 'Brigade Citrine', current_date - 30, 'morning', 'Old Customer',
    '+91 98765 43219', 1, 'completed', now() - interval '40 days', now() - interval '30 days',
    now() - interval '35 days', now() - interval '30 days');
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, urgency, status, attempts, created_at)
VALUES ('old_user', 'Old Customer', '9876543219', 'low', 'contacted', 1, now() - interval '10 days');
SELECT ref, status, contact_phone, visit_date - current_date AS days_from_today FROM sched.scheduled_visits;
SELECT ref, status, attempts, due_at - created_at AS sla FROM sched.callbacks;
SELECT count(*) AS outbox_jobs FROM sched.outbox;
SELECT count(*) AS history_rows FROM sched.status_history;
SELECT count(*) AS profiles FROM sched.user_profiles;

-- Imports are still checked.
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, created_at)
VALUES ('old_user', 'Old Customer', 'not a phone', now() - interval '1 day');

-- A plain INSERT of a new booking gets the full treatment.
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone)
VALUES ('new_user', 'Brigade Citrine', current_date + 3, 'afternoon', 'New Customer', '9876543218')
RETURNING ref, agent_id, status;
SELECT template FROM sched.outbox ORDER BY job_id;
-- ... including the capacity rule: the only agent is now full in that slot.
-- (Messages name the date; show only the SQLSTATE so the output does not
-- change from day to day.)
\set VERBOSITY sqlstate
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone)
VALUES ('new_user2', 'Brigade Citrine', current_date + 3, 'afternoon', 'Other Customer', '9876543217');
-- ... and a new row may not start past pending.
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, status)
VALUES ('new_user3', 'Brigade Citrine', current_date + 4, 'afternoon', 'Other Customer', '9876543217', 'completed');
-- A DBA's UPDATE that moves a live visit into a full slot is refused too.
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone)
VALUES ('new_user4', 'Brigade Citrine', current_date + 5, 'afternoon', 'Fourth Customer', '9876543216');
UPDATE sched.scheduled_visits SET visit_date = current_date + 3 WHERE user_id = 'new_user4';
\set VERBOSITY default
-- Cancelling frees the place.
UPDATE sched.scheduled_visits SET status = 'cancelled' WHERE user_id = 'new_user';
UPDATE sched.scheduled_visits SET visit_date = current_date + 3 WHERE user_id = 'new_user4'
RETURNING ref, visit_date - current_date AS days_ahead, status;
