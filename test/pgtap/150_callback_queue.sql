-- pgTAP: callbacks that slip (1.1).  The working queue (next_attempt_at),
-- retries after a growing gap, giving up after sched.callback_max_attempts
-- unanswered calls, business hours for deadlines and retries, and the
-- escalation of overdue callbacks to the senior agents.
BEGIN;
SELECT plan(42);

SET LOCAL TimeZone = 'UTC';
UPDATE sched.agents SET active = false;
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't150\_%';
INSERT INTO sched.agents (name, phone, is_senior) VALUES
  ('T150 Senior', '9876500151', true),
  ('T150 Second Senior', '9876500152', true),
  ('T150 Agent', '9876500153', false);
SELECT agent_id AS s1 FROM sched.agents WHERE name = 'T150 Senior' \gset

\ir include/clock.sql
CREATE FUNCTION pg_temp.request(who text, urg sched.urgency) RETURNS bigint LANGUAGE sql AS $$
  SELECT callback_id FROM sched.request_callback(who, 'Queue Customer', '9876543150',
                                                 urgency => urg, contact_email => 'q@example.com')
$$;

-- ---------------------------------------------------------------------
-- The call and the settings
-- ---------------------------------------------------------------------
SELECT has_function('sched', 'escalate_overdue_callbacks', ARRAY['timestamp with time zone'],
  'escalate_overdue_callbacks(timestamptz) exists');
SELECT is(pg_get_function_arguments('sched.escalate_overdue_callbacks(timestamptz)'::regprocedure),
  'as_of timestamp with time zone DEFAULT now()', 'its one argument is as_of, default now()');
SELECT throws_ok($$SET LOCAL sched.business_hours = '18:00-09:00'$$, '22023', NULL,
  'business hours must open before they close');
SELECT throws_ok($$SET LOCAL sched.business_hours = '9-18'$$, '22023', NULL,
  'business hours are written HH:MM-HH:MM');
SELECT throws_ok($$SET LOCAL sched.callback_max_attempts = 0$$, '22023', NULL,
  'a callback gets at least one attempt');

-- ---------------------------------------------------------------------
-- Deadlines inside business hours (09:00-18:00, the default)
-- ---------------------------------------------------------------------
SELECT set_config('sched.timezone', pg_temp.zone_at(10), true) AS zone \gset
SELECT pg_temp.request('t150_day', 'urgent') AS day_cb \gset
SELECT is((SELECT due_at FROM sched.callbacks WHERE callback_id = :day_cb), now() + interval '30 minutes',
  'at 10 in the morning an urgent request is due in 30 minutes');
SELECT is((SELECT next_attempt_at FROM sched.callbacks WHERE callback_id = :day_cb), now() + interval '30 minutes',
  'and is in the working queue, due by its deadline');

SELECT set_config('sched.timezone', pg_temp.zone_at(23), true) AS zone \gset
SELECT pg_temp.request('t150_night', 'urgent') AS night_cb \gset
SELECT is((SELECT due_at FROM sched.callbacks WHERE callback_id = :night_cb), pg_temp.next_morning(:'zone'),
  'an urgent request made at 11 at night is due at 09:00 the next morning');
SELECT pg_temp.request('t150_night', 'low') AS night_low \gset
SELECT is((SELECT due_at FROM sched.callbacks WHERE callback_id = :night_low), pg_temp.next_morning(:'zone') + interval '1 day',
  'a low one, whose 24 hours end at night again, is due the morning after');
SELECT set_config('sched.timezone', pg_temp.zone_at(16), true) AS zone \gset
SELECT pg_temp.request('t150_late', 'medium') AS late_cb \gset
SELECT is((SELECT due_at FROM sched.callbacks WHERE callback_id = :late_cb), pg_temp.next_morning(:'zone'),
  'a medium request at 4 in the afternoon, whose 4 hours end after 18:00, is due the next morning');
SET LOCAL sched.business_hours = '00:00-24:00';
SELECT set_config('sched.timezone', pg_temp.zone_at(23), true) AS zone \gset
SELECT pg_temp.request('t150_off', 'urgent') AS off_cb \gset
SELECT is((SELECT due_at FROM sched.callbacks WHERE callback_id = :off_cb), now() + interval '30 minutes',
  '00:00-24:00 turns the rule off: at night too an urgent request is due in 30 minutes');

-- ---------------------------------------------------------------------
-- Retries: 1 hour, then 2, then given up after 3 unanswered calls
-- ---------------------------------------------------------------------
SELECT pg_temp.request('t150_retry', 'high') AS r \gset
SELECT results_eq(format($$SELECT attempts, next_attempt_at, gave_up_at FROM sched.set_callback_status(%s, 'no_answer')$$, :r),
  $$VALUES (1, now() + interval '1 hour', NULL::timestamptz)$$,
  'the first unanswered call puts the next attempt an hour later');
SELECT results_eq(format($$SELECT attempts, next_attempt_at, gave_up_at FROM sched.set_callback_status(%s, 'no_answer')$$, :r),
  $$VALUES (2, now() + interval '2 hours', NULL::timestamptz)$$,
  'the second two hours later (the gap doubles)');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity = 'callback' AND entity_id = :r AND template = 'callback_unreachable'), 0,
  'the customer is not told anything final yet');
SELECT results_eq(format($$SELECT attempts, next_attempt_at, gave_up_at FROM sched.set_callback_status(%s, 'no_answer')$$, :r),
  $$VALUES (3, NULL::timestamptz, now())$$,
  'the third (sched.callback_max_attempts) gives up: out of the working queue');
SELECT results_eq(format($$SELECT channel::text, recipient, state::text FROM sched.outbox
                            WHERE entity = 'callback' AND entity_id = %s AND template = 'callback_unreachable' ORDER BY channel$$, :r),
  $$VALUES ('email', 'q@example.com', 'pending'), ('sms', '+919876543150', 'pending')$$,
  'and the customer is told by sms and email that they could not be reached');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity = 'callback' AND entity_id = :r AND template = 'callback_missed'), 2,
  'instead of a third "we will try again" sms (only the first two calls sent one)');
SELECT ok((SELECT body LIKE 'We could not reach you about your request (callback_%'
             FROM sched.render_message((SELECT job_id FROM sched.outbox WHERE entity_id = :r
                                         AND template = 'callback_unreachable' AND channel = 'sms'))),
  'render_message says so in words');
SELECT results_eq(format($$SELECT attempts, next_attempt_at IS NULL FROM sched.set_callback_status(%s, 'no_answer')$$, :r),
  $$VALUES (4, true)$$, 'a later unanswered call keeps it out of the queue');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity = 'callback' AND entity_id = :r AND template = 'callback_unreachable'), 2,
  'and tells the customer nothing new');
SELECT results_eq(format($$SELECT status::text, next_attempt_at, gave_up_at IS NOT NULL FROM sched.set_callback_status(%s, 'contacted')$$, :r),
  $$VALUES ('contacted', NULL::timestamptz, true)$$,
  'the customer can still be reached later (contacted); gave_up_at keeps the history');

SET LOCAL sched.callback_max_attempts = 1;
SELECT pg_temp.request('t150_once', 'low') AS once_cb \gset
SELECT is((sched.set_callback_status(:once_cb, 'no_answer')).gave_up_at, now(),
  'with sched.callback_max_attempts = 1 the first unanswered call gives up');
RESET sched.callback_max_attempts;

-- retries inside business hours
SET LOCAL sched.business_hours = '09:00-18:00';
SELECT set_config('sched.timezone', pg_temp.zone_at(17), true) AS zone \gset
SELECT pg_temp.request('t150_evening', 'urgent') AS ev \gset
SELECT is((sched.set_callback_status(:ev, 'no_answer')).next_attempt_at, pg_temp.next_morning(:'zone'),
  'after 17:00 the retry an hour later falls at or after closing: it is due the next morning');
SET LOCAL sched.business_hours = '00:00-24:00';

-- ---------------------------------------------------------------------
-- The working queue in list_callbacks: what is due first
-- ---------------------------------------------------------------------
-- (the callbacks above leave the queue: a DBA may clear next_attempt_at)
UPDATE sched.callbacks SET next_attempt_at = NULL;
UPDATE sched.outbox SET state = 'cancelled' WHERE entity = 'callback' AND state IN ('pending', 'claimed');
SELECT pg_temp.request('t150_q', 'low') AS q_low \gset
SELECT pg_temp.request('t150_q', 'urgent') AS q_urgent \gset
SELECT pg_temp.request('t150_q', 'medium') AS q_medium \gset
SELECT (sched.set_callback_status(:q_urgent, 'no_answer')).next_attempt_at IS NOT NULL AS moved \gset
SELECT results_eq(
  format($$SELECT callback_id FROM sched.list_callbacks() WHERE callback_id IN (%s, %s, %s)$$, :q_low, :q_urgent, :q_medium),
  format('VALUES (%s::bigint), (%s), (%s)', :q_urgent, :q_medium, :q_low),
  'the working queue is listed by what is due: the urgent retry in an hour, the medium in 4 hours, the low in 24');
SELECT ok((SELECT bool_and(next_attempt_at IS NOT NULL) FROM sched.list_callbacks(max_rows => 3)),
  'callbacks out of the queue (contacted, given up) come after every queued one');

-- ---------------------------------------------------------------------
-- Overdue callbacks are escalated to the senior agents, once
-- ---------------------------------------------------------------------
SELECT count(*)::int AS seniors FROM sched.agents WHERE active AND is_senior AND handles_callbacks \gset
-- A sweep looks back, never ahead (1.3: as_of is not later than now()), so
-- time passes here by moving this file's deadlines back (a DBA's UPDATE of
-- due_at and next_attempt_at is taken as given)
CREATE FUNCTION pg_temp.pass(t interval) RETURNS void LANGUAGE sql AS $$
  UPDATE sched.callbacks SET due_at = due_at - t, next_attempt_at = next_attempt_at - t
   WHERE user_id LIKE 't150\_%'
$$;
SELECT count(*) AS history_before FROM sched.status_history WHERE entity = 'callback' \gset
SELECT pg_temp.pass('5 hours') \gset
SELECT is(sched.escalate_overdue_callbacks(), 2,
  'five hours on, the urgent retry (due in 30 minutes) and the medium request (4 hours) are overdue and escalated');
SELECT results_eq(
  format($$SELECT callback_id, escalated_at FROM sched.callbacks WHERE callback_id IN (%s, %s, %s) ORDER BY callback_id$$,
         :q_low, :q_urgent, :q_medium),
  format($$VALUES (%s::bigint, NULL::timestamptz), (%s, now()), (%s, now())$$,
         :q_low, :q_urgent, :q_medium),
  'escalated_at flags them; the low one, not due yet, is not flagged');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE template = 'callback_overdue' AND channel = 'agent'), 2 * :seniors,
  'each senior agent gets a note about each');
SELECT is((SELECT count(DISTINCT recipient)::int FROM sched.outbox WHERE template = 'callback_overdue'), :seniors,
  'sent to every senior, and to nobody else');
SELECT ok((SELECT bool_and(body LIKE 'Overdue callback callback_%has not been reached%')
             FROM sched.outbox o, sched.render_message(o.job_id) m WHERE o.template = 'callback_overdue'),
  'render_message gives the note its words');
SELECT is(sched.escalate_overdue_callbacks(), 0, 'running it again escalates nothing');
SELECT is((SELECT count(*) FROM sched.status_history WHERE entity = 'callback'), :history_before::bigint,
  'an escalation is not a status move (no history row)');
SELECT pg_temp.pass('2 days') \gset
SELECT is(sched.escalate_overdue_callbacks(), 1,
  'two days on, the low one is escalated too');
SELECT is((sched.set_callback_status(:q_medium, 'contacted')).status::text, 'contacted', 'reaching an escalated callback');
SELECT is((SELECT next_attempt_at FROM sched.callbacks WHERE callback_id = :q_medium), NULL,
  'takes it out of the queue');
SELECT pg_temp.request('t150_reached', 'urgent') AS reached \gset
SELECT is((sched.set_callback_status(:reached, 'contacted')).status::text, 'contacted', 'a callback reached in time');
SELECT pg_temp.pass('1 day') \gset
SELECT is(sched.escalate_overdue_callbacks(), 0,
  'is never escalated, nor is one given up');
UPDATE sched.callbacks SET escalated_at = now() WHERE callback_id = :reached;
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE template = 'callback_overdue' AND entity_id = :reached), :seniors,
  'a DBA who sets escalated_at by hand escalates it the same way');
SELECT throws_ok($$SELECT sched.escalate_overdue_callbacks(NULL)$$, '22004', 'as_of must not be null',
  'as_of is required (22004)');
SELECT throws_ok($$SELECT sched.escalate_overdue_callbacks(now() + interval '1 second')$$, '22023',
  'as_of must not be later than now()', 'a sweep never looks ahead (1.3, 22023)');
SELECT throws_ok($$SELECT sched.escalate_overdue_callbacks('infinity')$$, '22023', 'as_of must be a finite time',
  'as_of must be finite (22023)');

CREATE ROLE t150_admin;
CREATE ROLE t150_web;
SELECT sched.grant_admin_calls('t150_admin') IS NULL AS granted \gset
SELECT sched.grant_user_calls('t150_web') IS NULL AS granted \gset
SELECT ok(has_function_privilege('t150_admin', 'sched.escalate_overdue_callbacks(timestamptz)', 'EXECUTE')
          AND NOT has_function_privilege('t150_web', 'sched.escalate_overdue_callbacks(timestamptz)', 'EXECUTE'),
  'escalate_overdue_callbacks is an admin call');

SELECT * FROM finish();
ROLLBACK;
