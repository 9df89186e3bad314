-- pgTAP: what a booking and each status move leave behind in the same
-- transaction: outbox jobs (channel, recipient, template, payload),
-- status_history rows, and the user_profiles counters.  Imports (rows
-- inserted with a created_at before the transaction) are not announced.
-- (NOTIFY itself is delivered only at commit, so it is covered by the
-- isolation spec test/specs/notify.spec, not here.)
BEGIN;
SELECT plan(41);

-- The visits' reminders (1.1) are left out: pgTAP 110 tests them, and
-- whether the one a day before is queued depends on the hour of the run.
CREATE TEMP VIEW outbox_now AS
  SELECT * FROM sched.outbox WHERE template NOT LIKE 'visit\_reminder\_%';

UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't70\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't70\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't70\_%';
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity)
VALUES ('T70 A', '9876500071', true, 10), ('T70 B', '9876500072', false, 10);
SELECT agent_id AS a FROM sched.agents WHERE name = 'T70 A' \gset
SELECT agent_id AS b FROM sched.agents WHERE name = 'T70 B' \gset
DO $$ BEGIN
  PERFORM pg_catalog.setval('sched.visit_turn', 1, false);
  PERFORM pg_catalog.setval('sched.callback_turn', 1, false);
END $$;

CREATE FUNCTION pg_temp.jobs(e text, id bigint) RETURNS TABLE (channel text, recipient text, template text)
LANGUAGE sql AS $$
  SELECT o.channel::text, o.recipient, o.template FROM pg_temp.outbox_now o
   WHERE o.entity = e::sched.entity AND o.entity_id = id ORDER BY o.job_id
$$;

-- ---------------------------------------------------------------------
-- A booked visit: sms + email to the customer, a note to the agent
-- ---------------------------------------------------------------------
SELECT visit_id AS v1 FROM sched.book_site_visit('t70_u', 'Brigade Citrine', current_date + 2, 'morning',
  'Visit One', '9876543271', 'v1@example.com', lead_score => 40) \gset
SELECT results_eq(format('SELECT * FROM pg_temp.jobs(%L, %s)', 'visit', :v1),
  $$VALUES ('sms', '+919876543271', 'visit_booked'), ('email', 'v1@example.com', 'visit_booked'),
           ('agent', '+919876500071', 'visit_assigned')$$,
  'a booking queues sms and email visit_booked to the customer and visit_assigned to the agent''s phone');
SELECT results_eq(
  format($$SELECT DISTINCT state::text, attempts, run_at, created_at, last_error FROM pg_temp.outbox_now
            WHERE entity = 'visit' AND entity_id = %s$$, :v1),
  $$VALUES ('pending', 0, now(), now(), NULL::text)$$,
  'the jobs are pending, untried, due now');
SELECT is((SELECT payload FROM pg_temp.outbox_now WHERE entity = 'visit' AND entity_id = :v1 AND channel = 'sms'),
  jsonb_build_object('ref', 'visit_' || lpad(:v1::text, 6, '0'), 'project', 'Brigade Citrine',
                     'visit_date', to_char(current_date + 2, 'YYYY-MM-DD'), 'time_slot', 'morning',
                     'contact_name', 'Visit One', 'contact_phone', '+919876543271', 'agent_id', :a,
                     'agent_name', 'T70 A', 'agent_phone', '+919876500071', 'status', 'pending',
                     'previous_status', NULL),
  'the payload holds ref, project, date, slot, contact, agent and the status move, nothing else');
SELECT is((SELECT count(DISTINCT payload)::int FROM pg_temp.outbox_now WHERE entity = 'visit' AND entity_id = :v1), 1,
  'every job of one event carries the same payload');
SELECT results_eq(
  format($$SELECT from_status, to_status, changed_by, note, changed_at BETWEEN now() AND clock_timestamp()
             FROM sched.status_history WHERE entity = 'visit' AND entity_id = %s$$, :v1),
  $$VALUES (NULL::text, 'pending', current_user::text COLLATE "default", NULL::text, true)$$,
  'a booking writes one history row: from NULL to pending, by the calling role, at the time it was written');

-- two moves in one transaction keep their order (1.3: changed_at is the
-- moment each row is written, not the transaction's start)
SAVEPOINT two_moves;
SELECT status FROM sched.set_visit_status(:v1, 'confirmed') \gset
SELECT status FROM sched.set_visit_status(:v1, 'completed') \gset
SELECT results_eq(
  format($$SELECT to_status FROM sched.status_history WHERE entity = 'visit' AND entity_id = %s ORDER BY changed_at$$, :v1),
  $$VALUES ('pending'::text), ('confirmed'), ('completed')$$,
  'the history of moves made in one transaction sorts by changed_at in the order they were made');
ROLLBACK TO SAVEPOINT two_moves;

SELECT visit_id AS v2 FROM sched.book_site_visit('t70_u', 'Brigade Citrine', current_date + 3, 'morning',
  'Visit Two', '9876543272') \gset
SELECT results_eq(format('SELECT * FROM pg_temp.jobs(%L, %s)', 'visit', :v2),
  format($$VALUES ('sms', '+919876543272', 'visit_booked'), ('agent', '+919876500072', 'visit_assigned')$$),
  'without an email address the email job is skipped (and the second booking''s note goes to agent B)');

-- ---------------------------------------------------------------------
-- Visit status moves
-- ---------------------------------------------------------------------
SELECT sched.set_visit_status(:v1, 'confirmed', 'Confirmed with user, will bring spouse') IS NOT NULL AS moved \gset
SELECT results_eq(
  format($$SELECT channel, recipient, template FROM pg_temp.jobs('visit', %s) WHERE template <> 'visit_booked' AND template <> 'visit_assigned'$$, :v1),
  $$VALUES ('sms', '+919876543271', 'visit_confirmed'), ('email', 'v1@example.com', 'visit_confirmed')$$,
  'confirming queues sms and email visit_confirmed to the customer');
SELECT results_eq(
  format($$SELECT payload->>'status', payload->>'previous_status' FROM pg_temp.outbox_now
            WHERE entity = 'visit' AND entity_id = %s AND template = 'visit_confirmed'$$, :v1),
  $$VALUES ('confirmed', 'pending'), ('confirmed', 'pending')$$,
  'the confirmation payload names the new and the previous status');
SELECT results_eq(
  format($$SELECT from_status, to_status, changed_by, note FROM sched.status_history
            WHERE entity = 'visit' AND entity_id = %s ORDER BY history_id$$, :v1),
  $$VALUES (NULL::text, 'pending', current_user::text COLLATE "default", NULL::text),
           ('pending', 'confirmed', current_user::text COLLATE "default", 'Confirmed with user, will bring spouse')$$,
  'the move is recorded with from, to, the calling role and the rm_notes written with it');

SELECT sched.set_visit_status(:v1, 'completed') IS NOT NULL AS moved \gset
SELECT results_eq(
  format($$SELECT * FROM pg_temp.jobs('visit', %s) WHERE template = 'visit_completed'$$, :v1),
  $$VALUES ('email', 'v1@example.com', 'visit_completed')$$,
  'completing queues one email, visit_completed');
SELECT is((SELECT note FROM sched.status_history WHERE entity = 'visit' AND entity_id = :v1 AND to_status = 'completed'),
  NULL, 'a move without new notes records no note');

SELECT sched.set_visit_status(:v2, 'confirmed') IS NOT NULL AS moved \gset
SELECT sched.set_visit_status(:v2, 'completed') IS NOT NULL AS moved \gset
SELECT results_eq(
  format($$SELECT * FROM pg_temp.jobs('visit', %s) WHERE template NOT IN ('visit_booked', 'visit_assigned')$$, :v2),
  $$VALUES ('sms', '+919876543272', 'visit_confirmed')$$,
  'without email: confirming sends only the sms, completing sends nothing');

SELECT visit_id AS v3 FROM sched.book_site_visit('t70_c', 'Brigade Citrine', current_date + 4, 'evening',
  'Visit Three', '9876543273', 'v3@example.com') \gset
SELECT sched.set_visit_status(:v3, 'cancelled', 'Customer changed plans') IS NOT NULL AS moved \gset
SELECT agent_id AS v3_agent FROM sched.scheduled_visits WHERE visit_id = :v3 \gset
SELECT results_eq(
  format($$SELECT * FROM pg_temp.jobs('visit', %s) WHERE template = 'visit_cancelled'$$, :v3),
  format($$VALUES ('sms', '+919876543273', 'visit_cancelled'), ('email', 'v3@example.com', 'visit_cancelled'),
                  ('agent', (SELECT phone FROM sched.agents WHERE agent_id = %s), 'visit_cancelled')$$, :v3_agent),
  'cancelling tells the customer (sms, email) and the agent');

SELECT visit_id AS v4 FROM sched.book_site_visit('t70_n', 'Brigade Citrine', current_date + 4, 'afternoon',
  'Visit Four', '9876543274', 'v4@example.com') \gset
UPDATE sched.scheduled_visits SET status = 'no_show' WHERE visit_id = :v4;
SELECT agent_id AS v4_agent FROM sched.scheduled_visits WHERE visit_id = :v4 \gset
SELECT results_eq(
  format($$SELECT * FROM pg_temp.jobs('visit', %s) WHERE template NOT IN ('visit_booked', 'visit_assigned')$$, :v4),
  format($$VALUES ('sms', '+919876543274', 'visit_missed'),
                  ('agent', (SELECT phone FROM sched.agents WHERE agent_id = %s), 'visit_no_show')$$, :v4_agent),
  'a no_show (here by plain UPDATE) sends visit_missed by sms and visit_no_show to the agent');
SELECT results_eq(
  format($$SELECT from_status, to_status, changed_by FROM sched.status_history
            WHERE entity = 'visit' AND entity_id = %s AND from_status IS NOT NULL$$, :v4),
  $$VALUES ('pending', 'no_show', current_user::text COLLATE "default")$$,
  'a plain UPDATE is recorded in history like a call');

-- Notes-only changes are not announced
SELECT count(*) AS jobs_before FROM pg_temp.outbox_now \gset
SELECT count(*) AS hist_before FROM sched.status_history \gset
SELECT sched.set_visit_status(:v4, 'no_show', 'Phone switched off') IS NOT NULL AS moved \gset
UPDATE sched.scheduled_visits SET rm_notes = 'Another note' WHERE visit_id = :v3;
SELECT is((SELECT count(*) FROM pg_temp.outbox_now), :jobs_before::bigint, 'a change of notes alone queues no job');
SELECT is((SELECT count(*) FROM sched.status_history), :hist_before::bigint, 'a change of notes alone writes no history');

-- ---------------------------------------------------------------------
-- Callbacks
-- ---------------------------------------------------------------------
SELECT callback_id AS c1 FROM sched.request_callback('t70_u', 'Callback One', '9876543275', 'Pricing of 3BHK',
  'high', 'c1@example.com', lead_score => 75) \gset
SELECT agent_id AS c1_agent FROM sched.callbacks WHERE callback_id = :c1 \gset
SELECT results_eq(format('SELECT * FROM pg_temp.jobs(%L, %s)', 'callback', :c1),
  format($$VALUES ('sms', '+919876543275', 'callback_requested'), ('email', 'c1@example.com', 'callback_requested'),
                  ('agent', (SELECT phone FROM sched.agents WHERE agent_id = %s), 'callback_assigned')$$, :c1_agent),
  'a callback request queues sms and email callback_requested and callback_assigned to the agent');
SELECT is((SELECT payload FROM pg_temp.outbox_now WHERE entity = 'callback' AND entity_id = :c1 AND channel = 'sms'),
  (SELECT jsonb_build_object('ref', c.ref, 'urgency', 'high', 'due_at', to_jsonb(c.due_at), 'reason', 'Pricing of 3BHK',
                             'contact_name', 'Callback One', 'contact_phone', '+919876543275',
                             'agent_id', c.agent_id, 'agent_name', a.name, 'agent_phone', a.phone,
                             'status', 'pending', 'previous_status', NULL)
     FROM sched.callbacks c JOIN sched.agents a USING (agent_id) WHERE c.callback_id = :c1),
  'the callback payload holds ref, urgency, due_at, reason, contact, agent and the status move');
SELECT results_eq(
  format($$SELECT from_status, to_status, changed_by, note FROM sched.status_history
            WHERE entity = 'callback' AND entity_id = %s$$, :c1),
  $$VALUES (NULL::text, 'pending', current_user::text COLLATE "default", NULL::text)$$,
  'a callback request writes one history row from NULL to pending');

SELECT sched.set_callback_status(:c1, 'no_answer', 'Rang at 10:05') IS NOT NULL AS moved \gset
SELECT sched.set_callback_status(:c1, 'no_answer', 'Rang at 11:30') IS NOT NULL AS moved \gset
SELECT results_eq(
  format($$SELECT * FROM pg_temp.jobs('callback', %s) WHERE template = 'callback_missed'$$, :c1),
  $$VALUES ('sms', '+919876543275', 'callback_missed'), ('sms', '+919876543275', 'callback_missed')$$,
  'each no_answer, the repeated one too, queues an sms callback_missed');
SELECT results_eq(
  format($$SELECT payload->>'status', payload->>'previous_status' FROM pg_temp.outbox_now
            WHERE entity = 'callback' AND entity_id = %s AND template = 'callback_missed' ORDER BY job_id$$, :c1),
  $$VALUES ('no_answer', 'pending'), ('no_answer', 'no_answer')$$,
  'the missed-call payloads name the previous status of each try');
SELECT count(*) AS c1_jobs FROM pg_temp.outbox_now WHERE entity = 'callback' AND entity_id = :c1 \gset
SELECT sched.set_callback_status(:c1, 'contacted', 'Spoke at 14:00', 240, 'interested') IS NOT NULL AS moved \gset
SELECT sched.set_callback_status(:c1, 'completed', 'Visit booked') IS NOT NULL AS moved \gset
SELECT is((SELECT count(*) FROM pg_temp.outbox_now WHERE entity = 'callback' AND entity_id = :c1), :c1_jobs::bigint,
  'contacted and completed queue no customer notification');
SELECT results_eq(
  format($$SELECT from_status, to_status, note FROM sched.status_history
            WHERE entity = 'callback' AND entity_id = %s ORDER BY history_id$$, :c1),
  $$VALUES (NULL::text, 'pending', NULL::text), ('pending', 'no_answer', 'Rang at 10:05'),
           ('no_answer', 'no_answer', 'Rang at 11:30'), ('no_answer', 'contacted', 'Spoke at 14:00'),
           ('contacted', 'completed', 'Visit booked')$$,
  'every callback move is in the history with its agent_notes, the repeated no_answer too');

SELECT callback_id AS c2 FROM sched.request_callback('t70_c', 'Callback Two', '9876543276') \gset
SELECT is((SELECT count(*)::int FROM pg_temp.outbox_now WHERE entity = 'callback' AND entity_id = :c2 AND channel = 'email'), 0,
  'a callback without email queues no email job');
SELECT is((SELECT count(*)::int FROM pg_temp.outbox_now WHERE entity = 'callback' AND entity_id = :c2), 2,
  'it queues the sms and the agent note');

-- The payload shows the agent as they are now (the session's copy of
-- the agents follows changes).
UPDATE sched.agents SET name = 'T70 A Renamed', phone = '9876500079' WHERE agent_id = :a;
DO $$ BEGIN PERFORM pg_catalog.setval('sched.visit_turn', 1, false); END $$;
SELECT visit_id AS v5 FROM sched.book_site_visit('t70_r', 'Brigade Citrine', current_date + 8, 'morning',
  'Visit Five', '9876543270') \gset
SELECT results_eq(
  format($$SELECT payload->>'agent_name', payload->>'agent_phone', recipient FROM pg_temp.outbox_now
            WHERE entity = 'visit' AND entity_id = %s AND channel = 'agent'$$, :v5),
  $$VALUES ('T70 A Renamed', '+919876500079', '+919876500079')$$,
  'a renamed agent with a new phone gets the note at the new phone, under the new name');

-- ---------------------------------------------------------------------
-- user_profiles
-- ---------------------------------------------------------------------
SELECT results_eq(
  $$SELECT site_visits_scheduled, callbacks_requested, intent_points, lead_score, updated_at
      FROM sched.user_profiles WHERE user_id = 't70_u'$$,
  $$VALUES (2, 1, 3 + 3 + 2, 75, now())$$,
  'two visits and a callback: counters 2 and 1, 3 + 3 + 2 intent points, the latest lead_score');
SELECT results_eq(
  $$SELECT site_visits_scheduled, callbacks_requested, intent_points FROM sched.user_profiles WHERE user_id = 't70_c'$$,
  $$VALUES (1, 1, 5)$$,
  'status moves do not count again: one visit and one callback are 5 points');
SELECT sched.book_site_visit('t70_score', 'P', current_date + 5, 'morning', 'Score', '9876543277', lead_score => 30)
  IS NOT NULL AS booked \gset
SELECT sched.book_site_visit('t70_score', 'P', current_date + 5, 'evening', 'Score', '9876543277')
  IS NOT NULL AS booked \gset
SELECT is((SELECT lead_score FROM sched.user_profiles WHERE user_id = 't70_score'), 30,
  'a booking without lead_score keeps the profile''s score');

SET LOCAL sched.visit_intent_points = 10;
SET LOCAL sched.callback_intent_points = 4;
SELECT sched.book_site_visit('t70_guc', 'P', current_date + 6, 'morning', 'GUC', '9876543278') IS NOT NULL AS booked \gset
SELECT sched.request_callback('t70_guc', 'GUC', '9876543278') IS NOT NULL AS booked \gset
SELECT is((SELECT intent_points FROM sched.user_profiles WHERE user_id = 't70_guc'), 14,
  'a superuser''s sched.visit_intent_points = 10 and sched.callback_intent_points = 4 are used');
SET LOCAL sched.visit_intent_points = 0;
SELECT sched.book_site_visit('t70_guc', 'P', current_date + 6, 'evening', 'GUC', '9876543278') IS NOT NULL AS booked \gset
SELECT results_eq(
  $$SELECT site_visits_scheduled, intent_points FROM sched.user_profiles WHERE user_id = 't70_guc'$$,
  $$VALUES (2, 14)$$,
  'with sched.visit_intent_points = 0 a visit is counted but adds no points');
RESET sched.visit_intent_points;
RESET sched.callback_intent_points;
SELECT sched.book_site_visit('t70_guc', 'P', current_date + 7, 'evening', 'GUC', '9876543278') IS NOT NULL AS booked \gset
SELECT is((SELECT intent_points FROM sched.user_profiles WHERE user_id = 't70_guc'), 17,
  'after RESET a visit adds the default 3 points again');

-- ---------------------------------------------------------------------
-- Imports are not announced; later moves of imported rows are
-- ---------------------------------------------------------------------
SELECT count(*) AS jobs_before FROM pg_temp.outbox_now \gset
SELECT count(*) AS hist_before FROM sched.status_history \gset
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone,
                                    contact_email, agent_id, status, created_at, confirmed_at)
VALUES ('t70_import', 'Old Project', current_date + 2, 'evening', 'Imported', '9876543279', 'imp@example.com',
        :a, 'confirmed', now() - interval '10 days', now() - interval '9 days'),
       ('t70_import', 'Old Project', current_date + 2, 'morning', 'Imported', '9876543279', NULL,
        NULL, 'pending', now() - interval '10 days', NULL);
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, urgency, status, attempts, created_at)
VALUES ('t70_import', 'Imported', '9876543279', 'low', 'no_answer', 2, now() - interval '3 days');
SELECT visit_id AS vi FROM sched.scheduled_visits WHERE user_id = 't70_import' AND status = 'confirmed' \gset
SELECT visit_id AS vj FROM sched.scheduled_visits WHERE user_id = 't70_import' AND status = 'pending' \gset
SELECT is((SELECT count(*) FROM pg_temp.outbox_now), :jobs_before::bigint, 'imported rows queue no job');
SELECT is((SELECT count(*) FROM sched.status_history), :hist_before::bigint, 'imported rows write no history');
SELECT is_empty($$SELECT 1 FROM sched.user_profiles WHERE user_id = 't70_import'$$,
  'imported rows are not counted in user_profiles');
SELECT results_eq(
  format('SELECT status::text, agent_id, confirmed_at FROM sched.scheduled_visits WHERE visit_id = %s', :vi),
  format($$VALUES ('confirmed', %s, now() - interval '9 days')$$, :a),
  'an import keeps its status, agent and times');
SELECT sched.set_visit_status(:vi, 'completed') IS NOT NULL AS moved \gset
SELECT results_eq(
  format($$SELECT from_status, to_status FROM sched.status_history WHERE entity = 'visit' AND entity_id = %s$$, :vi),
  $$VALUES ('confirmed'::text, 'completed'::text)$$,
  'a later move of an imported visit is recorded');
SELECT results_eq(format('SELECT * FROM pg_temp.jobs(%L, %s)', 'visit', :vi),
  $$VALUES ('email', 'imp@example.com', 'visit_completed')$$,
  'a later move of an imported visit is announced');
SELECT sched.set_visit_status(:vj, 'cancelled') IS NOT NULL AS moved \gset
SELECT results_eq(format('SELECT * FROM pg_temp.jobs(%L, %s)', 'visit', :vj),
  $$VALUES ('sms', '+919876543279', 'visit_cancelled')$$,
  'cancelling a visit that has no agent and no email sends only the sms');

SELECT * FROM finish();
ROLLBACK;
