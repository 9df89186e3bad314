-- pgTAP: the reminder horizon.  A booking or a move writes only the
-- reminders due within sched.reminder_horizon (default 2 days) of now;
-- sched.claim_jobs writes the others once they come within it, for live
-- visits only, each once, at the time the booking would have given it.
-- The times here are relative to now() (the transaction's start, which
-- is also what the calls use), so the file passes at any hour.
BEGIN;
SELECT plan(24);

SET TimeZone = 'Asia/Kolkata';
SET LOCAL sched.business_hours = '00:00-24:00';
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T115 Agent', '9876500115', 10);

CREATE FUNCTION pg_temp.reminders(id bigint) RETURNS TABLE (template text, channel text, run_at timestamptz, state text)
LANGUAGE sql AS $$
  SELECT o.template, o.channel::text, o.run_at, o.state::text FROM sched.outbox o
   WHERE o.entity = 'visit' AND o.entity_id = id AND o.template LIKE 'visit\_reminder\_%'
   ORDER BY o.run_at, o.channel::text, o.job_id
$$;
-- the three reminders a visit with an email has, at the times the rules give
CREATE FUNCTION pg_temp.expected(d date, s sched.time_slot, st text) RETURNS TABLE (template text, channel text, run_at timestamptz, state text)
LANGUAGE sql AS $$
  SELECT t, c, b.starts_at - m * interval '1 minute', st
    FROM sched.slot_bounds(d, s) b,
         (VALUES ('visit_reminder_24h', 'email', 1440), ('visit_reminder_24h', 'sms', 1440),
                 ('visit_reminder_1h', 'sms', 60)) r(t, c, m)
   ORDER BY 3, 2
$$;

SELECT is(current_setting('sched.reminder_horizon'), '2 days', 'the horizon is 2 days by default');

-- ---------------------------------------------------------------------
-- A booking ten days ahead writes its messages, not its reminders
-- ---------------------------------------------------------------------
SELECT visit_id AS far FROM sched.book_site_visit('t115_far', 'Brigade Citrine', current_date + 10, 'morning',
  'Far Customer', '9876543115', contact_email => 'far@example.com') \gset
SELECT results_eq(format($$SELECT template FROM sched.outbox WHERE entity = 'visit' AND entity_id = %s ORDER BY job_id$$, :far),
  $$VALUES ('visit_booked'), ('visit_booked'), ('visit_assigned')$$,
  'a visit ten days ahead: the booking writes the confirmations and the agent''s note');
SELECT is((SELECT count(*) FROM pg_temp.reminders(:far)), 0::bigint, 'and no reminder: none is due within 2 days');

-- ---------------------------------------------------------------------
-- A horizon between the two reminders: the booking writes the first
-- ---------------------------------------------------------------------
-- minutes from now to the 24-hour reminder of a visit twelve days ahead, plus 30
SELECT ceil(extract(epoch FROM (SELECT starts_at FROM sched.slot_bounds(current_date + 12, 'evening'))
                    - interval '24 hours' - now()) / 60)::int + 30 AS mins \gset
SELECT set_config('sched.reminder_horizon', :'mins' || ' minutes', true) IS NOT NULL AS horizon_set \gset
SELECT visit_id AS mid FROM sched.book_site_visit('t115_mid', 'Brigade Citrine', current_date + 12, 'evening',
  'Mid Customer', '9876543116', contact_email => 'mid@example.com') \gset
SELECT results_eq(format('SELECT * FROM pg_temp.reminders(%s)', :mid),
  format($$SELECT * FROM pg_temp.expected(current_date + 12, 'evening', 'pending') WHERE template = 'visit_reminder_24h'$$),
  'a horizon reaching past the 24-hour reminder but not the 1-hour one: the booking writes the 24-hour sms and email');

-- ---------------------------------------------------------------------
-- claim_jobs writes what came within the horizon, once
-- ---------------------------------------------------------------------
-- another live visit, one cancelled and one moved, none with reminders
RESET sched.reminder_horizon;
SELECT visit_id AS gone FROM sched.book_site_visit('t115_gone', 'Brigade Citrine', current_date + 11, 'morning',
  'Gone Customer', '9876543117') \gset
SELECT status AS gone_status FROM sched.cancel_visit(:gone, 'changed plans') \gset
SELECT visit_id AS moved FROM sched.book_site_visit('t115_moved', 'Brigade Citrine', current_date + 11, 'afternoon',
  'Moved Customer', '9876543118') \gset
SELECT visit_date AS moved_to FROM sched.reschedule_visit(:moved, current_date + 14, 'evening') \gset
-- an imported live visit (as pg_restore brings it back) announces nothing
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone,
                                    agent_id, created_at)
SELECT 't115_imported', 'Brigade Citrine', current_date + 13, 'morning', 'Imported Customer', '+919876543119',
       agent_id, now() - interval '3 days'
  FROM sched.agents WHERE name = 'T115 Agent'
RETURNING visit_id AS imported \gset
SELECT is((SELECT count(*) FROM sched.outbox WHERE entity = 'visit' AND entity_id IN (:gone, :moved, :imported)
            AND template LIKE 'visit\_reminder\_%'), 0::bigint,
  'bookings and a move ten days or more ahead write no reminders');

SET LOCAL sched.reminder_horizon = '30 days';
SELECT is_empty($$SELECT * FROM sched.claim_jobs('t115-worker', 100) WHERE template LIKE 'visit\_reminder\_%'$$,
  'claim_jobs writes the reminders that came within its horizon, and claims none of them before its time');
SELECT results_eq(format('SELECT * FROM pg_temp.reminders(%s)', :far),
  $$SELECT * FROM pg_temp.expected(current_date + 10, 'morning', 'pending')$$,
  'the visit ten days ahead now has its three reminders, at the times the booking would have given them');
SELECT results_eq(format('SELECT * FROM pg_temp.reminders(%s)', :mid),
  $$SELECT * FROM pg_temp.expected(current_date + 12, 'evening', 'pending')$$,
  'the visit whose 24-hour reminders the booking wrote gets the 1-hour one, and no second 24-hour one');
SELECT is((SELECT count(*) FROM pg_temp.reminders(:gone)), 0::bigint, 'a cancelled visit gets none');
SELECT results_eq(format('SELECT template, channel, run_at, state FROM pg_temp.reminders(%s)', :moved),
  $$SELECT * FROM pg_temp.expected(current_date + 14, 'evening', 'pending') WHERE channel <> 'email'$$,
  'a moved visit gets those of its new slot only (no email given, no email reminder)');
SELECT results_eq(format('SELECT template, channel, run_at, state FROM pg_temp.reminders(%s)', :imported),
  $$SELECT * FROM pg_temp.expected(current_date + 13, 'morning', 'pending') WHERE channel <> 'email'$$,
  'an imported live visit gets its reminders too, so a dump and restore keeps them');
SELECT is((SELECT payload ->> 'status' || ' ' || (payload ->> 'ref') || ' ' || (payload ->> 'agent_name')
             || ' ' || (payload ->> 'visit_date') || ' ' || (payload ->> 'time_slot')
             || ' ' || coalesce(payload ->> 'previous_status', 'null')
             FROM sched.outbox WHERE entity_id = :far AND template = 'visit_reminder_1h'),
  'pending ' || (SELECT ref FROM sched.scheduled_visits WHERE visit_id = :far) || ' T115 Agent '
    || (current_date + 10)::text || ' morning null',
  'a reminder written later carries the visit as it is then, the agent included');
SELECT is((SELECT recipient FROM sched.outbox WHERE entity_id = :far AND template = 'visit_reminder_24h' AND channel = 'email'),
  'far@example.com', 'the email reminder goes to the customer''s address');

SELECT count(*) AS before FROM sched.outbox \gset
SELECT is_empty($$SELECT * FROM sched.claim_jobs('t115-worker', 100) WHERE template LIKE 'visit\_reminder\_%'$$,
  'a second claim claims no reminder');
SELECT is((SELECT count(*) FROM sched.outbox), :before::bigint, 'and writes none again');

-- a visit confirmed keeps them; one cancelled now cancels those written
SELECT status AS far_status FROM sched.set_visit_status(:far, 'confirmed') \gset
SELECT status AS mid_status FROM sched.cancel_visit(:mid, 'no longer interested') \gset
SELECT is((SELECT count(*) FROM pg_temp.reminders(:far) WHERE state = 'pending'), 3::bigint,
  'confirming a visit keeps its reminders');
SELECT is((SELECT count(*) FROM pg_temp.reminders(:mid) WHERE state = 'cancelled'), 3::bigint,
  'cancelling it cancels the reminders written by the claim and by the booking alike');
SELECT is_empty($$SELECT * FROM sched.claim_jobs('t115-worker', 100) WHERE template LIKE 'visit\_reminder\_%'$$,
  'a claim after the cancel writes nothing for it');
SELECT is((SELECT count(*) FROM pg_temp.reminders(:mid) WHERE state = 'pending'), 0::bigint,
  'so the cancelled visit has no reminder waiting');

-- the worker's role (grant_worker_calls) writes them too: claim_jobs runs
-- as sched's owner, so the role needs no right on the visits
CREATE ROLE t115_worker NOLOGIN;
SELECT sched.grant_worker_calls('t115_worker') IS NULL AS granted \gset
RESET sched.reminder_horizon;
SELECT visit_id AS late FROM sched.book_site_visit('t115_late', 'Brigade Citrine', current_date + 15, 'afternoon',
  'Late Customer', '9876543120') \gset
SET LOCAL sched.reminder_horizon = '30 days';
SET LOCAL ROLE t115_worker;
SELECT count(*) AS claimed_by_role FROM sched.claim_jobs('t115-role-worker', 100) \gset
RESET ROLE;
SELECT results_eq(format('SELECT * FROM pg_temp.reminders(%s)', :late),
  $$SELECT * FROM pg_temp.expected(current_date + 15, 'afternoon', 'pending') WHERE channel <> 'email'$$,
  'a claim by the worker''s role writes the reminders that came within its horizon');

-- ---------------------------------------------------------------------
-- The setting
-- ---------------------------------------------------------------------
SELECT throws_ok($$SET sched.reminder_horizon = '30 minutes'$$, '22023', NULL,
  'a horizon shorter than an hour is refused (22023)');
SELECT throws_ok($$SET sched.reminder_horizon = '31 days'$$, '22023', NULL,
  'a horizon longer than 30 days is refused (22023)');
SELECT throws_ok($$SET sched.reminder_horizon = 'soon'$$, '22023', NULL,
  'a horizon that is not a duration is refused (22023)');
CREATE ROLE t115_someone;
SET LOCAL ROLE t115_someone;
SELECT throws_ok($$SET sched.reminder_horizon = '1 day'$$, '42501', NULL,
  'only a superuser sets it (a worker or a DBA sets it for a role or database)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
