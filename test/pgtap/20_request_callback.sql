-- pgTAP: sched.request_callback: what a good request stores and returns,
-- the SLA deadline of each urgency, normalisation, and a DBA's plain
-- INSERT getting the same treatment.
BEGIN;
SELECT plan(32);

-- Deadlines here are the SLAs themselves; business hours (which move a
-- deadline made after 18:00 local to the next morning) are tested at fixed
-- local times in 150_callback_queue.sql.
SET LOCAL sched.business_hours = '00:00-24:00';

UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't20\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't20\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't20\_%';
INSERT INTO sched.agents (name, phone, is_senior)
VALUES ('T20 Senior', '9876500021', true),
       ('T20 Junior One', '9876500022', false),
       ('T20 Junior Two', '9876500023', false);
SELECT agent_id AS s1 FROM sched.agents WHERE name = 'T20 Senior' \gset
SELECT agent_id AS j1 FROM sched.agents WHERE name = 'T20 Junior One' \gset
SELECT agent_id AS j2 FROM sched.agents WHERE name = 'T20 Junior Two' \gset
DO $$ BEGIN
  PERFORM pg_catalog.setval('sched.callback_turn', 1, false);
  PERFORM pg_catalog.setval('sched.senior_callback_turn', 1, false);
END $$;

-- ---------------------------------------------------------------------
-- A full request
-- ---------------------------------------------------------------------
CREATE TEMP TABLE requested AS
SELECT * FROM sched.request_callback('t20_john', '  John Doe ', '+91 98765 43210',
                                     E'  Wants pricing\nfor 3BHK  ', 'high', 'John@Example.COM',
                                     't20_session', 64, NULL);
SELECT callback_id AS c1 FROM requested \gset

SELECT results_eq(
  'SELECT * FROM requested',
  format('SELECT * FROM sched.callbacks WHERE callback_id = %s', :c1),
  'the returned row is the stored row, column for column');
SELECT is((SELECT ref FROM requested), 'callback_' || lpad(:c1::text, 6, '0'),
  'ref is callback_ followed by the id padded to six digits');
SELECT is((SELECT user_id FROM requested), 't20_john', 'user_id is stored');
SELECT is((SELECT contact_name FROM requested), 'John Doe', 'contact_name is stored trimmed');
SELECT is((SELECT contact_phone FROM requested), '+919876543210', 'contact_phone is stored in E.164 form');
SELECT is((SELECT contact_email FROM requested), 'John@example.com', 'the email domain is lower-cased');
SELECT is((SELECT reason FROM requested), E'Wants pricing\nfor 3BHK',
  'reason is trimmed and may span lines');
SELECT is((SELECT urgency FROM requested), 'high'::sched.urgency, 'urgency is stored');
SELECT is((SELECT session_id FROM requested), 't20_session', 'session_id is stored');
SELECT is((SELECT lead_score FROM requested), 64, 'lead_score is stored');
SELECT is((SELECT status FROM requested), 'pending'::sched.callback_status, 'a new callback is pending');
SELECT is((SELECT attempts FROM requested), 0, 'a new callback has no attempts');
SELECT ok((SELECT last_attempt_at IS NULL AND contacted_at IS NULL AND completed_at IS NULL
                  AND call_duration_s IS NULL AND outcome IS NULL AND agent_notes IS NULL FROM requested),
  'no attempt, call or note is recorded on a new callback');
SELECT is((SELECT created_at FROM requested), now(), 'created_at is the transaction time');
SELECT is((SELECT due_at FROM requested), now() + interval '2 hours', 'a high-urgency callback is due in 2 hours');
SELECT is((SELECT agent_id FROM requested), :s1,
  'a non-urgent callback goes to the next agent of the whole callback pool (first turn: first agent)');

-- ---------------------------------------------------------------------
-- Defaults and named arguments
-- ---------------------------------------------------------------------
CREATE TEMP TABLE minimal AS
SELECT * FROM sched.request_callback(user_id => 't20_min', contact_name => 'Min Customer',
                                     contact_phone => '9876543220');
SELECT is((SELECT urgency FROM minimal), 'medium'::sched.urgency, 'urgency defaults to medium');
SELECT is((SELECT due_at - created_at FROM minimal), interval '4 hours', 'a medium callback is due in 4 hours');
SELECT ok((SELECT reason IS NULL AND contact_email IS NULL AND session_id IS NULL AND lead_score IS NULL
                  AND idempotency_key IS NULL FROM minimal),
  'optional arguments left out are stored as NULL');
SELECT is((SELECT agent_id FROM minimal), :j1, 'the next request goes to the next agent');

-- ---------------------------------------------------------------------
-- SLA of every urgency: urgent 30 min, high 2 h, medium 4 h, low 24 h
-- ---------------------------------------------------------------------
SELECT results_eq(
  $$SELECT u::text, c.due_at - c.created_at
      FROM unnest(enum_range(NULL::sched.urgency)) WITH ORDINALITY AS e (u, i),
           LATERAL sched.request_callback('t20_sla_' || u, 'SLA Customer', '9876543221', urgency => u) AS c
     ORDER BY i$$,
  $$VALUES ('urgent', interval '30 minutes'), ('high', interval '2 hours'),
           ('medium', interval '4 hours'), ('low', interval '24 hours')$$,
  'due_at is created_at plus the urgency''s SLA');
SELECT is((SELECT agent_id FROM sched.callbacks WHERE user_id = 't20_sla_urgent'), :s1,
  'the urgent request went to the senior agent');

-- ---------------------------------------------------------------------
-- Profile
-- ---------------------------------------------------------------------
SELECT results_eq(
  $$SELECT site_visits_scheduled, callbacks_requested, intent_points, lead_score
      FROM sched.user_profiles WHERE user_id = 't20_john'$$,
  $$VALUES (0, 1, 2, 64)$$,
  'a callback request counts once, adds 2 intent points and carries its lead_score into the profile');

-- ---------------------------------------------------------------------
-- Two requests by one user are two callbacks
-- ---------------------------------------------------------------------
SELECT isnt((sched.request_callback('t20_john', 'John Doe', '9876543210')).callback_id, :c1::bigint,
  'a second request by the same user (no key) is a new callback');
SELECT is((SELECT callbacks_requested FROM sched.user_profiles WHERE user_id = 't20_john'), 2,
  'the second request is counted too');
SELECT is((SELECT lead_score FROM sched.user_profiles WHERE user_id = 't20_john'), 64,
  'a request without lead_score keeps the profile''s last known score');

-- ---------------------------------------------------------------------
-- A DBA's plain INSERT passes through the same rules
-- ---------------------------------------------------------------------
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, urgency, due_at, attempts,
                             status, contacted_at, last_attempt_at, created_at)
VALUES ('t20_dba', ' DBA Customer ', '(98765) 43222', 'low', now() + interval '30 days', 5,
        'pending', now(), now(), now() + interval '1 hour');
SELECT results_eq(
  $$SELECT contact_name, contact_phone, created_at, due_at, attempts, contacted_at IS NULL,
           last_attempt_at IS NULL, agent_id IS NOT NULL
      FROM sched.callbacks WHERE user_id = 't20_dba'$$,
  $$VALUES ('DBA Customer', '+919876543222', now(), now() + interval '24 hours', 0, true, true, true)$$,
  'a plain INSERT is normalised, its created_at, due_at, attempts and times are set by the rules, and it gets an agent');
SELECT is((SELECT count(*)::int FROM sched.outbox o JOIN sched.callbacks c
             ON o.entity = 'callback' AND o.entity_id = c.callback_id WHERE c.user_id = 't20_dba'), 2,
  'a plain INSERT queues the notifications (sms and agent; no email given)');
SELECT is((SELECT callbacks_requested FROM sched.user_profiles WHERE user_id = 't20_dba'), 1,
  'a plain INSERT is counted in the profile');

-- Callbacks go only to agents who handle callbacks
UPDATE sched.agents SET handles_callbacks = false WHERE agent_id IN (:s1, :j1);
SELECT results_eq(
  $$SELECT (sched.request_callback('t20_pool', 'Pool Customer', '9876543223')).agent_id
      FROM generate_series(1, 3)$$,
  format('VALUES (%s), (%s), (%s)', :j2, :j2, :j2),
  'with one agent left who handles callbacks, every request goes to that agent');
SELECT is((SELECT count(*)::int FROM sched.callbacks WHERE user_id LIKE 't20_%'
             AND agent_id NOT IN (:s1, :j1, :j2)), 0,
  'no request went to an agent outside this test''s active pool');
SELECT is((SELECT count(*)::int FROM sched.callbacks WHERE user_id LIKE 't20_%' AND agent_id IS NULL), 0,
  'every request has an agent');

SELECT * FROM finish();
ROLLBACK;
