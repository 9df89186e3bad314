-- pgTAP: refs (1.3).  A booking's ref is written once, by the trigger,
-- from its id in 1.0's shape ("visit_000123"), and after a failover with
-- the timeline it was made on ("visit_000123-2"), so an id given out again
-- after an asynchronous failover never repeats a ref a customer was sent
-- (the timeline part is unit-tested in test_rules: a test cluster cannot
-- fail over); it never changes.
BEGIN;
SELECT plan(9);
\ir include/clock.sql

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES ('T250 Agent', '9876525001', true, 10);
SET LOCAL sched.business_hours = '00:00-24:00';
SELECT agent_id AS a FROM sched.agents WHERE name = 'T250 Agent' \gset

SELECT visit_id AS v, ref AS r FROM sched.book_site_visit('t250_u', 'T250 Towers', pg_temp.today() + 3, 'morning', 'Ref', '9876525101') \gset
SELECT is(:'r', 'visit_' || lpad(:v::text, 6, '0'), 'a booking''s ref is visit_ and its id, padded to six digits, as in 1.0');
SELECT callback_id AS c, ref AS cr FROM sched.request_callback('t250_u', 'Ref', '9876525101') \gset
SELECT is(:'cr', 'callback_' || lpad(:c::text, 6, '0'), 'a callback''s likewise');
SELECT is((SELECT ref FROM sched.scheduled_visits WHERE visit_id = :v), :'r', 'the stored ref is the one returned');
SELECT throws_ok(format($$UPDATE sched.scheduled_visits SET ref = 'visit_999999' WHERE visit_id = %s$$, :v), '22023',
  'ref cannot be changed', 'a ref never changes (22023), whoever writes');
SELECT throws_ok(format($$UPDATE sched.callbacks SET ref = 'callback_1' WHERE callback_id = %s$$, :c), '22023',
  'ref cannot be changed', 'nor a callback''s');
-- imports: a restore brings its refs; rows without one get 1.0's shape
SELECT lives_ok(format($$INSERT INTO sched.scheduled_visits (visit_id, ref, user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id, status, created_at)
    VALUES (9250001, 'visit_009250-3', 't250_u', 'T250 Towers', pg_temp.today() - 40, 'morning', 'Old', '9876525101', %s,
            'completed', now() - interval '50 days')$$, :a),
  'an import (a restore) keeps the ref it brings, a timeline suffix included');
SELECT is((SELECT ref FROM sched.scheduled_visits WHERE visit_id = 9250001), 'visit_009250-3', 'kept as given');
INSERT INTO sched.scheduled_visits (visit_id, user_id, project, visit_date, time_slot, contact_name, contact_phone,
                                    agent_id, status, created_at)
SELECT i, 't250_u', 'T250 Towers', pg_temp.today() - 40, 'morning', 'Old', '9876525101', :a, 'completed', now() - interval '50 days'
  FROM unnest(ARRAY[-7, 0, 12, 999999, 1000000, 123456789012]::bigint[]) AS i;
SELECT results_eq($$SELECT ref FROM sched.scheduled_visits WHERE visit_id IN (-7, 0, 12, 999999, 1000000, 123456789012) ORDER BY visit_id$$,
  $$SELECT 'visit_' || CASE WHEN i < 1000000 THEN lpad(i::text, 6, '0') ELSE i::text END
      FROM unnest(ARRAY[-7, 0, 12, 999999, 1000000, 123456789012]::bigint[]) AS i ORDER BY i$$,
  'an import without one gets exactly what 1.0''s generated column gave, at every edge');
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits WHERE ref IS NULL)
          + (SELECT count(*)::int FROM sched.callbacks WHERE ref IS NULL), 0, 'every booking has its ref');

SELECT * FROM finish();
ROLLBACK;
