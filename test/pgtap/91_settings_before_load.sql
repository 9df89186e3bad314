-- pgTAP: the settings are PGC_SUSET even before sched's library is loaded
-- in a session.  A non-superuser's SET of sched.* before the first sched
-- call only creates a placeholder; when the library loads, the placeholder
-- is checked against the role that set it and thrown away.  This file
-- must not touch anything that loads the library (C functions, triggers on
-- sched tables) before the role has tried its SETs.
BEGIN;
SELECT plan(6);
SET LOCAL client_min_messages = error;   -- the discarded placeholders raise WARNINGs

-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't91\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't91\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't91\_%';
CREATE ROLE t91_web_user NOLOGIN;
SELECT sched.grant_user_calls('t91_web_user') IS NULL AS granted \gset

SET ROLE t91_web_user;
DO $$
BEGIN
  PERFORM set_config('sched.max_days_ahead', '365', false);
  PERFORM set_config('sched.visit_intent_points', '1000', false);
EXCEPTION WHEN insufficient_privilege THEN
  NULL;   -- sched is preloaded in this server: the SET is refused at once, also fine
END $$;
SELECT throws_ok(
  $$SELECT sched.book_site_visit('t91_user', 'Brigade Citrine', current_date + 200, 'morning', 'Early', '9876543291')$$,
  '22023', 'visit_date is more than 90 days ahead',
  'a non-superuser''s SET sched.max_days_ahead made before the library was loaded does not widen the window');
RESET ROLE;
SELECT is(current_setting('sched.max_days_ahead'), '90', 'the placeholder value was thrown away: 90 again');
SELECT is(current_setting('sched.visit_intent_points'), '3', 'the intent-points placeholder was thrown away: 3 again');

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone) VALUES ('T91 Agent', '9876500091');
SET ROLE t91_web_user;
SELECT lives_ok(
  $$SELECT sched.book_site_visit('t91_user', 'Brigade Citrine', current_date + 5, 'morning', 'Early', '9876543291')$$,
  'the role can still book inside the window');
SELECT throws_ok($$SET sched.max_days_ahead = 365$$, '42501',
  'permission denied to set parameter "sched.max_days_ahead"', 'once loaded, the SET is refused outright');
RESET ROLE;
SELECT is((SELECT intent_points FROM sched.user_profiles WHERE user_id = 't91_user'), 3,
  'the visit added the default 3 intent points, not the 1000 the role asked for');

SELECT * FROM finish();
ROLLBACK;
