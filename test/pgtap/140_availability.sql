-- pgTAP: availability (1.1).  Who takes a project's visits
-- (sched.project_agents), leave (sched.agent_time_off), the daily cap
-- (agents.daily_visit_cap) and sched.available_slots, which must list
-- exactly what booking accepts.
BEGIN;
SELECT plan(56);

-- Only this file's agents take visits; the others are set aside (the
-- transaction rolls back).
UPDATE sched.agents SET active = false;
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't140\_%';
INSERT INTO sched.agents (name, phone, slot_capacity, daily_visit_cap) VALUES
  ('T140 A', '9876500141', 2, 3),
  ('T140 B', '9876500142', 1, NULL),
  ('T140 C', '9876500143', 1, NULL);
SELECT agent_id AS a FROM sched.agents WHERE name = 'T140 A' \gset
SELECT agent_id AS b FROM sched.agents WHERE name = 'T140 B' \gset
SELECT agent_id AS c FROM sched.agents WHERE name = 'T140 C' \gset

CREATE FUNCTION pg_temp.book(p text, d date, s sched.time_slot) RETURNS integer LANGUAGE sql AS $$
  SELECT agent_id FROM sched.book_site_visit('t140_user', p, d, s, 'Avail Customer', '9876543140')
$$;
CREATE FUNCTION pg_temp.free(p text, d date, s sched.time_slot) RETURNS integer LANGUAGE sql AS $$
  SELECT free FROM sched.available_slots(p, d, 1) WHERE time_slot = s
$$;
-- Book a slot until booking refuses it (PT409); how many went in.
CREATE FUNCTION pg_temp.fill(p text, d date, s sched.time_slot) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  n integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM sched.book_site_visit('t140_fill', p, d, s, 'Fill Customer', '9876543141');
      n := n + 1;
    EXCEPTION WHEN SQLSTATE 'PT409' THEN
      RETURN n;
    END;
    IF n > 100 THEN
      RAISE EXCEPTION 'booking never refused %', s;
    END IF;
  END LOOP;
END
$$;
-- Every slot from d for days days: what available_slots said just before
-- it was filled, and what filling it took; rows only where they differ.
CREATE FUNCTION pg_temp.mismatches(p text, d date, days integer)
RETURNS TABLE (visit_date date, time_slot sched.time_slot, listed integer, booked integer)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  before integer;
  got integer;
BEGIN
  FOR r IN SELECT s.visit_date, s.time_slot FROM sched.available_slots(p, d, days) s ORDER BY s.starts_at LOOP
    before := pg_temp.free(p, r.visit_date, r.time_slot);
    got := pg_temp.fill(p, r.visit_date, r.time_slot);
    IF got IS DISTINCT FROM before THEN
      visit_date := r.visit_date; time_slot := r.time_slot; listed := before; booked := got;
      RETURN NEXT;
    END IF;
  END LOOP;
END
$$;

-- ---------------------------------------------------------------------
-- The call
-- ---------------------------------------------------------------------
SELECT has_function('sched', 'available_slots', ARRAY['text', 'date', 'integer'],
  'available_slots(text, date, integer) exists');
SELECT is((SELECT pg_get_function_arguments('sched.available_slots(text,date,integer)'::regprocedure)),
  'project text, date_from date DEFAULT NULL::date, days integer DEFAULT 7',
  'its arguments are project, date_from (default NULL: the business''s today) and days (default 7)');
SELECT is((SELECT pg_get_function_result('sched.available_slots(text,date,integer)'::regprocedure)),
  'TABLE(visit_date date, time_slot sched.time_slot, starts_at timestamp with time zone, ends_at timestamp with time zone, free integer)',
  'it returns visit_date, time_slot, starts_at, ends_at and free');
SELECT is(obj_description('sched.agent_time_off'::regclass, 'pg_class') IS NOT NULL
          AND obj_description('sched.project_agents'::regclass, 'pg_class') IS NOT NULL
          AND col_description('sched.agents'::regclass,
                              (SELECT attnum FROM pg_attribute WHERE attrelid = 'sched.agents'::regclass
                                 AND attname = 'daily_visit_cap')) IS NOT NULL,
  true, 'the new tables and column carry comments');

-- ---------------------------------------------------------------------
-- Counting: every agent, capacity and daily cap
-- ---------------------------------------------------------------------
SELECT results_eq(
  $$SELECT time_slot::text, free, (starts_at, ends_at) = (SELECT b.starts_at, b.ends_at FROM sched.slot_bounds(current_date + 2, time_slot) b)
      FROM sched.available_slots('T140 Towers', current_date + 2, 1) ORDER BY starts_at$$,
  $$VALUES ('morning', 4, true), ('afternoon', 4, true), ('evening', 4, true)$$,
  'an empty day: each slot takes A''s 2 places and B''s and C''s 1, at the times slot_bounds gives');
SELECT is((SELECT count(*)::int FROM sched.available_slots('T140 Towers', current_date + 2)), 21,
  'the default is 7 days of 3 slots');

SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT results_eq(
  $$SELECT pg_temp.book('T140 Towers', current_date + 2, 'morning') FROM generate_series(1, 4)$$,
  format('VALUES (%s), (%s), (%s), (%s)', :a, :b, :c, :a),
  'four bookings of one slot go A, B, C, then A''s second place');
SELECT results_eq(
  $$SELECT time_slot::text, free FROM sched.available_slots('T140 Towers', current_date + 2, 1) ORDER BY starts_at$$,
  $$VALUES ('morning', 0), ('afternoon', 3), ('evening', 3)$$,
  'the morning is full; A''s daily cap of 3 leaves A one more place that day, counted in each slot');
SELECT throws_ok($$SELECT pg_temp.book('T140 Towers', current_date + 2, 'morning')$$,
  'PT409', NULL, 'booking the full slot is refused (PT409)');
SELECT is(pg_temp.book('T140 Towers', current_date + 2, 'afternoon') IS NOT NULL, true,
  'the afternoon takes a booking');

-- ---------------------------------------------------------------------
-- The daily cap
-- ---------------------------------------------------------------------
UPDATE sched.agents SET daily_visit_cap = 2 WHERE agent_id = :a;
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
                          VALUES ('t140_user', 'T140 Towers', current_date + 2, 'evening', 'Avail Customer', '9876543140', %s)$$, :a),
  'PT409', format('agent %s has no room on %s', :a, current_date + 2),
  'a visit naming an agent at their daily cap is refused, even by a DBA (PT409)');
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits
            WHERE agent_id = :a AND visit_date = current_date + 2 AND status IN ('pending', 'confirmed')), 2,
  'A has the 2 visits the lowered cap allows (a lowered cap keeps what is booked)');
UPDATE sched.agents SET daily_visit_cap = NULL WHERE agent_id = :a;
SELECT is(pg_temp.free('T140 Towers', current_date + 2, 'evening'), 4,
  'without a daily cap, A has both evening places again');
SELECT is_empty($$SELECT * FROM pg_temp.mismatches('T140 Towers', current_date + 2, 1)$$,
  'filling each slot of the day takes exactly the places available_slots listed');
SELECT is((SELECT sum(free)::int FROM sched.available_slots('T140 Towers', current_date + 2, 1)), 0,
  'and then every slot of that day lists 0');

UPDATE sched.agents SET daily_visit_cap = 3 WHERE agent_id = :a;
UPDATE sched.agents SET daily_visit_cap = 1 WHERE agent_id = :b;
UPDATE sched.agents SET daily_visit_cap = 0 WHERE agent_id = :c;
SELECT results_eq(
  $$SELECT time_slot::text, free FROM sched.available_slots('T140 Towers', current_date + 3, 1) ORDER BY starts_at$$,
  $$VALUES ('morning', 3), ('afternoon', 3), ('evening', 3)$$,
  'a daily cap of 0 takes no visits; of 1, one place in each slot of a free day (A: 2, B: 1)');
SELECT is(pg_temp.fill('T140 Towers', current_date + 3, 'morning'), 3, 'the morning takes 3');
SELECT results_eq(
  $$SELECT time_slot::text, free FROM sched.available_slots('T140 Towers', current_date + 3, 1) ORDER BY starts_at$$,
  $$VALUES ('morning', 0), ('afternoon', 1), ('evening', 1)$$,
  'then B''s day is full and A has one place left that day (cap 3)');
SELECT is_empty($$SELECT * FROM pg_temp.mismatches('T140 Towers', current_date + 3, 1)$$,
  'and booking agrees with the list slot by slot');
SELECT is((SELECT (sched.cancel_visit(visit_id)).status::text FROM sched.scheduled_visits
            WHERE agent_id = :b AND visit_date = current_date + 3 AND status = 'pending'), 'cancelled',
  'cancelling B''s visit of that day');
SELECT is(pg_temp.free('T140 Towers', current_date + 3, 'evening'), 1,
  'frees B''s day for one visit in any slot');
UPDATE sched.agents SET daily_visit_cap = NULL WHERE agent_id IN (:a, :b, :c);

-- ---------------------------------------------------------------------
-- Project lists
-- ---------------------------------------------------------------------
INSERT INTO sched.project_agents (project, agent_id) VALUES ('T140 Lakeside', :b), ('T140 Lakeside', :c);
SELECT is(pg_temp.free('T140 Lakeside', current_date + 4, 'morning'), 2,
  'a project with a list counts only its agents');
SELECT is(pg_temp.free('T140 Towers', current_date + 4, 'morning'), 4,
  'a project without one counts every visit-taking agent');
SELECT is(pg_temp.free('t140 lakeside', current_date + 4, 'morning'), 4,
  'projects are matched exactly (another spelling has no list)');
SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT results_eq(
  $$SELECT pg_temp.book('T140 Lakeside', current_date + 4, 'morning') FROM generate_series(1, 2)$$,
  format('VALUES (%s), (%s)', :b, :c),
  'the round robin gives the project''s visits to its agents only');
SELECT throws_ok($$SELECT pg_temp.book('T140 Lakeside', current_date + 4, 'morning')$$,
  'PT409', NULL, 'and refuses when they are full, though A has room');
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
                          VALUES ('t140_user', 'T140 Lakeside', current_date + 5, 'morning', 'Avail Customer', '9876543140', %s)$$, :a),
  '22023', format('agent_id %s does not take site visits to T140 Lakeside', :a),
  'a visit naming an agent the project does not list is refused (22023)');
SELECT visit_id AS moving FROM sched.book_site_visit('t140_move', 'T140 Towers', current_date + 5, 'evening',
  'Move Customer', '9876543143') \gset
SELECT throws_ok(format($$UPDATE sched.scheduled_visits SET project = 'T140 Lakeside', agent_id = %s WHERE visit_id = %s$$, :a, :moving),
  '22023', format('agent_id %s does not take site visits to T140 Lakeside', :a),
  'moving a visit to a project whose list leaves its agent out is refused too');
UPDATE sched.agents SET active = false WHERE agent_id IN (:b, :c);
SELECT throws_ok($$SELECT pg_temp.book('T140 Lakeside', current_date + 5, 'morning')$$,
  'PT409', 'no agent takes site visits to T140 Lakeside',
  'a project whose listed agents are all retired takes no visits (PT409)');
SELECT is((SELECT count(*)::int FROM sched.available_slots('T140 Lakeside', current_date + 5, 1) WHERE free > 0), 0,
  'and lists every slot as full');
UPDATE sched.agents SET active = true WHERE agent_id IN (:b, :c);

-- ---------------------------------------------------------------------
-- Leave
-- ---------------------------------------------------------------------
INSERT INTO sched.agent_time_off (agent_id, starts_at, ends_at, reason)
SELECT :b, starts_at, ends_at, 'doctor' FROM sched.slot_bounds(current_date + 6, 'afternoon');
SELECT results_eq(
  $$SELECT time_slot::text, free FROM sched.available_slots('T140 Lakeside', current_date + 6, 1) ORDER BY starts_at$$,
  $$VALUES ('morning', 2), ('afternoon', 1), ('evening', 2)$$,
  'leave covering exactly the afternoon takes B out of it, and out of no other slot (the ends touch)');
SELECT setval('sched.visit_turn', 1, false) IS NOT NULL AS reset \gset
SELECT results_eq(
  $$SELECT pg_temp.book('T140 Lakeside', current_date + 6, 'afternoon') FROM generate_series(1, 1)$$,
  format('VALUES (%s)', :c),
  'the round robin skips the agent on leave: B''s turn goes to C');
SELECT throws_ok($$SELECT pg_temp.book('T140 Lakeside', current_date + 6, 'afternoon')$$,
  'PT409', NULL, 'with C full and B away the afternoon is refused');
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
                          VALUES ('t140_user', 'T140 Lakeside', current_date + 6, 'afternoon', 'Avail Customer', '9876543140', %s)$$, :b),
  'PT409', format('agent %s is on leave on %s in the afternoon slot', :b, current_date + 6),
  'a visit naming an agent on leave is refused, even by a DBA (PT409)');
INSERT INTO sched.agent_time_off (agent_id, starts_at, ends_at, reason)
SELECT :c, starts_at + interval '1 hour', starts_at + interval '90 minutes', 'meeting'
  FROM sched.slot_bounds(current_date + 7, 'evening');
SELECT is(pg_temp.free('T140 Lakeside', current_date + 7, 'evening'), 1,
  'leave of half an hour inside a slot takes the agent out of the whole slot');
SELECT is_empty($$SELECT * FROM pg_temp.mismatches('T140 Lakeside', current_date + 6, 2)$$,
  'with leave, booking still agrees with the list slot by slot');

-- reschedule keeps the agent only when they are free
SELECT visit_id AS kv, agent_id AS ka FROM sched.book_site_visit('t140_keep', 'T140 Towers', current_date + 8, 'morning',
  'Keep Customer', '9876543142') \gset
INSERT INTO sched.agent_time_off (agent_id, starts_at, ends_at)
SELECT :ka, starts_at, ends_at FROM sched.slot_bounds(current_date + 9, 'morning');
SELECT isnt((sched.reschedule_visit(:kv, current_date + 9, 'morning')).agent_id, :ka,
  'a visit moved into its agent''s leave goes to another agent');
SELECT is((sched.reschedule_visit(:kv, current_date + 10, 'morning')).agent_id IS NOT NULL, true,
  'and can move on again');
SELECT is(pg_temp.free('T140 Towers', current_date + 9, 'morning'),
  4 - (SELECT slot_capacity FROM sched.agents WHERE agent_id = :ka),
  'the agent on leave is not counted in that slot');
DELETE FROM sched.agent_time_off WHERE agent_id = :ka;
SELECT is(pg_temp.free('T140 Towers', current_date + 9, 'morning'), 4,
  'deleting the leave gives the agent back at once (the session''s copy is refreshed)');

-- ---------------------------------------------------------------------
-- The window, slots that are over, and bad input
-- ---------------------------------------------------------------------
\ir include/clock.sql
SELECT is((SELECT count(DISTINCT visit_date)::int FROM sched.available_slots('T140 Towers', pg_temp.today() + 89, 7)), 2,
  'dates past sched.max_days_ahead are not listed (booking refuses them)');
-- at 06:00 local no slot of today is over: the list starts today
SELECT set_config('sched.timezone', pg_temp.zone_at(6), true) AS zone \gset
SELECT is((SELECT min(visit_date) FROM sched.available_slots('T140 Towers', pg_temp.today() - 3, 5)), pg_temp.today(),
  'dates before today are not listed');
-- at 13:00 local the morning (09-12) is over, the afternoon is not
-- (without a minimum notice: 290_availability_rules.sql tests it)
SET LOCAL sched.min_notice = 0;
SELECT set_config('sched.timezone', pg_temp.zone_at(13), true) AS zone \gset
SELECT results_eq($$SELECT time_slot::text FROM sched.available_slots('T140 Towers', pg_temp.today(), 1) ORDER BY starts_at$$,
  $$VALUES ('afternoon'), ('evening')$$,
  'a slot that is over is not listed (today''s morning at 13:00 local)');
-- the same list for a session far east and one far west of the business
RESET sched.timezone;
SET LOCAL TimeZone = 'Etc/GMT-14';
CREATE TEMP TABLE east_slots AS
SELECT * FROM sched.available_slots('T140 Towers', pg_temp.today() - 1, 4);
SET LOCAL TimeZone = 'Etc/GMT+12';
SELECT results_eq($$SELECT * FROM sched.available_slots('T140 Towers', pg_temp.today() - 1, 4)$$,
  $$SELECT * FROM east_slots$$,
  'sessions in UTC+14 and UTC-12 get the same slots: days count from the business''s today');
SELECT ok((SELECT min(visit_date) >= pg_temp.today() AND max(visit_date) = pg_temp.today() + 2 FROM east_slots),
  'from today (yesterday is never listed) to the end of the days asked for');
RESET TimeZone;
SELECT throws_ok($$SELECT * FROM sched.available_slots(NULL)$$, '22004', 'project must not be null',
  'project is required (22004)');
SELECT throws_ok($$SELECT * FROM sched.available_slots('  ')$$, '22023', 'project must not be empty',
  'a blank project is refused (22023)');
SELECT throws_ok($$SELECT * FROM sched.available_slots('T140 Towers', current_date, 0)$$, '22023',
  'days must be between 1 and 366', 'days must be at least 1 (22023)');
SELECT throws_ok($$SELECT * FROM sched.available_slots('T140 Towers', current_date, 367)$$, '22023',
  'days must be between 1 and 366', 'and at most 366 (22023)');
SELECT throws_ok($$SELECT * FROM sched.available_slots('T140 Towers', current_date, NULL)$$, '22004',
  'days must not be null', 'days is required (22004)');
SELECT throws_ok(format('SELECT * FROM sched.available_slots(%L)', repeat('x', 201)), '22023',
  'project is too long', 'a project over 200 characters is refused (22023)');
-- left out or NULL, date_from is the business's today (1.3), not the
-- session's date: a session a day or two ahead of the business gets the
-- list from the business's today
SET LOCAL sched.timezone = 'Etc/GMT+12';
SET LOCAL TimeZone = 'Etc/GMT-14';
SELECT ok(current_date > pg_temp.today(), 'this session''s date is after the business''s today');
SELECT results_eq($$SELECT * FROM sched.available_slots('T140 Towers')$$,
  $$SELECT * FROM sched.available_slots('T140 Towers', pg_temp.today(), 7)$$,
  'date_from left out is the business''s today, not the session''s date (UTC+14 session, UTC-12 business)');
SELECT results_eq($$SELECT * FROM sched.available_slots('T140 Towers', NULL, 3)$$,
  $$SELECT * FROM sched.available_slots('T140 Towers', pg_temp.today(), 3)$$,
  'and so is a NULL date_from');
SET LOCAL sched.timezone = 'Etc/GMT-14';
SET LOCAL TimeZone = 'Etc/GMT+12';
SELECT results_eq($$SELECT * FROM sched.available_slots('T140 Towers', days => 3)$$,
  $$SELECT * FROM sched.available_slots('T140 Towers', pg_temp.today(), 3)$$,
  'the same for a session behind the business (UTC-12 session, UTC+14 business)');
RESET sched.timezone;
RESET TimeZone;

CREATE ROLE t140_web_user;
SELECT sched.grant_user_calls('t140_web_user') IS NULL AS granted \gset
SELECT ok(has_function_privilege('t140_web_user', 'sched.available_slots(text,date,integer)', 'EXECUTE')
          AND NOT has_table_privilege('t140_web_user', 'sched.agent_time_off', 'SELECT'),
  'grant_user_calls lets the app''s role see the free slots, but not the agents'' leave');

SELECT * FROM finish();
ROLLBACK;
