-- pgTAP: the admin listings sched.list_visits and sched.list_callbacks:
-- filters, order, max_rows.  (Their argument errors are in 80_errors.)
BEGIN;
SELECT plan(26);

-- This file lists whole tables, so it starts from empty ones (all of it
-- is rolled back at the end).
DELETE FROM sched.outbox;
DELETE FROM sched.status_history;
DELETE FROM sched.user_profiles;
DELETE FROM sched.callbacks;
DELETE FROM sched.scheduled_visits;
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity)
VALUES ('T40 Agent A', '9876500041', true, 10),
       ('T40 Agent B', '9876500042', false, 10);
SELECT agent_id AS aa FROM sched.agents WHERE name = 'T40 Agent A' \gset
SELECT agent_id AS ab FROM sched.agents WHERE name = 'T40 Agent B' \gset
DO $$ BEGIN
  PERFORM pg_catalog.setval('sched.visit_turn', 1, false);
  PERFORM pg_catalog.setval('sched.callback_turn', 1, false);
  PERFORM pg_catalog.setval('sched.senior_callback_turn', 1, false);
END $$;

-- Five visits, booked out of date order; the turns alternate A, B, A, B, A.
SELECT visit_id AS v1 FROM sched.book_site_visit('t40_1', 'P', current_date + 5, 'evening', 'One', '9876543241') \gset
SELECT visit_id AS v2 FROM sched.book_site_visit('t40_2', 'P', current_date + 5, 'morning', 'Two', '9876543242') \gset
SELECT visit_id AS v3 FROM sched.book_site_visit('t40_3', 'P', current_date + 3, 'afternoon', 'Three', '9876543243') \gset
SELECT visit_id AS v4 FROM sched.book_site_visit('t40_4', 'P', current_date + 5, 'morning', 'Four', '9876543244') \gset
SELECT visit_id AS v5 FROM sched.book_site_visit('t40_5', 'P', current_date + 10, 'morning', 'Five', '9876543245') \gset
SELECT sched.set_visit_status(:v2, 'confirmed') IS NOT NULL AS moved \gset
SELECT sched.set_visit_status(:v5, 'cancelled') IS NOT NULL AS moved \gset

SELECT results_eq(
  'SELECT agent_id FROM sched.scheduled_visits ORDER BY visit_id',
  format('VALUES (%s), (%s), (%s), (%s), (%s)', :aa, :ab, :aa, :ab, :aa),
  'setup: the five visits went A, B, A, B, A');

SELECT results_eq('SELECT visit_id FROM sched.list_visits()',
  format('VALUES (%s::bigint), (%s), (%s), (%s), (%s)', :v3, :v2, :v4, :v1, :v5),
  'without filters: every visit, by visit_date, then time_slot (morning < evening), then visit_id');
SELECT results_eq('SELECT * FROM sched.list_visits()',
  'SELECT * FROM sched.scheduled_visits ORDER BY visit_date, time_slot, visit_id',
  'list_visits returns whole rows, as stored');
SELECT results_eq($$SELECT visit_id FROM sched.list_visits(status => 'pending')$$,
  format('VALUES (%s::bigint), (%s), (%s)', :v3, :v4, :v1),
  'status => pending lists only pending visits');
SELECT results_eq($$SELECT visit_id FROM sched.list_visits(status => 'confirmed')$$,
  format('VALUES (%s::bigint)', :v2),
  'status => confirmed lists only the confirmed visit');
SELECT is_empty($$SELECT * FROM sched.list_visits(status => 'no_show')$$,
  'a status nobody is in lists nothing');
SELECT results_eq('SELECT visit_id FROM sched.list_visits(date_from => current_date + 5)',
  format('VALUES (%s::bigint), (%s), (%s), (%s)', :v2, :v4, :v1, :v5),
  'date_from is inclusive');
SELECT results_eq('SELECT visit_id FROM sched.list_visits(date_to => current_date + 5)',
  format('VALUES (%s::bigint), (%s), (%s), (%s)', :v3, :v2, :v4, :v1),
  'date_to is inclusive');
SELECT results_eq('SELECT visit_id FROM sched.list_visits(date_from => current_date + 5, date_to => current_date + 5)',
  format('VALUES (%s::bigint), (%s), (%s)', :v2, :v4, :v1),
  'date_from = date_to lists that one day');
SELECT is_empty('SELECT * FROM sched.list_visits(date_from => current_date + 6, date_to => current_date + 9)',
  'a range with no visits lists nothing');
SELECT results_eq(format('SELECT visit_id FROM sched.list_visits(agent_id => %s)', :aa),
  format('VALUES (%s::bigint), (%s), (%s)', :v3, :v1, :v5),
  'agent_id lists only that agent''s visits');
SELECT results_eq(format($$SELECT visit_id FROM sched.list_visits(status => 'pending', agent_id => %s)$$, :ab),
  format('VALUES (%s::bigint)', :v4),
  'status and agent_id combine');
SELECT results_eq(
  format($$SELECT visit_id FROM sched.list_visits('pending', current_date + 4, current_date + 5, %s, 10)$$, :aa),
  format('VALUES (%s::bigint)', :v1),
  'all four filters combine (positional arguments)');
SELECT is_empty('SELECT * FROM sched.list_visits(agent_id => -1)', 'an unknown agent lists nothing');
SELECT results_eq('SELECT visit_id FROM sched.list_visits(max_rows => 2)',
  format('VALUES (%s::bigint), (%s)', :v3, :v2),
  'max_rows keeps the first rows of the order');
SELECT results_eq('SELECT visit_id FROM sched.list_visits(max_rows => 1)',
  format('VALUES (%s::bigint)', :v3), 'max_rows 1 returns one row');
SELECT is((SELECT count(*)::int FROM sched.list_visits(max_rows => 1000)), 5, 'max_rows 1000 is allowed');

-- max_rows defaults to 100
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone,
                                    agent_id, status, created_at)
SELECT 't40_bulk', 'P', current_date - 1, 'morning', 'Bulk', '9876543246', :aa, 'completed',
       now() - interval '2 days'
  FROM generate_series(1, 120);
SELECT is((SELECT count(*)::int FROM sched.list_visits()), 100, 'without max_rows at most 100 visits are listed');

-- ---------------------------------------------------------------------
-- Callbacks (1.1): the working queue first, what is due first
-- (next_attempt_at), then the rest urgent first, oldest first, by id.
-- Business hours are off here so that the deadlines do not depend on the
-- time of day the test runs (150_callback_queue tests them).
-- ---------------------------------------------------------------------
SET LOCAL sched.business_hours = '00:00-24:00';
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, urgency, agent_id, created_at)
VALUES ('t40_c0', 'Old', '9876543250', 'medium', :aa, now() - interval '1 day');
SELECT callback_id AS c0 FROM sched.callbacks WHERE user_id = 't40_c0' \gset
SELECT callback_id AS c1 FROM sched.request_callback('t40_c1', 'C1', '9876543251', urgency => 'low') \gset
SELECT callback_id AS c2 FROM sched.request_callback('t40_c2', 'C2', '9876543252', urgency => 'urgent') \gset
SELECT callback_id AS c3 FROM sched.request_callback('t40_c3', 'C3', '9876543253', urgency => 'medium') \gset
SELECT callback_id AS c4 FROM sched.request_callback('t40_c4', 'C4', '9876543254', urgency => 'urgent') \gset
SELECT callback_id AS c5 FROM sched.request_callback('t40_c5', 'C5', '9876543255', urgency => 'high') \gset
SELECT sched.set_callback_status(:c3, 'contacted') IS NOT NULL AS moved \gset
SELECT sched.set_callback_status(:c1, 'no_answer') IS NOT NULL AS moved \gset

SELECT results_eq('SELECT callback_id FROM sched.list_callbacks()',
  format('VALUES (%s::bigint), (%s), (%s), (%s), (%s), (%s)', :c0, :c2, :c4, :c1, :c5, :c3),
  'without filters: the queue by due time (the imported one overdue since yesterday, two urgent due in 30 minutes by id, the unanswered one retried in an hour, high in 2 hours), then the contacted one');
SELECT results_eq('SELECT * FROM sched.list_callbacks()',
  'SELECT * FROM sched.callbacks ORDER BY next_attempt_at, urgency, created_at, callback_id',
  'list_callbacks returns whole rows, as stored');
SELECT results_eq($$SELECT callback_id FROM sched.list_callbacks(urgency => 'urgent')$$,
  format('VALUES (%s::bigint), (%s)', :c2, :c4), 'urgency filters');
SELECT results_eq($$SELECT callback_id FROM sched.list_callbacks(status => 'pending')$$,
  format('VALUES (%s::bigint), (%s), (%s), (%s)', :c0, :c2, :c4, :c5), 'status filters');
SELECT results_eq($$SELECT callback_id FROM sched.list_callbacks(status => 'contacted')$$,
  format('VALUES (%s::bigint)', :c3), 'status => contacted lists the contacted callback');
SELECT results_eq($$SELECT callback_id FROM sched.list_callbacks('pending', 'medium')$$,
  format('VALUES (%s::bigint)', :c0), 'status and urgency combine (positional arguments)');
SELECT is_empty($$SELECT * FROM sched.list_callbacks(status => 'completed')$$,
  'list_callbacks: a status nobody is in lists nothing');
SELECT results_eq('SELECT callback_id FROM sched.list_callbacks(max_rows => 3)',
  format('VALUES (%s::bigint), (%s), (%s)', :c0, :c2, :c4), 'list_callbacks: max_rows keeps the first rows of the order');

SELECT * FROM finish();
ROLLBACK;
