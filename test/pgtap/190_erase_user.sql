-- pgTAP: sched.erase_user, the right to be forgotten (1.3).  After it no
-- table of sched holds the person's name, phone or email (every text and
-- jsonb column is searched); ids, statuses, dates, agents and counts stay;
-- their unsent messages are cancelled; each item gets a history row.
BEGIN;
SELECT plan(20);
\ir include/clock.sql

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES ('T190 Agent', '9876501901', true, 10);
SET LOCAL sched.business_hours = '00:00-24:00';

-- Meera: a visit (later cancelled, with a reason), a completed visit with
-- feedback, a callback with the agent's notes; Vikram: one visit
SELECT visit_id AS v1 FROM sched.book_site_visit('t190_u1', 'T190 Towers', pg_temp.today() + 3, 'morning',
  'Meera Iyer', '+91 98765 19001', 'meera.iyer@example.com', 'Meera prefers mornings') \gset
SELECT visit_id AS v2 FROM sched.book_site_visit('t190_u1', 'T190 Towers', pg_temp.today() + 4, 'evening',
  'Meera Iyer', '9876519001', 'meera.iyer@example.com') \gset
SELECT callback_id AS c1 FROM sched.request_callback('t190_u1', 'Meera Iyer', '9876519001',
  'Call Meera about the 3BHK', 'high', 'meera.iyer@example.com') \gset
SELECT status FROM sched.cancel_visit(:v1, 'Meera Iyer is moving') \gset
SELECT status FROM sched.set_visit_status(:v2, 'confirmed', 'Meera Iyer confirmed on 9876519001') \gset
SELECT status FROM sched.set_visit_status(:v2, 'completed') \gset
SELECT rating FROM sched.record_feedback(:v2, 5, 'Thanks, Meera Iyer') \gset
SELECT status FROM sched.set_callback_status(:c1, 'no_answer', 'left a message for Meera Iyer') \gset
SELECT visit_id AS other FROM sched.book_site_visit('t190_u2', 'T190 Towers', pg_temp.today() + 5, 'morning',
  'Vikram Shah', '9876519002', 'vikram@example.com') \gset

-- every text and jsonb value of sched's tables that contains a needle
CREATE FUNCTION pg_temp.found(needle text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  col record;
  hits text[] := '{}';
  n bigint;
BEGIN
  FOR col IN
    SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'sched'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
       AND a.atttypid IN ('text'::regtype, 'jsonb'::regtype, 'varchar'::regtype, 'json'::regtype)
  LOOP
    EXECUTE format('SELECT count(*) FROM sched.%I WHERE %I::text ILIKE %L', col.relname, col.attname, '%' || needle || '%')
      INTO n;
    IF n > 0 THEN hits := hits || (col.relname || '.' || col.attname); END IF;
  END LOOP;
  RETURN hits;
END $$;

SELECT ok(cardinality(pg_temp.found('Meera')) > 2 AND cardinality(pg_temp.found('9876519001')) > 2
          AND cardinality(pg_temp.found('meera.iyer@example.com')) > 2,
  'before: Meera''s name, phone and email are in several columns');
SELECT (SELECT count(*) FROM sched.status_history) AS history_before \gset
SELECT (SELECT count(*) FROM sched.outbox) AS jobs_before \gset

SELECT count(*) AS unsent_before FROM sched.outbox
 WHERE state IN ('pending', 'claimed')
   AND ((entity = 'visit' AND entity_id IN (:v1, :v2)) OR (entity = 'callback' AND entity_id = :c1)) \gset
SELECT count(*) AS meera_jobs FROM sched.outbox
 WHERE (entity = 'visit' AND entity_id IN (:v1, :v2)) OR (entity = 'callback' AND entity_id = :c1) \gset
CREATE TEMP TABLE kept AS
SELECT visit_id, status, visit_date, time_slot, agent_id, user_id FROM sched.scheduled_visits WHERE visit_id IN (:v1, :v2);

CREATE TEMP TABLE erased AS SELECT sched.erase_user('t190_u1') AS r;
SELECT is((SELECT r - 'history_notes' FROM erased),
  jsonb_build_object('visits', 2, 'callbacks', 1, 'jobs_cancelled', :unsent_before::int, 'jobs_erased', :meera_jobs::int,
                     'feedback', 1),
  'erase_user returns what it erased: 2 visits, 1 callback, the unsent jobs cancelled, every job erased, the feedback');
SELECT is((SELECT (r ->> 'history_notes')::int FROM erased), 3,
  'and the three history notes it blanked (the cancel''s reason, the confirmation''s and the call''s notes)');

SELECT is(pg_temp.found('Meera'), '{}'::text[], 'after: no column of sched holds her name');
SELECT is(pg_temp.found('9876519001'), '{}'::text[], 'nor her phone');
SELECT is(pg_temp.found('98765 19001'), '{}'::text[], 'in any spelling');
SELECT is(pg_temp.found('meera.iyer@example.com'), '{}'::text[], 'nor her email');
SELECT is(pg_temp.found('3BHK'), '{}'::text[], 'nor what she wrote');
SELECT ok(cardinality(pg_temp.found('Vikram')) > 0 AND cardinality(pg_temp.found('vikram@example.com')) > 0,
  'another customer''s data is untouched');
SELECT results_eq($$SELECT visit_id, status, visit_date, time_slot, agent_id, user_id FROM sched.scheduled_visits
                     WHERE visit_id IN (SELECT visit_id FROM kept) ORDER BY visit_id$$,
  $$SELECT * FROM kept ORDER BY visit_id$$,
  'ids, statuses, dates, slots, agents and the user id stay (statistics stay true)');
SELECT is((SELECT rating FROM sched.visit_feedback WHERE visit_id = :v2), 5, 'the rating stays, its comment does not');
SELECT is((SELECT count(*)::int FROM sched.status_history WHERE note = 'personal data erased'), 3,
  'one history row per item says it was erased');
SELECT is((SELECT count(*)::int FROM sched.outbox
            WHERE state IN ('pending', 'claimed')
              AND ((entity = 'visit' AND entity_id IN (:v1, :v2)) OR (entity = 'callback' AND entity_id = :c1))), 0,
  'none of her messages is left to send');
UPDATE sched.outbox SET run_at = now() - interval '1 second' WHERE state = 'pending';
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('t190-worker', 1000) WHERE recipient = '[erased]'), 0,
  'a worker claims none of them');

-- a second call changes nothing
SELECT (SELECT count(*) FROM sched.status_history) AS history_after \gset
SELECT is(sched.erase_user('t190_u1'),
  '{"visits": 0, "callbacks": 0, "history_notes": 0, "jobs_cancelled": 0, "jobs_erased": 0, "feedback": 0}'::jsonb,
  'a second erasure finds nothing left');
SELECT is((SELECT count(*) FROM sched.status_history), :history_after::bigint, 'and writes no history');
SELECT is(sched.erase_user('t190_nobody') ->> 'visits', '0', 'an unknown user erases nothing');

SELECT throws_ok($$SELECT sched.erase_user(NULL)$$, '22004', 'user_id must not be null', 'user_id is required (22004)');
SELECT throws_ok($$SELECT sched.erase_user('   ')$$, '22023', 'user_id must not be empty', 'and not blank (22023)');

CREATE ROLE t190_admin NOLOGIN;
CREATE ROLE t190_web NOLOGIN;
SELECT sched.grant_admin_calls('t190_admin') IS NULL AS granted \gset
SELECT sched.grant_user_calls('t190_web') IS NULL AS granted \gset
SELECT ok(has_function_privilege('t190_admin', 'sched.erase_user(text)', 'EXECUTE')
          AND NOT has_function_privilege('t190_web', 'sched.erase_user(text)', 'EXECUTE'),
  'erase_user is an admin call');

SELECT * FROM finish();
ROLLBACK;
