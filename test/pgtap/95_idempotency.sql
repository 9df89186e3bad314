-- pgTAP: idempotency keys.  A repeated (user_id, idempotency_key) returns
-- the row the first call made and does nothing else: no new row, outbox
-- job, history row or profile count, and no round-robin ticket.  The key
-- is per user and per kind of booking.
BEGIN;
SELECT plan(30);

UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't95\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't95\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't95\_%';
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity)
VALUES ('T95 A', '9876500095', true, 10), ('T95 B', '9876500096', false, 10);

CREATE FUNCTION pg_temp.written() RETURNS text LANGUAGE sql AS $$
  SELECT format('visits %s, callbacks %s, outbox %s, history %s, profiles %s/%s',
                (SELECT count(*) FROM sched.scheduled_visits), (SELECT count(*) FROM sched.callbacks),
                (SELECT count(*) FROM sched.outbox), (SELECT count(*) FROM sched.status_history),
                (SELECT count(*) FROM sched.user_profiles),
                (SELECT sum(site_visits_scheduled + callbacks_requested + intent_points) FROM sched.user_profiles))
$$;
CREATE FUNCTION pg_temp.tickets() RETURNS text LANGUAGE sql AS $$
  SELECT format('%s/%s/%s', (SELECT last_value FROM sched.visit_turn), (SELECT last_value FROM sched.callback_turn),
                (SELECT last_value FROM sched.senior_callback_turn))
$$;

-- ---------------------------------------------------------------------
-- Visits
-- ---------------------------------------------------------------------
CREATE TEMP TABLE first_visit AS
SELECT * FROM sched.book_site_visit('t95_user', 'Brigade Citrine', current_date + 2, 'morning', 'Idem Potent',
                                    '9876543295', 'idem@example.com', 'first', idempotency_key => 'order-1');
SELECT visit_id AS v1 FROM first_visit \gset
SELECT is((SELECT idempotency_key FROM first_visit), 'order-1', 'the key is stored with the booking');
SELECT pg_temp.written() AS w1 \gset
SELECT pg_temp.tickets() AS t1 \gset

CREATE TEMP TABLE second_visit AS
SELECT * FROM sched.book_site_visit('t95_user', 'Brigade Citrine', current_date + 2, 'morning', 'Idem Potent',
                                    '9876543295', 'idem@example.com', 'first', idempotency_key => 'order-1');
SELECT results_eq('SELECT * FROM second_visit', 'SELECT * FROM first_visit',
  'the same call with the same key returns the first booking, column for column');
SELECT is(pg_temp.written(), :'w1', 'the repeat wrote nothing: no visit, outbox job, history row or profile count');
SELECT is(pg_temp.tickets(), :'t1', 'the repeat took no round-robin ticket');

SELECT is((sched.book_site_visit('t95_user', 'Other Project', current_date + 9, 'evening', 'Somebody Else',
                                 '9876543299', idempotency_key => 'order-1')).visit_id, :v1::bigint,
  'a repeat with different details still returns the first booking');
SELECT results_eq(
  format('SELECT project, visit_date, contact_name FROM sched.scheduled_visits WHERE visit_id = %s', :v1),
  $$VALUES ('Brigade Citrine', current_date + 2, 'Idem Potent')$$,
  'and does not change it');
SELECT is(pg_temp.written(), :'w1', 'nor writes anything');
SELECT is((sched.book_site_visit('t95_user', 'P', current_date - 5, 'evening', 'X', 'not a phone',
                                 idempotency_key => 'order-1')).visit_id, :v1::bigint,
  'a repeat returns the first booking even if its other arguments would not validate');

SELECT sched.set_visit_status(:v1, 'confirmed') IS NOT NULL AS moved \gset
SELECT pg_temp.written() AS w2 \gset
SELECT results_eq(
  $$SELECT visit_id, status::text FROM sched.book_site_visit('t95_user', 'Brigade Citrine', current_date + 2, 'morning',
                                                            'Idem Potent', '9876543295', idempotency_key => 'order-1')$$,
  format($$VALUES (%s::bigint, 'confirmed')$$, :v1),
  'after a status move the repeat returns the booking as it is now');
SELECT is(pg_temp.written(), :'w2', 'and writes nothing');

SELECT isnt((sched.book_site_visit('t95_other', 'Brigade Citrine', current_date + 2, 'evening', 'Other User',
                                   '9876543296', idempotency_key => 'order-1')).visit_id, :v1::bigint,
  'another user with the same key gets a booking of their own');
SELECT isnt((sched.book_site_visit('t95_user', 'Brigade Citrine', current_date + 3, 'morning', 'Idem Potent',
                                   '9876543295', idempotency_key => 'order-2')).visit_id, :v1::bigint,
  'the same user with another key gets a new booking');
SELECT results_eq(
  $$SELECT site_visits_scheduled, intent_points FROM sched.user_profiles WHERE user_id = 't95_user'$$,
  $$VALUES (2, 6)$$,
  'the user''s profile counts two visits (order-1 once, order-2), not five');

SELECT pg_temp.written() AS w3 \gset
SELECT is((SELECT count(DISTINCT visit_id)::int FROM (
             SELECT (sched.book_site_visit('t95_nokey', 'Brigade Citrine', current_date + 4, 'morning', 'No Key',
                                           '9876543297')).visit_id FROM generate_series(1, 2)) s), 2,
  'without a key, two identical calls make two bookings');
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits WHERE user_id = 't95_nokey'), 2,
  'both are stored');

-- A DBA's plain INSERT cannot duplicate a user's key either.
SELECT throws_ok(
  $$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, idempotency_key)
    VALUES ('t95_user', 'P', current_date + 5, 'evening', 'Dup', '9876543298', 'order-1')$$,
  '23505', NULL, 'a plain INSERT repeating a user''s key violates the unique index');

-- The key as the caller sent it: surrounding white space is trimmed when
-- stored, so a repeat of the same call must still find the booking.
SELECT visit_id AS vpad FROM sched.book_site_visit('t95_pad', 'Brigade Citrine', current_date + 6, 'morning', 'Pad',
                                                   '9876543290', idempotency_key => ' order-pad ') \gset
SELECT pg_temp.written() AS w4 \gset
SELECT lives_ok(
  $$SELECT sched.book_site_visit('t95_pad', 'Brigade Citrine', current_date + 6, 'morning', 'Pad',
                                 '9876543290', idempotency_key => ' order-pad ')$$,
  'repeating a booking whose key has surrounding spaces does not fail');
SELECT is(pg_temp.written(), :'w4', 'repeating a booking whose key has surrounding spaces writes nothing');
SELECT lives_ok(
  $$SELECT sched.book_site_visit(' t95_pad2 ', 'Brigade Citrine', current_date + 6, 'evening', 'Pad',
                                 '9876543290', idempotency_key => 'order-pad')$$,
  'first booking with a user_id that has surrounding spaces');
SELECT lives_ok(
  $$SELECT sched.book_site_visit(' t95_pad2 ', 'Brigade Citrine', current_date + 6, 'evening', 'Pad',
                                 '9876543290', idempotency_key => 'order-pad')$$,
  'repeating a keyed booking whose user_id has surrounding spaces does not fail');

-- ---------------------------------------------------------------------
-- Callbacks
-- ---------------------------------------------------------------------
CREATE TEMP TABLE first_callback AS
SELECT * FROM sched.request_callback('t95_user', 'Idem Potent', '9876543295', 'pricing', 'urgent',
                                     idempotency_key => 'order-1');
SELECT callback_id AS c1 FROM first_callback \gset
SELECT pg_temp.written() AS w5 \gset
SELECT pg_temp.tickets() AS t5 \gset
SELECT results_eq(
  $$SELECT * FROM sched.request_callback('t95_user', 'Idem Potent', '9876543295', 'pricing', 'urgent',
                                         idempotency_key => 'order-1')$$,
  'SELECT * FROM first_callback',
  'the same callback request with the same key returns the first callback');
SELECT is(pg_temp.written(), :'w5', 'the repeated request wrote nothing');
SELECT is(pg_temp.tickets(), :'t5', 'the repeated request took no ticket');
SELECT is((sched.request_callback('t95_user', 'Changed', '9876543299', urgency => 'low',
                                  idempotency_key => 'order-1')).urgency, 'urgent'::sched.urgency,
  'a repeat with other details returns the first callback unchanged');
SELECT isnt((sched.request_callback('t95_other', 'Other', '9876543296', idempotency_key => 'order-1')).callback_id,
  :c1::bigint, 'another user with the same key gets a callback of their own');
SELECT is((SELECT callbacks_requested FROM sched.user_profiles WHERE user_id = 't95_user'), 1,
  'the user''s profile counts the keyed callback once');
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits WHERE user_id = 't95_user' AND idempotency_key = 'order-1')
          + (SELECT count(*)::int FROM sched.callbacks WHERE user_id = 't95_user' AND idempotency_key = 'order-1'), 2,
  'a visit and a callback may share a key: keys are per kind of booking');
SELECT throws_ok(
  $$INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, idempotency_key)
    VALUES ('t95_user', 'Dup', '9876543298', 'order-1')$$,
  '23505', NULL, 'a plain INSERT repeating a user''s callback key violates the unique index');
SELECT callback_id AS cpad FROM sched.request_callback('t95_pad', 'Pad', '9876543290', idempotency_key => 'order-pad ') \gset
SELECT lives_ok($$SELECT sched.request_callback('t95_pad', 'Pad', '9876543290', idempotency_key => 'order-pad ')$$,
  'repeating a callback whose key has a trailing space does not fail');
SELECT is((SELECT count(*)::int FROM sched.callbacks WHERE user_id = 't95_pad'), 1,
  'repeating a callback whose key has a trailing space books nothing more');

SELECT * FROM finish();
ROLLBACK;
