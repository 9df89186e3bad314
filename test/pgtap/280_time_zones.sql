-- pgTAP: customers abroad (1.4).  A customer's time zone in their profile
-- (sched.set_my_time_zone, sched.set_time_zone_for): sched.slot_label,
-- the messages and my_schedule show a visit's slot in the project's time
-- and, when it reads another time, on the customer's clock.  Fixed dates
-- for the labels (a test never depends on today); bookings count from
-- the business's today.
BEGIN;
SELECT plan(46);
-- the reminders are written with the booking here (the horizon's own rule: 115_reminder_horizon.sql)
SET LOCAL sched.reminder_horizon = '30 days';
\ir include/clock.sql

SET LOCAL sched.timezone = 'Asia/Kolkata';
SET LOCAL sched.business_hours = '00:00-24:00';
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, email, login, slot_capacity)
VALUES ('T280 Priya', '9876528001', 'priya280@example.com', 't280-priya', 10);
CREATE ROLE t280_customer NOLOGIN;
CREATE ROLE t280_backend NOLOGIN;
SELECT sched.grant_customer_calls('t280_customer') IS NULL AS g \gset
SELECT sched.grant_user_calls('t280_backend') IS NULL AS g \gset

-- the labels: 2027-01-16 is a Saturday; 9 AM IST is 03:30 UTC
SELECT is(sched.slot_label('2027-01-16', 'morning'), 'Sat 16 Jan, 9 AM-12 PM IST',
  'the slot in the project''s time, with its zone');
SELECT is(sched.slot_label('2027-01-16', 'morning', 'America/New_York'),
  'Sat 16 Jan, 9 AM-12 PM IST (Fri 10:30 PM in New York)',
  'and on a New York customer''s clock: the evening before');
SELECT is(sched.slot_label('2027-07-17', 'morning', 'America/New_York'),
  'Sat 17 Jul, 9 AM-12 PM IST (Fri 11:30 PM in New York)',
  'daylight saving time in New York: an hour later on its clock');
SELECT is(sched.slot_label('2027-01-16', 'evening', 'Europe/London'),
  'Sat 16 Jan, ' || (SELECT split_part(sched.slot_label('2027-01-16', 'evening'), ', ', 2)) || ' (Sat '
  || to_char((sched.slot_bounds('2027-01-16', 'evening')).starts_at AT TIME ZONE 'Europe/London', 'FMHH12:MI AM')
  || ' in London)', 'London: the same day, the slot''s start on its clock');
SELECT is(sched.slot_label('2027-01-16', 'morning', 'Asia/Dubai'),
  'Sat 16 Jan, 9 AM-12 PM IST (Sat 7:30 AM in Dubai)', 'a zone whose abbreviation is numeric reads by its city');
SELECT is(sched.slot_label('2027-01-16', 'morning', 'UTC'),
  'Sat 16 Jan, 9 AM-12 PM IST (Sat 3:30 AM UTC)', 'UTC names no city: its abbreviation');
SELECT is(sched.slot_label('2027-01-16', 'morning', 'Etc/GMT+5'),
  'Sat 16 Jan, 9 AM-12 PM IST (Fri 10:30 PM UTC-05)', 'an Etc zone: its offset');
SELECT is(sched.slot_label('2027-01-16', 'morning', 'Asia/Calcutta'),
  'Sat 16 Jan, 9 AM-12 PM IST', 'a zone with the project''s clock adds nothing');
SELECT is(sched.slot_label('2027-01-16', 'morning', 'america/new_york'),
  'Sat 16 Jan, 9 AM-12 PM IST (Fri 10:30 PM in New York)', 'zone names are read whatever their case');

-- a business elsewhere: its own abbreviation, summer and winter
SET LOCAL sched.timezone = 'Europe/London';
SELECT is(sched.slot_label('2027-01-16', 'morning'), 'Sat 16 Jan, 9 AM-12 PM GMT', 'a London business in winter');
SELECT is(sched.slot_label('2027-07-17', 'morning', 'Asia/Kolkata'),
  'Sat 17 Jul, 9 AM-12 PM BST (Sat 1:30 PM in Kolkata)', 'in summer, for a customer in India');
SET LOCAL sched.timezone = 'Asia/Kolkata';

-- what is not a zone: 22023, and NULL date or slot: 22004
SELECT throws_ok($$SELECT sched.slot_label('2027-01-16', 'morning', 'Mars/Olympus_Mons')$$, '22023',
  'zone is not a time zone', 'a name the tz database does not have');
SELECT throws_ok($$SELECT sched.slot_label('2027-01-16', 'morning', 'XYZ+3')$$, '22023',
  'zone is not a time zone', 'a POSIX rule is not a place');
SELECT throws_ok($$SELECT sched.slot_label('2027-01-16', 'morning', 'Asia/Nowhere+5')$$, '22023',
  'zone is not a time zone', 'a made-up place with an offset, which the server would read as a POSIX rule');
SELECT throws_ok($$SELECT sched.slot_label('2027-01-16', 'morning', '../../../etc/passwd')$$, '22023',
  'zone is not a time zone', 'a path');
SELECT throws_ok($$SELECT sched.slot_label('2027-01-16', 'morning', 'Asia/' || repeat('x', 80))$$, '22023',
  'zone is not a time zone', 'a name too long');
SELECT throws_ok($$SELECT sched.slot_label('2027-01-16', 'morning', '')$$, '22023',
  'zone is not a time zone', 'an empty name');
SELECT throws_ok($$SELECT sched.slot_label(NULL, 'morning')$$, '22004', NULL, 'a NULL date');

-- the customer sets their own zone
SELECT visit_id AS v1 FROM sched.book_site_visit('t280_abroad', 'T280 Towers', pg_temp.today() + 4, 'morning',
  'NRI Buyer', '+1 212 555 0199', 'nri280@example.com') \gset
SELECT visit_id AS v2 FROM sched.book_site_visit('t280_home', 'T280 Towers', pg_temp.today() + 4, 'evening',
  'Home Buyer', '9876528102') \gset
SET LOCAL ROLE t280_customer;
SELECT set_config('request.jwt.claims', '{"sub": "t280_abroad"}', true) IS NOT NULL AS c \gset
SELECT is(sched.set_my_time_zone('america/new_york'), 'America/New_York',
  'set_my_time_zone returns the zone as the tz database spells it');
SELECT is((SELECT v->>'slot_label' FROM jsonb_array_elements(sched.my_schedule()->'visits') v),
  sched.slot_label(pg_temp.today() + 4, 'morning', 'America/New_York'),
  'my_schedule shows the slot on the customer''s clock too');
SELECT throws_ok($$SELECT sched.set_my_time_zone('Mars/Olympus_Mons')$$, '22023', 'zone is not a time zone',
  'an unknown zone is refused');
SELECT set_config('request.jwt.claims', '{"sub": "t280_home"}', true) IS NOT NULL AS c \gset
SELECT is((SELECT v->>'slot_label' FROM jsonb_array_elements(sched.my_schedule()->'visits') v),
  sched.slot_label(pg_temp.today() + 4, 'evening'),
  'without a zone, my_schedule shows the project''s time');
SELECT set_config('request.jwt.claims', '{"role": "t280_customer"}', true) IS NOT NULL AS c \gset
SELECT throws_ok($$SELECT sched.set_my_time_zone('Asia/Dubai')$$, '42501', NULL,
  'no user in the request: 42501');
SELECT set_config('request.jwt.claims', '{"sub": "t280_nobooking"}', true) IS NOT NULL AS c \gset
SELECT is(sched.set_my_time_zone('Europe/London'), 'Europe/London', 'a user without a booking yet may set it');
RESET ROLE;
SELECT is((SELECT time_zone FROM sched.user_profiles WHERE user_id = 't280_abroad'), 'America/New_York',
  'the zone is kept in the profile');
SELECT results_eq($$SELECT site_visits_scheduled, callbacks_requested, intent_points FROM sched.user_profiles
                    WHERE user_id = 't280_nobooking'$$, $$VALUES (0, 0, 0)$$,
  'a profile made by setting the zone counts nothing');
SELECT throws_ok($$SET LOCAL ROLE t280_customer; SELECT sched.set_time_zone_for('t280_home', 'UTC')$$,
  '42501', NULL, 'a customer cannot set another user''s zone');
RESET ROLE;

-- the messages: the customer's show both clocks, the agent's note does not
CREATE FUNCTION pg_temp.body(v bigint, ch text, tpl text) RETURNS text LANGUAGE sql AS $$
  SELECT (sched.render_message(o.job_id)).body FROM sched.outbox o
   WHERE o.entity = 'visit' AND o.entity_id = v AND o.channel::text = ch AND o.template = tpl
   ORDER BY o.job_id DESC LIMIT 1
$$;
SELECT ok(strpos(pg_temp.body(:v1, 'sms', 'visit_booked'),
                 'T280 Towers, ' || sched.slot_label(pg_temp.today() + 4, 'morning', 'America/New_York')) > 0,
  'the booking SMS shows the slot on the customer''s clock too');
SELECT ok(pg_temp.body(:v1, 'email', 'visit_booked') ~ 'IST \(\w+day \d+:30 [AP]M in New York\)',
  'so does the email, in long form');
SELECT ok(strpos(pg_temp.body(:v1, 'agent', 'visit_assigned'), 'New York') = 0,
  'the agent''s note keeps the project''s time only');
SELECT ok(strpos(pg_temp.body(:v2, 'sms', 'visit_booked'), 'IST') = 0,
  'a customer without a zone gets the message as before');
SELECT ok(pg_temp.body(:v1, 'sms', 'visit_reminder_1h') ~ ' IST \(\w+ \d+:30 [AP]M in New York\) today',
  'the reminder an hour before names the customer''s clock');
SELECT status FROM sched.set_visit_status(:v1, 'confirmed') \gset
SELECT ok(pg_temp.body(:v1, 'sms', 'visit_confirmed') ~ ' IST \(\w+ \d+:30 [AP]M in New York\)$',
  'and the confirmation');

-- the back end sets a zone for the user it names
SET LOCAL ROLE t280_backend;
SELECT is(sched.set_time_zone_for('t280_home', 'Asia/Dubai'), 'Asia/Dubai', 'set_time_zone_for sets it');
SELECT throws_ok($$SELECT sched.set_time_zone_for(NULL, 'UTC')$$, '22004', NULL, 'a NULL user_id');
SELECT throws_ok($$SELECT sched.set_time_zone_for('t280_home', 'Nowhere/Town')$$, '22023', 'zone is not a time zone',
  'an unknown zone');
SELECT throws_ok($$SELECT sched.set_my_time_zone('UTC')$$, '42501', NULL, 'the back end has no customer call');
SELECT is(sched.set_time_zone_for('t280_home', NULL), NULL, 'NULL clears it');
RESET ROLE;
SELECT is((SELECT time_zone FROM sched.user_profiles WHERE user_id = 't280_home'), NULL,
  'the profile has no zone after clearing');
SELECT ok(strpos(pg_temp.body(:v2, 'sms', 'visit_booked'), 'Dubai') = 0, 'and its messages are as before');

-- erase_user forgets the zone, which says where the customer lives
SELECT sched.erase_user('t280_abroad') IS NOT NULL AS e \gset
SELECT is((SELECT time_zone FROM sched.user_profiles WHERE user_id = 't280_abroad'), NULL,
  'erase_user clears the time zone');
SELECT is((SELECT site_visits_scheduled FROM sched.user_profiles WHERE user_id = 't280_abroad'), 1,
  'and keeps the profile''s counts');

-- bad input to the back end's call writes nothing
SELECT count(*) AS profiles_before FROM sched.user_profiles \gset
SELECT throws_ok($$SELECT sched.set_time_zone_for(repeat('u', 201), 'UTC')$$, '22023', NULL, 'a user_id over 200 characters');
SELECT throws_ok($$SELECT sched.set_time_zone_for(E't280_\x01', 'UTC')$$, '22023', NULL, 'a user_id with a control character');
SELECT throws_ok($$SELECT sched.set_time_zone_for('t280_new', repeat('A', 70))$$, '22023', 'zone is not a time zone', 'a zone over 64 characters');
SELECT is((SELECT count(*) FROM sched.user_profiles), :profiles_before::bigint, 'none of them made a profile');

SELECT * FROM finish();
ROLLBACK;
