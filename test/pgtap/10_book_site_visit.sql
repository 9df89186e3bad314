-- pgTAP: sched.book_site_visit: what a good booking stores and returns,
-- how contact details are normalised, the booking window's edges, and a
-- DBA's plain INSERT getting the same treatment.
BEGIN;
SELECT plan(54);

-- Our own agents only: any agent already in the database is set aside.
UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't10\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't10\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't10\_%';
INSERT INTO sched.agents (name, phone, email, slot_capacity)
VALUES ('T10 Rajesh Kumar', '+91 98765 00001', 'rajesh@example.com', 100),
       ('T10 Priya Sharma', '98765 00002', NULL, 100),
       ('T10 Amit Patel', '0091-98765-00003', NULL, 100);
SELECT agent_id AS a1 FROM sched.agents WHERE name = 'T10 Rajesh Kumar' \gset
SELECT agent_id AS a2 FROM sched.agents WHERE name = 'T10 Priya Sharma' \gset
SELECT agent_id AS a3 FROM sched.agents WHERE name = 'T10 Amit Patel' \gset
DO $$ BEGIN PERFORM pg_catalog.setval('sched.visit_turn', 1, false); END $$;

SELECT is((SELECT phone FROM sched.agents WHERE agent_id = :a1), '+919876500001',
  'an agent phone written with +91 and spaces is stored as E.164');
SELECT is((SELECT phone FROM sched.agents WHERE agent_id = :a3), '+919876500003',
  'an agent phone written with 0091 and dashes is stored as E.164');

-- ---------------------------------------------------------------------
-- The seed's story: John Doe books Brigade Citrine
-- ---------------------------------------------------------------------
CREATE TEMP TABLE booked AS
SELECT * FROM sched.book_site_visit('t10_john', '  Brigade Citrine  ', current_date + 2, 'morning',
                                    '  John Doe ', '+91 98765 43210', 'John.Doe@Example.COM',
                                    'Will bring spouse', 't10_session', 72, NULL);
SELECT visit_id AS v1 FROM booked \gset

SELECT is((SELECT count(*)::int FROM booked), 1, 'book_site_visit returns one row');
SELECT results_eq(
  'SELECT * FROM booked',
  format('SELECT * FROM sched.scheduled_visits WHERE visit_id = %s', :v1),
  'the returned row is the stored row, column for column');
SELECT is((SELECT ref FROM booked), 'visit_' || lpad(:v1::text, 6, '0'),
  'ref is visit_ followed by the id padded to six digits');
SELECT is((SELECT user_id FROM booked), 't10_john', 'user_id is stored');
SELECT is((SELECT project FROM booked), 'Brigade Citrine', 'project is stored trimmed');
SELECT is((SELECT visit_date FROM booked), current_date + 2, 'visit_date is stored');
SELECT is((SELECT time_slot FROM booked), 'morning'::sched.time_slot, 'time_slot is stored');
SELECT is((SELECT contact_name FROM booked), 'John Doe', 'contact_name is stored trimmed');
SELECT is((SELECT contact_phone FROM booked), '+919876543210', 'contact_phone is stored in E.164 form');
SELECT is((SELECT contact_email FROM booked), 'John.Doe@example.com',
  'contact_email keeps its local part and has its domain lower-cased');
SELECT is((SELECT user_notes FROM booked), 'Will bring spouse', 'the notes argument is stored as user_notes');
SELECT ok((SELECT rm_notes IS NULL FROM booked), 'rm_notes starts empty');
SELECT is((SELECT session_id FROM booked), 't10_session', 'session_id is stored');
SELECT is((SELECT lead_score FROM booked), 72, 'lead_score at booking time is stored');
SELECT is((SELECT status FROM booked), 'pending'::sched.visit_status, 'a new visit is pending');
SELECT is((SELECT agent_id FROM booked), :a1, 'the first turn after a reset goes to the first agent');
SELECT is((SELECT created_at FROM booked), now(), 'created_at is the transaction time');
SELECT is((SELECT updated_at FROM booked), now(), 'updated_at is the transaction time');
SELECT ok((SELECT confirmed_at IS NULL AND completed_at IS NULL AND cancelled_at IS NULL FROM booked),
  'no status time is stamped on a new visit');
SELECT ok((SELECT idempotency_key IS NULL FROM booked), 'no idempotency key when none is given');

-- ---------------------------------------------------------------------
-- Named arguments (PostgREST's JSON keys), defaults, several per user
-- ---------------------------------------------------------------------
SELECT visit_id AS v2 FROM sched.book_site_visit(
  user_id => 't10_john', project => 'Prestige Lakeside', visit_date => current_date + 3,
  time_slot => 'evening', contact_name => 'John Doe', contact_phone => '9876543210') \gset
SELECT results_eq(
  format('SELECT contact_email, user_notes, session_id, lead_score, idempotency_key FROM sched.scheduled_visits WHERE visit_id = %s', :v2),
  $$VALUES (NULL::text, NULL::text, NULL::text, NULL::int, NULL::text)$$,
  'a call with named arguments leaves every optional column NULL');
SELECT isnt(:v2::bigint, :v1::bigint, 'a second booking by the same user is a new visit');
SELECT is((SELECT agent_id FROM sched.scheduled_visits WHERE visit_id = :v2), :a2,
  'the second booking goes to the next agent');
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits WHERE user_id = 't10_john'), 2,
  'the user now has two visits');

-- ---------------------------------------------------------------------
-- Phone numbers: every accepted way of writing one becomes E.164
-- ---------------------------------------------------------------------
CREATE TEMP TABLE phones (n int, given text, e164 text);
INSERT INTO phones VALUES
  (1, '9876543210', '+919876543210'),
  (2, '09876543210', '+919876543210'),
  (3, '919876543210', '+919876543210'),
  (4, '0091 98765 43210', '+919876543210'),
  (5, '(98765) 432-10', '+919876543210'),
  (6, '98765.43210', '+919876543210'),
  (7, '+1 (415) 555-0100', '+14155550100'),
  (8, '+44 20 7946 0958', '+442079460958');
CREATE TEMP TABLE phone_results AS
SELECT p.n, (sched.book_site_visit('t10_phone_' || p.n, 'Brigade Citrine', current_date + 10 + p.n,
                                   'afternoon', 'Phone Tester', p.given)).contact_phone AS stored
  FROM phones p;
SELECT results_eq(
  'SELECT n, stored FROM phone_results ORDER BY n',
  'SELECT n, e164 FROM phones ORDER BY n',
  'ten-digit, trunk-0, 91-prefixed, 00-prefixed, punctuated and foreign numbers are stored as E.164');

SET LOCAL sched.default_country_code = '44';
SELECT is((sched.book_site_visit('t10_uk', 'Brigade Citrine', current_date + 5, 'morning',
                                 'UK Customer', '79111 23456')).contact_phone,
  '+447911123456', 'ten-digit numbers get sched.default_country_code (set to 44 by a superuser)');
RESET sched.default_country_code;

-- ---------------------------------------------------------------------
-- Email addresses
-- ---------------------------------------------------------------------
SELECT is((sched.book_site_visit('t10_mail', 'Brigade Citrine', current_date + 6, 'morning',
                                 'Mail Customer', '9876543211', '  first.last+tag@Mail.Example.IN  ')).contact_email,
  'first.last+tag@mail.example.in', 'an email is trimmed and its domain lower-cased; plus tags are kept');
SELECT is((sched.book_site_visit('t10_mail', 'Brigade Citrine', current_date + 6, 'evening',
                                 'Mail Customer', '9876543211', 'user@xn--80ak6aa92e.com')).contact_email,
  'user@xn--80ak6aa92e.com', 'an internationalised domain in xn-- form is accepted');

-- ---------------------------------------------------------------------
-- Booking window: today through sched.max_days_ahead (90) inclusive, today
-- being the business's (the date in sched.timezone), whatever the
-- session's TimeZone
-- ---------------------------------------------------------------------
\ir include/clock.sql
-- at 13:00 local, today's morning (09-12) is over and its evening is not
-- (without a minimum notice, which 290_availability_rules.sql tests)
SET LOCAL sched.min_notice = 0;
SELECT set_config('sched.timezone', pg_temp.zone_at(13), true) AS zone \gset
SELECT is((sched.book_site_visit('t10_edge', 'Brigade Citrine', pg_temp.today(), 'evening',
                                 'Edge Customer', '9876543212')).visit_date,
  pg_temp.today(), 'a visit can be booked for today');
SELECT throws_ok(format($$SELECT sched.book_site_visit('t10_edge', 'Brigade Citrine', %L, 'morning',
                                                       'Edge Customer', '9876543212')$$, pg_temp.today()),
  '22023', format('the morning slot of %s is over', pg_temp.today()),
  'a slot that is over cannot be booked (22023)');
RESET sched.timezone;
-- The same window for a session far east (UTC+14) and one far west
-- (UTC-12) of the business in Asia/Kolkata: their own dates are 26 hours
-- apart, so at least one of them is not the business's today.
-- What booking says of the business's yesterday, today + 90 and today + 91:
CREATE FUNCTION pg_temp.window_edges(who text) RETURNS TABLE (day integer, outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  d integer;
BEGIN
  FOREACH d IN ARRAY ARRAY[-1, 90, 91] LOOP
    day := d;
    BEGIN
      PERFORM sched.book_site_visit(who, 'Brigade Citrine', pg_temp.today() + d, 'evening',
                                    'Window Customer', '9876543213');
      outcome := 'booked';
    EXCEPTION WHEN SQLSTATE '22023' THEN
      outcome := SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
END
$$;
SET LOCAL TimeZone = 'Etc/GMT-14';
SELECT current_date AS east_date \gset
SELECT results_eq($$SELECT * FROM pg_temp.window_edges('t10_east')$$,
  $$VALUES (-1, 'visit_date must not be in the past'), (90, 'booked'),
           (91, 'visit_date is more than 90 days ahead')$$,
  'a session in UTC+14 books from the business''s today to today + 90, not a day either side');
SET LOCAL TimeZone = 'Etc/GMT+12';
SELECT current_date AS west_date \gset
SELECT results_eq($$SELECT * FROM pg_temp.window_edges('t10_west')$$,
  $$VALUES (-1, 'visit_date must not be in the past'), (90, 'booked'),
           (91, 'visit_date is more than 90 days ahead')$$,
  'a session in UTC-12 gets the same window');
SELECT isnt(:'east_date'::date, :'west_date'::date, 'the two sessions'' own dates differ');
RESET TimeZone;
SET LOCAL sched.max_days_ahead = 120;
SELECT is((sched.book_site_visit('t10_edge', 'Brigade Citrine', pg_temp.today() + 120, 'evening',
                                 'Edge Customer', '9876543212')).visit_date,
  pg_temp.today() + 120, 'a superuser can widen the window with sched.max_days_ahead');
RESET sched.max_days_ahead;

-- The three slots, and the edges of lead_score
SELECT results_eq(
  $$SELECT s::text, (sched.book_site_visit('t10_slots', 'Brigade Citrine', current_date + 7, s,
                                           'Slot Customer', '9876543213')).time_slot::text
      FROM unnest(enum_range(NULL::sched.time_slot)) WITH ORDINALITY AS e (s, i) ORDER BY i$$,
  $$VALUES ('morning', 'morning'), ('afternoon', 'afternoon'), ('evening', 'evening')$$,
  'every time slot can be booked');
SELECT is((sched.book_site_visit('t10_score', 'Brigade Citrine', current_date + 8, 'morning',
                                 'Score Customer', '9876543214', lead_score => 0)).lead_score,
  0, 'lead_score 0 is accepted');
SELECT is((sched.book_site_visit('t10_score', 'Brigade Citrine', current_date + 8, 'evening',
                                 'Score Customer', '9876543214', lead_score => 100)).lead_score,
  100, 'lead_score 100 is accepted');

-- Long but allowed text: 100-character name, 200-character project and
-- user_id, 2000-character notes (multi-line, with a tab).
SELECT lives_ok(
  $$SELECT sched.book_site_visit(repeat('u', 200), repeat('p', 200), current_date + 9, 'morning',
                                 repeat('n', 100), '9876543215',
                                 notes => repeat('x', 1990) || E'\nline2\t...')$$,
  'text at its length limits is accepted, and notes may hold line breaks and tabs');
SELECT is((SELECT length(user_notes) FROM sched.scheduled_visits WHERE user_id = repeat('u', 200)), 2000,
  'the 2000-character notes are stored whole');
SELECT lives_ok(
  $$SELECT sched.book_site_visit('t10_unicode', 'ब्रिगेड सिट्रीन', current_date + 9, 'evening',
                                 repeat('é', 100), '9876543216')$$,
  'lengths are counted in characters, not bytes (100 two-byte characters is a valid name)');

-- ---------------------------------------------------------------------
-- A DBA's plain INSERT passes through the same rules
-- ---------------------------------------------------------------------
DO $$ BEGIN PERFORM pg_catalog.setval('sched.visit_turn', 2, false); END $$;
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name,
                                    contact_phone, contact_email, created_at, confirmed_at)
VALUES ('t10_dba', ' Sobha Dream Acres ', current_date + 4, 'afternoon', 'DBA Customer',
        '98765-43217', 'DBA@EXAMPLE.COM', now() + interval '1 day', now());
SELECT results_eq(
  $$SELECT project, contact_phone, contact_email, status::text, agent_id, created_at, updated_at,
           confirmed_at IS NULL
      FROM sched.scheduled_visits WHERE user_id = 't10_dba'$$,
  format($$VALUES ('Sobha Dream Acres', '+919876543217', 'DBA@example.com', 'pending', %s,
                   now(), now(), true)$$, :a2),
  'a plain INSERT is trimmed, normalised, assigned round robin and stamped with now() (a future created_at and a confirmed_at are overridden)');
SELECT is((SELECT count(*)::int FROM sched.status_history h JOIN sched.scheduled_visits v
             ON h.entity = 'visit' AND h.entity_id = v.visit_id WHERE v.user_id = 't10_dba'), 1,
  'a plain INSERT is recorded in status_history like a call');
SELECT is((SELECT site_visits_scheduled FROM sched.user_profiles WHERE user_id = 't10_dba'), 1,
  'a plain INSERT is counted in user_profiles like a call');
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name,
                                    contact_phone, agent_id)
VALUES ('t10_dba2', 'Sobha Dream Acres', current_date + 4, 'afternoon', 'DBA Customer', '9876543218', :a3);
SELECT is((SELECT agent_id FROM sched.scheduled_visits WHERE user_id = 't10_dba2'), :a3,
  'a plain INSERT may name its agent (who has room)');

-- ref is derived from the id: six digits padded, longer ids as they are.
INSERT INTO sched.scheduled_visits (visit_id, user_id, project, visit_date, time_slot, contact_name, contact_phone)
VALUES (42, 't10_ref', 'P', current_date + 2, 'evening', 'Ref', '9876543219'),
       (1234567, 't10_ref', 'P', current_date + 2, 'evening', 'Ref', '9876543219');
SELECT results_eq($$SELECT ref FROM sched.scheduled_visits WHERE user_id = 't10_ref' ORDER BY visit_id$$,
  $$VALUES ('visit_000042'), ('visit_1234567')$$,
  'ref is visit_000042 for id 42 and visit_1234567 for an id of seven digits');

SELECT is((SELECT site_visits_scheduled FROM sched.user_profiles WHERE user_id = 't10_john'), 2,
  'both of John''s bookings are counted in his profile');
-- Counting a booking updates the profile row in place.  With an index on
-- a counter that update is never HOT (a full page does the same), and the
-- row writer's update must still work: from PostgreSQL 16 the executor
-- then reads the table's permission info to find the updated columns.
CREATE INDEX t10_profile_visits ON sched.user_profiles (site_visits_scheduled);
SELECT lives_ok($$SELECT sched.book_site_visit('t10_john', 'Brigade Citrine', current_date + 9, 'evening',
                                              'John Doe', '9876543210')$$,
  'a booking whose profile update is not HOT goes in');
SELECT is((SELECT site_visits_scheduled FROM sched.user_profiles WHERE user_id = 't10_john'), 3,
  'and is counted');
DROP INDEX sched.t10_profile_visits;
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits v WHERE v.user_id LIKE 't10_%'
             AND v.agent_id NOT IN (:a1, :a2, :a3)), 0,
  'every booking went to one of the active agents (the set-aside ones got none)');

-- ---------------------------------------------------------------------
-- Blank optional fields (a form field left empty) are stored as NULL
-- ---------------------------------------------------------------------
CREATE TEMP TABLE blank AS
SELECT * FROM sched.book_site_visit('t10_blank', 'Brigade Citrine', current_date + 3, 'evening',
                                    'Blank Fields', '9876543210', contact_email => '   ',
                                    notes => '', session_id => ' ');
SELECT is((SELECT contact_email FROM blank), NULL, 'a blank contact_email is stored as NULL');
SELECT is((SELECT user_notes FROM blank), NULL, 'blank notes are stored as NULL');
SELECT is((SELECT count(*)::int FROM sched.outbox o, blank b
            WHERE o.entity = 'visit' AND o.entity_id = b.visit_id AND o.channel = 'email'), 0,
  'no email job is queued for a blank contact_email');

SELECT * FROM finish();
ROLLBACK;
