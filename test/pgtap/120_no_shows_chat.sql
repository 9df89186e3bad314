-- pgTAP: mark_no_shows (1.1), the chat helpers' SQL side (their full
-- corpora are C unit tests: test/unit/chat_*.tsv), and who may call the
-- 1.1 functions.
BEGIN;
SELECT plan(36);

SET TimeZone = 'Asia/Kolkata';
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T120 Agent', '9876500120', 10);
DELETE FROM sched.scheduled_visits WHERE status IN ('pending', 'confirmed');

-- ---------------------------------------------------------------------
-- no-shows: pending or confirmed visits whose slot ended more than the
-- grace before as_of
-- ---------------------------------------------------------------------
SELECT visit_id AS m FROM sched.book_site_visit('t120_u', 'Brigade Citrine', current_date + 3, 'morning', 'Morning', '9876543120') \gset
SELECT visit_id AS e FROM sched.book_site_visit('t120_u', 'Brigade Citrine', current_date + 3, 'evening', 'Evening', '9876543121') \gset
SELECT visit_id AS c FROM sched.book_site_visit('t120_u', 'Brigade Citrine', current_date + 3, 'morning', 'Confirmed', '9876543122') \gset
SELECT visit_id AS d FROM sched.book_site_visit('t120_u', 'Brigade Citrine', current_date + 3, 'morning', 'Done', '9876543123') \gset
SELECT sched.set_visit_status(:c, 'confirmed') IS NOT NULL AS moved \gset
SELECT sched.set_visit_status(:d, 'confirmed') IS NOT NULL AS moved \gset
SELECT sched.set_visit_status(:d, 'completed') IS NOT NULL AS moved \gset
SELECT (sched.slot_bounds(current_date + 3, 'morning')).ends_at AS morning_end \gset

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
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity_id IN (:m, :c) AND template LIKE 'visit_reminder%' AND state = 'pending'), 0,
  'and no reminder of theirs is left to send');
SELECT is(sched.mark_no_shows(:'morning_end'::timestamptz + interval '2 hours'), 0, 'running it again marks nothing');
SELECT is(sched.mark_no_shows((sched.slot_bounds(current_date + 3, 'evening')).ends_at, interval '0'), 1,
  'with no grace the evening visit is a no-show as its slot ends');
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
