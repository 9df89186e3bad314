-- pgTAP: reminders (1.1).  A visit's reminders are outbox jobs due 24
-- hours (sms, and email when given) and 1 hour (sms) before its slot
-- starts in sched.timezone; a reminder whose time has passed at booking is
-- not queued.  Cancelling (cancel_visit or set_visit_status), a no-show
-- or completion cancels the reminders not yet sent, in the same
-- transaction; moving the visit to another date or slot moves them.
BEGIN;
SELECT plan(45);
-- the reminders are written with the booking here (the horizon's own rule: 115_reminder_horizon.sql)
SET LOCAL sched.reminder_horizon = '30 days';

SET TimeZone = 'Asia/Kolkata';
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T110 Agent', '9876500110', 10);
SELECT agent_id AS a FROM sched.agents WHERE name = 'T110 Agent' \gset

CREATE FUNCTION pg_temp.reminders(id bigint) RETURNS TABLE (template text, channel text, run_at timestamptz, state text)
LANGUAGE sql AS $$
  SELECT o.template, o.channel::text, o.run_at, o.state::text FROM sched.outbox o
   WHERE o.entity = 'visit' AND o.entity_id = id AND o.template LIKE 'visit\_reminder\_%' ORDER BY o.job_id
$$;

SELECT has_function('sched', 'slot_bounds', ARRAY['date', 'sched.time_slot'], 'slot_bounds exists');
SELECT has_function('sched', 'cancel_visit', ARRAY['bigint', 'text'], 'cancel_visit exists');

-- ---------------------------------------------------------------------
-- slot times, in sched.timezone, across a DST change
-- ---------------------------------------------------------------------
SELECT results_eq($$SELECT * FROM sched.slot_bounds('2026-01-17', 'morning')$$,
  $$VALUES ('2026-01-17 09:00+05:30'::timestamptz, '2026-01-17 12:00+05:30'::timestamptz)$$,
  'the morning slot is 09:00-12:00 in Asia/Kolkata (the default zone)');
SELECT results_eq($$SELECT * FROM sched.slot_bounds('2026-01-17', 'evening')$$,
  $$VALUES ('2026-01-17 15:00+05:30'::timestamptz, '2026-01-17 18:00+05:30'::timestamptz)$$,
  'the evening slot is 15:00-18:00');
SET sched.timezone = 'Europe/London';
SELECT is((SELECT starts_at FROM sched.slot_bounds('2026-03-28', 'morning')), '2026-03-28 09:00+00'::timestamptz,
  'London, the day before summer time: 09:00 GMT');
SELECT is((SELECT starts_at FROM sched.slot_bounds('2026-03-29', 'morning')), '2026-03-29 09:00+01'::timestamptz,
  'London, the first day of summer time: 09:00 BST');
SELECT is((SELECT starts_at FROM sched.slot_bounds('2026-03-29', 'morning')) -
          (SELECT starts_at FROM sched.slot_bounds('2026-03-28', 'morning')), interval '23 hours',
  'so the two mornings are 23 hours apart');
SELECT is((SELECT ends_at FROM sched.slot_bounds('2026-10-25', 'evening')), '2026-10-25 18:00+00'::timestamptz,
  'London, the day summer time ends: 18:00 GMT');
SELECT throws_ok($$SET sched.timezone = 'Mars/Olympus'$$, '22023', NULL, 'an unknown zone is refused');
RESET sched.timezone;
SELECT throws_ok($$SELECT sched.slot_bounds('infinity', 'morning')$$, '22023', NULL, 'infinity has no slot times');

-- ---------------------------------------------------------------------
-- a booking queues its reminders
-- ---------------------------------------------------------------------
SELECT visit_id AS v, (sched.slot_bounds(visit_date, time_slot)).starts_at AS starts
  FROM sched.book_site_visit('t110_u', 'Brigade Citrine', current_date + 5, 'afternoon',
                             'Reminded Customer', '9876543110', 'r@example.com') \gset
SELECT results_eq(format('SELECT template, channel, run_at, state FROM pg_temp.reminders(%s)', :v),
  format($$VALUES ('visit_reminder_24h', 'sms', %1$L::timestamptz - interval '24 hours', 'pending'),
                  ('visit_reminder_24h', 'email', %1$L::timestamptz - interval '24 hours', 'pending'),
                  ('visit_reminder_1h', 'sms', %1$L::timestamptz - interval '1 hour', 'pending')$$, :'starts'),
  'a visit five days ahead gets sms and email reminders 24 hours before and an sms 1 hour before its slot');
SELECT is((SELECT recipient FROM sched.outbox WHERE entity_id = :v AND template = 'visit_reminder_1h'), '+919876543110',
  'the reminder goes to the customer''s phone');
SELECT is((SELECT payload->>'agent_name' FROM sched.outbox WHERE entity_id = :v AND template = 'visit_reminder_1h'), 'T110 Agent',
  'and carries what the message needs, the agent included');

SELECT visit_id AS v2 FROM sched.book_site_visit('t110_u2', 'Brigade Citrine', current_date + 5, 'evening',
  'No Email', '9876543111') \gset
SELECT is((SELECT count(*)::int FROM pg_temp.reminders(:v2) WHERE channel = 'email'), 0,
  'no email reminder without an email address');

-- Booked for the next slot that is not over (it starts within 15 hours,
-- or has started): the 24-hour reminder's time has passed, so it is not
-- queued (the booking confirmation says the same).
SELECT visit_date AS d3, time_slot AS s3 FROM sched.available_slots('Brigade Citrine', current_date, 2)
 ORDER BY starts_at LIMIT 1 \gset
SELECT visit_id AS v3 FROM sched.book_site_visit('t110_u3', 'Brigade Citrine', :'d3', :'s3',
  'Same Day', '9876543112') \gset
SELECT is((SELECT count(*)::int FROM pg_temp.reminders(:v3) WHERE template = 'visit_reminder_24h'), 0,
  'a visit booked inside the 24-hour window gets no 24-hour reminder');
SELECT is((SELECT count(*)::int FROM pg_temp.reminders(:v3) WHERE template = 'visit_reminder_1h'),
          CASE WHEN now() < (sched.slot_bounds(:'d3', :'s3')).starts_at - interval '1 hour' THEN 1 ELSE 0 END,
  'and a 1-hour reminder exactly when that time is still ahead');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity_id = :v3 AND template = 'visit_booked'), 1,
  'the booking confirmation is sent at once');

-- ---------------------------------------------------------------------
-- moving a visit (reschedule_visit, or a DBA's UPDATE) moves its reminders
-- ---------------------------------------------------------------------
SELECT results_eq(format($$SELECT visit_date, time_slot::text, agent_id FROM sched.reschedule_visit(%s, current_date + 6, 'morning')$$, :v),
  format($$VALUES (current_date + 6, 'morning', %s)$$, :a),
  'reschedule_visit moves the visit and keeps its agent, who has room');
SELECT is((SELECT count(*)::int FROM pg_temp.reminders(:v) WHERE state = 'cancelled'), 3,
  'a new date cancels the old reminders');
SELECT is((SELECT array_agg(run_at ORDER BY run_at) FROM pg_temp.reminders(:v) WHERE state = 'pending'),
  ARRAY[(sched.slot_bounds(current_date + 6, 'morning')).starts_at - interval '24 hours',
        (sched.slot_bounds(current_date + 6, 'morning')).starts_at - interval '24 hours',
        (sched.slot_bounds(current_date + 6, 'morning')).starts_at - interval '1 hour'],
  'and queues new ones for the new slot');
SELECT results_eq(format($$SELECT from_status, to_status, note FROM sched.status_history WHERE entity = 'visit' AND entity_id = %s ORDER BY history_id$$, :v),
  format($$VALUES (NULL, 'pending', NULL), ('pending', 'pending', 'moved from %s afternoon to %s morning')$$,
         current_date + 5, current_date + 6),
  'the history records the move, its status unchanged');
SELECT results_eq(format($$SELECT channel::text FROM sched.outbox WHERE entity_id = %s AND template = 'visit_rescheduled' ORDER BY job_id$$, :v),
  $$VALUES ('sms'), ('email'), ('agent')$$, 'the customer and the agent are told of the new slot');
-- ---------------------------------------------------------------------
-- the customer's cancel
-- ---------------------------------------------------------------------
SELECT results_eq(format('SELECT status::text, cancelled_at = now() FROM sched.cancel_visit(%s, %L)', :v, 'travelling'),
  $$VALUES ('cancelled', true)$$, 'cancel_visit cancels a pending visit');
SELECT is((SELECT count(*)::int FROM pg_temp.reminders(:v) WHERE state IN ('pending', 'claimed')), 0,
  'no reminder of a cancelled visit can be sent: all are cancelled');
SELECT is((SELECT note FROM sched.status_history WHERE entity = 'visit' AND entity_id = :v AND to_status = 'cancelled'),
  'by customer: travelling', 'the history records a customer''s cancel and its reason');
SELECT results_eq(format($$SELECT channel::text, template FROM sched.outbox WHERE entity_id = %s AND template = 'visit_cancelled' ORDER BY job_id$$, :v),
  $$VALUES ('sms', 'visit_cancelled'), ('email', 'visit_cancelled'), ('agent', 'visit_cancelled')$$,
  'and the customer and agent are told');
SELECT throws_ok(format('SELECT sched.cancel_visit(%s)', :v), 'PT409', NULL, 'a cancelled visit cannot be cancelled again (409)');
SELECT throws_ok('SELECT sched.cancel_visit(-5)', 'PT404', NULL, 'an unknown visit is 404');
SELECT throws_ok('SELECT sched.cancel_visit(NULL)', '22004', NULL, 'visit_id is required');
SELECT throws_ok(format('SELECT sched.cancel_visit(%s, %L)', :v2, repeat('x', 501)), '22023', NULL,
  'an over-long reason is refused');
SELECT is((SELECT status::text FROM sched.scheduled_visits WHERE visit_id = :v2), 'pending', 'and the refused cancel changed nothing');

-- The freed place can be booked again: the agent holds one place only.
UPDATE sched.agents SET slot_capacity = 1 WHERE agent_id = :a;
SELECT lives_ok(format($$SELECT sched.book_site_visit('t110_u4', 'Brigade Citrine', current_date + 6, 'morning', 'Next', '9876543113')$$),
  'the cancelled visit''s place is free again');

-- The team's cancel and a confirmed visit's completion cancel reminders too.
SELECT lives_ok(format($$SELECT sched.set_visit_status(%s, 'cancelled')$$, :v2), 'the team cancels another visit');
SELECT is((SELECT count(*)::int FROM pg_temp.reminders(:v2) WHERE state = 'pending'), 0, 'its reminders are cancelled as well');
SELECT is((SELECT note FROM sched.status_history WHERE entity = 'visit' AND entity_id = :v2 AND to_status = 'cancelled'),
  NULL, 'a team cancel is not marked as the customer''s');

-- ---------------------------------------------------------------------
-- reschedule_visit: another agent when the customer's has no room
-- ---------------------------------------------------------------------
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T110 Other', '9876500111', 10);
SELECT agent_id AS b FROM sched.agents WHERE name = 'T110 Other' \gset
SELECT visit_id AS v5, agent_id AS v5_agent FROM sched.book_site_visit('t110_u5', 'Brigade Citrine', current_date + 7, 'morning',
  'Mover', '9876543115') \gset
SELECT visit_id AS blocker FROM sched.book_site_visit('t110_u6', 'Brigade Citrine', current_date + 8, 'evening',
  'Blocker', '9876543116') \gset
UPDATE sched.agents SET slot_capacity = 1;
UPDATE sched.scheduled_visits SET agent_id = :v5_agent WHERE visit_id = :blocker;
SELECT isnt((SELECT agent_id FROM sched.reschedule_visit(:v5, current_date + 8, 'evening')), :v5_agent,
  'when the customer''s agent is full in the new slot, another agent takes the visit');
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits WHERE visit_date = current_date + 8 AND time_slot = 'evening'
            AND status IN ('pending', 'confirmed') GROUP BY agent_id ORDER BY 1 DESC LIMIT 1), 1,
  'and no agent holds more than their one place');
UPDATE sched.agents SET slot_capacity = 0;
SELECT throws_ok(format($$SELECT sched.reschedule_visit(%s, current_date + 9, 'morning')$$, :v5), 'PT409', NULL,
  'when nobody has room the reschedule fails (409)');
SELECT is((SELECT visit_date FROM sched.scheduled_visits WHERE visit_id = :v5), current_date + 8, 'and the visit stays where it was');
UPDATE sched.agents SET slot_capacity = 10;
SELECT throws_ok(format($$SELECT sched.reschedule_visit(%s, current_date - 1, 'morning')$$, :v5), '22023', NULL,
  'a date in the past is refused');
SELECT throws_ok(format($$SELECT sched.reschedule_visit(%s, current_date + 9, 'morning')$$, :v), 'PT409', NULL,
  'a cancelled visit cannot be rescheduled');
SELECT throws_ok($$SELECT sched.reschedule_visit(-1, current_date + 9, 'morning')$$, 'PT404', NULL, 'an unknown visit is 404');
SELECT throws_ok($$SELECT sched.reschedule_visit(1, NULL, 'morning')$$, '22004', NULL, 'visit_date is required');
SELECT throws_ok('SELECT sched.visit_ics(NULL)', '22004', NULL, 'visit_ics: visit_id is required');
SELECT throws_ok('SELECT sched.visit_ics(-1)', 'PT404', NULL, 'visit_ics: an unknown visit is 404');

SELECT * FROM finish();
ROLLBACK;
