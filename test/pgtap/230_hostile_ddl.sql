-- pgTAP: a DBA's change of a column sched writes (its type, or the column
-- itself) gives the next call a clear error naming it, never a crash
-- (issue 12: ALTER COLUMN lead_score TYPE numeric made book_site_visit
-- place an integer in a numeric column: signal 11).  Changed back, the
-- calls work again.
BEGIN;
SELECT plan(16);
\ir include/clock.sql

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES ('T230 Agent', '9876523001', true, 10);
SET LOCAL sched.business_hours = '00:00-24:00';

CREATE FUNCTION pg_temp.book(score integer) RETURNS text LANGUAGE sql AS $$
  SELECT ref FROM sched.book_site_visit('t230_u', 'T230 Towers', pg_temp.today() + 3, 'morning', 'Hostile', '9876523101',
                                        lead_score => score)
$$;

SAVEPOINT s1;
ALTER TABLE sched.scheduled_visits ALTER COLUMN lead_score TYPE numeric(5,2);
SELECT throws_ok($$SELECT pg_temp.book(77)$$, '42804',
  'column "lead_score" of sched.scheduled_visits has type numeric, but sched writes integer there',
  'lead_score made numeric: the booking names the column and its type (42804), no crash');
ROLLBACK TO SAVEPOINT s1;
SAVEPOINT s2;
ALTER TABLE sched.scheduled_visits ALTER COLUMN lead_score TYPE text;
SELECT throws_ok($$SELECT pg_temp.book(77)$$, '42804', NULL, 'made text: the same');
ROLLBACK TO SAVEPOINT s2;
SELECT lives_ok($$SELECT pg_temp.book(77)$$, 'changed back, booking works (the session noticed both changes)');
SAVEPOINT s3;
ALTER TABLE sched.scheduled_visits ALTER COLUMN lead_score TYPE bigint;
SELECT throws_ok($$SELECT pg_temp.book(78)$$, '42804', NULL, 'even a wider integer is refused, not guessed at');
ROLLBACK TO SAVEPOINT s3;
SAVEPOINT s4;
ALTER TABLE sched.outbox ALTER COLUMN payload TYPE json;
SELECT throws_ok($$SELECT pg_temp.book(79)$$, '42804',
  'column "payload" of sched.outbox has type json, but sched writes jsonb there', 'the outbox''s payload made json: 42804');
ROLLBACK TO SAVEPOINT s4;
SAVEPOINT s5;
ALTER TABLE sched.callbacks ALTER COLUMN attempts TYPE bigint;
SELECT throws_ok($$SELECT sched.request_callback('t230_u', 'Hostile', '9876523101')$$, '42804', NULL,
  'a callback column: 42804');
ROLLBACK TO SAVEPOINT s5;
SAVEPOINT s6;
ALTER TABLE sched.scheduled_visits DROP COLUMN session_id;
SELECT throws_ok($$SELECT pg_temp.book(80)$$, '42703',
  'column "session_id" of sched.scheduled_visits is missing, but sched writes it', 'a dropped column: 42703, named');
ROLLBACK TO SAVEPOINT s6;
SAVEPOINT s7;
ALTER TABLE sched.scheduled_visits ADD COLUMN t230_extra text DEFAULT 'x';
SELECT lives_ok($$SELECT pg_temp.book(81)$$, 'an added column is no obstacle');
ROLLBACK TO SAVEPOINT s7;
SAVEPOINT s8;
ALTER TABLE sched.user_profiles ALTER COLUMN lead_score TYPE smallint;
SELECT throws_ok($$SELECT pg_temp.book(82)$$, '42804', NULL, 'a profile column: 42804');
ROLLBACK TO SAVEPOINT s8;
SAVEPOINT s9;
ALTER TABLE sched.status_history ALTER COLUMN changed_by TYPE varchar(20);
SELECT throws_ok($$SELECT pg_temp.book(83)$$, '42804', NULL, 'a history column: 42804');
ROLLBACK TO SAVEPOINT s9;
-- a disabled sched trigger, or a session whose triggers do not fire
SAVEPOINT s10;
ALTER TABLE sched.scheduled_visits DISABLE TRIGGER scheduled_visits_guard;
SELECT throws_ok($$SELECT pg_temp.book(85)$$, '55000',
  'sched''s trigger scheduled_visits_guard on sched.scheduled_visits would not fire',
  'the visits'' guard disabled: booking refuses (55000, named) instead of writing behind the rules');
SELECT throws_ok(format('SELECT sched.set_visit_status(%s, %L)',
                        (SELECT max(visit_id) FROM sched.scheduled_visits), 'confirmed'), '55000', NULL,
  'so does a status move');
ROLLBACK TO SAVEPOINT s10;
SAVEPOINT s11;
ALTER TABLE sched.callbacks DISABLE TRIGGER callbacks_announce;
SELECT throws_ok($$SELECT sched.request_callback('t230_u', 'Hostile', '9876523101')$$, '55000',
  'sched''s trigger callbacks_announce on sched.callbacks would not fire', 'the callbacks'' announcer disabled: 55000');
ROLLBACK TO SAVEPOINT s11;
SAVEPOINT s12;
SET LOCAL session_replication_role = replica;
SELECT throws_ok($$SELECT pg_temp.book(86)$$, '55000', NULL,
  'session_replication_role = replica (triggers off): the calls refuse');
ROLLBACK TO SAVEPOINT s12;
SAVEPOINT s13;
ALTER TABLE sched.scheduled_visits ENABLE ALWAYS TRIGGER scheduled_visits_guard;
ALTER TABLE sched.scheduled_visits ENABLE ALWAYS TRIGGER scheduled_visits_announce;
SET LOCAL session_replication_role = replica;
SELECT lives_ok($$SELECT pg_temp.book(87)$$, 'but with the triggers ENABLE ALWAYS they fire, and the call works');
ROLLBACK TO SAVEPOINT s13;
SELECT lives_ok($$SELECT pg_temp.book(84)$$, 'and after all of it, booking works');

SELECT * FROM finish();
ROLLBACK;
