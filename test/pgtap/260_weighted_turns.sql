-- pgTAP: weighted turns (1.4).  sched.agents.weight (1-100, default 1) is
-- how many turns an agent takes in each cycle of their pool, interleaved
-- (sched_weighted_turns, unit-tested in test/unit/test_turns.c); equal
-- weights keep the plain round robin.  Exact orders first reset the turn
-- with setval, as 60_round_robin.sql does.
BEGIN;
SELECT plan(18);
\ir include/clock.sql

SET LOCAL sched.business_hours = '00:00-24:00';
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES
  ('T260 A', '9876526001', true, 100), ('T260 B', '9876526002', true, 100), ('T260 C', '9876526003', false, 100);

-- the column
SELECT has_column('sched', 'agents', 'weight', 'agents have a weight');
SELECT col_type_is('sched', 'agents', 'weight', 'integer', 'an integer');
SELECT col_default_is('sched', 'agents', 'weight', '1', 'of 1 unless given');
SELECT throws_ok($$UPDATE sched.agents SET weight = 0 WHERE name = 'T260 A'$$, '23514', NULL, 'a weight of 0 is refused');
SELECT throws_ok($$UPDATE sched.agents SET weight = 101 WHERE name = 'T260 A'$$, '23514', NULL, 'over 100 is refused');
SELECT throws_ok($$UPDATE sched.agents SET weight = NULL WHERE name = 'T260 A'$$, '23502', NULL, 'NULL is refused');

-- n visits booked one after another, each in a slot of its own: the
-- letters of their agents in booking order
CREATE FUNCTION pg_temp.book(n integer, tag text) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(right(a.name, 1), ' ' ORDER BY i)
    FROM generate_series(1, n) i,
         LATERAL sched.book_site_visit('t260_' || tag || i, 'T260 Towers', pg_temp.today() + 2 + i % 60,
                                       (ARRAY['morning','afternoon','evening'])[1 + i % 3]::sched.time_slot,
                                       'Weighted', '9876526100') v
    JOIN sched.agents a USING (agent_id)
$$;
CREATE FUNCTION pg_temp.callbacks(n integer, tag text, u sched.urgency) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(right(a.name, 1), ' ' ORDER BY i)
    FROM generate_series(1, n) i,
         LATERAL sched.request_callback('t260_' || tag || i, 'Weighted', '9876526100', urgency => u) c
    JOIN sched.agents a USING (agent_id)
$$;

SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.book(6, 'eq'), 'A B C A B C', 'equal weights: the plain round robin, A B C A B C');

UPDATE sched.agents SET weight = 2 WHERE name = 'T260 A';
SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.book(8, 'w211'), 'A B A C A B A C',
  'weights 2 1 1: A takes two turns of every four, never two in a row');

UPDATE sched.agents SET weight = 3 WHERE name = 'T260 A';
UPDATE sched.agents SET weight = 2 WHERE name = 'T260 B';
SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.book(12, 'w321'), 'A B A B A C A B A B A C',
  'weights 3 2 1: 3, 2 and 1 turns in every six, A never twice in a row');

-- whatever turn the sequence is at, a whole number of cycles gives each
-- agent its weight's share exactly
SELECT setval('sched.visit_turn', 1000 + (random() * 1000)::int) IS NOT NULL AS moved \gset
SELECT results_eq(
  $$SELECT right(a.name, 1), count(*)::int FROM regexp_split_to_table(pg_temp.book(60, 'w321any'), ' ') l(letter)
      JOIN sched.agents a ON right(a.name, 1) = l.letter AND a.name LIKE 'T260 _' GROUP BY 1 ORDER BY 1$$,
  $$VALUES ('A', 30), ('B', 20), ('C', 10)$$,
  '60 bookings from any turn: 30, 20 and 10');

-- a changed weight counts from the next booking, in this session too
UPDATE sched.agents SET weight = 1 WHERE name LIKE 'T260 _';
SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.book(3, 'back'), 'A B C', 'weights back to 1: the plain round robin at once');

-- a full agent gives the turn on, as in the plain round robin
UPDATE sched.agents SET weight = 2 WHERE name = 'T260 A';
UPDATE sched.agents SET slot_capacity = 0 WHERE name = 'T260 A';
SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.book(4, 'full'), 'B B B C',
  'A has no room: each of its turns goes to the agent after it');
UPDATE sched.agents SET slot_capacity = 100 WHERE name = 'T260 A';

-- callbacks: the callback takers and the senior pool are weighted alike
UPDATE sched.agents SET weight = 3 WHERE name = 'T260 A';
SELECT setval('sched.callback_turn', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.callbacks(5, 'cb', 'medium'), 'A B A C A', 'callbacks follow the weights (3 1 1)');
SELECT setval('sched.senior_callback_turn', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.callbacks(4, 'urg', 'urgent'), 'A B A A',
  'urgent callbacks go to the seniors A and B, 3 to 1');

-- assignment_stats shows the weight and both shares
SELECT results_eq(
  $$SELECT right(name, 1), weight, weight_share FROM sched.assignment_stats(pg_temp.today() - 1, pg_temp.today() + 1)
     WHERE name LIKE 'T260 _' ORDER BY agent_id$$,
  $$VALUES ('A', 3, 0.6000), ('B', 1, 0.2000), ('C', 1, 0.2000)$$,
  'assignment_stats: each agent''s weight and the share it gives among the visit takers');
SELECT is((SELECT sum(visit_share) FROM sched.assignment_stats(pg_temp.today() - 1, pg_temp.today() + 1)), 1.0000,
  'the visit shares add up to 1');
UPDATE sched.agents SET handles_visits = false WHERE name = 'T260 C';
SELECT results_eq(
  $$SELECT right(name, 1), weight_share FROM sched.assignment_stats(pg_temp.today() - 1, pg_temp.today() + 1)
     WHERE name LIKE 'T260 _' ORDER BY agent_id$$,
  $$VALUES ('A', 0.7500), ('B', 0.2500), ('C', NULL::numeric)$$,
  'an agent who takes no visits has no weight share, and the others'' grow');
UPDATE sched.agents SET handles_visits = true WHERE name = 'T260 C';

-- a project's own list is weighted within itself
INSERT INTO sched.project_agents (project, agent_id)
SELECT 'T260 Listed', agent_id FROM sched.agents WHERE name IN ('T260 A', 'T260 C');
SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT is((SELECT string_agg(right(a.name, 1), ' ' ORDER BY i)
             FROM generate_series(1, 4) i,
                  LATERAL sched.book_site_visit('t260_listed' || i, 'T260 Listed', pg_temp.today() + 3 + i, 'morning',
                                                'Listed', '9876526101') v
             JOIN sched.agents a USING (agent_id)),
          'A C A A', 'a project''s list of A (3) and C (1): 3 turns to 1');

SELECT * FROM finish();
ROLLBACK;
