-- pgTAP: every reading call works with parallel query forced, as any user
-- may force it (force_parallel_mode on PostgreSQL 15, debug_parallel_query
-- from 16).  pgTAP's own functions are PARALLEL UNSAFE, so these
-- statements do not run in parallel mode whatever sched's flags are: the
-- check that sched's calls work in a statement that does, and that a
-- first call there applies the database's settings, is
-- test/sql/parallel.sql (pg_regress); every sched function is PARALLEL
-- UNSAFE from 1.3 (00_schema).
BEGIN;
SELECT plan(12);
\ir include/clock.sql

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, login, is_senior, slot_capacity) VALUES ('T240 Agent', '9876524001', 't240-x', true, 10);
SET LOCAL sched.business_hours = '00:00-24:00';
SELECT visit_id AS v FROM sched.book_site_visit('t240_u', 'T240 Towers', pg_temp.today() + 3, 'morning', 'Parallel', '9876524101') \gset
SELECT callback_id AS c FROM sched.request_callback('t240_u', 'Parallel', '9876524101') \gset
SELECT job_id AS j FROM sched.outbox ORDER BY job_id DESC LIMIT 1 \gset

SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', true) AS forced \gset
SELECT set_config('parallel_setup_cost', '0', true) IS NOT NULL AS cheap \gset
SELECT is(:'forced'::text, 'on', 'parallel query is forced');
SELECT is((SELECT count(*)::int FROM sched.available_slots('T240 Towers', days => 3)) > 0, true, 'available_slots');
SELECT ok(strpos(sched.visit_ics(:v), 'BEGIN:VCALENDAR') = 1, 'visit_ics');
SELECT is((SELECT count(*)::int FROM sched.list_visits() WHERE visit_id = :v), 1, 'list_visits');
SELECT is((SELECT count(*)::int FROM sched.list_callbacks() WHERE callback_id = :c), 1, 'list_callbacks');
SELECT is(jsonb_array_length(sched.user_schedule('t240_u') -> 'visits'), 1, 'user_schedule');
SELECT lives_ok(format('SELECT sched.render_message(%s)', :j), 'render_message');
SELECT lives_ok($$SELECT * FROM sched.assignment_stats(pg_temp.today(), pg_temp.today())$$, 'assignment_stats');
SELECT lives_ok($$SELECT * FROM sched.agent_performance(pg_temp.today(), pg_temp.today())$$, 'agent_performance');
SELECT set_config('request.jwt.claims', '{"sub": "t240_u"}', true) IS NOT NULL AS claims \gset
SELECT is(jsonb_array_length(sched.my_schedule() -> 'visits'), 1, 'my_schedule');
SELECT is((SELECT count(*)::int FROM sched.my_visits), 1, 'the view my_visits');
SELECT set_config('request.jwt.claims', '{"sub": "t240-x"}', true) IS NOT NULL AS claims \gset
SELECT is((SELECT count(*)::int FROM sched.my_assignments), 2, 'the view my_assignments');

SELECT * FROM finish();
ROLLBACK;
