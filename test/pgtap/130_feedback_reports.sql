-- pgTAP: record_feedback, assignment_stats and agent_performance (1.1).
BEGIN;
SELECT plan(21);

SET TimeZone = 'Asia/Kolkata';
UPDATE sched.agents SET active = false;
DELETE FROM sched.visit_feedback;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T130 A', '9876500131', 10), ('T130 B', '9876500132', 10);
SELECT agent_id AS a FROM sched.agents WHERE name = 'T130 A' \gset
SELECT agent_id AS b FROM sched.agents WHERE name = 'T130 B' \gset
DO $$ BEGIN PERFORM pg_catalog.setval('sched.visit_turn', 1, false); END $$;

-- Six visits, alternating A and B: A gets 1, 3, 5 and B 2, 4, 6.
CREATE TEMP TABLE v AS
SELECT i, b.visit_id, b.agent_id
  FROM generate_series(1, 6) i,
       LATERAL sched.book_site_visit('t130_u' || i, 'Brigade Citrine', current_date + 3, 'morning',
                                     'Customer ' || i, '98765431' || lpad(i::text, 2, '0')) b
 ORDER BY i;
SELECT is((SELECT array_agg(agent_id ORDER BY i) FROM v), ARRAY[:a, :b, :a, :b, :a, :b]::int[], 'visits alternate A, B');
SELECT visit_id AS v1 FROM v WHERE i = 1 \gset
SELECT visit_id AS v2 FROM v WHERE i = 2 \gset
SELECT visit_id AS v3 FROM v WHERE i = 3 \gset
SELECT visit_id AS v4 FROM v WHERE i = 4 \gset
SELECT visit_id AS v5 FROM v WHERE i = 5 \gset
-- v1 completed, v2 completed, v3 a no-show, v4 cancelled by the customer, v5 cancelled by the team
SELECT sched.set_visit_status(:v1, 'confirmed') IS NULL AS x \gset
SELECT sched.set_visit_status(:v1, 'completed') IS NULL AS x \gset
SELECT sched.set_visit_status(:v2, 'confirmed') IS NULL AS x \gset
SELECT sched.set_visit_status(:v2, 'completed') IS NULL AS x \gset
SELECT sched.set_visit_status(:v3, 'no_show') IS NULL AS x \gset
SELECT sched.cancel_visit(:v4, 'ill') IS NULL AS x \gset
SELECT sched.set_visit_status(:v5, 'cancelled') IS NULL AS x \gset

-- ---------------------------------------------------------------------
-- feedback
-- ---------------------------------------------------------------------
SELECT results_eq(format('SELECT visit_id, rating, comment, agent_id FROM sched.record_feedback(%s, 5, %L)', :v1, 'Great visit'),
  format('VALUES (%s::bigint, 5, %L, %s)', :v1, 'Great visit', :a), 'a completed visit is rated, with its agent');
SELECT lives_ok(format('SELECT sched.record_feedback(%s, 3)', :v2), 'a rating without a comment');
SELECT throws_ok(format('SELECT sched.record_feedback(%s, 4)', :v1), 'PT409', NULL, 'a visit is rated once (409)');
SELECT throws_ok(format('SELECT sched.record_feedback(%s, 4)', :v3), 'PT409', NULL, 'a no-show cannot be rated');
SELECT throws_ok(format('SELECT sched.record_feedback(%s, 4)', (SELECT visit_id FROM v WHERE i = 6)), 'PT409', NULL,
  'a pending visit cannot be rated');
SELECT throws_ok(format('SELECT sched.record_feedback(%s, 0)', :v2), '22023', NULL, 'a rating of 0 is refused');
SELECT throws_ok(format('SELECT sched.record_feedback(%s, 6)', :v2), '22023', NULL, 'a rating of 6 is refused');
SELECT throws_ok(format('SELECT sched.record_feedback(%s, NULL)', :v2), '22004', NULL, 'rating is required');
SELECT throws_ok('SELECT sched.record_feedback(-1, 3)', 'PT404', NULL, 'an unknown visit is 404');
SELECT throws_ok(format('SELECT sched.record_feedback(%s, 3, %L)', :v2, repeat('x', 2001)), '22023', NULL,
  'an over-long comment is refused');
SELECT is((SELECT count(*)::int FROM sched.visit_feedback), 2, 'the refused ratings wrote nothing');

-- ---------------------------------------------------------------------
-- assignment_stats
-- ---------------------------------------------------------------------
SELECT results_eq(format($$SELECT agent_id, visits, customer_cancels, no_shows FROM sched.assignment_stats(current_date, current_date)
                           WHERE agent_id IN (%s, %s) ORDER BY agent_id$$, :a, :b),
  format('VALUES (%s, 2::bigint, 0::bigint, 1::bigint), (%s, 2, 1, 0)', :a, :b),
  'assignment_stats counts A''s 3 visits but the no-show, and B''s 3 but the customer''s cancel (the team''s cancel counts)');
SELECT is((SELECT sum(visits + customer_cancels + no_shows)::int FROM sched.assignment_stats(current_date, current_date)
            WHERE agent_id IN (:a, :b)), 6, 'and the three columns add up to every booking');
SELECT is((SELECT count(*)::int FROM sched.assignment_stats(current_date + 1, current_date + 2) WHERE visits > 0), 0,
  'a range without bookings counts nothing');

-- ---------------------------------------------------------------------
-- agent_performance
-- ---------------------------------------------------------------------
SELECT callback_id AS c1 FROM sched.request_callback('t130_c', 'Caller', '9876543199') \gset
UPDATE sched.callbacks SET agent_id = :a WHERE callback_id = :c1;
SELECT sched.set_callback_status(:c1, 'contacted') IS NULL AS x \gset
SELECT results_eq(format($$SELECT visits_assigned, visits_confirmed, visits_completed, no_show_rate, average_rating
                             FROM sched.agent_performance(current_date, current_date + 7) WHERE agent_id = %s$$, :a),
  $$VALUES (3::bigint, 1::bigint, 1::bigint, 0.5::numeric, 5.00::numeric)$$,
  'A: 3 visits, 1 confirmed and completed, 1 no-show of 2 that ended, rated 5');
SELECT results_eq(format($$SELECT visits_assigned, visits_completed, no_show_rate, average_rating
                             FROM sched.agent_performance(current_date, current_date + 7) WHERE agent_id = %s$$, :b),
  $$VALUES (3::bigint, 1::bigint, 0.000::numeric, 3.00::numeric)$$, 'B: 3 visits, 1 completed, no no-shows, rated 3');
SELECT results_eq(format($$SELECT callbacks_handled, callbacks_within_sla, median_time_to_contact
                             FROM sched.agent_performance(current_date, current_date) WHERE agent_id = %s$$, :a),
  $$VALUES (1::bigint, 1.000::numeric, interval '0')$$,
  'A reached their one callback within its SLA, at once (same transaction)');
SELECT results_eq(format($$SELECT visits_assigned, average_rating, callbacks_handled
                             FROM sched.agent_performance(current_date + 20, current_date + 21) WHERE agent_id = %s$$, :a),
  $$VALUES (0::bigint, NULL::numeric, 0::bigint)$$, 'an empty range gives zeros and no average');

SELECT throws_ok($$SELECT sched.record_feedback(NULL, 3)$$, '22004', NULL, 'visit_id is required');
SELECT ok(has_function_privilege('sched.agent_performance(date, date)', 'EXECUTE') AND
          NOT has_function_privilege('public', 'sched.agent_performance(date, date)', 'EXECUTE'),
  'the reports are not for PUBLIC');

SELECT * FROM finish();
ROLLBACK;
