-- pgTAP: mark_no_shows (1.1), the chat helpers' SQL side (their full
-- corpora are C unit tests: test/unit/chat_*.tsv), and who may call the
-- 1.1 functions.
BEGIN;
SELECT plan(39);

SET TimeZone = 'Asia/Kolkata';
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T120 Agent', '9876500120', 10);
SELECT agent_id AS agent FROM sched.agents WHERE name = 'T120 Agent' \gset

-- ---------------------------------------------------------------------
-- no-shows: pending or confirmed visits whose slot ended more than the
-- grace before as_of.  A sweep looks back, never ahead (1.3: as_of is not
-- later than now()), so the visits here were two days ago: loaded as
-- imports (created_at in the past), as a migration or restore loads them.
-- ---------------------------------------------------------------------
SELECT (now() AT TIME ZONE current_setting('sched.timezone'))::date - 2 AS day \gset
CREATE FUNCTION pg_temp.past_visit(slot sched.time_slot, name text, status sched.visit_status) RETURNS bigint
LANGUAGE sql AS $$
  INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone,
                                      agent_id, status, created_at)
  SELECT 't120_u', 'Brigade Citrine', (now() AT TIME ZONE current_setting('sched.timezone'))::date - 2, slot, name,
         '9876543120', a.agent_id, status, now() - interval '10 days'
    FROM sched.agents a WHERE a.name = 'T120 Agent'
  RETURNING visit_id
$$;
SELECT pg_temp.past_visit('morning', 'Morning', 'pending') AS m \gset
SELECT pg_temp.past_visit('evening', 'Evening', 'pending') AS e \gset
SELECT pg_temp.past_visit('morning', 'Confirmed', 'confirmed') AS c \gset
SELECT pg_temp.past_visit('morning', 'Done', 'completed') AS d \gset
-- and one ahead, booked today
SELECT visit_id AS ahead FROM sched.book_site_visit('t120_u', 'Brigade Citrine', current_date + 3, 'morning', 'Ahead', '9876543124') \gset
SELECT (sched.slot_bounds(:'day', 'morning')).ends_at AS morning_end \gset

SELECT is(sched.mark_no_shows(:'morning_end'::timestamptz + interval '2 hours' - interval '1 second'), 0,
  'a second before the grace is over, nobody is a no-show');
SELECT is(sched.mark_no_shows(:'morning_end'::timestamptz + interval '2 hours'), 2,
  'when the morning slot ended two hours ago (the default grace), its pending and confirmed visits are no-shows');
SELECT results_eq(format('SELECT visit_id, status::text FROM sched.scheduled_visits WHERE visit_id IN (%s, %s, %s, %s) ORDER BY visit_id', :m, :e, :c, :d),
  format($$VALUES (%s::bigint, 'no_show'), (%s, 'pending'), (%s, 'no_show'), (%s, 'completed')$$, :m, :e, :c, :d),
  'the evening visit and the completed one are untouched');
SELECT is((SELECT count(*)::int FROM sched.status_history WHERE entity_id IN (:m, :c) AND to_status = 'no_show'), 2,
  'each no-show is recorded in the history');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity_id IN (:m, :c) AND template = 'visit_missed'), 2,
  'and the customers are sent visit_missed');
SELECT is(sched.mark_no_shows(:'morning_end'::timestamptz + interval '2 hours'), 0, 'running it again marks nothing');
SELECT is(sched.mark_no_shows((sched.slot_bounds(:'day', 'evening')).ends_at, interval '0'), 1,
  'with no grace the evening visit is a no-show as its slot ends');
SELECT is(sched.mark_no_shows(), 0, 'up to now, the visit booked ahead is not one');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity_id = :ahead AND template LIKE 'visit_reminder%' AND state = 'pending'),
  (SELECT count(*)::int FROM sched.outbox WHERE entity_id = :ahead AND template LIKE 'visit_reminder%'),
  'and its reminders are all still to be sent');
SELECT throws_ok($$SELECT sched.mark_no_shows(now() + interval '1 second')$$, '22023', 'as_of must not be later than now()',
  'a sweep never looks ahead: as_of later than now() is refused (1.3), or every live visit would be a no-show');
SELECT throws_ok($$SELECT sched.mark_no_shows('2999-01-01')$$, '22023', 'as_of must not be later than now()',
  'mark_no_shows(''2999-01-01'') is refused');
SELECT throws_ok($$SELECT sched.mark_no_shows(now(), interval '-1 minute')$$, '22023', NULL, 'a negative grace is refused');
SELECT throws_ok($$SELECT sched.mark_no_shows(now(), interval '8 days')$$, '22023', NULL, 'a grace over 7 days is refused');
SELECT throws_ok($$SELECT sched.mark_no_shows(NULL)$$, '22004', NULL, 'as_of is required');
SELECT throws_ok($$SELECT sched.mark_no_shows('infinity')$$, '22023', NULL, 'as_of must be finite');

-- ---------------------------------------------------------------------
-- chat helpers
-- ---------------------------------------------------------------------
SELECT is(sched.detect_intent('I''d like to visit Brigade Citrine'), 'site_visit', 'visit wording: site_visit');
SELECT is(sched.detect_intent('Can someone CALL me back?'), 'callback', 'call wording, any case: callback');
SELECT is(sched.detect_intent('Is there visitor parking?'), NULL, 'no false positive on visitor');
SELECT is(sched.detect_intent('yes', 'site_visit'), 'site_visit', 'yes after a site-visit nudge');
SELECT is(sched.detect_intent('Sure', 'callback'), 'callback', 'sure after a callback nudge');
SELECT is(sched.detect_intent('yes'), NULL, 'yes with no nudge is nothing');
SELECT is(sched.detect_intent(NULL, 'callback'), NULL, 'a NULL message is nothing');
SELECT throws_ok($$SELECT sched.detect_intent('yes', 'tour')$$, '22023', NULL, 'an unknown nudge is refused');
SELECT ok(sched.scheduling_prompt('site_visit') LIKE '%Let''s schedule your site visit%', 'the site-visit prompt is the seed''s');
SELECT ok(sched.scheduling_prompt('callback') IS NOT NULL, 'there is a callback prompt');
SELECT is(sched.scheduling_prompt(NULL), NULL, 'no intent, no prompt');
SELECT throws_ok($$SELECT sched.scheduling_prompt('x')$$, '22023', NULL, 'an unknown intent is refused');
SELECT is(sched.parse_contact_details('My name is John Doe, phone +91 98765 43210, I''m free this Saturday morning', '2026-01-14'),
  '{"name": "John Doe", "phone": "+919876543210", "visit_date": "2026-01-17", "time_slot": "morning"}'::jsonb,
  'the seed''s reply gives name, phone, date and slot');
SELECT is(sched.parse_contact_details('mail me at Asha@Example.COM', '2026-01-14'),
  '{"email": "Asha@example.com"}'::jsonb, 'only what is there: an email alone');
SELECT is(sched.parse_contact_details('hello', '2026-01-14'), '{}'::jsonb, 'nothing found, an empty object');
SELECT is(sched.parse_contact_details(repeat('9', 100000), '2026-01-14'), '{}'::jsonb, 'a long run of digits is no phone');
-- today left out or NULL is the business's today (1.3), whatever the
-- session's TimeZone
SET LOCAL sched.timezone = 'Etc/GMT+12';
SET LOCAL TimeZone = 'Etc/GMT-14';
SELECT is(sched.parse_contact_details('come today evening') ->> 'visit_date',
  (now() AT TIME ZONE 'Etc/GMT+12')::date::text,
  'relative dates count from the business''s today, not the session''s (UTC+14 session, UTC-12 business)');
SELECT is(sched.parse_contact_details('tomorrow then', NULL) ->> 'visit_date',
  ((now() AT TIME ZONE 'Etc/GMT+12')::date + 1)::text, 'and so does a NULL today');
RESET sched.timezone;
RESET TimeZone;
SELECT throws_ok($$SELECT sched.parse_contact_details('hi', 'infinity')$$, '22023', 'today must be a finite date',
  'an infinite today is refused (22023)');
SELECT is(sched.parse_contact_details('call me tomorrow afternoon', '2026-12-31'),
  '{"visit_date": "2027-01-01", "time_slot": "afternoon"}'::jsonb, 'tomorrow crosses the year');

-- ---------------------------------------------------------------------
-- privileges of the 1.1 calls
-- ---------------------------------------------------------------------
CREATE ROLE t120_worker NOLOGIN;
CREATE ROLE t120_app NOLOGIN;
SELECT sched.grant_worker_calls('t120_worker') IS NULL AS granted \gset
SELECT sched.grant_user_calls('t120_app') IS NULL AS granted \gset
SELECT ok(has_function_privilege('t120_worker', 'sched.claim_jobs(text, integer, interval)', 'EXECUTE'),
  'grant_worker_calls lets a worker claim jobs');
SELECT ok(NOT has_function_privilege('t120_worker', 'sched.cancel_visit(bigint, text)', 'EXECUTE')
          AND NOT has_function_privilege('t120_worker', 'sched.book_site_visit(text, text, date, sched.time_slot, text, text, text, text, text, integer, text)', 'EXECUTE'),
  'but nothing else');
SELECT ok(has_function_privilege('t120_app', 'sched.parse_contact_details(text, date)', 'EXECUTE')
          AND has_function_privilege('t120_app', 'sched.detect_intent(text, text)', 'EXECUTE'),
  'the user calls include the chat helpers');
SELECT ok(NOT has_function_privilege('t120_app', 'sched.cancel_visit(bigint, text)', 'EXECUTE')
          AND NOT has_function_privilege('t120_app', 'sched.claim_jobs(text, integer, interval)', 'EXECUTE')
          AND NOT has_function_privilege('t120_app', 'sched.mark_no_shows(timestamptz, interval)', 'EXECUTE'),
  'but not cancel_visit (visit ids are guessable), the worker calls or mark_no_shows');

SELECT * FROM finish();
ROLLBACK;
