-- pgTAP: availability the way calendar tools model it (1.4): agents'
-- weekly hours (sched.agent_hours; without any, sched.business_hours),
-- holidays (sched.holidays), busy times from the agents' own calendars
-- (sched.sync_agent_busy into sched.agent_busy) and the minimum notice
-- (sched.min_notice).  The round robin, a visit naming its agent,
-- rescheduling and available_slots all honour them.  Dates count from the
-- business's today; the notice is tested at fixed local hours.
BEGIN;
SELECT plan(56);
\ir include/clock.sql

SET LOCAL sched.business_hours = '00:00-24:00';
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity)
VALUES ('T290 Mon', '9876529001', 1), ('T290 Any', '9876529002', 1);
SELECT agent_id AS mon FROM sched.agents WHERE name = 'T290 Mon' \gset
SELECT agent_id AS anyone FROM sched.agents WHERE name = 'T290 Any' \gset
-- a Monday at least eight days ahead, and the Tuesday after it
SELECT d AS monday, d + 1 AS tuesday
  FROM (SELECT pg_temp.today() + 8 + ((8 - extract(isodow FROM pg_temp.today() + 8)::int) % 7) AS d) x \gset
SELECT is(extract(isodow FROM :'monday'::date)::int, 1, 'the test''s Monday is a Monday');

CREATE FUNCTION pg_temp.free(d date, s sched.time_slot, project text DEFAULT 'T290 Towers') RETURNS integer
LANGUAGE sql AS $$
  SELECT COALESCE((SELECT free FROM sched.available_slots(project, d, 1) WHERE time_slot = s), -1)
$$;

-- ---------------------------------------------------------------------
-- Weekly hours: Mon works Monday mornings, and Monday afternoons in two
-- touching ranges; no other day.  Any has no hours: business hours.
-- ---------------------------------------------------------------------
INSERT INTO sched.agent_hours (agent_id, weekday, starts, ends)
VALUES (:mon, 1, '08:00', '12:00'), (:mon, 1, '12:00', '13:30'), (:mon, 1, '13:30', '15:00');
SELECT is(pg_temp.free(:'monday', 'morning'), 2, 'Monday morning: both agents');
SELECT is(pg_temp.free(:'monday', 'afternoon'), 2, 'Monday afternoon: touching ranges join and cover it');
SELECT is(pg_temp.free(:'monday', 'evening'), 1, 'Monday evening: only the agent without hours');
SELECT is(pg_temp.free(:'tuesday', 'morning'), 1, 'Tuesday: Mon does not work');
SELECT is((sched.book_site_visit('t290_a', 'T290 Towers', :'tuesday', 'morning', 'A', '9876529101')).agent_id,
  :anyone, 'the round robin gives a Tuesday visit to the agent who works then');
SELECT throws_ok(format($$SELECT sched.book_site_visit('t290_b', 'T290 Towers', %L, 'morning', 'B', '9876529102')$$,
                        :'tuesday'),
  'PT409', NULL, 'Tuesday morning is then full: Mon does not count');
SELECT throws_like(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
                            VALUES ('t290_c', 'T290 Towers', %L, 'evening', 'C', '9876529103', %s)$$, :'monday', :mon),
  '%does not work on%', 'a visit naming an agent outside their hours is refused');
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
                          VALUES ('t290_c', 'T290 Towers', %L, 'evening', 'C', '9876529103', %s)$$, :'monday', :mon),
  'PT409', NULL, 'with PT409');
-- an agent without hours works the business hours
SET LOCAL sched.business_hours = '10:00-18:00';
SELECT is(pg_temp.free(:'monday', 'morning'), 1, 'business hours from 10:00: the agent without hours misses the morning');
SELECT is(pg_temp.free(:'monday', 'evening'), 1, 'and works the evening');
SET LOCAL sched.business_hours = '00:00-24:00';
-- a change of hours reaches the round robin at once (the session's copy is re-read)
UPDATE sched.agent_hours SET weekday = 2 WHERE agent_id = :mon;
SELECT is(pg_temp.free(:'tuesday', 'afternoon'), 2, 'hours moved to Tuesday are seen at once');
SELECT throws_ok(format($$INSERT INTO sched.agent_hours VALUES (%s, 8, '09:00', '12:00')$$, :mon), '23514', NULL,
  'weekday is 1 to 7');
SELECT throws_ok(format($$INSERT INTO sched.agent_hours VALUES (%s, 3, '12:00', '09:00')$$, :mon), '23514', NULL,
  'a range ends after it starts');
SELECT lives_ok(format($$INSERT INTO sched.agent_hours VALUES (%s, 3, '15:00', '24:00')$$, :mon),
  'a range may end at 24:00');
DELETE FROM sched.agent_hours WHERE agent_id = :mon;

-- ---------------------------------------------------------------------
-- Holidays: one project's, then every project's
-- ---------------------------------------------------------------------
INSERT INTO sched.holidays (day, project, name) VALUES (:'monday', 'T290 Towers', 'Site closed');
SELECT is(pg_temp.free(:'monday', 'morning'), -1, 'a holiday''s slots are not offered');
SELECT is(pg_temp.free(:'monday', 'morning', 'T290 Other'), 2, 'another project''s are');
SELECT throws_ok(format($$SELECT sched.book_site_visit('t290_d', 'T290 Towers', %L, 'morning', 'D', '9876529104')$$,
                        :'monday'),
  '22023', :'monday' || ' is a holiday', 'booking on a holiday: 22023');
SELECT visit_id AS moving FROM sched.book_site_visit('t290_e', 'T290 Towers', :'monday'::date + 2, 'morning', 'E', '9876529105') \gset
SELECT throws_ok(format($$SELECT sched.reschedule_visit(%s, %L, 'evening')$$, :moving, :'monday'),
  '22023', :'monday' || ' is a holiday', 'moving onto a holiday: 22023');
INSERT INTO sched.holidays (day, project, name) VALUES (:'monday'::date + 2, NULL, 'Festival');
SELECT is((SELECT status::text FROM sched.scheduled_visits WHERE visit_id = :moving), 'pending',
  'a visit booked before the holiday was added stays');
SELECT is(pg_temp.free(:'monday'::date + 2, 'evening', 'T290 Other'), -1, 'a holiday of every project closes them all');
SELECT throws_ok($$INSERT INTO sched.holidays (day, project, name) VALUES (current_date, NULL, 'One'), (current_date, NULL, 'Two')$$,
  '23505', NULL, 'one holiday of every project a day');
DELETE FROM sched.holidays;

-- ---------------------------------------------------------------------
-- Busy times from the agents' calendars
-- ---------------------------------------------------------------------
SELECT (sched.slot_bounds(:'monday', 'morning')).starts_at AS mstart \gset
SELECT is(sched.sync_agent_busy(:mon, 'google', jsonb_build_array(
            jsonb_build_object('external_id', 'ev1', 'starts_at', :'mstart'::timestamptz + interval '1 hour',
                               'ends_at', :'mstart'::timestamptz + interval '90 minutes'),
            jsonb_build_object('external_id', 'ev2', 'starts_at', :'mstart'::timestamptz + interval '1 day',
                               'ends_at', :'mstart'::timestamptz + interval '1 day 1 hour'))),
  2, 'sync_agent_busy keeps the blocks and says how many');
SELECT is(pg_temp.free(:'monday', 'morning'), 1, 'an agent busy for part of a slot is not offered in it');
SELECT is(pg_temp.free(:'monday', 'afternoon'), 2, 'nor kept from the next one');
SELECT throws_like(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
                            VALUES ('t290_f', 'T290 Towers', %L, 'morning', 'F', '9876529106', %s)$$, :'monday', :mon),
  '%is on leave%', 'a visit naming a busy agent is refused as for leave');
SELECT is(sched.sync_agent_busy(:mon, 'outlook', '[]'), 0, 'another source is its own');
SELECT is((SELECT count(*)::int FROM sched.agent_busy WHERE agent_id = :mon), 2, 'and leaves google''s blocks');
SELECT is(sched.sync_agent_busy(:mon, 'google', jsonb_build_array(
            jsonb_build_object('external_id', 'ev3', 'starts_at', :'mstart'::timestamptz + interval '5 hours',
                               'ends_at', :'mstart'::timestamptz + interval '6 hours'))),
  1, 'a new sync replaces the source''s blocks');
SELECT results_eq(format('SELECT external_id FROM sched.agent_busy WHERE agent_id = %s', :mon), $$VALUES ('ev3')$$,
  'only the new block is left');
SELECT is(pg_temp.free(:'monday', 'morning'), 2, 'the morning is free again');
SELECT is(pg_temp.free(:'monday', 'afternoon'), 1, 'the afternoon is not');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', '{"external_id": "x"}')$$, :mon),
  '22023', 'busy must be a JSON array', 'busy is an array');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', '[{"external_id": "x", "starts_at": "2030-01-02T10:00:00+05:30", "ends_at": "2030-01-01T10:00:00+05:30"}]')$$, :mon),
  '22023', 'busy block 1 is not a busy time', 'a block ends after it starts');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', '[{"starts_at": "2030-01-01T10:00:00Z", "ends_at": "2030-01-02T10:00:00Z"}]')$$, :mon),
  '22023', 'busy block 1 is not a busy time', 'a block has an external_id');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', '[{"external_id": "x", "starts_at": "2030-01-01T10:00:00Z", "ends_at": "2030-01-02T10:00:00Z"}, {"external_id": "x", "starts_at": "2030-01-03T10:00:00Z", "ends_at": "2030-01-04T10:00:00Z"}]')$$, :mon),
  '22023', 'busy has external_id "x" more than once', 'external_ids are unique in a sync');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', '[{"external_id": "x", "starts_at": "soon", "ends_at": "2030-01-02T10:00:00Z"}]')$$, :mon),
  '22023', 'busy block 1 is not a busy time', 'a time that is no timestamp: 22023, never read');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', '[{"external_id": "x", "starts_at": "2030-01-01", "ends_at": "2030-01-02"}]')$$, :mon),
  '22023', 'busy block 1 is not a busy time', 'a date without a time and offset is not taken (the session''s TimeZone would decide it)');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', '[{"external_id": "x", "starts_at": "-infinity", "ends_at": "2030-01-02T10:00:00Z"}]')$$, :mon),
  '22023', 'busy block 1 is not a busy time', 'nor infinity');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', '[{"external_id": "x", "starts_at": "2030-02-30T10:00:00+05:30", "ends_at": "2030-03-02T10:00:00Z"}]')$$, :mon),
  '22008', NULL, 'a time that is none (30 February): 22008');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', (SELECT jsonb_agg(jsonb_build_object('external_id', i::text, 'starts_at', '2030-01-01T10:00:00Z', 'ends_at', '2030-01-02T10:00:00Z')) FROM generate_series(1, 2001) i))$$, :mon),
  '22023', 'busy has more than 2000 blocks', 'at most 2000 blocks a sync');
SELECT throws_ok($$SELECT sched.sync_agent_busy(999999, 'google', '[]')$$, 'PT404', 'agent 999999 does not exist',
  'an unknown agent: PT404');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, NULL, '[]')$$, :mon), '22004', NULL, 'source is required');
SELECT is((SELECT count(*)::int FROM sched.agent_busy WHERE agent_id = :mon), 1, 'a refused sync writes nothing');
SELECT sched.sync_agent_busy(:mon, 'google', '[]') AS cleared \gset

-- ---------------------------------------------------------------------
-- The minimum notice, at 10:00 local: the afternoon (12:00) starts in two
-- hours less the minutes past ten, the evening (15:00) in five
-- ---------------------------------------------------------------------
SELECT set_config('sched.timezone', pg_temp.zone_at(10), true) AS zone \gset
SELECT throws_ok(format($$SELECT sched.book_site_visit('t290_g', 'T290 Towers', %L, 'afternoon', 'G', '9876529107')$$,
                        pg_temp.today()),
  '22023', 'the afternoon slot of ' || pg_temp.today() || ' starts too soon', 'a slot within the notice is refused');
SELECT results_eq($$SELECT time_slot::text FROM sched.available_slots('T290 Towers', pg_temp.today(), 1)$$,
  $$VALUES ('evening')$$, 'and not offered');
SELECT is((sched.book_site_visit('t290_g', 'T290 Towers', pg_temp.today(), 'evening', 'G', '9876529107')).visit_date,
  pg_temp.today(), 'the evening, five hours ahead, can be booked');
SELECT visit_id AS later FROM sched.book_site_visit('t290_h', 'T290 Towers', pg_temp.today() + 3, 'morning', 'H', '9876529108') \gset
SELECT throws_ok(format($$SELECT sched.reschedule_visit(%s, %L, 'afternoon')$$, :later, pg_temp.today()),
  '22023', 'the afternoon slot of ' || pg_temp.today() || ' starts too soon', 'nor can a visit be moved into it');
SET LOCAL sched.min_notice = '6 hours';
SELECT is((SELECT count(*)::int FROM sched.available_slots('T290 Towers', pg_temp.today(), 1)), 0,
  'with six hours'' notice nothing is left today');
SET LOCAL sched.min_notice = 0;
SELECT results_eq($$SELECT time_slot::text FROM sched.available_slots('T290 Towers', pg_temp.today(), 1)$$,
  $$VALUES ('morning'), ('afternoon'), ('evening')$$,
  'with none, every slot not over is back, the morning under way too');
SELECT throws_ok($$SET LOCAL sched.min_notice = '2 fortnights'$$, '22023', NULL, 'a notice that is not a duration');

-- more bad input to sync_agent_busy, none of it written
SELECT throws_ok($$SELECT sched.sync_agent_busy(NULL, 'google', '[]')$$, '22004', NULL, 'agent_id is required');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', NULL)$$, :mon), '22004', NULL, 'busy is required');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, repeat('s', 101), '[]')$$, :mon), '22023', NULL, 'a source over 100 characters');
SELECT throws_ok(format($$SELECT sched.sync_agent_busy(%s, 'google', jsonb_build_array(jsonb_build_object('external_id', repeat('e', 501), 'starts_at', '2030-01-01T10:00:00Z', 'ends_at', '2030-01-01T11:00:00Z')))$$, :mon),
  '22023', 'busy block 1 is not a busy time', 'an external_id over 500 characters');
SELECT is((SELECT count(*)::int FROM sched.agent_busy), 0, 'no busy block was written by them');

SELECT * FROM finish();
ROLLBACK;
